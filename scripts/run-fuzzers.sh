#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for MD_FUZZ_SECONDS (default 20) seconds,
# starting from the seed corpus in fuzz/corpus/<target>. Any crash or sanitizer report fails.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${MD_FUZZ_SECONDS:-20}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_all
shopt -s nullglob
targets=(build-fuzz/fuzz/fuzz_*)
for target in "${targets[@]}"; do
  name=$(basename "$target")
  [[ -x "$target" ]] || continue
  work=$(mktemp -d)
  seeds=fuzz/corpus/${name#fuzz_}
  [[ -d "$seeds" ]] && cp -r "$seeds"/. "$work"/
  echo "fuzzing $name for ${seconds}s"
  "$target" -max_total_time="$seconds" -print_final_stats=0 "$work" >"$work.log" 2>&1 || {
    tail -n 40 "$work.log"; echo "FUZZ FAILURE: $name (log $work.log)"; exit 1; }
  rm -rf "$work" "$work.log"
done
echo "fuzzing: ${#targets[@]} targets ran ${seconds}s each without a finding"

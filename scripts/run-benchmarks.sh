#!/usr/bin/env bash
# Runs every benchmark under build/bench and prints Google Benchmark's table (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
# bench_operations builds databases of up to a million rows per case: one repetition is plenty.
for b in build/bench/bench_*; do
  [[ -x "$b" ]] || continue
  reps=${MD_BENCH_REPETITIONS:-3}
  [[ "$b" == */bench_operations ]] && reps=1
  "$b" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true
done

#!/usr/bin/env bash
# The operations table of docs/benchmarks.md: every case of bench_operations in a process of its
# own, so that each peak RSS is the case's own (database build + the timed operation), on SQLite
# and, when MD_TEST_POSTGRES names a server (scripts/test-databases.sh), on PostgreSQL.
# Usage: scripts/bench-operations.sh [ROWS...]     (default: 10000 100000 1000000)
# Prints one Markdown row per case: dialect, operation, values of, rows, values, seconds,
# values/s, peak RSS; then the single-core PBKDF2 rate of the same run, the yardstick for values
# written elsewhere (one PBKDF2 each).
set -euo pipefail
cd "$(dirname "$0")/.."
bench=build/bench/bench_operations
[[ -x $bench ]] || { echo "build first: make build" >&2; exit 2; }
rows_list=(10000 100000 1000000)
(($#)) && rows_list=("$@")
dialects=(Sqlite)
[[ -n "${MD_TEST_POSTGRES:-}" ]] && dialects+=(Postgres)
ops=(verify re-encrypt rollback baseline)

run_case() {  # dialect op-number rows here
  local out rss
  out=$(mktemp)
  rss=$( { /usr/bin/time -f '%M' "$bench" --benchmark_filter="^$1/op:$2/rows:$3/here:$4/" \
           --benchmark_format=json >"$out"; } 2>&1 | tail -n 1)
  python3 - "$out" "$1" "${ops[$2]}" "$3" "$4" "$rss" <<'EOF'
import json, sys
path, dialect, op, rows, here, rss_kb = sys.argv[1:]
runs = json.load(open(path))["benchmarks"]
if not runs or runs[0].get("error_occurred"):
    print("| %s | %s | %s | (failed: %s) |" % (dialect, op, rows, runs[0].get("error_message") if runs else "no run"))
    sys.exit()
r = runs[0]
values = 2 * int(rows)
print("| %s | %s | %s | %s | %s | %.2f | %s | %d MiB |" % (
    dialect, op, "here" if here == "1" else "elsewhere", format(int(rows), ","), format(values, ","),
    r["real_time"], format(round(r["values_per_s"]), ","), int(rss_kb) // 1024))
EOF
  rm -f "$out"
}

echo "| database | operation | values written | rows | values | seconds | values/s | peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
for dialect in "${dialects[@]}"; do
  for rows in "${rows_list[@]}"; do
    for op in 0 1 2; do run_case "$dialect" "$op" "$rows" 1; done
  done
  for op in 0 1; do run_case "$dialect" "$op" 10000 0; done
  run_case "$dialect" 3 1000 0
  run_case "$dialect" 3 1000 1
done
pbkdf2=$(build/bench/bench_crypto --benchmark_filter='^BM_Pbkdf2Single' --benchmark_repetitions=3 \
           --benchmark_report_aggregates_only=true --benchmark_format=json |
         python3 -c 'import json,sys; b=[r for r in json.load(sys.stdin)["benchmarks"] if r["name"].endswith("_median")]; print(round(1e9/b[0]["real_time"]))')
echo
echo "PBKDF2-HMAC-SHA256 (10,000 iterations), one core, same run: $pbkdf2/s; $(nproc) cores: $((pbkdf2 * $(nproc)))/s"

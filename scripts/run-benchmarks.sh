#!/usr/bin/env bash
# Runs every benchmark under build/bench and prints Google Benchmark's table (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
for b in build/bench/bench_*; do
  [[ -x "$b" ]] && "$b" --benchmark_repetitions="${MD_BENCH_REPETITIONS:-3}" --benchmark_report_aggregates_only=true
done

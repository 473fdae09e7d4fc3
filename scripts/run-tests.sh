#!/usr/bin/env bash
# `make test`: build, start PostgreSQL and MariaDB on loopback, run every suite, stop them.
#   1. release build: every test (unit, database, integration) against SQLite, PostgreSQL, MariaDB
#   2. ASan + UBSan build: the unit tests
#   3. clang/libFuzzer build: each fuzz target for MD_FUZZ_SECONDS (default 20) seconds
# Ends with one line adding up the suites: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc)
logs=$(mktemp -d)
dbdir=$(mktemp -d /tmp/md-test-db.XXXXXX)
trap 'scripts/test-databases.sh stop "$dbdir"' EXIT

set -e
cmake --preset release >/dev/null
cmake --build --preset release
cmake --preset asan >/dev/null
cmake --build --preset asan
eval "$(scripts/test-databases.sh start "$dbdir")"
export MD_REQUIRE_DATABASES=1   # database tests fail, not skip, when a server is missing
set +e

status=0
run_suite() {  # name, ctest args...
  local name=$1; shift
  echo "=== $name ==="
  ctest "$@" --output-on-failure -j "$jobs" 2>&1 | tee "$logs/$name.log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
}
run_suite asan --test-dir build-asan -L unit
if ! scripts/run-fuzzers.sh; then status=1; fi
run_suite main --test-dir build

passed=0; failed=0
for log in "$logs"/*.log; do
  line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  [[ -n "$line" ]] || { status=1; continue; }
  f=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  t=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
  failed=$((failed + f)); passed=$((passed + t - f))
done
echo "tests: $passed passed, $failed failed"
exit $status

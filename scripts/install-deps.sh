#!/usr/bin/env bash
# Installs the Debian packages the project needs, skipping what is already there.
# Usage: scripts/install-deps.sh [build|test]   (test adds database servers, fuzzing and tools)
set -euo pipefail

build_pkgs=(g++ cmake ninja-build pkg-config libssl-dev libsqlite3-dev libpq-dev libmariadb-dev
  libsoci-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev libcpp-httplib-dev
  libcurl4-openssl-dev libp11-kit-dev)
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev postgresql
  mariadb-server softhsm2 sqlite3 python3 python3-cryptography python3-requests python3-botocore
  openssl curl wrk procps time)

wanted=("${build_pkgs[@]}")
if [[ "${1:-build}" == "test" ]]; then wanted+=("${test_pkgs[@]}"); fi

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d keeps apt from starting the database servers it installs; tests start their own.
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Throughput of GET /api/datasources/uid/:uid with wrk on loopback (docs/benchmarks.md, HTTP).
# Starts the built server on SQLite in a temp home, creates a data source with two secrets, then
# runs wrk with a service-account token (Bearer) and with HTTP Basic auth.
#   scripts/bench-http.sh [seconds=10] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
binary=${MD_BINARY:-build/metrics-dashboard}
home=$(mktemp -d)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$home/conf" && cp conf/defaults.ini "$home/conf/"
"$binary" server --homepath "$home" cfg:server.http_addr=127.0.0.1 cfg:server.http_port="$port" \
  cfg:log.level=error cfg:security.secret_key=bench-secret-key >"$home/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$home"' EXIT
url=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -fs "$url/api/health" >/dev/null && break; sleep 0.1; done

uid=$(curl -fs -u admin:admin -H 'Content-Type: application/json' "$url/api/datasources" -d \
  '{"name":"bench","type":"prometheus","url":"http://127.0.0.1:9090","basicAuth":true,"basicAuthUser":"u",
    "secureJsonData":{"basicAuthPassword":"p4ss","httpHeaderValue1":"Bearer t0ken"}}' |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["datasource"]["uid"])')
sa=$(curl -fs -u admin:admin -H 'Content-Type: application/json' "$url/api/serviceaccounts" \
  -d '{"name":"bench","role":"Viewer"}' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
token=$(curl -fs -u admin:admin -H 'Content-Type: application/json' "$url/api/serviceaccounts/$sa/tokens" \
  -d '{"name":"bench"}' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

echo "== GET /api/datasources/uid/$uid, Bearer token, $connections connections, ${seconds}s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$url/api/datasources/uid/$uid"
echo "== same, HTTP Basic auth (a password hash per request, as in Grafana)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Basic $(printf admin:admin | base64)" \
  "$url/api/datasources/uid/$uid"

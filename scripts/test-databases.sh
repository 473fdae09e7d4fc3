#!/usr/bin/env bash
# Starts (or stops) throw-away PostgreSQL and MariaDB servers on loopback for the tests.
#   scripts/test-databases.sh start DIR   -> prints `export MD_TEST_POSTGRES=...` lines
#   scripts/test-databases.sh stop DIR
# Each server keeps its data under DIR; `stop` removes DIR. Ports: PostgreSQL 55432, MariaDB 53306
# (override with MD_TEST_PG_PORT / MD_TEST_MYSQL_PORT).
set -euo pipefail

action=${1:?start|stop}
dir=${2:?state directory}
pg_port=${MD_TEST_PG_PORT:-55432}
my_port=${MD_TEST_MYSQL_PORT:-53306}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_pg() {  # PostgreSQL refuses to run as root.
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  mkdir -p "$dir/pg"
  [[ $(id -u) -eq 0 ]] && chown postgres "$dir" "$dir/pg"
  as_pg "$pg_bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust -E UTF8 >"$dir/pg/initdb.log" 2>&1
  as_pg "$pg_bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $pg_port -k $dir/pg -c fsync=off -c max_connections=200" start >/dev/null
  as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE md LOGIN SUPERUSER PASSWORD 'md'" -c "CREATE DATABASE md_test OWNER md" >/dev/null
}

start_mariadb() {
  mkdir -p "$dir/my"
  local user_opt=()
  [[ $(id -u) -eq 0 ]] && user_opt=(--user=root)
  mariadb-install-db --no-defaults --datadir="$dir/my/data" "${user_opt[@]}" \
    --auth-root-authentication-method=normal >"$dir/my/install.log" 2>&1
  mariadbd --no-defaults --datadir="$dir/my/data" --port="$my_port" --bind-address=127.0.0.1 \
    --socket="$dir/my/mysql.sock" --pid-file="$dir/my/mysqld.pid" "${user_opt[@]}" \
    --innodb-flush-log-at-trx-commit=0 --skip-log-bin --max-connections=300 \
    >"$dir/my/server.log" 2>&1 &
  for _ in $(seq 1 120); do
    mariadb-admin --no-defaults --socket="$dir/my/mysql.sock" -uroot ping >/dev/null 2>&1 && break
    sleep 0.5
  done
  mariadb --no-defaults --socket="$dir/my/mysql.sock" -uroot -e "
    CREATE USER 'md'@'127.0.0.1' IDENTIFIED BY 'md'; CREATE USER 'md'@'localhost' IDENTIFIED BY 'md';
    GRANT ALL ON *.* TO 'md'@'127.0.0.1' WITH GRANT OPTION; GRANT ALL ON *.* TO 'md'@'localhost';
    CREATE DATABASE md_test CHARACTER SET utf8mb4;"
}

case "$action" in
  start)
    rm -rf "$dir"; mkdir -p "$dir"
    start_postgres
    start_mariadb
    echo "export MD_TEST_POSTGRES='host=127.0.0.1 port=$pg_port dbname=md_test user=md password=md'"
    echo "export MD_TEST_MYSQL='host=127.0.0.1 port=$my_port db=md_test user=md password=md'"
    ;;
  stop)
    if [[ -d "$dir/pg/data" ]]; then as_pg "$pg_bin/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
    if [[ -f "$dir/my/mysqld.pid" ]]; then kill "$(cat "$dir/my/mysqld.pid")" 2>/dev/null || true; sleep 1; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# bench/directory/run.sh — HSDS /hsds/services?search= over 10,000 services
# (issue 12, item 8: target p99 < 20 ms), on SQLite and, unless BENCH_PG=0,
# on a throw-away PostgreSQL (scripts/pg-test.sh).
#
# For each engine: a fresh database (init + demo network), the bench services
# loaded by SQL (gen.mjs) over the demo districts, `labimpact serve` on a free
# loopback port, then measure.mjs times the searches (HTTP round trip
# included). Environment: BENCH_SERVICES [10000], BENCH_N [500], BENCH_PG [1].
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$ROOT/build/labimpact
SERVICES=${BENCH_SERVICES:-10000}
N=${BENCH_N:-500}
WANT_PG=${BENCH_PG:-1}
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

bench_one() { # engine db-uri
  local engine=$1 db=$2 orgs
  "$BIN" init --db "$db" >/dev/null 2>&1
  "$BIN" demo --db "$db" --persons 0 --credentials "$TMP/creds-$engine" >/dev/null
  if [ "$engine" = sqlite ]; then
    orgs=$(sqlite3 "$db" "SELECT group_concat(id) FROM org WHERE kind='ambito'")
    node bench/directory/gen.mjs "$orgs" "$SERVICES" > "$TMP/data.sql"
    sqlite3 "$db" < "$TMP/data.sql"
    sqlite3 "$db" "ANALYZE;"
  else
    orgs=$(psql -X -qtA -d "$db" -c "SELECT string_agg(id::text, ',') FROM org WHERE kind='ambito'")
    node bench/directory/gen.mjs "$orgs" "$SERVICES" > "$TMP/data.sql"
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$TMP/data.sql" >/dev/null
    psql -X -q -d "$db" -c "SELECT setval(pg_get_serial_sequence('dir_service','id'), (SELECT max(id) FROM dir_service)); ANALYZE;" >/dev/null
  fi
  local port
  port=$(free_port)
  LABIMPACT_LOG=warn "$BIN" serve --db "$db" --listen "127.0.0.1:$port" 2>"$TMP/serve-$engine.log" &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  echo "$engine $(node bench/directory/measure.mjs "http://127.0.0.1:$port" "$N")"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
}

echo "services=$SERVICES requests=$N cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\" cores=$(nproc)"
bench_one sqlite "$TMP/bench.db"
if [ "$WANT_PG" = 1 ]; then
  PG=$(scripts/pg-test.sh uri 2>/dev/null || scripts/pg-test.sh start | tail -1)
  NAME=li_bench_dir_$$
  psql -X -q -d "$PG" -c "CREATE DATABASE $NAME" >/dev/null
  bench_one pg "${PG%/*}/$NAME"
  psql -X -q -d "$PG" -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null
fi

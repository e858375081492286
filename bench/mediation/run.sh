#!/usr/bin/env bash
# bench/mediation/run.sh — candidate search among 1,000 mediators and 100,000
# past bookings (issue 5, item 8: target under 5 ms), on SQLite and, unless
# BENCH_PG=0, on a throw-away PostgreSQL (scripts/pg-test.sh).
#
# For each engine: a fresh database (init + demo network and accounts), the
# bench data loaded by SQL (gen.mjs), `labimpact serve` on a free loopback
# port, then measure.mjs times GET /api/v1/mediation/requests/{id}/candidates
# for a future Arabic school request (HTTP round trip included: the pipeline,
# the session, the query with its exclusion reasons, the JSON).
# Environment: BENCH_MEDIATORS [1000], BENCH_BOOKINGS [100000], BENCH_N [500], BENCH_PG [1].
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$ROOT/build/labimpact
MEDS=${BENCH_MEDIATORS:-1000}
BOOKS=${BENCH_BOOKINGS:-100000}
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
  local engine=$1 db=$2
  "$BIN" init --db "$db" >/dev/null 2>&1
  "$BIN" demo --db "$db" --persons 0 --credentials "$TMP/creds-$engine" >/dev/null
  local pass
  pass=$(awk '$1=="demo-coordinator"{print $4}' "$TMP/creds-$engine")
  local org
  if [ "$engine" = sqlite ]; then
    org=$(sqlite3 "$db" "SELECT id FROM org WHERE code='cremona'")
    node bench/mediation/gen.mjs "$org" "$MEDS" "$BOOKS" > "$TMP/data.sql"
    sqlite3 "$db" < "$TMP/data.sql"
    sqlite3 "$db" "ANALYZE;"
  else
    org=$(psql -X -qtA -d "$db" -c "SELECT id FROM org WHERE code='cremona'")
    node bench/mediation/gen.mjs "$org" "$MEDS" "$BOOKS" > "$TMP/data.sql"
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$TMP/data.sql" >/dev/null
    psql -X -q -d "$db" -c "SELECT setval(pg_get_serial_sequence('mediator','id'), (SELECT max(id) FROM mediator));
      SELECT setval(pg_get_serial_sequence('mediation_request','id'), (SELECT max(id) FROM mediation_request)); ANALYZE;" >/dev/null
  fi
  local port
  port=$(free_port)
  LABIMPACT_LOG=warn "$BIN" serve --db "$db" --listen "127.0.0.1:$port" 2>"$TMP/serve-$engine.log" &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  local result
  result=$(node bench/mediation/measure.mjs "http://127.0.0.1:$port" demo-coordinator "$pass" "$N")
  echo "$engine $result"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
}

echo "mediators=$MEDS bookings=$BOOKS requests=$N cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\" cores=$(nproc)"
bench_one sqlite "$TMP/bench.db"
if [ "$WANT_PG" = 1 ]; then
  PG=$(scripts/pg-test.sh uri 2>/dev/null || scripts/pg-test.sh start | tail -1)
  NAME=li_bench_med_$$
  psql -X -q -d "$PG" -c "CREATE DATABASE $NAME" >/dev/null
  bench_one pg "${PG%/*}/$NAME"
  psql -X -q -d "$PG" -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null
fi

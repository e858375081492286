#!/usr/bin/env bash
# bench/monitoring/run.sh — what `make bench-monitoring` runs (issue 13 item 12): the
# regional indicators computed live over the bench data (generate.py: 35 districts,
# 200,000 persons, 2,000,000 consultations; SCALE=0.1 for a tenth), on SQLite and,
# unless BENCH_PG=0, on a throw-away PostgreSQL; then 1,000,000 rows to XLSX (xlsx.sh).
# Reference in the same run: a plain count(*) of the consultations on each engine.
# Everything lives in a temp folder and is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$PWD/build/labimpact
TMP=$(mktemp -d)
PG_URI=
cleanup() {
  [ -z "$PG_URI" ] || bash scripts/pg-test.sh stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
export LABIMPACT_LOG=warn
N=${BENCH_N:-100}
M=${BENCH_M:-10}

echo "== SQLite"
db=$TMP/bench.db
"$BIN" init --db "$db" >/dev/null
"$BIN" demo --db "$db" --persons 0 --credentials "$TMP/creds" >/dev/null
python3 bench/monitoring/generate.py sqlite | sqlite3 "$db"
TIMEFORMAT='%R s'
echo "reference: raw sqlite3 SELECT count(*) FROM consultation (process included):"
time sqlite3 "$db" 'SELECT count(*) FROM consultation;'
node bench/monitoring/measure.mjs "$db" "$N" "$M"

if [ "${BENCH_PG:-1}" = 1 ]; then
  echo "== PostgreSQL"
  PG_URI=$(bash scripts/pg-test.sh start)
  "$BIN" init --db "$PG_URI" >/dev/null
  "$BIN" demo --db "$PG_URI" --persons 0 --credentials "$TMP/creds-pg" >/dev/null
  python3 bench/monitoring/generate.py pg | psql -q "$PG_URI" >/dev/null
  echo "reference: $(psql "$PG_URI" -c '\timing on' -c 'SELECT count(*) FROM consultation' | grep -i time)"
  node bench/monitoring/measure.mjs "$PG_URI" "$N" "$M"
fi

echo "== XLSX"
bash bench/monitoring/xlsx.sh "${BENCH_ROWS:-1000000}"

#!/usr/bin/env bash
# bench/desk/run.sh — the help desk at scale (issue 4, item 9): with 200,000
# persons and about 2,000,000 consultations, measures with wrk on loopback
#   search  GET /api/v1/persons?q=   (name search as you type; target p99 < 20 ms)
#   page    GET /desk/persons/{id}   (the person page; target < 10 ms)
#   api     GET /api/v1/persons/{id}
#   write   POST /api/v1/consultations (durable; target >= 1,000/s)
# as the operator of one district (about 22,000 persons in scope). Every
# request is audited in its own committed transaction, as in production.
#
#   bench/desk/run.sh sqlite [DBFILE]     generates DBFILE (if absent) with demo --persons
#   bench/desk/run.sh pg URI              a PostgreSQL database (generated if empty)
# Environment: BENCH_PERSONS [200000], BENCH_DURATION [15], BENCH_CONNS [16],
# BENCH_THREADS [2]. Raw wrk outputs go to build/bench/desk/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ENGINE=${1:?sqlite or pg}
DB=${2:-build/bench/desk/desk.db}
PERSONS=${BENCH_PERSONS:-200000}
DUR=${BENCH_DURATION:-15}
CONNS=${BENCH_CONNS:-16}
THREADS=${BENCH_THREADS:-2}
OUT=build/bench/desk
BIN=$ROOT/build/labimpact
mkdir -p "$OUT"
CREDS=$OUT/creds-$ENGINE.txt

if [ "$ENGINE" = sqlite ] && [ ! -e "$DB" ]; then
  "$BIN" init --db "$DB" >/dev/null
  ( time "$BIN" demo --db "$DB" --persons "$PERSONS" --seed 42 --credentials "$CREDS" ) > "$OUT/gen-$ENGINE.log" 2>&1
elif [ "$ENGINE" = pg ]; then
  "$BIN" init --db "$DB" >/dev/null
  if ! [ -s "$CREDS" ]; then
    ( time "$BIN" demo --db "$DB" --persons "$PERSONS" --seed 42 --credentials "$CREDS" ) > "$OUT/gen-$ENGINE.log" 2>&1
  fi
fi
[ -s "$CREDS" ] || { echo "bench: no credentials in $CREDS (generate the database with this script)" >&2; exit 1; }
PORT=$(( 30000 + RANDOM % 20000 ))
"$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT > "$OUT/serve-$ENGINE.log" 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
PASS=$(awk '$1 == "demo-operator" {print $4}' "$CREDS")
LOGIN=$(curl -s -c "$OUT/cookies" -H 'Content-Type: application/json' \
  -d "{\"username\":\"demo-operator\",\"password\":\"$PASS\"}" "http://127.0.0.1:$PORT/api/v1/session")
CSRF=$(printf '%s' "$LOGIN" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' | head -1)
SESSION=$(awk '$6 == "li_session" {print $7}' "$OUT/cookies")
# 2,000 person ids of the operator's district (cremona), from the API itself.
: > "$OUT/ids.txt"
CURSOR=""
for _ in $(seq 20); do
  PAGE=$(curl -s -H "Cookie: li_session=$SESSION" "http://127.0.0.1:$PORT/api/v1/persons?limit=100${CURSOR:+&cursor=$CURSOR}")
  printf '%s' "$PAGE" | grep -o '"id":[0-9]*,"org"' | sed 's/"id":\([0-9]*\),"org"/\1/' >> "$OUT/ids.txt"
  CURSOR=$(printf '%s' "$PAGE" | sed -n 's/.*"next_cursor":"\([0-9]*\)".*/\1/p')
  [ -n "$CURSOR" ] || break
done
H=(-H "Cookie: li_session=$SESSION" -H "X-CSRF-Token: $CSRF")
run() { # name script extra-env...
  local name=$1 script=$2; shift 2
  env "$@" IDS="$OUT/ids.txt" wrk -t"$THREADS" -c"$CONNS" -d"${DUR}s" --latency "${H[@]}" -s "bench/desk/$script" \
    "http://127.0.0.1:$PORT" > "$OUT/$ENGINE-$name.txt" 2>&1
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$ENGINE-$name.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$OUT/$ENGINE-$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/$ENGINE-$name.txt")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/$ENGINE-$name.txt")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$ENGINE" "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}
echo "| engine | scenario | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
run search search.lua
run page page.lua
run api page.lua PAGE_API=1
run write write.lua

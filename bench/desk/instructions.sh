#!/usr/bin/env bash
# bench/desk/instructions.sh — the help desk's cost per request in CPU
# instructions, counted by valgrind's callgrind: unlike req/s and latency it
# does not move when other work shares the machine, so two builds can be
# compared on a busy machine. For each scenario (search, person page, person
# API, durable write) it zeroes the counters, sends N requests one after the
# other with curl, and divides the server's instructions (all threads) by N.
#
#   bench/desk/instructions.sh BIN DB CREDS [N]
#     BIN    a labimpact binary (run from the checkout it was built in)
#     DB     a SQLite database made by bench/desk/run.sh (demo --persons ...)
#     CREDS  its demo credentials file (demo-operator's password)
#     N      requests per scenario [200]
# Prints a markdown table. Listens on 127.0.0.1 only; stops what it starts.
set -euo pipefail
BIN=${1:?binary}; DB=${2:?database}; CREDS=${3:?credentials}; N=${4:-200}
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null || { echo "needs valgrind" >&2; exit 1; }
TMP=$(mktemp -d /tmp/labimpact-instr.XXXXXX)
PORT=$(( 30000 + RANDOM % 20000 ))
BASE=http://127.0.0.1:$PORT
LABIMPACT_LOG=warn valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.%p" \
  "$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT > "$TMP/serve.log" 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
PASS=$(awk '$1 == "demo-operator" {print $4}' "$CREDS")
LOGIN=$(curl -s -c "$TMP/cookies" -H 'Content-Type: application/json' \
  -d "{\"username\":\"demo-operator\",\"password\":\"$PASS\"}" "$BASE/api/v1/session")
CSRF=$(printf '%s' "$LOGIN" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' | head -1)
H=(-s -o /dev/null -b "$TMP/cookies" -H "X-CSRF-Token: $CSRF")
curl -s -b "$TMP/cookies" "$BASE/api/v1/persons?limit=100" | grep -o '"id":[0-9]*,"org"' |
  sed 's/"id":\([0-9]*\),"org"/\1/' > "$TMP/ids"
mapfile -t IDS < "$TMP/ids"
NAMES=(moh mohamed muhammad ahmed fatima hoxha wang diallo santos okafor)

# Sends request i of scenario $1.
one() {
  local id=${IDS[$(( $2 % ${#IDS[@]} ))]}
  case $1 in
    search) curl "${H[@]}" "$BASE/api/v1/persons?limit=20&q=${NAMES[$(( $2 % ${#NAMES[@]} ))]}" ;;
    page) curl "${H[@]}" "$BASE/desk/persons/$id" ;;
    api) curl "${H[@]}" "$BASE/api/v1/persons/$id" ;;
    write) curl "${H[@]}" -H 'Content-Type: application/json' \
      -d "{\"person_id\":$id,\"topics\":[\"work\"],\"channel\":\"in_person\",\"outcome\":\"informed\"}" \
      "$BASE/api/v1/consultations" ;;
  esac
}

# Instructions of the last dump (callgrind's "summary:" line).
last_total() { ls -t "$TMP"/cg.* | head -1 | xargs grep -h '^summary:' | awk '{print $2}'; }

echo "| scenario | requests | instructions per request |"
echo "|---|---:|---:|"
for s in search page api write; do
  for i in $(seq 10); do one "$s" "$i"; done   # warm the caches
  callgrind_control -z "$SRV" >/dev/null 2>&1
  for i in $(seq "$N"); do one "$s" "$i"; done
  callgrind_control -d "$SRV" >/dev/null 2>&1
  sleep 0.5
  printf '| %s | %d | %d |\n' "$s" "$N" $(( $(last_total) / N ))
done

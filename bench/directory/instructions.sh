#!/usr/bin/env bash
# bench/directory/instructions.sh — the HSDS search's cost per request in CPU
# instructions, counted by valgrind's callgrind (as bench/desk/instructions.sh
# does): unlike latency it does not move when other work shares the machine.
# For each scenario it zeroes the counters, sends N requests one after the
# other with curl and divides the server's instructions (all threads) by N;
# /healthz is the reference (the cost of the HTTP round trip itself).
#
#   bench/directory/instructions.sh BIN DB [N]
#     BIN  a labimpact binary (run from the checkout it was built in)
#     DB   a database with the bench services (bench/directory/run.sh keeps
#          none; make one as it does: init, demo, gen.mjs)
#     N    requests per scenario [100]
# Prints a markdown table. Listens on 127.0.0.1 only; stops what it starts.
set -euo pipefail
BIN=${1:?binary}; DB=${2:?database}; N=${3:-100}
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null || { echo "needs valgrind" >&2; exit 1; }
TMP=$(mktemp -d /tmp/labimpact-dir-instr.XXXXXX)
PORT=$(( 30000 + RANDOM % 20000 ))
BASE=http://127.0.0.1:$PORT
LABIMPACT_LOG=warn valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.%p" \
  "$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT > "$TMP/serve.log" 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
declare -A URL=(
  [healthz]="/healthz"
  [search_one_word]="/hsds/services?search=mediazione"
  [search_two_words]="/hsds/services?search=italiano%20cremona"
  [search_none_found]="/hsds/services?search=zzzz"
  [page_50]="/hsds/services?search=doposcuola&per_page=50"
  [no_search]="/hsds/services"
)
last_total() { ls -t "$TMP"/cg.* | head -1 | xargs grep -h '^summary:' | awk '{print $2}'; }
echo "| scenario | requests | instructions per request |"
echo "|---|---:|---:|"
for s in healthz search_one_word search_two_words search_none_found page_50 no_search; do
  for i in $(seq 5); do curl -s -o /dev/null "$BASE${URL[$s]}"; done
  callgrind_control -z "$SRV" >/dev/null 2>&1
  for i in $(seq "$N"); do curl -s -o /dev/null "$BASE${URL[$s]}"; done
  callgrind_control -d "$SRV" >/dev/null 2>&1
  sleep 0.5
  printf '| %s | %d | %d |\n' "$s" "$N" $(( $(last_total) / N ))
done

#!/usr/bin/env bash
# bench/info/run.sh — a public material page in Arabic (/info/{id}?lang=ar,
# rendered from the database: the published translation, Markdown, the
# attachments, right to left) beside nginx serving the very same bytes as a
# static file (issue 11, item 11: >= 80 % of nginx's req/s), on SQLite.
#
# A fresh database (init + demo network), `labimpact serve` and nginx on free
# loopback ports, the page fetched once from labimpact and given to nginx,
# `cmp` that both answer the same bytes, then wrk on each in turn. Builds
# nothing (make has built build/labimpact). Prints a markdown table.
# Environment: BENCH_DURATION [10] seconds, BENCH_THREADS [2], BENCH_CONNS [64],
# BENCH_WARMUP [2], BENCH_RUNS [3] (alternating labimpact / nginx each run).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$ROOT/build/labimpact
DURATION=${BENCH_DURATION:-10}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNS:-64}
WARMUP=${BENCH_WARMUP:-2}
RUNS=${BENCH_RUNS:-3}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
TARGET=80
[ -x "$BIN" ] || { echo "build/labimpact missing" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "nginx missing" >&2; exit 1; }
TMP=$(mktemp -d /tmp/labimpact-bench-info.XXXXXX)
LI_PID=
NG_PID=
cleanup() {
  for p in $LI_PID $NG_PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  case "$TMP" in /tmp/labimpact-bench-info.*) rm -rf "$TMP" ;; esac
}
trap cleanup EXIT
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_http() { for _ in $(seq 100); do curl -fsS -m 2 -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

"$BIN" init --db "$TMP/bench.sqlite" >/dev/null 2>&1
"$BIN" demo --db "$TMP/bench.sqlite" --persons 0 --credentials "$TMP/creds" >/dev/null 2>&1
# The demo's first material with a published Arabic translation.
ID=$(sqlite3 "$TMP/bench.sqlite" "SELECT material_id FROM info_translation WHERE lang = 'ar' AND status = 'published' ORDER BY material_id LIMIT 1")
LI_PORT=$(free_port)
LABIMPACT_LOG=warn LABIMPACT_DOCUMENTS="$TMP/docs" "$BIN" serve --db "$TMP/bench.sqlite" --listen "127.0.0.1:$LI_PORT" 2>"$TMP/serve.log" &
LI_PID=$!
URL="http://127.0.0.1:$LI_PORT/info/$ID?lang=ar"
wait_http "http://127.0.0.1:$LI_PORT/healthz" || { cat "$TMP/serve.log" >&2; exit 1; }
mkdir -p "$TMP/www" "$TMP/nginx"
curl -fsS -o "$TMP/www/index.html" "$URL"
grep -q 'dir="rtl"' "$TMP/www/index.html" || { echo "the page is not the Arabic one" >&2; exit 1; }
BYTES=$(stat -c %s "$TMP/www/index.html")
chmod 755 "$TMP" "$TMP/www"; chmod 644 "$TMP/www/index.html"
NG_PORT=$(free_port)
cat >"$TMP/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; }
  default_type text/html;
  charset utf-8;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  open_file_cache max=16 inactive=60s; open_file_cache_valid 60s;
  keepalive_requests 100000; keepalive_timeout 60s;
  client_body_temp_path $TMP/nginx/body; proxy_temp_path $TMP/nginx/proxy; fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi; scgi_temp_path $TMP/nginx/scgi;
  server { listen 127.0.0.1:$NG_PORT; root $TMP/www; index index.html; add_header Cache-Control "no-cache"; }
}
CONF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" >/dev/null 2>&1 &
NG_PID=$!
wait_http "http://127.0.0.1:$NG_PORT/" || { cat "$TMP/nginx/error.log" >&2; exit 1; }
# The same bytes from both (labimpact's page from its cache, as wrk will get it).
cmp -s "$TMP/www/index.html" <(curl -fsS "$URL") || { echo "labimpact's page changed between two requests" >&2; exit 1; }
cmp -s "$TMP/www/index.html" <(curl -fsS "http://127.0.0.1:$NG_PORT/") || { echo "nginx serves other bytes" >&2; exit 1; }

# wrk NAME URL -> "rps p50 p99 errors"
measure() {
  [ "$WARMUP" -gt 0 ] && wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "$2" >/dev/null 2>&1 || true
  sleep 1
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency "$2" >"$TMP/$1.txt" 2>&1
  awk '/^Requests\/sec:/ {r = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
       /Non-2xx or 3xx responses:/ {e += $NF} /Socket errors:/ {gsub(/,/, ""); e += $4 + $6 + $8 + $10}
       END {printf "%.0f %s %s %d\n", r, p50, p99, e}' "$TMP/$1.txt"
}
echo "Arabic material page /info/$ID?lang=ar: $BYTES bytes; wrk -t$THREADS -c$CONNS -d${DURATION}s; $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)"
echo
echo "| run | labimpact req/s | p50 | p99 | nginx req/s | p50 | p99 | labimpact vs nginx | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for r in $(seq "$RUNS"); do
  read -r LR LP50 LP99 LE < <(measure "li-$r" "$URL")
  read -r NR NP50 NP99 NE < <(measure "ng-$r" "http://127.0.0.1:$NG_PORT/")
  RATIO=$(( NR > 0 ? 100 * LR / NR : 0 ))
  echo "| $r | $LR | $LP50 | $LP99 | $NR | $NP50 | $NP99 | $RATIO % | $((LE + NE)) |"
done
echo
echo "Target: labimpact >= $TARGET % of nginx's req/s."

#!/usr/bin/env bash
# bench/run.sh — what `make bench` runs.
#
# Drives labimpact with wrk on loopback and compares its public home page with nginx
# serving the very same rendered page as a static file:
#
#   sqlite  labimpact /healthz   (HTTP pipeline + SELECT 1)
#   sqlite  labimpact /          (public home page, rendered from the database, 10 s cache)
#   nginx   /                    (the same page, rendered once, as a static file)
#   pg      labimpact /healthz   (the same two against PostgreSQL 15)
#   pg      labimpact /
#
# Builds nothing (make has built build/labimpact). Everything it starts lives in a temp
# folder, listens on 127.0.0.1 only and is stopped on exit. Raw wrk outputs go to
# build/bench/; a markdown table goes to stdout (and build/bench/results.md).
#
# Environment (defaults in brackets):
#   BENCH_DURATION  seconds per wrk run [15]      BENCH_THREADS  wrk threads [2]
#   BENCH_CONNS     wrk connections [64]          BENCH_WARMUP   warm-up seconds [2]
#   BENCH_PG        1 = also PostgreSQL, 0 = skip [1]
#   BENCH_OUT       folder for raw outputs [build/bench]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${BENCH_DURATION:-15}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNS:-64}
WARMUP=${BENCH_WARMUP:-2}
WANT_PG=${BENCH_PG:-1}
OUT=${BENCH_OUT:-build/bench}
BIN=$ROOT/build/labimpact
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}

# Targets from issue 2, item 10.
TARGET_RATIO=60   # home page req/s >= 60 % of nginx's
TARGET_P99_MS=20  # p99 < 20 ms at 64 connections

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

[ -x "$BIN" ] || die "build/labimpact missing (make build/labimpact)"
command -v wrk >/dev/null || die "wrk missing (apt-get install wrk)"
[ -x "$NGINX" ] || die "nginx missing (apt-get install nginx-light)"
command -v curl >/dev/null || die "curl missing"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TMP=$(mktemp -d /tmp/labimpact-bench.XXXXXX)
LI_PID=
NGINX_PID=
PG_SCRIPT=

# ---------------------------------------------------------------- clean-up
stop_pid() { # pid [seconds]: SIGTERM, wait, then SIGKILL; only the pid we started
  local pid=$1 secs=${2:-15}
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((secs * 10))); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$LI_PID"
  stop_pid "$NGINX_PID"
  if [ -n "$PG_SCRIPT" ]; then bash "$PG_SCRIPT" stop >/dev/null 2>&1 || true; fi
  if [ -n "${OWN_PGDIR:-}" ] && [ -d "$OWN_PGDIR/data" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$OWN_PGDIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  case "$TMP" in /tmp/labimpact-bench.*) rm -rf "$TMP" ;; esac
  case "${OWN_PGDIR:-}" in /tmp/labimpact-bench-pg.*) rm -rf "$OWN_PGDIR" ;; esac
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "bench: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# ---------------------------------------------------------------- helpers
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 30000))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  die "no free port"
}

# wait_http URL SECONDS PID: until URL answers 200, or the process dies.
wait_http() {
  local url=$1 secs=$2 pid=$3
  for _ in $(seq 1 $((secs * 10))); do
    kill -0 "$pid" 2>/dev/null || return 1
    if curl -fsS -m 2 -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# start_labimpact DB LOG: starts `labimpact serve` on a free port; sets LI_PID, LI_PORT.
start_labimpact() {
  local db=$1 log=$2
  for _ in 1 2 3; do
    LI_PORT=$(free_port)
    LABIMPACT_LOG=warn "$BIN" serve --db "$db" --listen "127.0.0.1:$LI_PORT" >>"$log" 2>&1 &
    LI_PID=$!
    if wait_http "http://127.0.0.1:$LI_PORT/healthz" 20 "$LI_PID"; then return 0; fi
    stop_pid "$LI_PID"; LI_PID=
  done
  tail -n 20 "$log" >&2
  die "labimpact did not start"
}

# Waits (10 s at most) until the server behind URL holds no open connection.
wait_conns_closed() {
  local port=${1#http://127.0.0.1:}
  port=${port%%/*}
  command -v ss >/dev/null || { sleep 2; return 0; }
  for _ in $(seq 1 100); do
    [ "$(ss -Htn state established state close-wait "( sport = :$port )" | wc -l)" -eq 0 ] && return 0
    sleep 0.1
  done
  say "warning: connections to port $port still open after 10 s"
}

# CPU time (user + system, clock ticks) of a process and its children (nginx workers).
cpu_ticks() {
  local pid=$1 total=0 p
  for p in $pid $(ps -o pid= --ppid "$pid" 2>/dev/null); do
    # fields after the ")" of the command name: utime is the 12th, stime the 13th
    total=$((total + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

# run_wrk NAME URL PID: a short warm-up, then the measured run into $OUT/NAME.txt, and
# the CPU time PID (and its children) spent during it into $OUT/NAME.cpu (in ticks).
run_wrk() {
  local name=$1 url=$2 pid=$3 db_pid=${4:-} t0 d0=0
  if [ "$WARMUP" -gt 0 ]; then
    timeout $((WARMUP + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "$url" >/dev/null 2>&1 || true
  fi
  # Let the server reap the warm-up's connections first: labimpact allows 64 connections
  # per IP (MHD closes any beyond at once), and wrk counts those as read errors.
  wait_conns_closed "$url"
  say "wrk $name: $url (${DURATION}s, $THREADS threads, $CONNS connections)"
  t0=$(cpu_ticks "$pid")
  [ -z "$db_pid" ] || d0=$(cpu_ticks "$db_pid")
  timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency "$url" \
    >"$OUT/$name.txt" 2>&1 || die "wrk $name failed: $(tail -n 3 "$OUT/$name.txt")"
  echo $(( $(cpu_ticks "$pid") - t0 )) >"$OUT/$name.cpu"
  [ -z "$db_pid" ] || echo $(( $(cpu_ticks "$db_pid") - d0 )) >"$OUT/$name.dbcpu"
}

# wrk latency "1.23ms" / "850.00us" / "1.02s" -> milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}
# field NAME what: rps | p50 | p99 | errors | requests | cpu_us | dbcpu_us
field() {
  local f=$OUT/$1.txt
  case $2 in
    rps) awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$f" ;;
    p50) to_ms "$(awk '$1 == "50%" {print $2}' "$f")" ;;
    p99) to_ms "$(awk '$1 == "99%" {print $2}' "$f")" ;;
    errors) # non-2xx/3xx responses plus socket errors (connect, read, write, timeout)
      awk '/Non-2xx or 3xx responses:/ {n += $NF}
           /Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
           END {print n + 0}' "$f" ;;
    requests) awk '/requests in/ {print $1}' "$f" ;;
    cpu_us|dbcpu_us) # server (or PostgreSQL) CPU time per request, microseconds
      local ext=${2%_us}
      [ -f "$OUT/$1.$ext" ] || return 0
      awk -v t="$(cat "$OUT/$1.$ext")" -v hz="$(getconf CLK_TCK)" \
        '/requests in/ {printf "%.1f", ($1 > 0) ? t / hz * 1e6 / $1 : 0}' "$f" ;;
  esac
}

rss_of() { # pid -> "VmHWM VmRSS" in MiB
  awk '/^VmHWM:/ {h = $2} /^VmRSS:/ {r = $2} END {printf "%.1f %.1f\n", h / 1024, r / 1024}' \
    "/proc/$1/status"
}

# ---------------------------------------------------------------- SQLite + nginx
say "temp folder $TMP; raw outputs in $OUT"
BIN_DATE=$(date -u -r "$BIN" '+%H:%M UTC')
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src migrations templates 2>/dev/null || COMMIT="$COMMIT (+ uncommitted changes in the tree)"
# wrk, the server and nginx share the machine's CPUs: anything else running skews the
# numbers, so the idle share of the CPUs just before the runs is printed with them (the
# load average would still count a previous bench run for minutes).
cpu_idle() { # idle % of all CPUs over $1 seconds
  local a b
  a=$(awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
  sleep "$1"
  b=$(awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
  echo "$a $b" | awk '{ printf "%.0f", ($4 > $2) ? 100 * ($3 - $1) / ($4 - $2) : 100 }'
}
IDLE_BEFORE=$(cpu_idle 3)
[ "$IDLE_BEFORE" -ge 90 ] \
  || say "warning: CPUs only $IDLE_BEFORE % idle before the runs — other work is running; numbers will be noisy"
for f in sqlite-healthz sqlite-home nginx-home pg-healthz pg-home pg-init pg-demo; do rm -f "$OUT/$f".{txt,cpu,dbcpu,log}; done
rm -f "$OUT/results.md"
timeout 120 "$BIN" init --db "$TMP/bench.sqlite" >"$TMP/init.log" 2>&1 || { cat "$TMP/init.log" >&2; die "init failed"; }
timeout 300 "$BIN" demo --db "$TMP/bench.sqlite" --persons 0 --credentials "$TMP/credentials.txt" >"$TMP/demo.log" 2>&1 \
  || { cat "$TMP/demo.log" >&2; die "demo failed"; }

start_labimpact "$TMP/bench.sqlite" "$TMP/labimpact-sqlite.log"
say "labimpact (SQLite) pid $LI_PID on 127.0.0.1:$LI_PORT"

# The page nginx serves: the home page exactly as wrk gets it (no Accept-Language).
mkdir -p "$TMP/www" "$TMP/nginx"
curl -fsS -m 10 -o "$TMP/www/index.html" "http://127.0.0.1:$LI_PORT/" || die "cannot render the home page"
PAGE_BYTES=$(stat -c %s "$TMP/www/index.html")
grep -q '</html>' "$TMP/www/index.html" || die "the home page looks truncated"
# nginx workers run as nobody when we are root: let them read the page.
chmod 755 "$TMP" "$TMP/www"; chmod 644 "$TMP/www/index.html"

start_nginx() {
  local conf=$TMP/nginx/nginx.conf
  for _ in 1 2 3; do
    NGINX_PORT=$(free_port)
    cat >"$conf" <<EOF
# temporary: bench/run.sh
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
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  open_file_cache max=16 inactive=60s;
  open_file_cache_valid 60s;
  keepalive_requests 100000;
  keepalive_timeout 60s;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $TMP/www;
    index index.html;
    add_header Cache-Control "no-cache";
  }
}
EOF
    "$NGINX" -p "$TMP/nginx" -c "$conf" -e "$TMP/nginx/error.log" >>"$TMP/nginx/stdout.log" 2>&1 &
    NGINX_PID=$!
    if wait_http "http://127.0.0.1:$NGINX_PORT/" 10 "$NGINX_PID"; then return 0; fi
    stop_pid "$NGINX_PID"; NGINX_PID=
  done
  tail -n 20 "$TMP/nginx/error.log" >&2 || true
  die "nginx did not start"
}
start_nginx
say "nginx pid $NGINX_PID on 127.0.0.1:$NGINX_PORT serving $PAGE_BYTES bytes"
cmp -s "$TMP/www/index.html" <(curl -fsS -m 10 "http://127.0.0.1:$NGINX_PORT/") \
  || die "nginx does not serve the rendered page"

run_wrk sqlite-healthz "http://127.0.0.1:$LI_PORT/healthz" "$LI_PID"
run_wrk sqlite-home "http://127.0.0.1:$LI_PORT/" "$LI_PID"
read -r SQLITE_HWM SQLITE_RSS < <(rss_of "$LI_PID")
run_wrk nginx-home "http://127.0.0.1:$NGINX_PORT/" "$NGINX_PID"
stop_pid "$LI_PID"; LI_PID=
stop_pid "$NGINX_PID"; NGINX_PID=

# ---------------------------------------------------------------- PostgreSQL
PG_DONE=0
PG_FAILED=
if [ "$WANT_PG" = 1 ]; then
  PG_URI=
  if [ -f scripts/pg-test.sh ] && [ -x "$PGBIN/initdb" ]; then
    # A private copy of pg-test.sh keeps its state file (build/pg/state, relative to the
    # script) in our temp folder: no clash with a test suite using its own instance.
    mkdir -p "$TMP/pgt/scripts"
    cp scripts/pg-test.sh "$TMP/pgt/scripts/pg-test.sh"
    PG_SCRIPT=$TMP/pgt/scripts/pg-test.sh
    PG_URI=$(timeout 120 bash "$PG_SCRIPT" start) || { PG_FAILED="scripts/pg-test.sh start failed"; PG_URI=; }
  elif [ -x "$PGBIN/initdb" ]; then
    OWN_PGDIR=$(mktemp -d /tmp/labimpact-bench-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$OWN_PGDIR"
    chmod 700 "$OWN_PGDIR"
    as_pg "$PGBIN/initdb" -D "$OWN_PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      >"$TMP/initdb.log" 2>&1 || { cat "$TMP/initdb.log" >&2; die "initdb failed"; }
    PGPORT=$(free_port)
    as_pg "$PGBIN/pg_ctl" -D "$OWN_PGDIR/data" -l "$OWN_PGDIR/log" -w -t 30 \
      -o "-p $PGPORT -k $OWN_PGDIR -c listen_addresses=127.0.0.1" start >/dev/null
    as_pg "$PGBIN/psql" -X -q -h "$OWN_PGDIR" -p "$PGPORT" -U postgres -d postgres \
      -c "CREATE DATABASE labimpact" >/dev/null
    PG_URI="postgresql://postgres@127.0.0.1:$PGPORT/labimpact"
  else
    PG_FAILED="PostgreSQL 15 not found in $PGBIN"
  fi
  if [ -n "$PG_URI" ]; then
    say "PostgreSQL at $PG_URI"
    # A failure here is reported in the table (and the exit status), not fatal: the
    # SQLite and nginx numbers are still worth printing.
    if ! timeout 120 "$BIN" init --db "$PG_URI" >"$TMP/pg-init.log" 2>&1; then
      cp "$TMP/pg-init.log" "$OUT/pg-init.log"; sed 's/^/  /' "$TMP/pg-init.log" >&2
      PG_FAILED="labimpact init failed on PostgreSQL: $(grep -m1 -o 'exec failed.*' "$TMP/pg-init.log" || tail -n 1 "$TMP/pg-init.log")"
    elif ! timeout 300 "$BIN" demo --db "$PG_URI" --persons 0 --credentials "$TMP/pg-credentials.txt" >"$TMP/pg-demo.log" 2>&1; then
      cp "$TMP/pg-demo.log" "$OUT/pg-demo.log"; sed 's/^/  /' "$TMP/pg-demo.log" >&2
      PG_FAILED="labimpact demo failed on PostgreSQL: $(tail -n 1 "$TMP/pg-demo.log")"
    fi
  else
    PG_FAILED=${PG_FAILED:-"no PostgreSQL instance"}
  fi
  if [ -n "$PG_URI" ] && [ -z "$PG_FAILED" ]; then
    start_labimpact "$PG_URI" "$TMP/labimpact-pg.log"
    say "labimpact (PostgreSQL) pid $LI_PID on 127.0.0.1:$LI_PORT"
    # The postmaster (its backends are its children), for the CPU PostgreSQL spends.
    PG_DATA=${OWN_PGDIR:+$OWN_PGDIR/data}
    if [ -z "$PG_DATA" ] && [ -f "$TMP/pgt/build/pg/state" ]; then
      PG_DATA=$(. "$TMP/pgt/build/pg/state" && echo "$PGDIR/data")
    fi
    PG_PID=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
    run_wrk pg-healthz "http://127.0.0.1:$LI_PORT/healthz" "$LI_PID" "$PG_PID"
    run_wrk pg-home "http://127.0.0.1:$LI_PORT/" "$LI_PID" "$PG_PID"
    read -r PG_HWM PG_RSS < <(rss_of "$LI_PID")
    stop_pid "$LI_PID"; LI_PID=
    PG_DONE=1
  fi
fi

# ---------------------------------------------------------------- report
NGINX_RPS=$(field nginx-home rps)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b > 0) ? 100 * a / b : 0 }'; }
verdict() { # home_rps p99_ms -> "met" / "MISSED (...)"
  local r p; r=$(ratio "$1" "$NGINX_RPS"); p=$2
  awk -v r="$r" -v p="$p" -v tr="$TARGET_RATIO" -v tp="$TARGET_P99_MS" 'BEGIN {
    m = ""
    if (r + 0 < tr) m = m sprintf("ratio %d%% < %d%%", r, tr)
    if (p + 0 >= tp) m = m (m == "" ? "" : ", ") sprintf("p99 %.2f ms >= %d ms", p, tp)
    print (m == "" ? "met" : "MISSED (" m ")") }'
}
row() { # label name [hwm rss]
  local rps p50 p99 err rel mem cpu dbcpu
  rps=$(field "$2" rps); p50=$(field "$2" p50); p99=$(field "$2" p99); err=$(field "$2" errors)
  cpu=$(field "$2" cpu_us)
  dbcpu=$(field "$2" dbcpu_us)
  [ -z "$dbcpu" ] || cpu="$cpu + $dbcpu (postgres)"
  case $2 in *-home) rel="$(ratio "$rps" "$NGINX_RPS") %" ;; *) rel="" ;; esac
  [ "$2" = nginx-home ] && rel="100 %"
  mem=${3:+$3 / $4}
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "$rel" "$cpu" "$err" "${mem:-}"
}
{
  echo "$(date -u '+%Y-%m-%d %H:%M UTC') — wrk -t$THREADS -c$CONNS -d${DURATION}s --latency, loopback; home page $PAGE_BYTES bytes; $(nproc) CPUs, $IDLE_BEFORE % idle before the runs"
  echo
  echo "Binary: build/labimpact built $BIN_DATE from commit $COMMIT."
  echo
  echo "| scenario | req/s | p50 ms | p99 ms | vs nginx | server CPU µs/req | errors | labimpact RSS MiB (peak / after) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  row "SQLite: labimpact /healthz" sqlite-healthz
  row "SQLite: labimpact / (home)" sqlite-home "$SQLITE_HWM" "$SQLITE_RSS"
  row "nginx: same page, static file" nginx-home
  if [ "$PG_DONE" = 1 ]; then
    row "PostgreSQL: labimpact /healthz" pg-healthz
    row "PostgreSQL: labimpact / (home)" pg-home "$PG_HWM" "$PG_RSS"
  fi
  echo
  echo "Targets: home page >= ${TARGET_RATIO} % of nginx's req/s, p99 < ${TARGET_P99_MS} ms at $CONNS connections."
  echo "- SQLite: $(verdict "$(field sqlite-home rps)" "$(field sqlite-home p99)")"
  if [ "$PG_DONE" = 1 ]; then
    echo "- PostgreSQL: $(verdict "$(field pg-home rps)" "$(field pg-home p99)")"
  elif [ "$WANT_PG" = 1 ]; then
    echo "- PostgreSQL: NOT MEASURED — $PG_FAILED"
  fi
} | tee "$OUT/results.md"
# A PostgreSQL run that was asked for and could not happen is a failure.
[ "$WANT_PG" != 1 ] || [ "$PG_DONE" = 1 ] || exit 1

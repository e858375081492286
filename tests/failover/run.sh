#!/usr/bin/env bash
# run.sh — failover test: PostgreSQL 15 primary + synchronous standby on two
# loopback ports, `labimpact serve` on the multi-host URI
#   postgresql://127.0.0.1:P1,127.0.0.1:P2/labimpact?target_session_attrs=read-write
# and a client (client.mjs) creating organisations through the HTTP API. The
# primary is stopped with `pg_ctl stop -m immediate`, the standby promoted,
# and the test checks that
#   - every write labimpact acknowledged (201) is on the new primary,
#   - writes resume through the same labimpact process (never restarted),
#   - the answers in the gap are 503 "unavailable" with Retry-After (DB_ECONN),
#     never another error.
# Prints "ok - ..." / "not ok - ..." lines and, last, "N passed, M failed".
#
# It must stop everything it started (by PID or data folder, never by name),
# bound every wait in time, and never touch another PostgreSQL.
# Run as root (PostgreSQL runs as the postgres user) or as a normal user.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
BIN=${LABIMPACT_BIN:-build/labimpact}
HERE=tests/failover
PASSWORD="Failover-Probe-$RANDOM-$RANDOM-Pw!"
PASSED=0
FAILED=0
WORK=""
SERVE_PID=""
CLIENT_PID=""

say() { echo "failover: $*"; }
die() {
  echo "failover: setup failed: $*"
  [ -n "$WORK" ] && [ -f "$WORK/serve.log" ] && tail -n 20 "$WORK/serve.log"
  echo "0 passed, 1 failed"
  exit 1
}
check() { # check NAME CONDITION-EXIT-STATUS
  if [ "$2" -eq 0 ]; then PASSED=$((PASSED + 1)); echo "ok - $1"; else FAILED=$((FAILED + 1)); echo "not ok - $1"; fi
}

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_running() { [ -f "$1/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }
psql_at() { # psql_at PORT SQL
  as_pg "$PGBIN/psql" -X -q -t -A -h 127.0.0.1 -p "$1" -U postgres -d labimpact -c "$2" 2>/dev/null
}
now_ms() { date +%s%3N; }

# Waits up to $1 seconds for command "$2..." to succeed.
wait_for() {
  local limit=$1
  shift
  local end=$((SECONDS + limit))
  until "$@"; do
    [ "$SECONDS" -ge "$end" ] && return 1
    sleep 0.2
  done
}

cleanup() {
  [ -n "$CLIENT_PID" ] && kill "$CLIENT_PID" 2>/dev/null
  if [ -n "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2>/dev/null; then
    kill -TERM "$SERVE_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVE_PID" 2>/dev/null
  fi
  if [ -n "$WORK" ]; then
    for d in "$WORK/primary" "$WORK/standby"; do
      pg_running "$d" && as_pg "$PGBIN/pg_ctl" -D "$d" -m immediate -w -t 20 stop >/dev/null 2>&1
    done
    case "$WORK" in /tmp/labimpact-failover.*) rm -rf "$WORK" ;; esac
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Sets variable $1 to a free loopback port not handed out before (no subshell,
# so the ports already chosen are remembered).
USED_PORTS=" "
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 30000))
    if port_free "$p" && [[ "$USED_PORTS" != *" $p "* ]]; then
      USED_PORTS="$USED_PORTS$p "
      printf -v "$1" '%s' "$p"
      return 0
    fi
  done
  return 1
}

# ---- set-up ------------------------------------------------------------------

[ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 not found in $PGBIN"
command -v node >/dev/null || die "node not found"
if [ -z "${LABIMPACT_BIN:-}" ]; then
  make -s build/labimpact >/dev/null || die "cannot build build/labimpact"
fi
[ -x "$BIN" ] || die "$BIN missing"

WORK=$(mktemp -d /tmp/labimpact-failover.XXXXXX)
chmod 700 "$WORK"
[ "$(id -u)" -eq 0 ] && chown postgres: "$WORK"
if ! { free_port P1 && free_port P2 && free_port P3; }; then die "no free ports"; fi
say "primary :$P1, standby :$P2, labimpact :$P3, work folder $WORK"

as_pg "$PGBIN/initdb" -D "$WORK/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  >"$WORK/initdb.log" 2>&1 || die "initdb failed"
cat >>"$WORK/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $P1
unix_socket_directories = '$WORK'
fsync = on
synchronous_commit = on
wal_level = replica
max_wal_senders = 5
wal_keep_size = '64MB'
log_min_messages = warning
EOF
as_pg "$PGBIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w -t 30 start >/dev/null ||
  die "primary did not start"
psql_at "$P1" "SELECT 1" >/dev/null || true
as_pg "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$P1" -U postgres -d postgres -c "CREATE DATABASE labimpact" ||
  die "cannot create the database"

# Schema, the demo network and an admin, on the primary alone (fast, no standby yet).
DIRECT="postgresql://postgres@127.0.0.1:$P1/labimpact"
"$BIN" init --db "$DIRECT" >"$WORK/init.log" 2>&1 || die "labimpact init failed: $(tail -n 3 "$WORK/init.log")"
"$BIN" demo --db "$DIRECT" --persons 0 --credentials "$WORK/demo-credentials.txt" >"$WORK/demo.log" 2>&1 ||
  die "labimpact demo failed: $(tail -n 3 "$WORK/demo.log")"
echo "$PASSWORD" | "$BIN" user add --db "$DIRECT" --username failover-admin --role admin --org lombardia \
  --password-stdin >"$WORK/user.log" 2>&1 || die "labimpact user add failed: $(tail -n 3 "$WORK/user.log")"

# The standby: a base backup with -R (standby.signal + primary_conninfo).
as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$P1" -U postgres -D "$WORK/standby" -R -X stream \
  --checkpoint=fast >"$WORK/basebackup.log" 2>&1 || die "pg_basebackup failed"
cat >>"$WORK/standby/postgresql.conf" <<EOF
port = $P2
hot_standby = on
# Once promoted it runs alone: it must not wait for a synchronous standby of its own.
synchronous_standby_names = ''
EOF
as_pg "$PGBIN/pg_ctl" -D "$WORK/standby" -l "$WORK/standby.log" -w -t 30 start >/dev/null ||
  die "standby did not start"
if ! { psql_at "$P1" "ALTER SYSTEM SET synchronous_standby_names = '*'" >/dev/null &&
  psql_at "$P1" "SELECT pg_reload_conf()" >/dev/null; }; then
  die "cannot make replication synchronous"
fi
is_sync() { [ "$(psql_at "$P1" "SELECT sync_state FROM pg_stat_replication LIMIT 1")" = "sync" ]; }
wait_for 20 is_sync || die "the standby did not become synchronous"
say "standby attached, synchronous"

MULTI="postgresql://postgres@127.0.0.1:$P1,127.0.0.1:$P2/labimpact?target_session_attrs=read-write&connect_timeout=2"
setsid "$BIN" serve --db "$MULTI" --listen "127.0.0.1:$P3" >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
# GET /healthz with node (curl is not among the dependencies); prints the body.
healthz() {
  node -e 'fetch(process.argv[1], {signal: AbortSignal.timeout(3000)})
    .then(async (r) => { console.log(await r.text()); process.exit(r.ok ? 0 : 1); })
    .catch(() => process.exit(1));' "http://127.0.0.1:$P3/healthz"
}
healthy() { healthz >/dev/null 2>&1; }
wait_for 20 healthy || die "labimpact serve did not answer /healthz"

LOG="$WORK/client.log"
: >"$LOG"
FAILOVER_PASSWORD="$PASSWORD" node "$HERE/client.mjs" "http://127.0.0.1:$P3" failover-admin "$LOG" \
  "$WORK/stop" 50 2>"$WORK/client.err" &
CLIENT_PID=$!

acks() { grep -c ' 201 ' "$LOG" 2>/dev/null || true; }
acks_after() { awk -v t="$1" '$1 > t && $4 == 201' "$LOG" | wc -l; }
enough_acks() { [ "$(acks)" -ge "$1" ]; }
wait_for 20 enough_acks 40 || die "the client made no progress before the failover ($(acks) writes)"

# ---- failover ------------------------------------------------------------------

T_KILL=$(now_ms)
as_pg "$PGBIN/pg_ctl" -D "$WORK/primary" -m immediate -w -t 20 stop >/dev/null || die "cannot stop the primary"
say "primary stopped (immediate) after $(acks) acknowledged writes"
sleep 1.5 # the gap: no primary anywhere
as_pg "$PGBIN/pg_ctl" -D "$WORK/standby" -w -t 20 promote >/dev/null || die "promotion failed"
T_PROMOTE=$(now_ms)
say "standby promoted $((T_PROMOTE - T_KILL)) ms after the primary stopped"
resumed() { [ "$(acks_after "$T_PROMOTE")" -ge 40 ]; }
wait_for 25 resumed
touch "$WORK/stop"
wait_for 15 bash -c "! kill -0 $CLIENT_PID 2>/dev/null"
kill "$CLIENT_PID" 2>/dev/null
CLIENT_PID=""

# ---- verdict -------------------------------------------------------------------

psql_at "$P2" "SELECT code FROM org WHERE code LIKE 'fo-%'" | sort >"$WORK/present.txt"
awk '$4 == 201 {print $3}' "$LOG" | sort >"$WORK/acked.txt"
awk '$4 != 201 {print $3}' "$LOG" | sort >"$WORK/failed.txt"
TOTAL=$(wc -l <"$LOG")
ACKED=$(wc -l <"$WORK/acked.txt")
BEFORE=$(awk -v t="$T_KILL" '$1 <= t && $4 == 201' "$LOG" | wc -l)
AFTER=$(acks_after "$T_PROMOTE")
LOST=$(comm -23 "$WORK/acked.txt" "$WORK/present.txt" | wc -l)
DOUBT=$(wc -l <"$WORK/failed.txt")
DOUBT_PRESENT=$(comm -12 "$WORK/failed.txt" "$WORK/present.txt" | wc -l)
UNAVAILABLE=$(awk '$4 == 503 && $5 == "unavailable"' "$LOG" | wc -l)
NO_RETRY_AFTER=$(awk '$4 == 503 && $6 == "-"' "$LOG" | wc -l)
OTHER=$(awk '$4 != 201 && !($4 == 503 && $5 == "unavailable")' "$LOG" | wc -l)
say "requests $TOTAL: acknowledged $ACKED ($BEFORE before the stop, $AFTER after promotion), lost $LOST;"
say "  not acknowledged $DOUBT ($UNAVAILABLE x 503 unavailable, $OTHER other; $DOUBT_PRESENT of them present anyway: in doubt, allowed)"
if [ "$OTHER" -gt 0 ] || [ "$NO_RETRY_AFTER" -gt 0 ]; then
  say "unexpected answers (ms seq code status error retry-after):"
  awk '$4 != 201 && !($4 == 503 && $5 == "unavailable" && $6 != "-")' "$LOG" | head -n 5
fi

check "writes were acknowledged before the failover ($BEFORE)" "$([ "$BEFORE" -gt 0 ]; echo $?)"
check "every acknowledged write is on the new primary ($LOST of $ACKED lost)" "$([ "$LOST" -eq 0 ] && [ "$ACKED" -gt 0 ]; echo $?)"
check "writes resumed after promotion without restarting labimpact ($AFTER)" \
  "$([ "$AFTER" -gt 0 ] && kill -0 "$SERVE_PID" 2>/dev/null; echo $?)"
check "the gap answered 503 unavailable ($UNAVAILABLE)" "$([ "$UNAVAILABLE" -gt 0 ]; echo $?)"
check "no other error than 503 unavailable ($OTHER)" "$([ "$OTHER" -eq 0 ]; echo $?)"
check "every 503 carries Retry-After ($NO_RETRY_AFTER without)" "$([ "$NO_RETRY_AFTER" -eq 0 ]; echo $?)"
HEALTH=$(healthz 2>/dev/null)
check "labimpact healthy on the new primary" "$([[ "$HEALTH" == *'"ok"'* ]]; echo $?)"

if [ "$FAILED" -gt 0 ]; then
  say "serve log (last lines):"
  tail -n 15 "$WORK/serve.log"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]

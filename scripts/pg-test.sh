#!/usr/bin/env bash
# pg-test.sh — a throw-away PostgreSQL 15 for the test suites.
#
#   scripts/pg-test.sh start   initdb in a temporary folder, start it on 127.0.0.1
#                              (free port) and a Unix socket in that folder; prints
#                              the postgresql:// URI of database "labimpact"
#   scripts/pg-test.sh uri     prints the URI of the running instance (exit 1 if none)
#   scripts/pg-test.sh stop    stops it (fast) and removes the folder
#
# State lives in build/pg/state so `stop` finds what `start` made. Idempotent:
# `start` twice prints the same URI; `stop` with nothing running is a no-op.
# Trust authentication, loopback only: for tests, never for real data.
# Must never touch a PostgreSQL it did not create (no pkill, no system cluster).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_VERSION=15
PGBIN=${PGBIN:-/usr/lib/postgresql/$PG_VERSION/bin}
STATE_DIR=build/pg
STATE=$STATE_DIR/state
DBNAME=labimpact

die() { echo "pg-test: $*" >&2; exit 1; }

# Runs a command as the postgres user when we are root (PostgreSQL refuses to
# run as root), as ourselves otherwise.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_binaries() {
  [ -x "$PGBIN/initdb" ] && return 0
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL $PG_VERSION not found in $PGBIN (install postgresql)"
  echo "pg-test: installing postgresql" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
  [ -x "$PGBIN/initdb" ] || die "PostgreSQL $PG_VERSION still missing in $PGBIN"
}

# True when nothing accepts connections on 127.0.0.1:$1.
port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

load_state() {
  [ -f "$STATE" ] || return 1
  # shellcheck disable=SC1090
  . "$STATE"
  [ -n "${PGDIR:-}" ] && [ -n "${PGPORT:-}" ]
}

is_running() {
  load_state && [ -d "$PGDIR/data" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1
}

uri() { echo "postgresql://postgres@127.0.0.1:$PGPORT/$DBNAME"; }

# Tries to start the cluster in $PGDIR on port $1; 0 on success.
try_start() {
  local port=$1
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -t 30 \
    -o "-p $port -k $PGDIR -c listen_addresses=127.0.0.1" start >/dev/null 2>&1
}

cmd_start() {
  if is_running; then uri; return 0; fi
  if [ -f "$STATE" ]; then cmd_stop >/dev/null 2>&1 || true; fi
  ensure_binaries
  mkdir -p "$STATE_DIR"
  PGDIR=$(mktemp -d /tmp/labimpact-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres: "$PGDIR"
  chmod 700 "$PGDIR"
  # Record the folder at once, so `stop` cleans up even if start fails below.
  printf 'PGDIR=%s\nPGPORT=\n' "$PGDIR" >"$STATE"
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$PGDIR/initdb.log" 2>&1 || { cat "$PGDIR/initdb.log" >&2; die "initdb failed"; }
  cat >>"$PGDIR/data/postgresql.conf" <<EOF
# labimpact test instance
fsync = on
synchronous_commit = on
max_connections = 100
log_min_messages = warning
EOF
  local port started=0
  for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 30000))
    port_free "$port" || continue
    if try_start "$port"; then started=1; break; fi
  done
  [ "$started" -eq 1 ] || { tail -n 20 "$PGDIR/log" >&2 || true; die "could not start PostgreSQL"; }
  PGPORT=$port
  printf 'PGDIR=%s\nPGPORT=%s\n' "$PGDIR" "$PGPORT" >"$STATE"
  as_pg "$PGBIN/psql" -X -q -h "$PGDIR" -p "$PGPORT" -U postgres -d postgres \
    -c "CREATE DATABASE $DBNAME" >/dev/null || die "cannot create database $DBNAME"
  uri
}

cmd_stop() {
  load_state || return 0
  if [ -d "$PGDIR/data" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  case "$PGDIR" in /tmp/labimpact-pg.*) rm -rf "$PGDIR" ;; esac
  rm -f "$STATE"
}

cmd_uri() {
  is_running || die "not running (scripts/pg-test.sh start)"
  uri
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  uri) cmd_uri ;;
  *) echo "usage: $0 start|stop|uri" >&2; exit 2 ;;
esac

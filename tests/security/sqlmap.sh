#!/usr/bin/env bash
# sqlmap.sh — SQL injection scan of the main parameterised endpoints with
# Debian's sqlmap, against a throw-away server (demo network and a few demo
# persons, SQLite, loopback only). Fails when sqlmap reports any injectable
# parameter, or when a target could not be scanned. Bounded: the login form
# (argon2 on every attempt) has 60 s, each other target 25 s; the whole run
# stays under 3 minutes. SQLMAP_KEEP=DIR keeps sqlmap's output there.
#
# Targets: the login form (username, password, next), the person search (q),
# list paging (limit, cursor), an organisation code in the path, and the
# audit filters (user, action, person_id, from, to). The login throttling
# answers 429 after 100 failures from the scanner's address; the username
# still reaches the account lookup and throttling queries on every attempt.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=build/labimpact
[ -x "$BIN" ] || { echo "sqlmap.sh: $BIN is missing: run make build/labimpact" >&2; exit 2; }
command -v sqlmap >/dev/null || { echo "sqlmap.sh: sqlmap is not installed (scripts/deps.sh)" >&2; exit 2; }

work=$(mktemp -d /tmp/labimpact-sqlmap.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/scan.db"
export LABIMPACT_LOG=warn
"$BIN" init --db "$db" >/dev/null
"$BIN" demo --db "$db" --persons 20 --credentials "$work/credentials.txt" >/dev/null
password_of() { awk -v u="$1" '$1 == u { print $4 }' "$work/credentials.txt"; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$BIN" serve --db "$db" --listen "127.0.0.1:$port" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "$base/healthz" >/dev/null || { echo "sqlmap.sh: the server did not start" >&2; cat "$work/serve.log" >&2; exit 1; }

# Logs `user` in over the API; prints "<session token> <csrf token>".
login() {
  local jar="$work/$1.jar" body
  body=$(curl -fs -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$(password_of "$1")\"}" "$base/api/v1/session")
  printf '%s %s\n' "$(awk '$6 == "li_session" { print $7 }' "$jar")" \
    "$(printf '%s' "$body" | python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])')"
}
read -r admin_session _ < <(login demo-admin)
read -r operator_session _ < <(login demo-operator)
[ -n "$admin_session" ] && [ -n "$operator_session" ] || { echo "sqlmap.sh: demo logins failed" >&2; exit 1; }

# The login form's double-submit token (li_pre cookie = _csrf field).
curl -fs -c "$work/pre.jar" "$base/login" >/dev/null
pre=$(awk '$6 == "li_pre" { print $7 }' "$work/pre.jar")

failed=0
# scan NAME SECONDS PARAMS URL [sqlmap options...]: one bounded sqlmap run.
scan() {
  local name=$1 seconds=$2 params=$3 url=$4
  shift 4
  local out="$work/$name.out"
  [ -n "${SQLMAP_KEEP:-}" ] && out="$SQLMAP_KEEP/$name.out"
  echo "== sqlmap: $name ($params)"
  set +e
  timeout "$seconds" sqlmap --batch --level 3 --risk 2 --dbms SQLite --time-sec 1 --timeout 10 --retries 0 \
    --threads 2 --flush-session --disable-coloring --drop-set-cookie --skip-waf \
    --output-dir "$work/sqlmap" -u "$url" -p "$params" "$@" >"$out" 2>&1
  local rc=$?
  set -e
  if grep -q "identified the following injection point" "$out"; then
    echo "   INJECTABLE:"; sed -n '/identified the following injection point/,/^---$/p' "$out" | sed 's/^/   /'
    failed=1
  elif grep -qE "all tested parameters do not appear to be injectable|do not appear to be injectable" "$out"; then
    echo "   no injectable parameter"
  elif [ "$rc" -eq 124 ]; then
    echo "   time limit (${seconds}s) reached with nothing found so far"
  else
    echo "   sqlmap did not finish its tests (exit $rc):"; tail -n 15 "$out" | sed 's/^/   /'
    failed=1
  fi
}

admin_cookie="li_session=$admin_session"
operator_cookie="li_session=$operator_session"
scan login-form 60 "username,password,next" "$base/login" --method POST --ignore-code 401,422,429 \
  --data "_csrf=$pre&username=demo-operator&password=wrong-password-zz&next=%2Fapp" --cookie "li_pre=$pre"
scan person-search 25 "q" "$base/api/v1/persons?q=rossi" --cookie "$operator_cookie"
scan list-paging 25 "limit,cursor" "$base/api/v1/users?limit=5&cursor=1" --cookie "$admin_cookie"
scan org-code 25 "#1*" "$base/api/v1/orgs/cremona*" --cookie "$admin_cookie"
scan audit-filters 25 "user,action,person_id,from,to" \
  "$base/api/v1/audit?user=demo-operator&action=login.success&person_id=1&from=1&to=4102444800" --cookie "$admin_cookie"

curl -fs "$base/healthz" >/dev/null || { echo "sqlmap.sh: the server stopped answering" >&2; failed=1; }
if [ "$failed" -ne 0 ]; then echo "sqlmap.sh: FAILED"; exit 1; fi
echo "sqlmap.sh: no injectable parameter found"

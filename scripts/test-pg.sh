#!/usr/bin/env bash
# The suites that need PostgreSQL, against a throw-away server started here
# and stopped on exit: the storage unit tests on PostgreSQL, then the whole
# API suite (the same files `make api` runs on SQLite), or only the test
# files given as arguments: `bash scripts/test-pg.sh tests/api/courses.test.mjs`.
set -euo pipefail
cd "$(dirname "$0")/.."
uri=$(bash scripts/pg-test.sh start)
trap 'bash scripts/pg-test.sh stop >/dev/null' EXIT
echo "== storage unit tests on PostgreSQL"
LABIMPACT_TEST_PG="$uri" build/tests/test_db
echo "== API tests on PostgreSQL"
LABIMPACT_TEST_PG_URI="$uri" node --test --test-concurrency=1 "${@:-tests/api/}"

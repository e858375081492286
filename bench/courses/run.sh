#!/usr/bin/env bash
# bench/courses/run.sh — what `make bench-courses` runs: measure.mjs on SQLite, then on a
# throw-away PostgreSQL (started here, stopped on exit). Arguments go to measure.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "== SQLite"
node bench/courses/measure.mjs "$@"
uri=$(bash scripts/pg-test.sh start)
trap 'bash scripts/pg-test.sh stop >/dev/null' EXIT
echo "== PostgreSQL"
LABIMPACT_TEST_PG_URI="$uri" node bench/courses/measure.mjs "$@"

#!/usr/bin/env bash
# bench/uploads/run.sh — what `make bench-uploads` runs: the server's peak memory while
# four 20 MiB uploads run at once; see bench/README.md "Uploads".
set -euo pipefail
cd "$(dirname "$0")/../.."
node bench/uploads/rss.mjs "$@"

#!/usr/bin/env bash
# bench/pdf/run.sh — what `make bench-pdf` runs: the certificate and the statement
# rendered N times (default 100) by core/pdfdoc; see bench/README.md "PDFs".
set -euo pipefail
cd "$(dirname "$0")/../.."
make -s build/bench/pdf_render
build/bench/pdf_render "${1:-100}"

#!/usr/bin/env bash
# xlsx.sh [N] — builds bench/monitoring/xlsx.c against the project's objects
# (make all first) and runs it: N rows (default 1,000,000) to XLSX, time and
# peak resident memory; the same for N/10 rows, to show the memory does not
# grow with the rows while they are written.
set -euo pipefail
cd "$(dirname "$0")/../.."
PKGS="libmicrohttpd jansson sqlite3 libpq libsodium libcurl pangocairo libqrencode"
objs=$(find src -name '*.c' ! -name main.c | sed 's|^src/|build/obj/|; s|\.c$|.o|')  # today's sources only, never a stale object
cc -std=c11 -D_GNU_SOURCE -O2 -Isrc $(pkg-config --cflags $PKGS 2>/dev/null) -o build/bench-xlsx bench/monitoring/xlsx.c \
  $objs $(pkg-config --libs $PKGS 2>/dev/null) -lcmark-gfm -lcmark-gfm-extensions -lxlsxwriter -lm -lpthread 2>&1 | tail -5
n=${1:-1000000}
build/bench-xlsx $((n / 10))
build/bench-xlsx "$n"

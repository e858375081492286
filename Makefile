# labimpact — build, run, test, bench, fuzz.
# `make run` and `make test` are all a newcomer needs (see README.md).

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium libcurl pangocairo libqrencode
# -Wno-missing-field-initializers: route tables name only the fields they set
# ({method, pattern, fn, flags}; route_t.max_body and later fields default to 0).
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
               -Wno-missing-field-initializers \
               -Isrc -g
HARDEN  := -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
LDHARD  := -pie -Wl,-z,relro,-z,now
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lcmark-gfm -lcmark-gfm-extensions -lxlsxwriter -lm -lpthread

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
OBJ      := $(SRC:src/%.c=build/obj/%.o)
LIB_OBJ  := $(LIB_SRC:src/%.c=build/obj/%.o)
SAN_OBJ  := $(LIB_SRC:src/%.c=build/san/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
UNIT_SAN := $(UNIT_SRC:tests/unit/%.c=build/tests-san/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)

DB      ?= var/labimpact.db
LISTEN  ?= 127.0.0.1:8080
STAMP_DEPS := build/.deps-ok

.PHONY: all deps run test unit unit-san api api-pg failover e2e sqlmap fuzz fuzz-short bench clean assets

all: build/labimpact assets

$(STAMP_DEPS): scripts/deps.sh package.json package-lock.json
	bash scripts/deps.sh
	@mkdir -p build && touch $@

deps: $(STAMP_DEPS)

build/obj/%.o: src/%.c | $(STAMP_DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BASE) $(HARDEN) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/san/%.o: src/%.c | $(STAMP_DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC san  $<"
	@$(CC) $(CFLAGS_BASE) -O1 -fsanitize=address,undefined -fno-omit-frame-pointer $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/labimpact: $(OBJ)
	@echo "  LD      $@"
	@$(CC) $(HARDEN) $(LDHARD) -o $@ $(OBJ) $(PKG_LIBS)

# Bootstrap Italia is copied from node_modules at build time (never committed).
BI_DIST := node_modules/bootstrap-italia/dist
assets: static/vendor/bootstrap-italia/.stamp static/vendor/leaflet/.stamp
static/vendor/bootstrap-italia/.stamp: $(STAMP_DEPS)
	@mkdir -p static/vendor/bootstrap-italia
	@cp -r $(BI_DIST)/css $(BI_DIST)/js $(BI_DIST)/fonts $(BI_DIST)/svg static/vendor/bootstrap-italia/
	@touch $@
# Leaflet (the directory's map, /mappa) likewise, from node_modules/leaflet/dist.
LEAFLET_DIST := node_modules/leaflet/dist
static/vendor/leaflet/.stamp: $(STAMP_DEPS)
	@mkdir -p static/vendor/leaflet
	@cp -r $(LEAFLET_DIST)/leaflet.js $(LEAFLET_DIST)/leaflet.css $(LEAFLET_DIST)/images static/vendor/leaflet/
	@touch $@

build/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS_BASE) $(HARDEN) $(PKG_CFLAGS) $(LDHARD) -o $@ $< $(LIB_OBJ) $(PKG_LIBS) -lcmocka

build/tests-san/%: tests/unit/%.c $(SAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@ (ASan+UBSan)"
	@$(CC) $(CFLAGS_BASE) -O1 -fsanitize=address,undefined -fno-omit-frame-pointer $(PKG_CFLAGS) \
	  -o $@ $< $(SAN_OBJ) $(PKG_LIBS) -lcmocka

# bench/pdf: render time of a certificate and a statement (bench/README.md).
build/bench/pdf_render: bench/pdf/render.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS_BASE) $(HARDEN) $(PKG_CFLAGS) $(LDHARD) -o $@ $< $(LIB_OBJ) $(PKG_LIBS)

build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) | $(STAMP_DEPS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(CFLAGS_BASE) -O1 -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS)

run: all
	@mkdir -p var
	@if [ ! -e "$(DB)" ]; then ./build/labimpact init --db $(DB) && ./build/labimpact demo --db $(DB); fi
	./build/labimpact serve --db $(DB) --listen $(LISTEN)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

unit-san: $(UNIT_SAN)
	@set -e; for t in $(UNIT_SAN); do echo "== $$t (ASan+UBSan)"; \
	  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/unit/lsan.supp \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $$t; done

api: all
	node --test --test-concurrency=1 tests/api/

# Failover: primary + synchronous standby; the primary dies while a client writes.
failover: build/labimpact
	LABIMPACT_BIN=build/labimpact bash tests/failover/run.sh

# The storage tests and the whole API suite again on a throw-away PostgreSQL.
api-pg: all build/tests/test_db
	bash scripts/test-pg.sh

e2e: all
	node --test --test-concurrency=1 tests/e2e/

# SQL injection scan (Debian's sqlmap) of the main parameterised endpoints.
sqlmap: all
	bash tests/security/sqlmap.sh

fuzz-short: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do echo "== $$f (short run)"; mkdir -p build/corpus/$$(basename $$f); \
	  $$f -max_total_time=$${FUZZ_SECONDS:-10} -rss_limit_mb=2048 build/corpus/$$(basename $$f) tests/fuzz/corpus/$$(basename $$f) 2>&1 | tail -n 2; done

fuzz: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do echo "== $$f"; mkdir -p build/corpus/$$(basename $$f); \
	  $$f -max_total_time=$${FUZZ_SECONDS:-120} build/corpus/$$(basename $$f) tests/fuzz/corpus/$$(basename $$f); done

test: all
	$(MAKE) unit
	$(MAKE) unit-san
	$(MAKE) fuzz-short
	$(MAKE) api
	$(MAKE) api-pg
	$(MAKE) failover
	$(MAKE) sqlmap
	$(MAKE) e2e

bench: all
	bash bench/run.sh

# One module's benchmark, beside its reference: make bench-desk, bench-mediation,
# bench-courses, bench-info, bench-directory, bench-monitoring, bench-pdf, bench-uploads
# (each bench/<name>/run.sh; results and how to read them in bench/README.md).
bench-%: all
	bash bench/$*/run.sh

clean:
	rm -rf build static/vendor

-include $(OBJ:.o=.d) $(SAN_OBJ:.o=.d)

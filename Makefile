# starcert build. `make` builds build/starcert and build/libstarcert.a;
# `make test` runs every test; `make check` runs them again under ASan+UBSan;
# `make run` builds and starts the program. Missing Debian packages are
# installed through scripts/deps.sh.

BUILD ?= build
CC ?= cc
SAN ?= 0
OPT ?= -O2

WERROR ?= -Werror
WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion $(WERROR)
CPPFLAGS += -D_GNU_SOURCE -Isrc -I$(BUILD)/gen -MMD -MP
CFLAGS ?= $(OPT) -g
CFLAGS += $(WARN)
LDLIBS := $(shell pkg-config --libs jansson sqlite3 libsodium libmicrohttpd 2>/dev/null || echo -ljansson -lsqlite3 -lsodium -lmicrohttpd) -lm -pthread
TEST_LDLIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS += $(SANFLAGS)
LDFLAGS += $(SANFLAGS)
endif
ifeq ($(SAN),fuzz)
CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

CORE_SRC := $(sort $(wildcard src/core/*.c) $(wildcard src/store/*.c) $(wildcard src/http/*.c))
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/scheme_default.o \
           $(BUILD)/obj/gen/migrations.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB := $(BUILD)/libstarcert.a
BIN := $(BUILD)/starcert

.PHONY: all deps test check run clean unit-bins format headers fuzz fuzz-smoke fuzz-bins
all: deps $(BIN) $(LIB)

deps:
	@bash scripts/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

$(BUILD)/gen/scheme_default.c: schemes/gbt27922-2011.json $(BUILD)/tools/embed
	@mkdir -p $(@D)
	$(BUILD)/tools/embed sc_scheme_default_bytes $< $@

$(BUILD)/obj/gen/scheme_default.o: $(BUILD)/gen/scheme_default.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/gen/migrations.c: $(MIGRATIONS) $(BUILD)/tools/embed
	@mkdir -p $(@D)
	$(BUILD)/tools/embed --table sc_migrations $@ $(MIGRATIONS)

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D) $(BUILD)/obj/tests
	$(CC) $(CPPFLAGS) -MF $(BUILD)/obj/tests/$*.d $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(TEST_LDLIBS) $(LDLIBS)

unit-bins: $(UNIT_BIN)

# Every header compiles on its own (it is a contract, not a fragment).
headers:
	@for h in $(wildcard src/*/*.h); do \
	  printf '#include "%s"\n' "$${h#src/}" | $(CC) -D_GNU_SOURCE -Isrc $(WARN) -fsyntax-only -x c - || { echo "header $$h does not compile alone"; exit 1; }; done

test: all unit-bins headers
	@bash tests/run.sh $(BUILD)

check:
	@$(MAKE) --no-print-directory BUILD=build/san SAN=1 OPT=-O1 test

# Fuzzing (libFuzzer, clang): `make fuzz` runs every target for
# FUZZ_SECONDS each; `make fuzz-smoke` replays the seed corpora only.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BUILD := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

fuzz-bins: deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) SAN=fuzz CC=clang OPT=-O1 WERROR= $(FUZZ_BUILD)/libstarcert.a
	@mkdir -p $(FUZZ_BUILD)/bin
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -D_GNU_SOURCE -Isrc -g -O1 $(FUZZ_FLAGS) -o $(FUZZ_BUILD)/bin/$$n $$f \
	    $(FUZZ_BUILD)/libstarcert.a $(LDLIBS) || exit 1; done

fuzz: fuzz-bins
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); c=tests/fuzz/corpus/$${n#fuzz_}; \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$n; \
	  $(FUZZ_BUILD)/bin/$$n -max_total_time=$(FUZZ_SECONDS) $(FUZZ_BUILD)/corpus/$$n $$c || exit 1; done

fuzz-smoke: fuzz-bins
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); c=tests/fuzz/corpus/$${n#fuzz_}; \
	  $(FUZZ_BUILD)/bin/$$n -runs=0 $$c >/dev/null 2>&1 || { echo "fuzz: $$n fails on its corpus"; exit 1; }; \
	  echo "fuzz: $$n corpus ok"; done

# `make run`: a demo database (docs/demo.md) unless DEMO_DB exists, then
# serve the JSON API and the public registry on it (LISTEN).
DEMO_DB ?= starcert.db
LISTEN ?= 127.0.0.1:8080
DEMO_PASSWORD ?= starcert-demo
run: all
	@if [ ! -e "$(DEMO_DB)" ]; then \
	  $(BIN) demo --db "$(DEMO_DB)" --password "$(DEMO_PASSWORD)" >$(BUILD)/demo.json || { cat $(BUILD)/demo.json; exit 1; }; \
	  echo "created the demo database $(DEMO_DB) (who is who: docs/demo.md; counts: $(BUILD)/demo.json)"; \
	  echo "every demo user's password is $(DEMO_PASSWORD)"; \
	else echo "using the existing $(DEMO_DB) (remove it for a fresh demo)"; fi
	@echo "the command line works on it too, e.g.:"
	@echo "  $(BIN) registry search 海纳 --db $(DEMO_DB)"
	@echo "  $(BIN) certificate list --db $(DEMO_DB) --as zheng.guoping"
	@echo "  $(BIN) due --db $(DEMO_DB) --within 120"
	@echo "serving http://$(LISTEN)/ (try /api/v1/registry?q=海纳 and /healthz); Ctrl-C stops"
	@exec $(BIN) serve --db "$(DEMO_DB)" --listen "$(LISTEN)"

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c tools/*.c

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- benchmark (not a test): bench/README.md --------------------------------
BENCH_BIN := $(BUILD)/bench/gen $(BUILD)/bench/lookup

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

.PHONY: bench
bench: all $(BENCH_BIN)
	@bash bench/run.sh $(BUILD)

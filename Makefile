# litelift build. `make` builds ./litelift; `make test` runs unit and integration
# tests against a private MariaDB; `make demo` migrates the fixtures; `make bench`.
# Hardening: `make sanitize` (ASan+UBSan, build/san), `make valgrind`, `make lint`
# (scan-build, cppcheck), `make fuzz FUZZ_SECONDS=N` (libFuzzer, build/fuzz).
# Objects go to build/obj/ (with -MMD dependency files beside them, so a changed
# header rebuilds exactly the objects that include it). Tests link the modules
# from build/liblitelift.a, so each takes only the objects it references, and
# --as-needed drops the libraries none of those objects calls.
# CFLAGS, LDFLAGS and LDLIBS are the user's (`make CFLAGS='-O1 -fsanitize=address'`):
# the flags litelift needs are kept apart in LL_CFLAGS and LL_LDLIBS.
CC      ?= cc
AR      ?= ar
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
LL_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Isrc \
             $(shell mysql_config --cflags) $(shell pkg-config --cflags yajl)
ALL_CFLAGS = $(LL_CFLAGS) $(CFLAGS)
DEPFLAGS = -MMD -MP
LL_LDLIBS := -lsqlite3 $(shell mysql_config --libs) $(shell pkg-config --libs yajl inih) -lz -lm \
             -lpthread

# BUILD is where objects, archive and test binaries go; BIN is the program the
# integration tests run. `make sanitize` uses build/san so that its objects
# never mix with the normal build's.
BUILD   ?= build
BIN     ?= litelift
OBJDIR  := $(BUILD)/obj
SRCS    := $(filter-out src/main.c,$(wildcard src/*.c))
OBJS    := $(patsubst src/%.c,$(OBJDIR)/%.o,$(SRCS))
LIB     := $(BUILD)/liblitelift.a
UNIT    := $(patsubst tests/unit/%.c,$(BUILD)/%,$(wildcard tests/unit/test_*.c))
INTEG   := $(BUILD)/test_integration
UNITOBJS:= $(patsubst tests/unit/%.c,$(OBJDIR)/unit/%.o,$(wildcard tests/unit/*.c))
INTOBJS := $(patsubst tests/integration/%.c,$(OBJDIR)/integration/%.o,\
             $(wildcard tests/integration/*.c))

.PHONY: all test unit integration demo bench clean format deps man install walkthrough \
        sanitize valgrind lint
.SECONDARY: $(UNITOBJS)

all: $(BIN)

$(BIN): $(OBJDIR)/main.o $(OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LL_LDLIBS) $(LDLIBS)

$(OBJDIR)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(OBJDIR)/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Itests/unit -c -o $@ $<

$(OBJDIR)/integration/%.o: tests/integration/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Itests/integration -Itests/unit -c -o $@ $<

# src itself too: its time changes when a module is removed, which must leave the archive.
$(LIB): $(OBJS) src
	@rm -f $@
	$(AR) rcs $@ $(OBJS)

$(BUILD)/test_%: $(OBJDIR)/unit/test_%.o $(OBJDIR)/unit/tmpdir.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -Wl,--as-needed $(LL_LDLIBS) $(LDLIBS) -lcriterion

$(INTEG): $(INTOBJS) $(OBJDIR)/unit/tmpdir.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -Wl,--as-needed $(LL_LDLIBS) $(LDLIBS) -lcriterion

-include $(wildcard $(OBJDIR)/*.d $(OBJDIR)/unit/*.d $(OBJDIR)/integration/*.d)

deps:
	scripts/deps.sh

unit: $(UNIT)
	@rc=0; for t in $(UNIT); do echo "== $$t"; $$t --jobs 1 || rc=1; done; exit $$rc

# LITELIFT_TEST_BIN tells the harness which program to run (default ./litelift);
# IT_ARGS are extra arguments for the integration binary (e.g. --filter).
integration: $(BIN) $(INTEG)
	LITELIFT_TEST_BIN=$(BIN) scripts/with-testdb.sh $(INTEG) --jobs 1 $(IT_ARGS)

test: all unit integration

# ASan+UBSan, stopping at the first report, built into build/san (its own
# objects and ./build/san/litelift): every unit test, and the integration tests
# of SAN_IT_FILTER (default: all of them) with the sanitized binary.
# verify_asan_link_order=0: the fault tests preload build/faultshim.so (built
# without sanitizers, one shim for both builds) ahead of the ASan runtime.
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_IT_FILTER ?= *
sanitize:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99:verify_asan_link_order=0 \
	UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) BUILD=build/san BIN=build/san/litelift CFLAGS='$(SAN_FLAGS)' \
	    LDFLAGS='-fsanitize=address,undefined' IT_ARGS="--filter '$(SAN_IT_FILTER)'" unit integration

# Every litelift run of the integration tests under valgrind's memcheck (the
# harness prefixes the command with LITELIFT_TEST_WRAP); a memcheck error or a
# definite leak makes that run exit 97, which the test's status check reports.
# tests/valgrind.supp holds the library faults it ignores, each explained.
# (connect/ps_never_shows_the_url_password is left out: `ps` shows valgrind's
# command line, which litelift cannot rewrite.)
VG_IT_FILTER ?= !(connect/ps_never_shows_the_url_password)
VG_WRAP := valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite \
           --show-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp
valgrind: litelift $(INTEG)
	LITELIFT_TEST_WRAP='$(VG_WRAP)' scripts/with-testdb.sh $(INTEG) --jobs 1 --filter '$(VG_IT_FILTER)'

# clang's static analyzer and cppcheck over src/: any finding fails.
lint:
	scripts/lint.sh

demo:
	scripts/demo.sh

# README's cutover walkthrough, its output blocks regenerated from a real run.
walkthrough:
	scripts/walkthrough.sh

# scripts/bench.sh (speed against the server's own load), then
# scripts/bench_many.sh (the cost of a project beyond its rows, memory at N/10
# and N projects, a 3-node Galera cluster against one server).
bench: litelift
	scripts/bench.sh
	scripts/bench_many.sh

# The manual page, written from the option table; a unit test (test_cli) fails
# when doc/litelift.1 is not what `litelift --man` writes.
man: litelift
	./litelift --man > doc/litelift.1

install: litelift
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 litelift $(DESTDIR)$(PREFIX)/bin/litelift
	install -m 644 doc/litelift.1 $(DESTDIR)$(PREFIX)/share/man/man1/litelift.1

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/unit/*.h tests/integration/*.c \
	    tests/integration/*.h tests/fuzz/*.c tests/fuzz/*.h

clean:
	rm -rf litelift build

# ---- fuzzing ---------------------------------------------------------------------
# `make fuzz FUZZ_SECONDS=N`: libFuzzer targets (tests/fuzz/<name>.c, seeds in
# tests/fuzz/corpus/<name>/) built with clang's fuzzer, ASan and UBSan into
# build/fuzz/ (their own objects and archive, never mixed with build/obj), each
# run for N seconds by scripts/fuzz.sh; a finding fails the target. Not part of `make test`.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR     := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
# -Wno-string-concatenation: clang takes target.c's one long literal, split over
# two lines of its array of statements, for a forgotten comma.
FUZZ_CFLAGS  := $(LL_CFLAGS) -O1 -g -fno-omit-frame-pointer -Wno-string-concatenation $(FUZZ_SAN)
FUZZ_OBJS    := $(patsubst src/%.c,$(FUZZ_DIR)/obj/%.o,$(SRCS))
FUZZ_LIB     := $(FUZZ_DIR)/liblitelift.a
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(wildcard tests/fuzz/*.c))

.PHONY: fuzz fuzz-build

$(FUZZ_DIR)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(DEPFLAGS) -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_OBJS) src
	@rm -f $@
	$(AR) rcs $@ $(FUZZ_OBJS)

$(FUZZ_DIR)/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< $(FUZZ_LIB) \
	    -Wl,--as-needed $(LL_LDLIBS)

-include $(wildcard $(FUZZ_DIR)/obj/*.d)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# ---- fault injection (issue 15): tests/faults/ holds the loopback TCP proxy
# the integration tests drive (linked into them) and the LD_PRELOAD shim
# (build/faultshim.so, always built without the user's CFLAGS so that the
# normal and the sanitized binary can both preload it) that makes chosen file calls fail; `make soak` (not in
# CI) runs random faults for SOAK_SECONDS against a mixed fixture set.
SOAK_SECONDS ?= 180
FAULTOBJS := $(OBJDIR)/faults/proxy.o
.PHONY: soak

$(OBJDIR)/faults/%.o: tests/faults/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

build/faultshim.so: tests/faults/shim.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Werror -fPIC -shared -O2 -g -o $@ $< -ldl

$(INTEG): $(FAULTOBJS) | build/faultshim.so

build/test_soak: $(OBJDIR)/faults/soak.o $(FAULTOBJS) $(OBJDIR)/integration/harness.o \
                 $(OBJDIR)/integration/compare.o $(OBJDIR)/unit/tmpdir.o $(LIB) | build/faultshim.so
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -Wl,--as-needed $(LL_LDLIBS) $(LDLIBS) -lcriterion

$(OBJDIR)/faults/soak.o: ALL_CFLAGS += -Itests/integration -Itests/unit
$(OBJDIR)/integration/test_faults.o: ALL_CFLAGS += -Itests/faults

soak: litelift build/test_soak
	SOAK_SECONDS=$(SOAK_SECONDS) scripts/with-testdb.sh build/test_soak --jobs 1

-include $(wildcard $(OBJDIR)/faults/*.d)

# litelift build. `make` builds ./litelift; `make test` runs unit and integration
# tests against a private MariaDB; `make demo` migrates the fixtures; `make bench`.
# Objects go to build/obj/ (with -MMD dependency files beside them, so a changed
# header rebuilds exactly the objects that include it). Tests link the modules
# from build/liblitelift.a, so each takes only the objects it references, and
# --as-needed drops the libraries none of those objects calls.
CC      ?= cc
AR      ?= ar
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Isrc
CFLAGS  += $(shell mysql_config --cflags) $(shell pkg-config --cflags yajl)
DEPFLAGS = -MMD -MP
LDLIBS  += -lsqlite3 $(shell mysql_config --libs) $(shell pkg-config --libs yajl inih) -lz -lm -lpthread

OBJDIR  := build/obj
SRCS    := $(filter-out src/main.c,$(wildcard src/*.c))
OBJS    := $(patsubst src/%.c,$(OBJDIR)/%.o,$(SRCS))
LIB     := build/liblitelift.a
UNIT    := $(patsubst tests/unit/%.c,build/%,$(wildcard tests/unit/test_*.c))
INTEG   := build/test_integration
UNITOBJS:= $(patsubst tests/unit/%.c,$(OBJDIR)/unit/%.o,$(wildcard tests/unit/*.c))
INTOBJS := $(patsubst tests/integration/%.c,$(OBJDIR)/integration/%.o,\
             $(wildcard tests/integration/*.c))

.PHONY: all test unit integration demo bench clean format deps
.SECONDARY: $(UNITOBJS)

all: litelift

litelift: $(OBJDIR)/main.o $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(OBJDIR)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(OBJDIR)/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -Itests/unit -c -o $@ $<

$(OBJDIR)/integration/%.o: tests/integration/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -Itests/integration -Itests/unit -c -o $@ $<

# src itself too: its time changes when a module is removed, which must leave the archive.
$(LIB): $(OBJS) src
	@rm -f $@
	$(AR) rcs $@ $(OBJS)

build/test_%: $(OBJDIR)/unit/test_%.o $(OBJDIR)/unit/tmpdir.o $(LIB)
	$(CC) $(CFLAGS) -o $@ $^ -Wl,--as-needed $(LDLIBS) -lcriterion

$(INTEG): $(INTOBJS) $(OBJDIR)/unit/tmpdir.o $(LIB)
	$(CC) $(CFLAGS) -o $@ $^ -Wl,--as-needed $(LDLIBS) -lcriterion

-include $(wildcard $(OBJDIR)/*.d $(OBJDIR)/unit/*.d $(OBJDIR)/integration/*.d)

deps:
	scripts/deps.sh

unit: $(UNIT)
	@rc=0; for t in $(UNIT); do echo "== $$t"; $$t --jobs 1 || rc=1; done; exit $$rc

integration: litelift $(INTEG)
	scripts/with-testdb.sh $(INTEG) --jobs 1

test: all unit integration

demo:
	scripts/demo.sh

bench: litelift
	scripts/bench.sh

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/unit/*.h tests/integration/*.c \
	    tests/integration/*.h

clean:
	rm -rf litelift build

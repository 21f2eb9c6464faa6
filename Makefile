# litelift build. `make` builds ./litelift; `make test` runs unit and integration
# tests against a private MariaDB; `make demo` migrates the fixtures; `make bench`.
CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Isrc
CFLAGS  += $(shell mysql_config --cflags) $(shell pkg-config --cflags yajl)
LDLIBS  += -lsqlite3 $(shell mysql_config --libs) $(shell pkg-config --libs yajl inih) -lz -lm -lpthread

SRCS    := $(filter-out src/main.c,$(wildcard src/*.c))
OBJS    := $(SRCS:.c=.o)
UNIT    := $(patsubst tests/unit/%.c,build/%,$(wildcard tests/unit/test_*.c))
INTEG   := build/test_integration

.PHONY: all test unit integration demo bench clean format deps

all: litelift

litelift: src/main.o $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

src/%.o: src/%.c $(wildcard src/*.h)
	$(CC) $(CFLAGS) -c -o $@ $<

build/test_%: tests/unit/test_%.c tests/unit/tmpdir.c $(wildcard tests/unit/*.h) $(OBJS) $(wildcard src/*.h)
	@mkdir -p build
	$(CC) $(CFLAGS) -Itests/unit -o $@ $(filter %.c %.o,$^) $(LDLIBS) -lcriterion

$(INTEG): $(wildcard tests/integration/*.c) $(wildcard tests/integration/*.h) $(OBJS) \
          $(wildcard src/*.h)
	@mkdir -p build
	$(CC) $(CFLAGS) -Itests/integration -o $@ $(filter %.c %.o,$^) $(LDLIBS) -lcriterion

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
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/integration/*.c tests/integration/*.h

clean:
	rm -rf litelift src/*.o build

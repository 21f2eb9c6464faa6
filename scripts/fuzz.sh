#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets tests/fuzz/fuzz_NAME.c with clang
# (ASan+UBSan) against the modules built into build/fuzz, and runs each for
# FUZZ_SECONDS (default 60) from its seed corpus tests/fuzz/corpus/NAME (new
# inputs go to build/fuzz/corpus/NAME, findings to build/fuzz/). Stops at the
# first finding (exit 1); prints the executions of each target.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${FUZZ_SECONDS:-60}
only=${FUZZ_TARGETS:-}
san='-fsanitize=address,undefined -fno-sanitize-recover=all'
# clang warns about the long split option texts; see scripts/lint.sh
make -s -j2 BUILD=build/fuzz CC=clang \
    CFLAGS="-O1 -g -fno-omit-frame-pointer -Wno-string-concatenation -fsanitize=fuzzer-no-link $san" \
    build/fuzz/liblitelift.a
ll_cflags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Isrc $(mysql_config --cflags)"
libs="-lsqlite3 $(mysql_config --libs) $(pkg-config --libs yajl inih) -lz -lm -lpthread"
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    name=${name#fuzz_}
    if [[ -n "$only" && " $only " != *" $name "* ]]; then
        continue
    fi
    # shellcheck disable=SC2086  # flag lists
    clang $ll_cflags -O1 -g -fsanitize=fuzzer $san -o "build/fuzz/fuzz_$name" "$src" \
        build/fuzz/liblitelift.a $libs
    mkdir -p "build/fuzz/corpus/$name"
    echo "fuzz: $name for $seconds s"
    log="build/fuzz/fuzz_$name.log"
    if ! "build/fuzz/fuzz_$name" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="build/fuzz/$name-" "build/fuzz/corpus/$name" \
        "tests/fuzz/corpus/$name" >"$log" 2>&1; then
        tail -40 "$log" >&2
        echo "fuzz: $name found a problem (input in build/fuzz/$name-*)" >&2
        exit 1
    fi
    grep -E '^stat::number_of_executed_units' "$log" | sed "s/^/fuzz: $name: /"
done

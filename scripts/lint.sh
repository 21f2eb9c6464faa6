#!/usr/bin/env bash
# Static analysis of src/ (make lint): clang's static analyzer (scan-build,
# every src/*.c compiled once into build/lint) and cppcheck. Any finding fails
# (exit 1). Suppressions are inline (`// cppcheck-suppress ID` with a reason).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

rm -rf build/lint
echo "lint: scan-build"
# -Wno-string-concatenation: clang's guess at a missing comma fires on the
# option and command texts, which are long strings split over lines on purpose.
scan-build --status-bugs -o build/lint/report --use-cc=clang \
    make -s -k -j2 BUILD=build/lint BIN=build/lint/litelift \
    CFLAGS='-O0 -g -Wno-string-concatenation' build/lint/litelift

echo "lint: cppcheck"
cppcheck -q --std=c11 --enable=warning,portability,performance --inline-suppr \
    --suppress=missingIncludeSystem --error-exitcode=1 -D_GNU_SOURCE -Isrc \
    -I/usr/include/mariadb src/
echo "lint: no findings"

#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (make fuzz FUZZ_SECONDS=N):
#   scripts/fuzz.sh SECONDS build/fuzz/NAME...
# Seeds come from tests/fuzz/corpus/NAME/ (read only); what a run discovers goes
# to build/fuzz/corpus/NAME/, a finding to build/fuzz/crash-NAME-*, the full
# output to build/fuzz/NAME.log. Prints the executions of each target (from
# libFuzzer's final stats) and exits 1 when any target found something.
set -uo pipefail

seconds=$1
shift
rc=0
for bin in "$@"; do
    name=$(basename "$bin")
    dir=$(dirname "$bin")
    mkdir -p "$dir/corpus/$name"
    log="$dir/$name.log"
    "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=1024 \
        -artifact_prefix="$dir/crash-$name-" "$dir/corpus/$name" "tests/fuzz/corpus/$name" \
        >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [[ $status -ne 0 ]]; then
        echo "fuzz: $name: FINDING after ${execs:-?} executions (exit $status; see $log)" >&2
        grep -m 5 -E 'ERROR|runtime error|fuzz:' "$log" >&2
        rc=1
    else
        echo "fuzz: $name: ${execs:-?} executions in ${seconds} s, no finding"
    fi
done
exit $rc

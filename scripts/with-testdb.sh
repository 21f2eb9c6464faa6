#!/usr/bin/env bash
# Run a command against a private throwaway MariaDB: start one in a temp dir,
# export LITELIFT_TEST_SOCKET / LITELIFT_TEST_URL, run CMD ARGS..., always
# stop the server and remove the dir, and return CMD's exit status.
# If LITELIFT_TEST_SOCKET is already set and that server answers, reuse it.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TESTDB="$SCRIPT_DIR/testdb.sh"

if [[ -n "${LITELIFT_TEST_SOCKET:-}" ]] &&
    mariadb-admin --no-defaults -S "$LITELIFT_TEST_SOCKET" -uroot \
        --connect-timeout=2 ping >/dev/null 2>&1; then
    echo "with-testdb: reusing server at $LITELIFT_TEST_SOCKET" >&2
    if [[ -z "${LITELIFT_TEST_URL:-}" ]]; then
        export LITELIFT_TEST_URL="mysql://litelift:lite%20pass@localhost/litelift_test?socket=$LITELIFT_TEST_SOCKET"
    fi
    exec "$@"
fi

dbdir=$(mktemp -d /tmp/litelift-db.XXXXXX)

# shellcheck disable=SC2317  # invoked via trap
cleanup() {
    local rc=$?
    "$TESTDB" stop "$dbdir" >&2 || true
    rm -rf "$dbdir"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$TESTDB" start "$dbdir" >&2
eval "$("$TESTDB" env "$dbdir")"

set +e
"$@"
status=$?
set -e
exit "$status"

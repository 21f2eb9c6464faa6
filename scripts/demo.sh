#!/usr/bin/env bash
# make demo: installs missing Debian packages (when root), builds litelift,
# starts the private MariaDB, creates the ApnaBackup target schema, builds the
# fixture project files, runs a dry-run and then the real migration, and prints
# the summaries. The fixtures deliberately contain broken files and rows that
# must be rejected, so litelift's own exit status there is 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/deps.sh
make -s litelift

if [[ -z "${LITELIFT_TEST_SOCKET:-}" ]]; then
    exec scripts/with-testdb.sh "$0" "$@"
fi

fx=$(mktemp -d /tmp/litelift-demo.XXXXXX)
trap 'rm -rf "$fx"' EXIT
bash fixtures/build.sh "$fx"
url="mysql://litelift:lite%20pass@localhost/litelift_demo?socket=$LITELIFT_TEST_SOCKET"
mariadb --no-defaults -S "$LITELIFT_TEST_SOCKET" -uroot -e \
    'DROP DATABASE IF EXISTS litelift_demo; CREATE DATABASE litelift_demo CHARACTER SET utf8mb4'
mariadb --no-defaults -S "$LITELIFT_TEST_SOCKET" -uroot litelift_demo <fixtures/apna_target.sql

run() {
    echo
    echo "\$ litelift $*"
    set +e
    ./litelift "$@" --quiet
    status=$?
    set -e
    echo "(exit status $status)"
}

run migrate --dry-run --source "$fx/apna" --target "$url"
run migrate --source "$fx/apna" --target "$url"
echo
echo "Rows per project in the target (backups):"
mariadb --no-defaults -S "$LITELIFT_TEST_SOCKET" -uroot -r litelift_demo -e \
    'SELECT project_id, COUNT(*) AS backups_rows FROM backups GROUP BY project_id ORDER BY 1'
echo
echo "Exit status 1 above is expected: the fixtures hold a corrupt file, a file that is"
echo "not SQLite and rows that litelift must reject rather than load wrongly."

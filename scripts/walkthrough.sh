#!/usr/bin/env bash
# make walkthrough: regenerates the output blocks of README's cutover
# walkthrough ("Running a migration") from a real run: the fixtures
# fixtures/build.sh makes (acme, and bad with rows that must be rejected)
# plus zeta, 400,000 backups rows made here, migrated into a private MariaDB
# (scripts/with-testdb.sh): a dry-run, a run stopped with SIGINT once zeta
# is under way, the rerun with --accept-rejects, status and verify. Each
# block between <!-- walkthrough:NAME --> and <!-- /walkthrough --> in
# README.md is replaced by what the step printed (paths made relative, the
# URL written "$URL", reject lines beyond the first two counted).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

make -s litelift
if [[ -z "${LITELIFT_TEST_SOCKET:-}" ]]; then
    exec scripts/with-testdb.sh "$0" "$@"
fi

work=$(mktemp -d /tmp/litelift-walk.XXXXXX)
trap 'rm -rf "$work"' EXIT
bash fixtures/build.sh "$work/fx" >/dev/null
mkdir "$work/projects"
cp "$work/fx/apna/acme.db" "$work/fx/apna/bad.db" "$work/projects/"
# zeta: the ApnaBackup schema, 400,000 backups rows
sqlite3 -batch -bail -init /dev/null "$work/projects/zeta.db" <<'EOF' >/dev/null
.read fixtures/apna_schema.sql
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000)
INSERT INTO backups (id, name, pIdText, full_file_name, from_path, file_name, size, date_time,
                     t14, mime_type, digest, meta)
SELECT i, 'nightly', 'p' || (i % 97), '/srv/data/f' || i || '.bin', '/srv/data', 'f' || i || '.bin',
       i * 37 % 100000, 1700000000 + i, 1700000000 + i + 0.25, 'application/octet-stream',
       randomblob(8), '{"n":' || i || '}'
FROM n;
EOF

db=litelift_walk
sock=$LITELIFT_TEST_SOCKET
mariadb --no-defaults -S "$sock" -uroot -e \
    "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4"
mariadb --no-defaults -S "$sock" -uroot "$db" <fixtures/apna_target.sql
pw='lite pass' # the test user's, given to litelift as MYSQL_PWD
URL="mysql://litelift@localhost/$db?socket=$sock"
ll=$root/litelift
cd "$work"

# What a step printed, as the README shows it: the prompt line, the output
# with the work dir, the socket and the URL replaced, the reject lines after
# the first two counted, and the exit status when it is not 0.
show() {
    local status=$1 out=$2 shown=$3
    {
        printf '$ litelift %s\n' "$shown"
        awk -v sock="$sock" -v work="$work/" '
            NR == FNR { total += /^litelift: reject: /; next }
            { gsub(work, ""); gsub(sock, "/run/mysqld/mysqld.sock") }
            /^litelift: reject: / {
                if (++rej <= 2) print
                else if (rej == 3) print "... (" total - 2 " more rejects, each with its key, column and reason)"
                next
            }
            { print }
        ' "$out" "$out"
        [[ $status == 0 ]] || printf '$ echo $?\n%s\n' "$status"
    } >"$out.md"
}

# step NAME SHOWN ARGS...: runs litelift ARGS, keeps its output for block NAME.
step() {
    local name=$1 shown=$2
    shift 2
    local status=0
    MYSQL_PWD=$pw "$ll" "$@" >"$name.out" 2>&1 || status=$?
    show "$status" "$name.out" "$shown"
}

step dry-run 'migrate --dry-run --source projects --target "$URL"' \
    migrate --dry-run --source projects --target "$URL"

# the run, stopped with SIGINT once zeta has 100,000 rows in the target
status=0
MYSQL_PWD=$pw "$ll" migrate --source projects --target "$URL" --progress none >run.out 2>&1 &
pid=$!
for _ in $(seq 1200); do
    n=$(mariadb --no-defaults -S "$sock" -uroot -N "$db" \
        -e "SELECT COUNT(*) FROM backups WHERE project_id = 'zeta'")
    ((n >= 100000)) && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -INT "$pid" 2>/dev/null || true
wait "$pid" || status=$?
show "$status" run.out 'migrate --source projects --target "$URL"'

step rerun 'migrate --source projects --target "$URL" --accept-rejects' \
    migrate --source projects --target "$URL" --accept-rejects
step status 'status --target "$URL" --source projects' \
    status --target "$URL" --source projects
step verify 'verify --checksum --source projects --target "$URL"' \
    verify --checksum --source projects --target "$URL"

cd "$root"
# each block between its markers replaced by the step's output, fenced
WALK=$work perl -0777 -pi -e '
    my $w = $ENV{WALK};
    s{(<!-- walkthrough:([a-z-]+) -->\n)```\n.*?```\n(<!-- /walkthrough -->)}{
        my ($open, $name, $close) = ($1, $2, $3);
        open(my $f, "<", "$w/$name.out.md") or die "no output for $name";
        local $/; my $text = <$f>; close $f;
        "$open```\n$text```\n$close"
    }gse;
' README.md
echo "walkthrough: README.md blocks regenerated (dry-run, run, rerun, status, verify)"

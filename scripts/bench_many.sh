#!/usr/bin/env bash
# make bench, second part (after scripts/bench.sh): what a project costs beyond
# its rows, and what a Galera cluster costs against one plain server.
#
# One run does, under one temp dir removed on exit (even on failure):
#   1. many small projects: one sqlite3 process writes a template project file
#      (the ApnaBackup-shaped `backups` table of fixtures/apna_schema.sql,
#      BENCH_MANY_ROWS rows), `tee` copies it to BENCH_MANY_PROJECTS files
#      (and to a tenth as many in a second directory); one more file holds
#      the same total rows as one project. On a private server
#      (scripts/testdb.sh), each on a fresh database with the `backups` table
#      of fixtures/apna_target.sql, litelift migrate with its defaults loads
#        many_tenth  N/10 small projects
#        many        N small projects
#        one         N x BENCH_MANY_ROWS rows in one project
#      overhead per project = (many - one) / N seconds, in ms; peak RSS of
#      the N/10 and N runs shows whether memory grows with the projects.
#   2. cluster vs single node: BENCH_CLUSTER_ROWS rows in BENCH_CLUSTER_PROJECTS
#      projects loaded with the defaults into the plain server above and into
#      node 1 of a 3-node Galera cluster (scripts/galera.sh, all on this
#      machine, reached through its unix socket too); the ratio of the times.
#      Each of the two is loaded BENCH_CLUSTER_RUNS times (default 3) and
#      the fastest run counts (short loads on a shared machine vary).
#      Skipped, with a message, when galera-4's provider is not installed.
#   After every load: COUNT(*) and the projects present must be exact, the
#   TOTAL line must account for every row; the cluster's CHECKSUM TABLE must
#   equal the plain server's on every node.
#   3. prints a table and writes JSON to ${BENCH_MANY_OUT:-bench-many.json}.
#
# Environment:
#   BENCH_MANY_PROJECTS     small projects (default 10000)
#   BENCH_MANY_ROWS         rows in each small project (default 5)
#   BENCH_ROWS              as for bench.sh (default 1000000): the cluster
#                           load is a tenth of it unless
#   BENCH_CLUSTER_ROWS      says otherwise
#   BENCH_CLUSTER_PROJECTS  projects of the cluster load (default 8)
#   BENCH_CLUSTER_NODES     Galera nodes (default 3; 0 skips the cluster part)
#   BENCH_CLUSTER_RUNS      loads of each side, the fastest counting (default 3)
#   BENCH_MANY_OUT          JSON results file (default bench-many.json)
#   BENCH_KEEP=1            keep the temp dir and leave the servers running
#   LITELIFT                binary to measure (default ./litelift; copied first)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
TESTDB="$SCRIPT_DIR/testdb.sh"
GALERA="$SCRIPT_DIR/galera.sh"
GALERA_PROVIDER=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
TARGET_DDL="$ROOT/fixtures/apna_target.sql"
LITELIFT=${LITELIFT:-$ROOT/litelift}
MANY=${BENCH_MANY_PROJECTS:-10000}
MANY_ROWS=${BENCH_MANY_ROWS:-5}
BENCH_ROWS=${BENCH_ROWS:-1000000}
CL_ROWS=${BENCH_CLUSTER_ROWS:-$((BENCH_ROWS / 10))}
CL_PROJECTS=${BENCH_CLUSTER_PROJECTS:-8}
CL_NODES=${BENCH_CLUSTER_NODES:-3}
CL_RUNS=${BENCH_CLUSTER_RUNS:-3}
OUT=${BENCH_MANY_OUT:-bench-many.json}
KEEP=${BENCH_KEEP:-0}
DB=litelift_bench

say() { printf 'bench-many: %s\n' "$*" >&2; }
fail() {
    printf 'bench-many: FAILED: %s\n' "$*" >&2
    exit 1
}

for v in MANY MANY_ROWS CL_ROWS CL_PROJECTS CL_RUNS; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || fail "$v must be a positive integer (got '${!v}')"
done
[[ "$CL_NODES" =~ ^[0-9]+$ ]] || fail "BENCH_CLUSTER_NODES must be a number"
((MANY >= 10)) || fail "BENCH_MANY_PROJECTS must be at least 10 (a tenth of it is measured too)"
((CL_PROJECTS <= CL_ROWS)) || fail "BENCH_CLUSTER_PROJECTS must not exceed BENCH_CLUSTER_ROWS"
[[ -x "$LITELIFT" ]] || fail "$LITELIFT not built (run make)"
for tool in sqlite3 mariadb awk tee xargs; do
    command -v "$tool" >/dev/null || fail "$tool not found (scripts/deps.sh installs it)"
done
[[ -x /usr/bin/time ]] || fail "/usr/bin/time not found (Debian package 'time')"

work=$(mktemp -d /tmp/litelift-bench-many.XXXXXX)
single_dir="$work/db"
cluster_dir="$work/galera"
single_up=0
cluster_up=0

# shellcheck disable=SC2317  # invoked via trap
on_exit() {
    local rc=$?
    if [[ "$KEEP" == 1 ]]; then
        say "kept $work (servers still running: scripts/testdb.sh stop $single_dir; scripts/galera.sh stop $cluster_dir)"
    else
        ((!cluster_up)) || "$GALERA" stop "$cluster_dir" >&2 || true
        ((!single_up)) || "$TESTDB" stop "$single_dir" >&2 || true
        rm -rf "$work"
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cp "$LITELIFT" "$work/litelift"
LITELIFT_SRC=$LITELIFT
LITELIFT="$work/litelift"

stamp() { date +%s.%N; }
diff_secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ---------------------------------------------------------------------------
# 1. Data
# ---------------------------------------------------------------------------
# Rows n = FIRST..LAST, every value derived from n (deterministic): the same
# columns and kinds of values as bench.sh's, shorter.
read -r -d '' ROWS_SQL <<'SQL' || true
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE backups (
    id REAL PRIMARY KEY, name TEXT NOT NULL, pIdText TEXT, full_file_name TEXT,
    from_path TEXT, file_name TEXT, size INTEGER, date_time INTEGER, t14 REAL,
    mime_type TEXT, digest BLOB, meta TEXT
);
BEGIN;
INSERT INTO backups
WITH RECURSIVE c(n) AS (SELECT @FIRST@ UNION ALL SELECT n + 1 FROM c WHERE n < @LAST@)
SELECT 1600000000 + n * 60 + (n % 8) / 8.0,
       'backup-job-' || printf('%02d', n % 37),
       CASE WHEN n % 23 = 0 THEN NULL ELSE 'PID' || printf('%07d', n / 10) END,
       'D:\Shares\Finance\Q' || (1 + n % 4) || '\ledger_' || printf('%07d', n) || '.xlsx',
       'D:\Shares\Finance\Q' || (1 + n % 4),
       'ledger_' || printf('%07d', n) || '.xlsx',
       (n * 7919) % 52428800,
       1600000000 + n * 60,
       1600000003 + n * 60 + (n % 1000) / 1000.0,
       CASE WHEN n % 29 = 0 THEN NULL ELSE 'application/pdf' END,
       CAST(printf('%08x%08x', (n * 2654435761) % 4294967296, (n * 40503) % 4294967296) AS BLOB),
       '{"n":' || n || ',"ok":' || CASE WHEN n % 2 = 1 THEN 'true' ELSE 'false' END || '}'
FROM c;
COMMIT;
SQL

write_rows() { # FILE FIRST LAST
    local sql=${ROWS_SQL//@FIRST@/$2}
    sql=${sql//@LAST@/$3}
    sqlite3 "$1" <<<"$sql" >/dev/null
}

# COUNT copies of TEMPLATE named DIR/pNNNNN.db, 500 files per tee process.
# shellcheck disable=SC2016  # the single-quoted script is sh -c's own
copy_template() { # TEMPLATE DIR COUNT
    mkdir -p "$2"
    seq -f "$2/p%05.0f.db" 1 "$3" | xargs -n 500 sh -c 'tee "$@" <"$0" >/dev/null' "$1"
}

loadavg_start=$(cut -d' ' -f1 /proc/loadavg)
tenth=$((MANY / 10))
say "generating $MANY and $tenth projects of $MANY_ROWS row(s), one of $((MANY * MANY_ROWS)), $CL_PROJECTS of $CL_ROWS in all"
t0=$(stamp)
write_rows "$work/template.db" 1 "$MANY_ROWS"
copy_template "$work/template.db" "$work/many" "$MANY"
copy_template "$work/template.db" "$work/many_tenth" "$tenth"
mkdir -p "$work/one" "$work/cluster"
write_rows "$work/one/p00000.db" 1 "$((MANY * MANY_ROWS))"
first=1
for ((p = 1; p <= CL_PROJECTS; p++)); do
    last=$((CL_ROWS * p / CL_PROJECTS))
    write_rows "$(printf '%s/cluster/c%03d.db' "$work" "$p")" "$first" "$last"
    first=$((last + 1))
done
gen_secs=$(diff_secs "$t0" "$(stamp)")
say "generated in ${gen_secs}s"

# ---------------------------------------------------------------------------
# 2. Loads
# ---------------------------------------------------------------------------
backups_ddl=$(awk '/^CREATE TABLE backups \(/ { p = 1 } p { print } p && /;[[:space:]]*$/ { exit }' "$TARGET_DDL")
[[ "$backups_ddl" == *"PRIMARY KEY (project_id, id)"* ]] || fail "no backups table in $TARGET_DDL"

on_sock() { # SOCKET SQL...: run as root through SOCKET
    local s=$1
    shift
    mariadb --no-defaults -S "$s" -uroot -N -B "$@"
}

new_db() { # SOCKET
    on_sock "$1" -e "DROP DATABASE IF EXISTS \`$DB\`; CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    on_sock "$1" "$DB" <<<"$backups_ddl"
}

# Statements the server was sent so far (its Questions counter).
questions() { # SOCKET
    on_sock "$1" -e "SHOW GLOBAL STATUS LIKE 'Questions'" | awk '{ print $2 }'
}

NAMES=() SECS=() RSS_KB=() CPU=() ROWS=() PROJS=() CMDS=() STMTS=()

# load NAME SOCKET SOURCE_DIR ROWS PROJECTS [RUNS]: litelift migrate with its
# defaults into a fresh database, RUNS times (default 1), each timed and then
# checked exactly; the fastest run is the measurement.
load() {
    local name=$1 sock=$2 dir=$3 rows=$4 projects=$5 runs=${6:-1}
    local url="mysql://litelift:lite%20pass@localhost/$DB?socket=$sock"
    local cmd=("$LITELIFT" migrate --source "$dir" --target "$url" --no-backup-rename --quiet
        --rejects "$work/rejects")
    local log="$work/$name.out" tv="$work/$name.time" t0 t1 q0 q1 k got secs best="" rc
    for ((k = 1; k <= runs; k++)); do
        new_db "$sock"
        say "loading $name ($k of $runs): $projects project(s), $rows row(s)"
        rc=0
        q0=$(questions "$sock")
        t0=$(stamp)
        /usr/bin/time -v -o "$tv" "${cmd[@]}" >"$log" 2>&1 || rc=$?
        t1=$(stamp)
        q1=$(questions "$sock")
        ((rc == 0)) || {
            tail -n 30 "$log" >&2
            fail "$name: exit status $rc"
        }
        awk -v want="$rows" '$1 == "TOTAL" { ok = ($2 == want && $3 == want && $4 == 0) }
            END { exit !ok }' "$log" || fail "$name: the TOTAL line does not show $rows row(s) read and loaded"
        got=$(on_sock "$sock" "$DB" -e 'SELECT COUNT(*), COUNT(DISTINCT project_id) FROM backups')
        [[ "$got" == "$rows"$'\t'"$projects" ]] ||
            fail "$name: target holds '$got' (rows, projects), expected $rows and $projects"
        secs=$(diff_secs "$t0" "$t1")
        say "$name: ${secs}s"
        [[ -z "$best" ]] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }' || continue
        best=$secs
        B_RSS=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$tv")
        B_CPU=$(awk -F: '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$tv")
        B_STMTS=$((q1 - q0 - 1)) # less the SHOW STATUS of q1
    done
    NAMES+=("$name")
    SECS+=("$best")
    RSS_KB+=("$B_RSS")
    CPU+=("$B_CPU")
    ROWS+=("$rows")
    PROJS+=("$projects")
    STMTS+=("$B_STMTS")
    CMDS+=("${cmd[*]//lite%20pass/***}")
    say "$name: ${best}s (fastest of $runs), peak RSS $B_RSS KiB"
}

checksum() { # SOCKET
    on_sock "$1" "$DB" -e 'CHECKSUM TABLE backups' | awk '{ print $2 }'
}

# The index of measurement NAME in the arrays above.
at() {
    local i
    for i in "${!NAMES[@]}"; do
        [[ "${NAMES[i]}" != "$1" ]] || {
            echo "$i"
            return
        }
    done
    fail "no measurement $1"
}

"$TESTDB" start "$single_dir" >&2
single_up=1
single_sock="$single_dir/mysql.sock"
server_version=$(on_sock "$single_sock" -e 'SELECT VERSION()')

load one "$single_sock" "$work/one" "$((MANY * MANY_ROWS))" 1
load many_tenth "$single_sock" "$work/many_tenth" "$((tenth * MANY_ROWS))" "$tenth"
load many "$single_sock" "$work/many" "$((MANY * MANY_ROWS))" "$MANY"
load cluster_single_node "$single_sock" "$work/cluster" "$CL_ROWS" "$CL_PROJECTS" "$CL_RUNS"
single_sum=$(checksum "$single_sock")

cluster_note=""
if ((CL_NODES == 0)); then
    cluster_note="skipped: BENCH_CLUSTER_NODES=0"
elif [[ ! -f "$GALERA_PROVIDER" ]]; then
    cluster_note="skipped: no Galera provider at $GALERA_PROVIDER (Debian package galera-4)"
else
    # A joiner's rsync state transfer writes as nobody, which must reach its
    # data directory through this one.
    mkdir -p "$cluster_dir"
    chmod 755 "$work" "$cluster_dir"
    say "starting a $CL_NODES-node Galera cluster"
    cluster_up=1
    "$GALERA" start "$cluster_dir" "$CL_NODES" >"$work/galera.log" 2>&1 || {
        tail -n 30 "$work/galera.log" >&2
        fail "the Galera cluster did not start"
    }
    load cluster_galera "$cluster_dir/n1/mysql.sock" "$work/cluster" "$CL_ROWS" "$CL_PROJECTS" "$CL_RUNS"
    for ((n = 1; n <= CL_NODES; n++)); do
        s=$(checksum "$cluster_dir/n$n/mysql.sock")
        [[ "$s" == "$single_sum" ]] ||
            fail "node $n: CHECKSUM TABLE $s differs from the plain server's $single_sum"
    done
    cluster_note="node 1 of $CL_NODES through its socket; every node's CHECKSUM TABLE equals the plain server's"
fi
loadavg_end=$(cut -d' ' -f1 /proc/loadavg)

# ---------------------------------------------------------------------------
# 3. Report
# ---------------------------------------------------------------------------
i_one=$(at one)
i_many=$(at many)
i_tenth=$(at many_tenth)
i_single=$(at cluster_single_node)
overhead_ms=$(awk -v m="${SECS[i_many]}" -v o="${SECS[i_one]}" -v n="$MANY" 'BEGIN { printf "%.2f", (m - o) / n * 1000 }')
rss_ratio=$(awk -v a="${RSS_KB[i_many]}" -v b="${RSS_KB[i_tenth]}" 'BEGIN { printf "%.2f", a / b }')
rss_per_project=$(awk -v a="${RSS_KB[i_many]}" -v b="${RSS_KB[i_tenth]}" -v n="$((MANY - tenth))" \
    'BEGIN { printf "%.0f", (a - b) * 1024 / n }')
stmts_per_project=$(awk -v m="${STMTS[i_many]}" -v o="${STMTS[i_one]}" -v n="$MANY" 'BEGIN { printf "%.1f", (m - o) / n }')
cluster_ratio=null
if [[ "$cluster_note" != skipped* ]]; then
    cluster_ratio=$(awk -v g="${SECS[$(at cluster_galera)]}" -v s="${SECS[i_single]}" 'BEGIN { printf "%.2f", g / s }')
fi

printf '\nlitelift bench (many projects, cluster): %s, %s cores\n' "$server_version" "$(nproc)"
printf '%-20s %9s %9s %10s %9s %7s %10s\n' measurement projects rows seconds "RSS MiB" "CPU s" statements
for i in "${!NAMES[@]}"; do
    printf '%-20s %9s %9s %10s %9.1f %7s %10s\n' "${NAMES[i]}" "${PROJS[i]}" "${ROWS[i]}" "${SECS[i]}" \
        "$(awk -v k="${RSS_KB[i]}" 'BEGIN { print k / 1024 }')" "${CPU[i]}" "${STMTS[i]}"
done
printf 'overhead per small project beyond its rows: %s ms ((many - one) / %s); %s statements per project\n' \
    "$overhead_ms" "$MANY" "$stmts_per_project"
printf 'peak RSS: %s KiB at %s projects, %s KiB at %s (x%s, %s bytes per further project)\n' \
    "${RSS_KB[i_tenth]}" "$tenth" "${RSS_KB[i_many]}" "$MANY" "$rss_ratio" "$rss_per_project"
if [[ "$cluster_ratio" == null ]]; then
    printf 'cluster vs single node: %s\n' "$cluster_note"
else
    printf 'cluster vs single node: %sx the time (%s, %s rows in %s projects, fastest of %s runs each)\n' \
        "$cluster_ratio" "$cluster_note" "$CL_ROWS" "$CL_PROJECTS" "$CL_RUNS"
fi
printf 'load average at start %s, at end %s (other work on the machine skews these numbers)\n' \
    "$loadavg_start" "$loadavg_end"

jstr() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}
{
    printf '{\n  "date_utc": %s,\n' "$(jstr "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
    printf '  "litelift_binary": %s,\n' "$(jstr "$LITELIFT_SRC")"
    printf '  "server_version": %s,\n  "cores": %s,\n' "$(jstr "$server_version")" "$(nproc)"
    printf '  "loadavg_start": %s,\n  "loadavg_end": %s,\n' "$loadavg_start" "$loadavg_end"
    printf '  "small_projects": %s,\n  "rows_per_small_project": %s,\n' "$MANY" "$MANY_ROWS"
    printf '  "overhead_ms_per_project": %s,\n' "$overhead_ms"
    printf '  "statements_per_project": %s,\n' "$stmts_per_project"
    printf '  "peak_rss_kib_tenth": %s,\n  "peak_rss_kib_all": %s,\n' "${RSS_KB[i_tenth]}" "${RSS_KB[i_many]}"
    printf '  "peak_rss_bytes_per_further_project": %s,\n' "$rss_per_project"
    printf '  "cluster_nodes": %s,\n  "cluster_rows": %s,\n  "cluster_projects": %s,\n  "cluster_runs": %s,\n' \
        "$CL_NODES" "$CL_ROWS" "$CL_PROJECTS" "$CL_RUNS"
    printf '  "cluster_vs_single_time_ratio": %s,\n  "cluster_note": %s,\n' "$cluster_ratio" "$(jstr "$cluster_note")"
    printf '  "measurements": [\n'
    for i in "${!NAMES[@]}"; do
        printf '    {"name": %s, "projects": %s, "rows": %s, "seconds": %s, "peak_rss_kib": %s, "client_cpu_seconds": %s, "statements": %s, "command": %s}%s\n' \
            "$(jstr "${NAMES[i]}")" "${PROJS[i]}" "${ROWS[i]}" "${SECS[i]}" "${RSS_KB[i]}" "${CPU[i]}" "${STMTS[i]}" \
            "$(jstr "${CMDS[i]}")" "$( ((i + 1 < ${#NAMES[@]})) && echo ,)"
    done
    printf '  ]\n}\n'
} >"$OUT"
say "results written to $OUT"

#!/usr/bin/env bash
# make bench: how fast litelift loads a realistic dataset, measured against the
# server's own ceiling (server-side LOAD DATA INFILE of the same rows).
#
# One run does, all under one temp dir that is removed on exit (even on failure):
#   1. generates BENCH_PROJECTS (default 8) SQLite project files with the sqlite3
#      CLI (recursive CTE, deterministic: every value is derived from the global
#      row number n, no random()), each holding an ApnaBackup-shaped `backups`
#      table (fixtures/apna_schema.sql), BENCH_ROWS (default 1000000) rows in
#      total, split evenly;
#   2. exports the same rows, with their project_id, into one TSV file in LOAD
#      DATA's default format (not timed);
#   3. starts a private MariaDB with scripts/testdb.sh and, each time on a fresh
#      database (DROP/CREATE DATABASE + the `backups` table exactly as in
#      fixtures/apna_target.sql), measures
#        litelift migrate (default method)        end-to-end time, rows/s, peak RSS
#        LOAD DATA INFILE (server-side file)      the server's own ceiling
#        the same, two streams                    the TSV's two halves loaded by
#                                                 two sessions at once
#        stock tools                              sqlite3 CLI exporting each
#                                                 project with SQL conversions,
#                                                 piped to LOAD DATA LOCAL INFILE
#                                                 through the mariadb client, two
#                                                 projects at a time
#        litelift migrate --method insert         only if --help lists --method
#                                                 (otherwise the default run IS the
#                                                 multi-row INSERT path)
#        litelift migrate --jobs 2                only if --help lists --jobs and
#                                                 2 is not the default
#        litelift migrate --jobs 1                and --method insert --jobs 1
#        litelift migrate --dry-run               read + convert only (--jobs 1
#                                                 if --jobs exists; measured
#                                                 first, on the idle server)
#      After every load COUNT(*) must equal BENCH_ROWS and CHECKSUM TABLE must
#      equal the first load's (all methods store identical values), else it fails.
#   4. prints a table (seconds, rows/s, time ratio to LOAD DATA INFILE and to
#      the fastest peer, peak RSS, the client's CPU seconds) and writes it as
#      JSON to ${BENCH_OUT:-bench-results.json}.
#
# Server configuration (fixed by scripts/testdb.sh, not changed here): MariaDB
# from /usr/sbin/mariadbd, --no-defaults, unix socket only (--skip-networking),
# innodb_buffer_pool_size=256M, innodb_flush_log_at_trx_commit=2,
# max_allowed_packet=64M, local_infile=1, utf8mb4 / utf8mb4_unicode_ci server
# defaults, every other setting at its compiled-in default (secure_file_priv
# is unset there, so the server may read the TSV from this script's temp dir).
# The machine this was written on has 2 cores; timings include page-cache-hot
# source files (they were just written).
#
# Environment:
#   BENCH_ROWS       total rows (default 1000000)
#   BENCH_BASELINE   another litelift binary (say, built from an earlier commit):
#                    its defaults and --jobs 1 are measured right after
#                    litelift's own, on the same data and server, so that a
#                    change's cost shows as a ratio within one run
#   BENCH_PROJECTS   project files (default 8)
#   BENCH_OUT        JSON results file (default bench-results.json)
#   BENCH_KEEP=1     keep the temp dir (data, TSV, logs) and leave the server
#                    running; the script prints where it is
#   LITELIFT         binary to measure (default ./litelift of this checkout); it
#                    is copied first, so a rebuild during the run cannot mix
#                    two versions into one table
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
TESTDB="$SCRIPT_DIR/testdb.sh"
TARGET_DDL="$ROOT/fixtures/apna_target.sql"
LITELIFT=${LITELIFT:-$ROOT/litelift}
BENCH_ROWS=${BENCH_ROWS:-1000000}
BENCH_PROJECTS=${BENCH_PROJECTS:-8}
BENCH_OUT=${BENCH_OUT:-bench-results.json}
BENCH_KEEP=${BENCH_KEEP:-0}
DB=litelift_bench
PARALLEL=2 # generation/export processes at a time (2-core machine)

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
    printf 'bench: FAILED: %s\n' "$*" >&2
    exit 1
}

[[ "$BENCH_ROWS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROWS must be a positive integer"
[[ "$BENCH_PROJECTS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PROJECTS must be a positive integer"
((BENCH_PROJECTS <= BENCH_ROWS)) || die "BENCH_PROJECTS must not exceed BENCH_ROWS"
[[ -x "$LITELIFT" ]] || die "$LITELIFT not built (run make)"
[[ -f "$TARGET_DDL" ]] || die "$TARGET_DDL missing"
for tool in sqlite3 mariadb awk; do
    command -v "$tool" >/dev/null || die "$tool not found (scripts/deps.sh installs it)"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (Debian package 'time')"

tmp=$(mktemp -d /tmp/litelift-bench.XXXXXX)
src="$tmp/projects"
dbdir="$tmp/db"
tsv="$tmp/backups.tsv"
server_started=0
tsv_elsewhere="" # set when secure_file_priv makes us put the TSV outside $tmp
BG_PIDS=()

# shellcheck disable=SC2317  # invoked via trap
cleanup() {
    local rc=$?
    local pid
    for pid in "${BG_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    [[ -z "$tsv_elsewhere" ]] || rm -f "$tsv_elsewhere" "$tsv_elsewhere.1" "$tsv_elsewhere.2"
    if [[ "$BENCH_KEEP" == 1 ]]; then
        log "kept $tmp (server still running: scripts/testdb.sh stop $dbdir)"
    else
        if ((server_started)); then
            "$TESTDB" stop "$dbdir" >&2 || true
        fi
        rm -rf "$tmp"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Snapshot of the binary: a rebuild during the run (others may be working in
# this checkout) must not mix two versions into one table.
cp "$LITELIFT" "$tmp/litelift"
BASELINE=""
if [[ -n "${BENCH_BASELINE:-}" ]]; then
    [[ -x "$BENCH_BASELINE" ]] || die "BENCH_BASELINE=$BENCH_BASELINE is not an executable"
    cp "$BENCH_BASELINE" "$tmp/baseline"
    BASELINE="$tmp/baseline"
fi
LITELIFT_SRC=$LITELIFT
LITELIFT="$tmp/litelift"
litelift_sha=$(sha256sum "$LITELIFT" | cut -c1-64)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# Run "$@" with at most $PARALLEL at a time in the background; wait_all
# collects them and fails if any failed.
spawn() {
    "$@" &
    BG_PIDS+=($!)
    if ((${#BG_PIDS[@]} >= PARALLEL)); then
        wait "${BG_PIDS[0]}"
        BG_PIDS=("${BG_PIDS[@]:1}")
    fi
}
wait_all() {
    local pid
    while ((${#BG_PIDS[@]})); do
        pid=${BG_PIDS[0]}
        wait "$pid"
        BG_PIDS=("${BG_PIDS[@]:1}")
    done
}

# ---------------------------------------------------------------------------
# 1. Dataset
# ---------------------------------------------------------------------------

# Digest material. sqlite3 3.40 has no unhex(), so the 256 single bytes are
# written as X'..' literals, and a pool of 65536 distinct-ish 8-byte blobs is
# built from them (byte j of entry k = bits 13..20 of k*M_j + A_j). A row's
# 16-byte digest is two pool entries picked by two mixes of n.
gen="$tmp/gen.db"
make_pool() {
    local i bytes="" sel=() mul=(2654435761 2246822519 3266489917 668265263 374761393 2870177450 1181783497 3674653429)
    for ((i = 0; i < 256; i++)); do
        bytes+=$(printf "%s(%d,X'%02X')" "${bytes:+,}" "$i" "$i")
    done
    for ((i = 0; i < 8; i++)); do
        sel+=("(SELECT b FROM hb WHERE i = ((k * ${mul[i]} + $((i * 97 + 13))) >> 13) & 255)")
    done
    local concat
    concat=$(IFS='|'; echo "${sel[*]}")
    concat=${concat//|/ || }
    sqlite3 "$gen" >/dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE hb (i INTEGER PRIMARY KEY, b BLOB NOT NULL);
INSERT INTO hb VALUES $bytes;
CREATE TABLE p8 (k INTEGER PRIMARY KEY, b BLOB NOT NULL);
INSERT INTO p8
WITH RECURSIVE c(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM c WHERE k < 65535)
SELECT k, CAST($concat AS BLOB) FROM c;
SQL
}

# One project file: rows n = FIRST..LAST of the global numbering. STEP spreads
# date_time over 1.6e9 .. 1.75e9. Ids are date_time + k/8 (distinct, in order),
# t14 = date_time + 3 + ms/1000 (milliseconds, like a real clock).
# Quoted heredoc: SQL backslashes stay literal; @NAME@ are filled in below.
read -r -d '' PROJECT_SQL <<'SQL' || true
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
ATTACH '@GEN@' AS g;
CREATE TABLE backups (
    id             REAL PRIMARY KEY,
    name           TEXT NOT NULL,
    pIdText        TEXT,
    full_file_name TEXT,
    from_path      TEXT,
    file_name      TEXT,
    size           INTEGER,
    date_time      INTEGER,
    t14            REAL,
    mime_type      TEXT,
    digest         BLOB,
    meta           TEXT
);
BEGIN;
INSERT INTO backups (id, name, pIdText, full_file_name, from_path, file_name,
                     size, date_time, t14, mime_type, digest, meta)
WITH RECURSIVE c(n) AS (SELECT @FIRST@ UNION ALL SELECT n + 1 FROM c WHERE n < @LAST@),
v AS (
    SELECT n,
           1600000000 + n * @STEP@ AS dt,
           CASE n % 3
               WHEN 0 THEN 'C:\Users\user' || printf('%03d', n % 211)
                           || '\Documents\Projects\Client-' || printf('%04d', (n / 7) % 5000)
               WHEN 1 THEN 'D:\Shares\Finance\' || (2019 + n % 6) || '\Q' || (1 + n % 4)
                           || '\Ledger-' || printf('%05d', (n / 3) % 40000)
               ELSE 'E:\Backup\Servers\srv-' || printf('%02d', n % 17)
                    || '\var\log\app-' || printf('%04d', n % 9973)
           END AS dir,
           CASE n % 5 WHEN 0 THEN 'report_' WHEN 1 THEN 'ledger_' WHEN 2 THEN 'scan_'
                      WHEN 3 THEN 'photo_' ELSE 'notes_' END
               || printf('%07d', n) AS base,
           n % 5 AS kind
    FROM c
)
SELECT dt + (n % 8) / 8.0,
       'backup-job-' || printf('%02d', n % 37),
       CASE WHEN n % 23 = 0 THEN NULL ELSE 'PID' || printf('%07d', n / 10) END,
       dir || '\' || base || CASE kind WHEN 0 THEN '.docx' WHEN 1 THEN '.xlsx'
                                       WHEN 2 THEN '.pdf' WHEN 3 THEN '.jpg' ELSE '.txt' END,
       dir,
       base || CASE kind WHEN 0 THEN '.docx' WHEN 1 THEN '.xlsx'
                         WHEN 2 THEN '.pdf' WHEN 3 THEN '.jpg' ELSE '.txt' END,
       (n * 7919) % 52428800 + n % 1000,
       dt,
       dt + 3 + (n % 1000) / 1000.0,
       CASE WHEN n % 29 = 0 THEN NULL
            WHEN kind = 0 THEN 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
            WHEN kind = 1 THEN 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
            WHEN kind = 2 THEN 'application/pdf'
            WHEN kind = 3 THEN 'image/jpeg'
            ELSE 'text/plain' END,
       CAST((SELECT b FROM g.p8 WHERE k = (n * 40503) & 65535)
            || (SELECT b FROM g.p8 WHERE k = ((n * 2246822519 + 12345) >> 16) & 65535) AS BLOB),
       '{"n":' || n || ',"rev":' || (n % 5) || ',"tags":["t' || (n % 3)
           || '","nightly"],"ok":' || CASE WHEN n % 2 = 1 THEN 'true' ELSE 'false' END || '}'
FROM v;
COMMIT;
SQL

# The same rows as one TSV line each, project_id first, in LOAD DATA INFILE's
# default format (FIELDS TERMINATED BY '\t' ESCAPED BY '\\', LINES TERMINATED
# BY '\n'): NULL is \N (.nullvalue); in text, backslash -> \\, TAB -> \t,
# LF -> \n, CR -> \r (the generated data has no NUL byte). Numbers are written
# so they read back as the same value: id with %!.17g (round-trip exact),
# t14 with %.6f (the ms fraction exactly), date_time as integer seconds; the
# digest as hex, turned back into bytes by the LOAD DATA's SET UNHEX(@digest_hex).
read -r -d '' EXPORT_SQL <<'SQL' || true
.headers off
.mode list
.separator "\t" "\n"
.nullvalue '\N'
SELECT replace(replace(replace(replace('@PID@', '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r'),
       printf('%!.17g', id),
       replace(replace(replace(replace(name, '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r'),
       replace(replace(replace(replace(pIdText, '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r'),
       replace(replace(replace(replace(full_file_name, '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r'),
       replace(replace(replace(replace(from_path, '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r'),
       replace(replace(replace(replace(file_name, '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r'),
       size,
       date_time,
       CASE WHEN t14 IS NULL THEN NULL ELSE printf('%.6f', t14) END,
       replace(replace(replace(replace(mime_type, '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r'),
       CASE WHEN digest IS NULL THEN NULL ELSE hex(digest) END,
       replace(replace(replace(replace(meta, '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r')
FROM backups ORDER BY rowid;
SQL

project_name() { printf 'proj%03d' "$1"; }

# Both run in the background subshell made by spawn, where `exec` makes the
# tracked pid the sqlite3 process itself (so cleanup's kill reaches it).
make_project() { # INDEX FIRST LAST STEP [DIR, default $src]
    local sql=$PROJECT_SQL
    sql=${sql//@GEN@/$gen}
    sql=${sql//@FIRST@/$2}
    sql=${sql//@LAST@/$3}
    sql=${sql//@STEP@/$4}
    exec sqlite3 "${5:-$src}/$(project_name "$1").db" <<<"$sql" >/dev/null # PRAGMA echoes
}

export_project() { # INDEX
    local name sql=$EXPORT_SQL
    name=$(project_name "$1")
    sql=${sql//@PID@/$name}
    exec sqlite3 -readonly "$src/$name.db" <<<"$sql" >"$tmp/part.$name.tsv"
}

# Other work on this small machine skews the numbers: record the load average.
loadavg_start=$(cut -d' ' -f1 /proc/loadavg)
mkdir -p "$src"
step=$((150000000 / BENCH_ROWS))
((step >= 1)) || step=1
log "generating $BENCH_ROWS rows in $BENCH_PROJECTS project files under $src"
t0=$(now)
make_pool
per=$((BENCH_ROWS / BENCH_PROJECTS))
extra=$((BENCH_ROWS % BENCH_PROJECTS))
first=1
for ((p = 1; p <= BENCH_PROJECTS; p++)); do
    count=$((per + (p <= extra ? 1 : 0)))
    spawn make_project "$p" "$first" "$((first + count - 1))" "$step"
    first=$((first + count))
done
wait_all
gen_secs=$(elapsed "$t0" "$(now)")
# The same rows again as one project, for the one-huge-project speed-up (g.).
one="$tmp/one"
mkdir -p "$one"
(make_project 0 1 "$BENCH_ROWS" "$step" "$one")
rm -f "$gen"
src_bytes=$(du -cb "$src"/*.db | awk 'END { print $1 }')
log "dataset: $(awk -v b="$src_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB in ${gen_secs}s"

t0=$(now)
for ((p = 1; p <= BENCH_PROJECTS; p++)); do
    spawn export_project "$p"
done
wait_all
for ((p = 1; p <= BENCH_PROJECTS; p++)); do
    cat "$tmp/part.$(project_name "$p").tsv"
done >"$tsv"
rm -f "$tmp"/part.*.tsv
tsv_secs=$(elapsed "$t0" "$(now)")
tsv_bytes=$(stat -c %s "$tsv")
tsv_lines=$(wc -l <"$tsv")
((tsv_lines == BENCH_ROWS)) || die "TSV has $tsv_lines lines, expected $BENCH_ROWS"
log "server-side TSV: $(awk -v b="$tsv_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB in ${tsv_secs}s"

# ---------------------------------------------------------------------------
# 2. Server
# ---------------------------------------------------------------------------
server_started=1
"$TESTDB" start "$dbdir" >&2
eval "$("$TESTDB" env "$dbdir")"
sock=$LITELIFT_TEST_SOCKET
url="${LITELIFT_TEST_URL%%/litelift_test\?*}/$DB?socket=$sock"
[[ "$url" == mysql://*"/$DB?socket=$sock" ]] || die "cannot derive the target URL from '$LITELIFT_TEST_URL'"

sql_root() { mariadb --no-defaults -S "$sock" -uroot "$@"; }

server_version=$(sql_root -N -B -e 'SELECT VERSION()')
secure_file_priv=$(sql_root -N -B -e 'SELECT IFNULL(@@secure_file_priv, "NULL")')
case "$secure_file_priv" in
NULL | "") ;; # no restriction in MariaDB
*)
    # The server only reads files under this directory: put the TSV there.
    log "secure_file_priv=$secure_file_priv: moving the TSV there"
    [[ -d "$secure_file_priv" && -w "$secure_file_priv" ]] ||
        die "secure_file_priv=$secure_file_priv is not a writable directory; start the server with --secure-file-priv=$tmp"
    tsv_elsewhere="${secure_file_priv%/}/litelift-bench.$$.tsv"
    mv "$tsv" "$tsv_elsewhere"
    tsv=$tsv_elsewhere
    ;;
esac
# The two halves of the rows, for two concurrent server-side streams.
half=$((BENCH_ROWS / 2))
head -n "$half" "$tsv" >"$tsv.1"
tail -n "+$((half + 1))" "$tsv" >"$tsv.2"

# The target table, exactly as the application creates it.
backups_ddl=$(awk '/^CREATE TABLE backups \(/ { p = 1 } p { print } p && /;[[:space:]]*$/ { exit }' "$TARGET_DDL")
[[ "$backups_ddl" == *"PRIMARY KEY (project_id, id)"* ]] || die "could not extract the backups table from $TARGET_DDL"

fresh_db() {
    sql_root -e "DROP DATABASE IF EXISTS \`$DB\`; CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    sql_root "$DB" <<<"$backups_ddl"
}

# ---------------------------------------------------------------------------
# 3. Measurements
# ---------------------------------------------------------------------------
# `migrate --help` lists migrate's options; older builds list all in --help.
help_text=$("$LITELIFT" migrate --help 2>&1 || true)
grep -q -- '--source' <<<"$help_text" || help_text=$("$LITELIFT" --help 2>&1 || true)
has_method=0
has_jobs=0
grep -q -- '--method' <<<"$help_text" && has_method=1
grep -q -- '--jobs' <<<"$help_text" && has_jobs=1
default_note="default method"
default_jobs=1
if ((has_jobs)); then
    # "--jobs N ... (default: one per core)" or "(default N)"
    jobs_help=$(grep -A2 -- '--jobs' <<<"$help_text" | tr '\n' ' ')
    if [[ "$jobs_help" == *"one per core"* ]]; then
        default_jobs=$(nproc)
    elif [[ "$jobs_help" =~ \(default:?\ ([0-9]+)\) ]]; then
        default_jobs=${BASH_REMATCH[1]}
    else
        die "cannot tell litelift's default --jobs from --help"
    fi
fi
if ((has_method)); then
    # e.g. "... else insert (auto, default)"
    default_method=$(grep -A3 -- '--method' <<<"$help_text" | grep -o '([a-z]*, default)' | head -n 1 | tr -d '(),' | cut -d' ' -f1 || true)
    default_note="default method (${default_method:-see --help} per --help; server local_infile=$(sql_root -N -B -e 'SELECT @@local_infile'))"
fi
((has_jobs)) && default_note+=", $default_jobs job(s) by default"

R_NAME=() R_CMD=() R_SECS=() R_RSS=() R_CPU=() R_JOBS=() R_NOTE=()
ref_checksum=""
ref_name=""

# measure NAME JOBS NOTE CMD...: time CMD; peak RSS (of the largest process
# when CMD runs several) and CPU seconds (user + sys of CMD and every process
# it waited for) from /usr/bin/time -v.
measure() {
    local name=$1 jobs=$2 note=$3
    shift 3
    local out="$tmp/out.$name" tf="$tmp/time.$name" t0 t1 rc=0 rss cpu
    log "measuring $name: $*"
    t0=$(now)
    /usr/bin/time -v -o "$tf" "$@" >"$out" 2>&1 || rc=$?
    t1=$(now)
    if ((rc != 0)); then
        tail -n 30 "$out" >&2
        die "$name: exit status $rc"
    fi
    rss=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$tf")
    [[ "$rss" =~ ^[0-9]+$ ]] || die "$name: no peak RSS in $tf"
    cpu=$(awk -F: '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$tf")
    R_NAME+=("$name")
    R_CMD+=("$*")
    R_SECS+=("$(elapsed "$t0" "$t1")")
    R_RSS+=("$rss")
    R_CPU+=("$cpu")
    R_JOBS+=("$jobs")
    R_NOTE+=("$note")
    log "$name: ${R_SECS[-1]}s"
}

# After a load: exactly BENCH_ROWS rows, and the same table content as the
# first load (CHECKSUM TABLE over identical DDL).
check_load() {
    local name=$1 n sum
    n=$(sql_root -N -B "$DB" -e 'SELECT COUNT(*) FROM backups')
    [[ "$n" == "$BENCH_ROWS" ]] || die "$name: target holds $n rows, expected $BENCH_ROWS"
    sum=$(sql_root -N -B "$DB" -e 'CHECKSUM TABLE backups' | awk '{ print $2 }')
    [[ "$sum" =~ ^[0-9]+$ ]] || die "$name: CHECKSUM TABLE gave '$sum'"
    log "$name: $n rows, CHECKSUM TABLE $sum"
    if [[ -z "$ref_checksum" ]]; then
        ref_checksum=$sum
        ref_name=$name
    elif [[ "$sum" != "$ref_checksum" ]]; then
        die "$name: CHECKSUM TABLE $sum differs from $ref_name's $ref_checksum (stored values differ)"
    fi
}

# litelift's summary line "TOTAL read loaded rejected seconds" must account
# for every row.
check_total() {
    local name=$1
    awk -v want="$BENCH_ROWS" -v name="$name" '
        $1 == "TOTAL" { seen = 1; if ($2 != want || $3 != want || $4 != 0) bad = $0 }
        END {
            if (!seen) { print "bench: FAILED: " name ": no TOTAL line" > "/dev/stderr"; exit 1 }
            if (bad != "") { print "bench: FAILED: " name ": " bad > "/dev/stderr"; exit 1 }
        }' "$tmp/out.$name" || exit 1
}

ll_common=(migrate --source "$src" --target "$url" --no-backup-rename --quiet --rejects "$tmp/rejects")

# d. read + convert only, measured first: on the idle server, so no
# background work left by the loads (InnoDB flushing, purge) takes its cores.
dry_jobs=()
((has_jobs)) && dry_jobs=(--jobs 1)
fresh_db
measure litelift_dry_run 1 "read + convert only, 1 job" "$LITELIFT" "${ll_common[@]}" --dry-run "${dry_jobs[@]}"
check_total litelift_dry_run
n=$(sql_root -N -B "$DB" -e 'SELECT COUNT(*) FROM backups')
[[ "$n" == 0 ]] || die "dry run wrote $n rows"
# The summary's per-table seconds cover reading and converting the rows only
# (not the up-front checks: quick_check, time-unit scan): the conversion rate.
# A CPU-bound figure on a shared machine: the best of DRY_RUNS runs.
DRY_RUNS=4
convert_secs=$(awk '$1 == "TOTAL" { print $5 }' "$tmp/out.litelift_dry_run")
for ((k = 2; k <= DRY_RUNS; k++)); do
    "$LITELIFT" "${ll_common[@]}" --dry-run "${dry_jobs[@]}" >"$tmp/out.dry$k" 2>&1 ||
        die "dry run $k: exit status $?"
    s=$(awk '$1 == "TOTAL" { print $5 }' "$tmp/out.dry$k")
    convert_secs=$(awk -v a="$convert_secs" -v b="$s" 'BEGIN { print (b < a ? b : a) }')
done
convert_rps=$(awk -v r="$BENCH_ROWS" -v s="$convert_secs" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')

# a. default method (the first load: any warm-up cost of a fresh server lands
# on litelift, not on the reference).
fresh_db
measure litelift_default "$default_jobs" "$default_note" "$LITELIFT" "${ll_common[@]}"
check_total litelift_default
check_load litelift_default
if [[ -n "$BASELINE" ]]; then
    fresh_db
    measure baseline_default "$default_jobs" "BENCH_BASELINE, its defaults" "$BASELINE" "${ll_common[@]}"
    check_total baseline_default
    check_load baseline_default
fi

# b. the server's own ceiling: one LOAD DATA INFILE statement, single stream.
load_sql() { # FILE
    printf '%s' "SET time_zone = '+00:00';
LOAD DATA INFILE '$1' INTO TABLE backups CHARACTER SET utf8mb4
  (project_id, id, name, pIdText, full_file_name, from_path, file_name, size,
   @dt, @t14, mime_type, @digest_hex, meta)
  SET date_time = FROM_UNIXTIME(@dt),
      t14 = FROM_UNIXTIME(CAST(@t14 AS DECIMAL(20,6))),
      digest = UNHEX(@digest_hex);
SHOW WARNINGS;"
}
# A peer's load prints nothing unless the server warned (SHOW WARNINGS).
no_warnings() {
    [[ ! -s "$tmp/out.$1" ]] || {
        head -n 20 "$tmp/out.$1" >&2
        die "$1 reported warnings"
    }
}
fresh_db
measure load_data_infile 1 "server-side file, mariadb client (RSS is the client's)" \
    mariadb --no-defaults -S "$sock" -uroot "$DB" -e "$(load_sql "$tsv")"
no_warnings load_data_infile
check_load load_data_infile

# b2. two server-side streams: each half of the rows by its own session, at
# the same time.
cat >"$tmp/two_streams.sh" <<'SH'
#!/usr/bin/env bash
# two_streams.sh SOCKET DB SQL1 SQL2: both statements at once, one session each.
set -u
mariadb --no-defaults -S "$1" -uroot "$2" -e "$3" &
a=$!
mariadb --no-defaults -S "$1" -uroot "$2" -e "$4" &
b=$!
rc=0
wait "$a" || rc=1
wait "$b" || rc=1
exit "$rc"
SH
fresh_db
measure load_data_infile_2streams 2 "server-side file, two halves by two sessions at once" \
    bash "$tmp/two_streams.sh" "$sock" "$DB" "$(load_sql "$tsv.1")" "$(load_sql "$tsv.2")"
no_warnings load_data_infile_2streams
check_load load_data_infile_2streams

# b3. stock tools: the sqlite3 CLI exports each project with SQL conversions
# (unix seconds to DATETIME text, which keeps milliseconds only; the digest as
# hex; NULL written as the word NULL and turned back by NULLIF), piped into
# LOAD DATA LOCAL INFILE through the mariadb client, two projects at a time.
# Not exact in general: no escaping (ESCAPED BY '', so a tab or newline inside
# text breaks the row, and text 'NULL' becomes NULL), no
# rejects, checkpoints or validation; it matches on this dataset, which the
# checksum confirms.
cat >"$tmp/stock_one.sh" <<'SH'
#!/usr/bin/env bash
# stock_one.sh SOCKET DB SOURCE_DIR PROJECT: one project through sqlite3 | mariadb.
set -euo pipefail
sqlite3 -readonly "$3/$4.db" <<SQL |
.headers off
.mode list
.separator "\t" "\n"
.nullvalue NULL
SELECT '$4', id, name, pIdText, full_file_name, from_path, file_name, size,
       datetime(date_time, 'unixepoch'), strftime('%Y-%m-%d %H:%M:%f', t14, 'unixepoch'),
       mime_type, CASE WHEN digest IS NULL THEN NULL ELSE hex(digest) END, meta
FROM backups;
SQL
    mariadb --no-defaults --local-infile=1 -S "$1" -uroot "$2" -e "
LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE backups CHARACTER SET utf8mb4
  FIELDS TERMINATED BY '\t' ESCAPED BY '' LINES TERMINATED BY '\n'
  (project_id, id, name, @pid, @ffn, @fp, @fn, @size, @dt, @t14, @mime, @digest_hex, @meta)
  SET pIdText = NULLIF(@pid, 'NULL'), full_file_name = NULLIF(@ffn, 'NULL'),
      from_path = NULLIF(@fp, 'NULL'), file_name = NULLIF(@fn, 'NULL'),
      size = NULLIF(@size, 'NULL'), date_time = NULLIF(@dt, 'NULL'),
      t14 = NULLIF(@t14, 'NULL'), mime_type = NULLIF(@mime, 'NULL'),
      digest = UNHEX(NULLIF(@digest_hex, 'NULL')), meta = NULLIF(@meta, 'NULL');
SHOW WARNINGS;"
SH
stock_names=()
for ((p = 1; p <= BENCH_PROJECTS; p++)); do
    stock_names+=("$(project_name "$p")")
done
fresh_db
measure stock_pipeline 2 "sqlite3 CLI | mariadb LOAD DATA LOCAL, 2 projects at a time (not exact)" \
    xargs -P 2 -n 1 bash "$tmp/stock_one.sh" "$sock" "$DB" "$src" <<<"$(printf '%s\n' "${stock_names[@]}")"
no_warnings stock_pipeline
check_load stock_pipeline

# c. the multi-row INSERT path.
if ((has_method)); then
    fresh_db
    measure litelift_insert "$default_jobs" "--method insert, default jobs" "$LITELIFT" "${ll_common[@]}" --method insert
    check_total litelift_insert
    check_load litelift_insert
    insert_path="litelift_insert (--method insert)"
else
    insert_path="litelift_default (no --method option: the default run is the multi-row INSERT path)"
fi

# e. two jobs (when that is not already the default).
if ((has_jobs && default_jobs != 2)); then
    fresh_db
    measure litelift_jobs2 2 "--jobs 2" "$LITELIFT" "${ll_common[@]}" --jobs 2
    check_total litelift_jobs2
    check_load litelift_jobs2
fi

# f. single stream: one worker, LOAD DATA and INSERT (comparable with the
# server's single-stream LOAD DATA INFILE).
if ((has_jobs)); then
    fresh_db
    measure litelift_jobs1 1 "--jobs 1 (single stream)" "$LITELIFT" "${ll_common[@]}" --jobs 1
    check_total litelift_jobs1
    check_load litelift_jobs1
    if [[ -n "$BASELINE" ]]; then
        fresh_db
        measure baseline_jobs1 1 "BENCH_BASELINE --jobs 1" "$BASELINE" "${ll_common[@]}" --jobs 1
        check_total baseline_jobs1
        check_load baseline_jobs1
    fi
    if ((has_method)); then
        fresh_db
        measure litelift_insert_jobs1 1 "--method insert --jobs 1" "$LITELIFT" "${ll_common[@]}" \
            --method insert --jobs 1
        check_total litelift_insert_jobs1
        check_load litelift_insert_jobs1
    fi
fi

# g. one huge project: all the rows in one project file, --jobs 1 and then
# --jobs 2 (its table cut into two key ranges loaded at once: --split-rows is
# set low enough for any BENCH_ROWS); the speed-up is the ratio of the two.
one_speedup=null
if "$LITELIFT" migrate --help 2>&1 | grep -q -- '--split-rows'; then
    for j in 1 2; do
        fresh_db
        measure "one_project_jobs$j" "$j" "one project of $BENCH_ROWS rows, --jobs $j" "$LITELIFT" \
            migrate --source "$one" --target "$url" --no-backup-rename --quiet \
            --rejects "$tmp/rejects" --jobs "$j" --split-rows 2
        check_total "one_project_jobs$j"
        n=$(sql_root -N -B "$DB" -e 'SELECT COUNT(*) FROM backups')
        [[ "$n" == "$BENCH_ROWS" ]] || die "one_project_jobs$j: target holds $n rows, expected $BENCH_ROWS"
    done
    one_speedup=$(awk -v a="${R_SECS[-2]}" -v b="${R_SECS[-1]}" 'BEGIN { printf "%.2f", a / b }')
fi

server_hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$(tr -dc '0-9' <"$dbdir/mysqld.pid")/status" 2>/dev/null || echo 0)

# ---------------------------------------------------------------------------
# 4. Report
# ---------------------------------------------------------------------------
ref_secs=""
peer_secs="" # the fastest peer: either server-side load or the stock tools
for i in "${!R_NAME[@]}"; do
    [[ "${R_NAME[i]}" == load_data_infile ]] && ref_secs=${R_SECS[i]}
    case "${R_NAME[i]}" in
    load_data_infile | load_data_infile_2streams | stock_pipeline)
        peer_secs=$(awk -v a="$peer_secs" -v b="${R_SECS[i]}" 'BEGIN { print (a == "" || b < a ? b : a) }')
        ;;
    esac
done

json_str() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\t'/\\t}
    s=${s//$'\n'/\\n}
    printf '"%s"' "$s"
}

printf '\nlitelift bench: %d rows, %d projects, %s, %s cores\n' \
    "$BENCH_ROWS" "$BENCH_PROJECTS" "$server_version" "$(nproc)"
printf '%-26s %8s %9s %7s %7s %11s %8s %8s  %s\n' measurement seconds rows/s ratio \
    vs_peer rows/s/core "RSS MiB" "CPU s" note
rows_json=()
for i in "${!R_NAME[@]}"; do
    read -r rps ratio pratio rpc mib < <(awk -v r="$BENCH_ROWS" -v s="${R_SECS[i]}" -v ref="$ref_secs" \
        -v peer="$peer_secs" -v j="${R_JOBS[i]}" -v kb="${R_RSS[i]}" \
        'BEGIN { rps = r / s; printf "%.0f %.2f %.2f %.0f %.1f\n", rps, s / ref, s / peer, rps / j, kb / 1024 }')
    printf '%-26s %8.3f %9s %6sx %6sx %11s %8s %8s  %s\n' "${R_NAME[i]}" "${R_SECS[i]}" "$rps" "$ratio" \
        "$pratio" "$rpc" "$mib" "${R_CPU[i]}" "${R_NOTE[i]}"
    rows_json+=("$(printf '    {"name": %s, "command": %s, "note": %s, "seconds": %s, "rows_per_s": %s, "jobs": %s, "rows_per_s_per_core": %s, "ratio_to_load_data_infile": %s, "ratio_to_fastest_peer": %s, "peak_rss_mib": %s, "client_cpu_seconds": %s}' \
        "$(json_str "${R_NAME[i]}")" "$(json_str "${R_CMD[i]}")" "$(json_str "${R_NOTE[i]}")" \
        "${R_SECS[i]}" "$rps" "${R_JOBS[i]}" "$rpc" "$ratio" "$pratio" "$mib" "${R_CPU[i]}")")
done
printf 'dry-run read + convert of the tables alone (summary seconds %s, best of %s runs, without the up-front checks): %s rows/s on 1 core\n' \
    "$convert_secs" "$DRY_RUNS" "$convert_rps"
printf 'ratio = seconds / load_data_infile seconds; vs_peer = seconds / the fastest of load_data_infile, load_data_infile_2streams and stock_pipeline (%ss); CPU s = user + sys of the client processes; insert path: %s\n' \
    "$peer_secs" "$insert_path"
[[ "$one_speedup" == null ]] ||
    printf 'one huge project: --jobs 2 loads it %sx as fast as --jobs 1 (key ranges at once)\n' "$one_speedup"
printf 'load average at start %s, at end %s (other work on the machine skews these numbers)\n' \
    "$loadavg_start" "$(cut -d' ' -f1 /proc/loadavg)"
printf 'dataset: %s bytes of SQLite (%ss to generate), TSV %s bytes (%ss to export); mariadbd peak RSS %.0f MiB\n' \
    "$src_bytes" "$gen_secs" "$tsv_bytes" "$tsv_secs" "$(awk -v k="$server_hwm_kb" 'BEGIN { print k / 1024 }')"

{
    printf '{\n'
    printf '  "date_utc": %s,\n' "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
    printf '  "litelift_version": %s,\n' "$(json_str "$("$LITELIFT" --version 2>&1 || true)")"
    printf '  "litelift_binary": %s,\n' "$(json_str "$LITELIFT_SRC")"
    printf '  "litelift_sha256": %s,\n' "$(json_str "$litelift_sha")"
    printf '  "server_version": %s,\n' "$(json_str "$server_version")"
    printf '  "fastest_peer_seconds": %s,\n' "$peer_secs"
    printf '  "dry_run_tables_seconds": %s,\n  "dry_run_tables_rows_per_s": %s,\n' "$convert_secs" "$convert_rps"
    printf '  "server_config": {"socket_only": true, "innodb_buffer_pool_size": "256M", "innodb_flush_log_at_trx_commit": 2, "max_allowed_packet": "64M", "local_infile": 1, "secure_file_priv": %s},\n' \
        "$(json_str "$secure_file_priv")"
    printf '  "cores": %s,\n' "$(nproc)"
    printf '  "loadavg_start": %s,\n' "$loadavg_start"
    printf '  "rows": %s,\n' "$BENCH_ROWS"
    printf '  "projects": %s,\n' "$BENCH_PROJECTS"
    printf '  "source_bytes": %s,\n' "$src_bytes"
    printf '  "tsv_bytes": %s,\n' "$tsv_bytes"
    printf '  "generate_seconds": %s,\n' "$gen_secs"
    printf '  "export_seconds": %s,\n' "$tsv_secs"
    printf '  "server_peak_rss_mib": %s,\n' "$(awk -v k="$server_hwm_kb" 'BEGIN { printf "%.1f", k / 1024 }')"
    printf '  "has_method_option": %s,\n' "$([[ $has_method == 1 ]] && echo true || echo false)"
    printf '  "has_jobs_option": %s,\n' "$([[ $has_jobs == 1 ]] && echo true || echo false)"
    printf '  "default_jobs": %s,\n' "$default_jobs"
    printf '  "one_project_jobs2_speedup": %s,\n' "$one_speedup"
    printf '  "insert_path": %s,\n' "$(json_str "$insert_path")"
    printf '  "measurements": [\n'
    for i in "${!rows_json[@]}"; do
        printf '%s%s\n' "${rows_json[i]}" "$( ((i + 1 < ${#rows_json[@]})) && echo ,)"
    done
    printf '  ]\n'
    printf '}\n'
} >"$BENCH_OUT"
log "results written to $BENCH_OUT"

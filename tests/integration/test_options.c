/* Integration tests of litelift's options through the real binary: the mapping
 * file (rename, skip, default, convert, and its errors), `migrate --verify
 * checksum`, --backup-dir on another filesystem, SIGTERM, --jobs, status,
 * --version/--help and usage errors, and target URLs with odd passwords. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "cannot write %s", path);
    cr_assert(fputs(text, f) >= 0);
    cr_assert(fclose(f) == 0);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The whole line of text that starts with prefix (at a line start), or NULL. */
static char *line_starting(const char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    for (const char *p = text; p != NULL && *p != '\0';) {
        const char *eol = strchr(p, '\n');
        if (strncmp(p, prefix, n) == 0)
            return strndup(p, eol ? (size_t)(eol - p) : strlen(p));
        p = eol ? eol + 1 : NULL;
    }
    return NULL;
}

/* A summary line's fixed part: project, table, read, loaded, rejected. */
static char *summary_prefix(const char *project, const char *table, long read, long loaded,
                            long rejected)
{
    char *s;
    cr_assert(
        asprintf(&s, "%-24s %-24s %12ld %12ld %9ld ", project, table, read, loaded, rejected) > 0);
    return s;
}

/* Runs one query and checks every field of every row (NULL = SQL NULL). */
static void expect_rows(MYSQL *my, const char *sql, const char *const *want, size_t nrows,
                        size_t ncols)
{
    cr_assert(mysql_query(my, sql) == 0, "%s: %s", sql, mysql_error(my));
    MYSQL_RES *res = mysql_store_result(my);
    cr_assert(res != NULL);
    cr_assert_eq(mysql_num_rows(res), nrows, "%s: %llu rows, expected %zu", sql,
                 (unsigned long long)mysql_num_rows(res), nrows);
    cr_assert_eq(mysql_num_fields(res), ncols);
    for (size_t i = 0; i < nrows; i++) {
        MYSQL_ROW row = mysql_fetch_row(res);
        unsigned long *len = mysql_fetch_lengths(res);
        for (size_t c = 0; c < ncols; c++) {
            const char *w = want[i * ncols + c];
            if (w == NULL) {
                cr_assert(row[c] == NULL, "row %zu column %zu: '%s', expected NULL", i, c, row[c]);
                continue;
            }
            cr_assert(row[c] != NULL, "row %zu column %zu: NULL, expected '%s'", i, c, w);
            cr_assert(len[c] == strlen(w) && memcmp(row[c], w, len[c]) == 0,
                      "row %zu column %zu: '%.*s', expected '%s'", i, c, (int)len[c], row[c], w);
        }
    }
    mysql_free_result(res);
}

/* Number of rows a query returns. */
static long query_rows(MYSQL *my, const char *sql)
{
    cr_assert(mysql_query(my, sql) == 0, "%s: %s", sql, mysql_error(my));
    MYSQL_RES *res = mysql_store_result(my);
    cr_assert(res != NULL);
    long n = (long)mysql_num_rows(res);
    mysql_free_result(res);
    return n;
}

/* ------------------------------------------------------------ mapping ---- */

static const char mapping_ini[] = "[a]\n"
                                  "rename = a2\n"
                                  "old_name.rename = new_name\n"
                                  "legacy.skip = yes\n"
                                  "size.default = 0\n"
                                  "ts.convert = epoch-ms\n"
                                  "\n"
                                  "[scratch]\n"
                                  "skip = yes\n";

/* A project p1.db in a fresh temp dir: table a (mapped onto a2) and scratch. */
static char *mapping_project(MYSQL *my)
{
    harness_exec(my, "CREATE TABLE a2 (project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE "
                     "utf8mb4_bin NOT NULL, id BIGINT NOT NULL, new_name TEXT CHARACTER SET "
                     "utf8mb4 COLLATE utf8mb4_bin, size BIGINT NOT NULL, ts DATETIME(3), "
                     "PRIMARY KEY (project_id, id))");
    char *dir = strdup(harness_tmpdir());
    cr_assert(dir != NULL);
    char sql[300], ini[300];
    snprintf(sql, sizeof sql, "%s/p1.sql", dir);
    /* legacy holds invalid UTF-8 in row 5: it would reject the row if it
     * were not skipped */
    write_file(sql, "CREATE TABLE a (id INTEGER PRIMARY KEY, old_name TEXT, legacy TEXT, "
                    "size INTEGER, ts INTEGER);\n"
                    "CREATE TABLE scratch (x);\n"
                    "INSERT INTO a VALUES (1, 'one', 'L1', 10, 1700000000123);\n"
                    "INSERT INTO a VALUES (2, NULL, 'L2', NULL, 1000000000999);\n"
                    "INSERT INTO a VALUES (3, 'thr''ee é 😀', 'L3', -5, NULL);\n"
                    "INSERT INTO a VALUES (4, '', NULL, NULL, 0);\n"
                    "INSERT INTO a VALUES (5, 'NULL', X'FF', 9223372036854775807, "
                    "4102444799999);\n"
                    "INSERT INTO scratch VALUES (1), ('junk'), (NULL), (X'FF');\n");
    cr_assert(harness_sh("sqlite3 -batch -bail -init /dev/null \"$1/p1.db\" < \"$2\"", dir, sql,
                         NULL) == 0);
    cr_assert(unlink(sql) == 0);
    snprintf(ini, sizeof ini, "%s.ini", dir);
    write_file(ini, mapping_ini);
    return dir;
}

Test(options, mapping_file_renames_skips_defaults_and_converts)
{
    MYSQL *my = harness_db("it_opt_map");
    char *dir = mapping_project(my);
    char ini[300], path[300], backup[300];
    snprintf(ini, sizeof ini, "%s.ini", dir);
    snprintf(path, sizeof path, "%s/p1.db", dir);
    snprintf(backup, sizeof backup, "%s/p1.db.migrated", dir);
    const char *args[] = {
        "migrate", "--source", dir, "--mapping", ini, "--target", harness_url("it_opt_map"), NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "stdout:\n%s\nstderr:\n%s", r.out, r.err);

    static const char *const want[][5] = {
        {"p1", "1", "one", "10", "2023-11-14 22:13:20.123"},
        {"p1", "2", NULL, "0", "2001-09-09 01:46:40.999"},
        {"p1", "3", "thr'ee é 😀", "-5", NULL},
        {"p1", "4", "", "0", "1970-01-01 00:00:00.000"},
        {"p1", "5", "NULL", "9223372036854775807", "2099-12-31 23:59:59.999"},
    };
    expect_rows(my, "SELECT project_id, id, new_name, size, ts FROM a2 ORDER BY id", &want[0][0], 5,
                5);
    cr_assert_eq(query_rows(my, "SHOW TABLES LIKE 'scratch'"), 0, "a skipped table was created");
    cr_assert_eq(query_rows(my, "SHOW TABLES LIKE 'a'"), 0);

    /* the summary: a under its source name, scratch skipped by the mapping */
    char *want_a = summary_prefix("p1", "a", 5, 5, 0);
    char *line = line_starting(r.out, want_a);
    cr_assert(line != NULL, "no line \"%s\":\n%s", want_a, r.out);
    free(line);
    char *want_s = summary_prefix("p1", "scratch", 0, 0, 0);
    line = line_starting(r.out, want_s);
    cr_assert(line != NULL, "no line \"%s\":\n%s", want_s, r.out);
    size_t n = strlen(line), k = strlen("  skipped (mapping file)");
    cr_assert(n > k && strcmp(line + n - k, "  skipped (mapping file)") == 0, "%s", line);
    free(line);
    cr_assert(strstr(r.out, "\np1                       validated; renamed as backup\n") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "\n1 project(s), 0 failed, 0 row(s) rejected\n") != NULL, "%s", r.out);
    cr_assert(strstr(r.err, "reject") == NULL, "%s", r.err);
    cr_assert(!exists(path) && exists(backup), "p1.db was not renamed as its backup");
    harness_result_free(&r);
    free(want_a);
    free(want_s);

    /* verify --checksum applies the same mapping to the backup and agrees */
    const char *vargs[] = {"verify",    "--checksum", "--source", dir,
                           "--mapping", ini,          "--target", harness_url("it_opt_map"),
                           NULL};
    r = harness_run(vargs);
    cr_assert_eq(r.status, 0, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    want_a = summary_prefix("p1", "a", 5, 5, 0);
    line = line_starting(r.out, want_a);
    cr_assert(line != NULL && strstr(line, "checksum ok") != NULL, "%s", r.out);
    free(line);
    free(want_a);
    harness_result_free(&r);

    free(dir);
    mysql_close(my);
}

Test(options, mapping_file_errors_name_the_file_and_line_and_nothing_loads)
{
    MYSQL *my = harness_db("it_opt_maperr");
    char *dir = mapping_project(my);
    char path[300], bad[300];
    snprintf(path, sizeof path, "%s/p1.db", dir);
    snprintf(bad, sizeof bad, "%s.bad.ini", dir);
    static const struct {
        const char *ini, *msg;
    } cases[] = {
        {"[a]\nrename = a2\nold_name.rename = new_name\nlegacy.skip = yes\nsize.default = 0\n"
         "ts.convert = epoch-minutes\n",
         "line 6: [a] ts.convert = epoch-minutes: unknown column option or bad value (convert "
         "takes epoch-s, epoch-ms, epoch-us, julian-day, iso8601 or text)\n"},
        {"; comment\n[a]\nrenam = a2\n", "line 3: [a] renam = a2: unknown table option or bad "
                                         "value"},
        {"[scratch]\nskip = maybe\n", "line 2: [scratch] skip = maybe: unknown table option"},
        {"size.default = 0\n[a]\n", "line 1: option size.default outside of a [table] section"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        write_file(bad, cases[i].ini);
        const char *args[] = {
            "migrate", "--source", dir, "--mapping", bad, "--target", harness_url("it_opt_maperr"),
            NULL};
        struct run_result r = harness_run(args);
        /* a run that could not start: status 1, nothing loaded or renamed */
        cr_assert_eq(r.status, 1, "case %zu: stdout:\n%s\nstderr:\n%s", i, r.out, r.err);
        char want[700];
        snprintf(want, sizeof want, "litelift: mapping file %s %s", bad, cases[i].msg);
        cr_assert(strstr(r.err, want) != NULL, "case %zu: no \"%s\" in:\n%s", i, want, r.err);
        cr_assert(exists(path), "case %zu: the source was renamed", i);
        cr_assert_eq(compare_count(my, "a2", "project_id", "p1"), 0);
        cr_assert_eq(query_rows(my, "SHOW TABLES LIKE 'litelift%'"), 0,
                     "case %zu: a run that could not start wrote checkpoints", i);
        harness_result_free(&r);
    }
    /* an unreadable mapping file */
    const char *args[] = {"migrate",
                          "--source",
                          dir,
                          "--mapping",
                          "/nonexistent/map.ini",
                          "--target",
                          harness_url("it_opt_maperr"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 1, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: mapping file /nonexistent/map.ini: cannot read it\n") !=
                  NULL,
              "%s", r.err);
    cr_assert(exists(path));
    cr_assert_eq(compare_count(my, "a2", "project_id", "p1"), 0);
    harness_result_free(&r);
    free(dir);
    mysql_close(my);
}

/* ----------------------------------------------------- --verify checksum ---- */

Test(options, verify_checksum_passes_and_renames_on_a_faithful_target)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_opt_vfy");
    harness_apply(my, "fixtures/apna_target.sql");
    char src[256], path[300], backup[300], msg[2048];
    snprintf(src, sizeof src, "%s/apna", fx);
    snprintf(path, sizeof path, "%s/acme.db", src);
    snprintf(backup, sizeof backup, "%s/acme.db.migrated", src);
    const char *args[] = {"migrate",  "--verify", "checksum",
                          "--source", src,        "--pattern",
                          "acme.db",  "--target", harness_url("it_opt_vfy"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    cr_assert(
        strstr(r.out, "\nacme                     validated, checksum ok; renamed as backup\n") !=
            NULL,
        "%s", r.out);
    cr_assert(strstr(r.out, "\n1 project(s), 0 failed, 0 row(s) rejected\n") != NULL, "%s", r.out);
    cr_assert(!exists(path) && exists(backup), "acme.db was not renamed");
    long n = compare_project(my, backup, "project_id", "acme", NULL, msg, sizeof msg);
    cr_assert_eq(n, 2058, "%ld rows compared: %s", n, msg);
    harness_result_free(&r);
    mysql_close(my);
}

Test(options, verify_checksum_catches_a_value_changed_by_the_target_and_keeps_the_file)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_opt_vfybad");
    harness_apply(my, "fixtures/apna_target.sql");
    /* the server alters one value on its way in (node stays unique) */
    harness_exec(my, "CREATE TRIGGER alter_node BEFORE INSERT ON node_jobs FOR EACH ROW SET "
                     "NEW.node = IF(NEW.id = 3, CONCAT(NEW.node, 'x'), NEW.node)");
    char src[256], path[300], backup[300], msg[2048];
    snprintf(src, sizeof src, "%s/apna", fx);
    snprintf(path, sizeof path, "%s/acme.db", src);
    snprintf(backup, sizeof backup, "%s/acme.db.migrated", src);
    const char *args[] = {"migrate",  "--verify", "checksum",
                          "--source", src,        "--pattern",
                          "acme.db",  "--target", harness_url("it_opt_vfybad"),
                          NULL};
    /* the whole message, with the two CRC32s (which must differ) */
    regex_t re;
    cr_assert(regcomp(&re,
                      "litelift: project 'acme' \\(acme\\.db\\) FAILED: table node_jobs: the "
                      "target differs from the source \\(source 160 row\\(s\\), CRC32 "
                      "([0-9a-f]{8}); target 160 row\\(s\\), CRC32 ([0-9a-f]{8})\\): first "
                      "difference: key \\(id=3\\) differs in column node: target has "
                      "'node-003x'\n",
                      REG_EXTENDED) == 0);
    for (int run = 0; run < 2; run++) {
        /* the second run finds every table done earlier and verifies again */
        struct run_result r = harness_run(args);
        cr_assert_eq(r.status, 1, "run %d: stdout:\n%s\nstderr:\n%s", run, r.out, r.err);
        regmatch_t m[3];
        cr_assert(regexec(&re, r.err, 3, m, 0) == 0, "run %d: no such FAILED line:\n%s", run,
                  r.err);
        cr_assert(strncmp(r.err + m[1].rm_so, r.err + m[2].rm_so, 8) != 0, "run %d: same CRC32",
                  run);
        cr_assert(strstr(r.out, "\nacme                     FAILED: table node_jobs: the target "
                                "differs from the source") != NULL,
                  "run %d: %s", run, r.out);
        cr_assert(strstr(r.out, "\n1 project(s), 1 failed, 0 row(s) rejected\n") != NULL,
                  "run %d: %s", run, r.out);
        if (run == 1)
            cr_assert(strstr(r.out, "done earlier") != NULL, "%s", r.out);
        cr_assert(exists(path) && !exists(backup), "run %d: the source was renamed", run);
        harness_result_free(&r);
    }
    regfree(&re);
    /* the project row never reached renamed */
    cr_assert_eq(query_rows(my, "SELECT 1 FROM litelift_progress WHERE project_id = 'acme' AND "
                                "table_name = '' AND state = 'renamed'"),
                 0);
    /* the oracle sees the same difference, in the same table */
    long n = compare_project(my, path, "project_id", "acme", NULL, msg, sizeof msg);
    cr_assert_eq(n, -1);
    cr_assert(strstr(msg, "node_jobs") != NULL, "%s", msg);
    mysql_close(my);
}

/* --------------------------------------------- --backup-dir across filesystems ---- */

Test(options, backup_dir_on_another_filesystem_copies_the_file_and_its_wal_byte_exact)
{
    struct stat shm, fxst;
    cr_assert(stat("/dev/shm", &shm) == 0 && access("/dev/shm", W_OK) == 0,
              "no writable /dev/shm: cannot test a backup dir on another filesystem");
    const char *bdir = harness_tmpdir_in("/dev/shm");
    const char *fx = harness_fixtures();
    cr_assert(stat(fx, &fxst) == 0);
    if (shm.st_dev == fxst.st_dev) {
        cr_assert_fail("/dev/shm and %s are on the same filesystem: the cross-filesystem copy "
                       "cannot be tested here",
                       fx);
    }
    MYSQL *my = harness_db("it_opt_bk");
    harness_apply(my, "fixtures/apna_target.sql");
    char src[256], db[300], wal[300], shmf[300], bdb[300], bwal[300], msg[2048];
    snprintf(src, sizeof src, "%s/apna", fx);
    snprintf(db, sizeof db, "%s/walproj.db", src);
    snprintf(wal, sizeof wal, "%s/walproj.db-wal", src);
    snprintf(shmf, sizeof shmf, "%s/walproj.db-shm", src);
    snprintf(bdb, sizeof bdb, "%s/walproj.db.migrated", bdir);
    snprintf(bwal, sizeof bwal, "%s/walproj.db.migrated-wal", bdir);
    struct stat before_db, before_wal, after_db, after_wal;
    cr_assert(stat(db, &before_db) == 0 && stat(wal, &before_wal) == 0 && before_wal.st_size > 0);
    char *sum_db = harness_sha256(db), *sum_wal = harness_sha256(wal);

    const char *args[] = {"migrate",   "--source",   src,
                          "--pattern", "walproj.db", "--backup-dir",
                          bdir,        "--target",   harness_url("it_opt_bk"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    char want[400];
    snprintf(want, sizeof want, "litelift: project 'walproj' (walproj.db): renamed as backup %s\n",
             bdb);
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    cr_assert(strstr(r.out, "\nwalproj                  validated; renamed as backup\n") != NULL,
              "%s", r.out);
    harness_result_free(&r);

    /* the originals are gone, companions too */
    cr_assert(!exists(db) && !exists(wal) && !exists(shmf), "a source file was left behind");
    /* the backup dir holds the file and its WAL (and the -shm SQLite made) */
    DIR *d = opendir(bdir);
    cr_assert(d != NULL);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        cr_assert(strcmp(e->d_name, "walproj.db.migrated") == 0 ||
                      strcmp(e->d_name, "walproj.db.migrated-wal") == 0 ||
                      strcmp(e->d_name, "walproj.db.migrated-shm") == 0,
                  "unexpected file %s in the backup dir", e->d_name);
        files++;
    }
    closedir(d);
    cr_assert(files >= 2);
    cr_assert(stat(bdb, &after_db) == 0 && stat(bwal, &after_wal) == 0, "backup incomplete");
    cr_assert_eq(after_db.st_dev, shm.st_dev);
    cr_assert_eq(after_db.st_size, before_db.st_size);
    cr_assert_eq(after_wal.st_size, before_wal.st_size);
    cr_assert_eq(after_db.st_mode, before_db.st_mode);
    cr_assert_eq(after_wal.st_mode, before_wal.st_mode);
    char *got_db = harness_sha256(bdb), *got_wal = harness_sha256(bwal);
    cr_assert_str_eq(got_db, sum_db, "the backup's bytes differ from the source's");
    cr_assert_str_eq(got_wal, sum_wal, "the backup WAL's bytes differ from the source's");
    free(sum_db);
    free(sum_wal);
    free(got_db);
    free(got_wal);

    /* the backup opens with all its rows, the WAL-only ones too */
    cr_assert(
        harness_sh("test \"$(sqlite3 -readonly \"$1\" 'SELECT count(*) FROM backups')\" = 337", bdb,
                   NULL) == 0,
        "the backup does not show 337 backups rows");
    cr_assert(
        harness_sh("test \"$(sqlite3 -readonly \"$1\" 'SELECT count(*) FROM node_jobs')\" = 185",
                   bdb, NULL) == 0);
    long n = compare_project(my, bdb, "project_id", "walproj", NULL, msg, sizeof msg);
    cr_assert_eq(n, 2108, "%ld rows compared: %s", n, msg);
    const char *st[] = {"status", "--target", harness_url("it_opt_bk"), NULL};
    r = harness_run(st);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    char line[200];
    snprintf(line, sizeof line, "%-24s %-24s %-10s %12s %9s  ", "walproj", "(project)", "renamed",
             "2108", "0");
    cr_assert(strstr(r.out, line) != NULL, "status lacks \"%s\":\n%s", line, r.out);
    harness_result_free(&r);
    mysql_close(my);
}

/* ------------------------------------------------------------- SIGTERM ---- */

Test(options, sigterm_stops_at_a_batch_boundary_like_sigint, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_opt_term");
    char big[300], backup[300], msg[2048];
    snprintf(big, sizeof big, "%s/big.db", dir);
    snprintf(backup, sizeof backup, "%s/big.db.migrated", dir);
    harness_big_project(my, big, 200000);
    const char *args[] = {
        "migrate", "--source", dir, "--batch-rows", "100", "--target", harness_url("it_opt_term"),
        NULL};
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_opt_term", "big", "big", 100);
    cr_assert(kill(pid, SIGTERM) == 0);
    harness_release(hold);
    int sig;
    struct run_result r = harness_wait(pid, &sig);
    cr_assert_eq(sig, 0, "litelift was killed by signal %d instead of stopping", sig);
    cr_assert_eq(r.status, 3, "SIGTERM must stop at a batch boundary with status 3:\n%s\n%s", r.out,
                 r.err);
    cr_assert(strstr(r.out, "\nbig                      interrupted at a batch boundary\n") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "; INTERRUPTED\n") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "\nnext: rerun the same command to continue\n") != NULL, "%s", r.out);
    harness_result_free(&r);
    long partial = compare_count(my, "big", "project_id", "big");
    cr_assert(partial > 0 && partial < 200000, "partial load has %ld rows", partial);
    cr_assert_eq(partial % 100, 0, "only whole batches are committed (%ld rows)", partial);
    /* the checkpoint agrees with the committed rows */
    char sql[200], count[32];
    snprintf(sql, sizeof sql,
             "SELECT rows_loaded, state FROM litelift_progress WHERE project_id = 'big' AND "
             "table_name = 'big'");
    snprintf(count, sizeof count, "%ld", partial);
    const char *const ck[] = {count, "loading"};
    expect_rows(my, sql, ck, 1, 2);
    cr_assert(exists(big) && !exists(backup), "an interrupted project was renamed");

    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    char *want = summary_prefix("big", "big", 200000 - partial, 200000, 0);
    char *line = line_starting(r.out, want);
    cr_assert(line != NULL && strstr(line, "resumed") != NULL, "no \"%s ... resumed\":\n%s", want,
              r.out);
    free(line);
    free(want);
    harness_result_free(&r);
    long n = compare_project(my, backup, "project_id", "big", NULL, msg, sizeof msg);
    cr_assert_eq(n, 200000, "%ld rows compared: %s", n, msg);
    mysql_close(my);
}

/* -------------------------------------------------------------- --jobs ---- */

/* expected_rejects.tsv lines of bad.db as "table\tkey" (for compare_project)
 * and as the reject lines litelift logs. */
static size_t bad_rejects(char **keys, char **lines, size_t max)
{
    char *rows[64][4];
    size_t n = harness_tsv("fixtures/expected_rejects.tsv", rows, max < 64 ? max : 64);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(rows[i][0], "bad");
        cr_assert(asprintf(&keys[i], "%s\t%s", rows[i][1], rows[i][2]) > 0);
        cr_assert(asprintf(&lines[i],
                           "litelift: reject: project 'bad' file bad.db table %s key (%s) column "
                           "%s: ",
                           rows[i][1], rows[i][2], rows[i][3]) > 0);
    }
    harness_tsv_free(rows, n);
    return n;
}

/* text with every occurrence of dir replaced by "SRC" (of rej by "REJ"),
 * every "%9.2f" seconds figure by "S" and the times line by "started ...":
 * what must not differ between two runs. */
static char *normalize(const char *text, const char *dir, const char *rej)
{
    size_t n = strlen(text), dn = strlen(dir), rn = strlen(rej);
    char *out = malloc(n + 1), *o = out;
    for (size_t i = 0; i < n;) {
        if (strncmp(text + i, dir, dn) == 0 || strncmp(text + i, rej, rn) == 0) {
            o += sprintf(o, strncmp(text + i, dir, dn) == 0 ? "SRC" : "REJ");
            i += strncmp(text + i, dir, dn) == 0 ? dn : rn;
            continue;
        }
        if ((i == 0 || text[i - 1] == '\n') && strncmp(text + i, "started ", 8) == 0) {
            o += sprintf(o, "started ...");
            i += strcspn(text + i, "\n");
            continue;
        }
        size_t j = i;
        while (j < n && text[j] >= '0' && text[j] <= '9')
            j++;
        if (j > i && (i == 0 || text[i - 1] == ' ') && j + 2 < n && text[j] == '.' &&
            text[j + 1] >= '0' && text[j + 1] <= '9' && text[j + 2] >= '0' && text[j + 2] <= '9' &&
            (text[j + 3] == '\0' || text[j + 3] == ' ' || text[j + 3] == '\n')) {
            *o++ = 'S';
            i = j + 3;
            continue;
        }
        *o++ = text[i++];
    }
    *o = '\0';
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of text, sorted, joined again. */
static char *sorted_lines(const char *text)
{
    char *copy = strdup(text), **v = NULL, *save = NULL;
    size_t n = 0, len = 0;
    for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
        v = realloc(v, (n + 1) * sizeof *v);
        v[n++] = l;
        len += strlen(l) + 1;
    }
    qsort(v, n, sizeof *v, cmp_str);
    char *out = malloc(len + 1), *o = out;
    for (size_t i = 0; i < n; i++)
        o += sprintf(o, "%s\n", v[i]);
    *o = '\0';
    free(v);
    free(copy);
    return out;
}

static const char *const jobs_projects[] = {"Zürich 東京", "acme",           "back\\slash \"q\"",
                                            "bad",         "o'brien & sons", "walproj"};

/* Migrates the apna fixture (good projects + bad.db) with --jobs N into db. */
static struct run_result jobs_run(const char *jobs, const char *db, char **src_out,
                                  char **rejects_out)
{
    const char *fx = harness_fixtures();
    char *src, *rejects;
    cr_assert(asprintf(&src, "%s/apna", fx) > 0 && asprintf(&rejects, "%s/rejects", fx) > 0);
    cr_assert(harness_sh("cd \"$1\" && rm -f corrupt.db badheader.db notsqlite.db empty.db", src,
                         NULL) == 0);
    MYSQL *my = harness_db(db);
    harness_apply(my, "fixtures/apna_target.sql");
    mysql_close(my);
    const char *args[] = {"migrate",   "--jobs", jobs,       "--source",      src,
                          "--rejects", rejects,  "--target", harness_url(db), NULL};
    struct run_result r = harness_run(args);
    *src_out = src;
    *rejects_out = rejects;
    return r;
}

Test(options, jobs3_gives_exactly_the_results_of_jobs1, .timeout = 300)
{
    char *src1, *src3, *rej1, *rej3, msg[2048];
    struct run_result r1 = jobs_run("1", "it_opt_jobs1", &src1, &rej1);
    struct run_result r3 = jobs_run("3", "it_opt_jobs3", &src3, &rej3);
    cr_assert_eq(r1.status, 5, "--jobs 1: stdout:\n%s\nstderr:\n%s", r1.out, r1.err);
    cr_assert_eq(r3.status, 5, "--jobs 3: stdout:\n%s\nstderr:\n%s", r3.out, r3.err);

    /* the same summary, line for line (only the seconds may differ) */
    char *o1 = normalize(r1.out, src1, rej1), *o3 = normalize(r3.out, src3, rej3);
    cr_assert_str_eq(o3, o1, "summaries differ:\n--jobs 1:\n%s\n--jobs 3:\n%s", r1.out, r3.out);
    /* the same log lines, in any order */
    char *n1 = normalize(r1.err, src1, rej1), *n3 = normalize(r3.err, src3, rej3);
    char *e1 = sorted_lines(n1), *e3 = sorted_lines(n3);
    cr_assert_str_eq(e3, e1, "logs differ:\n--jobs 1:\n%s\n--jobs 3:\n%s", r1.err, r3.err);
    /* the same reject files */
    cr_assert(harness_sh("diff -r \"$1\" \"$2\" >/dev/null", rej1, rej3, NULL) == 0,
              "reject files differ between %s and %s", rej1, rej3);

    /* the summary lists the projects in sorted (bytewise) order */
    const char *prev = r3.out;
    for (size_t i = 0; i < sizeof jobs_projects / sizeof *jobs_projects; i++) {
        char want[100];
        snprintf(want, sizeof want, "\n%-24s ", jobs_projects[i]);
        const char *at = strstr(r3.out, want);
        cr_assert(at != NULL && at > prev, "project %s missing or out of order:\n%s",
                  jobs_projects[i], r3.out);
        prev = at;
    }
    cr_assert(strstr(r3.out, "\nbad                      validated; NOT renamed: rows were "
                             "rejected (see --accept-rejects)\n") != NULL,
              "%s", r3.out);
    cr_assert(strstr(r3.out, "\n6 project(s), 0 failed, 9 row(s) rejected\n") != NULL, "%s",
              r3.out);

    /* bad.db's 9 rejects, each logged once */
    char *keys[16], *lines[16];
    size_t nrej = bad_rejects(keys, lines, 16);
    cr_assert_eq(nrej, 9);
    for (size_t i = 0; i < nrej; i++) {
        const char *at = strstr(r3.err, lines[i]);
        cr_assert(at != NULL, "missing reject line %s\n%s", lines[i], r3.err);
        cr_assert(strstr(at + 1, lines[i]) == NULL, "reject logged twice: %s", lines[i]);
    }
    const char *p = r3.err;
    size_t logged = 0;
    while ((p = strstr(p, "litelift: reject: ")) != NULL) {
        logged++;
        p++;
    }
    cr_assert_eq(logged, 9, "%s", r3.err);

    /* every project compares exactly in both targets */
    for (int k = 0; k < 2; k++) {
        MYSQL *my = harness_db_keep(k == 0 ? "it_opt_jobs1" : "it_opt_jobs3");
        const char *src = k == 0 ? src1 : src3;
        for (size_t i = 0; i < sizeof jobs_projects / sizeof *jobs_projects; i++) {
            bool is_bad = strcmp(jobs_projects[i], "bad") == 0;
            char path[512];
            snprintf(path, sizeof path, "%s/%s.db%s", src, jobs_projects[i],
                     is_bad ? "" : ".migrated");
            cr_assert(exists(path), "%s missing", path);
            struct compare_skip skip = {(const char **)keys, nrej};
            long n = compare_project(my, path, "project_id", jobs_projects[i],
                                     is_bad ? &skip : NULL, msg, sizeof msg);
            long want = strcmp(jobs_projects[i], "walproj") == 0 ? 2108 : 2058;
            cr_assert_eq(n, want, "--jobs %s project %s: %ld rows compared: %s", k == 0 ? "1" : "3",
                         jobs_projects[i], n, msg);
        }
        mysql_close(my);
    }
    for (size_t i = 0; i < nrej; i++) {
        free(keys[i]);
        free(lines[i]);
    }
    free(o1);
    free(o3);
    free(n1);
    free(n3);
    free(e1);
    free(e3);
    free(src1);
    free(src3);
    free(rej1);
    free(rej3);
    harness_result_free(&r1);
    harness_result_free(&r3);
}

/* ------------------------------------- status, --version, --help, usage ---- */

Test(options, status_without_progress_table_version_help_and_usage_errors)
{
    MYSQL *my = harness_db("it_opt_status");
    mysql_close(my);
    /* the password from MYSQL_PWD: one inside the URL is warned about on stderr */
    char url[1024];
    snprintf(url, sizeof url, "mysql://%s@localhost/it_opt_status?socket=%s", harness_user(),
             harness_socket());
    setenv("MYSQL_PWD", harness_password(), 1);
    const char *st[] = {"status", "--target", url, NULL};
    struct run_result r = harness_run(st);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert_str_eq(r.out, "no progress table `litelift_progress` in database it_opt_status: "
                            "nothing has been migrated yet\n");
    cr_assert_str_eq(r.err, "");
    harness_result_free(&r);
    const char *st2[] = {"status", "--progress-table", "my_progress", "--target", url, NULL};
    r = harness_run(st2);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert_str_eq(r.out, "no progress table `my_progress` in database it_opt_status: "
                            "nothing has been migrated yet\n");
    harness_result_free(&r);

    /* --version: "litelift X.Y.Z", then the libraries it runs with */
    const char *ver[] = {"--version", NULL};
    r = harness_run(ver);
    cr_assert_eq(r.status, 0);
    regex_t re;
    cr_assert(regcomp(&re,
                      "^litelift [0-9]+\\.[0-9]+\\.[0-9]+\nlibraries: SQLite 3\\.[0-9.]+, "
                      "(MariaDB Connector/C|MySQL client library) [0-9.]+, zlib [0-9.]+, "
                      "yajl [0-9.]+\n$",
                      REG_EXTENDED | REG_NOSUB) == 0);
    cr_assert(regexec(&re, r.out, 0, NULL, 0) == 0, "--version printed \"%s\"", r.out);
    regfree(&re);
    cr_assert_str_eq(r.err, "");
    harness_result_free(&r);

    /* migrate's help lists every option of the README's option table */
    const char *help[] = {"migrate", "--help", NULL};
    r = harness_run(help);
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "usage: litelift migrate --source DIR --target URL", 49) == 0, "%s",
              r.out);
    FILE *f = fopen("README.md", "r");
    cr_assert(f != NULL);
    char line[1024];
    int listed = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "| `--", 5) != 0)
            continue;
        char *opt = line + 3;
        opt[strcspn(opt, " `")] = '\0';
        char want[1100];
        bool found = false;
        for (const char *end = " ,\n"; *end != '\0' && !found; end++) {
            snprintf(want, sizeof want, "\n  %s%c", opt, *end);
            found = strstr(r.out, want) != NULL;
        }
        cr_assert(found, "--help does not list %s:\n%s", opt, r.out);
        listed++;
    }
    fclose(f);
    cr_assert_geq(listed, 25, "only %d options found in README.md's table", listed);
    static const char *const must[] = {"--method",    "--jobs",   "--mapping",
                                       "--rejects",   "--verify", "--restart-project",
                                       "--backup-dir"};
    for (size_t i = 0; i < sizeof must / sizeof *must; i++) {
        char want[64];
        snprintf(want, sizeof want, "\n  %s ", must[i]);
        cr_assert(strstr(r.out, want) != NULL, "--help lacks %s", must[i]);
    }
    harness_result_free(&r);

    /* usage errors: status 2, a message on stderr, nothing on stdout */
    static const struct {
        const char *args[8];
        const char *msg;
    } bad[] = {
        {{"migrate", "--bogus", "--source", "/tmp", "--target", "mysql://u@h/d", NULL},
         "litelift: unknown option '--bogus' (litelift migrate --help lists its options)\n"},
        {{"migrate", "--zero-date", "maybe", "--source", "/tmp", "--target", "mysql://u@h/d", NULL},
         "litelift: --zero-date takes reject or null\n"},
        {{"migrate", "--invalid-utf8", "ignore", NULL},
         "litelift: --invalid-utf8 takes reject, replace or cp1252\n"},
        {{"migrate", "--method", "copy", NULL}, "litelift: --method takes auto, load or insert\n"},
        {{"migrate", "--jobs", "0", NULL}, "litelift: --jobs needs a number from 1 to 256\n"},
        {{"migrate", "--batch-rows", "-5", NULL},
         "litelift: --batch-rows needs a number from 1 to 1000000\n"},
        {{"migrate", "--verify", "md5", NULL},
         "litelift: --verify takes count (always done) or "
         "checksum\n"},
        {{"frobnicate", NULL},
         "litelift: unknown command 'frobnicate' (expected: migrate, verify, schema, status; "
         "litelift --help)\n"},
        {{"status", NULL}, "litelift: status needs --target URL\n"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        r = harness_run(bad[i].args);
        cr_assert_eq(r.status, 2, "case %zu: status %d\n%s\n%s", i, r.status, r.out, r.err);
        cr_assert(strstr(r.err, bad[i].msg) != NULL, "case %zu: no \"%s\" in:\n%s", i, bad[i].msg,
                  r.err);
        cr_assert_str_eq(r.out, "", "case %zu", i);
        harness_result_free(&r);
    }
}

/* help COMMAND, "did you mean", the manual page and make install, through the
 * real binary and make */
Test(options, command_help_typo_suggestion_and_install)
{
    const char *typo[] = {"migrate", "--source", "/tmp", "--dry-rn", NULL};
    struct run_result r = harness_run(typo);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "litelift: unknown option '--dry-rn'; did you mean --dry-run? "
                            "(litelift migrate --help)\n");
    cr_assert_str_eq(r.out, "");
    harness_result_free(&r);
    const char *help[] = {"help", "status", NULL};
    r = harness_run(help);
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "usage: litelift status --target URL", 35) == 0, "%s", r.out);
    cr_assert(strstr(r.out, "\n  --target URL ") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "--dry-run") == NULL, "status lists migrate's options:\n%s", r.out);
    harness_result_free(&r);
    /* make install puts the binary and the page under PREFIX; the page is
     * what the installed binary prints */
    const char *dir = harness_tmpdir();
    cr_assert(
        harness_sh("make -s install PREFIX=\"$1/usr\" >/dev/null && "
                   "\"$1/usr/bin/litelift\" --man | cmp - \"$1/usr/share/man/man1/litelift.1\" "
                   "&& cmp doc/litelift.1 \"$1/usr/share/man/man1/litelift.1\" && "
                   "test -x \"$1/usr/bin/litelift\"",
                   dir, NULL) == 0);
}

/* ------------------------------------------------------------------ URLs ---- */

Test(options, url_with_percent_encoded_password_and_a_wrong_password)
{
    MYSQL *my = harness_db("it_opt_url");
    harness_exec(my, "DROP USER IF EXISTS 'odd'@'localhost'");
    harness_exec(my, "CREATE USER 'odd'@'localhost' IDENTIFIED BY 'p@ss%w:rd'");
    harness_exec(my, "GRANT ALL ON *.* TO 'odd'@'localhost'");
    harness_exec(my, "CREATE TABLE notes (project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE "
                     "utf8mb4_bin NOT NULL, id BIGINT NOT NULL, body TEXT CHARACTER SET utf8mb4 "
                     "COLLATE utf8mb4_bin, PRIMARY KEY (project_id, id))");
    const char *dir = harness_tmpdir();
    cr_assert(harness_sh("sqlite3 \"$1/n1.db\" \"CREATE TABLE notes(id INTEGER PRIMARY KEY, body "
                         "TEXT); INSERT INTO notes VALUES (1,'a@b'),(2,'50%'),(3,NULL)\"",
                         dir, NULL) == 0);
    const char *sock = harness_socket();
    char good[600], wrong[600], path[300], backup[300], msg[1024];
    snprintf(good, sizeof good, "mysql://odd:p%%40ss%%25w%%3Ard@localhost/it_opt_url?socket=%s",
             sock);
    snprintf(wrong, sizeof wrong, "mysql://odd:p%%40ss%%25w%%3Arx@localhost/it_opt_url?socket=%s",
             sock);
    snprintf(path, sizeof path, "%s/n1.db", dir);
    snprintf(backup, sizeof backup, "%s/n1.db.migrated", dir);

    /* a wrong password: status 1, the user and the server's error named, the
     * password not shown, nothing loaded */
    char want[700];
    snprintf(want, sizeof want,
             "litelift: cannot connect to the socket %s as odd (database it_opt_url): MySQL "
             "error 1045: Access denied for user 'odd'@'localhost' (using password: YES)\n",
             sock);
    const char *m1[] = {"migrate", "--source", dir, "--target", wrong, NULL};
    const char *s1[] = {"status", "--target", wrong, NULL};
    for (int k = 0; k < 2; k++) {
        struct run_result r = harness_run(k == 0 ? m1 : s1);
        cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
        cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
        cr_assert(strstr(r.err, "p%40ss") == NULL && strstr(r.err, "p@ss") == NULL &&
                      strstr(r.out, "p%40ss") == NULL,
                  "the password was printed:\n%s", r.err);
        harness_result_free(&r);
    }
    cr_assert(exists(path) && !exists(backup));
    cr_assert_eq(compare_count(my, "notes", "project_id", "n1"), 0);

    /* the right password, percent-encoded: a real migration */
    const char *m2[] = {"migrate", "--source", dir, "--target", good, NULL};
    struct run_result r = harness_run(m2);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    cr_assert_eq(compare_project(my, backup, "project_id", "n1", NULL, msg, sizeof msg), 3, "%s",
                 msg);
    const char *s2[] = {"status", "--target", good, NULL};
    r = harness_run(s2);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    char line[200];
    snprintf(line, sizeof line, "%-24s %-24s %-10s %12s %9s  ", "n1", "notes", "validated", "3",
             "0");
    cr_assert(strstr(r.out, line) != NULL, "status lacks \"%s\":\n%s", line, r.out);
    harness_result_free(&r);
    harness_exec(my, "DROP USER 'odd'@'localhost'");
    mysql_close(my);
}

Test(options, project_ids_that_the_target_cannot_tell_apart_are_refused)
{
    MYSQL *my = harness_db("it_opt_ids");
    harness_exec(my, "CREATE TABLE t (project_id VARCHAR(20) COLLATE utf8mb4_general_ci NOT "
                     "NULL, id BIGINT NOT NULL, v TEXT, PRIMARY KEY (project_id, id))");
    const char *dir = harness_tmpdir();
    static const char *const files[] = {"Acme.db", "acme.db", "a/x.db", "b/x.db", "other.db"};
    cr_assert(harness_sh("mkdir \"$1/a\" \"$1/b\"", dir, NULL) == 0);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        cr_assert(harness_sh("sqlite3 \"$1/$2\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); "
                             "INSERT INTO t VALUES (1, '$2')\"",
                             dir, files[i], NULL) == 0);
    const char *args[] = {
        "migrate", "--recursive", "--source", dir, "--target", harness_url("it_opt_ids"), NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "Acme                     FAILED: project ids ('Acme', 'acme') are the "
                            "same under the project column's collation utf8mb4_general_ci") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "project id 'x' comes from two files") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "5 project(s), 4 failed") != NULL, "%s", r.out);
    /* nothing of the ambiguous projects arrived; the other one did, exactly */
    cr_assert_eq(compare_count(my, "t", "project_id", "acme"), 0);
    cr_assert_eq(compare_count(my, "t", "project_id", "x"), 0);
    char path[512], msg[1024];
    snprintf(path, sizeof path, "%s/other.db.migrated", dir);
    cr_assert_eq(compare_project(my, path, "project_id", "other", NULL, msg, sizeof msg), 1, "%s",
                 msg);
    harness_result_free(&r);
    mysql_close(my);
}

/* ------------------------------------------------------- progress lines ---- */

/* --progress-every N: a line every N seconds while rows move, counting up to
 * what the summary reports; none without it (stderr is not a terminal here,
 * and the default interval, 30 s, is longer than this run). */
Test(options, progress_every_reports_rows_as_they_move, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_opt_progress");
    char big[300];
    snprintf(big, sizeof big, "%s/big.db", dir);
    harness_big_project(my, big, 200000);
    /* without the option (and no terminal): no progress line in so short a run */
    const char *quiet[] = {
        "migrate", "--dry-run", "--source", dir, "--target", harness_url("it_opt_progress"), NULL};
    struct run_result r = harness_run(quiet);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "(dry run: nothing was written)") != NULL, "%s", r.out);
    cr_assert(strstr(r.err, "litelift: progress:") == NULL, "%s", r.err);
    harness_result_free(&r);
    const char *args[] = {"migrate",
                          "--source",
                          dir,
                          "--batch-rows",
                          "1000",
                          "--method",
                          "insert",
                          "--jobs",
                          "1",
                          "--progress-every",
                          "1",
                          "--target",
                          harness_url("it_opt_progress"),
                          NULL};
    /* the run is held at a batch boundary until more than a second has
     * passed, so that it must say how far it is at least once */
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_opt_progress", "big", "big", 1000);
    do {
        sleep_ms(10);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 < 1200);
    harness_release(hold);
    r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    long long last = 0;
    int lines = 0;
    for (const char *p = r.err; (p = strstr(p, "litelift: progress: ")) != NULL; p++) {
        long long rows = strtoll(p + strlen("litelift: progress: "), NULL, 10);
        cr_assert(rows > last && rows <= 200000 && rows % 1000 == 0, "progress %lld after %lld",
                  rows, last);
        cr_assert(strncmp(strstr(p, " rows "), " rows read and sent in ", 23) == 0, "%s", p);
        cr_assert(strstr(p, "project 1 of 1 under way") != NULL, "%s", p);
        last = rows;
        lines++;
    }
    cr_assert(lines >= 1, "no progress line in %s", r.err);
    harness_result_free(&r);
    mysql_close(my);
}

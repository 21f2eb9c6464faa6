/* Integration tests of `litelift migrate` in existing-schema mode: the real
 * binary against the private MariaDB, fixtures built from the SQL text in fixtures/, and
 * every column of every row compared back with the source (compare.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "harness.h"

static const char *const apna_good[] = {"acme", "o'brien & sons", "Zürich 東京",
                                        "back\\slash \"q\"", "walproj"};

/* Compares project's file (or, once renamed, its backup NAME.db.migrated)
 * with the target. */
static void compare_or_fail(MYSQL *my, const char *dir, const char *project,
                            const struct compare_skip *skip, long min_rows)
{
    long n = harness_compare_project(my, dir, project, skip);
    cr_assert(n >= min_rows, "project %s: only %ld rows compared", project, n);
}

/* The whole ApnaBackup fixture through one writer method. */
static void apna_every_value(const char *method)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_apna");
    harness_apply(my, "fixtures/apna_target.sql");
    char src[256];
    snprintf(src, sizeof src, "%s/apna", fx);
    const char *args[] = {
        "migrate", "--method", method, "--source", src, "--target", harness_url("it_apna"), NULL};
    struct run_result r = harness_run(args);

    /* rejects in bad.db and the broken files make the status 1 */
    cr_assert_eq(r.status, 1, "exit status %d\nstdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
    for (size_t i = 0; i < sizeof apna_good / sizeof *apna_good; i++) {
        compare_or_fail(my, src, apna_good[i], NULL, 1000);
        char failed[256];
        snprintf(failed, sizeof failed, "project '%s' (%s.db) FAILED", apna_good[i], apna_good[i]);
        cr_assert(strstr(r.err, failed) == NULL, "good project %s reported a failure:\n%s",
                  apna_good[i], r.err);
    }
    cr_assert(strstr(r.err, "FAILED: ") != NULL);

    /* the corrupt file and the non-SQLite file fail by name with SQLite's error */
    cr_assert(strstr(r.err, "(corrupt.db) FAILED:") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "corrupt.db: file is corrupt: PRAGMA quick_check says: ") != NULL,
              "corrupt.db not reported with SQLite's finding:\n%s", r.err);
    cr_assert(strstr(r.err, "(badheader.db) FAILED:") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "(notsqlite.db) FAILED:") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "file is not a database") != NULL, "%s", r.err);
    cr_assert(strstr(r.out, "corrupt                  FAILED:") != NULL, "%s", r.out);
    /* the 0-byte file holds no tables: reported, not a failure */
    cr_assert(strstr(r.out, "empty                    (no tables)") != NULL, "%s", r.out);
    cr_assert(strstr(r.err, "'empty' (empty.db): file holds no tables") != NULL, "%s", r.err);
    /* views and triggers are counted as skipped (one grouped line, each named
     * only with --verbose); sqlite_sequence is not migrated */
    cr_assert(strstr(r.out, "\nskipped (not migrated): 6 triggers, 6 views in 6 project(s) "
                            "(--verbose names each)\n") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.err, "skipped view v_recent_backups") == NULL, "%s", r.err);
    cr_assert(strstr(r.out, "sqlite_sequence") == NULL, "%s", r.out);

    /* bad.db: good rows all arrive; each bad row is rejected, named and absent */
    char *rows[64][4]; /* project, table, key, column */
    size_t nkeys = harness_tsv("fixtures/expected_rejects.tsv", rows, 64);
    const char *keys[64];
    char kbuf[64][600];
    for (size_t i = 0; i < nkeys; i++) {
        cr_assert_str_eq(rows[i][0], "bad");
        snprintf(kbuf[i], sizeof kbuf[i], "%s\t%s", rows[i][1], rows[i][2]);
        keys[i] = kbuf[i];
    }
    struct compare_skip skip = {keys, nkeys};
    cr_assert(nkeys >= 5);
    compare_or_fail(my, src, "bad", &skip, 1000);
    for (size_t i = 0; i < nkeys; i++) {
        char want[4096];
        snprintf(want, sizeof want,
                 "reject: project '%s' file %s.db table %s key (%s) column %s: ", rows[i][0],
                 rows[i][0], rows[i][1], rows[i][2], rows[i][3]);
        cr_assert(strstr(r.err, want) != NULL, "missing reject line: %s\nstderr:\n%s", want, r.err);
    }
    harness_tsv_free(rows, nkeys);
    /* summary: the rejected total equals the expected rejects */
    char total[64];
    snprintf(total, sizeof total, "%zu row(s) rejected", nkeys);
    cr_assert(strstr(r.out, total) != NULL, "%s", r.out);

    /* nothing of the broken files arrived */
    cr_assert_eq(compare_count(my, "backups", "project_id", "corrupt"), 0);
    cr_assert_eq(compare_count(my, "backups", "project_id", "notsqlite"), 0);
    cr_assert_eq(compare_count(my, "backups", "project_id", "badheader"), 0);
    harness_result_free(&r);
    mysql_close(my);
}

Test(migrate, apna_every_value_arrives_and_bad_files_do_not_stop_the_others_load_data)
{
    apna_every_value("load");
}

Test(migrate, apna_every_value_arrives_and_bad_files_do_not_stop_the_others_insert)
{
    apna_every_value("insert");
}

Test(migrate, wal_rows_are_read_and_the_backup_keeps_them)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_wal");
    harness_apply(my, "fixtures/apna_target.sql");
    char src[256], wal[300], db[300], bwal[300], bdb[300];
    snprintf(src, sizeof src, "%s/apna", fx);
    snprintf(wal, sizeof wal, "%s/walproj.db-wal", src);
    snprintf(db, sizeof db, "%s/walproj.db", src);
    snprintf(bwal, sizeof bwal, "%s/walproj.db.migrated-wal", src);
    snprintf(bdb, sizeof bdb, "%s/walproj.db.migrated", src);
    struct stat before_wal, before_db, after_wal, after_db;
    cr_assert(stat(wal, &before_wal) == 0 && before_wal.st_size > 0, "fixture has no WAL");
    cr_assert(stat(db, &before_db) == 0);
    const char *args[] = {
        "migrate", "--source", src, "--pattern", "walproj.db", "--target", harness_url("it_wal"),
        NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    /* the file and its WAL moved together, unchanged */
    cr_assert(stat(db, &after_db) != 0 && stat(wal, &after_wal) != 0, "source not renamed");
    cr_assert(stat(bdb, &after_db) == 0 && stat(bwal, &after_wal) == 0, "backup incomplete");
    cr_assert_eq(after_wal.st_size, before_wal.st_size);
    cr_assert_eq(after_db.st_size, before_db.st_size);
    cr_assert_eq(after_db.st_mtime, before_db.st_mtime);
    /* the backup opens with sqlite3 and holds every row, the WAL-only ones too */
    compare_or_fail(my, src, "walproj", NULL, 1000);
    cr_assert(
        harness_sh("test \"$(sqlite3 -readonly \"$1\" 'SELECT count(*) FROM backups')\" = 337", bdb,
                   NULL) == 0,
        "backup does not show the 25 WAL-only rows");
    harness_result_free(&r);
    mysql_close(my);
}

Test(migrate, tronbyt_clean_run_exits_zero_and_compares_equal)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_tronbyt");
    harness_apply(my, "fixtures/tronbyt_target.sql");
    char src[256];
    snprintf(src, sizeof src, "%s/tronbyt", fx);
    const char *args[] = {"migrate", "--source", src, "--target", harness_url("it_tronbyt"), NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    compare_or_fail(my, src, "tenant-a", NULL, 10);
    compare_or_fail(my, src, "tenant b", NULL, 10);
    cr_assert(strstr(r.out, "0 failed, 0 row(s) rejected") != NULL, "%s", r.out);
    harness_result_free(&r);
    mysql_close(my);
}

Test(migrate, small_batches_and_statement_caps_give_the_same_result)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_batches");
    harness_apply(my, "fixtures/apna_target.sql");
    char src[256];
    snprintf(src, sizeof src, "%s/apna", fx);
    const char *args[] = {"migrate",
                          "--jobs",
                          "1",
                          "--method",
                          "insert",
                          "--source",
                          src,
                          "--pattern",
                          "acme.db",
                          "--batch-rows",
                          "7",
                          "--batch-bytes",
                          "4096",
                          "--target",
                          harness_url("it_batches"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    compare_or_fail(my, src, "acme", NULL, 1000);
    harness_result_free(&r);
    mysql_close(my);
}

Test(migrate, dry_run_writes_nothing_and_reports_the_same_rejects)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_dry");
    harness_apply(my, "fixtures/apna_target.sql");
    char src[256];
    snprintf(src, sizeof src, "%s/apna", fx);
    const char *args[] = {"migrate",  "--dry-run",           "--source", src, "--pattern", "bad.db",
                          "--target", harness_url("it_dry"), NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 5, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "dry run: nothing was written") != NULL, "%s", r.out);
    cr_assert(strstr(r.err, "reject: project 'bad'") != NULL, "%s", r.err);
    static const char *const tables[] = {"backups",  "backups_M", "restores",
                                         "restoreM", "node_jobs", "jobs_recordManager",
                                         "sessions", "audit_log"};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        cr_assert_eq(compare_count(my, tables[i], "project_id", "bad"), 0, "%s", tables[i]);
    harness_result_free(&r);
    mysql_close(my);
}

Test(migrate, schema_mismatch_is_reported_before_any_data_moves)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_mismatch");
    harness_apply(my, "fixtures/apna_target.sql");
    harness_exec(my, "DROP TABLE audit_log");
    harness_exec(my, "ALTER TABLE node_jobs DROP COLUMN enabled");
    harness_exec(my, "ALTER TABLE backups ADD COLUMN must BIGINT NOT NULL");
    char src[256];
    snprintf(src, sizeof src, "%s/apna", fx);
    const char *args[] = {
        "migrate", "--source", src, "--pattern", "acme.db", "--target", harness_url("it_mismatch"),
        NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 1, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "table audit_log: no such table in target database it_mismatch"), "%s",
              r.err);
    cr_assert(strstr(r.err, "source column enabled has no target column"), "%s", r.err);
    cr_assert(strstr(r.err, "target column must is NOT NULL without a default"), "%s", r.err);
    cr_assert_eq(compare_count(my, "backups", "project_id", "acme"), 0);
    cr_assert_eq(compare_count(my, "sessions", "project_id", "acme"), 0);
    harness_result_free(&r);
    mysql_close(my);
}

Test(migrate, project_id_regex_and_project_column_options)
{
    MYSQL *my = harness_db("it_options");
    harness_exec(my, "CREATE TABLE notes (tenant VARCHAR(40) CHARACTER SET utf8mb4 COLLATE "
                     "utf8mb4_bin NOT NULL, id BIGINT NOT NULL, body TEXT, PRIMARY KEY "
                     "(tenant, id))");
    const char *dir = harness_tmpdir();
    cr_assert(harness_sh("sqlite3 \"$1/tenant_7 x.sqlite\" \"CREATE TABLE notes(id INTEGER PRIMARY "
                         "KEY, body TEXT); INSERT INTO notes VALUES (1,'it''s'),(2,'a\\\\b'),"
                         "(3,NULL)\"",
                         dir, NULL) == 0);
    const char *args[] = {"migrate",
                          "--source",
                          dir,
                          "--pattern",
                          "*.sqlite",
                          "--project-id-regex",
                          "^tenant_([0-9]+ x)",
                          "--project-column",
                          "tenant",
                          "--target",
                          harness_url("it_options"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    char path[256], msg[1024];
    snprintf(path, sizeof path, "%s/tenant_7 x.sqlite.migrated", dir);
    cr_assert_eq(compare_project(my, path, "tenant", "7 x", NULL, msg, sizeof msg), 3, "%s", msg);
    harness_result_free(&r);

    const char *bad[] = {"migrate", "--source", dir, "--target", "postgres://x@y/z", NULL};
    r = harness_run(bad);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "mysql://") != NULL, "%s", r.err);
    harness_result_free(&r);
    const char *usage[] = {"migrate", "--source", dir, NULL};
    r = harness_run(usage);
    cr_assert_eq(r.status, 2);
    harness_result_free(&r);
    mysql_close(my);
}

Test(migrate, dry_run_without_a_reachable_target_reads_the_files_and_says_so)
{
    const char *fx = harness_fixtures();
    char src[256];
    snprintf(src, sizeof src, "%s/apna", fx);
    const char *url = "mysql://nobody@localhost/none?socket=/nonexistent/mysql.sock";
    /* an unreachable target fails the dry-run, as it would fail the real run */
    const char *dry[] = {"migrate", "--dry-run", "--source", src, "--target", url, NULL};
    struct run_result r = harness_run(dry);
    cr_assert_eq(r.status, 1, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "--offline reads the files without it: cannot connect") != NULL, "%s",
              r.err);
    harness_result_free(&r);
    /* --offline: every file is opened, checked and read without it, and said */
    const char *args[] = {"migrate", "--dry-run", "--offline", "--source",
                          src,       "--target",  url,         NULL};
    r = harness_run(args);
    cr_assert_eq(r.status, 1, "stdout:\n%s\nstderr:\n%s", r.out, r.err); /* the broken files */
    cr_assert(strstr(r.err, "litelift: --offline: the target is not contacted") != NULL, "%s",
              r.err);
    /* every good file was still opened, checked and read in full */
    cr_assert(strstr(r.out, "walproj                  backups                           337") !=
                  NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "corrupt                  FAILED:") != NULL, "%s", r.out);
    cr_assert(harness_sh("test -f \"$1/acme.db\"", src, NULL) == 0, "a dry-run renamed a file");
    harness_result_free(&r);
}

/* Integration tests of a run whose surroundings move while it works: an
 * application still writing to a WAL-mode source (the project is never
 * renamed, nothing is lost, a restart loads every row), and a server that
 * closes connections idle longer than wait_timeout during a long load (the
 * plain indexes of created tables are still built, and a later run builds
 * any that went missing, even when no project file is left). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "compare.h"
#include "harness.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Polls query sql on my every 200 ms until it gives 1 (at most 120 s), while
 * the litelift child pid runs: its output says why when it ends first.
 * (InnoDB refreshes information_schema.INNODB_TRX only for a reader that
 * last looked more than 100 ms ago.) */
static void wait_sql(MYSQL *my, const char *sql, int pid, const char *what)
{
    for (int i = 0; harness_number(my, sql) != 1; i++) {
        siginfo_t si = {0};
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid) {
            struct run_result r = harness_wait(pid, NULL);
            cr_assert_fail("litelift ended (status %d) before %s:\n%s\n%s", r.status, what, r.out,
                           r.err);
        }
        cr_assert(i < 600, "waited 120 s for %s", what);
        sleep_ms(200);
    }
}

/* Polls the shell script (with arg as its $1) every 20 ms until it exits 0
 * (at most 120 s). */
static void wait_sh(const char *script, const char *arg, const char *what)
{
    for (int i = 0; harness_sh(script, arg, NULL) != 0; i++) {
        cr_assert(i < 6000, "waited 120 s for %s", what);
        sleep_ms(20);
    }
}

/* Runs litelift with args; it must exit 0. */
static void run_ok(const char *const *args)
{
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
}

static long long source_rows(const char *path)
{
    char *out = harness_sh_out("sqlite3 -cmd '.timeout 5000' \"$1\" 'SELECT count(*) FROM big'",
                               path, NULL);
    long long n = -1;
    cr_assert(sscanf(out, "%lld", &n) == 1, "count of %s: %s", path, out);
    free(out);
    return n;
}

Test(live_source, a_wal_writer_during_the_run_keeps_the_file_and_a_restart_loads_every_row,
     .timeout = 300)
{
    const char *dir = harness_tmpdir();
    char big[300];
    snprintf(big, sizeof big, "%s/big.db", dir);
    MYSQL *my = harness_db("it_live");
    harness_big_project(my, big, 20000);
    cr_assert(harness_sh("sqlite3 \"$1\" 'PRAGMA journal_mode=WAL' >/dev/null", big, NULL) == 0);
    /* litelift's first batch waits behind this lock on the empty table, with
     * its snapshot of the file taken */
    MYSQL *lk = harness_db_keep("it_live");
    harness_exec(lk, "BEGIN");
    harness_exec(lk, "SELECT * FROM big FOR UPDATE");
    mysql_free_result(mysql_store_result(lk));
    const char *args[] = {"migrate", "--source", dir,
                          "--jobs",  "1",        "--batch-rows",
                          "1000",    "--target", harness_url("it_live"),
                          NULL};
    int pid = harness_spawn(args);
    wait_sql(my,
             "SELECT COUNT(*) = 1 FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'",
             pid, "litelift's first batch to wait for the lock");
    /* the application goes on writing, one row per transaction */
    cr_assert(
        harness_sh("(i=1; while [ ! -e \"$1/stop\" ]; do sqlite3 -cmd '.timeout 5000' \"$2\" "
                   "\"INSERT INTO big VALUES (20000 + $i, 'late ' || $i, $i / 3.0, x'00ff10')\" || "
                   "break; i=$((i+1)); done; touch \"$1/stopped\") >/dev/null 2>&1 &",
                   dir, big, NULL) == 0);
    wait_sh("test \"$(sqlite3 -cmd '.timeout 5000' \"$1\" 'SELECT count(*) FROM big')\" -gt 20002",
            big, "the application's first rows");
    harness_exec(lk, "ROLLBACK");
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err,
                     "litelift: project 'big' (big.db) FAILED: table big: the source "
                     "changed while it was migrated (an application still writing?): ") != NULL,
              "%s", r.err);
    cr_assert(strstr(r.err, "-wal size 0 -> ") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "stop the application, then rerun with --restart-project 'big' to "
                            "delete its rows and load it again") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    cr_assert(harness_sh("test -e \"$1\" && test ! -e \"$1.migrated\"", big, NULL) == 0,
              "the source must stay in place");
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM litelift_progress WHERE state IN "
                                    "('validated', 'renamed')"),
                 0);
    cr_assert_eq(compare_count(my, "big", "project_id", "big"), 20000); /* its snapshot */

    /* the application stops; its rows are all in the file */
    cr_assert(harness_sh("touch \"$1/stop\"", dir, NULL) == 0);
    wait_sh("test -e \"$1/stopped\"", dir, "the application to stop");
    long long rows = source_rows(big);
    cr_assert(rows > 20002, "%lld rows", rows);
    /* a plain rerun refuses to mix two versions of the file ... */
    r = harness_run(args);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "source changed since its checkpoint") != NULL, "%s", r.err);
    harness_result_free(&r);
    /* ... and the remedy the failure named loads every row, the late ones too */
    const char *restart[] = {
        "migrate", "--source", dir, "--restart-project", "big", "--target", harness_url("it_live"),
        NULL};
    run_ok(restart);
    char backup[320], msg[2048];
    snprintf(backup, sizeof backup, "%s.migrated", big);
    long n = compare_project(my, backup, "project_id", "big", NULL, msg, sizeof msg);
    cr_assert_eq(n, rows, "%s (%ld rows compared, the file has %lld)", msg, n, rows);
    cr_assert_eq(source_rows(backup), rows);
    mysql_close(lk);
    mysql_close(my);
}

static long long saved_wait_timeout = -1;

/* Puts the server's wait_timeout back, whatever the test's outcome. */
static void restore_wait_timeout(void)
{
    if (saved_wait_timeout < 0)
        return;
    MYSQL *my = harness_db_keep("mysql");
    char sql[80];
    snprintf(sql, sizeof sql, "SET GLOBAL wait_timeout = %lld", saved_wait_timeout);
    harness_exec(my, sql);
    mysql_close(my);
}

/* Two project files of tables a and t (t with a plain index t_v), n rows each. */
static void two_projects(const char *dir, long n)
{
    for (int p = 1; p <= 2; p++) {
        char file[16], rows[32];
        snprintf(file, sizeof file, "p%d.db", p);
        snprintf(rows, sizeof rows, "%ld", n);
        cr_assert(
            harness_sh(
                "sqlite3 \"$1/$2\" \"CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE "
                "t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v); WITH RECURSIVE c(n) "
                "AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < $3) INSERT INTO t SELECT n, "
                "'v' || (n % 97) FROM c; INSERT INTO a SELECT id, v FROM t\"",
                dir, file, rows, NULL) == 0);
    }
}

static const char t_v_count[] = "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE "
                                "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND INDEX_NAME "
                                "= 't_v'";

Test(live_source, indexes_are_built_when_the_main_connection_idled_out_during_the_load,
     .timeout = 300, .fini = restore_wait_timeout)
{
    const char *dir = harness_tmpdir();
    two_projects(dir, 2000);
    MYSQL *my = harness_db("it_idle");
    /* table a exists (as the design makes it); t is created by the run */
    harness_exec(my, "CREATE TABLE a (project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE "
                     "utf8mb4_bin NOT NULL, id BIGINT NOT NULL, v TEXT, PRIMARY KEY "
                     "(project_id, id))");
    MYSQL *lk = harness_db_keep("it_idle");
    harness_exec(lk, "BEGIN");
    harness_exec(lk, "SELECT * FROM a FOR UPDATE"); /* every insert into a waits */
    long long lk_id = harness_number(lk, "SELECT CONNECTION_ID()");
    saved_wait_timeout = harness_number(my, "SELECT @@GLOBAL.wait_timeout");
    harness_exec(my, "SET GLOBAL wait_timeout = 5"); /* for connections made from now on */
    const char *args[] = {"migrate", "--schema", "create",
                          "--jobs",  "2",        "--source",
                          dir,       "--target", harness_url("it_idle"),
                          NULL};
    int pid = harness_spawn(args);
    /* both workers wait at table a; the main connection, idle, is closed by
     * the server after 5 s */
    char cond[600];
    snprintf(cond, sizeof cond,
             "SELECT (SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = "
             "'LOCK WAIT') = 2 AND (SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE "
             "DB = 'it_idle' AND ID NOT IN (CONNECTION_ID(), %lld)) = 2",
             lk_id);
    wait_sql(my, cond, pid, "the workers to wait and the idle main connection to be closed");
    harness_exec(lk, "ROLLBACK");
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: built index t_v of table t after the data") != NULL, "%s",
              r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, t_v_count), 2); /* (project_id, v) */
    for (int p = 1; p <= 2; p++) {
        char path[320], id[16], msg[2048];
        snprintf(path, sizeof path, "%s/p%d.db.migrated", dir, p);
        snprintf(id, sizeof id, "p%d", p);
        long n = compare_project(my, path, "project_id", id, NULL, msg, sizeof msg);
        cr_assert_eq(n, 4000, "%s: %s", id, msg);
    }
    mysql_close(lk);
    mysql_close(my);
}

Test(live_source, a_rerun_builds_missing_indexes_when_every_file_was_renamed)
{
    const char *dir = harness_tmpdir();
    two_projects(dir, 50);
    MYSQL *my = harness_db("it_renamed_idx");
    const char *create[] = {
        "migrate", "--schema", "create", "--source", dir, "--target", harness_url("it_renamed_idx"),
        NULL};
    run_ok(create);
    cr_assert(harness_sh("test -e \"$1/p1.db.migrated\" && test -e \"$1/p2.db.migrated\"", dir,
                         NULL) == 0);
    /* as if the builds had failed after the renames: the same command builds
     * them, and so does a run without --schema create */
    const char *plain[] = {"migrate", "--source", dir, "--target", harness_url("it_renamed_idx"),
                           NULL};
    const char *const *runs[] = {create, plain};
    for (int k = 0; k < 2; k++) {
        harness_exec(my, "ALTER TABLE t DROP KEY t_v");
        cr_assert_eq(harness_number(my, t_v_count), 0);
        struct run_result r = harness_run(runs[k]);
        cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
        cr_assert(strstr(r.err, "litelift: no project file left in ") != NULL &&
                      strstr(r.err, ": 2 file(s) were migrated and renamed as backups") != NULL,
                  "%s", r.err);
        cr_assert(strstr(r.err, "litelift: built index t_v of table t after the data") != NULL,
                  "%s", r.err);
        harness_result_free(&r);
        cr_assert_eq(harness_number(my, t_v_count), 2);
    }
    /* a dry-run says what it would build and builds nothing */
    harness_exec(my, "ALTER TABLE t DROP KEY t_v");
    const char *dry[] = {
        "migrate", "--dry-run", "--source", dir, "--target", harness_url("it_renamed_idx"), NULL};
    struct run_result r = harness_run(dry);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: would build index t_v of table t after the data") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, t_v_count), 0);
    mysql_close(my);
}

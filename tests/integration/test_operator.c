/* Integration tests of what the operator sees and decides with, through the
 * real binary and server: an empty or mistyped --source and a
 * --restart-project that names nothing are errors before anything loads;
 * --tables, --exclude-tables and --exclude choose what moves (every value of
 * what moved compared); the summary in its per-project detail with grouped
 * skipped objects, where the reject files are, the times and the next step,
 * and exit status 5 for "loaded, rows rejected"; --verbose; --log-file with
 * every line time-stamped, also what --quiet hides; the first Ctrl-C
 * acknowledged at once and the second aborting, with a rerun that ends
 * exact. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "harness.h"

Test(operator, empty_or_mistyped_source_and_unknown_restart_project_are_errors)
{
    MYSQL *my = harness_db("it_op_empty");
    harness_exec(my, "CREATE TABLE t (project_id VARCHAR(64) NOT NULL, id BIGINT NOT NULL, "
                     "PRIMARY KEY (project_id, id))");
    const char *dir = harness_tmpdir();
    const char *url = harness_url("it_op_empty");
    const char *empty[] = {"migrate", "--source", dir, "--target", url, NULL};
    struct run_result r = harness_run(empty);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    char want[600];
    snprintf(want, sizeof want,
             "litelift: no project files matching *.db in %s (check --source and --pattern)\n",
             dir);
    size_t n = strlen(r.err), w = strlen(want);
    cr_assert(n >= w && strcmp(r.err + n - w, want) == 0, "stderr ends with the error:\n%s", r.err);
    cr_assert_str_eq(r.out, "", "no summary for a run that could not start");
    harness_result_free(&r);
    const char *dry[] = {"migrate", "--source", dir, "--target", url, "--dry-run", NULL};
    r = harness_run(dry);
    cr_assert_eq(r.status, 1, "the dry-run fails where the real run would:\n%s", r.err);
    cr_assert(strstr(r.err, "no project files matching") != NULL, "%s", r.err);
    harness_result_free(&r);

    cr_assert(harness_sh("sqlite3 \"$1/p.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY); "
                         "INSERT INTO t VALUES (1),(2)\"",
                         dir, NULL) == 0);
    const char *typo[] = {"migrate", "--source",          dir,  "--target",
                          url,       "--restart-project", "pp", NULL};
    r = harness_run(typo);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    snprintf(want, sizeof want,
             "--restart-project 'pp' matches no project file in %s: nothing was started", dir);
    cr_assert(strstr(r.err, want) != NULL, "%s", r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM t"), 0, "nothing may load");
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM information_schema.tables WHERE "
                                    "table_schema = 'it_op_empty' AND table_name LIKE "
                                    "'litelift%'"),
                 0, "not even the progress table");
    mysql_close(my);
}

Test(operator, tables_and_files_chosen_by_globs)
{
    MYSQL *my = harness_db("it_op_filter");
    for (int i = 1; i <= 2; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "CREATE TABLE t%d (project_id VARCHAR(64) NOT NULL, id BIGINT NOT NULL, "
                 "v TEXT, PRIMARY KEY (project_id, id))",
                 i);
        harness_exec(my, sql);
    }
    const char *dir = harness_tmpdir();
    /* a, b and old/c have t1, t2 and tmp_x (which the target lacks: a run
     * that read it would fail) */
    static const char make[] =
        "mkdir -p \"$1/old\" && for p in \"$1/a\" \"$1/b\" \"$1/old/c\"; do sqlite3 \"$p.db\" "
        "\"CREATE TABLE t1(id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE t2(id INTEGER PRIMARY "
        "KEY, v TEXT); CREATE TABLE tmp_x(z); INSERT INTO t1 VALUES (1,'one'),(2,'tab\tx'); "
        "INSERT INTO t2 VALUES (7,NULL); INSERT INTO tmp_x VALUES (1)\" || exit 1; done";
    cr_assert(harness_sh(make, dir, NULL) == 0);
    const char *args[] = {"migrate",
                          "--source",
                          dir,
                          "--target",
                          harness_url("it_op_filter"),
                          "--recursive",
                          "--exclude",
                          "b.db",
                          "--exclude",
                          "old/*",
                          "--tables",
                          "t*",
                          "--exclude-tables",
                          "tmp_*",
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "skipped (not migrated): 1 excluded table in 1 project(s)") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "1 project(s), 0 failed") != NULL, "%s", r.out);
    harness_result_free(&r);
    /* what moved, every value: a's t1 and t2 (compared through a copy of a's
     * file without the excluded table, renamed a.db.migrated meanwhile) */
    const char *cmp = harness_tmpdir();
    cr_assert(harness_sh("cp \"$1/a.db.migrated\" \"$2/a.db\" && sqlite3 \"$2/a.db\" \"DROP "
                         "TABLE tmp_x\"",
                         dir, cmp, NULL) == 0);
    harness_expect_project(my, cmp, "a", 3);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM t1 WHERE project_id <> 'a'"), 0);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM t2 WHERE project_id <> 'a'"), 0);
    cr_assert(harness_sh("test -f \"$1/b.db\" && test -f \"$1/old/c.db\"", dir, NULL) == 0,
              "excluded files are left alone");
    mysql_close(my);
}

/* n projects p00.. with table t (id, n INT) of two rows, a view and a
 * trigger each; p03's second row holds text where a number belongs. */
static const char *many_projects(MYSQL *my, int n)
{
    harness_exec(my, "CREATE TABLE t (project_id VARCHAR(64) NOT NULL, id BIGINT NOT NULL, "
                     "n INT, PRIMARY KEY (project_id, id))");
    const char *dir = harness_tmpdir();
    for (int i = 0; i < n; i++) {
        char path[300], bad[8];
        snprintf(path, sizeof path, "%s/p%02d.db", dir, i);
        snprintf(bad, sizeof bad, "%s", i == 3 ? "'x'" : "20");
        cr_assert(harness_sh("sqlite3 \"$1\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, n INT); "
                             "INSERT INTO t VALUES (1, 10), (2, $2); CREATE VIEW v AS SELECT * "
                             "FROM t; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END\"",
                             path, bad, NULL) == 0);
    }
    return dir;
}

Test(operator, summary_per_project_grouped_notes_rejects_and_exit_5, .timeout = 300)
{
    MYSQL *my = harness_db("it_op_summary");
    const char *dir = many_projects(my, 12);
    const char *args[] = {"migrate", "--source", dir, "--target", harness_url("it_op_summary"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 5, "loaded with a reject is status 5:\n%s\n%s", r.out, r.err);
    /* 12 projects: a line each, p03's table too (it has a reject) */
    cr_assert(strstr(r.out, "\np00                      (1 table)                           2 "
                            "           2         0 ") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "\np03                      (1 table)                           2 "
                            "           1         1 ") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "\np03                      t                                   2 "
                            "           1         1 ") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "\np00                      t ") == NULL, "%s", r.out);
    cr_assert(strstr(r.out, "skipped (not migrated): 12 triggers, 12 views in 12 project(s) "
                            "(--verbose names each)\n") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "1 row(s) rejected in 1 project(s): see litelift-rejects/p03/\n") !=
                  NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "\nstarted ") != NULL && strstr(r.out, ", wall time ") != NULL, "%s",
              r.out);
    cr_assert(strstr(r.out, "next: fix the rejected rows and rerun with --restart-project ID, "
                            "or rerun with --accept-rejects") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.err, "skipped view") == NULL, "not verbose:\n%s", r.err);
    harness_result_free(&r);
    char reject[600];
    snprintf(reject, sizeof reject, "%s/litelift-rejects/p03/t.rejects.tsv", harness_cwd());
    cr_assert(harness_sh("test -s \"$1\"", reject, NULL) == 0, "no %s", reject);
    for (int i = 0; i < 12; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%02d", i);
        if (i == 3) {
            const char *keys[] = {"t\tid=2"};
            struct compare_skip skip = {keys, 1};
            cr_assert_eq(harness_compare_project(my, dir, id, &skip), 1);
        } else {
            harness_expect_project(my, dir, id, 2);
        }
    }
    /* a rerun: every project done; --verbose names the skipped objects of
     * p03, the one file still there (its rows were rejected) */
    const char *again[] = {
        "migrate",   "--source",  dir,      "--target", harness_url("it_op_summary"),
        "--verbose", "--summary", "totals", NULL};
    r = harness_run(again);
    cr_assert_eq(r.status, 5, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: project 'p03' (p03.db): skipped view v (not a table)\n") !=
                  NULL,
              "%s", r.err);
    cr_assert(strstr(r.out, "\np00 ") == NULL, "totals: nothing about clean projects\n%s", r.out);
    harness_result_free(&r);
    mysql_close(my);
}

Test(operator, log_file_holds_the_full_detail_with_times, .timeout = 300)
{
    MYSQL *my = harness_db("it_op_logfile");
    const char *dir = many_projects(my, 4);
    char log[600];
    snprintf(log, sizeof log, "%s/run.log", harness_tmpdir());
    const char *args[] = {"migrate", "--source",   dir, "--target", harness_url("it_op_logfile"),
                          "--quiet", "--log-file", log, NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 5, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: reject:") == NULL, "--quiet:\n%s", r.err);
    harness_result_free(&r);
    /* every line time-stamped; what the terminal did not show is there */
    char *bad = harness_sh_out("grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                               "\\.[0-9]{3}Z ' \"$1\" || true",
                               log, NULL);
    cr_assert_str_eq(bad, "0\n", "lines without a time stamp in %s", log);
    free(bad);
    static const char *const want[] = {
        "Z litelift migrate: log of the run (pid ",
        "Z litelift: reject: project 'p03' file p03.db table t key (id=2) column n: ",
        "Z litelift: project 'p00' (p00.db): skipped view v (not a table)",
        "Z litelift: project 'p02' (p02.db): skipped trigger tr (not a table)",
        "Z 4 project(s), 0 failed, 1 row(s) rejected",
        "Z next: fix the rejected rows and rerun with --restart-project ID",
        "Z litelift: exit status 5"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        cr_assert(harness_sh("grep -qF -- \"$2\" \"$1\"", log, want[i], NULL) == 0,
                  "no \"%s\" in %s", want[i], log);
    /* a rerun without the progress stream appends through the tee */
    const char *again[] = {
        "migrate",    "--source", dir,          "--target", harness_url("it_op_logfile"),
        "--progress", "none",     "--log-file", log,        NULL};
    r = harness_run(again);
    cr_assert_eq(r.status, 5, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    char *runs = harness_sh_out("grep -c 'Z litelift: exit status 5$' \"$1\"", log, NULL);
    cr_assert_str_eq(runs, "2\n");
    free(runs);
    cr_assert(harness_sh("grep -q 'Z litelift: connected through the socket' \"$1\"", log, NULL) ==
              0);
    for (int i = 0; i < 4; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%02d", i);
        if (i != 3)
            harness_expect_project(my, dir, id, 2);
    }
    mysql_close(my);
}

Test(operator, first_ctrl_c_is_acknowledged_the_second_aborts, .timeout = 300)
{
    MYSQL *my = harness_db("it_op_sigint");
    const char *dir = harness_tmpdir();
    char big[300];
    snprintf(big, sizeof big, "%s/big.db", dir);
    harness_big_project(my, big, 50000);
    const char *args[] = {
        "migrate", "--source", dir, "--batch-rows", "100", "--target", harness_url("it_op_sigint"),
        NULL};
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_op_sigint", "big", "big", 300);
    kill(pid, SIGINT);
    /* acknowledged at once, while the batch still waits for the lock */
    harness_wait_stderr(pid, "stopping at the next batch boundary; press Ctrl-C again to abort "
                             "now\n");
    cr_assert(!harness_exited(pid), "the first Ctrl-C only asks for a stop");
    kill(pid, SIGINT);
    int signo = 0;
    struct run_result r = harness_wait(pid, &signo);
    cr_assert_eq(signo, SIGINT, "the second Ctrl-C aborts: status %d\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "aborting now") != NULL, "%s", r.err);
    harness_result_free(&r);
    harness_release(hold);
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "the rerun ends the load:\n%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "big", 50000);
    mysql_close(my);
}

/* Integration tests of exactly-once loading when more than one run is about:
 * several processes started together over one directory, two runs on one
 * project into a table without a natural key, a run whose claim or checkpoint
 * is taken from under it, a process killed -9 whose project another run takes
 * over (at once on the same host, after its lease on another), and rows an
 * application wrote into the target. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"

/* A table like harness_big_project's, but keyed by a surrogate: nothing in
 * the target stops a row from arriving twice. */
static void surrogate_table(MYSQL *my)
{
    harness_exec(my, "CREATE TABLE big (sid BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                     "project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT "
                     "NULL, id BIGINT NOT NULL, v TEXT, d DOUBLE, b BLOB, KEY (project_id, id))");
}

/* Makes a temp dir (*dir) with one project, solo.db, of rows rows, and
 * database db with its surrogate-keyed target table. */
static MYSQL *solo_project(const char *db, const char **dir, long rows)
{
    *dir = harness_tmpdir();
    MYSQL *my = harness_db(db);
    surrogate_table(my);
    char path[300];
    snprintf(path, sizeof path, "%s/solo.db", *dir);
    harness_big_project(my, path, rows);
    return my;
}

/* Compares project with the target, every value, and checks that the target
 * holds exactly rows rows of it (no duplicate the comparison could miss). */
static void expect_exact(MYSQL *my, const char *dir, const char *project, long rows)
{
    harness_expect_project(my, dir, project, rows);
    cr_assert_eq(compare_count(my, "big", "project_id", project), rows,
                 "project %s: the target holds another number of rows", project);
}

/* Runs args again: it resumes the project and loads it exactly. */
static void resume_exactly(MYSQL *my, const char *const *args, const char *dir, long rows)
{
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "resumed") != NULL, "%s", r.out);
    harness_result_free(&r);
    expect_exact(my, dir, "solo", rows);
}

/* The number of lines of text that contain needle. */
static int lines_with(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

Test(concurrency, three_processes_over_one_directory_load_each_project_once, .timeout = 600)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_three");
    surrogate_table(my);
    for (int i = 1; i <= 6; i++) {
        char path[300];
        snprintf(path, sizeof path, "%s/p%d.db", dir, i);
        harness_big_project(my, path, 20000);
    }
    const char *args[] = {"migrate", "--source", dir,        "--batch-rows",          "500",
                          "--jobs",  "1",        "--target", harness_url("it_three"), NULL};
    int pids[3];
    for (int k = 0; k < 3; k++)
        pids[k] = harness_spawn(args);
    int renamed = 0;
    for (int k = 0; k < 3; k++) {
        struct run_result r = harness_wait(pids[k], NULL);
        cr_assert(r.status == 0 || r.status == 4, "run %d: status %d\n%s\n%s", k, r.status, r.out,
                  r.err);
        cr_assert(strstr(r.out, "FAILED") == NULL, "run %d:\n%s\n%s", k, r.out, r.err);
        renamed += lines_with(r.err, ": renamed as backup ");
        harness_result_free(&r);
    }
    cr_assert_eq(renamed, 6, "each project is renamed by exactly one run (%d renames)", renamed);
    for (int i = 1; i <= 6; i++) {
        char project[16];
        snprintf(project, sizeof project, "p%d", i);
        expect_exact(my, dir, project, 20000);
    }
    /* status says which run did each project */
    const char *st[] = {"status", "--target", harness_url("it_three"), NULL};
    struct run_result r = harness_run(st);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert_eq(lines_with(r.out, " renamed "), 6, "%s", r.out);
    cr_assert_eq(lines_with(r.out, " pid "), 6, "%s", r.out);
    cr_assert(strstr(r.out, "loading now") == NULL, "a lease outlived its run:\n%s", r.out);
    harness_result_free(&r);
    mysql_close(my);
}

Test(concurrency, two_runs_on_one_project_never_duplicate_or_validate_falsely, .timeout = 300)
{
    const char *dir;
    MYSQL *my = solo_project("it_two", &dir, 20000);
    const char *args[] = {"migrate", "--source", dir,        "--batch-rows",        "200",
                          "--jobs",  "1",        "--target", harness_url("it_two"), NULL};
    int first = harness_spawn(args);
    /* the second run starts while the first holds the project mid-load: its
     * next batch waits for the row and gap locks this transaction takes
     * (readers of the table are not held) */
    harness_wait_number(my, "SELECT COUNT(*) FROM big", 200, 0);
    MYSQL *hold = harness_db_keep("it_two");
    harness_exec(hold, "SET autocommit = 0");
    harness_exec(hold, "SELECT COUNT(*) FROM (SELECT sid FROM big FOR UPDATE) AS t");
    struct run_result r2 = harness_run(args);
    harness_release(hold);
    struct run_result r1 = harness_wait(first, NULL);
    cr_assert_eq(r1.status, 0, "%s\n%s", r1.out, r1.err);
    cr_assert_eq(r2.status, 4, "the second run must leave the project to the first:\n%s\n%s",
                 r2.out, r2.err);
    cr_assert(strstr(r2.out, "solo                     left to another run: the run on ") != NULL,
              "%s", r2.out);
    cr_assert(strstr(r2.out, "1 left to other runs that hold them (see litelift status)") != NULL,
              "%s", r2.out);
    cr_assert(strstr(r2.out, "(no tables)") == NULL, "a project left alone has tables:\n%s",
              r2.out);
    harness_result_free(&r1);
    harness_result_free(&r2);
    expect_exact(my, dir, "solo", 20000);
    mysql_close(my);
}

/* Runs litelift on dir, holds it once `rows` rows arrived, lets `sql` run on
 * another connection meanwhile, then lets it finish; returns its result. */
static struct run_result run_while(const char *db, const char *const *args, long long rows,
                                   const char *sql)
{
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold(db, "big", "solo", rows);
    MYSQL *other = harness_db_keep(db);
    harness_exec(other, sql);
    mysql_close(other);
    harness_release(hold);
    return harness_wait(pid, NULL);
}

Test(concurrency, a_run_whose_claim_is_taken_stops_and_the_taker_finishes, .timeout = 300)
{
    const char *dir;
    MYSQL *my = solo_project("it_steal", &dir, 10000);
    const char *args[] = {"migrate", "--source", dir,        "--batch-rows",          "100",
                          "--jobs",  "1",        "--target", harness_url("it_steal"), NULL};
    /* another host's run takes the project over while this one loads */
    struct run_result r = run_while(
        "it_steal", args, 100,
        "UPDATE litelift_progress SET owner = 'far:7:1', owner_host = 'far', owner_pid = 7, "
        "lease_until = UTC_TIMESTAMP(6) + INTERVAL 1 HOUR WHERE table_name = ''");
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "is no longer claimed by this run") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "validated") == NULL, "%s", r.out);
    harness_result_free(&r);
    long partial = compare_count(my, "big", "project_id", "solo");
    cr_assert(partial > 0 && partial < 10000 && partial % 100 == 0, "%ld rows", partial);
    /* while its lease lasts, the project is left to that run */
    r = harness_run(args);
    cr_assert_eq(r.status, 4, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "left to another run: the run on far (pid 7) claimed it at ") != NULL,
              "%s", r.out);
    harness_result_free(&r);
    cr_assert_eq(compare_count(my, "big", "project_id", "solo"), partial);
    /* once it runs out, the next run takes the project over and finishes it */
    harness_exec(my, "UPDATE litelift_progress SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 "
                     "SECOND WHERE table_name = ''");
    resume_exactly(my, args, dir, 10000);
    mysql_close(my);
}

Test(concurrency, a_checkpoint_moved_by_another_writer_rolls_the_batch_back, .timeout = 300)
{
    const char *dir;
    MYSQL *my = solo_project("it_cas", &dir, 10000);
    const char *args[] = {"migrate", "--source", dir,        "--batch-rows",        "100",
                          "--jobs",  "1",        "--target", harness_url("it_cas"), NULL};
    struct run_result r =
        run_while("it_cas", args, 100,
                  "UPDATE litelift_progress SET rows_loaded = rows_loaded + 100, version = "
                  "version + 1 WHERE table_name = 'big'");
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "table big: its checkpoint is no longer the one this run wrote") !=
                  NULL,
              "%s", r.out);
    harness_result_free(&r);
    long partial = compare_count(my, "big", "project_id", "solo");
    cr_assert(partial > 0 && partial < 10000 && partial % 100 == 0, "%ld rows", partial);
    /* the moved checkpoint now counts 100 rows the target does not hold: the
     * rerun resumes after its key, and validation compares the target with
     * the source, not with that count */
    resume_exactly(my, args, dir, 10000);
    mysql_close(my);
}

Test(concurrency, rows_an_application_adds_to_the_target_fail_validation, .timeout = 300)
{
    const char *dir;
    MYSQL *my = solo_project("it_app", &dir, 5000);
    char path[300], backup[310];
    snprintf(path, sizeof path, "%s/solo.db", dir);
    snprintf(backup, sizeof backup, "%s.migrated", path);
    const char *args[] = {"migrate", "--source", dir,        "--batch-rows",        "100",
                          "--jobs",  "1",        "--target", harness_url("it_app"), NULL};
    /* an application (or anything but litelift) writes a row of the project
     * while it loads (rows there before the run are refused by its pre-flight,
     * see test_preflight.c) */
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_app", "big", "solo", 100);
    harness_exec(hold, "INSERT INTO big (project_id, id, v) VALUES ('solo', 9999, 'by the app')");
    harness_release(hold);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "table big: count mismatch: the target holds 5001 row(s) for this "
                            "project, but the source has 5000 of which 0 were rejected (5000 "
                            "expected)") != NULL,
              "%s", r.out);
    cr_assert(access(path, F_OK) == 0 && access(backup, F_OK) != 0, "the file was renamed");
    harness_result_free(&r);
    mysql_close(my);
}

Test(concurrency, killed_run_is_taken_over_at_once_here_and_after_its_lease_elsewhere,
     .timeout = 300)
{
    const char *dir;
    MYSQL *my = solo_project("it_lease", &dir, 20000);
    const char *args[] = {
        "migrate", "--source", dir,        "--batch-rows",          "100", "--jobs", "1",
        "--lease", "2",        "--target", harness_url("it_lease"), NULL};
    const char *count = "SELECT COUNT(*) FROM big WHERE project_id = 'solo'";
    /* killed on this host: the next run sees its process is gone */
    int pid = harness_spawn(args);
    harness_wait_number(my, count, 1000, 0);
    kill(pid, SIGKILL);
    int sig;
    struct run_result r = harness_wait(pid, &sig);
    cr_assert_eq(sig, SIGKILL);
    harness_result_free(&r);
    /* killed again, and this time as if it had run on another host */
    pid = harness_spawn(args);
    long long at = harness_number(my, count) + 1000;
    cr_assert(harness_wait_number(my, count, at, pid) >= at,
              "the run after a killed one on this host did not take its project over");
    kill(pid, SIGKILL);
    r = harness_wait(pid, &sig);
    cr_assert_eq(sig, SIGKILL);
    harness_result_free(&r);
    harness_exec(my, "UPDATE litelift_progress SET owner_host = 'far', lease_until = "
                     "UTC_TIMESTAMP(6) + INTERVAL 3 SECOND WHERE table_name = ''");
    r = harness_run(args);
    cr_assert_eq(r.status, 4, "a live lease of another host must be left alone:\n%s\n%s", r.out,
                 r.err);
    cr_assert(strstr(r.out, "left to another run: the run on far (pid ") != NULL, "%s", r.out);
    harness_result_free(&r);
    harness_wait_number(my,
                        "SELECT COUNT(*) FROM litelift_progress WHERE table_name = '' AND "
                        "lease_until < UTC_TIMESTAMP(6)",
                        1, 0);
    resume_exactly(my, args, dir, 20000);
    mysql_close(my);
}

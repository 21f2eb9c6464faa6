/* Integration tests of one large project on several cores and of several
 * hosts sharing the projects: a table cut into key ranges loaded at once by
 * --jobs 2, killed -9 mid-run and resumed exactly; --shard I/N runs that
 * together load every project once. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define BIG_ROWS 2000000

Test(ranges, one_big_project_jobs2_cut_in_ranges_killed_and_resumed_exactly, .timeout = 600)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_ranges");
    char big[300];
    snprintf(big, sizeof big, "%s/big.db", dir);
    harness_big_project(my, big, BIG_ROWS);
    const char *args[] = {"migrate", "--source", dir,        "--jobs",
                          "2",       "--quiet",  "--target", harness_url("it_ranges"),
                          NULL};
    int pid = harness_spawn(args);
    harness_wait_number(my,
                        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                        "'it_ranges' AND TABLE_NAME = 'litelift_progress'",
                        1, pid);
    /* both ranges are being loaded at once: each has committed batches, and
     * neither is done (one after the other, the first would be) */
    harness_wait_number(my,
                        "SELECT COUNT(*) FROM litelift_progress WHERE project_id = 'big' AND "
                        "table_name LIKE 'big [range %/2]' AND rows_loaded >= 20000 AND state = "
                        "'loading'",
                        2, pid);
    cr_assert(!harness_exited(pid), "the run ended before it could be killed");
    kill(pid, SIGKILL);
    int sig;
    struct run_result r = harness_wait(pid, &sig);
    cr_assert_eq(sig, SIGKILL, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    long long part = harness_number(my, "SELECT COUNT(*) FROM big");
    cr_assert(part > 0 && part < BIG_ROWS, "%lld rows after the kill", part);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM litelift_progress WHERE table_name "
                                    "LIKE 'big [range %'"),
                 2);
    /* status shows the table once, with what its ranges hold */
    const char *st[] = {"status", "--target", harness_url("it_ranges"), NULL};
    r = harness_run(st);
    cr_assert_eq(r.status, 4, "%s\n%s", r.out, r.err);
    char line[128];
    snprintf(line, sizeof line, "loading    %12lld ", part);
    cr_assert(strstr(r.out, line) != NULL && strstr(r.out, "[range") == NULL,
              "%s\n(looked for '%s')", r.out, line);
    harness_result_free(&r);
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "big", BIG_ROWS);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM litelift_progress WHERE table_name "
                                    "LIKE 'big [range %' AND state = 'loaded'"),
                 2);
    cr_assert_eq(harness_number(my, "SELECT SUM(rows_loaded) FROM litelift_progress WHERE "
                                    "table_name LIKE 'big [range %'"),
                 BIG_ROWS);
    cr_assert_eq(harness_number(my, "SELECT rows_loaded FROM litelift_progress WHERE table_name "
                                    "= 'big' AND state = 'validated'"),
                 BIG_ROWS);
    mysql_close(my);
}

Test(ranges, a_worker_with_no_project_left_joins_the_ranges, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_join");
    char big[300], small[300];
    snprintf(big, sizeof big, "%s/big.db", dir);
    snprintf(small, sizeof small, "%s/small.db", dir);
    harness_big_project(my, big, 600000);
    harness_big_project(my, small, 10);
    /* two jobs, two projects: no spare slot when the big table is cut; the
     * worker that loaded the small project takes the second range */
    const char *args[] = {"migrate",  "--source",
                          dir,        "--jobs",
                          "2",        "--split-rows",
                          "100000",   "--quiet",
                          "--target", harness_url("it_join"),
                          NULL};
    int pid = harness_spawn(args);
    harness_wait_number(my,
                        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                        "'it_join' AND TABLE_NAME = 'litelift_progress'",
                        1, pid);
    long long both = harness_wait_number(my,
                                         "SELECT COUNT(*) FROM litelift_progress WHERE "
                                         "table_name LIKE 'big [range %/2]' AND state = 'loading' "
                                         "AND rows_loaded > 0",
                                         2, pid);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert_eq(both, 2, "the two ranges were not loaded at once\n%s", r.out);
    cr_assert(strstr(r.out, "loaded in key ranges at once") != NULL, "%s", r.out);
    harness_result_free(&r);
    harness_expect_project(my, dir, "big", 600000);
    harness_expect_project(my, dir, "small", 10);
    mysql_close(my);
}

/* The test's own FNV-1a (32 bits) of s: the shard of a project is
 * 1 + hash mod N. */
static size_t shard_of(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % n + 1;
}

#define NPROJ 12

/* status --source dir says, by host, that this host did `done` projects
 * and that `left` are not started. */
static void expect_status_by_host(const char *dir, long long done, long long left)
{
    char host[256] = "", line[512];
    gethostname(host, sizeof host - 1);
    const char *st[] = {"status", "--source", dir, "--target", harness_url("it_shard"), NULL};
    struct run_result r = harness_run(st);
    cr_assert_eq(r.status, 4, "%s\n%s", r.out, r.err);
    snprintf(line, sizeof line, "  %-24s %lld done; ", host, done);
    cr_assert(strstr(r.out, "by host (the run that claimed each project last):\n") != NULL, "%s",
              r.out);
    cr_assert(strstr(r.out, line) != NULL, "%s\n(looked for '%s')", r.out, line);
    snprintf(line, sizeof line, "  %-24s %lld not started; 0 row(s) loaded\n",
             "(no run claimed them)", left);
    cr_assert(strstr(r.out, line) != NULL, "%s\n(looked for '%s')", r.out, line);
    snprintf(line, sizeof line, "left: %lld not started, 0 incomplete, 0 failed, 0 being loaded\n",
             left);
    cr_assert(strstr(r.out, line) != NULL, "%s\n(looked for '%s')", r.out, line);
    harness_result_free(&r);
}

Test(ranges, shards_load_every_project_once, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_shard");
    char ids[NPROJ][16];
    for (int i = 0; i < NPROJ; i++) {
        char path[300];
        snprintf(ids[i], sizeof ids[i], "p%02d", i);
        snprintf(path, sizeof path, "%s/%s.db", dir, ids[i]);
        harness_big_project(my, path, 40 + i);
    }
    long long before = 0;
    for (size_t s = 1; s <= 3; s++) {
        char spec[8], sql[512];
        snprintf(spec, sizeof spec, "%zu/3", s);
        const char *args[] = {
            "migrate", "--source", dir, "--shard", spec, "--target", harness_url("it_shard"), NULL};
        struct run_result r = harness_run(args);
        cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
        harness_result_free(&r);
        long long mine = 0;
        for (int i = 0; i < NPROJ; i++) {
            snprintf(sql, sizeof sql,
                     "SELECT COUNT(*) FROM litelift_progress WHERE table_name = '' AND "
                     "project_id = '%s'",
                     ids[i]);
            long long has = harness_number(my, sql);
            /* exactly the projects of shards 1..s so far */
            cr_assert_eq(has, shard_of(ids[i], 3) <= s, "shard %s, project %s", spec, ids[i]);
            mine += shard_of(ids[i], 3) == s;
        }
        long long now = harness_number(my, "SELECT COUNT(*) FROM litelift_progress WHERE "
                                           "table_name = ''");
        cr_assert_eq(now - before, mine, "shard %s", spec);
        before = now;
        if (s == 2)
            expect_status_by_host(dir, now, NPROJ - now);
    }
    cr_assert_eq(before, NPROJ);
    for (int i = 0; i < NPROJ; i++)
        harness_expect_project(my, dir, ids[i], 40 + i);
    mysql_close(my);
}

Test(ranges, shard_out_of_range_is_a_usage_error)
{
    const char *args[] = {"migrate",
                          "--source",
                          harness_tmpdir(),
                          "--shard",
                          "4/3",
                          "--target",
                          harness_url("it_shard_bad"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 2, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "--shard needs I/N with whole numbers 1 <= I <= N") != NULL, "%s",
              r.err);
    harness_result_free(&r);
}

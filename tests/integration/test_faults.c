/* Integration tests of injected faults (tests/faults/): litelift reaches the
 * target through the loopback proxy of proxy.h, which cuts or stalls its
 * connection at a chosen protocol point (N bytes into a LOAD DATA stream,
 * right before a COMMIT, right after the server committed, after N bytes,
 * new connections refused), and runs with the LD_PRELOAD shim
 * (build/faultshim.so) making write, fsync, rename or link fail with ENOSPC,
 * EIO or EXDEV on the reject files, the backup copy and the rename. Each
 * fault gives a clear message; the same run retries a transient one, or a
 * rerun finishes; then every value is compared with the source, and the
 * target (keyed by a surrogate, so that a row loaded twice would show) holds
 * exactly the source's rows. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"
#include "proxy.h"

#define ROWS 6000

/* Database db made afresh on my with a table `big` keyed by a surrogate,
 * and a project file solo.db of ROWS rows in a new temp dir, returned. */
static const char *project_in(MYSQL *my)
{
    harness_exec(my, "CREATE TABLE big (sid BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                     "project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, "
                     "id BIGINT NOT NULL, v TEXT, d DOUBLE, b BLOB, KEY (project_id, id))");
    const char *dir = harness_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/solo.db", dir);
    harness_big_project(my, path, ROWS);
    return dir;
}

/* Every value of the project equals its source, and the target holds
 * exactly ROWS rows of it. */
static void loaded_exactly(MYSQL *my, const char *dir)
{
    harness_expect_project(my, dir, "solo", ROWS);
    cr_assert_eq(compare_count(my, "big", "project_id", "solo"), ROWS,
                 "the target holds another number of rows");
}

/* A proxy to the private server; aborts the test when it cannot listen. */
static struct proxy *proxy(void)
{
    struct proxy *p = proxy_start(harness_socket());
    cr_assert(p != NULL, "the proxy cannot listen: %m");
    return p;
}

/* The URL of database db through proxy p (a static buffer); the password
 * goes in MYSQL_PWD. */
static const char *proxy_url(struct proxy *p, const char *db)
{
    static char url[512];
    cr_assert(setenv("MYSQL_PWD", harness_password(), 1) == 0);
    snprintf(url, sizeof url, "mysql://%s@127.0.0.1:%u/%s?ssl-mode=DISABLED", harness_user(),
             proxy_port(p), db);
    return url;
}

/* Runs a migration of dir through proxy p into db with fault f armed once
 * litelift has connected; extra: more options (NULL-terminated, up to 6). */
static struct run_result migrate_through(struct proxy *p, const char *db, const char *dir,
                                         const struct proxy_fault *f, const char *const *extra)
{
    const char *args[20] = {
        "migrate", "--source",     dir, "--target", proxy_url(p, db), "--jobs", "1", "--batch-rows",
        "500",     "--retry-wait", "1"};
    size_t n = 11;
    for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 19; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    proxy_arm(p, f);
    return harness_run(args);
}

/* A run through a proxy that is cut at f: the same run retries and finishes
 * exactly, after saying what was lost; said: a fragment of its stderr. */
static void retried_through(const char *db, const struct proxy_fault *f, const char *said)
{
    MYSQL *my = harness_db(db);
    const char *dir = project_in(my);
    struct proxy *p = proxy();
    struct run_result r = migrate_through(p, db, dir, f, NULL);
    cr_assert_eq(proxy_fired(p), 1, "the fault did not strike\n%s", r.err);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, said) != NULL, "%s\n%s", said, r.err);
    cr_assert(strstr(r.out, "1 transient failure(s) retried (") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "validated; renamed as backup") != NULL, "%s", r.out);
    harness_result_free(&r);
    loaded_exactly(my, dir);
    proxy_stop(p);
    mysql_close(my);
}

Test(faults, a_connection_cut_during_a_load_data_stream_is_retried, .timeout = 300)
{
    struct proxy_fault f = {
        .point = PROXY_LOAD_DATA, .action = PROXY_CUT, .skip = 4, .bytes = 9000};
    retried_through("it_fault_load", &f,
                    "table big: lost connection (loading a batch: MySQL error 2013 (HY000): Lost "
                    "connection to server during query); retry 1 of 5 in 1 s");
}

Test(faults, a_connection_cut_right_before_a_commit_loads_that_batch_again, .timeout = 300)
{
    struct proxy_fault f = {.point = PROXY_BEFORE_COMMIT, .action = PROXY_CUT, .skip = 5};
    retried_through("it_fault_precommit", &f, "says it did not commit: its rows are loaded again");
}

Test(faults, a_connection_cut_right_after_a_commit_goes_on_after_it, .timeout = 300)
{
    struct proxy_fault f = {.point = PROXY_AFTER_COMMIT, .action = PROXY_CUT, .skip = 5};
    retried_through("it_fault_postcommit", &f, "says it committed: going on after it");
}

Test(faults, a_connection_cut_after_some_bytes_is_retried, .timeout = 300)
{
    struct proxy_fault f = {.point = PROXY_BYTES, .action = PROXY_CUT, .bytes = 200000};
    retried_through("it_fault_bytes", &f, "lost connection (");
}

Test(faults, a_connection_stalled_before_a_commit_times_out_and_is_retried, .timeout = 300)
{
    MYSQL *my = harness_db("it_fault_stall");
    const char *dir = project_in(my);
    struct proxy *p = proxy();
    struct proxy_fault f = {.point = PROXY_BEFORE_COMMIT, .action = PROXY_STALL, .skip = 3};
    const char *extra[] = {"--net-timeout", "3", NULL};
    struct run_result r = migrate_through(p, "it_fault_stall", dir, &f, extra);
    cr_assert_eq(proxy_fired(p), 1, "the fault did not strike\n%s", r.err);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "1 transient failure(s) retried (") != NULL, "%s", r.out);
    harness_result_free(&r);
    loaded_exactly(my, dir);
    proxy_stop(p);
    mysql_close(my);
}

Test(faults, a_cut_with_new_connections_refused_stops_the_run_and_the_rerun_finishes,
     .timeout = 300)
{
    MYSQL *my = harness_db("it_fault_refused");
    const char *dir = project_in(my);
    struct proxy *p = proxy();
    /* the cut strikes at the 4th COMMIT; from then on nothing connects */
    struct proxy_fault f = {.point = PROXY_BEFORE_COMMIT, .action = PROXY_CUT, .skip = 3};
    const char *extra[] = {"--retries", "2", NULL};
    proxy_refuse(p, 0);
    int pid;
    {
        const char *args[] = {"migrate",
                              "--source",
                              dir,
                              "--target",
                              proxy_url(p, "it_fault_refused"),
                              "--jobs",
                              "1",
                              "--batch-rows",
                              "500",
                              "--retry-wait",
                              "1",
                              extra[0],
                              extra[1],
                              NULL};
        proxy_arm(p, &f);
        pid = harness_spawn(args);
    }
    cr_assert(proxy_wait_fired(p, 1, 120), "the fault did not strike");
    proxy_refuse(p, 1);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "rerun the same command to continue") != NULL, "%s", r.err);
    harness_result_free(&r);
    proxy_refuse(p, 0);
    struct proxy_fault none = {.point = PROXY_BYTES, .action = PROXY_CUT, .bytes = 1LL << 60};
    r = migrate_through(p, "it_fault_refused", dir, &none, NULL);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    loaded_exactly(my, dir);
    proxy_stop(p);
    mysql_close(my);
}

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

/* The target table `big` on my and a project file solo.db of ROWS rows in
 * a new temp dir, returned. */
static const char *project_in(MYSQL *my)
{
    return harness_solo_project(my, ROWS);
}

/* Every value of the project equals its source, and the target holds
 * exactly ROWS rows of it. */
static void loaded_exactly(MYSQL *my, const char *dir)
{
    harness_solo_loaded(my, dir, ROWS);
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

/* The claim read before any data moves (a Galera node lost then, too): the
 * same run reconnects and claims the project again */
Test(faults, a_connection_cut_while_the_project_is_claimed_is_retried, .timeout = 300)
{
    struct proxy_fault f = {
        .point = PROXY_QUERY, .action = PROXY_CUT, .query = "SELECT owner, owner_host, owner_pid"};
    retried_through("it_fault_claim", &f,
                    "lost connection (reading the project's claim: MySQL error 2013 (HY000): Lost "
                    "connection to server during query); retry 1 of 5 in 1 s");
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

/* ------------------------------------------------ failing file calls ---- */

#define TROWS 40 /* rows of table t; those with id % 5 == 0 are rejected */

/* Adds table t (TROWS rows, a TINYINT its every fifth value does not fit)
 * to the project in dir and to the target. */
static void with_rejects(MYSQL *my, const char *dir)
{
    harness_exec(my, "CREATE TABLE t (sid BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, project_id "
                     "VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, id BIGINT "
                     "NOT NULL, v TINYINT, s TEXT, KEY (project_id, id))");
    cr_assert(harness_sh("sqlite3 \"$1/solo.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, v "
                         "INTEGER, s TEXT); WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 "
                         "FROM c WHERE n < $2) INSERT INTO t SELECT n, CASE WHEN n % 5 = 0 THEN "
                         "1000 + n ELSE n END, 'value ' || n FROM c\"",
                         dir, "40", NULL) == 0);
}

/* Runs args with the shim making call fail with errno name e on paths
 * holding path; the fault must strike. */
static struct run_result shimmed(const char *const *args, const char *call, const char *path,
                                 const char *e)
{
    char shim[600], log[600];
    cr_assert(getcwd(shim, sizeof shim - 32) != NULL);
    strcat(shim, "/build/faultshim.so");
    snprintf(log, sizeof log, "%s/faults.log", harness_tmpdir());
    cr_assert(setenv("LITELIFT_FAULT_CALL", call, 1) == 0 &&
              setenv("LITELIFT_FAULT_PATH", path, 1) == 0 &&
              setenv("LITELIFT_FAULT_ERRNO", e, 1) == 0 &&
              setenv("LITELIFT_FAULT_LOG", log, 1) == 0 && setenv("LD_PRELOAD", shim, 1) == 0);
    struct run_result r = harness_run(args);
    unsetenv("LD_PRELOAD");
    cr_assert(access(log, F_OK) == 0, "the fault did not strike\n%s\n%s", r.out, r.err);
    return r;
}

/* Every value of the project whose file (or backup) is in dir equals its
 * source but the rejected rows of t; big and t hold exactly the source's
 * other rows. */
static void loaded_but_rejects(MYSQL *my, const char *dir)
{
    const char *keys[TROWS / 5];
    char key[TROWS / 5][32];
    for (int i = 0; i < TROWS / 5; i++) {
        snprintf(key[i], sizeof key[i], "t\tid=%d", 5 * (i + 1));
        keys[i] = key[i];
    }
    struct compare_skip skip = {keys, TROWS / 5};
    cr_assert_eq(harness_compare_project(my, dir, "solo", &skip), ROWS + TROWS - TROWS / 5);
    cr_assert_eq(compare_count(my, "big", "project_id", "solo"), ROWS);
    cr_assert_eq(compare_count(my, "t", "project_id", "solo"), TROWS - TROWS / 5);
}

/* A project with rejects whose reject files fail (call with errno e, said:
 * the message's fragment): the project fails naming the file; nothing is
 * left half-written; the rerun writes the files, each reject once. */
static void rejects_fail(const char *db, const char *call, const char *e, const char *said)
{
    MYSQL *my = harness_db(db);
    const char *dir = project_in(my);
    with_rejects(my, dir);
    const char *rej = harness_tmpdir();
    const char *args[] = {"migrate", "--source", dir,        "--rejects",     rej,
                          "--jobs",  "1",        "--target", harness_url(db), NULL};
    struct run_result r = shimmed(args, call, rej, e);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    char want[800];
    snprintf(
        want, sizeof want,
        "project 'solo' (solo.db) FAILED: table t: reject files: %s %s/solo/t.rejects.tsv.new%s",
        said, rej,
        strcmp(e, "EIO") == 0 ? " in place: Input/output error" : ": No space left on device");
    cr_assert(strstr(r.err, want) != NULL, "%s\n%s", want, r.err);
    harness_result_free(&r);
    cr_assert(
        harness_sh(
            "test ! -e \"$1\"/solo/t.rejects.tsv.new && test ! -e \"$1\"/solo/t.rejects.log.new",
            rej, NULL) == 0,
        "a half-written reject file was left");
    r = harness_run(args);
    cr_assert_eq(r.status, 5, "loaded, rows rejected:\n%s\n%s", r.out, r.err);
    harness_result_free(&r);
    char *lines = harness_sh_out("cut -f1 \"$1\"/solo/t.rejects.tsv | tr '\\n' ' '; cut -f1 "
                                 "\"$1\"/solo/t.rejects.log | tr '\\n' ' '",
                                 rej, NULL);
    cr_assert_str_eq(
        lines, "id 5 10 15 20 25 30 35 40 key id=5 id=10 id=15 id=20 id=25 id=30 id=35 id=40 ");
    free(lines);
    loaded_but_rejects(my, dir);
    mysql_close(my);
}

Test(faults, a_reject_file_write_failing_with_enospc_fails_the_project_and_the_rerun_writes_it,
     .timeout = 300)
{
    rejects_fail("it_fault_rwrite", "write", "ENOSPC", "writing reject files");
}

Test(faults, a_reject_file_rename_failing_with_eio_fails_the_project_and_the_rerun_writes_it,
     .timeout = 300)
{
    rejects_fail("it_fault_rrename", "rename", "EIO", "putting reject files");
}

/* A backup (by copy, --backup-dir on another filesystem, or by link) whose
 * call fails with errno e: the project fails with said (its fragment), the
 * source stays whole where it was, no temporary copy is left, and the rerun
 * makes the backup: the same bytes, every value loaded once. */
static void backup_fails(const char *db, const char *call, const char *e, const char *said,
                         int copy)
{
    MYSQL *my = harness_db(db);
    const char *dir = project_in(my);
    const char *bk = copy ? harness_tmpdir_in("/dev/shm") : dir;
    char src[600], dst[600];
    snprintf(src, sizeof src, "%s/solo.db", dir);
    snprintf(dst, sizeof dst, "%s/solo.db.migrated", bk);
    char *sum = harness_sha256(src);
    const char *args[] = {"migrate",
                          "--source",
                          dir,
                          "--jobs",
                          "1",
                          "--target",
                          harness_url(db),
                          copy ? "--backup-dir" : NULL,
                          bk,
                          NULL};
    struct run_result r = shimmed(args, call, ".migrated", e);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, said) != NULL, "%s\n%s", said, r.err);
    cr_assert(strstr(r.err, "project 'solo' (solo.db) FAILED: backup rename: ") != NULL, "%s",
              r.err);
    harness_result_free(&r);
    char *now = harness_sha256(src);
    cr_assert_str_eq(now, sum, "the source changed");
    free(now);
    cr_assert(harness_sh("test ! -e \"$1\".tmp && test ! -e \"$1\"", dst, NULL) == 0,
              "a backup or its temporary copy was left");
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "validated; renamed as backup") != NULL, "%s", r.out);
    harness_result_free(&r);
    cr_assert(access(src, F_OK) != 0, "the source is still there");
    now = harness_sha256(dst);
    cr_assert_str_eq(now, sum, "the backup differs from the source");
    free(now);
    free(sum);
    loaded_exactly(my, bk);
    mysql_close(my);
}

Test(faults, a_backup_copy_failing_with_enospc_keeps_the_source_and_the_rerun_makes_it,
     .timeout = 300)
{
    backup_fails("it_fault_bwrite", "write", "ENOSPC", ".migrated.tmp: No space left on device", 1);
}

Test(faults, a_backup_copy_fsync_failing_with_eio_keeps_the_source_and_the_rerun_makes_it,
     .timeout = 300)
{
    backup_fails("it_fault_bfsync", "fsync", "EIO", ".migrated.tmp: Input/output error", 1);
}

Test(faults, a_backup_copy_rename_failing_with_eio_keeps_the_source_and_the_rerun_makes_it,
     .timeout = 300)
{
    backup_fails("it_fault_brename", "rename", "EIO", ".migrated.tmp to ", 1);
}

Test(faults, a_backup_link_failing_with_eio_keeps_the_source_and_the_rerun_makes_it, .timeout = 300)
{
    backup_fails("it_fault_blink", "link", "EIO", "solo.db.migrated: Input/output error", 0);
}

Test(faults, a_backup_link_failing_with_exdev_is_made_by_a_copy, .timeout = 300)
{
    MYSQL *my = harness_db("it_fault_exdev");
    const char *dir = project_in(my);
    char src[600], dst[600];
    snprintf(src, sizeof src, "%s/solo.db", dir);
    snprintf(dst, sizeof dst, "%s/solo.db.migrated", dir);
    char *sum = harness_sha256(src);
    const char *args[] = {
        "migrate", "--source", dir, "--jobs", "1", "--target", harness_url("it_fault_exdev"), NULL};
    struct run_result r = shimmed(args, "link", ".migrated", "EXDEV");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "validated; renamed as backup") != NULL, "%s", r.out);
    harness_result_free(&r);
    char *now = harness_sha256(dst);
    cr_assert_str_eq(now, sum, "the copy differs from the source");
    free(now);
    free(sum);
    cr_assert(
        harness_sh("test ! -e \"$1\" && test ! -e \"$2\".tmp && test \"$(stat -c %h \"$2\")\" = 1",
                   src, dst, NULL) == 0,
        "the backup is not a copy of its own");
    loaded_exactly(my, dir);
    mysql_close(my);
}

/* A connection cut right before the run's query holding query, while it
 * reads the target before any load: the run ends with status 1, stderr
 * holding said and the summary line holding line, and loads nothing; the
 * rerun finishes exactly. */
static void cut_before_loading(const char *db, const char *query, const char *said,
                               const char *line)
{
    MYSQL *my = harness_db(db);
    const char *dir = project_in(my);
    struct proxy *p = proxy();
    struct proxy_fault f = {.point = PROXY_QUERY, .action = PROXY_CUT, .query = query};
    struct run_result r = migrate_through(p, db, dir, &f, NULL);
    cr_assert_eq(proxy_fired(p), 1, "the fault did not strike\n%s", r.err);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, said) != NULL, "%s\n%s", said, r.err);
    cr_assert(strstr(r.out, line) != NULL, "%s\n%s", line, r.out);
    cr_assert(strstr(r.out, "(no tables)") == NULL, "%s", r.out);
    cr_assert(strstr(r.err, "schema does not fit") == NULL, "%s", r.err);
    harness_result_free(&r);
    cr_assert_eq(compare_count(my, "big", "project_id", "solo"), 0);
    proxy_disarm(p);
    const char *args[] = {"migrate", "--source", dir, "--target", proxy_url(p, db), NULL};
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    loaded_exactly(my, dir);
    proxy_stop(p);
    mysql_close(my);
}

Test(faults, a_connection_cut_while_the_run_compares_project_ids_leaves_them_not_started,
     .timeout = 300)
{
    cut_before_loading("it_fault_ids", "WEIGHT_STRING(",
                       "litelift: comparing project ids: MySQL error 2013 (HY000): Lost "
                       "connection to server during query",
                       "solo                     not started (the run failed)");
}

Test(faults, a_connection_cut_while_a_project_reads_the_target_schema_fails_it_as_lost,
     .timeout = 300)
{
    cut_before_loading("it_fault_schema", "ORDER BY BINARY TABLE_NAME <> BINARY",
                       "project 'solo' (solo.db) FAILED: reading information_schema.COLUMNS: "
                       "MySQL error 2013 (HY000): Lost connection to server during query",
                       "solo                     FAILED: reading information_schema.COLUMNS: ");
}

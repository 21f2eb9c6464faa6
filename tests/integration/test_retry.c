/* Integration tests of transient failures retried inside the same run
 * (--retries, --retry-wait): litelift's connection KILLed while a batch
 * waits for a lock, KILLed while its COMMIT waits (BACKUP STAGE
 * BLOCK_COMMIT), a private server killed with SIGKILL and started again
 * mid-run, and a lock wait timeout rolled back and retried; with the retries spent (--retries 0, or
 * a server that stays down) the run stops as before and a rerun finishes. Every run ends with every
 * value compared with the source and the exact number of rows: a target keyed by a surrogate would
 * take a row twice. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "harness.h"

#define ROWS 10000

/* Sets up database db on my: a target table `big` keyed by a surrogate (so
 * that nothing refuses a row loaded twice), and a project file solo.db of
 * ROWS rows in a new temp dir, returned. */
static const char *project_in(MYSQL *my, const char *db)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", db);
    harness_exec(my, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE `%s` CHARACTER SET utf8mb4", db);
    harness_exec(my, sql);
    cr_assert(mysql_select_db(my, db) == 0, "%s", mysql_error(my));
    return harness_solo_project(my, ROWS);
}

/* Every value of the project equals its source, and the target holds
 * exactly ROWS rows of it. */
static void loaded_exactly(MYSQL *my, const char *dir)
{
    harness_solo_loaded(my, dir, ROWS);
}

/* The id (above after) of the connection of litelift (pid) in database db
 * that runs a statement matching `info` (LIKE) in a state matching `state`
 * (LIKE), once there is one; at most after when litelift exited first. */
static long long connection_after(MYSQL *my, const char *db, const char *info, const char *state,
                                  long long after, int pid)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT COALESCE(MAX(ID), 0) FROM information_schema.PROCESSLIST WHERE DB = '%s' "
             "AND ID <> CONNECTION_ID() AND INFO LIKE '%s' AND STATE LIKE '%s' AND ID > %lld",
             db, info, state, after);
    return harness_wait_number(my, sql, after + 1, pid);
}

/* connection_after any connection: 0 when litelift exited first. */
static long long litelift_connection(MYSQL *my, const char *db, const char *info, const char *state,
                                     int pid)
{
    return connection_after(my, db, info, state, 0, pid);
}

/* KILLs connection id from my. */
static void kill_connection(MYSQL *my, long long id)
{
    cr_assert(id > 0, "litelift exited before its connection could be killed");
    char sql[64];
    snprintf(sql, sizeof sql, "KILL %lld", id);
    harness_exec(my, sql);
}

/* Starts args, holds litelift at a batch once rows rows are in, KILLs its
 * connection while its LOAD waits for the lock, lets it go, and returns its
 * result. */
static struct run_result killed_mid_batch(const char *db, const char *const *args, long long rows)
{
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold(db, "big", "solo", rows);
    MYSQL *other = harness_db_keep(db);
    kill_connection(other, litelift_connection(other, db, "LOAD DATA%",
                                               "Waiting for table metadata lock", pid));
    harness_release(hold);
    mysql_close(other);
    return harness_wait(pid, NULL);
}

Test(retry, a_connection_killed_mid_batch_is_retried_and_the_same_run_finishes, .timeout = 300)
{
    MYSQL *my = harness_db("it_retry_kill");
    const char *dir = project_in(my, "it_retry_kill");
    const char *url = harness_url("it_retry_kill");
    /* --retries 0: the run stops as before, resumable */
    const char *once[] = {"migrate", "--source",  dir, "--batch-rows", "100", "--jobs",
                          "1",       "--retries", "0", "--target",     url,   NULL};
    struct run_result r = killed_mid_batch("it_retry_kill", once, 1000);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "lost the connection to the target (MySQL error ") != NULL, "%s",
              r.err);
    cr_assert(strstr(r.err, "rerun the same command to continue") != NULL, "%s", r.err);
    cr_assert(strstr(r.out, "retried") == NULL, "%s", r.out);
    harness_result_free(&r);
    long partial = compare_count(my, "big", "project_id", "solo");
    cr_assert(partial >= 1000 && partial < ROWS && partial % 100 == 0, "%ld rows", partial);
    /* with retries, the same run reconnects and finishes from the checkpoint */
    const char *args[] = {"migrate", "--source",     dir, "--batch-rows", "100", "--jobs",
                          "1",       "--retry-wait", "1", "--target",     url,   NULL};
    r = killed_mid_batch("it_retry_kill", args, partial + 1000);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "table big: lost connection (") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "; retry 1 of 5 in 1 s") != NULL, "%s", r.err);
    cr_assert(strstr(r.out, "1 transient failure(s) retried (lost connection x1)") != NULL, "%s",
              r.out);
    cr_assert(strstr(r.out, "validated; renamed as backup") != NULL, "%s", r.out);
    harness_result_free(&r);
    loaded_exactly(my, dir);
    mysql_close(my);
}

Test(retry, a_connection_killed_while_its_commit_waits_loads_that_batch_again, .timeout = 300)
{
    MYSQL *my = harness_db("it_retry_commit");
    const char *dir = project_in(my, "it_retry_commit");
    const char *args[] = {"migrate",
                          "--source",
                          dir,
                          "--batch-rows",
                          "100",
                          "--jobs",
                          "1",
                          "--retry-wait",
                          "1",
                          "--target",
                          harness_url("it_retry_commit"),
                          NULL};
    int pid = harness_spawn(args);
    harness_wait_number(my, "SELECT COUNT(*) FROM big", 1000, pid);
    /* commits wait from here on, writes do not */
    MYSQL *backup = harness_db_keep("it_retry_commit");
    harness_exec(backup, "BACKUP STAGE START");
    harness_exec(backup, "BACKUP STAGE FLUSH");
    harness_exec(backup, "BACKUP STAGE BLOCK_DDL");
    harness_exec(backup, "BACKUP STAGE BLOCK_COMMIT");
    long long before = harness_number(my, "SELECT COUNT(*) FROM big");
    long long id = litelift_connection(my, "it_retry_commit", "COMMIT", "%backup%", pid);
    kill_connection(my, id);
    /* the COMMIT ends, undone, before commits may go on */
    char gone[160];
    snprintf(gone, sizeof gone,
             "SELECT COUNT(*) = 0 FROM information_schema.PROCESSLIST WHERE ID = %lld", id);
    harness_wait_number(my, gone, 1, 0);
    harness_exec(backup, "BACKUP STAGE END");
    mysql_close(backup);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    char said[200];
    snprintf(said, sizeof said,
             "table big: a COMMIT was cut off; its checkpoint (version %lld, %lld row(s) loaded) "
             "says it did not commit: its rows are loaded again",
             before / 100, before);
    cr_assert(strstr(r.err, said) != NULL, "%s\n%s", said, r.err);
    cr_assert(strstr(r.out, "1 transient failure(s) retried (") != NULL, "%s", r.out);
    harness_result_free(&r);
    loaded_exactly(my, dir);
    mysql_close(my);
}

/* ------------------------------------------------- a private server ---- */

static char server_dir[512];

static void server_start(void)
{
    cr_assert(harness_sh("scripts/testdb.sh start \"$1\" >/dev/null", server_dir, NULL) == 0,
              "the private server did not start");
}

/* A connection to the private server's database db (no reset). */
static MYSQL *server_db(const char *db)
{
    MYSQL *my = harness_server_in(server_dir);
    cr_assert(db == NULL || mysql_select_db(my, db) == 0, "%s", mysql_error(my));
    return my;
}

/* Waits until litelift (pid) has rows rows in the private server and its
 * next LOAD waits for a lock held meanwhile, then kills the server with
 * SIGKILL and waits until its process is gone. */
static void kill_server_mid_batch(int pid, long long rows)
{
    MYSQL *hold = server_db("it_restart");
    harness_wait_number(hold, "SELECT COUNT(*) FROM big", rows, pid);
    harness_exec(hold, "LOCK TABLES big WRITE");
    MYSQL *other = server_db("it_restart");
    cr_assert(litelift_connection(other, "it_restart", "LOAD DATA%",
                                  "Waiting for table metadata lock", pid) > 0);
    cr_assert(harness_sh("pid=$(cat \"$1/mysqld.pid\") && kill -9 \"$pid\" || exit 1; "
                         "for i in $(seq 1200); do kill -0 \"$pid\" 2>/dev/null || exit 0; "
                         "sleep 0.05; done; exit 1",
                         server_dir, NULL) == 0,
              "the private server did not go away");
    mysql_close(other);
    mysql_close(hold);
}

Test(retry, a_server_killed_and_started_again_mid_run_is_waited_for, .timeout = 600)
{
    snprintf(server_dir, sizeof server_dir, "%s", harness_tmpdir());
    server_start();
    MYSQL *my = server_db(NULL);
    const char *dir = project_in(my, "it_restart");
    mysql_close(my);
    char url[800];
    snprintf(url, sizeof url,
             "mysql://litelift:lite%%20pass@localhost/it_restart?socket=%s/mysql.sock", server_dir);
    /* a server that stays down spends the retries: the run stops, resumable */
    const char *few[] = {"migrate", "--source",  dir, "--batch-rows", "100", "--jobs",
                         "1",       "--retries", "1", "--retry-wait", "1",   "--target",
                         url,       NULL};
    int pid = harness_spawn(few);
    kill_server_mid_batch(pid, 1000);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "table big: lost connection (") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "table big: server unreachable: giving up after 1 retry (--retries)") !=
                  NULL,
              "%s", r.err);
    cr_assert(strstr(r.err, "rerun the same command to continue") != NULL, "%s", r.err);
    harness_result_free(&r);
    /* the server comes back while the same run waits for it */
    server_start();
    const char *args[] = {"migrate", "--source",  dir, "--batch-rows", "100", "--jobs",
                          "1",       "--retries", "8", "--retry-wait", "1",   "--target",
                          url,       NULL};
    pid = harness_spawn(args);
    my = server_db("it_restart");
    long long partial = harness_number(my, "SELECT COUNT(*) FROM big");
    mysql_close(my);
    kill_server_mid_batch(pid, partial + 1000);
    server_start();
    r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, " transient failure(s) retried (lost connection x1") != NULL, "%s",
              r.out);
    cr_assert(strstr(r.out, "resumed") != NULL, "%s", r.out);
    harness_result_free(&r);
    my = server_db("it_restart");
    loaded_exactly(my, dir);
    mysql_close(my);
    harness_sh("scripts/testdb.sh stop \"$1\" >/dev/null", server_dir, NULL);
}

Test(retry, a_lock_wait_timeout_is_rolled_back_and_retried_on_a_new_connection, .timeout = 300)
{
    snprintf(server_dir, sizeof server_dir, "%s", harness_tmpdir());
    server_start();
    MYSQL *my = server_db(NULL);
    const char *dir = project_in(my, "it_lockwait");
    harness_exec(my, "SET GLOBAL innodb_lock_wait_timeout = 1"); /* this server's own */
    char url[800];
    snprintf(url, sizeof url,
             "mysql://litelift:lite%%20pass@localhost/it_lockwait?socket=%s/mysql.sock",
             server_dir);
    const char *args[] = {"migrate", "--source",     dir, "--batch-rows", "100", "--jobs",
                          "1",       "--retry-wait", "1", "--target",     url,   NULL};
    int pid = harness_spawn(args);
    harness_wait_number(my, "SELECT COUNT(*) FROM big", 1000, pid);
    /* the project's claim row is locked: a batch's lease renewal, its rows
     * sent already, waits and times out */
    MYSQL *hold = server_db("it_lockwait");
    harness_exec(hold, "SET autocommit = 0");
    harness_exec(hold, "SELECT COUNT(*) FROM litelift_progress WHERE table_name = '' FOR UPDATE");
    const char *renew = "UPDATE `litelift_progress` SET lease_until%";
    long long first = litelift_connection(my, "it_lockwait", renew, "%", pid);
    cr_assert(first > 0, "litelift exited before its renewal waited");
    /* after the timeout, a new connection renews the claim: it waits too */
    cr_assert(connection_after(my, "it_lockwait", renew, "%", first, pid) > first);
    harness_exec(hold, "ROLLBACK");
    mysql_close(hold);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "table big: lock wait timeout (") != NULL, "%s", r.err);
    cr_assert(strstr(r.out, " transient failure(s) retried (lock wait timeout x") != NULL, "%s",
              r.out);
    harness_result_free(&r);
    loaded_exactly(my, dir);
    mysql_close(my);
    harness_sh("scripts/testdb.sh stop \"$1\" >/dev/null", server_dir, NULL);
}

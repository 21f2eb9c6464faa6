/* Integration tests of litelift's timeouts and of signals honoured while a
 * statement waits for the server, through the real binary:
 * - against a server of the test's own (scripts/testdb.sh start DIR, stopped
 *   at the end) frozen with SIGSTOP mid-load: with --net-timeout 3 the
 *   project fails within the timeout, its error naming the socket and the
 *   timeout, and a new connection gives up after --connect-timeout 2 (the
 *   `status` command); and SIGTERM sent while the server is frozen ends the run within
 *   5 s with status 3 (the statement in flight cancelled);
 * - against the usual private server, a LOCK TABLES held by another session
 *   mid-load: with --lock-wait-timeout 2 the project fails within the
 *   timeout, its error naming the table, the setting and the session that
 *   holds the lock; and SIGTERM sent while the run waits for the lock ends it
 *   within 5 s with status 3.
 * Each time a rerun (server thawed, lock released) finishes, and every value
 * compares equal to the source. Waits are for conditions (rows present, the
 * process list, the process's exit) with deadlines, never fixed sleeps. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"

#define ROWS 300000L /* several seconds of batches of 50: still loading when frozen */

/* ------------------------------------------------------------ helpers ---- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char own_dir[512];  /* the test's own server, or "" */
static pid_t own_pid;      /* its mariadbd */
static char own_sock[600]; /* its socket */
static char own_url[1200]; /* its database it_timeouts */

/* Starts the test's own server and makes database it_timeouts there. */
static MYSQL *own_start(void)
{
    snprintf(own_dir, sizeof own_dir, "%s", harness_tmpdir());
    cr_assert(harness_sh("scripts/testdb.sh start \"$1\" >/dev/null", own_dir, NULL) == 0,
              "the test's own server did not start");
    char *pid = harness_sh_out("cat \"$1\"/mysqld.pid", own_dir, NULL);
    own_pid = (pid_t)strtol(pid, NULL, 10);
    free(pid);
    cr_assert(own_pid > 0);
    snprintf(own_sock, sizeof own_sock, "%s/mysql.sock", own_dir);
    snprintf(own_url, sizeof own_url, "mysql://litelift@localhost/it_timeouts?socket=%s", own_sock);
    MYSQL *my = mysql_init(NULL);
    cr_assert(mysql_real_connect(my, "localhost", "litelift", "lite pass", NULL, 0, own_sock,
                                 CLIENT_MULTI_STATEMENTS) != NULL,
              "%s", mysql_error(my));
    harness_exec(my, "CREATE DATABASE it_timeouts CHARACTER SET utf8mb4");
    cr_assert(mysql_select_db(my, "it_timeouts") == 0);
    return my;
}

/* A file holding the own server's password (kept out of the URL). */
static const char *own_pw(void)
{
    static char path[1100];
    snprintf(path, sizeof path, "%s/pw", own_dir);
    cr_assert(harness_sh("printf 'lite pass\\n' >\"$1\"", path, NULL) == 0);
    return path;
}

/* .fini: the own server thawed (a failed test may leave it frozen) and stopped. */
static void own_stop(void)
{
    if (own_pid > 0)
        kill(own_pid, SIGCONT);
    if (own_dir[0] != '\0')
        harness_sh("scripts/testdb.sh stop \"$1\" >/dev/null", own_dir, NULL);
}

/* A source dir holding project p1 of ROWS rows (table big, created on my). */
static const char *one_project(MYSQL *my)
{
    const char *dir = harness_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/p1.db", dir);
    harness_big_project(my, path, ROWS);
    return dir;
}

/* Waits until child pid exits, at most limit seconds; returns the seconds
 * it took. Past the limit, the server is thawed, the child killed and the
 * test failed. */
static double exit_within(int pid, double limit, const char *what)
{
    double t0 = now();
    struct timespec tick = {0, 10000000L};
    while (!harness_exited(pid)) {
        if (now() - t0 > limit) {
            if (own_pid > 0)
                kill(own_pid, SIGCONT);
            kill(pid, SIGKILL);
            harness_wait(pid, NULL);
            cr_assert_fail("%s: litelift still ran after %.0f s", what, limit);
        }
        nanosleep(&tick, NULL);
    }
    return now() - t0;
}

/* Waits until one session of the server my is on waits for a table's
 * metadata lock (litelift behind a LOCK TABLES), or child pid exited. */
static void wait_for_lock_wait(MYSQL *my, int pid)
{
    harness_wait_number(my,
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE = "
                        "'Waiting for table metadata lock'",
                        1, pid);
    cr_assert(!harness_exited(pid), "litelift ended before it waited for the lock");
}

/* Reruns args: the project resumes and every value compares equal. */
static void rerun_finishes(MYSQL *my, const char *const *args, const char *dir)
{
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "the rerun:\n%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "resumed") != NULL, "%s", r.out);
    harness_result_free(&r);
    harness_expect_project(my, dir, "p1", ROWS);
    cr_assert_eq(compare_count(my, "big", "project_id", "p1"), ROWS, "rows arrived twice");
}

/* Starts args and, once 100 rows of p1 arrived, locks table big of db on a
 * connection of its own (returned, for harness_release); returns once
 * litelift waits for that lock. */
static MYSQL *spawn_and_lock(const char *db, MYSQL *my, const char *const *args, int *pid)
{
    *pid = harness_spawn(args);
    MYSQL *hold = harness_hold(db, "big", "p1", 100);
    wait_for_lock_wait(my, *pid);
    return hold;
}

/* Sends SIGTERM to pid, which must end within 5 s with status 3, p1's line
 * saying `outcome`; returns its result. The own server, if any, is thawed. */
static struct run_result terminate(int pid, const char *outcome)
{
    cr_assert(kill(pid, SIGTERM) == 0);
    exit_within(pid, 5, "SIGTERM");
    int sig;
    struct run_result r = harness_wait(pid, &sig);
    if (own_pid > 0)
        cr_assert(kill(own_pid, SIGCONT) == 0);
    cr_assert_eq(sig, 0, "litelift was killed by signal %d", sig);
    cr_assert_eq(r.status, 3, "%s\n%s", r.out, r.err);
    char want[200];
    snprintf(want, sizeof want, "\np1                       %s", outcome);
    cr_assert(strstr(r.out, want) != NULL, "no \"%s\" in:\n%s", want + 1, r.out);
    cr_assert(strstr(r.out, "; INTERRUPTED\n") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "\nnext: rerun the same command to continue\n") != NULL, "%s", r.out);
    return r;
}

/* Starts args and freezes the own server (SIGSTOP) once 100 rows arrived. */
static int spawn_and_freeze(MYSQL *my, const char *const *args)
{
    int pid = harness_spawn(args);
    harness_wait_number(my, "SELECT COUNT(*) FROM big", 100, pid);
    cr_assert(!harness_exited(pid), "litelift ended before the server was frozen");
    cr_assert(kill(own_pid, SIGSTOP) == 0);
    return pid;
}

/* ------------------------------------------------- a frozen server ---- */

Test(timeouts, a_frozen_server_fails_the_project_within_the_net_timeout, .fini = own_stop,
     .timeout = 300)
{
    MYSQL *my = own_start();
    const char *dir = one_project(my);
    /* --retries 0: the timeout's own error (retries are test_retry's) */
    const char *args[] = {"migrate", "--source",  dir, "--batch-rows", "50",    "--net-timeout",
                          "3",       "--retries", "0", "--target",     own_url, "--password-file",
                          own_pw(),  NULL};
    int pid = spawn_and_freeze(my, args);
    double took = exit_within(pid, 3 + 5, "--net-timeout 3");
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    char want[1400];
    snprintf(want, sizeof want, "no answer from the socket %s within 3 s (--net-timeout)",
             own_sock);
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    cr_assert(strstr(r.err, "project 'p1' (p1.db) FAILED: table big: ") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "rerun the same command to continue") != NULL, "%s", r.err);
    cr_assert(took >= 2.5, "failed after %.1f s, before the 3 s timeout:\n%s", took, r.err);
    harness_result_free(&r);
    /* still frozen: a new connection gives up after --connect-timeout */
    const char *status[] = {"status", "--connect-timeout", "2",      "--target",
                            own_url,  "--password-file",   own_pw(), NULL};
    pid = harness_spawn(status);
    took = exit_within(pid, 2 + 5, "--connect-timeout 2");
    r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    snprintf(want, sizeof want, "litelift: cannot connect to the socket %s as litelift", own_sock);
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    cr_assert(strstr(r.err, " (no answer within 2 s: --connect-timeout)\n") != NULL, "%s", r.err);
    cr_assert(took >= 1.5, "gave up after %.1f s, before the 2 s timeout", took);
    harness_result_free(&r);
    cr_assert(kill(own_pid, SIGCONT) == 0);
    rerun_finishes(my, args, dir);
    mysql_close(my);
}

Test(timeouts, sigterm_is_honoured_while_the_server_is_frozen, .fini = own_stop, .timeout = 300)
{
    MYSQL *my = own_start();
    const char *dir = one_project(my);
    const char *args[] = {"migrate", "--source", dir,     "--batch-rows",
                          "50",      "--target", own_url, "--password-file",
                          own_pw(),  NULL};
    struct run_result r = terminate(spawn_and_freeze(my, args), "interrupted");
    harness_result_free(&r);
    rerun_finishes(my, args, dir);
    mysql_close(my);
}

/* ------------------------------------------------ a table locked ---- */

Test(timeouts, a_locked_table_fails_the_project_within_the_lock_wait_timeout, .timeout = 300)
{
    MYSQL *my = harness_db("it_lockwait");
    const char *dir = one_project(my);
    const char *args[] = {"migrate",
                          "--source",
                          dir,
                          "--batch-rows",
                          "50",
                          "--lock-wait-timeout",
                          "2",
                          "--retries", /* the timeout's own error (retries: test_retry) */
                          "0",
                          "--target",
                          harness_url("it_lockwait"),
                          NULL};
    int pid;
    MYSQL *hold = spawn_and_lock("it_lockwait", my, args, &pid);
    double took = exit_within(pid, 2 + 5, "--lock-wait-timeout 2");
    struct run_result r = harness_wait(pid, NULL);
    unsigned long holder = mysql_thread_id(hold);
    harness_release(hold);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "project 'p1' (p1.db) FAILED: table big: ") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "MySQL error 1205 (HY000): Lock wait timeout exceeded; try restarting "
                            "transaction: waited 2 s (--lock-wait-timeout) for a lock another "
                            "session holds on table `it_lockwait`.`big` (LOCK TABLES, DDL or a "
                            "long transaction); it may be connection ") != NULL,
              "%s", r.err);
    char who[64];
    snprintf(who, sizeof who, "connection %lu (litelift, Sleep for ", holder);
    cr_assert(strstr(r.err, who) != NULL, "the holder, %s, is not named:\n%s", who, r.err);
    cr_assert(took >= 1.5, "failed after %.1f s, before the 2 s timeout", took);
    harness_result_free(&r);
    rerun_finishes(my, args, dir);
    mysql_close(my);
}

Test(timeouts, sigterm_is_honoured_while_waiting_for_a_lock, .timeout = 300)
{
    MYSQL *my = harness_db("it_lockterm");
    const char *dir = one_project(my);
    const char *args[] = {
        "migrate", "--source", dir, "--batch-rows", "50", "--target", harness_url("it_lockterm"),
        NULL};
    int pid;
    MYSQL *hold = spawn_and_lock("it_lockterm", my, args, &pid);
    struct run_result r = terminate(pid, "interrupted in a batch (rolled back)\n");
    harness_release(hold);
    harness_result_free(&r);
    long partial = compare_count(my, "big", "project_id", "p1");
    cr_assert(partial > 0 && partial < ROWS && partial % 50 == 0,
              "only whole batches are committed (%ld rows)", partial);
    rerun_finishes(my, args, dir);
    mysql_close(my);
}

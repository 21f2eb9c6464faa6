/* soak (`make soak`, not in CI): random faults for SOAK_SECONDS (default
 * 180) against a mixed fixture set on a private server of its own, reached
 * through the fault proxy: the ApnaBackup fixtures (hostile values and
 * project names, a WAL-only tail, rows rejected, corrupt and non-SQLite
 * files) and four generated projects of BIG_ROWS rows each in a table keyed
 * by a surrogate (a row loaded twice would show). Each run of litelift meets
 * one fault: the server killed with SIGKILL and started again, every proxied
 * connection cut, a cut or stall at a protocol point (a LOAD DATA stream, a
 * batch's COMMIT), litelift killed with SIGKILL or stopped with SIGTERM, or
 * ENOSPC on the reject files (the shim). Runs follow each other until every
 * project that can be migrated is; then every value is compared, the
 * target and the sources are reset, and the next round begins. At the end a
 * last round completes without faults and is compared the same way. It
 * prints the faults survived; SOAK_SEED repeats its choice of faults
 * (not their timing). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"
#include "proxy.h"

#define BIG_ROWS 100000
#define NBIG 4
#define DB "soak"

enum fault {
    SERVER_KILL,
    CUT_ALL,
    PROXY_POINT,
    LITELIFT_KILL,
    LITELIFT_TERM,
    REJECTS_ENOSPC,
    NFAULTS
};

static const char *const fault_names[NFAULTS] = {
    "server killed and restarted", "connections cut",    "cut or stall at a protocol point",
    "litelift SIGKILLed",          "litelift SIGTERMed", "ENOSPC on the reject files"};

static const char *const good[] = {"acme", "o'brien & sons", "Zürich 東京", "back\\slash \"q\"",
                                   "walproj"};

struct soak {
    char server[512];  /* the private server's directory */
    const char *clean; /* the fixture set as built */
    char src[600], rejects[600], shim[600], url[600];
    struct proxy *proxy;
    unsigned seed, first_seed;
    long survived[NFAULTS], runs, rounds;
};

static void server_start(struct soak *s)
{
    cr_assert(harness_sh("scripts/testdb.sh start \"$1\" >/dev/null", s->server, NULL) == 0,
              "the private server did not start");
}

/* Kills the private server with SIGKILL and waits until it is gone. */
static void server_kill(struct soak *s)
{
    cr_assert(harness_sh("pid=$(cat \"$1/mysqld.pid\") && kill -9 \"$pid\" || exit 1; "
                         "while kill -0 \"$pid\" 2>/dev/null; do sleep 0.05; done",
                         s->server, NULL) == 0,
              "the private server did not go away");
}

static MYSQL *soak_db(struct soak *s)
{
    MYSQL *my = harness_server_in(s->server);
    cr_assert(mysql_select_db(my, DB) == 0, "%s", mysql_error(my));
    return my;
}

/* A fresh target and fresh sources: the fixtures as built, and reject files
 * of none. */
static void reset(struct soak *s)
{
    MYSQL *my = harness_server_in(s->server);
    harness_exec(my, "DROP DATABASE IF EXISTS " DB);
    harness_exec(my, "CREATE DATABASE " DB " CHARACTER SET utf8mb4");
    cr_assert(mysql_select_db(my, DB) == 0, "%s", mysql_error(my));
    harness_apply(my, "fixtures/apna_target.sql");
    harness_surrogate_big(my);
    mysql_close(my);
    cr_assert(harness_sh("rm -rf \"$1\" \"$3\" && cp -a \"$2\" \"$1\"", s->src, s->clean,
                         s->rejects, NULL) == 0);
}

/* Builds the fixture set once: the ApnaBackup projects and NBIG big ones. */
static void fixtures(struct soak *s)
{
    const char *fx = harness_fixtures();
    char *clean = NULL;
    cr_assert(asprintf(&clean, "%s/apna", fx) > 0);
    s->clean = clean;
    MYSQL *my = harness_server_in(s->server);
    harness_exec(my, "CREATE DATABASE IF NOT EXISTS soak_build");
    cr_assert(mysql_select_db(my, "soak_build") == 0, "%s", mysql_error(my));
    for (int i = 0; i < NBIG; i++) {
        char path[700];
        snprintf(path, sizeof path, "%s/big%d.db", clean, i);
        harness_big_project(my, path, BIG_ROWS);
    }
    mysql_close(my);
}

/* Starts litelift over the sources through the proxy; with the shim making
 * the reject files' writes fail with ENOSPC when enospc (logged to log). */
static int spawn(struct soak *s, int enospc, const char *log)
{
    const char *args[] = {"migrate",  "--source",     s->src, "--target",      s->url, "--rejects",
                          s->rejects, "--jobs",       "2",    "--batch-rows",  "500",  "--retries",
                          "3",        "--retry-wait", "1",    "--net-timeout", "5",    NULL};
    if (enospc)
        cr_assert(setenv("LITELIFT_FAULT_CALL", "write", 1) == 0 &&
                  setenv("LITELIFT_FAULT_PATH", s->rejects, 1) == 0 &&
                  setenv("LITELIFT_FAULT_ERRNO", "ENOSPC", 1) == 0 &&
                  setenv("LITELIFT_FAULT_LOG", log, 1) == 0 &&
                  setenv("LD_PRELOAD", s->shim, 1) == 0);
    int pid = harness_spawn(args);
    unsetenv("LD_PRELOAD");
    return pid;
}

/* Waits until the target holds a random number of rows more of the big
 * projects, or litelift (pid) exited; returns whether it still runs. */
static int somewhere(struct soak *s, int pid)
{
    MYSQL *my = soak_db(s);
    long long now = harness_number(my, "SELECT COUNT(*) FROM big");
    long long more = 1 + rand_r(&s->seed) % (NBIG * BIG_ROWS / 2);
    harness_wait_number(my, "SELECT COUNT(*) FROM big", now + more, pid);
    mysql_close(my);
    return !harness_exited(pid);
}

/* Arms a random cut or stall at a protocol point and waits until it struck
 * or litelift (pid) exited; returns whether it struck. */
static int protocol_point(struct soak *s, int pid)
{
    static const enum proxy_point points[] = {PROXY_LOAD_DATA, PROXY_BEFORE_COMMIT,
                                              PROXY_AFTER_COMMIT, PROXY_BYTES};
    struct proxy_fault f = {.point = points[rand_r(&s->seed) % 4],
                            .action = rand_r(&s->seed) % 4 == 0 ? PROXY_STALL : PROXY_CUT,
                            .skip = rand_r(&s->seed) % 20,
                            .bytes = 1 + rand_r(&s->seed) % 2000000};
    int fired = proxy_fired(s->proxy);
    proxy_arm(s->proxy, &f);
    while (!proxy_wait_fired(s->proxy, fired + 1, 1))
        if (harness_exited(pid)) {
            proxy_disarm(s->proxy);
            return proxy_fired(s->proxy) > fired;
        }
    return 1;
}

/* Injects fault f into the run of litelift (pid); returns whether it did
 * (litelift may end first). */
static int inject(struct soak *s, enum fault f, int pid)
{
    switch (f) {
    case SERVER_KILL:
        if (!somewhere(s, pid))
            return 0;
        server_kill(s);
        server_start(s);
        return 1;
    case CUT_ALL:
        return somewhere(s, pid) && proxy_cut_all(s->proxy) > 0;
    case PROXY_POINT:
        return protocol_point(s, pid);
    case LITELIFT_KILL:
    case LITELIFT_TERM:
        return somewhere(s, pid) && kill(pid, f == LITELIFT_KILL ? SIGKILL : SIGTERM) == 0;
    default:
        return 0;
    }
}

/* The projects that end failed in every run: the broken files. */
static int only_broken_failed(const char *err)
{
    int n = 0;
    for (const char *p = err; (p = strstr(p, ") FAILED: ")) != NULL; p++)
        n++;
    return n == 3 && strstr(err, "(corrupt.db) FAILED: ") != NULL &&
           strstr(err, "(badheader.db) FAILED: ") != NULL &&
           strstr(err, "(notsqlite.db) FAILED: ") != NULL;
}

/* Whether every project that can be migrated was: renamed as backup. */
static int all_renamed(struct soak *s)
{
    return harness_sh("cd \"$1\" && for f in acme \"o'brien & sons\" \"Zürich 東京\" "
                      "'back\\slash \"q\"' walproj big0 big1 big2 big3; do "
                      "test -e \"$f.db.migrated\" && test ! -e \"$f.db\" || exit 1; done",
                      s->src, NULL) == 0;
}

/* No row of a big project is in the target twice. */
static void no_duplicates(struct soak *s)
{
    MYSQL *my = soak_db(s);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) - COUNT(DISTINCT project_id, id) FROM big"), 0,
                 "a row was loaded twice");
    mysql_close(my);
}

/* One run meeting a random fault (none when calm). Returns whether the
 * round is complete after it. */
static int one_run(struct soak *s, int calm)
{
    enum fault f = calm ? NFAULTS : (enum fault)(rand_r(&s->seed) % NFAULTS);
    char log[700];
    snprintf(log, sizeof log, "%s/faults.log", harness_tmpdir());
    int pid = spawn(s, f == REJECTS_ENOSPC, log);
    int hit = f == NFAULTS ? 0 : inject(s, f, pid), signo;
    struct run_result r = harness_wait(pid, &signo);
    proxy_release(s->proxy);
    hit = f == REJECTS_ENOSPC ? access(log, F_OK) == 0 : hit;
    s->runs++;
    if (hit)
        s->survived[f]++;
    int killed = f == LITELIFT_KILL && hit && signo == SIGKILL;
    cr_assert(killed || r.status == 0 || r.status == 1 || r.status == 3 || r.status == 5,
              "run %ld (%s): status %d, signal %d\n%s\n%s", s->runs,
              f == NFAULTS ? "no fault" : fault_names[f], r.status, signo, r.out, r.err);
    int done = !killed && only_broken_failed(r.err) && all_renamed(s);
    harness_result_free(&r);
    no_duplicates(s);
    return done;
}

/* Every value of every project compared with its source (bad.db's
 * rejected rows absent, each in its reject file once), the big projects'
 * row counts exact, nothing of the broken files in the target. */
static void verify(struct soak *s)
{
    MYSQL *my = soak_db(s);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        cr_assert(harness_compare_project(my, s->src, good[i], NULL) >= 1000, "%s", good[i]);
    for (int i = 0; i < NBIG; i++) {
        char id[16];
        snprintf(id, sizeof id, "big%d", i);
        harness_expect_project(my, s->src, id, BIG_ROWS);
        cr_assert_eq(compare_count(my, "big", "project_id", id), BIG_ROWS, "%s", id);
    }
    char *rows[64][4];
    size_t n = harness_tsv("fixtures/expected_rejects.tsv", rows, 64);
    const char *keys[64];
    char kbuf[64][600];
    for (size_t i = 0; i < n; i++) {
        snprintf(kbuf[i], sizeof kbuf[i], "%s\t%s", rows[i][1], rows[i][2]);
        keys[i] = kbuf[i];
    }
    harness_tsv_free(rows, n);
    struct compare_skip skip = {keys, n};
    cr_assert(harness_compare_project(my, s->src, "bad", &skip) >= 1000);
    char *lines = harness_sh_out("cd \"$1\"/bad && tail -q -n +2 *.rejects.log | cut -f1,2 | "
                                 "sort | uniq -c | awk '$1 != 1 { d++ } END { print NR, d + 0 }'",
                                 s->rejects, NULL);
    char want[32];
    snprintf(want, sizeof want, "%zu 0\n", n);
    cr_assert_str_eq(lines, want, "reject log lines (distinct, duplicated)");
    free(lines);
    cr_assert_eq(compare_count(my, "backups", "project_id", "corrupt"), 0);
    cr_assert_eq(compare_count(my, "backups", "project_id", "notsqlite"), 0);
    cr_assert_eq(compare_count(my, "backups", "project_id", "badheader"), 0);
    mysql_close(my);
    s->rounds++;
}

static void setup(struct soak *s)
{
    snprintf(s->server, sizeof s->server, "%s", harness_tmpdir());
    server_start(s);
    fixtures(s);
    const char *tmp = harness_tmpdir();
    snprintf(s->src, sizeof s->src, "%s/src", tmp);
    snprintf(s->rejects, sizeof s->rejects, "%s/rejects", tmp);
    cr_assert(getcwd(s->shim, sizeof s->shim - 32) != NULL);
    strcat(s->shim, "/build/faultshim.so");
    char sock[600];
    snprintf(sock, sizeof sock, "%s/mysql.sock", s->server);
    s->proxy = proxy_start(sock);
    cr_assert(s->proxy != NULL, "the proxy cannot listen: %m");
    snprintf(s->url, sizeof s->url, "mysql://%s@127.0.0.1:%u/" DB "?ssl-mode=DISABLED",
             harness_user(), proxy_port(s->proxy));
    cr_assert(setenv("MYSQL_PWD", harness_password(), 1) == 0);
    const char *seed = getenv("SOAK_SEED");
    s->seed = seed != NULL ? (unsigned)strtoul(seed, NULL, 10) : (unsigned)time(NULL);
    s->first_seed = s->seed;
    reset(s);
}

Test(soak, random_faults_then_every_value_compared, .timeout = 7200)
{
    static struct soak s;
    setup(&s);
    const char *secs = getenv("SOAK_SECONDS");
    time_t end = time(NULL) + (secs != NULL ? atol(secs) : 180);
    while (time(NULL) < end)
        if (one_run(&s, 0)) {
            verify(&s);
            reset(&s);
        }
    int calm = 0;
    while (!one_run(&s, 1))
        cr_assert(++calm < 5, "the runs without faults did not complete the round");
    verify(&s);
    long total = 0;
    for (int f = 0; f < NFAULTS; f++) {
        printf("soak: %ld x %s\n", s.survived[f], fault_names[f]);
        total += s.survived[f];
    }
    printf("soak: %ld faults survived in %ld runs; %ld full migrations compared value by value "
           "(seed %u)\n",
           total, s.runs, s.rounds, s.first_seed);
    proxy_stop(s.proxy);
    harness_sh("scripts/testdb.sh stop \"$1\" >/dev/null", s.server, NULL);
}

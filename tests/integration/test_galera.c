/* Integration tests of litelift on a Galera cluster: one private three-node
 * MariaDB Galera cluster (scripts/galera.sh, galera-4 on loopback) started
 * once for the suite. Two processes load one directory at once through two
 * nodes (the claims replicate: each project is loaded once), one of them
 * through a node list whose first node is killed with SIGKILL mid-run (it
 * fails over to the next node and resumes from the replicated checkpoint);
 * transactions are sized below wsrep_max_ws_rows and wsrep_max_ws_size, a
 * --restart-project deletes in chunks below them, and a table without a
 * primary key is refused in the pre-flight under REQUIRED_PRIMARY_KEY. Each
 * test works in a database of its own; every value is compared with the
 * sources on every living node. Node 3 is the only one a test kills. A
 * second, two-node cluster loses its quorum mid-run (one node isolated):
 * the run stops with one message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "harness.h"

#define NODES 3

static const char *cluster;   /* the cluster's dir */
static char addr[NODES][64];  /* 127.0.0.1:PORT of each node */
static char sock[NODES][256]; /* unix socket of each node */

/* Reads `export NAME='VALUE'` of name from the output of galera.sh env. */
static void env_value(const char *env, const char *name, char *out, size_t size)
{
    char key[64];
    snprintf(key, sizeof key, "export %s='", name);
    const char *p = strstr(env, key);
    cr_assert(p != NULL, "galera.sh env gave no %s:\n%s", name, env);
    p += strlen(key);
    size_t n = strcspn(p, "'");
    cr_assert(n < size);
    memcpy(out, p, n);
    out[n] = '\0';
}

/* Starts a cluster of n nodes in a new temp dir, filling addr and sock of
 * each node; returns the dir. */
static const char *cluster_start(int n, char (*where)[64], char (*socks)[256])
{
    const char *dir = harness_tmpdir();
    char count[8];
    snprintf(count, sizeof count, "%d", n);
    cr_assert(harness_sh("scripts/galera.sh start \"$1\" \"$2\" >\"$1/start.log\" 2>&1 || "
                         "{ tail -n 40 \"$1/start.log\" >&2; exit 1; }",
                         dir, count, NULL) == 0,
              "the Galera cluster did not start");
    char *env = harness_sh_out("scripts/galera.sh env \"$1\"", dir, NULL);
    for (int i = 0; i < n; i++) {
        char name[64], url[256];
        snprintf(name, sizeof name, "LITELIFT_GALERA_URL%d", i + 1);
        env_value(env, name, url, sizeof url);
        const char *at = strchr(url, '@');
        cr_assert(at != NULL && strchr(at, '/') != NULL, "%s", url);
        snprintf(where[i], sizeof where[i], "%.*s", (int)(strchr(at, '/') - at - 1), at + 1);
        snprintf(name, sizeof name, "LITELIFT_GALERA_SOCKET%d", i + 1);
        env_value(env, name, socks[i], sizeof socks[i]);
    }
    free(env);
    return dir;
}

static void start_cluster(void)
{
    cluster = cluster_start(NODES, addr, sock);
}

static void stop_cluster(void)
{
    harness_sh("scripts/galera.sh stop \"$1\"", cluster, NULL);
}

TestSuite(galera, .init = start_cluster, .fini = stop_cluster);

/* A connection to database db (created when missing) of node n. */
static MYSQL *node(int n, const char *db)
{
    MYSQL *my = mysql_init(NULL);
    mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    cr_assert(mysql_real_connect(my, "localhost", harness_user(), harness_password(), NULL, 0,
                                 sock[n], 0) != NULL,
              "node %d: %s", n + 1, mysql_error(my));
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8mb4", db);
    harness_exec(my, sql);
    cr_assert(mysql_select_db(my, db) == 0, "node %d: %s", n + 1, mysql_error(my));
    return my;
}

/* The target URL of database db through the nodes listed in order (indexes
 * from 0, ending with -1): mysql://litelift:...@N1,N2,.../db. */
static void nodes_url(char *out, size_t size, const char *db, const int *order)
{
    int len = snprintf(out, size, "mysql://litelift:lite%%20pass@");
    for (size_t i = 0; order[i] >= 0; i++)
        len += snprintf(out + len, size - (size_t)len, "%s%s", i > 0 ? "," : "", addr[order[i]]);
    snprintf(out + len, size - (size_t)len, "/%s", db);
}

/* Counts " validated; renamed as backup" in out. */
static int validated(const char *out)
{
    int n = 0;
    for (const char *p = out; (p = strstr(p, " validated; renamed as backup")) != NULL; p++)
        n++;
    return n;
}

/* The surrogate-keyed target table big of database db: nothing in the
 * target would stop a second copy of a row. */
static void surrogate_big(MYSQL *my)
{
    harness_exec(my, "CREATE TABLE big (sid BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                     "project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT "
                     "NULL, id BIGINT NOT NULL, v TEXT, d DOUBLE, b BLOB, KEY (project_id, id))");
}

/* Every project p1..pN of dir holds rows rows on node n, every value as in
 * its file, each row once. */
static void expect_projects(int n, const char *db, const char *dir, int projects, long rows)
{
    MYSQL *my = node(n, db);
    for (int i = 1; i <= projects; i++) {
        char project[8];
        snprintf(project, sizeof project, "p%d", i);
        harness_expect_project(my, dir, project, rows);
        cr_assert_eq(compare_count(my, "big", "project_id", project), rows,
                     "node %d, project %s: the target holds another number of rows", n + 1,
                     project);
    }
    mysql_close(my);
}

Test(galera, two_runs_through_two_nodes_load_each_project_once, .timeout = 300)
{
    MYSQL *my = node(0, "two_runs");
    surrogate_big(my);
    const char *dir = harness_tmpdir();
    for (int i = 1; i <= 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/p%d.db", dir, i);
        harness_big_project(my, path, 20000);
    }
    mysql_close(my);
    int pid[2], order[2][2] = {{0, -1}, {1, -1}};
    char url[2][512];
    for (int n = 0; n < 2; n++) {
        nodes_url(url[n], sizeof url[n], "two_runs", order[n]);
        const char *args[] = {"migrate", "--source", dir,        "--batch-rows", "500",
                              "--jobs",  "1",        "--target", url[n],         NULL};
        pid[n] = harness_spawn(args);
    }
    int done = 0;
    for (int n = 0; n < 2; n++) {
        struct run_result r = harness_wait(pid[n], NULL);
        cr_assert(r.status == 0 || r.status == 4, "run through node %d: status %d\n%s\n%s", n + 1,
                  r.status, r.out, r.err);
        cr_assert(strstr(r.out, "FAILED") == NULL, "%s\n%s", r.out, r.err);
        cr_assert(strstr(r.err, "the target is a node of a Galera cluster of ") != NULL, "%s",
                  r.err);
        done += validated(r.out);
        harness_result_free(&r);
    }
    cr_assert_eq(done, 4, "each project is validated by exactly one run (%d)", done);
    for (int n = 0; n < 2; n++) /* every row arrived, once, on each node */
        expect_projects(n, "two_runs", dir, 4, 20000);
}

Test(galera, a_node_killed_mid_run_fails_over_through_the_node_list, .timeout = 300)
{
    MYSQL *my = node(0, "failover");
    surrogate_big(my);
    const char *dir = harness_tmpdir();
    for (int i = 1; i <= 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/p%d.db", dir, i);
        harness_big_project(my, path, 100000);
    }
    /* run 1 begins on node 3, run 2 on node 2; both list the other nodes */
    int pid[2], order[2][4] = {{2, 0, 1, -1}, {1, 2, 0, -1}};
    char url[2][512];
    for (int n = 0; n < 2; n++) {
        nodes_url(url[n], sizeof url[n], "failover", order[n]);
        const char *args[] = {"migrate",      "--source", dir,        "--jobs", "1",
                              "--retry-wait", "1",        "--target", url[n],   NULL};
        pid[n] = harness_spawn(args);
    }
    /* both runs are well into their first project: node 3 dies */
    long long rows = harness_wait_number(my, "SELECT COUNT(*) FROM big", 40000, pid[0]);
    cr_assert(rows < 400000 && !harness_exited(pid[0]), "run 1 ended before node 3 was killed");
    cr_assert(harness_sh("kill -KILL \"$(cat \"$1/n3/mysqld.pid\")\"", cluster, NULL) == 0);
    mysql_close(my);
    int done = 0;
    for (int n = 0; n < 2; n++) {
        struct run_result r = harness_wait(pid[n], NULL);
        cr_assert(r.status == 0 || r.status == 4, "run %d: status %d\n%s\n%s", n + 1, r.status,
                  r.out, r.err);
        cr_assert(strstr(r.out, "FAILED") == NULL, "%s\n%s", r.out, r.err);
        done += validated(r.out);
        if (n == 0) {
            char said[128];
            snprintf(said, sizeof said, "reconnected through node %s of the target's 3", addr[0]);
            cr_assert(strstr(r.out, said) != NULL || strstr(r.err, said) != NULL,
                      "run 1 did not fail over to node 1:\n%s\n%s", r.out, r.err);
        }
        harness_result_free(&r);
    }
    cr_assert_eq(done, 4, "each project is validated by exactly one run (%d)", done);
    for (int n = 0; n < 2; n++) /* the living nodes: every value, each row once */
        expect_projects(n, "failover", dir, 4, 100000);
}

/* Sets wsrep_max_ws_rows and wsrep_max_ws_size on nodes 1 and 2. */
static void ws_limits(long long rows, long long bytes)
{
    for (int n = 0; n < 2; n++) {
        MYSQL *my = node(n, "litelift_test");
        char sql[128];
        snprintf(sql, sizeof sql, "SET GLOBAL wsrep_max_ws_rows = %lld", rows);
        harness_exec(my, sql);
        snprintf(sql, sizeof sql, "SET GLOBAL wsrep_max_ws_size = %lld", bytes);
        harness_exec(my, sql);
        mysql_close(my);
    }
}

/* migrate of dir into database db through node 1 with the default batch
 * (plus args, NULL-terminated): status 0, every project validated. */
static void migrate_fits(const char *dir, const char *db, const char *more, const char *more2)
{
    int order[] = {0, 1, -1};
    char url[512];
    nodes_url(url, sizeof url, db, order);
    const char *args[] = {"migrate", "--source", dir, "--target", url, more, more2, NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "every transaction is kept below wsrep_max_ws_rows (1000) and "
                            "wsrep_max_ws_size (1048576 bytes)") != NULL,
              "%s", r.err);
    cr_assert_eq(validated(r.out), 2, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
}

Test(galera, transactions_fit_wsrep_max_ws_rows_and_size, .timeout = 300)
{
    ws_limits(1000, 1048576);
    MYSQL *my = node(0, "ws_limits");
    surrogate_big(my);
    const char *dir = harness_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/p1.db", dir); /* many small rows: the row limit */
    harness_big_project(my, path, 20000);
    snprintf(path, sizeof path, "%s/p2.db", dir); /* 3,000 rows of 2 kB: the size limit */
    cr_assert(harness_sh("sqlite3 \"$1\" \"CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT, d "
                         "REAL, b BLOB); WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 "
                         "FROM c WHERE n < 3000) INSERT INTO big SELECT n, 'row ' || n, n / 3.0, "
                         "randomblob(2000) FROM c\"",
                         path, NULL) == 0);
    /* the limits hold: a statement of more rows is refused */
    cr_assert_neq(mysql_query(my, "INSERT INTO big (project_id, id) SELECT 'x', seq FROM "
                                  "seq_1_to_1500"),
                  0);
    cr_assert_eq(mysql_errno(my), 1180, "%s", mysql_error(my));
    mysql_close(my);
    migrate_fits(dir, "ws_limits", NULL, NULL);
    expect_projects(0, "ws_limits", dir, 1, 20000);
    for (int n = 0; n < 2; n++) {
        MYSQL *m = node(n, "ws_limits");
        harness_expect_project(m, dir, "p2", 3000);
        cr_assert_eq(compare_count(m, "big", "project_id", "p2"), 3000);
        mysql_close(m);
    }
    /* --restart-project of both: the deletions too in chunks below the limits */
    cr_assert(harness_sh("mv \"$1/p1.db.migrated\" \"$1/p1.db\" && "
                         "mv \"$1/p2.db.migrated\" \"$1/p2.db\"",
                         dir, NULL) == 0);
    migrate_fits(dir, "ws_limits", "--restart-project=p1", "--restart-project=p2");
    expect_projects(1, "ws_limits", dir, 1, 20000);
    for (int n = 0; n < 2; n++) {
        MYSQL *m = node(n, "ws_limits");
        harness_expect_project(m, dir, "p2", 3000);
        cr_assert_eq(compare_count(m, "big", "project_id", "p2"), 3000);
        mysql_close(m);
    }
    ws_limits(0, 2147483647);
}

Test(galera, a_keyless_table_is_refused_under_required_primary_key, .timeout = 300)
{
    MYSQL *my = node(0, "keyless");
    harness_exec(my, "CREATE TABLE loose (project_id VARCHAR(64) NOT NULL, id BIGINT, v TEXT)");
    const char *dir = harness_tmpdir();
    cr_assert(
        harness_sh(
            "sqlite3 \"$1/p1.db\" \"CREATE TABLE loose(id INTEGER PRIMARY KEY, v TEXT); INSERT "
            "INTO loose VALUES (1, 'a'), (2, 'b')\"",
            dir, NULL) == 0);
    int order[] = {0, -1};
    char url[512];
    nodes_url(url, sizeof url, "keyless", order);
    const char *args[] = {"migrate", "--source", dir, "--target", url, NULL};
    /* allowed but warned about */
    harness_exec(my, "SET GLOBAL wsrep_mode = ''");
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "WARNING: target table loose has no primary key: on a Galera "
                            "cluster its rows replicate slowly") != NULL,
              "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "p1", 2);
    /* refused in the pre-flight: nothing loaded, nothing rejected */
    harness_exec(my, "DELETE FROM loose");
    harness_exec(my, "DROP TABLE litelift_progress");
    cr_assert(harness_sh("mv \"$1/p1.db.migrated\" \"$1/p1.db\"", dir, NULL) == 0);
    harness_exec(my, "SET GLOBAL wsrep_mode = 'REQUIRED_PRIMARY_KEY'");
    r = harness_run(args);
    harness_exec(my, "SET GLOBAL wsrep_mode = ''");
    cr_assert_neq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "target table loose has no primary key, which this Galera cluster's "
                            "wsrep_mode (REQUIRED_PRIMARY_KEY) refuses rows of: add one") != NULL,
              "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "0 row(s) rejected") != NULL, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM loose"), 0);
    mysql_close(my);
}

/* A cluster of two nodes of its own, whose quorum a test breaks. */
static const char *quorum;
static char qaddr[2][64], qsock[2][256];

static void start_quorum(void)
{
    quorum = cluster_start(2, qaddr, qsock);
}

static void stop_quorum(void)
{
    harness_sh("scripts/galera.sh stop \"$1\"", quorum, NULL);
}

TestSuite(galera_quorum, .init = start_quorum, .fini = stop_quorum);

/* The occurrences of text in s. */
static int occurrences(const char *s, const char *text)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, text)) != NULL; p++)
        n++;
    return n;
}

Test(galera_quorum, quorum_loss_stops_the_whole_run_with_one_message, .timeout = 300)
{
    MYSQL *my = mysql_init(NULL);
    mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    cr_assert(mysql_real_connect(my, "localhost", harness_user(), harness_password(),
                                 "litelift_test", 0, qsock[0], 0) != NULL,
              "%s", mysql_error(my));
    const char *dir = harness_tmpdir();
    for (int i = 1; i <= 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/p%d.db", dir, i);
        harness_big_project(my, path, 200000);
    }
    char url[512];
    snprintf(url, sizeof url, "mysql://litelift:lite%%20pass@%s/litelift_test", qaddr[0]);
    const char *args[] = {"migrate", "--source",     dir, "--jobs",   "1", "--retries",
                          "2",       "--retry-wait", "1", "--target", url, NULL};
    int pid = harness_spawn(args);
    harness_wait_number(my, "SELECT COUNT(*) FROM big", 20000, pid);
    mysql_close(my);
    cr_assert(!harness_exited(pid), "the run ended before the quorum was lost");
    /* node 2 leaves: neither node is a majority of two, both are non-Primary */
    MYSQL *other = mysql_init(NULL);
    cr_assert(mysql_real_connect(other, "localhost", harness_user(), harness_password(), NULL, 0,
                                 qsock[1], 0) != NULL,
              "%s", mysql_error(other));
    harness_exec(other, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'");
    mysql_close(other);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_neq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert_eq(occurrences(r.err, "the Galera cluster lost its quorum: the node is not part of "
                                    "the Primary component (MySQL error 1047"),
                 1, "%s\n%s", r.out, r.err);
    /* the project under way fails; the others are not started, not failed */
    cr_assert_eq(occurrences(r.out, "FAILED:"), 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "4 project(s), 1 failed") != NULL, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
}

/* Integration test of exactly-once loading on a Galera cluster: a private
 * two-node MariaDB Galera cluster (scripts/galera.sh, galera-4 on loopback)
 * and two litelift processes started together over one directory, each
 * through another node. The claims live in the progress table, so they
 * replicate: every project is loaded by one run only, and every value of
 * every project compares equal on the other node. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "harness.h"

static const char *cluster; /* the cluster's dir */
static char url[2][256];    /* TCP URL of each node */
static char sock[2][256];   /* unix socket of each node */

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

static void start_cluster(void)
{
    cluster = harness_tmpdir();
    cr_assert(harness_sh("scripts/galera.sh start \"$1\" 2 >\"$1/start.log\" 2>&1 || "
                         "{ tail -n 40 \"$1/start.log\" >&2; exit 1; }",
                         cluster, NULL) == 0,
              "the Galera cluster did not start");
    char *env = harness_sh_out("scripts/galera.sh env \"$1\"", cluster, NULL);
    env_value(env, "LITELIFT_GALERA_URL1", url[0], sizeof url[0]);
    env_value(env, "LITELIFT_GALERA_URL2", url[1], sizeof url[1]);
    env_value(env, "LITELIFT_GALERA_SOCKET1", sock[0], sizeof sock[0]);
    env_value(env, "LITELIFT_GALERA_SOCKET2", sock[1], sizeof sock[1]);
    free(env);
}

static void stop_cluster(void)
{
    harness_sh("scripts/galera.sh stop \"$1\"", cluster, NULL);
}

TestSuite(galera, .init = start_cluster, .fini = stop_cluster);

/* A connection to node n's database litelift_test. */
static MYSQL *node(int n)
{
    MYSQL *my = mysql_init(NULL);
    mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    cr_assert(mysql_real_connect(my, "localhost", harness_user(), harness_password(),
                                 "litelift_test", 0, sock[n], 0) != NULL,
              "node %d: %s", n + 1, mysql_error(my));
    return my;
}

Test(galera, two_runs_through_two_nodes_load_each_project_once, .timeout = 300)
{
    MYSQL *my = node(0);
    /* a surrogate key: nothing in the target would stop a second copy */
    harness_exec(my, "CREATE TABLE big (sid BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                     "project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT "
                     "NULL, id BIGINT NOT NULL, v TEXT, d DOUBLE, b BLOB, KEY (project_id, id))");
    const char *dir = harness_tmpdir();
    for (int i = 1; i <= 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/p%d.db", dir, i);
        harness_big_project(my, path, 20000);
    }
    int pid[2];
    for (int n = 0; n < 2; n++) {
        const char *args[] = {"migrate", "--source", dir,        "--batch-rows", "500",
                              "--jobs",  "1",        "--target", url[n],         NULL};
        pid[n] = harness_spawn(args);
    }
    int validated = 0;
    for (int n = 0; n < 2; n++) {
        struct run_result r = harness_wait(pid[n], NULL);
        cr_assert(r.status == 0 || r.status == 4, "run through node %d: status %d\n%s\n%s", n + 1,
                  r.status, r.out, r.err);
        cr_assert(strstr(r.out, "FAILED") == NULL, "%s\n%s", r.out, r.err);
        for (const char *p = r.out; (p = strstr(p, " validated; renamed as backup")) != NULL; p++)
            validated++;
        harness_result_free(&r);
    }
    cr_assert_eq(validated, 4, "each project is validated by exactly one run (%d)", validated);
    mysql_close(my);
    my = node(1); /* every row arrived, once, on the other node too */
    for (int i = 1; i <= 4; i++) {
        char project[16];
        snprintf(project, sizeof project, "p%d", i);
        harness_expect_project(my, dir, project, 20000);
        cr_assert_eq(compare_count(my, "big", "project_id", project), 20000,
                     "project %s: the target holds another number of rows", project);
    }
    mysql_close(my);
}

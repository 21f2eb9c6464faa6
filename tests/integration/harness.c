/* harness: integration-test plumbing (see harness.h). */
#include "harness.h"

#include <criterion/criterion.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *socket_path(void)
{
    const char *s = getenv("LITELIFT_TEST_SOCKET");
    cr_assert(s != NULL && *s, "LITELIFT_TEST_SOCKET is not set: run through "
                               "scripts/with-testdb.sh (make integration)");
    return s;
}

static MYSQL *connect_server(void)
{
    MYSQL *my = mysql_init(NULL);
    mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    cr_assert(mysql_real_connect(my, "localhost", "litelift", "lite pass", NULL, 0, socket_path(),
                                 CLIENT_MULTI_STATEMENTS) != NULL,
              "connect: %s", mysql_error(my));
    return my;
}

MYSQL *harness_db_keep(const char *db)
{
    MYSQL *my = connect_server();
    cr_assert(mysql_select_db(my, db) == 0, "use %s: %s", db, mysql_error(my));
    return my;
}

MYSQL *harness_db(const char *db)
{
    MYSQL *my = connect_server();
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", db);
    harness_exec(my, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE `%s` CHARACTER SET utf8mb4", db);
    harness_exec(my, sql);
    cr_assert(mysql_select_db(my, db) == 0, "use %s: %s", db, mysql_error(my));
    harness_exec(my, "SET time_zone = '+00:00'");
    return my;
}

long long harness_number(MYSQL *my, const char *sql)
{
    cr_assert(mysql_query(my, sql) == 0, "%s: %s", sql, mysql_error(my));
    MYSQL_RES *res = mysql_store_result(my);
    MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
    cr_assert(row != NULL && row[0] != NULL, "%s: no value", sql);
    long long n = strtoll(row[0], NULL, 10);
    mysql_free_result(res);
    return n;
}

void harness_exec(MYSQL *my, const char *sql)
{
    cr_assert(mysql_query(my, sql) == 0, "%s: %s", sql, mysql_error(my));
    do {
        MYSQL_RES *res = mysql_store_result(my);
        if (res)
            mysql_free_result(res);
    } while (mysql_next_result(my) == 0);
    cr_assert(mysql_errno(my) == 0, "%s: %s", sql, mysql_error(my));
}

void harness_apply(MYSQL *my, const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *sql = malloc((size_t)n + 1);
    cr_assert(fread(sql, 1, (size_t)n, f) == (size_t)n);
    sql[n] = '\0';
    fclose(f);
    harness_exec(my, sql);
    free(sql);
}

const char *harness_fixtures(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/litelift-fx.XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "bash fixtures/build.sh %s >/dev/null", dir);
    cr_assert(system(cmd) == 0, "fixtures/build.sh failed");
    return dir;
}

const char *harness_url(const char *db)
{
    static char url[512];
    snprintf(url, sizeof url, "mysql://litelift:lite%%20pass@localhost/%s?socket=%s", db,
             socket_path());
    return url;
}

static char *slurp(FILE *f)
{
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    return s;
}

static char *out_path(int pid, const char *which)
{
    static char path[2][64];
    int k = which[0] == 'o';
    snprintf(path[k], sizeof path[k], "/tmp/litelift-it.%d.%s", pid, which);
    return path[k];
}

const char *harness_cwd(void)
{
    static char dir[64];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/litelift-cwd.XXXXXX");
        cr_assert(mkdtemp(dir) != NULL);
    }
    return dir;
}

int harness_spawn(const char *const *args)
{
    char *bin = realpath("./litelift", NULL);
    cr_assert(bin != NULL, "./litelift is not built");
    const char *cwd = harness_cwd();
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int me = (int)getpid();
        if (freopen(out_path(me, "out"), "w", stdout) == NULL ||
            freopen(out_path(me, "err"), "w", stderr) == NULL)
            _exit(126);
        const char *argv[64] = {"litelift"};
        size_t i = 0;
        for (; args[i] != NULL && i < 62; i++)
            argv[i + 1] = args[i];
        argv[i + 1] = NULL;
        if (chdir(cwd) != 0)
            _exit(126);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    free(bin);
    return (int)pid;
}

struct run_result harness_wait(int pid, int *signo)
{
    int st;
    waitpid(pid, &st, 0);
    if (signo != NULL)
        *signo = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    FILE *out = fopen(out_path(pid, "out"), "r"), *err = fopen(out_path(pid, "err"), "r");
    cr_assert(out && err);
    struct run_result r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(out), slurp(err)};
    fclose(out);
    fclose(err);
    unlink(out_path(pid, "out"));
    unlink(out_path(pid, "err"));
    return r;
}

struct run_result harness_run(const char *const *args)
{
    return harness_wait(harness_spawn(args), NULL);
}

int harness_exited(int pid)
{
    siginfo_t info = {0};
    return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

long long harness_wait_number(MYSQL *my, const char *sql, long long min, int pid)
{
    struct timespec tick = {0, 5000000L};
    for (int i = 0; i < 24000; i++) {
        long long n = harness_number(my, sql);
        if (n >= min || (pid > 0 && harness_exited(pid)))
            return n;
        nanosleep(&tick, NULL);
    }
    cr_assert_fail("waited two minutes for %s to reach %lld", sql, min);
    return -1;
}

MYSQL *harness_hold(const char *db, const char *table, const char *project, long long rows)
{
    MYSQL *my = harness_db_keep(db);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM `%s` WHERE project_id = '%s'", table, project);
    harness_wait_number(my, sql, rows, 0);
    snprintf(sql, sizeof sql, "LOCK TABLES `%s` WRITE", table);
    harness_exec(my, sql);
    return my;
}

void harness_release(MYSQL *hold)
{
    mysql_query(hold, "UNLOCK TABLES");
    mysql_close(hold);
}

int harness_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *harness_server_dir(void)
{
    static char dir[512];
    snprintf(dir, sizeof dir, "%s", socket_path());
    return dirname(dir);
}

void harness_big_project(MYSQL *my, const char *path, long n)
{
    harness_exec(my, "CREATE TABLE IF NOT EXISTS big (project_id VARCHAR(64) CHARACTER SET "
                     "utf8mb4 COLLATE utf8mb4_bin NOT NULL, id BIGINT NOT NULL, v TEXT, d "
                     "DOUBLE, b BLOB, PRIMARY KEY (project_id, id))");
    cr_assert(harness_sh("sqlite3 '%s' \"CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT, d "
                         "REAL, b BLOB); WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 "
                         "FROM c WHERE n < %ld) INSERT INTO big SELECT n, 'row ' || n || "
                         "char(9) || 'x\\\\y', n / 7.0, randomblob(16) FROM c\"",
                         path, n) == 0);
}

void harness_result_free(struct run_result *r)
{
    free(r->out);
    free(r->err);
}

size_t harness_tsv(const char *path, char *rows[][4], size_t max)
{
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "cannot open %s", path);
    char line[1024];
    size_t n = 0;
    while (fgets(line, sizeof line, f) != NULL && n < max) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *fld[4] = {line, NULL, NULL, NULL};
        for (int k = 1; k < 4; k++) {
            fld[k] = strchr(fld[k - 1], '\t');
            cr_assert(fld[k] != NULL, "bad line in %s", path);
            *fld[k]++ = '\0';
        }
        for (int k = 0; k < 4; k++)
            rows[n][k] = strdup(fld[k]);
        n++;
    }
    fclose(f);
    return n;
}

void harness_tsv_free(char *rows[][4], size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 4; k++)
            free(rows[i][k]);
}

/* harness: integration-test plumbing (see harness.h). */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *socket_path(void)
{
    const char *s = getenv("LITELIFT_TEST_SOCKET");
    cr_assert(s != NULL && *s, "LITELIFT_TEST_SOCKET is not set: run through "
                               "scripts/with-testdb.sh (make integration)");
    return s;
}

MYSQL *harness_db(const char *db)
{
    MYSQL *my = mysql_init(NULL);
    mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    cr_assert(mysql_real_connect(my, "localhost", "litelift", "lite pass", NULL, 0, socket_path(),
                                 CLIENT_MULTI_STATEMENTS) != NULL,
              "connect: %s", mysql_error(my));
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", db);
    harness_exec(my, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE `%s` CHARACTER SET utf8mb4", db);
    harness_exec(my, sql);
    cr_assert(mysql_select_db(my, db) == 0, "use %s: %s", db, mysql_error(my));
    harness_exec(my, "SET time_zone = '+00:00'");
    return my;
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

struct run_result harness_run(const char *const *args)
{
    FILE *out = tmpfile(), *err = tmpfile();
    cr_assert(out && err);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(fileno(out), 1);
        dup2(fileno(err), 2);
        const char *argv[64] = {"./litelift"};
        size_t i = 0;
        for (; args[i] != NULL && i < 62; i++)
            argv[i + 1] = args[i];
        argv[i + 1] = NULL;
        execv("./litelift", (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    struct run_result r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(out), slurp(err)};
    fclose(out);
    fclose(err);
    return r;
}

void harness_result_free(struct run_result *r)
{
    free(r->out);
    free(r->err);
}

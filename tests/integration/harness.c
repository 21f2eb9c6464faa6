/* harness: integration-test plumbing (see harness.h). */
#include "harness.h"

#include "compare.h"

#include <criterion/criterion.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tmpdir.h"
#include "url.h"

/* The login of the private server, parsed once from LITELIFT_TEST_URL. */
static const struct url *login(void)
{
    static struct url u;
    if (u.user == NULL) {
        const char *text = getenv("LITELIFT_TEST_URL");
        cr_assert(text != NULL && *text, "LITELIFT_TEST_URL is not set: run through "
                                         "scripts/with-testdb.sh (make integration)");
        struct error err;
        cr_assert(url_parse(text, &u, &err) == 0, "LITELIFT_TEST_URL: %s", err.msg);
        cr_assert(u.socket != NULL, "LITELIFT_TEST_URL names no socket: %s", text);
    }
    return &u;
}

const char *harness_user(void)
{
    return login()->user;
}

const char *harness_password(void)
{
    return login()->password != NULL ? login()->password : "";
}

const char *harness_socket(void)
{
    return login()->socket;
}

/* A connection through socket as user with password, no database chosen. */
static MYSQL *connect_socket(const char *socket, const char *user, const char *password)
{
    MYSQL *my = mysql_init(NULL);
    mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    cr_assert(mysql_real_connect(my, "localhost", user, password, NULL, 0, socket,
                                 CLIENT_MULTI_STATEMENTS) != NULL,
              "connect to %s: %s", socket, mysql_error(my));
    return my;
}

static MYSQL *connect_server(void)
{
    return connect_socket(harness_socket(), harness_user(), harness_password());
}

MYSQL *harness_server_in(const char *dir)
{
    char sock[600];
    snprintf(sock, sizeof sock, "%s/mysql.sock", dir);
    return connect_socket(sock, "litelift", "lite pass"); /* the user testdb.sh creates */
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

/* Directories to remove when the test process ends, the process's temp dir
 * (the root of the others) first. */
static char **tmp_dirs;
static size_t tmp_ndirs;
static pid_t tmp_owner;

static void remove_tmp_dirs(void)
{
    if (getpid() != tmp_owner)
        return;
    while (tmp_ndirs > 0) {
        char *dir = tmp_dirs[--tmp_ndirs];
        tmpdir_remove(dir);
        free(dir);
    }
    free(tmp_dirs);
    tmp_dirs = NULL;
}

static const char *make_tmpdir(const char *parent, const char *prefix)
{
    if (tmp_ndirs == 0) {
        tmp_owner = getpid();
        cr_assert(atexit(remove_tmp_dirs) == 0);
    }
    size_t size = strlen(parent) + strlen(prefix) + 16;
    char *dir = malloc(size), *template = malloc(size);
    char **grown = realloc(tmp_dirs, (tmp_ndirs + 1) * sizeof *tmp_dirs);
    cr_assert(dir != NULL && template != NULL && grown != NULL, "out of memory");
    snprintf(template, size, "%s/%s.XXXXXX", parent, prefix);
    tmpdir_make(dir, size, template);
    free(template);
    tmp_dirs = grown;
    tmp_dirs[tmp_ndirs++] = dir;
    return dir;
}

/* The test process's temp dir, below which the harness puts everything. */
static const char *process_dir(void)
{
    static const char *root;
    if (root == NULL)
        root = make_tmpdir("/tmp", "litelift-it");
    return root;
}

const char *harness_tmpdir(void)
{
    return make_tmpdir(process_dir(), "t");
}

const char *harness_tmpdir_in(const char *parent)
{
    process_dir();
    return make_tmpdir(parent, "litelift-it");
}

const char *harness_fixtures(void)
{
    const char *dir = make_tmpdir(process_dir(), "fx");
    cr_assert(harness_sh("bash fixtures/build.sh \"$1\" >/dev/null", dir, NULL) == 0,
              "fixtures/build.sh failed");
    return dir;
}

const char *harness_url(const char *db)
{
    /* USER[:PASSWORD]@ keeps an '@' of its own percent-encoded, so the
     * database starts at the first '/' after the first '@'. */
    static char url[1024];
    const char *text = getenv("LITELIFT_TEST_URL");
    login();
    const char *at = strchr(text, '@');
    const char *slash = at != NULL ? strchr(at, '/') : NULL;
    cr_assert(slash != NULL, "LITELIFT_TEST_URL has no database: %s", text);
    const char *query = strchr(slash, '?');
    int n = snprintf(url, sizeof url, "%.*s%s%s", (int)(slash + 1 - text), text, db,
                     query != NULL ? query : "");
    cr_assert(n > 0 && (size_t)n < sizeof url, "URL of %s too long", db);
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

/* Where child pid's stdout ("out") or stderr ("err") goes. */
static char *out_path(int pid, const char *which)
{
    static char path[2][512];
    int k = which[0] == 'o';
    snprintf(path[k], sizeof path[k], "%s/run.%d.%s", process_dir(), pid, which);
    return path[k];
}

const char *harness_cwd(void)
{
    static const char *dir;
    if (dir == NULL)
        dir = make_tmpdir(process_dir(), "cwd");
    return dir;
}

/* A NULL-terminated argv of the nhead strings of head followed by args
 * (NULL-terminated, any number), on the heap. */
static const char **argv_of(const char *const *head, size_t nhead, const char *const *args)
{
    size_t n = 0;
    while (args[n] != NULL)
        n++;
    const char **argv = calloc(nhead + n + 1, sizeof *argv);
    cr_assert(argv != NULL, "out of memory");
    memcpy(argv, head, nhead * sizeof *argv);
    memcpy(argv + nhead, args, n * sizeof *argv);
    return argv;
}

/* The program to run: LITELIFT_TEST_BIN (default ./litelift), absolute. */
char *harness_bin(void)
{
    const char *name = getenv("LITELIFT_TEST_BIN");
    if (name == NULL || *name == '\0')
        name = "./litelift";
    char *bin = realpath(name, NULL);
    cr_assert(bin != NULL, "%s is not built", name);
    return bin;
}

/* The words of LITELIFT_TEST_WRAP (split at spaces; e.g. a valgrind command
 * line), then argv[0] "litelift" into *nhead of head (at most max). */
static char *wrap_head(const char *head[], size_t max, size_t *nhead)
{
    const char *wrap = getenv("LITELIFT_TEST_WRAP");
    char *words = strdup(wrap != NULL ? wrap : "");
    cr_assert(words != NULL, "out of memory");
    size_t n = 0;
    char *save = NULL;
    for (char *w = strtok_r(words, " \t\n", &save); w != NULL; w = strtok_r(NULL, " \t\n", &save)) {
        cr_assert(n + 1 < max, "LITELIFT_TEST_WRAP has too many words");
        head[n++] = w;
    }
    head[n++] = "litelift";
    *nhead = n;
    return words;
}

int harness_spawn(const char *const *args)
{
    char *bin = harness_bin();
    const char *cwd = harness_cwd();
    process_dir();
    const char *head[32];
    size_t nhead;
    char *words = wrap_head(head, 32, &nhead);
    const char **argv = argv_of(head, nhead, args);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int me = (int)getpid();
        if (freopen(out_path(me, "out"), "w", stdout) == NULL ||
            freopen(out_path(me, "err"), "w", stderr) == NULL)
            _exit(126);
        if (chdir(cwd) != 0)
            _exit(126);
        if (nhead > 1) {
            /* the wrapper runs the program by its path */
            argv[nhead - 1] = bin;
            execvp(argv[0], (char *const *)argv);
        } else {
            execv(bin, (char *const *)argv);
        }
        _exit(127);
    }
    free(argv);
    free(words);
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

void harness_wait_stderr(int pid, const char *text)
{
    struct timespec tick = {0, 5000000L};
    for (int i = 0; i < 24000; i++) {
        char *seen = NULL;
        size_t cap = 0;
        FILE *f = fopen(out_path(pid, "err"), "r");
        bool found = false;
        if (f != NULL) {
            found = getdelim(&seen, &cap, '\0', f) > 0 && strstr(seen, text) != NULL;
            fclose(f);
        }
        free(seen);
        if (found)
            return;
        cr_assert(!harness_exited(pid), "child %d ended without writing \"%s\"", pid, text);
        nanosleep(&tick, NULL);
    }
    cr_assert_fail("waited two minutes for \"%s\" on the child's stderr", text);
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

/* Starts `sh -c script sh ARG...` with its stdout to fd out (-1: inherited).
 * Returns the child's pid. */
static pid_t start_sh(const char *script, const char *const *args, int out)
{
    const char *const head[] = {"sh", "-c", script, "sh"};
    const char **argv = argv_of(head, 4, args);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        if (out >= 0 && dup2(out, STDOUT_FILENO) < 0)
            _exit(126);
        execv("/bin/sh", (char *const *)argv);
        _exit(127);
    }
    free(argv);
    return pid;
}

static int wait_sh(pid_t pid)
{
    int st;
    cr_assert(waitpid(pid, &st, 0) == pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int harness_sh_argv(const char *script, const char *const *args)
{
    return wait_sh(start_sh(script, args, -1));
}

/* The NULL-terminated variadic arguments after script, as an array (heap). */
static const char **list_args(va_list ap)
{
    size_t n = 0, cap = 8;
    const char **args = malloc(cap * sizeof *args);
    cr_assert(args != NULL, "out of memory");
    for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
        if (n + 1 == cap) {
            cap *= 2;
            args = realloc(args, cap * sizeof *args);
            cr_assert(args != NULL, "out of memory");
        }
        args[n++] = a;
    }
    args[n] = NULL;
    return args;
}

int harness_sh(const char *script, ...)
{
    va_list ap;
    va_start(ap, script);
    const char **args = list_args(ap);
    va_end(ap);
    int rc = harness_sh_argv(script, args);
    free(args);
    return rc;
}

char *harness_sh_out(const char *script, ...)
{
    va_list ap;
    va_start(ap, script);
    const char **args = list_args(ap);
    va_end(ap);
    FILE *tmp = tmpfile();
    cr_assert(tmp != NULL);
    int rc = wait_sh(start_sh(script, args, fileno(tmp)));
    cr_assert(rc == 0, "exit status %d of: %s", rc, script);
    free(args);
    char *out = slurp(tmp);
    fclose(tmp);
    return out;
}

char *harness_sha256(const char *path)
{
    char *out = harness_sh_out("sha256sum < \"$1\"", path, NULL);
    cr_assert(strlen(out) > 64 && out[64] == ' ', "sha256sum %s: %s", path, out);
    out[64] = '\0';
    return out;
}

const char *harness_server_dir(void)
{
    static char dir[512];
    snprintf(dir, sizeof dir, "%s", harness_socket());
    return dirname(dir);
}

void harness_big_project(MYSQL *my, const char *path, long n)
{
    harness_exec(my, "CREATE TABLE IF NOT EXISTS big (project_id VARCHAR(64) CHARACTER SET "
                     "utf8mb4 COLLATE utf8mb4_bin NOT NULL, id BIGINT NOT NULL, v TEXT, d "
                     "DOUBLE, b BLOB, PRIMARY KEY (project_id, id))");
    char rows[32];
    snprintf(rows, sizeof rows, "%ld", n);
    cr_assert(harness_sh("sqlite3 \"$1\" \"CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT, d "
                         "REAL, b BLOB); WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 "
                         "FROM c WHERE n < $2) INSERT INTO big SELECT n, 'row ' || n || "
                         "char(9) || 'x\\\\y', n / 7.0, randomblob(16) FROM c\"",
                         path, rows, NULL) == 0);
}

void harness_surrogate_big(MYSQL *my)
{
    harness_exec(my, "CREATE TABLE big (sid BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                     "project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, "
                     "id BIGINT NOT NULL, v TEXT, d DOUBLE, b BLOB, KEY (project_id, id))");
}

const char *harness_solo_project(MYSQL *my, long n)
{
    harness_surrogate_big(my);
    const char *dir = harness_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/solo.db", dir);
    harness_big_project(my, path, n);
    return dir;
}

void harness_solo_loaded(MYSQL *my, const char *dir, long n)
{
    harness_expect_project(my, dir, "solo", n);
    cr_assert_eq(compare_count(my, "big", "project_id", "solo"), n,
                 "the target holds another number of rows");
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

long harness_compare_project(MYSQL *my, const char *dir, const char *project,
                             const struct compare_skip *skip)
{
    char path[512], msg[2048];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s.db", dir, project);
    if (stat(path, &st) != 0)
        snprintf(path, sizeof path, "%s/%s.db.migrated", dir, project);
    long n = compare_project(my, path, "project_id", project, skip, msg, sizeof msg);
    cr_assert(n >= 0, "project %s: %s", project, msg);
    return n;
}

void harness_expect_project(MYSQL *my, const char *dir, const char *project, long rows)
{
    long n = harness_compare_project(my, dir, project, NULL);
    if (rows >= 0)
        cr_assert_eq(n, rows, "project %s: %ld rows compared, expected %ld", project, n, rows);
}

/* Integration tests of the run report (--report FILE.json) and of `status`
 * as a dashboard. The report of a run with rejects and a failed project is
 * parsed back with yajl's tree parser and its numbers compared with the
 * database (rows per project in the target, the rejects table, the progress
 * table) and with the files on disk (reject files, backups); so are the
 * reports of an interrupted run and of a run that could not start. `status`
 * is run while a project loads (exit 4, its live claim), on an interrupted
 * run (exit 4, the percentage), on a failed project
 * (exit 1, its reason), with --source (projects not started) and when all is
 * done (exit 0), each format parsed back (JSON with yajl, TSV split by tabs)
 * with a project id holding a space and a tab. */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "compare.h"
#include "harness.h"

/* The whole file at path (a heap string). */
static char *slurp_file(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "cannot open %s", path);
    char *s = NULL;
    size_t n = 0;
    FILE *mem = open_memstream(&s, &n);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, mem);
    fclose(mem);
    fclose(f);
    return s;
}

/* Parses JSON text; aborts the test when it is not JSON. */
static yajl_val parse(const char *text)
{
    char why[512];
    yajl_val v = yajl_tree_parse(text, why, sizeof why);
    cr_assert(v != NULL, "not JSON (%s):\n%s", why, text);
    return v;
}

/* Member key of object v (any type), or NULL. */
static yajl_val member(yajl_val v, const char *key)
{
    const char *path[] = {key, NULL};
    return yajl_tree_get(v, path, yajl_t_any);
}

static long long integer(yajl_val v, const char *key)
{
    yajl_val m = member(v, key);
    cr_assert(m != NULL && YAJL_IS_INTEGER(m), "%s is not an integer", key);
    return YAJL_GET_INTEGER(m);
}

/* The string member key, or NULL when it is null. */
static const char *string(yajl_val v, const char *key)
{
    yajl_val m = member(v, key);
    cr_assert(m != NULL && (YAJL_IS_STRING(m) || YAJL_IS_NULL(m)), "%s is not a string", key);
    return YAJL_IS_NULL(m) ? NULL : YAJL_GET_STRING(m);
}

/* The element of array doc.projects whose "project" is id. */
static yajl_val project_of(yajl_val doc, const char *id)
{
    yajl_val a = member(doc, "projects");
    cr_assert(a != NULL && YAJL_IS_ARRAY(a));
    for (size_t i = 0; i < YAJL_GET_ARRAY(a)->len; i++) {
        yajl_val p = YAJL_GET_ARRAY(a)->values[i];
        const char *s = string(p, "project");
        if (s != NULL && strcmp(s, id) == 0)
            return p;
    }
    cr_assert_fail("no project '%s'", id);
    return NULL;
}

/* The only table of project p. */
static yajl_val only_table(yajl_val p)
{
    yajl_val a = member(p, "tables");
    cr_assert(a != NULL && YAJL_IS_ARRAY(a) && YAJL_GET_ARRAY(a)->len == 1);
    return YAJL_GET_ARRAY(a)->values[0];
}

static long long db_number(MYSQL *my, const char *fmt, const char *project)
{
    char sql[512];
    snprintf(sql, sizeof sql, fmt, project);
    return harness_number(my, sql);
}

/* Lines of the file at path. */
static long lines_of(const char *path)
{
    char *s = slurp_file(path);
    long n = 0;
    for (const char *p = s; *p; p++)
        n += *p == '\n';
    free(s);
    return n;
}

/* Target table t, and dir/NAME.db holding rows rows with v = n * mul (v is
 * a TINYINT: values over 127 are rejected). */
static void small_project(const char *dir, const char *name, int rows, int mul)
{
    char path[600], n[16], m[16];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    snprintf(n, sizeof n, "%d", rows);
    snprintf(m, sizeof m, "%d", mul);
    cr_assert(harness_sh("sqlite3 \"$1\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER); "
                         "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < "
                         "$2) INSERT INTO t SELECT n, n * $3 FROM c\"",
                         path, n, m, NULL) == 0);
}

static void target_table(MYSQL *my)
{
    harness_exec(my, "CREATE TABLE t (project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE "
                     "utf8mb4_bin NOT NULL, id BIGINT NOT NULL, v TINYINT, PRIMARY KEY "
                     "(project_id, id)) ENGINE=InnoDB");
}

static void not_sqlite(const char *dir, const char *name)
{
    cr_assert(harness_sh("printf 'not a database\\n' > \"$1/$2.db\"", dir, name, NULL) == 0);
}

/* Checks the report's project id against the database: rows in the target,
 * rejects recorded, the progress table's counts. */
static void expect_counts(MYSQL *my, yajl_val doc, const char *id)
{
    yajl_val p = project_of(doc, id), t = only_table(p);
    long long loaded = db_number(my, "SELECT COUNT(*) FROM t WHERE project_id = '%s'", id);
    long long rejected =
        db_number(my, "SELECT COUNT(*) FROM litelift_progress_rejects WHERE project_id = '%s'", id);
    cr_assert_eq(integer(p, "rows_loaded"), loaded, "%s", id);
    cr_assert_eq(integer(t, "rows_loaded"), loaded, "%s", id);
    cr_assert_eq(integer(p, "rows_rejected"), rejected, "%s", id);
    cr_assert_eq(integer(p, "rows_read"), loaded + rejected, "%s", id);
    cr_assert_eq(integer(t, "rows_loaded"),
                 db_number(my,
                           "SELECT rows_loaded FROM litelift_progress WHERE project_id = '%s' "
                           "AND table_name = 't'",
                           id));
    cr_assert_eq(integer(t, "rows_rejected"),
                 db_number(my,
                           "SELECT rows_rejected FROM litelift_progress WHERE project_id = '%s' "
                           "AND table_name = 't'",
                           id));
}

Test(report, json_report_of_a_run_with_rejects_and_a_failed_project_matches_the_database,
     .timeout = 120)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_report");
    target_table(my);
    small_project(dir, "good", 50, 1);
    small_project(dir, "rej", 40, 10); /* n >= 13: 10 * n > 127, rejected */
    not_sqlite(dir, "bad");
    char report[600];
    snprintf(report, sizeof report, "%s/run.json", dir);
    const char *args[] = {"migrate", "--source", dir,        "--target", harness_url("it_report"),
                          "--jobs",  "1",        "--report", report,     NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    char *text = slurp_file(report);
    cr_assert(strstr(text, harness_password()) == NULL && strstr(text, "lite%20pass") == NULL,
              "the report holds the password:\n%s", text);
    yajl_val doc = parse(text);
    cr_assert_str_eq(string(doc, "command"), "migrate");
    cr_assert(strchr(string(doc, "run_id"), ':') != NULL);
    cr_assert_eq(integer(doc, "exit_status"), 1);
    cr_assert_eq(integer(doc, "report_version"), 1);
    yajl_val ver = member(doc, "versions"), conn = member(doc, "connection");
    cr_assert(strncmp(string(ver, "server"), "MariaDB ", 8) == 0);
    cr_assert(strncmp(string(ver, "sqlite"), "3.", 2) == 0);
    cr_assert_str_eq(string(conn, "socket"), harness_socket());
    cr_assert(YAJL_IS_FALSE(member(conn, "tls")));
    cr_assert(strncmp(string(member(doc, "options"), "target"), "mysql://", 8) == 0);
    cr_assert_eq(integer(member(doc, "options"), "batch_rows"), 5000);
    cr_assert(string(doc, "started") != NULL &&
              strcmp(string(doc, "started"), string(doc, "ended")) <= 0);

    expect_counts(my, doc, "good");
    expect_counts(my, doc, "rej");
    cr_assert_eq(integer(project_of(doc, "rej"), "rows_rejected"), 28);
    harness_expect_project(my, dir, "good", 50);
    /* the backup is where the report says; the file with rejects stays */
    yajl_val good = project_of(doc, "good"), rej = project_of(doc, "rej");
    char want[700], *real;
    snprintf(want, sizeof want, "%s/good.db.migrated", dir);
    real = realpath(want, NULL);
    cr_assert(real != NULL);
    cr_assert_str_eq(string(good, "backup"), real);
    free(real);
    cr_assert_str_eq(string(good, "result"), "ok");
    cr_assert_str_eq(string(only_table(good), "validation"), "ok");
    cr_assert(YAJL_IS_NULL(member(only_table(good), "reject_files")));
    cr_assert_null(string(rej, "backup"));
    cr_assert_str_eq(string(rej, "result"), "ok");
    yajl_val files = member(only_table(rej), "reject_files");
    cr_assert_eq(lines_of(string(files, "tsv")), 1 + 28); /* a header, a line per reject */
    cr_assert_eq(lines_of(string(files, "log")), 1 + 28);
    snprintf(want, sizeof want, "%s/litelift-rejects/rej/t.rejects.tsv", harness_cwd());
    real = realpath(want, NULL);
    cr_assert_str_eq(string(files, "tsv"), real);
    free(real);
    /* the failed project, with its reason */
    yajl_val bad = project_of(doc, "bad");
    cr_assert_str_eq(string(bad, "result"), "failed");
    cr_assert(strstr(string(bad, "error"), "file is not a database") != NULL);
    yajl_val totals = member(doc, "totals");
    cr_assert_eq(integer(totals, "projects"), 3);
    cr_assert_eq(integer(totals, "projects_failed"), 1);
    cr_assert_eq(integer(totals, "rows_loaded"), harness_number(my, "SELECT COUNT(*) FROM t"));
    cr_assert_eq(integer(totals, "rows_rejected"),
                 harness_number(my, "SELECT COUNT(*) FROM litelift_progress_rejects"));
    cr_assert_eq(integer(totals, "retries"), 0);
    yajl_tree_free(doc);
    free(text);
    harness_result_free(&r);

    /* verify --checksum reports each table's checks */
    const char *vargs[] = {"verify",     "--source", dir,    "--target", harness_url("it_report"),
                           "--checksum", "--report", report, NULL};
    r = harness_run(vargs);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    text = slurp_file(report);
    doc = parse(text);
    cr_assert_str_eq(string(doc, "command"), "verify");
    yajl_val vt = only_table(project_of(doc, "rej"));
    cr_assert_str_eq(string(vt, "validation"), "ok");
    cr_assert_str_eq(string(vt, "checksum"), "ok");
    cr_assert_eq(integer(vt, "rows_loaded"), 12);
    cr_assert_str_eq(string(project_of(doc, "bad"), "result"), "failed");
    yajl_tree_free(doc);
    free(text);
    harness_result_free(&r);
    mysql_close(my);
}

Test(report, interrupted_and_unstartable_runs_still_write_their_report, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_report_int");
    char big[600], report[600];
    snprintf(big, sizeof big, "%s/big.db", dir);
    snprintf(report, sizeof report, "%s/run.json", dir);
    harness_big_project(my, big, 100000);
    const char *args[] = {
        "migrate",      "--source", dir,        "--target", harness_url("it_report_int"),
        "--batch-rows", "100",      "--report", report,     NULL};
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_report_int", "big", "big", 100);
    kill(pid, SIGINT);
    harness_release(hold);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 3, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    char *text = slurp_file(report);
    yajl_val doc = parse(text);
    cr_assert(YAJL_IS_TRUE(member(doc, "interrupted")));
    cr_assert_eq(integer(doc, "exit_status"), 3);
    yajl_val p = project_of(doc, "big");
    cr_assert_str_eq(string(p, "result"), "interrupted");
    long long loaded = compare_count(my, "big", "project_id", "big");
    cr_assert(loaded > 0 && loaded < 100000, "%lld", loaded);
    cr_assert_eq(integer(p, "rows_loaded"), loaded);
    cr_assert_eq(integer(member(doc, "totals"), "rows_loaded"), loaded);
    cr_assert_null(string(p, "backup"));
    cr_assert_eq(access(big, F_OK), 0);
    yajl_tree_free(doc);
    free(text);

    /* a run that cannot reach its target: the report says why */
    char url[700];
    snprintf(url, sizeof url, "mysql://nobody@localhost/none?socket=%s/no.sock", dir);
    const char *args2[] = {"migrate", "--source", dir, "--target", url, "--report", report, NULL};
    r = harness_run(args2);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    text = slurp_file(report);
    doc = parse(text);
    cr_assert_eq(integer(doc, "exit_status"), 1);
    cr_assert(strstr(string(doc, "error"), "cannot connect") != NULL, "%s", text);
    cr_assert(YAJL_IS_FALSE(member(member(doc, "connection"), "connected")));
    cr_assert_eq(integer(member(doc, "totals"), "projects"), 0);
    yajl_tree_free(doc);
    free(text);
    harness_result_free(&r);
    mysql_close(my);
}

/* Splits TSV text into lines of fields (unescaping \t \n \r \\, \N as
 * NULL); checks that every line has nf fields. Returns the number of lines;
 * *cells gets nlines * nf heap strings or NULLs. */
static size_t tsv_split(const char *text, size_t nf, char ***cells)
{
    size_t n = 0, cap = 0;
    *cells = NULL;
    for (const char *line = text; *line; n++) {
        const char *end = strchr(line, '\n');
        cr_assert(end != NULL, "unterminated line");
        if ((n + 1) * nf > cap) {
            cap = (n + 1) * nf * 2;
            *cells = realloc(*cells, cap * sizeof **cells);
        }
        size_t f = 0;
        for (const char *p = line; p <= end; f++) {
            cr_assert(f < nf, "more than %zu fields: %.*s", nf, (int)(end - line), line);
            size_t len = strcspn(p, "\t\n");
            char *v = malloc(len + 1), *o = v;
            for (size_t i = 0; i < len; i++) {
                char c = p[i];
                if (c == '\\' && i + 1 < len) {
                    c = p[++i];
                    c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
                }
                *o++ = c;
            }
            *o = '\0';
            bool null = len == 2 && p[0] == '\\' && p[1] == 'N';
            (*cells)[n * nf + f] = null ? NULL : v;
            if (null)
                free(v);
            p += len + 1;
        }
        cr_assert_eq(f, nf, "%zu fields, not %zu: %.*s", f, nf, (int)(end - line), line);
        line = end + 1;
    }
    return n;
}

static void tsv_free(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

/* Runs status with extra arguments (NULL-terminated, at most 4). */
static struct run_result status_run(const char *db, const char *a, const char *b, const char *c,
                                    const char *d)
{
    const char *args[] = {"status", "--target", harness_url(db), a, b, c, d, NULL};
    return harness_run(args);
}

/* The line of out that begins with prefix (a heap copy). */
static char *line_of(const char *out, const char *prefix)
{
    for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, prefix, strlen(prefix)) == 0)
            return strndup(p, strcspn(p, "\n"));
    cr_assert_fail("no line '%s' in:\n%s", prefix, out);
    return NULL;
}

#define ODD "a b\tc" /* a project id with a space and a tab */

/* Status of an interrupted run: exit 4, the percentage of each format
 * matching the target's rows. */
static void expect_incomplete(MYSQL *my)
{
    long long loaded = compare_count(my, "big", "project_id", "big");
    cr_assert(loaded > 0 && loaded < 20000, "%lld", loaded);
    char pct[32];
    snprintf(pct, sizeof pct, "%.1f", 100.0 * (double)loaded / 20000);
    struct run_result r = status_run("it_status", NULL, NULL, NULL, NULL);
    cr_assert_eq(r.status, 4, "%s\n%s", r.out, r.err);
    char *line = line_of(r.out, "big ");
    char want[96];
    snprintf(want, sizeof want, " incomplete, %s%% of 20000 rows (0/1 tables done); rerun", pct);
    cr_assert(strstr(line, " (project) ") != NULL && strstr(line, want) != NULL, "%s", line);
    free(line);
    harness_result_free(&r);

    r = status_run("it_status", "--format", "json", NULL, NULL);
    cr_assert_eq(r.status, 4, "%s\n%s", r.out, r.err);
    yajl_val doc = parse(r.out), big = project_of(doc, "big"), odd = project_of(doc, ODD);
    cr_assert_str_eq(string(big, "status"), "incomplete");
    cr_assert_eq(integer(big, "rows_loaded"), loaded);
    cr_assert_eq(integer(big, "rows_total"), 20000);
    yajl_val p = member(big, "percent");
    cr_assert(YAJL_IS_DOUBLE(p) && fabs(YAJL_GET_DOUBLE(p) - atof(pct)) < 0.051, "%s", r.out);
    cr_assert_str_eq(string(odd, "status"), "done");
    cr_assert_eq(integer(odd, "rows_loaded"), compare_count(my, "t", "project_id", ODD));
    cr_assert_eq(integer(doc, "exit_status"), 4);
    cr_assert_eq(integer(member(doc, "totals"), "incomplete"), 1);
    yajl_tree_free(doc);
    harness_result_free(&r);
}

/* Status with --source after a run that failed a project: exit 1, the
 * reason in every format, the project not started, the odd id intact. */
static void expect_failed(MYSQL *my, const char *dir)
{
    struct run_result r = status_run("it_status", "--source", dir, NULL, NULL);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    char *line = line_of(r.out, "bad ");
    cr_assert(strstr(line, " failed: ") != NULL && strstr(line, "file is not a database") != NULL,
              "%s", line);
    free(line);
    line = line_of(r.out, "fresh ");
    cr_assert(strstr(line, " not started, 0.0% of 7 rows (0/1 tables done); file ") != NULL, "%s",
              line);
    free(line);
    harness_result_free(&r);

    r = status_run("it_status", "--source", dir, "--format", "tsv");
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    char **c;
    size_t n = tsv_split(r.out, 12, &c);
    cr_assert_eq(n, 1 + 4, "%s", r.out); /* header; a b\tc, bad, big, fresh */
    cr_assert_str_eq(c[0], "project");
    cr_assert_str_eq(c[11], "reason");
    cr_assert_str_eq(c[12 + 0], ODD);
    cr_assert_str_eq(c[12 + 1], "done");
    cr_assert_str_eq(c[24 + 0], "bad");
    cr_assert_str_eq(c[24 + 1], "failed");
    cr_assert(strstr(c[24 + 11], "file is not a database") != NULL);
    cr_assert_str_eq(c[36 + 0], "big");
    cr_assert_str_eq(c[36 + 1], "done");
    cr_assert_eq(atoll(c[36 + 4]), compare_count(my, "big", "project_id", "big"));
    cr_assert_str_eq(c[48 + 0], "fresh");
    cr_assert_str_eq(c[48 + 1], "not started");
    cr_assert_null(c[48 + 2]);
    cr_assert_str_eq(c[48 + 6], "7"); /* rows_total from the file */
    tsv_free(c, n * 12);
    harness_result_free(&r);

    r = status_run("it_status", "--source", dir, "--format", "json");
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    yajl_val doc = parse(r.out);
    cr_assert(strstr(string(project_of(doc, "bad"), "reason"), "file is not a database") != NULL);
    char bad[700], *real;
    snprintf(bad, sizeof bad, "%s/bad.db", dir);
    real = realpath(bad, NULL);
    cr_assert_str_eq(string(project_of(doc, "bad"), "source_file"), real);
    free(real);
    cr_assert_str_eq(string(project_of(doc, "fresh"), "status"), "not started");
    cr_assert_eq(integer(project_of(doc, "fresh"), "rows_total"), 7);
    cr_assert_str_eq(string(project_of(doc, ODD), "status"), "done");
    yajl_val totals = member(doc, "totals");
    cr_assert_eq(integer(totals, "failed"), 1);
    cr_assert_eq(integer(totals, "not_started"), 1);
    cr_assert_eq(integer(totals, "done"), 2);
    cr_assert_eq(integer(totals, "rows_loaded"),
                 harness_number(my, "SELECT COUNT(*) FROM t") +
                     harness_number(my, "SELECT COUNT(*) FROM big"));
    yajl_tree_free(doc);
    harness_result_free(&r);
}

Test(status, dashboard_incomplete_failed_not_started_and_done, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_status");
    target_table(my);
    char big[600];
    snprintf(big, sizeof big, "%s/big.db", dir);
    harness_big_project(my, big, 20000);
    small_project(dir, ODD, 5, 1);
    const char *args[] = {
        "migrate", "--source",     dir,   "--target", harness_url("it_status"), "--jobs",
        "1",       "--batch-rows", "100", NULL};
    /* interrupted while loading big (the odd one, first by name, is done) */
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_status", "big", "big", 100);
    struct run_result r = status_run("it_status", "--format", "json", NULL, NULL);
    cr_assert_eq(r.status, 4, "%s\n%s", r.out, r.err);
    yajl_val doc = parse(r.out), held = project_of(doc, "big");
    cr_assert_str_eq(string(held, "status"), "loading", "%s", r.out);
    cr_assert(YAJL_IS_TRUE(member(member(held, "claim"), "live")), "%s", r.out);
    yajl_tree_free(doc);
    harness_result_free(&r);
    kill(pid, SIGINT);
    harness_release(hold);
    r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 3, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    expect_incomplete(my);

    /* the rerun finishes big and fails bad; fresh comes after it */
    not_sqlite(dir, "bad");
    r = harness_run(args);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    small_project(dir, "fresh", 7, 1);
    expect_failed(my, dir);

    /* bad repaired, everything loaded: exit 0, the failure forgotten */
    cr_assert(harness_sh("rm \"$1/bad.db\"", dir, NULL) == 0);
    small_project(dir, "bad", 3, 1);
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    r = status_run("it_status", "--source", dir, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, " failed:") == NULL, "%s", r.out);
    cr_assert(strstr(r.out, "4 project(s): 4 done, 0 loading, 0 incomplete, 0 failed, 0 not "
                            "started") != NULL,
              "%s", r.out);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM litelift_progress_failures"), 0);
    mysql_close(my);
}

/* Integration tests of exact data (fixtures/exact*.sql): every rejectable
 * value class beside good rows, reject files, server-side rejects found by
 * bisection, time units never guessed silently, --zero-date null,
 * --invalid-utf8 replace, and `verify --checksum` catching a hand-altered
 * value by its key. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "harness.h"

static char *slurp_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    s[fread(s, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return s;
}

/* The first occurrence of needle in text up to the end of its line (without
 * needle's leading '\n's, and without the line's '\n'), a heap copy; NULL
 * when text holds no needle. */
static char *line_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    if (at == NULL)
        return NULL;
    at += strspn(needle, "\n");
    char *line = strndup(at, strcspn(at, "\n"));
    cr_assert(line != NULL);
    return line;
}

static MYSQL *exact_db(const char *db)
{
    MYSQL *my = harness_db(db);
    harness_apply(my, "fixtures/exact_target.sql");
    return my;
}

/* Every value class through one writer method. */
static void every_class(const char *method)
{
    const char *fx = harness_fixtures();
    MYSQL *my = exact_db("it_exact");
    char src[256], rejects[256];
    snprintf(src, sizeof src, "%s/exact", fx);
    snprintf(rejects, sizeof rejects, "%s/rejects", fx);
    const char *args[] = {"migrate",  "--method", method,
                          "--source", src,        "--rejects",
                          rejects,    "--target", harness_url("it_exact"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 5, "loaded, rows rejected:\n%s\n%s", r.out, r.err);

    char *exp[64][4]; /* table, key, column, reason substring */
    size_t n = harness_tsv("fixtures/exact_rejects.tsv", exp, 64);
    cr_assert_eq(n, 32);
    const char *keys[64];
    char buf[64][300];
    for (size_t i = 0; i < n; i++) {
        snprintf(buf[i], sizeof buf[i], "%s\t%s", exp[i][0], exp[i][1]);
        keys[i] = buf[i];
    }
    struct compare_skip skip = {keys, n};
    char path[512], msg[2048];
    snprintf(path, sizeof path, "%s/m1.db", src);
    long rows = compare_project(my, path, "project_id", "m1", &skip, msg, sizeof msg);
    cr_assert(rows >= 0, "%s", msg);
    cr_assert_eq(rows, 19, "good rows compared: %ld", rows);

    /* every bad row: logged, in the reject log with its reason, absent */
    for (size_t i = 0; i < n; i++) {
        char want[512];
        snprintf(want, sizeof want, "table %s key (%s) column %s: ", exp[i][0], exp[i][1],
                 exp[i][2]);
        char *line = line_of(r.err, want);
        cr_assert(line != NULL, "no reject line \"%s\":\n%s", want, r.err);
        cr_assert(strstr(line, exp[i][3]) != NULL, "reason \"%s\" missing in: %s", exp[i][3], line);
        free(line);
        snprintf(path, sizeof path, "%s/m1/%s.rejects.log", rejects, exp[i][0]);
        char *log = slurp_file(path);
        cr_assert(log != NULL, "no reject log %s", path);
        snprintf(want, sizeof want, "\n%s\t%s\t", exp[i][1], exp[i][2]);
        line = line_of(log, want);
        cr_assert(line != NULL, "%s lacks %s", path, exp[i][1]);
        cr_assert(strstr(line, exp[i][3]) != NULL, "%s: reason \"%s\" missing in: %s", path,
                  exp[i][3], line);
        free(line);
        free(log);
    }
    /* the TSV keeps the original values losslessly (invalid UTF-8 byte, NUL) */
    snprintf(path, sizeof path, "%s/m1/texts.rejects.tsv", rejects);
    char *tsv = slurp_file(path);
    cr_assert(tsv != NULL);
    static const char header[] = "id\tv\ttt\tm3\te\ts\tj\tbl\tbo\n";
    cr_assert(strncmp(tsv, header, sizeof header - 1) == 0, "%s", tsv);
    cr_assert(strstr(tsv, "\n109\ta\xfe"
                          "b\tx\ta\ta\tx\t[]\t\\0\t0\n") != NULL,
              "%s", tsv);
    cr_assert(strstr(tsv, "\n107\tx\tx\ta\ta\tx\t[]\t\x01\x02\x03\x04\x05\t0\n") != NULL);
    free(tsv);
    cr_assert(strstr(r.out, "32 row(s) rejected") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "NOT renamed: rows were rejected") != NULL, "%s", r.out);
    /* server-side rejects came from the server, with its message */
    /* (INSERT: an error; LOAD DATA LOCAL: a warning; both name the server's code) */
    char *dup = line_of(r.err, "key (id=101) column (row): server ");
    cr_assert(dup != NULL && strstr(dup, "1062") != NULL, "%s", r.err);
    free(dup);
    cr_assert_eq(compare_count(my, "server", "project_id", "m1"), 3);
    harness_result_free(&r);

    /* verify --checksum passes, then catches one altered value by its key */
    const char *vargs[] = {
        "verify", "--checksum", "--source", src, "--target", harness_url("it_exact"), NULL};
    r = harness_run(vargs);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "checksum ok") != NULL);
    harness_result_free(&r);
    harness_exec(my, "UPDATE nums SET dbl = 0.10000000000000002 WHERE project_id = 'm1' AND "
                     "id = 1");
    r = harness_run(vargs);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "table nums: the target differs from the source") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "first difference: key (id=1) differs in column dbl") != NULL, "%s",
              r.err);
    harness_result_free(&r);

    /* an earlier run's reject files are rotated, not overwritten */
    const char *again[] = {"migrate",  "--source",
                           src,        "--rejects",
                           rejects,    "--restart-project",
                           "m1",       "--quiet",
                           "--target", harness_url("it_exact"),
                           NULL};
    r = harness_run(again);
    cr_assert_eq(r.status, 5, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    cr_assert(harness_sh("test -s \"$1/m1/texts.rejects.tsv.1\" && test -s "
                         "\"$1/m1/texts.rejects.log.1\" && test -s \"$1/m1/texts.rejects.tsv\"",
                         rejects, NULL) == 0);
    harness_tsv_free(exp, n);
    mysql_close(my);
}

Test(exact, good_rows_arrive_exactly_and_every_bad_row_is_explained_load_data)
{
    every_class("load");
}

Test(exact, good_rows_arrive_exactly_and_every_bad_row_is_explained_insert)
{
    every_class("insert");
}

Test(exact, zero_date_null_and_invalid_utf8_replace)
{
    const char *fx = harness_fixtures();
    MYSQL *my = exact_db("it_lenient");
    char src[256], rejects[256];
    snprintf(src, sizeof src, "%s/exact", fx);
    snprintf(rejects, sizeof rejects, "%s/rejects", fx);
    const char *args[] = {"migrate",     "--source", src,
                          "--rejects",   rejects,    "--quiet",
                          "--zero-date", "null",     "--invalid-utf8",
                          "replace",     "--target", harness_url("it_lenient"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 5, "loaded, rows rejected:\n%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "table texts: 1 value(s) with invalid UTF-8 loaded with U+FFFD") !=
                  NULL,
              "%s", r.out);
    harness_result_free(&r);
    /* invalid date, zero date and TIMESTAMP out of range became NULL */
    cr_assert(mysql_query(my, "SELECT id, dt IS NULL, ts IS NULL FROM times WHERE id IN "
                              "(101, 103, 104) ORDER BY id") == 0);
    MYSQL_RES *res = mysql_store_result(my);
    cr_assert_eq(mysql_num_rows(res), 3);
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL)
        cr_assert(strcmp(row[0], "103") == 0 ? strcmp(row[2], "1") == 0 : strcmp(row[1], "1") == 0,
                  "row %s not NULLed", row[0]);
    mysql_free_result(res);
    cr_assert(mysql_query(my, "SELECT HEX(v) FROM texts WHERE id = 109") == 0);
    res = mysql_store_result(my);
    row = mysql_fetch_row(res);
    cr_assert(row != NULL && strcmp(row[0], "61EFBFBD62") == 0, "%s", row ? row[0] : "none");
    mysql_free_result(res);
    mysql_close(my);
}

Test(exact, time_units_are_never_guessed_silently)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_units");
    harness_apply(my, "fixtures/exact_units_target.sql");
    char src[256];
    snprintf(src, sizeof src, "%s/units", fx);
    const char *plain[] = {
        "migrate", "--source", src, "--no-backup-rename", "--target", harness_url("it_units"),
        NULL};
    struct run_result r = harness_run(plain);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "column ms: its 3 number(s)") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "look like epoch-ms; say which in the mapping file ([units] "
                            "ms.convert = epoch-ms) or pass --guess-time-units") != NULL,
              "%s", r.err);
    cr_assert(strstr(r.err, "look like epoch-us") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "look like julian-day") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "column s:") == NULL, "plausible seconds were refused: %s", r.err);
    cr_assert_eq(compare_count(my, "units", "project_id", "u1"), 0);
    harness_result_free(&r);

    /* the dry-run reports the same refusal */
    const char *dry[] = {
        "migrate", "--dry-run", "--source", src, "--target", harness_url("it_units"), NULL};
    r = harness_run(dry);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "look like epoch-ms") != NULL, "%s", r.err);
    harness_result_free(&r);

    static const char *const want[] = {
        "1|2023-11-14 22:13:20.123|2023-11-14 22:13:20.123456|2023-11-14 00:00:00.000|"
        "2023-11-14 22:13:20",
        "2|2020-09-13 12:26:40.000|2020-09-13 12:26:40.000001|2000-01-01 00:00:00.000|"
        "2020-09-13 12:26:40",
        "3|2001-09-09 01:46:40.999|2001-09-09 01:46:40.000999|1970-01-01 18:00:00.000|"
        "2001-09-09 01:46:40"};
    for (int pass = 0; pass < 2; pass++) {
        const char *mapped[] = {"migrate",
                                "--source",
                                src,
                                "--no-backup-rename",
                                "--restart-project",
                                "u1",
                                "--mapping",
                                pass == 0 ? "fixtures/exact_units.ini" : "/dev/null",
                                pass == 0 ? "--quiet" : "--guess-time-units",
                                "--target",
                                harness_url("it_units"),
                                NULL};
        char ini[512];
        if (pass == 0) {
            cr_assert(realpath("fixtures/exact_units.ini", ini) != NULL);
            mapped[7] = ini;
        }
        r = harness_run(mapped);
        cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
        if (pass == 1)
            cr_assert(strstr(r.out, "column ms: numbers read as epoch-ms (--guess-time-units)") !=
                          NULL,
                      "%s", r.out);
        harness_result_free(&r);
        cr_assert(mysql_query(my, "SELECT CONCAT_WS('|', id, ms, us, jd, s) FROM units ORDER "
                                  "BY id") == 0);
        MYSQL_RES *res = mysql_store_result(my);
        for (int i = 0; i < 3; i++) {
            MYSQL_ROW row = mysql_fetch_row(res);
            cr_assert(row != NULL && strcmp(row[0], want[i]) == 0, "pass %d row %d: %s", pass, i,
                      row ? row[0] : "missing");
        }
        mysql_free_result(res);
    }
    mysql_close(my);
}

/* Text written by legacy software in Latin-1/Windows-1252 (found in real
 * files, e.g. Debian's gentle and presage databases): --invalid-utf8 cp1252
 * reads it so, leaves valid UTF-8 alone, counts it, and verify agrees. */
Test(exact, invalid_utf8_read_as_cp1252)
{
    MYSQL *my = harness_db("it_cp1252");
    const char *dir = harness_tmpdir();
    cr_assert(harness_sh("sqlite3 \"$1/legacy.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, v "
                         "TEXT); INSERT INTO t VALUES (1, CAST(x'566f7272e4746967' AS TEXT)), (2, "
                         "'caf\xc3\xa9'), (3, CAST(x'80209371' AS TEXT)), (4, NULL)\"",
                         dir, NULL) == 0);
    const char *args[] = {"migrate",  "--schema", "create",   "--invalid-utf8",         "cp1252",
                          "--source", dir,        "--target", harness_url("it_cp1252"), NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "note: project 'legacy' table t: 2 value(s) that were not UTF-8 "
                            "decoded as Windows-1252 (--invalid-utf8 cp1252)") != NULL,
              "%s", r.out);
    harness_result_free(&r);
    cr_assert(mysql_query(my, "SELECT CONCAT_WS('|', id, IFNULL(HEX(v), 'NULL')) FROM t "
                              "ORDER BY id") == 0);
    MYSQL_RES *res = mysql_store_result(my);
    static const char *const want[] = {"1|566F7272C3A4746967", "2|636166C3A9", "3|E282AC20E2809C71",
                                       "4|NULL"};
    for (size_t i = 0; i < 4; i++) {
        MYSQL_ROW row = mysql_fetch_row(res);
        cr_assert(row != NULL);
        cr_expect_str_eq(row[0], want[i]);
    }
    mysql_free_result(res);
    const char *check[] = {"verify", "--checksum", "--invalid-utf8",         "cp1252", "--source",
                           dir,      "--target",   harness_url("it_cp1252"), NULL};
    r = harness_run(check);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    /* the backup was verified, row by row (a pattern naming no file would
     * verify nothing and exit 0 too) */
    cr_assert(strstr(r.out, "\nlegacy                   t                                   4 "
                            "           4         0") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "checksum ok") != NULL, "%s", r.out);
    harness_result_free(&r);
    mysql_close(my);
}

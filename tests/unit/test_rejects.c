/* test_rejects: src/rejects.h writing under a mkdtemp directory, with rows
 * made by SELECTs of literal values on an sqlite3 ":memory:" database.
 * rejects_path; the TSV's header of column names and its rows in the LOAD
 * DATA/COPY text format: \N for NULL (and a text "\N" escaped apart from it),
 * "" for an empty string, \\ \t \n \r \0 escapes, integers, shortest reals,
 * every other byte raw (invalid UTF-8 0xFE stays 0xFE; a blob of all 256 byte
 * values unescapes back to itself); the .rejects.log header and its
 * "key\tcolumn\tvalue\treason" lines (escaped the same way); several rows and
 * two tables in one run; rotation of an earlier run's files to .1, then .2;
 * the directory created on the first reject (nested); project ids with '/',
 * "." and ".." and a leading '.', and table names with '/', all staying inside
 * DIR. Files are written whole: nothing is in place before rejects_commit; a
 * pair closed without commit leaves the earlier files as they were and no
 * new file; a commit without rows rotates the earlier files away (and creates
 * nothing when there were none); a row added before rejects_begin fails.
 * (rejects_rewrite, which reads the target, is tested in
 * tests/integration/test_reject_files.c.) */
#include <criterion/criterion.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "rejects.h"
#include "sqlrow.h"
#include "tmpdir.h"

#define S(x) ((x) ? (x) : "(null)")

static char dir[64];
static sqlite3 *mem;

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "/tmp/litelift-rejects-XXXXXX");
    cr_assert_eq(sqlite3_open(":memory:", &mem), SQLITE_OK);
}

static void teardown(void)
{
    sqlite3_close(mem);
    mem = NULL;
    tmpdir_remove(dir);
}

TestSuite(rejects, .init = setup, .fini = teardown);

/* A statement positioned on the one row of sql. */
static sqlite3_stmt *row_of(const char *sql)
{
    return sqlrow_of(mem, sql);
}

/* The whole content of path (heap, NUL-terminated; *n its length). */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "open %s", path);
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    char tmp[4096];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        cr_assert_eq(buf_append(&b, tmp, k), 0);
    fclose(f);
    cr_assert_eq(buf_putc(&b, '\0'), 0);
    *n = b.len - 1;
    return b.data;
}

static void expect_file(const char *path, const char *want, size_t nwant)
{
    size_t n;
    char *got = slurp(path, &n);
    cr_expect(n == nwant && memcmp(got, want, n) == 0,
              "%s:\n want (%zu bytes): %s\n  got (%zu): %s", path, nwant, want, n, got);
    free(got);
}

static char *path_in(const char *fmt, const char *a, const char *b)
{
    char *p = NULL;
    cr_assert(asprintf(&p, fmt, dir, a, b) >= 0);
    return p;
}

static void begin(struct rejects *rj, const char *project, const char *table, int ncols,
                  const char *const *cols)
{
    struct error err;
    error_clear(&err);
    cr_assert_eq(rejects_begin(rj, project, table, ncols, cols, &err), 0, "rejects_begin %s/%s: %s",
                 project, table, err.msg);
}

static void add(struct rejects *rj, sqlite3_stmt *row, const char *key, const char *column,
                const char *excerpt, const char *reason)
{
    struct error err;
    error_clear(&err);
    cr_expect_eq(rejects_add(rj, row, key, column, excerpt, reason, &err), 0, "rejects_add: %s",
                 err.msg);
}

static void commit(struct rejects *rj)
{
    struct error err;
    error_clear(&err);
    cr_expect_eq(rejects_commit(rj, &err), 0, "rejects_commit: %s", err.msg);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* One run's reject files of proj/t holding the one row of select, committed
 * or (commit false) closed without commit. */
static void one_run(const char *select, bool keep)
{
    static const char *const cols[] = {"id"};
    struct rejects rj;
    rejects_init(&rj, dir);
    begin(&rj, "proj", "t", 1, cols);
    sqlite3_stmt *row = row_of(select);
    add(&rj, row, select + 7, "id", "x", "reason");
    sqlite3_finalize(row);
    if (keep)
        commit(&rj);
    else
        rejects_close(&rj);
    rejects_free(&rj);
}

/* ---- parsing the TSV back ------------------------------------------------- */

struct field {
    bool null;
    struct buf v;
};

/* Splits one TSV line (without its \n) into fields, undoing the escapes. */
static size_t unescape_line(const char *p, size_t n, struct field *out, size_t max)
{
    size_t nf = 0, i = 0;
    for (;;) {
        cr_assert_lt(nf, max);
        struct field *f = &out[nf++];
        buf_init(&f->v, BUF_CAP_ROW);
        f->null = false;
        size_t start = i;
        while (i < n && p[i] != '\t')
            i++;
        if (i - start == 2 && p[start] == '\\' && p[start + 1] == 'N') {
            f->null = true;
        } else {
            for (size_t k = start; k < i; k++) {
                char c = p[k];
                if (c == '\\') {
                    cr_assert_lt(k + 1, i, "dangling backslash");
                    char e = p[++k];
                    c = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e == '0' ? '\0' : e;
                    cr_assert(e == 't' || e == 'n' || e == 'r' || e == '0' || e == '\\',
                              "unknown escape \\%c", e);
                }
                cr_assert_eq(buf_putc(&f->v, c), 0);
            }
        }
        if (i >= n)
            return nf;
        i++; /* the tab */
    }
}

/* ---- tests ---------------------------------------------------------------- */

Test(rejects, path_of_a_pair)
{
    struct rejects rj;
    rejects_init(&rj, "/var/rej");
    static const struct {
        const char *project, *table, *ext, *want;
    } cases[] = {
        {"acme", "users", "tsv", "/var/rej/acme/users.rejects.tsv"},
        {"acme", "users", "log", "/var/rej/acme/users.rejects.log"},
        {"a/b", "t", "tsv", "/var/rej/a%2Fb/t.rejects.tsv"},
        {"..", "t", "tsv", "/var/rej/_../t.rejects.tsv"},
        {".", "t", "tsv", "/var/rej/_./t.rejects.tsv"},
        {".hidden", "t", "log", "/var/rej/_.hidden/t.rejects.log"},
        {"../up", "t", "tsv", "/var/rej/_..%2Fup/t.rejects.tsv"},
        {"p", "x/y", "tsv", "/var/rej/p/x%2Fy.rejects.tsv"},
        {"p", "../t", "tsv", "/var/rej/p/..%2Ft.rejects.tsv"},
        {"caf\xc3\xa9 x", "t", "tsv", "/var/rej/caf\xc3\xa9 x/t.rejects.tsv"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = rejects_path(&rj, cases[i].project, cases[i].table, cases[i].ext);
        cr_expect_str_eq(S(got), cases[i].want, "rejects_path(%s, %s, %s)", cases[i].project,
                         cases[i].table, cases[i].ext);
        free(got);
    }
    rejects_free(&rj);
}

Test(rejects, tsv_and_log_content_exactly)
{
    struct rejects rj;
    char *root = NULL;
    cr_assert(asprintf(&root, "%s/nested/rej", dir) >= 0);
    rejects_init(&rj, root);
    struct stat st;
    cr_expect_neq(stat(root, &st), 0, "nothing is created before the first reject");
    sqlite3_stmt *row = row_of("SELECT 42, NULL, CAST(x'6109625C0A0D00' AS TEXT), 1.5, 0.1,"
                               " CAST(x'66FE67' AS TEXT), '', '\\N', x'00095C0A41FE', -7");
    static const char *const cols[] = {"id",  "name",  "note",   "price", "tenth",
                                       "bad", "empty", "slashn", "data",  "neg"};
    begin(&rj, "acme", "users", 10, cols);
    cr_expect_neq(stat(root, &st), 0, "nothing is created before the first reject");
    add(&rj, row, "id=42", "note", "'a\\tb\\\\'...", "value too long");
    sqlite3_finalize(row);
    row = row_of("SELECT 43, 'plain', 'x', 2, 1e300, 'y', 'z', 'w', x'', 0");
    add(&rj, row, "id=43", "price\tx", "tab\there", "line\nbreak\\");
    sqlite3_finalize(row);
    char *tsv = path_in("%s/nested/rej/%s/%s.rejects.tsv", "acme", "users");
    char *log = path_in("%s/nested/rej/%s/%s.rejects.log", "acme", "users");
    cr_expect(!exists(tsv) && !exists(log), "nothing is in place before the commit");
    commit(&rj);
    rejects_free(&rj);

    static const char want_tsv[] =
        "id\tname\tnote\tprice\ttenth\tbad\tempty\tslashn\tdata\tneg\n"
        "42\t\\N\ta\\tb\\\\\\n\\r\\0\t1.5\t0.1\tf\xfeg\t\t\\\\N\t\\0\\t\\\\\\nA\xfe\t-7\n"
        "43\tplain\tx\t2\t1e+300\ty\tz\tw\t\t0\n";
    expect_file(tsv, want_tsv, sizeof want_tsv - 1);
    static const char want_log[] = "key\tcolumn\tvalue\treason\n"
                                   "id=42\tnote\t'a\\\\tb\\\\\\\\'...\tvalue too long\n"
                                   "id=43\tprice\\tx\ttab\\there\tline\\nbreak\\\\\n";
    expect_file(log, want_log, sizeof want_log - 1);
    free(tsv);
    free(log);
    free(root);
}

Test(rejects, every_byte_value_of_a_blob_round_trips)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_ROW);
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    cr_assert_eq(buf_puts(&sql, "SELECT 1, x'"), 0);
    cr_assert_eq(buf_hex(&sql, all, 256), 0);
    /* the same bytes reversed as a second blob, and as (invalid UTF-8) text */
    unsigned char rev[256];
    for (int i = 0; i < 256; i++)
        rev[i] = (unsigned char)(255 - i);
    cr_assert_eq(buf_puts(&sql, "', x'"), 0);
    cr_assert_eq(buf_hex(&sql, rev, 256), 0);
    cr_assert_eq(buf_puts(&sql, "', CAST(x'"), 0);
    cr_assert_eq(buf_hex(&sql, all, 256), 0);
    cr_assert_eq(buf_puts(&sql, "' AS TEXT), NULL"), 0);
    sqlite3_stmt *row = row_of(sql.data);
    buf_free(&sql);
    cr_assert_eq(sqlite3_column_bytes(row, 2), 256, "the text keeps its NUL");

    struct rejects rj;
    rejects_init(&rj, dir);
    static const char *const cols[] = {"id", "b", "r", "t", "n"};
    begin(&rj, "p", "bytes", 5, cols);
    add(&rj, row, "id=1", "b", "X'00'", "r");
    sqlite3_finalize(row);
    commit(&rj);
    rejects_free(&rj);

    char *tsv = path_in("%s/%s/%s.rejects.tsv", "p", "bytes");
    size_t n;
    char *data = slurp(tsv, &n);
    char *nl = memchr(data, '\n', n);
    cr_assert(nl != NULL);
    cr_expect_eq(nl - data, (long)strlen("id\tb\tr\tt\tn"));
    const char *line = nl + 1;
    size_t len = n - (size_t)(line - data);
    cr_assert_gt(len, 0);
    cr_assert_eq(line[len - 1], '\n', "the row ends with a newline");
    cr_assert_eq(memchr(line, '\n', len - 1), NULL, "no raw newline inside the row");
    struct field f[8];
    size_t nf = unescape_line(line, len - 1, f, 8);
    cr_assert_eq(nf, 5);
    cr_expect(!f[0].null && f[0].v.len == 1 && f[0].v.data[0] == '1');
    cr_expect(!f[1].null && f[1].v.len == 256 && memcmp(f[1].v.data, all, 256) == 0,
              "blob 00..FF round-trips (got %zu bytes)", f[1].v.len);
    cr_expect(!f[2].null && f[2].v.len == 256 && memcmp(f[2].v.data, rev, 256) == 0,
              "blob FF..00 round-trips (got %zu bytes)", f[2].v.len);
    cr_expect(!f[3].null && f[3].v.len == 256 && memcmp(f[3].v.data, all, 256) == 0,
              "text 00..FF round-trips (got %zu bytes)", f[3].v.len);
    cr_expect(f[4].null);
    /* bytes other than \ TAB LF CR NUL are written as they are */
    for (int c = 1; c < 256; c++) {
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r')
            continue;
        cr_expect(memchr(line, c, len) != NULL, "byte 0x%02X appears raw", c);
    }
    cr_expect_eq(memchr(line, '\r', len), NULL, "CR is escaped");
    cr_expect_eq(memchr(line, '\0', len), NULL, "NUL is escaped");
    for (size_t i = 0; i < nf; i++)
        buf_free(&f[i].v);
    free(data);
    free(tsv);
}

Test(rejects, later_runs_rotate_earlier_files)
{
    one_run("SELECT 1", true);
    one_run("SELECT 2", true);
    one_run("SELECT 3", true);
    static const struct {
        const char *suffix, *tsv, *log;
    } want[] = {
        {"", "id\n3\n", "key\tcolumn\tvalue\treason\n3\tid\tx\treason\n"},
        {".1", "id\n1\n", "key\tcolumn\tvalue\treason\n1\tid\tx\treason\n"},
        {".2", "id\n2\n", "key\tcolumn\tvalue\treason\n2\tid\tx\treason\n"},
    };
    for (size_t i = 0; i < 3; i++) {
        char *tsv = path_in("%s/proj/t.rejects.tsv%s", want[i].suffix, "");
        char *log = path_in("%s/proj/t.rejects.log%s", want[i].suffix, "");
        expect_file(tsv, want[i].tsv, strlen(want[i].tsv));
        expect_file(log, want[i].log, strlen(want[i].log));
        free(tsv);
        free(log);
    }
    char *three = path_in("%s/proj/t.rejects.tsv.3%s%s", "", "");
    struct stat st;
    cr_expect_neq(stat(three, &st), 0, "no .3 after three runs");
    free(three);
}

Test(rejects, two_tables_in_one_run)
{
    static const char *const c1[] = {"a", "b"};
    static const char *const c2[] = {"z"};
    struct rejects rj;
    rejects_init(&rj, dir);
    begin(&rj, "p", "t1", 2, c1);
    sqlite3_stmt *row = row_of("SELECT 1, 'x'");
    add(&rj, row, "rowid=1", "b", "'x'", "r1");
    sqlite3_finalize(row);
    commit(&rj);
    begin(&rj, "p", "t2", 1, c2);
    row = row_of("SELECT 'q'");
    add(&rj, row, "rowid=9", "z", "'q'", "r2");
    sqlite3_finalize(row);
    commit(&rj);
    rejects_free(&rj);
    char *f = path_in("%s/%s/%s.rejects.tsv", "p", "t1");
    expect_file(f, "a\tb\n1\tx\n", 8);
    free(f);
    f = path_in("%s/%s/%s.rejects.tsv", "p", "t2");
    expect_file(f, "z\nq\n", 4);
    free(f);
    f = path_in("%s/%s/%s.rejects.log", "p", "t2");
    static const char want[] = "key\tcolumn\tvalue\treason\nrowid=9\tz\t'q'\tr2\n";
    expect_file(f, want, sizeof want - 1);
    free(f);
    f = path_in("%s/%s/%s.rejects.tsv.1", "p", "t1");
    struct stat st;
    cr_expect_neq(stat(f, &st), 0, "no rotation inside one run");
    free(f);
}

Test(rejects, project_and_table_names_stay_inside_dir)
{
    static const struct {
        const char *project, *table, *rel; /* rel: the TSV under DIR */
    } cases[] = {
        {"a/b", "t", "a%2Fb/t.rejects.tsv"},
        {"..", "t", "_../t.rejects.tsv"},
        {".", "t", "_./t.rejects.tsv"},
        {".hidden", "t", "_.hidden/t.rejects.tsv"},
        {"../../etc", "t", "_..%2F..%2Fetc/t.rejects.tsv"},
        {"/abs", "t", "%2Fabs/t.rejects.tsv"},
        {"p", "../x", "p/..%2Fx.rejects.tsv"},
        {"p", "..", "p/...rejects.tsv"},
    };
    char real_dir[PATH_MAX];
    cr_assert(realpath(dir, real_dir) != NULL);
    static const char *const cols[] = {"v"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct rejects rj;
        rejects_init(&rj, dir);
        begin(&rj, cases[i].project, cases[i].table, 1, cols);
        sqlite3_stmt *row = row_of("SELECT 'v'");
        add(&rj, row, "rowid=1", "v", "'v'", "r");
        sqlite3_finalize(row);
        commit(&rj);
        rejects_free(&rj);
        char *p = path_in("%s/%s%s", cases[i].rel, "");
        expect_file(p, "v\nv\n", 4);
        char real[PATH_MAX];
        cr_assert(realpath(p, real) != NULL, "%s exists", p);
        cr_expect(strncmp(real, real_dir, strlen(real_dir)) == 0 && real[strlen(real_dir)] == '/',
                  "project %s table %s: %s is inside %s", cases[i].project, cases[i].table, real,
                  real_dir);
        free(p);
    }
}

Test(rejects, closed_without_commit_keeps_the_earlier_files_and_leaves_no_new_one)
{
    one_run("SELECT 1", true);
    one_run("SELECT 2", false);
    char *tsv = path_in("%s/proj/t.rejects.tsv%s%s", "", "");
    expect_file(tsv, "id\n1\n", 5);
    free(tsv);
    static const char *const absent[] = {"tsv.1", "log.1", "tsv.new", "log.new"};
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++) {
        char *p = path_in("%s/proj/t.rejects.%s%s", absent[i], "");
        cr_expect(!exists(p), "%s must not exist", p);
        free(p);
    }
}

Test(rejects, commit_without_rows_rotates_the_earlier_files_away)
{
    static const char *const cols[] = {"id"};
    struct rejects rj;
    rejects_init(&rj, dir);
    /* none earlier: nothing at all is created, not even the directory */
    begin(&rj, "empty", "t", 1, cols);
    commit(&rj);
    char *pdir = path_in("%s/%s%s", "empty", "");
    cr_expect(!exists(pdir), "%s created for no reject", pdir);
    free(pdir);
    /* an earlier run's: moved to .1, no current file is left */
    one_run("SELECT 1", true);
    begin(&rj, "proj", "t", 1, cols);
    commit(&rj);
    rejects_free(&rj);
    char *tsv = path_in("%s/proj/t.rejects.tsv%s%s", "", "");
    char *log = path_in("%s/proj/t.rejects.log%s%s", "", "");
    cr_expect(!exists(tsv) && !exists(log), "no current file without rejects");
    free(tsv);
    free(log);
    tsv = path_in("%s/proj/t.rejects.tsv.1%s%s", "", "");
    expect_file(tsv, "id\n1\n", 5);
    free(tsv);
}

Test(rejects, a_row_before_begin_or_after_commit_fails)
{
    struct rejects rj;
    struct error err;
    rejects_init(&rj, dir);
    sqlite3_stmt *row = row_of("SELECT 1");
    cr_expect_eq(rejects_add(&rj, row, "1", "id", "x", "r", &err), -1);
    cr_expect(strstr(err.msg, "before rejects_begin") != NULL, "%s", err.msg);
    static const char *const cols[] = {"id"};
    begin(&rj, "proj", "t", 1, cols);
    commit(&rj);
    cr_expect_eq(rejects_add(&rj, row, "1", "id", "x", "r", &err), -1);
    cr_expect_eq(rejects_commit(&rj, &err), -1);
    sqlite3_finalize(row);
    rejects_free(&rj);
}

/* test_reader_range: a table cut into key ranges (src/reader_range.h) and
 * read range by range with reader_table_range (src/reader.h): for a rowid
 * table with gaps in its rowids and a WITHOUT ROWID table with a two-column
 * text and integer key, the k ranges read back every row once, in key order,
 * each about rows/k rows; a resumed range (after a key inside it) reads the
 * rest of it only; the same file gives the same bounds. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "reader.h"
#include "reader_range.h"
#include "tmpdir.h"

static char dir[256];
static char path[300];

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "/tmp/litelift-reader-range-XXXXXX");
    snprintf(path, sizeof path, "%s/p.db", dir);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db,
                              "CREATE TABLE r(v TEXT);"
                              "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE "
                              "n < 1000) INSERT INTO r(rowid, v) SELECT n * n, 'v' || n FROM c;"
                              "CREATE TABLE w(a TEXT, b INTEGER, v, PRIMARY KEY (a, b)) WITHOUT "
                              "ROWID;"
                              "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE "
                              "n < 999) INSERT INTO w SELECT 'k' || (n % 7), n, n FROM c;",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
}

static void teardown(void)
{
    tmpdir_remove(dir);
}

TestSuite(reader_range, .init = setup, .fini = teardown);

/* Reads the rows of table t after `after` up to `upto` (each NULL: open),
 * appending each row's key to keys (one per line, as reader_key shows it).
 * Returns the number of rows. */
static long read_range(struct reader *r, size_t t, const struct buf *after, const struct buf *upto,
                       struct buf *keys)
{
    struct error err;
    cr_assert_eq(reader_table_range(r, t, after ? after->data : NULL, after ? after->len : 0,
                                    upto ? upto->data : NULL, upto ? upto->len : 0, &err),
                 0, "%s", err.msg);
    long n = 0;
    int step;
    while ((step = reader_next(r, &err)) == 1) {
        cr_assert_eq(reader_key(r, reader_row(r), keys), 0);
        cr_assert_eq(buf_putc(keys, '\n'), 0);
        n++;
    }
    cr_assert_eq(step, 0, "%s", err.msg);
    return n;
}

/* Cuts table `name` into k ranges and checks that they read as the whole. */
static void check_cut(const char *name, size_t k)
{
    struct reader r = {0};
    struct error err;
    cr_assert_eq(reader_open(&r, path, &err), 0, "%s", err.msg);
    size_t t = 0;
    while (strcmp(r.tables[t].name, name) != 0)
        t++;
    long long rows = reader_count(&r, t, &err);
    struct buf bounds[4], again[4], whole, parts;
    buf_init(&whole, BUF_CAP_LIST);
    buf_init(&parts, BUF_CAP_LIST);
    for (size_t i = 0; i < 4; i++) {
        buf_init(&bounds[i], BUF_CAP_ROW);
        buf_init(&again[i], BUF_CAP_ROW);
    }
    cr_assert_eq(reader_range_bounds(&r, t, rows, k, bounds, &err), 0, "%s", err.msg);
    cr_assert_eq(reader_range_bounds(&r, t, rows, k, again, &err), 0, "%s", err.msg);
    long total = read_range(&r, t, NULL, NULL, &whole);
    cr_assert_eq(total, rows);
    for (size_t i = 0; i < k; i++) {
        long n =
            read_range(&r, t, i > 0 ? &bounds[i - 1] : NULL, i + 1 < k ? &bounds[i] : NULL, &parts);
        cr_assert(n >= rows / (long long)k - 1 && n <= rows / (long long)k + 1,
                  "%s range %zu of %zu: %ld of %lld rows", name, i + 1, k, n, rows);
        if (i + 1 < k)
            cr_assert(bounds[i].len == again[i].len &&
                      memcmp(bounds[i].data, again[i].data, bounds[i].len) == 0);
    }
    cr_assert_eq(parts.len, whole.len);
    cr_assert_eq(memcmp(parts.data, whole.data, whole.len), 0, "%s: the ranges differ", name);
    /* a range resumed after its first bound's key reads the next range only */
    struct buf rest;
    buf_init(&rest, BUF_CAP_LIST);
    long n = read_range(&r, t, &bounds[0], &bounds[1], &rest);
    cr_assert(n > 0 && n < rows);
    cr_assert(strstr(whole.data, rest.data) != NULL);
    buf_free(&rest);
    for (size_t i = 0; i < 4; i++) {
        buf_free(&bounds[i]);
        buf_free(&again[i]);
    }
    buf_free(&whole);
    buf_free(&parts);
    reader_close(&r);
}

Test(reader_range, rowid_table_with_gaps)
{
    check_cut("r", 3);
    check_cut("r", 4);
}

Test(reader_range, without_rowid_two_column_key)
{
    check_cut("w", 3);
    check_cut("w", 2);
}

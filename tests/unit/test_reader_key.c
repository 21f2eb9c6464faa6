/* test_reader_key: src/reader_key.h on statements of an in-memory SQLite
 * database. Round trip, table by table: a row's key encoded with
 * reader_key_encode_row and bound back with reader_key_bind into "SELECT
 * ?1, ?2, ..." gives every key column back with its storage class and its
 * exact value (integers at both ends of the range, REAL bits including -0.0
 * and the smallest subnormal, text with quotes, UTF-8 and an embedded NUL,
 * empty text and blob, a blob of every byte, a text longer than 65535 bytes,
 * NULL), for key columns in column order, in another order and for a subset;
 * the rowid form ('R' + the rowid after the columns). The exact bytes of both
 * forms. Malformed keys refused: empty, wrong tag for the table's kind, cut
 * inside a number, a length or a value, a column missing, bytes left over,
 * a rowid key of the wrong size. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "reader.h"
#include "reader_key.h"
#include "sqlrow.h"

static sqlite3 *db;

static void setup(void)
{
    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
}

static void teardown(void)
{
    sqlite3_close(db);
}

TestSuite(reader_key, .init = setup, .fini = teardown);

/* "SELECT ?1,...,?n". */
static sqlite3_stmt *params(size_t n)
{
    char sql[256] = "SELECT ";
    for (size_t i = 0; i < n; i++)
        snprintf(sql + strlen(sql), sizeof sql - strlen(sql), "%s?%zu", i ? "," : "", i + 1);
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
    return st;
}

/* Whether column a of sa and column b of sb hold the same value of the same
 * storage class (REAL compared by its bits). */
static bool same_value(sqlite3_stmt *sa, int a, sqlite3_stmt *sb, int b)
{
    int type = sqlite3_column_type(sa, a);
    if (type != sqlite3_column_type(sb, b))
        return false;
    if (type == SQLITE_INTEGER)
        return sqlite3_column_int64(sa, a) == sqlite3_column_int64(sb, b);
    if (type == SQLITE_FLOAT) {
        double x = sqlite3_column_double(sa, a), y = sqlite3_column_double(sb, b);
        return memcmp(&x, &y, sizeof x) == 0;
    }
    if (type == SQLITE_NULL)
        return true;
    const void *pa =
        type == SQLITE_TEXT ? (const void *)sqlite3_column_text(sa, a) : sqlite3_column_blob(sa, a);
    int na = sqlite3_column_bytes(sa, a);
    const void *pb =
        type == SQLITE_TEXT ? (const void *)sqlite3_column_text(sb, b) : sqlite3_column_blob(sb, b);
    int nb = sqlite3_column_bytes(sb, b);
    return na == nb && (na == 0 || memcmp(pa, pb, (size_t)na) == 0);
}

struct trip {
    const char *name;
    const char *sql; /* one row: the table's columns */
    size_t ncols;
    size_t npk;
    size_t pk[4]; /* key columns in key order */
};

static const struct trip trips[] = {
    {"one integer", "SELECT 42", 1, 1, {0}},
    {"integer range", "SELECT 9223372036854775807, -9223372036854775807 - 1, 0", 3, 3, {0, 1, 2}},
    {"reals", "SELECT 2.5, -0.0, 1e308, 4.9e-324", 4, 4, {0, 1, 2, 3}},
    {"texts", "SELECT 'a''b\"c', '', 'caf' || char(233) || char(128512)", 3, 3, {0, 1, 2}},
    {"text with a NUL", "SELECT CAST(x'61006200' AS TEXT)", 1, 1, {0}},
    {"blobs", "SELECT x'00ff7f80', x'', randomblob(0)", 3, 3, {0, 1, 2}},
    {"every byte",
     "SELECT 'h', x'"
     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
     "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
     "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
     "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
     "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
     "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
     "'",
     2,
     1,
     {1}},
    {"long text", "SELECT printf('%.*c', 70000, 'x')", 1, 1, {0}},
    {"NULL in a key", "SELECT NULL, 1", 2, 2, {0, 1}},
    {"mixed classes", "SELECT 1, 'x', x'00', NULL, 2.5", 5, 4, {0, 1, 2, 4}},
    {"key out of column order", "SELECT 'a', 2, x'03'", 3, 3, {2, 0, 1}},
    {"key of some columns", "SELECT 'skip', 7, 'also', 'k'", 4, 2, {3, 1}},
};

Test(reader_key, round_trip)
{
    for (size_t i = 0; i < sizeof trips / sizeof *trips; i++) {
        const struct trip *c = &trips[i];
        struct reader_table t = {.ncols = c->ncols, .npk = c->npk, .pk_cols = (size_t *)c->pk};
        sqlite3_stmt *row = sqlrow_of(db, c->sql), *back = params(c->npk);
        struct buf key;
        buf_init(&key, BUF_CAP_ROW);
        cr_expect_eq(reader_key_encode_row(&t, row, &key), 0, "%s: encode", c->name);
        cr_expect_eq(reader_key_bind(back, &t, key.data, key.len), 0, "%s: bind", c->name);
        cr_assert_eq(sqlite3_step(back), SQLITE_ROW, "%s", c->name);
        for (size_t k = 0; k < c->npk; k++)
            cr_expect(same_value(row, (int)c->pk[k], back, (int)k), "%s: key column %zu differs",
                      c->name, k);
        buf_free(&key);
        sqlite3_finalize(row);
        sqlite3_finalize(back);
    }
}

Test(reader_key, rowid_round_trip)
{
    static const long long rowids[] = {1, -1, 0, 9223372036854775807LL, -9223372036854775807LL - 1};
    for (size_t i = 0; i < sizeof rowids / sizeof *rowids; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT 'a', NULL, %lld", rowids[i]);
        struct reader_table t = {.ncols = 2, .rowid_alias = "rowid"};
        sqlite3_stmt *row = sqlrow_of(db, sql), *back = params(1);
        struct buf key;
        buf_init(&key, BUF_CAP_ROW);
        cr_expect_eq(reader_key_encode_row(&t, row, &key), 0);
        cr_expect_eq(key.len, 9, "'R' and 8 bytes");
        cr_expect_eq(reader_key_bind(back, &t, key.data, key.len), 0);
        cr_assert_eq(sqlite3_step(back), SQLITE_ROW);
        cr_expect_eq(sqlite3_column_int64(back, 0), rowids[i], "rowid %lld", rowids[i]);
        buf_free(&key);
        sqlite3_finalize(row);
        sqlite3_finalize(back);
    }
}

Test(reader_key, exact_bytes)
{
    static const unsigned char want_k[] = {'K', SQLITE_INTEGER, 0, 0, 0, 0, 0,   0,   1,
                                           2,   SQLITE_TEXT,    0, 0, 0, 2, 'a', 'b', SQLITE_NULL};
    static const unsigned char want_r[] = {'R', 0, 0, 0, 0, 0, 0, 1, 2};
    size_t pk[] = {0, 1, 2};
    struct reader_table t = {.ncols = 3, .npk = 3, .pk_cols = pk};
    sqlite3_stmt *row = sqlrow_of(db, "SELECT 258, 'ab', NULL");
    struct buf key;
    buf_init(&key, BUF_CAP_ROW);
    cr_expect_eq(reader_key_encode_row(&t, row, &key), 0);
    cr_expect(key.len == sizeof want_k && memcmp(key.data, want_k, sizeof want_k) == 0,
              "WITHOUT ROWID form: %zu bytes", key.len);
    sqlite3_finalize(row);
    buf_reset(&key);
    struct reader_table rt = {.ncols = 1, .rowid_alias = "oid"};
    row = sqlrow_of(db, "SELECT 'x', 258");
    cr_expect_eq(reader_key_encode_row(&rt, row, &key), 0);
    cr_expect(key.len == sizeof want_r && memcmp(key.data, want_r, sizeof want_r) == 0,
              "rowid form: %zu bytes", key.len);
    sqlite3_finalize(row);
    buf_free(&key);
}

struct bad {
    const char *name;
    bool rowid; /* against a rowid table, else a WITHOUT ROWID one keyed (INTEGER, TEXT) */
    const char *key;
    size_t len;
};

#define BAD(name, rowid, key)                                                                      \
    {                                                                                              \
        name, rowid, key, sizeof(key) - 1                                                          \
    }

static const struct bad bads[] = {
    BAD("empty", false, ""),
    BAD("rowid tag for a keyed table", false, "R\0\0\0\0\0\0\0\1"),
    BAD("cut inside the integer", false, "K\1\0\0\0"),
    BAD("second column missing", false, "K\1\0\0\0\0\0\0\0\1"),
    BAD("cut inside the length", false, "K\1\0\0\0\0\0\0\0\1\3\0\0"),
    BAD("length past the end", false, "K\1\0\0\0\0\0\0\0\1\3\0\0\0\5ab"),
    BAD("bytes left over", false, "K\1\0\0\0\0\0\0\0\1\3\0\0\0\2abX"),
    BAD("keyed tag for a rowid table", true, "K\0\0\0\0\0\0\0\1"),
    BAD("rowid key too short", true, "R\0\0\0\1"),
    BAD("rowid key too long", true, "R\0\0\0\0\0\0\0\1\0"),
    BAD("empty rowid key", true, ""),
};

Test(reader_key, malformed_keys_refused)
{
    size_t pk[] = {0, 1};
    struct reader_table keyed = {.ncols = 2, .npk = 2, .pk_cols = pk};
    struct reader_table rowid = {.ncols = 2, .rowid_alias = "rowid"};
    sqlite3_stmt *st = params(2);
    cr_expect_eq(reader_key_bind(st, &keyed, "K\1\0\0\0\0\0\0\0\1\3\0\0\0\2ab", 17), 0,
                 "the well-formed key the cases spoil");
    cr_expect_eq(reader_key_bind(st, &rowid, "R\0\0\0\0\0\0\0\1", 9), 0, "a rowid key");
    for (size_t i = 0; i < sizeof bads / sizeof *bads; i++) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        cr_expect_eq(reader_key_bind(st, bads[i].rowid ? &rowid : &keyed, bads[i].key, bads[i].len),
                     -1, "%s", bads[i].name);
    }
    sqlite3_finalize(st);
}

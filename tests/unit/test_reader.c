/* test_reader: src/reader.h on real SQLite files made with the sqlite3 C API in
 * a mkdtemp directory. reader_open's table list (names, columns, declared
 * types, NOT NULL, npk, pk_cols, without_rowid, rowid_alias) and skipped list
 * (view, trigger, and the FTS5 virtual table with its shadow tables when FTS5
 * is compiled in; sqlite_sequence, sqlite_stat1 and indexes in neither) for:
 * INTEGER PRIMARY KEY, no declared key, WITHOUT ROWID with a composite
 * TEXT+BLOB key (mixed storage classes), with a REAL key and with a key
 * declared out of column order, a REAL primary key on a rowid table, a TEXT
 * key holding a NULL (its key is the rowid), AUTOINCREMENT, columns named
 * rowid/_rowid_/oid, quotes and % in names. reader_table_begin's order (rowid
 * order; primary-key order, BINARY, by storage class for blob keys),
 * reader_key's rendering, reader_key_encode's bytes, reader_table_begin(after)
 * resuming strictly after every row of every table, reader_lookup by encoded
 * key (and its errors), reader_count, reader_table_begin_by_pk, reader_check
 * on a good and on an overwritten file, reader_open on a 0-byte file,
 * non-database files and a missing file, reader_numeric_ranges on mixed-type
 * columns, and WAL: rows only in the -wal file are read, and the snapshot
 * taken at open does not move. Resuming also in a UTF-16le file (non-ASCII
 * and astral text keys), on a COLLATE NOCASE key and on a key declared DESC. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "reader.h"
#include "tmpdir.h"
#include "val.h"

#define S(x) ((x) ? (x) : "(null)")

static char dir[64];

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "/tmp/litelift-reader-XXXXXX");
}

static void teardown(void)
{
    tmpdir_remove(dir);
}

TestSuite(reader, .init = setup, .fini = teardown);

static void path_in_dir(char *path, size_t n, const char *name)
{
    snprintf(path, n, "%s/%s", dir, name);
}

/* Creates dir/name and runs sql in it. */
static void make_db(char *path, size_t n, const char *name, const char *sql)
{
    path_in_dir(path, n, name);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK, "create %s", path);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    cr_assert_eq(rc, SQLITE_OK, "setup SQL of %s failed: %s", name, S(msg));
    sqlite3_free(msg);
    cr_assert_eq(sqlite3_close(db), SQLITE_OK);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f != NULL, "create %s", path);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

/* ---- the main fixture --------------------------------------------------- */

static const char main_sql[] =
    "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INT);"
    "INSERT INTO items VALUES (5, 'five', 1), (3, 'three', 2), (10, 'ten', NULL), (-2, 'neg', 4);"
    "CREATE TABLE log(msg TEXT, at);"
    "INSERT INTO log VALUES ('a', 1), ('b', 2), ('c', 3);"
    "DELETE FROM log WHERE msg = 'b';"
    "INSERT INTO log VALUES ('d', 4.5);"
    "CREATE INDEX log_at ON log(at);"
    "CREATE TABLE blobkey(a TEXT, b BLOB, v, PRIMARY KEY (a, b)) WITHOUT ROWID;"
    "INSERT INTO blobkey VALUES ('x', x'00FF', 1), ('x', x'00', 2), ('a', x'FF', 3),"
    " ('x', x'', 4), ('b', 'tib', 5), ('b', 7, 6), ('B', x'01', 7), ('b', 7.5, 8);"
    "CREATE TABLE rev(x INTEGER, y, z TEXT NOT NULL, PRIMARY KEY (z, x)) WITHOUT ROWID;"
    "INSERT INTO rev VALUES (2, 'p', 'm'), (1, 'q', 'm'), (9, 'r', 'a');"
    "CREATE TABLE prices(k REAL PRIMARY KEY, label);"
    "INSERT INTO prices VALUES (3.5, 'c'), (1.25, 'a'), (2.0, 'b');"
    "CREATE TABLE rk(k REAL PRIMARY KEY, v) WITHOUT ROWID;"
    "INSERT INTO rk VALUES (2.5, 'x'), (-1, 'y'), (10, 'z');"
    "CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, x);"
    "INSERT INTO seq(x) VALUES ('p'), ('q');"
    "CREATE TABLE shadowy(rowid TEXT, x);"
    "INSERT INTO shadowy VALUES ('r9', 1), ('r8', 2);"
    "CREATE TABLE shadowy2(rowid TEXT, _ROWID_ TEXT, x);"
    "INSERT INTO shadowy2 VALUES ('a', 'b', 1);"
    "CREATE TABLE sqlitex(a);"
    "INSERT INTO sqlitex VALUES (1);"
    "CREATE TABLE tk(name TEXT PRIMARY KEY, v);"
    "INSERT INTO tk VALUES ('b', 1), (NULL, 2), ('a', 3);"
    "CREATE TABLE \"w\"\"q %d\"(id INTEGER PRIMARY KEY, \"c\"\"q\" TEXT);"
    "INSERT INTO \"w\"\"q %d\" VALUES (1, 'x');"
    "CREATE VIEW v_items AS SELECT * FROM items;"
    "CREATE TRIGGER trg_items AFTER INSERT ON items BEGIN SELECT 1; END;"
    "ANALYZE;";

/* Added when this SQLite has FTS5 (its docs* entries are expected only then). */
static const char fts_sql[] = "CREATE VIRTUAL TABLE docs USING fts5(body);"
                              "INSERT INTO docs VALUES ('hello world');";

static bool have_fts5(void)
{
    sqlite3 *db = NULL;
    bool ok =
        sqlite3_open(":memory:", &db) == SQLITE_OK &&
        sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5(a)", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

static void make_main(char *path, size_t n)
{
    make_db(path, n, "main.db", main_sql);
    if (have_fts5()) {
        sqlite3 *db = NULL;
        cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
        cr_assert_eq(sqlite3_exec(db, fts_sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
}

struct wantcol {
    const char *name, *decl;
    int pk;
    bool notnull;
};

struct wanttable {
    const char *name;
    bool without_rowid;
    const char *rowid_alias;
    size_t ncols;
    struct wantcol cols[4];
    size_t npk;
    size_t pk_cols[3];
    long long count;
    const char *rows[10]; /* "KEY | v1 | v2 ..." in scan order, NULL-terminated */
};

static const struct wanttable main_tables[] = {
    {"blobkey",
     true,
     NULL,
     3,
     {{"a", "TEXT", 1, true}, {"b", "BLOB", 2, true}, {"v", "", 0, false}},
     2,
     {0, 1},
     8,
     {"a='B', b=X'01' | 'B' | X'01' | 7", "a='a', b=X'FF' | 'a' | X'FF' | 3",
      "a='b', b=7 | 'b' | 7 | 6", "a='b', b=7.5 | 'b' | 7.5 | 8",
      "a='b', b='tib' | 'b' | 'tib' | 5", "a='x', b=X'' | 'x' | X'' | 4",
      "a='x', b=X'00' | 'x' | X'00' | 2", "a='x', b=X'00FF' | 'x' | X'00FF' | 1", NULL}},
    {"items",
     false,
     "rowid",
     3,
     {{"id", "INTEGER", 1, false}, {"name", "TEXT", 0, true}, {"qty", "INT", 0, false}},
     1,
     {0},
     4,
     {"id=-2 | -2 | 'neg' | 4", "id=3 | 3 | 'three' | 2", "id=5 | 5 | 'five' | 1",
      "id=10 | 10 | 'ten' | NULL", NULL}},
    {"log",
     false,
     "rowid",
     2,
     {{"msg", "TEXT", 0, false}, {"at", "", 0, false}},
     0,
     {0},
     3,
     {"rowid=1 | 'a' | 1", "rowid=3 | 'c' | 3", "rowid=4 | 'd' | 4.5", NULL}},
    {"prices",
     false,
     "rowid",
     2,
     {{"k", "REAL", 1, false}, {"label", "", 0, false}},
     1,
     {0},
     3,
     {"k=3.5 | 3.5 | 'c'", "k=1.25 | 1.25 | 'a'", "k=2 | 2 | 'b'", NULL}},
    {"rev",
     true,
     NULL,
     3,
     {{"x", "INTEGER", 2, true}, {"y", "", 0, false}, {"z", "TEXT", 1, true}},
     2,
     {2, 0},
     3,
     {"z='a', x=9 | 9 | 'r' | 'a'", "z='m', x=1 | 1 | 'q' | 'm'", "z='m', x=2 | 2 | 'p' | 'm'",
      NULL}},
    {"rk",
     true,
     NULL,
     2,
     {{"k", "REAL", 1, true}, {"v", "", 0, false}},
     1,
     {0},
     3,
     {"k=-1 | -1 | 'y'", "k=2.5 | 2.5 | 'x'", "k=10 | 10 | 'z'", NULL}},
    {"seq",
     false,
     "rowid",
     2,
     {{"id", "INTEGER", 1, false}, {"x", "", 0, false}},
     1,
     {0},
     2,
     {"id=1 | 1 | 'p'", "id=2 | 2 | 'q'", NULL}},
    {"shadowy",
     false,
     "_rowid_",
     2,
     {{"rowid", "TEXT", 0, false}, {"x", "", 0, false}},
     0,
     {0},
     2,
     {"rowid=1 | 'r9' | 1", "rowid=2 | 'r8' | 2", NULL}},
    {"shadowy2",
     false,
     "oid",
     3,
     {{"rowid", "TEXT", 0, false}, {"_ROWID_", "TEXT", 0, false}, {"x", "", 0, false}},
     0,
     {0},
     1,
     {"rowid=1 | 'a' | 'b' | 1", NULL}},
    {"sqlitex", false, "rowid", 1, {{"a", "", 0, false}}, 0, {0}, 1, {"rowid=1 | 1", NULL}},
    {"tk",
     false,
     "rowid",
     2,
     {{"name", "TEXT", 1, false}, {"v", "", 0, false}},
     1,
     {0},
     3,
     {"name='b' | 'b' | 1", "rowid=2 | NULL | 2", "name='a' | 'a' | 3", NULL}},
    {"w\"q %d",
     false,
     "rowid",
     2,
     {{"id", "INTEGER", 1, false}, {"c\"q", "TEXT", 0, false}},
     1,
     {0},
     1,
     {"id=1 | 1 | 'x'", NULL}},
};

#define NMAIN (sizeof main_tables / sizeof *main_tables)

static const struct {
    const char *name, *kind;
} main_skipped[] = {
    {"docs", "virtual"}, /* its shadow tables with it: see below */
    {"trg_items", "trigger"},
    {"v_items", "view"},
};

static size_t nrows(const struct wanttable *w)
{
    size_t n = 0;
    while (w->rows[n] != NULL)
        n++;
    return n;
}

static void open_ok(struct reader *r, const char *path)
{
    struct error err;
    error_clear(&err);
    int rc = reader_open(r, path, &err);
    cr_assert_eq(rc, 0, "reader_open %s: %s", path, err.msg);
}

/* ---- collecting rows ------------------------------------------------------ */

struct rowset {
    size_t n;
    struct buf key[16];  /* reader_key_encode */
    struct buf text[16]; /* reader_key, then " | " and each value */
};

static void render_row(const struct reader *r, sqlite3_stmt *row, struct buf *out)
{
    cr_assert_eq(reader_key(r, row, out), 0);
    for (size_t c = 0; c < r->cur->ncols; c++) {
        cr_assert_eq(buf_puts(out, " | "), 0);
        struct xform_src v;
        reader_row_value(row, c, &v);
        cr_assert_eq(val_render(out, &v, 1000), 0);
    }
}

static void rows_free(struct rowset *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        buf_free(&rs->key[i]);
        buf_free(&rs->text[i]);
    }
    rs->n = 0;
}

static void rows_collect(struct reader *r, size_t t, const void *after, size_t alen,
                         struct rowset *rs)
{
    struct error err;
    error_clear(&err);
    rs->n = 0;
    cr_assert_eq(reader_table_begin(r, t, after, alen, &err), 0, "begin %s: %s", r->tables[t].name,
                 err.msg);
    int s;
    while ((s = reader_next(r, &err)) == 1) {
        cr_assert_lt(rs->n, 16);
        buf_init(&rs->key[rs->n], BUF_CAP_ROW);
        buf_init(&rs->text[rs->n], BUF_CAP_ROW);
        cr_assert_eq(reader_key_encode(r, &rs->key[rs->n]), 0);
        render_row(r, reader_row(r), &rs->text[rs->n]);
        /* reader_value is the same value as the row's column */
        for (size_t c = 0; c < r->tables[t].ncols; c++) {
            struct xform_src v;
            sqlite3_stmt *row = reader_row(r);
            reader_value(r, c, &v);
            int type = sqlite3_column_type(row, (int)c);
            cr_assert_eq(v.type, type);
            if (type == SQLITE_INTEGER)
                cr_assert_eq(v.i, sqlite3_column_int64(row, (int)c));
            else if (type == SQLITE_FLOAT)
                cr_assert(memcmp(&v.d, &(double){sqlite3_column_double(row, (int)c)}, sizeof v.d) ==
                          0);
            else if (type != SQLITE_NULL)
                cr_assert(v.n == (size_t)sqlite3_column_bytes(row, (int)c) &&
                          (v.n == 0 || memcmp(v.p,
                                              type == SQLITE_BLOB
                                                  ? sqlite3_column_blob(row, (int)c)
                                                  : (const void *)sqlite3_column_text(row, (int)c),
                                              v.n) == 0));
        }
        rs->n++;
    }
    cr_assert_eq(s, 0, "read %s: %s", r->tables[t].name, err.msg);
}

/* ---- tests ---------------------------------------------------------------- */

Test(reader, open_lists_tables_and_skipped_objects_exactly)
{
    char path[256];
    make_main(path, sizeof path);
    struct reader r;
    open_ok(&r, path);
    cr_expect_str_eq(r.path, path);
    cr_assert_eq(r.ntables, NMAIN, "tables: want %zu, got %zu", NMAIN, r.ntables);
    size_t failed = 0;
    for (size_t i = 0; i < NMAIN; i++) {
        const struct wanttable *w = &main_tables[i];
        const struct reader_table *t = &r.tables[i];
        bool ok = strcmp(t->name, w->name) == 0 && t->without_rowid == w->without_rowid &&
                  strcmp(S(t->rowid_alias), S(w->rowid_alias)) == 0 && t->ncols == w->ncols &&
                  t->npk == w->npk;
        for (size_t c = 0; ok && c < w->ncols; c++)
            ok = strcmp(t->cols[c].name, w->cols[c].name) == 0 &&
                 strcmp(t->cols[c].decl_type, w->cols[c].decl) == 0 &&
                 t->cols[c].pk == w->cols[c].pk && t->cols[c].notnull == w->cols[c].notnull;
        for (size_t k = 0; ok && k < w->npk; k++)
            ok = t->pk_cols[k] == w->pk_cols[k];
        if (!ok) {
            failed++;
            cr_expect(ok,
                      "table %zu: want %s without_rowid=%d alias=%s ncols=%zu npk=%zu, got %s "
                      "without_rowid=%d alias=%s ncols=%zu npk=%zu (or a column/pk_cols differs)",
                      i, w->name, w->without_rowid, S(w->rowid_alias), w->ncols, w->npk, t->name,
                      t->without_rowid, S(t->rowid_alias), t->ncols, t->npk);
        }
    }
    cr_expect_eq(failed, 0);
    /* without FTS5 (not compiled in) only the trigger and the view remain */
    bool fts = have_fts5();
    size_t nall = sizeof main_skipped / sizeof *main_skipped, nskip = 0, want[16];
    for (size_t i = 0; i < nall; i++)
        if (fts || strncmp(main_skipped[i].name, "docs", 4) != 0)
            want[nskip++] = i;
    cr_assert_eq(r.nskipped, nskip, "skipped: want %zu, got %zu", nskip, r.nskipped);
    for (size_t i = 0; i < nskip; i++) {
        cr_expect_str_eq(r.skipped[i].name, main_skipped[want[i]].name, "skipped %zu", i);
        cr_expect_str_eq(r.skipped[i].kind, main_skipped[want[i]].kind, "skipped %zu (%s)", i,
                         main_skipped[want[i]].name);
    }
    if (fts) /* a virtual table and its shadow tables are said once */
        cr_expect_str_eq(r.skipped[0].why,
                         "a virtual table of module fts5, with its shadow tables docs_config, "
                         "docs_content, docs_data, docs_docsize, docs_idx: MySQL has no such "
                         "table; the application must recreate it (see README, \"Schema creation "
                         "mode\")");
    reader_close(&r);
    cr_expect_eq(r.db, NULL);
    cr_expect_eq(r.ntables, 0);
}

Test(reader, scan_order_keys_and_counts_of_every_table_kind)
{
    char path[256];
    make_main(path, sizeof path);
    struct reader r;
    open_ok(&r, path);
    cr_assert_eq(r.ntables, NMAIN);
    for (size_t t = 0; t < NMAIN; t++) {
        const struct wanttable *w = &main_tables[t];
        struct rowset rs;
        rows_collect(&r, t, NULL, 0, &rs);
        cr_expect_eq(rs.n, nrows(w), "table %s: want %zu rows, got %zu", w->name, nrows(w), rs.n);
        for (size_t i = 0; i < rs.n && i < nrows(w); i++)
            cr_expect_str_eq(rs.text[i].data, w->rows[i], "table %s row %zu", w->name, i);
        rows_free(&rs);
        struct error err;
        error_clear(&err);
        cr_expect_eq(reader_count(&r, t, &err), w->count, "count of %s (%s)", w->name, err.msg);
    }
    reader_close(&r);
}

Test(reader, key_encoding_forms)
{
    char path[256];
    make_main(path, sizeof path);
    struct reader r;
    open_ok(&r, path);
    /* items (index 1), first row id=-2: 'R' + rowid big-endian */
    struct rowset rs;
    rows_collect(&r, 1, NULL, 0, &rs);
    static const char want_items[] = "R\xff\xff\xff\xff\xff\xff\xff\xfe";
    cr_assert_eq(rs.key[0].len, 9);
    cr_expect_eq(memcmp(rs.key[0].data, want_items, 9), 0, "rowid key of id=-2");
    rows_free(&rs);
    /* blobkey (index 0), row a='b', b=7: 'K', TEXT 1 byte "b", INTEGER 7 */
    rows_collect(&r, 0, NULL, 0, &rs);
    static const char want_blob[] = "K\x03\x00\x00\x00\x01"
                                    "b\x01\x00\x00\x00\x00\x00\x00\x00\x07";
    cr_assert_eq(rs.key[2].len, sizeof want_blob - 1);
    cr_expect_eq(memcmp(rs.key[2].data, want_blob, sizeof want_blob - 1), 0, "key a='b', b=7");
    /* a='x', b=X'00FF': TEXT "x", BLOB 00 FF */
    static const char want_x[] = "K\x03\x00\x00\x00\x01x\x04\x00\x00\x00\x02\x00\xff";
    cr_assert_eq(rs.key[7].len, sizeof want_x - 1);
    cr_expect_eq(memcmp(rs.key[7].data, want_x, sizeof want_x - 1), 0, "key a='x', b=X'00FF'");
    rows_free(&rs);
    /* rk (index 5), k=-1 in a REAL key: FLOAT type byte and the bits of -1.0 */
    rows_collect(&r, 5, NULL, 0, &rs);
    static const char want_real[] = "K\x02\xbf\xf0\x00\x00\x00\x00\x00\x00";
    cr_assert_eq(rs.key[0].len, 10);
    cr_expect_eq(memcmp(rs.key[0].data, want_real, 10), 0, "key k=-1 (REAL)");
    rows_free(&rs);
    reader_close(&r);
}

/* For every row k of every table of r, resumes after row k's key and checks
 * that exactly rows k+1.. follow; also looks every row up by its key. Returns
 * the number of mismatches (each reported). */
static size_t check_resume_everywhere(struct reader *r)
{
    size_t failed = 0;
    for (size_t t = 0; t < r->ntables; t++) {
        struct rowset all;
        rows_collect(r, t, NULL, 0, &all);
        cr_assert_gt(all.n, 0, "table %s has rows", r->tables[t].name);
        for (size_t k = 0; k < all.n; k++) {
            struct rowset rest;
            rows_collect(r, t, all.key[k].data, all.key[k].len, &rest);
            bool ok = rest.n == all.n - k - 1;
            for (size_t i = 0; ok && i < rest.n; i++)
                ok = strcmp(rest.text[i].data, all.text[k + 1 + i].data) == 0 &&
                     rest.key[i].len == all.key[k + 1 + i].len &&
                     memcmp(rest.key[i].data, all.key[k + 1 + i].data, rest.key[i].len) == 0;
            if (!ok) {
                failed++;
                cr_expect(ok, "table %s: after row %zu (%s) want %zu rows starting %s, got %zu: %s",
                          r->tables[t].name, k, all.text[k].data, all.n - k - 1,
                          k + 1 < all.n ? all.text[k + 1].data : "-", rest.n,
                          rest.n ? rest.text[0].data : "-");
            }
            rows_free(&rest);
        }
        rows_free(&all);
    }
    return failed;
}

Test(reader, resume_after_every_key_returns_exactly_the_rest)
{
    char path[256];
    make_main(path, sizeof path);
    struct reader r;
    open_ok(&r, path);
    cr_expect_eq(check_resume_everywhere(&r), 0);
    reader_close(&r);
}

Test(reader, resume_in_a_utf16_file_with_nocase_and_desc_keys)
{
    char path[256];
    make_db(path, sizeof path, "utf16.db",
            "PRAGMA encoding = 'UTF-16le';"
            "CREATE TABLE k(t TEXT PRIMARY KEY, v) WITHOUT ROWID;"
            "INSERT INTO k VALUES ('a', 1), ('z', 2), ('\xc3\xa9', 3), ('\xef\xbc\xa1', 4),"
            " ('\xf0\x9f\x98\x80', 5), ('\xe6\x97\xa5\xe6\x9c\xac', 6), ('', 7);"
            "CREATE TABLE nc(t TEXT COLLATE NOCASE PRIMARY KEY, v) WITHOUT ROWID;"
            "INSERT INTO nc VALUES ('b', 1), ('A', 2), ('c', 3), ('D', 4);"
            "CREATE TABLE d(a INT, b TEXT, PRIMARY KEY (a DESC, b)) WITHOUT ROWID;"
            "INSERT INTO d VALUES (1, 'x'), (2, 'y'), (1, 'w'), (3, 'v');"
            "CREATE TABLE r(id INTEGER PRIMARY KEY, s TEXT);"
            "INSERT INTO r VALUES (7, '\xc3\xa9t\xc3\xa9');");
    struct reader r;
    open_ok(&r, path);
    cr_assert_eq(r.ntables, 4);
    cr_expect_eq(check_resume_everywhere(&r), 0);
    struct error err;
    error_clear(&err);
    cr_expect_eq(reader_count(&r, 1, &err), 7);
    /* text comes back as UTF-8: the NOCASE table in NOCASE order */
    struct rowset rs;
    rows_collect(&r, 2, NULL, 0, &rs);
    static const char *const want_nc[] = {"t='A' | 'A' | 2", "t='b' | 'b' | 1", "t='c' | 'c' | 3",
                                          "t='D' | 'D' | 4"};
    cr_assert_eq(rs.n, 4);
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(rs.text[i].data, want_nc[i], "nc row %zu", i);
    rows_free(&rs);
    rows_collect(&r, 3, NULL, 0, &rs);
    cr_assert_eq(rs.n, 1);
    cr_expect_str_eq(rs.text[0].data, "id=7 | 7 | '\xc3\xa9t\xc3\xa9'");
    rows_free(&rs);
    reader_close(&r);
}

Test(reader, lookup_returns_the_row_of_each_encoded_key)
{
    char path[256];
    make_main(path, sizeof path);
    struct reader r;
    open_ok(&r, path);
    for (size_t t = 0; t < r.ntables; t++) {
        struct rowset all;
        rows_collect(&r, t, NULL, 0, &all);
        for (size_t k = 0; k < all.n; k++) {
            struct error err;
            error_clear(&err);
            sqlite3_stmt *row = reader_lookup(&r, t, all.key[k].data, all.key[k].len, &err);
            cr_assert(row != NULL, "lookup %s row %zu: %s", r.tables[t].name, k, err.msg);
            cr_expect_eq(row, r.lookup);
            struct buf got;
            buf_init(&got, BUF_CAP_ROW);
            render_row(&r, row, &got);
            cr_expect_str_eq(got.data, all.text[k].data, "lookup in %s", r.tables[t].name);
            buf_free(&got);
        }
        rows_free(&all);
    }
    reader_close(&r);
}

Test(reader, lookup_and_resume_reject_foreign_or_absent_keys)
{
    char path[256];
    make_main(path, sizeof path);
    struct reader r;
    open_ok(&r, path);
    char want[1024];
    struct error err;
    /* a rowid key for the WITHOUT ROWID table blobkey (0) */
    static const char rowkey[] = "R\x00\x00\x00\x00\x00\x00\x00\x01";
    error_clear(&err);
    cr_expect_eq(reader_table_begin(&r, 0, rowkey, 9, &err), -1);
    snprintf(want, sizeof want,
             "%s: table blobkey: the checkpoint's last key does not match this table's key", path);
    cr_expect_str_eq(err.msg, want);
    /* a composite key for the rowid table items (1) */
    static const char kkey[] = "K\x01\x00\x00\x00\x00\x00\x00\x00\x05";
    error_clear(&err);
    cr_expect_eq(reader_table_begin(&r, 1, kkey, sizeof kkey - 1, &err), -1);
    snprintf(want, sizeof want,
             "%s: table items: the checkpoint's last key does not match this table's key", path);
    cr_expect_str_eq(err.msg, want);
    /* truncated blob key */
    error_clear(&err);
    cr_expect_eq(reader_table_begin(&r, 0, "K\x03\x00\x00\x00\x05x", 7, &err), -1);
    /* lookups: absent rowid 999 in items, foreign key form, absent composite key */
    static const char absent[] = "R\x00\x00\x00\x00\x00\x00\x03\xe7";
    error_clear(&err);
    cr_expect_eq(reader_lookup(&r, 1, absent, 9, &err), NULL);
    snprintf(want, sizeof want, "%s: table items: a rejected row cannot be read back by its key",
             path);
    cr_expect_str_eq(err.msg, want);
    cr_expect_eq(r.lookup, NULL);
    error_clear(&err);
    cr_expect_eq(reader_lookup(&r, 0, rowkey, 9, &err), NULL);
    static const char nokey[] = "K\x03\x00\x00\x00\x01q\x04\x00\x00\x00\x00";
    error_clear(&err);
    cr_expect_eq(reader_lookup(&r, 0, nokey, sizeof nokey - 1, &err), NULL);
    snprintf(want, sizeof want, "%s: table blobkey: a rejected row cannot be read back by its key",
             path);
    cr_expect_str_eq(err.msg, want);
    reader_close(&r);
}

Test(reader, begin_by_pk_orders_by_declared_key_then_rowid)
{
    char path[256];
    make_main(path, sizeof path);
    struct reader r;
    open_ok(&r, path);
    static const struct {
        size_t t;
        const char *rows[8];
    } cases[] = {
        {3, {"k=1.25 | 1.25 | 'a'", "k=2 | 2 | 'b'", "k=3.5 | 3.5 | 'c'", NULL}},
        {2, {"rowid=1 | 'a' | 1", "rowid=3 | 'c' | 3", "rowid=4 | 'd' | 4.5", NULL}},
        {4,
         {"z='a', x=9 | 9 | 'r' | 'a'", "z='m', x=1 | 1 | 'q' | 'm'", "z='m', x=2 | 2 | 'p' | 'm'",
          NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct error err;
        error_clear(&err);
        cr_assert_eq(reader_table_begin_by_pk(&r, cases[i].t, &err), 0, "%s", err.msg);
        size_t n = 0;
        int s;
        while ((s = reader_next(&r, &err)) == 1) {
            struct buf got;
            buf_init(&got, BUF_CAP_ROW);
            render_row(&r, reader_row(&r), &got);
            cr_assert(cases[i].rows[n] != NULL, "%s: extra row %s", r.tables[cases[i].t].name,
                      got.data);
            cr_expect_str_eq(got.data, cases[i].rows[n], "%s row %zu", r.tables[cases[i].t].name,
                             n);
            buf_free(&got);
            n++;
        }
        cr_expect_eq(s, 0);
        cr_expect_eq(cases[i].rows[n], NULL, "%s: missing rows", r.tables[cases[i].t].name);
    }
    reader_close(&r);
}

Test(reader, table_with_rowid_oid_and__rowid__columns_is_refused)
{
    char path[256], want[512];
    make_db(path, sizeof path, "all3.db",
            "CREATE TABLE t(rowid, _rowid_, OID); INSERT INTO t "
            "VALUES (1, 2, 3);");
    struct reader r;
    struct error err;
    error_clear(&err);
    cr_expect_eq(reader_open(&r, path, &err), -1);
    snprintf(want, sizeof want,
             "%s: table \"t\" has columns named rowid, _rowid_ and oid; its rowid cannot be read",
             path);
    cr_expect_str_eq(err.msg, want);
    reader_close(&r);
}

Test(reader, empty_file_has_no_tables)
{
    char path[256];
    path_in_dir(path, sizeof path, "empty.db");
    write_file(path, "", 0);
    struct reader r;
    open_ok(&r, path);
    cr_expect_eq(r.ntables, 0);
    cr_expect_eq(r.nskipped, 0);
    struct error err;
    error_clear(&err);
    cr_expect_eq(reader_check(&r, &err), 0, "%s", err.msg);
    reader_close(&r);
}

Test(reader, files_that_are_not_databases)
{
    static const struct {
        const char *name;
        const char *data;
        size_t n;
        const char *want; /* substring after "PATH: " */
    } cases[] = {
        {"short text", "hello\n", 6, "file is not a database"},
        {"csv text",
         "id,name\n1,alpha\n2,beta\n3,gamma\n4,delta\n5,epsilon\n6,zeta\n7,eta\n8,theta\n9,"
         "iota\n10,kappa\n11,lambda\n12,mu\n",
         102, "file is not a database"},
        {"100 zero bytes",
         "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
         "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
         "\0\0\0\0\0\0\0\0\0\0\0\0",
         100, "file is not a database"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[256];
        path_in_dir(path, sizeof path, "notdb.txt");
        write_file(path, cases[i].data, cases[i].n);
        struct reader r;
        struct error err;
        error_clear(&err);
        cr_expect_eq(reader_open(&r, path, &err), -1, "case %s", cases[i].name);
        size_t pl = strlen(path);
        cr_expect(strncmp(err.msg, path, pl) == 0 && strncmp(err.msg + pl, ": ", 2) == 0,
                  "case %s: error names the file: %s", cases[i].name, err.msg);
        cr_expect(strstr(err.msg, cases[i].want) != NULL, "case %s: want \"%s\" in: %s",
                  cases[i].name, cases[i].want, err.msg);
        reader_close(&r);
        unlink(path);
    }
    /* a missing file */
    char path[256];
    path_in_dir(path, sizeof path, "missing.db");
    struct reader r;
    struct error err;
    error_clear(&err);
    cr_expect_eq(reader_open(&r, path, &err), -1);
    cr_expect(strncmp(err.msg, path, strlen(path)) == 0, "error names the file: %s", err.msg);
    cr_expect(strstr(err.msg, "unable to open database file") != NULL, "%s", err.msg);
    reader_close(&r);
    struct stat st;
    cr_expect_neq(stat(path, &st), 0, "a read-only open must not create the file");
}

Test(reader, check_passes_on_a_good_file_and_fails_on_overwritten_pages)
{
    char good[256], bad[256];
    make_db(good, sizeof good, "big.db",
            "PRAGMA page_size = 4096;"
            "CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT);"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
            " INSERT INTO t SELECT i, printf('%0200d', i) FROM n;");
    struct stat st;
    cr_assert_eq(stat(good, &st), 0);
    cr_assert_gt(st.st_size, 20 * 4096, "the fixture spans many pages");
    struct reader r;
    struct error err;
    open_ok(&r, good);
    error_clear(&err);
    cr_expect_eq(reader_check(&r, &err), 0, "%s", err.msg);
    cr_expect_eq(reader_count(&r, 0, &err), 3000);
    reader_close(&r);

    /* copy, then overwrite pages 3 .. 12 with garbage */
    path_in_dir(bad, sizeof bad, "bad.db");
    FILE *in = fopen(good, "rb");
    cr_assert(in != NULL);
    char *data = malloc((size_t)st.st_size);
    cr_assert_eq(fread(data, 1, (size_t)st.st_size, in), (size_t)st.st_size);
    fclose(in);
    unsigned x = 12345;
    for (size_t i = 2 * 4096; i < 12 * 4096; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (char)(x >> 16);
    }
    write_file(bad, data, (size_t)st.st_size);
    free(data);

    open_ok(&r, bad);
    cr_assert_eq(r.ntables, 1);
    error_clear(&err);
    cr_expect_eq(reader_check(&r, &err), -1);
    char want[512];
    struct error cerr;
    error_clear(&cerr);
    cr_expect_eq(reader_count(&r, 0, &cerr), -1, "counting a corrupt table fails");
    cr_expect(strncmp(cerr.msg, bad, strlen(bad)) == 0 && strstr(cerr.msg, "malformed") != NULL,
              "count error names the file and the problem: %s", cerr.msg);
    snprintf(want, sizeof want, "%s: file is corrupt: ", bad);
    cr_expect(strncmp(err.msg, want, strlen(want)) == 0, "want prefix \"%s\", got: %s", want,
              err.msg);
    cr_expect(strchr(err.msg, '\n') == NULL, "the message is one line: %s", err.msg);
    reader_close(&r);
}

/* Declared types give columns an affinity, which takes part in comparisons:
 * the count, min and max must still cover exactly the numbers stored. */
Test(reader, numeric_ranges_under_column_affinities)
{
    char path[256];
    make_db(path, sizeof path, "affinity.db",
            "CREATE TABLE d(t TEXT, dt DATETIME, i INTEGER, r REAL, b BLOB);"
            "INSERT INTO d VALUES (5, 1600000000, 3, 2.5, 7);"
            "INSERT INTO d VALUES ('x', '2023-01-01', 'abc', 'z', 'w');"
            "INSERT INTO d VALUES (NULL, 1.5e9, '', '', x'00');"
            "INSERT INTO d VALUES ('', '', -2, NULL, -8.5);");
    struct reader r;
    open_ok(&r, path);
    size_t cols[5] = {0, 1, 2, 3, 4};
    long long n[5], want_n[5] = {0, 2, 2, 1, 2};
    double mn[5], mx[5], want_min[5] = {0, 1.5e9, -2, 2.5, -8.5},
                         want_max[5] = {0, 1.6e9, 3, 2.5, 7};
    struct error err;
    error_clear(&err);
    cr_assert_eq(reader_numeric_ranges(&r, 0, cols, 5, NULL, n, mn, mx, &err), 0, "%s", err.msg);
    for (size_t c = 0; c < 5; c++) {
        cr_expect_eq(n[c], want_n[c], "column %s: n %lld", r.tables[0].cols[c].name, n[c]);
        if (want_n[c] > 0) {
            cr_expect_eq(mn[c], want_min[c], "column %s: min %g", r.tables[0].cols[c].name, mn[c]);
            cr_expect_eq(mx[c], want_max[c], "column %s: max %g", r.tables[0].cols[c].name, mx[c]);
        }
    }
    reader_close(&r);
}

static int cmp_bytes(void *ctx, int na, const void *a, int nb, const void *b)
{
    (void)ctx;
    int c = memcmp(a, b, (size_t)(na < nb ? na : nb));
    return c != 0 ? c : na - nb;
}

/* Creates dir/name with the collation LOCALIZED registered as cmp (as an
 * application would) and runs sql in it. */
static void make_db_localized(char *path, size_t n, const char *name,
                              int (*cmp)(void *, int, const void *, int, const void *),
                              const char *sql)
{
    path_in_dir(path, n, name);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_create_collation(db, "LOCALIZED", SQLITE_UTF8, NULL, cmp), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
}

static int cmp_reversed(void *ctx, int na, const void *a, int nb, const void *b)
{
    return -cmp_bytes(ctx, na, a, nb, b);
}

/* A column declared with a collation the application registered (Android's
 * LOCALIZED, say), which litelift does not have: its numbers are still read. */
Test(reader, numeric_ranges_under_an_unknown_collation)
{
    char path[256];
    make_db_localized(path, sizeof path, "collation.db", cmp_bytes,
                      "CREATE TABLE l(id INTEGER PRIMARY KEY, at DATETIME COLLATE LOCALIZED); "
                      "INSERT INTO l VALUES (1, 1600000000), (2, 'x'), (3, 1500000000.5)");
    struct reader r;
    open_ok(&r, path);
    size_t cols[1] = {1};
    long long n;
    double mn, mx;
    struct error err;
    error_clear(&err);
    cr_assert_eq(reader_numeric_ranges(&r, 0, cols, 1, NULL, &n, &mn, &mx, &err), 0, "%s", err.msg);
    cr_expect_eq(n, 2);
    cr_expect_eq(mn, 1500000000.5);
    cr_expect_eq(mx, 1600000000);
    reader_close(&r);
}

/* A WITHOUT ROWID table keyed under an application's collation (here one that
 * orders backwards, so its index is the reverse of BINARY): the reader stands
 * in for the collation and reads, resumes and looks rows up in BINARY order,
 * never skipping or repeating a row. */
Test(reader, key_under_an_unknown_collation_reads_in_binary_order)
{
    char path[256];
    make_db_localized(path, sizeof path, "reversed.db", cmp_reversed,
                      "CREATE TABLE w(k TEXT COLLATE LOCALIZED PRIMARY KEY, v INTEGER) WITHOUT "
                      "ROWID; INSERT INTO w VALUES ('b', 2), ('d', 4), ('a', 1), ('e', 5), "
                      "('c', 3)");
    struct reader r;
    open_ok(&r, path);
    cr_assert(r.tables[0].binary_key);
    struct rowset all, rest;
    rows_collect(&r, 0, NULL, 0, &all);
    cr_assert_eq(all.n, 5);
    static const char *const want[] = {"k='a' | 'a' | 1", "k='b' | 'b' | 2", "k='c' | 'c' | 3",
                                       "k='d' | 'd' | 4", "k='e' | 'e' | 5"};
    for (size_t i = 0; i < 5; i++)
        cr_expect_str_eq(all.text[i].data, want[i]);
    rows_collect(&r, 0, all.key[1].data, all.key[1].len, &rest); /* after 'b' */
    cr_assert_eq(rest.n, 3);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(rest.text[i].data, want[i + 2]);
    struct error err;
    error_clear(&err);
    sqlite3_stmt *row = reader_lookup(&r, 0, all.key[3].data, all.key[3].len, &err);
    cr_assert(row != NULL, "%s", err.msg);
    cr_expect_eq(sqlite3_column_int(row, 1), 4);
    rows_free(&all);
    rows_free(&rest);
    reader_close(&r);
}

/* One reader_numeric_ranges call over columns cols[0..k) of a first table,
 * and the n, min and max (where n > 0) it must give. */
struct range_case {
    const char *name;
    size_t k;
    size_t cols[4];
    long long n[4];
    double min[4], max[4];
};

static void expect_ranges(struct reader *r, const struct range_case *rc, const double *stop)
{
    long long n[4] = {-1, -1, -1, -1};
    double mn[4] = {99, 99, 99, 99}, mx[4] = {99, 99, 99, 99};
    struct error err;
    error_clear(&err);
    cr_assert_eq(reader_numeric_ranges(r, 0, rc->cols, rc->k, stop, n, mn, mx, &err), 0,
                 "case %s: %s", rc->name, err.msg);
    for (size_t c = 0; c < rc->k; c++) {
        cr_expect_eq(n[c], rc->n[c], "case %s col %zu: n %lld", rc->name, c, n[c]);
        if (rc->n[c] > 0) {
            cr_expect_eq(mn[c], rc->min[c], "case %s col %zu: min %g", rc->name, c, mn[c]);
            cr_expect_eq(mx[c], rc->max[c], "case %s col %zu: max %g", rc->name, c, mx[c]);
        }
    }
}

Test(reader, numeric_ranges_count_only_integers_and_reals)
{
    char path[256];
    make_db(path, sizeof path, "mixed.db",
            "CREATE TABLE m(a, b, c, \"we\"\"ird\");"
            "INSERT INTO m VALUES (1, 'x', NULL, 5);"
            "INSERT INTO m VALUES (2.5, 10, NULL, '6');"
            "INSERT INTO m VALUES ('7', -3, 'text', x'07');"
            "INSERT INTO m VALUES (x'01', 4.25, NULL, -1e300);"
            "INSERT INTO m VALUES (-4, NULL, 'y', 1e300);");
    struct reader r;
    open_ok(&r, path);
    cr_assert_eq(r.ntables, 1);
    cr_assert_str_eq(r.tables[0].cols[3].name, "we\"ird");
    static const struct range_case cases[] = {
        {"all four", 4, {0, 1, 2, 3}, {3, 3, 0, 3}, {-4, -3, 0, -1e300}, {2.5, 10, 0, 1e300}},
        {"reordered subset", 2, {3, 0}, {3, 3}, {-1e300, -4}, {1e300, 2.5}},
        {"only text and NULL", 1, {2}, {0}, {0}, {0}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_ranges(&r, &cases[i], NULL);
    reader_close(&r);
}

/* With a stop range, the scan ends once every column has had a number
 * inside it: the figures cover the rows up to there (rowid order here), and
 * a column that never has one is read to the end. */
Test(reader, numeric_ranges_stop_once_every_column_had_a_number_in_range)
{
    static const char rows[] = "CREATE TABLE s(id INTEGER PRIMARY KEY, a, b);"
                               "INSERT INTO s VALUES (1, 5, 'x'), (2, 150, 7), (3, 120, 300),"
                               " (4, 1e6, -1), (5, 200, 400);";
    static const double stop[2] = {100, 250};
    char path[256];
    struct reader r;
    make_db(path, sizeof path, "stop.db", rows);
    open_ok(&r, path);
    static const struct range_case cases[] = {
        {"a alone: stops at row 2", 1, {1}, {2}, {5}, {150}},
        {"b never in range: to the end", 1, {2}, {4}, {-1}, {400}},
        {"both: b keeps it going", 2, {1, 2}, {5, 4}, {5, -1}, {1e6, 400}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_ranges(&r, &cases[i], stop);
    static const double early[2] = {1, 10};
    size_t both[2] = {1, 2};
    long long n[2];
    double mn[2], mx[2];
    struct error err;
    error_clear(&err);
    cr_assert_eq(reader_numeric_ranges(&r, 0, both, 2, early, n, mn, mx, &err), 0, "%s", err.msg);
    cr_expect_eq(n[0], 2, "a had 5 in row 1, b 7 in row 2: two rows read");
    cr_expect_eq(n[1], 1);
    cr_expect_eq(mx[0], 150);
    reader_close(&r);
}

Test(reader, wal_rows_are_read_and_the_snapshot_does_not_move)
{
    char path[256];
    path_in_dir(path, sizeof path, "wal.db");
    sqlite3 *w = NULL;
    cr_assert_eq(sqlite3_open(path, &w), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(w,
                          "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;"
                          "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);"
                          "INSERT INTO t VALUES (1, 'main'), (2, 'main');"
                          "PRAGMA wal_checkpoint(TRUNCATE);"
                          "INSERT INTO t VALUES (3, 'wal'), (4, 'wal');"
                          "UPDATE t SET v = 'main+wal' WHERE id = 1;",
                          NULL, NULL, &msg);
    cr_assert_eq(rc, SQLITE_OK, "%s", S(msg));
    char walpath[300];
    snprintf(walpath, sizeof walpath, "%s-wal", path);
    struct stat st;
    cr_assert_eq(stat(walpath, &st), 0);
    cr_assert_gt(st.st_size, 0, "the last rows live only in the -wal file");

    /* the main file alone holds only the checkpointed rows */
    char copy[256];
    path_in_dir(copy, sizeof copy, "mainonly.db");
    {
        FILE *in = fopen(path, "rb");
        cr_assert(in != NULL);
        char data[65536];
        size_t n = fread(data, 1, sizeof data, in);
        fclose(in);
        write_file(copy, data, n);
        struct reader c;
        open_ok(&c, copy);
        struct error err;
        error_clear(&err);
        cr_expect_eq(reader_count(&c, 0, &err), 2, "main file without its WAL: %s", err.msg);
        reader_close(&c);
    }

    struct reader r;
    open_ok(&r, path);
    cr_assert_eq(r.ntables, 1);
    struct rowset rs;
    rows_collect(&r, 0, NULL, 0, &rs);
    static const char *const want[] = {"id=1 | 1 | 'main+wal'", "id=2 | 2 | 'main'",
                                       "id=3 | 3 | 'wal'", "id=4 | 4 | 'wal'"};
    cr_expect_eq(rs.n, 4);
    for (size_t i = 0; i < rs.n && i < 4; i++)
        cr_expect_str_eq(rs.text[i].data, want[i], "row %zu", i);
    rows_free(&rs);

    /* a write after the open is not seen: the snapshot is the open's */
    rc = sqlite3_exec(w, "INSERT INTO t VALUES (5, 'later'); DELETE FROM t WHERE id = 2;", NULL,
                      NULL, &msg);
    cr_assert_eq(rc, SQLITE_OK, "%s", S(msg));
    struct error err;
    error_clear(&err);
    cr_expect_eq(reader_count(&r, 0, &err), 4, "%s", err.msg);
    rows_collect(&r, 0, NULL, 0, &rs);
    cr_expect_eq(rs.n, 4);
    for (size_t i = 0; i < rs.n && i < 4; i++)
        cr_expect_str_eq(rs.text[i].data, want[i], "row %zu after a concurrent write", i);
    rows_free(&rs);
    reader_close(&r);

    /* a new reader sees the new state */
    open_ok(&r, path);
    error_clear(&err);
    cr_expect_eq(reader_count(&r, 0, &err), 4, "%s", err.msg);
    rows_collect(&r, 0, NULL, 0, &rs);
    cr_expect_eq(rs.n, 4);
    if (rs.n == 4)
        cr_expect_str_eq(rs.text[3].data, "id=5 | 5 | 'later'");
    rows_free(&rs);
    reader_close(&r);
    sqlite3_close(w);
}

Test(reader, quote_ident_doubles_quotes)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"t", "\"t\""},           {"a\"b", "\"a\"\"b\""},   {"", "\"\""},
        {"\"\"", "\"\"\"\"\"\""}, {"sp ace", "\"sp ace\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct buf b;
        buf_init(&b, BUF_CAP_ROW);
        cr_assert_eq(reader_quote_ident(&b, cases[i].in), 0);
        cr_expect_str_eq(b.data, cases[i].want, "quote %s", cases[i].in);
        buf_free(&b);
    }
}

/* Generated columns are read as the values SQLite computes, and marked. */
Test(reader, generated_columns_are_read_and_marked)
{
    char path[256];
    make_db(path, sizeof path, "generated.db",
            "CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b INT GENERATED ALWAYS AS (a * 2) "
            "STORED, c TEXT GENERATED ALWAYS AS ('x' || a) VIRTUAL);"
            "INSERT INTO t(id, a) VALUES (1, 5);");
    struct reader r;
    open_ok(&r, path);
    cr_assert_eq(r.ntables, 1);
    const struct reader_table *t = &r.tables[0];
    cr_assert_eq(t->ncols, 4);
    static const char *const names[] = {"id", "a", "b", "c"};
    static const bool generated[] = {false, false, true, true};
    for (size_t c = 0; c < 4; c++) {
        cr_expect_str_eq(t->cols[c].name, names[c]);
        cr_expect_eq(t->cols[c].generated, generated[c], "column %s", names[c]);
    }
    struct rowset rs;
    rows_collect(&r, 0, NULL, 0, &rs);
    cr_assert_eq(rs.n, 1);
    cr_expect_str_eq(rs.text[0].data, "id=1 | 1 | 5 | 10 | 'x5'");
    rows_free(&rs);
    reader_close(&r);
}

static void triple(sqlite3_context *ctx, int n, sqlite3_value **v)
{
    (void)n;
    sqlite3_result_int64(ctx, 3 * sqlite3_value_int64(v[0]));
}

/* A VIRTUAL generated column whose expression calls a function only the
 * file's application has cannot be computed here: it is left out and listed
 * as skipped with SQLite's reason; a STORED one is read as stored. */
Test(reader, generated_column_of_an_unknown_function_is_skipped)
{
    char path[256];
    path_in_dir(path, sizeof path, "appfn.db");
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_create_function(db, "triple", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                         triple, NULL, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db,
                              "CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, v INT AS (triple(a)) "
                              "VIRTUAL, s INT AS (triple(a)) STORED); INSERT INTO t(id, a) VALUES "
                              "(1, 2)",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    struct reader r;
    open_ok(&r, path);
    cr_assert_eq(r.tables[0].ncols, 3);
    cr_expect_str_eq(r.tables[0].cols[2].name, "s");
    cr_assert_eq(r.nskipped, 1);
    cr_expect_str_eq(r.skipped[0].name, "t.v");
    cr_expect_str_eq(r.skipped[0].kind, "generated column");
    cr_expect(strstr(r.skipped[0].why, "triple") != NULL, "%s", r.skipped[0].why);
    reader_close(&r);
}

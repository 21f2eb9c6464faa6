/* Unit tests of the catalogue queries of an open reader (src/reader_meta.h):
 * a table's indexes and foreign keys as plain structs, and the child rows
 * whose key has no parent row of the very same value and type, read from a
 * real SQLite file in a scratch directory. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader_meta.h"
#include "tmpdir.h"

static char dir[64];
static char path[128];
static struct reader r;

static const char *const schema =
    "CREATE TABLE parent(a TEXT, b INT, u TEXT UNIQUE, PRIMARY KEY (a, b));"
    "CREATE TABLE child(id INTEGER PRIMARY KEY, pa TEXT, pb INT, x INT,"
    "  FOREIGN KEY (pa, pb) REFERENCES parent(a, b), FOREIGN KEY (x) REFERENCES gone);"
    "CREATE INDEX c_expr ON child(x + 1, pa);"
    "CREATE INDEX c_part ON child(pb) WHERE pb > 0;"
    "CREATE UNIQUE INDEX c_u ON child(pa, id);"
    "CREATE TABLE kid(id INTEGER PRIMARY KEY, pa TEXT, pb INT REFERENCES parent);"
    "INSERT INTO parent VALUES ('k', 1, 'u1'), ('K', 2, 'u2');"
    /* matches; a NULL (not checked); 1 as a blob (another type); 'k'/2 (no such
     * pair); 'K' under another case (bytewise different) */
    "INSERT INTO child VALUES (1, 'k', 1, NULL), (2, NULL, 5, NULL), (3, 'k', x'31', 7),"
    "  (4, 'k', 2, 8), (5, 'k ', 1, NULL);";

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "/tmp/litelift-meta-XXXXXX");
    snprintf(path, sizeof path, "%s/m.db", dir);
    sqlite3 *db = NULL;
    char *msg = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, schema, NULL, NULL, &msg), SQLITE_OK, "%s", msg ? msg : "");
    sqlite3_close(db);
    struct error err;
    error_clear(&err);
    cr_assert_eq(reader_open(&r, path, &err), 0, "%s", err.msg);
}

static void teardown(void)
{
    reader_close(&r);
    tmpdir_remove(dir);
}

static size_t table(const char *name)
{
    for (size_t t = 0; t < r.ntables; t++)
        if (strcmp(r.tables[t].name, name) == 0)
            return t;
    cr_assert_fail("no table %s", name);
    return 0;
}

/* The indexes as text: "name:unique,primary,partial(col,col) ", "?" for an
 * expression. */
static void indexes_text(const char *tname, char *out, size_t size)
{
    struct reader_index *v;
    size_t n, len = 0;
    struct error err;
    error_clear(&err);
    cr_assert_eq(reader_meta_indexes(&r, table(tname), &v, &n, &err), 0, "%s", err.msg);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(out + len, size - len, "%s:%d%d%d(", v[i].name, v[i].unique,
                                v[i].primary, v[i].partial);
        for (size_t c = 0; c < v[i].ncols; c++)
            len += (size_t)snprintf(out + len, size - len, "%s%s", c ? "," : "",
                                    v[i].cols[c] ? v[i].cols[c] : "?");
        len += (size_t)snprintf(out + len, size - len, ") ");
    }
    reader_meta_indexes_free(v, n);
}

Test(reader_meta, indexes, .init = setup, .fini = teardown)
{
    static const struct {
        const char *table, *indexes;
    } cases[] = {
        {"parent", "sqlite_autoindex_parent_1:100(u) sqlite_autoindex_parent_2:110(a,b) "},
        {"child", "c_expr:000(?,pa) c_part:001(pb) c_u:100(pa,id) "},
        {"kid", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[512];
        indexes_text(cases[i].table, text, sizeof text);
        cr_expect_str_eq(text, cases[i].indexes, "table %s", cases[i].table);
    }
}

/* The foreign keys as text: "ref(col>refcol,...) ", "*" for the referenced
 * primary key. */
static void fks_text(const char *tname, char *out, size_t size)
{
    struct reader_fk *v;
    size_t n, len = 0;
    struct error err;
    error_clear(&err);
    cr_assert_eq(reader_meta_foreign_keys(&r, table(tname), &v, &n, &err), 0, "%s", err.msg);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(out + len, size - len, "%s(", v[i].ref);
        for (size_t c = 0; c < v[i].n; c++)
            len += (size_t)snprintf(out + len, size - len, "%s%s>%s", c ? "," : "", v[i].cols[c],
                                    v[i].refcols[c] ? v[i].refcols[c] : "*");
        len += (size_t)snprintf(out + len, size - len, ") ");
        reader_meta_fk_free(&v[i]);
    }
    free(v);
}

Test(reader_meta, foreign_keys, .init = setup, .fini = teardown)
{
    static const struct {
        const char *table, *fks;
    } cases[] = {
        {"parent", ""},
        {"child", "gone(x>*) parent(pa>a,pb>b) "},
        {"kid", "parent(pb>*) "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[512];
        fks_text(cases[i].table, text, sizeof text);
        cr_expect_str_eq(text, cases[i].fks, "table %s", cases[i].table);
    }
}

Test(reader_meta, orphans, .init = setup, .fini = teardown)
{
    struct reader_fk *v;
    size_t n;
    struct error err;
    error_clear(&err);
    cr_assert_eq(reader_meta_foreign_keys(&r, table("child"), &v, &n, &err), 0, "%s", err.msg);
    cr_assert_eq(n, 2);
    for (size_t i = 0; i < n; i++) {
        long long orphans = reader_meta_orphans(&r, table("child"), &v[i]);
        if (strcmp(v[i].ref, "parent") == 0) /* rows 3, 4 and 5 */
            cr_expect_eq(orphans, 3, "parent: %lld", orphans);
        else /* no table gone: every row with an x */
            cr_expect_eq(orphans, 2, "gone: %lld", orphans);
        reader_meta_fk_free(&v[i]);
    }
    free(v);
}

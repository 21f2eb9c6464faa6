/* reader_meta: indexes, foreign keys and orphan rows of an open reader's
 * tables, read from SQLite's catalogue pragmas (see reader_meta.h). */
#include "reader_meta.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <strings.h>

#include "srcfile.h"

/* Appends a copy of s (NULL stays NULL) to the n-entry array *v. Returns 0,
 * or -1 when out of memory (*v unchanged but possibly moved). */
static int push_name(char ***v, size_t *n, const unsigned char *s)
{
    char **g = realloc(*v, (*n + 1) * sizeof *g);
    if (g == NULL)
        return -1;
    *v = g;
    g[*n] = s != NULL ? strdup((const char *)s) : NULL;
    if (s != NULL && g[*n] == NULL)
        return -1;
    (*n)++;
    return 0;
}

/* Runs select, the quoted name of table t and tail as one query (a pragma
 * table of t) and calls row(st, ctx) with each row, stopping when it fails
 * (out of memory). Returns 0, or -1 with err naming the file and what was
 * read. */
static int pragma_rows(struct reader *r, size_t t, const char *select, const char *tail,
                       const char *what, int (*row)(sqlite3_stmt *st, void *ctx), void *ctx,
                       struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (buf_puts(&sql, select) || reader_quote_ident(&sql, r->tables[t].name) ||
        buf_puts(&sql, tail)) {
        error_oom(err);
        goto out;
    }
    if (sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        error_set(err, "%s: reading %s: %s", r->path, what, sqlite3_errmsg(r->db));
        goto out;
    }
    while (sqlite3_step(st) == SQLITE_ROW)
        if (row(st, ctx) != 0) {
            error_oom(err);
            goto out;
        }
    rc = 0;
out:
    sqlite3_finalize(st);
    buf_free(&sql);
    return rc;
}

void reader_meta_indexes_free(struct reader_index *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < v[i].ncols; c++)
            free(v[i].cols[c]);
        free(v[i].cols);
        free(v[i].name);
    }
    free(v);
}

/* Reads the columns of index ix through info (pragma_index_info(?)).
 * Returns 0 or -1 when out of memory. */
static int index_columns(sqlite3_stmt *info, struct reader_index *ix)
{
    sqlite3_reset(info);
    if (sqlite3_bind_text(info, 1, ix->name, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return -1;
    while (sqlite3_step(info) == SQLITE_ROW)
        if (push_name(&ix->cols, &ix->ncols, sqlite3_column_text(info, 0)) != 0)
            return -1;
    return 0;
}

/* The indexes read so far, and the statement that reads their columns. */
struct index_list {
    sqlite3_stmt *info; /* pragma_index_info(?) */
    struct reader_index *v;
    size_t n;
};

/* pragma_rows' row: appends the index of the current row of list
 * (pragma_index_list) to the index_list ctx. Returns 0 or -1 when out of
 * memory. */
static int add_index(sqlite3_stmt *list, void *ctx)
{
    struct index_list *l = ctx;
    struct reader_index *g = realloc(l->v, (l->n + 1) * sizeof *g);
    if (g == NULL)
        return -1;
    l->v = g;
    struct reader_index *ix = &g[l->n++];
    memset(ix, 0, sizeof *ix);
    const unsigned char *origin = sqlite3_column_text(list, 2);
    ix->unique = sqlite3_column_int(list, 1) != 0;
    ix->primary = origin != NULL && strcmp((const char *)origin, "pk") == 0;
    ix->partial = sqlite3_column_int(list, 3) != 0;
    if ((ix->name = strdup((const char *)sqlite3_column_text(list, 0))) == NULL)
        return -1;
    return index_columns(l->info, ix);
}

int reader_meta_indexes(struct reader *r, size_t t, struct reader_index **out, size_t *n,
                        struct error *err)
{
    struct index_list l = {NULL, NULL, 0};
    if (sqlite3_prepare_v2(r->db, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", -1,
                           &l.info, NULL) != SQLITE_OK) {
        sqlite3_finalize(l.info);
        return error_set(err, "%s: reading indexes: %s", r->path, sqlite3_errmsg(r->db));
    }
    int rc = pragma_rows(r, t, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(",
                         ") ORDER BY name", "indexes", add_index, &l, err);
    sqlite3_finalize(l.info);
    if (rc != 0) {
        reader_meta_indexes_free(l.v, l.n);
        return -1;
    }
    *out = l.v;
    *n = l.n;
    return 0;
}

void reader_meta_fk_free(struct reader_fk *fk)
{
    for (size_t c = 0; c < fk->n; c++) {
        free(fk->cols[c]);
        free(fk->refcols[c]);
    }
    free(fk->cols);
    free(fk->refcols);
    free(fk->ref);
    memset(fk, 0, sizeof *fk);
}

/* The foreign keys read so far, and the id of the last. */
struct fk_list {
    struct reader_fk *v;
    size_t n;
    int cur;
};

/* pragma_rows' row: adds the current row of st (id, table, from, to of
 * pragma_foreign_key_list) to the fk_list ctx: a new key when its id differs
 * from the last one's. Returns 0 or -1 when out of memory. */
static int add_fk_row(sqlite3_stmt *st, void *ctx)
{
    struct fk_list *l = ctx;
    if (l->n == 0 || sqlite3_column_int(st, 0) != l->cur) {
        struct reader_fk *g = realloc(l->v, (l->n + 1) * sizeof *g);
        if (g == NULL)
            return -1;
        l->v = g;
        memset(&g[l->n], 0, sizeof *g);
        if ((g[l->n++].ref = strdup((const char *)sqlite3_column_text(st, 1))) == NULL)
            return -1;
        l->cur = sqlite3_column_int(st, 0);
    }
    struct reader_fk *fk = &l->v[l->n - 1];
    size_t nc = fk->n, nr = fk->n;
    bool ok = push_name(&fk->cols, &nc, sqlite3_column_text(st, 2)) == 0;
    ok = push_name(&fk->refcols, &nr, sqlite3_column_text(st, 3)) == 0 && ok;
    if (ok) {
        fk->n++;
        return 0;
    }
    if (nc > fk->n) /* one of the pair went in: dropped */
        free(fk->cols[fk->n]);
    if (nr > fk->n)
        free(fk->refcols[fk->n]);
    return -1;
}

int reader_meta_foreign_keys(struct reader *r, size_t t, struct reader_fk **out, size_t *n,
                             struct error *err)
{
    struct fk_list l = {NULL, 0, -1};
    if (pragma_rows(r, t, "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(",
                    ") ORDER BY id, seq", "foreign keys", add_fk_row, &l, err) != 0) {
        for (size_t k = 0; k < l.n; k++)
            reader_meta_fk_free(&l.v[k]);
        free(l.v);
        return -1;
    }
    *out = l.v;
    *n = l.n;
    return 0;
}

/* The pieces of reader_meta_orphans' query, one entry per key column. */
struct orphan_sql {
    struct buf notnull;  /* " AND c.a IS NOT NULL ..." */
    struct buf child;    /* "c.a COLLATE BINARY, typeof(c.a), ..." */
    struct buf keys;     /* "p.x COLLATE BINARY, typeof(p.x), ..." */
    struct buf pnotnull; /* " AND p.x IS NOT NULL ..." */
    struct buf col;      /* scratch: one quoted name */
};

/* Fills the pieces for fk against parent (NULL: not in the file). Returns 0,
 * or -1 (out of memory, or a referenced column the parent lacks). */
static int orphan_pieces(const struct reader_fk *fk, const struct reader_table *parent,
                         struct orphan_sql *q)
{
    int bad = 0;
    for (size_t k = 0; k < fk->n; k++) {
        const char *to = !parent           ? NULL
                         : fk->refcols[k]  ? fk->refcols[k]
                         : k < parent->npk ? parent->cols[parent->pk_cols[k]].name
                                           : NULL;
        buf_reset(&q->col);
        bad |= reader_quote_ident(&q->col, fk->cols[k]) |
               buf_printf(&q->notnull, " AND c.%s IS NOT NULL", q->col.data) |
               buf_printf(&q->child, "%sc.%s COLLATE BINARY, typeof(c.%s)", k ? ", " : "",
                          q->col.data, q->col.data);
        if (parent != NULL) {
            buf_reset(&q->col);
            bad |= to == NULL || reader_quote_ident(&q->col, to) ||
                   buf_printf(&q->keys, "%sp.%s COLLATE BINARY, typeof(p.%s)", k ? ", " : "",
                              q->col.data, q->col.data) ||
                   buf_printf(&q->pnotnull, " AND p.%s IS NOT NULL", q->col.data);
        }
    }
    return bad ? -1 : 0;
}

long long reader_meta_orphans(struct reader *r, size_t t, const struct reader_fk *fk)
{
    const struct reader_table *parent = NULL;
    for (size_t i = 0; i < r->ntables && parent == NULL; i++)
        if (strcasecmp(r->tables[i].name, fk->ref) == 0)
            parent = &r->tables[i];
    struct orphan_sql p;
    struct buf q;
    struct buf *all[] = {&p.notnull, &p.child, &p.keys, &p.pnotnull, &p.col, &q};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++)
        buf_init(all[k], BUF_CAP_SQL);
    /* (c.a, typeof(c.a), ...) NOT IN (SELECT p.x, typeof(p.x), ... FROM parent
     * WHERE p.x IS NOT NULL ...): SQLite answers it through one temporary
     * BINARY index, whatever collation the parent's own index has */
    int bad = orphan_pieces(fk, parent, &p);
    bad |= buf_puts(&q, "SELECT count(*) FROM main.") | reader_quote_ident(&q, r->tables[t].name) |
           buf_puts(&q, " AS c WHERE 1") | buf_append(&q, p.notnull.data, p.notnull.len);
    if (parent != NULL)
        bad |= buf_printf(&q, " AND (%s) NOT IN (SELECT %s FROM main.", p.child.data, p.keys.data) |
               reader_quote_ident(&q, parent->name) | buf_puts(&q, " AS p WHERE 1") |
               buf_append(&q, p.pnotnull.data, p.pnotnull.len) | buf_putc(&q, ')');
    long long n = 0;
    sqlite3_stmt *st = NULL;
    if (!bad && sqlite3_prepare_v2(r->db, q.data, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    for (size_t k = 0; k < sizeof all / sizeof *all; k++)
        buf_free(all[k]);
    return n;
}

int reader_meta_schema_state(sqlite3 *db, const char *path, long long *page_count,
                             unsigned long *crc_out, struct error *err)
{
    sqlite3_stmt *q = NULL;
    uLong crc = crc32(0L, Z_NULL, 0);
    int rc = -1, s;
    if (sqlite3_prepare_v2(db,
                           "SELECT type, name, ifnull(sql, '') FROM sqlite_schema ORDER BY name",
                           -1, &q, NULL) != SQLITE_OK)
        goto out;
    while ((s = sqlite3_step(q)) == SQLITE_ROW)
        for (int c = 0; c < 3; c++)
            crc = crc32(crc, sqlite3_column_text(q, c), (uInt)sqlite3_column_bytes(q, c) + 1);
    if (s != SQLITE_DONE)
        goto out;
    sqlite3_finalize(q);
    q = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA main.page_count", -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW)
        goto out;
    *page_count = sqlite3_column_int64(q, 0);
    *crc_out = crc;
    rc = 0;
out:
    if (rc != 0)
        error_set(err, "%s: fingerprint: %s", path, sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return rc;
}

int reader_meta_schema_state_now(const char *path, long long *page_count, unsigned long *crc,
                                 struct error *err)
{
    sqlite3 *db = NULL;
    int rc = -1;
    char *uri = NULL; /* see reader_open */
    if (srcfile_check(path, err) != 0 || srcfile_readonly_wal(path, &uri, err) < 0)
        return -1;
    int open_rc = sqlite3_open_v2(
        uri != NULL ? uri : path, &db,
        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | (uri != NULL ? SQLITE_OPEN_URI : 0), NULL);
    free(uri);
    if (open_rc != SQLITE_OK)
        error_set(err, "%s: cannot open: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
    else {
        sqlite3_busy_timeout(db, 10000); /* wait out a writer's lock instead of failing */
        if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
            error_set(err, "%s: cannot begin read transaction: %s", path, sqlite3_errmsg(db));
        else
            rc = reader_meta_schema_state(db, path, page_count, crc, err);
    }
    sqlite3_close_v2(db); /* ends the read transaction too */
    return rc;
}

/* Whether name matches one of the n globs. */
static bool matches_any(const char *name, const char *const *globs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fnmatch(globs[i], name, 0) == 0)
            return true;
    return false;
}

int reader_meta_select(struct reader *r, const char *const *only, size_t nonly,
                       const char *const *except, size_t nexcept)
{
    size_t kept = 0;
    int rc = 0;
    for (size_t i = 0; i < r->ntables; i++) {
        struct reader_table *t = &r->tables[i];
        if ((nonly == 0 || matches_any(t->name, only, nonly)) &&
            !matches_any(t->name, except, nexcept)) {
            r->tables[kept++] = *t;
            continue;
        }
        if (rc == 0)
            rc = reader_skip(r, t->name, "excluded table",
                             nonly > 0 && !matches_any(t->name, only, nonly)
                                 ? "matches no --tables pattern"
                                 : "matches an --exclude-tables pattern");
        reader_table_free(t);
    }
    r->ntables = kept;
    return rc;
}

long long reader_meta_rows(struct reader *r, size_t t, bool *estimated)
{
    sqlite3_stmt *st = NULL;
    long long n = -1;
    struct error ignored;
    /* an index's first number counts its rows: the largest is the table's
     * (a partial index counts fewer) */
    if (sqlite3_prepare_v2(
            r->db, "SELECT max(CAST(stat AS INTEGER)) FROM main.sqlite_stat1 WHERE tbl = ?1", -1,
            &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, r->tables[t].name, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    *estimated = n >= 0;
    return n >= 0 ? n : reader_count(r, t, &ignored);
}

long long reader_meta_sequence(struct reader *r, size_t t)
{
    sqlite3_stmt *st = NULL;
    long long seq = 0;
    if (sqlite3_prepare_v2(r->db, "SELECT max(seq) FROM main.sqlite_sequence WHERE name = ?1", -1,
                           &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, r->tables[t].name, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        seq = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return seq;
}

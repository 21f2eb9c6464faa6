/* reader: consistent-snapshot streaming of SQLite tables (see reader.h). */
#include "reader.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader_key.h"
#include "reader_sql.h"
#include "srcfile.h"

const char *reader_library_version(void)
{
    return sqlite3_libversion();
}

int reader_quote_ident(struct buf *b, const char *name)
{
    if (buf_putc(b, '"') != 0)
        return -1;
    for (const char *p = name; *p; p++)
        if ((*p == '"' && buf_putc(b, '"') != 0) || buf_putc(b, *p) != 0)
            return -1;
    return buf_putc(b, '"');
}

int reader_error(struct reader *r, struct error *err, const char *what)
{
    return error_set(err, "%s: %s: %s (SQLite error %d)", r->path, what, sqlite3_errmsg(r->db),
                     sqlite3_extended_errcode(r->db));
}

void reader_table_free(struct reader_table *t)
{
    for (size_t c = 0; c < t->ncols; c++) {
        free(t->cols[c].name);
        free(t->cols[c].decl_type);
        free(t->cols[c].dflt);
    }
    free(t->cols);
    free(t->pk_cols);
    free(t->name);
    free(t->rowid_alias);
}

static char *dupstr(const unsigned char *s)
{
    return strdup(s != NULL ? (const char *)s : "");
}

int reader_skip(struct reader *r, const char *name, const char *kind, const char *why)
{
    struct reader_skipped *v = realloc(r->skipped, (r->nskipped + 1) * sizeof *v);
    if (v == NULL)
        return -1;
    r->skipped = v;
    v[r->nskipped].name = strdup(name);
    v[r->nskipped].kind = strdup(kind);
    v[r->nskipped].why = strdup(why);
    r->nskipped++;
    return 0;
}

/* Whether the generated column col of t can be read: SQLite computes a
 * VIRTUAL one when it is read, and its expression may call a function only
 * the file's application has. If not, it is listed as skipped. Returns 1, 0,
 * or -1 (out of memory). */
static int generated_readable(struct reader *r, const struct reader_table *t, const char *col)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    sqlite3_stmt *st = NULL;
    int rc = buf_puts(&sql, "SELECT ") || reader_quote_ident(&sql, col) ||
                     buf_puts(&sql, " FROM main.") || reader_quote_ident(&sql, t->name)
                 ? -1
                 : 1;
    if (rc == 1 && sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        buf_reset(&sql);
        rc = buf_printf(&sql, "%s.%s", t->name, col) != 0 ||
                     reader_skip(r, sql.data, "generated column", sqlite3_errmsg(r->db)) != 0
                 ? -1
                 : 0;
    }
    sqlite3_finalize(st);
    buf_free(&sql);
    return rc;
}

/* Appends the primary-key column list of tb, "a,b", each under COLLATE BINARY
 * when the key's own collation is a stand-in. Returns 0 or -1. */
static int key_list(struct buf *b, const struct reader_table *tb)
{
    int bad = 0;
    for (size_t k = 0; k < tb->npk; k++)
        bad |= (k ? buf_putc(b, ',') : 0) | reader_quote_ident(b, tb->cols[tb->pk_cols[k]].name) |
               (tb->binary_key ? buf_puts(b, " COLLATE BINARY") : 0);
    return bad;
}

/* Sets t->binary_key when t is WITHOUT ROWID and a column of its key index
 * uses a collation SQLite does not build in (see collation_needed). */
static int check_key_collation(struct reader *r, struct reader_table *t, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (buf_puts(&sql, "SELECT count(*) FROM pragma_index_list(") ||
        reader_quote_ident(&sql, t->name) ||
        buf_puts(&sql, ") l, pragma_index_xinfo(l.name) x WHERE l.origin = 'pk' AND x.key AND "
                       "upper(x.coll) NOT IN ('BINARY', 'NOCASE', 'RTRIM')"))
        rc = error_oom(err);
    else if (sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL) != SQLITE_OK ||
             sqlite3_step(st) != SQLITE_ROW)
        rc = reader_error(r, err, "cannot read the key's collation");
    else
        t->binary_key = sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    buf_free(&sql);
    return rc;
}

/* Appends the column of t described by the current row of PRAGMA
 * table_xinfo (st), unless it is a hidden column of a virtual table or a
 * generated one that cannot be read. Returns 0 or -1 (out of memory). */
static int add_column(struct reader *r, struct reader_table *t, sqlite3_stmt *st, size_t *cap)
{
    int hidden = sqlite3_column_int(st, 6); /* 2, 3: generated (virtual, stored) */
    if (hidden == 1)
        return 0;
    int readable =
        hidden == 2 ? generated_readable(r, t, (const char *)sqlite3_column_text(st, 1)) : 1;
    if (readable <= 0)
        return readable;
    if (t->ncols == *cap) {
        size_t n = *cap ? 2 * *cap : 8;
        struct reader_column *v = realloc(t->cols, n * sizeof *v);
        if (v == NULL)
            return -1;
        t->cols = v;
        *cap = n;
    }
    struct reader_column *c = &t->cols[t->ncols++];
    c->name = dupstr(sqlite3_column_text(st, 1));
    c->decl_type = dupstr(sqlite3_column_text(st, 2));
    c->notnull = sqlite3_column_int(st, 3) != 0;
    c->dflt = sqlite3_column_type(st, 4) == SQLITE_NULL
                  ? NULL
                  : strdup((const char *)sqlite3_column_text(st, 4));
    c->pk = sqlite3_column_int(st, 5);
    c->generated = hidden == 2 || hidden == 3;
    if (c->name == NULL || c->decl_type == NULL)
        return -1;
    if (c->pk > 0)
        t->npk++;
    return 0;
}

/* Fills t->pk_cols from the columns' key positions. Returns 0 or -1. */
static int index_key(struct reader_table *t)
{
    t->pk_cols = calloc(t->npk ? t->npk : 1, sizeof *t->pk_cols);
    if (t->pk_cols == NULL)
        return -1;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].pk > 0 && (size_t)t->cols[i].pk <= t->npk)
            t->pk_cols[t->cols[i].pk - 1] = i;
    return 0;
}

/* Sets the name by which the rowid of the rowid table t can be selected: the
 * first of rowid, _rowid_ and oid that no column takes. Returns 0 or -1. */
static int choose_rowid_alias(struct reader *r, struct reader_table *t, struct error *err)
{
    static const char *const aliases[] = {"rowid", "_rowid_", "oid"};
    for (size_t a = 0; a < 3 && t->rowid_alias == NULL; a++) {
        size_t i;
        for (i = 0; i < t->ncols; i++)
            if (strcasecmp(t->cols[i].name, aliases[a]) == 0)
                break;
        if (i == t->ncols && (t->rowid_alias = strdup(aliases[a])) == NULL)
            return error_oom(err);
    }
    if (t->rowid_alias == NULL)
        return error_set(err,
                         "%s: table \"%s\" has columns named rowid, _rowid_ and oid; its rowid "
                         "cannot be read",
                         r->path, t->name);
    return 0;
}

/* Fills t's columns and key description from PRAGMA table_xinfo: the
 * declared columns and the generated ones (not a virtual table's hidden
 * ones). Returns 0 or -1. */
static int load_columns(struct reader *r, struct reader_table *t, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (buf_puts(&sql, "PRAGMA main.table_xinfo(") || reader_quote_ident(&sql, t->name) ||
        buf_putc(&sql, ')')) {
        error_oom(err);
        goto out;
    }
    if (sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        reader_error(r, err, "cannot read columns");
        goto out;
    }
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (add_column(r, t, st, &cap) != 0) {
            error_oom(err);
            goto out;
        }
    if (s != SQLITE_DONE) {
        reader_error(r, err, "cannot read columns");
        goto out;
    }
    if (index_key(t) != 0) {
        error_oom(err);
        goto out;
    }
    if (t->without_rowid ? check_key_collation(r, t, err) != 0 : choose_rowid_alias(r, t, err) != 0)
        goto out;
    rc = 0;
out:
    sqlite3_finalize(st);
    buf_free(&sql);
    return rc;
}

/* A collation the file names but this process does not have (an application
 * registered it: Android's LOCALIZED, say). litelift never relies on another
 * order than the rowid's or BINARY, so a bytewise stand-in lets the file be
 * checked and read; what it orders is not used. */
static int stand_in_compare(void *ctx, int na, const void *a, int nb, const void *b)
{
    (void)ctx;
    int c = memcmp(a, b, (size_t)(na < nb ? na : nb));
    return c != 0 ? c : (na > nb) - (na < nb);
}

static void collation_needed(void *ctx, sqlite3 *db, int encoding, const char *name)
{
    (void)ctx;
    (void)encoding;
    /* SQLite asks for its own ones too, in a UTF-16 file: it has them */
    if (strcasecmp(name, "BINARY") != 0 && strcasecmp(name, "NOCASE") != 0 &&
        strcasecmp(name, "RTRIM") != 0)
        sqlite3_create_collation(db, name, SQLITE_UTF8, NULL, stand_in_compare);
}

int reader_open(struct reader *r, const char *path, struct error *err)
{
    memset(r, 0, sizeof *r);
    sqlite3_stmt *st = NULL;
    int rc = -1;
    r->path = strdup(path);
    if (r->path == NULL)
        return error_oom(err);
    char *uri = NULL; /* a WAL-mode file in a directory we cannot write: read as immutable */
    if (srcfile_check(path, err) != 0 || srcfile_readonly_wal(path, &uri, err) < 0)
        return -1;
    int open_rc = sqlite3_open_v2(
        uri != NULL ? uri : path, &r->db,
        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | (uri != NULL ? SQLITE_OPEN_URI : 0), NULL);
    free(uri);
    if (open_rc != SQLITE_OK)
        return reader_error(r, err, "cannot open");
    sqlite3_extended_result_codes(r->db, 1);
    sqlite3_busy_timeout(r->db, 10000); /* wait out a writer's lock instead of failing */
    sqlite3_collation_needed(r->db, NULL, collation_needed);
    if (sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return reader_error(r, err, "cannot begin read transaction");
    /* The first read starts the snapshot; everything below and every table
     * scan later sees the same state of the file. */
    static const char list_sql[] =
        "SELECT name, type, wr FROM pragma_table_list "
        "WHERE schema = 'main' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "UNION ALL SELECT name, type, 0 FROM sqlite_schema WHERE type = 'trigger' "
        "ORDER BY 1";
    if (sqlite3_prepare_v2(r->db, list_sql, -1, &st, NULL) != SQLITE_OK) {
        reader_error(r, err, "cannot read schema");
        goto out;
    }
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *name = sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        if (strcmp(type, "table") != 0) {
            if (reader_skip(r, (const char *)name, type, "not a table") != 0) {
                error_oom(err);
                goto out;
            }
            continue;
        }
        if (r->ntables == cap) {
            cap = cap ? 2 * cap : 8;
            struct reader_table *v = realloc(r->tables, cap * sizeof *v);
            if (v == NULL) {
                error_oom(err);
                goto out;
            }
            r->tables = v;
        }
        struct reader_table *t = &r->tables[r->ntables++];
        memset(t, 0, sizeof *t);
        t->name = dupstr(name);
        t->without_rowid = sqlite3_column_int(st, 2) != 0;
        if (t->name == NULL) {
            error_oom(err);
            goto out;
        }
    }
    if (s != SQLITE_DONE) {
        reader_error(r, err, "cannot read schema");
        goto out;
    }
    if (reader_sql_fold_shadows(r) != 0) { /* a virtual table and its shadows: said once */
        error_oom(err);
        goto out;
    }
    for (size_t i = 0; i < r->ntables; i++)
        if (load_columns(r, &r->tables[i], err) != 0)
            goto out;
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

int reader_check(struct reader *r, struct error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(r->db, "PRAGMA main.quick_check(1)", -1, &st, NULL) != SQLITE_OK) {
        reader_error(r, err, "integrity check failed");
        goto out;
    }
    int s = sqlite3_step(st);
    if (s != SQLITE_ROW) {
        reader_error(r, err, "integrity check failed");
        goto out;
    }
    const char *res = (const char *)sqlite3_column_text(st, 0);
    if (res == NULL || strcmp(res, "ok") != 0) {
        char *said = strdup(res ? res : "(nothing)"); /* its lines, joined by spaces */
        for (char *p = said; said != NULL && (p = strchr(p, '\n')) != NULL;)
            *p = ' ';
        error_set(err, "%s: file is corrupt: PRAGMA quick_check says: %s", r->path,
                  said ? said : "(out of memory)");
        free(said);
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

/* Appends "SELECT c1,c2,...[,rowid] FROM main.t" for table tb. */
static int select_list(struct buf *sql, const struct reader_table *tb)
{
    int bad = buf_puts(sql, "SELECT ");
    for (size_t i = 0; i < tb->ncols; i++)
        bad |= (i ? buf_putc(sql, ',') : 0) | reader_quote_ident(sql, tb->cols[i].name);
    if (tb->rowid_alias != NULL)
        bad |= (tb->ncols ? buf_putc(sql, ',') : 0) | buf_puts(sql, tb->rowid_alias);
    return bad | buf_puts(sql, " FROM main.") | reader_quote_ident(sql, tb->name);
}

sqlite3_stmt *reader_row(const struct reader *r)
{
    return r->stmt;
}

sqlite3_stmt *reader_lookup(struct reader *r, size_t t, const void *key, size_t len,
                            struct error *err)
{
    const struct reader_table *tb = &r->tables[t];
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    sqlite3_finalize(r->lookup);
    r->lookup = NULL;
    int bad = select_list(&sql, tb) | buf_puts(&sql, " WHERE (");
    if (tb->rowid_alias != NULL) {
        bad |= buf_puts(&sql, tb->rowid_alias) | buf_puts(&sql, ") = (?)");
    } else {
        bad |= key_list(&sql, tb) | buf_puts(&sql, ") = (");
        for (size_t k = 0; k < tb->npk; k++)
            bad |= buf_puts(&sql, k ? ",?" : "?");
        bad |= buf_putc(&sql, ')');
    }
    sqlite3_stmt *st = NULL;
    if (bad) {
        error_oom(err);
    } else if (sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        reader_error(r, err, "cannot look a row up");
    } else if (reader_key_bind(st, tb, key, len) != 0 || sqlite3_step(st) != SQLITE_ROW) {
        error_set(err, "%s: table %s: a rejected row cannot be read back by its key", r->path,
                  tb->name);
        sqlite3_finalize(st);
        st = NULL;
    }
    buf_free(&sql);
    r->lookup = st;
    return st;
}

int reader_table_begin_by_pk(struct reader *r, size_t t, struct error *err)
{
    const struct reader_table *tb = &r->tables[t];
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    sqlite3_finalize(r->stmt);
    r->stmt = NULL;
    r->cur = tb;
    int bad = select_list(&sql, tb) | buf_puts(&sql, " ORDER BY ");
    for (size_t k = 0; k < tb->npk; k++)
        bad |= reader_quote_ident(&sql, tb->cols[tb->pk_cols[k]].name) |
               buf_puts(&sql, " COLLATE BINARY, ");
    bad |= buf_puts(&sql, tb->rowid_alias ? tb->rowid_alias : "1");
    int rc = 0;
    if (bad)
        rc = error_oom(err);
    else if (sqlite3_prepare_v2(r->db, sql.data, -1, &r->stmt, NULL) != SQLITE_OK)
        rc = reader_error(r, err, "cannot read table");
    buf_free(&sql);
    return rc;
}

/* Appends " (order) <op> (?,...)" with one parameter per key part. */
static int key_compare(struct buf *sql, const struct reader_table *tb, const struct buf *order,
                       const char *op)
{
    int bad = buf_puts(sql, " (") | buf_append(sql, order->data, order->len) | buf_puts(sql, ") ") |
              buf_puts(sql, op) | buf_puts(sql, " (");
    for (size_t k = 0; k < (tb->rowid_alias ? 1 : tb->npk); k++)
        bad |= buf_puts(sql, k ? ",?" : "?");
    return bad | buf_putc(sql, ')');
}

int reader_table_begin(struct reader *r, size_t t, const void *after, size_t after_len,
                       struct error *err)
{
    return reader_table_range(r, t, after, after_len, NULL, 0, err);
}

int reader_table_range(struct reader *r, size_t t, const void *after, size_t after_len,
                       const void *upto, size_t upto_len, struct error *err)
{
    const struct reader_table *tb = &r->tables[t];
    struct buf sql, order;
    buf_init(&sql, BUF_CAP_SQL);
    buf_init(&order, BUF_CAP_SQL);
    int rc = -1;
    sqlite3_finalize(r->stmt);
    r->stmt = NULL;
    r->cur = tb;
    int bad = select_list(&sql, tb);
    if (tb->rowid_alias != NULL)
        bad |= buf_puts(&order, tb->rowid_alias);
    else
        bad |= key_list(&order, tb);
    if (after != NULL)
        bad |= buf_puts(&sql, " WHERE") | key_compare(&sql, tb, &order, ">");
    if (upto != NULL)
        bad |=
            buf_puts(&sql, after != NULL ? " AND" : " WHERE") | key_compare(&sql, tb, &order, "<=");
    bad |= buf_puts(&sql, " ORDER BY ") | buf_append(&sql, order.data, order.len);
    if (bad) {
        error_oom(err);
        goto out;
    }
    if (sqlite3_prepare_v2(r->db, sql.data, -1, &r->stmt, NULL) != SQLITE_OK) {
        reader_error(r, err, "cannot read table");
        error_prefix_table(err, tb->name);
        goto out;
    }
    int nkey = tb->rowid_alias ? 1 : (int)tb->npk;
    if ((after != NULL && reader_key_bind(r->stmt, tb, after, after_len) != 0) ||
        (upto != NULL &&
         reader_key_bind_at(r->stmt, tb, upto, upto_len, after != NULL ? nkey + 1 : 1) != 0)) {
        error_set(err, "%s: table %s: the checkpoint's last key does not match this table's key",
                  r->path, tb->name);
        goto out;
    }
    rc = 0;
out:
    buf_free(&sql);
    buf_free(&order);
    return rc;
}

int reader_next(struct reader *r, struct error *err)
{
    int s = sqlite3_step(r->stmt);
    if (s == SQLITE_ROW)
        return 1;
    if (s == SQLITE_DONE)
        return 0;
    reader_error(r, err, "read failed");
    return error_prefix_table(err, r->cur->name);
}

void reader_row_value(sqlite3_stmt *row, size_t c, struct xform_src *out)
{
    /* one sqlite3_column_value, then the value's own accessors: each
     * sqlite3_column_* call would take the connection's mutex again */
    sqlite3_value *v = sqlite3_column_value(row, (int)c);
    out->type = sqlite3_value_type(v);
    out->p = NULL;
    out->n = 0;
    switch (out->type) {
    case SQLITE_INTEGER:
        out->i = sqlite3_value_int64(v);
        break;
    case SQLITE_FLOAT:
        out->d = sqlite3_value_double(v);
        break;
    case SQLITE_TEXT:
        out->p = sqlite3_value_text(v);
        out->n = (size_t)sqlite3_value_bytes(v);
        break;
    case SQLITE_BLOB:
        out->p = sqlite3_value_blob(v);
        out->n = (size_t)sqlite3_value_bytes(v);
        break;
    default:
        break;
    }
}

void reader_value(const struct reader *r, size_t c, struct xform_src *out)
{
    reader_row_value(r->stmt, c, out);
}

void reader_close(struct reader *r)
{
    sqlite3_finalize(r->stmt);
    sqlite3_finalize(r->lookup);
    if (r->db != NULL) {
        sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(r->db);
    }
    for (size_t i = 0; i < r->ntables; i++)
        reader_table_free(&r->tables[i]);
    free(r->tables);
    for (size_t i = 0; i < r->nskipped; i++) {
        free(r->skipped[i].name);
        free(r->skipped[i].kind);
        free(r->skipped[i].why);
    }
    free(r->skipped);
    free(r->path);
    memset(r, 0, sizeof *r);
}

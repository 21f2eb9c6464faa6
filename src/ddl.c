/* ddl: multi-tenant schema design from SQLite files (see ddl.h). */
#include "ddl.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "mapping.h"
#include "schema.h"
#include "target.h"
#include "utf8.h"
#include "val.h"
#include "xform.h"

/* ---- declared types ------------------------------------------------------ */

static bool has(const char *up, const char *word)
{
    return strstr(up, word) != NULL;
}

void ddl_parse_decl(const char *decl, struct ddl_decl *out)
{
    char up[256];
    size_t n = 0;
    memset(out, 0, sizeof *out);
    for (const char *p = decl; *p && n + 1 < sizeof up; p++)
        if (!isspace((unsigned char)*p))
            up[n++] = (char)toupper((unsigned char)*p);
    up[n] = '\0';
    const char *paren = strchr(up, '(');
    if (paren != NULL) {
        int a = 0, b = 0;
        if (sscanf(paren, "(%d,%d)", &a, &b) == 2 || sscanf(paren, "(%d)", &a) == 1) {
            out->len = a;
            out->prec = a;
            out->scale = b;
        }
    }
    out->is_unsigned = has(up, "UNSIGNED") && !has(up, "UNSIGNEDBIGINT");
    if (has(up, "JSON"))
        out->cls = DDL_JSON;
    else if (has(up, "BOOL"))
        out->cls = DDL_BOOL;
    else if (has(up, "INT")) /* SQLite's first rule: INTEGER affinity */
        out->cls = DDL_INT;
    else if (has(up, "CHAR") || has(up, "CLOB") || has(up, "TEXT"))
        out->cls = DDL_TEXT;
    else if (has(up, "BLOB"))
        out->cls = DDL_BLOB;
    else if (has(up, "REAL") || has(up, "FLOA") || has(up, "DOUB"))
        out->cls = DDL_REAL;
    else if (has(up, "DATETIME") || has(up, "TIMESTAMP"))
        out->cls = DDL_DATETIME;
    else if (has(up, "DATE"))
        out->cls = DDL_DATE;
    else if (has(up, "DEC") || has(up, "NUMERIC"))
        out->cls = paren != NULL ? DDL_DECIMAL : DDL_NONE;
    else
        out->cls = DDL_NONE;
    if (out->cls != DDL_TEXT)
        out->len = 0;
    if (out->cls != DDL_DECIMAL)
        out->prec = out->scale = 0;
    if (out->cls == DDL_DECIMAL && (out->prec < 1 || out->prec > 65 || out->scale > out->prec)) {
        out->cls = DDL_NONE; /* not a DECIMAL MySQL has: the values decide */
        out->prec = out->scale = 0;
    }
    if (out->cls == DDL_INT && has(up, "UNSIGNEDBIGINT"))
        out->is_unsigned = false; /* SQLite's spelling of a plain 64-bit integer */
}

/* ---- choosing a MySQL type ----------------------------------------------- */

static const char *text_type(size_t bytes)
{
    return bytes <= 65535 ? "TEXT" : bytes <= 16777215 ? "MEDIUMTEXT" : "LONGTEXT";
}

static const char *blob_type(size_t bytes)
{
    return bytes <= 65535 ? "BLOB" : bytes <= 16777215 ? "MEDIUMBLOB" : "LONGBLOB";
}

/* Plausible unix seconds: 1973-01-01 .. 2100-01-01. */
static bool plausible_seconds(const struct ddl_values *v)
{
    return v->nmin >= 94694400.0 && v->nmax <= 4102444800.0;
}

/* The type the values alone call for. */
static void by_values(const struct ddl_values *v, bool key, char *type, size_t n)
{
    size_t chars = v->max_chars ? v->max_chars : 1, bytes = v->max_bytes ? v->max_bytes : 1;
    if (v->n_blob > 0 && key)
        snprintf(type, n, "VARBINARY(%zu)", bytes);
    else if (v->n_blob > 0)
        snprintf(type, n, "%s", blob_type(v->max_bytes));
    else if (v->n_text > 0 && key)
        snprintf(type, n, "VARCHAR(%zu)", chars);
    else if (v->n_text > 0)
        snprintf(type, n, "%s", text_type(v->max_bytes));
    else if (v->n_real > 0)
        snprintf(type, n, "DOUBLE");
    else if (v->n_int > 0)
        snprintf(type, n, "BIGINT");
    else
        snprintf(type, n, "VARCHAR(%zu)", key ? chars : 255);
}

enum xform_unit ddl_unit(const struct ddl_decl *d, const struct ddl_values *v)
{
    if ((d->cls != DDL_DATE && d->cls != DDL_DATETIME) || v->n_int + v->n_real == 0 ||
        plausible_seconds(v))
        return XFORM_UNIT_AUTO;
    static const struct {
        enum xform_unit unit;
        double scale, lo, hi; /* lo/hi: the window when scale is 0 */
    } readings[] = {{XFORM_UNIT_MS, 1e3, 0, 0},
                    {XFORM_UNIT_US, 1e6, 0, 0},
                    {XFORM_UNIT_JULIAN, 0, 2378497.0, 2524594.0}};
    enum xform_unit found = XFORM_UNIT_AUTO;
    int hits = 0;
    for (size_t k = 0; k < 3; k++) {
        struct ddl_values scaled = *v;
        bool ok;
        if (readings[k].scale > 0) {
            scaled.nmin = v->nmin / readings[k].scale;
            scaled.nmax = v->nmax / readings[k].scale;
            ok = plausible_seconds(&scaled);
        } else {
            ok = v->nmin >= readings[k].lo && v->nmax <= readings[k].hi;
        }
        if (ok) {
            hits++;
            found = readings[k].unit;
        }
    }
    return hits == 1 ? found : XFORM_UNIT_AUTO;
}

/* The note of a text/blob key column given a length from the data. */
#define KEY_SIZED "a key column: %s sized from the longest value (a %s cannot be a key)"

void ddl_choose(const struct ddl_decl *d, const struct ddl_values *v, bool key, char *type,
                size_t typesize, char *note, size_t notesize)
{
    bool nonnum = v->n_text > 0 || v->n_blob > 0;
    note[0] = '\0';
    switch (d->cls) {
    case DDL_INT:
        if (nonnum)
            break;
        if (v->real_frac)
            snprintf(type, typesize, "DOUBLE");
        else
            snprintf(type, typesize, "BIGINT%s", d->is_unsigned ? " UNSIGNED" : "");
        return;
    case DDL_REAL:
        if (nonnum)
            break;
        snprintf(type, typesize, "DOUBLE");
        return;
    case DDL_DECIMAL:
        if (v->n_blob > 0)
            break;
        snprintf(type, typesize, "DECIMAL(%d,%d)", d->prec, d->scale);
        return;
    case DDL_BOOL:
        if (!v->bool_like)
            break;
        snprintf(type, typesize, "TINYINT(1)");
        return;
    case DDL_DATE:
    case DDL_DATETIME:
        if (v->n_blob > 0 || v->text_nodate)
            break;
        if (v->n_int + v->n_real > 0 && !plausible_seconds(v) && v->n_text == 0 &&
            ddl_unit(d, v) != XFORM_UNIT_AUTO) {
            static const char *const names[] = {[XFORM_UNIT_MS] = "epoch-ms",
                                                [XFORM_UNIT_US] = "epoch-us",
                                                [XFORM_UNIT_JULIAN] = "julian-day"};
            snprintf(type, typesize, "DATETIME(6)");
            snprintf(note, notesize, "its numbers are read as %s", names[ddl_unit(d, v)]);
            return;
        }
        if (v->n_int + v->n_real > 0 && !plausible_seconds(v)) {
            /* numbers that are not plausible unix seconds stay numbers */
            if (v->n_text > 0)
                snprintf(type, typesize, "%s", text_type(v->max_bytes));
            else
                snprintf(type, typesize, "%s", v->real_frac ? "DOUBLE" : "BIGINT");
            snprintf(note, notesize,
                     "declared %s, but its numbers are not plausible unix seconds: kept as "
                     "numbers",
                     d->cls == DDL_DATE ? "DATE" : "DATETIME");
            return;
        }
        if (d->cls == DDL_DATE && !v->text_time && v->n_int + v->n_real == 0)
            snprintf(type, typesize, "DATE");
        else
            snprintf(type, typesize, "DATETIME(6)");
        if (d->cls == DDL_DATE && v->text_time)
            snprintf(note, notesize, "declared DATE, but values carry times of day");
        return;
    case DDL_TEXT:
        if (v->n_blob > 0)
            break;
        if (d->len > 0 || key) {
            size_t len = (size_t)d->len > v->max_chars ? (size_t)d->len : v->max_chars;
            snprintf(type, typesize, "VARCHAR(%zu)", len ? len : 1);
            if (d->len > 0 && v->max_chars > (size_t)d->len)
                snprintf(note, notesize, "declared length %d, widened to %zu for the data", d->len,
                         v->max_chars);
            else if (d->len == 0)
                snprintf(note, notesize, KEY_SIZED, "VARCHAR", "TEXT");
            return;
        }
        snprintf(type, typesize, "%s", text_type(v->max_bytes));
        return;
    case DDL_BLOB:
        if (key) {
            snprintf(type, typesize, "VARBINARY(%zu)", v->max_bytes ? v->max_bytes : 1);
            snprintf(note, notesize, KEY_SIZED, "VARBINARY", "BLOB");
        } else
            snprintf(type, typesize, "%s", blob_type(v->max_bytes));
        return;
    case DDL_JSON:
        if (v->n_blob > 0)
            break;
        snprintf(type, typesize, "JSON");
        return;
    case DDL_NONE:
        break;
    }
    by_values(v, key, type, typesize);
    if (d->cls != DDL_NONE)
        snprintf(note, notesize, "the stored values do not fit the declared type: %s", type);
    if (key && strncmp(type, "VAR", 3) == 0)
        snprintf(note + strlen(note), notesize - strlen(note), "%s" KEY_SIZED, note[0] ? "; " : "",
                 strncmp(type, "VARCHAR", 7) == 0 ? "VARCHAR" : "VARBINARY",
                 strncmp(type, "VARCHAR", 7) == 0 ? "TEXT" : "BLOB");
}

/* ---- the design over all files ------------------------------------------ */

struct ddl_col {
    char *name;
    char *source; /* its name in the files (differs when the mapping renames it) */
    char *decl;   /* the first declaration seen */
    struct ddl_decl d;
    struct ddl_values v;
    size_t files; /* files whose table has this column */
    bool notnull; /* NOT NULL in every one of them */
    char *dflt;
    int pk;
    bool generated;       /* GENERATED ALWAYS AS in some file */
    unsigned long added;  /* the ddl_add call that last added a source column to it */
    bool forced;          /* the mapping file converts it: */
    enum xform_unit unit; /* how */
};

struct ddl_index {
    bool unique;
    size_t ncols;
    char **cols;
};

struct ddl_fk {
    char *ref;      /* referenced table */
    char **cols;    /* referencing columns */
    char **refcols; /* referenced columns; NULL entries: the referenced primary key */
    size_t n;
    long long orphans;   /* rows without a parent row, over all files */
    size_t orphan_files; /* files that have some */
    char *orphan_file;   /* the first of them */
};

struct ddl_table {
    unsigned long added; /* the ddl_add call that last added a source table to it */
    char *name;
    char *source; /* its name in the files (differs when the mapping renames it) */
    size_t files;
    struct ddl_fk *fks;
    size_t nfk;
    bool rowid_key;     /* no declared primary key: the rowid becomes the key */
    bool without_rowid; /* a WITHOUT ROWID table in some file */
    struct ddl_col *cols;
    size_t ncols;
    struct ddl_index *idx;
    size_t nidx;
    struct buf problems; /* conflicts between files */
    char *first_file;
};

/* The foreign-key groups of the design, worked out once for its current
 * state (ddl_add drops them): the columns a key joins, and those joined to
 * them through further keys, are one group, which gets one type (InnoDB takes
 * a key only between columns of one type) chosen from the values of them all
 * and the declaration of its first referenced column, in table order. Columns
 * are numbered table by table: column c of table i is base[i] + c. */
struct ddl_groups {
    bool ready;
    size_t *base;
    size_t *root;                /* per column: the number of its group's root */
    size_t *size;                /* per root: columns in the group */
    struct ddl_values *v;        /* per root: the values of them all */
    const struct ddl_col **decl; /* per root: the column whose declaration counts */
};

struct ddl_schema {
    struct ddl_table *t;
    size_t n;
    bool foreign_keys;
    const struct mapping *map; /* may be NULL */
    unsigned long adds;        /* ddl_add calls so far */
    struct ddl_groups *groups; /* worked out when first needed (see below) */
};

static void groups_drop(struct ddl_groups *g);

struct ddl_schema *ddl_new(bool foreign_keys, const struct mapping *map)
{
    struct ddl_schema *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->foreign_keys = foreign_keys;
    s->map = map;
    if ((s->groups = calloc(1, sizeof *s->groups)) == NULL) {
        free(s);
        return NULL;
    }
    return s;
}

/* The target name of source table `table` under the mapping file, or NULL
 * when the mapping skips it. */
static const char *mapped_table(const struct ddl_schema *s, const char *table)
{
    const struct mapping_table *mt = mapping_table(s->map, table);
    if (mt != NULL && mt->skip)
        return NULL;
    return mt != NULL && mt->rename != NULL ? mt->rename : table;
}

/* The target name of column `col` of source table `table`, or NULL when the
 * mapping skips it. */
static const char *mapped_col(const struct ddl_schema *s, const char *table, const char *col)
{
    const struct mapping_column *mc = mapping_column(mapping_table(s->map, table), col);
    if (mc != NULL && mc->skip)
        return NULL;
    return mc != NULL && mc->rename != NULL ? mc->rename : col;
}

/* The target name of source column `col` of reader table st (names[i] is
 * column i's), NULL when skipped or unknown. */
static const char *name_of(const struct reader_table *st, const char *const *names, const char *col)
{
    for (size_t i = 0; i < st->ncols; i++)
        if (strcasecmp(st->cols[i].name, col) == 0)
            return names[i];
    return NULL;
}

static void fk_free(struct ddl_fk *fk)
{
    for (size_t c = 0; c < fk->n; c++) {
        free(fk->cols[c]);
        free(fk->refcols[c]);
    }
    free(fk->cols);
    free(fk->refcols);
    free(fk->ref);
    free(fk->orphan_file);
    memset(fk, 0, sizeof *fk);
}

/* Child rows of table t whose key fk has no parent row in the file with the
 * very same value: the same storage class and bytewise equal, which is what
 * the MySQL key compares once both sides have one type (SQLite's own
 * foreign_key_check applies affinities and collations, and stops at the first
 * key it cannot check). Rows with a NULL in the key are not checked (MATCH
 * SIMPLE, as in SQLite and InnoDB). Without the parent table in the file,
 * every checked row counts. Returns the count; 0 when the file cannot tell
 * (no such column: such a key is not made anyway). */
static long long count_orphans(struct reader *r, size_t t, const struct ddl_fk *fk)
{
    const struct reader_table *parent = NULL;
    for (size_t i = 0; i < r->ntables && parent == NULL; i++)
        if (strcasecmp(r->tables[i].name, fk->ref) == 0)
            parent = &r->tables[i];
    struct buf sql, child, keys, notnull, col;
    buf_init(&sql, 0);
    buf_init(&child, 0);
    buf_init(&keys, 0);
    buf_init(&notnull, 0);
    buf_init(&col, 0);
    int bad = 0;
    /* (c.a, typeof(c.a), ...) NOT IN (SELECT p.x, typeof(p.x), ... FROM parent
     * WHERE p.x IS NOT NULL ...): SQLite answers it through one temporary
     * BINARY index, whatever collation the parent's own index has */
    for (size_t k = 0; k < fk->n; k++) {
        const char *to = !parent           ? NULL
                         : fk->refcols[k]  ? fk->refcols[k]
                         : k < parent->npk ? parent->cols[parent->pk_cols[k]].name
                                           : NULL;
        buf_reset(&col);
        bad |= reader_quote_ident(&col, fk->cols[k]) |
               buf_printf(&notnull, " AND c.%s IS NOT NULL", col.data) |
               buf_printf(&child, "%sc.%s COLLATE BINARY, typeof(c.%s)", k ? ", " : "", col.data,
                          col.data);
        if (parent != NULL) {
            buf_reset(&col);
            bad |= to == NULL || reader_quote_ident(&col, to) ||
                   buf_printf(&keys, "%sp.%s COLLATE BINARY, typeof(p.%s)", k ? ", " : "", col.data,
                              col.data) ||
                   buf_printf(&sql, " AND p.%s IS NOT NULL", col.data);
        }
    }
    struct buf q;
    buf_init(&q, 0);
    bad |= buf_puts(&q, "SELECT count(*) FROM main.") | reader_quote_ident(&q, r->tables[t].name) |
           buf_puts(&q, " AS c WHERE 1") | buf_append(&q, notnull.data, notnull.len);
    if (parent != NULL)
        bad |= buf_printf(&q, " AND (%s) NOT IN (SELECT %s FROM main.", child.data, keys.data) |
               reader_quote_ident(&q, parent->name) | buf_puts(&q, " AS p WHERE 1") |
               buf_append(&q, sql.data, sql.len) | buf_putc(&q, ')');
    long long n = 0;
    sqlite3_stmt *st = NULL;
    if (!bad && sqlite3_prepare_v2(r->db, q.data, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    buf_free(&q);
    buf_free(&sql);
    buf_free(&child);
    buf_free(&keys);
    buf_free(&notnull);
    buf_free(&col);
    return n;
}

/* Reads the foreign keys of table t from the file, key by key. Returns the
 * number read into *out (owned by the caller), or -1 with err set. */
static long read_fks(struct reader *r, size_t t, struct ddl_fk **out, struct error *err)
{
    struct buf sql;
    buf_init(&sql, 0);
    sqlite3_stmt *st = NULL;
    struct ddl_fk *v = NULL;
    long n = -1;
    int cur = -1;
    *out = NULL;
    if (buf_puts(&sql, "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(") ||
        reader_quote_ident(&sql, r->tables[t].name) || buf_puts(&sql, ") ORDER BY id, seq")) {
        error_set(err, "out of memory");
        goto out;
    }
    if (sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        error_set(err, "%s: reading foreign keys: %s", r->path, sqlite3_errmsg(r->db));
        goto out;
    }
    size_t nv = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_int(st, 0) != cur) {
            struct ddl_fk *g = realloc(v, (nv + 1) * sizeof *g);
            if (g == NULL)
                goto oom;
            v = g;
            memset(&v[nv], 0, sizeof *v);
            if ((v[nv++].ref = strdup((const char *)sqlite3_column_text(st, 1))) == NULL)
                goto oom;
            cur = sqlite3_column_int(st, 0);
        }
        struct ddl_fk *fk = &v[nv - 1];
        char **c = realloc(fk->cols, (fk->n + 1) * sizeof *c);
        if (c != NULL)
            fk->cols = c;
        char **to = c ? realloc(fk->refcols, (fk->n + 1) * sizeof *to) : NULL;
        if (to == NULL)
            goto oom;
        fk->refcols = to;
        const unsigned char *name = sqlite3_column_text(st, 3);
        fk->cols[fk->n] = strdup((const char *)sqlite3_column_text(st, 2));
        fk->refcols[fk->n] = name ? strdup((const char *)name) : NULL;
        fk->n++;
        if (fk->cols[fk->n - 1] == NULL || (name != NULL && fk->refcols[fk->n - 1] == NULL))
            goto oom;
    }
    *out = v;
    n = (long)nv;
    v = NULL;
    goto out;
oom:
    error_set(err, "out of memory");
    for (size_t k = 0; k < nv; k++)
        fk_free(&v[k]);
out:
    free(v);
    sqlite3_finalize(st);
    buf_free(&sql);
    return n;
}

/* Renames fk's columns, and its referenced table and columns, as the mapping
 * file says (names: the target names of the child table's columns). Returns
 * false when the key names a table or column the mapping skips, or memory
 * runs out: the key is then left out of the design. */
static bool fk_map(const struct ddl_schema *s, const struct reader_table *st,
                   const char *const *names, struct ddl_fk *fk)
{
    const char *ref = mapped_table(s, fk->ref);
    if (ref == NULL)
        return false;
    for (size_t k = 0; k < fk->n; k++) {
        const char *col = name_of(st, names, fk->cols[k]);
        const char *to = fk->refcols[k] ? mapped_col(s, fk->ref, fk->refcols[k]) : "";
        char *c2 = col ? strdup(col) : NULL, *t2 = to && fk->refcols[k] ? strdup(to) : NULL;
        if (c2 == NULL || to == NULL || (fk->refcols[k] != NULL && t2 == NULL)) {
            free(c2);
            free(t2);
            return false;
        }
        free(fk->cols[k]);
        fk->cols[k] = c2;
        if (fk->refcols[k] != NULL) {
            free(fk->refcols[k]);
            fk->refcols[k] = t2;
        }
    }
    char *r2 = strdup(ref);
    if (r2 == NULL)
        return false;
    free(fk->ref);
    fk->ref = r2;
    return true;
}

/* Records the foreign keys of table t (once per referenced table and columns,
 * over all files, under their mapped names); with check, also counts the
 * rows that lack their parent row. Returns 0 or -1 with err set. */
static int add_fks(const struct ddl_schema *s, struct ddl_table *dt, struct reader *r, size_t t,
                   const char *const *names, struct error *err)
{
    bool check = s->foreign_keys;
    struct ddl_fk *mine;
    long n = read_fks(r, t, &mine, err);
    if (n < 0)
        return -1;
    int rc = 0;
    for (long m = 0; m < n; m++) {
        long long orphans = check && rc == 0 ? count_orphans(r, t, &mine[m]) : 0;
        struct ddl_fk *into = NULL;
        if (!fk_map(s, &r->tables[t], names, &mine[m])) {
            fk_free(&mine[m]);
            continue;
        }
        for (size_t j = 0; j < dt->nfk && into == NULL; j++)
            if (strcasecmp(dt->fks[j].ref, mine[m].ref) == 0 && dt->fks[j].n == mine[m].n &&
                strcasecmp(dt->fks[j].cols[0], mine[m].cols[0]) == 0)
                into = &dt->fks[j]; /* another file declared it already */
        if (into == NULL && rc == 0) {
            struct ddl_fk *v = realloc(dt->fks, (dt->nfk + 1) * sizeof *v);
            if (v == NULL) {
                rc = error_set(err, "out of memory");
            } else {
                dt->fks = v;
                into = &v[dt->nfk++];
                *into = mine[m];
                memset(&mine[m], 0, sizeof mine[m]);
            }
        }
        fk_free(&mine[m]);
        if (into != NULL && orphans > 0) {
            into->orphans += orphans;
            into->orphan_files++;
            if (into->orphan_file == NULL && (into->orphan_file = strdup(r->path)) == NULL)
                rc = error_set(err, "out of memory");
        }
    }
    free(mine);
    return rc;
}

/* The design's table `name` (its source name: the first file's), made on
 * first use; NULL when out of memory. */
static struct ddl_table *get_table(struct ddl_schema *s, const char *name, const char *source,
                                   const char *file)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcasecmp(s->t[i].name, name) == 0)
            return &s->t[i];
    struct ddl_table *v = realloc(s->t, (s->n + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    s->t = v;
    struct ddl_table *t = &v[s->n++];
    memset(t, 0, sizeof *t);
    t->name = strdup(name);
    t->source = strdup(source);
    t->first_file = strdup(file);
    buf_init(&t->problems, 16384);
    if (t->name == NULL || t->source == NULL || t->first_file == NULL) {
        free(t->name);
        free(t->source);
        free(t->first_file);
        buf_free(&t->problems);
        s->n--;
        return NULL;
    }
    return t;
}

/* Column `name` of t (source: its name in the files), made on first use;
 * NULL when out of memory. */
static struct ddl_col *get_col(struct ddl_table *t, const char *name, const char *source)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcasecmp(t->cols[i].name, name) == 0)
            return &t->cols[i];
    struct ddl_col *v = realloc(t->cols, (t->ncols + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    t->cols = v;
    struct ddl_col *c = &v[t->ncols++];
    memset(c, 0, sizeof *c);
    c->name = strdup(name);
    c->source = strdup(source);
    if (c->name == NULL || c->source == NULL) {
        free(c->name);
        free(c->source);
        t->ncols--;
        return NULL;
    }
    c->notnull = true;
    c->v.bool_like = true;
    c->v.nmin = INFINITY;
    c->v.nmax = -INFINITY;
    return c;
}

static bool numeric_class(enum ddl_class c)
{
    return c == DDL_INT || c == DDL_REAL || c == DDL_DECIMAL;
}

/* Merges one file's declaration of c; a real conflict is recorded. */
static void merge_decl(struct ddl_table *t, struct ddl_col *c, const char *decl, const char *file)
{
    struct ddl_decl d;
    ddl_parse_decl(decl, &d);
    if (c->decl == NULL || c->d.cls == DDL_NONE) {
        if (d.cls != DDL_NONE || c->decl == NULL) {
            free(c->decl);
            c->decl = strdup(decl);
            c->d = d;
        }
        return;
    }
    if (d.cls == DDL_NONE || d.cls == c->d.cls) {
        if (d.cls == DDL_TEXT && d.len > c->d.len)
            c->d.len = d.len;
        return;
    }
    if (numeric_class(d.cls) && numeric_class(c->d.cls)) { /* INTEGER u REAL -> DOUBLE */
        c->d.cls = DDL_REAL;
        return;
    }
    buf_printf(&t->problems, "table %s column %s: declared %s in %s but %s in %s\n", t->name,
               c->name, c->decl, t->first_file, decl, file);
}

/* Folds one value into the column's statistics. */
static void add_value(struct ddl_col *c, sqlite3_value *v, const struct schema_column *dt)
{
    struct ddl_values *s = &c->v;
    int type = sqlite3_value_type(v);
    if (type == SQLITE_NULL) {
        s->n_null++;
        return;
    }
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
        double d = sqlite3_value_double(v);
        if (type == SQLITE_INTEGER)
            s->n_int++;
        else
            s->n_real++;
        if (type == SQLITE_FLOAT && d != trunc(d))
            s->real_frac = true;
        if (d < s->nmin)
            s->nmin = d;
        if (d > s->nmax)
            s->nmax = d;
        if (!(d == 0 || d == 1))
            s->bool_like = false;
        char tmp[VAL_DOUBLE_MAX];
        size_t n = type == SQLITE_INTEGER
                       ? (size_t)snprintf(tmp, sizeof tmp, "%lld", sqlite3_value_int64(v))
                       : val_double(d, tmp);
        if (type == SQLITE_FLOAT && strpbrk(tmp, ".eE") == NULL)
            n += 2; /* a REAL's text keeps its ".0", as the conversion writes it */
        if (n > s->max_chars)
            s->max_chars = n;
        if (n > s->max_bytes)
            s->max_bytes = n;
        return;
    }
    const unsigned char *p = type == SQLITE_BLOB ? sqlite3_value_blob(v) : sqlite3_value_text(v);
    size_t n = (size_t)sqlite3_value_bytes(v), chars = 0, bytes = n;
    if (type == SQLITE_BLOB) {
        s->n_blob++;
        s->bool_like = false;
    } else {
        s->n_text++;
        if (val_utf8_check(p, n, &chars, NULL) != n) {
            /* not UTF-8: --invalid-utf8 replace/cp1252 make each byte at
             * most one character of at most three bytes */
            chars = n;
            bytes = 3 * n;
        }
        s->bool_like = s->bool_like && xform_bool_word(p, n) >= 0;
        if (dt != NULL) { /* a date column: does the text read as one, at midnight? */
            struct xform_src src = {.type = SQLITE_TEXT, .p = p, .n = n};
            struct buf arena, why;
            struct xform_val out;
            buf_init(&arena, 0);
            buf_init(&why, 0);
            if (xform_value(dt, &src, &arena, &out, &why) != 0)
                s->text_nodate = true;
            else if (arena.data != NULL && strcmp(arena.data + out.off + 10, " 00:00:00.000000"))
                s->text_time = true;
            buf_free(&arena);
            buf_free(&why);
        }
    }
    if (chars > s->max_chars)
        s->max_chars = chars;
    if (bytes > s->max_bytes)
        s->max_bytes = bytes;
}

/* Reads table t's values into the design of dt. */
static int scan_values(struct ddl_table *dt, struct reader *r, size_t t, const char *const *names,
                       struct error *err)
{
    const struct reader_table *st = &r->tables[t];
    struct ddl_col **cols = calloc(st->ncols + 1, sizeof *cols);
    struct schema_column date = {.kind = SCHEMA_DATETIME, .fsp = 6, .nullable = true};
    if (cols == NULL)
        return error_set(err, "out of memory");
    for (size_t c = 0; c < st->ncols; c++)
        cols[c] = names[c] != NULL ? get_col(dt, names[c], st->cols[c].name) : NULL;
    int step, rc = reader_table_begin(r, t, NULL, 0, err);
    while (rc == 0 && (step = reader_next(r, err)) == 1)
        for (size_t c = 0; c < st->ncols; c++)
            if (cols[c] != NULL)
                add_value(cols[c], reader_value(r, c),
                          cols[c]->d.cls == DDL_DATE || cols[c]->d.cls == DDL_DATETIME ? &date
                                                                                       : NULL);
    if (rc == 0 && step < 0)
        rc = -1;
    free(cols);
    return rc;
}

/* Records the UNIQUE constraints and indexes of table t (not partial ones,
 * not on expressions), once per column list. */
static int add_indexes(struct ddl_table *dt, struct reader *r, size_t t, const char *const *names,
                       struct error *err)
{
    struct buf sql;
    buf_init(&sql, 0);
    sqlite3_stmt *list = NULL, *info = NULL;
    int rc = -1;
    if (buf_puts(&sql, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(") ||
        reader_quote_ident(&sql, r->tables[t].name) || buf_puts(&sql, ") ORDER BY name")) {
        error_set(err, "out of memory");
        goto out;
    }
    if (sqlite3_prepare_v2(r->db, sql.data, -1, &list, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", -1, &info,
                           NULL) != SQLITE_OK) {
        error_set(err, "%s: reading indexes: %s", r->path, sqlite3_errmsg(r->db));
        goto out;
    }
    while (sqlite3_step(list) == SQLITE_ROW) {
        if (strcmp((const char *)sqlite3_column_text(list, 2), "pk") == 0 ||
            sqlite3_column_int(list, 3) != 0)
            continue;
        struct ddl_index ix = {sqlite3_column_int(list, 1) != 0, 0, NULL};
        bool expression = false;
        sqlite3_reset(info);
        sqlite3_bind_text(info, 1, (const char *)sqlite3_column_text(list, 0), -1,
                          SQLITE_TRANSIENT);
        while (sqlite3_step(info) == SQLITE_ROW) {
            const unsigned char *src = sqlite3_column_text(info, 0);
            const char *col = src ? name_of(&r->tables[t], names, (const char *)src) : NULL;
            if (col == NULL) { /* an expression, or a column the mapping skips */
                expression = true;
                continue;
            }
            char **v = realloc(ix.cols, (ix.ncols + 1) * sizeof *v);
            if (v == NULL)
                break;
            ix.cols = v;
            ix.cols[ix.ncols++] = strdup(col);
        }
        bool known = expression || ix.ncols == 0;
        for (size_t k = 0; k < dt->nidx && !known; k++) {
            known = dt->idx[k].ncols == ix.ncols && dt->idx[k].unique == ix.unique;
            for (size_t c = 0; known && c < ix.ncols; c++)
                known = strcasecmp(dt->idx[k].cols[c], ix.cols[c]) == 0;
        }
        struct ddl_index *v = known ? NULL : realloc(dt->idx, (dt->nidx + 1) * sizeof *v);
        if (v != NULL) {
            dt->idx = v;
            dt->idx[dt->nidx++] = ix;
        } else {
            for (size_t c = 0; c < ix.ncols; c++)
                free(ix.cols[c]);
            free(ix.cols);
        }
    }
    rc = 0;
out:
    sqlite3_finalize(list);
    sqlite3_finalize(info);
    buf_free(&sql);
    return rc;
}

int ddl_add(struct ddl_schema *s, struct reader *r, struct error *err)
{
    groups_drop(s->groups);
    s->adds++;
    for (size_t t = 0; t < r->ntables; t++) {
        const struct reader_table *st = &r->tables[t];
        const char *tname = mapped_table(s, st->name);
        if (tname == NULL)
            continue; /* the mapping file skips it */
        struct ddl_table *dt = get_table(s, tname, st->name, r->path);
        const char **names = calloc(st->ncols + 1, sizeof *names);
        if (dt == NULL || names == NULL) {
            free(names);
            return error_set(err, "out of memory");
        }
        if (dt->added == s->adds) { /* the mapping file renames two tables onto one */
            buf_printf(&dt->problems,
                       "table %s: tables %s and %s of %s would both become it (see the mapping "
                       "file)\n",
                       tname, dt->source, st->name, r->path);
            free(names);
            continue;
        }
        dt->added = s->adds;
        for (size_t c = 0; c < st->ncols; c++)
            names[c] = mapped_col(s, st->name, st->cols[c].name);
        bool rowid_key = st->npk == 0, same = true;
        for (size_t k = 0; k < st->npk; k++)
            if (names[st->pk_cols[k]] == NULL) {
                buf_printf(&dt->problems,
                           "table %s: the mapping file skips column %s of its primary key\n",
                           st->name, st->cols[st->pk_cols[k]].name);
                same = false;
            }
        if (dt->files == 0) {
            dt->rowid_key = rowid_key;
        } else {
            same = same && dt->rowid_key == rowid_key;
            for (size_t k = 0; same && k < st->npk; k++) {
                struct ddl_col *c =
                    get_col(dt, names[st->pk_cols[k]], st->cols[st->pk_cols[k]].name);
                same = c != NULL && c->pk == (int)k + 1;
            }
            for (size_t i = 0; same && i < dt->ncols; i++)
                same = dt->cols[i].pk == 0 || (size_t)dt->cols[i].pk <= st->npk;
            if (!same)
                buf_printf(&dt->problems, "table %s: a different primary key in %s than in %s\n",
                           tname, r->path, dt->first_file);
        }
        const struct mapping_table *mt = mapping_table(s->map, st->name);
        for (size_t c = 0; c < st->ncols; c++) {
            if (names[c] == NULL)
                continue; /* the mapping file skips it */
            struct ddl_col *dc = get_col(dt, names[c], st->cols[c].name);
            if (dc == NULL) {
                free(names);
                return error_set(err, "out of memory");
            }
            if (dc->added == s->adds) { /* the mapping file renames two columns onto one */
                buf_printf(&dt->problems,
                           "table %s: columns %s and %s of %s would both become column %s (see "
                           "the mapping file)\n",
                           tname, dc->source, st->cols[c].name, r->path, names[c]);
                continue;
            }
            dc->added = s->adds;
            merge_decl(dt, dc, st->cols[c].decl_type, r->path);
            if (dt->files == 0)
                dc->pk = st->cols[c].pk;
            dc->files++;
            dc->notnull = dc->notnull && st->cols[c].notnull;
            dc->generated = dc->generated || st->cols[c].generated;
            if (dc->dflt == NULL && st->cols[c].dflt != NULL)
                dc->dflt = strdup(st->cols[c].dflt);
            const struct mapping_column *mc = mapping_column(mt, st->cols[c].name);
            if (mc != NULL && mc->has_unit) {
                dc->forced = true;
                dc->unit = mc->unit;
            }
        }
        dt->files++;
        dt->without_rowid = dt->without_rowid || st->without_rowid;
        int rc = scan_values(dt, r, t, names, err) != 0 || add_indexes(dt, r, t, names, err) != 0 ||
                         add_fks(s, dt, r, t, names, err) != 0
                     ? -1
                     : 0;
        free(names);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* ---- rendering ----------------------------------------------------------- */

/* Appends `name` with backticks doubled. */
static int ident(struct buf *b, const char *name)
{
    return target_quote_ident(b, name);
}

/* Key bytes of a column of the given type in InnoDB (utf8mb4: 4 per char). */
static size_t key_bytes(const char *type)
{
    size_t n = 0;
    const char *p = strchr(type, '(');
    if (p != NULL)
        n = strtoul(p + 1, NULL, 10);
    if (strncmp(type, "VARCHAR", 7) == 0)
        return 4 * n + 2;
    if (strncmp(type, "VARBINARY", 9) == 0)
        return n + 2;
    if (strncmp(type, "DECIMAL", 7) == 0)
        return n / 2 + 1;
    if (strncmp(type, "DATE", 4) == 0 && type[4] == '\0')
        return 3;
    if (strncmp(type, "TINYINT", 7) == 0)
        return 1;
    if (strstr(type, "TEXT") || strstr(type, "BLOB") || strcmp(type, "JSON") == 0)
        return 100000; /* not a key type */
    return 8;
}

/* A MySQL literal for an SQLite DEFAULT, or NULL when MySQL cannot take it. */
static char *default_literal(const char *dflt, const char *type)
{
    char *out = NULL;
    if (dflt == NULL || strcasecmp(dflt, "NULL") == 0)
        return NULL;
    if (strstr(type, "TEXT") || strstr(type, "BLOB") || strcmp(type, "JSON") == 0)
        return NULL;
    if (strcasecmp(dflt, "CURRENT_TIMESTAMP") == 0) {
        if (strncmp(type, "DATETIME", 8) == 0)
            return strdup(strcmp(type, "DATETIME(6)") == 0 ? "CURRENT_TIMESTAMP(6)"
                                                           : "CURRENT_TIMESTAMP");
        return NULL;
    }
    char *end;
    const char *p = dflt[0] == '(' ? dflt + 1 : dflt;
    strtod(p, &end);
    if (end != p && (*end == '\0' || (*end == ')' && end[1] == '\0')) &&
        strncmp(type, "DATE", 4) != 0) {
        out = strndup(p, (size_t)(end - p));
        return out;
    }
    if (dflt[0] != '\'')
        return NULL;
    struct buf b;
    buf_init(&b, 0);
    int bad = buf_putc(&b, '\'');
    for (const char *q = dflt + 1; *q; q++) {
        if (*q == '\'' && q[1] == '\'') {
            bad |= buf_puts(&b, "''");
            q++;
        } else if (*q == '\'') {
            break;
        } else if (*q == '\\') {
            bad |= buf_puts(&b, "\\\\");
        } else {
            bad |= buf_putc(&b, *q);
        }
    }
    bad |= buf_putc(&b, '\'');
    if (!bad)
        out = strdup(b.data);
    buf_free(&b);
    return out;
}

/* An index name within MySQL's 64 characters, unique in the table. */
static void index_name(const struct ddl_table *t, const struct ddl_index *ix, char **used,
                       size_t nused, char out[65])
{
    char full[1024];
    size_t n = (size_t)snprintf(full, sizeof full, "%s", t->name);
    for (size_t c = 0; c < ix->ncols && n < sizeof full; c++)
        n += (size_t)snprintf(full + n, sizeof full - n, "_%s", ix->cols[c]);
    if (n >= sizeof full)
        n = sizeof full - 1;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)full[i]) && full[i] != '_')
            full[i] = '_';
    if (n > 64)
        snprintf(full + 55, sizeof full - 55, "_%08lx",
                 crc32(0L, (const Bytef *)full, (uInt)n) & 0xffffffffUL);
    full[64] = '\0';
    memcpy(out, full, strlen(full) + 1);
    for (int k = 2;; k++) {
        bool taken = false;
        for (size_t i = 0; i < nused && !taken; i++)
            taken = strcasecmp(used[i], out) == 0;
        if (!taken)
            return;
        if (snprintf(out, 65, "%.58s_%d", full, k % 100000) < 0)
            return;
    }
}

static bool in_key(const struct ddl_table *t, const char *col)
{
    for (size_t i = 0; i < t->nidx; i++)
        for (size_t c = 0; c < t->idx[i].ncols; c++)
            if (strcasecmp(t->idx[i].cols[c], col) == 0)
                return true;
    return false;
}

static const struct ddl_col *find_col(const struct ddl_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcasecmp(t->cols[i].name, name) == 0)
            return &t->cols[i];
    return NULL;
}

/* Whether the mapping file converts a column of foreign key fk of table t
 * (its own, or the one it references). */
static bool fk_converted(const struct ddl_schema *s, const struct ddl_table *t,
                         const struct ddl_fk *fk)
{
    const struct ddl_table *ref = NULL;
    for (size_t i = 0; i < s->n && ref == NULL; i++)
        if (strcasecmp(s->t[i].name, fk->ref) == 0)
            ref = &s->t[i];
    for (size_t k = 0; k < fk->n; k++) {
        const struct ddl_col *a = find_col(t, fk->cols[k]);
        const struct ddl_col *b = ref && fk->refcols[k] ? find_col(ref, fk->refcols[k]) : NULL;
        if ((a != NULL && a->forced) || (b != NULL && b->forced))
            return true;
    }
    return false;
}

/* The table and primary-key columns foreign key fk of table t references,
 * when it names that table's whole primary key in order, has no row without
 * its parent and no column the mapping file converts; false otherwise.
 * refcols has room for fk->n entries. */
static bool fk_resolve(const struct ddl_schema *s, const struct ddl_table *t,
                       const struct ddl_fk *fk, const struct ddl_table **ref_out,
                       const struct ddl_col **refcols)
{
    if (fk_converted(s, t, fk))
        return false;
    const struct ddl_table *ref = NULL;
    for (size_t i = 0; i < s->n && fk->orphans == 0; i++)
        if (strcasecmp(s->t[i].name, fk->ref) == 0)
            ref = &s->t[i];
    if (ref == NULL)
        return false;
    size_t npk = 0;
    for (size_t c = 0; c < ref->ncols; c++)
        npk += ref->cols[c].pk > 0;
    if (npk != fk->n)
        return false;
    for (size_t k = 0; k < fk->n; k++) {
        const struct ddl_col *rc = fk->refcols[k] ? find_col(ref, fk->refcols[k]) : NULL;
        if (rc == NULL && fk->refcols[k] == NULL)
            for (size_t c = 0; c < ref->ncols && rc == NULL; c++)
                if (ref->cols[c].pk == (int)k + 1)
                    rc = &ref->cols[c];
        if (rc == NULL || rc->pk != (int)k + 1 || rc->forced || find_col(t, fk->cols[k]) == NULL)
            return false;
        refcols[k] = rc;
    }
    *ref_out = ref;
    return true;
}

/* Appends why foreign key fk is left out of the design. */
static void fk_left_out(const struct ddl_schema *s, const struct ddl_table *t,
                        const struct ddl_fk *fk, struct buf *out)
{
    buf_puts(out, "the foreign key (");
    for (size_t c = 0; c < fk->n; c++)
        buf_printf(out, "%s%s", c ? ", " : "", fk->cols[c]);
    if (fk->orphans > 0)
        buf_printf(out,
                   ") -> %s is left out: %lld row(s) in %zu file(s) have no parent row of the "
                   "same value and type (the first: %s); SQLite enforces foreign keys only "
                   "when asked",
                   fk->ref, fk->orphans, fk->orphan_files, fk->orphan_file);
    else if (fk_converted(s, t, fk))
        buf_printf(out, ") -> %s is left out: the mapping file converts its columns", fk->ref);
    else
        buf_printf(out, ") -> %s is left out: it does not name that table's primary key", fk->ref);
}

/* Appends the composite foreign key (project, cols) -> ref (project, key):
 * the referenced columns must be the referenced table's primary key (else a
 * comment says it is left out). */
static void render_fk(const struct ddl_schema *s, const struct ddl_table *t,
                      const struct ddl_fk *fk, const char *project_column, struct buf *out)
{
    const struct ddl_table *ref = NULL;
    const struct ddl_col **refcols = calloc(fk->n, sizeof *refcols);
    bool ok = refcols != NULL && fk_resolve(s, t, fk, &ref, refcols);
    free(refcols);
    if (!ok) { /* said in the DDL, not refused: the data loads the same */
        struct buf why;
        buf_init(&why, 0);
        fk_left_out(s, t, fk, &why);
        buf_puts(out, "\n  /* ");
        for (const char *q = why.data; q != NULL && *q; q++) /* no comment end inside */
            buf_puts(out, q[0] == '*' && q[1] == '/' ? "*\\" : (char[]){*q, 0});
        buf_puts(out, " */");
        buf_free(&why);
        return;
    }
    struct ddl_index as_index = {false, fk->n, fk->cols};
    char name[65], full[80];
    index_name(t, &as_index, NULL, 0, name);
    snprintf(full, sizeof full, "fk_%.58s", name);
    buf_puts(out, ",\n  CONSTRAINT ");
    ident(out, full);
    buf_puts(out, " FOREIGN KEY (");
    ident(out, project_column);
    for (size_t k = 0; k < fk->n; k++) {
        buf_puts(out, ", ");
        ident(out, fk->cols[k]);
    }
    buf_puts(out, ") REFERENCES ");
    ident(out, ref->name);
    buf_puts(out, " (");
    ident(out, project_column);
    for (int k = 1; k <= (int)ref->ncols; k++)
        for (size_t c = 0; c < ref->ncols; c++)
            if (ref->cols[c].pk == k) {
                buf_puts(out, ", ");
                ident(out, ref->cols[c].name);
            }
    buf_putc(out, ')');
}

/* Folds the statistics of b into a. */
static void merge_values(struct ddl_values *a, const struct ddl_values *b)
{
    a->n_int += b->n_int;
    a->n_real += b->n_real;
    a->n_text += b->n_text;
    a->n_blob += b->n_blob;
    a->n_null += b->n_null;
    a->real_frac = a->real_frac || b->real_frac;
    a->text_time = a->text_time || b->text_time;
    a->text_nodate = a->text_nodate || b->text_nodate;
    a->bool_like = a->bool_like && b->bool_like;
    a->nmin = fmin(a->nmin, b->nmin);
    a->nmax = fmax(a->nmax, b->nmax);
    a->max_chars = a->max_chars > b->max_chars ? a->max_chars : b->max_chars;
    a->max_bytes = a->max_bytes > b->max_bytes ? a->max_bytes : b->max_bytes;
}

static bool date_class(enum ddl_class c)
{
    return c == DDL_DATE || c == DDL_DATETIME;
}

static void groups_drop(struct ddl_groups *g)
{
    free(g->base);
    free(g->root);
    free(g->size);
    free(g->v);
    free(g->decl);
    memset(g, 0, sizeof *g);
}

static size_t groups_find(size_t *root, size_t k)
{
    while (root[k] != k) {
        root[k] = root[root[k]];
        k = root[k];
    }
    return k;
}

/* Builds g for s: union-find over the keys that are made. Returns 0 or -1. */
static int groups_build(const struct ddl_schema *s, struct ddl_groups *g)
{
    size_t total = 0;
    if ((g->base = malloc((s->n + 1) * sizeof *g->base)) == NULL)
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        g->base[i] = total;
        total += s->t[i].ncols;
    }
    g->root = malloc((total + 1) * sizeof *g->root);
    g->size = calloc(total + 1, sizeof *g->size);
    g->v = calloc(total + 1, sizeof *g->v);
    g->decl = calloc(total + 1, sizeof *g->decl);
    bool *referenced = calloc(total + 1, sizeof *referenced);
    int rc = g->root && g->size && g->v && g->decl && referenced ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < total; k++)
        g->root[k] = k;
    for (size_t i = 0; rc == 0 && s->foreign_keys && i < s->n; i++)
        for (size_t f = 0; rc == 0 && f < s->t[i].nfk; f++) {
            const struct ddl_fk *fk = &s->t[i].fks[f];
            const struct ddl_table *ref;
            const struct ddl_col **rcs = calloc(fk->n + 1, sizeof *rcs);
            if (rcs == NULL)
                rc = -1;
            else if (fk_resolve(s, &s->t[i], fk, &ref, rcs))
                for (size_t c = 0; c < fk->n; c++) {
                    const struct ddl_col *a = find_col(&s->t[i], fk->cols[c]);
                    if (a == NULL)
                        continue;
                    size_t ka = g->base[i] + (size_t)(a - s->t[i].cols);
                    size_t kb = g->base[ref - s->t] + (size_t)(rcs[c] - ref->cols);
                    g->root[groups_find(g->root, ka)] = groups_find(g->root, kb);
                    referenced[kb] = true;
                }
            free(rcs);
        }
    for (size_t i = 0; rc == 0 && i < s->n; i++)
        for (size_t c = 0; c < s->t[i].ncols; c++) {
            size_t k = g->base[i] + c, r = groups_find(g->root, k);
            const struct ddl_col *col = &s->t[i].cols[c];
            if (g->size[r]++ == 0)
                g->v[r] = col->v;
            else
                merge_values(&g->v[r], &col->v);
            if (referenced[k] && g->decl[r] == NULL)
                g->decl[r] = col;
        }
    for (size_t i = 0; rc == 0 && i < s->n; i++) /* text nobody read as a date */
        for (size_t c = 0; c < s->t[i].ncols; c++) {
            size_t r = g->root[g->base[i] + c];
            const struct ddl_col *col = &s->t[i].cols[c];
            if (g->decl[r] != NULL && date_class(g->decl[r]->d.cls) && !date_class(col->d.cls) &&
                col->v.n_text > 0)
                g->v[r].text_nodate = true;
        }
    free(referenced);
    g->ready = rc == 0;
    if (rc != 0)
        groups_drop(g);
    return rc;
}

/* The group of column col of table t: its size (1: no group), and when in
 * one, the declaration and values that type it. */
static size_t column_group(const struct ddl_schema *s, const struct ddl_table *t,
                           const struct ddl_col *col, const struct ddl_decl **d,
                           const struct ddl_values **v)
{
    struct ddl_groups *g = s->groups;
    *d = &col->d;
    *v = &col->v;
    if (!g->ready && groups_build(s, g) != 0)
        return 1;
    size_t r = g->root[g->base[t - s->t] + (size_t)(col - t->cols)];
    if (g->size[r] > 1) {
        *d = g->decl[r] != NULL ? &g->decl[r]->d : &col->d;
        *v = &g->v[r];
    }
    return g->size[r];
}

/* The type (and note) of column col of t, keys sized as keys, a column of a
 * foreign-key group typed with its group (see struct ddl_groups). */
static void column_type(const struct ddl_schema *s, const struct ddl_table *t,
                        const struct ddl_col *col, char *type, size_t typesize, char *note,
                        size_t notesize)
{
    bool key = col->pk > 0 || in_key(t, col->name);
    if (col->forced) { /* the mapping file says how its values convert */
        if (col->unit == XFORM_UNIT_TEXT && key)
            snprintf(type, typesize, "VARCHAR(%zu)", col->v.max_chars ? col->v.max_chars : 1);
        else if (col->unit == XFORM_UNIT_TEXT)
            snprintf(type, typesize, "%s", text_type(col->v.max_bytes));
        else
            snprintf(type, typesize, "DATETIME(6)");
        snprintf(note, notesize, "converted as the mapping file says");
        return;
    }
    const struct ddl_decl *d;
    const struct ddl_values *v;
    size_t n = column_group(s, t, col, &d, &v);
    ddl_choose(&col->d, &col->v, key || n > 1, type, typesize, note, notesize);
    if (n == 1)
        return;
    char solo[64], why[160];
    snprintf(solo, sizeof solo, "%s", type);
    ddl_choose(d, v, true, type, typesize, why, sizeof why);
    if (strcmp(solo, type) != 0)
        snprintf(note, notesize, "one type with the %zu columns its foreign keys join%s%s", n,
                 why[0] ? ": " : "", why);
    else
        snprintf(note, notesize, "%s", why);
}

/* SQLite lets a rowid table's declared key hold NULLs; MySQL does not: the
 * rowid becomes the key and the declared one a UNIQUE key (which, as in
 * SQLite, lets NULLs repeat). */
static bool pk_holds_null(const struct ddl_table *t)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (t->cols[c].pk > 0 && t->cols[c].v.n_null > 0)
            return true;
    return false;
}

/* NOT NULL in the design: a key column without NULLs, or NOT NULL in every
 * file. */
static bool col_notnull(const struct ddl_table *t, const struct ddl_col *col)
{
    return (col->pk > 0 && col->v.n_null == 0) || (col->notnull && col->files == t->files);
}

int ddl_schema_table(const struct ddl_schema *s, size_t i, const char *project_column, size_t idlen,
                     struct schema_table *out)
{
    memset(out, 0, sizeof *out);
    if (i >= s->n)
        return -1;
    const struct ddl_table *t = &s->t[i];
    char type[64], note[256];
    out->name = strdup(t->name);
    out->cols = calloc(t->ncols + 2, sizeof *out->cols);
    snprintf(type, sizeof type, "VARCHAR(%zu)", idlen > 64 ? idlen : 64);
    if (out->name == NULL || out->cols == NULL ||
        schema_column_designed(&out->cols[out->ncols++], project_column, type, false, false) != 0 ||
        ((t->rowid_key || pk_holds_null(t)) &&
         schema_column_designed(&out->cols[out->ncols++], "litelift_rowid", "BIGINT", false,
                                false) != 0))
        goto fail;
    for (size_t c = 0; c < t->ncols; c++) {
        const struct ddl_col *col = &t->cols[c];
        column_type(s, t, col, type, sizeof type, note, sizeof note);
        char *dl = default_literal(col->dflt, type);
        bool has_default = dl != NULL;
        free(dl);
        if (schema_column_designed(&out->cols[out->ncols++], col->name, type, !col_notnull(t, col),
                                   has_default) != 0)
            goto fail;
    }
    return 0;
fail:
    schema_table_free(out);
    return -1;
}

int ddl_columns(const struct ddl_schema *s, size_t i,
                void (*fn)(void *ctx, const char *column, const char *type), void *ctx)
{
    if (i >= s->n)
        return -1;
    for (size_t c = 0; c < s->t[i].ncols; c++) {
        char type[64], note[256];
        column_type(s, &s->t[i], &s->t[i].cols[c], type, sizeof type, note, sizeof note);
        fn(ctx, s->t[i].cols[c].name, type);
    }
    return 0;
}

/* Why MySQL would refuse name as a table or column name, or NULL: empty,
 * longer than 64 characters, or ending in a space. */
static const char *bad_name(const char *name)
{
    size_t chars = utf8_count(name), n = strlen(name);
    if (n == 0)
        return "that is empty";
    if (chars > 64)
        return "longer than 64 characters";
    if (name[n - 1] == ' ')
        return "that ends in a space";
    return NULL;
}

size_t ddl_ntables(const struct ddl_schema *s)
{
    return s->n;
}

int ddl_table(const struct ddl_schema *s, size_t i, const char *project_column, size_t idlen,
              const char **name, struct buf *out, struct buf *problems, ddl_defer_fn defer,
              void *ctx)
{
    struct buf later;
    buf_init(&later, 0);
    if (i >= s->n)
        return -1;
    const struct ddl_table *t = &s->t[i];
    char(*types)[64] = calloc(t->ncols + 1, sizeof *types);
    char **used = calloc(t->nidx + 2, sizeof *used);
    char **pkcols = calloc(t->ncols + 1, sizeof *pkcols);
    if (types == NULL || used == NULL || pkcols == NULL) {
        free(types);
        free(used);
        free(pkcols);
        return -1;
    }
    struct ddl_index pkix = {true, 0, pkcols};
    for (int k = 1; k <= (int)t->ncols; k++)
        for (size_t c = 0; c < t->ncols; c++)
            if (t->cols[c].pk == k)
                pkcols[pkix.ncols++] = t->cols[c].name;
    bool null_pk = pk_holds_null(t), rowid = t->rowid_key || null_pk;
    if (null_pk && t->without_rowid)
        buf_printf(problems,
                   "table %s: its primary key holds NULLs in a rowid table, but the table is "
                   "WITHOUT ROWID in another file: no key serves both\n",
                   t->name);
    *name = t->name;
    buf_append(problems, t->problems.data, t->problems.len);
    const char *why = bad_name(t->name);
    if (why != NULL && strlen(t->source) < 49)
        buf_printf(problems,
                   "table %s: MySQL takes no table name %s; rename it in the mapping file ([%s] "
                   "rename = NEW_NAME)\n",
                   t->name, why, t->source);
    else if (why != NULL) /* inih reads no longer section names */
        buf_printf(problems,
                   "table %s: MySQL takes no table name %s, and the mapping file cannot name a "
                   "table this long: rename it in the files\n",
                   t->name, why);
    for (size_t c = 0; c < t->ncols; c++)
        if ((why = bad_name(t->cols[c].name)) != NULL)
            buf_printf(problems,
                       "table %s: MySQL takes no column name %s (column `%s`); rename it in the "
                       "mapping file ([%s] %s.rename = NEW_NAME)\n",
                       t->name, why, t->cols[c].name, t->source, t->cols[c].source);
    for (size_t c = 0; c < t->ncols; c++) { /* names the design adds itself */
        bool project = strcasecmp(t->cols[c].name, project_column) == 0;
        if (project || (rowid && strcasecmp(t->cols[c].name, "litelift_rowid") == 0))
            buf_printf(problems,
                       "table %s: its column %s has the name of the %s column; rename it in "
                       "the mapping file ([%s] %s.rename = NEW_NAME)%s\n",
                       t->name, t->cols[c].name, project ? "project" : "rowid", t->source,
                       t->cols[c].source, project ? " or choose another --project-column" : "");
    }
    size_t pbytes = 4 * (idlen > 64 ? idlen : 64) + 2;
    buf_puts(out, "CREATE TABLE ");
    ident(out, t->name);
    buf_printf(out, " (\n  ");
    ident(out, project_column);
    buf_printf(out, " VARCHAR(%zu) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL",
               idlen > 64 ? idlen : 64);
    if (rowid)
        buf_printf(out, ",\n  `litelift_rowid` BIGINT NOT NULL COMMENT 'the SQLite rowid: %s'",
                   null_pk ? "the declared primary key holds NULLs (SQLite allows them in a "
                             "rowid table), so it is a UNIQUE key here"
                           : "the table declares no primary key");
    size_t pk_bytes = pbytes + (rowid ? 8 : 0);
    for (size_t c = 0; c < t->ncols; c++) {
        const struct ddl_col *col = &t->cols[c];
        char note[256];
        column_type(s, t, col, types[c], sizeof types[c], note, sizeof note);
        bool notnull = col_notnull(t, col);
        char *dl = default_literal(col->dflt, types[c]);
        buf_puts(out, ",\n  ");
        ident(out, col->name);
        buf_printf(out, " %s%s", types[c], notnull ? " NOT NULL" : "");
        if (dl != NULL)
            buf_printf(out, " DEFAULT %s", dl);
        if (col->files < t->files)
            snprintf(note + strlen(note), sizeof note - strlen(note), "%sonly in %zu of %zu files",
                     note[0] ? "; " : "", col->files, t->files);
        if (col->generated)
            snprintf(note + strlen(note), sizeof note - strlen(note),
                     "%sgenerated in SQLite: holds the values SQLite computed",
                     note[0] ? "; " : "");
        if (col->dflt != NULL && dl == NULL && strcasecmp(col->dflt, "NULL") != 0)
            snprintf(note + strlen(note), sizeof note - strlen(note), "%sSQLite default %s dropped",
                     note[0] ? "; " : "", col->dflt);
        if (note[0] != '\0') {
            buf_puts(out, " COMMENT '");
            for (const char *q = note; *q; q++)
                buf_puts(out, *q == '\'' ? "\'\'" : *q == '\\' ? "\\\\" : (char[]){*q, 0});
            buf_putc(out, '\'');
        }
        free(dl);
        if (col->pk > 0 && !null_pk)
            pk_bytes += key_bytes(types[c]);
    }
    buf_puts(out, ",\n  PRIMARY KEY (");
    ident(out, project_column);
    if (rowid)
        buf_puts(out, ", `litelift_rowid`");
    for (size_t k = 0; k < pkix.ncols && !null_pk; k++) {
        buf_puts(out, ", ");
        ident(out, pkix.cols[k]);
    }
    buf_putc(out, ')');
    if (pk_bytes > 3072)
        buf_printf(problems, "table %s: primary key of %zu bytes exceeds InnoDB's 3072\n", t->name,
                   pk_bytes);
    for (size_t i2 = 0; i2 < t->nidx + null_pk; i2++) {
        const struct ddl_index *ix = i2 < t->nidx ? &t->idx[i2] : &pkix;
        char iname[65];
        index_name(t, ix, used, i2, iname);
        used[i2] = strdup(iname);
        size_t bytes = pbytes;
        for (size_t c = 0; c < ix->ncols; c++) {
            const struct ddl_col *col = find_col(t, ix->cols[c]);
            bytes += col ? key_bytes(types[col - t->cols]) : 8;
        }
        /* a plain index is built after the data (faster, see README) when the
         * caller takes it; a UNIQUE one must hold while rows arrive */
        struct buf *dst = out;
        if (defer != NULL && !ix->unique) {
            buf_reset(&later);
            dst = &later;
            buf_puts(dst, "ALTER TABLE ");
            ident(dst, t->name);
            buf_puts(dst, " ADD KEY ");
        } else {
            buf_printf(dst, ",\n  %sKEY ", ix->unique ? "UNIQUE " : "");
        }
        ident(dst, iname);
        buf_puts(dst, " (");
        ident(dst, project_column);
        size_t over = bytes > 3072 ? bytes - 3072 : 0, prefixed = 0, prefix = 0;
        for (size_t c = 0; c < ix->ncols; c++) {
            const struct ddl_col *col = find_col(t, ix->cols[c]);
            buf_puts(dst, ", ");
            ident(dst, ix->cols[c]);
            if (over > 0 && col != NULL && strncmp(types[col - t->cols], "VARCHAR", 7) == 0 &&
                !ix->unique) {
                size_t chars = strtoul(strchr(types[col - t->cols], '(') + 1, NULL, 10);
                size_t cut = (over + 3) / 4 < chars ? chars - (over + 3) / 4 : 1;
                buf_printf(dst, "(%zu)", cut); /* a prefix: the key limit */
                over = 0;
                prefixed = c;
                prefix = cut;
            }
        }
        buf_putc(dst, ')');
        if (prefix > 0) {
            buf_puts(dst, " COMMENT '");
            for (const char *q = ix->cols[prefixed]; *q; q++)
                buf_puts(dst, *q == '\'' ? "''" : *q == '\\' ? "\\\\" : (char[]){*q, 0});
            buf_printf(dst,
                       ": a prefix of %zu characters (the index would exceed InnoDB''s 3072-byte "
                       "key limit)'",
                       prefix);
        }
        if (dst == &later)
            defer(ctx, t->name, iname, later.data);
        if (over > 0)
            buf_printf(problems, "table %s: %s index %s of %zu bytes exceeds InnoDB's 3072\n",
                       t->name, ix->unique ? "unique" : "the", iname, bytes);
    }
    for (size_t k = 0; s->foreign_keys && k < t->nfk; k++)
        render_fk(s, t, &t->fks[k], project_column, out);
    buf_printf(out, "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='%s'",
               DDL_MARK);
    for (size_t k = 0; k < t->nidx + null_pk; k++)
        free(used[k]);
    free(used);
    free(pkcols);
    free(types);
    buf_free(&later);
    return 0;
}

/* ddl_render's defer callback: the statement, after the tables. */
static void print_later(void *ctx, const char *table, const char *index, const char *sql)
{
    (void)table;
    (void)index;
    buf_printf(ctx, "%s;\n", sql);
}

size_t ddl_render(const struct ddl_schema *s, const char *project_column, size_t idlen,
                  const bool *only, struct buf *out, struct buf *problems)
{
    struct buf later, kept;
    buf_init(&later, 0);
    buf_init(&kept, 0);
    for (size_t i = 0; i < s->n; i++) {
        const char *name;
        bool print = only == NULL || only[i];
        buf_reset(&kept);
        if (ddl_table(s, i, project_column, idlen, &name, print ? out : &kept, problems,
                      print_later, print ? &later : &kept) != 0)
            continue;
        if (print) {
            buf_puts(out, ";\n\n");
        } else {
            buf_puts(out, "-- table ");
            target_quote_ident(out, name);
            buf_puts(out, " is in the target already: kept as it is\n\n");
        }
    }
    if (later.len > 0) {
        buf_puts(out, "-- after the data is loaded:\n");
        buf_append(out, later.data, later.len);
    }
    buf_free(&later);
    buf_free(&kept);
    return s->n;
}

void ddl_free(struct ddl_schema *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++) {
        struct ddl_table *t = &s->t[i];
        for (size_t c = 0; c < t->ncols; c++) {
            free(t->cols[c].name);
            free(t->cols[c].source);
            free(t->cols[c].decl);
            free(t->cols[c].dflt);
        }
        for (size_t k = 0; k < t->nidx; k++) {
            for (size_t c = 0; c < t->idx[k].ncols; c++)
                free(t->idx[k].cols[c]);
            free(t->idx[k].cols);
        }
        for (size_t k = 0; k < t->nfk; k++)
            fk_free(&t->fks[k]);
        free(t->fks);
        free(t->cols);
        free(t->idx);
        free(t->name);
        free(t->source);
        free(t->first_file);
        buf_free(&t->problems);
    }
    free(s->t);
    groups_drop(s->groups);
    free(s->groups);
    free(s);
}

size_t ddl_orphans(const struct ddl_schema *s, struct buf *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n && s->foreign_keys; i++)
        for (size_t k = 0; k < s->t[i].nfk; k++) {
            const struct ddl_fk *fk = &s->t[i].fks[k];
            if (fk->orphans == 0)
                continue;
            buf_printf(out, "table %s: ", s->t[i].name);
            fk_left_out(s, &s->t[i], fk, out);
            buf_putc(out, '\n');
            n++;
        }
    return n;
}

void ddl_each_unit(const struct ddl_schema *s,
                   void (*fn)(void *ctx, const char *table, const char *column,
                              enum xform_unit unit),
                   void *ctx)
{
    for (size_t i = 0; i < s->n; i++)
        for (size_t c = 0; c < s->t[i].ncols; c++) {
            const struct ddl_decl *d;
            const struct ddl_values *v; /* a foreign-key group's, like its type */
            column_group(s, &s->t[i], &s->t[i].cols[c], &d, &v);
            enum xform_unit u = ddl_unit(d, v);
            if (u != XFORM_UNIT_AUTO && v->n_text == 0 && !s->t[i].cols[c].forced)
                fn(ctx, s->t[i].source, s->t[i].cols[c].source, u);
        }
}

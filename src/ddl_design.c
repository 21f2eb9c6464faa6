/* ddl_design: the design over files: one table per SQLite table name (as the
 * mapping file renames it), its columns' declarations merged file by file,
 * their stored values summed up in one scan per table, and the conflicts
 * between files recorded (see ddl.h). */
#include "ddl_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping.h"
#include "schema.h"
#include "val.h"
#include "xform.h"

struct ddl_schema *ddl_new(bool foreign_keys, const struct mapping *map)
{
    struct ddl_schema *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->foreign_keys = foreign_keys;
    s->map = map;
    s->checks_enforced = true;
    if ((s->groups = calloc(1, sizeof *s->groups)) == NULL) {
        free(s);
        return NULL;
    }
    return s;
}

void ddl_set_key_length(struct ddl_schema *s, size_t n)
{
    s->key_length = n;
}

size_t ddl_ntables(const struct ddl_schema *s)
{
    return s->n;
}

const char *ddl_mapped_table(const struct ddl_schema *s, const char *table)
{
    const struct mapping_table *mt = mapping_table(s->map, table);
    if (mt != NULL && mt->skip)
        return NULL;
    return mt != NULL && mt->rename != NULL ? mt->rename : table;
}

const char *ddl_mapped_col(const struct ddl_schema *s, const char *table, const char *col)
{
    const struct mapping_column *mc = mapping_column(mapping_table(s->map, table), col);
    if (mc != NULL && mc->skip)
        return NULL;
    return mc != NULL && mc->rename != NULL ? mc->rename : col;
}

const char *ddl_name_of(const struct reader_table *st, const char *const *names, const char *col)
{
    for (size_t i = 0; i < st->ncols; i++)
        if (strcasecmp(st->cols[i].name, col) == 0)
            return names[i];
    return NULL;
}

const struct ddl_col *ddl_find_col(const struct ddl_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcasecmp(t->cols[i].name, name) == 0)
            return &t->cols[i];
    return NULL;
}

const struct ddl_table *ddl_find_table(const struct ddl_schema *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcasecmp(s->t[i].name, name) == 0)
            return &s->t[i];
    return NULL;
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
    buf_init(&t->problems, BUF_CAP_LIST / 4); /* a table leaves room in the list for others */
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
        if (d.cls == DDL_INT && (d.int_bytes == 0 || d.int_bytes > c->d.int_bytes) &&
            c->d.int_bytes != 0) /* the widest declaration of the files */
            c->d.int_bytes = d.int_bytes;
        return;
    }
    if (numeric_class(d.cls) && numeric_class(c->d.cls)) { /* INTEGER u REAL -> DOUBLE */
        c->d.cls = DDL_REAL;
        return;
    }
    buf_printf(&t->problems, "table %s column %s: declared %s in %s but %s in %s\n", t->name,
               c->name, c->decl, t->first_file, decl, file);
}

/* Widens the longest value of s to chars characters of bytes bytes. */
static void widen(struct ddl_values *s, size_t chars, size_t bytes)
{
    if (chars > s->max_chars)
        s->max_chars = chars;
    if (bytes > s->max_bytes)
        s->max_bytes = bytes;
}

/* Folds one INTEGER or REAL value into the statistics. */
static void add_number(struct ddl_values *s, const struct xform_src *v)
{
    bool real = v->type == SQLITE_FLOAT;
    double d = real ? v->d : (double)v->i;
    if (real)
        s->n_real++;
    else
        s->n_int++;
    if (real && d != trunc(d))
        s->real_frac = true;
    if (d < s->nmin)
        s->nmin = d;
    if (d > s->nmax)
        s->nmax = d;
    if (!(d == 0 || d == 1))
        s->bool_like = false;
    char tmp[VAL_DOUBLE_MAX];
    size_t n =
        !real ? (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)v->i) : val_double(d, tmp);
    if (real && strpbrk(tmp, ".eE") == NULL)
        n += 2; /* a REAL's text keeps its ".0", as the conversion writes it */
    widen(s, n, n);
}

/* Folds one TEXT value into the statistics; with dt (a date column), whether
 * it reads as a date, at midnight. */
static void add_text(struct ddl_values *s, const struct xform_src *v,
                     const struct schema_column *dt)
{
    size_t n = v->n, chars = 0, bytes = n;
    s->n_text++;
    if (val_utf8_check(v->p, n, &chars, NULL) != n) {
        /* not UTF-8: --invalid-utf8 replace/cp1252 make each byte at most one
         * character of at most three bytes */
        chars = n;
        bytes = 3 * n;
    }
    s->bool_like = s->bool_like && xform_bool_word(v->p, n) >= 0;
    if (dt != NULL) {
        struct buf arena, why;
        struct xform_val out;
        buf_init(&arena, BUF_CAP_ROW);
        buf_init(&why, BUF_CAP_MSG);
        if (xform_value(dt, v, &arena, &out, &why) != 0)
            s->text_nodate = true;
        else if (dt->kind == SCHEMA_DATETIME && arena.data != NULL &&
                 strcmp(arena.data + out.off + 10, " 00:00:00.000000"))
            s->text_time = true;
        buf_free(&arena);
        buf_free(&why);
    }
    widen(s, chars, bytes);
}

/* Folds one value into the column's statistics (dt: see add_text). */
static void add_value(struct ddl_col *c, const struct xform_src *v, const struct schema_column *dt)
{
    if (v->type == SQLITE_NULL) {
        c->v.n_null++;
    } else if (v->type == SQLITE_INTEGER || v->type == SQLITE_FLOAT) {
        add_number(&c->v, v);
    } else if (v->type == SQLITE_BLOB) {
        c->v.n_blob++;
        c->v.bool_like = false;
        widen(&c->v, 0, v->n);
    } else {
        add_text(&c->v, v, dt);
    }
}

/* Reads table t's values into the design of dt. */
static int scan_values(struct ddl_table *dt, struct reader *r, size_t t, const char *const *names,
                       struct error *err)
{
    const struct reader_table *st = &r->tables[t];
    struct ddl_col **cols = calloc(st->ncols + 1, sizeof *cols);
    struct schema_column date = {.kind = SCHEMA_DATETIME, .fsp = 6, .nullable = true};
    struct schema_column time = {.kind = SCHEMA_TIME, .fsp = 6, .nullable = true};
    if (cols == NULL)
        return error_oom(err);
    for (size_t c = 0; c < st->ncols; c++)
        cols[c] = names[c] != NULL ? get_col(dt, names[c], st->cols[c].name) : NULL;
    int step, rc = reader_table_begin(r, t, NULL, 0, err);
    while (rc == 0 && (step = reader_next(r, err)) == 1)
        for (size_t c = 0; c < st->ncols; c++) {
            struct xform_src v;
            if (cols[c] == NULL)
                continue;
            reader_value(r, c, &v);
            if (ddl_collate_value(cols[c], &v) != 0) {
                rc = error_oom(err);
                break;
            }
            add_value(cols[c], &v,
                      ddl_date_class(cols[c]->d.cls) ? &date
                      : cols[c]->d.cls == DDL_TIME   ? &time
                                                     : NULL);
        }
    if (rc == 0 && step < 0)
        rc = -1;
    free(cols);
    return rc;
}

/* Checks the primary key of source table st (tname: its mapped name) against
 * what earlier files said of dt (the first file's sets it); a difference is
 * recorded. */
static void merge_pk(struct ddl_table *dt, const char *tname, const struct reader_table *st,
                     const char *const *names, const char *file)
{
    bool rowid_key = st->npk == 0, same = true;
    for (size_t k = 0; k < st->npk; k++)
        if (names[st->pk_cols[k]] == NULL) {
            buf_printf(&dt->problems,
                       "table %s: the mapping file skips column %s of its primary key\n", st->name,
                       st->cols[st->pk_cols[k]].name);
            same = false;
        }
    if (dt->files == 0) {
        dt->rowid_key = rowid_key;
        return;
    }
    same = same && dt->rowid_key == rowid_key;
    for (size_t k = 0; same && k < st->npk; k++) {
        struct ddl_col *c = get_col(dt, names[st->pk_cols[k]], st->cols[st->pk_cols[k]].name);
        same = c != NULL && c->pk == (int)k + 1;
    }
    for (size_t i = 0; same && i < dt->ncols; i++)
        same = dt->cols[i].pk == 0 || (size_t)dt->cols[i].pk <= st->npk;
    if (!same)
        buf_printf(&dt->problems, "table %s: a different primary key in %s than in %s\n", tname,
                   file, dt->first_file);
}

/* Merges source column sc (of table st, mt its mapping) into dc. Returns 0
 * or -1 (out of memory). */
static int merge_col(struct ddl_table *dt, struct ddl_col *dc, const struct reader_column *sc,
                     const struct mapping_table *mt, const char *file)
{
    merge_decl(dt, dc, sc->decl_type, file);
    if (dt->files == 0)
        dc->pk = sc->pk;
    dc->notnull = dc->notnull && sc->notnull;
    dc->generated = dc->generated || sc->generated;
    int rc = ddl_default_merge(dc, sc->dflt, file);
    dc->files++;
    const struct mapping_column *mc = mapping_column(mt, sc->name);
    if (mc != NULL && mc->has_unit) {
        dc->forced = true;
        dc->unit = mc->unit;
    }
    return rc;
}

/* Merges the columns of source table st (tname: its mapped name) into dt.
 * Returns 0 or -1. */
static int merge_cols(const struct ddl_schema *s, struct ddl_table *dt, const char *tname,
                      const struct reader_table *st, const char *const *names, const char *file,
                      struct error *err)
{
    const struct mapping_table *mt = mapping_table(s->map, st->name);
    for (size_t c = 0; c < st->ncols; c++) {
        if (names[c] == NULL)
            continue; /* the mapping file skips it */
        struct ddl_col *dc = get_col(dt, names[c], st->cols[c].name);
        if (dc == NULL)
            return error_oom(err);
        if (dc->added == s->adds) { /* the mapping file renames two columns onto one */
            buf_printf(&dt->problems,
                       "table %s: columns %s and %s of %s would both become column %s (see "
                       "the mapping file)\n",
                       tname, dc->source, st->cols[c].name, file, names[c]);
            continue;
        }
        dc->added = s->adds;
        if (merge_col(dt, dc, &st->cols[c], mt, file) != 0)
            return error_oom(err);
    }
    return 0;
}

/* Adds table t of r to the design (tname: its mapped name). Returns 0 or -1. */
static int add_table(struct ddl_schema *s, struct reader *r, size_t t, const char *tname,
                     struct error *err)
{
    const struct reader_table *st = &r->tables[t];
    struct ddl_table *dt = get_table(s, tname, st->name, r->path);
    const char **names = calloc(st->ncols + 1, sizeof *names);
    int rc = 0;
    if (dt == NULL || names == NULL) {
        rc = error_oom(err);
        goto out;
    }
    if (dt->added == s->adds) { /* the mapping file renames two tables onto one */
        buf_printf(&dt->problems,
                   "table %s: tables %s and %s of %s would both become it (see the mapping "
                   "file)\n",
                   tname, dt->source, st->name, r->path);
        goto out;
    }
    dt->added = s->adds;
    for (size_t c = 0; c < st->ncols; c++)
        names[c] = ddl_mapped_col(s, st->name, st->cols[c].name);
    merge_pk(dt, tname, st, names, r->path);
    if (merge_cols(s, dt, tname, st, names, r->path, err) != 0) {
        rc = -1;
        goto out;
    }
    ddl_autoinc_add(dt, r, t);
    dt->files++;
    dt->without_rowid = dt->without_rowid || st->without_rowid;
    /* the keys first: the values of NOCASE key columns are kept while scanning */
    if (ddl_add_indexes(dt, r, t, names, err) != 0 || ddl_collate_file(dt, r, t, names, err) != 0 ||
        scan_values(dt, r, t, names, err) != 0 || ddl_add_fks(s, dt, r, t, names, err) != 0 ||
        ddl_add_checks(dt, r, t, names, err) != 0)
        rc = -1;
out:
    free(names);
    return rc;
}

int ddl_add(struct ddl_schema *s, struct reader *r, struct error *err)
{
    ddl_groups_drop(s->groups);
    s->adds++;
    for (size_t t = 0; t < r->ntables; t++) {
        const char *tname = ddl_mapped_table(s, r->tables[t].name);
        if (tname == NULL)
            continue; /* the mapping file skips it */
        if (add_table(s, r, t, tname, err) != 0)
            return -1;
    }
    return 0;
}

/* Frees what table t holds. */
static void table_free(struct ddl_table *t)
{
    for (size_t c = 0; c < t->ncols; c++) {
        free(t->cols[c].name);
        free(t->cols[c].source);
        free(t->cols[c].decl);
        free(t->cols[c].dflt);
        free(t->cols[c].dflt_file);
        free(t->cols[c].dflt_other);
        free(t->cols[c].dflt_other_file);
        ddl_collate_free(&t->cols[c]);
    }
    for (size_t k = 0; k < t->nidx; k++) {
        for (size_t c = 0; c < t->idx[k].ncols; c++)
            free(t->idx[k].cols[c]);
        free(t->idx[k].cols);
    }
    for (size_t k = 0; k < t->nfk; k++)
        ddl_fk_free(&t->fks[k]);
    for (size_t k = 0; k < t->nchecks; k++)
        ddl_check_free(&t->checks[k]);
    free(t->checks);
    free(t->fks);
    free(t->cols);
    free(t->idx);
    free(t->name);
    free(t->source);
    free(t->first_file);
    buf_free(&t->problems);
}

void ddl_free(struct ddl_schema *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++)
        table_free(&s->t[i]);
    free(s->t);
    ddl_groups_drop(s->groups);
    free(s->groups);
    free(s);
}

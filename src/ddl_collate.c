/* ddl_collate: SQLite's COLLATE NOCASE in the design: a column NOCASE in
 * every file becomes case-insensitive (DDL_NOCASE_COLLATION) unless it is a
 * key column whose stored values would collide under that collation (two
 * values of one file told apart by SQLite but equal to the server: 'a' and
 * 'ä', 'a' and 'a '), which stays binary, said with the colliding values.
 * Who decides equality is the weigh function the caller gives (the server,
 * see schema_meaning.h; ddl_weigh_local without one). See ddl.h. */
#include "ddl_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader_sql.h"

/* The stored values of a NOCASE column, file by file. */
struct ddl_fold {
    char **v;
    size_t *len;
    size_t *file; /* per value: its index in files */
    size_t n, cap;
    char **files;
    size_t nfiles;
};

/* Whether col of t is in its primary key or a UNIQUE one. */
static bool unique_key_col(const struct ddl_table *t, const struct ddl_col *col)
{
    if (col->pk > 0)
        return true;
    for (size_t i = 0; i < t->nidx; i++)
        for (size_t c = 0; t->idx[i].unique && c < t->idx[i].ncols; c++)
            if (strcasecmp(t->idx[i].cols[c], col->name) == 0)
                return true;
    return false;
}

int ddl_collate_file(struct ddl_table *dt, struct reader *r, size_t t, const char *const *names,
                     struct error *err)
{
    char **coll;
    if (reader_sql_collations(r, t, &coll, err) != 0)
        return -1;
    int rc = 0;
    for (size_t c = 0; c < r->tables[t].ncols && rc == 0; c++) {
        struct ddl_col *col =
            names[c] != NULL ? (struct ddl_col *)ddl_find_col(dt, names[c]) : NULL;
        if (col == NULL)
            continue;
        bool nocase = coll[c] != NULL && strcmp(coll[c], "NOCASE") == 0;
        col->nocase_files += nocase;
        col->nocase_now = nocase && unique_key_col(dt, col); /* its values are kept */
        if (!col->nocase_now)
            continue;
        struct ddl_fold *f = col->fold != NULL ? col->fold : calloc(1, sizeof *f);
        char **files = f != NULL ? realloc(f->files, (f->nfiles + 1) * sizeof *files) : NULL;
        col->fold = f;
        if (files == NULL || (files[f->nfiles] = strdup(r->path)) == NULL) {
            if (files != NULL)
                f->files = files;
            rc = error_oom(err);
            continue;
        }
        f->files = files;
        f->nfiles++;
    }
    reader_sql_collations_free(coll, r->tables[t].ncols);
    return rc;
}

int ddl_collate_value(struct ddl_col *c, const struct xform_src *v)
{
    struct ddl_fold *f = c->fold;
    if (!c->nocase_now || v->type != SQLITE_TEXT)
        return 0;
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 64;
        char **nv = realloc(f->v, cap * sizeof *nv);
        if (nv != NULL)
            f->v = nv;
        size_t *nl = realloc(f->len, cap * sizeof *nl);
        if (nl != NULL)
            f->len = nl;
        size_t *nf = realloc(f->file, cap * sizeof *nf);
        if (nf != NULL)
            f->file = nf;
        if (nv == NULL || nl == NULL || nf == NULL)
            return -1;
        f->cap = cap;
    }
    if ((f->v[f->n] = malloc(v->n + 1)) == NULL)
        return -1;
    memcpy(f->v[f->n], v->p, v->n);
    f->v[f->n][v->n] = '\0';
    f->len[f->n] = v->n;
    f->file[f->n++] = f->nfiles - 1;
    return 0;
}

void ddl_collate_free(struct ddl_col *c)
{
    struct ddl_fold *f = c->fold;
    for (size_t i = 0; f != NULL && i < f->n; i++)
        free(f->v[i]);
    for (size_t i = 0; f != NULL && i < f->nfiles; i++)
        free(f->files[i]);
    if (f != NULL) {
        free(f->v);
        free(f->len);
        free(f->file);
        free(f->files);
    }
    free(f);
    free(c->collate_why);
    c->fold = NULL;
    c->collate_why = NULL;
}

int ddl_weigh_local(void *ctx, const char *collation, char *const *texts, const size_t *lens,
                    size_t n, char **weights, char *why, size_t whysize)
{
    (void)ctx;
    (void)collation;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < lens[i]; k++)
            if ((unsigned char)texts[i][k] >= 0x80 || texts[i][k] == '\0') {
                snprintf(why, whysize,
                         "values beyond ASCII are compared by the server only (give --target)");
                return 1;
            }
    for (size_t i = 0; i < n; i++) { /* ASCII: case folded, trailing spaces ignored */
        size_t len = lens[i];
        while (len > 0 && texts[i][len - 1] == ' ')
            len--;
        if ((weights[i] = strndup(texts[i], len)) == NULL)
            return -1;
        for (char *p = weights[i]; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    }
    return 0;
}

/* Order of values by file, then weight (qsort_r's comparison). */
static int by_weight(const void *a, const void *b, void *ctx)
{
    const struct ddl_fold *f = ((void **)ctx)[0];
    char *const *w = ((void **)ctx)[1];
    size_t i = *(const size_t *)a, k = *(const size_t *)b;
    if (f->file[i] != f->file[k])
        return f->file[i] < f->file[k] ? -1 : 1;
    return strcmp(w[i], w[k]);
}

/* Looks for two values of one file of f that differ but weigh the same
 * (w[i]: value i's weight); says the first such pair in why. Returns 1 when
 * there is one, 0 when not, -1 when out of memory. */
static int collision(const struct ddl_fold *f, char **w, char *why, size_t whysize)
{
    size_t *order = malloc((f->n + 1) * sizeof *order);
    if (order == NULL)
        return -1;
    for (size_t i = 0; i < f->n; i++)
        order[i] = i;
    void *ctx[2] = {(void *)f, w};
    qsort_r(order, f->n, sizeof *order, by_weight, ctx);
    int found = 0;
    for (size_t k = 1; k < f->n && !found; k++) {
        size_t a = order[k - 1], b = order[k];
        if (f->file[a] != f->file[b] || strcmp(w[a], w[b]) != 0)
            continue;
        if (f->len[a] == f->len[b] && memcmp(f->v[a], f->v[b], f->len[a]) == 0)
            continue;
        snprintf(why, whysize, "'%s' and '%s' of %s are equal under %s", f->v[a], f->v[b],
                 f->files[f->file[a]], DDL_NOCASE_COLLATION);
        found = 1;
    }
    free(order);
    return found;
}

/* Whether foreign key fk (of table u) joins column col of table t. */
static bool fk_joins(const struct ddl_table *u, const struct ddl_fk *fk, const struct ddl_table *t,
                     const struct ddl_col *col)
{
    for (size_t k = 0; k < fk->key.n; k++) {
        if (u == t && strcasecmp(fk->key.cols[k], col->name) == 0)
            return true;
        if (strcasecmp(fk->key.ref, t->name) == 0 &&
            (fk->key.refcols[k] != NULL ? strcasecmp(fk->key.refcols[k], col->name) == 0
                                        : col->pk == (int)k + 1))
            return true;
    }
    return false;
}

/* Whether the design makes a foreign key of col of t. */
static bool joined_by_fk(const struct ddl_schema *s, const struct ddl_table *t,
                         const struct ddl_col *col)
{
    for (size_t i = 0; s->foreign_keys && i < s->n; i++)
        for (size_t k = 0; k < s->t[i].nfk; k++)
            if (fk_joins(&s->t[i], &s->t[i].fks[k], t, col))
                return true;
    return false;
}

/* Decides column col of t; a reason to stay binary goes to why (empty when
 * it becomes case-insensitive). Returns 0 or -1 (out of memory). */
static int decide(const struct ddl_schema *s, const struct ddl_table *t, const struct ddl_col *col,
                  ddl_weigh_fn weigh, void *ctx, char *why, size_t whysize)
{
    const struct ddl_fold *f = col->fold;
    why[0] = '\0';
    if (col->nocase_files < col->files) {
        snprintf(why, whysize, "NOCASE in only %zu of %zu files", col->nocase_files, col->files);
        return 0;
    }
    if (joined_by_fk(s, t, col)) {
        snprintf(why, whysize, "a foreign key joins it (InnoDB needs one collation on both sides)");
        return 0;
    }
    if (!unique_key_col(t, col))
        return 0;
    if (f == NULL || f->nfiles < col->nocase_files) {
        snprintf(why, whysize, "a key in only some files: not all its values were compared");
        return 0;
    }
    if (f->n == 0)
        return 0;
    char **w = calloc(f->n + 1, sizeof *w);
    if (w == NULL)
        return -1;
    int rc = weigh(ctx, DDL_NOCASE_COLLATION, f->v, f->len, f->n, w, why, whysize);
    if (rc == 0)
        rc = collision(f, w, why, whysize) < 0 ? -1 : 0;
    else if (rc > 0)
        rc = 0; /* why says why it cannot tell */
    for (size_t i = 0; i < f->n; i++)
        free(w[i]);
    free(w);
    return rc;
}

int ddl_collations(struct ddl_schema *s, ddl_weigh_fn weigh, void *ctx)
{
    for (size_t i = 0; i < s->n; i++)
        for (size_t c = 0; c < s->t[i].ncols; c++) {
            struct ddl_col *col = &s->t[i].cols[c];
            char why[512];
            if (col->nocase_files == 0)
                continue;
            if (decide(s, &s->t[i], col, weigh, ctx, why, sizeof why) != 0)
                return -1;
            free(col->collate_why);
            col->collate_why = NULL;
            col->nocase = why[0] == '\0';
            if (!col->nocase && (col->collate_why = strdup(why)) == NULL)
                return -1;
        }
    return 0;
}

const char *ddl_collate_of(const struct ddl_col *col, const char *type)
{
    bool text = (strstr(type, "CHAR") != NULL || strstr(type, "TEXT") != NULL) &&
                strstr(type, "BINARY") == NULL;
    return col->nocase && text ? DDL_NOCASE_COLLATION : NULL;
}

size_t ddl_collate_warnings(const struct ddl_schema *s, struct buf *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        for (size_t c = 0; c < s->t[i].ncols; c++)
            if (s->t[i].cols[c].collate_why != NULL) {
                buf_printf(out,
                           "table %s column %s: COLLATE NOCASE kept binary (utf8mb4_bin): %s\n",
                           s->t[i].name, s->t[i].cols[c].name, s->t[i].cols[c].collate_why);
                n++;
            }
    return n;
}

/* ddl_keys: the indexes and foreign keys of the design: read from each file
 * (reader_meta.h) under their mapped names, once per column list, and the
 * foreign keys that can be made as composite (project, col) -> (project, key)
 * ones, or why not (see ddl.h). */
#include "ddl_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader_meta.h"

/* Whether dt has an index like ix already (same kind, same columns). */
static bool index_known(const struct ddl_table *dt, const struct ddl_index *ix)
{
    for (size_t k = 0; k < dt->nidx; k++) {
        bool same = dt->idx[k].ncols == ix->ncols && dt->idx[k].unique == ix->unique;
        for (size_t c = 0; same && c < ix->ncols; c++)
            same = strcasecmp(dt->idx[k].cols[c], ix->cols[c]) == 0;
        if (same)
            return true;
    }
    return false;
}

/* Whether unique index ix holds the columns of dt's primary key, no more:
 * the key holds them unique already. */
static bool same_as_pk(const struct ddl_table *dt, const struct ddl_index *ix)
{
    size_t npk = 0;
    for (size_t c = 0; c < dt->ncols; c++)
        npk += dt->cols[c].pk > 0;
    for (size_t c = 0; c < ix->ncols; c++) {
        const struct ddl_col *col = ddl_find_col(dt, ix->cols[c]);
        if (col == NULL || col->pk == 0)
            return false;
    }
    return ix->unique && npk == ix->ncols && npk > 0;
}

/* Adds source index si of table st to dt unless it is on an expression or a
 * column the mapping skips, known, or a UNIQUE one of the primary key's
 * columns. Returns 0 or -1 when out of memory. */
static int add_index(struct ddl_table *dt, const struct reader_table *st, const char *const *names,
                     const struct reader_index *si)
{
    struct ddl_index ix = {si->unique, 0, calloc(si->ncols + 1, sizeof(char *))};
    if (ix.cols == NULL)
        return -1;
    int rc = 0;
    bool expression = false;
    for (size_t c = 0; c < si->ncols && rc == 0 && !expression; c++) {
        const char *col = si->cols[c] ? ddl_name_of(st, names, si->cols[c]) : NULL;
        expression = col == NULL; /* an expression, or a column the mapping skips */
        if (col != NULL && (ix.cols[ix.ncols++] = strdup(col)) == NULL)
            rc = -1;
    }
    struct ddl_index *v = NULL;
    if (rc == 0 && !expression && ix.ncols > 0 && !index_known(dt, &ix) && !same_as_pk(dt, &ix)) {
        if ((v = realloc(dt->idx, (dt->nidx + 1) * sizeof *v)) == NULL)
            rc = -1;
        else
            dt->idx = v;
    }
    if (v != NULL) {
        dt->idx[dt->nidx++] = ix;
        return 0;
    }
    for (size_t c = 0; c < ix.ncols; c++)
        free(ix.cols[c]);
    free(ix.cols);
    return rc;
}

int ddl_add_indexes(struct ddl_table *dt, struct reader *r, size_t t, const char *const *names,
                    struct error *err)
{
    struct reader_index *v;
    size_t n;
    if (reader_meta_indexes(r, t, &v, &n, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (!v[i].primary && !v[i].partial && add_index(dt, &r->tables[t], names, &v[i]) != 0)
            rc = error_oom(err);
    reader_meta_indexes_free(v, n);
    return rc;
}

void ddl_fk_free(struct ddl_fk *fk)
{
    reader_meta_fk_free(&fk->key);
    free(fk->orphan_file);
    memset(fk, 0, sizeof *fk);
}

/* Renames fk's columns, and its referenced table and columns, as the mapping
 * file says (names: the target names of the child table's columns). Returns
 * false when the key names a table or column the mapping skips, or memory
 * runs out: the key is then left out of the design. */
static bool fk_map(const struct ddl_schema *s, const struct reader_table *st,
                   const char *const *names, struct ddl_fk *fk)
{
    const char *ref = ddl_mapped_table(s, fk->key.ref);
    if (ref == NULL)
        return false;
    for (size_t k = 0; k < fk->key.n; k++) {
        const char *col = ddl_name_of(st, names, fk->key.cols[k]);
        const char *to =
            fk->key.refcols[k] ? ddl_mapped_col(s, fk->key.ref, fk->key.refcols[k]) : "";
        char *c2 = col ? strdup(col) : NULL, *t2 = to && fk->key.refcols[k] ? strdup(to) : NULL;
        if (c2 == NULL || to == NULL || (fk->key.refcols[k] != NULL && t2 == NULL)) {
            free(c2);
            free(t2);
            return false;
        }
        free(fk->key.cols[k]);
        fk->key.cols[k] = c2;
        if (fk->key.refcols[k] != NULL) {
            free(fk->key.refcols[k]);
            fk->key.refcols[k] = t2;
        }
    }
    char *r2 = strdup(ref);
    if (r2 == NULL)
        return false;
    free(fk->key.ref);
    fk->key.ref = r2;
    return true;
}

/* Takes fk (mapped) into dt, or counts its orphans (from file) into the key
 * another file declared already. fk is emptied. Returns 0 or -1 when out of
 * memory. */
static int merge_fk(struct ddl_table *dt, struct ddl_fk *fk, long long orphans, const char *file)
{
    struct ddl_fk *into = NULL;
    int rc = 0;
    for (size_t j = 0; j < dt->nfk && into == NULL; j++)
        if (strcasecmp(dt->fks[j].key.ref, fk->key.ref) == 0 && dt->fks[j].key.n == fk->key.n &&
            strcasecmp(dt->fks[j].key.cols[0], fk->key.cols[0]) == 0)
            into = &dt->fks[j]; /* another file declared it already */
    if (into == NULL) {
        struct ddl_fk *v = realloc(dt->fks, (dt->nfk + 1) * sizeof *v);
        if (v == NULL) {
            rc = -1;
        } else {
            dt->fks = v;
            into = &v[dt->nfk++];
            *into = *fk;
            memset(fk, 0, sizeof *fk);
        }
    }
    ddl_fk_free(fk);
    if (into != NULL && orphans > 0) {
        into->orphans += orphans;
        into->orphan_files++;
        if (into->orphan_file == NULL && (into->orphan_file = strdup(file)) == NULL)
            rc = -1;
    }
    return rc;
}

int ddl_add_fks(const struct ddl_schema *s, struct ddl_table *dt, struct reader *r, size_t t,
                const char *const *names, struct error *err)
{
    struct reader_fk *mine;
    size_t n;
    if (reader_meta_foreign_keys(r, t, &mine, &n, err) != 0)
        return -1;
    int rc = 0;
    for (size_t m = 0; m < n; m++) {
        long long orphans = s->foreign_keys && rc == 0 ? reader_meta_orphans(r, t, &mine[m]) : 0;
        struct ddl_fk fk = {.key = mine[m]}; /* takes what mine[m] holds */
        if (!fk_map(s, &r->tables[t], names, &fk) || rc != 0)
            ddl_fk_free(&fk);
        else if (merge_fk(dt, &fk, orphans, r->path) != 0)
            rc = error_oom(err);
    }
    free(mine);
    return rc;
}

/* Whether the mapping file converts a column of foreign key fk of table t
 * (its own, or the one it references). */
static bool fk_converted(const struct ddl_schema *s, const struct ddl_table *t,
                         const struct ddl_fk *fk)
{
    const struct ddl_table *ref = ddl_find_table(s, fk->key.ref);
    for (size_t k = 0; k < fk->key.n; k++) {
        const struct ddl_col *a = ddl_find_col(t, fk->key.cols[k]);
        const struct ddl_col *b =
            ref && fk->key.refcols[k] ? ddl_find_col(ref, fk->key.refcols[k]) : NULL;
        if ((a != NULL && a->forced) || (b != NULL && b->forced))
            return true;
    }
    return false;
}

/* The column of ref that fk's k-th column references, or NULL. */
static const struct ddl_col *fk_target(const struct ddl_table *ref, const struct ddl_fk *fk,
                                       size_t k)
{
    if (fk->key.refcols[k] != NULL)
        return ddl_find_col(ref, fk->key.refcols[k]);
    for (size_t c = 0; c < ref->ncols; c++)
        if (ref->cols[c].pk == (int)k + 1)
            return &ref->cols[c];
    return NULL;
}

bool ddl_fk_resolve(const struct ddl_schema *s, const struct ddl_table *t, const struct ddl_fk *fk,
                    const struct ddl_table **ref_out, const struct ddl_col **refcols)
{
    if (fk_converted(s, t, fk) || fk->orphans != 0)
        return false;
    const struct ddl_table *ref = ddl_find_table(s, fk->key.ref);
    if (ref == NULL)
        return false;
    size_t npk = 0;
    for (size_t c = 0; c < ref->ncols; c++)
        npk += ref->cols[c].pk > 0;
    if (npk != fk->key.n)
        return false;
    for (size_t k = 0; k < fk->key.n; k++) {
        const struct ddl_col *rc = fk_target(ref, fk, k);
        if (rc == NULL || rc->pk != (int)k + 1 || rc->forced ||
            ddl_find_col(t, fk->key.cols[k]) == NULL)
            return false;
        refcols[k] = rc;
    }
    *ref_out = ref;
    return true;
}

int ddl_fk_left_out(const struct ddl_schema *s, const struct ddl_table *t, const struct ddl_fk *fk,
                    struct buf *out)
{
    int bad = buf_puts(out, "the foreign key (");
    for (size_t c = 0; c < fk->key.n; c++)
        bad |= buf_printf(out, "%s%s", c ? ", " : "", fk->key.cols[c]);
    if (fk->orphans > 0)
        bad |= buf_printf(out,
                          ") -> %s is left out: %lld row(s) in %zu file(s) have no parent row of "
                          "the same value and type (the first: %s); SQLite enforces foreign keys "
                          "only when asked",
                          fk->key.ref, fk->orphans, fk->orphan_files, fk->orphan_file);
    else if (fk_converted(s, t, fk))
        bad |= buf_printf(out, ") -> %s is left out: the mapping file converts its columns",
                          fk->key.ref);
    else
        bad |= buf_printf(out, ") -> %s is left out: it does not name that table's primary key",
                          fk->key.ref);
    return bad;
}

size_t ddl_orphans(const struct ddl_schema *s, struct buf *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n && s->foreign_keys; i++)
        for (size_t k = 0; k < s->t[i].nfk; k++) {
            const struct ddl_fk *fk = &s->t[i].fks[k];
            if (fk->orphans == 0)
                continue;
            if (buf_printf(out, "table %s: ", s->t[i].name) == 0 &&
                ddl_fk_left_out(s, &s->t[i], fk, out) == 0)
                buf_putc(out, '\n');
            n++;
        }
    return n;
}

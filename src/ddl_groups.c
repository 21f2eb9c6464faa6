/* ddl_groups: the foreign-key groups of the design (union-find over the keys
 * that are made; see struct ddl_groups in ddl_int.h), and the type of each
 * column, which a group shares (see ddl.h). */
#include "ddl_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema.h"

void ddl_groups_drop(struct ddl_groups *g)
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

/* Allocates g for the columns of s, each its own group. Returns the number of
 * columns, with g->root NULL when out of memory. */
static size_t groups_alloc(const struct ddl_schema *s, struct ddl_groups *g)
{
    size_t total = 0;
    if ((g->base = malloc((s->n + 1) * sizeof *g->base)) == NULL)
        return 0;
    for (size_t i = 0; i < s->n; i++) {
        g->base[i] = total;
        total += s->t[i].ncols;
    }
    g->root = malloc((total + 1) * sizeof *g->root);
    g->size = calloc(total + 1, sizeof *g->size);
    g->v = calloc(total + 1, sizeof *g->v);
    g->decl = calloc(total + 1, sizeof *g->decl);
    if (g->root == NULL || g->size == NULL || g->v == NULL || g->decl == NULL) {
        free(g->root);
        g->root = NULL;
        return 0;
    }
    for (size_t k = 0; k < total; k++)
        g->root[k] = k;
    return total;
}

/* Joins the columns of foreign key fk of table i, when it is made, to the
 * ones it references (marked in referenced). Returns 0 or -1. */
static int groups_join(const struct ddl_schema *s, struct ddl_groups *g, size_t i,
                       const struct ddl_fk *fk, bool *referenced)
{
    const struct ddl_table *ref;
    const struct ddl_col **rcs = calloc(fk->key.n + 1, sizeof *rcs);
    if (rcs == NULL)
        return -1;
    if (ddl_fk_resolve(s, &s->t[i], fk, &ref, rcs))
        for (size_t c = 0; c < fk->key.n; c++) {
            const struct ddl_col *a = ddl_find_col(&s->t[i], fk->key.cols[c]);
            if (a == NULL)
                continue;
            size_t ka = g->base[i] + (size_t)(a - s->t[i].cols);
            size_t kb = g->base[ref - s->t] + (size_t)(rcs[c] - ref->cols);
            g->root[groups_find(g->root, ka)] = groups_find(g->root, kb);
            referenced[kb] = true;
        }
    free(rcs);
    return 0;
}

/* Sums up each group's values and picks the column whose declaration counts:
 * the first referenced one. */
static void groups_sum(const struct ddl_schema *s, struct ddl_groups *g, const bool *referenced)
{
    for (size_t i = 0; i < s->n; i++)
        for (size_t c = 0; c < s->t[i].ncols; c++) {
            size_t k = g->base[i] + c, r = groups_find(g->root, k);
            const struct ddl_col *col = &s->t[i].cols[c];
            if (g->size[r]++ == 0)
                g->v[r] = col->v;
            else
                ddl_merge_values(&g->v[r], &col->v);
            if (referenced[k] && g->decl[r] == NULL)
                g->decl[r] = col;
        }
    for (size_t i = 0; i < s->n; i++) /* text nobody read as a date */
        for (size_t c = 0; c < s->t[i].ncols; c++) {
            size_t r = g->root[g->base[i] + c];
            const struct ddl_col *col = &s->t[i].cols[c];
            if (g->decl[r] != NULL && ddl_date_class(g->decl[r]->d.cls) &&
                !ddl_date_class(col->d.cls) && col->v.n_text > 0)
                g->v[r].text_nodate = true;
        }
}

/* Builds g for s. Returns 0 or -1. */
static int groups_build(const struct ddl_schema *s, struct ddl_groups *g)
{
    size_t total = groups_alloc(s, g);
    bool *referenced = calloc(total + 1, sizeof *referenced);
    int rc = g->root != NULL && referenced != NULL ? 0 : -1;
    for (size_t i = 0; rc == 0 && s->foreign_keys && i < s->n; i++)
        for (size_t f = 0; rc == 0 && f < s->t[i].nfk; f++)
            rc = groups_join(s, g, i, &s->t[i].fks[f], referenced);
    if (rc == 0)
        groups_sum(s, g, referenced);
    free(referenced);
    g->ready = rc == 0;
    if (rc != 0)
        ddl_groups_drop(g);
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

static bool in_key(const struct ddl_table *t, const char *col)
{
    for (size_t i = 0; i < t->nidx; i++)
        for (size_t c = 0; c < t->idx[i].ncols; c++)
            if (strcasecmp(t->idx[i].cols[c], col) == 0)
                return true;
    return false;
}

void ddl_column_type(const struct ddl_schema *s, const struct ddl_table *t,
                     const struct ddl_col *col, char *type, size_t typesize, char *note,
                     size_t notesize)
{
    bool key = col->pk > 0 || in_key(t, col->name);
    if (col->forced) { /* the mapping file says how its values convert */
        if (col->unit == XFORM_UNIT_TEXT && key)
            snprintf(type, typesize, "VARCHAR(%zu)", col->v.max_chars ? col->v.max_chars : 1);
        else if (col->unit == XFORM_UNIT_TEXT)
            snprintf(type, typesize, "%s", schema_lob_type(col->v.max_bytes, false));
        else
            snprintf(type, typesize, "DATETIME(6)");
        snprintf(note, notesize, "converted as the mapping file says");
        return;
    }
    const struct ddl_decl *d;
    const struct ddl_values *v;
    size_t n = column_group(s, t, col, &d, &v);
    struct ddl_decl own = col->d;
    if (ddl_check_json(t, col)) /* CHECK (json_valid(col)) */
        own.cls = DDL_JSON;
    ddl_choose(&own, &col->v, key || n > 1, type, typesize, note, notesize);
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

enum xform_unit ddl_column_unit(const struct ddl_schema *s, const struct ddl_table *t,
                                const struct ddl_col *col)
{
    if (col->forced)
        return col->unit;
    const struct ddl_decl *d;
    const struct ddl_values *v; /* a foreign-key group's, like its type */
    column_group(s, t, col, &d, &v);
    enum xform_unit u = ddl_unit(d, v);
    return v->n_text == 0 ? u : XFORM_UNIT_AUTO;
}

void ddl_each_unit(const struct ddl_schema *s,
                   void (*fn)(void *ctx, const char *table, const char *column,
                              enum xform_unit unit),
                   void *ctx)
{
    for (size_t i = 0; i < s->n; i++)
        for (size_t c = 0; c < s->t[i].ncols; c++) {
            enum xform_unit u = ddl_column_unit(s, &s->t[i], &s->t[i].cols[c]);
            if (u != XFORM_UNIT_AUTO && !s->t[i].cols[c].forced)
                fn(ctx, s->t[i].source, s->t[i].cols[c].source, u);
        }
}

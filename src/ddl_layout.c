/* ddl_layout: a table's column types as a whole (see ddl_int.h): text key
 * columns get headroom instead of today's longest value (--key-length, else
 * a default width within InnoDB's key limit), and the row is budgeted as the
 * server counts it: MySQL's 65,535-byte row limit (a VARCHAR counts its
 * utf8mb4 maximum, a TEXT/BLOB only its pointer), met by moving the widest
 * non-key columns to TEXT/BLOB, and InnoDB's in-page limit for ROW_FORMAT
 * DYNAMIC (a variable column longer than 40 bytes may go off-page), which
 * no move helps: a table beyond either is refused, by name. */
#include "ddl_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema.h"

#define KEY_LIMIT 3072            /* InnoDB's largest key, in bytes */
#define ROW_LIMIT 65535           /* MySQL's largest row, TEXT/BLOB counted by their pointers */
#define PAGE_ROW_LIMIT 8126       /* InnoDB's largest record in a 16 KB page */
#define PAGE_OVERHEAD (5 + 13)    /* a record's header, transaction id and roll pointer */
#define OFF_PAGE 40               /* DYNAMIC: a longer variable column may be stored off-page */
#define DEFAULT_KEY_WIDTH 255     /* characters (bytes for VARBINARY) of a text key column */
#define KEY_NOTE "a key column: " /* ddl_types.c's note of a text key column, */
#define SIZED " sized from the longest value"       /* sized from the data */
#define MAPPED "converted as the mapping file says" /* ddl_groups.c's, also sized so */

size_t ddl_project_chars(size_t idlen)
{
    return idlen > 64 ? idlen : 64;
}

/* The n of "VARCHAR(n)" and the like; 0 when none. */
static size_t type_len(const char *type)
{
    const char *p = strchr(type, '(');
    return p != NULL ? strtoul(p + 1, NULL, 10) : 0;
}

static bool is_varbinary(const char *type)
{
    return strncmp(type, "VARBINARY(", 10) == 0;
}

static bool is_var(const char *type)
{
    return strncmp(type, "VARCHAR(", 8) == 0 || is_varbinary(type);
}

/* A text or blob key column that ddl_column_type sized from its data (a
 * VARCHAR the mapping file's text conversion makes is a key column). */
static bool flexible(const struct ddl_coltype *ct)
{
    if (ct == NULL)
        return false;
    const char *k = strstr(ct->note, KEY_NOTE);
    return is_var(ct->type) &&
           ((k != NULL && strstr(k, SIZED) != NULL) || strcmp(ct->note, MAPPED) == 0);
}

/* The most bytes one character (byte) of a VARCHAR (VARBINARY) takes. */
static size_t unit_bytes(const char *type)
{
    return is_varbinary(type) ? 1 : 4;
}

/* The bytes of a key's columns that are not flexible (out[c] as typed so far;
 * cols: n column names), the project column first; *cost: the bytes per
 * character of the flexible ones together, *nflex: how many. */
static size_t key_fixed(const struct ddl_table *t, const struct ddl_coltype *out,
                        const char *const *cols, size_t n, size_t idlen, size_t *cost,
                        size_t *nflex)
{
    size_t fixed = 4 * ddl_project_chars(idlen) + 2;
    *cost = *nflex = 0;
    for (size_t k = 0; k < n; k++) {
        const struct ddl_col *col = ddl_find_col(t, cols[k]);
        const struct ddl_coltype *ct = col != NULL ? &out[col - t->cols] : NULL;
        if (ct != NULL && flexible(ct)) {
            *cost += unit_bytes(ct->type);
            (*nflex)++;
        } else {
            fixed += ct != NULL ? ddl_key_bytes(ct->type) : 8;
        }
    }
    return fixed;
}

/* Lowers width[c] of each flexible column of one key to an equal share of
 * what InnoDB's key limit leaves beside its other columns. */
static void share_key(const struct ddl_table *t, const struct ddl_coltype *out,
                      const char *const *cols, size_t n, size_t idlen, size_t *width)
{
    size_t cost, nflex, fixed = key_fixed(t, out, cols, n, idlen, &cost, &nflex);
    if (nflex == 0)
        return;
    size_t share = fixed + 2 * nflex < KEY_LIMIT ? (KEY_LIMIT - fixed - 2 * nflex) / cost : 1;
    for (size_t k = 0; k < n; k++) {
        const struct ddl_col *col = ddl_find_col(t, cols[k]);
        if (col != NULL && flexible(&out[col - t->cols]) && width[col - t->cols] > share)
            width[col - t->cols] = share > 0 ? share : 1;
    }
}

/* Rewrites column c's type to width w (or its data's length, when longer)
 * and says why in its note. */
static void widen_key(const struct ddl_schema *s, const struct ddl_col *col, struct ddl_coltype *ct,
                      size_t w)
{
    char old[64], head[320];
    bool bin = is_varbinary(ct->type);
    size_t data = type_len(ct->type), n = data > w ? data : w;
    bool empty = col->v.n_int + col->v.n_real + col->v.n_text + col->v.n_blob == 0;
    snprintf(old, sizeof old, "%s", ct->type);
    snprintf(ct->type, sizeof ct->type, "%s(%zu)", bin ? "VARBINARY" : "VARCHAR", n);
    /* what came before the key note may name the old type */
    const char *k = strstr(ct->note, KEY_NOTE), *at = strstr(ct->note, old);
    size_t keep = k != NULL ? (size_t)(k - ct->note) : strlen(ct->note);
    if (at != NULL && (size_t)(at - ct->note) < keep)
        snprintf(head, sizeof head, "%.*s%s%.*s", (int)(at - ct->note), ct->note, ct->type,
                 (int)(keep - (size_t)(at - ct->note) - strlen(old)), at + strlen(old));
    else
        snprintf(head, sizeof head, "%.*s%s", (int)keep, ct->note, k == NULL ? "; " : "");
    char why[128];
    if (data > w)
        snprintf(why, sizeof why, "sized to its longest value, over the %zu it would get otherwise",
                 w);
    else if (s->key_length)
        snprintf(why, sizeof why, "as --key-length says");
    else if (w < DEFAULT_KEY_WIDTH)
        snprintf(why, sizeof why,
                 "the most InnoDB's %d-byte key limit leaves it beside the other key columns",
                 KEY_LIMIT);
    else
        snprintf(why, sizeof why, "the default width of text keys, see --key-length");
    char today[48] = "no value today";
    if (!empty)
        snprintf(today, sizeof today, "%zu %s%s today", data, bin ? "byte" : "character",
                 data == 1 ? "" : "s");
    snprintf(ct->note, sizeof ct->note, "%s" KEY_NOTE "%s, %s (%s; a %s cannot be a key)", head,
             ct->type, why, today, bin ? "BLOB" : "TEXT");
}

/* Gives the flexible key columns of t their widths. Returns 0 or -1 (out of
 * memory). */
static int size_keys(const struct ddl_schema *s, const struct ddl_table *t, size_t idlen,
                     struct ddl_coltype *out)
{
    size_t *width = calloc(t->ncols + 1, sizeof *width);
    const char **pk = calloc(t->ncols + 1, sizeof *pk);
    size_t npk = 0;
    if (width != NULL && pk != NULL) {
        for (size_t c = 0; c < t->ncols; c++) {
            width[c] = s->key_length ? s->key_length : DEFAULT_KEY_WIDTH;
            if (t->cols[c].pk > 0)
                pk[npk++] = t->cols[c].name;
        }
        for (size_t k = 0; !s->key_length && k < t->nidx; k++)
            share_key(t, out, (const char *const *)t->idx[k].cols, t->idx[k].ncols, idlen, width);
        if (!s->key_length)
            share_key(t, out, pk, npk, idlen, width);
        for (size_t c = 0; c < t->ncols; c++)
            if (flexible(&out[c]))
                widen_key(s, &t->cols[c], &out[c], width[c]);
    }
    int rc = width != NULL && pk != NULL ? 0 : -1;
    free(width);
    free(pk);
    return rc;
}

/* ---- the row budget ------------------------------------------------------ */

/* The bytes DECIMAL(p,s) takes. */
static size_t decimal_bytes(const char *type)
{
    static const size_t dig[] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    size_t p = type_len(type), sc = 0;
    const char *comma = strchr(type, ',');
    if (comma != NULL)
        sc = strtoul(comma + 1, NULL, 10);
    size_t ip = p > sc ? p - sc : 0;
    return ip / 9 * 4 + dig[ip % 9] + sc / 9 * 4 + dig[sc % 9];
}

/* The most bytes a value of the type takes; *var: stored with a length. */
static size_t max_bytes(const char *type, bool *var)
{
    static const struct {
        const char *prefix;
        size_t bytes;
    } fixed[] = {{"TINYINT", 1}, {"SMALLINT", 2}, {"MEDIUMINT", 3}, {"INT", 4},
                 {"BIGINT", 8},  {"DOUBLE", 8},   {"FLOAT", 4},     {"DATETIME", 8},
                 {"TIME", 6},    {"DATE", 3},     {"YEAR", 1}};
    *var = false;
    if (strncmp(type, "VARCHAR(", 8) == 0) {
        *var = true;
        return 4 * type_len(type);
    }
    if (is_varbinary(type)) {
        *var = true;
        return type_len(type);
    }
    if (strncmp(type, "DECIMAL", 7) == 0)
        return decimal_bytes(type);
    for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
        if (strncmp(type, fixed[k].prefix, strlen(fixed[k].prefix)) == 0)
            return fixed[k].bytes;
    *var = true; /* TEXT, BLOB, JSON and the like */
    return (size_t)1 << 32;
}

/* What a column of the type counts toward MySQL's 65,535-byte row limit. */
static size_t row_bytes(const char *type)
{
    bool var;
    size_t n = max_bytes(type, &var);
    if (!var)
        return n;
    if (is_var(type))
        return n + (n > 255 ? 2 : 1);
    if (strncmp(type, "TINY", 4) == 0)
        return 9;
    if (strncmp(type, "MEDIUM", 6) == 0)
        return 11;
    return strncmp(type, "LONG", 4) == 0 || strcmp(type, "JSON") == 0 ? 12 : 10;
}

/* What a column of the type counts toward InnoDB's in-page limit at worst. */
static size_t page_bytes(const char *type)
{
    bool var;
    size_t n = max_bytes(type, &var);
    if (!var)
        return n;
    return (n > OFF_PAGE ? OFF_PAGE : n) + 1;
}

/* Whether column c of t is in a key: the primary key, an index, a foreign
 * key. */
static bool in_some_key(const struct ddl_table *t, size_t c)
{
    const char *name = t->cols[c].name;
    if (t->cols[c].pk > 0)
        return true;
    for (size_t i = 0; i < t->nidx; i++)
        for (size_t k = 0; k < t->idx[i].ncols; k++)
            if (strcasecmp(t->idx[i].cols[k], name) == 0)
                return true;
    for (size_t i = 0; i < t->nfk; i++)
        for (size_t k = 0; k < t->fks[i].key.n; k++)
            if (strcasecmp(t->fks[i].key.cols[k], name) == 0)
                return true;
    return false;
}

/* The widest non-key VARCHAR/VARBINARY column of t (the last of equals: the
 * first columns stay as declared), or -1. */
static long widest(const struct ddl_table *t, const struct ddl_coltype *out)
{
    long best = -1;
    for (size_t c = 0; c < t->ncols; c++)
        if (is_var(out[c].type) && !in_some_key(t, c) &&
            (best < 0 || row_bytes(out[c].type) >= row_bytes(out[best].type)))
            best = (long)c;
    return best;
}

/* Moves column ct to TEXT/BLOB, said in its note. */
static void move_to_lob(struct ddl_coltype *ct)
{
    bool var;
    char old[64];
    size_t n = max_bytes(ct->type, &var), len = strlen(ct->note);
    snprintf(old, sizeof old, "%s", ct->type);
    snprintf(ct->type, sizeof ct->type, "%s", schema_lob_type(n, is_varbinary(old)));
    snprintf(ct->note + len, sizeof ct->note - len,
             "%s%s, not %s: the row would exceed MySQL's 65,535-byte limit", len ? "; " : "",
             ct->type, old);
}

/* Moves the widest non-key columns to TEXT/BLOB while the row exceeds MySQL's
 * limit; what still does not fit goes to problems (a line that does not fit
 * marks the list failed, which its owner checks). */
static void budget_row(const struct ddl_table *t, size_t idlen, struct ddl_coltype *out,
                       struct buf *problems)
{
    char project[64];
    snprintf(project, sizeof project, "VARCHAR(%zu)", ddl_project_chars(idlen));
    bool rowid = t->rowid_key || ddl_pk_holds_null(t);
    size_t nulls = (t->ncols + 7) / 8; /* at most every column nullable */
    size_t row = nulls + row_bytes(project) + (rowid ? 8 : 0);
    size_t page = PAGE_OVERHEAD + nulls + page_bytes(project) + (rowid ? 8 : 0);
    for (size_t c = 0; c < t->ncols; c++) {
        row += row_bytes(out[c].type);
        page += page_bytes(out[c].type);
    }
    long c;
    while (row > ROW_LIMIT && (c = widest(t, out)) >= 0) {
        row -= row_bytes(out[c].type);
        page -= page_bytes(out[c].type);
        move_to_lob(&out[c]);
        row += row_bytes(out[c].type);
        page += page_bytes(out[c].type);
    }
    if (problems != NULL && row > ROW_LIMIT)
        buf_printf(problems,
                   "table %s: its rows would take up to %zu bytes, over MySQL's row limit of "
                   "65,535 even with every non-key column as TEXT/BLOB; leave columns out in the "
                   "mapping file\n",
                   t->name, row);
    else if (problems != NULL && page >= PAGE_ROW_LIMIT)
        buf_printf(problems,
                   "table %s: its rows would take up to %zu bytes in an InnoDB page, over the "
                   "limit of %d (16 KB pages, ROW_FORMAT=DYNAMIC); leave columns out in the "
                   "mapping file\n",
                   t->name, page, PAGE_ROW_LIMIT);
}

int ddl_layout(const struct ddl_schema *s, const struct ddl_table *t, size_t idlen,
               struct ddl_coltype *out, struct buf *problems)
{
    for (size_t c = 0; c < t->ncols; c++)
        ddl_column_type(s, t, &t->cols[c], out[c].type, sizeof out[c].type, out[c].note,
                        sizeof out[c].note);
    if (size_keys(s, t, idlen, out) != 0)
        return -1;
    budget_row(t, idlen, out, problems);
    return 0;
}

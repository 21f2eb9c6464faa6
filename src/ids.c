/* ids: project ids the target can tell apart (see ids.h). Equality under a
 * collation is the server's to say: each id gets its sort key there,
 * WEIGHT_STRING(id AS CHAR(N)) with N at least the length of every id
 * compared, so that a PAD SPACE collation's padding is in the key and a NO PAD
 * one's absence of it too; ids whose keys are equal are equal under it. The
 * server sends each key's SHA-256 (32 bytes) rather than the key itself (3 or 4
 * bytes a character of N, padding included), so that the keys of 10,000 ids
 * take 0.3 MB, not 8. */
#include "ids.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* The widest id compared is at least the progress table's VARCHAR(255). */
#define IDS_MIN_WIDTH 255
/* Longer project columns are compared on their first this many characters. */
#define IDS_MAX_WIDTH 1024

static int cmp_files(const void *a, const void *b, void *list)
{
    const struct scan_entry *v = ((const struct scan_list *)list)->v;
    const char *x = v[*(const size_t *)a].project_id, *y = v[*(const size_t *)b].project_id;
    return strcmp(x ? x : "", y ? y : "");
}

int ids_check_files(const struct scan_list *list, ids_fail_fn fail, void *ctx, struct error *err)
{
    size_t *order = calloc(list->n + 1, sizeof *order);
    if (order == NULL)
        return error_oom(err);
    for (size_t i = 0; i < list->n; i++)
        order[i] = i;
    qsort_r(order, list->n, sizeof *order, cmp_files, (void *)list);
    for (size_t i = 1; i < list->n; i++) {
        const struct scan_entry *a = &list->v[order[i - 1]], *b = &list->v[order[i]];
        if (a->project_id != NULL && b->project_id != NULL &&
            strcmp(a->project_id, b->project_id) == 0) {
            char msg[ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "project id '%s' comes from two files, %s and %s",
                     a->project_id, a->path, b->path);
            fail(ctx, order[i - 1], msg);
            fail(ctx, order[i], msg);
        }
    }
    free(order);
    return 0;
}

static int bytes_cmp(const void *a, size_t an, const void *b, size_t bn)
{
    int c = an && bn ? memcmp(a, b, an < bn ? an : bn) : 0;
    return c != 0 ? c : (an > bn) - (an < bn);
}

static int cmp_keys(const void *a, const void *b)
{
    const struct ids_key *x = a, *y = b;
    int c = bytes_cmp(x->weight, x->wlen, y->weight, y->wlen);
    if (c == 0)
        c = bytes_cmp(x->id, x->len, y->id, y->len);
    return c != 0 ? c : (x->origin < y->origin) - (x->origin > y->origin);
}

void ids_group(struct ids_key *keys, size_t n,
               void (*clash)(void *ctx, const struct ids_key *run, size_t n), void *ctx)
{
    if (n == 0)
        return;
    qsort(keys, n, sizeof *keys, cmp_keys);
    for (size_t i = 0, j; i < n; i = j) {
        bool differ = false, ours = keys[i].origin >= 0;
        for (j = i + 1;
             j < n && bytes_cmp(keys[i].weight, keys[i].wlen, keys[j].weight, keys[j].wlen) == 0;
             j++) {
            differ |= bytes_cmp(keys[i].id, keys[i].len, keys[j].id, keys[j].len) != 0;
            ours |= keys[j].origin >= 0;
        }
        if (differ && ours)
            clash(ctx, &keys[i], j - i);
    }
}

size_t ids_statement_limit(const struct target *t)
{
    size_t limit = t->max_packet / 4;
    return limit > 1048576 ? 1048576 : limit < 1024 ? 1024 : limit;
}

/* A key as collected: offsets into the arena, which may move. */
struct held {
    size_t w, wlen, id, len;
    long origin;
};

/* One collation's check: the ids compared under it and where they come from. */
struct coll {
    struct target *t;
    const struct plan_ctx *plan;
    const char *progress_table, *column;
    const struct scan_list *list;
    ids_fail_fn fail;
    void *ctx;
    const char *charset, *collation;
    size_t width;      /* N of WEIGHT_STRING(... AS CHAR(N)) */
    struct buf where;  /* "table t" / "tables t, u", for messages */
    struct buf arena;  /* weights and ids of keys */
    struct held *keys; /* collected so far */
    size_t nkeys, cap;
};

static int add_key(struct coll *c, const char *w, size_t wlen, const char *id, size_t len,
                   long origin)
{
    if (c->nkeys == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        struct held *v = realloc(c->keys, cap * sizeof *v);
        if (v == NULL)
            return -1;
        c->keys = v;
        c->cap = cap;
    }
    struct held *h = &c->keys[c->nkeys];
    h->w = c->arena.len;
    h->wlen = wlen;
    h->id = c->arena.len + wlen;
    h->len = len;
    h->origin = origin;
    if (buf_append(&c->arena, w, wlen) != 0 || buf_append(&c->arena, id, len) != 0)
        return -1;
    c->nkeys++;
    return 0;
}

/* Appends id as a value of c's collation. Returns 0 or -1 (out of memory). */
static int put_id(struct coll *c, struct buf *sql, const char *id)
{
    return buf_puts(sql, "CONVERT(") | target_quote_string(c->t, sql, id, strlen(id)) |
           buf_printf(sql, " USING %s) COLLATE %s", c->charset, c->collation);
}

/* Sends the ids of the list in statements of at most ids_statement_limit()
 * bytes (one longer id goes alone): head, then each id joined by sep (with
 * numbered: "SELECT i, UNHEX(SHA2(WEIGHT_STRING(id AS CHAR(N)), 256))", else
 * the id), then tail. Every row of a result, (i, key) when numbered, else (id, key), is
 * added with origin (numbered: the id's i). Returns 0 or -1. */
static int chunked(struct coll *c, const char *head, const char *sep, const char *tail,
                   bool numbered, long origin, struct error *err)
{
    size_t limit = ids_statement_limit(c->t);
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < c->list->n;) {
        size_t items = 0;
        buf_reset(&sql);
        int bad = buf_puts(&sql, head);
        for (; !bad && i < c->list->n; i++) {
            const char *id = c->list->v[i].project_id;
            size_t mark = sql.len;
            if (id == NULL)
                continue;
            bad = (items ? buf_puts(&sql, sep) : 0) |
                  (numbered ? buf_printf(&sql, "SELECT %zu, UNHEX(SHA2(WEIGHT_STRING(", i) : 0) |
                  put_id(c, &sql, id) |
                  (numbered ? buf_printf(&sql, " AS CHAR(%zu)), 256))", c->width) : 0);
            if (!bad && items > 0 && sql.len + strlen(tail) > limit) {
                buf_truncate(&sql, mark);
                break;
            }
            items++;
        }
        if (bad || buf_puts(&sql, tail) != 0) {
            rc = error_oom(err);
            break;
        }
        if (items == 0)
            break;
        target_result *res = target_select_buf(c->t, &sql, "comparing project ids", err);
        if (res == NULL) {
            rc = -1;
            break;
        }
        char **row;
        while (rc == 0 && (row = target_next(res)) != NULL) {
            unsigned long *len = target_lengths(res);
            if (row[0] == NULL)
                continue;
            if (row[1] == NULL) { /* SHA2() is NULL on a server built without TLS */
                rc = error_set(err, "comparing project ids: the server computes no SHA2() "
                                    "digest (a MySQL built without TLS support?)");
                break;
            }
            long o = numbered ? strtol(row[0], NULL, 10) : origin;
            if (numbered && (o < 0 || (size_t)o >= c->list->n || c->list->v[o].project_id == NULL))
                continue; /* not a row this statement asked for */
            const char *id = numbered ? c->list->v[o].project_id : row[0];
            if (add_key(c, row[1], len[1], id, numbered ? strlen(id) : len[0], o) != 0)
                rc = error_oom(err);
        }
        target_free(res);
    }
    buf_free(&sql);
    return rc;
}

/* Adds the ids held by `table` (column expression expr, rows filtered by
 * cond) that are equal to one of the list under the collation, with origin
 * (-1: the progress table, whose name may name its schema).
 * Returns 0 or -1. */
static int held_by(struct coll *c, const char *table, const char *expr, const char *cond,
                   long origin, struct error *err)
{
    struct buf head;
    buf_init(&head, BUF_CAP_SQL);
    int rc = buf_printf(&head,
                        "SELECT DISTINCT CAST(CONVERT(%s USING utf8mb4) AS BINARY), "
                        "UNHEX(SHA2(WEIGHT_STRING(%s AS CHAR(%zu)), 256)) FROM ",
                        expr, expr, c->width) |
                     (origin == -1 ? target_quote_table(&head, table)
                                   : target_quote_ident(&head, table)) |
                     buf_printf(&head, " WHERE %s%s IN (", cond, expr)
                 ? error_oom(err)
                 : chunked(c, head.data, ", ", ")", false, origin, err);
    buf_free(&head);
    return rc;
}

/* Appends id (and, unless it is one of the run's, where it is held) as a
 * message shows it. Returns 0, or -1 when out is full. */
static int say_id(struct coll *c, struct buf *out, const struct ids_key *k, bool ours)
{
    if (buf_printf(out, "%s'%.*s'", out->len ? ", " : "", (int)k->len, k->id) != 0)
        return -1;
    if (ours)
        return 0;
    if (k->origin == -1)
        return buf_printf(out, " (in the progress table %s)", c->progress_table);
    const struct schema_table *tt = plan_looked_up(c->plan, (size_t)(-2 - k->origin), NULL, NULL);
    return buf_printf(out, " (rows in table %s)", tt ? tt->name : "?");
}

/* ids_group's clash: fails the run's projects among the keys of run. */
static void clash(void *ctx, const struct ids_key *run, size_t n)
{
    struct coll *c = ctx;
    struct buf ids;
    buf_init(&ids, BUF_CAP_MSG);
    for (size_t i = 0, j; i < n; i = j) {
        bool ours = false;
        for (j = i; j < n && bytes_cmp(run[i].id, run[i].len, run[j].id, run[j].len) == 0; j++)
            ours |= run[j].origin >= 0;
        if (say_id(c, &ids, &run[j - 1], ours) != 0)
            break; /* the message holds what fits */
    }
    char msg[ERROR_MSG_MAX];
    snprintf(msg, sizeof msg,
             "project ids (%s) are the same under the project column's collation %s (%s): their "
             "rows could not be told apart in the target",
             ids.data ? ids.data : "?", c->collation, c->where.data ? c->where.data : "?");
    for (size_t i = 0; i < n; i++)
        if (run[i].origin >= 0 && (i == 0 || run[i - 1].origin != run[i].origin))
            c->fail(c->ctx, (size_t)run[i].origin, msg);
    buf_free(&ids);
}

/* A charset or collation name fit to be written into SQL as it is. */
static bool plain_name(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    return *s != '\0';
}

/* The project column of table i of the plans (i == n: the progress table,
 * progress its definition or NULL when missing), or NULL when it has none of a
 * character set. */
static const struct schema_column *project_col(const struct coll *c, size_t i, size_t n,
                                               const struct schema_table *progress,
                                               const struct schema_table **tt, bool *designed)
{
    *tt = i < n ? plan_looked_up(c->plan, i, NULL, designed) : progress;
    if (i == n)
        *designed = progress == NULL;
    int k = *tt ? schema_find_column(*tt, i < n ? c->column : "project_id") : -1;
    if (k < 0 || !plain_name((*tt)->cols[k].charset) || !plain_name((*tt)->cols[k].collation))
        return NULL;
    return &(*tt)->cols[k];
}

static bool same_collation(const struct schema_column *e, const struct coll *c)
{
    return e != NULL && strcmp(e->charset, c->charset) == 0 &&
           strcmp(e->collation, c->collation) == 0;
}

/* Sets c->where to the tables from `first` on (of n; n: the progress table)
 * of c's collation, and c->width to the longest id they may hold. Returns 0
 * or -1 (out of memory). */
static int members(struct coll *c, size_t first, size_t n, const struct schema_table *progress)
{
    struct buf names;
    buf_init(&names, BUF_CAP_SQL);
    size_t count = 0;
    int bad = 0;
    c->width = IDS_MIN_WIDTH;
    for (size_t i = 0; i < c->list->n; i++)
        if (c->list->v[i].project_id && strlen(c->list->v[i].project_id) > c->width)
            c->width = strlen(c->list->v[i].project_id);
    for (size_t i = first; i <= n; i++) {
        const struct schema_table *tt;
        bool designed;
        const struct schema_column *e = project_col(c, i, n, progress, &tt, &designed);
        if (i == n && e == NULL && first == n) /* the progress table to be made */
            bad |= buf_puts(&names, c->progress_table);
        if (!same_collation(e, c))
            continue;
        if (e->max > c->width && c->width < IDS_MAX_WIDTH) /* never below the longest id */
            c->width = e->max < IDS_MAX_WIDTH ? e->max : IDS_MAX_WIDTH;
        bad |= buf_printf(&names, "%s%s", count++ ? ", " : "", tt->name);
    }
    buf_reset(&c->where);
    bad |= buf_printf(&c->where, "%s %s", count > 1 ? "tables" : "table",
                      names.data ? names.data : "");
    buf_free(&names);
    return bad ? -1 : 0;
}

/* Collects the keys under c's collation: the list's ids, and those the
 * progress table and the tables from `first` on (of n) hold. Returns 0 or -1. */
static int collect(struct coll *c, size_t first, size_t n, const struct schema_table *progress,
                   struct error *err)
{
    buf_reset(&c->arena);
    c->nkeys = 0;
    if (chunked(c, "", " UNION ALL ", "", true, 0, err) != 0)
        return -1;
    struct buf expr;
    buf_init(&expr, BUF_CAP_SQL);
    int rc = 0;
    if (progress != NULL) {
        rc = buf_printf(&expr, "CONVERT(project_id USING %s) COLLATE %s", c->charset, c->collation)
                 ? error_oom(err)
                 : held_by(c, c->progress_table, expr.data, "table_name = '' AND ", -1, err);
    }
    for (size_t i = first; i < n && rc == 0; i++) {
        const struct schema_table *tt;
        bool designed;
        const struct schema_column *e = project_col(c, i, n, progress, &tt, &designed);
        if (designed || !same_collation(e, c))
            continue;
        buf_reset(&expr);
        rc = target_quote_ident(&expr, e->name)
                 ? error_oom(err)
                 : held_by(c, tt->name, expr.data, "", -2 - (long)i, err);
    }
    buf_free(&expr);
    return rc;
}

/* Checks the ids under the collation of table `first` (of n; n: the
 * progress table), unless an earlier table has it. Returns 0 or -1. */
static int check_collation(struct coll *c, size_t first, size_t n,
                           const struct schema_table *progress, struct error *err)
{
    const struct schema_table *tt;
    bool designed;
    const struct schema_column *pc = project_col(c, first, n, progress, &tt, &designed);
    if (pc == NULL && first < n)
        return 0;
    c->charset = pc ? pc->charset : "utf8mb4"; /* the progress table to be made */
    c->collation = pc ? pc->collation : "utf8mb4_bin";
    for (size_t i = 0; i < first; i++)
        if (same_collation(project_col(c, i, n, progress, &tt, &designed), c))
            return 0;
    if (members(c, first, n, progress) != 0)
        return error_oom(err);
    if (collect(c, first, n, progress, err) != 0)
        return -1;
    struct ids_key *keys = calloc(c->nkeys + 1, sizeof *keys);
    if (keys == NULL)
        return error_oom(err);
    for (size_t i = 0; i < c->nkeys; i++) {
        const struct held *h = &c->keys[i];
        keys[i] = (struct ids_key){(const unsigned char *)c->arena.data + h->w, h->wlen,
                                   c->arena.data + h->id, h->len, h->origin};
    }
    ids_group(keys, c->nkeys, clash, c);
    free(keys);
    return 0;
}

int ids_check(struct target *t, const struct plan_ctx *plan, const char *progress_table,
              const char *project_column, const struct scan_list *list, ids_fail_fn fail, void *ctx,
              struct error *err)
{
    struct coll c = {.t = t,
                     .plan = plan,
                     .progress_table = progress_table,
                     .column = project_column,
                     .list = list,
                     .fail = fail,
                     .ctx = ctx};
    struct schema_table progress;
    size_t n;
    plan_looked_up(plan, 0, &n, NULL);
    int found = schema_load_table_in(t, progress_table, &progress, err);
    int rc = found < 0 ? -1 : 0;
    buf_init(&c.where, BUF_CAP_LIST);
    buf_init(&c.arena, BUF_CAP_BULK);
    for (size_t i = 0; i <= n && rc == 0 && list->n > 0; i++)
        rc = check_collation(&c, i, n, found == 1 ? &progress : NULL, err);
    if (found == 1)
        schema_table_free(&progress);
    buf_free(&c.where);
    buf_free(&c.arena);
    free(c.keys);
    if (rc == 0)
        rc = target_commit(t, err);
    return rc;
}

int ids_restart_guard(struct target *t, const struct schema_table *tt, const char *project_column,
                      const char *project, struct error *err)
{
    if (tt->cannot_roll_back)
        return error_set(err,
                         "table %s uses the %s engine, which cannot roll a deletion back: "
                         "nothing was deleted (ALTER TABLE %s ENGINE=InnoDB first)",
                         tt->name, tt->engine, tt->name);
    int k = schema_find_column(tt, project_column);
    if (k < 0 || !plain_name(tt->cols[k].charset) || !plain_name(tt->cols[k].collation))
        return 0; /* bytes compare as bytes */
    const struct schema_column *pc = &tt->cols[k];
    struct coll c = {.t = t, .charset = pc->charset, .collation = pc->collation};
    struct buf sql, col, others;
    buf_init(&sql, BUF_CAP_SQL);
    buf_init(&col, BUF_CAP_SQL);
    buf_init(&others, BUF_CAP_MSG);
    int rc = 0;
    if (target_quote_ident(&col, pc->name) ||
        buf_printf(&sql, "SELECT DISTINCT CAST(CONVERT(%s USING utf8mb4) AS BINARY) FROM ",
                   col.data) ||
        target_quote_ident(&sql, tt->name) || buf_printf(&sql, " WHERE %s = ", col.data) ||
        put_id(&c, &sql, project) ||
        buf_printf(&sql, " AND CAST(CONVERT(%s USING utf8mb4) AS BINARY) <> CAST(", col.data) ||
        target_quote_string(t, &sql, project, strlen(project)) ||
        buf_puts(&sql, " AS BINARY) LIMIT 10"))
        rc = error_oom(err);
    target_result *res = rc == 0 ? target_select_buf(t, &sql, "comparing project ids", err) : NULL;
    if (rc == 0 && res == NULL)
        rc = -1;
    char **row;
    while (res != NULL && (row = target_next(res)) != NULL)
        if (buf_printf(&others, "%s'%.*s'", others.len ? ", " : "", (int)target_lengths(res)[0],
                       row[0]) != 0)
            break; /* the message names those that fit */
    target_free(res);
    if (rc == 0 && others.len > 0)
        rc = error_set_table(err, tt->name,
                             "'%s' is the same as %s under the project column's collation "
                             "%s: deleting it would delete their rows too; nothing was deleted",
                             project, others.data, pc->collation);
    buf_free(&sql);
    buf_free(&col);
    buf_free(&others);
    return rc;
}

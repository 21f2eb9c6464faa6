/* galera: a Galera cluster as the target (see galera.h). */
#include "galera.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The share of wsrep_max_ws_size a batch's estimate may reach: the write
 * set also carries certification keys and event headers the estimate only
 * approximates. */
#define GALERA_BYTES_SHARE 2
/* Estimated write-set bytes per row beyond its values (row header, null
 * bitmap, key) and per value (a binary number can be longer than its text). */
#define GALERA_ROW_BYTES 32
#define GALERA_VALUE_BYTES 9
#define GALERA_REJECT_BYTES 96
#define GALERA_TXN_BYTES 4096
/* The most rows one DELETE of a chunked deletion removes. */
#define GALERA_DELETE_MAX 50000

/* Stores one SHOW VARIABLES / SHOW STATUS row (name, value) into g. */
static void take(struct galera *g, const char *name, const char *value)
{
    if (strcasecmp(name, "wsrep_on") == 0)
        g->on = strcasecmp(value, "ON") == 0 || strcmp(value, "1") == 0;
    else if (strcasecmp(name, "wsrep_max_ws_rows") == 0)
        g->max_rows = strtoll(value, NULL, 10);
    else if (strcasecmp(name, "wsrep_max_ws_size") == 0)
        g->max_bytes = strtoll(value, NULL, 10);
    else if (strcasecmp(name, "wsrep_mode") == 0)
        g->require_pk = strcasestr(value, "REQUIRED_PRIMARY_KEY") != NULL;
    else if (strcasecmp(name, "wsrep_cluster_size") == 0)
        g->nodes = strtoll(value, NULL, 10);
    else if (strcasecmp(name, "wsrep_cluster_status") == 0)
        snprintf(g->status, sizeof g->status, "%s", value);
}

/* Reads the name/value rows of statement sql into g. Returns 0 or -1. */
static int read_pairs(struct target *t, const char *sql, struct galera *g, struct error *err)
{
    target_result *res = target_select(t, sql, strlen(sql), "reading the Galera settings", err);
    if (res == NULL)
        return -1;
    char **row;
    while ((row = target_next(res)) != NULL)
        if (row[0] != NULL && row[1] != NULL)
            take(g, row[0], row[1]);
    target_free(res);
    return 0;
}

int galera_probe(struct target *t, struct galera *g, struct error *err)
{
    memset(g, 0, sizeof *g);
    if (read_pairs(t,
                   "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_on', "
                   "'wsrep_max_ws_rows', 'wsrep_max_ws_size', 'wsrep_mode')",
                   g, err) != 0)
        return -1;
    if (!g->on) {
        memset(g, 0, sizeof *g);
        return 0;
    }
    return read_pairs(t,
                      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size', "
                      "'wsrep_cluster_status')",
                      g, err);
}

void galera_describe(const struct galera *g, FILE *log)
{
    if (!g->on)
        return;
    fprintf(log,
            "litelift: the target is a node of a Galera cluster of %lld node(s) (%s): every "
            "transaction is kept below wsrep_max_ws_rows (",
            g->nodes, g->status[0] ? g->status : "status unknown");
    if (g->max_rows > 0)
        fprintf(log, "%lld", g->max_rows);
    else
        fputs("no limit", log);
    fprintf(log, ") and wsrep_max_ws_size (%lld bytes)%s\n", g->max_bytes,
            g->require_pk ? "; wsrep_mode requires a primary key in every table" : "");
}

/* The write-set bytes estimated for batch b (see the GALERA_* sizes). */
static long long estimate_bytes(const struct batch *b, size_t id_len)
{
    size_t per_row = GALERA_ROW_BYTES + id_len + b->ncols * GALERA_VALUE_BYTES;
    return (long long)(b->arena.len + b->nrows * per_row + b->keys.len + b->rej_data.len +
                       b->nrej * GALERA_REJECT_BYTES + GALERA_TXN_BYTES);
}

bool galera_batch_full(const struct galera *g, const struct batch *b, size_t id_len)
{
    if (!g->on)
        return false;
    /* one more row must still leave the transaction below wsrep_max_ws_rows */
    long long rows = (long long)(b->nrows + b->nrej) + GALERA_TXN_EXTRA_ROWS + 1;
    if (g->max_rows > 0 && rows + 1 > g->max_rows)
        return true;
    return g->max_bytes > 0 && estimate_bytes(b, id_len) >= g->max_bytes / GALERA_BYTES_SHARE;
}

long long galera_delete_chunk(const struct galera *g, long long row_bytes)
{
    if (!g->on)
        return 0;
    long long n = GALERA_DELETE_MAX;
    /* the chunk's transaction also renews the claim; one row to spare */
    if (g->max_rows > 0 && g->max_rows - GALERA_TXN_EXTRA_ROWS - 1 < n)
        n = g->max_rows - GALERA_TXN_EXTRA_ROWS - 1;
    long long per = (row_bytes > 0 ? 2 * row_bytes : 0) + GALERA_ROW_BYTES;
    if (g->max_bytes > 0 && (g->max_bytes / GALERA_BYTES_SHARE - GALERA_TXN_BYTES) / per < n)
        n = (g->max_bytes / GALERA_BYTES_SHARE - GALERA_TXN_BYTES) / per;
    return n > 0 ? n : 1;
}

/* The average row length information_schema gives table name (0 unknown). */
static long long row_bytes(struct target *t, const char *name, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    buf_puts(&sql, "SELECT COALESCE(MAX(AVG_ROW_LENGTH), 0) FROM information_schema.TABLES WHERE ");
    target_where_table(t, &sql, name);
    long long n = 0;
    int rc = target_query_ll_buf(t, &sql, &n, err);
    buf_free(&sql);
    return rc != 0 ? -1 : n;
}

/* Whether t's last error is a write set over wsrep_max_ws_rows (1180) or
 * wsrep_max_ws_size ("Maximum writeset size exceeded"). */
static bool too_big(struct target *t)
{
    unsigned e = target_errno(t);
    return e == 1180 || (e == 1105 && strstr(mysql_error(t->my), "writeset size") != NULL);
}

/* Deletes one chunk of at most chunk rows with delete and commits it. Returns
 * the rows deleted, or -1 with err set. */
static long long delete_chunk(struct target *t, const struct buf *delete, long long chunk,
                              galera_between_fn between, void *ctx, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    buf_append(&sql, delete->data, delete->len);
    buf_printf(&sql, " LIMIT %lld", chunk);
    long long n = target_update_buf(t, &sql, err);
    buf_free(&sql);
    return n < 0 || between(ctx, err) != 0 || target_commit(t, err) != 0 ? -1 : n;
}

long long galera_delete(struct target *t, const struct galera *g, const char *name,
                        const struct buf *delete, galera_between_fn between, void *ctx,
                        struct error *err)
{
    long long bytes = row_bytes(t, name, err);
    if (bytes < 0)
        return -1;
    /* the table's statistics may lag: a chunk over the limits is halved */
    long long chunk = galera_delete_chunk(g, bytes), total = 0, n = chunk;
    while (n == chunk) {
        n = delete_chunk(t, delete, chunk, between, ctx, err);
        if (n < 0 && chunk > 1 && too_big(t)) {
            struct error ignored;
            target_rollback(t, &ignored);
            chunk /= 2;
            n = chunk;
            continue;
        }
        if (n < 0)
            return -1;
        total += n;
    }
    return total;
}

bool galera_quorum_lost(struct target *t, char *why, size_t whysize)
{
    if (t->my == NULL || target_errno(t) != 1047)
        return false;
    snprintf(why, whysize,
             "the Galera cluster lost its quorum: the node is not part of the Primary "
             "component (MySQL error 1047: %s); nothing more can be written until the cluster "
             "has a Primary component again",
             mysql_error(t->my));
    return true;
}

int galera_has_primary_key(struct target *t, const char *name, bool *has, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    buf_puts(&sql, "SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS WHERE ");
    target_where_table(t, &sql, name);
    buf_puts(&sql, " AND CONSTRAINT_TYPE = 'PRIMARY KEY'");
    long long n = 0;
    int rc = target_query_ll_buf(t, &sql, &n, err);
    buf_free(&sql);
    *has = n > 0;
    return rc;
}

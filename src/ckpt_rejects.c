/* ckpt_rejects: the rejects table of the target (see ckpt_rejects.h). */
#include "ckpt_rejects.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ckpt.h"

/* Rows read per query: memory stays bounded whatever the number of rejects. */
#define PAGE_ROWS 1000

int ckpt_rejects_table_name(struct buf *out, const char *table)
{
    return buf_puts(out, table) || buf_puts(out, "_rejects") ? -1 : 0;
}

int ckpt_rejects_quote_table(struct buf *sql, const char *table)
{
    struct buf name;
    buf_init(&name, BUF_CAP_NAME);
    int bad = ckpt_rejects_table_name(&name, table) || target_quote_table(sql, name.data);
    buf_free(&name);
    return bad ? -1 : 0;
}

/* Appends "`<table>_rejects` WHERE project_id = 'p' AND table_name = 'n'". */
static int from_where(struct target *t, struct buf *sql, const char *table, const char *project,
                      const char *name)
{
    return ckpt_rejects_quote_table(sql, table) || buf_puts(sql, " WHERE project_id = ") ||
           target_quote_string(t, sql, project, strlen(project)) ||
           buf_puts(sql, " AND table_name = ") || target_quote_string(t, sql, name, strlen(name));
}

/* The query of the page of recorded rejects after id `after`. */
static int page_sql(struct target *t, struct buf *sql, const char *table, const char *project,
                    const char *name, long long after)
{
    return buf_puts(sql, "SELECT id, row_key, column_name, reason FROM ") ||
           from_where(t, sql, table, project, name) ||
           buf_printf(sql, " AND id > %lld ORDER BY id LIMIT %d", after, PAGE_ROWS);
}

int ckpt_rejects_each(struct target *t, const char *table, const char *project, const char *name,
                      ckpt_rejects_fn fn, void *ctx, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    long long after = 0;
    int rc = 0;
    for (unsigned long long got = PAGE_ROWS; rc == 0 && got == PAGE_ROWS;) {
        buf_reset(&sql);
        if (page_sql(t, &sql, table, project, name, after) != 0) {
            rc = error_oom(err);
            break;
        }
        target_result *res = target_select_buf(t, &sql, "reading recorded rejects", err);
        if (res == NULL) {
            rc = -1;
            break;
        }
        got = target_count(res);
        char **row;
        while (rc == 0 && (row = target_next(res)) != NULL) {
            unsigned long *len = target_lengths(res);
            struct ckpt_rejects_row r = {row[1], len[1], row[2], row[3]};
            after = strtoll(row[0], NULL, 10);
            rc = fn(ctx, &r, err);
        }
        target_free(res);
    }
    buf_free(&sql);
    if (rc == 0)
        rc = target_commit(t, err);
    return rc;
}

int ckpt_rejects_count(struct target *t, const char *table, const char *project, const char *name,
                       long long *n, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = -1;
    if (buf_puts(&sql, "SELECT COUNT(*) FROM ") || from_where(t, &sql, table, project, name))
        error_oom(err);
    else
        rc = target_query_ll_buf(t, &sql, n, err);
    buf_free(&sql);
    return rc;
}

int ckpt_rejects_record(struct target *t, const char *table, const char *project, const char *name,
                        size_t n, const char *const *keys, const size_t *lens,
                        const char *const *columns, const char *const *reasons, struct error *err)
{
    struct buf sql, head;
    buf_init(&sql, BUF_CAP_SQL);
    buf_init(&head, BUF_CAP_SQL);
    /* statements stay well below the server's max_allowed_packet */
    size_t limit = t->max_packet / 2 < (1u << 20) ? t->max_packet / 2 : (1u << 20);
    int rc = 0;
    int bad = buf_puts(&head, "INSERT INTO ") | ckpt_rejects_quote_table(&head, table) |
              buf_puts(&head, " (project_id, table_name, row_key, column_name, reason, "
                              "created_at) VALUES ");
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (sql.len == 0)
            bad |= buf_append(&sql, head.data, head.len);
        else
            bad |= buf_putc(&sql, ',');
        bad |= buf_putc(&sql, '(') | target_quote_string(t, &sql, project, strlen(project)) |
               buf_putc(&sql, ',') | target_quote_string(t, &sql, name, strlen(name)) |
               buf_puts(&sql, ",X'") | buf_hex(&sql, keys[i], lens[i]) | buf_puts(&sql, "',") |
               (columns[i] == NULL ? buf_puts(&sql, "NULL")
                                   : target_quote_string(t, &sql, columns[i], strlen(columns[i]))) |
               buf_putc(&sql, ',') | target_quote_string(t, &sql, reasons[i], strlen(reasons[i])) |
               buf_puts(&sql, ",UTC_TIMESTAMP(6))");
        if (bad)
            rc = error_oom(err);
        else if (sql.len > limit || i + 1 == n) {
            rc = target_exec_buf(t, &sql, err);
            buf_reset(&sql);
        }
    }
    buf_free(&sql);
    buf_free(&head);
    return rc;
}

static int cmp_keys(const struct ckpt_rejects_keys *k, size_t i, const void *key, size_t len)
{
    size_t n = k->off[i + 1] - k->off[i];
    int c = memcmp(k->data.data + k->off[i], key, n < len ? n : len);
    return c != 0 ? c : (n > len) - (n < len);
}

/* qsort_r comparator of {offset, length} spans of base. */
static int cmp_span(const void *a, const void *b, void *base)
{
    const size_t *x = a, *y = b;
    const char *s = base;
    int c = memcmp(s + x[0], s + y[0], x[1] < y[1] ? x[1] : y[1]);
    return c != 0 ? c : (x[1] > y[1]) - (x[1] < y[1]);
}

/* Sorts the keys bytewise (rebuilding data and offsets). Returns 0 or -1. */
static int sort_keys(struct ckpt_rejects_keys *k)
{
    size_t *span = malloc((k->n + 1) * 2 * sizeof *span);
    struct buf sorted;
    buf_init(&sorted, BUF_CAP_BULK);
    if (span == NULL)
        return -1;
    for (size_t i = 0; i < k->n; i++) {
        span[2 * i] = k->off[i];
        span[2 * i + 1] = k->off[i + 1] - k->off[i];
    }
    qsort_r(span, k->n, 2 * sizeof *span, cmp_span, k->data.data);
    int bad = 0;
    for (size_t i = 0; i < k->n; i++) {
        bad |= buf_append(&sorted, k->data.data + span[2 * i], span[2 * i + 1]);
        k->off[i + 1] = sorted.len;
    }
    free(span);
    buf_free(&k->data);
    k->data = sorted;
    return bad ? -1 : 0;
}

int ckpt_rejects_keys(struct target *t, const char *table, const char *project, const char *name,
                      struct ckpt_rejects_keys *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    buf_init(&out->data, BUF_CAP_BULK);
    struct buf rt, sql;
    buf_init(&rt, BUF_CAP_NAME);
    buf_init(&sql, BUF_CAP_SQL);
    target_result *res = NULL;
    int rc = -1, ex;
    if (ckpt_rejects_table_name(&rt, table) != 0) {
        error_oom(err);
        goto out;
    }
    if ((ex = ckpt_exists(t, rt.data, err)) <= 0) {
        rc = ex;
        goto out;
    }
    if (buf_puts(&sql, "SELECT row_key FROM ") || from_where(t, &sql, table, project, name)) {
        error_oom(err);
        goto out;
    }
    if ((res = target_select_buf(t, &sql, "reading recorded rejects", err)) == NULL)
        goto out;
    out->off = calloc(target_count(res) + 1, sizeof *out->off);
    if (out->off == NULL) {
        error_oom(err);
        goto out;
    }
    char **row;
    while ((row = target_next(res)) != NULL) {
        if (buf_append(&out->data, row[0], target_lengths(res)[0]) != 0) {
            error_oom(err);
            goto out;
        }
        out->off[++out->n] = out->data.len;
    }
    if (sort_keys(out) != 0) {
        error_oom(err);
        goto out;
    }
    rc = target_commit(t, err);
out:
    target_free(res);
    buf_free(&rt);
    buf_free(&sql);
    return rc;
}

bool ckpt_rejects_has(const struct ckpt_rejects_keys *k, const void *key, size_t len)
{
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_keys(k, mid, key, len);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

void ckpt_rejects_keys_free(struct ckpt_rejects_keys *k)
{
    buf_free(&k->data);
    free(k->off);
    memset(k, 0, sizeof *k);
}

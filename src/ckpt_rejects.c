/* ckpt_rejects: reading the recorded rejects (see ckpt_rejects.h). */
#include "ckpt_rejects.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Rows read per query: memory stays bounded whatever the number of rejects. */
#define PAGE_ROWS 1000

/* The query of the page of recorded rejects after id `after`. */
static int page_sql(struct target *t, struct buf *sql, const char *table, const char *project,
                    const char *name, long long after)
{
    struct buf rt;
    buf_init(&rt, 0);
    int bad = buf_puts(&rt, table) || buf_puts(&rt, "_rejects") ||
              buf_puts(sql, "SELECT id, row_key, column_name, reason FROM ") ||
              target_quote_ident(sql, rt.data) || buf_puts(sql, " WHERE project_id = ") ||
              target_quote_string(t, sql, project, strlen(project)) ||
              buf_puts(sql, " AND table_name = ") ||
              target_quote_string(t, sql, name, strlen(name)) ||
              buf_printf(sql, " AND id > %lld ORDER BY id LIMIT %d", after, PAGE_ROWS);
    buf_free(&rt);
    return bad;
}

int ckpt_rejects_each(struct target *t, const char *table, const char *project, const char *name,
                      ckpt_rejects_fn fn, void *ctx, struct error *err)
{
    struct buf sql;
    buf_init(&sql, 0);
    long long after = 0;
    int rc = 0;
    for (unsigned long long got = PAGE_ROWS; rc == 0 && got == PAGE_ROWS;) {
        buf_reset(&sql);
        if (page_sql(t, &sql, table, project, name, after) != 0) {
            rc = error_set(err, "out of memory");
            break;
        }
        MYSQL_RES *res = target_select(t, sql.data, sql.len, "reading recorded rejects", err);
        if (res == NULL) {
            rc = -1;
            break;
        }
        got = mysql_num_rows(res);
        MYSQL_ROW row;
        while (rc == 0 && (row = mysql_fetch_row(res)) != NULL) {
            unsigned long *len = mysql_fetch_lengths(res);
            struct ckpt_rejects_row r = {row[1], len[1], row[2], row[3]};
            after = strtoll(row[0], NULL, 10);
            rc = fn(ctx, &r, err);
        }
        mysql_free_result(res);
    }
    buf_free(&sql);
    if (rc == 0)
        rc = target_execs(t, "COMMIT", err);
    return rc;
}

/* reader_stats: whole-table scans of an open reader's snapshot: a table's
 * row count, and the numeric ranges of chosen columns (reader_count,
 * reader_numeric_ranges in reader.h). */
#include "reader.h"

long long reader_count(struct reader *r, size_t t, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (buf_puts(&sql, "SELECT count(*) FROM main.") ||
        reader_quote_ident(&sql, r->tables[t].name)) {
        error_oom(err);
        goto out;
    }
    if (sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        reader_error(r, err, "cannot count rows");
        goto out;
    }
    n = sqlite3_column_int64(st, 0);
out:
    sqlite3_finalize(st);
    buf_free(&sql);
    return n;
}

int reader_numeric_ranges(struct reader *r, size_t t, const size_t *cols, size_t k, long long *n,
                          double *min, double *max, struct error *err)
{
    struct buf sql, col;
    buf_init(&sql, BUF_CAP_SQL);
    buf_init(&col, BUF_CAP_SQL);
    sqlite3_stmt *st = NULL;
    int rc = -1, bad = buf_puts(&sql, "SELECT ");
    /* SQLite orders every number before every text and blob, so `c < ''` is
     * 1 exactly for numbers (NULL for NULL) and min(c) is the least number
     * whenever there is one: cheaper per row than typeof(). COLLATE BINARY:
     * a collation the application registered is not there to be used. */
    for (size_t i = 0; i < k; i++) {
        buf_reset(&col);
        bad |= reader_quote_ident(&col, r->tables[t].cols[cols[i]].name) |
               buf_puts(&col, " COLLATE BINARY");
        bad |= buf_printf(&sql, "%stotal(%s < ''), min(%s), max(CASE WHEN %s < '' THEN %s END)",
                          i ? ", " : "", col.data, col.data, col.data, col.data);
    }
    bad |= buf_puts(&sql, " FROM main.") | reader_quote_ident(&sql, r->tables[t].name);
    if (bad) {
        error_oom(err);
        goto out;
    }
    if (sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        reader_error(r, err, "cannot scan the numbers of date/time columns");
        goto out;
    }
    for (size_t i = 0; i < k; i++) {
        n[i] = sqlite3_column_int64(st, (int)(3 * i));
        min[i] = sqlite3_column_double(st, (int)(3 * i + 1));
        max[i] = sqlite3_column_double(st, (int)(3 * i + 2));
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    buf_free(&sql);
    buf_free(&col);
    return rc;
}

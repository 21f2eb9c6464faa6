/* reader_stats: whole-table scans of an open reader's snapshot: a table's
 * row count, and the numeric ranges of chosen columns (reader_count,
 * reader_numeric_ranges in reader.h). */
#include "reader.h"

#include <stdlib.h>

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

int reader_numeric_ranges(struct reader *r, size_t t, const size_t *cols, size_t k,
                          const double *stop, long long *n, double *min, double *max,
                          struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    sqlite3_stmt *st = NULL;
    int rc = -1, bad = buf_puts(&sql, "SELECT ");
    for (size_t i = 0; i < k; i++)
        bad |= (i ? buf_putc(&sql, ',') : 0) |
               reader_quote_ident(&sql, r->tables[t].cols[cols[i]].name);
    bad |= buf_puts(&sql, " FROM main.") | reader_quote_ident(&sql, r->tables[t].name);
    if (bad) {
        error_oom(err);
        goto out;
    }
    if (sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        reader_error(r, err, "cannot scan the numbers of date/time columns");
        goto out;
    }
    /* the storage class as stored: a column's affinity or collation plays no
     * part; open counts the columns without a number inside stop yet */
    size_t open = stop != NULL ? k : k + 1;
    unsigned char *hit = calloc(k + 1, 1);
    if (hit == NULL) {
        error_oom(err);
        goto out;
    }
    for (size_t i = 0; i < k; i++) {
        n[i] = 0;
        min[i] = max[i] = 0;
    }
    int s = SQLITE_DONE;
    while (open > 0 && (s = sqlite3_step(st)) == SQLITE_ROW)
        for (size_t i = 0; i < k; i++) {
            int type = sqlite3_column_type(st, (int)i);
            if (type != SQLITE_INTEGER && type != SQLITE_FLOAT)
                continue;
            double v = sqlite3_column_double(st, (int)i);
            min[i] = n[i] == 0 || v < min[i] ? v : min[i];
            max[i] = n[i] == 0 || v > max[i] ? v : max[i];
            n[i]++;
            if (stop != NULL && !hit[i] && v >= stop[0] && v <= stop[1]) {
                hit[i] = 1;
                open--;
            }
        }
    free(hit);
    if (open > 0 && s != SQLITE_DONE) {
        reader_error(r, err, "cannot scan the numbers of date/time columns");
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    buf_free(&sql);
    return rc;
}

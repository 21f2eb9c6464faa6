/* reader_key: a source row's key, encoded for checkpoints, bound back into
 * a statement, and written out for messages (see reader_key.h). */
#include "reader_key.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "val.h"

static int put_u64(struct buf *b, uint64_t v)
{
    unsigned char x[8];
    for (int i = 0; i < 8; i++)
        x[i] = (unsigned char)(v >> (56 - 8 * i));
    return buf_append(b, x, 8);
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

int reader_key_encode_row(const struct reader_table *t, sqlite3_stmt *row, struct buf *out)
{
    if (t->rowid_alias != NULL)
        return buf_putc(out, 'R') |
               put_u64(out, (uint64_t)sqlite3_column_int64(row, (int)t->ncols));
    int bad = buf_putc(out, 'K');
    for (size_t k = 0; k < t->npk; k++) {
        int c = (int)t->pk_cols[k];
        int type = sqlite3_column_type(row, c);
        bad |= buf_putc(out, (char)type);
        if (type == SQLITE_INTEGER) {
            bad |= put_u64(out, (uint64_t)sqlite3_column_int64(row, c));
        } else if (type == SQLITE_FLOAT) {
            double d = sqlite3_column_double(row, c);
            uint64_t bits;
            memcpy(&bits, &d, sizeof bits);
            bad |= put_u64(out, bits);
        } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            const void *p = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(row, c)
                                                : sqlite3_column_blob(row, c);
            uint32_t n = (uint32_t)sqlite3_column_bytes(row, c);
            unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                                    (unsigned char)(n >> 8), (unsigned char)n};
            bad |= buf_append(out, len, 4) | buf_append(out, p, n);
        }
    }
    return bad ? -1 : 0;
}

int reader_key_encode(const struct reader *r, struct buf *out)
{
    return reader_key_encode_row(r->cur, r->stmt, out);
}

int reader_key_bind(sqlite3_stmt *st, const struct reader_table *t, const void *key, size_t n)
{
    return reader_key_bind_at(st, t, key, n, 1);
}

int reader_key_bind_at(sqlite3_stmt *st, const struct reader_table *t, const void *key, size_t n,
                       int first)
{
    const unsigned char *k = key;
    if (t->rowid_alias != NULL) {
        if (n != 9 || k[0] != 'R')
            return -1;
        return sqlite3_bind_int64(st, first, (sqlite3_int64)get_u64(k + 1)) == SQLITE_OK ? 0 : -1;
    }
    if (n < 1 || k[0] != 'K')
        return -1;
    size_t i = 1;
    for (size_t p = 0; p < t->npk; p++) {
        if (i >= n)
            return -1;
        int type = k[i++], rc;
        if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
            if (i + 8 > n)
                return -1;
            uint64_t v = get_u64(k + i);
            double d;
            memcpy(&d, &v, sizeof d);
            rc = type == SQLITE_INTEGER ? sqlite3_bind_int64(st, (int)p + first, (sqlite3_int64)v)
                                        : sqlite3_bind_double(st, (int)p + first, d);
            i += 8;
        } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            if (i + 4 > n)
                return -1;
            size_t len =
                (size_t)k[i] << 24 | (size_t)k[i + 1] << 16 | (size_t)k[i + 2] << 8 | k[i + 3];
            i += 4;
            if (i + len > n)
                return -1;
            rc = type == SQLITE_TEXT
                     ? sqlite3_bind_text(st, (int)p + first, (const char *)k + i, (int)len,
                                         SQLITE_TRANSIENT)
                     : sqlite3_bind_blob(st, (int)p + first, k + i, (int)len, SQLITE_TRANSIENT);
            i += len;
        } else {
            rc = sqlite3_bind_null(st, (int)p + first);
        }
        if (rc != SQLITE_OK)
            return -1;
    }
    return i == n ? 0 : -1;
}

/* Appends column c of row as val_render shows a value in messages. */
static int render_column(struct buf *out, sqlite3_stmt *row, size_t c)
{
    struct xform_src v;
    reader_row_value(row, c, &v);
    return val_render(out, &v, 64);
}

int reader_key(const struct reader *r, sqlite3_stmt *row, struct buf *out)
{
    const struct reader_table *t = r->cur;
    bool null_key = false; /* a rowid table's declared key may hold NULLs */
    for (size_t k = 0; k < t->npk && t->rowid_alias != NULL; k++)
        null_key = null_key || sqlite3_column_type(row, (int)t->pk_cols[k]) == SQLITE_NULL;
    if (t->npk == 0 || null_key)
        return buf_printf(out, "rowid=%lld", sqlite3_column_int64(row, (int)t->ncols));
    for (size_t k = 0; k < t->npk; k++) {
        size_t c = t->pk_cols[k];
        if ((k && buf_puts(out, ", ")) || buf_printf(out, "%s=", t->cols[c].name) ||
            render_column(out, row, c))
            return -1;
    }
    return 0;
}

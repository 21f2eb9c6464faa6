/* batch: converted-row grid (see batch.h). */
#include "batch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int batch_init(struct batch *b, size_t ncols, size_t cap_rows)
{
    b->ncols = ncols;
    b->nrows = 0;
    b->cap_rows = cap_rows;
    buf_init(&b->arena, BUF_CAP_BULK);
    buf_init(&b->keys, BUF_CAP_BULK);
    buf_init(&b->rej_data, BUF_CAP_BULK);
    b->rej = NULL;
    b->nrej = b->cap_rej = 0;
    b->vals = NULL;
    b->key_off = NULL;
    size_t per_row = ncols ? ncols : 1;
    if (cap_rows == 0 || cap_rows > SIZE_MAX / per_row - 1) /* the product would wrap */
        return -1;
    b->vals = calloc(cap_rows * per_row, sizeof *b->vals);
    b->key_off = calloc(cap_rows + 1, sizeof *b->key_off);
    return b->vals == NULL || b->key_off == NULL ? -1 : 0;
}

void batch_reset(struct batch *b)
{
    b->nrows = 0;
    buf_reset(&b->arena);
    buf_reset(&b->keys);
    buf_reset(&b->rej_data);
    b->nrej = 0;
}

void batch_free(struct batch *b)
{
    free(b->vals);
    b->vals = NULL;
    free(b->key_off);
    b->key_off = NULL;
    buf_free(&b->arena);
    buf_free(&b->keys);
    buf_free(&b->rej_data);
    free(b->rej);
    b->rej = NULL;
    b->nrej = b->cap_rej = 0;
}

int batch_add_reject(struct batch *b, size_t row, const void *key, size_t klen, const char *msg)
{
    if (b->nrej == b->cap_rej) {
        size_t ncap = b->cap_rej ? 2 * b->cap_rej : 16;
        struct batch_reject *v = realloc(b->rej, ncap * sizeof *v);
        if (v == NULL)
            return -1;
        b->rej = v;
        b->cap_rej = ncap;
    }
    struct batch_reject *r = &b->rej[b->nrej];
    r->row = row;
    r->key_off = b->rej_data.len;
    r->key_len = klen;
    r->col_off = BATCH_NO_COLUMN;
    if (buf_append(&b->rej_data, key, klen) != 0)
        return -1;
    r->msg_off = b->rej_data.len;
    if (buf_append(&b->rej_data, msg, strlen(msg) + 1) != 0)
        return -1;
    b->nrej++;
    return 0;
}

int batch_add_column_reject(struct batch *b, const void *key, size_t klen, const char *column,
                            const char *msg)
{
    size_t off = b->rej_data.len;
    if (buf_append(&b->rej_data, column, strlen(column) + 1) != 0 ||
        batch_add_reject(b, BATCH_NO_ROW, key, klen, msg) != 0)
        return -1;
    b->rej[b->nrej - 1].col_off = off;
    return 0;
}

/* batch: a bounded set of converted rows on their way to the writer: a grid of
 * xform_val (rows x columns) whose bytes live in one arena buffer. */
#ifndef LITELIFT_BATCH_H
#define LITELIFT_BATCH_H

#include <stddef.h>

#include "buf.h"
#include "xform.h"

/* A row set aside while its batch was built (conversion: row is BATCH_NO_ROW)
 * or sent (the server refused row `row`): its encoded key and the reason,
 * recorded in the target with the batch's checkpoint. */
#define BATCH_NO_ROW ((size_t)-1)
#define BATCH_NO_COLUMN ((size_t)-1)

struct batch_reject {
    size_t row;
    size_t key_off, key_len; /* in rej_data */
    size_t msg_off;          /* NUL-terminated, in rej_data */
    size_t col_off;          /* the column that did not convert, or BATCH_NO_COLUMN */
};

struct batch {
    size_t ncols;
    size_t nrows;
    size_t cap_rows;
    struct xform_val *vals; /* cap_rows * ncols */
    struct buf arena;
    struct buf keys;          /* each row's source key (reader_key_encode) */
    size_t *key_off;          /* cap_rows + 1 offsets into keys */
    struct batch_reject *rej; /* rows set aside, in the order they were */
    size_t nrej, cap_rej;
    struct buf rej_data;
};

/* Allocates room for cap_rows rows of ncols values. Returns 0, or -1 when
 * memory is short or cap_rows is 0 or so large the size would overflow
 * (batch_free is safe after either). */
int batch_init(struct batch *b, size_t ncols, size_t cap_rows);

/* Empties the batch (keeps its storage). */
void batch_reset(struct batch *b);

/* Frees the batch. */
void batch_free(struct batch *b);

/* The values of row r (ncols of them). */
static inline struct xform_val *batch_row(const struct batch *b, size_t r)
{
    return b->vals + r * b->ncols;
}

/* Counts the row being built (its values at batch_row(b, b->nrows), its key
 * appended to b->keys) as part of the batch. */
static inline void batch_push(struct batch *b)
{
    b->nrows++;
    b->key_off[b->nrows] = b->keys.len;
}

/* The source key of row r (as reader_key_encode wrote it). */
static inline const char *batch_key(const struct batch *b, size_t r, size_t *len)
{
    *len = b->key_off[r + 1] - b->key_off[r];
    return b->keys.data + b->key_off[r];
}

/* Records a rejected row (see struct batch_reject). Returns 0 or -1. */
int batch_add_reject(struct batch *b, size_t row, const void *key, size_t klen, const char *msg);

/* Records a row rejected while converting (row BATCH_NO_ROW) because of its
 * value in `column`. Returns 0 or -1. */
int batch_add_column_reject(struct batch *b, const void *key, size_t klen, const char *column,
                            const char *msg);

/* The key and reason of reject i. */
static inline const char *batch_reject_key(const struct batch *b, size_t i, size_t *len)
{
    *len = b->rej[i].key_len;
    return b->rej_data.data + b->rej[i].key_off;
}

static inline const char *batch_reject_msg(const struct batch *b, size_t i)
{
    return b->rej_data.data + b->rej[i].msg_off;
}

/* The column of reject i, or NULL when the whole row was refused. */
static inline const char *batch_reject_column(const struct batch *b, size_t i)
{
    return b->rej[i].col_off == BATCH_NO_COLUMN ? NULL : b->rej_data.data + b->rej[i].col_off;
}

/* Bytes of value v. */
static inline const char *batch_bytes(const struct batch *b, const struct xform_val *v)
{
    return b->arena.data + v->off;
}

#endif

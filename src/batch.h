/* batch: a bounded set of converted rows on their way to the writer: a grid of
 * xform_val (rows x columns) whose bytes live in one arena buffer. */
#ifndef LITELIFT_BATCH_H
#define LITELIFT_BATCH_H

#include <stddef.h>

#include "buf.h"
#include "xform.h"

struct batch {
    size_t ncols;
    size_t nrows;
    size_t cap_rows;
    struct xform_val *vals; /* cap_rows * ncols */
    struct buf arena;
};

/* Allocates room for cap_rows rows of ncols values. Returns 0 or -1. */
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

/* Bytes of value v. */
static inline const char *batch_bytes(const struct batch *b, const struct xform_val *v)
{
    return b->arena.data + v->off;
}

#endif

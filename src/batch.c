/* batch: converted-row grid (see batch.h). */
#include "batch.h"

#include <stdlib.h>

int batch_init(struct batch *b, size_t ncols, size_t cap_rows)
{
    b->ncols = ncols;
    b->nrows = 0;
    b->cap_rows = cap_rows;
    buf_init(&b->arena, 0);
    buf_init(&b->keys, 0);
    b->vals = calloc(cap_rows * (ncols ? ncols : 1), sizeof *b->vals);
    b->key_off = calloc(cap_rows + 1, sizeof *b->key_off);
    return b->vals == NULL || b->key_off == NULL ? -1 : 0;
}

void batch_reset(struct batch *b)
{
    b->nrows = 0;
    buf_reset(&b->arena);
    buf_reset(&b->keys);
}

void batch_free(struct batch *b)
{
    free(b->vals);
    b->vals = NULL;
    free(b->key_off);
    b->key_off = NULL;
    buf_free(&b->arena);
    buf_free(&b->keys);
}

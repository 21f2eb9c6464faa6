/* batch: converted-row grid (see batch.h). */
#include "batch.h"

#include <stdlib.h>

int batch_init(struct batch *b, size_t ncols, size_t cap_rows)
{
    b->ncols = ncols;
    b->nrows = 0;
    b->cap_rows = cap_rows;
    buf_init(&b->arena, 0);
    b->vals = calloc(cap_rows * (ncols ? ncols : 1), sizeof *b->vals);
    return b->vals == NULL ? -1 : 0;
}

void batch_reset(struct batch *b)
{
    b->nrows = 0;
    buf_reset(&b->arena);
}

void batch_free(struct batch *b)
{
    free(b->vals);
    b->vals = NULL;
    buf_free(&b->arena);
}

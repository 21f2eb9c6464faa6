/* reader_range: where a table is cut into key ranges of about equal row
 * counts, so that several workers may load one large table at once (see
 * ranges.h); the cut is read from the file, in its key order. */
#ifndef LITELIFT_READER_RANGE_H
#define LITELIFT_READER_RANGE_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "reader.h"

/* Sets bounds[0..k-2] (initialised buffers) to the encoded keys
 * (reader_key_encode) that end the first k-1 of k ranges of table t, which
 * holds rows rows in the snapshot: range i holds the rows after bounds[i-1]
 * (from the start for i = 0) up to bounds[i] included, the last one the
 * rest; each about rows/k rows. The same file gives the same bounds. One
 * scan in key order. Returns 0 or -1 with err set. */
int reader_range_bounds(struct reader *r, size_t t, long long rows, size_t k, struct buf *bounds,
                        struct error *err);

#endif

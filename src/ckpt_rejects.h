/* ckpt_rejects: reads back the rejects recorded in the target table
 * "<progress table>_rejects" (see ckpt_reject), in the order they were
 * recorded and a bounded page at a time, so that the reject files can be
 * written from what the target holds. */
#ifndef LITELIFT_CKPT_REJECTS_H
#define LITELIFT_CKPT_REJECTS_H

#include <stddef.h>

#include "error.h"
#include "target.h"

/* One recorded reject. */
struct ckpt_rejects_row {
    const char *key; /* encoded key (reader_key_encode) */
    size_t key_len;
    const char *column; /* the column that did not convert; NULL: the server refused the row */
    const char *reason;
};

/* Called for each recorded reject; a nonzero return stops the reading. */
typedef int (*ckpt_rejects_fn)(void *ctx, const struct ckpt_rejects_row *row, struct error *err);

/* Calls fn for every reject recorded for table `name` of project, in the order
 * they were recorded, all from one consistent view of the target (call it
 * outside any transaction; it ends its own read with COMMIT). Returns 0, or -1
 * with err set (by the query or by fn). */
int ckpt_rejects_each(struct target *t, const char *table, const char *project, const char *name,
                      ckpt_rejects_fn fn, void *ctx, struct error *err);

#endif

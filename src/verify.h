/* verify: checks the target against the source after a load: row counts, and
 * (--checksum) a CRC32 (zlib) over a canonical serialization of every
 * converted source row compared with the target's rows read back. */
#ifndef LITELIFT_VERIFY_H
#define LITELIFT_VERIFY_H

#include <stdbool.h>

#include "buf.h"
#include "ckpt.h"
#include "error.h"
#include "plan.h"
#include "reader.h"
#include "target.h"

/* Counts the rows of `table` whose project column equals project_id (bound as
 * an escaped literal). Returns 0 with *count, or -1 with err set. */
int verify_count(struct target *t, const char *table, const char *project_column,
                 const char *project_id, long long *count, struct error *err);

struct verify_result {
    long long src_rows, tgt_rows;   /* source rows that convert; target rows of the project */
    unsigned long src_crc, tgt_crc; /* CRC32 chained over the rows in key order */
    unsigned long src_xor, tgt_xor; /* BIT_XOR of the row CRC32s (order-independent) */
    bool equal;
    struct buf first_diff; /* the first differing key and column, when not equal */
};

/* Compares table t of the open reader, converted with plan p, with the
 * project's rows in the target, row by row in key order (source primary key,
 * bytewise; the target ordered the same way). Values are compared in a
 * canonical form per column type (double bits, normalized decimals, CHAR/BINARY
 * padding removed), the same on both sides. Rows the rules reject, and rows
 * whose encoded key is in skip (rejected by the server), are not expected in
 * the target. Returns 0 with *res filled (free res->first_diff),
 * or -1 with err set. */
int verify_checksum(struct target *tgt, struct reader *r, size_t t, const struct plan_table *p,
                    const struct ckpt_keys *skip, const char *project_column,
                    const char *project_id, struct verify_result *res, struct error *err);

#endif

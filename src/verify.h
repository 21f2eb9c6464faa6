/* verify: checks the target against the source after a load: row counts, and
 * (--checksum) a CRC32 (zlib) over a canonical serialization of every
 * converted source row compared with the target's rows read back. */
#ifndef LITELIFT_VERIFY_H
#define LITELIFT_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "ckpt_rejects.h"
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
    uint64_t src_sum, tgt_sum;      /* sum of 64-bit FNV-1a row hashes (order-independent) */
    bool equal;
    struct buf first_diff; /* the first differing key and column, when not equal;
                            * cut short (buf_failed) past BUF_CAP_LINE */
};

/* Compares table t of the open reader, converted with plan p, with the
 * project's rows in the target, row by row in key order (source primary key,
 * bytewise; the target ordered the same way). Values are compared in a
 * canonical form per column type (double bits, normalized decimals, CHAR/BINARY
 * padding removed), the same on both sides. When the target cannot reproduce
 * the source's key order (no key, or a text key under a collation), the
 * order-independent sum of row hashes decides instead of the chained CRC. Rows the rules reject,
 * and rows whose encoded key is in skip (rejected by the server), are not expected in the target.
 * Returns 0 with *res filled (free res->first_diff), or -1 with err set. */
int verify_checksum(struct target *tgt, struct reader *r, size_t t, const struct plan_table *p,
                    const struct ckpt_rejects_keys *skip, const char *project_column,
                    const char *project_id, struct verify_result *res, struct error *err);

#endif

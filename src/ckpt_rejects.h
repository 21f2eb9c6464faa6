/* ckpt_rejects: the rejects recorded in the target table
 * "<progress table>_rejects" (made by ckpt_create): each reject is recorded
 * in its batch's transaction, counted for validation, its keys looked up by
 * verification, and read back in the order recorded, a bounded page at a
 * time, so that the reject files are written from what the target holds. */
#ifndef LITELIFT_CKPT_REJECTS_H
#define LITELIFT_CKPT_REJECTS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#include "error.h"
#include "target.h"

/* Appends the name of the rejects table that goes with the progress table
 * `table`: "<table>_rejects", unquoted. Returns 0 or -1 (out of memory). */
int ckpt_rejects_table_name(struct buf *out, const char *table);

/* Appends the rejects table's name (ckpt_rejects_table_name) as a quoted
 * identifier. Returns 0 or -1 (out of memory). */
int ckpt_rejects_quote_table(struct buf *sql, const char *table);

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

/* Counts the rejects recorded for (project, name) into *n. Returns 0 or -1. */
int ckpt_rejects_count(struct target *t, const char *table, const char *project, const char *name,
                       long long *n, struct error *err);

/* Records n rejected rows (key i = keys[i][0..lens[i]), the column whose value
 * did not convert columns[i] (NULL: the server refused the row), reasons[i])
 * inside the current transaction, in as few statements as fit 1 MiB (and half
 * the server's max_allowed_packet).
 * Returns 0 or -1. */
int ckpt_rejects_record(struct target *t, const char *table, const char *project, const char *name,
                        size_t n, const char *const *keys, const size_t *lens,
                        const char *const *columns, const char *const *reasons, struct error *err);

/* A sorted set of encoded keys. */
struct ckpt_rejects_keys {
    struct buf data;
    size_t *off; /* n + 1 offsets */
    size_t n;
};

/* Loads the keys of (project, name)'s recorded rejects (none when the tables
 * do not exist). Returns 0 or -1; free with ckpt_rejects_keys_free. */
int ckpt_rejects_keys(struct target *t, const char *table, const char *project, const char *name,
                      struct ckpt_rejects_keys *out, struct error *err);

/* Whether key is in the set. */
bool ckpt_rejects_has(const struct ckpt_rejects_keys *k, const void *key, size_t len);

void ckpt_rejects_keys_free(struct ckpt_rejects_keys *k);

#endif

/* fingerprint: what tells one state of a source SQLite file from another: the
 * file's size and modification time, the change counter of its header, the
 * size and salts of its -wal, its page count and a CRC32 of its schema. Taken
 * when a project's snapshot begins (the stored part goes into its checkpoint)
 * and again right before validation and before the backup rename: a file that
 * moved on in between (an application still writing) is never renamed. */
#ifndef LITELIFT_FINGERPRINT_H
#define LITELIFT_FINGERPRINT_H

#include <stdbool.h>

#include "buf.h"
#include "error.h"
#include "reader.h"

struct fingerprint {
    /* stored in the progress table */
    long long size, mtime_ns, wal_size, page_count;
    unsigned long schema_crc;
    /* in memory only: compared within one run */
    unsigned long change_counter;       /* header bytes 24..27 */
    unsigned long wal_salt1, wal_salt2; /* -wal header bytes 16..23: new ones when it restarts */
};

/* Fills the file part of fp (size, mtime, change counter, -wal size and
 * salts) from the file at path as it is now; page_count and schema_crc are
 * zeroed. Taken before a snapshot begins, a write that lands in between makes
 * the later comparison fail rather than go unseen. Returns 0 or -1 with err
 * naming the file. */
int fingerprint_file(const char *path, struct fingerprint *fp, struct error *err);

/* Fills page_count and schema_crc as the open reader's snapshot sees them.
 * Returns 0 or -1. */
int fingerprint_snapshot(struct reader *r, struct fingerprint *fp, struct error *err);

/* Fills all of fp from the file at path as it is now: its file part, then the
 * page count and schema through a short read-only connection of its own.
 * Returns 0 or -1. */
int fingerprint_now(const char *path, struct fingerprint *fp, struct error *err);

/* Appends "size 123 -> 456; ..." describing how b differs from a to out
 * (nothing when they agree); with stored_only, only the fields the progress
 * table keeps are compared. Returns 0 or -1 (out of memory). */
int fingerprint_diff(const struct fingerprint *a, const struct fingerprint *b, bool stored_only,
                     struct buf *out);

/* Compares snap (the project's fingerprint when its snapshot began) with the
 * file at path now. Returns 0 when it is unchanged, else -1 with err saying
 * that the source changed while it was migrated, what changed, and the remedy
 * for project. */
int fingerprint_check(const char *path, const struct fingerprint *snap, const char *project,
                      struct error *err);

#endif

/* buf: the one growable byte buffer of litelift, with a hard size cap. Used for
 * SQL text, row encoding and value arenas. Always NUL-terminated past `len` so
 * that SQL text can be handed to C APIs, but binary-safe in between.
 *
 * Failure is sticky, as in PostgreSQL's PQExpBuffer: an append that does not fit
 * (cap or memory) leaves the contents as they were and sets `failed`, and every
 * later append keeps it set until buf_reset. Code may therefore build a text with
 * a run of appends and check once, where the text is used: buf_check() before a
 * message or value is used, and target_*_buf() refuse a failed statement. An
 * append's result may go unchecked only where the code that uses the buffer
 * checks the flag (a caller's buffer: say so in the function's contract). */
#ifndef LITELIFT_BUF_H
#define LITELIFT_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Named caps: every buffer is created with one of these, or with a cap computed
 * from the server (the writer's statement cap below max_allowed_packet). A text
 * that reaches its cap fails as if memory had run out (see above). */
/* One SQL statement or script: MySQL takes none above max_allowed_packet and
 * SQLite none above SQLITE_MAX_SQL_LENGTH, both at most 1 GiB. */
#define BUF_CAP_SQL ((size_t)1 << 30)
/* One value, key, encoded row or rejects-file line: SQLite holds no row above
 * 2^31 - 1 bytes; converting it (at most 3 bytes per source byte) and escaping
 * or hex-encoding that (at most 2 per byte) keeps it below 12 GiB with its
 * quotes and separators. The writer, not this cap, refuses a row no statement
 * can carry. */
#define BUF_CAP_ROW ((size_t)1 << 34)
/* Bytes of many rows held at once: a batch's values, keys and rejects and its
 * encoded rows (below --batch-bytes, at most 1 GiB, plus the row that crossed
 * it), and the keys of a table's recorded rejects. */
#define BUF_CAP_BULK ((size_t)1 << 35)
/* A name built from identifiers or for a file (a progress or rejects table, a
 * rejects directory): MySQL takes 64 characters, file systems 4096 bytes. */
#define BUF_CAP_NAME ((size_t)1 << 16)
/* Text that ends in an error message (struct error holds no more), such as a
 * conversion's reason. */
#define BUF_CAP_MSG ((size_t)ERROR_MSG_MAX)
/* One line or paragraph for a person: a usage error, the help, a remark, the
 * first difference verify found. */
#define BUF_CAP_LINE ((size_t)4096)
/* A list of problems or differences that refuses a plan or a design; printed
 * whole, or cut to ERROR_MSG_MAX when it becomes an error message. */
#define BUF_CAP_LIST ((size_t)65536)

struct buf {
    char *data;
    size_t len;
    size_t cap;  /* allocated bytes, excluding the terminating NUL */
    size_t max;  /* hard cap on len */
    bool failed; /* an append did not fit since the last buf_init/buf_reset */
};

/* Initialises an empty buffer that may grow up to max bytes; max is one of the
 * BUF_CAP_* names above or a computed cap. */
void buf_init(struct buf *b, size_t max);

/* Frees the storage; the buffer is reusable after buf_init. */
void buf_free(struct buf *b);

/* Empties the buffer, keeping its storage, and clears `failed`. */
void buf_reset(struct buf *b);

/* Ensures room for n more bytes. Returns 0, or -1 when the cap would be exceeded
 * or memory runs out (the buffer is unchanged but for `failed`, which is set). */
int buf_reserve(struct buf *b, size_t n);

/* Appends n bytes / a C string / one byte / formatted text. Return 0, or -1 as
 * buf_reserve (the buffer keeps its contents and is marked failed). */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends n bytes as uppercase hex digits. */
int buf_hex(struct buf *b, const void *p, size_t n);

/* Appends the contents of src; a failed src marks b failed too. Returns 0 or -1. */
int buf_append_buf(struct buf *b, const struct buf *src);

/* Truncates to len bytes (len <= b->len). Leaves `failed` as it is. */
void buf_truncate(struct buf *b, size_t len);

/* Whether an append failed since the last buf_init/buf_reset. */
static inline bool buf_failed(const struct buf *b)
{
    return b->failed;
}

/* The check before a built text is used: returns 0 when every append fitted,
 * else -1 with err set ("out of memory"). */
int buf_check(const struct buf *b, struct error *err);

#endif

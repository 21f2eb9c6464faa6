/* buf: the one growable byte buffer of litelift, with a hard size cap. Used for
 * SQL text, row encoding and value arenas. Always NUL-terminated past `len` so
 * that SQL text can be handed to C APIs, but binary-safe in between. */
#ifndef LITELIFT_BUF_H
#define LITELIFT_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
    char *data;
    size_t len;
    size_t cap; /* allocated bytes, excluding the terminating NUL */
    size_t max; /* hard cap on len; 0 = unlimited */
};

/* Initialises an empty buffer that may grow up to max bytes (0 = no cap). */
void buf_init(struct buf *b, size_t max);

/* Frees the storage; the buffer is reusable after buf_init. */
void buf_free(struct buf *b);

/* Empties the buffer, keeping its storage. */
void buf_reset(struct buf *b);

/* Ensures room for n more bytes. Returns 0, or -1 when the cap would be exceeded
 * or memory runs out (the buffer is unchanged). */
int buf_reserve(struct buf *b, size_t n);

/* Appends n bytes / a C string / one byte / formatted text. Return 0 or -1 as
 * buf_reserve. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends n bytes as uppercase hex digits. */
int buf_hex(struct buf *b, const void *p, size_t n);

/* Truncates to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);

#endif

/* val: small value helpers shared by the reader, transformer and reports:
 * shortest round-trip double formatting, UTF-8 validation and human-readable
 * value excerpts for messages. */
#ifndef LITELIFT_VAL_H
#define LITELIFT_VAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "buf.h"
#include "xform.h"

/* Size of a buffer that holds any val_double() result. */
#define VAL_DOUBLE_MAX 32

/* Writes the shortest decimal text that strtod() reads back as exactly d (at
 * most 17 significant digits, "%g"-style). d must be finite. Returns length. */
size_t val_double(double d, char out[VAL_DOUBLE_MAX]);

/* Returns the byte offset of the first invalid UTF-8 sequence in s[0..n)
 * (overlongs, surrogates and code points above U+10FFFF are invalid), or n
 * when all of it is valid. *chars receives the number of code points in the
 * valid prefix; *has4 (if not NULL) is set when a 4-byte sequence occurs. */
size_t val_utf8_check(const unsigned char *s, size_t n, size_t *chars, int *has4);

/* Appends a short, printable rendering of an SQLite value for messages: NULL,
 * integers, shortest doubles, 'text' with C-style escapes for control and
 * invalid bytes, X'HEX' blobs; long values are cut to about max bytes with "...". */
int val_render(struct buf *b, const struct xform_src *v, size_t max);

/* Appends bytes s[0..n) as a printable excerpt (C-style escapes for control
 * characters, backslash, quote and invalid UTF-8), cut at about max bytes. */
int val_render_text(struct buf *b, const unsigned char *s, size_t n, size_t max);

/* Appends p[0..n) in the text format of LOAD DATA / COPY: backslash, tab,
 * newline, carriage return and NUL as \\ \t \n \r \0, every other byte as it
 * is (lossless). Returns 0 or -1. */
int val_escape_text(struct buf *b, const void *p, size_t n);

/* Writes p[0..n) to out (room for 2 * n bytes) escaped as
 * mysql_real_escape_string does on a connection whose character set keeps
 * every multi-byte character clear of ASCII bytes (utf8mb4) and without
 * NO_BACKSLASH_ESCAPES: NUL, newline, carriage return, backslash, both
 * quotes and Ctrl-Z as \0 \n \r \\ \' \" \Z, every other byte as it is.
 * Returns the bytes written (no NUL added). */
size_t val_escape_sql(char *out, const void *p, size_t n);

/* How many bytes of p[0..n) val_escape_sql escapes (each adds one byte). */
size_t val_sql_escapes(const void *p, size_t n);

#endif

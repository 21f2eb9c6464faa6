/* esc: shows untrusted bytes (file names, project ids, table and column
 * names, messages quoting them) in human-readable output without letting them
 * act on the terminal or forge lines: control characters (C0, DEL, C1) and
 * bytes that are not valid UTF-8 become visible escapes (\n, \r, \t, \xHH);
 * valid UTF-8 and backslashes stay as they are. Data (values, checkpoints,
 * reject files) is never passed through here: it stays byte-exact. */
#ifndef LITELIFT_ESC_H
#define LITELIFT_ESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Flags of esc_bytes. */
enum {
    ESC_KEEP_LINES = 1, /* keep \n and \t (a stream of lines), escape the rest */
    ESC_PARTIAL = 2     /* an incomplete UTF-8 sequence at the end is left unconsumed */
};

/* Writes s[0..n) escaped into out, which has room for 4 * n bytes (no NUL
 * is added). Returns the number of bytes written; *done (if not NULL) receives
 * the number of bytes of s consumed: all of them, unless ESC_PARTIAL left an
 * incomplete but so far valid UTF-8 sequence at the end (at most 3 bytes). */
size_t esc_bytes(char *out, const unsigned char *s, size_t n, unsigned flags, size_t *done);

/* Whether the NUL-terminated s has anything esc_bytes would change. */
bool esc_needed(const char *s);

/* s escaped (all controls, newlines too), for a printf argument: s itself
 * when nothing needs escaping, else a thread-local copy (one of 4 in turn,
 * so up to 4 may be used in one call; after 4000 bytes it ends in "...").
 * NULL gives "(null)". */
const char *esc_show(const char *s);

/* Escapes the NUL-terminated string in place with flags (see esc_bytes;
 * ESC_PARTIAL has no use here), truncating to cap bytes including its NUL. */
void esc_in_place(char *s, size_t cap, unsigned flags);

/* A new line-buffered stream that writes to file descriptor fd with
 * ESC_KEEP_LINES escaping (an incomplete UTF-8 sequence at the end of one
 * write waits for the next). A write error (e.g. EPIPE) makes the stream's
 * writes fail (ferror). NULL when out of memory. Closing it leaves fd open. */
FILE *esc_stream(int fd);

#endif

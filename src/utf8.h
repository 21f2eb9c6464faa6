/* utf8: UTF-8 helpers of the transformer and the reports: code-point counting,
 * repairing invalid UTF-8 with U+FFFD and decoding Windows-1252. (Validation
 * with code-point counts is val_utf8_check in val.h.) */
#ifndef LITELIFT_UTF8_H
#define LITELIFT_UTF8_H

#include <stddef.h>

#include "buf.h"

/* The number of code points in the NUL-terminated string s: every byte that
 * is not a continuation byte (10xxxxxx) starts one. */
size_t utf8_count(const char *s);

/* Appends s[0..n) to b with every invalid UTF-8 sequence (a bad lead byte and
 * the continuation bytes after it) replaced by U+FFFD. Returns 0 or -1. */
int utf8_replace_invalid(struct buf *b, const unsigned char *s, size_t n);

/* Appends s[0..n) decoded as Windows-1252 (the superset of Latin-1 that legacy
 * software wrote) as UTF-8. The five bytes Windows-1252 leaves undefined
 * become the C1 controls of the same number, as in Latin-1, so every byte
 * keeps its meaning and the text reads back to the same bytes. Returns 0 or -1. */
int utf8_from_cp1252(struct buf *b, const unsigned char *s, size_t n);

#endif

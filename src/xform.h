/* xform: the transformer. Converts one SQLite value into the literal its target
 * column needs, exactly, or rejects it with a reason a person can act on. It
 * never produces a rounded, clamped or truncated value. */
#ifndef LITELIFT_XFORM_H
#define LITELIFT_XFORM_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "coltype.h"

/* A source value, decoupled from sqlite3_value so the rules are testable. */
struct xform_src {
    int type; /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB */
    int64_t i;
    double d;
    const unsigned char *p; /* TEXT/BLOB bytes (not NUL-terminated) */
    size_t n;
};

enum xform_kind {
    XFORM_NULL, /* SQL NULL */
    XFORM_NUM,  /* a numeric literal, sent unquoted */
    XFORM_STR,  /* valid UTF-8 text, sent as a quoted, escaped string */
    XFORM_BIN   /* arbitrary bytes, sent as a binary (hex) literal */
};

/* A converted value: kind plus bytes at arena->data[off .. off+len). */
struct xform_val {
    enum xform_kind kind;
    size_t off, len;
};

/* How numbers bound for a date/time column are read (mapping `convert`). */
enum xform_unit {
    XFORM_UNIT_AUTO,   /* unix seconds (the default) */
    XFORM_UNIT_S,      /* epoch-s */
    XFORM_UNIT_MS,     /* epoch-ms */
    XFORM_UNIT_US,     /* epoch-us */
    XFORM_UNIT_JULIAN, /* julian-day (read to the millisecond) */
    XFORM_UNIT_ISO,    /* iso8601: text only, numbers rejected */
    XFORM_UNIT_TEXT    /* text: numbers are taken as their text */
};

/* A target column together with the per-column conversion options. */
struct xform_col {
    const struct schema_column *col;
    enum xform_unit unit;
    bool zero_date_null;      /* zero/invalid/out-of-range dates -> NULL (nullable columns) */
    bool utf8_replace;        /* invalid UTF-8 in text -> U+FFFD */
    bool utf8_cp1252;         /* text that is not UTF-8 is Windows-1252: decoded */
    const char *null_default; /* value (as text) used for NULL, or NULL */
};

/* Flags xform_convert sets on a converted value. */
enum {
    XFORM_F_REPLACED = 1, /* invalid UTF-8 was replaced by U+FFFD */
    XFORM_F_CP1252 = 2    /* text that was not UTF-8 was decoded as Windows-1252 */
};

/* Whether p[0..n) is one of the boolean words (ASCII case-insensitive):
 * 1 for true/t/yes/on, 0 for false/f/no/off, -1 for anything else. The one
 * list both the conversion and schema creation use. */
int xform_bool_word(const unsigned char *p, size_t n);

/* Converts src for column xc->col with xc's options. On success appends the
 * converted bytes to arena, sets *out, ORs XFORM_F_* into *flags and returns 0.
 * Returns 1 when the value must be rejected (the reason is appended to why and
 * arena is unchanged), -1 when out of memory. */
int xform_convert(const struct xform_col *xc, const struct xform_src *src, struct buf *arena,
                  struct xform_val *out, struct buf *why, unsigned *flags);

/* xform_convert with default options (seconds, rejects, no replacement). */
int xform_value(const struct schema_column *c, const struct xform_src *src, struct buf *arena,
                struct xform_val *out, struct buf *why);

#endif

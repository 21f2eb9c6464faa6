/* xform_int: what the transformer's files (xform.c, xform_num.c,
 * xform_text.c, xform_json.c, xform_time.c) share; not part of its public
 * interface. Every conversion below has xform_convert's contract: 0 with the
 * value appended to arena and *out set, 1 with the reason appended to why
 * (arena unchanged), -1 when out of memory. */
#ifndef LITELIFT_XFORM_INT_H
#define LITELIFT_XFORM_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "val.h"
#include "xform.h"

/* Rejects with reason msg: 1, or -1 when out of memory. */
static inline int xform_reject(struct buf *why, const char *msg)
{
    return buf_puts(why, msg) == 0 ? 1 : -1;
}

/* Rejects with reason fmt (one %s, filled with arg): 1, or -1. */
static inline int xform_rejectf(struct buf *why, const char *fmt, const char *arg)
{
    return buf_printf(why, fmt, arg) == 0 ? 1 : -1;
}

/* Appends p[0..n) to arena as the value *out of the given kind: 0 or -1. */
static inline int xform_put(struct buf *arena, struct xform_val *out, enum xform_kind kind,
                            const void *p, size_t n)
{
    out->kind = kind;
    out->off = arena->len;
    out->len = n;
    return buf_append(arena, p, n) == 0 ? 0 : -1;
}

/* xform_put of the NUL-terminated s. */
static inline int xform_put_text(struct buf *arena, struct xform_val *out, enum xform_kind kind,
                                 const char *s)
{
    return xform_put(arena, out, kind, s, strlen(s));
}

/* Sets *out to SQL NULL (nothing appended); returns 0. */
static inline int xform_put_null(const struct buf *arena, struct xform_val *out)
{
    out->kind = XFORM_NULL;
    out->off = arena->len;
    out->len = 0;
    return 0;
}

/* ---- xform_num.c -------------------------------------------------------- */

/* Parses a canonical integer text (optional '-', no '+', no leading zeros, no
 * spaces). Returns 0 with *neg and *mag, -2 when it is canonical but does not
 * fit 64 bits, or -1. */
int xform_canonical_int(const unsigned char *p, size_t n, bool *neg, uint64_t *mag);

/* An integral double as (neg, mag); -1 when not integral or beyond 64 bits. */
int xform_double_to_int(double d, bool *neg, uint64_t *mag);

/* Appends the integer (neg, mag) in decimal as a number: 0 or -1. */
int xform_emit_int(struct buf *arena, struct xform_val *out, bool neg, uint64_t mag);

/* Into TINYINT..BIGINT (signed or unsigned), range-checked. */
int xform_conv_int(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                   struct xform_val *out, struct buf *why);

/* Into TINYINT(1)/BOOLEAN: integers as for TINYINT, and the boolean words. */
int xform_conv_bool(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                    struct xform_val *out, struct buf *why);

/* Into FLOAT/DOUBLE (with (M,D) when given): only values the type holds exactly. */
int xform_conv_double(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                      struct xform_val *out, struct buf *why);

/* Into DECIMAL(p,s): only values that fit without rounding. */
int xform_conv_decimal(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                       struct xform_val *out, struct buf *why);

/* Into BIT(n): non-negative integers of at most n bits. */
int xform_conv_bit(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                   struct xform_val *out, struct buf *why);

/* ---- xform_text.c ------------------------------------------------------- */

/* Renders a number as the text a person reads back (a REAL keeps a ".0"):
 * 0 with *n bytes in tmp, or -1 for Infinity/NaN. */
int xform_number_text(const struct xform_src *s, char tmp[VAL_DOUBLE_MAX + 2], size_t *n);

/* The bytes of s as text and binary columns take them: TEXT and BLOB as they
 * are, numbers as xform_number_text writes them into tmp. Returns 0 with *p
 * and *n, or -1 for Infinity/NaN. Inline: text values take the first return. */
static inline int xform_src_bytes(const struct xform_src *s, char tmp[VAL_DOUBLE_MAX + 2],
                                  const unsigned char **p, size_t *n)
{
    *p = s->p;
    *n = s->n;
    if (s->type != SQLITE_INTEGER && s->type != SQLITE_FLOAT)
        return 0;
    *p = (const unsigned char *)tmp;
    return xform_number_text(s, tmp, n);
}

/* Into CHAR, VARCHAR, the TEXT types, ENUM and SET with xc's UTF-8 options; ORs
 * XFORM_F_* into *flags when text was repaired or decoded. */
int xform_conv_text(const struct xform_col *xc, const struct xform_src *s, struct buf *arena,
                    struct xform_val *out, struct buf *why, unsigned *flags);

/* Into BINARY, VARBINARY and the BLOB types: the bytes as they are, length-checked. */
int xform_conv_binary(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                      struct xform_val *out, struct buf *why);

/* ---- xform_json.c ------------------------------------------------------- */

/* Into JSON: valid JSON text (RFC 8259) in UTF-8, kept byte for byte. */
int xform_conv_json(const struct xform_src *s, struct buf *arena, struct xform_val *out,
                    struct buf *why);

/* ---- xform_time.c ------------------------------------------------------- */

/* Into DATE/DATETIME/TIMESTAMP: ISO-8601 text, or numbers in xc's unit. */
int xform_conv_temporal(const struct xform_col *xc, const struct xform_src *s, struct buf *arena,
                        struct xform_val *out, struct buf *why);

/* Into TIME: [-]HH:MM[:SS[.f]] text within -838:59:59 .. 838:59:59. */
int xform_conv_time(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                    struct xform_val *out, struct buf *why);

/* Into YEAR: 0 or 1901..2155. */
int xform_conv_year(const struct xform_src *s, struct buf *arena, struct xform_val *out,
                    struct buf *why);

#endif

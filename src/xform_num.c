/* xform_num: numbers into integer, boolean, floating-point, DECIMAL and BIT
 * columns, exactly or not at all (see xform.h). */
#include "xform_int.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "dec.h"
#include "val.h"

/* ---- integers ----------------------------------------------------------- */

/* Parses a canonical integer text (optional '-', no '+', no leading zeros, no
 * spaces). Returns 0 with *neg and *mag, -2 when it is canonical but does not
 * fit 64 bits, or -1. */
int xform_canonical_int(const unsigned char *p, size_t n, bool *neg, uint64_t *mag)
{
    size_t i = 0;
    *neg = n > 0 && p[0] == '-';
    i = *neg;
    if (i == n || (p[i] == '0' && n - i > 1) || (*neg && p[i] == '0'))
        return -1;
    uint64_t v = 0;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        unsigned dgt = p[i] - '0';
        if (v > (UINT64_MAX - dgt) / 10) {
            while (++i < n)
                if (p[i] < '0' || p[i] > '9')
                    return -1;
            return -2; /* canonical, but beyond 64 bits */
        }
        v = v * 10 + dgt;
    }
    *mag = v;
    return 0;
}

/* Range check of (neg, mag) for an integer column; 0 when it fits. */
static int int_fits(const struct schema_column *c, bool neg, uint64_t mag)
{
    int bits = c->int_bytes * 8;
    if (c->is_unsigned) {
        uint64_t max = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
        return (!neg || mag == 0) && mag <= max ? 0 : -1;
    }
    uint64_t pos_max = ((uint64_t)1 << (bits - 1)) - 1;
    return neg ? (mag <= pos_max + 1 ? 0 : -1) : (mag <= pos_max ? 0 : -1);
}

/* Writes mag in decimal, right-aligned, ending at end; returns the start. */
static char *u64_digits(char *end, uint64_t mag)
{
    do {
        *--end = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag != 0);
    return end;
}

int xform_emit_int(struct buf *arena, struct xform_val *out, bool neg, uint64_t mag)
{
    char tmp[24];
    char *p = u64_digits(tmp + sizeof tmp, mag);
    if (neg && mag != 0)
        *--p = '-';
    return xform_put(arena, out, XFORM_NUM, p, (size_t)(tmp + sizeof tmp - p));
}

/* An integral double as (neg, mag); -1 when not integral or beyond 64 bits. */
int xform_double_to_int(double d, bool *neg, uint64_t *mag)
{
    if (!isfinite(d) || d != trunc(d) || fabs(d) >= 18446744073709551616.0)
        return -1;
    *neg = d < 0;
    *mag = (uint64_t)fabs(d);
    return 0;
}

int xform_conv_int(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                   struct xform_val *out, struct buf *why)
{
    bool neg;
    uint64_t mag;
    switch (s->type) {
    case SQLITE_INTEGER:
        neg = s->i < 0;
        mag = neg ? (uint64_t)0 - (uint64_t)s->i : (uint64_t)s->i;
        break;
    case SQLITE_FLOAT:
        if (xform_double_to_int(s->d, &neg, &mag) != 0)
            return isfinite(s->d) && s->d == trunc(s->d)
                       ? xform_rejectf(why, "integer out of range for %s", c->column_type)
                       : xform_reject(why, "REAL value is not a whole number");
        break;
    case SQLITE_TEXT: {
        int ci = xform_canonical_int(s->p, s->n, &neg, &mag);
        if (ci == -2)
            return xform_rejectf(why, "integer out of range for %s", c->column_type);
        if (ci != 0)
            return xform_reject(why, "text is not a canonical integer");
        break;
    }
    default:
        return xform_reject(why, "BLOB value cannot go into an integer column");
    }
    if (int_fits(c, neg, mag) != 0)
        return xform_rejectf(why, "integer out of range for %s", c->column_type);
    return xform_emit_int(arena, out, neg, mag);
}

/* ---- booleans ----------------------------------------------------------- */

int xform_bool_word(const unsigned char *p, size_t n)
{
    static const char *const words[][2] = {
        {"false", "true"}, {"f", "t"}, {"no", "yes"}, {"off", "on"}};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        for (int truth = 0; truth <= 1; truth++)
            if (n == strlen(words[i][truth]) &&
                strncasecmp((const char *)p, words[i][truth], n) == 0)
                return truth;
    return -1;
}

int xform_conv_bool(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                    struct xform_val *out, struct buf *why)
{
    if (s->type != SQLITE_TEXT)
        return xform_conv_int(c, s, arena, out, why);
    int word = xform_bool_word(s->p, s->n);
    if (word >= 0)
        return xform_put_text(arena, out, XFORM_NUM, word ? "1" : "0");
    bool neg;
    uint64_t mag;
    if (xform_canonical_int(s->p, s->n, &neg, &mag) == 0 && int_fits(c, neg, mag) == 0)
        return xform_emit_int(arena, out, neg, mag);
    return xform_reject(why, "text is not a boolean (0/1, true/false, t/f, yes/no, on/off)");
}

/* ---- floating point and decimals --------------------------------------- */

/* Appends d as a float literal that MySQL parses back to the same bits. */
static int emit_double(struct buf *arena, struct xform_val *out, double d)
{
    char tmp[VAL_DOUBLE_MAX + 2];
    size_t n = val_double(d, tmp);
    if (strpbrk(tmp, "eEn") == NULL) {
        memcpy(tmp + n, "e0", 3);
        n += 2;
    }
    return xform_put(arena, out, XFORM_NUM, tmp, n);
}

int xform_conv_double(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                      struct xform_val *out, struct buf *why)
{
    double d;
    switch (s->type) {
    case SQLITE_FLOAT:
        d = s->d;
        if (!isfinite(d))
            return xform_reject(why, "Infinity/NaN cannot be stored in MySQL");
        break;
    case SQLITE_INTEGER:
        d = (double)s->i;
        if (d >= 9223372036854775808.0 || (int64_t)d != s->i)
            return xform_reject(why, "integer has more digits than a DOUBLE holds exactly");
        break;
    case SQLITE_TEXT: {
        char tmp[512];
        struct dec dd;
        if (s->n >= sizeof tmp || dec_parse((const char *)s->p, s->n, &dd) != 0)
            return xform_reject(why, "text is not a number");
        memcpy(tmp, s->p, s->n);
        tmp[s->n] = '\0';
        d = strtod(tmp, NULL);
        if (!isfinite(d) || (d == 0 && dd.nd > 0))
            return xform_reject(why, "number is outside DOUBLE's range");
        /* the double must say the same number the text says */
        char back[VAL_DOUBLE_MAX];
        struct dec bd;
        dec_parse(back, val_double(d, back), &bd);
        if (bd.nd != dd.nd || bd.exp10 != dd.exp10 || bd.neg != dd.neg ||
            memcmp(bd.digits, dd.digits, (size_t)dd.nd) != 0)
            return xform_reject(why,
                                "text has more digits than a DOUBLE holds (it would be rounded)");
        break;
    }
    default:
        return xform_reject(why, "BLOB value cannot go into a floating-point column");
    }
    if (c->scale > 0) {
        /* FLOAT(M,D)/DOUBLE(M,D) round to D decimals: only values that already
         * fit arrive unchanged */
        char tmp[VAL_DOUBLE_MAX];
        struct dec dd;
        dec_parse(tmp, val_double(d, tmp), &dd);
        if (dec_frac_digits(&dd) > c->scale || dec_int_digits(&dd) > c->precision - c->scale)
            return xform_rejectf(why, "value does not fit %s without rounding", c->column_type);
    }
    if (c->kind == SCHEMA_FLOAT) {
        /* accepted when the float holds the value exactly, or when the value
         * is a decimal of at most FLT_DIG (6) digits in the float's normal
         * range, which a FLOAT keeps and shows back unchanged (0.1 -> 0.1);
         * otherwise it would be rounded (below FLT_MIN a float has fewer
         * digits: 1.39672e-319 would become 0) */
        char tmp[VAL_DOUBLE_MAX + 2];
        float f = (float)d;
        if (!isfinite(f))
            return xform_rejectf(why, "value out of range for %s", c->column_type);
        size_t n = (double)f == d ? val_double(d, tmp)
                                  : (size_t)snprintf(tmp, VAL_DOUBLE_MAX, "%.*g", FLT_DIG, d);
        if ((double)f != d && (fabs(d) < FLT_MIN || strtod(tmp, NULL) != d))
            return xform_rejectf(why, "a %s cannot hold this value exactly (it would be rounded)",
                                 c->column_type);
        if (strpbrk(tmp, "eE") == NULL) {
            memcpy(tmp + n, "e0", 3);
            n += 2;
        }
        return xform_put(arena, out, XFORM_NUM, tmp, n);
    }
    return emit_double(arena, out, d);
}

int xform_conv_decimal(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                       struct xform_val *out, struct buf *why)
{
    struct dec d;
    char tmp[VAL_DOUBLE_MAX];
    switch (s->type) {
    case SQLITE_INTEGER: {
        int n = snprintf(tmp, sizeof tmp, "%lld", (long long)s->i);
        dec_parse(tmp, (size_t)n, &d);
        break;
    }
    case SQLITE_FLOAT:
        if (!isfinite(s->d))
            return xform_reject(why, "Infinity/NaN cannot be stored in MySQL");
        dec_parse(tmp, val_double(s->d, tmp), &d);
        break;
    case SQLITE_TEXT:
        if (dec_parse((const char *)s->p, s->n, &d) != 0)
            return xform_reject(why, "text is not a decimal number");
        break;
    default:
        return xform_reject(why, "BLOB value cannot go into a DECIMAL column");
    }
    if (d.neg && c->is_unsigned)
        return xform_rejectf(why, "negative value cannot go into %s", c->column_type);
    if (dec_int_digits(&d) > c->precision - c->scale)
        return xform_rejectf(why, "value has too many integer digits for %s", c->column_type);
    if (dec_frac_digits(&d) > c->scale)
        return xform_rejectf(why, "value has more decimals than %s keeps (it would be rounded)",
                             c->column_type);
    out->kind = XFORM_NUM;
    out->off = arena->len;
    if (dec_plain(&d, arena) != 0)
        return -1;
    out->len = arena->len - out->off;
    return 0;
}

int xform_conv_bit(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                   struct xform_val *out, struct buf *why)
{
    if (s->type != SQLITE_INTEGER || s->i < 0)
        return xform_reject(why, "only non-negative integers can go into a BIT column");
    if (c->max < 64 && (uint64_t)s->i >> c->max)
        return xform_rejectf(why, "integer does not fit %s", c->column_type);
    return xform_emit_int(arena, out, false, (uint64_t)s->i);
}

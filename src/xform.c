/* xform: value conversion rules, driven by the target column (see xform.h and
 * the conversion table in README.md). */
#include "xform.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yajl_parse.h>

#include "val.h"

/* ---- decimal numbers: value = [-] digits x 10^exp10 --------------------- */

#define DEC_MAX_DIGITS 80

struct dec {
    bool neg;
    char digits[DEC_MAX_DIGITS + 1]; /* no leading zeros; no trailing zeros */
    int nd;                          /* 0 means the value is zero */
    int exp10;
};

/* Parses [-+]?digits[.digits]?([eE][-+]?digits)? covering all of s[0..n).
 * Returns 0, or -1 when it is not such a number or has too many digits. */
static int dec_parse(const char *s, size_t n, struct dec *d)
{
    size_t i = 0;
    memset(d, 0, sizeof *d);
    if (i < n && (s[i] == '-' || s[i] == '+'))
        d->neg = s[i++] == '-';
    int seen = 0, point = 0, frac = 0;
    for (; i < n; i++) {
        char ch = s[i];
        if (ch == '.' && !point) {
            point = 1;
            continue;
        }
        if (ch < '0' || ch > '9')
            break;
        seen = 1;
        if (point)
            frac++;
        if (d->nd == 0 && ch == '0')
            continue;
        if (d->nd == DEC_MAX_DIGITS)
            return -1;
        d->digits[d->nd++] = ch;
    }
    if (!seen)
        return -1;
    long e = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0, edig = 0;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, edig++)
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
        if (!edig)
            return -1;
        if (eneg)
            e = -e;
    }
    if (i != n)
        return -1;
    d->exp10 = (int)e - frac;
    while (d->nd > 0 && d->digits[d->nd - 1] == '0') {
        d->nd--;
        d->exp10++;
    }
    d->digits[d->nd] = '\0';
    if (d->nd == 0) {
        d->neg = false;
        d->exp10 = 0;
    }
    return 0;
}

static int dec_int_digits(const struct dec *d)
{
    return d->nd + d->exp10 > 0 ? d->nd + d->exp10 : 0;
}

static int dec_frac_digits(const struct dec *d)
{
    return d->exp10 < 0 ? -d->exp10 : 0;
}

/* The digit whose power of ten is p ('0' outside the significant digits). */
static char dec_digit_at(const struct dec *d, int p)
{
    int idx = d->nd - 1 - (p - d->exp10);
    return idx >= 0 && idx < d->nd ? d->digits[idx] : '0';
}

/* Appends the plain (no exponent) decimal rendering. */
static int dec_plain(const struct dec *d, struct buf *b)
{
    if (d->nd == 0)
        return buf_putc(b, '0');
    int top = d->nd + d->exp10 - 1; /* power of ten of the first digit */
    int low = d->exp10 < 0 ? d->exp10 : 0;
    int bad = d->neg ? buf_putc(b, '-') : 0;
    for (int p = top > 0 ? top : 0; p >= 0; p--)
        bad |= buf_putc(b, dec_digit_at(d, p));
    if (low < 0)
        bad |= buf_putc(b, '.');
    for (int p = -1; p >= low; p--)
        bad |= buf_putc(b, dec_digit_at(d, p));
    return bad ? -1 : 0;
}

/* ---- rejections --------------------------------------------------------- */

static int reject(struct buf *why, const char *msg)
{
    return buf_puts(why, msg) == 0 ? 1 : -1;
}

static int rejectf(struct buf *why, const char *fmt, const char *arg)
{
    return buf_printf(why, fmt, arg) == 0 ? 1 : -1;
}

static int put(struct buf *arena, struct xform_val *out, enum xform_kind kind, const void *p,
               size_t n)
{
    out->kind = kind;
    out->off = arena->len;
    out->len = n;
    return buf_append(arena, p, n) == 0 ? 0 : -1;
}

static int put_text(struct buf *arena, struct xform_val *out, enum xform_kind kind, const char *s)
{
    return put(arena, out, kind, s, strlen(s));
}

/* ---- integers ----------------------------------------------------------- */

/* Parses a canonical integer text (optional '-', no '+', no leading zeros, no
 * spaces). Returns 0 with *neg and *mag, -2 when it is canonical but does not
 * fit 64 bits, or -1. */
static int canonical_int(const unsigned char *p, size_t n, bool *neg, uint64_t *mag)
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

static int emit_int(struct buf *arena, struct xform_val *out, bool neg, uint64_t mag)
{
    char tmp[24];
    char *p = u64_digits(tmp + sizeof tmp, mag);
    if (neg && mag != 0)
        *--p = '-';
    return put(arena, out, XFORM_NUM, p, (size_t)(tmp + sizeof tmp - p));
}

/* An integral double as (neg, mag); -1 when not integral or beyond 64 bits. */
static int double_to_int(double d, bool *neg, uint64_t *mag)
{
    if (!isfinite(d) || d != trunc(d) || fabs(d) >= 18446744073709551616.0)
        return -1;
    *neg = d < 0;
    *mag = (uint64_t)fabs(d);
    return 0;
}

static int conv_int(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
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
        if (double_to_int(s->d, &neg, &mag) != 0)
            return isfinite(s->d) && s->d == trunc(s->d)
                       ? rejectf(why, "integer out of range for %s", c->column_type)
                       : reject(why, "REAL value is not a whole number");
        break;
    case SQLITE_TEXT: {
        int ci = canonical_int(s->p, s->n, &neg, &mag);
        if (ci == -2)
            return rejectf(why, "integer out of range for %s", c->column_type);
        if (ci != 0)
            return reject(why, "text is not a canonical integer");
        break;
    }
    default:
        return reject(why, "BLOB value cannot go into an integer column");
    }
    if (int_fits(c, neg, mag) != 0)
        return rejectf(why, "integer out of range for %s", c->column_type);
    return emit_int(arena, out, neg, mag);
}

/* ---- booleans ----------------------------------------------------------- */

static int conv_bool(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                     struct xform_val *out, struct buf *why)
{
    static const char *const truthy[] = {"true", "t", "yes", "on"};
    static const char *const falsy[] = {"false", "f", "no", "off"};
    if (s->type != SQLITE_TEXT)
        return conv_int(c, s, arena, out, why);
    for (size_t i = 0; i < 4; i++) {
        if (s->n == strlen(truthy[i]) && strncasecmp((const char *)s->p, truthy[i], s->n) == 0)
            return put_text(arena, out, XFORM_NUM, "1");
        if (s->n == strlen(falsy[i]) && strncasecmp((const char *)s->p, falsy[i], s->n) == 0)
            return put_text(arena, out, XFORM_NUM, "0");
    }
    bool neg;
    uint64_t mag;
    if (canonical_int(s->p, s->n, &neg, &mag) == 0 && int_fits(c, neg, mag) == 0)
        return emit_int(arena, out, neg, mag);
    return reject(why, "text is not a boolean (0/1, true/false, t/f, yes/no, on/off)");
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
    return put(arena, out, XFORM_NUM, tmp, n);
}

static int conv_double(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                       struct xform_val *out, struct buf *why)
{
    double d;
    switch (s->type) {
    case SQLITE_FLOAT:
        d = s->d;
        if (!isfinite(d))
            return reject(why, "Infinity/NaN cannot be stored in MySQL");
        break;
    case SQLITE_INTEGER:
        d = (double)s->i;
        if (d >= 9223372036854775808.0 || (int64_t)d != s->i)
            return reject(why, "integer has more digits than a DOUBLE holds exactly");
        break;
    case SQLITE_TEXT: {
        char tmp[512];
        struct dec dd;
        if (s->n >= sizeof tmp || dec_parse((const char *)s->p, s->n, &dd) != 0)
            return reject(why, "text is not a number");
        memcpy(tmp, s->p, s->n);
        tmp[s->n] = '\0';
        d = strtod(tmp, NULL);
        if (!isfinite(d) || (d == 0 && dd.nd > 0))
            return reject(why, "number is outside DOUBLE's range");
        /* the double must say the same number the text says */
        char back[VAL_DOUBLE_MAX];
        struct dec bd;
        dec_parse(back, val_double(d, back), &bd);
        if (bd.nd != dd.nd || bd.exp10 != dd.exp10 || bd.neg != dd.neg ||
            memcmp(bd.digits, dd.digits, (size_t)dd.nd) != 0)
            return reject(why, "text has more digits than a DOUBLE holds (it would be rounded)");
        break;
    }
    default:
        return reject(why, "BLOB value cannot go into a floating-point column");
    }
    if (c->scale > 0) {
        /* FLOAT(M,D)/DOUBLE(M,D) round to D decimals: only values that already
         * fit arrive unchanged */
        char tmp[VAL_DOUBLE_MAX];
        struct dec dd;
        dec_parse(tmp, val_double(d, tmp), &dd);
        if (dec_frac_digits(&dd) > c->scale || dec_int_digits(&dd) > c->precision - c->scale)
            return rejectf(why, "value does not fit %s without rounding", c->column_type);
    }
    if (c->kind == SCHEMA_FLOAT) {
        /* accepted when the float holds the value exactly, or when the value
         * is a decimal of at most FLT_DIG (6) digits, which a FLOAT keeps and
         * shows back unchanged (0.1 -> 0.1); otherwise it would be rounded */
        char tmp[VAL_DOUBLE_MAX + 2];
        float f = (float)d;
        if (!isfinite(f))
            return rejectf(why, "value out of range for %s", c->column_type);
        size_t n = (double)f == d ? val_double(d, tmp)
                                  : (size_t)snprintf(tmp, VAL_DOUBLE_MAX, "%.*g", FLT_DIG, d);
        if ((double)f != d && strtod(tmp, NULL) != d)
            return rejectf(why, "a %s cannot hold this value exactly (it would be rounded)",
                           c->column_type);
        if (strpbrk(tmp, "eE") == NULL) {
            memcpy(tmp + n, "e0", 3);
            n += 2;
        }
        return put(arena, out, XFORM_NUM, tmp, n);
    }
    return emit_double(arena, out, d);
}

static int conv_decimal(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
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
            return reject(why, "Infinity/NaN cannot be stored in MySQL");
        dec_parse(tmp, val_double(s->d, tmp), &d);
        break;
    case SQLITE_TEXT:
        if (dec_parse((const char *)s->p, s->n, &d) != 0)
            return reject(why, "text is not a decimal number");
        break;
    default:
        return reject(why, "BLOB value cannot go into a DECIMAL column");
    }
    if (d.neg && c->is_unsigned)
        return rejectf(why, "negative value cannot go into %s", c->column_type);
    if (dec_int_digits(&d) > c->precision - c->scale)
        return rejectf(why, "value has too many integer digits for %s", c->column_type);
    if (dec_frac_digits(&d) > c->scale)
        return rejectf(why, "value has more decimals than %s keeps (it would be rounded)",
                       c->column_type);
    out->kind = XFORM_NUM;
    out->off = arena->len;
    if (dec_plain(&d, arena) != 0)
        return -1;
    out->len = arena->len - out->off;
    return 0;
}

/* ---- text, binary, enum/set -------------------------------------------- */

/* Renders a number as text the way a person reads it back. */
static int number_text(const struct xform_src *s, char tmp[VAL_DOUBLE_MAX + 2], size_t *n)
{
    if (s->type == SQLITE_INTEGER) {
        *n = (size_t)snprintf(tmp, VAL_DOUBLE_MAX, "%lld", (long long)s->i);
        return 0;
    }
    if (!isfinite(s->d))
        return -1;
    *n = val_double(s->d, tmp);
    if (strpbrk(tmp, ".eE") == NULL) {
        memcpy(tmp + *n, ".0", 3);
        *n += 2;
    }
    return 0;
}

/* Index of the ENUM/SET member p[0..n): an exact match, else (in a
 * case-insensitive collation) one equal but for ASCII case; nmembers if none. */
static size_t member_index(const struct schema_column *c, const unsigned char *p, size_t n)
{
    for (int fold = 0; fold <= (c->case_insensitive ? 1 : 0); fold++)
        for (size_t m = 0; m < c->nmembers; m++)
            if (strlen(c->members[m]) == n && (fold ? strncasecmp(c->members[m], (const char *)p, n)
                                                    : memcmp(c->members[m], p, n)) == 0)
                return m;
    return c->nmembers;
}

/* Appends s[0..n) with every invalid UTF-8 sequence replaced by U+FFFD. */
static int replace_invalid_utf8(struct buf *b, const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t ok = val_utf8_check(s + i, n - i, NULL, NULL);
        if (buf_append(b, s + i, ok) != 0)
            return -1;
        i += ok;
        if (i < n) {
            if (buf_append(b, "\xEF\xBF\xBD", 3) != 0)
                return -1;
            i++;
            while (i < n && (s[i] & 0xC0) == 0x80)
                i++;
        }
    }
    return 0;
}

/* Appends s decoded as Windows-1252 (the superset of Latin-1 that legacy
 * software wrote) as UTF-8. The five bytes Windows-1252 leaves undefined
 * become the C1 controls of the same number, as in Latin-1, so every byte
 * keeps its meaning and the text reads back to the same bytes. Written out
 * because iconv refuses those five. Returns 0 or -1. */
static int decode_cp1252(struct buf *b, const unsigned char *s, size_t n)
{
    static const unsigned short c1[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
    for (size_t i = 0; i < n; i++) {
        unsigned cp = s[i] >= 0x80 && s[i] < 0xA0 ? c1[s[i] - 0x80] : s[i];
        unsigned char u[3];
        size_t len = 1;
        if (cp < 0x80) {
            u[0] = (unsigned char)cp;
        } else if (cp < 0x800) {
            u[0] = (unsigned char)(0xC0 | cp >> 6);
            u[1] = (unsigned char)(0x80 | (cp & 0x3F));
            len = 2;
        } else {
            u[0] = (unsigned char)(0xE0 | cp >> 12);
            u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            u[2] = (unsigned char)(0x80 | (cp & 0x3F));
            len = 3;
        }
        if (buf_append(b, u, len) != 0)
            return -1;
    }
    return 0;
}

static int conv_text(const struct xform_col *xc, const struct xform_src *s, struct buf *arena,
                     struct xform_val *out, struct buf *why, unsigned *flags)
{
    const struct schema_column *c = xc->col;
    char tmp[VAL_DOUBLE_MAX + 2];
    const unsigned char *p = s->p;
    size_t n = s->n;
    size_t start_len = arena->len;
    if (s->type == SQLITE_INTEGER || s->type == SQLITE_FLOAT) {
        if (number_text(s, tmp, &n) != 0)
            return reject(why, "Infinity/NaN has no text form MySQL stores");
        p = (const unsigned char *)tmp;
    }
    size_t chars = 0;
    int has4 = 0;
    size_t ok = val_utf8_check(p, n, &chars, &has4);
    if (ok != n && (xc->utf8_replace || xc->utf8_cp1252) && s->type == SQLITE_TEXT) {
        /* the new text is built in the arena and checked like any text */
        if ((xc->utf8_cp1252 ? decode_cp1252 : replace_invalid_utf8)(arena, p, n) != 0)
            return -1;
        p = (const unsigned char *)arena->data + start_len;
        n = arena->len - start_len;
        ok = val_utf8_check(p, n, &chars, &has4);
        *flags |= xc->utf8_cp1252 ? XFORM_F_CP1252 : XFORM_F_REPLACED;
    }
    int rc = 0;
    if (ok != n) {
        rc = buf_printf(why, "%s is not valid UTF-8 (bad byte 0x%02X at offset %zu)",
                        s->type == SQLITE_BLOB ? "BLOB" : "text", p[ok], ok)
                 ? -1
                 : 1;
    } else if (has4 && c->utf8mb3) {
        rc = rejectf(why, "4-byte UTF-8 character cannot be stored in utf8mb3 column %s",
                     c->column_type);
    } else if (c->max > 0 && (c->max_in_chars ? chars : n) > c->max) {
        rc = buf_printf(why, "value too long for %s (%zu %s)", c->column_type,
                        c->max_in_chars ? chars : n, c->max_in_chars ? "characters" : "bytes")
                 ? -1
                 : 1;
    } else if (c->fixed && n > 0 && p[n - 1] == ' ') {
        rc = rejectf(why, "%s drops trailing spaces: the value would not read back the same",
                     c->column_type);
    } else if (c->kind == SCHEMA_ENUM) {
        size_t m = member_index(c, p, n);
        if (m == c->nmembers) {
            rc = rejectf(why, "value is not a member of %s", c->column_type);
        } else {
            /* the member as the column spells it, which is what MySQL stores */
            buf_truncate(arena, start_len);
            return put_text(arena, out, XFORM_STR, c->members[m]);
        }
    } else if (c->kind == SCHEMA_SET) {
        uint64_t seen = 0;
        for (size_t start = 0; rc == 0 && n > 0 && start <= n;) {
            size_t end = start;
            while (end < n && p[end] != ',')
                end++;
            size_t m = member_index(c, p + start, end - start);
            if (m == c->nmembers || m >= 64)
                rc = rejectf(why, "value is not a member of %s", c->column_type);
            else
                seen |= (uint64_t)1 << m;
            start = end + 1;
        }
        if (rc == 0) {
            /* members in the column's order and spelling, once each: what
             * MySQL stores */
            buf_truncate(arena, start_len);
            out->kind = XFORM_STR;
            out->off = arena->len;
            for (size_t m = 0; m < c->nmembers && m < 64; m++)
                if ((seen >> m & 1) && ((arena->len > out->off && buf_putc(arena, ',')) ||
                                        buf_puts(arena, c->members[m])))
                    return -1;
            out->len = arena->len - out->off;
            return 0;
        }
    }
    if (rc != 0) {
        buf_truncate(arena, start_len);
        *flags &= ~(unsigned)(XFORM_F_REPLACED | XFORM_F_CP1252);
        return rc;
    }
    if (arena->len > start_len) { /* replaced or decoded text is already in place */
        out->kind = XFORM_STR;
        out->off = start_len;
        out->len = n;
        return 0;
    }
    return put(arena, out, XFORM_STR, p, n);
}

static int conv_binary(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                       struct xform_val *out, struct buf *why)
{
    char tmp[VAL_DOUBLE_MAX + 2];
    const unsigned char *p = s->p;
    size_t n = s->n;
    if (s->type == SQLITE_INTEGER || s->type == SQLITE_FLOAT) {
        if (number_text(s, tmp, &n) != 0)
            return reject(why, "Infinity/NaN has no byte form");
        p = (const unsigned char *)tmp;
    }
    if (c->max > 0 && n > c->max)
        return buf_printf(why, "value too long for %s (%zu bytes)", c->column_type, n) ? -1 : 1;
    if (c->fixed && n < c->max)
        return buf_printf(why, "%s would pad this %zu-byte value with 0x00 bytes", c->column_type,
                          n)
                   ? -1
                   : 1;
    return put(arena, out, XFORM_BIN, p, n);
}

/* ---- JSON ---------------------------------------------------------------- */

static int json_number(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    (void)n;
    return 1;
}

/* yajl's allocations for one JSON value, carved from a block on the caller's
 * stack instead of one malloc/free each (yajl frees them all with its handle):
 * blocks carry their size; the newest one grows in place, an older one moves;
 * what does not fit comes from malloc, marked so that it goes back there. */
struct json_mem {
    size_t used;
    _Alignas(max_align_t) unsigned char block[8192];
};

#define JSON_MEM_HEAP ((size_t)1 << (sizeof(size_t) * 8 - 1))

static size_t json_mem_round(size_t n)
{
    return (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
}

static void *json_mem_malloc(void *ctx, size_t n)
{
    struct json_mem *m = ctx;
    if (n >= JSON_MEM_HEAP)
        return NULL;
    size_t need = json_mem_round(sizeof(max_align_t) + n);
    size_t *hdr;
    if (need <= sizeof m->block - m->used) {
        hdr = (size_t *)(void *)(m->block + m->used);
        m->used += need;
        *hdr = n;
    } else if ((hdr = malloc(sizeof(max_align_t) + n)) != NULL) {
        *hdr = n | JSON_MEM_HEAP;
    } else {
        return NULL;
    }
    return (unsigned char *)hdr + sizeof(max_align_t);
}

static void json_mem_free(void *ctx, void *p)
{
    struct json_mem *m = ctx;
    if (p == NULL)
        return;
    size_t *hdr = (size_t *)(void *)((unsigned char *)p - sizeof(max_align_t));
    if (*hdr & JSON_MEM_HEAP)
        free(hdr);
    else if ((unsigned char *)hdr + json_mem_round(sizeof(max_align_t) + *hdr) ==
             m->block + m->used)
        m->used = (size_t)((unsigned char *)hdr - m->block); /* the newest block */
}

static void *json_mem_realloc(void *ctx, void *p, size_t n)
{
    struct json_mem *m = ctx;
    if (p == NULL)
        return json_mem_malloc(ctx, n);
    size_t *hdr = (size_t *)(void *)((unsigned char *)p - sizeof(max_align_t));
    size_t old = *hdr & ~JSON_MEM_HEAP;
    if (n >= JSON_MEM_HEAP)
        return NULL;
    if (*hdr & JSON_MEM_HEAP) {
        size_t *v = realloc(hdr, sizeof(max_align_t) + n);
        if (v == NULL)
            return NULL;
        *v = n | JSON_MEM_HEAP;
        return (unsigned char *)v + sizeof(max_align_t);
    }
    unsigned char *start = (unsigned char *)hdr;
    size_t end = (size_t)(start - m->block) + json_mem_round(sizeof(max_align_t) + old);
    size_t grown = (size_t)(start - m->block) + json_mem_round(sizeof(max_align_t) + n);
    if (end == m->used && grown <= sizeof m->block) { /* the newest block grows in place */
        m->used = grown;
        *hdr = n;
        return p;
    }
    void *q = json_mem_malloc(ctx, n);
    if (q != NULL) {
        memcpy(q, p, old < n ? old : n);
        json_mem_free(ctx, p);
    }
    return q;
}

static int conv_json(const struct xform_src *s, struct buf *arena, struct xform_val *out,
                     struct buf *why)
{
    char tmp[VAL_DOUBLE_MAX + 2];
    const unsigned char *p = s->p;
    size_t n = s->n;
    if (s->type == SQLITE_INTEGER || s->type == SQLITE_FLOAT) {
        if (number_text(s, tmp, &n) != 0)
            return reject(why, "Infinity/NaN is not JSON");
        p = (const unsigned char *)tmp;
    }
    if (memchr(p, '\f', n) != NULL || memchr(p, '\v', n) != NULL)
        return reject(why, "invalid JSON: form feed or vertical tab (not JSON whitespace, and "
                           "not allowed raw inside strings)");
    yajl_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.yajl_number = json_number;
    struct json_mem mem;
    mem.used = 0;
    yajl_alloc_funcs funcs = {json_mem_malloc, json_mem_realloc, json_mem_free, &mem};
    yajl_handle h = yajl_alloc(&cb, &funcs, NULL);
    if (h == NULL)
        return -1;
    yajl_status st = yajl_parse(h, p, n);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    int rc = 0;
    if (st != yajl_status_ok) {
        unsigned char *msg = yajl_get_error(h, 0, p, n);
        char *nl = msg ? strchr((char *)msg, '\n') : NULL;
        if (nl != NULL)
            *nl = '\0';
        rc = buf_printf(why, "invalid JSON: %s (at byte %zu)", msg ? (char *)msg : "parse error",
                        yajl_get_bytes_consumed(h)) == 0
                 ? 1
                 : -1;
        yajl_free_error(h, msg);
    } else if (val_utf8_check(p, n, NULL, NULL) != n) {
        rc = reject(why, "JSON text is not valid UTF-8");
    }
    yajl_free(h);
    return rc != 0 ? rc : put(arena, out, XFORM_STR, p, n);
}

/* ---- dates and times ---------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* Reasons that --zero-date null turns into NULL (compared by address). */
static const char r_zero_date[] = "zero date";
static const char r_bad_date[] = "invalid calendar date";
static const char r_range[] = "date out of range (year 1-9999)";
static const char r_ts_range[] = "instant outside TIMESTAMP's range 1970-01-01 00:00:01 .. "
                                 "2038-01-19 03:14:07 UTC";

/* An instant in UTC: whole seconds since the epoch plus microseconds. */
struct instant {
    int64_t sec;
    int32_t usec;
};

/* Rounds a fraction given as decimal digits f[0..n) to fsp digits, half up, as
 * MySQL does; *usec gets the result in microseconds, *carry 1 on overflow. */
static void round_frac(const char *f, size_t n, int fsp, int32_t *usec, int *carry)
{
    int64_t v = 0;
    for (int k = 0; k < fsp; k++)
        v = v * 10 + ((size_t)k < n ? f[k] - '0' : 0);
    if ((size_t)fsp < n && f[fsp] >= '5')
        v++;
    int64_t lim = 1;
    for (int k = 0; k < fsp; k++)
        lim *= 10;
    *carry = v == lim;
    if (*carry)
        v = 0;
    for (int k = fsp; k < 6; k++)
        v *= 10;
    *usec = (int32_t)v;
}

static int digits(const unsigned char *p, size_t n, size_t at, size_t k, int *out)
{
    if (at + k > n)
        return -1;
    int v = 0;
    for (size_t i = 0; i < k; i++) {
        if (p[at + i] < '0' || p[at + i] > '9')
            return -1;
        v = v * 10 + (p[at + i] - '0');
    }
    *out = v;
    return 0;
}

/* Parses ISO-8601 date or date-time text with optional fraction and zone.
 * Returns 0 with the UTC instant, or a static reason. */
static const char *parse_iso(const unsigned char *p, size_t n, int fsp, struct instant *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    size_t i = 0;
    if (digits(p, n, 0, 4, &y) || n < 10 || p[4] != '-' || digits(p, n, 5, 2, &mo) || p[7] != '-' ||
        digits(p, n, 8, 2, &d))
        return "text is not an ISO-8601 date/time (YYYY-MM-DD[THH:MM[:SS[.ffffff]]][Z|+hh:mm])";
    bool zero = y == 0 && mo == 0 && d == 0;
    if (!zero && (mo < 1 || mo > 12 || d < 1 || (unsigned)d > days_in_month(y, (unsigned)mo)))
        return r_bad_date;
    i = 10;
    const char *frac = NULL;
    size_t nfrac = 0;
    if (i < n && (p[i] == 'T' || p[i] == 't' || p[i] == ' ')) {
        if (digits(p, n, i + 1, 2, &h) || i + 3 >= n || p[i + 3] != ':' ||
            digits(p, n, i + 4, 2, &mi))
            return "text is not an ISO-8601 date/time (bad time of day)";
        i += 6;
        if (i < n && p[i] == ':') {
            if (digits(p, n, i + 1, 2, &se))
                return "text is not an ISO-8601 date/time (bad seconds)";
            i += 3;
            if (i < n && (p[i] == '.' || p[i] == ',')) {
                frac = (const char *)p + ++i;
                while (i < n && p[i] >= '0' && p[i] <= '9')
                    i++, nfrac++;
                if (nfrac == 0 || nfrac > 9)
                    return "fractional seconds must have 1 to 9 digits";
            }
        }
        if (h > 23 || mi > 59 || se > 59)
            return "invalid time of day";
    }
    int64_t off = 0;
    if (i < n && (p[i] == 'Z' || p[i] == 'z')) {
        i++;
    } else if (i < n && (p[i] == '+' || p[i] == '-')) {
        int sign = p[i] == '-' ? -1 : 1, oh, om = 0;
        if (digits(p, n, i + 1, 2, &oh))
            return "bad UTC offset";
        i += 3;
        bool colon = i < n && p[i] == ':';
        i += colon;
        if (i < n || colon) {
            if (digits(p, n, i, 2, &om))
                return "bad UTC offset";
            i += 2;
        }
        if (oh > 23 || om > 59)
            return "bad UTC offset";
        off = sign * (oh * 3600 + om * 60);
    }
    if (i != n)
        return "trailing characters after ISO-8601 date/time";
    if (zero)
        return r_zero_date;
    int carry;
    round_frac(frac ? frac : "", nfrac, fsp, &out->usec, &carry);
    out->sec = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se -
               off + carry;
    return NULL;
}

/* Epoch seconds in a decimal to an instant rounded to fsp. */
static const char *dec_to_instant(const struct dec *d, int fsp, struct instant *out)
{
    if (dec_int_digits(d) > 12)
        return "epoch seconds out of range";
    int64_t whole = 0;
    char frac[DEC_MAX_DIGITS + 8];
    size_t nf = 0;
    for (int p = dec_int_digits(d) - 1; p >= 0; p--)
        whole = whole * 10 + (dec_digit_at(d, p) - '0');
    for (int p = -1; p >= -(dec_frac_digits(d)) && nf < sizeof frac - 1; p--)
        frac[nf++] = dec_digit_at(d, p);
    int carry;
    round_frac(frac, nf, fsp, &out->usec, &carry);
    whole += carry;
    if (d->neg && out->usec > 0) {
        out->sec = -whole - 1;
        out->usec = 1000000 - out->usec;
    } else {
        out->sec = d->neg ? -whole : whole;
    }
    return NULL;
}

/* A number read as an instant in the given unit, rounded to fsp digits. */
static const char *number_instant(const struct xform_src *s, enum xform_unit unit, int fsp,
                                  struct instant *t)
{
    char tmp[VAL_DOUBLE_MAX + 8];
    struct dec d;
    if (unit == XFORM_UNIT_ISO)
        return "a number cannot go into this column: its mapping says iso8601";
    if (s->type == SQLITE_FLOAT && !isfinite(s->d))
        return "Infinity/NaN is not a time";
    if (unit == XFORM_UNIT_JULIAN) {
        /* Julian days carry about 40 microseconds of double precision: read
         * them to the millisecond, SQLite's own julianday() precision. */
        double jd = s->type == SQLITE_INTEGER ? (double)s->i : s->d;
        double ms = round((jd - 2440587.5) * 86400000.0);
        if (!(fabs(ms) < 1e18))
            return "Julian day out of range";
        dec_parse(tmp, (size_t)snprintf(tmp, sizeof tmp, "%.0f", ms), &d);
        d.exp10 -= 3;
    } else {
        size_t n = s->type == SQLITE_INTEGER
                       ? (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)s->i)
                       : val_double(s->d, tmp);
        dec_parse(tmp, n, &d);
        if (d.nd > 0)
            d.exp10 -= unit == XFORM_UNIT_MS ? 3 : unit == XFORM_UNIT_US ? 6 : 0;
    }
    if (dec_int_digits(&d) > 12)
        return r_range;
    return dec_to_instant(&d, fsp, t);
}

static int conv_temporal(const struct xform_col *xc, const struct xform_src *s, struct buf *arena,
                         struct xform_val *out, struct buf *why)
{
    const struct schema_column *c = xc->col;
    int fsp = c->kind == SCHEMA_DATE ? 6 : c->fsp;
    struct instant t = {0, 0};
    const char *bad = NULL;
    char res[40];
    int n = 0;
    double us;
    switch (s->type) {
    case SQLITE_INTEGER:
        if ((xc->unit == XFORM_UNIT_AUTO || xc->unit == XFORM_UNIT_S) && s->i > -1000000000000LL &&
            s->i < 1000000000000LL) {
            t.sec = s->i; /* the common case, without a decimal detour */
            break;
        }
        bad = number_instant(s, xc->unit, fsp, &t);
        break;
    case SQLITE_FLOAT:
        us = nearbyint(s->d * 1e6);
        if ((xc->unit == XFORM_UNIT_AUTO || xc->unit == XFORM_UNIT_S) && fabs(s->d) < 1e9 * 4 &&
            us / 1e6 == s->d && fsp == 6) {
            /* The nearest microsecond count reads back as exactly this double:
             * below 4e9 s a double's step is under 1 us, so that count is the
             * value's shortest decimal form and nothing needs rounding. */
            int64_t m = (int64_t)us;
            t.sec = m >= 0 ? m / 1000000 : -((-m + 999999) / 1000000);
            t.usec = (int32_t)(m - t.sec * 1000000);
            break;
        }
        bad = number_instant(s, xc->unit, fsp, &t);
        break;
    case SQLITE_TEXT:
        bad = parse_iso(s->p, s->n, fsp, &t);
        break;
    default:
        return reject(why, "BLOB value cannot go into a date/time column");
    }
    int64_t days = 0, sod = 0, y = 0;
    unsigned m = 0, dd = 0;
    if (bad == NULL) {
        days = t.sec >= 0 ? t.sec / 86400 : -((-t.sec + 86399) / 86400);
        sod = t.sec - days * 86400;
        civil_from_days(days, &y, &m, &dd);
        if (y < 1 || y > 9999)
            bad = r_range;
        else if (c->kind == SCHEMA_TIMESTAMP && (t.sec < 1 || t.sec > 2147483647))
            bad = r_ts_range;
        else if (c->kind == SCHEMA_DATE && (sod != 0 || t.usec != 0))
            bad = "value carries a time of day; a DATE column would drop it";
    }
    if (bad != NULL) {
        if (xc->zero_date_null && c->nullable &&
            (bad == r_zero_date || bad == r_bad_date || bad == r_range || bad == r_ts_range)) {
            out->kind = XFORM_NULL;
            out->off = arena->len;
            out->len = 0;
            return 0;
        }
        return reject(why, bad);
    }
    /* YYYY-MM-DD[ HH:MM:SS[.ffffff]], digits written directly */
    static const int fields[][2] = {{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}, {20, 6}};
    int64_t val[] = {y, m, dd, sod / 3600, sod / 60 % 60, sod % 60, t.usec};
    memcpy(res, "0000-00-00 00:00:00.000000", 27);
    for (int f = 0; f < 7; f++)
        for (int k = fields[f][1] - 1, v = (int)val[f]; k >= 0; k--, v /= 10)
            res[fields[f][0] + k] = (char)('0' + v % 10);
    n = c->kind == SCHEMA_DATE ? 10 : fsp > 0 ? 20 + fsp : 19;
    return put(arena, out, XFORM_STR, res, (size_t)n);
}

static int conv_time(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                     struct xform_val *out, struct buf *why)
{
    if (s->type != SQLITE_TEXT)
        return reject(why, "only text [-]HH:MM[:SS[.ffffff]] can go into a TIME column");
    const unsigned char *p = s->p;
    size_t n = s->n, i = 0;
    bool neg = n > 0 && p[0] == '-';
    i = neg;
    long h = 0;
    size_t hd = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9' && hd < 4)
        h = h * 10 + (p[i++] - '0'), hd++;
    int mi, se = 0;
    const char *frac = NULL;
    size_t nfrac = 0;
    if (hd == 0 || i >= n || p[i] != ':' || digits(p, n, i + 1, 2, &mi))
        return reject(why, "text is not a TIME ([-]HH:MM[:SS[.ffffff]])");
    i += 3;
    if (i < n && p[i] == ':') {
        if (digits(p, n, i + 1, 2, &se))
            return reject(why, "text is not a TIME ([-]HH:MM[:SS[.ffffff]])");
        i += 3;
        if (i < n && p[i] == '.') {
            frac = (const char *)p + ++i;
            while (i < n && p[i] >= '0' && p[i] <= '9')
                i++, nfrac++;
        }
    }
    if (i != n || mi > 59 || se > 59 || (frac && (nfrac == 0 || nfrac > 9)))
        return reject(why, "text is not a TIME ([-]HH:MM[:SS[.ffffff]])");
    int32_t usec;
    int carry;
    round_frac(frac ? frac : "", nfrac, c->fsp, &usec, &carry);
    long total = h * 3600 + mi * 60 + se + carry;
    if (total > 838 * 3600 + 59 * 60 + 59 || (total == 838 * 3600 + 59 * 60 + 59 && usec))
        return reject(why, "TIME out of range (-838:59:59 .. 838:59:59)");
    char res[40];
    int len = snprintf(res, sizeof res, "%s%02ld:%02ld:%02ld", neg ? "-" : "", total / 3600,
                       total / 60 % 60, total % 60);
    if (c->fsp > 0)
        len += snprintf(res + len, sizeof res - (size_t)len, ".%06d", (int)usec) - (6 - c->fsp);
    return put(arena, out, XFORM_STR, res, (size_t)len);
}

static int conv_year(const struct xform_src *s, struct buf *arena, struct xform_val *out,
                     struct buf *why)
{
    bool neg;
    uint64_t mag;
    if (s->type == SQLITE_INTEGER) {
        neg = s->i < 0;
        mag = neg ? 0 : (uint64_t)s->i;
    } else if (s->type == SQLITE_FLOAT) {
        if (double_to_int(s->d, &neg, &mag) != 0)
            return reject(why, "REAL value is not a whole year");
    } else if (s->type != SQLITE_TEXT || canonical_int(s->p, s->n, &neg, &mag) != 0) {
        return reject(why, "value is not a year");
    }
    if (neg || (mag != 0 && (mag < 1901 || mag > 2155)))
        return reject(why, "year out of YEAR's range 1901-2155");
    /* "0000", not "0": as text MySQL reads '0' as the year 2000 */
    return mag == 0 ? put_text(arena, out, XFORM_NUM, "0000") : emit_int(arena, out, false, mag);
}

static int conv_bit(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                    struct xform_val *out, struct buf *why)
{
    if (s->type != SQLITE_INTEGER || s->i < 0)
        return reject(why, "only non-negative integers can go into a BIT column");
    if (c->max < 64 && (uint64_t)s->i >> c->max)
        return rejectf(why, "integer does not fit %s", c->column_type);
    return emit_int(arena, out, false, (uint64_t)s->i);
}

/* ---- entry points ------------------------------------------------------- */

void xform_src_from_sqlite(struct xform_src *s, sqlite3_value *v)
{
    s->type = sqlite3_value_type(v);
    s->p = NULL;
    s->n = 0;
    switch (s->type) {
    case SQLITE_INTEGER:
        s->i = sqlite3_value_int64(v);
        break;
    case SQLITE_FLOAT:
        s->d = sqlite3_value_double(v);
        break;
    case SQLITE_TEXT:
        s->p = sqlite3_value_text(v);
        s->n = (size_t)sqlite3_value_bytes(v);
        break;
    case SQLITE_BLOB:
        s->p = sqlite3_value_blob(v);
        s->n = (size_t)sqlite3_value_bytes(v);
        break;
    default:
        break;
    }
}

int xform_convert(const struct xform_col *xc, const struct xform_src *src, struct buf *arena,
                  struct xform_val *out, struct buf *why, unsigned *flags)
{
    const struct schema_column *c = xc->col;
    struct xform_src dflt;
    if (src->type == SQLITE_NULL && xc->null_default != NULL) {
        dflt.type = SQLITE_TEXT;
        dflt.p = (const unsigned char *)xc->null_default;
        dflt.n = strlen(xc->null_default);
        src = &dflt;
    }
    if (src->type == SQLITE_NULL) {
        if (!c->nullable && !c->auto_increment)
            return reject(why, "NULL cannot go into a NOT NULL column");
        out->kind = XFORM_NULL;
        out->off = arena->len;
        out->len = 0;
        return 0;
    }
    if (xc->unit == XFORM_UNIT_TEXT && (src->type == SQLITE_INTEGER || src->type == SQLITE_FLOAT)) {
        /* "convert = text": a number is taken as the text SQLite would show */
        char tmp[VAL_DOUBLE_MAX + 2];
        size_t n;
        if (number_text(src, tmp, &n) != 0)
            return reject(why, "Infinity/NaN has no text form");
        struct xform_src t = {.type = SQLITE_TEXT, .p = (const unsigned char *)tmp, .n = n};
        struct xform_col plain = *xc;
        plain.unit = XFORM_UNIT_AUTO;
        return xform_convert(&plain, &t, arena, out, why, flags);
    }
    switch (c->kind) {
    case SCHEMA_INT:
        return conv_int(c, src, arena, out, why);
    case SCHEMA_BOOL:
        return conv_bool(c, src, arena, out, why);
    case SCHEMA_DECIMAL:
        return conv_decimal(c, src, arena, out, why);
    case SCHEMA_FLOAT:
    case SCHEMA_DOUBLE:
        return conv_double(c, src, arena, out, why);
    case SCHEMA_TEXT:
    case SCHEMA_ENUM:
    case SCHEMA_SET:
        return conv_text(xc, src, arena, out, why, flags);
    case SCHEMA_BINARY:
        return conv_binary(c, src, arena, out, why);
    case SCHEMA_JSON:
        return conv_json(src, arena, out, why);
    case SCHEMA_DATE:
    case SCHEMA_DATETIME:
    case SCHEMA_TIMESTAMP:
        return conv_temporal(xc, src, arena, out, why);
    case SCHEMA_TIME:
        return conv_time(c, src, arena, out, why);
    case SCHEMA_YEAR:
        return conv_year(src, arena, out, why);
    case SCHEMA_BIT:
        return conv_bit(c, src, arena, out, why);
    default:
        return rejectf(why, "target type %s is not supported", c->column_type);
    }
}

int xform_value(const struct schema_column *c, const struct xform_src *src, struct buf *arena,
                struct xform_val *out, struct buf *why)
{
    struct xform_col xc = {.col = c};
    unsigned flags = 0;
    return xform_convert(&xc, src, arena, out, why, &flags);
}

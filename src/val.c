/* val: shared value helpers (see val.h). */
#include "val.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Fast path of val_double for values with at most 6 decimals between 1e-4
 * and 2^33 (most stored data, unix seconds with microseconds among them).
 * When m / 1e6 == |d| for the integer m = round(|d| * 1e6) < 2^53, the decimal
 * m * 10^-6 reads back as d (the division is correctly rounded); below 2^33 an
 * ulp is under 1e-6, so no other decimal of at most 6 places does, and the
 * shortest text of d is that decimal without trailing zeros: what the "%.*g"
 * search below finds. Returns 0 when d is not such a value. */
static size_t short_decimal(double d, char out[VAL_DOUBLE_MAX])
{
    double a = fabs(d);
    if (!(a >= 1e-4 && a < 8589934592.0))
        return 0;
    double scaled = a * 1e6;
    double m = nearbyint(scaled);
    if (m / 1e6 != a)
        return 0;
    uint64_t v = (uint64_t)m;
    char tmp[32];
    char *end = tmp + sizeof tmp, *p = end;
    int frac = 6;
    while (frac > 0 && v % 10 == 0) { /* trailing zeros of the fraction */
        v /= 10;
        frac--;
    }
    for (int k = 0; k < frac; k++, v /= 10)
        *--p = (char)('0' + v % 10);
    if (frac > 0)
        *--p = '.';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    if (d < 0)
        *--p = '-';
    size_t n = (size_t)(end - p);
    memcpy(out, p, n);
    out[n] = '\0';
    return n;
}

size_t val_double(double d, char out[VAL_DOUBLE_MAX])
{
    size_t fast = short_decimal(d, out);
    if (fast > 0)
        return fast;
    int n = 0;
    /* 15 digits always suffice to start from for normal numbers (%g drops
     * trailing zeros); subnormals carry fewer significant digits */
    for (int prec = fabs(d) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
        n = snprintf(out, VAL_DOUBLE_MAX, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            break;
    }
    return (size_t)n;
}

size_t val_utf8_check(const unsigned char *s, size_t n, size_t *chars, int *has4)
{
    size_t i = 0, count = 0;
    while (i < n) {
        /* ASCII runs sixteen, then eight bytes at a time */
#ifdef __SSE2__
        while (i + 16 <= n &&
               _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i))) == 0) {
            i += 16;
            count += 16;
        }
#endif
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
            count += 8;
        }
        if (i >= n)
            break;
        unsigned c = s[i];
        size_t len;
        unsigned cp;
        if (c < 0x80) {
            i++;
            count++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            break;
        }
        if (i + len > n)
            break;
        size_t k;
        for (k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                break;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (k < len)
            break;
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            break;
        if (len == 4 && has4 != NULL)
            *has4 = 1;
        i += len;
        count++;
    }
    if (chars != NULL)
        *chars = count;
    return i;
}

int val_render_text(struct buf *b, const unsigned char *s, size_t n, size_t max)
{
    size_t start = b->len;
    size_t i = 0;
    while (i < n) {
        if (b->len - start >= max)
            return buf_puts(b, "...");
        unsigned c = s[i];
        int rc;
        if (c == '\\')
            rc = buf_puts(b, "\\\\");
        else if (c == '\'')
            rc = buf_puts(b, "\\'");
        else if (c == '\n')
            rc = buf_puts(b, "\\n");
        else if (c == '\t')
            rc = buf_puts(b, "\\t");
        else if (c == '\r')
            rc = buf_puts(b, "\\r");
        else if (c < 0x20 || c == 0x7F)
            rc = buf_printf(b, "\\x%02X", c);
        else if (c < 0x80)
            rc = buf_putc(b, (char)c);
        else {
            size_t ok = val_utf8_check(s + i, n - i < 4 ? n - i : 4, NULL, NULL);
            size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (ok >= len) {
                rc = buf_append(b, s + i, len);
                i += len;
                if (rc != 0)
                    return rc;
                continue;
            }
            rc = buf_printf(b, "\\x%02X", c);
        }
        if (rc != 0)
            return rc;
        i++;
    }
    return 0;
}

int val_render(struct buf *b, const struct xform_src *v, size_t max)
{
    char num[VAL_DOUBLE_MAX];
    switch (v->type) {
    case SQLITE_NULL:
        return buf_puts(b, "NULL");
    case SQLITE_INTEGER:
        return buf_printf(b, "%lld", (long long)v->i);
    case SQLITE_FLOAT:
        val_double(v->d, num);
        return buf_puts(b, num);
    case SQLITE_BLOB: {
        size_t shown = v->n > max / 2 ? max / 2 : v->n;
        if (buf_puts(b, "X'") || buf_hex(b, v->p, shown) || buf_putc(b, '\''))
            return -1;
        return shown < v->n ? buf_printf(b, "... (%zu bytes)", v->n) : 0;
    }
    default:
        if (buf_putc(b, '\'') || val_render_text(b, v->p, v->n, max))
            return -1;
        return buf_putc(b, '\'');
    }
}

/* The letter after the backslash, by byte (0: the byte goes as it is): LOAD
 * DATA's text format, and the SQL literals of mysql_real_escape_string (\Z
 * for Ctrl-Z). Tables, since a memchr per byte
 * took a sixth of a load's client CPU. */
static const char text_esc[256] = {
    ['\0'] = '0', ['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r'};
static const char sql_esc[256] = {['\0'] = '0',  ['\n'] = 'n', ['\r'] = 'r',  ['\\'] = '\\',
                                  ['\''] = '\'', ['"'] = '"',  ['\032'] = 'Z'};

#ifdef __SSE2__
/* Bit k set when byte k of the 16 at p has a letter in sql_esc (sql) or in
 * text_esc: compared with each such byte at once. */
static inline unsigned match16(const unsigned char *p, bool sql)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
    m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
    m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    if (sql) {
        m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\'')));
        m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
        m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\032')));
    } else {
        m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
    }
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Byte c into d: as it is, or a backslash and esc[c] when that is not 0.
 * Returns the byte after it. */
static char *escape_byte(char *d, unsigned char c, const char *esc)
{
    if (esc[c] == 0) {
        *d = (char)c;
        return d + 1;
    }
    d[0] = '\\';
    d[1] = esc[c];
    return d + 2;
}

/* s[0..n) into out (room for 2 * n bytes), each byte c with esc[c] as a
 * backslash and that letter (esc is sql_esc when sql, else text_esc):
 * sixteen bytes at a time when none of them has one. Returns the bytes
 * written. */
static size_t escape_with(char *out, const unsigned char *s, size_t n, const char *esc, bool sql)
{
    char *d = out;
    size_t i = 0;
#ifdef __SSE2__
    for (; i + 16 <= n; i += 16) {
        if (match16(s + i, sql) == 0) {
            memcpy(d, s + i, 16);
            d += 16;
            continue;
        }
        for (size_t k = i; k < i + 16; k++)
            d = escape_byte(d, s[k], esc);
    }
#else
    (void)sql;
#endif
    for (; i < n; i++)
        d = escape_byte(d, s[i], esc);
    return (size_t)(d - out);
}

int val_escape_text(struct buf *b, const void *p, size_t n)
{
    if (n > SIZE_MAX / 2 || buf_reserve(b, 2 * n) != 0)
        return -1;
    b->len += escape_with(b->data + b->len, p, n, text_esc, false);
    b->data[b->len] = '\0';
    return 0;
}

size_t val_escape_sql(char *out, const void *p, size_t n)
{
    return escape_with(out, p, n, sql_esc, true);
}

size_t val_sql_escapes(const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t count = 0, i = 0;
#ifdef __SSE2__
    for (; i + 16 <= n; i += 16)
        for (unsigned bits = match16(s + i, true); bits != 0; bits &= bits - 1)
            count++;
#endif
    for (; i < n; i++)
        count += sql_esc[s[i]] != 0;
    return count;
}

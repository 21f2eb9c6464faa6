/* dec: exact decimal parsing and rendering (see dec.h). */
#include "dec.h"

#include <string.h>

int dec_parse(const char *s, size_t n, struct dec *d)
{
    size_t i = 0;
    memset(d, 0, sizeof *d);
    if (i < n && (s[i] == '-' || s[i] == '+'))
        d->neg = s[i++] == '-';
    int seen = 0, point = 0, frac = 0, zeros = 0; /* zeros: not stored yet */
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
        if (ch == '0') { /* leading zeros never count, trailing ones go to the exponent */
            zeros += d->nd > 0;
            continue;
        }
        if (d->nd + zeros >= DEC_MAX_DIGITS)
            return -1;
        for (; zeros > 0; zeros--)
            d->digits[d->nd++] = '0';
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
    d->exp10 = (int)e - frac + zeros;
    d->digits[d->nd] = '\0';
    if (d->nd == 0) {
        d->neg = false;
        d->exp10 = 0;
    }
    return 0;
}

int dec_plain(const struct dec *d, struct buf *b)
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

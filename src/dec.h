/* dec: exact decimal numbers as the transformer reads them from text, value =
 * [-] digits x 10^exp10, with no rounding anywhere: parsing, the digits on
 * either side of the point and the plain (exponent-free) rendering. */
#ifndef LITELIFT_DEC_H
#define LITELIFT_DEC_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Most significant digits a struct dec holds. */
#define DEC_MAX_DIGITS 80

struct dec {
    bool neg;
    char digits[DEC_MAX_DIGITS + 1]; /* no leading zeros; no trailing zeros */
    int nd;                          /* 0 means the value is zero */
    int exp10;
};

/* Parses [-+]?digits[.digits]?([eE][-+]?digits)? covering all of s[0..n)
 * into d (normalised: no leading or trailing zeros; zero is never negative).
 * Returns 0, or -1 when it is not such a number or has more than
 * DEC_MAX_DIGITS significant digits. */
int dec_parse(const char *s, size_t n, struct dec *d);

/* Appends the plain decimal rendering of d (no exponent, "-" when negative,
 * "0" for zero, no trailing zeros after the point). Returns 0 or -1. */
int dec_plain(const struct dec *d, struct buf *b);

/* Number of digits before the decimal point (0 for |d| < 1). */
static inline int dec_int_digits(const struct dec *d)
{
    return d->nd + d->exp10 > 0 ? d->nd + d->exp10 : 0;
}

/* Number of digits after the decimal point. */
static inline int dec_frac_digits(const struct dec *d)
{
    return d->exp10 < 0 ? -d->exp10 : 0;
}

/* The digit whose power of ten is p ('0' outside the significant digits). */
static inline char dec_digit_at(const struct dec *d, int p)
{
    int idx = d->nd - 1 - (p - d->exp10);
    return idx >= 0 && idx < d->nd ? d->digits[idx] : '0';
}

#endif

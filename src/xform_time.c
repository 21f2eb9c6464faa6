/* xform_time: values into DATE, DATETIME, TIMESTAMP, TIME and YEAR columns:
 * ISO-8601 text and epoch numbers in the column's unit, rounded as MySQL
 * rounds fractions, range-checked. */
#include "xform_int.h"

#include <math.h>
#include <stdio.h>

#include "dec.h"
#include "val.h"

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

/* "00" .. "99": two decimal digits at once. */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

int xform_conv_temporal(const struct xform_col *xc, const struct xform_src *s, struct buf *arena,
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
        return xform_reject(why, "BLOB value cannot go into a date/time column");
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
            return xform_put_null(arena, out);
        }
        return xform_reject(why, bad);
    }
    /* YYYY-MM-DD[ HH:MM:SS[.ffffff]], two digits at a time */
    unsigned hms = (unsigned)sod, frac = (unsigned)t.usec;
    const unsigned pairs[] = {(unsigned)y / 100, (unsigned)y % 100, m,        dd,
                              hms / 3600,        hms / 60 % 60,     hms % 60, frac / 10000,
                              frac / 100 % 100,  frac % 100};
    static const unsigned char at[] = {0, 2, 5, 8, 11, 14, 17, 20, 22, 24};
    memcpy(res, "0000-00-00 00:00:00.000000", 27);
    for (size_t f = 0; f < sizeof at; f++)
        memcpy(res + at[f], digit_pairs + 2 * pairs[f], 2);
    n = c->kind == SCHEMA_DATE ? 10 : fsp > 0 ? 20 + fsp : 19;
    return xform_put(arena, out, XFORM_STR, res, (size_t)n);
}

int xform_conv_time(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                    struct xform_val *out, struct buf *why)
{
    if (s->type != SQLITE_TEXT)
        return xform_reject(why, "only text [-]HH:MM[:SS[.ffffff]] can go into a TIME column");
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
        return xform_reject(why, "text is not a TIME ([-]HH:MM[:SS[.ffffff]])");
    i += 3;
    if (i < n && p[i] == ':') {
        if (digits(p, n, i + 1, 2, &se))
            return xform_reject(why, "text is not a TIME ([-]HH:MM[:SS[.ffffff]])");
        i += 3;
        if (i < n && p[i] == '.') {
            frac = (const char *)p + ++i;
            while (i < n && p[i] >= '0' && p[i] <= '9')
                i++, nfrac++;
        }
    }
    if (i != n || mi > 59 || se > 59 || (frac && (nfrac == 0 || nfrac > 9)))
        return xform_reject(why, "text is not a TIME ([-]HH:MM[:SS[.ffffff]])");
    int32_t usec;
    int carry;
    round_frac(frac ? frac : "", nfrac, c->fsp, &usec, &carry);
    long total = h * 3600 + mi * 60 + se + carry;
    if (total > 838 * 3600 + 59 * 60 + 59 || (total == 838 * 3600 + 59 * 60 + 59 && usec))
        return xform_reject(why, "TIME out of range (-838:59:59 .. 838:59:59)");
    char res[40];
    int len = snprintf(res, sizeof res, "%s%02ld:%02ld:%02ld", neg ? "-" : "", total / 3600,
                       total / 60 % 60, total % 60);
    if (c->fsp > 0)
        len += snprintf(res + len, sizeof res - (size_t)len, ".%06d", (int)usec) - (6 - c->fsp);
    return xform_put(arena, out, XFORM_STR, res, (size_t)len);
}

int xform_conv_year(const struct xform_src *s, struct buf *arena, struct xform_val *out,
                    struct buf *why)
{
    bool neg;
    uint64_t mag;
    if (s->type == SQLITE_INTEGER) {
        neg = s->i < 0;
        mag = neg ? 0 : (uint64_t)s->i;
    } else if (s->type == SQLITE_FLOAT) {
        if (xform_double_to_int(s->d, &neg, &mag) != 0)
            return xform_reject(why, "REAL value is not a whole year");
    } else if (s->type != SQLITE_TEXT || xform_canonical_int(s->p, s->n, &neg, &mag) != 0) {
        return xform_reject(why, "value is not a year");
    }
    if (neg || (mag != 0 && (mag < 1901 || mag > 2155)))
        return xform_reject(why, "year out of YEAR's range 1901-2155");
    /* "0000", not "0": as text MySQL reads '0' as the year 2000 */
    return mag == 0 ? xform_put_text(arena, out, XFORM_NUM, "0000")
                    : xform_emit_int(arena, out, false, mag);
}

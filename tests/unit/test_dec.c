/* test_dec: the exact decimals of src/dec.h: dec_parse() (accepted forms,
 * normalisation of leading/trailing zeros, signs and exponents, the digit
 * limit, trailing zeros not counted against it, rejected text), dec_plain() (exponent-free
 * rendering) and the digit helpers dec_int_digits(), dec_frac_digits() and dec_digit_at(). */
#include <criterion/criterion.h>
#include <string.h>

#include "dec.h"

struct dcase {
    const char *in;
    int rc;             /* dec_parse's result */
    const char *plain;  /* dec_plain's rendering (rc 0) */
    const char *digits; /* the significant digits */
    int exp10;
    int int_digits, frac_digits;
};

static const struct dcase cases[] = {
    {"0", 0, "0", "", 0, 0, 0},
    {"-0", 0, "0", "", 0, 0, 0},
    {"+0.000", 0, "0", "", 0, 0, 0},
    {"0e99", 0, "0", "", 0, 0, 0},
    {"7", 0, "7", "7", 0, 1, 0},
    {"+7", 0, "7", "7", 0, 1, 0},
    {"-12.50", 0, "-12.5", "125", -1, 2, 1},
    {"007.0700", 0, "7.07", "707", -2, 1, 2},
    {"1200", 0, "1200", "12", 2, 4, 0},
    {".5", 0, "0.5", "5", -1, 0, 1},
    {"5.", 0, "5", "5", 0, 1, 0},
    {"1e3", 0, "1000", "1", 3, 4, 0},
    {"1.5E-3", 0, "0.0015", "15", -4, 0, 4},
    {"-2.5e+2", 0, "-250", "25", 1, 3, 0},
    {"123.456e1", 0, "1234.56", "123456", -2, 4, 2},
    {"0.000123", 0, "0.000123", "123", -6, 0, 6},
    {"99999999999999999999", 0, "99999999999999999999", "99999999999999999999", 0, 20, 0},
    {"", -1, NULL, NULL, 0, 0, 0},
    {"-", -1, NULL, NULL, 0, 0, 0},
    {".", -1, NULL, NULL, 0, 0, 0},
    {"e5", -1, NULL, NULL, 0, 0, 0},
    {"1e", -1, NULL, NULL, 0, 0, 0},
    {"1e+", -1, NULL, NULL, 0, 0, 0},
    {"1.2.3", -1, NULL, NULL, 0, 0, 0},
    {" 1", -1, NULL, NULL, 0, 0, 0},
    {"1 ", -1, NULL, NULL, 0, 0, 0},
    {"0x10", -1, NULL, NULL, 0, 0, 0},
    {"1,5", -1, NULL, NULL, 0, 0, 0},
    {"--1", -1, NULL, NULL, 0, 0, 0},
    {"inf", -1, NULL, NULL, 0, 0, 0},
    {"NaN", -1, NULL, NULL, 0, 0, 0},
    /* found by tests/fuzz/xform_num: trailing zeros are not significant
     * digits, however many there are (DEC_MAX_DIGITS counts only the others) */
    {"1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000",
     0,
     "1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000",
     "1", 90, 91, 0},
    {"0.100000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000",
     0, "0.1", "1", -1, 0, 1},
    {"1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "001",
     -1, NULL, NULL, 0, 0, 0},
};

Test(dec, parse_and_plain)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct dcase *k = &cases[i];
        struct dec d;
        int rc = dec_parse(k->in, strlen(k->in), &d);
        cr_expect_eq(rc, k->rc, "dec_parse(\"%s\") = %d, expected %d", k->in, rc, k->rc);
        if (rc != 0 || k->rc != 0)
            continue;
        cr_expect_str_eq(d.digits, k->digits, "\"%s\": digits", k->in);
        cr_expect_eq(d.nd, (int)strlen(k->digits), "\"%s\": nd", k->in);
        cr_expect_eq(d.exp10, k->exp10, "\"%s\": exp10 %d", k->in, d.exp10);
        cr_expect_eq(d.neg, k->plain[0] == '-', "\"%s\": sign", k->in);
        cr_expect_eq(dec_int_digits(&d), k->int_digits, "\"%s\": integer digits", k->in);
        cr_expect_eq(dec_frac_digits(&d), k->frac_digits, "\"%s\": fraction digits", k->in);
        struct buf b;
        buf_init(&b, BUF_CAP_ROW);
        cr_assert_eq(dec_plain(&d, &b), 0);
        cr_expect(b.len == strlen(k->plain) && memcmp(b.data, k->plain, b.len) == 0,
                  "dec_plain(\"%s\") = \"%.*s\", expected \"%s\"", k->in, (int)b.len, b.data,
                  k->plain);
        buf_free(&b);
    }
}

/* The text need not be NUL-terminated: only s[0..n) counts. */
Test(dec, parse_reads_only_n_bytes)
{
    struct dec d;
    cr_assert_eq(dec_parse("12.5xyz", 4, &d), 0);
    cr_expect_str_eq(d.digits, "125");
    cr_expect_eq(d.exp10, -1);
    cr_expect_eq(dec_parse("12.5xyz", 5, &d), -1);
}

/* DEC_MAX_DIGITS significant digits fit; one more does not. Leading zeros
 * do not count. */
Test(dec, digit_limit)
{
    char s[DEC_MAX_DIGITS + 20];
    struct dec d;
    memset(s, '9', DEC_MAX_DIGITS);
    cr_expect_eq(dec_parse(s, DEC_MAX_DIGITS, &d), 0);
    cr_expect_eq(d.nd, DEC_MAX_DIGITS);
    memset(s, '9', DEC_MAX_DIGITS + 1);
    cr_expect_eq(dec_parse(s, DEC_MAX_DIGITS + 1, &d), -1);
    memset(s, '0', 10);
    memset(s + 10, '1', DEC_MAX_DIGITS);
    cr_expect_eq(dec_parse(s, 10 + DEC_MAX_DIGITS, &d), 0, "10 zeros before %d digits",
                 DEC_MAX_DIGITS);
    cr_expect_eq(d.nd, DEC_MAX_DIGITS);
    cr_expect_eq(d.exp10, 0);
}

/* Trailing zeros are not significant digits: a number of 70 digits that are
 * mostly trailing zeros parses (found by tests/fuzz/fuzz_dec.c: dec_plain's
 * rendering of a large exponent did not read back), and a zero between
 * significant digits still counts. */
Test(dec, trailing_zeros_are_not_significant)
{
    char s[DEC_MAX_DIGITS + 100];
    struct dec d;
    s[0] = '7';
    memset(s + 1, '0', DEC_MAX_DIGITS + 5);
    cr_assert_eq(dec_parse(s, DEC_MAX_DIGITS + 6, &d), 0);
    cr_expect(d.nd == 1 && d.exp10 == DEC_MAX_DIGITS + 5, "nd %d exp10 %d", d.nd, d.exp10);
    memcpy(s + DEC_MAX_DIGITS + 6, ".000", 4);
    cr_assert_eq(dec_parse(s, DEC_MAX_DIGITS + 10, &d), 0);
    cr_expect(d.nd == 1 && d.exp10 == DEC_MAX_DIGITS + 5, "nd %d exp10 %d", d.nd, d.exp10);
    s[DEC_MAX_DIGITS] = '3'; /* 7, zeros, 3: all significant now, one too many */
    cr_expect_eq(dec_parse(s, DEC_MAX_DIGITS + 1, &d), -1);
    s[DEC_MAX_DIGITS - 1] = '3'; /* just as many as fit */
    cr_assert_eq(dec_parse(s, DEC_MAX_DIGITS, &d), 0);
    cr_expect(d.nd == DEC_MAX_DIGITS && d.exp10 == 0, "nd %d exp10 %d", d.nd, d.exp10);
    cr_assert_eq(dec_parse("120.0300e-2", 11, &d), 0);
    cr_expect(d.nd == 5 && strcmp(d.digits, "12003") == 0 && d.exp10 == -4, "%s e%d", d.digits,
              d.exp10);
}

Test(dec, digit_at)
{
    struct dec d;
    cr_assert_eq(dec_parse("305.07", 6, &d), 0);
    const char want[] = "00305070"; /* powers 4 .. -3 */
    for (int p = 4; p >= -3; p--)
        cr_expect_eq(dec_digit_at(&d, p), want[4 - p], "digit at 10^%d", p);
}

/* Huge exponents are kept within int (capped), not wrapped. */
Test(dec, large_exponents)
{
    struct dec d;
    cr_assert_eq(dec_parse("1e99999999999", 13, &d), 0);
    cr_expect_gt(d.exp10, 99999);
    cr_assert_eq(dec_parse("1e-99999999999", 14, &d), 0);
    cr_expect_lt(d.exp10, -99999);
}

/* test_val: table-driven tests of the value helpers of src/val.h:
 * val_double() (exact shortest round-trip text, named cases incl. subnormals and
 * 10000 fixed-seed random normal doubles checked for round trip and minimal
 * digit count), val_utf8_check() (offset of the first invalid sequence, code
 * point count of the valid prefix, 4-byte flag), val_render_text() (escapes,
 * invalid UTF-8, cut at max) and val_render() on real sqlite3 values. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "val.h"

/* Printable rendering of bytes for failure messages. */
static const char *show(char *dst, size_t cap, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 8 < cap; i++) {
        if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
            dst[o++] = (char)s[i];
        else
            o += (size_t)snprintf(dst + o, cap - o, "\\x%02X", s[i]);
    }
    dst[o] = '\0';
    return dst;
}

/* ---- val_double --------------------------------------------------------- */

struct dcase {
    const char *name;
    double d;
    const char *want;
};

static const struct dcase double_cases[] = {
    {"0.1", 0.1, "0.1"},
    {"-0.1", -0.1, "-0.1"},
    {"0.5", 0.5, "0.5"},
    {"-2.5", -2.5, "-2.5"},
    {"zero", 0.0, "0"},
    {"negative zero", -0.0, "-0"},
    {"one", 1.0, "1"},
    {"100", 100.0, "100"},
    {"1e308", 1e308, "1e+308"},
    {"-1e308", -1e308, "-1e+308"},
    {"1e-5 (%g exponent form)", 1e-5, "1e-05"},
    {"0.0001", 0.0001, "0.0001"},
    {"1e15", 1e15, "1e+15"},
    {"123456789012345 (15 digits)", 123456789012345.0, "123456789012345"},
    {"1e16", 1e16, "1e+16"},
    {"1e21", 1e21, "1e+21"},
    {"1e23", 1e23, "1e+23"},
    {"1/3 (16 digits are enough)", 1 / 3., "0.3333333333333333"},
    {"2/3", 2 / 3., "0.6666666666666666"},
    {"0.30000000000000004 (17 digits)", 0.30000000000000004, "0.30000000000000004"},
    {"123456789.123456789", 123456789.123456789, "123456789.12345679"},
    {"2^53", 9007199254740992.0, "9007199254740992"},
    {"2^62", 4611686018427387904.0, "4.611686018427388e+18"},
    {"DBL_MAX", DBL_MAX, "1.7976931348623157e+308"},
    {"DBL_MIN (smallest normal)", DBL_MIN, "2.2250738585072014e-308"},
    {"DBL_EPSILON", DBL_EPSILON, "2.220446049250313e-16"},
    {"pi", 3.141592653589793, "3.141592653589793"},
    /* subnormals: shortest is short, but 15-digit %g is not shortest here */
    {"5e-324 (smallest subnormal)", 5e-324, "5e-324"},
    {"-5e-324", -5e-324, "-5e-324"},
    {"1.5e-323 (3 x smallest)", 1.5e-323, "1.5e-323"},
    {"1e-320 (subnormal)", 1e-320, "1e-320"},
    {"1e-310 (subnormal)", 1e-310, "1e-310"},
    {"largest subnormal", 2.225073858507201e-308, "2.225073858507201e-308"},
};

Test(val, double_named)
{
    size_t failed = 0;
    for (size_t i = 0; i < sizeof double_cases / sizeof *double_cases; i++) {
        const struct dcase *k = &double_cases[i];
        char out[VAL_DOUBLE_MAX];
        memset(out, 'X', sizeof out);
        size_t n = val_double(k->d, out);
        double back = strtod(out, NULL);
        bool ok = n == strlen(k->want) && strcmp(out, k->want) == 0 &&
                  memcmp(&back, &k->d, sizeof back) == 0;
        if (!ok) {
            failed++;
            cr_expect(ok, "val_double case \"%s\": expected \"%s\", got \"%.*s\" (len %zu)",
                      k->name, k->want, (int)sizeof out, out, n);
        }
    }
    cr_expect_eq(failed, 0);
}

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Significant digits of a %g/%e text and its decimal exponent (of the first digit). */
static int sig_digits(const char *s, char *digits, int *exp10)
{
    int nd = 0, point = -1, lead = 0, pos = 0;
    const char *p = s;
    if (*p == '-')
        p++;
    for (; *p && *p != 'e'; p++) {
        if (*p == '.') {
            point = pos;
            continue;
        }
        if (nd == 0 && *p == '0') {
            lead++;
            pos++;
            continue;
        }
        digits[nd++] = *p;
        pos++;
    }
    if (point < 0)
        point = pos;
    int e = *p == 'e' ? atoi(p + 1) : 0;
    while (nd > 0 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    *exp10 = e + point - lead - 1;
    return nd;
}

/* True when some decimal with k significant digits reads back as d: tries the
 * nearest k-digit decimal and its two neighbours. */
static bool fits_in_digits(double d, int k)
{
    if (k < 1)
        return false;
    char buf[64], mant[40];
    snprintf(buf, sizeof buf, "%.*e", k - 1, fabs(d));
    size_t m = 0;
    for (const char *p = buf; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            mant[m++] = *p;
    mant[m] = '\0';
    int ex = atoi(strchr(buf, 'e') + 1);
    unsigned long long v = strtoull(mant, NULL, 10);
    for (int delta = -1; delta <= 1; delta++) {
        unsigned long long c = v + (unsigned long long)(long long)delta;
        char cand[64];
        snprintf(cand, sizeof cand, "%s%llue%d", d < 0 ? "-" : "", c, ex - (k - 1));
        double back = strtod(cand, NULL);
        if (back == d)
            return true;
    }
    return false;
}

/* The minimal-digits oracle used below must itself be right. */
Test(val, shortest_oracle_self_check)
{
    cr_expect(fits_in_digits(0.1, 1));
    cr_expect(!fits_in_digits(0.30000000000000004, 16));
    cr_expect(fits_in_digits(0.30000000000000004, 17));
    cr_expect(fits_in_digits(1 / 3., 16));
    cr_expect(!fits_in_digits(1 / 3., 15));
    cr_expect(fits_in_digits(5e-324, 1));
    cr_expect(fits_in_digits(-2.5, 2));
    cr_expect(!fits_in_digits(-2.5, 1));
}

Test(val, double_random_normals_shortest_roundtrip)
{
    rng_state = 0xD1B54A32D192ED03ULL;
    size_t failed = 0, tested = 0;
    for (int i = 0; i < 10000 && failed <= 20; i++) {
        uint64_t bits = rng_next();
        double d;
        memcpy(&d, &bits, sizeof d);
        if (!isnormal(d))
            continue;
        tested++;
        char out[VAL_DOUBLE_MAX];
        size_t n = val_double(d, out);
        double back = strtod(out, NULL);
        char digits[40];
        int e;
        int k = sig_digits(out, digits, &e);
        bool exact = n == strlen(out) && memcmp(&back, &d, sizeof d) == 0;
        bool shortest = k <= 17 && !fits_in_digits(d, k - 1);
        if (!exact || !shortest) {
            failed++;
            cr_expect(exact && shortest, "val_double(%.17g) (bits 0x%016llx) = \"%s\": %s", d,
                      (unsigned long long)bits, out,
                      !exact ? "does not read back exactly" : "a shorter text also reads back");
        }
    }
    cr_expect_eq(failed, 0);
    cr_expect_gt(tested, 9900);
}

/* The slow search val_double makes when its fast path does not apply (from 15
 * digits for normal numbers, so that %g keeps the fixed notation up to 1e15). */
static void reference_double(double d, char out[VAL_DOUBLE_MAX])
{
    for (int prec = fabs(d) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
        snprintf(out, VAL_DOUBLE_MAX, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            return;
    }
}

/* Decimals of at most 6 places up to 2^33 (the fast path's range), and just
 * past it: the same text as the digit-by-digit search. */
Test(val, double_six_place_decimals_match_the_search)
{
    rng_state = 0x9E3779B97F4A7C15ULL;
    size_t failed = 0;
    static const double scales[] = {1e-4, 1e-2, 1, 1e3, 1e6, 1e9, 4e9, 8.5e9, 8.6e9, 1.7e10};
    for (int i = 0; i < 60000 && failed <= 20; i++) {
        double base = scales[i % 10];
        uint64_t r = rng_next();
        int places = (int)(r % 7);
        double frac = (double)((r >> 8) % 1000000) / 1e6;
        double d = floor(base * (1 + (double)((r >> 32) % 1000) / 1000)) +
                   floor(frac * pow(10, places)) / pow(10, places);
        if (r & 1)
            d = -d;
        char got[VAL_DOUBLE_MAX], want[VAL_DOUBLE_MAX];
        size_t n = val_double(d, got);
        reference_double(d, want);
        if (n != strlen(want) || strcmp(got, want) != 0) {
            failed++;
            cr_expect_str_eq(got, want, "val_double(%.17g)", d);
        }
    }
    cr_expect_eq(failed, 0);
    char out[VAL_DOUBLE_MAX];
    val_double(1600000150.125, out);
    cr_expect_str_eq(out, "1600000150.125");
    val_double(8589934591.999999, out);
    cr_expect_str_eq(out, "8589934591.999999");
    val_double(1600000150.123456, out);
    cr_expect_str_eq(out, "1600000150.123456");
}

/* ---- val_utf8_check ------------------------------------------------------ */

struct ucase {
    const char *name;
    const char *s;
    size_t n;
    size_t want_off;
    size_t want_chars;
    int want_has4;
};

/* clang-format off */
#define U(name, lit, off, chars, has4) {name, lit, sizeof(lit) - 1, off, chars, has4}
/* clang-format on */

static const struct ucase utf8_cases[] = {
    U("empty", "", 0, 0, 0),
    U("ascii", "abc", 3, 3, 0),
    U("NUL bytes are valid", "a\0b\0", 4, 4, 0),
    U("DEL", "\x7f", 1, 1, 0),
    U("2-byte", "\xc3\xa9", 2, 1, 0),
    U("U+0080 smallest 2-byte", "\xc2\x80", 2, 1, 0),
    U("U+07FF largest 2-byte", "\xdf\xbf", 2, 1, 0),
    U("U+0800 smallest 3-byte", "\xe0\xa0\x80", 3, 1, 0),
    U("euro 3-byte", "\xe2\x82\xac", 3, 1, 0),
    U("U+D7FF", "\xed\x9f\xbf", 3, 1, 0),
    U("U+E000", "\xee\x80\x80", 3, 1, 0),
    U("U+FFFF", "\xef\xbf\xbf", 3, 1, 0),
    U("U+10000 smallest 4-byte", "\xf0\x90\x80\x80", 4, 1, 1),
    U("emoji", "\xf0\x9f\x98\x80", 4, 1, 1),
    U("U+10FFFF", "\xf4\x8f\xbf\xbf", 4, 1, 1),
    U("mixed", "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z", 11, 5, 1),
    U("overlong C0 80", "\xc0\x80", 0, 0, 0),
    U("overlong C1 BF", "\xc1\xbf", 0, 0, 0),
    U("overlong E0 80 80", "\xe0\x80\x80", 0, 0, 0),
    U("overlong E0 9F BF", "\xe0\x9f\xbf", 0, 0, 0),
    U("overlong F0 80 80 80", "\xf0\x80\x80\x80", 0, 0, 0),
    U("overlong F0 8F BF BF", "\xf0\x8f\xbf\xbf", 0, 0, 0),
    U("surrogate ED A0 80", "\xed\xa0\x80", 0, 0, 0),
    U("surrogate ED BF BF", "\xed\xbf\xbf", 0, 0, 0),
    U("above U+10FFFF", "\xf4\x90\x80\x80", 0, 0, 0),
    U("lead F5", "\xf5\x80\x80\x80", 0, 0, 0),
    U("lead F8", "\xf8\x88\x80\x80\x80", 0, 0, 0),
    U("FE", "\xfe", 0, 0, 0),
    U("FF", "\xff", 0, 0, 0),
    U("lone continuation", "\x80", 0, 0, 0),
    U("truncated 2-byte", "\xc3", 0, 0, 0),
    U("truncated 3-byte", "\xe2\x82", 0, 0, 0),
    U("truncated 4-byte", "\xf0\x9f\x98", 0, 0, 0),
    U("bad continuation", "\xc3\x28", 0, 0, 0),
    U("bad 3rd byte", "\xe2\x82\x28", 0, 0, 0),
    U("bad 4th byte", "\xf0\x9f\x98\x28", 0, 0, 0),
    U("invalid after valid prefix", "ab\xc3\xa9\xff", 4, 3, 0),
    U("invalid after 4-byte", "\xf0\x9f\x98\x80\x80", 4, 1, 1),
    U("4-byte after the invalid byte is not seen", "a\xff\xf0\x9f\x98\x80", 1, 1, 0),
    U("truncated at end after ascii", "abc\xe2\x82", 3, 3, 0),
    /* long ASCII runs, skipped sixteen and eight bytes at a time */
    U("32 ascii", "0123456789abcdef0123456789abcdef", 32, 32, 0),
    U("invalid at 15",
      "0123456789abcde\xff"
      "0123456789abcdef",
      15, 15, 0),
    U("invalid at 16",
      "0123456789abcdef\xff"
      "0123456789abcdef",
      16, 16, 0),
    U("invalid at 17",
      "0123456789abcdef0\xff"
      "123456789abcdef",
      17, 17, 0),
    U("invalid at 31", "0123456789abcdef0123456789abcde\xff", 31, 31, 0),
    U("2-byte across 16",
      "0123456789abcde\xc3\xa9"
      "0123456789abcdef",
      33, 32, 0),
    U("4-byte at 16, invalid at 36",
      "0123456789abcdef\xf0\x9f\x98\x80"
      "0123456789abcdef\x80",
      36, 33, 1),
};

Test(val, utf8_check)
{
    size_t failed = 0;
    for (size_t i = 0; i < sizeof utf8_cases / sizeof *utf8_cases; i++) {
        const struct ucase *k = &utf8_cases[i];
        size_t chars = 12345;
        int has4 = 0;
        size_t off = val_utf8_check((const unsigned char *)k->s, k->n, &chars, &has4);
        bool ok = off == k->want_off && chars == k->want_chars && has4 == k->want_has4;
        /* NULL out-parameters are allowed and give the same offset */
        size_t off2 = val_utf8_check((const unsigned char *)k->s, k->n, NULL, NULL);
        ok = ok && off2 == off;
        if (!ok) {
            failed++;
            char s[200];
            cr_expect(ok,
                      "utf8 case \"%s\" (\"%s\"): expected off=%zu chars=%zu has4=%d, got "
                      "off=%zu chars=%zu has4=%d (NULL outs: off=%zu)",
                      k->name, show(s, sizeof s, k->s, k->n), k->want_off, k->want_chars,
                      k->want_has4, off, chars, has4, off2);
        }
    }
    cr_expect_eq(failed, 0);
}

/* ---- val_render_text --------------------------------------------------- */

struct rcase {
    const char *name;
    const char *prefix; /* already in the buffer */
    const char *s;
    size_t n;
    size_t max;
    const char *want; /* whole buffer afterwards */
};

/* clang-format off */
#define RT(name, lit, max, want) {name, "", lit, sizeof(lit) - 1, max, want}
/* clang-format on */

static const struct rcase render_cases[] = {
    RT("plain", "abc", 100, "abc"),
    RT("empty", "", 100, ""),
    RT("backslash", "a\\b", 100, "a\\\\b"),
    RT("single quote", "it's", 100, "it\\'s"),
    RT("double quote kept", "say \"hi\"", 100, "say \"hi\""),
    RT("newline tab CR", "\n\t\r", 100, "\\n\\t\\r"),
    RT("NUL", "a\0b", 100, "a\\x00b"),
    RT("control 01", "\x01", 100, "\\x01"),
    RT("ESC", "\x1b[0m", 100, "\\x1B[0m"),
    RT("DEL", "\x7f", 100, "\\x7F"),
    RT("2-byte kept", "caf\xc3\xa9", 100, "caf\xc3\xa9"),
    RT("3-byte kept", "\xe2\x82\xac", 100, "\xe2\x82\xac"),
    RT("4-byte kept", "\xf0\x9f\x98\x80", 100, "\xf0\x9f\x98\x80"),
    RT("invalid FF", "\xff", 100, "\\xFF"),
    RT("overlong", "\xc0\x80", 100, "\\xC0\\x80"),
    RT("surrogate", "\xed\xa0\x80", 100, "\\xED\\xA0\\x80"),
    RT("truncated 3-byte", "\xe2\x82", 100, "\\xE2\\x82"),
    RT("lone continuation after valid", "\xc3\xa9\xa9", 100, "\xc3\xa9\\xA9"),
    RT("truncated then ascii",
       "\xe2\x82"
       "a",
       100, "\\xE2\\x82a"),
    RT("cut at max", "abcdef", 3, "abc..."),
    RT("exactly max is not cut", "abc", 3, "abc"),
    RT("cut after escapes", "\n\n\n", 3, "\\n\\n..."),
    RT("cut keeps whole characters", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, "\xc3\xa9\xc3\xa9..."),
    RT("max 0", "abc", 0, "..."),
    {"appends after existing content; max counts only new bytes", "X=", "abcdef", 6, 3, "X=abc..."},
};

Test(val, render_text)
{
    size_t failed = 0;
    for (size_t i = 0; i < sizeof render_cases / sizeof *render_cases; i++) {
        const struct rcase *k = &render_cases[i];
        struct buf b;
        buf_init(&b, BUF_CAP_ROW);
        cr_assert_eq(buf_puts(&b, k->prefix), 0);
        int rc = val_render_text(&b, (const unsigned char *)k->s, k->n, k->max);
        bool ok = rc == 0 && b.len == strlen(k->want) && memcmp(b.data, k->want, b.len) == 0;
        if (!ok) {
            failed++;
            char in[200], want[200], got[200];
            cr_expect(ok, "render case \"%s\" (\"%s\", max %zu): expected \"%s\", got rc=%d \"%s\"",
                      k->name, show(in, sizeof in, k->s, k->n), k->max,
                      show(want, sizeof want, k->want, strlen(k->want)), rc,
                      show(got, sizeof got, b.data ? b.data : "", b.len));
        }
        buf_free(&b);
    }
    cr_expect_eq(failed, 0);
}

Test(val, render_text_full_buffer_fails)
{
    struct buf b;
    buf_init(&b, 4);
    cr_expect_eq(val_render_text(&b, (const unsigned char *)"abcdef", 6, 100), -1);
    cr_expect_leq(b.len, 4);
    buf_free(&b);
}

/* ---- val_render on sqlite3 values ------------------------------------------ */

Test(val, render_sqlite_values)
{
    static const struct {
        const char *name;
        const char *sql; /* SELECT of one value */
        size_t max;
        const char *want;
    } v[] = {
        {"NULL", "SELECT NULL", 100, "NULL"},
        {"integer", "SELECT -42", 100, "-42"},
        {"int64 min", "SELECT -9223372036854775808", 100, "-9223372036854775808"},
        {"real 0.1", "SELECT 0.1", 100, "0.1"},
        {"real 1.0", "SELECT 1.0", 100, "1"},
        {"text", "SELECT 'it''s'", 100, "'it\\'s'"},
        {"text with newline", "SELECT 'a' || char(10) || 'b'", 100, "'a\\nb'"},
        {"text cut", "SELECT 'abcdefghij'", 4, "'abcd...'"},
        {"invalid UTF-8 text", "SELECT CAST(x'61FF' AS TEXT)", 100, "'a\\xFF'"},
        {"blob", "SELECT x'0001FF'", 100, "X'0001FF'"},
        {"empty blob", "SELECT x''", 100, "X''"},
        {"blob cut", "SELECT x'00112233445566778899'", 8, "X'00112233'... (10 bytes)"},
    };
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    size_t failed = 0;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        sqlite3_stmt *st;
        cr_assert_eq(sqlite3_prepare_v2(db, v[i].sql, -1, &st, NULL), SQLITE_OK, "%s", v[i].sql);
        cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
        struct buf b;
        buf_init(&b, BUF_CAP_ROW);
        struct xform_src src;
        reader_row_value(st, 0, &src);
        int rc = val_render(&b, &src, v[i].max);
        bool ok = rc == 0 && b.len == strlen(v[i].want) && memcmp(b.data, v[i].want, b.len) == 0;
        if (!ok) {
            failed++;
            cr_expect(ok, "val_render case \"%s\": expected \"%s\", got rc=%d \"%s\"", v[i].name,
                      v[i].want, rc, b.data ? b.data : "");
        }
        buf_free(&b);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    cr_expect_eq(failed, 0);
}

/* test_json_valid: src/json_valid.c, the fast JSON check in front of yajl.
 * What it accepts must be accepted by the full check it stands in for
 * (yajl with numbers left as text, no form feed or vertical tab, strict
 * UTF-8): table-driven edge cases, then a differential run over generated
 * JSON texts and many byte-level mutations of them. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include <yajl_parse.h>

#include "json_valid.h"
#include "val.h"

static int on_number(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    (void)n;
    return 1;
}

/* The full check of xform_json.c: yajl (numbers as text), no \f or \v
 * anywhere, strict UTF-8. */
static bool full_check(const unsigned char *p, size_t n)
{
    if (memchr(p, '\f', n) != NULL || memchr(p, '\v', n) != NULL)
        return false;
    yajl_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.yajl_number = on_number;
    yajl_handle h = yajl_alloc(&cb, NULL, NULL);
    cr_assert(h != NULL);
    yajl_status st = yajl_parse(h, p, n);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    yajl_free(h);
    return st == yajl_status_ok && val_utf8_check(p, n, NULL, NULL) == n;
}

/* json_valid as xform_json.c uses it: shown valid, UTF-8 included. */
static bool fast_check(const unsigned char *p, size_t n)
{
    bool ascii;
    return json_valid(p, n, &ascii) && (ascii || val_utf8_check(p, n, NULL, NULL) == n);
}

Test(json_valid, edge_cases)
{
    static const struct {
        const char *text;
        bool valid;
    } cases[] = {
        {"{}", true},
        {" [ ] ", true},
        {"{\"a\":1,\"b\":[true,false,null,\"x\"]}", true},
        {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\"", true},
        {"-0.5e+10", true},
        {"0", true},
        {"123456789012345678901234567890", true},
        {"\"caf\xc3\xa9\x7f\"", true},
        {"{\"n\":1,\"rev\":2,\"tags\":[\"t0\",\"nightly\"],\"ok\":true}", true},
        {"", false},
        {"   ", false},
        {"01", false},
        {"-", false},
        {"1.", false},
        {".5", false},
        {"1e", false},
        {"1e+", false},
        {"+1", false},
        {"[1,]", false},
        {"{\"a\":1,}", false},
        {"{,}", false},
        {"{\"a\" 1}", false},
        {"{1:2}", false},
        {"[1 2]", false},
        {"1 2", false},
        {"[", false},
        {"]", false},
        {"{\"a\":}", false},
        {"tru", false},
        {"truex", false},
        {"nul", false},
        {"\"abc", false},
        {"\"a\\x\"", false},
        {"\"\\u12G4\"", false},
        {"\"\\u123\"", false},
        {"\"tab\there\"", false},
        {"\f1", false},
        {"1\v", false},
        {"'a'", false},
        {"NaN", false},
        {"[1]x", false},
        {"\xef\xbb\xbf{}", false}, /* a byte-order mark */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const unsigned char *p = (const unsigned char *)cases[i].text;
        size_t n = strlen(cases[i].text);
        cr_expect_eq(fast_check(p, n), cases[i].valid, "json_valid(%s)", cases[i].text);
        cr_expect_eq(full_check(p, n), cases[i].valid, "yajl (%s)", cases[i].text);
    }
    bool ascii;
    cr_expect(json_valid((const unsigned char *)"[\"a\"]", 5, &ascii) && ascii);
    cr_expect(json_valid((const unsigned char *)"[\"\xc3\xa9\"]", 6, &ascii) && !ascii);
    cr_expect(!json_valid((const unsigned char *)"\"a\0\"", 4, &ascii), "a raw NUL");
}

/* Nesting up to JSON_VALID_DEPTH is shown valid; deeper is left to yajl. */
Test(json_valid, depth)
{
    char text[2 * JSON_VALID_DEPTH + 8];
    for (size_t depth = JSON_VALID_DEPTH; depth <= JSON_VALID_DEPTH + 1; depth++) {
        memset(text, '[', depth);
        memset(text + depth, ']', depth);
        bool ascii;
        cr_expect_eq(json_valid((const unsigned char *)text, 2 * depth, &ascii),
                     depth <= JSON_VALID_DEPTH, "depth %zu", depth);
        cr_expect(full_check((const unsigned char *)text, 2 * depth));
    }
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* Appends a random JSON value, at most depth deep, to out[*len..]. */
static void gen_value(char *out, size_t *len, size_t cap, int depth)
{
    static const char *const atoms[] = {
        "0",
        "-1",
        "12.5e-3",
        "1E+9",
        "true",
        "false",
        "null",
        "\"\"",
        "\"abc\"",
        "\"\\u00e9\\n\"",
        "\"caf\xc3\xa9\"",
        "\"\\\\\\\"\"",
        "-0.0",
        "7",
        "\" \x7f\"",
    };
    int kind = depth > 0 ? (int)rnd(4) : 0;
    if (*len + 64 >= cap)
        kind = 0;
    if (kind <= 1) {
        const char *a = atoms[rnd(sizeof atoms / sizeof *atoms)];
        size_t n = strlen(a);
        if (*len + n + 1 < cap) {
            memcpy(out + *len, a, n);
            *len += n;
        }
        return;
    }
    out[(*len)++] = kind == 2 ? '[' : '{';
    unsigned items = rnd(4);
    for (unsigned i = 0; i < items && *len + 64 < cap; i++) {
        if (i > 0)
            out[(*len)++] = ',';
        if (rnd(4) == 0)
            out[(*len)++] = ' ';
        if (kind == 3) {
            memcpy(out + *len, "\"k\":", 4);
            *len += 4;
        }
        gen_value(out, len, cap, depth - 1);
    }
    out[(*len)++] = kind == 2 ? ']' : '}';
}

/* Generated texts are valid and shown valid; every mutation of them that
 * json_valid accepts, the full check accepts too. */
Test(json_valid, accepts_only_what_yajl_accepts)
{
    static const unsigned char bytes[] =
        "{}[],:\"\\ \t\n\r\f\v0123456789-+.eEtrufalsn/bu\x80\xc3\xa9\xff";
    size_t shown = 0, mutated_ok = 0;
    for (int round = 0; round < 20000; round++) {
        char text[1024];
        size_t n = 0;
        gen_value(text, &n, sizeof text, 1 + (int)rnd(5));
        cr_assert(full_check((unsigned char *)text, n), "generated %.*s", (int)n, text);
        shown += fast_check((unsigned char *)text, n);
        for (int m = 0; m < 10; m++) {
            char mut[1100];
            memcpy(mut, text, n);
            size_t k = n, at = rnd((unsigned)n + 1);
            switch (rnd(4)) {
            case 0: /* replace a byte */
                if (at < k)
                    mut[at] = (char)bytes[rnd(sizeof bytes - 1)];
                break;
            case 1: /* insert one */
                memmove(mut + at + 1, mut + at, k - at);
                mut[at] = (char)bytes[rnd(sizeof bytes - 1)];
                k++;
                break;
            case 2: /* delete one */
                if (at < k) {
                    memmove(mut + at, mut + at + 1, k - at - 1);
                    k--;
                }
                break;
            default: /* cut */
                k = at;
            }
            if (fast_check((unsigned char *)mut, k)) {
                mutated_ok++;
                cr_assert(full_check((unsigned char *)mut, k), "json_valid accepted %.*s", (int)k,
                          mut);
            }
        }
    }
    cr_expect_eq(shown, 20000, "every generated text shown valid");
    cr_expect(mutated_ok > 1000, "some mutations stay valid (%zu)", mutated_ok);
}

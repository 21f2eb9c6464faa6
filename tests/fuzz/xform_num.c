/* fuzz target xform_num: number parsing (src/dec.c, src/xform_num.c) and the
 * shortest-decimal printer (val_double, src/val.c). Oracles: the printed
 * decimal of any finite double reads back (strtod) as the same double, sign
 * of zero included; a parsed decimal's plain rendering parses to the same
 * decimal; conversions into the integer, BOOLEAN, FLOAT, DOUBLE, DECIMAL and
 * BIT columns keep xform_convert's contract, and an accepted value read back as
 * text gives the same value; an accepted REAL into DOUBLE is that double. */
#include "fuzz.h"

#include <math.h>

#include "dec.h"
#include "val.h"

static const struct fuzz_col cols[] = {
    {"tinyint", "tinyint(4)", NULL, 0},
    {"int", "int(10) unsigned", NULL, 0},
    {"bigint", "bigint(20)", NULL, 0},
    {"bigint", "bigint(20) unsigned", NULL, 0},
    {"tinyint", "tinyint(1)", NULL, 0},
    {"double", "double", NULL, 0},
    {"float", "float", NULL, 0},
    {"double", "double(10,3)", NULL, 0},
    {"decimal", "decimal(10,2)", NULL, 0},
    {"decimal", "decimal(65,30)", NULL, 0},
    {"decimal", "decimal(20,0) unsigned", NULL, 0},
    {"bit", "bit(8)", NULL, 0},
    {"bit", "bit(64)", NULL, 0},
};

static void check_double(const uint8_t *data, size_t size)
{
    double d;
    uint8_t raw[8] = {0};
    memcpy(raw, data, size < 8 ? size : 8);
    memcpy(&d, raw, 8);
    if (!isfinite(d))
        return;
    char out[VAL_DOUBLE_MAX];
    size_t n = val_double(d, out);
    FUZZ_CHECK(n < VAL_DOUBLE_MAX && strlen(out) == n, "length %zu", n);
    double back = strtod(out, NULL);
    FUZZ_CHECK(back == d && signbit(back) == signbit(d), "%.17g printed as %s", d, out);
}

static void check_dec(const uint8_t *data, size_t size)
{
    struct dec a, b;
    if (dec_parse((const char *)data, size, &a) != 0)
        return;
    FUZZ_CHECK(a.nd == 0 || (a.digits[0] != '0' && a.digits[a.nd - 1] != '0'), "not normalised");
    struct buf plain;
    buf_init(&plain, BUF_CAP_ROW);
    FUZZ_CHECK(dec_plain(&a, &plain) == 0, "dec_plain failed");
    FUZZ_CHECK(dec_parse(plain.data, plain.len, &b) == 0 && a.neg == b.neg && a.nd == b.nd &&
                   a.exp10 == b.exp10 && memcmp(a.digits, b.digits, (size_t)a.nd) == 0,
               "'%.*s' rendered as '%s' reads back differently", (int)size, (const char *)data,
               plain.data);
    buf_free(&plain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_double(data, size);
    check_dec(data, size);
    struct fuzz_in in = {data, size};
    struct schema_column c;
    fuzz_column(&c, &cols[fuzz_byte(&in) % (sizeof cols / sizeof cols[0])]);
    struct xform_col xc = {.col = &c};
    struct xform_src s = fuzz_src(&in);
    struct buf arena;
    buf_init(&arena, BUF_CAP_ROW);
    struct xform_val v;
    if (fuzz_convert(&xc, &s, &arena, &v) == 0) {
        fuzz_check_fixpoint(&xc, &arena, &v);
        if (s.type == SQLITE_FLOAT && c.kind == SCHEMA_DOUBLE && c.precision == 0)
            FUZZ_CHECK(strtod(arena.data + v.off, NULL) == s.d, "%.17g became %.*s", s.d,
                       (int)v.len, arena.data + v.off);
    }
    buf_free(&arena);
    schema_column_free(&c);
    return 0;
}

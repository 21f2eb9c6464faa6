/* test_xform_num: numbers into integer, boolean, DOUBLE/FLOAT and DECIMAL
 * columns (src/xform_num.c): integers and their ranges, canonical integer
 * text, booleans and the boolean words, doubles (bit-exact round trip, incl.
 * 10000 fixed-seed random bit patterns, also into text), floats, decimals. */
#include "xform_cases.h"

/* ---- integers ----------------------------------------------------------- */

static const struct xcase int_cases[] = {
    /* full 64-bit range into BIGINT */
    {"int64 min into bigint", &BIGINT, I(INT64_MIN), NUM("-9223372036854775808")},
    {"int64 min+1 into bigint", &BIGINT, I(INT64_MIN + 1), NUM("-9223372036854775807")},
    {"-4294967297 into bigint", &BIGINT, I(-4294967297LL), NUM("-4294967297")},
    {"-1 into bigint", &BIGINT, I(-1), NUM("-1")},
    {"0 into bigint", &BIGINT, I(0), NUM("0")},
    {"1 into bigint", &BIGINT, I(1), NUM("1")},
    {"2^32 into bigint", &BIGINT, I(4294967296LL), NUM("4294967296")},
    {"2^53+1 into bigint", &BIGINT, I(9007199254740993LL), NUM("9007199254740993")},
    {"int64 max-1 into bigint", &BIGINT, I(INT64_MAX - 1), NUM("9223372036854775806")},
    {"int64 max into bigint", &BIGINT, I(INT64_MAX), NUM("9223372036854775807")},
    /* BIGINT UNSIGNED */
    {"0 into bigint unsigned", &BIGINT_U, I(0), NUM("0")},
    {"int64 max into bigint unsigned", &BIGINT_U, I(INT64_MAX), NUM("9223372036854775807")},
    {"-1 into bigint unsigned", &BIGINT_U, I(-1), REJ("out of range")},
    {"int64 min into bigint unsigned", &BIGINT_U, I(INT64_MIN), REJ("out of range")},
    /* TINYINT */
    {"tinyint min", &TINYINT, I(-128), NUM("-128")},
    {"tinyint max", &TINYINT, I(127), NUM("127")},
    {"tinyint min-1", &TINYINT, I(-129), REJ("out of range")},
    {"tinyint max+1", &TINYINT, I(128), REJ("out of range")},
    {"tinyint zero", &TINYINT, I(0), NUM("0")},
    {"tinyint unsigned min", &TINYINT_U, I(0), NUM("0")},
    {"tinyint unsigned max", &TINYINT_U, I(255), NUM("255")},
    {"tinyint unsigned min-1", &TINYINT_U, I(-1), REJ("out of range")},
    {"tinyint unsigned max+1", &TINYINT_U, I(256), REJ("out of range")},
    /* SMALLINT */
    {"smallint min", &SMALLINT, I(-32768), NUM("-32768")},
    {"smallint max", &SMALLINT, I(32767), NUM("32767")},
    {"smallint min-1", &SMALLINT, I(-32769), REJ("out of range")},
    {"smallint max+1", &SMALLINT, I(32768), REJ("out of range")},
    {"smallint unsigned min", &SMALLINT_U, I(0), NUM("0")},
    {"smallint unsigned max", &SMALLINT_U, I(65535), NUM("65535")},
    {"smallint unsigned min-1", &SMALLINT_U, I(-1), REJ("out of range")},
    {"smallint unsigned max+1", &SMALLINT_U, I(65536), REJ("out of range")},
    /* MEDIUMINT */
    {"mediumint min", &MEDIUMINT, I(-8388608), NUM("-8388608")},
    {"mediumint max", &MEDIUMINT, I(8388607), NUM("8388607")},
    {"mediumint min-1", &MEDIUMINT, I(-8388609), REJ("out of range")},
    {"mediumint max+1", &MEDIUMINT, I(8388608), REJ("out of range")},
    {"mediumint unsigned min", &MEDIUMINT_U, I(0), NUM("0")},
    {"mediumint unsigned max", &MEDIUMINT_U, I(16777215), NUM("16777215")},
    {"mediumint unsigned min-1", &MEDIUMINT_U, I(-1), REJ("out of range")},
    {"mediumint unsigned max+1", &MEDIUMINT_U, I(16777216), REJ("out of range")},
    /* INT */
    {"int min", &INT, I(-2147483648LL), NUM("-2147483648")},
    {"int max", &INT, I(2147483647), NUM("2147483647")},
    {"int min-1", &INT, I(-2147483649LL), REJ("out of range")},
    {"int max+1", &INT, I(2147483648LL), REJ("out of range")},
    {"int unsigned min", &INT_U, I(0), NUM("0")},
    {"int unsigned max", &INT_U, I(4294967295LL), NUM("4294967295")},
    {"int unsigned min-1", &INT_U, I(-1), REJ("out of range")},
    {"int unsigned max+1", &INT_U, I(4294967296LL), REJ("out of range")},
    {"range reason names the column type", &TINYINT_U, I(256), REJ("tinyint(3) unsigned")},
    /* text into integers: range */
    {"text tinyint max", &TINYINT, T("127"), NUM("127")},
    {"text tinyint max+1", &TINYINT, T("128"), REJ("out of range")},
    {"text tinyint min", &TINYINT, T("-128"), NUM("-128")},
    {"text tinyint min-1", &TINYINT, T("-129"), REJ("out of range")},
    {"text int unsigned max", &INT_U, T("4294967295"), NUM("4294967295")},
    {"text int unsigned max+1", &INT_U, T("4294967296"), REJ("out of range")},
    {"text bigint max", &BIGINT, T("9223372036854775807"), NUM("9223372036854775807")},
    {"text bigint max+1", &BIGINT, T("9223372036854775808"), REJ("out of range")},
    {"text bigint min", &BIGINT, T("-9223372036854775808"), NUM("-9223372036854775808")},
    {"text bigint min-1", &BIGINT, T("-9223372036854775809"), REJ("out of range")},
    {"text bigint unsigned max", &BIGINT_U, T("18446744073709551615"), NUM("18446744073709551615")},
    {"text bigint unsigned 2^63", &BIGINT_U, T("9223372036854775808"), NUM("9223372036854775808")},
    {"text bigint unsigned max+1", &BIGINT_U, T("18446744073709551616"), REJ("integer")},
    {"text bigint unsigned 20 nines", &BIGINT_U, T("99999999999999999999"), REJ("integer")},
    {"text bigint unsigned 30 digits", &BIGINT_U, T("123456789012345678901234567890"),
     REJ("integer")},
    {"text -1 into bigint unsigned", &BIGINT_U, T("-1"), REJ("out of range")},
    {"text 0 into bigint unsigned", &BIGINT_U, T("0"), NUM("0")},
    /* canonical-integer text rules */
    {"text 0", &BIGINT, T("0"), NUM("0")},
    {"text 10", &BIGINT, T("10"), NUM("10")},
    {"text -7", &BIGINT, T("-7"), NUM("-7")},
    {"text leading zeros 007", &BIGINT, T("007"), REJ("canonical")},
    {"text 00", &BIGINT, T("00"), REJ("canonical")},
    {"text -007", &BIGINT, T("-007"), REJ("canonical")},
    {"text plus sign +1", &BIGINT, T("+1"), REJ("canonical")},
    {"text leading space", &BIGINT, T(" 1"), REJ("canonical")},
    {"text trailing space", &BIGINT, T("1 "), REJ("canonical")},
    {"text trailing newline", &BIGINT, T("1\n"), REJ("canonical")},
    {"text negative zero -0", &BIGINT, T("-0"), REJ("canonical")},
    {"text 1.0", &BIGINT, T("1.0"), REJ("canonical")},
    {"text 1e3", &BIGINT, T("1e3"), REJ("canonical")},
    {"text hex 0x10", &BIGINT, T("0x10"), REJ("canonical")},
    {"text empty", &BIGINT, T(""), REJ("canonical")},
    {"text lone minus", &BIGINT, T("-"), REJ("canonical")},
    {"text double minus", &BIGINT, T("--1"), REJ("canonical")},
    {"text 1,000", &BIGINT, T("1,000"), REJ("canonical")},
    {"text with NUL byte", &BIGINT, T("1\0"), REJ("canonical")},
    {"text arabic-indic digit", &BIGINT, T("\xd9\xa1"), REJ("canonical")},
    {"text fullwidth digit", &BIGINT, T("\xef\xbc\x91"), REJ("canonical")},
    {"text word", &BIGINT, T("one"), REJ("canonical")},
    /* REAL into integers only when integral */
    {"REAL 1.0 into int", &INT, R(1.0), NUM("1")},
    {"REAL -1.0 into int", &INT, R(-1.0), NUM("-1")},
    {"REAL 0.0 into int", &INT, R(0.0), NUM("0")},
    {"REAL -0.0 into int", &INT, R(-0.0), NUM("0")},
    {"REAL 1.5 into int", &INT, R(1.5), REJ("whole number")},
    {"REAL -1.5 into int", &INT, R(-1.5), REJ("whole number")},
    {"REAL 0.1 into int", &INT, R(0.1), REJ("whole number")},
    {"REAL 1e-300 into int", &INT, R(1e-300), REJ("whole number")},
    {"REAL -128.0 into tinyint", &TINYINT, R(-128.0), NUM("-128")},
    {"REAL 128.0 into tinyint", &TINYINT, R(128.0), REJ("out of range")},
    {"REAL -1.0 into tinyint unsigned", &TINYINT_U, R(-1.0), REJ("out of range")},
    {"REAL 2^53 into bigint", &BIGINT, R(9007199254740992.0), NUM("9007199254740992")},
    {"REAL 1e18 into bigint", &BIGINT, R(1e18), NUM("1000000000000000000")},
    {"REAL 2^63 into bigint", &BIGINT, R(9223372036854775808.0), REJ("out of range")},
    {"REAL -2^63 into bigint", &BIGINT, R(-9223372036854775808.0), NUM("-9223372036854775808")},
    {"REAL 1e19 into bigint unsigned", &BIGINT_U, R(1e19), NUM("10000000000000000000")},
    {"REAL largest double below 2^64 into bigint unsigned", &BIGINT_U, R(18446744073709549568.0),
     NUM("18446744073709549568")},
    {"REAL 2^64 into bigint unsigned", &BIGINT_U, R(18446744073709551616.0), REJ("")},
    {"REAL 1e300 into bigint", &BIGINT, R(1e300), REJ("")},
    {"REAL +Inf into bigint", &BIGINT, R(INFINITY), REJ("")},
    {"REAL -Inf into bigint", &BIGINT, R(-INFINITY), REJ("")},
    {"REAL NaN into bigint", &BIGINT, R(NAN), REJ("")},
    /* BLOB never goes into an integer */
    {"BLOB '1' into int", &INT, B("1"), REJ("BLOB")},
    {"BLOB empty into bigint", &BIGINT, B(""), REJ("BLOB")},
};

Test(xform, integers)
{
    RUN(int_cases);
}

/* ---- booleans (tinyint(1)) ---------------------------------------------- */

static const struct xcase bool_cases[] = {
    {"INTEGER 0", &BOOL, I(0), NUM("0")},
    {"INTEGER 1", &BOOL, I(1), NUM("1")},
    {"INTEGER 2 (tinyint(1) holds it)", &BOOL, I(2), NUM("2")},
    {"INTEGER -1", &BOOL, I(-1), NUM("-1")},
    {"INTEGER 127", &BOOL, I(127), NUM("127")},
    {"INTEGER 128", &BOOL, I(128), REJ("out of range")},
    {"REAL 1.0", &BOOL, R(1.0), NUM("1")},
    {"REAL 0.0", &BOOL, R(0.0), NUM("0")},
    {"REAL 0.5", &BOOL, R(0.5), REJ("whole number")},
    {"text 1", &BOOL, T("1"), NUM("1")},
    {"text 0", &BOOL, T("0"), NUM("0")},
    {"text true", &BOOL, T("true"), NUM("1")},
    {"text TRUE", &BOOL, T("TRUE"), NUM("1")},
    {"text True", &BOOL, T("True"), NUM("1")},
    {"text tRuE", &BOOL, T("tRuE"), NUM("1")},
    {"text t", &BOOL, T("t"), NUM("1")},
    {"text T", &BOOL, T("T"), NUM("1")},
    {"text yes", &BOOL, T("yes"), NUM("1")},
    {"text YES", &BOOL, T("YES"), NUM("1")},
    {"text Yes", &BOOL, T("Yes"), NUM("1")},
    {"text on", &BOOL, T("on"), NUM("1")},
    {"text ON", &BOOL, T("ON"), NUM("1")},
    {"text oN", &BOOL, T("oN"), NUM("1")},
    {"text false", &BOOL, T("false"), NUM("0")},
    {"text FALSE", &BOOL, T("FALSE"), NUM("0")},
    {"text False", &BOOL, T("False"), NUM("0")},
    {"text f", &BOOL, T("f"), NUM("0")},
    {"text F", &BOOL, T("F"), NUM("0")},
    {"text no", &BOOL, T("no"), NUM("0")},
    {"text NO", &BOOL, T("NO"), NUM("0")},
    {"text nO", &BOOL, T("nO"), NUM("0")},
    {"text off", &BOOL, T("off"), NUM("0")},
    {"text OFF", &BOOL, T("OFF"), NUM("0")},
    {"text Off", &BOOL, T("Off"), NUM("0")},
    {"text 2 (fits tinyint(1))", &BOOL, T("2"), NUM("2")},
    {"text -1", &BOOL, T("-1"), NUM("-1")},
    {"text 128", &BOOL, T("128"), REJ("boolean")},
    {"text maybe", &BOOL, T("maybe"), REJ("boolean")},
    {"text empty", &BOOL, T(""), REJ("boolean")},
    {"text y", &BOOL, T("y"), REJ("boolean")},
    {"text n", &BOOL, T("n"), REJ("boolean")},
    {"text tru", &BOOL, T("tru"), REJ("boolean")},
    {"text truee", &BOOL, T("truee"), REJ("boolean")},
    {"text ' true'", &BOOL, T(" true"), REJ("boolean")},
    {"text 'true '", &BOOL, T("true "), REJ("boolean")},
    {"text 'true' + NUL", &BOOL, T("true\0"), REJ("boolean")},
    {"text 01", &BOOL, T("01"), REJ("boolean")},
    {"text 1.0", &BOOL, T("1.0"), REJ("boolean")},
    {"BLOB 1", &BOOL, B("1"), REJ("BLOB")},
};

Test(xform, booleans)
{
    RUN(bool_cases);
}

/* xform_bool_word: the one list of boolean words, which schema creation
 * (ddl.c) uses too, so that a column it designs as BOOLEAN takes them all. */
Test(xform, bool_words)
{
    static const struct {
        const char *w;
        int v;
    } v[] = {
        {"true", 1},   {"TRUE", 1}, {"t", 1},     {"T", 1},      {"yes", 1}, {"Yes", 1},
        {"on", 1},     {"ON", 1},   {"false", 0}, {"f", 0},      {"No", 0},  {"no", 0},
        {"off", 0},    {"OFF", 0},  {"", -1},     {"1", -1},     {"0", -1},  {"tru", -1},
        {"truee", -1}, {"y", -1},   {"n", -1},    {" true", -1}, {"of", -1}, {"o", -1},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        cr_expect_eq(xform_bool_word((const unsigned char *)v[i].w, strlen(v[i].w)), v[i].v,
                     "\"%s\"", v[i].w);
    /* only p[0..n) counts */
    cr_expect_eq(xform_bool_word((const unsigned char *)"onward", 2), 1);
    cr_expect_eq(xform_bool_word((const unsigned char *)"no\0", 3), -1);
}

/* ---- doubles and floats -------------------------------------------------- */

static const struct xcase double_cases[] = {
    {"REAL 0.1", &DOUBLE, R(0.1), NUM("0.1e0")},
    {"REAL -2.5", &DOUBLE, R(-2.5), NUM("-2.5e0")},
    {"REAL 1.0 gets an exponent", &DOUBLE, R(1.0), NUM("1e0")},
    {"REAL 0.0", &DOUBLE, R(0.0), NUM("0e0")},
    {"REAL -0.0 keeps its sign", &DOUBLE, R(-0.0), NUM("-0e0")},
    {"REAL 1e308", &DOUBLE, R(1e308), NUM("1e+308")},
    {"REAL 1e-300", &DOUBLE, R(1e-300), NUM("1e-300")},
    {"REAL 123456", &DOUBLE, R(123456.0), NUM("123456e0")},
    {"REAL 1/3", &DOUBLE, R(1 / 3.), NUM("0.3333333333333333e0")},
    {"REAL 123456789.123456789", &DOUBLE, R(123456789.123456789), NUM("123456789.12345679e0")},
    {"REAL +Inf", &DOUBLE, R(INFINITY), REJ("Infinity/NaN")},
    {"REAL -Inf", &DOUBLE, R(-INFINITY), REJ("Infinity/NaN")},
    {"REAL NaN", &DOUBLE, R(NAN), REJ("Infinity/NaN")},
    /* INTEGER into DOUBLE: exact only */
    {"INTEGER 0", &DOUBLE, I(0), NUM("0e0")},
    {"INTEGER 1", &DOUBLE, I(1), NUM("1e0")},
    {"INTEGER -1", &DOUBLE, I(-1), NUM("-1e0")},
    {"INTEGER 2^53", &DOUBLE, I(9007199254740992LL), NUM("9007199254740992e0")},
    {"INTEGER -2^53", &DOUBLE, I(-9007199254740992LL), NUM("-9007199254740992e0")},
    {"INTEGER 2^53+1", &DOUBLE, I(9007199254740993LL), REJ("DOUBLE")},
    {"INTEGER -(2^53+1)", &DOUBLE, I(-9007199254740993LL), REJ("DOUBLE")},
    {"INTEGER 2^53+2 (representable)", &DOUBLE, I(9007199254740994LL), NUM("9007199254740994e0")},
    {"INTEGER 2^53+3", &DOUBLE, I(9007199254740995LL), REJ("DOUBLE")},
    {"INTEGER 2^62 (representable)", &DOUBLE, I(4611686018427387904LL),
     NUM("4.611686018427388e+18")},
    {"INTEGER int64 max", &DOUBLE, I(INT64_MAX), REJ("DOUBLE")},
    {"INTEGER 2^63-1024 (representable)", &DOUBLE, I(INT64_MAX - 1023),
     NUM("9.223372036854775e+18")},
    {"INTEGER 2^63-513 (between doubles)", &DOUBLE, I(INT64_MAX - 512), REJ("DOUBLE")},
    {"INTEGER int64 min = -2^63 (representable)", &DOUBLE, I(INT64_MIN),
     NUM("-9.223372036854776e+18")},
    {"INTEGER 10^15", &DOUBLE, I(1000000000000000LL), NUM("1e+15")},
    /* text numbers into DOUBLE */
    {"text 1.5", &DOUBLE, T("1.5"), NUM("1.5e0")},
    {"text -0.25", &DOUBLE, T("-0.25"), NUM("-0.25e0")},
    {"text +2", &DOUBLE, T("+2"), NUM("2e0")},
    {"text 0.1", &DOUBLE, T("0.1"), NUM("0.1e0")},
    {"text 1e10", &DOUBLE, T("1e10"), NUM("10000000000e0")},
    {"text 1E-5", &DOUBLE, T("1E-5"), NUM("1e-05")},
    {"text 2.5e+3", &DOUBLE, T("2.5e+3"), NUM("2500e0")},
    {"text .5", &DOUBLE, T(".5"), NUM("0.5e0")},
    {"text 1e308", &DOUBLE, T("1e308"), NUM("1e+308")},
    {"text 007", &DOUBLE, T("007"), NUM("7e0")},
    {"text 1e400 overflows", &DOUBLE, T("1e400"), REJ("")},
    {"text -1e400 overflows", &DOUBLE, T("-1e400"), REJ("")},
    {"text abc", &DOUBLE, T("abc"), REJ("not a number")},
    {"text empty", &DOUBLE, T(""), REJ("not a number")},
    {"text nan", &DOUBLE, T("nan"), REJ("not a number")},
    {"text NaN", &DOUBLE, T("NaN"), REJ("not a number")},
    {"text inf", &DOUBLE, T("inf"), REJ("not a number")},
    {"text Infinity", &DOUBLE, T("Infinity"), REJ("not a number")},
    {"text hex float 0x1p3", &DOUBLE, T("0x1p3"), REJ("not a number")},
    {"text leading space", &DOUBLE, T(" 1.5"), REJ("not a number")},
    {"text trailing space", &DOUBLE, T("1.5 "), REJ("not a number")},
    {"text comma decimal", &DOUBLE, T("1,5"), REJ("not a number")},
    {"text two points", &DOUBLE, T("1.2.3"), REJ("not a number")},
    {"text 1e", &DOUBLE, T("1e"), REJ("not a number")},
    {"text lone minus", &DOUBLE, T("-"), REJ("not a number")},
    {"text lone point", &DOUBLE, T("."), REJ("not a number")},
    {"text with NUL", &DOUBLE, T("1.5\0"), REJ("not a number")},
    {"BLOB into double", &DOUBLE, B("1.5"), REJ("BLOB")},
    /* FLOAT: single precision */
    {"FLOAT REAL 0.5 (exact in float)", &FLOAT, R(0.5), NUM("0.5e0")},
    {"FLOAT REAL -1.25 (exact in float)", &FLOAT, R(-1.25), NUM("-1.25e0")},
    {"FLOAT REAL FLT_MAX", &FLOAT, R(FLT_MAX), NUM("3.4028234663852886e+38")},
    {"FLOAT REAL 1e39 out of range", &FLOAT, R(1e39), REJ("out of range")},
    {"FLOAT REAL -1e39 out of range", &FLOAT, R(-1e39), REJ("out of range")},
    {"FLOAT INTEGER 16777216 (exact in float)", &FLOAT, I(16777216), NUM("16777216e0")},
    {"FLOAT REAL NaN", &FLOAT, R(NAN), REJ("Infinity/NaN")},
    /* FLOAT stores 0.1 as 0.100000001490116...: that is a rounded value */
    /* FLOAT: accepted when the float shows the source's shortest decimal */
    {"FLOAT REAL 0.1 keeps its decimal", &FLOAT, R(0.1), NUM("0.1e0")},
    {"FLOAT REAL 0.30000000000000004 would be rounded", &FLOAT, R(0.30000000000000004),
     REJ("rounded")},
    {"FLOAT REAL 1.0000001 would be rounded", &FLOAT, R(1.0000001), REJ("rounded")},
    {"FLOAT INTEGER 16777217 (not exact in float)", &FLOAT, I(16777217), REJ("float")},
    /* found by tests/fuzz/xform_num: a 6-digit decimal below FLT_MIN is not kept */
    {"FLOAT REAL 1.39672e-319 would become 0", &FLOAT, R(1.39672e-319), REJ("rounded")},
    {"FLOAT REAL 1.23456e-44 would be rounded (float subnormal)", &FLOAT, R(1.23456e-44),
     REJ("rounded")},
    {"FLOAT REAL 1e-40 would be rounded (float subnormal)", &FLOAT, R(1e-40), REJ("rounded")},
    {"FLOAT TEXT 1e-40 would be rounded (float subnormal)", &FLOAT, T("1e-40"), REJ("rounded")},
    {"FLOAT REAL FLT_MIN subnormal exact", &FLOAT, R(FLT_MIN / 4), NUM("2.938735877055719e-39")},
};

Test(xform, doubles)
{
    RUN(double_cases);
}

/* Checks that d converts into DOUBLE as a float literal that strtod() reads back
 * bit-identically, or is rejected when not finite. */
static bool double_roundtrip(const char *name, double d)
{
    struct xform_src src = {.type = SQLITE_FLOAT, .d = d};
    struct result r = convert(&DOUBLE, &src, NULL);
    bool ok;
    char detail[200] = "";
    if (!isfinite(d)) {
        ok = r.rc == 1 && r.layout_ok && strstr(r.bytes, "Infinity/NaN") != NULL;
    } else {
        ok = r.rc == 0 && r.layout_ok && r.kind == XFORM_NUM && strchr(r.bytes, 'e') != NULL &&
             strlen(r.bytes) == r.nbytes;
        if (ok) {
            char *end;
            double back = strtod(r.bytes, &end);
            ok = *end == '\0' && memcmp(&back, &d, sizeof d) == 0;
            snprintf(detail, sizeof detail, " (strtod gives %.17g)", back);
        }
    }
    if (!ok) {
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        cr_expect(ok, "double \"%s\" (%.17g, bits 0x%016llx): rc=%d out=\"%s\"%s", name, d,
                  (unsigned long long)bits, r.rc, r.bytes, detail);
    }
    result_free(&r);
    return ok;
}

Test(xform, double_roundtrip_named)
{
    static const struct {
        const char *name;
        double d;
    } v[] = {
        {"0.1", 0.1},
        {"-0.1", -0.1},
        {"0.2", 0.2},
        {"0.3", 0.3},
        {"1/3", 1 / 3.},
        {"2/3", 2 / 3.},
        {"1e308", 1e308},
        {"-1e308", -1e308},
        {"4.9e-324 (min subnormal)", 4.9e-324},
        {"-4.9e-324", -4.9e-324},
        {"1e-320 (subnormal)", 1e-320},
        {"DBL_MIN", DBL_MIN},
        {"largest subnormal", 2.2250738585072009e-308},
        {"DBL_MAX", DBL_MAX},
        {"-DBL_MAX", -DBL_MAX},
        {"DBL_EPSILON", DBL_EPSILON},
        {"1+DBL_EPSILON", 1 + DBL_EPSILON},
        {"-2.5", -2.5},
        {"123456789.123456789", 123456789.123456789},
        {"2^53", 9007199254740992.0},
        {"2^53+2", 9007199254740994.0},
        {"2^63", 9223372036854775808.0},
        {"2^64", 18446744073709551616.0},
        {"1e15", 1e15},
        {"1e16", 1e16},
        {"1e17", 1e17},
        {"1e21", 1e21},
        {"1e22", 1e22},
        {"1e23", 1e23},
        {"5e-324*3", 1.5e-323},
        {"0.0", 0.0},
        {"-0.0", -0.0},
        {"pi", 3.141592653589793},
        {"e", 2.718281828459045},
        {"9.999999999999999e22", 9.999999999999999e22},
        {"0.30000000000000004", 0.30000000000000004},
        {"1.7976931348623157e308", 1.7976931348623157e308},
        {"100", 100.0},
        {"1234567890123456789", 1234567890123456789.0},
        {"+Inf", INFINITY},
        {"-Inf", -INFINITY},
        {"NaN", NAN},
    };
    size_t failed = 0;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        failed += !double_roundtrip(v[i].name, v[i].d);
    cr_expect_eq(failed, 0, "%zu doubles failed", failed);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng_next(void)
{
    /* xorshift64*: fixed seed, so the run is reproducible */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

Test(xform, double_roundtrip_random_bits)
{
    size_t failed = 0, finite = 0;
    rng_state = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 10000; i++) {
        uint64_t bits = rng_next();
        double d;
        memcpy(&d, &bits, sizeof d);
        char name[40];
        snprintf(name, sizeof name, "random #%d", i);
        finite += isfinite(d) != 0;
        if (!double_roundtrip(name, d) && ++failed > 20)
            break;
    }
    cr_expect_eq(failed, 0, "%zu random doubles failed", failed);
    cr_expect_gt(finite, 9900, "the generator should mostly give finite doubles");
}

/* REAL into text also reads back bit-exactly (it is how a person sees it). */
Test(xform, double_into_text_roundtrip_random_bits)
{
    size_t failed = 0;
    rng_state = 0x0123456789ABCDEFULL;
    for (int i = 0; i < 10000 && failed <= 20; i++) {
        uint64_t bits = rng_next();
        double d;
        memcpy(&d, &bits, sizeof d);
        if (!isfinite(d))
            continue;
        struct xform_src src = {.type = SQLITE_FLOAT, .d = d};
        struct result r = convert(&TEXT, &src, NULL);
        bool ok = r.rc == 0 && r.kind == XFORM_STR && r.layout_ok;
        if (ok) {
            char *end;
            double back = strtod(r.bytes, &end);
            ok = *end == '\0' && memcmp(&back, &d, sizeof d) == 0 && strpbrk(r.bytes, ".e");
        }
        if (!ok) {
            failed++;
            cr_expect(ok, "REAL %.17g (bits 0x%016llx) into text: rc=%d out=\"%s\"", d,
                      (unsigned long long)bits, r.rc, r.bytes);
        }
        result_free(&r);
    }
    cr_expect_eq(failed, 0);
}

/* ---- decimals ------------------------------------------------------------ */

static const struct xcase decimal_cases[] = {
    {"REAL 1.98", &DEC10_2, R(1.98), NUM("1.98")},
    {"REAL 1.985 has more decimals", &DEC10_2, R(1.985), REJ("more decimals")},
    {"REAL 12345678.9", &DEC10_2, R(12345678.9), NUM("12345678.9")},
    {"REAL 0.1", &DEC10_2, R(0.1), NUM("0.1")},
    {"REAL -2.5", &DEC10_2, R(-2.5), NUM("-2.5")},
    {"REAL 0.0", &DEC10_2, R(0.0), NUM("0")},
    {"REAL -0.0", &DEC10_2, R(-0.0), NUM("0")},
    {"REAL 100.0", &DEC10_2, R(100.0), NUM("100")},
    {"REAL 99999999.99", &DEC10_2, R(99999999.99), NUM("99999999.99")},
    {"REAL 1e20 too many integer digits", &DEC10_2, R(1e20), REJ("integer digits")},
    {"REAL 1e-5 too many decimals", &DEC10_2, R(1e-5), REJ("more decimals")},
    {"REAL 1/3", &DEC10_2, R(1 / 3.), REJ("more decimals")},
    {"REAL NaN", &DEC10_2, R(NAN), REJ("Infinity/NaN")},
    {"REAL +Inf", &DEC10_2, R(INFINITY), REJ("Infinity/NaN")},
    {"INTEGER 123456789 too many digits", &DEC10_2, I(123456789), REJ("integer digits")},
    {"INTEGER 12345678", &DEC10_2, I(12345678), NUM("12345678")},
    {"INTEGER -12345678", &DEC10_2, I(-12345678), NUM("-12345678")},
    {"INTEGER 0", &DEC10_2, I(0), NUM("0")},
    {"INTEGER -5", &DEC10_2, I(-5), NUM("-5")},
    {"INTEGER 100", &DEC10_2, I(100), NUM("100")},
    {"text -0.50", &DEC10_2, T("-0.50"), NUM("-0.5")},
    {"text 1.980", &DEC10_2, T("1.980"), NUM("1.98")},
    {"text 1.9850 (trailing zero, still 3 decimals)", &DEC10_2, T("1.9850"), REJ("more decimals")},
    {"text 0.00", &DEC10_2, T("0.00"), NUM("0")},
    {"text 0.000 (zero, exactly representable)", &DEC10_2, T("0.000"), NUM("0")},
    {"text -0.000", &DEC10_2, T("-0.000"), NUM("0")},
    {"text 000.0000", &DEC10_2, T("000.0000"), NUM("0")},
    {"text 0e10 (zero)", &DEC10_2, T("0e10"), NUM("0")},
    {"text 0.0e-5 (zero)", &DEC10_2, T("0.0e-5"), NUM("0")},
    {"text 1.000 (trailing zeros)", &DEC10_2, T("1.000"), NUM("1")},
    {"text 100e-2", &DEC10_2, T("100e-2"), NUM("1")},
    {"text -0", &DEC10_2, T("-0"), NUM("0")},
    {"text 99999999.99", &DEC10_2, T("99999999.99"), NUM("99999999.99")},
    {"text -99999999.99", &DEC10_2, T("-99999999.99"), NUM("-99999999.99")},
    {"text 100000000", &DEC10_2, T("100000000"), REJ("integer digits")},
    {"text 1e2", &DEC10_2, T("1e2"), NUM("100")},
    {"text 1.5e-1", &DEC10_2, T("1.5e-1"), NUM("0.15")},
    {"text 1.5e-3", &DEC10_2, T("1.5e-3"), REJ("more decimals")},
    {"text 1e8", &DEC10_2, T("1e8"), REJ("integer digits")},
    {"text +3.10", &DEC10_2, T("+3.10"), NUM("3.1")},
    {"text 000123.45", &DEC10_2, T("000123.45"), NUM("123.45")},
    {"text .5", &DEC10_2, T(".5"), NUM("0.5")},
    {"text 5.", &DEC10_2, T("5."), NUM("5")},
    {"text 0.001", &DEC10_2, T("0.001"), REJ("more decimals")},
    {"text 0.01", &DEC10_2, T("0.01"), NUM("0.01")},
    {"text -0.01", &DEC10_2, T("-0.01"), NUM("-0.01")},
    {"text abc", &DEC10_2, T("abc"), REJ("not a decimal")},
    {"text empty", &DEC10_2, T(""), REJ("not a decimal")},
    {"text 1.2.3", &DEC10_2, T("1.2.3"), REJ("not a decimal")},
    {"text leading space", &DEC10_2, T(" 1"), REJ("not a decimal")},
    {"text 1,5", &DEC10_2, T("1,5"), REJ("not a decimal")},
    {"text NaN", &DEC10_2, T("NaN"), REJ("not a decimal")},
    {"BLOB", &DEC10_2, B("1"), REJ("BLOB")},
    {"decimal(20,0) int64 min", &DEC20_0, I(INT64_MIN), NUM("-9223372036854775808")},
    {"decimal(20,0) int64 max", &DEC20_0, I(INT64_MAX), NUM("9223372036854775807")},
    {"decimal(20,0) 20 digits", &DEC20_0, T("12345678901234567890"), NUM("12345678901234567890")},
    {"decimal(20,0) 21 digits", &DEC20_0, T("123456789012345678901"), REJ("integer digits")},
    {"decimal(20,0) 1.5", &DEC20_0, T("1.5"), REJ("more decimals")},
    {"decimal(20,0) 1.0", &DEC20_0, T("1.0"), NUM("1")},
    /* DECIMAL UNSIGNED cannot hold negatives */
    {"decimal unsigned 1.5", &DEC10_2_U, T("1.5"), NUM("1.5")},
    {"decimal unsigned text -1.5", &DEC10_2_U, T("-1.5"), REJ("unsigned")},
    {"decimal unsigned INTEGER -1", &DEC10_2_U, I(-1), REJ("unsigned")},
    {"decimal unsigned REAL -0.5", &DEC10_2_U, R(-0.5), REJ("unsigned")},
};

Test(xform, decimals)
{
    RUN(decimal_cases);
}

/* test_xform: table-driven tests of xform_value() (src/xform.h).
 *
 * Every case builds a target column with schema_parse_type() from
 * information_schema-style strings, feeds one hand-built struct xform_src and
 * checks the exact outcome: accepted with an exact kind (XFORM_NUM/STR/BIN/NULL)
 * and exact output bytes (memcmp + length, so NUL bytes count), or rejected
 * (return 1) with a reason containing an expected substring and the arena left
 * byte-for-byte unchanged. Sections: integers and their ranges, canonical
 * integer text, booleans, doubles (bit-exact round trip, incl. 10000 fixed-seed
 * random bit patterns), floats, decimals, text (byte exactness, UTF-8
 * validation, length limits, utf8mb3), binary, JSON (RFC 8259), DATE /
 * DATETIME / TIMESTAMP / TIME / YEAR, ENUM / SET, BIT, NULL handling,
 * unsupported types and out-of-memory. Every xform_value() case is also run
 * through xform_convert() with default options, which must agree exactly; a
 * last table covers xform_convert()'s per-column options (epoch-s/ms/us,
 * julian-day, iso8601 and text units, zero dates to NULL, U+FFFD replacement
 * with its flag, NULL defaults). */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "xform.h"

/* ---- column specifications (information_schema style) ------------------ */

struct colspec {
    const char *data_type;
    const char *column_type;
    const char *charset;
    unsigned long long char_max_len;
    bool nullable;
    bool auto_increment;
};

static const struct colspec TINYINT = {"tinyint", "tinyint(4)", NULL, 0, false, false};
static const struct colspec TINYINT_U = {"tinyint", "tinyint(3) unsigned", NULL, 0, false, false};
static const struct colspec SMALLINT = {"smallint", "smallint(6)", NULL, 0, false, false};
static const struct colspec SMALLINT_U = {"smallint", "smallint(5) unsigned", NULL, 0, false,
                                          false};
static const struct colspec MEDIUMINT = {"mediumint", "mediumint(9)", NULL, 0, false, false};
static const struct colspec MEDIUMINT_U = {"mediumint", "mediumint(8) unsigned", NULL, 0, false,
                                           false};
static const struct colspec INT = {"int", "int(11)", NULL, 0, false, false};
static const struct colspec INT_U = {"int", "int(10) unsigned", NULL, 0, false, false};
static const struct colspec BIGINT = {"bigint", "bigint(20)", NULL, 0, false, false};
static const struct colspec BIGINT_U = {"bigint", "bigint(20) unsigned", "", 0, false, false};
static const struct colspec BOOL = {"tinyint", "tinyint(1)", NULL, 0, false, false};
static const struct colspec DOUBLE = {"double", "double", NULL, 0, false, false};
static const struct colspec FLOAT = {"float", "float", NULL, 0, false, false};
static const struct colspec DEC10_2 = {"decimal", "decimal(10,2)", NULL, 0, false, false};
static const struct colspec DEC20_0 = {"decimal", "decimal(20,0)", NULL, 0, false, false};
static const struct colspec DEC10_2_U = {"decimal", "decimal(10,2) unsigned", NULL, 0, false,
                                         false};
static const struct colspec VARCHAR255 = {"varchar", "varchar(255)", "utf8mb4", 255, false, false};
static const struct colspec VARCHAR5 = {"varchar", "varchar(5)", "utf8mb4", 5, false, false};
static const struct colspec CHAR3 = {"char", "char(3)", "utf8mb4", 3, false, false};
static const struct colspec VARCHAR10_MB3 = {"varchar", "varchar(10)", "utf8mb3", 10, false, false};
static const struct colspec VARCHAR10_UTF8 = {"varchar", "varchar(10)", "utf8", 10, false, false};
static const struct colspec TEXT = {"text", "text", "utf8mb4", 65535, false, false};
static const struct colspec TINYTEXT = {"tinytext", "tinytext", "utf8mb4", 255, false, false};
static const struct colspec BLOB = {"blob", "blob", NULL, 65535, false, false};
static const struct colspec VARBINARY4 = {"varbinary", "varbinary(4)", NULL, 4, false, false};
static const struct colspec VARBINARY300 = {"varbinary", "varbinary(300)", NULL, 300, false, false};
static const struct colspec CHAR4_BIN = {"char", "char(4)", "binary", 4, false, false};
static const struct colspec JSON = {"json", "json", NULL, 0, false, false};
static const struct colspec DATETIME = {"datetime", "datetime", NULL, 0, false, false};
static const struct colspec DATETIME3 = {"datetime", "datetime(3)", NULL, 0, false, false};
static const struct colspec DATETIME6 = {"datetime", "datetime(6)", NULL, 0, false, false};
static const struct colspec DATE = {"date", "date", NULL, 0, false, false};
static const struct colspec TIMESTAMP = {"timestamp", "timestamp", NULL, 0, false, false};
static const struct colspec TIMESTAMP6 = {"timestamp", "timestamp(6)", NULL, 0, false, false};
static const struct colspec TIME = {"time", "time", NULL, 0, false, false};
static const struct colspec TIME3 = {"time", "time(3)", NULL, 0, false, false};
static const struct colspec TIME6 = {"time", "time(6)", NULL, 0, false, false};
static const struct colspec YEAR = {"year", "year(4)", NULL, 0, false, false};
static const struct colspec ENUM = {"enum", "enum('a','b''c')", "utf8mb4", 3, false, false};
static const struct colspec SET = {"set", "set('x','y','z')", "utf8mb4", 5, false, false};
static const struct colspec BIT1 = {"bit", "bit(1)", NULL, 0, false, false};
static const struct colspec BIT8 = {"bit", "bit(8)", NULL, 0, false, false};
static const struct colspec BIT64 = {"bit", "bit(64)", NULL, 0, false, false};
static const struct colspec GEOMETRY = {"geometry", "geometry", NULL, 0, false, false};
static const struct colspec INT_NULL = {"int", "int(11)", NULL, 0, true, false};
static const struct colspec INT_AI = {"int", "int(11)", NULL, 0, false, true};
static const struct colspec TEXT_NULL = {"text", "text", "utf8mb4", 65535, true, false};
static const struct colspec JSON_NULL = {"json", "json", NULL, 0, true, false};
static const struct colspec DATETIME_NULL = {"datetime", "datetime", NULL, 0, true, false};
static const struct colspec BLOB_NULL = {"blob", "blob", NULL, 65535, true, false};
static const struct colspec DATE_NULL = {"date", "date", NULL, 0, true, false};
static const struct colspec DATETIME3_NULL = {"datetime", "datetime(3)", NULL, 0, true, false};
static const struct colspec TIMESTAMP_NULL = {"timestamp", "timestamp", NULL, 0, true, false};

/* ---- cases ------------------------------------------------------------- */

enum outcome { ACCEPT, REJECT };

/* Per-column options for xform_convert(); cases without them use xform_value(). */
struct xopts {
    enum xform_unit unit;
    bool zero_date_null;
    bool utf8_replace;
    const char *null_default;
    bool utf8_cp1252;
};

struct xcase {
    const char *name;
    const struct colspec *col;
    struct xform_src src;
    enum outcome outcome;
    enum xform_kind kind;
    const char *bytes; /* ACCEPT: exact output; REJECT: substring of the reason */
    size_t nbytes;
    const struct xopts *opt; /* NULL: xform_value() (and xform_convert() must agree) */
    unsigned flags;          /* XFORM_F_* expected from xform_convert() */
};

/* Sources. T/B take a string literal; its length includes embedded NULs. */
/* clang-format off */
#define I(v) {.type = SQLITE_INTEGER, .i = (v)}
#define R(v) {.type = SQLITE_FLOAT, .d = (v)}
#define T(s) {.type = SQLITE_TEXT, .p = (const unsigned char *)(s), .n = sizeof(s) - 1}
#define B(s) {.type = SQLITE_BLOB, .p = (const unsigned char *)(s), .n = sizeof(s) - 1}
#define NUL_SRC {.type = SQLITE_NULL}

/* Expected outcomes. */
#define NUM(s) ACCEPT, XFORM_NUM, (s), sizeof(s) - 1, NULL, 0
#define STR(s) ACCEPT, XFORM_STR, (s), sizeof(s) - 1, NULL, 0
#define BIN(s) ACCEPT, XFORM_BIN, (s), sizeof(s) - 1, NULL, 0
#define IS_NULL ACCEPT, XFORM_NULL, "", 0, NULL, 0
#define REJ(s) REJECT, XFORM_NULL, (s), sizeof(s) - 1, NULL, 0

/* The same through xform_convert() with options o, expecting flags f. */
#define O_NUM(o, s) ACCEPT, XFORM_NUM, (s), sizeof(s) - 1, &(o), 0
#define O_STR(o, f, s) ACCEPT, XFORM_STR, (s), sizeof(s) - 1, &(o), (f)
#define O_NULL(o) ACCEPT, XFORM_NULL, "", 0, &(o), 0
#define O_REJ(o, s) REJECT, XFORM_NULL, (s), sizeof(s) - 1, &(o), 0

/* Same bytes in and out (text kept byte-exact). */
#define SAME_STR(name, col, s) {name, &col, T(s), STR(s)}
/* clang-format on */

#define ARENA_PREFIX "arena-prefix\0\xff"

/* ---- helpers ------------------------------------------------------------ */

static void col_init(struct schema_column *c, const struct colspec *s)
{
    memset(c, 0, sizeof *c);
    cr_assert_eq(schema_parse_type(c, s->data_type, s->column_type, s->charset, s->char_max_len), 0,
                 "schema_parse_type(%s) failed", s->column_type);
    c->name = strdup("col");
    c->column_type = strdup(s->column_type);
    cr_assert(c->name != NULL && c->column_type != NULL);
    c->nullable = s->nullable;
    c->auto_increment = s->auto_increment;
    c->has_default = s->auto_increment;
}

/* Printable rendering of bytes for failure messages (C escapes, cut at 160). */
static const char *show(char *dst, size_t cap, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 8 < cap; i++) {
        if (i == 160) {
            o += (size_t)snprintf(dst + o, cap - o, "...(%zu bytes)", n);
            break;
        }
        if (s[i] == '\\' || s[i] == '"')
            o += (size_t)snprintf(dst + o, cap - o, "\\%c", s[i]);
        else if (s[i] >= 0x20 && s[i] < 0x7f)
            dst[o++] = (char)s[i];
        else
            o += (size_t)snprintf(dst + o, cap - o, "\\x%02X", s[i]);
    }
    dst[o < cap ? o : cap - 1] = '\0';
    return dst;
}

static const char *show_src(char *dst, size_t cap, const struct xform_src *s)
{
    char tmp[1024];
    switch (s->type) {
    case SQLITE_INTEGER:
        snprintf(dst, cap, "INTEGER %lld", (long long)s->i);
        break;
    case SQLITE_FLOAT:
        snprintf(dst, cap, "REAL %.17g", s->d);
        break;
    case SQLITE_TEXT:
        snprintf(dst, cap, "TEXT \"%s\"", show(tmp, sizeof tmp, s->p, s->n));
        break;
    case SQLITE_BLOB:
        snprintf(dst, cap, "BLOB \"%s\"", show(tmp, sizeof tmp, s->p, s->n));
        break;
    default:
        snprintf(dst, cap, "NULL");
        break;
    }
    return dst;
}

static const char *kind_name(enum xform_kind k)
{
    switch (k) {
    case XFORM_NULL:
        return "NULL";
    case XFORM_NUM:
        return "NUM";
    case XFORM_STR:
        return "STR";
    case XFORM_BIN:
        return "BIN";
    }
    return "?";
}

/* Result of one conversion, with the arena and reason copied out. */
struct result {
    int rc;
    enum xform_kind kind;
    char *bytes; /* output bytes (accepted) or reason (rejected), NUL-terminated */
    size_t nbytes;
    bool layout_ok;       /* off/len agree with the arena, prefix intact, or arena unchanged */
    unsigned flags;       /* from xform_convert() */
    bool same_as_convert; /* xform_value() and xform_convert() with defaults agree */
};

static void result_free(struct result *r)
{
    free(r->bytes);
    r->bytes = NULL;
}

/* One conversion into a fresh arena that already holds ARENA_PREFIX. */
static int run_one(const struct schema_column *c, const struct xopts *opt,
                   const struct xform_src *src, struct buf *arena, struct buf *why,
                   struct xform_val *out, unsigned *flags)
{
    buf_init(arena, 0);
    buf_init(why, 0);
    cr_assert_eq(buf_append(arena, ARENA_PREFIX, sizeof ARENA_PREFIX - 1), 0);
    out->kind = XFORM_BIN;
    out->off = out->len = 999999;
    *flags = 0;
    if (opt == NULL)
        return xform_value(c, src, arena, out, why);
    struct xform_col xc = {.col = c,
                           .unit = opt->unit,
                           .zero_date_null = opt->zero_date_null,
                           .utf8_replace = opt->utf8_replace,
                           .utf8_cp1252 = opt->utf8_cp1252,
                           .null_default = opt->null_default};
    return xform_convert(&xc, src, arena, out, why, flags);
}

static struct result convert(const struct colspec *spec, const struct xform_src *src,
                             const struct xopts *opt)
{
    struct schema_column c;
    col_init(&c, spec);
    struct buf arena, why;
    struct xform_val out;
    struct result r = {0};
    size_t before = sizeof ARENA_PREFIX - 1;
    r.rc = run_one(&c, opt, src, &arena, &why, &out, &r.flags);
    r.kind = out.kind;
    bool prefix_ok = memcmp(arena.data, ARENA_PREFIX, before) == 0;
    if (r.rc == 0) {
        r.layout_ok = prefix_ok && out.off == before && arena.len == before + out.len;
        r.nbytes = r.layout_ok ? out.len : 0;
        r.bytes = malloc(r.nbytes + 1);
        cr_assert(r.bytes != NULL);
        if (r.nbytes)
            memcpy(r.bytes, arena.data + out.off, r.nbytes);
        r.bytes[r.nbytes] = '\0';
    } else {
        r.layout_ok = prefix_ok && arena.len == before;
        r.nbytes = why.len;
        r.bytes = strdup(why.data ? why.data : "");
        cr_assert(r.bytes != NULL);
    }
    r.same_as_convert = true;
    if (opt == NULL) {
        /* xform_convert() with default options must give exactly the same */
        static const struct xopts defaults = {XFORM_UNIT_AUTO, false, false, NULL, false};
        struct buf arena2, why2;
        struct xform_val out2;
        unsigned flags2;
        int rc2 = run_one(&c, &defaults, src, &arena2, &why2, &out2, &flags2);
        r.same_as_convert =
            rc2 == r.rc && arena2.len == arena.len &&
            memcmp(arena2.data, arena.data, arena.len) == 0 && why2.len == why.len && flags2 == 0 &&
            (r.rc != 0 || (out2.kind == out.kind && out2.off == out.off && out2.len == out.len));
        buf_free(&arena2);
        buf_free(&why2);
    }
    buf_free(&arena);
    buf_free(&why);
    schema_column_free(&c);
    return r;
}

/* Checks one case; reports a descriptive failure and returns whether it passed. */
static bool check_case(const struct xcase *k)
{
    struct result r = convert(k->col, &k->src, k->opt);
    bool ok;
    if (k->outcome == ACCEPT)
        ok = r.rc == 0 && r.layout_ok && r.kind == k->kind && r.nbytes == k->nbytes &&
             memcmp(r.bytes, k->bytes, k->nbytes) == 0;
    else
        ok = r.rc == 1 && r.layout_ok && strstr(r.bytes, k->bytes) != NULL;
    ok = ok && r.flags == k->flags && r.same_as_convert;
    if (!ok) {
        char src[1200], want[1200], got[1200];
        show_src(src, sizeof src, &k->src);
        show(want, sizeof want, k->bytes, k->nbytes);
        show(got, sizeof got, r.bytes, r.nbytes);
        cr_expect(ok,
                  "case \"%s\": %s into %s%s: expected %s %s\"%s\" flags=%u, got rc=%d %s\"%s\" "
                  "flags=%u%s%s",
                  k->name, src, k->col->column_type, k->opt ? " (with options)" : "",
                  k->outcome == ACCEPT ? "ACCEPT" : "REJECT containing",
                  k->outcome == ACCEPT ? kind_name(k->kind) : "", want, k->flags, r.rc,
                  r.rc == 0 ? kind_name(r.kind) : "why=", got, r.flags,
                  r.layout_ok ? ""
                  : r.rc == 0 ? " (bad off/len or prefix changed)"
                              : " (arena changed on reject)",
                  r.same_as_convert ? "" : " (xform_convert with default options differs)");
    }
    result_free(&r);
    return ok;
}

static void run_cases(const struct xcase *v, size_t n)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += !check_case(&v[i]);
    cr_expect_eq(failed, 0, "%zu of %zu cases failed", failed, n);
}

#define RUN(table) run_cases(table, sizeof table / sizeof *table)

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

/* ---- text ------------------------------------------------------------------ */

static const struct xcase text_cases[] = {
    SAME_STR("plain ascii", VARCHAR255, "hello"),
    SAME_STR("embedded NUL", VARCHAR255, "a\0b"),
    SAME_STR("only NUL", VARCHAR255, "\0"),
    SAME_STR("backslashes", VARCHAR255, "back\\slash\\\\"),
    SAME_STR("backslash N (not NULL)", VARCHAR255, "\\N"),
    SAME_STR("tab", VARCHAR255, "tab\there"),
    SAME_STR("newlines CR LF", VARCHAR255, "line\nbreak\r\n"),
    SAME_STR("quotes", VARCHAR255, "quote'\"`"),
    SAME_STR("SQL-ish", VARCHAR255, "'); DROP TABLE t; --"),
    SAME_STR("control bytes", VARCHAR255, "\x01\x02\x1a\x1b\x7f"),
    SAME_STR("2-byte UTF-8", VARCHAR255, "caf\xc3\xa9"),
    SAME_STR("3-byte UTF-8", VARCHAR255, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"),
    SAME_STR("4-byte UTF-8 emoji", VARCHAR255, "\xf0\x9f\x98\x80"),
    SAME_STR("U+10FFFF", VARCHAR255, "\xf4\x8f\xbf\xbf"),
    SAME_STR("U+0800 (smallest 3-byte)", VARCHAR255, "\xe0\xa0\x80"),
    SAME_STR("U+10000 (smallest 4-byte)", VARCHAR255, "\xf0\x90\x80\x80"),
    SAME_STR("U+FFFF", VARCHAR255, "\xef\xbf\xbf"),
    SAME_STR("U+D7FF (below surrogates)", VARCHAR255, "\xed\x9f\xbf"),
    SAME_STR("U+E000 (above surrogates)", VARCHAR255, "\xee\x80\x80"),
    SAME_STR("BOM", VARCHAR255, "\xef\xbb\xbf"),
    SAME_STR("empty string", VARCHAR255, ""),
    SAME_STR("text NULL is a string", VARCHAR255, "NULL"),
    SAME_STR("text null is a string", VARCHAR255, "null"),
    SAME_STR("spaces kept", VARCHAR255, "  a  "),
    /* invalid UTF-8 */
    {"overlong C0 80", &VARCHAR255, T("\xc0\x80"), REJ("UTF-8")},
    {"overlong C1 BF", &VARCHAR255, T("\xc1\xbf"), REJ("UTF-8")},
    {"overlong 3-byte E0 80 AF", &VARCHAR255, T("\xe0\x80\xaf"), REJ("UTF-8")},
    {"overlong 4-byte F0 80 80 AF", &VARCHAR255, T("\xf0\x80\x80\xaf"), REJ("UTF-8")},
    {"overlong 4-byte F0 8F BF BF", &VARCHAR255, T("\xf0\x8f\xbf\xbf"), REJ("UTF-8")},
    {"surrogate ED A0 80", &VARCHAR255, T("\xed\xa0\x80"), REJ("UTF-8")},
    {"surrogate ED BF BF", &VARCHAR255, T("\xed\xbf\xbf"), REJ("UTF-8")},
    {"surrogate pair as CESU-8", &VARCHAR255, T("\xed\xa0\xbd\xed\xb8\x80"), REJ("UTF-8")},
    {"above U+10FFFF F4 90 80 80", &VARCHAR255, T("\xf4\x90\x80\x80"), REJ("UTF-8")},
    {"lead F5", &VARCHAR255, T("\xf5\x80\x80\x80"), REJ("UTF-8")},
    {"lead F8 (5-byte form)", &VARCHAR255, T("\xf8\x88\x80\x80\x80"), REJ("UTF-8")},
    {"byte FE", &VARCHAR255, T("\xfe"), REJ("UTF-8")},
    {"byte FF", &VARCHAR255, T("a\xff"), REJ("UTF-8")},
    {"truncated 2-byte at end", &VARCHAR255, T("ab\xc3"), REJ("UTF-8")},
    {"truncated 3-byte at end", &VARCHAR255, T("\xe2\x82"), REJ("UTF-8")},
    {"truncated 4-byte at end", &VARCHAR255, T("\xf0\x9f\x98"), REJ("UTF-8")},
    {"truncated 3-byte mid-string", &VARCHAR255,
     T("\xe2\x82"
       "a"),
     REJ("UTF-8")},
    {"lone continuation 80", &VARCHAR255, T("\x80"), REJ("UTF-8")},
    {"lone continuation BF after ASCII", &VARCHAR255, T("a\xbf"), REJ("UTF-8")},
    {"two continuations after valid char", &VARCHAR255, T("\xc3\xa9\xa9"), REJ("UTF-8")},
    {"bad continuation C3 28", &VARCHAR255, T("ok\xc3\x28"), REJ("UTF-8")},
    {"latin-1 byte E9", &VARCHAR255, T("caf\xe9"), REJ("UTF-8")},
    {"reason gives offset", &VARCHAR255, T("abc\xff"), REJ("offset 3")},
    /* VARCHAR(5): characters, not bytes */
    {"varchar(5) 5 ascii", &VARCHAR5, T("abcde"), STR("abcde")},
    {"varchar(5) 6 ascii", &VARCHAR5, T("abcdef"), REJ("too long")},
    {"varchar(5) 5 x 2-byte", &VARCHAR5, T("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"),
     STR("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9")},
    {"varchar(5) 6 x 2-byte", &VARCHAR5, T("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"),
     REJ("too long")},
    {"varchar(5) 5 emoji (20 bytes)", &VARCHAR5,
     T("\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"),
     STR("\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80")},
    {"varchar(5) 6 emoji", &VARCHAR5,
     T("\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
       "\xf0\x9f\x98\x80"),
     REJ("too long")},
    {"varchar(5) 5 with NULs", &VARCHAR5, T("\0\0\0\0\0"), STR("\0\0\0\0\0")},
    {"varchar(5) empty", &VARCHAR5, T(""), STR("")},
    {"varchar(5) INTEGER 12345", &VARCHAR5, I(12345), STR("12345")},
    {"varchar(5) INTEGER 123456", &VARCHAR5, I(123456), REJ("too long")},
    {"char(3) abc", &CHAR3, T("abc"), STR("abc")},
    {"char(3) abcd", &CHAR3, T("abcd"), REJ("too long")},
    /* utf8mb3 columns take no 4-byte characters */
    {"utf8mb3 emoji", &VARCHAR10_MB3, T("\xf0\x9f\x98\x80"), REJ("4-byte")},
    {"utf8mb3 U+10000", &VARCHAR10_MB3, T("a\xf0\x90\x80\x80"), REJ("utf8mb3")},
    {"utf8mb3 euro sign", &VARCHAR10_MB3, T("\xe2\x82\xac"), STR("\xe2\x82\xac")},
    {"utf8mb3 U+FFFF", &VARCHAR10_MB3, T("\xef\xbf\xbf"), STR("\xef\xbf\xbf")},
    {"utf8mb3 ascii", &VARCHAR10_MB3, T("abc"), STR("abc")},
    {"charset utf8 (alias of utf8mb3) emoji", &VARCHAR10_UTF8, T("\xf0\x9f\x98\x80"),
     REJ("4-byte")},
    {"charset utf8 2-byte", &VARCHAR10_UTF8, T("\xc3\xa9"), STR("\xc3\xa9")},
    {"utf8mb4 emoji", &VARCHAR255, T("\xf0\x9f\x98\x80"), STR("\xf0\x9f\x98\x80")},
    /* numbers into text */
    {"INTEGER 42", &VARCHAR255, I(42), STR("42")},
    {"INTEGER -7", &VARCHAR255, I(-7), STR("-7")},
    {"INTEGER 0", &VARCHAR255, I(0), STR("0")},
    {"INTEGER int64 min", &VARCHAR255, I(INT64_MIN), STR("-9223372036854775808")},
    {"INTEGER int64 max", &VARCHAR255, I(INT64_MAX), STR("9223372036854775807")},
    {"REAL 1.5", &VARCHAR255, R(1.5), STR("1.5")},
    {"REAL 1.0 keeps a point", &VARCHAR255, R(1.0), STR("1.0")},
    {"REAL 0.1", &VARCHAR255, R(0.1), STR("0.1")},
    {"REAL -0.0", &VARCHAR255, R(-0.0), STR("-0.0")},
    {"REAL 123456.0", &VARCHAR255, R(123456.0), STR("123456.0")},
    {"REAL 1e20", &VARCHAR255, R(1e20), STR("1e+20")},
    {"REAL 1e-7", &VARCHAR255, R(1e-7), STR("1e-07")},
    {"REAL 1/3", &VARCHAR255, R(1 / 3.), STR("0.3333333333333333")},
    {"REAL NaN", &VARCHAR255, R(NAN), REJ("Infinity/NaN")},
    {"REAL +Inf", &VARCHAR255, R(INFINITY), REJ("Infinity/NaN")},
    {"REAL -Inf", &VARCHAR255, R(-INFINITY), REJ("Infinity/NaN")},
    /* BLOB into text only when valid UTF-8 */
    {"BLOB ascii into text", &VARCHAR255, B("abc"), STR("abc")},
    {"BLOB UTF-8 into text", &VARCHAR255, B("\xc3\xa9\xf0\x9f\x98\x80"),
     STR("\xc3\xa9\xf0\x9f\x98\x80")},
    {"BLOB with NUL into text", &VARCHAR255, B("a\0b"), STR("a\0b")},
    {"BLOB empty into text", &VARCHAR255, B(""), STR("")},
    {"BLOB FF into text", &VARCHAR255, B("\xff"), REJ("UTF-8")},
    {"BLOB overlong into text", &VARCHAR255, B("\xc0\x80"), REJ("UTF-8")},
    {"BLOB invalid names BLOB", &VARCHAR255, B("\x80"), REJ("BLOB")},
    {"BLOB too long for varchar(5)", &VARCHAR5, B("abcdef"), REJ("too long")},
    {"text column, text with charset binary is BIN", &CHAR4_BIN, T("abcd"), BIN("abcd")},
    {"text column, charset binary, short text would be padded", &CHAR4_BIN, T("ab"), REJ("pad")},
};

Test(xform, text)
{
    RUN(text_cases);
}

/* ---- binary -------------------------------------------------------------- */

static const struct xcase binary_cases[] = {
    {"BLOB bytes", &BLOB, B("\x00\x01\xfe\xff"), BIN("\x00\x01\xfe\xff")},
    {"BLOB invalid UTF-8 kept", &BLOB, B("\xc0\x80\xed\xa0\x80"), BIN("\xc0\x80\xed\xa0\x80")},
    {"BLOB empty", &BLOB, B(""), BIN("")},
    {"BLOB looks like NULL", &BLOB, B("NULL"), BIN("NULL")},
    {"text into blob", &BLOB, T("abc\0"), BIN("abc\0")},
    {"INTEGER into blob", &BLOB, I(42), BIN("42")},
    {"REAL into blob", &BLOB, R(0.5), BIN("0.5")},
    {"REAL 2.0 into blob", &BLOB, R(2.0), BIN("2.0")},
    {"REAL NaN into blob", &BLOB, R(NAN), REJ("Infinity/NaN")},
    {"varbinary(4) 4 bytes", &VARBINARY4, B("\x00\x01\x02\x03"), BIN("\x00\x01\x02\x03")},
    {"varbinary(4) 5 bytes", &VARBINARY4, B("12345"), REJ("too long")},
    {"varbinary(4) 4 NULs", &VARBINARY4, B("\0\0\0\0"), BIN("\0\0\0\0")},
    {"varbinary(4) 5 NULs", &VARBINARY4, B("\0\0\0\0\0"), REJ("too long")},
    {"varbinary(4) empty", &VARBINARY4, B(""), BIN("")},
    {"varbinary(4) text of 2 chars 4 bytes", &VARBINARY4, T("\xc3\xa9\xc3\xa9"),
     BIN("\xc3\xa9\xc3\xa9")},
    {"varbinary(4) text of 3 chars 6 bytes", &VARBINARY4, T("\xc3\xa9\xc3\xa9\xc3\xa9"),
     REJ("too long")},
    {"varbinary(4) INTEGER 12345", &VARBINARY4, I(12345), REJ("too long")},
    /* CHAR(n) in charset binary is BINARY(n): the server would pad shorter
     * values with 0x00, so only exact-length values arrive unchanged */
    {"char(4) charset binary 2 bytes", &CHAR4_BIN, B("\xff\x00"), REJ("pad")},
    {"char(4) charset binary 4 bytes", &CHAR4_BIN, B("\xff\x00\x01\x02"), BIN("\xff\x00\x01\x02")},
    {"char(4) charset binary trailing NUL kept", &CHAR4_BIN, B("ab\0\0"), BIN("ab\0\0")},
};

Test(xform, binary)
{
    RUN(binary_cases);
}

/* Length limits and all byte values, with generated sources. */
struct gencase {
    const char *name;
    const struct colspec *col;
    int type;         /* SQLITE_TEXT or SQLITE_BLOB */
    const char *unit; /* repeated */
    size_t repeat;
    const char *tail; /* appended once, or NULL */
    enum outcome outcome;
    enum xform_kind kind;
    const char *reason;
};

Test(xform, generated_lengths)
{
    static const struct gencase v[] = {
        {"text 65535 ascii bytes", &TEXT, SQLITE_TEXT, "a", 65535, NULL, ACCEPT, XFORM_STR, NULL},
        {"text 65536 ascii bytes", &TEXT, SQLITE_TEXT, "a", 65536, NULL, REJECT, 0, "too long"},
        {"text 32767 x 2-byte = 65534 bytes", &TEXT, SQLITE_TEXT, "\xc3\xa9", 32767, NULL, ACCEPT,
         XFORM_STR, NULL},
        {"text 32768 x 2-byte = 65536 bytes (bytes count)", &TEXT, SQLITE_TEXT, "\xc3\xa9", 32768,
         NULL, REJECT, 0, "65536 bytes"},
        {"text 16383 emoji + 3 ascii = 65535 bytes", &TEXT, SQLITE_TEXT, "\xf0\x9f\x98\x80", 16383,
         "abc", ACCEPT, XFORM_STR, NULL},
        {"tinytext 255 bytes", &TINYTEXT, SQLITE_TEXT, "z", 255, NULL, ACCEPT, XFORM_STR, NULL},
        {"tinytext 256 bytes", &TINYTEXT, SQLITE_TEXT, "z", 256, NULL, REJECT, 0, "too long"},
        {"tinytext 128 x 2-byte = 256 bytes", &TINYTEXT, SQLITE_TEXT, "\xc3\xa9", 128, NULL, REJECT,
         0, "too long"},
        {"varchar(255) 255 emoji", &VARCHAR255, SQLITE_TEXT, "\xf0\x9f\x98\x80", 255, NULL, ACCEPT,
         XFORM_STR, NULL},
        {"varchar(255) 256 emoji", &VARCHAR255, SQLITE_TEXT, "\xf0\x9f\x98\x80", 256, NULL, REJECT,
         0, "256 characters"},
        {"blob 65535 bytes", &BLOB, SQLITE_BLOB, "\xff", 65535, NULL, ACCEPT, XFORM_BIN, NULL},
        {"blob 65536 bytes", &BLOB, SQLITE_BLOB, "\xff", 65536, NULL, REJECT, 0, "too long"},
        {"varbinary(300) 300 NULs", &VARBINARY300, SQLITE_BLOB, "\0", 300, NULL, ACCEPT, XFORM_BIN,
         NULL},
        {"varbinary(300) 301 NULs", &VARBINARY300, SQLITE_BLOB, "\0", 301, NULL, REJECT, 0,
         "too long"},
    };
    size_t failed = 0;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        size_t ulen = v[i].unit[0] ? strlen(v[i].unit) : 1;
        size_t n = ulen * v[i].repeat;
        unsigned char *p = malloc(n + 16);
        cr_assert(p != NULL);
        for (size_t k = 0; k < v[i].repeat; k++)
            memcpy(p + k * ulen, v[i].unit, ulen);
        if (v[i].tail != NULL) {
            memcpy(p + n, v[i].tail, strlen(v[i].tail));
            n += strlen(v[i].tail);
        }
        struct xform_src src = {.type = v[i].type, .p = p, .n = n};
        struct result r = convert(v[i].col, &src, NULL);
        bool ok = v[i].outcome == ACCEPT
                      ? r.rc == 0 && r.layout_ok && r.kind == v[i].kind && r.nbytes == n &&
                            memcmp(r.bytes, p, n) == 0
                      : r.rc == 1 && r.layout_ok && strstr(r.bytes, v[i].reason) != NULL;
        if (!ok) {
            failed++;
            cr_expect(ok, "case \"%s\" into %s: rc=%d kind=%s len=%zu why/out starts \"%.80s\"",
                      v[i].name, v[i].col->column_type, r.rc, kind_name(r.kind), r.nbytes, r.bytes);
        }
        result_free(&r);
        free(p);
    }
    cr_expect_eq(failed, 0);
}

Test(xform, all_256_byte_values_binary_exact)
{
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    const struct colspec *cols[] = {&BLOB, &VARBINARY300};
    for (size_t c = 0; c < 2; c++) {
        struct xform_src src = {.type = SQLITE_BLOB, .p = all, .n = sizeof all};
        struct result r = convert(cols[c], &src, NULL);
        cr_expect(r.rc == 0 && r.layout_ok && r.kind == XFORM_BIN && r.nbytes == 256 &&
                      memcmp(r.bytes, all, 256) == 0,
                  "all 256 byte values into %s: rc=%d kind=%s len=%zu", cols[c]->column_type, r.rc,
                  kind_name(r.kind), r.nbytes);
        result_free(&r);
        /* each byte on its own, too */
        for (int b = 0; b < 256; b++) {
            struct xform_src one = {.type = SQLITE_BLOB, .p = all + b, .n = 1};
            r = convert(cols[c], &one, NULL);
            cr_expect(r.rc == 0 && r.kind == XFORM_BIN && r.nbytes == 1 &&
                          (unsigned char)r.bytes[0] == b,
                      "single byte 0x%02X into %s: rc=%d", b, cols[c]->column_type, r.rc);
            result_free(&r);
        }
    }
    /* and all of ASCII (0..127) as text into a TEXT column */
    struct xform_src ascii = {.type = SQLITE_TEXT, .p = all, .n = 128};
    struct result r = convert(&TEXT, &ascii, NULL);
    cr_expect(r.rc == 0 && r.kind == XFORM_STR && r.nbytes == 128 && memcmp(r.bytes, all, 128) == 0,
              "ASCII 0..127 as text: rc=%d len=%zu", r.rc, r.nbytes);
    result_free(&r);
    /* no byte 0x80..0xFF alone is valid UTF-8 text */
    for (int b = 0x80; b < 256; b++) {
        struct xform_src one = {.type = SQLITE_TEXT, .p = all + b, .n = 1};
        r = convert(&TEXT, &one, NULL);
        cr_expect(r.rc == 1 && r.layout_ok && strstr(r.bytes, "UTF-8"),
                  "lone byte 0x%02X as text should be rejected: rc=%d", b, r.rc);
        result_free(&r);
    }
}

/* ---- JSON ------------------------------------------------------------------ */

/* clang-format off */
#define JSON_OK(name, s) {name, &JSON, T(s), STR(s)}
#define JSON_BAD(name, s, why) {name, &JSON, T(s), REJ(why)}
/* clang-format on */

static const struct xcase json_cases[] = {
    JSON_OK("empty object", "{}"),
    JSON_OK("empty array", "[]"),
    JSON_OK("object", "{\"a\":1}"),
    JSON_OK("object with spaces", "{ \"a\" : 1 , \"b\" : [ true , false , null ] }"),
    JSON_OK("array", "[1,2,3]"),
    JSON_OK("nested", "{\"a\":{\"b\":[1,{\"c\":null}],\"d\":\"e\"}}"),
    JSON_OK("deep array", "[[[[[[[[[[]]]]]]]]]]"),
    JSON_OK("top-level string", "\"str\""),
    JSON_OK("top-level number", "42"),
    JSON_OK("top-level zero", "0"),
    JSON_OK("top-level negative zero", "-0"),
    JSON_OK("top-level true", "true"),
    JSON_OK("top-level false", "false"),
    JSON_OK("top-level null text (a JSON null, not SQL NULL)", "null"),
    JSON_OK("exponent", "1.5e10"),
    JSON_OK("exponent E+", "1E+2"),
    JSON_OK("negative exponent", "-1.0e-5"),
    JSON_OK("zero with exponent", "0e0"),
    JSON_OK("huge integer", "123456789012345678901234567890"),
    JSON_OK("huge integer in array", "[123456789012345678901234567890,-1]"),
    JSON_OK("huge exponent", "1e999"),
    JSON_OK("unicode escape", "\"\\u00e9\""),
    JSON_OK("surrogate pair escape", "\"\\ud83d\\ude00\""),
    JSON_OK("escaped NUL", "\"\\u0000\""),
    JSON_OK("all simple escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
    JSON_OK("raw UTF-8 in string", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\""),
    JSON_OK("raw DEL in string", "\"\x7f\""),
    JSON_OK("duplicate keys (allowed by RFC 8259)", "{\"a\":1,\"a\":2}"),
    JSON_OK("leading and trailing whitespace", " \t\n\r[1] \r\n"),
    JSON_OK("empty key", "{\"\":0}"),
    JSON_OK("escaped solidus", "\"\\/\""),
    JSON_OK("negative zero fraction", "-0.0"),
    JSON_OK("exponent in array", "[1e+1,1E-2,0.5e0]"),
    JSON_OK("escaped key", "{\"\\u0041\":1}"),
    JSON_OK("U+2028 raw in string", "\"\xe2\x80\xa8\""),
    /* invalid (JSONTestSuite n_* style) */
    JSON_BAD("unclosed object", "{", "invalid JSON"),
    JSON_BAD("unclosed array", "[1,2", "invalid JSON"),
    JSON_BAD("trailing comma in array", "[1,]", "invalid JSON"),
    JSON_BAD("trailing comma in object", "{\"a\":1,}", "invalid JSON"),
    JSON_BAD("leading comma", "[,1]", "invalid JSON"),
    JSON_BAD("single-quoted", "{'a':1}", "invalid JSON"),
    JSON_BAD("single-quoted string", "'str'", "invalid JSON"),
    JSON_BAD("unquoted key", "{a:1}", "invalid JSON"),
    JSON_BAD("number key", "{1:2}", "invalid JSON"),
    JSON_BAD("key without value", "{\"a\"}", "invalid JSON"),
    JSON_BAD("missing colon", "{\"a\" 1}", "invalid JSON"),
    JSON_BAD("missing comma", "[1 2]", "invalid JSON"),
    JSON_BAD("garbage after value", "[1] x", "invalid JSON"),
    JSON_BAD("two values", "1 2", "invalid JSON"),
    JSON_BAD("two objects", "{} {}", "invalid JSON"),
    JSON_BAD("extra close", "[1]]", "invalid JSON"),
    JSON_BAD("empty text", "", "invalid JSON"),
    JSON_BAD("only whitespace", "  ", "invalid JSON"),
    JSON_BAD("NaN", "NaN", "invalid JSON"),
    JSON_BAD("Infinity", "Infinity", "invalid JSON"),
    JSON_BAD("-Infinity", "-Infinity", "invalid JSON"),
    JSON_BAD("leading zero 01", "01", "invalid JSON"),
    JSON_BAD("leading zero -01", "-01", "invalid JSON"),
    JSON_BAD("leading zero in array", "[01]", "invalid JSON"),
    JSON_BAD("1.", "1.", "invalid JSON"),
    JSON_BAD(".5", ".5", "invalid JSON"),
    JSON_BAD("1e", "1e", "invalid JSON"),
    JSON_BAD("1e+", "1e+", "invalid JSON"),
    JSON_BAD("lone minus", "-", "invalid JSON"),
    JSON_BAD("plus sign", "+1", "invalid JSON"),
    JSON_BAD("hex number", "0x10", "invalid JSON"),
    JSON_BAD("bad escape \\x", "\"\\x\"", "invalid JSON"),
    JSON_BAD("bad escape \\a", "\"\\a\"", "invalid JSON"),
    JSON_BAD("short unicode escape", "\"\\u12\"", "invalid JSON"),
    JSON_BAD("non-hex unicode escape", "\"\\uZZZZ\"", "invalid JSON"),
    JSON_BAD("control char in string",
             "\"a\x01"
             "b\"",
             "invalid JSON"),
    JSON_BAD("raw tab in string", "\"a\tb\"", "invalid JSON"),
    JSON_BAD("raw newline in string", "\"a\nb\"", "invalid JSON"),
    JSON_BAD("raw NUL in string", "\"a\0b\"", "invalid JSON"),
    JSON_BAD("NUL after value", "[1]\0", "invalid JSON"),
    JSON_BAD("unterminated string", "\"abc", "invalid JSON"),
    JSON_BAD("True capitalised", "True", "invalid JSON"),
    JSON_BAD("truncated literal tru", "tru", "invalid JSON"),
    JSON_BAD("truncated literal nul", "nul", "invalid JSON"),
    JSON_BAD("block comment", "/* c */ 1", "invalid JSON"),
    JSON_BAD("line comment", "// c\n1", "invalid JSON"),
    JSON_BAD("double comma", "[1,,2]", "invalid JSON"),
    JSON_BAD("trailing comma after string", "[\"a\",]", "invalid JSON"),
    JSON_BAD("missing value", "{\"a\":}", "invalid JSON"),
    JSON_BAD("missing comma between members", "{\"a\":1 \"b\":2}", "invalid JSON"),
    JSON_BAD("double colon", "{\"a\"::1}", "invalid JSON"),
    JSON_BAD("comma only object", "{,}", "invalid JSON"),
    JSON_BAD("0.e1", "[0.e1]", "invalid JSON"),
    JSON_BAD("2.e+3", "[2.e+3]", "invalid JSON"),
    JSON_BAD("-.5", "[-.5]", "invalid JSON"),
    JSON_BAD(".1 in array", "[.1]", "invalid JSON"),
    JSON_BAD("minus space digit", "[- 1]", "invalid JSON"),
    JSON_BAD("lone minus in array", "[-]", "invalid JSON"),
    JSON_BAD("fractional exponent", "[1e1.5]", "invalid JSON"),
    JSON_BAD("two points", "[1.2.3]", "invalid JSON"),
    JSON_BAD("underscore digits", "[1_000]", "invalid JSON"),
    JSON_BAD("Infinity in array", "[Infinity]", "invalid JSON"),
    JSON_BAD("nan in array", "[nan]", "invalid JSON"),
    JSON_BAD("capital U escape", "\"\\U0041\"", "invalid JSON"),
    JSON_BAD("escaped single quote", "\"\\'\"", "invalid JSON"),
    JSON_BAD("unterminated escape", "[\"\\", "invalid JSON"),
    JSON_BAD("no-break space as whitespace", "\xc2\xa0[1]", "invalid JSON"),
    JSON_BAD("form feed is not JSON whitespace", "\f[1]", "invalid JSON"),
    JSON_BAD("vertical tab is not JSON whitespace", "[1,\v2]", "invalid JSON"),
    JSON_BAD("trailing form feed", "[1]\f", "invalid JSON"),
    /* invalid UTF-8 (inside or outside strings) */
    JSON_BAD("overlong C0 80 in string", "\"\xc0\x80\"", "UTF"),
    JSON_BAD("surrogate ED A0 80 in string", "\"\xed\xa0\x80\"", "UTF"),
    JSON_BAD("above U+10FFFF in string", "\"\xf4\x90\x80\x80\"", "UTF"),
    JSON_BAD("byte FF in string", "\"\xff\"", "UTF"),
    JSON_BAD("lone continuation in string", "\"\x80\"", "UTF"),
    JSON_BAD("truncated sequence in string", "\"\xe2\x82\"", "UTF"),
    JSON_BAD("latin-1 byte in key", "{\"caf\xe9\":1}", "UTF"),
    JSON_BAD("byte FF outside string", "[1,\xff]", "invalid JSON"),
    /* other sources */
    {"INTEGER 42", &JSON, I(42), STR("42")},
    {"INTEGER -1", &JSON, I(-1), STR("-1")},
    {"REAL 1.5", &JSON, R(1.5), STR("1.5")},
    {"REAL 1.0", &JSON, R(1.0), STR("1.0")},
    {"REAL 1e20", &JSON, R(1e20), STR("1e+20")},
    {"REAL NaN", &JSON, R(NAN), REJ("NaN")},
    {"REAL Inf", &JSON, R(INFINITY), REJ("Infinity")},
    {"BLOB valid JSON", &JSON, B("[1]"), STR("[1]")},
    {"BLOB invalid JSON", &JSON, B("[1"), REJ("invalid JSON")},
};

Test(xform, json)
{
    RUN(json_cases);
}

/* JSON far larger and deeper than the parser's first allocations: 200,000
 * bytes of strings, 3,000 nested arrays, 2,000 keys; each arrives byte for
 * byte, and the same text cut short is rejected. */
Test(xform, json_large_and_deep)
{
    enum { BIG = 200000 };
    char *text = malloc(BIG + 1024);
    cr_assert(text != NULL);
    for (int shape = 0; shape < 3; shape++) {
        size_t n = 0;
        if (shape == 0) { /* ["xxxx...", "xxxx...", ...] */
            text[n++] = '[';
            for (int i = 0; n < BIG; i++)
                n += (size_t)sprintf(text + n, "%s\"%0500d\"", i ? "," : "", i);
            text[n++] = ']';
        } else if (shape == 1) { /* [[[[...]]]] */
            for (int i = 0; i < 3000; i++)
                text[n++] = '[';
            for (int i = 0; i < 3000; i++)
                text[n++] = ']';
        } else { /* {"k0":"v...", "k1":...} */
            text[n++] = '{';
            for (int i = 0; i < 2000; i++)
                n += (size_t)sprintf(text + n, "%s\"k%d\":\"%080d\"", i ? "," : "", i, i);
            text[n++] = '}';
        }
        struct xform_src src = {.type = SQLITE_TEXT, .p = (const unsigned char *)text, .n = n};
        struct result r = convert(&JSON, &src, NULL);
        cr_expect(r.rc == 0 && r.nbytes == n && memcmp(r.bytes, text, n) == 0,
                  "shape %d (%zu bytes): rc=%d, %zu bytes back", shape, n, r.rc, r.nbytes);
        result_free(&r);
        src.n = n - 1; /* the last bracket missing */
        r = convert(&JSON, &src, NULL);
        cr_expect(r.rc == 1 && strstr(r.bytes, "invalid JSON") != NULL, "shape %d cut: rc=%d %s",
                  shape, r.rc, r.bytes);
        result_free(&r);
    }
    free(text);
}

/* ---- dates and times --------------------------------------------------------- */

static const struct xcase datetime_cases[] = {
    /* INTEGER epoch seconds */
    {"epoch 1700000000", &DATETIME, I(1700000000), STR("2023-11-14 22:13:20")},
    {"epoch 0", &DATETIME, I(0), STR("1970-01-01 00:00:00")},
    {"epoch -1", &DATETIME, I(-1), STR("1969-12-31 23:59:59")},
    {"epoch -86400", &DATETIME, I(-86400), STR("1969-12-31 00:00:00")},
    {"epoch -86401", &DATETIME, I(-86401), STR("1969-12-30 23:59:59")},
    {"epoch leap day 2000-02-29", &DATETIME, I(951782400), STR("2000-02-29 00:00:00")},
    {"epoch 2038 boundary", &DATETIME, I(2147483648LL), STR("2038-01-19 03:14:08")},
    {"epoch 9999-12-31 23:59:59", &DATETIME, I(253402300799LL), STR("9999-12-31 23:59:59")},
    {"epoch one past 9999", &DATETIME, I(253402300800LL), REJ("out of range")},
    {"epoch 0001-01-01", &DATETIME, I(-62135596800LL), STR("0001-01-01 00:00:00")},
    {"epoch before year 1", &DATETIME, I(-62135596801LL), REJ("out of range")},
    {"epoch int64 max", &DATETIME, I(INT64_MAX), REJ("out of range")},
    {"epoch int64 min", &DATETIME, I(INT64_MIN), REJ("out of range")},
    {"epoch into datetime(6)", &DATETIME6, I(0), STR("1970-01-01 00:00:00.000000")},
    {"epoch into datetime(3)", &DATETIME3, I(1), STR("1970-01-01 00:00:01.000")},
    /* REAL epoch seconds */
    {"REAL 1700000000.5 into (6)", &DATETIME6, R(1700000000.5), STR("2023-11-14 22:13:20.500000")},
    {"REAL 1.25 into (6)", &DATETIME6, R(1.25), STR("1970-01-01 00:00:01.250000")},
    {"REAL 1600000000.123 into (6)", &DATETIME6, R(1600000000.123),
     STR("2020-09-13 12:26:40.123000")},
    {"REAL 1600000000.123457 into (6)", &DATETIME6, R(1600000000.123457),
     STR("2020-09-13 12:26:40.123457")},
    {"REAL 3999999999.999999 into (6)", &DATETIME6, R(3999999999.999999),
     STR("2096-10-02 07:06:39.999999")},
    {"REAL -1600000000.000001 into (6)", &DATETIME6, R(-1600000000.000001),
     STR("1919-04-20 11:33:19.999999")},
    {"REAL 0.1234565 into (6) rounds", &DATETIME6, R(0.1234565), STR("1970-01-01 00:00:00.123457")},
    {"REAL 1600000000.1234567 into (6) rounds", &DATETIME6, R(1600000000.1234567),
     STR("2020-09-13 12:26:40.123457")},
    {"REAL 0.000001 into (6)", &DATETIME6, R(0.000001), STR("1970-01-01 00:00:00.000001")},
    {"REAL -0.25 into (6)", &DATETIME6, R(-0.25), STR("1969-12-31 23:59:59.750000")},
    {"REAL -1.5 into (6)", &DATETIME6, R(-1.5), STR("1969-12-31 23:59:58.500000")},
    {"REAL 1.5 into (0) rounds half up", &DATETIME, R(1.5), STR("1970-01-01 00:00:02")},
    {"REAL 1.4 into (0)", &DATETIME, R(1.4), STR("1970-01-01 00:00:01")},
    {"REAL 2.5 into (0) rounds half up", &DATETIME, R(2.5), STR("1970-01-01 00:00:03")},
    {"REAL 86399.5 into (0) carries to next day", &DATETIME, R(86399.5),
     STR("1970-01-02 00:00:00")},
    {"REAL 1.0625 into (3)", &DATETIME3, R(1.0625), STR("1970-01-01 00:00:01.063")},
    {"REAL 1e300", &DATETIME, R(1e300), REJ("out of range")},
    {"REAL 253402300800.0", &DATETIME, R(253402300800.0), REJ("out of range")},
    {"REAL NaN", &DATETIME, R(NAN), REJ("Infinity/NaN")},
    {"REAL -Inf", &DATETIME, R(-INFINITY), REJ("Infinity/NaN")},
    /* ISO-8601 text, fractions and rounding */
    {"text .1234 into (3)", &DATETIME3, T("2024-03-01 12:34:56.1234"),
     STR("2024-03-01 12:34:56.123")},
    {"text .1235 into (3) rounds up", &DATETIME3, T("2024-03-01 12:34:56.1235"),
     STR("2024-03-01 12:34:56.124")},
    {"text .9995 into (3) carries a second", &DATETIME3, T("2024-03-01 12:34:56.9995"),
     STR("2024-03-01 12:34:57.000")},
    {"text .9995 into (3) carries across midnight", &DATETIME3, T("2024-03-01 23:59:59.9995"),
     STR("2024-03-02 00:00:00.000")},
    {"text .9995 into (3) carries into new year", &DATETIME3, T("2024-12-31 23:59:59.9995"),
     STR("2025-01-01 00:00:00.000")},
    {"text no fraction into (3)", &DATETIME3, T("2024-03-01 12:34:56"),
     STR("2024-03-01 12:34:56.000")},
    {"text .5 into (3)", &DATETIME3, T("2024-03-01 12:34:56.5"), STR("2024-03-01 12:34:56.500")},
    {"text 7 digits .9999995Z into (6) carries into new year", &DATETIME6,
     T("2024-12-31T23:59:59.9999995Z"), STR("2025-01-01 00:00:00.000000")},
    {"text 9 digits into (6)", &DATETIME6, T("2024-03-01T12:34:56.123456789Z"),
     STR("2024-03-01 12:34:56.123457")},
    {"text 10 fraction digits", &DATETIME6, T("2024-03-01T12:34:56.1234567890"), REJ("fractional")},
    {"text .5 into (0) rounds up", &DATETIME, T("2024-03-01T12:34:56.5"),
     STR("2024-03-01 12:34:57")},
    {"text .123Z into (0)", &DATETIME, T("2024-01-31T10:00:00.123Z"), STR("2024-01-31 10:00:00")},
    {"text comma fraction", &DATETIME3, T("2024-03-01T12:34:56,25"),
     STR("2024-03-01 12:34:56.250")},
    {"text empty fraction", &DATETIME, T("2024-01-31T10:00:00."), REJ("fractional")},
    /* ISO forms */
    {"T and Z", &DATETIME, T("2024-03-01T12:34:56Z"), STR("2024-03-01 12:34:56")},
    {"space, no zone", &DATETIME, T("2024-03-01 12:34:56"), STR("2024-03-01 12:34:56")},
    {"lowercase t and z", &DATETIME, T("2024-03-01t12:34:56z"), STR("2024-03-01 12:34:56")},
    {"no seconds", &DATETIME, T("2024-03-01T12:34"), STR("2024-03-01 12:34:00")},
    {"no seconds with Z", &DATETIME, T("2024-03-01T12:34Z"), STR("2024-03-01 12:34:00")},
    {"date only", &DATETIME, T("2024-01-31"), STR("2024-01-31 00:00:00")},
    {"offset +05:30", &DATETIME, T("2024-03-01T23:30:00+05:30"), STR("2024-03-01 18:00:00")},
    {"offset -08:00", &DATETIME, T("2024-03-01T01:00:00-08:00"), STR("2024-03-01 09:00:00")},
    {"offset -0800", &DATETIME, T("2024-03-01T01:00:00-0800"), STR("2024-03-01 09:00:00")},
    {"offset +05", &DATETIME, T("2024-03-01T12:00:00+05"), STR("2024-03-01 07:00:00")},
    {"offset +00:00", &DATETIME, T("2024-03-01T12:00:00+00:00"), STR("2024-03-01 12:00:00")},
    {"offset crosses back into leap day", &DATETIME, T("2024-03-01T02:00:00+05:30"),
     STR("2024-02-29 20:30:00")},
    {"offset crosses into new year", &DATETIME, T("2023-12-31T23:00:00-02:00"),
     STR("2024-01-01 01:00:00")},
    {"offset with fraction", &DATETIME6, T("2024-03-01T00:00:00.25+01:00"),
     STR("2024-02-29 23:00:00.250000")},
    {"9999-12-31T23:59:59Z", &DATETIME, T("9999-12-31T23:59:59Z"), STR("9999-12-31 23:59:59")},
    {"0001-01-01", &DATETIME, T("0001-01-01"), STR("0001-01-01 00:00:00")},
    {"offset pushes past 9999", &DATETIME, T("9999-12-31T23:00:00-05:00"), REJ("out of range")},
    {"offset pushes before 0001", &DATETIME, T("0001-01-01T00:00:00+01:00"), REJ("out of range")},
    {"year 0000", &DATETIME, T("0000-01-01"), REJ("out of range")},
    /* calendar validity */
    {"2023-02-30", &DATETIME, T("2023-02-30"), REJ("invalid calendar date")},
    {"2023-13-01", &DATETIME, T("2023-13-01"), REJ("invalid calendar date")},
    {"2023-00-10", &DATETIME, T("2023-00-10"), REJ("invalid calendar date")},
    {"2023-01-00", &DATETIME, T("2023-01-00"), REJ("invalid calendar date")},
    {"2023-01-32", &DATETIME, T("2023-01-32"), REJ("invalid calendar date")},
    {"2023-04-31", &DATETIME, T("2023-04-31"), REJ("invalid calendar date")},
    {"2024-02-29 leap", &DATETIME, T("2024-02-29"), STR("2024-02-29 00:00:00")},
    {"2023-02-29 not leap", &DATETIME, T("2023-02-29"), REJ("invalid calendar date")},
    {"1900-02-29 not leap (century)", &DATETIME, T("1900-02-29"), REJ("invalid calendar date")},
    {"2000-02-29 leap (400)", &DATETIME, T("2000-02-29"), STR("2000-02-29 00:00:00")},
    {"2100-02-29 not leap", &DATETIME, T("2100-02-29"), REJ("invalid calendar date")},
    {"2024-12-31", &DATETIME, T("2024-12-31"), STR("2024-12-31 00:00:00")},
    /* time-of-day validity and syntax */
    {"24:00:00", &DATETIME, T("2024-01-31T24:00:00"), REJ("invalid time of day")},
    {"23:60:00", &DATETIME, T("2024-01-31T23:60:00"), REJ("invalid time of day")},
    {"23:59:60 leap second", &DATETIME, T("2024-01-31T23:59:60"), REJ("invalid time of day")},
    {"garbage after", &DATETIME, T("2024-01-31T10:00:00abc"), REJ("trailing")},
    {"trailing space", &DATETIME, T("2024-01-31 10:00:00 "), REJ("trailing")},
    {"garbage after date", &DATETIME, T("2024-01-31x"), REJ("trailing")},
    {"trailing NUL", &DATETIME, T("2024-01-31\0"), REJ("trailing")},
    {"two-digit year", &DATETIME, T("24-01-31"), REJ("ISO-8601")},
    {"slashes", &DATETIME, T("2024/01/31"), REJ("ISO-8601")},
    {"one-digit month", &DATETIME, T("2024-1-31"), REJ("ISO-8601")},
    {"empty", &DATETIME, T(""), REJ("ISO-8601")},
    {"word", &DATETIME, T("now"), REJ("ISO-8601")},
    {"leading space", &DATETIME, T(" 2024-01-31"), REJ("ISO-8601")},
    {"hour only", &DATETIME, T("2024-01-31T10"), REJ("ISO-8601")},
    {"one-digit minute", &DATETIME, T("2024-01-31T10:0"), REJ("ISO-8601")},
    {"one-digit hour", &DATETIME, T("2024-01-31T1:00:00"), REJ("ISO-8601")},
    {"T without time", &DATETIME, T("2024-01-31T"), REJ("ISO-8601")},
    {"one-digit seconds", &DATETIME, T("2024-01-31T10:00:0"), REJ("ISO-8601")},
    {"offset hour 25", &DATETIME, T("2024-01-31T10:00:00+25:00"), REJ("offset")},
    {"offset minute 60", &DATETIME, T("2024-01-31T10:00:00+05:60"), REJ("offset")},
    {"offset one digit", &DATETIME, T("2024-01-31T10:00:00+5"), REJ("offset")},
    {"offset with dangling colon", &DATETIME, T("2024-01-31T10:00:00+05:"), REJ("offset")},
    {"offset one-digit minutes", &DATETIME, T("2024-01-31T10:00:00+05:3"), REJ("offset")},
    {"offset then garbage", &DATETIME, T("2024-01-31T10:00:00+05:30:"), REJ("trailing")},
    {"Z then garbage", &DATETIME, T("2024-01-31T10:00:00Zx"), REJ("trailing")},
    {"BLOB into datetime", &DATETIME, B("2024-01-01"), REJ("BLOB")},
};

Test(xform, datetime)
{
    RUN(datetime_cases);
}

static const struct xcase date_cases[] = {
    {"text date", &DATE, T("2024-01-31"), STR("2024-01-31")},
    {"text with time of day", &DATE, T("2024-01-31T10:00:00Z"), REJ("time of day")},
    {"text midnight Z", &DATE, T("2024-01-31T00:00:00Z"), STR("2024-01-31")},
    {"text midnight, no seconds", &DATE, T("2024-01-31 00:00"), STR("2024-01-31")},
    {"text one microsecond", &DATE, T("2024-01-31T00:00:00.000001"), REJ("time of day")},
    {"text midnight +01:00 is 23:00 UTC", &DATE, T("2024-01-31T00:00:00+01:00"),
     REJ("time of day")},
    {"text leap day", &DATE, T("2024-02-29"), STR("2024-02-29")},
    {"text invalid day", &DATE, T("2023-02-29"), REJ("invalid calendar date")},
    {"text 9999-12-31", &DATE, T("9999-12-31"), STR("9999-12-31")},
    {"text 0001-01-01", &DATE, T("0001-01-01"), STR("0001-01-01")},
    {"epoch 86400", &DATE, I(86400), STR("1970-01-02")},
    {"epoch 86401", &DATE, I(86401), REJ("time of day")},
    {"epoch 0", &DATE, I(0), STR("1970-01-01")},
    {"epoch -86400", &DATE, I(-86400), STR("1969-12-31")},
    {"epoch -1", &DATE, I(-1), REJ("time of day")},
    {"epoch 253402214400 (9999-12-31)", &DATE, I(253402214400LL), STR("9999-12-31")},
    {"REAL 86400.0", &DATE, R(86400.0), STR("1970-01-02")},
    {"REAL 86400.5", &DATE, R(86400.5), REJ("time of day")},
    {"BLOB", &DATE, B("2024-01-31"), REJ("BLOB")},
    /* TIMESTAMP range 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC */
    {"timestamp epoch 0", &TIMESTAMP, I(0), REJ("TIMESTAMP")},
    {"timestamp epoch 1", &TIMESTAMP, I(1), STR("1970-01-01 00:00:01")},
    {"timestamp epoch -1", &TIMESTAMP, I(-1), REJ("TIMESTAMP")},
    {"timestamp epoch 2147483647", &TIMESTAMP, I(2147483647), STR("2038-01-19 03:14:07")},
    {"timestamp epoch 2147483648", &TIMESTAMP, I(2147483648LL), REJ("TIMESTAMP")},
    {"timestamp text first second", &TIMESTAMP, T("1970-01-01T00:00:01Z"),
     STR("1970-01-01 00:00:01")},
    {"timestamp text epoch", &TIMESTAMP, T("1970-01-01 00:00:00"), REJ("TIMESTAMP")},
    {"timestamp text one past max", &TIMESTAMP, T("2038-01-19T03:14:08Z"), REJ("TIMESTAMP")},
    {"timestamp text max via offset", &TIMESTAMP, T("2038-01-19T04:14:07+01:00"),
     STR("2038-01-19 03:14:07")},
    {"timestamp(6) REAL 2147483647.5", &TIMESTAMP6, R(2147483647.5),
     STR("2038-01-19 03:14:07.500000")},
    {"timestamp(6) REAL 0.5", &TIMESTAMP6, R(0.5), REJ("TIMESTAMP")},
    {"timestamp(6) REAL 1.000001", &TIMESTAMP6, R(1.000001), STR("1970-01-01 00:00:01.000001")},
    {"timestamp(6) text .999999 max", &TIMESTAMP6, T("2038-01-19 03:14:07.999999"),
     STR("2038-01-19 03:14:07.999999")},
    {"timestamp(6) text rounds past max", &TIMESTAMP6, T("2038-01-19 03:14:07.9999995"),
     REJ("TIMESTAMP")},
    {"timestamp BLOB", &TIMESTAMP, B("1"), REJ("BLOB")},
};

Test(xform, date_timestamp)
{
    RUN(date_cases);
}

static const struct xcase time_cases[] = {
    {"12:34", &TIME, T("12:34"), STR("12:34:00")},
    {"12:34:56", &TIME, T("12:34:56"), STR("12:34:56")},
    {"-01:00:00", &TIME, T("-01:00:00"), STR("-01:00:00")},
    {"838:59:59", &TIME, T("838:59:59"), STR("838:59:59")},
    {"-838:59:59", &TIME, T("-838:59:59"), STR("-838:59:59")},
    {"839:00:00", &TIME, T("839:00:00"), REJ("out of range")},
    {"-839:00:00", &TIME, T("-839:00:00"), REJ("out of range")},
    {"1000:00:00", &TIME, T("1000:00:00"), REJ("out of range")},
    {"1:02:03", &TIME, T("1:02:03"), STR("01:02:03")},
    {"0:00", &TIME, T("0:00"), STR("00:00:00")},
    {"00:00:00", &TIME, T("00:00:00"), STR("00:00:00")},
    {"23:59:59", &TIME, T("23:59:59"), STR("23:59:59")},
    {"100:00:00", &TIME, T("100:00:00"), STR("100:00:00")},
    {"12:34:56.5 into (0) rounds up", &TIME, T("12:34:56.5"), STR("12:34:57")},
    {"12:34:56.4 into (0)", &TIME, T("12:34:56.4"), STR("12:34:56")},
    {"838:59:59.5 into (0) rounds out of range", &TIME, T("838:59:59.5"), REJ("out of range")},
    {"12:60", &TIME, T("12:60"), REJ("TIME")},
    {"12:34:60", &TIME, T("12:34:60"), REJ("TIME")},
    {"12", &TIME, T("12"), REJ("TIME")},
    {"12:3", &TIME, T("12:3"), REJ("TIME")},
    {"12:34:", &TIME, T("12:34:"), REJ("TIME")},
    {"12:34:5", &TIME, T("12:34:5"), REJ("TIME")},
    {"12:34:56.", &TIME, T("12:34:56."), REJ("TIME")},
    {"leading space", &TIME, T(" 12:34"), REJ("TIME")},
    {"trailing space", &TIME, T("12:34 "), REJ("TIME")},
    {"plus sign", &TIME, T("+12:34"), REJ("TIME")},
    {"lone minus", &TIME, T("-"), REJ("TIME")},
    {"empty", &TIME, T(""), REJ("TIME")},
    {"word", &TIME, T("noon"), REJ("TIME")},
    {"days form", &TIME, T("1 12:00:00"), REJ("TIME")},
    {"ISO datetime", &TIME, T("2024-01-01T12:00:00"), REJ("TIME")},
    {"INTEGER", &TIME, I(3600), REJ("TIME")},
    {"REAL", &TIME, R(1.5), REJ("TIME")},
    {"BLOB", &TIME, B("12:00"), REJ("TIME")},
    {"time(3) .1235 rounds", &TIME3, T("12:34:56.1235"), STR("12:34:56.124")},
    {"time(3) no fraction", &TIME3, T("12:34:56"), STR("12:34:56.000")},
    {"time(3) -00:00:00.5", &TIME3, T("-00:00:00.5"), STR("-00:00:00.500")},
    {"time(3) 10 fraction digits", &TIME3, T("12:34:56.1234567890"), REJ("TIME")},
    {"time(6) 838:59:59.000000", &TIME6, T("838:59:59.000000"), STR("838:59:59.000000")},
    {"time(6) 838:59:59.000001", &TIME6, T("838:59:59.000001"), REJ("out of range")},
    {"time(6) .9999995 carries", &TIME6, T("12:34:56.9999995"), STR("12:34:57.000000")},
    {"time(6) 59:59 carry into hour", &TIME6, T("00:59:59.9999995"), STR("01:00:00.000000")},
};

Test(xform, time)
{
    RUN(time_cases);
}

static const struct xcase year_cases[] = {
    {"1901", &YEAR, I(1901), NUM("1901")},
    {"2155", &YEAR, I(2155), NUM("2155")},
    {"2024", &YEAR, I(2024), NUM("2024")},
    {"1900", &YEAR, I(1900), REJ("range")},
    {"2156", &YEAR, I(2156), REJ("range")},
    {"0", &YEAR, I(0), NUM("0000")},
    {"-1", &YEAR, I(-1), REJ("range")},
    {"99 (no two-digit years)", &YEAR, I(99), REJ("range")},
    {"1", &YEAR, I(1), REJ("range")},
    {"int64 max", &YEAR, I(INT64_MAX), REJ("range")},
    {"text 2024", &YEAR, T("2024"), NUM("2024")},
    {"text 0", &YEAR, T("0"), NUM("0000")},
    {"text 1900", &YEAR, T("1900"), REJ("range")},
    {"text 24", &YEAR, T("24"), REJ("range")},
    {"text 02024", &YEAR, T("02024"), REJ("not a year")},
    {"text 2024-01-01", &YEAR, T("2024-01-01"), REJ("not a year")},
    {"text empty", &YEAR, T(""), REJ("not a year")},
    {"REAL 2024.0", &YEAR, R(2024.0), NUM("2024")},
    {"REAL 2024.5", &YEAR, R(2024.5), REJ("year")},
    {"REAL 1900.0", &YEAR, R(1900.0), REJ("range")},
    {"BLOB", &YEAR, B("2024"), REJ("not a year")},
};

Test(xform, year)
{
    RUN(year_cases);
}

/* ---- ENUM / SET / BIT / NULL / unsupported ------------------------------------ */

static const struct xcase enum_set_cases[] = {
    {"enum a", &ENUM, T("a"), STR("a")},
    {"enum A (case-insensitive, stored in the column's spelling)", &ENUM, T("A"), STR("a")},
    {"enum member with quote", &ENUM, T("b'c"), STR("b'c")},
    {"enum member with quote, other case", &ENUM, T("B'C"), STR("b'c")},
    {"enum non-member", &ENUM, T("d"), REJ("not a member")},
    {"enum empty", &ENUM, T(""), REJ("not a member")},
    {"enum trailing space", &ENUM, T("a "), REJ("not a member")},
    {"enum prefix of member", &ENUM, T("b"), REJ("not a member")},
    {"enum doubled quote as written in DDL", &ENUM, T("b''c"), REJ("not a member")},
    {"enum both", &ENUM, T("a,b'c"), REJ("not a member")},
    {"enum INTEGER 1 (no index semantics)", &ENUM, I(1), REJ("not a member")},
    {"enum reason names the type", &ENUM, T("zzz"), REJ("enum('a','b''c')")},
    {"set x", &SET, T("x"), STR("x")},
    {"set x,y", &SET, T("x,y"), STR("x,y")},
    /* SET values arrive in the column's order and spelling, as MySQL stores them */
    {"set X,Z", &SET, T("X,Z"), STR("x,z")},
    {"set y,x", &SET, T("y,x"), STR("x,y")},
    {"set x,x", &SET, T("x,x"), STR("x")},
    {"set x,y,z", &SET, T("x,y,z"), STR("x,y,z")},
    {"set empty is the empty set", &SET, T(""), STR("")},
    {"set x,w", &SET, T("x,w"), REJ("not a member")},
    {"set w", &SET, T("w"), REJ("not a member")},
    {"set x,,y", &SET, T("x,,y"), REJ("not a member")},
    {"set trailing comma", &SET, T("x,"), REJ("not a member")},
    {"set leading comma", &SET, T(",x"), REJ("not a member")},
    {"set space after comma", &SET, T("x, y"), REJ("not a member")},
    {"BIT(8) 0", &BIT8, I(0), NUM("0")},
    {"BIT(8) 255", &BIT8, I(255), NUM("255")},
    {"BIT(8) 256", &BIT8, I(256), REJ("does not fit")},
    {"BIT(8) -1", &BIT8, I(-1), REJ("non-negative")},
    {"BIT(8) text", &BIT8, T("1"), REJ("non-negative integers")},
    {"BIT(1) 1", &BIT1, I(1), NUM("1")},
    {"BIT(1) 2", &BIT1, I(2), REJ("does not fit")},
    {"BIT(64) int64 max", &BIT64, I(INT64_MAX), NUM("9223372036854775807")},
    {"unsupported geometry", &GEOMETRY, T("POINT(1 2)"), REJ("not supported")},
    {"unsupported geometry BLOB", &GEOMETRY, B("\x00\x01"), REJ("geometry")},
};

Test(xform, enum_set_bit_unsupported)
{
    RUN(enum_set_cases);
}

static const struct xcase null_cases[] = {
    {"NULL into nullable int", &INT_NULL, NUL_SRC, IS_NULL},
    {"NULL into nullable text", &TEXT_NULL, NUL_SRC, IS_NULL},
    {"NULL into nullable json", &JSON_NULL, NUL_SRC, IS_NULL},
    {"NULL into nullable datetime", &DATETIME_NULL, NUL_SRC, IS_NULL},
    {"NULL into nullable blob", &BLOB_NULL, NUL_SRC, IS_NULL},
    {"NULL into NOT NULL int", &INT, NUL_SRC, REJ("NOT NULL")},
    {"NULL into NOT NULL text", &TEXT, NUL_SRC, REJ("NOT NULL")},
    {"NULL into NOT NULL json", &JSON, NUL_SRC, REJ("NOT NULL")},
    {"NULL into NOT NULL blob", &BLOB, NUL_SRC, REJ("NOT NULL")},
    {"NULL into NOT NULL unsupported", &GEOMETRY, NUL_SRC, REJ("NOT NULL")},
    {"NULL into NOT NULL auto_increment", &INT_AI, NUL_SRC, IS_NULL},
    {"text NULL into nullable text is a string", &TEXT_NULL, T("NULL"), STR("NULL")},
    {"text empty into nullable text is a string", &TEXT_NULL, T(""), STR("")},
    {"text null into nullable json is JSON null", &JSON_NULL, T("null"), STR("null")},
    {"value into auto_increment", &INT_AI, I(5), NUM("5")},
};

Test(xform, nulls)
{
    RUN(null_cases);
}

/* ---- per-column options (xform_convert) ------------------------------------ */

static const struct xopts EPOCH_S = {XFORM_UNIT_S, false, false, NULL, false};
static const struct xopts EPOCH_MS = {XFORM_UNIT_MS, false, false, NULL, false};
static const struct xopts EPOCH_US = {XFORM_UNIT_US, false, false, NULL, false};
static const struct xopts JULIAN = {XFORM_UNIT_JULIAN, false, false, NULL, false};
static const struct xopts ISO_ONLY = {XFORM_UNIT_ISO, false, false, NULL, false};
static const struct xopts AS_TEXT = {XFORM_UNIT_TEXT, false, false, NULL, false};
static const struct xopts ZERO_NULL = {XFORM_UNIT_AUTO, true, false, NULL, false};
static const struct xopts REPLACE = {XFORM_UNIT_AUTO, false, true, NULL, false};
static const struct xopts CP1252 = {XFORM_UNIT_AUTO, false, false, NULL, true};
static const struct xopts DFLT_0 = {XFORM_UNIT_AUTO, false, false, "0", false};
static const struct xopts DFLT_EMPTY = {XFORM_UNIT_AUTO, false, false, "", false};
static const struct xopts DFLT_DATE = {XFORM_UNIT_AUTO, false, false, "1970-01-01", false};
static const struct xopts DFLT_BAD = {XFORM_UNIT_AUTO, false, false, "abc", false};
static const struct xopts DFLT_JSON = {XFORM_UNIT_AUTO, false, false, "{}", false};

#define FFFD "\xef\xbf\xbd"

static const struct xcase option_cases[] = {
    /* units for numbers bound for date/time columns */
    {"epoch-s", &DATETIME, I(1700000000), O_STR(EPOCH_S, 0, "2023-11-14 22:13:20")},
    {"epoch-ms into (3)", &DATETIME3, I(1700000000123LL),
     O_STR(EPOCH_MS, 0, "2023-11-14 22:13:20.123")},
    {"epoch-ms into (0) rounds down", &DATETIME, I(1700000000123LL),
     O_STR(EPOCH_MS, 0, "2023-11-14 22:13:20")},
    {"epoch-ms into (0) rounds half up", &DATETIME, I(1700000000500LL),
     O_STR(EPOCH_MS, 0, "2023-11-14 22:13:21")},
    {"epoch-ms 0", &DATETIME3, I(0), O_STR(EPOCH_MS, 0, "1970-01-01 00:00:00.000")},
    {"epoch-ms -1", &DATETIME3, I(-1), O_STR(EPOCH_MS, 0, "1969-12-31 23:59:59.999")},
    {"epoch-ms REAL with fraction", &DATETIME6, R(1700000000123.5),
     O_STR(EPOCH_MS, 0, "2023-11-14 22:13:20.123500")},
    {"epoch-ms last millisecond of 9999", &DATETIME3, I(253402300799999LL),
     O_STR(EPOCH_MS, 0, "9999-12-31 23:59:59.999")},
    {"epoch-ms past 9999", &DATETIME3, I(253402300800000LL), O_REJ(EPOCH_MS, "out of range")},
    {"epoch-ms int64 max", &DATETIME3, I(INT64_MAX), O_REJ(EPOCH_MS, "out of range")},
    {"epoch-ms one day into DATE", &DATE, I(86400000), O_STR(EPOCH_MS, 0, "1970-01-02")},
    {"epoch-ms one day + 1 ms into DATE", &DATE, I(86400001), O_REJ(EPOCH_MS, "time of day")},
    {"epoch-us into (6)", &DATETIME6, I(1700000000123456LL),
     O_STR(EPOCH_US, 0, "2023-11-14 22:13:20.123456")},
    {"epoch-us into (3) rounds", &DATETIME3, I(1700000000123456LL),
     O_STR(EPOCH_US, 0, "2023-11-14 22:13:20.123")},
    {"epoch-us into (0) rounds up", &DATETIME, I(1700000000999999LL),
     O_STR(EPOCH_US, 0, "2023-11-14 22:13:21")},
    {"epoch-us -1", &DATETIME6, I(-1), O_STR(EPOCH_US, 0, "1969-12-31 23:59:59.999999")},
    {"epoch-us, text is still ISO", &DATETIME, T("2024-01-31"),
     O_STR(EPOCH_US, 0, "2024-01-31 00:00:00")},
    {"julian 2440587.5 is the epoch", &DATETIME, R(2440587.5),
     O_STR(JULIAN, 0, "1970-01-01 00:00:00")},
    {"julian INTEGER 2440588 is noon", &DATETIME, I(2440588),
     O_STR(JULIAN, 0, "1970-01-01 12:00:00")},
    {"julian 2460000.5", &DATETIME, R(2460000.5), O_STR(JULIAN, 0, "2023-02-25 00:00:00")},
    {"julian J2000", &DATETIME, R(2451545.0), O_STR(JULIAN, 0, "2000-01-01 12:00:00")},
    {"julian quarter day", &DATETIME, R(2460310.25), O_STR(JULIAN, 0, "2023-12-31 18:00:00")},
    {"julian year 1", &DATETIME, R(1721425.5), O_STR(JULIAN, 0, "0001-01-01 00:00:00")},
    {"julian plus one second", &DATETIME6, R(2460000.5 + 1 / 86400.),
     O_STR(JULIAN, 0, "2023-02-25 00:00:01.000000")},
    {"julian into DATE", &DATE, R(2460000.5), O_STR(JULIAN, 0, "2023-02-25")},
    {"julian 0 is before year 1", &DATETIME, R(0.0), O_REJ(JULIAN, "out of range")},
    {"julian 1e300", &DATETIME, R(1e300), O_REJ(JULIAN, "Julian day out of range")},
    {"julian NaN", &DATETIME, R(NAN), O_REJ(JULIAN, "Infinity/NaN")},
    {"iso8601 rejects INTEGER", &DATETIME, I(1700000000), O_REJ(ISO_ONLY, "iso8601")},
    {"iso8601 rejects REAL", &DATETIME, R(1.5), O_REJ(ISO_ONLY, "iso8601")},
    {"iso8601 takes text", &DATETIME, T("2024-01-31T10:00:00Z"),
     O_STR(ISO_ONLY, 0, "2024-01-31 10:00:00")},
    {"text unit: INTEGER is its text, not an epoch", &DATETIME, I(1700000000),
     O_REJ(AS_TEXT, "ISO-8601")},
    {"text unit: 20240131 is not ISO", &DATE, I(20240131), O_REJ(AS_TEXT, "ISO-8601")},
    {"text unit: INTEGER into varchar", &VARCHAR255, I(42), O_STR(AS_TEXT, 0, "42")},
    {"text unit: REAL into varchar", &VARCHAR255, R(1.5), O_STR(AS_TEXT, 0, "1.5")},
    {"text unit: INTEGER into int", &INT, I(42), O_NUM(AS_TEXT, "42")},
    {"text unit: INTEGER into year", &YEAR, I(2024), O_NUM(AS_TEXT, "2024")},
    {"text unit: NaN", &VARCHAR255, R(NAN), O_REJ(AS_TEXT, "Infinity/NaN")},
    /* zero / invalid / out-of-range dates to NULL */
    {"zero date without the option", &DATETIME_NULL, T("0000-00-00"), REJ("zero date")},
    {"zero date with time without the option", &DATETIME_NULL, T("0000-00-00 00:00:00"),
     REJ("zero date")},
    {"zero date -> NULL", &DATETIME_NULL, T("0000-00-00"), O_NULL(ZERO_NULL)},
    {"zero datetime -> NULL", &DATETIME_NULL, T("0000-00-00 00:00:00"), O_NULL(ZERO_NULL)},
    {"zero date into DATE -> NULL", &DATE_NULL, T("0000-00-00"), O_NULL(ZERO_NULL)},
    {"invalid day -> NULL", &DATETIME_NULL, T("2023-02-30"), O_NULL(ZERO_NULL)},
    {"zero month and day -> NULL", &DATETIME_NULL, T("2024-00-00"), O_NULL(ZERO_NULL)},
    {"year 0 -> NULL", &DATETIME_NULL, T("0000-01-01"), O_NULL(ZERO_NULL)},
    {"epoch past 9999 -> NULL", &DATETIME_NULL, I(253402300800LL), O_NULL(ZERO_NULL)},
    {"timestamp 0 -> NULL", &TIMESTAMP_NULL, I(0), O_NULL(ZERO_NULL)},
    {"timestamp past 2038 -> NULL", &TIMESTAMP_NULL, T("2038-01-19T03:14:08Z"), O_NULL(ZERO_NULL)},
    {"valid date is kept", &DATETIME_NULL, T("2024-01-31"),
     O_STR(ZERO_NULL, 0, "2024-01-31 00:00:00")},
    {"valid datetime(3) is kept", &DATETIME3_NULL, T("2024-01-31 10:00:00.5"),
     O_STR(ZERO_NULL, 0, "2024-01-31 10:00:00.500")},
    {"zero date into NOT NULL is still rejected", &DATETIME, T("0000-00-00"),
     O_REJ(ZERO_NULL, "zero date")},
    {"garbage is still rejected", &DATETIME_NULL, T("garbage"), O_REJ(ZERO_NULL, "ISO-8601")},
    {"bad time of day is still rejected", &DATETIME_NULL, T("2024-01-31T25:00:00"),
     O_REJ(ZERO_NULL, "time of day")},
    {"DATE with a time of day is still rejected", &DATE_NULL, T("2024-01-31T10:00:00Z"),
     O_REJ(ZERO_NULL, "time of day")},
    {"zero date followed by garbage is not a zero date", &DATETIME_NULL, T("0000-00-00garbage"),
     O_REJ(ZERO_NULL, "")},
    {"zero date with bad time is not a zero date", &DATETIME_NULL, T("0000-00-00T99:99:99"),
     O_REJ(ZERO_NULL, "")},
    /* invalid UTF-8 replaced by U+FFFD */
    {"replace overlong", &VARCHAR255,
     T("a\xc0\x80"
       "b"),
     O_STR(REPLACE, XFORM_F_REPLACED, "a" FFFD "b")},
    {"replace two FF", &VARCHAR255, T("\xff\xff"), O_STR(REPLACE, XFORM_F_REPLACED, FFFD FFFD)},
    {"replace truncated sequence", &VARCHAR255, T("x\xe2\x82"),
     O_STR(REPLACE, XFORM_F_REPLACED, "x" FFFD)},
    {"replace surrogate", &VARCHAR255, T("\xed\xa0\x80"), O_STR(REPLACE, XFORM_F_REPLACED, FFFD)},
    {"replace truncated 4-byte before a valid one", &VARCHAR255, T("\xf0\x9f\x98\xf0\x9f\x98\x80"),
     O_STR(REPLACE, XFORM_F_REPLACED, FFFD "\xf0\x9f\x98\x80")},
    {"replace keeps NUL and valid text", &VARCHAR255, T("\0\xc3\xa9\xff"),
     O_STR(REPLACE, XFORM_F_REPLACED, "\0\xc3\xa9" FFFD)},
    {"valid text is untouched, no flag", &VARCHAR255, T("ok"), O_STR(REPLACE, 0, "ok")},
    {"replacement fits varchar(5)", &VARCHAR5, T("abc\xff"),
     O_STR(REPLACE, XFORM_F_REPLACED, "abc" FFFD)},
    {"replacement too long for varchar(5)", &VARCHAR5, T("abcd\xff\xff"),
     O_REJ(REPLACE, "too long")},
    {"replacement in utf8mb3", &VARCHAR10_MB3, T("\xff"), O_STR(REPLACE, XFORM_F_REPLACED, FFFD)},
    {"replacement is not an enum member", &ENUM, T("a\xff"), O_REJ(REPLACE, "not a member")},
    {"BLOB is not replaced", &VARCHAR255, B("\xff"), O_REJ(REPLACE, "UTF-8")},
    /* text that is not UTF-8 read as Windows-1252 (Latin-1's superset) */
    {"cp1252 umlaut", &VARCHAR255, T("Vorr\xe4tige"),
     O_STR(CP1252, XFORM_F_CP1252, "Vorr\xc3\xa4tige")},
    {"cp1252 inverted exclamation", &VARCHAR255,
     T("\xa1"
       "a"),
     O_STR(CP1252, XFORM_F_CP1252,
           "\xc2\xa1"
           "a")},
    {"cp1252 euro sign and quotes", &VARCHAR255, T("\x80 \x93q\x94"),
     O_STR(CP1252, XFORM_F_CP1252, "\xe2\x82\xac \xe2\x80\x9cq\xe2\x80\x9d")},
    {"cp1252 undefined byte keeps its C1 control", &VARCHAR255, T("\x81\x8d\x8f\x90\x9d"),
     O_STR(CP1252, XFORM_F_CP1252, "\xc2\x81\xc2\x8d\xc2\x8f\xc2\x90\xc2\x9d")},
    {"cp1252 y with diaeresis (0xff)", &VARCHAR255, T("\xff"),
     O_STR(CP1252, XFORM_F_CP1252, "\xc3\xbf")},
    {"cp1252 a broken UTF-8 sequence is read byte by byte", &VARCHAR255, T("\xc3("),
     O_STR(CP1252, XFORM_F_CP1252, "\xc3\x83(")},
    {"cp1252 leaves valid UTF-8 alone", &VARCHAR255, T("\xc3\xa4"), O_STR(CP1252, 0, "\xc3\xa4")},
    {"cp1252 decoded text too long for varchar(5)", &VARCHAR5, T("abcd\xe4\xe4"),
     O_REJ(CP1252, "too long")},
    {"cp1252 decodes text, not a BLOB", &VARCHAR255, B("\xe4"), O_REJ(CP1252, "UTF-8")},
    {"JSON is not replaced", &JSON, T("\"\xff\""), O_REJ(REPLACE, "UTF")},
    /* NULL defaults */
    {"NULL default 0 into NOT NULL int", &INT, NUL_SRC, O_NUM(DFLT_0, "0")},
    {"NULL default 0 into nullable int", &INT_NULL, NUL_SRC, O_NUM(DFLT_0, "0")},
    {"NULL default 0 into year", &YEAR, NUL_SRC, O_NUM(DFLT_0, "0000")},
    {"non-NULL value ignores the default", &INT, I(5), O_NUM(DFLT_0, "5")},
    {"NULL default empty string", &TEXT, NUL_SRC, O_STR(DFLT_EMPTY, 0, "")},
    {"NULL default date", &DATETIME, NUL_SRC, O_STR(DFLT_DATE, 0, "1970-01-01 00:00:00")},
    {"NULL default {} into JSON", &JSON, NUL_SRC, O_STR(DFLT_JSON, 0, "{}")},
    {"NULL default that does not convert", &INT, NUL_SRC, O_REJ(DFLT_BAD, "canonical")},
};

Test(xform, options)
{
    RUN(option_cases);
}

/* ---- out of memory ---------------------------------------------------------- */

Test(xform, full_arena_or_reason_buffer_gives_minus_one)
{
    struct schema_column c;
    col_init(&c, &TEXT);
    struct buf arena, why;
    buf_init(&arena, 4);
    buf_init(&why, 0);
    struct xform_val out;
    struct xform_src big = {.type = SQLITE_TEXT, .p = (const unsigned char *)"hello", .n = 5};
    cr_expect_eq(xform_value(&c, &big, &arena, &out, &why), -1, "arena capped at 4 bytes");
    struct xform_src fits = {.type = SQLITE_TEXT, .p = (const unsigned char *)"hey", .n = 3};
    buf_free(&arena);
    buf_init(&arena, 4);
    cr_expect_eq(xform_value(&c, &fits, &arena, &out, &why), 0, "3 bytes fit a 4-byte arena");
    cr_expect(out.kind == XFORM_STR && out.off == 0 && out.len == 3 &&
              memcmp(arena.data, "hey", 3) == 0);
    buf_free(&arena);
    buf_free(&why);
    /* a rejection whose reason does not fit */
    buf_init(&arena, 0);
    buf_init(&why, 3);
    struct xform_src bad = {.type = SQLITE_TEXT, .p = (const unsigned char *)"\xff", .n = 1};
    cr_expect_eq(xform_value(&c, &bad, &arena, &out, &why), -1, "reason buffer capped at 3");
    cr_expect_eq(arena.len, 0);
    buf_free(&arena);
    buf_free(&why);
    schema_column_free(&c);
}

/* Successive conversions append to the same arena; earlier values stay put. */
Test(xform, arena_accumulates)
{
    struct schema_column c;
    col_init(&c, &VARCHAR255);
    struct buf arena, why;
    buf_init(&arena, 0);
    buf_init(&why, 0);
    struct xform_val a, b, n;
    struct xform_src s1 = {.type = SQLITE_TEXT, .p = (const unsigned char *)"one", .n = 3};
    struct xform_src s2 = {.type = SQLITE_INTEGER, .i = 22};
    struct xform_src bad = {.type = SQLITE_TEXT, .p = (const unsigned char *)"\xc0\x80", .n = 2};
    cr_assert_eq(xform_value(&c, &s1, &arena, &a, &why), 0);
    cr_assert_eq(xform_value(&c, &bad, &arena, &n, &why), 1);
    cr_assert_eq(xform_value(&c, &s2, &arena, &b, &why), 0);
    cr_expect(a.off == 0 && a.len == 3 && b.off == 3 && b.len == 2);
    cr_expect(arena.len == 5 && memcmp(arena.data, "one22", 5) == 0);
    buf_free(&arena);
    buf_free(&why);
    schema_column_free(&c);
}

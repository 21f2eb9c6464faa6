/* test_xform: the transformer's entry points (src/xform.c): ENUM / SET, BIT,
 * NULL handling, unsupported types, xform_convert()'s per-column options
 * (epoch-s/ms/us, julian-day, iso8601 and text units, zero dates to NULL,
 * U+FFFD replacement and Windows-1252 with their flags, NULL defaults), out of
 * memory and arena accumulation. The value families have their own files
 * (test_xform_num/text/json/time.c); the harness is xform_cases.h. */
#include "xform_cases.h"

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
    buf_init(&why, BUF_CAP_ROW);
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
    buf_init(&arena, BUF_CAP_ROW);
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
    buf_init(&arena, BUF_CAP_ROW);
    buf_init(&why, BUF_CAP_ROW);
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

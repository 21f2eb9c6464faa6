/* test_xform_text: text and binary columns (src/xform_text.c): byte
 * exactness, UTF-8 validation, length limits in characters and bytes,
 * utf8mb3, CHAR padding, binary exactness over all 256 byte values. */
#include "xform_cases.h"

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

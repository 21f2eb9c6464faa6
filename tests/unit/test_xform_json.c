/* test_xform_json: JSON columns (src/xform_json.c): RFC 8259 validity, byte
 * exactness, large and deeply nested values. */
#include "xform_cases.h"

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

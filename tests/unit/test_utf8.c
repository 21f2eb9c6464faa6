/* test_utf8: the UTF-8 helpers of src/utf8.h: utf8_count() (code points of
 * ASCII, 2/3/4-byte characters and stray bytes), utf8_replace_invalid()
 * (each bad sequence becomes one U+FFFD, valid text untouched) and
 * utf8_from_cp1252() (every one of the 256 bytes decodes to the Windows-1252
 * character, the five undefined ones to C1 controls, the result is valid
 * UTF-8). */
#include <criterion/criterion.h>
#include <string.h>

#include "utf8.h"
#include "val.h"

#define FFFD "\xef\xbf\xbd"

Test(utf8, count)
{
    static const struct {
        const char *s;
        size_t chars;
    } v[] = {
        {"", 0},
        {"acme", 4},
        {"caf\xc3\xa9", 4},              /* é */
        {"\xe2\x82\xac 5", 3},           /* € */
        {"\xf0\x9f\x98\x80!", 2},        /* emoji */
        {"\xe6\x97\xa5\xe6\x9c\xac", 2}, /* two CJK */
        {"a\x80\x80\x62", 2},            /* stray continuation bytes start nothing */
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        cr_expect_eq(utf8_count(v[i].s), v[i].chars, "utf8_count #%zu = %zu", i,
                     utf8_count(v[i].s));
}

static void expect_replaced(const char *in, size_t n, const char *want, size_t nwant)
{
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    cr_assert_eq(utf8_replace_invalid(&b, (const unsigned char *)in, n), 0);
    cr_expect(b.len == nwant && (nwant == 0 || memcmp(b.data, want, b.len) == 0),
              "replacing %zu bytes gave %zu bytes, expected %zu", n, b.len, nwant);
    cr_expect_eq(val_utf8_check((const unsigned char *)b.data, b.len, NULL, NULL), b.len);
    buf_free(&b);
}

/* Literal in and expected out, NUL bytes included. */
#define REPLACED(in, want) expect_replaced(in, sizeof(in) - 1, want, sizeof(want) - 1)

Test(utf8, replace_invalid)
{
    REPLACED("", "");
    REPLACED("plain", "plain");
    REPLACED("caf\xc3\xa9", "caf\xc3\xa9");
    REPLACED("a\xff\x62", "a" FFFD "b");
    REPLACED("\xc3", FFFD);             /* cut 2-byte sequence */
    REPLACED("\xe2\x82", FFFD);         /* cut 3-byte sequence, one U+FFFD */
    REPLACED("\xc0\x80x", FFFD "x");    /* overlong NUL */
    REPLACED("\xed\xa0\x80", FFFD);     /* surrogate */
    REPLACED("\xf4\x90\x80\x80", FFFD); /* above U+10FFFF */
    REPLACED("\xff\xfe", FFFD FFFD);    /* two bad lead bytes */
    REPLACED("x\0y\xff", "x\0y" FFFD);  /* NUL kept */
}

Test(utf8, replace_invalid_out_of_memory)
{
    struct buf b;
    buf_init(&b, 4);
    cr_expect_eq(utf8_replace_invalid(&b, (const unsigned char *)"ab\xff", 3), -1);
    buf_free(&b);
}

Test(utf8, cp1252_all_bytes)
{
    /* the 32 bytes 0x80..0x9F; 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined */
    static const unsigned short c1[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
    for (unsigned byte = 0; byte < 256; byte++) {
        unsigned char in = (unsigned char)byte;
        struct buf b;
        buf_init(&b, BUF_CAP_ROW);
        cr_assert_eq(utf8_from_cp1252(&b, &in, 1), 0);
        size_t chars = 0;
        cr_expect_eq(val_utf8_check((const unsigned char *)b.data, b.len, &chars, NULL), b.len,
                     "byte 0x%02X gives invalid UTF-8", byte);
        cr_expect_eq(chars, 1, "byte 0x%02X gives %zu characters", byte, chars);
        const unsigned char *u = (const unsigned char *)b.data;
        unsigned cp = b.len == 1   ? u[0]
                      : b.len == 2 ? (u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu)
                                   : (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
        unsigned want = byte >= 0x80 && byte < 0xA0 ? c1[byte - 0x80] : byte;
        cr_expect_eq(cp, want, "byte 0x%02X decodes to U+%04X, expected U+%04X", byte, cp, want);
        buf_free(&b);
    }
}

Test(utf8, cp1252_text)
{
    static const char in[] = "caf\xe9 \x80\x35", want[] = "caf\xc3\xa9 \xe2\x82\xac\x35";
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    cr_assert_eq(utf8_from_cp1252(&b, (const unsigned char *)in, sizeof in - 1), 0);
    cr_expect(b.len == sizeof want - 1 && memcmp(b.data, want, b.len) == 0);
    buf_free(&b);
}

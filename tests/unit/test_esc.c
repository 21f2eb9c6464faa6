/* test_esc: src/esc.h. esc_bytes on controls (C0, DEL, C1), invalid UTF-8
 * and valid multibyte text, with and without ESC_KEEP_LINES; ESC_PARTIAL
 * leaving an incomplete sequence unconsumed; esc_show returning its argument
 * when clean and cutting long names; esc_in_place; an esc_stream joining a
 * UTF-8 sequence split over two writes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "esc.h"

static void expect_esc(const char *in, unsigned flags, const char *want)
{
    char out[256];
    size_t done;
    size_t n = esc_bytes(out, (const unsigned char *)in, strlen(in), flags, &done);
    out[n] = '\0';
    cr_expect_str_eq(out, want);
    cr_expect_eq(done, strlen(in));
}

Test(esc, bytes)
{
    expect_esc("plain caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 a\\b", 0,
               "plain caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 a\\b");
    expect_esc("a\nb\tc\rd\x1b[31m\x7f", 0, "a\\nb\\tc\\rd\\x1b[31m\\x7f");
    expect_esc("a\nb\tc\rd", ESC_KEEP_LINES, "a\nb\tc\\rd");
    expect_esc("caf\xe9!", 0, "caf\\xe9!");
    expect_esc("\xc2\x85next", 0, "\\xc2\\x85next"); /* C1 NEL */
    expect_esc("\xc2\xa0nbsp", 0, "\xc2\xa0nbsp");
    expect_esc("\xed\xa0\x80", 0, "\\xed\\xa0\\x80"); /* a surrogate */
    expect_esc("\xe2\x82", 0, "\\xe2\\x82");          /* cut off, not partial */
}

Test(esc, partial_leaves_an_incomplete_sequence)
{
    char out[64];
    size_t done;
    size_t n = esc_bytes(out, (const unsigned char *)"ab\xe2\x82", 4, ESC_PARTIAL, &done);
    cr_expect_eq(n, 2);
    cr_expect_eq(done, 2);
    n = esc_bytes(out, (const unsigned char *)"ab\xff", 3, ESC_PARTIAL, &done);
    out[n] = '\0';
    cr_expect_str_eq(out, "ab\\xff");
    cr_expect_eq(done, 3);
}

Test(esc, show_and_in_place)
{
    const char *clean = "acme \xc3\xa9";
    cr_expect_eq(esc_show(clean), clean);
    cr_expect_str_eq(esc_show("a\nb"), "a\\nb");
    cr_expect_str_eq(esc_show(NULL), "(null)");
    char longname[5001];
    memset(longname, '\x01', 5000);
    longname[5000] = '\0';
    const char *s = esc_show(longname);
    cr_expect_eq(strlen(s), 4000 * 4 + 3);
    cr_expect_str_eq(s + strlen(s) - 3, "...");
    char msg[16] = "x\ny\x1bz";
    esc_in_place(msg, sizeof msg, 0);
    cr_expect_str_eq(msg, "x\\ny\\x1bz");
    char lines[16] = "x\ny\x1bz";
    esc_in_place(lines, sizeof lines, ESC_KEEP_LINES);
    cr_expect_str_eq(lines, "x\ny\\x1bz");
    char small[8] = "\x01\x02\x03";
    esc_in_place(small, sizeof small, 0);
    cr_expect_str_eq(small, "\\x01\\x0");
}

Test(esc, stream_joins_a_split_sequence)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    FILE *f = esc_stream(fds[1]);
    cr_assert(f != NULL);
    setvbuf(f, NULL, _IONBF, 0); /* every fputs is one write */
    fputs("caf\xc3", f);
    fputs("\xa9\x1b\n", f);
    fputs("bad \xff\n", f);
    cr_assert_eq(fclose(f), 0);
    close(fds[1]);
    char got[64] = {0};
    cr_assert(read(fds[0], got, sizeof got - 1) > 0);
    close(fds[0]);
    cr_expect_str_eq(got, "caf\xc3\xa9\\x1b\nbad \\xff\n");
}

/* test_writer_load: writer_load_encode_row, the LOAD DATA row encoder, table
 * by table: values separated by tabs, a newline after the row, NULL as \N and
 * an empty value as nothing (the two stay apart), a text "\N" escaped so that
 * it is not read as NULL; backslash, tab, newline, carriage return and NUL
 * escaped as \\ \t \n \r \0, alone and mixed; every other byte as it is
 * (control characters, Ctrl-Z, quotes, high bytes, invalid UTF-8, UTF-8 text);
 * all 256 byte values in one value against a byte-by-byte oracle; one row of
 * a batch of several, appended after what the buffer already holds. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "buf.h"
#include "writer.h"

#define MAXCOLS 4

/* A value: p == NULL is SQL NULL; n bytes (NULs included). */
struct v {
    const char *p;
    size_t n;
};

#define V(s)                                                                                       \
    {                                                                                              \
        s, sizeof(s) - 1                                                                           \
    }
#define NUL_V                                                                                      \
    {                                                                                              \
        NULL, 0                                                                                    \
    }

struct row_case {
    const char *name;
    size_t ncols;
    struct v vals[MAXCOLS];
    const char *want;
    size_t want_len;
};

#define RC(name, ncols, want, ...)                                                                 \
    {                                                                                              \
        name, ncols, {__VA_ARGS__}, want, sizeof(want) - 1                                         \
    }

static const struct row_case cases[] = {
    RC("one plain value", 1, "abc\n", V("abc")),
    RC("plain values", 3, "a\tbc\tdef\n", V("a"), V("bc"), V("def")),
    RC("NULL alone", 1, "\\N\n", NUL_V),
    RC("NULL between values", 3, "a\t\\N\tb\n", V("a"), NUL_V, V("b")),
    RC("NULL at both ends", 3, "\\N\tx\t\\N\n", NUL_V, V("x"), NUL_V),
    RC("empty value", 1, "\n", V("")),
    RC("empty values and NULL apart", 3, "\t\\N\t\n", V(""), NUL_V, V("")),
    RC("text backslash-N is not NULL", 1, "\\\\N\n", V("\\N")),
    RC("backslash", 1, "\\\\\n", V("\\")),
    RC("tab", 1, "\\t\n", V("\t")),
    RC("newline", 1, "\\n\n", V("\n")),
    RC("carriage return", 1, "\\r\n", V("\r")),
    RC("NUL byte", 1, "\\0\n", V("\0")),
    RC("NUL bytes inside", 1, "a\\0b\\0\\0c\n", V("a\0b\0\0c")),
    RC("every escape mixed", 2, "a\\\\b\\tc\\nd\\re\\0f\tx\\r\\n\n", V("a\\b\tc\nd\re\0f"),
       V("x\r\n")),
    RC("doubled backslashes", 1, "\\\\\\\\\\\\t\n", V("\\\\\\t")),
    RC("control bytes as they are", 1, "\x01\x07\x08\x0b\x0c\x1a\x1b\x7f\n",
       V("\x01\x07\x08\x0b\x0c\x1a\x1b\x7f")),
    RC("quotes and SQL specials as they are", 1, "'\"`,;%_()\n", V("'\"`,;%_()")),
    RC("high bytes and invalid UTF-8 as they are", 1, "\x80\xc3\x28\xfe\xff\n",
       V("\x80\xc3\x28\xfe\xff")),
    RC("UTF-8 text as it is", 2, "\xc3\xa9t\xc3\xa9\t\xe2\x82\xac \xf0\x9f\x98\x80\n",
       V("\xc3\xa9t\xc3\xa9"), V("\xe2\x82\xac \xf0\x9f\x98\x80")),
    RC("four columns", 4, "1\t\\N\t\\t\t\\\\\n", V("1"), NUL_V, V("\t"), V("\\")),
};

/* Appends a row of values to b as the pipeline does: bytes into the arena,
 * values into batch_row, then batch_push. */
static void push(struct batch *b, const struct v *vals)
{
    struct xform_val *row = batch_row(b, b->nrows);
    for (size_t c = 0; c < b->ncols; c++) {
        if (vals[c].p == NULL) {
            row[c] = (struct xform_val){XFORM_NULL, b->arena.len, 0};
            continue;
        }
        row[c] = (struct xform_val){XFORM_STR, b->arena.len, vals[c].n};
        cr_assert_eq(buf_append(&b->arena, vals[c].p, vals[c].n), 0);
    }
    batch_push(b);
}

static void expect_bytes(const struct buf *got, const char *want, size_t want_len, const char *name)
{
    cr_expect_eq(got->len, want_len, "%s: %zu bytes, want %zu", name, got->len, want_len);
    cr_expect(got->len == want_len && memcmp(got->data, want, want_len) == 0,
              "%s: encoded bytes differ", name);
}

Test(writer_load, encodes_each_case)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct row_case *c = &cases[i];
        struct batch b;
        struct buf out;
        cr_assert_eq(batch_init(&b, c->ncols, 1), 0);
        buf_init(&out, BUF_CAP_ROW);
        push(&b, c->vals);
        cr_expect_eq(writer_load_encode_row(&out, &b, 0), 0, "%s", c->name);
        expect_bytes(&out, c->want, c->want_len, c->name);
        buf_free(&out);
        batch_free(&b);
    }
}

Test(writer_load, every_byte_value)
{
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    struct batch b;
    struct buf out, want;
    cr_assert_eq(batch_init(&b, 1, 1), 0);
    buf_init(&out, BUF_CAP_ROW);
    buf_init(&want, BUF_CAP_ROW);
    push(&b, (struct v[]){{all, sizeof all}});
    for (int i = 0; i < 256; i++) {
        const char *esc = i == '\\'   ? "\\\\"
                          : i == '\t' ? "\\t"
                          : i == '\n' ? "\\n"
                          : i == '\r' ? "\\r"
                          : i == 0    ? "\\0"
                                      : NULL;
        cr_assert_eq(esc ? buf_puts(&want, esc) : buf_putc(&want, (char)i), 0);
    }
    cr_assert_eq(buf_putc(&want, '\n'), 0);
    cr_assert_eq(writer_load_encode_row(&out, &b, 0), 0);
    expect_bytes(&out, want.data, want.len, "all 256 bytes");
    cr_expect_eq(want.len, 256 + 5 + 1, "five bytes escaped, one newline");
    buf_free(&out);
    buf_free(&want);
    batch_free(&b);
}

Test(writer_load, one_row_of_several_appended)
{
    struct batch b;
    struct buf out;
    cr_assert_eq(batch_init(&b, 2, 3), 0);
    buf_init(&out, BUF_CAP_ROW);
    push(&b, (struct v[]){V("first"), NUL_V});
    push(&b, (struct v[]){V("se\tcond"), V("")});
    push(&b, (struct v[]){NUL_V, V("third")});
    cr_assert_eq(buf_puts(&out, "before|"), 0);
    cr_expect_eq(writer_load_encode_row(&out, &b, 1), 0);
    expect_bytes(&out, "before|se\\tcond\t\n", strlen("before|se\\tcond\t\n"), "row 1");
    cr_expect_eq(writer_load_encode_row(&out, &b, 2), 0);
    cr_expect_eq(writer_load_encode_row(&out, &b, 0), 0);
    const char *all = "before|se\\tcond\t\n\\N\tthird\nfirst\t\\N\n";
    expect_bytes(&out, all, strlen(all), "rows 1, 2, 0");
    buf_free(&out);
    batch_free(&b);
}

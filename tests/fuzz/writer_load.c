/* fuzz target writer_load: the LOAD DATA row encoder (writer_load_encode_row,
 * src/writer_load.c). Oracle: unescape(escape(row)) == row, with the
 * unescaper written here from the documented format (writer.h): values
 * separated by tabs, the row ended by a newline, \N for NULL, and \\ \t \n \r
 * \0 for backslash, tab, newline, carriage return and NUL. */
#include "fuzz.h"

#include "batch.h"
#include "writer.h"

/* Decodes one value at e[*at..) up to a tab or the newline into out; returns
 * 1 for NULL, 0 for a value, -1 when the text breaks the format. */
static int unescape_value(const char *e, size_t n, size_t *at, struct buf *out)
{
    size_t i = *at;
    if (i + 2 <= n && e[i] == '\\' && e[i + 1] == 'N' &&
        (i + 2 == n || e[i + 2] == '\t' || e[i + 2] == '\n')) {
        *at = i + 2;
        return 1;
    }
    for (; i < n && e[i] != '\t' && e[i] != '\n'; i++) {
        char ch = e[i];
        if (ch == '\\') {
            const char *k = ++i < n ? strchr("\\tnr0", e[i]) : NULL;
            if (k == NULL || e[i] == '\0')
                return -1;
            ch = "\\\t\n\r"[k - "\\tnr0"];
        }
        FUZZ_CHECK(buf_putc(out, ch) == 0, "out of memory");
    }
    *at = i;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    size_t ncols = fuzz_byte(&in) % 8 + 1;
    struct batch b;
    FUZZ_CHECK(batch_init(&b, ncols, 1) == 0, "batch_init");
    struct xform_val *row = batch_row(&b, 0);
    for (size_t c = 0; c < ncols; c++) {
        unsigned len = fuzz_byte(&in);
        if (len == 255) {
            row[c] = (struct xform_val){XFORM_NULL, b.arena.len, 0};
            continue;
        }
        size_t k = c + 1 == ncols || len > in.n ? in.n : len;
        row[c] = (struct xform_val){XFORM_STR, b.arena.len, k};
        FUZZ_CHECK(buf_append(&b.arena, in.p, k) == 0, "out of memory");
        in.p += k;
        in.n -= k;
    }
    b.nrows = 1;
    struct buf enc, val;
    buf_init(&enc, BUF_CAP_ROW);
    buf_init(&val, BUF_CAP_ROW);
    FUZZ_CHECK(writer_load_encode_row(&enc, &b, 0) == 0, "encode failed");
    FUZZ_CHECK(enc.len > 0 && enc.data[enc.len - 1] == '\n' &&
                   memchr(enc.data, '\n', enc.len) == enc.data + enc.len - 1,
               "the row is not one line");
    size_t at = 0;
    for (size_t c = 0; c < ncols; c++) {
        buf_reset(&val);
        int rc = unescape_value(enc.data, enc.len, &at, &val);
        FUZZ_CHECK(rc >= 0, "column %zu does not decode", c);
        FUZZ_CHECK(rc == (row[c].kind == XFORM_NULL), "column %zu: NULL changed", c);
        FUZZ_CHECK(rc == 1 ||
                       (val.len == row[c].len &&
                        (val.len == 0 || memcmp(val.data, batch_bytes(&b, &row[c]), val.len) == 0)),
                   "column %zu decodes to other bytes", c);
        FUZZ_CHECK(enc.data[at] == (c + 1 == ncols ? '\n' : '\t'), "column %zu: bad separator", c);
        at++;
    }
    FUZZ_CHECK(at == enc.len, "bytes after the row");
    buf_free(&enc);
    buf_free(&val);
    batch_free(&b);
    return 0;
}

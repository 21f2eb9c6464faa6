/* fuzz_escape: the LOAD DATA writer's escaper (val_escape_text) and the
 * output escaper (esc_bytes) on any bytes; oracles: unescape(escape(x)) == x,
 * and esc_bytes gives valid UTF-8 without control characters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "esc.h"
#include "val.h"

/* The reading side of LOAD DATA's escapes: \\ \t \n \r \0. */
static size_t unescape(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            out[o++] = s[i];
            continue;
        }
        char c = s[++i];
        out[o++] = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == '0' ? '\0' : c;
    }
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    if (val_escape_text(&b, data, n) == 0) {
        char *back = malloc(b.len + 1);
        if (back == NULL || unescape(b.data ? b.data : "", b.len, back) != n ||
            (n > 0 && memcmp(back, data, n) != 0))
            abort();
        free(back);
    }
    buf_free(&b);
    char *out = malloc(4 * n + 1);
    if (out == NULL)
        return 0;
    size_t len = esc_bytes(out, data, n, 0, NULL), chars;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7F)
            abort();
    if (val_utf8_check((const unsigned char *)out, len, &chars, NULL) != len)
        abort();
    free(out);
    return 0;
}

/* fuzz_utf8: the UTF-8 validator, the U+FFFD repair and the Windows-1252
 * decoder on any bytes; oracles: valid input is left as it is by the repair,
 * and what the repair and the decoder give is valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"
#include "val.h"

static void expect_valid(const struct buf *b)
{
    size_t chars;
    if (val_utf8_check((const unsigned char *)b->data, b->len, &chars, NULL) != b->len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    size_t chars;
    size_t ok = val_utf8_check(data, n, &chars, NULL);
    if (ok > n)
        abort();
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    if (utf8_replace_invalid(&b, data, n) == 0) {
        expect_valid(&b);
        if (ok == n && (b.len != n || (n > 0 && memcmp(b.data, data, n) != 0)))
            abort();
    }
    buf_reset(&b);
    if (utf8_from_cp1252(&b, data, n) == 0)
        expect_valid(&b);
    buf_free(&b);
    return 0;
}

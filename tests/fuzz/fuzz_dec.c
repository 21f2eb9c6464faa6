/* fuzz_dec: number parsing (dec_parse) and its plain rendering on any bytes;
 * oracle: what dec_plain prints parses back to the same number. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    struct dec d, back;
    if (dec_parse((const char *)data, n, &d) != 0)
        return 0;
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    if (dec_plain(&d, &b) == 0) {
        if (dec_parse(b.data, b.len, &back) != 0 || back.neg != d.neg || back.nd != d.nd ||
            (d.nd > 0 &&
             (back.exp10 != d.exp10 || memcmp(back.digits, d.digits, (size_t)d.nd) != 0)))
            abort();
    }
    buf_free(&b);
    return 0;
}

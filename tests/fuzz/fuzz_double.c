/* fuzz_double: val_double, the shortest-decimal printer, on any 8 bytes as a
 * double; oracle: the printed decimal reads back (strtod) as the same double,
 * bit for bit (NaN excepted). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "val.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    double d;
    if (n != sizeof d)
        return 0;
    memcpy(&d, data, sizeof d);
    char out[VAL_DOUBLE_MAX];
    size_t len = val_double(d, out);
    if (len >= VAL_DOUBLE_MAX || out[len] != '\0')
        abort();
    if (isnan(d) || isinf(d))
        return 0;
    double back = strtod(out, NULL);
    if (memcmp(&back, &d, sizeof d) != 0)
        abort();
    return 0;
}

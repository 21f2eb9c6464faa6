/* fuzz_mapping: the mapping-file parser (mapping_load) on any file contents
 * (no crash, no leak, a clear error or a mapping). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mapping.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    static char path[64];
    if (path[0] == '\0')
        snprintf(path, sizeof path, "/tmp/litelift-fuzz-mapping.%d", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return 0;
    fwrite(data, 1, n, f);
    fclose(f);
    struct mapping m;
    struct error err;
    if (mapping_load(path, &m, &err) == 0)
        mapping_free(&m);
    unlink(path);
    return 0;
}

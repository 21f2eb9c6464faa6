/* fuzz target mapping: the mapping-file parser (mapping_load, src/mapping.c,
 * through Debian's inih). The input is the file (a memfd read through
 * /proc/self/fd). Oracles: no crash or leak; a refused file's message names
 * the file; every accepted table and column is found again by name. */
#include "fuzz.h"

#include <sys/mman.h>
#include <unistd.h>

#include "mapping.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("mapping", 0);
        FUZZ_CHECK(fd >= 0, "memfd_create");
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    FUZZ_CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == (ssize_t)size, "write");
    struct mapping m;
    struct error err;
    if (mapping_load(path, &m, &err) != 0) {
        FUZZ_CHECK(strstr(err.msg, path) != NULL, "message without the file: %s", err.msg);
        return 0;
    }
    for (size_t i = 0; i < m.ntables; i++) {
        const struct mapping_table *t = mapping_table(&m, m.tables[i].name);
        FUZZ_CHECK(t != NULL, "table %s not found", m.tables[i].name);
        for (size_t k = 0; k < m.tables[i].ncols; k++)
            FUZZ_CHECK(mapping_column(&m.tables[i], m.tables[i].cols[k].name) != NULL,
                       "column %s not found", m.tables[i].cols[k].name);
    }
    mapping_free(&m);
    return 0;
}

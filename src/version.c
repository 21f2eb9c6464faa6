/* version: what --version prints (see version.h); each library's version
 * is asked of the library itself, so it is the one loaded at run time. */
#include "version.h"

#include <yajl/yajl_version.h>
#include <zlib.h>

#include "cli.h"
#include "reader.h"
#include "target.h"

int version_print(FILE *out)
{
    int y = yajl_version();
    fprintf(out,
            "litelift %s\n"
            "libraries: SQLite %s, %s, zlib %s, yajl %d.%d.%d\n",
            LITELIFT_VERSION, reader_library_version(), target_library_version(), zlibVersion(),
            y / 10000, y / 100 % 100, y % 100);
    return ferror(out) ? -1 : 0;
}

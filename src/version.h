/* version: litelift's version and the versions of the libraries it runs
 * with (SQLite, the MySQL client library, zlib, yajl), for --version. */
#ifndef LITELIFT_VERSION_H
#define LITELIFT_VERSION_H

#include <stdio.h>

/* Writes "litelift VERSION" and a line naming each linked library with its
 * version to out. Returns 0, or -1 when out could not be written. */
int version_print(FILE *out);

#endif

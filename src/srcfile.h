/* srcfile: what litelift may open of a project's source: the file and its
 * SQLite companions (-wal, -shm, -journal) must be regular files, checked
 * without opening them (a FIFO would block open(), a device could be read for
 * ever); and the WAL-mode file in a directory litelift cannot write, which
 * SQLite cannot open normally (it must create the -shm file). */
#ifndef LITELIFT_SRCFILE_H
#define LITELIFT_SRCFILE_H

#include <stdbool.h>
#include <sys/stat.h>

#include "error.h"

/* "a FIFO", "a socket", "a character device", ... for a file type that is
 * neither a regular file nor a directory; NULL for those two. */
const char *srcfile_kind(mode_t mode);

/* Checks path (symlinks followed) and any companion path-wal, path-shm,
 * path-journal that exists with stat only: each must be a regular file (a
 * missing path passes: opening it fails with SQLite's own message).
 * Returns 0, or -1 with err naming the file and what it is ("PATH-journal is
 * a FIFO, not a regular file: not opened"). */
int srcfile_check(const char *path, struct error *err);

/* For a WAL-mode file (header bytes 18-19 = 2) whose directory litelift
 * cannot write and that has no -shm file (so SQLite cannot open it):
 * returns 1 and sets *uri to a heap "file:PATH?immutable=1" URI when the file
 * is provably not being written (no -wal file with content, no -shm: every
 * open WAL connection keeps both), or returns -1 with err explaining the case.
 * Returns 0 (uri NULL) for every other file: open it as usual. */
int srcfile_readonly_wal(const char *path, char **uri, struct error *err);

#endif

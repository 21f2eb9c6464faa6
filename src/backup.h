/* backup: renames a finished project's source file as its backup, with its
 * -wal and -shm companions under the matching names so that the backup still
 * opens with all its data. rename(2) when possible; across filesystems copy,
 * fsync, verify, then unlink. */
#ifndef LITELIFT_BACKUP_H
#define LITELIFT_BACKUP_H

#include "error.h"

/* Moves path (and path-wal, path-shm) to path+suffix (in dir instead of the
 * file's own directory when dir is not NULL), companions first so that an
 * interrupted move never leaves the main file without its WAL. A companion
 * already moved (source gone, destination present) is skipped, so a rerun
 * completes an interrupted move. Refuses to overwrite an existing backup.
 * Returns 0 or -1 with err naming the file. *done_path gets the new path of
 * the main file (heap, caller frees) when not NULL. */
int backup_rename(const char *path, const char *suffix, const char *dir, char **done_path,
                  struct error *err);

/* The backup name of path for suffix/dir (heap string, or NULL). */
char *backup_name(const char *path, const char *suffix, const char *dir);

#endif

/* backup: renames a finished project's source file as its backup, with its
 * -wal and -shm companions under the matching names so that the backup still
 * opens with all its data. */
#ifndef LITELIFT_BACKUP_H
#define LITELIFT_BACKUP_H

#include "config.h"
#include "error.h"

/* Moves path (and path-wal, path-shm) to path+suffix (in dir instead of the
 * file's own directory when dir is not NULL). First every part gets its new
 * name beside the old one (link(2); across filesystems a copy that is
 * fsynced, compared and then renamed into place), then the old names are
 * removed, the main file's first. So at every instant the data is complete
 * under one name or the other: a crash before the removals leaves the source
 * untouched (a rerun finishes the move: new names that are the same file, or
 * an identical copy, count as done), a crash after leaves a complete backup
 * (at worst with stray old -wal/-shm names beside no main file, which a call
 * for the same path removes). Parts already moved are skipped. Before
 * anything moves, refuses a backup name that is one of the project's own
 * names (NAME, NAME-wal, NAME-shm: same directory and name) and any existing
 * backup name that does not already hold the data (a hard link of the part,
 * or a regular file with the same bytes, compared): then nothing is removed.
 * Returns 0 or -1 with err naming the file. *done_path gets the new path of the main file (heap,
 * caller frees) when not NULL. */
int backup_rename(const char *path, const char *suffix, const char *dir, char **done_path,
                  struct error *err);

/* The backup name of path for suffix/dir (heap string, or NULL). */
char *backup_name(const char *path, const char *suffix, const char *dir);

/* Checks, before anything runs, that no backup name cfg's options give can
 * be a project file's name or be taken for one: refuses a --backup-suffix
 * that the names --pattern picks end in (they would all be skipped as
 * backups), one that makes NAME+suffix end in -wal, -shm or -journal, or one
 * with a '/'; a --backup-dir that is missing or not a directory, that is the
 * source directory itself (by device and inode) while the suffix is empty,
 * or that lies inside it while the suffix is empty and --recursive scans it.
 * With --no-backup-rename only the suffix/pattern check applies (the scan
 * still skips names ending in the suffix). Returns 0, or -1 with err saying
 * which option and why. */
int backup_check_options(const struct config *cfg, struct error *err);

#endif

/* scan: finds the project files of a source directory and names their projects. */
#ifndef LITELIFT_SCAN_H
#define LITELIFT_SCAN_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

struct scan_entry {
    char *path;       /* path to the file, as found under the source dir */
    char *name;       /* file name without directory (and without the backup suffix) */
    char *project_id; /* NULL when the name did not yield one (see error) */
    char *error;      /* why no project id, or NULL */
    dev_t dev;        /* the file (symlinks followed): one file is one project */
    ino_t ino;
    int rank; /* SCAN_FILE, or SCAN_SYMLINK when found through a symlink */
};

/* Ranks of the names of one file, the preferred first (SCAN_BACKUP is the
 * scan's own: a backup is never in a returned list). */
enum { SCAN_BACKUP, SCAN_FILE, SCAN_SYMLINK };

struct scan_list {
    struct scan_entry *v;
    size_t n;
    size_t nbackups; /* backups seen (and left out) */
};

/* Lists files under cfg->source_dir matching cfg->pattern (recursing when
 * cfg->recursive), skipping SQLite companions (-wal, -shm, -journal) and backups
 * (names ending in cfg->backup_suffix; with cfg->include_backups they are
 * listed under their original name), sorted by
 * path (bytewise). One file is one project: of several names of one file
 * (device and inode, symlinks followed) only the first by path is listed,
 * a real name before symlinks, and none when one of them is a backup; each
 * name left out is said on log (when not NULL), and so is a hidden name the
 * pattern matches but for its leading '.'. A matching name that must not be
 * opened (a dangling symlink, a FIFO, socket or device, itself or as a
 * companion; no read permission) is listed with its error set.
 * Each entry gets its project id (see scan_project_id).
 * Returns 0 with *out owned by the caller (scan_free), or -1 with err set when
 * the directory cannot be read or the regex does not compile. */
int scan_dir(const struct config *cfg, struct scan_list *out, FILE *log, struct error *err);

/* The absolute path of a scanned file: its directory resolved, its own name
 * kept (a symlink stays the link that is renamed), so that the progress
 * table records the path a backup rename works on. Heap string, or NULL. */
char *scan_abs_path(const char *path);

/* Whether name ends in an SQLite companion suffix (-wal, -shm, -journal). */
int scan_is_companion(const char *name);

/* Derives the project id from a file name: the first capture group of re when
 * re is not NULL, else the stem (name without its last extension). Returns a
 * heap string, or NULL with err set when re does not match or captures nothing. */
char *scan_project_id(const char *name, const regex_t *re, struct error *err);

/* Frees the list. */
void scan_free(struct scan_list *list);

#endif

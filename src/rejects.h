/* rejects: the reject files, like pgloader's reject.dat/reject.log. Every
 * rejected row is written under DIR/PROJECT/ as TABLE.rejects.tsv (its original
 * values, in the text format of LOAD DATA/COPY: tab-separated, \N for NULL,
 * \\ \t \n \r \0 escaped, every other byte as is, so nothing is lost) and
 * TABLE.rejects.log (key, column, value excerpt, reason; one line each). Files
 * of an earlier run are rotated to .1, .2, ... before the first write. */
#ifndef LITELIFT_REJECTS_H
#define LITELIFT_REJECTS_H

#include <sqlite3.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"

struct rejects {
    char *dir;
    char *project, *table; /* the open pair */
    FILE *tsv, *log;
    struct buf line;
};

/* Prepares writing under dir (created when needed on first reject). */
void rejects_init(struct rejects *rj, const char *dir);

/* Writes one rejected row: the ncols values of `row` (names in cols) to the
 * TSV, and key/column/excerpt/reason to the log. Returns 0 or -1. */
int rejects_add(struct rejects *rj, const char *project, const char *table, sqlite3_stmt *row,
                int ncols, const char *const *cols, const char *key, const char *column,
                const char *excerpt, const char *reason, struct error *err);

/* Path of the TSV of (project, table) (heap string). */
char *rejects_path(const struct rejects *rj, const char *project, const char *table,
                   const char *ext);

/* Closes the open files. */
void rejects_close(struct rejects *rj);

/* Closes and frees. */
void rejects_free(struct rejects *rj);

#endif

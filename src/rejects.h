/* rejects: the reject files, like pgloader's reject.dat/reject.log. The
 * rejects of table TABLE of project PROJECT are written under DIR/PROJECT/ as
 * TABLE.rejects.tsv (the rows' original values, in the text format of LOAD
 * DATA/COPY: tab-separated, \N for NULL, \\ \t \n \r \0 escaped, every other
 * byte as is, so nothing is lost) and TABLE.rejects.log (key, column, value
 * excerpt, reason; one line each). The files are always written whole, from
 * the rejects the target records for that table (rejects_rewrite), so they
 * hold exactly the rejects of the target's current state: new files are
 * written beside the old ones and put in place at the end, after the files of
 * an earlier run are rotated to .1, .2, ... A dry-run's files (dry set) are
 * named TABLE.rejects.dry-run.{tsv,log}: the rejects the dry-run predicts,
 * written as rows are rejected, each pair replacing the last dry-run's; a
 * real run's files of a table remove that table's dry-run pair. */
#ifndef LITELIFT_REJECTS_H
#define LITELIFT_REJECTS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "reader.h"
#include "target.h"

/* Bytes of a value shown in a reject's excerpt (val_render's max). */
#define REJECTS_EXCERPT 60

struct rejects {
    char *dir;
    bool dry;              /* the files of a dry-run (set after rejects_init) */
    const char **names;    /* the column names rejects_begin_table allocated */
    char *project, *table; /* the pair being written (rejects_begin) */
    int ncols;
    const char *const *cols;
    FILE *tsv, *log; /* its new files, open from the first row on */
    struct buf line;
};

/* Prepares writing under dir (created when needed on first reject). */
void rejects_init(struct rejects *rj, const char *dir);

/* Starts writing the reject files of (project, table), whose rows have the
 * ncols columns named cols (kept by reference until rejects_commit or
 * rejects_close). Nothing is written to disk before the first row. Returns 0
 * or -1. */
int rejects_begin(struct rejects *rj, const char *project, const char *table, int ncols,
                  const char *const *cols, struct error *err);

/* rejects_begin for table t of the open reader r, with its columns. */
int rejects_begin_table(struct rejects *rj, const char *project, const struct reader *r, size_t t,
                        struct error *err);

/* Writes one rejected row to the new files of the pair begun: the values of
 * `row` (a statement positioned on the row, its first ncols columns) to the
 * TSV, and key/column/excerpt/reason to the log. Returns 0 or -1. */
int rejects_add(struct rejects *rj, sqlite3_stmt *row, const char *key, const char *column,
                const char *excerpt, const char *reason, struct error *err);

/* Puts the new files of the pair begun in place: the files an earlier run
 * left are first rotated to the first free .N; with no row added there is no
 * new file (and no directory is created when there was none). Returns 0 or -1
 * (the earlier files are then kept or rotated, never half-written). */
int rejects_commit(struct rejects *rj, struct error *err);

/* Rewrites the reject files of table t of the open reader r for project from
 * the rejects the target records for it (in the rejects table of
 * progress_table, see ckpt_rejects.h): each recorded row is read back from the
 * snapshot by its key for its original values. Call it outside any
 * transaction. Returns 0 or -1 (err names the table). */
int rejects_rewrite(struct rejects *rj, struct target *tgt, const char *progress_table,
                    const char *project, struct reader *r, size_t t, struct error *err);

/* The directory of a project's reject files, DIR/PROJECT: the id with '/'
 * written %2F, and a leading '.' ("." and ".." too) prefixed with '_' so
 * that it stays inside DIR (heap string, or NULL when out of memory). */
char *rejects_project_dir(const struct rejects *rj, const char *project);

/* Path of the file of (project, table) with extension ext ("tsv", "log"),
 * a dry-run's when rj->dry (heap string). */
char *rejects_path(const struct rejects *rj, const char *project, const char *table,
                   const char *ext);

/* Ends the pair begun without committing: its new files are removed, the
 * files of earlier runs stay as they were. */
void rejects_close(struct rejects *rj);

/* Closes and frees. */
void rejects_free(struct rejects *rj);

#endif

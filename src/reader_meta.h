/* reader_meta: catalogue queries of an open reader beyond its tables and
 * columns (reader.h): the indexes and foreign keys SQLite declares for a
 * table, and the child rows whose foreign key has no parent row. The answers
 * are plain structs, so the schema design (ddl_*.c) never talks to SQLite. */
#ifndef LITELIFT_READER_META_H
#define LITELIFT_READER_META_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "reader.h"

/* One index of a table, as pragma_index_list/pragma_index_info tell. */
struct reader_index {
    char *name;
    bool unique;
    bool primary; /* made for the PRIMARY KEY (origin "pk") */
    bool partial; /* CREATE INDEX ... WHERE */
    size_t ncols;
    char **cols; /* in index order; NULL entries: an expression */
};

/* Reads the indexes of table t (index into r->tables), ordered by name, into
 * *out (n entries; free with reader_meta_indexes_free). Returns 0, or -1 with
 * err naming the file. */
int reader_meta_indexes(struct reader *r, size_t t, struct reader_index **out, size_t *n,
                        struct error *err);

/* Frees n indexes read by reader_meta_indexes, and the array. */
void reader_meta_indexes_free(struct reader_index *v, size_t n);

/* One foreign key of a table, as pragma_foreign_key_list tells. */
struct reader_fk {
    char *ref;      /* referenced table */
    char **cols;    /* referencing columns */
    char **refcols; /* referenced columns; NULL entries: the referenced primary key */
    size_t n;
};

/* Reads the foreign keys of table t, key by key, into *out (n entries; free
 * each with reader_meta_fk_free, then the array). Returns 0, or -1 with err
 * naming the file. */
int reader_meta_foreign_keys(struct reader *r, size_t t, struct reader_fk **out, size_t *n,
                             struct error *err);

/* Frees what fk holds and empties it. */
void reader_meta_fk_free(struct reader_fk *fk);

/* Counts the child rows of table t whose key fk has no parent row in the file
 * with the very same value: the same storage class and bytewise equal, which
 * is what a MySQL key compares once both sides have one type (SQLite's own
 * foreign_key_check applies affinities and collations, and stops at the first
 * key it cannot check). Rows with a NULL in the key are not checked (MATCH
 * SIMPLE, as in SQLite and InnoDB). Without the parent table in the file,
 * every checked row counts. Returns the count; 0 when the file cannot tell
 * (no such column). */
long long reader_meta_orphans(struct reader *r, size_t t, const struct reader_fk *fk);

/* How many rows table t holds, for the progress totals: the row count
 * sqlite_stat1 recorded at the last ANALYZE when it has the table (then
 * *estimated), else SELECT count(*) inside the snapshot. Returns the count,
 * or -1 when neither works. */
long long reader_meta_rows(struct reader *r, size_t t, bool *estimated);

/* The last id SQLite's AUTOINCREMENT handed out for table t (its row in
 * sqlite_sequence, which may be ahead of every stored id: rows were deleted);
 * 0 when the file has none. */
long long reader_meta_sequence(struct reader *r, size_t t);

/* The page count and a CRC32 of the schema (type, name and SQL of every
 * object, by name) as db's open read transaction sees them (path names the
 * file in errors). Returns 0 or -1. */
int reader_meta_schema_state(sqlite3 *db, const char *path, long long *page_count,
                             unsigned long *crc, struct error *err);

/* The same for the file at path as it is now, through a short read-only
 * connection of its own (waiting out a writer's lock). Returns 0 or -1. */
int reader_meta_schema_state_now(const char *path, long long *page_count, unsigned long *crc,
                                 struct error *err);

/* Keeps the tables whose names match one of the nonly globs (all, when nonly
 * is 0) and none of the nexcept globs (fnmatch, case-sensitive); each table
 * left out is listed as skipped ("excluded table"). Returns 0, or -1 when
 * memory ran out (the tables are selected all the same). */
int reader_meta_select(struct reader *r, const char *const *only, size_t nonly,
                       const char *const *except, size_t nexcept);

#endif

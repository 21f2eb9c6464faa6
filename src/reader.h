/* reader: reads one SQLite project file read-only from one consistent snapshot
 * (a single read transaction held from open to close, WAL content included) and
 * streams each table's rows in key order. */
#ifndef LITELIFT_READER_H
#define LITELIFT_READER_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "xform.h"

struct reader_column {
    char *name;
    char *decl_type; /* declared type, "" when none */
    int pk;          /* 1-based position in the primary key, 0 if not part of it */
    bool notnull;
    char *dflt;     /* declared default as SQL text, NULL when none */
    bool generated; /* GENERATED ALWAYS AS (...): read as the values SQLite computes */
};

struct reader_table {
    char *name;
    bool without_rowid;
    size_t ncols;
    struct reader_column *cols;
    size_t npk;        /* declared primary key columns */
    size_t *pk_cols;   /* column indexes in primary-key order */
    char *rowid_alias; /* rowid/oid/_rowid_ name usable in SQL, NULL for WITHOUT ROWID */
    bool binary_key;   /* WITHOUT ROWID, keyed under a collation only its application had:
                          read, resumed and looked up in BINARY order instead */
};

/* An object of the file that is not migrated (view, trigger, virtual table...). */
struct reader_skipped {
    char *name;
    char *kind;
    char *why; /* "not a table", or why a generated column cannot be read */
};

struct reader {
    char *path;
    sqlite3 *db;
    struct reader_table *tables;
    size_t ntables;
    struct reader_skipped *skipped;
    size_t nskipped;
    sqlite3_stmt *stmt;   /* current table scan */
    sqlite3_stmt *lookup; /* reader_lookup's row */
    const struct reader_table *cur;
};

/* Opens path read-only, starts the read transaction that every later read of
 * this reader shares, and loads the list of tables (sqlite_master minus SQLite's
 * internal sqlite_* tables; views, triggers, virtual and shadow tables go to
 * skipped). Returns 0, or -1 with err naming the file and the SQLite error; r
 * must be reader_close()d in both cases. */
int reader_open(struct reader *r, const char *path, struct error *err);

/* Runs SQLite's PRAGMA quick_check over the whole file (a full read). Returns
 * 0 when it says ok, or -1 with err naming the file and the first problem. */
int reader_check(struct reader *r, struct error *err);

/* Starts streaming table t (index into r->tables) in key order: rowid order for
 * rowid tables, primary-key order for WITHOUT ROWID tables. When after is not
 * NULL (a key from reader_key_encode), only rows strictly after that key are
 * returned. Returns 0 or -1. */
int reader_table_begin(struct reader *r, size_t t, const void *after, size_t after_len,
                       struct error *err);

/* As reader_table_begin, and when upto is not NULL (an encoded key) only
 * the rows up to that key, itself included: one key range of the table. */
int reader_table_range(struct reader *r, size_t t, const void *after, size_t after_len,
                       const void *upto, size_t upto_len, struct error *err);

/* Starts streaming table t ordered by its declared primary-key columns
 * (bytewise for text), then rowid: an order the target can reproduce with
 * ORDER BY on the same columns (checksum verification). Returns 0 or -1. */
int reader_table_begin_by_pk(struct reader *r, size_t t, struct error *err);

/* Appends the current row's key in the binary form reader_table_begin takes as
 * `after` (the checkpoint's last key; the form is described in reader_key.h,
 * which implements it). Returns 0 or -1. */
int reader_key_encode(const struct reader *r, struct buf *out);

/* Steps to the next row of the current table. Returns 1 for a row, 0 at the
 * end, -1 on a read error (err names file, table and SQLite error). */
int reader_next(struct reader *r, struct error *err);

/* Column c (index into the current table's cols) of the current row as a
 * plain value; its bytes stay valid until the next reader_next(). */
void reader_value(const struct reader *r, size_t c, struct xform_src *out);

/* Column c of row (a row this reader handed out: reader_row, reader_lookup)
 * as a plain value; its bytes stay valid until that row moves on. */
void reader_row_value(sqlite3_stmt *row, size_t c, struct xform_src *out);

/* The current row of the table scan (values at 0..ncols-1, rowid after). */
sqlite3_stmt *reader_row(const struct reader *r);

/* Appends the key of `row` (a statement of this reader positioned on a row of
 * the current table) for messages: "col=value, ..." for the declared primary
 * key, else (no key, or a NULL in a rowid table's key) "rowid=N". */
int reader_key(const struct reader *r, sqlite3_stmt *row, struct buf *out);

/* Positions a second statement on the row of table t with the encoded key
 * (from reader_key_encode) and returns it (owned by r, valid until the next
 * lookup), or NULL with err set when the row cannot be read. */
sqlite3_stmt *reader_lookup(struct reader *r, size_t t, const void *key, size_t len,
                            struct error *err);

/* Counts the rows of table t inside the snapshot. Returns the count or -1. */
long long reader_count(struct reader *r, size_t t, struct error *err);

/* Ranges of the numeric (INTEGER or REAL, as stored) values of the k
 * columns cols[] of table t in the snapshot, in one scan: n[i] values from
 * min[i] to max[i] (0 when n[i] is 0). With stop (a range stop[0] ..
 * stop[1]) not NULL, the scan ends as soon as every column has had a value
 * inside it: the figures then cover the rows read so far (each column's
 * range holds that value). Returns 0 or -1. */
int reader_numeric_ranges(struct reader *r, size_t t, const size_t *cols, size_t k,
                          const double *stop, long long *n, double *min, double *max,
                          struct error *err);

/* Lists an object (or generated column) of the file that is not migrated.
 * Returns 0 or -1 (out of memory). */
int reader_skip(struct reader *r, const char *name, const char *kind, const char *why);

/* Frees what a table entry of a reader holds. */
void reader_table_free(struct reader_table *t);

/* Sets err to "PATH: what: SQLite's message (SQLite error N)" from the
 * reader's last SQLite error; returns -1. */
int reader_error(struct reader *r, struct error *err, const char *what);

/* Ends the read transaction and frees everything. Safe on a failed open. */
void reader_close(struct reader *r);

/* The version of the SQLite library litelift runs with, e.g. "3.40.1". */
const char *reader_library_version(void);

/* Appends name as an SQLite identifier in double quotes (quotes doubled). */
int reader_quote_ident(struct buf *b, const char *name);

#endif

/* writer: the loading backends behind one operations table, as pg_dump does
 * with its archive formats. A writer loads batches of converted rows into one
 * target table at a time; each batch is one transaction. Backends:
 * writer_load.c (streaming LOAD DATA LOCAL INFILE), writer_insert.c
 * (multi-row INSERT) and writer_dryrun.c (writes nothing). */
#ifndef LITELIFT_WRITER_H
#define LITELIFT_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "batch.h"
#include "config.h"
#include "error.h"
#include "target.h"

/* What a writer loads into: the target table, the project column and value
 * that every row gets, and the target column of each batch column (bits[i]
 * set for a BIT column, whose value is a number, not bytes; convert[i] for a
 * text column in a character set other than utf8mb4/utf8mb3, whose UTF-8
 * text the server must convert). */
struct writer_table {
    const char *table;
    const char *project_column;
    const char *project_id;
    size_t ncols;
    const char *const *cols;
    const bool *bits;
    const bool *convert;
    const bool *autoinc; /* may be NULL: none */
};

struct writer;

/* Called for each row of a batch that is not loaded, with the server's
 * message (in the thread that writes the batch). */
typedef void (*writer_reject_fn)(void *ctx, const struct batch *b, size_t row, const char *msg);

struct writer_ops {
    const char *name;
    /* Prepares loading into t (valid until the next open or close). */
    int (*open)(struct writer *w, const struct writer_table *t, struct error *err);
    /* Sends the batch's rows inside the current transaction. A row the server
     * refuses (or loads only with warnings) is found by bisecting the batch,
     * left out, and handed to w->on_reject; the others are loaded. */
    int (*write_batch)(struct writer *w, const struct batch *b, struct error *err);
    /* Commits the current transaction (with whatever else the caller ran in it,
     * such as the checkpoint update). */
    int (*commit)(struct writer *w, struct error *err);
    /* Rolls back anything uncommitted and frees the backend's state. */
    void (*close)(struct writer *w);
};

struct writer {
    const struct writer_ops *ops;
    struct target *tgt;   /* NULL for the dry-run writer without a target */
    size_t max_statement; /* byte cap of a multi-row statement (--batch-bytes) */
    size_t max_packet;    /* byte cap of any statement, below max_allowed_packet */
    void *priv;
    bool in_txn;                /* a statement ran since the last COMMIT */
    writer_reject_fn on_reject; /* see writer_on_reject */
    void *reject_ctx;
};

extern const struct writer_ops writer_load_ops;
extern const struct writer_ops writer_insert_ops;
extern const struct writer_ops writer_dryrun_ops;

/* writer_load's encoding of row r of b, as the LOAD DATA statement declares
 * it (CHARACTER SET binary, fields terminated by tab, escaped by backslash,
 * lines terminated by newline): appends the row's values separated by tabs
 * and followed by a newline; NULL as \N; in a value, backslash, tab,
 * newline, carriage return and NUL as \\, \t, \n, \r and \0, and every
 * other byte as it is (an empty value stays empty, unlike NULL). Returns 0,
 * or -1 when out of memory. */
int writer_load_encode_row(struct buf *out, const struct batch *b, size_t r);

/* How a backend sends rows [a, z) of b as one statement: 0 loaded cleanly,
 * 1 refused for a row's data or loaded with warnings (then undone; msg says
 * why), -1 on any other failure (err set). */
typedef int (*writer_send_fn)(struct writer *w, const struct batch *b, size_t a, size_t z,
                              char *msg, size_t msgsize, struct error *err);

/* Sends rows [a, z) with send; a refused range is split in halves until the
 * offending rows stand alone, which go to w->on_reject; the rest is loaded.
 * Returns 0 or -1. */
int writer_bisect(struct writer *w, const struct batch *b, size_t a, size_t z, writer_send_fn send,
                  struct error *err);

/* The SQL backends' commit: COMMIT (with whatever the caller ran in the
 * transaction). Returns 0 or -1. */
int writer_sql_commit(struct writer *w, struct error *err);

/* Rolls back what the SQL backends left uncommitted (from their close). */
void writer_sql_rollback(struct writer *w);

/* Runs sql (len bytes) after a SAVEPOINT. Returns 0 when it ran cleanly, 1
 * when the server refused it for a row's data (duplicate key, CHECK, value
 * out of range...) or accepted it with warnings: it is then rolled back to
 * the savepoint and msg holds the server's words; -1 on any other failure. */
int writer_exec_checked(struct writer *w, const char *sql, size_t len, char *msg, size_t msgsize,
                        struct error *err);

/* Sets w up for method m on tgt with statements of at most stmt_bytes (further
 * capped below the server's max_allowed_packet). CONFIG_METHOD_AUTO picks
 * LOAD DATA when the server allows local_infile (and the client library
 * LOCAL INFILE), else INSERT. Returns 0 or -1. */
int writer_init(struct writer *w, enum config_method m, struct target *tgt, size_t stmt_bytes,
                struct error *err);

/* Prepares w for loading into t (valid until the next open or close).
 * Returns 0 or -1. */
int writer_open(struct writer *w, const struct writer_table *t, struct error *err);

/* Sends batch b inside the current transaction; rows the server refuses go
 * to the reject callback, the others are loaded. Returns 0 or -1. */
int writer_write(struct writer *w, const struct batch *b, struct error *err);

/* Commits the current transaction (with whatever else the caller ran in
 * it, such as the checkpoint update). Returns 0 or -1. */
int writer_commit(struct writer *w, struct error *err);

/* Rolls back anything uncommitted and frees the backend's state. */
void writer_close(struct writer *w);

/* The widest row the dry-run writer was handed since it was opened on its
 * table, measured as the INSERT backend would send it alone: *bytes the
 * whole statement (0: no row yet), *col the batch column of its widest
 * value and *col_bytes that value's bytes in it, *key (*klen bytes) the
 * row's encoded key (valid until the next write or open). */
void writer_dryrun_widest(const struct writer *w, size_t *bytes, size_t *col, size_t *col_bytes,
                          const char **key, size_t *klen);

/* Sets the callback (and its ctx) that gets each row the server refuses;
 * NULL for none. */
void writer_on_reject(struct writer *w, writer_reject_fn fn, void *ctx);

#endif

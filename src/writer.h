/* writer: the loading backends behind one operations table, as pg_dump does
 * with its archive formats. A writer loads batches of converted rows into one
 * target table at a time; each batch is one transaction. Backends:
 * writer_insert.c (multi-row INSERT) and writer_dryrun.c (writes nothing). */
#ifndef LITELIFT_WRITER_H
#define LITELIFT_WRITER_H

#include <stddef.h>

#include "batch.h"
#include "config.h"
#include "error.h"
#include "target.h"

/* What a writer loads into: the target table, the project column and value
 * that every row gets, and the target column of each batch column. */
struct writer_table {
    const char *table;
    const char *project_column;
    const char *project_id;
    size_t ncols;
    const char *const *cols;
};

struct writer;

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
    size_t max_statement; /* byte cap of one statement, below max_allowed_packet */
    void *priv;
    /* Called for each row of a batch that is not loaded, with the server's
     * message; set by the caller. */
    void (*on_reject)(void *ctx, const struct batch *b, size_t row, const char *msg);
    void *reject_ctx;
};

extern const struct writer_ops writer_insert_ops;
extern const struct writer_ops writer_dryrun_ops;

/* Sets w up for method m on tgt with statements of at most stmt_bytes (further
 * capped below the server's max_allowed_packet). Returns 0 or -1. */
int writer_init(struct writer *w, enum config_method m, struct target *tgt, size_t stmt_bytes,
                struct error *err);

#endif

/* plan: how each source table maps onto its target table: the target's
 * definition (looked up once per run), the mapping file's overrides, and the
 * per-column conversion options, including the time unit of numbers bound for
 * date/time columns, which is checked for plausibility and never guessed
 * silently. */
#ifndef LITELIFT_PLAN_H
#define LITELIFT_PLAN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "error.h"
#include "mapping.h"
#include "reader.h"
#include "schema.h"
#include "target.h"
#include "xform.h"

/* Time units decided per (file, table, column), kept from the checks before
 * any data moves to the load itself, so that the numbers are scanned once;
 * shared by the workers of a run (under mu). Entry i has key "path\ttable\t
 * column" (compared without regard to ASCII case), unit and remark; slots is
 * an open-addressing index of the keys (i + 1, 0 where empty), so that a run
 * of 10,000 projects looks each up in constant time. */
struct plan_memo {
    pthread_mutex_t mu;
    char **keys;
    enum xform_unit *units;
    char **remarks;
    size_t n, size; /* entries, entries allocated */
    size_t *slots;
    size_t nslots; /* 0 or a power of two above 2 n */
};

/* What a run's plans share: connection, options and the target tables looked
 * up so far. */
struct plan_ctx {
    struct target *tgt;
    const struct config *cfg;
    const struct mapping *map;           /* may be NULL */
    struct plan_memo *memo;              /* shared with the workers; NULL: no memo */
    struct schema_table *tables;         /* cached; name NULL = looked up, not found */
    const struct schema_table *designed; /* tables a dry-run of --schema create */
    size_t ndesigned;                    /* would make: used where the target lacks them */
    char **names;                        /* the names asked for */
    size_t n;
    bool any_engine; /* reading only (verify): a non-transactional table will do */
};

struct plan_col {
    size_t src;         /* source column index */
    struct xform_col x; /* target column + options */
};

struct plan_table {
    bool skip; /* the mapping file skips this table */
    const struct schema_table *tgt;
    size_t nmap;
    struct plan_col *cols;
    const char **tgt_names; /* target column names, batch order */
    bool *bits;             /* BIT target columns, batch order */
    bool *convert;          /* text columns in another character set, batch order */
    bool *autoinc;          /* AUTO_INCREMENT target columns, batch order */
    struct buf remarks;     /* "guessed epoch-ms for column x; ..." for the summary;
                             * buf_failed when more than BUF_CAP_LINE */
};

/* Starts / frees a memo (see struct plan_memo). */
void plan_memo_init(struct plan_memo *m);
void plan_memo_free(struct plan_memo *m);

/* Records that numbers of (file, table, column) are read in unit, with a
 * remark for the summary (schema creation decided it). Out of memory, it is
 * not recorded (the column is scanned again when met). */
void plan_memo_set(struct plan_memo *m, const char *path, const char *table, const char *column,
                   enum xform_unit unit, const char *remark);

/* Looks key ("path\ttable\tcolumn", any ASCII case) up in m (NULL: none);
 * returns 1 with *unit and *remark (NULL or a copy to free) of its first
 * record, or 0 when it has none. */
int plan_memo_get(struct plan_memo *m, const char *key, enum xform_unit *unit, char **remark);

/* Starts a plan context (no lookups yet). */
void plan_init(struct plan_ctx *ctx, struct target *tgt, const struct config *cfg,
               const struct mapping *map);

/* The target's table `name` (or, when the target lacks it, the designed one of
 * that name), or NULL with err saying it does not exist. */
const struct schema_table *plan_target(struct plan_ctx *ctx, const char *name, struct error *err);

/* Whether a target table named `name` would be litelift's own: the progress
 * table `progress_table` or one named `<progress_table>_<anything>` (its
 * rejects table and any later companion); ASCII case-insensitive, as MySQL
 * may compare table names. None is when progress_table names its schema
 * ("schema.table": the progress tables live there). Pure function. */
bool plan_reserved(const char *progress_table, const char *name);

/* The i-th target table the plans of ctx looked up, or, when the target lacks
 * it, the designed one (*designed set; may be NULL), or NULL when that name
 * named neither; *n (may be NULL) is set to how many names were looked up. */
const struct schema_table *plan_looked_up(const struct plan_ctx *ctx, size_t i, size_t *n,
                                          bool *designed);

/* Plans table t of reader r: its target table must not have a name litelift
 * reserves (plan_reserved) and its engine must be transactional (a batch that
 * fails is rolled back whole) unless ctx->any_engine, every source column (not skipped) needs a
 * target column, the project column must exist, every target NOT NULL column without
 * a default needs a source, and numbers bound for date/time columns must be
 * plausible unix seconds unless a unit is given. All problems are collected
 * in err. Returns 0 or -1; free with plan_table_free. */
int plan_table(struct plan_ctx *ctx, struct reader *r, size_t t, struct plan_table *p,
               struct error *err);

void plan_table_free(struct plan_table *p);

/* Converts the reader's current row as plan p says, every target column in
 * turn, into out[0..p->nmap) (bytes appended to arena; flags gathers the
 * XFORM_F_* of every value). The one per-row conversion, shared by loading
 * and verification. Returns 0; 1 when a value does not convert (*failed is
 * its column, why says why); -1 when out of memory. */
int plan_convert_row(const struct plan_table *p, struct reader *r, struct buf *arena,
                     struct xform_val *out, struct buf *why, unsigned *flags, size_t *failed);

/* Frees the context's cache. */
void plan_free(struct plan_ctx *ctx);

/* Whether numbers from lo to hi are plausible unix seconds: instants from
 * 1973-01-01 to 2100-01-01. Pure. */
bool plan_plausible_seconds(double lo, double hi);

/* How many of the other readings of numbers (epoch-ms, epoch-us, julian-day)
 * find every number from lo to hi a plausible instant; the last such reading
 * goes to *unit and its name (as the mapping file spells it) to *name (name
 * may be NULL). Pure. */
int plan_unit_readings(double lo, double hi, enum xform_unit *unit, const char **name);

#endif

/* ids: project ids the target can tell apart. Two ids that differ in bytes
 * but are equal under the collation of a project column (Acme/acme under a
 * _ci collation, acme/"acme " under a PAD SPACE one) would mix their rows in
 * that table; the run refuses such projects before any data moves, and
 * --restart-project refuses to delete rows that are another project's. Ids
 * travel to the server in statements bounded by bytes, whatever their number. */
#ifndef LITELIFT_IDS_H
#define LITELIFT_IDS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "plan.h"
#include "scan.h"
#include "schema.h"
#include "target.h"

/* Called for project i of the list with why it cannot load. */
typedef void (*ids_fail_fn)(void *ctx, size_t i, const char *msg);

/* Fails (through fail) every project of list whose id comes from more than
 * one file. Pure function. Returns 0, or -1 when out of memory. */
int ids_check_files(const struct scan_list *list, ids_fail_fn fail, void *ctx, struct error *err);

/* An id with its sort key under one collation (keys are equal exactly when
 * the ids are equal under it). */
struct ids_key {
    const unsigned char *weight;
    size_t wlen;
    const char *id; /* its bytes (utf8mb4) */
    size_t len;
    long origin; /* >= 0: project `origin` of the run; < 0: held by the target */
};

/* Sorts keys by weight, then id, and calls clash(ctx, run, n) for each run of
 * n equal weights that holds at least two different ids, one of them a
 * project of the run. Pure function. */
void ids_group(struct ids_key *keys, size_t n,
               void (*clash)(void *ctx, const struct ids_key *run, size_t n), void *ctx);

/* The bytes one statement carrying ids may take on connection t: well below
 * its max_allowed_packet (a quarter of it, at most 1 MiB). Pure function. */
size_t ids_statement_limit(const struct target *t);

/* Fails (through fail) every project of list whose id is equal, under the
 * project column's collation of a table the plans of plan looked up (the
 * tables the run maps to) or of the progress table, to a different id: that
 * of another project of the list, one in the progress table, or one whose
 * rows such a table holds already. The message names the ids, the tables and
 * the collation. Ids are sent in chunks of ids_statement_limit() bytes. Ends
 * with COMMIT (the reads leave no transaction open). Returns 0, or -1 with err
 * set when the server fails. */
int ids_check(struct target *t, const struct plan_ctx *plan, const char *progress_table,
              const char *project_column, const struct scan_list *list, ids_fail_fn fail, void *ctx,
              struct error *err);

/* Before --restart-project deletes project's rows from table tt: refuses,
 * returning -1 with err naming the other ids, the table and the collation,
 * when the project column's collation makes project match rows of a
 * different id (whose bytes differ), or when the table cannot roll the
 * deletion back. Returns 0 when deleting is safe. */
int ids_restart_guard(struct target *t, const struct schema_table *tt, const char *project_column,
                      const char *project, struct error *err);

#endif

/* privcheck: the privileges a migrate run needs, checked against the grants
 * of the target's user (grants.h) before anything is created or loaded, in
 * the dry-run as in the real run. Each privilege missing is listed with what
 * needs it and the GRANT that gives it:
 *   user 'u'@'%' lacks INSERT on `app`.`files` (needed to load rows);
 *   GRANT INSERT ON `app`.* TO 'u'@'%'
 * and the run stops (exit 1) with nothing written. */
#ifndef LITELIFT_PRIVCHECK_H
#define LITELIFT_PRIVCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "run.h"

/* What the run needs whatever it loads: CREATE for each progress table that
 * does not exist yet (the checkpoints, NAME_rejects and, with --schema
 * create, NAME_indexes), SELECT, INSERT, UPDATE, DELETE on them (UPDATE
 * only, of those three, on NAME_indexes), and with --no-binlog the
 * privilege to set sql_log_bin (tried: the server decides). Returns 0, or -1
 * with err listing every privilege missing. */
int privcheck_progress(struct run *run, struct error *err);

/* --schema create, when a table is to be created (missing[i] of n): CREATE,
 * ALTER and INDEX on the application schema (its plain indexes are added
 * after the data), REFERENCES with --foreign-keys. Returns 0 or -1. */
int privcheck_schema_create(struct run *run, const bool *missing, size_t n, struct error *err);

/* Each target table the run's projects map to (the tables the plans looked
 * up): INSERT to load rows, SELECT to validate them, DELETE with
 * --restart-project. Returns 0 or -1. */
int privcheck_tables(struct run *run, struct error *err);

#endif

/* schema_proof: all or nothing for --schema create. Before anything is
 * created, the server proves the design: each missing table is created as a
 * TEMPORARY table of the session (every index in it; no foreign keys, which
 * InnoDB takes on no temporary table) and dropped again, so a design the
 * server refuses (a row too large, a key too long...) is refused by name
 * with the target untouched; and when a real CREATE still fails, the tables
 * the run created before it (empty) are dropped again. */
#ifndef LITELIFT_SCHEMA_PROOF_H
#define LITELIFT_SCHEMA_PROOF_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "ddl.h"
#include "error.h"
#include "target.h"

/* Proves each table i of design s with missing[i] set on tgt's session; a
 * refusal goes to problems, one line naming the table, the server's error
 * and the statement. A user without CREATE TEMPORARY TABLES proves nothing
 * (the undo of schema_proof_create still holds). Returns 0, or -1 with err
 * set (out of memory, a lost connection). */
int schema_proof_design(struct target *tgt, const char *project_column, const struct ddl_schema *s,
                        size_t idlen, const bool *missing, struct buf *problems, struct error *err);

/* Runs sql, the CREATE TABLE of table name, and adds name to created
 * ("name\0" each: the tables this run created). When the server refuses it,
 * drops the tables in created again (they are empty yet) and fails with err
 * naming the table, the server's error, the statement and what was dropped.
 * Returns 0 or -1. */
int schema_proof_create(struct target *tgt, const char *name, const struct buf *sql,
                        struct buf *created, struct error *err);

#endif

/* schema_create: the orchestration of --schema create and of `litelift
 * schema`: the design of every project file, its fit with the tables the
 * target has, the creation of the missing ones (a dry-run only plans against
 * them), their plain indexes kept for after the data, and the time units the
 * design decided for the load. */
#ifndef LITELIFT_SCHEMA_CREATE_H
#define LITELIFT_SCHEMA_CREATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "config.h"
#include "ddl.h"
#include "error.h"
#include "mapping.h"
#include "run.h"
#include "scan.h"
#include "target.h"

/* Designs the tables of every project file (those --tables and
 * --exclude-tables keep), as the mapping file (map, may be NULL) and cfg
 * (--foreign-keys, --key-length) say; a file that cannot be read is left out
 * (said on log) and fails later in the project checks. *idlen gets the
 * longest project id. Returns the design (ddl_free), or NULL with err set. */
struct ddl_schema *schema_create_design(FILE *log, const struct scan_list *list,
                                        const struct config *cfg, const struct mapping *map,
                                        size_t *idlen, struct error *err);

/* Compares design s with the target behind tgt: every table the target has
 * must hold the designed columns (misfits, and the design's own conflicts, go
 * to problems); missing[i] is set for each table it lacks, ours[i] (may be
 * NULL) for each it has from an earlier --schema create. Unless problems
 * holds some already, the server then proves the missing tables' design
 * (schema_proof_design: its refusals go to problems too). Returns 0 or -1. */
int schema_create_compare(struct target *tgt, const struct config *cfg, const struct ddl_schema *s,
                          size_t idlen, bool *missing, bool *ours, struct buf *problems,
                          struct error *err);

/* --schema create: designs the tables from every file, refuses (before
 * anything is created) when the design conflicts or a target table differs,
 * then creates the missing tables (a dry-run only plans against them) and
 * keeps their plain indexes in later for after the data. Returns 0 or -1. */
int schema_create_run(struct run *run, const struct scan_list *list, struct buf *later,
                      struct error *err);

#endif

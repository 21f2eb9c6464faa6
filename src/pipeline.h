/* pipeline: one migration run: scan the source directory, check every project
 * against the target schema before any data moves, then read, convert, load
 * and validate each project in turn. A failing project never stops the others. */
#ifndef LITELIFT_PIPELINE_H
#define LITELIFT_PIPELINE_H

#include <stdio.h>

#include "config.h"
#include "error.h"
#include "report.h"

/* Runs `migrate` for cfg, recording per-project results in rep. Returns 0 when
 * the run went through (projects may still have failed: see report_status), or
 * -1 with err set when it could not start (bad URL, unreadable directory,
 * unreachable target). */
int pipeline_migrate(const struct config *cfg, struct report *rep, struct error *err);

/* Runs `verify` for cfg: for each project file (backups included when
 * cfg->include_backups), compares every table with the target: counts, and
 * with cfg->verify_checksum a CRC32 of every converted row. Differences are
 * recorded as project failures in rep. Returns 0, or -1 when it could not
 * start. */
int pipeline_verify(const struct config *cfg, struct report *rep, struct error *err);

/* Runs `schema`: designs the multi-tenant tables of every project file and
 * writes the CREATE TABLE statements that `migrate --schema create` would run
 * to out. Returns 0, or -1 with err holding the files' conflicts. */
int pipeline_schema(const struct config *cfg, FILE *out, struct error *err);

#endif

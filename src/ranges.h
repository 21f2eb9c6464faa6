/* ranges: one large table loaded by several workers at once. A table of at
 * least --split-rows rows (with --jobs above 1) is cut into one key range per
 * job, balanced by row counts (reader_range.h); each range has its own
 * checkpoint row, named "TABLE [range I/K]" in the progress table, so that
 * a rerun resumes every range exactly where it stopped (the cut is read from
 * the file again: the unchanged file gives the same bounds, and the count
 * K is in the row names). The run's spare --jobs slots (see struct shared)
 * start helper threads, each with its own connection and snapshot, that
 * take ranges along with the project's own worker, and so do the workers
 * that run out of projects meanwhile (ranges_help). Once every range is
 * loaded, the table's own row records the ranges' totals as loaded, and the
 * table is validated as a whole (load_table). */
#ifndef LITELIFT_RANGES_H
#define LITELIFT_RANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "ckpt.h"

#include "error.h"
#include "retry.h"
#include "run.h"

/* Loads table t of p->r as retry_load_table does, in key ranges when the
 * table is large enough or was cut by an earlier run. Returns 0, 1 when
 * interrupted, -1 with err set. */
int ranges_load_table(struct run *run, struct retry_project *p, size_t t, struct error *err);

/* Called by a worker that has no project left: until no project is being
 * loaded, waits for tables loaded in ranges and joins each (once) that has
 * a range left, taking ranges with its own connection (run). */
void ranges_help(struct run *run);

/* Whether cp (a project's checkpoints) records rows of table loaded in
 * ranges: a range row begun. */
bool ranges_begun(const struct ckpt_project *cp, const char *table);

#endif

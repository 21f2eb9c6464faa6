/* adopt: --adopt ID takes the rows a target table holds for project ID
 * without a checkpoint as a complete earlier load of the same file (one
 * loaded by another tool, or by a run whose progress table was lost): each
 * such table's rows are counted against the source and, when they agree,
 * recorded as loaded under the project's claim; the usual validation (and
 * with --verify checksum the checksums) follows, and nothing is loaded. */
#ifndef LITELIFT_ADOPT_H
#define LITELIFT_ADOPT_H

#include <stdbool.h>

#include "ckpt.h"
#include "error.h"
#include "reader.h"
#include "report.h"
#include "run.h"

/* Whether table checkpoint crow (NULL: none) of project is to be adopted:
 * --adopt names the project and the checkpoint records no load. */
bool adopt_wanted(const struct run *run, const char *project, const struct ckpt_row *crow);

/* Adopts table t of r (target table `table`) for project: its rows in the
 * target must be as many as the source's; then, unless in a dry-run, the
 * checkpoint (at *pos, which advances) records them as loaded and commits.
 * Fills rt. Returns 0, or -1 with err naming the table and the counts. */
int adopt_table(struct run *run, struct reader *r, size_t t, const char *table, const char *project,
                struct ckpt_pos *pos, struct report_table *rt, struct error *err);

#endif

/* preflight: what a run checks against the target before any data moves,
 * beyond the schema (check.c), and what the dry-run checks as it converts,
 * so that the dry-run fails where the real run would: how rows will travel
 * (LOAD DATA LOCAL INFILE needs local_infile on the server and in the client
 * library), whether the widest row fits max_allowed_packet when they travel
 * as INSERT statements, and rows that a project has in the target without a
 * checkpoint (a load the progress table does not know: loading again would
 * add them twice). */
#ifndef LITELIFT_PREFLIGHT_H
#define LITELIFT_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "plan.h"
#include "reader.h"
#include "report.h"
#include "run.h"
#include "scan.h"
#include "writer.h"

/* Whether id is one of v[0..n) (the ids of --restart-project, --adopt). */
bool preflight_listed(const char *const *v, size_t n, const char *id);

/* The method the real run will use: --method load needs LOAD DATA LOCAL
 * INFILE allowed by the server (@@local_infile) and by the client library;
 * with auto, a dry-run says on the log which method the real run will use
 * and why. Returns 0, or -1 with err listing every problem. */
int preflight_method(struct run *run, struct error *err);

/* For each project of list not failed yet (rps[i] is project i's report):
 * every target table it maps to whose checkpoint is missing or pending
 * with nothing loaded must hold no row of the project, unless the project
 * is to be restarted or adopted (--restart-project, --adopt); a project
 * with such rows fails, naming the tables, the counts and both remedies.
 * Returns 0, or -1 with err when the target cannot be read. */
int preflight_unrecorded(struct run *run, const struct scan_list *list, struct report_project *rps,
                         struct error *err);

/* After a dry-run converted table t of r (planned as p) through the dry-run
 * writer w: when the real run sends rows as INSERT statements, its widest
 * row must fit the server's and the client's max_allowed_packet (less the
 * 4 KiB the INSERT writer keeps for the protocol). Returns 0, or -1 with err
 * naming the table, the row's key, its widest column, the sizes and the
 * fix. */
int preflight_packet(struct run *run, struct reader *r, size_t t, const struct plan_table *p,
                     const struct writer *w, struct error *err);

#endif

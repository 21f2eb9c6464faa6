/* ckpt_failures: why a project failed, kept in the target table
 * "<progress table>_failures" (one row per project: the last failure, with
 * its file and time), so that `litelift status` can show failed projects
 * with their reason after the run that failed them has ended. A migrate run
 * records its failed projects at its end and forgets the failures of the
 * projects it loaded. */
#ifndef LITELIFT_CKPT_FAILURES_H
#define LITELIFT_CKPT_FAILURES_H

#include <stddef.h>

#include "error.h"
#include "report.h"
#include "scan.h"
#include "target.h"
#include "url.h"

/* A recorded failure. */
struct ckpt_failure {
    char *project, *source_file, *reason;
    char *failed_at; /* UTC, "YYYY-MM-DD HH:MM:SS.ffffff" */
};

/* On a connection of its own to u (the run's may have idled out), records
 * the failure of every failed project of rep that has an id (replacing an
 * earlier one; its file's absolute path from the run's list when there)
 * and deletes the recorded failures of the others, creating the table when
 * missing. Returns 0 or -1. */
int ckpt_failures_save(const struct url *u, const char *table, const struct report *rep,
                       const struct scan_list *list, struct error *err);

/* Loads every recorded failure (none when the table is missing) into *out
 * (*n entries, ordered by project; free with ckpt_failures_free). Returns 0
 * or -1. */
int ckpt_failures_load(struct target *t, const char *table, struct ckpt_failure **out, size_t *n,
                       struct error *err);

void ckpt_failures_free(struct ckpt_failure *v, size_t n);

#endif

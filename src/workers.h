/* workers: phase 2 of migrate: the projects that passed the checks are
 * loaded by a pool of threads, each with its own connection, taking the next
 * project from the shared list until none is left or the run stops. */
#ifndef LITELIFT_WORKERS_H
#define LITELIFT_WORKERS_H

#include <stddef.h>

#include "error.h"
#include "run.h"
#include "scan.h"

/* Loads the checked projects of list (report projects from first on) with
 * cfg->jobs workers (0: one per core); main's own run is the only worker
 * when there is one job, or the target is unreachable. Returns 0, or -1 when
 * a worker could not start (the others still finish their projects). */
int workers_load_all(struct run *main, const struct scan_list *list, size_t first,
                     struct error *err);

#endif

/* progress_totals: the rows each project holds, for the progress display's
 * totals, found in the pre-flight while its file is open: sqlite_stat1's
 * counts when the file has them, else a count of every table; plus what the
 * progress table says earlier runs loaded of it. */
#ifndef LITELIFT_PROGRESS_TOTALS_H
#define LITELIFT_PROGRESS_TOTALS_H

#include <stddef.h>

#include "reader.h"
#include "run.h"
#include "scan.h"

/* Tells the display (when one is shown) how many rows project `project` of
 * the run's list (e, open in r) holds and how many earlier runs loaded or
 * rejected; nothing counted is an error (a table that cannot be counted
 * counts 0, and the total follows what is read). */
void progress_totals_project(struct run *run, struct reader *r, size_t project,
                             const struct scan_entry *e);

#endif

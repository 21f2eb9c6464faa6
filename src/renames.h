/* renames: completes the backup renames that an earlier run recorded as
 * begun (the project row in state renaming, with the backup's path) but did
 * not record as done: the run lost its connection or was killed after the
 * file moved, or between the removal of the file's old names (which leaves
 * stale -wal/-shm names beside no main file). The file is no longer scanned,
 * so only the progress table tells that the move is unfinished. */
#ifndef LITELIFT_RENAMES_H
#define LITELIFT_RENAMES_H

#include "claim.h"
#include "config.h"
#include "error.h"
#include "report.h"
#include "target.h"

/* For every begun rename of a source in cfg->source_dir (below it with
 * --recursive) whose main file is gone (or is the backup's other name):
 * claims the project, finishes the
 * move with the backup options that named its backup (removing old
 * companion names only where the backup holds the same data) and records
 * it renamed. A rename the current options would name differently, or that
 * cannot be finished, fails its project in rep; the others go on. Returns 0,
 * or -1 when the progress table cannot be read. */
int renames_complete(struct target *t, const struct config *cfg, const struct claim_owner *me,
                     struct report *rep, struct error *err);

#endif

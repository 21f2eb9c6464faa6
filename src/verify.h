/* verify: checks the target against the source after a load. */
#ifndef LITELIFT_VERIFY_H
#define LITELIFT_VERIFY_H

#include "error.h"
#include "target.h"

/* Counts the rows of `table` whose project column equals project_id (bound as
 * an escaped literal). Returns 0 with *count, or -1 with err set. */
int verify_count(struct target *t, const char *table, const char *project_column,
                 const char *project_id, long long *count, struct error *err);

#endif

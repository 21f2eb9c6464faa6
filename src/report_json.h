/* report_json: the run report of `--report FILE.json` for migrate and
 * verify: the run's id, the versions involved, start and end, the options
 * (never a password), the connection, every project and table with its
 * counts, checks, renamed file, failure and reject files, the totals and the
 * exit status (field names in README, "Run report"). */
#ifndef LITELIFT_REPORT_JSON_H
#define LITELIFT_REPORT_JSON_H

#include "config.h"
#include "error.h"
#include "report.h"

/* Writes the report of the run rep of command ("migrate", "verify") with
 * options cfg to path (through PATH.tmp, renamed into place, so a reader
 * never sees half a report), ending the run's clock (report_end). failure
 * is the message of an error that stopped the run, or NULL; status is the
 * exit status litelift ends with. Returns 0, or -1 with err naming path. */
int report_json_write(const char *path, const struct config *cfg, const char *command,
                      struct report *rep, int status, const char *failure, struct error *err);

#endif

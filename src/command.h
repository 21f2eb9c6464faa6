/* command: migrate and verify as the command line runs them: SIGINT and
 * SIGTERM stop the run at a batch boundary (the first acknowledged at once;
 * a statement still waiting for the server is cancelled a little later by
 * target_watch; a second SIGINT aborts), --log-file keeps the full detail,
 * the summary goes to stdout, --report writes the JSON report, and the
 * report decides the exit status. */
#ifndef LITELIFT_COMMAND_H
#define LITELIFT_COMMAND_H

#include "cli.h"
#include "config.h"
#include "error.h"

/* Runs cmd (CLI_MIGRATE or CLI_VERIFY) as configured by cfg (whose stop
 * flag it sets) and returns the exit status (enum report_exit; 1 with the
 * error said on stderr when the run could not start or the log file could
 * not be opened). err holds the error of a run that failed. */
int command_run(struct config *cfg, enum cli_command cmd, struct error *err);

#endif

/* status: the `status` command: what the progress table of the target says
 * about every project and table. */
#ifndef LITELIFT_STATUS_H
#define LITELIFT_STATUS_H

#include <stdio.h>

#include "config.h"
#include "error.h"

/* Connects to cfg->target_url and prints the progress table
 * cfg->progress_table to out (or that there is none yet). Returns 0, or -1
 * with err set (bad URL, unreachable server, failed query). */
int status_print(const struct config *cfg, FILE *out, struct error *err);

#endif

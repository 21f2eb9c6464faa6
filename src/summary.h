/* summary: the end of a run as the operator reads it: what each project and
 * table did (as much detail as the run's size allows), where the reject
 * files are, what was skipped, when the run started and ended, the exit
 * status's meaning and the next step. */
#ifndef LITELIFT_SUMMARY_H
#define LITELIFT_SUMMARY_H

#include <stdio.h>

#include "report.h"

/* Prints the summary of r to out, in r->summary's detail (CONFIG_SUMMARY_AUTO:
 * every table up to SUMMARY_FULL_MAX projects, one line per project up to
 * SUMMARY_PROJECTS_MAX, else totals; in every mode the tables and projects
 * that need attention have their own lines). Returns 0, or -1 when out could
 * not be written. */
int summary_print(const struct report *r, FILE *out);

#define SUMMARY_FULL_MAX 10
#define SUMMARY_PROJECTS_MAX 50

#endif

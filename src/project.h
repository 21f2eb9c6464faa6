/* project: one project of a migrate run, from claim to backup: checkpoints
 * (claim, --restart-project, unchanged source, table registration), its
 * tables loaded in turn, the optional checksum comparison, then the backup
 * rename and the final state; a failure rolls back and releases the claim. */
#ifndef LITELIFT_PROJECT_H
#define LITELIFT_PROJECT_H

#include <stdbool.h>

#include "error.h"
#include "reader.h"
#include "report.h"
#include "run.h"
#include "scan.h"

/* Loads project e into the target, reporting into rp; a failure is reported
 * in rp (a lost connection stops the run, see struct shared). */
void project_load(struct run *run, const struct scan_entry *e, struct report_project *rp);

/* Compares every table of the open reader with the target: counts, and with
 * cfg->verify_checksum the CRC32 of every converted row (verify_checksum).
 * Rows recorded as rejected are not expected in the target. With record,
 * each table gets a report line. Returns 0 when all agree, -1 with err naming
 * each differing table and its first differing key. */
int project_compare(struct run *run, struct reader *r, struct report_project *rp, bool record,
                    struct error *err);

/* Whether a project file that could not be opened is gone because another
 * run migrated it (and renamed it as its backup) since the scan; then rp's
 * outcome says so. */
bool project_finished_elsewhere(struct run *run, const struct scan_entry *e,
                                struct report_project *rp);

#endif

/* check: the pre-flight of a migrate run, before any data moves: every
 * project file is opened (SQLite's quick_check) and every table planned
 * against the target; project ids must be told apart by every collation
 * they meet; --restart-project must name a project. */
#ifndef LITELIFT_CHECK_H
#define LITELIFT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "reader.h"
#include "run.h"
#include "scan.h"

/* Opens the project's file (running SQLite's quick_check first when
 * integrity is set), checks that its id fits the project column and plans
 * every table; on success r stays open (reader_close it in any case).
 * Returns 0, or -1 with err naming every problem. */
int check_project(struct run *run, const struct scan_entry *e, bool integrity, struct reader *r,
                  struct error *err);

/* Phase 1 of migrate: adds a report project for each file of list (the
 * first at *first) and checks them all, failing in the report the projects
 * that cannot load. Returns 0, or -1 with err when the run cannot go on. */
int check_projects(struct run *run, const struct scan_list *list, size_t *first, struct error *err);

#endif

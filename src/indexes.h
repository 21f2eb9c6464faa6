/* indexes: the plain indexes of the tables `--schema create` makes, built
 * after the data. They are recorded in the target (table
 * "<progress table>_indexes": table, index, the ALTER statement, when built)
 * as the tables are made, so that every later migrate run builds those still
 * missing from a table of litelift's own, even when no project file is left
 * to scan; the builds run on a connection of their own, since the run's main
 * one may have idled past the server's wait_timeout during a long load. */
#ifndef LITELIFT_INDEXES_H
#define LITELIFT_INDEXES_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "target.h"
#include "url.h"

/* Whether table `name` of the target carries schema creation's comment
 * (DDL_MARK), i.e. litelift made it. Returns 1, 0 or -1. */
int indexes_table_ours(struct target *t, const char *name, struct error *err);

/* Records the deferred indexes in later ("table\0index\0statement\0" triples,
 * as ddl_table's defer callback hands them) in "<progress_table>_indexes",
 * created when missing (nothing is created when later is empty); an index
 * recorded before gets the new statement. Commits. Returns 0 or -1. */
int indexes_record(struct target *t, const char *progress_table, const struct buf *later,
                   struct error *err);

/* On a new connection to u (sql_log_bin = 0 with no_binlog), builds every
 * recorded index that its table still lacks when litelift made that table
 * (its comment says so; a table of the user's own is never touched), marks
 * it built and says so on log; with dry_run only says what it would build.
 * Nothing happens when nothing is recorded. Returns 0 or -1. */
int indexes_build(const struct url *u, const char *progress_table, bool dry_run, bool no_binlog,
                  FILE *log, struct error *err);

#endif

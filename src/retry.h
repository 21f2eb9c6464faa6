/* retry: a table's load (or a project's claim before it) retried inside the same run after a
 * transient failure (a lost or killed connection, a server restart, a deadlock, a lock wait
 * timeout, a Galera conflict: target_transient says which). What can be rolled back is, the
 * worker's connection, writer and sender are rebuilt on a fresh connection after a wait that
 * doubles (--retries, --retry-wait), the project's claim must still be this run's, the outcome of a
 * COMMIT cut off is read from the table's checkpoint row (never guessed), and the table goes on
 * from its checkpoint through load_table's resume path. */
#ifndef LITELIFT_RETRY_H
#define LITELIFT_RETRY_H

#include <stddef.h>

#include "ckpt.h"
#include "config.h"
#include "error.h"
#include "load.h"
#include "reader.h"
#include "report.h"
#include "run.h"
#include "sender.h"
#include "writer.h"

/* What the tables of one project are loaded with: rebuilt by a retry. */
struct retry_project {
    struct reader *r;
    struct writer *w;   /* open (writer_init) on the run's connection */
    struct sender *snd; /* started */
    struct report_project *rp;
    struct ckpt_project *cp;   /* the project's checkpoints, read anew by a retry */
    enum config_method method; /* w's, for writer_init */
};

/* What a table's checkpoint row says of a COMMIT that was under way when
 * the connection failed (st: where this run last committed the row, and
 * where that COMMIT would have left it). */
enum retry_commit {
    RETRY_NOT_COMMITTED, /* the row is where this run last committed it */
    RETRY_COMMITTED,     /* the row is where the COMMIT under way left it */
    RETRY_MOVED          /* neither (or no row): another run moved it */
};

/* Reads row (the table's checkpoint position as the target holds it now,
 * NULL when it has no row) against st. With no COMMIT under way (pending
 * equal to done) the row must be at done. */
enum retry_commit retry_commit_outcome(const struct load_state *st, const struct ckpt_pos *row);

/* Loads table t of p->r as load_table does; a transient failure is retried
 * up to run->cfg->retries times in a row (the count starts over once a batch
 * commits), each retry said on the log with its reason and wait and counted
 * in the report. A checkpoint that is neither where this run left it nor
 * where its interrupted COMMIT would have, or a claim no longer this run's,
 * fails the table. Returns 0, 1 when interrupted, -1 (err set, from the last
 * failure when the retries are spent; w and snd may then be closed). */
int retry_load_table(struct run *run, struct retry_project *p, size_t t, struct error *err);

/* After a project's claim and checkpoints could not be read or written
 * (before any of its data moved): when that failure is transient and
 * *used is below --retries, says and counts the retry, waits, and replaces
 * the run's connection by a fresh one with the run's session (through the
 * next node of a node list first), so that the step may be done again from
 * its start. Returns 0 then, 1 when the run is to stop meanwhile, -1 when
 * the failure stands (err: the last one). */
int retry_before_load(struct run *run, struct report_project *rp, size_t *used, struct error *err);

#endif

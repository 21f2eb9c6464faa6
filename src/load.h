/* load: one table of one project into the target: read from the snapshot,
 * convert, batch, send (the sender thread loads one batch while the next is
 * read), record rejects, then rewrite the reject files and validate the
 * target's count against the source. */
#ifndef LITELIFT_LOAD_H
#define LITELIFT_LOAD_H

#include <stddef.h>

#include "ckpt.h"
#include "error.h"
#include "reader.h"
#include "report.h"
#include "run.h"
#include "sender.h"
#include "writer.h"

/* A table's load as the caller (and its retries) see it: the table's line
 * in the report, and where its checkpoint row stands: as this run last
 * committed it (done), and as the COMMIT under way would leave it (pending;
 * equal to done when none is). Zero it before the first load_table. */
struct load_state {
    struct report_table *rt; /* NULL: load_table adds the table to the report */
    struct ckpt_pos done, pending;
    const struct load_range *range; /* NULL: the whole table */
};

/* One key range of a table loaded on its own (ranges.h): the rows after
 * `after` (NULL: from the start) up to `upto` included (NULL: to the end),
 * checkpointed in the progress row `name`; the table is neither adopted nor
 * validated by the range's load. */
struct load_range {
    const char *name;
    const struct buf *after, *upto;
};

/* Streams table t of the open reader into the target from its checkpoint
 * crow (NULL: none) on, with writer w and sender snd, reporting into rp
 * (the line st->rt, added when NULL; its seconds add up over calls), then
 * validates counts; st follows the checkpoint as batches commit. Returns 0,
 * 1 when interrupted, -1 on failure. */
int load_table(struct run *run, struct reader *r, size_t t, struct writer *w, struct sender *snd,
               struct report_project *rp, struct ckpt_row *crow, struct load_state *st,
               struct error *err);

#endif

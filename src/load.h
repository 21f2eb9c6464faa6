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

/* Streams table t of the open reader into the target from its checkpoint
 * crow (NULL: none) on, with writer w and sender snd, reporting into rp,
 * then validates counts. Returns 0, 1 when interrupted, -1 on failure. */
int load_table(struct run *run, struct reader *r, size_t t, struct writer *w, struct sender *snd,
               struct report_project *rp, struct ckpt_row *crow, struct error *err);

#endif

/* target_why: what a failed statement waited for, said after the server's
 * error: the lock another session holds (error 1205: how long, which
 * setting, and the sessions that may hold it, from the process list), the
 * server that did not answer within --net-timeout (where), or the
 * cancelling of the statement on SIGINT/SIGTERM. */
#ifndef LITELIFT_TARGET_WHY_H
#define LITELIFT_TARGET_WHY_H

#include "buf.h"
#include "target.h"

/* Appends to b, for the last error of t, ": waited 60 s (--lock-wait-timeout)
 * for a lock another session holds (...)", ": no answer from WHERE within
 * N s (--net-timeout)" or ": cancelled on SIGINT/SIGTERM"; nothing for
 * another error. Leaves t's error as it was (it looks up lock holders over a
 * connection of its own). Returns 0, or -1 when out of memory. */
int target_why(struct target *t, struct buf *b);

#endif

/* target_watch: SIGINT/SIGTERM honoured while a statement is in flight.
 * Every open connection is known here, and each statement target.c sends
 * marks its connection as waiting until the server has answered
 * (target_watch_busy/target_watch_idle). Once the run is asked to
 * stop (target_watch_stop, safe in a signal handler), a watcher thread gives
 * every statement still in flight a short grace to end on its own, then
 * cancels it with KILL QUERY over a fresh connection of short timeouts and,
 * where that fails (the server does not answer) or the statement still does
 * not return, shuts the connection's socket down: the statement then fails at
 * once, its transaction is rolled back by the server, and the run ends
 * interrupted at the next check of its stop flag. */
#ifndef LITELIFT_TARGET_WATCH_H
#define LITELIFT_TARGET_WATCH_H

#include "buf.h"
#include "error.h"
#include "target.h"

/* Seconds a statement in flight may still take after the stop request before
 * it is cancelled (a batch that is about to commit gets to commit). */
#define TARGET_WATCH_GRACE 2.0

/* Starts the watcher thread, which cancels statements over connections to
 * url (the run's target URL; one that does not parse starts nothing, as the
 * run then fails on it anyway). Returns 0, or -1 with err set (nothing
 * started; statements are then not cancelled, only the stop flag is
 * honoured). */
int target_watch_start(const char *url, struct error *err);

/* Asks the watcher to cancel the statements in flight (after the grace).
 * Async-signal-safe: call it from the SIGINT/SIGTERM handler. Does nothing
 * when no watcher runs. */
void target_watch_stop(void);

/* Has fn(ctx) called on the watcher thread as soon as the stop request
 * arrives (to say so through stdio, which a signal handler may not use). */
void target_watch_on_stop(void (*fn)(void *ctx), void *ctx);

/* Whether a watcher thread runs (async-signal-safe). */
bool target_watch_running(void);

/* Ends the watcher thread (and waits for it); safe when none was started. */
void target_watch_end(void);

/* Adds t, just connected, to the open connections (open), or takes it out
 * before it is closed (close); target.c calls both. */
void target_watch_open(struct target *t);
void target_watch_close(struct target *t);

/* The server's ids of this process's open connections, ", "-separated,
 * appended to b (for telling them from other sessions). Returns 0 or -1. */
int target_watch_ids(struct buf *b);

/* Marks t as waiting for the server (a statement sent); target.c calls it. */
void target_watch_busy(struct target *t);

/* Marks t as no longer waiting; safe on a target that is not marked. */
void target_watch_idle(struct target *t);

/* Whether t's last statement was cancelled by the watcher. */
bool target_watch_cancelled(const struct target *t);

#endif

/* progress: the run's clock, and how far a migrate or verify run is, shown on
 * stderr while it works: on a terminal a display redrawn in place at most 10
 * times a second (overall rows, percentage, rate, ETA, a bar, one line per
 * busy worker; progress_draw.c writes its text), elsewhere a timestamped line
 * every --progress-every seconds. While it is shown, every line the run logs
 * goes through it: progress_start gives the report a log stream that clears
 * the display, writes the line and draws the display again, so that log lines
 * and the display never interleave. One display per process: every function
 * but progress_now does nothing while none is shown. Workers are told apart
 * by thread (progress_worker); all functions may be called from any thread. */
#ifndef LITELIFT_PROGRESS_H
#define LITELIFT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "error.h"
#include "report.h"

/* Seconds on a monotonic clock (for durations only). */
double progress_now(void);

/* What the run does: load rows, or compare them (verify). */
enum progress_kind { PROGRESS_MIGRATE, PROGRESS_VERIFY };

/* Starts showing progress as cfg says (--progress, --progress-every; auto is
 * the display when stderr is a terminal whose TERM is not "dumb", else the
 * plain line). *log, the report's log stream, is replaced by one through the
 * display (writing to stderr's descriptor). Returns 0, or -1 with err set
 * (nothing shown, *log unchanged); with --progress none it does nothing. */
int progress_start(const struct config *cfg, enum progress_kind kind, FILE **log,
                   struct error *err);

/* Stops showing progress: the display is cleared and *log restored. */
void progress_end(FILE **log);

/* Whether progress is shown (the totals are worth counting). */
bool progress_shown(void);

/* The calling thread is worker n (1, 2, ...); the main thread is 0. */
void progress_worker(size_t n);

/* Project `project` (its index in the run's list of files) holds about rows
 * rows (estimated: from sqlite_stat1, not counted), earlier of which earlier
 * runs loaded or rejected. Called in the pre-flight. */
void progress_expect(size_t project, long long rows, long long earlier, bool estimated);

/* The pre-flight is over: n projects follow, rps[i] being project i's report
 * (NULL: none); a project that failed already is taken out of the totals. */
void progress_begin(size_t n, const struct report_project *rps);

/* The calling thread's worker begins project `project` (id). */
void progress_project(size_t project, const char *id);

/* The calling thread's worker ends its project: what it read is then the
 * project's true size, and the total follows. */
void progress_project_done(void);

/* The calling thread's worker begins table `table`, of which earlier rows
 * were loaded by earlier runs. */
void progress_table(const char *table, long long earlier);

/* Counts n rows read by the calling thread's worker. */
void progress_count(size_t n);

/* The calling thread's worker is in a phase that moves no rows, described by
 * the printf-style fmt ("checking integrity of FILE"); NULL ends it. */
void progress_phase(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

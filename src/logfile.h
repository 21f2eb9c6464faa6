/* logfile: --log-file FILE, the run's full detail: every line the run logs
 * (on the terminal or not: each reject also under --quiet, each skipped
 * object also without --verbose, each retry, each warning), each stamped
 * with the UTC time, then the summary. One log file per process; every
 * function is a no-op while none is open, and safe from any thread. */
#ifndef LITELIFT_LOGFILE_H
#define LITELIFT_LOGFILE_H

#include <stdio.h>

#include "error.h"

/* Opens path for appending (created 0600 when missing) and writes a first
 * line naming the command. Returns 0, or -1 with err set. */
int logfile_open(const char *path, const char *command, struct error *err);

/* Adds text (n bytes, any number of lines; a line may come in pieces) to
 * the log file, each line that begins here stamped with the time. */
void logfile_write(const char *text, size_t n);

/* logfile_write of a formatted text. */
void logfile_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A stream whose writes go to inner and to the log file (the log stream of
 * a run that shows no progress); inner itself when no log file is open, or
 * when the stream cannot be made. Close it with fclose before inner. */
FILE *logfile_tee(FILE *inner);

/* Flushes and closes the log file. */
void logfile_close(void);

#endif

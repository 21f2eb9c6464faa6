/* progress: the run's clock and the progress line it says every
 * --progress-every seconds while projects load. */
#ifndef LITELIFT_PROGRESS_H
#define LITELIFT_PROGRESS_H

#include <stddef.h>

#include "run.h"

/* Seconds on a monotonic clock (for durations only). */
double progress_now(void);

/* Counts the n rows of a batch and, every --progress-every seconds, says how
 * far the run is: rows read, their rate, projects begun. Any thread. */
void progress_count(struct run *run, size_t n);

#endif

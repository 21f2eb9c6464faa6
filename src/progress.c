/* progress: the clock and the progress line (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <time.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_count(struct run *run, size_t n)
{
    struct shared *sh = run->sh;
    pthread_mutex_lock(&sh->mu);
    sh->rows += (long long)n;
    double now = progress_now();
    if (run->cfg->progress_seconds > 0 && now - sh->said >= run->cfg->progress_seconds) {
        sh->said = now;
        fprintf(run->rep->log,
                "litelift: progress: %lld rows %s in %.0f s (%.0f rows/s); project %zu of %zu "
                "under way\n",
                sh->rows, run->cfg->dry_run ? "read and converted" : "read and sent",
                now - sh->started, now > sh->started ? (double)sh->rows / (now - sh->started) : 0,
                sh->next < sh->nprojects ? sh->next : sh->nprojects, sh->nprojects);
        fflush(run->rep->log);
    }
    pthread_mutex_unlock(&sh->mu);
}

/* workers: the pool that loads the projects (see workers.h). */
#include "workers.h"

#include <stdlib.h>
#include <unistd.h>

#include "progress.h"
#include "project.h"
#include "ranges.h"

/* A phase-2 worker thread and its run. */
struct worker {
    struct run run;
    pthread_t thread;
    const struct scan_list *list;
    size_t first;       /* index of the list's first project in the report */
    struct worker *all; /* the pool: this worker's number is its place in it */
};

/* A worker with no project left: helps load large tables' ranges while
 * projects are being loaded, then gives its --jobs slot up as spare. */
static void leave(struct run *run)
{
    if (!run_stopped(run))
        ranges_help(run);
    pthread_mutex_lock(&run->sh->mu);
    run->sh->spare++;
    pthread_mutex_unlock(&run->sh->mu);
}

/* Takes the next project and loads it, until none is left or the run stops. */
static void load_loop(struct run *run, const struct scan_list *list, size_t first)
{
    for (;;) {
        pthread_mutex_lock(&run->sh->mu);
        size_t i = run->sh->next;
        bool go = !run->sh->lost && !run->sh->stopped && i < list->n;
        run->sh->next += go;
        run->sh->loading += go;
        pthread_mutex_unlock(&run->sh->mu);
        if (!go) {
            leave(run);
            break;
        }
        struct report_project *rp = &run->rep->projects[first + i];
        if (rp->error == NULL && !run_stopped(run)) {
            progress_project(i, list->v[i].project_id);
            project_load(run, &list->v[i], rp);
            progress_project_done();
        }
        pthread_mutex_lock(&run->sh->mu);
        run->sh->loading--;
        pthread_cond_broadcast(&run->sh->work); /* idle workers may stop waiting */
        pthread_mutex_unlock(&run->sh->mu);
        if (run_stopped(run))
            break;
    }
}

static void *worker_main(void *arg)
{
    struct worker *wk = arg;
    target_thread_begin();
    progress_worker((size_t)(wk - wk->all) + 1);
    load_loop(&wk->run, wk->list, wk->first);
    target_thread_end();
    return NULL;
}

int workers_load_all(struct run *main, const struct scan_list *list, size_t first,
                     struct error *err)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t jobs = main->cfg->jobs ? main->cfg->jobs : (size_t)(cores > 0 ? cores : 1);
    progress_begin(list->n, &main->rep->projects[first]);
    size_t asked = jobs;
    if (jobs > list->n)
        jobs = list->n;
    main->sh->spare = asked - (jobs > 1 ? jobs : 1); /* before any worker starts */
    if (jobs <= 1 || main->offline) {
        load_loop(main, list, first);
        return 0;
    }
    struct worker *wks = calloc(jobs, sizeof *wks);
    if (wks == NULL)
        return error_oom(err);
    size_t started = 0;
    int rc = 0;
    for (; started < jobs; started++) {
        wks[started].list = list;
        wks[started].first = first;
        wks[started].all = wks;
        if (run_clone(&wks[started].run, main, err) != 0) {
            rc = error_prefix(err, "cannot start worker %zu", started + 1);
            run_free(&wks[started].run);
            break;
        }
        if (pthread_create(&wks[started].thread, NULL, worker_main, &wks[started]) != 0) {
            rc = error_set(err, "cannot start worker %zu: no thread", started + 1);
            run_free(&wks[started].run);
            break;
        }
    }
    for (size_t i = 0; i < started; i++) {
        pthread_join(wks[i].thread, NULL);
        run_free(&wks[i].run);
    }
    free(wks);
    return rc;
}

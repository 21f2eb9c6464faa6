/* ranges: one large table in key ranges at once (see ranges.h). */
#include "ranges.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adopt.h"
#include "ckpt_range.h"
#include "claim.h"
#include "load.h"
#include "progress.h"
#include "reader_meta.h"
#include "reader_range.h"
#include "scan.h"

/* A table's load in ranges, shared by the threads that take them. */
struct ranges {
    struct run *run; /* the project's worker */
    struct retry_project *p;
    const char *table;
    size_t k;
    struct buf bounds[CKPT_RANGE_MAX]; /* k - 1: where each range but the last ends */
    char names[CKPT_RANGE_MAX][CKPT_RANGE_NAME_MAX + 1]; /* k: their checkpoint rows */
    struct report_table rts[CKPT_RANGE_MAX];             /* k: their counts in this run */
    pthread_mutex_t mu;
    pthread_cond_t left; /* signalled as a worker that joined (ranges_help) leaves */
    size_t joined;       /* workers in ranges_help on this table now */
    size_t next;         /* the next range to take */
    int rc;              /* -1 once a range failed, 1 once one was interrupted */
    struct error err;    /* the first failure */
};

/* The K of an earlier run's range rows of table in cp, or 0. */
static size_t earlier_count(const struct ckpt_project *cp, const char *table)
{
    size_t k;
    for (size_t i = 0; i < cp->n; i++)
        if (ckpt_range_of(cp->rows[i].table, table, &k))
            return k;
    return 0;
}

bool ranges_begun(const struct ckpt_project *cp, const char *table)
{
    size_t k;
    for (size_t i = 0; i < cp->n; i++)
        if (ckpt_range_of(cp->rows[i].table, table, &k) &&
            (cp->rows[i].state != CKPT_PENDING || cp->rows[i].rows_loaded != 0))
            return true;
    return false;
}

/* How many ranges a table not begun yet is cut into: one per job when it
 * holds at least --split-rows rows (*rows), else 1. Returns -1 on failure. */
static long new_count(struct run *run, struct retry_project *p, size_t t, long long *rows,
                      struct error *err)
{
    const struct config *cfg = run->cfg;
    const char *name = p->r->tables[t].name;
    const struct ckpt_row *crow = ckpt_find(p->cp, name);
    const struct mapping_table *mt = mapping_table(run->map, name);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t jobs = cfg->jobs ? cfg->jobs : (size_t)(cores > 0 ? cores : 1);
    char longest[CKPT_RANGE_NAME_MAX + 1];
    if (jobs > CKPT_RANGE_MAX)
        jobs = CKPT_RANGE_MAX;
    if (jobs < 2 || cfg->dry_run || run->offline || crow == NULL || crow->state != CKPT_PENDING ||
        (mt != NULL && mt->skip) || adopt_wanted(run, p->rp->project_id, crow) ||
        ckpt_range_name(longest, name, jobs, jobs) != 0)
        return 1;
    *rows = reader_count(p->r, t, err);
    if (*rows < 0)
        return -1;
    if (*rows < (long long)cfg->split_rows)
        return 1;
    return *rows < (long long)jobs ? (long)*rows : (long)jobs; /* a range holds a row at least */
}

/* Registers the k range rows of a table cut now, under the project's
 * claim, in one transaction, and reads the project's checkpoints anew. */
static int register_ranges(struct ranges *rg, struct error *err)
{
    struct run *run = rg->run;
    const char *pt = run->cfg->progress_table, *id = rg->p->rp->project_id;
    char *abs = scan_abs_path(rg->p->r->path);
    int rc = abs == NULL
                 ? error_oom(err)
                 : claim_renew(&run->tgt, pt, id, &run->sh->me, run->cfg->lease_seconds, err);
    for (size_t i = 0; i < rg->k && rc == 0; i++)
        rc = ckpt_register(&run->tgt, pt, id, rg->names[i], abs, &run->snap, err);
    free(abs);
    if (rc == 0)
        rc = target_commit(&run->tgt, err);
    ckpt_project_free(rg->p->cp);
    return rc == 0 ? ckpt_load(&run->tgt, pt, id, rg->p->cp, err) : -1;
}

/* Records the outcome rc (err) of one range's load: a failure is kept
 * first, then an interruption. */
static void range_done(struct ranges *rg, int rc, const struct error *err)
{
    pthread_mutex_lock(&rg->mu);
    if (rc < 0 && rg->rc >= 0)
        rg->err = *err;
    if (rc < 0 || (rc > 0 && rg->rc == 0))
        rg->rc = rc;
    pthread_mutex_unlock(&rg->mu);
}

/* Takes the next range and loads it with run's connection, reader r (in
 * which the table is t), writer w and sender snd, until none is left or one
 * failed or was interrupted. */
static void take_ranges(struct ranges *rg, struct run *run, struct reader *r, size_t t,
                        struct writer *w, struct sender *snd)
{
    for (;;) {
        bool stopped = run_stopped(run); /* sh->mu, never taken under rg->mu */
        pthread_mutex_lock(&rg->mu);
        size_t i = rg->next;
        bool go = rg->rc == 0 && i < rg->k && !stopped;
        rg->next += go;
        pthread_mutex_unlock(&rg->mu);
        if (!go)
            return;
        struct load_range range = {rg->names[i], i > 0 ? &rg->bounds[i - 1] : NULL,
                                   i + 1 < rg->k ? &rg->bounds[i] : NULL};
        struct load_state st = {.rt = &rg->rts[i], .range = &range};
        struct error err;
        int rc =
            load_table(run, r, t, w, snd, rg->p->rp, ckpt_find(rg->p->cp, rg->names[i]), &st, &err);
        range_done(rg, rc, &err);
    }
}

/* Takes ranges of rg with run's connection and a snapshot, writer and sender
 * of its own; when they cannot be opened, the ranges are left to the
 * others. */
static void help(struct ranges *rg, struct run *run)
{
    const struct config *cfg = run->cfg;
    struct reader r = {0};
    struct writer w;
    struct sender snd = {0};
    struct error err;
    bool opened = false;
    size_t t = 0;
    if (reader_open(&r, rg->p->r->path, &err) == 0 &&
        reader_meta_select(&r, cfg->tables, cfg->ntables, cfg->exclude_tables,
                           cfg->nexclude_tables) == 0) {
        while (t < r.ntables && strcmp(r.tables[t].name, rg->table) != 0)
            t++;
        opened =
            t < r.ntables && writer_init(&w, rg->p->method, &run->tgt, cfg->batch_bytes, &err) == 0;
    }
    if (opened && sender_start(&snd, &err) == 0)
        take_ranges(rg, run, &r, t, &w, &snd);
    sender_stop(&snd);
    if (opened)
        writer_close(&w);
    reader_close(&r);
}

/* A helper thread on a spare --jobs slot, with a connection of its own. */
static void *helper_main(void *arg)
{
    struct ranges *rg = arg;
    struct run hr;
    struct error err;
    target_thread_begin();
    if (run_clone(&hr, rg->run, &err) == 0)
        help(rg, &hr);
    run_free(&hr);
    target_thread_end();
    return NULL;
}

/* Waits (sh->mu held) until a table opened after generation *gen has a
 * range left, and joins it; NULL once no project is being loaded. */
static struct ranges *wait_open(struct run *run, size_t *gen)
{
    struct shared *sh = run->sh;
    for (;;) {
        struct ranges *rg = sh->open;
        bool go = false;
        if (rg != NULL && sh->open_gen != *gen) {
            pthread_mutex_lock(&rg->mu);
            go = rg->next < rg->k && rg->rc == 0;
            rg->joined += go;
            pthread_mutex_unlock(&rg->mu);
        }
        if (go) {
            *gen = sh->open_gen;
            return rg;
        }
        if (sh->loading == 0 || sh->lost || sh->stopped ||
            (run->cfg->stop != NULL && *run->cfg->stop))
            return NULL;
        pthread_cond_wait(&sh->work, &sh->mu);
    }
}

void ranges_help(struct run *run)
{
    size_t gen = 0;
    for (;;) {
        pthread_mutex_lock(&run->sh->mu);
        struct ranges *rg = wait_open(run, &gen);
        pthread_mutex_unlock(&run->sh->mu);
        if (rg == NULL)
            return;
        help(rg, run);
        pthread_mutex_lock(&rg->mu);
        rg->joined--;
        pthread_cond_signal(&rg->left);
        pthread_mutex_unlock(&rg->mu);
    }
}

/* Loads the ranges with the project's worker, up to k-1 helper threads (as
 * many as the run has spare job slots) and the workers that run out of
 * projects meanwhile (ranges_help), then waits for all of them. */
static void load_ranges(struct ranges *rg, size_t t)
{
    struct shared *sh = rg->run->sh;
    pthread_t helpers[CKPT_RANGE_MAX];
    size_t want = rg->k - 1, n = 0;
    pthread_mutex_lock(&sh->mu);
    size_t got = want < sh->spare ? want : sh->spare;
    sh->spare -= got;
    if (sh->open == NULL) {
        sh->open = rg;
        sh->open_gen++;
        pthread_cond_broadcast(&sh->work);
    }
    pthread_mutex_unlock(&sh->mu);
    while (n < got && pthread_create(&helpers[n], NULL, helper_main, rg) == 0)
        n++;
    take_ranges(rg, rg->run, rg->p->r, t, rg->p->w, rg->p->snd);
    for (size_t i = 0; i < n; i++)
        pthread_join(helpers[i], NULL);
    pthread_mutex_lock(&sh->mu);
    sh->spare += got;
    if (sh->open == rg)
        sh->open = NULL;
    pthread_mutex_unlock(&sh->mu);
    pthread_mutex_lock(&rg->mu);
    while (rg->joined > 0)
        pthread_cond_wait(&rg->left, &rg->mu);
    pthread_mutex_unlock(&rg->mu);
}

/* Once every range is loaded: the table's own row takes the ranges' totals
 * as loaded (a compare-and-set under the claim), and the table is validated
 * as a whole through retry_load_table. Returns as that. */
static int finish_ranges(struct ranges *rg, size_t t, struct error *err)
{
    struct run *run = rg->run;
    struct ckpt_project *cp = rg->p->cp;
    const char *pt = run->cfg->progress_table, *id = rg->p->rp->project_id;
    long long loaded = 0, rejected = 0;
    ckpt_project_free(cp);
    if (ckpt_load(&run->tgt, pt, id, cp, err) != 0)
        return -1;
    for (size_t i = 0; i < rg->k; i++) {
        const struct ckpt_row *row = ckpt_find(cp, rg->names[i]);
        if (row == NULL || row->state != CKPT_LOADED)
            return error_set_table(err, rg->table, "its range %zu of %zu is not loaded", i + 1,
                                   rg->k);
        loaded += row->rows_loaded;
        rejected += row->rows_rejected;
    }
    const struct ckpt_row *own = ckpt_find(cp, rg->table);
    if (own == NULL)
        return error_set_table(err, rg->table, "its checkpoint row is gone");
    if (own->state == CKPT_PENDING) {
        struct ckpt_pos pos = own->pos;
        if (claim_renew(&run->tgt, pt, id, &run->sh->me, run->cfg->lease_seconds, err) != 0 ||
            ckpt_advance(&run->tgt, pt, id, rg->table, &pos, NULL, loaded, rejected, CKPT_LOADED,
                         err) != 0 ||
            target_commit(&run->tgt, err) != 0)
            return -1;
        ckpt_project_free(cp);
        if (ckpt_load(&run->tgt, pt, id, cp, err) != 0)
            return -1;
    }
    return retry_load_table(run, rg->p, t, err);
}

/* Adds what the ranges did in this run to the table's line in the report
 * (made here when the table was not validated). */
static void report_ranges(struct ranges *rg, double seconds)
{
    struct report_table *rt = report_find_table(rg->p->rp, rg->table);
    bool made = rt == NULL;
    if (made && (rt = report_table(rg->p->rp, rg->table)) == NULL)
        return;
    for (size_t i = 0; i < rg->k; i++) {
        rt->read += rg->rts[i].read;
        rt->replaced += rg->rts[i].replaced;
        rt->decoded += rg->rts[i].decoded;
        rt->loaded += made ? rg->rts[i].loaded : 0;
        rt->rejected += made ? rg->rts[i].rejected : 0;
    }
    rt->seconds += seconds;
    if (rt->note == NULL)
        rt->note = "loaded in key ranges at once";
}

int ranges_load_table(struct run *run, struct retry_project *p, size_t t, struct error *err)
{
    const char *name = p->r->tables[t].name;
    const struct ckpt_row *own = ckpt_find(p->cp, name);
    long long rows = 0;
    long k = (long)earlier_count(p->cp, name);
    if (own != NULL && own->state >= CKPT_LOADED)
        return retry_load_table(run, p, t, err); /* its ranges are done */
    if (k > 0 && (rows = reader_count(p->r, t, err)) < 0)
        return -1;
    if (k == 0 && (k = new_count(run, p, t, &rows, err)) < 0)
        return -1;
    if (k == 1)
        return retry_load_table(run, p, t, err);
    struct ranges rg = {.run = run, .p = p, .table = name, .k = (size_t)k};
    double t0 = progress_now();
    int rc = 0;
    pthread_mutex_init(&rg.mu, NULL);
    pthread_cond_init(&rg.left, NULL);
    for (size_t i = 0; i < rg.k; i++) {
        buf_init(&rg.bounds[i], BUF_CAP_ROW);
        ckpt_range_name(rg.names[i], name, i + 1, rg.k); /* fits: as when it was cut */
        rg.rts[i].name = (char *)name;
    }
    if (reader_range_bounds(p->r, t, rows, rg.k, rg.bounds, err) != 0 ||
        (ckpt_find(p->cp, rg.names[0]) == NULL && register_ranges(&rg, err) != 0))
        rc = -1;
    if (rc == 0)
        load_ranges(&rg, t);
    if (rc == 0 && rg.rc != 0)
        *err = rg.err;
    rc = rc != 0 ? rc : rg.rc != 0 ? rg.rc : finish_ranges(&rg, t, err);
    report_ranges(&rg, progress_now() - t0);
    for (size_t i = 0; i < rg.k; i++)
        buf_free(&rg.bounds[i]);
    pthread_cond_destroy(&rg.left);
    pthread_mutex_destroy(&rg.mu);
    return rc;
}

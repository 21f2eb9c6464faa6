/* retry: a table's load retried after a transient failure (see retry.h). */
#include "retry.h"

#include <time.h>

#include "claim.h"

#define RETRY_WAIT_CAP 60 /* seconds: the doubling wait stops growing here */

static bool same_pos(struct ckpt_pos a, struct ckpt_pos b)
{
    return a.version == b.version && a.loaded == b.loaded && a.rejected == b.rejected;
}

/* The wait before retry number n (from 0): --retry-wait doubled n times, at
 * most RETRY_WAIT_CAP (or --retry-wait when longer). */
static int wait_before(const struct config *cfg, size_t n)
{
    int cap = cfg->retry_wait > RETRY_WAIT_CAP ? cfg->retry_wait : RETRY_WAIT_CAP;
    long long w = cfg->retry_wait;
    for (size_t i = 0; i < n && w < cap; i++)
        w *= 2;
    return w < cap ? (int)w : cap;
}

/* Sleeps secs seconds, waking every tenth of a second to see whether the run
 * is to stop. Returns whether it is. */
static bool pause_for(struct run *run, int secs)
{
    const struct timespec tenth = {0, 100000000L};
    for (int i = 0; i < secs * 10; i++) {
        if (run_stopped(run))
            return true;
        nanosleep(&tenth, NULL);
    }
    return run_stopped(run);
}

/* Gives up the writer and sender of the failed load and rolls back what the
 * old connection still can (a deadlock's or lock wait's transaction). */
static void tear_down(struct run *run, struct retry_project *p)
{
    struct error ignored;
    sender_stop(p->snd);
    writer_close(p->w);
    target_rollback(&run->tgt, &ignored);
}

/* Says which node a fresh connection reached when the target names several. */
static void say_node(struct run *run, struct report_project *rp)
{
    struct buf where;
    buf_init(&where, BUF_CAP_LINE);
    if (run->url.nnodes > 0 && target_where(&run->tgt, &where) >= 0)
        report_note(run->rep, rp, "reconnected through node %s of the target's %zu", where.data,
                    run->url.nnodes);
    buf_free(&where);
}

/* Replaces the run's connection by a fresh one with the run's session,
 * checks (and renews) the project's claim, reads its checkpoints anew into
 * p->cp and opens a writer and sender on the new connection. Returns 0, or
 * -1 with *why the failure's reason when it is transient, else NULL. */
static int reconnect(struct run *run, struct retry_project *p, const char **why, struct error *err)
{
    const char *pt = run->cfg->progress_table, *id = p->rp->project_id;
    struct ckpt_project cp = {0};
    if (target_reconnect(&run->tgt, &run->url, why, err) != 0)
        return -1;
    say_node(run, p->rp);
    if (run_session(run, err) != 0 ||
        claim_renew(&run->tgt, pt, id, &run->sh->me, run->cfg->lease_seconds, err) != 0 ||
        target_commit(&run->tgt, err) != 0 || ckpt_load(&run->tgt, pt, id, &cp, err) != 0) {
        *why = target_transient(&run->tgt);
        ckpt_project_free(&cp);
        return -1;
    }
    ckpt_project_free(p->cp);
    *p->cp = cp;
    *why = NULL;
    return writer_init(p->w, p->method, &run->tgt, run->cfg->batch_bytes, err) != 0 ||
                   sender_start(p->snd, err) != 0
               ? -1
               : 0;
}

enum retry_commit retry_commit_outcome(const struct load_state *st, const struct ckpt_pos *row)
{
    return row == NULL                   ? RETRY_MOVED
           : same_pos(*row, st->done)    ? RETRY_NOT_COMMITTED
           : same_pos(*row, st->pending) ? RETRY_COMMITTED
                                         : RETRY_MOVED;
}

/* Reads where the table stands now that the target answers again (see
 * retry_commit_outcome): what was under way did not commit (it is loaded
 * again) or did (the load goes on after it); a row another run moved fails
 * the table. Returns 0 or -1. */
static int resolve(struct run *run, struct retry_project *p, const char *table,
                   const struct load_state *st, struct error *err)
{
    const struct ckpt_row *row = ckpt_find(p->cp, table);
    enum retry_commit c = retry_commit_outcome(st, row != NULL ? &row->pos : NULL);
    if (c == RETRY_MOVED)
        return error_set_table(err, table,
                               "its checkpoint is no longer the one this run wrote (%lld row(s) "
                               "loaded, version %lld): another run took project '%s' over while "
                               "this one reconnected; it is left to that run",
                               st->done.loaded, st->done.version, p->rp->project_id);
    if (!same_pos(st->done, st->pending))
        report_note(run->rep, p->rp,
                    "table %s: a COMMIT was cut off; its checkpoint (version %lld, %lld row(s) "
                    "loaded) says it %s",
                    table, row->pos.version, row->pos.loaded,
                    c == RETRY_COMMITTED ? "committed: going on after it"
                                         : "did not commit: its rows are loaded again");
    return 0;
}

/* After a transient failure (why) of the table's load: unless the retries
 * are spent (*used of them) or the run is to stop, waits, reconnects (again
 * within the budget while the server cannot be reached) and resolves where
 * the table stands. Returns 0 to load it again, 1 when the run is to stop,
 * -1 with err set. */
static int recover(struct run *run, struct retry_project *p, const char *table,
                   const struct load_state *st, const char *why, size_t *used, struct error *err)
{
    size_t n = run->cfg->retries;
    if (run_stopped(run))
        return -1;
    tear_down(run, p);
    for (;;) {
        if (*used == n) {
            report_note(run->rep, p->rp, "table %s: %s: giving up after %zu retr%s (--retries)",
                        table, why, n, n == 1 ? "y" : "ies");
            return -1;
        }
        int wait = wait_before(run->cfg, (*used)++);
        report_retry(run->rep, why);
        report_note(run->rep, p->rp, "table %s: %s (%s); retry %zu of %zu in %d s", table, why,
                    err->msg, *used, n, wait);
        if (pause_for(run, wait))
            return 1;
        if (reconnect(run, p, &why, err) == 0)
            return resolve(run, p, table, st, err);
        if (why == NULL)
            return -1;
    }
}

int retry_load_table(struct run *run, struct retry_project *p, size_t t, struct error *err)
{
    const char *name = p->r->tables[t].name;
    const struct ckpt_row *first = ckpt_find(p->cp, name);
    struct ckpt_pos start = first != NULL ? first->pos : (struct ckpt_pos){0};
    struct load_state st = {0};
    size_t used = 0; /* retries since a batch last committed */
    for (;;) {
        struct ckpt_pos before = st.done;
        int rc = load_table(run, p->r, t, p->w, p->snd, p->rp, ckpt_find(p->cp, name), &st, err);
        const char *why = rc < 0 && run->cfg->retries > 0 && !run->cfg->dry_run && !run->offline
                              ? target_transient(&run->tgt)
                              : NULL;
        if (why == NULL)
            return rc;
        if (!same_pos(st.done, before))
            used = 0;
        rc = recover(run, p, name, &st, why, &used, err);
        if (rc != 0)
            return rc;
        /* rows read: those of the batches that committed since this run began the table */
        struct ckpt_pos now = ckpt_find(p->cp, name)->pos;
        st.rt->read = now.loaded + now.rejected - start.loaded - start.rejected;
    }
}

int retry_before_load(struct run *run, struct report_project *rp, size_t *used, struct error *err)
{
    size_t n = run->cfg->retries;
    const char *why =
        run->cfg->dry_run || run->offline || run_stopped(run) ? NULL : target_transient(&run->tgt);
    struct error ignored;
    if (why == NULL)
        return -1;
    target_rollback(&run->tgt, &ignored);
    for (;;) {
        if (*used == n) {
            report_note(run->rep, rp, "%s: giving up after %zu retr%s (--retries)", why, n,
                        n == 1 ? "y" : "ies");
            return -1;
        }
        int wait = wait_before(run->cfg, (*used)++);
        report_retry(run->rep, why);
        report_note(run->rep, rp, "%s (%s); retry %zu of %zu in %d s", why, err->msg, *used, n,
                    wait);
        if (pause_for(run, wait))
            return 1;
        if (target_reconnect(&run->tgt, &run->url, &why, err) == 0) {
            say_node(run, rp);
            if (run_session(run, err) == 0)
                return 0;
            why = target_transient(&run->tgt);
        }
        if (why == NULL)
            return -1;
    }
}

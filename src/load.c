/* load: one table's load (see load.h). */
#include "load.h"

#include <stdlib.h>
#include <string.h>

#include "adopt.h"
#include "batch.h"
#include "ckpt_rejects.h"
#include "claim.h"
#include "fingerprint.h"
#include "plan.h"
#include "preflight.h"
#include "progress.h"
#include "rejects.h"
#include "val.h"
#include "verify.h"
#include "xform.h"

/* One table's load in progress. The main thread reads and converts into one
 * batch while the sender thread loads the other (see sender.h). */
struct load {
    struct run *run;
    struct reader *r;
    size_t t;
    struct report_project *rp;
    struct report_table *rt;
    struct buf key; /* scratch: a key for messages */
    struct writer *w;
    struct batch *sending;  /* the batch the sender works on */
    struct batch *inflight; /* submitted to the sender, not yet settled */
    bool end;               /* it is the table's last */
    int reject_failed;      /* the sender could not record a server reject */
    struct ckpt_pos pos;    /* the table's checkpoint row as the last batch left it */
    struct load_state *st;  /* the caller's view: what committed, what may have */
    struct plan_table p;    /* the table's plan */
    struct batch bs[2];     /* read into in turn: one fills while the other is sent */
    struct buf why, enc;    /* scratch: why a value did not convert, a rejected key */
};

/* Logs a rejected row (read from the snapshot as `row`, its value shown as
 * excerpt); the reject files are written from the target's record once the
 * table ends (rejects_rewrite), a dry-run's as it goes. Main thread only.
 * Returns 0 or -1. */
static int reject_row(struct load *ld, sqlite3_stmt *row, const char *column, const char *excerpt,
                      const char *reason, struct error *err)
{
    buf_reset(&ld->key);
    if (reader_key(ld->r, row, &ld->key) != 0)
        return error_oom(err);
    report_reject(ld->run->rep, ld->rp, ld->rt, ld->key.data, column, reason);
    if (ld->run->cfg->dry_run)
        return rejects_add(&ld->run->rejects, row, ld->key.data, column, excerpt, reason, err);
    return 0;
}

/* writer on_reject, in the sender thread: the server refused row `row`;
 * remember it in the batch (the main thread reports it afterwards). */
static void server_reject(void *ctx, const struct batch *b, size_t row, const char *msg)
{
    struct load *ld = ctx;
    size_t len;
    const char *key = batch_key(b, row, &len);
    if (batch_add_reject(ld->sending, row, key, len, msg) != 0)
        ld->reject_failed = 1;
}

/* Records the batch's rejects in the target (in its transaction). */
static int record_rejects(struct load *ld, const struct batch *b, struct error *err)
{
    const char **keys = calloc(b->nrej, sizeof *keys), **msgs = calloc(b->nrej, sizeof *msgs);
    const char **cols = calloc(b->nrej, sizeof *cols);
    size_t *lens = calloc(b->nrej, sizeof *lens);
    int rc = keys && msgs && cols && lens ? 0 : error_oom(err);
    for (size_t i = 0; i < b->nrej && rc == 0; i++) {
        keys[i] = batch_reject_key(b, i, &lens[i]);
        cols[i] = batch_reject_column(b, i);
        msgs[i] = batch_reject_msg(b, i);
    }
    if (rc == 0)
        rc = ckpt_rejects_record(&ld->run->tgt, ld->run->cfg->progress_table, ld->rp->project_id,
                                 ld->rt->name, b->nrej, keys, lens, cols, msgs, err);
    free(keys);
    free(msgs);
    free(cols);
    free(lens);
    return rc;
}

/* Sender job: loads the batch, records its rejects in the target, advances
 * the table's checkpoint to the batch's last key (or marks the table loaded
 * at its end) and commits all of it in one transaction. */
static int send_batch(void *ctx, struct error *err)
{
    struct load *ld = ctx;
    struct run *run = ld->run;
    struct batch *b = ld->sending;
    size_t nconv = b->nrej; /* rejected while converting, before sending */
    if (b->nrows > 0 && writer_write(ld->w, b, err) != 0)
        return -1;
    if (ld->reject_failed)
        return error_set(err, "out of memory recording a rejected row");
    if (!run->cfg->dry_run) {
        if (b->nrej > 0 && record_rejects(ld, b, err) != 0)
            return -1;
        struct buf last = {0};
        size_t klen = 0;
        if (!ld->end && b->nrows > 0) {
            last.data = (char *)batch_key(b, b->nrows - 1, &klen);
            last.len = klen;
        }
        if (claim_renew(&run->tgt, run->cfg->progress_table, ld->rp->project_id, &run->sh->me,
                        run->cfg->lease_seconds, err) != 0 ||
            ckpt_advance(&run->tgt, run->cfg->progress_table, ld->rp->project_id,
                         ld->st->range != NULL ? ld->st->range->name : ld->rt->name, &ld->pos,
                         ld->end ? NULL : &last, (long long)b->nrows - (long long)(b->nrej - nconv),
                         (long long)b->nrej, ld->end ? CKPT_LOADED : CKPT_LOADING, err) != 0)
            return -1;
        ld->st->pending = ld->pos; /* a COMMIT cut off leaves either this or done */
    }
    if (writer_commit(ld->w, err) != 0)
        return -1;
    ld->st->done = ld->st->pending;
    return 0;
}

/* After the sender finished batch b: reports the rows the server refused
 * (their values read back from the snapshot by key), counts the loaded ones,
 * and empties b. Main thread. Returns 0 or -1. */
static int finish_batch(struct load *ld, struct batch *b, struct error *err)
{
    long long refused = 0;
    for (size_t i = 0; i < b->nrej; i++) {
        if (b->rej[i].row == BATCH_NO_ROW)
            continue;
        size_t klen;
        const char *key = batch_reject_key(b, i, &klen);
        sqlite3_stmt *st = reader_lookup(ld->r, ld->t, key, klen, err);
        if (st == NULL || reject_row(ld, st, "(row)", "", batch_reject_msg(b, i), err) != 0)
            return -1;
        refused++;
    }
    ld->rt->loaded += (long long)b->nrows - refused;
    batch_reset(b);
    return 0;
}

/* Waits for the batch in flight, if any, and finishes it when its job
 * succeeded; a failed batch is dropped (it was rolled back, nothing of it
 * counts). Returns the job's result. */
static int settle_batch(struct load *ld, struct sender *s, struct error *err)
{
    struct batch *b = ld->inflight;
    if (b == NULL)
        return 0;
    ld->inflight = NULL;
    if (sender_wait(s, err) != 0) {
        batch_reset(b);
        return -1;
    }
    return finish_batch(ld, b, err);
}

/* Hands batch b to the sender once the previous one is settled. A dry-run has
 * no server to overlap with: its batches are "sent" inline. */
static int submit_batch(struct load *ld, struct sender *s, struct batch *b, bool end,
                        struct error *err)
{
    if (settle_batch(ld, s, err) != 0)
        return -1;
    progress_count(b->nrows);
    ld->sending = b;
    ld->end = end;
    if (ld->run->cfg->dry_run)
        return send_batch(ld, err) != 0 || finish_batch(ld, b, err) != 0 ? -1 : 0;
    ld->inflight = b;
    sender_submit(s, send_batch, ld);
    return 0;
}

/* Compares the target with the source for one table: the project's rows in
 * the target must be the source's rows (in the snapshot) minus the rejects
 * the target records, whatever this or any run counted; then marks the table
 * validated under the project's claim. */
static int validate_table(struct run *run, struct reader *r, size_t t, const char *table,
                          const char *project, struct load_state *st, struct error *err)
{
    const char *pt = run->cfg->progress_table, *name = r->tables[t].name;
    long long n, rejected, src;
    if (fingerprint_check(r->path, &run->snap, project, err) != 0)
        return -1;
    src = reader_count(r, t, err);
    if (src < 0 || verify_count(&run->tgt, table, run->cfg->project_column, project, &n, err) ||
        ckpt_rejects_count(&run->tgt, pt, project, name, &rejected, err))
        return -1;
    if (n != src - rejected)
        return error_set_table(
            err, name,
            "count mismatch: the target holds %lld row(s) for this "
            "project, but the source has %lld of which %lld were rejected (%lld "
            "expected): another run loading the same project, rows written into "
            "the target by an application, or a table that cannot roll back; see "
            "litelift status, then rerun with --restart-project '%s'",
            n, src, rejected, src - rejected, project);
    if (claim_renew(&run->tgt, pt, project, &run->sh->me, run->cfg->lease_seconds, err) != 0 ||
        ckpt_set_state(&run->tgt, pt, project, name, CKPT_VALIDATED, err) != 0)
        return -1;
    st->pending = (struct ckpt_pos){st->done.version + 1, st->done.loaded, st->done.rejected};
    if (target_commit(&run->tgt, err) != 0)
        return -1;
    st->done = st->pending;
    return 0;
}

/* Takes the table's checkpoint row over: where the load resumes, what it
 * counted. Returns 1 when the table was validated earlier (nothing to do). */
static int load_resume(struct load *ld, const struct ckpt_row *crow)
{
    if (crow == NULL)
        return 0;
    ld->pos = ld->st->done = ld->st->pending = crow->pos;
    ld->rt->loaded = crow->rows_loaded;
    ld->rt->rejected = crow->rows_rejected;
    if (crow->state >= CKPT_VALIDATED) {
        ld->rt->note = "done earlier";
        ld->rt->counts = REPORT_CHECK_OK;
        return 1;
    }
    if (crow->state == CKPT_LOADING)
        ld->rt->note = "resumed";
    return 0;
}

/* A dry-run without a target: reads the table through, converting nothing
 * (begun at t0). Returns 0 or -1. */
static int load_read_only(struct load *ld, double t0, struct error *err)
{
    int step;
    if (reader_table_begin(ld->r, ld->t, NULL, 0, err) != 0)
        return -1;
    while ((step = reader_next(ld->r, err)) == 1)
        ld->rt->read++;
    ld->rt->loaded = ld->rt->read;
    ld->rt->note = "read only (--offline): values not converted";
    ld->rt->seconds = progress_now() - t0;
    return step;
}

/* Column c of the current row did not convert (why says why): the row is
 * left out of batch b (its arena back to mark), recorded as the batch's
 * reject and reported. Returns 1, or -1 on failure. */
static int reject_value(struct load *ld, struct batch *b, size_t c, size_t mark, struct error *err)
{
    const struct reader_table *st = &ld->r->tables[ld->t];
    struct buf *why = &ld->why;
    buf_truncate(&b->arena, mark);
    struct buf excerpt;
    buf_init(&excerpt, BUF_CAP_ROW);
    struct xform_src v;
    reader_value(ld->r, ld->p.cols[c].src, &v);
    val_render(&excerpt, &v, REJECTS_EXCERPT);
    buf_puts(why, " [value ");
    buf_append_buf(why, &excerpt);
    buf_putc(why, ']');
    buf_reset(&ld->enc);
    const char *col = ld->p.cols[c].src < st->ncols ? st->cols[ld->p.cols[c].src].name : "rowid";
    int bad = buf_failed(why) || reader_key_encode(ld->r, &ld->enc) != 0 ||
              batch_add_column_reject(b, ld->enc.data, ld->enc.len, col,
                                      why->data ? why->data : "?") != 0;
    if (bad)
        error_oom(err);
    bad = bad || reject_row(ld, reader_row(ld->r), col, excerpt.data ? excerpt.data : "",
                            why->data ? why->data : "?", err) != 0;
    buf_free(&excerpt);
    return bad ? -1 : 1;
}

/* Converts the reader's current row into the next row of batch b and keeps
 * its key. Returns 0, 1 when a value did not convert (the row is rejected),
 * or -1 on failure. */
static int convert_row(struct load *ld, struct batch *b, struct error *err)
{
    unsigned flags = 0;
    size_t mark = b->arena.len;
    size_t c = 0;
    int x =
        plan_convert_row(&ld->p, ld->r, &b->arena, batch_row(b, b->nrows), &ld->why, &flags, &c);
    if (x < 0)
        return error_set(err, "out of memory converting a row");
    if (x > 0)
        return reject_value(ld, b, c, mark, err);
    if (flags & XFORM_F_REPLACED)
        ld->rt->replaced++;
    if (flags & XFORM_F_CP1252)
        ld->rt->decoded++;
    if (reader_key_encode(ld->r, &b->keys) != 0)
        return error_oom(err);
    batch_push(b);
    return 0;
}

/* Reads the table from its checkpoint on (crow), converting into the two
 * batches in turn and submitting each full one, then the last. Returns 0, 1
 * when interrupted (the open batch is dropped: nothing of it was sent), -1. */
static int stream_rows(struct load *ld, struct sender *snd, const struct ckpt_row *crow,
                       struct error *err)
{
    struct run *run = ld->run;
    struct writer_table wt = {ld->p.tgt->name,    run->cfg->project_column,
                              ld->rp->project_id, ld->p.nmap,
                              ld->p.tgt_names,    ld->p.bits,
                              ld->p.convert,      ld->p.autoinc};
    bool resume = crow != NULL && crow->state == CKPT_LOADING && crow->last_key.len > 0;
    const struct load_range *rg = ld->st->range;
    const struct buf *after = resume ? &crow->last_key : rg != NULL ? rg->after : NULL;
    int step, cur = 0;
    if (writer_open(ld->w, &wt, err) != 0 ||
        reader_table_range(ld->r, ld->t, after ? after->data : NULL, after ? after->len : 0,
                           rg && rg->upto ? rg->upto->data : NULL,
                           rg && rg->upto ? rg->upto->len : 0, err) != 0)
        return -1;
    while ((step = reader_next(ld->r, err)) == 1) {
        struct batch *b = &ld->bs[cur];
        ld->rt->read++;
        int x = convert_row(ld, b, err);
        if (x < 0)
            return -1;
        /* a rejected row adds a reject record: on Galera it may fill the batch */
        bool ws_full = galera_batch_full(&run->sh->galera, b, strlen(ld->rp->project_id));
        if (x > 0 && !ws_full)
            continue;
        if (ws_full || b->nrows == b->cap_rows || b->arena.len >= run->cfg->batch_bytes) {
            if (run_stopped(run))
                return 1;
            if (submit_batch(ld, snd, b, false, err) != 0)
                return -1;
            cur ^= 1;
        }
    }
    if (step < 0)
        return -1;
    if (run_stopped(run))
        return 1;
    return submit_batch(ld, snd, &ld->bs[cur], true, err) != 0 || settle_batch(ld, snd, err) != 0
               ? -1
               : 0;
}

/* After a failed or interrupted load: a batch in flight commits whole with
 * its checkpoint, or not at all. After an interruption (rc > 0) the claim
 * is still this run's: the reject files then say what the target holds;
 * after a failure (a lost claim among them) the next run that loads the
 * table rewrites them. */
static void load_abandon(struct load *ld, struct sender *snd, int rc)
{
    struct run *run = ld->run;
    struct error ignored;
    settle_batch(ld, snd, &ignored);
    if (rc > 0 && !run->cfg->dry_run && target_rollback(&run->tgt, &ignored) == 0 &&
        ld->st->range == NULL) /* a split table's files: once all its ranges are loaded */
        rejects_rewrite(&run->rejects, &run->tgt, run->cfg->progress_table, ld->rp->project_id,
                        ld->r, ld->t, &ignored);
}

/* Loads the planned table (unless it is loaded already), then rewrites its
 * reject files from what the target records and validates it. Returns 0, 1
 * when interrupted, -1. */
static int load_body(struct load *ld, struct sender *snd, const struct ckpt_row *crow,
                     struct error *err)
{
    struct run *run = ld->run;
    if (batch_init(&ld->bs[0], ld->p.nmap, run->cfg->batch_rows) != 0 ||
        batch_init(&ld->bs[1], ld->p.nmap, run->cfg->batch_rows) != 0)
        return error_oom(err);
    const char *id = ld->rp->project_id;
    if (run->cfg->dry_run && rejects_begin_table(&run->rejects, id, ld->r, ld->t, err) != 0)
        return -1;
    if (crow == NULL || crow->state != CKPT_LOADED) {
        int rc = ld->st->range == NULL && adopt_wanted(run, id, crow)
                     ? adopt_table(run, ld->r, ld->t, ld->p.tgt->name, id, &ld->pos, ld->rt, err)
                     : stream_rows(ld, snd, crow, err);
        if (rc != 0) {
            load_abandon(ld, snd, rc);
            return rc;
        }
    }
    if (ld->st->range != NULL)
        return 0; /* the table is validated once all its ranges are loaded */
    if (run->cfg->dry_run)
        return rejects_commit(&run->rejects, err) != 0 ||
                       preflight_packet(run, ld->r, ld->t, &ld->p, ld->w, err) != 0
                   ? -1
                   : 0;
    /* the reject files: what the target records */
    if (rejects_rewrite(&run->rejects, &run->tgt, run->cfg->progress_table, ld->rp->project_id,
                        ld->r, ld->t, err) != 0 ||
        validate_table(run, ld->r, ld->t, ld->p.tgt->name, ld->rp->project_id, ld->st, err) != 0) {
        load_abandon(ld, snd, -1);
        return -1;
    }
    ld->rt->counts = REPORT_CHECK_OK;
    return 0;
}

int load_table(struct run *run, struct reader *r, size_t t, struct writer *w, struct sender *snd,
               struct report_project *rp, struct ckpt_row *crow, struct load_state *st,
               struct error *err)
{
    struct load ld = {.run = run, .r = r, .t = t, .rp = rp, .w = w, .st = st};
    const char *name = r->tables[t].name;
    double t0 = progress_now();
    if (st->rt == NULL && (st->rt = report_table(rp, name)) == NULL)
        return error_oom(err);
    ld.rt = st->rt;
    progress_table(name, crow != NULL ? crow->rows_loaded + crow->rows_rejected : 0);
    if (load_resume(&ld, crow) != 0)
        return 0;
    if (run->offline)
        return load_read_only(&ld, t0, err);
    if (plan_table(&run->plan, r, t, &ld.p, err) != 0)
        return -1;
    if (ld.p.skip) {
        ld.rt->note = "skipped (mapping file)";
        plan_table_free(&ld.p);
        return 0;
    }
    if (ld.p.remarks.len > 0)
        report_remark(run->rep, "project '%s' table %s: %s", rp->project_id, name,
                      ld.p.remarks.data);
    buf_init(&ld.key, BUF_CAP_ROW);
    buf_init(&ld.enc, BUF_CAP_ROW);
    buf_init(&ld.why, BUF_CAP_ROW);
    writer_on_reject(w, server_reject, &ld);
    int rc = load_body(&ld, snd, crow, err);
    writer_on_reject(w, NULL, NULL);
    ld.rt->seconds += progress_now() - t0;
    batch_free(&ld.bs[0]);
    batch_free(&ld.bs[1]);
    buf_free(&ld.key);
    buf_free(&ld.enc);
    buf_free(&ld.why);
    plan_table_free(&ld.p);
    return rc;
}

/* pipeline: the migrate run (see pipeline.h). */
#include "pipeline.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "batch.h"
#include "ckpt.h"
#include "ckpt_rejects.h"
#include "claim.h"
#include "ddl.h"
#include "fingerprint.h"
#include "ids.h"
#include "indexes.h"
#include "mapping.h"
#include "plan.h"
#include "reader.h"
#include "rejects.h"
#include "renames.h"
#include "scan.h"
#include "sender.h"
#include "schema.h"
#include "target.h"
#include "url.h"
#include "val.h"
#include "verify.h"
#include "writer.h"
#include "xform.h"

/* What the workers of a run share (under mu). */
struct shared {
    pthread_mutex_t mu;
    size_t next;  /* index of the next project to load */
    bool lost;    /* a target connection is gone: stop the run */
    bool stopped; /* interrupted by a signal */
    char lost_msg[512];
    struct plan_memo memo;         /* time units decided before any data moved */
    struct schema_table *designed; /* dry-run of --schema create: the tables it */
    size_t ndesigned;              /* would create, planned against instead */
    long long rows;                /* rows read by every worker so far */
    double started, said;          /* when loading began, when progress was last said */
    size_t nprojects;              /* projects to load */
    struct claim_owner me;         /* this run, as it signs its claims */
};

/* One worker's view of the run: its own connection, schema cache and reject
 * files; the report and the shared state are common to all. */
struct run {
    const struct config *cfg;
    struct report *rep;
    struct shared *sh;
    struct url url;
    struct target tgt;
    struct plan_ctx plan;
    const struct mapping *map;
    struct rejects rejects;
    struct schema_column project_col;
    bool offline; /* dry-run without a reachable target: read-only rehearsal */
    /* the file of the project being loaded, as it was when its snapshot began */
    struct fingerprint snap;
};

/* Opens the project's file (running SQLite's quick_check first when
 * integrity is set) and checks every table; on success r stays open. */
static int open_project(struct run *run, const struct scan_entry *e, bool integrity,
                        struct reader *r, struct error *err)
{
    memset(r, 0, sizeof *r); /* reader_close() is safe whatever happens next */
    if (e->project_id == NULL)
        return error_set(err, "%s", e->error);
    if (reader_open(r, e->path, err) != 0 || (integrity && reader_check(r, err) != 0))
        return -1;
    if (run->offline)
        return 0;
    struct xform_src src = {
        .type = SQLITE_TEXT, .p = (const unsigned char *)e->project_id, .n = strlen(e->project_id)};
    struct buf arena, why;
    buf_init(&arena, 0);
    buf_init(&why, 0);
    struct xform_val v;
    int bad = xform_value(&run->project_col, &src, &arena, &v, &why);
    if (bad != 0)
        error_set(err, "project id '%s' does not fit project column %s: %s", e->project_id,
                  run->project_col.column_type, why.data ? why.data : "out of memory");
    buf_free(&arena);
    buf_free(&why);
    if (bad != 0)
        return -1;
    struct buf problems;
    buf_init(&problems, 8192);
    for (size_t i = 0; i < r->ntables; i++) {
        struct plan_table p;
        struct error terr;
        if (plan_table(&run->plan, r, i, &p, &terr) != 0)
            buf_printf(&problems, "; %s", terr.msg);
        else
            plan_table_free(&p);
    }
    int rc = 0;
    if (problems.len > 0)
        rc = error_set(err, "target schema does not fit: %s", problems.data + 2);
    buf_free(&problems);
    return rc;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool stop_requested(struct run *run)
{
    pthread_mutex_lock(&run->sh->mu);
    if (run->cfg->stop != NULL && *run->cfg->stop)
        run->sh->stopped = true;
    bool stop = run->sh->stopped;
    pthread_mutex_unlock(&run->sh->mu);
    return stop;
}

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
};

/* Logs a rejected row (read from the snapshot as `row`); the reject files are
 * written from the target's record once the table ends (rejects_rewrite).
 * Main thread only. Returns 0 or -1. */
static int reject_row(struct load *ld, sqlite3_stmt *row, const char *column, const char *reason,
                      struct error *err)
{
    buf_reset(&ld->key);
    if (reader_key(ld->r, row, &ld->key) != 0)
        return error_set(err, "out of memory");
    report_reject(ld->run->rep, ld->rp, ld->rt, ld->key.data, column, reason);
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
    int rc = keys && msgs && cols && lens ? 0 : error_set(err, "out of memory");
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
    if (b->nrows > 0 && ld->w->ops->write_batch(ld->w, b, err) != 0)
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
            ckpt_advance(&run->tgt, run->cfg->progress_table, ld->rp->project_id, ld->rt->name,
                         &ld->pos, ld->end ? NULL : &last,
                         (long long)b->nrows - (long long)(b->nrej - nconv), (long long)b->nrej,
                         ld->end ? CKPT_LOADED : CKPT_LOADING, err) != 0)
            return -1;
    }
    return ld->w->ops->commit(ld->w, err);
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
        if (st == NULL || reject_row(ld, st, "(row)", batch_reject_msg(b, i), err) != 0)
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

/* Counts the n rows of a batch and, every --progress-every seconds, says how
 * far the run is: rows read, their rate, projects begun. Any thread. */
static void progress(struct run *run, size_t n)
{
    struct shared *sh = run->sh;
    pthread_mutex_lock(&sh->mu);
    sh->rows += (long long)n;
    double now = now_seconds();
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

/* Hands batch b to the sender once the previous one is settled. A dry-run has
 * no server to overlap with: its batches are "sent" inline. */
static int submit_batch(struct load *ld, struct sender *s, struct batch *b, bool end,
                        struct error *err)
{
    if (settle_batch(ld, s, err) != 0)
        return -1;
    progress(ld->run, b->nrows);
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
                          const char *project, struct error *err)
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
        return error_set(err,
                         "table %s: count mismatch: the target holds %lld row(s) for this "
                         "project, but the source has %lld of which %lld were rejected (%lld "
                         "expected): another run loading the same project, rows written into "
                         "the target by an application, or a table that cannot roll back; see "
                         "litelift status, then rerun with --restart-project '%s'",
                         name, n, src, rejected, src - rejected, project);
    if (claim_renew(&run->tgt, pt, project, &run->sh->me, run->cfg->lease_seconds, err) != 0 ||
        ckpt_set_state(&run->tgt, pt, project, name, CKPT_VALIDATED, err) != 0)
        return -1;
    return target_execs(&run->tgt, "COMMIT", err);
}

/* Streams table t of the open reader into the target from its checkpoint on,
 * reading and converting one batch while the sender loads the previous one,
 * then validates counts. Returns 0, 1 when interrupted, -1 on failure. */
static int load_table(struct run *run, struct reader *r, size_t t, struct writer *w,
                      struct sender *snd, struct report_project *rp, struct ckpt_row *crow,
                      struct error *err)
{
    const struct reader_table *st = &r->tables[t];
    struct report_table *rt = report_table(rp, st->name);
    struct plan_table p;
    struct batch bs[2] = {{0}, {0}};
    struct buf why, enc;
    struct load ld = {.run = run, .r = r, .t = t, .rp = rp, .rt = rt, .w = w};
    unsigned flags = 0;
    int rc = -1, cur = 0;
    bool rewritten = false;
    double t0 = now_seconds();
    if (rt == NULL)
        return error_set(err, "out of memory");
    if (crow != NULL) {
        ld.pos = crow->pos;
        rt->loaded = crow->rows_loaded;
        rt->rejected = crow->rows_rejected;
        if (crow->state >= CKPT_VALIDATED) {
            rt->note = "done earlier";
            return 0;
        }
        if (crow->state == CKPT_LOADING)
            rt->note = "resumed";
    }
    if (run->offline) {
        int step;
        if (reader_table_begin(r, t, NULL, 0, err) != 0)
            return -1;
        while ((step = reader_next(r, err)) == 1)
            rt->read++;
        rt->loaded = rt->read;
        rt->note = "read only: target unreachable, values not converted";
        rt->seconds = now_seconds() - t0;
        return step;
    }
    if (plan_table(&run->plan, r, t, &p, err) != 0)
        return -1;
    if (p.skip) {
        rt->note = "skipped (mapping file)";
        plan_table_free(&p);
        return 0;
    }
    if (p.remarks.len > 0)
        report_remark(run->rep, "project '%s' table %s: %s", rp->project_id, st->name,
                      p.remarks.data);
    buf_init(&ld.key, 0);
    buf_init(&enc, 0);
    buf_init(&why, 0);
    if (batch_init(&bs[0], p.nmap, run->cfg->batch_rows) != 0 ||
        batch_init(&bs[1], p.nmap, run->cfg->batch_rows) != 0) {
        error_set(err, "out of memory");
        goto out;
    }
    if (crow != NULL && crow->state == CKPT_LOADED)
        goto validate;
    struct writer_table wt = {
        p.tgt->name, run->cfg->project_column, rp->project_id, p.nmap, p.tgt_names, p.bits,
        p.convert};
    w->on_reject = server_reject;
    w->reject_ctx = &ld;
    bool resume = crow != NULL && crow->state == CKPT_LOADING && crow->last_key.len > 0;
    if (w->ops->open(w, &wt, err) != 0 ||
        reader_table_begin(r, t, resume ? crow->last_key.data : NULL,
                           resume ? crow->last_key.len : 0, err) != 0)
        goto out;
    int step;
    while ((step = reader_next(r, err)) == 1) {
        struct batch *b = &bs[cur];
        rt->read++;
        flags = 0;
        size_t mark = b->arena.len;
        struct xform_val *row = batch_row(b, b->nrows);
        size_t c;
        int x = 0;
        for (c = 0; c < p.nmap; c++) {
            struct xform_src src;
            xform_src_from_sqlite(&src, reader_value(r, p.cols[c].src));
            buf_reset(&why);
            x = xform_convert(&p.cols[c].x, &src, &b->arena, &row[c], &why, &flags);
            if (x != 0)
                break;
        }
        if (x < 0) {
            error_set(err, "out of memory converting a row");
            goto out;
        }
        if (x > 0) {
            buf_truncate(&b->arena, mark);
            struct buf excerpt;
            buf_init(&excerpt, 0);
            val_render(&excerpt, reader_value(r, p.cols[c].src), REJECTS_EXCERPT);
            buf_puts(&why, " [value ");
            buf_append(&why, excerpt.data, excerpt.len);
            buf_putc(&why, ']');
            buf_reset(&enc);
            const char *col = p.cols[c].src < st->ncols ? st->cols[p.cols[c].src].name : "rowid";
            int bad =
                reader_key_encode(r, &enc) != 0 ||
                batch_add_column_reject(b, enc.data, enc.len, col, why.data ? why.data : "?") != 0;
            if (bad)
                error_set(err, "out of memory");
            bad = bad || reject_row(&ld, reader_row(r), col, why.data ? why.data : "?", err) != 0;
            buf_free(&excerpt);
            if (bad)
                goto out;
            continue;
        }
        if (flags & XFORM_F_REPLACED)
            rt->replaced++;
        if (flags & XFORM_F_CP1252)
            rt->decoded++;
        flags = 0;
        if (reader_key_encode(r, &b->keys) != 0) {
            error_set(err, "out of memory");
            goto out;
        }
        batch_push(b);
        if (b->nrows == b->cap_rows || b->arena.len >= run->cfg->batch_bytes) {
            if (stop_requested(run)) {
                rc = 1; /* the open batch is dropped: nothing of it was sent */
                goto out;
            }
            if (submit_batch(&ld, snd, b, false, err) != 0)
                goto out;
            cur ^= 1;
        }
    }
    if (step < 0)
        goto out;
    if (stop_requested(run)) {
        rc = 1;
        goto out;
    }
    if (submit_batch(&ld, snd, &bs[cur], true, err) != 0 || settle_batch(&ld, snd, err) != 0)
        goto out;
validate:
    rewritten = !run->cfg->dry_run; /* the reject files: what the target records */
    if (rewritten && (rejects_rewrite(&run->rejects, &run->tgt, run->cfg->progress_table,
                                      rp->project_id, r, t, err) != 0 ||
                      validate_table(run, r, t, p.tgt->name, rp->project_id, err) != 0))
        goto out;
    rc = 0;
out:
    if (rc != 0) {
        /* a batch in flight commits whole with its checkpoint, or not at all */
        struct error ignored;
        settle_batch(&ld, snd, &ignored);
        /* after an interruption the claim is still this run's: the files
         * then say what the target holds; after a failure (a lost claim
         * among them) the next run that loads the table rewrites them */
        if (rc > 0 && !rewritten && !run->cfg->dry_run &&
            target_execs(&run->tgt, "ROLLBACK", &ignored) == 0)
            rejects_rewrite(&run->rejects, &run->tgt, run->cfg->progress_table, rp->project_id, r,
                            t, &ignored);
    }
    w->on_reject = NULL;
    w->reject_ctx = NULL;
    rt->seconds = now_seconds() - t0;
    batch_free(&bs[0]);
    batch_free(&bs[1]);
    buf_free(&ld.key);
    buf_free(&enc);
    buf_free(&why);
    plan_table_free(&p);
    return rc;
}

/* ids_fail_fn of a run: fails project i of the run's list (once). */
struct refusal {
    struct report *rep;
    struct report_project *rps; /* the list's first project */
};

static void refuse_id(void *ctx, size_t i, const char *msg)
{
    struct refusal *rf = ctx;
    if (rf->rps[i].error == NULL)
        report_fail(rf->rep, &rf->rps[i], msg);
}

static bool restart_requested(const struct config *cfg, const char *project)
{
    for (size_t i = 0; i < cfg->nrestart; i++)
        if (strcmp(cfg->restart[i], project) == 0)
            return true;
    return false;
}

/* Deletes the project's rows from target table `source` maps to (unless the
 * mapping skips it), once per target table. */
static int restart_table(struct run *run, const char *source, const char *project, struct buf *done,
                         struct error *err)
{
    const struct mapping_table *mt = mapping_table(run->map, source);
    if (mt != NULL && mt->skip)
        return 0;
    const struct schema_table *tt =
        plan_target(&run->plan, mt && mt->rename ? mt->rename : source, err);
    if (tt == NULL)
        return -1;
    struct buf key, sql;
    buf_init(&key, 0);
    buf_init(&sql, 0);
    int rc = 0;
    if (buf_printf(&key, "\n%s\n", tt->name) != 0)
        rc = error_set(err, "out of memory");
    else if (done->data != NULL && strstr(done->data, key.data) != NULL)
        goto out; /* already emptied */
    if (rc == 0)
        rc = ids_restart_guard(&run->tgt, tt, run->cfg->project_column, project, err);
    if (rc == 0 && (buf_append(done, key.data, key.len) || buf_puts(&sql, "DELETE FROM ") ||
                    target_quote_ident(&sql, tt->name) || buf_puts(&sql, " WHERE ") ||
                    target_quote_ident(&sql, run->cfg->project_column) || buf_puts(&sql, " = ") ||
                    target_quote_string(&run->tgt, &sql, project, strlen(project))))
        rc = error_set(err, "out of memory");
    if (rc == 0)
        rc = target_exec(&run->tgt, sql.data, sql.len, err);
out:
    buf_free(&key);
    buf_free(&sql);
    return rc;
}

/* --restart-project: deletes the project's rows from every target table its
 * file maps to now and every table its checkpoints name (the file may have
 * changed since), and its checkpoints, in one transaction. */
static int restart_project(struct run *run, struct reader *r, const char *project, const char *file,
                           const struct fingerprint *fp, struct error *err)
{
    struct ckpt_project cp;
    struct buf done;
    buf_init(&done, 0);
    int rc = ckpt_load(&run->tgt, run->cfg->progress_table, project, &cp, err);
    if (rc == 0) /* the deletions commit only while the project is this run's */
        rc = claim_renew(&run->tgt, run->cfg->progress_table, project, &run->sh->me,
                         run->cfg->lease_seconds, err);
    for (size_t t = 0; t < r->ntables && rc == 0; t++)
        rc = restart_table(run, r->tables[t].name, project, &done, err);
    for (size_t i = 0; rc == 0 && i < cp.n; i++) {
        struct error missing; /* a table that is gone from the target holds nothing */
        if (cp.rows[i].table[0] != '\0' &&
            restart_table(run, cp.rows[i].table, project, &done, &missing) != 0 &&
            plan_target(&run->plan, cp.rows[i].table, &missing) != NULL)
            rc = error_set(err, "%s", missing.msg);
    }
    ckpt_project_free(&cp);
    buf_free(&done);
    if (rc == 0)
        rc = ckpt_forget(&run->tgt, run->cfg->progress_table, project, file, fp, err);
    if (rc == 0)
        rc = target_execs(&run->tgt, "COMMIT", err);
    if (rc != 0) {
        struct error ignored;
        target_execs(&run->tgt, "ROLLBACK", &ignored);
        error_prefix(err, "--restart-project %s", project);
    }
    return rc;
}

/* Fails unless the project row's fingerprint is the file's now. */
static int check_unchanged(const struct ckpt_project *cp, const struct scan_entry *e,
                           const struct fingerprint *fp, struct error *err)
{
    const struct ckpt_row *prow = ckpt_find((struct ckpt_project *)cp, "");
    if (prow == NULL)
        return 0;
    struct buf diff;
    buf_init(&diff, 0);
    int rc = fingerprint_diff(&prow->fp, fp, true, &diff) != 0 ? error_set(err, "out of memory")
             : diff.len == 0                                   ? 0
                                                               : error_set(err,
                                                                           "source changed since its checkpoint of %s UTC (%s): "
                                                                                                             "refusing to mix two versions of the file; rerun with "
                                                                                                             "--restart-project '%s' to delete its rows and load it "
                                                                                                             "again",
                                                                           prow->updated_at, diff.data, e->project_id);
    buf_free(&diff);
    return rc;
}

/* Registers the tables of r that have no progress row yet and reloads cp. */
static int register_tables(struct run *run, struct reader *r, const char *project, const char *file,
                           const struct fingerprint *fp, struct ckpt_project *cp, struct error *err)
{
    int rc = 0;
    for (size_t t = 0; t < r->ntables && rc == 0; t++)
        if (ckpt_find(cp, r->tables[t].name) == NULL)
            rc = ckpt_register(&run->tgt, run->cfg->progress_table, project, r->tables[t].name,
                               file, fp, err);
    if (rc == 0)
        rc = target_execs(&run->tgt, "COMMIT", err);
    ckpt_project_free(cp);
    return rc == 0 ? ckpt_load(&run->tgt, run->cfg->progress_table, project, cp, err) : -1;
}

/* Claims the project for this run (registering it first), restarts it when
 * asked, checks that the source is unchanged since it was registered and
 * registers its tables; a dry-run only reads the checkpoints. Returns 0, 1
 * when another run holds the project (rp->elsewhere says which), 2 when
 * another run finished it meanwhile, -1; *claimed says whether this run holds
 * the claim now (to be released whatever comes next). */
static int checkpoint_project(struct run *run, struct reader *r, const struct scan_entry *e,
                              struct report_project *rp, struct ckpt_project *cp, bool *claimed,
                              struct error *err)
{
    const char *pt = run->cfg->progress_table, *id = e->project_id;
    struct fingerprint *fp = &run->snap; /* its file part: by load_project, before the snapshot */
    struct claim_holder h;
    if (run->offline || fingerprint_snapshot(r, fp, err) != 0)
        return run->offline ? 0 : -1;
    if (run->cfg->dry_run) {
        if (ckpt_load(&run->tgt, pt, id, cp, err) != 0)
            return -1;
        if (restart_requested(run->cfg, id))
            ckpt_project_free(cp); /* what the real run would do: start from nothing */
        return check_unchanged(cp, e, fp, err);
    }
    char *abs = scan_abs_path(e->path);
    const char *file = abs != NULL ? abs : e->path;
    int rc = ckpt_register(&run->tgt, pt, id, "", file, fp, err) != 0 ||
                     target_execs(&run->tgt, "COMMIT", err) != 0
                 ? -1
                 : claim_take(&run->tgt, pt, id, &run->sh->me, run->cfg->lease_seconds, &h, err);
    if (rc == 0 && asprintf(&rp->elsewhere,
                            "the run on %s (pid %ld) claimed it at %s UTC, lease "
                            "until %s UTC",
                            h.host, h.pid, h.since, h.until[0] ? h.until : "now") < 0)
        rp->elsewhere = NULL;
    if (rc != 1) {
        free(abs);
        return rc < 0 ? -1 : 1;
    }
    *claimed = true;
    rc = 0;
    if (restart_requested(run->cfg, id)) {
        rc = restart_project(run, r, id, file, fp, err);
        if (rc == 0)
            report_note(run->rep, rp,
                        "--restart-project: its rows and checkpoints were deleted; "
                        "loading it again");
    }
    if (rc == 0)
        rc = ckpt_load(&run->tgt, pt, id, cp, err) != 0 || check_unchanged(cp, e, fp, err) != 0 ? -1
                                                                                                : 0;
    if (rc == 0 && ckpt_find(cp, "")->state == CKPT_RENAMED) {
        rp->outcome = "done: another run migrated it and renamed it as its backup meanwhile";
        rc = 2;
    }
    if (rc == 0)
        rc = register_tables(run, r, id, file, fp, cp, err);
    free(abs);
    return rc;
}

/* Records the state of project's own row under the claim and commits; with
 * backup, the rename to it has begun (CKPT_RENAMING). */
static int project_state(struct run *run, const char *project, enum ckpt_state state,
                         const char *backup, struct error *err)
{
    const char *pt = run->cfg->progress_table;
    if (claim_renew(&run->tgt, pt, project, &run->sh->me, run->cfg->lease_seconds, err) != 0 ||
        (backup != NULL ? ckpt_set_renaming(&run->tgt, pt, project, backup, err)
                        : ckpt_set_state(&run->tgt, pt, project, "", state, err)) != 0)
        return -1;
    return target_execs(&run->tgt, "COMMIT", err);
}

/* After every table validated: renames the source as its backup (unless the
 * options or rejects forbid it) and records the project's final state. */
static int finish_project(struct run *run, const struct scan_entry *e, struct report_project *rp,
                          struct error *err)
{
    long long rejected = 0;
    for (size_t t = 0; t < rp->ntables; t++)
        rejected += rp->tables[t].rejected;
    enum ckpt_state final = CKPT_VALIDATED;
    if (run->offline) {
        rp->outcome = "read; target unreachable: schema, values and checkpoints not checked";
        return 0;
    }
    if (run->cfg->dry_run) {
        rp->outcome = rejected && !run->cfg->accept_rejects
                          ? "would validate; would NOT rename: rows rejected"
                      : run->cfg->no_backup_rename ? "would validate"
                                                   : "would validate and rename as backup";
        return 0;
    }
    if (fingerprint_check(e->path, &run->snap, e->project_id, err) != 0)
        return -1;
    if (rejected > 0 && !run->cfg->accept_rejects) {
        rp->outcome = "validated; NOT renamed: rows were rejected (see --accept-rejects)";
    } else if (run->cfg->no_backup_rename) {
        rp->outcome = "validated; left in place (--no-backup-rename)";
    } else {
        /* the rename is recorded as begun first: a rerun that finds the
         * project renaming completes it, whatever step was reached */
        char *dst = NULL, *abs = scan_abs_path(e->path);
        char *planned =
            backup_name(abs != NULL ? abs : e->path, run->cfg->backup_suffix, run->cfg->backup_dir);
        int rc = planned == NULL ? error_set(err, "out of memory")
                                 : project_state(run, e->project_id, CKPT_RENAMING, planned, err);
        if (rc == 0 &&
            backup_rename(e->path, run->cfg->backup_suffix, run->cfg->backup_dir, &dst, err) != 0) {
            rc = error_prefix(err, "backup rename");
            struct error ignored; /* refused before anything moved: not begun after all */
            if (access(planned, F_OK) != 0)
                project_state(run, e->project_id, CKPT_VALIDATED, NULL, &ignored);
        }
        if (rc == 0)
            report_note(run->rep, rp, "renamed as backup %s", dst);
        free(dst);
        free(abs);
        free(planned);
        if (rc != 0)
            return -1;
        rp->outcome = run->cfg->verify_checksum ? "validated, checksum ok; renamed as backup"
                                                : "validated; renamed as backup";
        final = CKPT_RENAMED;
    }
    return project_state(run, e->project_id, final, NULL, err);
}

/* Compares every table of the open reader with the target: counts, and with
 * cfg->verify_checksum the CRC32 of every converted row (verify_checksum).
 * Rows recorded as rejected are not expected in the target. With record,
 * each table gets a report line. Returns 0 when all agree, -1 with err naming
 * each differing table and its first differing key. */
static int compare_project(struct run *run, struct reader *r, struct report_project *rp,
                           bool record, struct error *err)
{
    struct buf diffs;
    buf_init(&diffs, ERROR_MSG_MAX);
    int rc = 0;
    for (size_t t = 0; t < r->ntables && rc == 0; t++) {
        struct plan_table p;
        struct verify_result res;
        struct ckpt_rejects_keys skip;
        double t0 = now_seconds();
        if (plan_table(&run->plan, r, t, &p, err) != 0) {
            rc = -1;
            break;
        }
        if (p.skip) {
            plan_table_free(&p);
            continue;
        }
        rc = ckpt_rejects_keys(&run->tgt, run->cfg->progress_table, rp->project_id,
                               r->tables[t].name, &skip, err);
        if (rc == 0)
            rc = verify_checksum(&run->tgt, r, t, &p, &skip, run->cfg->project_column,
                                 rp->project_id, &res, err);
        ckpt_rejects_keys_free(&skip);
        plan_table_free(&p);
        if (rc != 0)
            break;
        bool ok = run->cfg->verify_checksum ? res.equal : res.src_rows == res.tgt_rows;
        struct report_table *rt = record ? report_table(rp, r->tables[t].name) : NULL;
        if (rt != NULL) {
            rt->read = res.src_rows;
            rt->loaded = res.tgt_rows;
            rt->seconds = now_seconds() - t0;
            rt->note = !ok ? "DIFFERS" : run->cfg->verify_checksum ? "checksum ok" : "count ok";
        }
        if (!ok)
            buf_printf(&diffs,
                       "%stable %s: the target differs from the source (source %lld row(s), "
                       "CRC32 %08lx; target %lld row(s), CRC32 %08lx): first difference: %s",
                       diffs.len ? "; " : "", r->tables[t].name, res.src_rows, res.src_crc,
                       res.tgt_rows, res.tgt_crc,
                       res.first_diff.len ? res.first_diff.data : "row counts differ");
        buf_free(&res.first_diff);
    }
    if (rc == 0 && diffs.len > 0)
        rc = error_set(err, "%s", diffs.data);
    buf_free(&diffs);
    return rc;
}

/* Error codes of a connection that is gone (client side). */
static bool connection_lost(struct target *t)
{
    unsigned e = mysql_errno(t->my);
    return e == 2002 || e == 2003 || e == 2006 || e == 2013 || e == 2055 || e == 1927 || e == 4031;
}

/* Whether a project file that could not be opened is gone because another
 * run migrated it (and renamed it as its backup) since the scan. */
static bool finished_elsewhere(struct run *run, const struct scan_entry *e,
                               struct report_project *rp)
{
    struct ckpt_project cp;
    struct error ignored;
    if (run->cfg->dry_run || run->offline || e->project_id == NULL || access(e->path, F_OK) == 0 ||
        ckpt_load(&run->tgt, run->cfg->progress_table, e->project_id, &cp, &ignored) != 0)
        return false;
    const struct ckpt_row *prow = ckpt_find(&cp, "");
    bool done = prow != NULL && (prow->state == CKPT_RENAMED || prow->state == CKPT_RENAMING);
    if (done)
        rp->outcome = "done: another run migrated it and renamed it as its backup meanwhile";
    ckpt_project_free(&cp);
    return done;
}

/* Ends a project's load: a failure (err not NULL) is reported and its open
 * transaction rolled back (a lost connection stops the run), and the claim
 * is given up so that a later run may take the project at once. */
static void end_project(struct run *run, struct report_project *rp, const struct error *err,
                        bool claimed)
{
    struct error ignored; /* nothing half-done may ride into the next project */
    if (err != NULL) {
        report_fail(run->rep, rp, err->msg);
        if (!run->cfg->dry_run && !run->offline)
            target_execs(&run->tgt, "ROLLBACK", &ignored);
    }
    if (!run->cfg->dry_run && !run->offline && connection_lost(&run->tgt)) {
        pthread_mutex_lock(&run->sh->mu);
        run->sh->lost = true;
        snprintf(run->sh->lost_msg, sizeof run->sh->lost_msg, "MySQL error %u: %s",
                 mysql_errno(run->tgt.my), mysql_error(run->tgt.my));
        pthread_mutex_unlock(&run->sh->mu);
        return;
    }
    if (claimed)
        claim_release(&run->tgt, run->cfg->progress_table, rp->project_id, &run->sh->me, &ignored);
}

static void load_project(struct run *run, const struct scan_entry *e, struct report_project *rp)
{
    struct reader r;
    struct writer w;
    struct sender snd = {0};
    struct error err;
    struct ckpt_project cp = {0};
    enum config_method m = run->cfg->dry_run ? CONFIG_METHOD_DRYRUN : run->cfg->method;
    bool writer_open = false, claimed = false;
    int rc = -1;
    /* the file part comes before the snapshot: a write in between is seen */
    if (fingerprint_file(e->path, &run->snap, &err) != 0 ||
        open_project(run, e, false, &r, &err) != 0) {
        rc = finished_elsewhere(run, e, rp) ? 0 : -1;
        goto out;
    }
    int held = checkpoint_project(run, &r, e, rp, &cp, &claimed, &err);
    if (held != 0) {
        rc = held > 0 ? 0 : -1; /* left to another run, or done by one */
        goto out;
    }
    if (writer_init(&w, m, &run->tgt, run->cfg->batch_bytes, &err) != 0 ||
        sender_start(&snd, &err) != 0)
        goto out;
    writer_open = true;
    for (size_t i = 0; i < r.nskipped; i++)
        report_note(run->rep, rp, "skipped %s %s (%s)", r.skipped[i].kind, r.skipped[i].name,
                    r.skipped[i].why);
    rp->nskipped = r.nskipped;
    if (r.ntables == 0)
        report_note(run->rep, rp, "file holds no tables");
    for (size_t t = 0; t < r.ntables; t++) {
        int lt = load_table(run, &r, t, &w, &snd, rp, ckpt_find(&cp, r.tables[t].name), &err);
        if (lt != 0) {
            if (lt > 0) {
                rp->outcome = "interrupted at a batch boundary";
                rc = 0;
            } else if (strncmp(err.msg, "table ", 6) != 0) {
                error_prefix(&err, "table %s", r.tables[t].name);
            }
            goto out;
        }
        if (stop_requested(run)) {
            rp->outcome = "interrupted at a batch boundary";
            rc = 0;
            goto out;
        }
    }
    sender_stop(&snd);
    w.ops->close(&w);
    writer_open = false;
    if (run->cfg->verify_checksum && !run->cfg->dry_run && !run->offline &&
        compare_project(run, &r, rp, false, &err) != 0)
        goto out;
    reader_close(&r); /* the snapshot ends before the file is renamed */
    rc = finish_project(run, e, rp, &err);
out:
    sender_stop(&snd);
    if (writer_open)
        w.ops->close(&w);
    reader_close(&r);
    ckpt_project_free(&cp);
    end_project(run, rp, rc == 0 ? NULL : &err, claimed);
}

/* Checks that the project column exists somewhere usable: its type is taken from
 * the first table that has it (every tenant table must have it anyway). */
static int project_column_type(struct run *run, struct error *err)
{
    struct buf sql;
    buf_init(&sql, 0);
    int rc = -1;
    MYSQL_RES *res = NULL;
    if (buf_puts(&sql, "SELECT DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, "
                       "CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS "
                       "WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = ") ||
        target_quote_string(&run->tgt, &sql, run->cfg->project_column,
                            strlen(run->cfg->project_column)) ||
        buf_puts(&sql, " ORDER BY CHARACTER_MAXIMUM_LENGTH LIMIT 1")) {
        error_set(err, "out of memory");
        goto out;
    }
    if ((res = target_select(&run->tgt, sql.data, sql.len, "reading the project column's type",
                             err)) == NULL)
        goto out;
    MYSQL_ROW row = mysql_fetch_row(res);
    if (row == NULL && run->sh->ndesigned > 0) { /* a dry-run's designed tables */
        const struct schema_column *pc = &run->sh->designed[0].cols[0];
        if (schema_column_designed(&run->project_col, pc->name, pc->column_type, false, false) != 0)
            error_set(err, "out of memory");
        else
            rc = 0;
        goto out;
    }
    if (row == NULL) {
        error_set(err,
                  "no table of target database %s has the project column `%s` "
                  "(see --project-column)",
                  run->tgt.database, run->cfg->project_column);
        goto out;
    }
    run->project_col.column_type = strdup(row[1]);
    run->project_col.name = strdup(run->cfg->project_column);
    if (schema_parse_type(&run->project_col, row[0], row[1], row[2],
                          row[3] ? strtoull(row[3], NULL, 10) : 0) != 0) {
        error_set(err, "out of memory");
        goto out;
    }
    rc = 0;
out:
    if (res != NULL)
        mysql_free_result(res);
    buf_free(&sql);
    return rc;
}

/* Sets a run up: target URL, mapping file (into *map), project list and
 * connection (a dry-run goes on offline when the target is unreachable). Returns 0, or -1 with err
 * set; run_end() in both cases. */
static int run_start(struct run *run, struct shared *sh, struct mapping *map,
                     const struct config *cfg, struct report *rep, struct scan_list *list,
                     struct error *err)
{
    memset(run, 0, sizeof *run);
    memset(list, 0, sizeof *list);
    memset(sh, 0, sizeof *sh);
    memset(map, 0, sizeof *map);
    pthread_mutex_init(&sh->mu, NULL);
    plan_memo_init(&sh->memo);
    run->cfg = cfg;
    run->rep = rep;
    run->sh = sh;
    run->map = map;
    plan_init(&run->plan, &run->tgt, cfg, map);
    run->plan.memo = &sh->memo;
    rejects_init(&run->rejects, cfg->rejects_dir);
    if (url_parse(cfg->target_url, &run->url, err) != 0 || claim_owner_init(&sh->me, err) != 0)
        return -1;
    if ((cfg->mapping_path != NULL && mapping_load(cfg->mapping_path, map, err) != 0) ||
        scan_dir(cfg, list, rep->log, err) != 0)
        return -1;
    if (target_connect(&run->tgt, &run->url, err) != 0) {
        if (!cfg->dry_run)
            return -1;
        fprintf(rep->log,
                "litelift: WARNING: %s\nlitelift: dry-run goes on without the target: "
                "files are checked and read, but the schema, the conversions and the "
                "checkpoints cannot be\n",
                err->msg);
        run->offline = true;
    } else
        target_describe(&run->tgt, rep->log);
    if (list->n == 0)
        fprintf(rep->log, "litelift: no files matching %s in %s\n", cfg->pattern, cfg->source_dir);
    return 0;
}

/* Frees a worker's own parts. */
static void run_free(struct run *run)
{
    schema_column_free(&run->project_col);
    plan_free(&run->plan);
    rejects_free(&run->rejects);
    if (run->tgt.my != NULL)
        target_close(&run->tgt);
    url_free(&run->url);
}

static void run_end(struct run *run, struct scan_list *list, struct mapping *map)
{
    run_free(run);
    mapping_free(map);
    scan_free(list);
    plan_memo_free(&run->sh->memo);
    for (size_t i = 0; i < run->sh->ndesigned; i++)
        schema_table_free(&run->sh->designed[i]);
    free(run->sh->designed);
    pthread_mutex_destroy(&run->sh->mu);
}

/* Session settings of a loading connection (see README, "Session tuning"). */
static int load_session(struct run *run, struct error *err)
{
    if (run->cfg->dry_run)
        return 0;
    if (target_execs(&run->tgt, "SET foreign_key_checks = 0", err) != 0)
        return -1;
    if (run->cfg->no_binlog && target_execs(&run->tgt, "SET sql_log_bin = 0", err) != 0)
        return error_prefix(err, "--no-binlog needs the privilege to set sql_log_bin");
    return 0;
}

/* Designs the tables of every project file, as the mapping file (map, may be
 * NULL) says; a file that cannot be read is left out (said on log) and fails
 * later in the project checks. Returns the design, or NULL with err set. */
static struct ddl_schema *design(FILE *log, const struct scan_list *list, bool foreign_keys,
                                 const struct mapping *map, size_t *idlen, struct error *err)
{
    struct ddl_schema *s = ddl_new(foreign_keys, map);
    if (s == NULL) {
        error_set(err, "out of memory");
        return NULL;
    }
    *idlen = 0;
    for (size_t i = 0; i < list->n; i++) {
        struct reader r;
        struct error ignored;
        if (list->v[i].project_id == NULL)
            continue;
        if (strlen(list->v[i].project_id) > *idlen)
            *idlen = strlen(list->v[i].project_id);
        struct error bad;
        if (reader_open(&r, list->v[i].path, &ignored) == 0 && ddl_add(s, &r, &bad) != 0 &&
            log != NULL)
            fprintf(log, "litelift: the design leaves out %s: %s\n", list->v[i].path, bad.msg);
        reader_close(&r);
    }
    struct buf orphans;
    buf_init(&orphans, 0);
    if (log != NULL && ddl_orphans(s, &orphans) > 0)
        for (char *line = orphans.data, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
            fprintf(log, "litelift: WARNING: %.*s\n", (int)(nl - line), line);
    buf_free(&orphans);
    return s;
}

/* ddl_each_unit callback: the load reads those numbers in the design's unit. */
struct unit_ctx {
    struct plan_memo *memo;
    const char *path;
};

static void remember_unit(void *ctx, const char *table, const char *column, enum xform_unit unit)
{
    static const char *const names[] = {[XFORM_UNIT_MS] = "epoch-ms",
                                        [XFORM_UNIT_US] = "epoch-us",
                                        [XFORM_UNIT_JULIAN] = "julian-day"};
    struct unit_ctx *uc = ctx;
    char remark[320];
    snprintf(remark, sizeof remark, "column %s: numbers read as %s (--schema create)", column,
             names[unit]);
    plan_memo_set(uc->memo, uc->path, table, column, unit, remark);
}

/* ddl_columns callback: an existing target table must have each designed
 * column, of the same kind (integer, text, date-time...). */
struct fit_ctx {
    const struct schema_table *existing;
    struct buf *problems;
    const char *table;
};

static void check_fit(void *ctx, const char *column, const char *type)
{
    struct fit_ctx *fc = ctx;
    int k = schema_find_column(fc->existing, column);
    if (k < 0) {
        buf_printf(fc->problems,
                   "table %s exists in the target without column `%s` (%s); it differs from "
                   "what --schema create would make\n",
                   fc->table, column, type);
        return;
    }
    struct schema_column want;
    if (schema_column_designed(&want, column, type, true, false) != 0) {
        buf_printf(fc->problems, "out of memory\n");
        return;
    }
    const struct schema_column *have = &fc->existing->cols[k];
    bool text_like = (want.kind == SCHEMA_TEXT || want.kind == SCHEMA_JSON) &&
                     (have->kind == SCHEMA_TEXT || have->kind == SCHEMA_JSON);
    if (want.kind != have->kind && !text_like)
        buf_printf(fc->problems,
                   "table %s column `%s` is %s in the target, but --schema create would make it "
                   "%s\n",
                   fc->table, column, have->column_type, type);
    schema_column_free(&want);
}

/* ddl_table's defer callback: keeps "table\0index\0sql\0" for after the load. */
static void add_later(void *ctx, const char *table, const char *index, const char *sql)
{
    struct buf *b = ctx;
    buf_append(b, table, strlen(table) + 1);
    buf_append(b, index, strlen(index) + 1);
    buf_append(b, sql, strlen(sql) + 1);
}

/* A dry-run's stand-in for creating table i of design s: the table as the
 * target would describe it joins run->sh->designed, and what a real run
 * would do is said. Returns 0 or -1 (out of memory). */
static int dry_create(struct run *run, const struct ddl_schema *s, size_t i, size_t idlen,
                      const struct buf *later, struct error *err)
{
    struct shared *sh = run->sh;
    struct schema_table *v = realloc(sh->designed, (sh->ndesigned + 1) * sizeof *v);
    if (v == NULL)
        return error_set(err, "out of memory");
    sh->designed = v;
    if (ddl_schema_table(s, i, run->cfg->project_column, idlen, &v[sh->ndesigned]) != 0)
        return error_set(err, "out of memory");
    fprintf(run->rep->log, "litelift: would create table %s (`litelift schema` prints its DDL)\n",
            v[sh->ndesigned].name);
    sh->ndesigned++;
    for (size_t off = 0; off < later->len;) {
        const char *table = later->data + off, *index = table + strlen(table) + 1;
        const char *alter = index + strlen(index) + 1;
        off = (size_t)(alter + strlen(alter) + 1 - later->data);
        fprintf(run->rep->log, "litelift: would build index %s of table %s after the data\n", index,
                table);
    }
    return 0;
}

/* Compares design s with the target behind tgt: every table the target has
 * must hold the designed columns (misfits, and the design's own conflicts, go
 * to problems); missing[i] is set for each table it lacks, ours[i] (may be
 * NULL) for each it has from an earlier --schema create. Returns 0 or -1. */
static int compare_design(struct target *tgt, const struct config *cfg, const struct ddl_schema *s,
                          size_t idlen, bool *missing, bool *ours, struct buf *problems,
                          struct error *err)
{
    struct buf ddl;
    buf_init(&ddl, 0);
    int rc = 0;
    const char *name;
    for (size_t i = 0;
         rc == 0 && (buf_reset(&ddl), ddl_table(s, i, cfg->project_column, idlen, &name, &ddl,
                                                problems, NULL, NULL)) == 0;
         i++) {
        if (plan_reserved(cfg->progress_table, name))
            buf_printf(problems,
                       "table %s: litelift keeps its progress there (see --progress-table; or "
                       "rename the table in the mapping file)\n",
                       name);
        struct schema_table existing;
        struct error lookup;
        int found = schema_load_table(tgt, name, &existing, &lookup);
        if (found < 0) {
            rc = error_set(err, "%s", lookup.msg);
        } else if (found == 1) { /* every designed column must be there, of the same kind */
            struct fit_ctx fc = {&existing, problems, name};
            ddl_columns(s, i, check_fit, &fc);
            schema_table_free(&existing);
        }
        missing[i] = found == 0;
        struct error ignored;
        if (ours != NULL)
            ours[i] = found == 1 && indexes_table_ours(tgt, name, &ignored) == 1;
    }
    buf_free(&ddl);
    return rc;
}

/* --schema create: designs the tables from every file, refuses (before
 * anything is created) when the design conflicts or a target table differs,
 * then creates the missing tables (a dry-run only plans against them) and
 * keeps their plain indexes in later for after the data. Returns 0 or -1. */
static int create_schema(struct run *run, const struct scan_list *list, struct buf *later,
                         struct error *err)
{
    size_t idlen;
    struct ddl_schema *s =
        design(run->rep->log, list, run->cfg->foreign_keys, run->map, &idlen, err);
    if (s == NULL)
        return -1;
    struct buf ddl, problems, mine;
    buf_init(&ddl, 0);
    buf_init(&problems, 65536);
    buf_init(&mine, 0);
    bool *missing = calloc(ddl_ntables(s) + 1, sizeof *missing);
    bool *ours = calloc(ddl_ntables(s) + 1, sizeof *ours);
    int rc = missing == NULL || ours == NULL
                 ? error_set(err, "out of memory")
                 : compare_design(&run->tgt, run->cfg, s, idlen, missing, ours, &problems, err);
    if (rc == 0 && problems.len > 0)
        rc = error_set(err, "--schema create: %.*s", (int)problems.len - 1, problems.data);
    const char *name;
    for (size_t i = 0; rc == 0 && (buf_reset(&ddl), buf_reset(&mine),
                                   ddl_table(s, i, run->cfg->project_column, idlen, &name, &ddl,
                                             &problems, add_later, &mine)) == 0;
         i++) {
        if (ours[i] && !run->cfg->dry_run) {
            /* made by an earlier run: its plain indexes are recorded again
             * (indexes_build skips those that exist) */
            rc = buf_append(later, mine.data, mine.len) ? error_set(err, "out of memory") : 0;
            continue;
        }
        if (!missing[i])
            continue;
        if (run->cfg->dry_run) {
            rc = dry_create(run, s, i, idlen, &mine, err);
            continue;
        }
        rc = target_exec(&run->tgt, ddl.data, ddl.len, err);
        if (rc == 0) /* its plain indexes come after the data */
            rc = buf_append(later, mine.data, mine.len) ? error_set(err, "out of memory") : 0;
        if (rc == 0)
            fprintf(run->rep->log, "litelift: created table %s\n", name);
    }
    for (size_t i = 0; rc == 0 && i < list->n; i++) {
        struct unit_ctx uc = {&run->sh->memo, list->v[i].path};
        ddl_each_unit(s, remember_unit, &uc);
    }
    free(missing);
    free(ours);
    buf_free(&ddl);
    buf_free(&problems);
    buf_free(&mine);
    ddl_free(s);
    return rc;
}

/* A worker's run: a copy of main's options with its own connection. */
static int run_clone(struct run *w, const struct run *main, struct error *err)
{
    memset(w, 0, sizeof *w);
    w->cfg = main->cfg;
    w->rep = main->rep;
    w->sh = main->sh;
    w->map = main->map;
    plan_init(&w->plan, &w->tgt, w->cfg, w->map);
    w->plan.memo = &w->sh->memo;
    w->plan.designed = w->sh->designed;
    w->plan.ndesigned = w->sh->ndesigned;
    rejects_init(&w->rejects, w->cfg->rejects_dir);
    if (url_parse(w->cfg->target_url, &w->url, err) != 0 ||
        target_connect(&w->tgt, &w->url, err) != 0 || project_column_type(w, err) != 0)
        return -1;
    return load_session(w, err);
}

/* A phase-2 worker thread and its run. */
struct worker {
    struct run run;
    pthread_t thread;
    const struct scan_list *list;
    size_t first; /* index of the list's first project in the report */
};

/* Takes the next project and loads it, until none is left or the run stops. */
static void load_loop(struct run *run, const struct scan_list *list, size_t first)
{
    for (;;) {
        pthread_mutex_lock(&run->sh->mu);
        size_t i = run->sh->next;
        bool go = !run->sh->lost && !run->sh->stopped && i < list->n;
        run->sh->next += go;
        pthread_mutex_unlock(&run->sh->mu);
        if (!go || stop_requested(run))
            break;
        struct report_project *rp = &run->rep->projects[first + i];
        if (rp->error == NULL)
            load_project(run, &list->v[i], rp);
    }
}

static void *worker_main(void *arg)
{
    struct worker *wk = arg;
    mysql_thread_init();
    load_loop(&wk->run, wk->list, wk->first);
    mysql_thread_end();
    return NULL;
}

/* Loads the checked projects with cfg->jobs workers (0: one per core), each
 * with its own connection; main's own run is the only worker when there is
 * one job, or the target is unreachable. */
static int load_all(struct run *main, const struct scan_list *list, size_t first, struct error *err)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t jobs = main->cfg->jobs ? main->cfg->jobs : (size_t)(cores > 0 ? cores : 1);
    main->sh->nprojects = list->n;
    main->sh->started = main->sh->said = now_seconds();
    if (jobs > list->n)
        jobs = list->n;
    if (jobs <= 1 || main->offline) {
        load_loop(main, list, first);
        return 0;
    }
    struct worker *wks = calloc(jobs, sizeof *wks);
    if (wks == NULL)
        return error_set(err, "out of memory");
    size_t started = 0;
    int rc = 0;
    for (; started < jobs; started++) {
        wks[started].list = list;
        wks[started].first = first;
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

int pipeline_migrate(const struct config *cfg, struct report *rep, struct error *err)
{
    struct run run;
    struct shared sh;
    struct mapping map;
    struct scan_list list;
    struct buf later;
    int rc = -1;
    buf_init(&later, 0);
    if (run_start(&run, &sh, &map, cfg, rep, &list, err) != 0)
        goto out;
    if (!cfg->dry_run && load_session(&run, err) != 0)
        goto out;
    /* the design is checked whole before anything is created: a refusal
     * leaves the target as it was, progress table included */
    if (cfg->schema_create && !run.offline && create_schema(&run, &list, &later, err) != 0)
        goto out;
    if (!cfg->dry_run && (ckpt_create(&run.tgt, cfg->progress_table, err) != 0 ||
                          indexes_record(&run.tgt, cfg->progress_table, &later, err) != 0 ||
                          renames_complete(&run.tgt, cfg, &sh.me, rep, err) != 0))
        goto out;
    run.plan.designed = sh.designed;
    run.plan.ndesigned = sh.ndesigned;
    if (!run.offline && project_column_type(&run, err) != 0)
        goto out;
    /* Phase 1: every project is checked against the target before any data
     * moves; phase 2 loads the projects that passed. */
    size_t first = rep->nprojects;
    for (size_t i = 0; i < list.n; i++)
        if (report_project(rep, list.v[i].name, list.v[i].project_id) == NULL) {
            error_set(err, "out of memory");
            goto out;
        }
    struct refusal rf = {rep, &rep->projects[first]};
    if (ids_check_files(&list, refuse_id, &rf, err) != 0)
        goto out;
    for (size_t k = 0; k < cfg->nrestart; k++) {
        size_t i;
        for (i = 0; i < list.n; i++)
            if (list.v[i].project_id != NULL && strcmp(list.v[i].project_id, cfg->restart[k]) == 0)
                break;
        if (i == list.n)
            fprintf(rep->log,
                    "litelift: WARNING: --restart-project '%s' matches no project file "
                    "in %s: nothing restarted for it\n",
                    cfg->restart[k], cfg->source_dir);
    }
    for (size_t i = 0; i < list.n && !stop_requested(&run); i++) {
        struct report_project *rp = &rep->projects[first + i];
        struct reader r;
        struct error perr;
        if (rp->error != NULL)
            continue; /* its id comes from two files */
        if (open_project(&run, &list.v[i], true, &r, &perr) != 0 &&
            !finished_elsewhere(&run, &list.v[i], rp))
            report_fail(rep, rp, perr.msg);
        reader_close(&r);
    }
    /* ids told apart under every project column's collation of the tables
     * the projects map to (and the progress table's) */
    if (!run.offline && ids_check(&run.tgt, &run.plan, cfg->progress_table, cfg->project_column,
                                  &list, refuse_id, &rf, err) != 0)
        goto out;
    if (!stop_requested(&run) && load_all(&run, &list, first, err) != 0)
        goto out;
    rep->interrupted = sh.stopped;
    /* recorded plain indexes still missing are built once the data is in
     * (also after an interruption, and when no file is left), on a new
     * connection: the main one may have idled out during the load */
    if (!run.offline && !sh.lost &&
        indexes_build(&run.url, cfg->progress_table, cfg->dry_run, cfg->no_binlog, rep->log, err) !=
            0)
        goto out;
    if (run.offline) {
        error_set(err, "the target was unreachable: this dry-run checked and read the files but "
                       "could not check the schema, convert values or read checkpoints");
        goto out;
    }
    if (sh.lost) {
        error_set(err,
                  "lost the connection to the target (%s); every committed batch is "
                  "checkpointed: rerun the same command to continue",
                  sh.lost_msg);
        goto out;
    }
    rc = 0;
out:
    buf_free(&later);
    run_end(&run, &list, &map);
    return rc;
}

int pipeline_schema(const struct config *cfg, FILE *out, struct error *err)
{
    struct scan_list list;
    if (scan_dir(cfg, &list, stderr, err) != 0)
        return -1;
    size_t idlen;
    struct mapping map = {0};
    struct ddl_schema *s =
        cfg->mapping_path != NULL && mapping_load(cfg->mapping_path, &map, err) != 0
            ? NULL
            : design(stderr, &list, cfg->foreign_keys, &map, &idlen, err);
    struct url url = {0};
    struct target tgt = {0};
    struct buf ddl, problems;
    buf_init(&ddl, 0);
    buf_init(&problems, 65536);
    bool *missing = NULL;
    int rc = s == NULL ? -1 : 0;
    /* with a target: only what `migrate --schema create` would create there */
    if (rc == 0 && cfg->target_url != NULL) {
        missing = calloc(ddl_ntables(s) + 1, sizeof *missing);
        rc = missing == NULL ? error_set(err, "out of memory")
             : url_parse(cfg->target_url, &url, err) != 0 || target_connect(&tgt, &url, err) != 0
                 ? -1
                 : compare_design(&tgt, cfg, s, idlen, missing, NULL, &problems, err);
    }
    if (rc == 0) {
        struct buf again; /* compare_design has the design's own problems already */
        buf_init(&again, 0);
        ddl_render(s, cfg->project_column, idlen, missing, &ddl, missing ? &again : &problems);
        fwrite(ddl.data ? ddl.data : "", 1, ddl.len, out);
        rc = problems.len > 0 ? error_set(err, "%.*s", (int)problems.len - 1, problems.data) : 0;
        buf_free(&again);
    }
    if (tgt.my != NULL)
        target_close(&tgt);
    url_free(&url);
    free(missing);
    buf_free(&ddl);
    buf_free(&problems);
    ddl_free(s);
    mapping_free(&map);
    scan_free(&list);
    return rc;
}

int pipeline_verify(const struct config *cfg, struct report *rep, struct error *err)
{
    struct run run;
    struct shared sh;
    struct mapping map;
    struct scan_list list;
    int rc = -1;
    if (run_start(&run, &sh, &map, cfg, rep, &list, err) != 0 ||
        (!run.offline && project_column_type(&run, err) != 0))
        goto out;
    run.plan.any_engine = true; /* it only reads */
    for (size_t i = 0; i < list.n && !stop_requested(&run); i++) {
        const struct scan_entry *e = &list.v[i];
        struct report_project *rp = report_project(rep, e->name, e->project_id);
        struct reader r;
        struct error perr;
        if (rp == NULL) {
            error_set(err, "out of memory");
            goto out;
        }
        if (open_project(&run, e, false, &r, &perr) != 0 ||
            compare_project(&run, &r, rp, true, &perr) != 0)
            report_fail(rep, rp, perr.msg);
        reader_close(&r);
    }
    rep->interrupted = sh.stopped;
    rc = 0;
out:
    run_end(&run, &list, &map);
    return rc;
}

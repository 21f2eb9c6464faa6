/* project: one project's load (see project.h). */
#include "project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "check.h"
#include "ckpt.h"
#include "ckpt_rejects.h"
#include "fingerprint.h"
#include "ids.h"
#include "load.h"
#include "progress.h"
#include "ranges.h"
#include "retry.h"
#include "sender.h"
#include "verify.h"
#include "writer.h"

static bool restart_requested(const struct config *cfg, const char *project)
{
    for (size_t i = 0; i < cfg->nrestart; i++)
        if (strcmp(cfg->restart[i], project) == 0)
            return true;
    return false;
}

/* A project whose claim a chunked deletion renews. */
struct restart_claim {
    struct run *run;
    const char *project;
};

/* galera_between_fn: the deletions commit only while the project is this run's. */
static int renew_claim(void *ctx, struct error *err)
{
    struct restart_claim *c = ctx;
    return claim_renew(&c->run->tgt, c->run->cfg->progress_table, c->project, &c->run->sh->me,
                       c->run->cfg->lease_seconds, err);
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
    buf_init(&key, BUF_CAP_NAME);
    buf_init(&sql, BUF_CAP_SQL);
    int rc = 0;
    if (buf_printf(&key, "\n%s\n", tt->name) != 0)
        rc = error_oom(err);
    else if (done->data != NULL && strstr(done->data, key.data) != NULL)
        goto out; /* already emptied */
    if (rc == 0)
        rc = ids_restart_guard(&run->tgt, tt, run->cfg->project_column, project, err);
    if (rc == 0 && (buf_append(done, key.data, key.len) || buf_puts(&sql, "DELETE FROM ") ||
                    target_quote_ident(&sql, tt->name) || buf_puts(&sql, " WHERE ") ||
                    target_quote_ident(&sql, run->cfg->project_column) || buf_puts(&sql, " = ") ||
                    target_quote_string(&run->tgt, &sql, project, strlen(project))))
        rc = error_oom(err);
    if (rc == 0 && run->sh->galera.on) /* each chunk below the write-set limits */
        rc = galera_delete(&run->tgt, &run->sh->galera, tt->name, &sql, renew_claim,
                           &(struct restart_claim){run, project}, err) < 0
                 ? -1
                 : 0;
    else if (rc == 0)
        rc = target_exec_buf(&run->tgt, &sql, err);
out:
    buf_free(&key);
    buf_free(&sql);
    return rc;
}

/* --restart-project: deletes the project's rows from every target table its
 * file maps to now and every table its checkpoints name (the file may have
 * changed since), and its checkpoints, in one transaction (on Galera the
 * rows in chunks, each committed: an interrupted restart is run again). */
static int restart_project(struct run *run, struct reader *r, const char *project, const char *file,
                           const struct fingerprint *fp, struct error *err)
{
    struct ckpt_project cp = {0};
    struct buf done;
    buf_init(&done, BUF_CAP_SQL); /* the target tables emptied, one name a line */
    int rc = target_begin(&run->tgt, err) != 0
                 ? -1
                 : ckpt_load(&run->tgt, run->cfg->progress_table, project, &cp, err);
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
        rc = target_commit(&run->tgt, err);
    if (rc != 0) {
        struct error ignored;
        target_rollback(&run->tgt, &ignored);
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
    buf_init(&diff, BUF_CAP_LIST);
    int rc = fingerprint_diff(&prow->fp, fp, true, &diff) != 0 ? error_oom(err)
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
        rc = target_commit(&run->tgt, err);
    ckpt_project_free(cp);
    return rc == 0 ? ckpt_load(&run->tgt, run->cfg->progress_table, project, cp, err) : -1;
}

/* Registers the project's row (when missing) and claims it. Runs through
 * other nodes of a cluster registering or claiming the same row at once make
 * the loser's transaction fail its certification: it is tried again (the
 * row is there then, and its claim says who won). Returns as claim_take. */
static int register_and_claim(struct run *run, const char *id, const char *file,
                              const struct fingerprint *fp, struct claim_holder *h,
                              struct error *err)
{
    const char *pt = run->cfg->progress_table;
    for (int attempt = 1;; attempt++) {
        struct error ignored;
        int rc = ckpt_register(&run->tgt, pt, id, "", file, fp, err) != 0 ||
                         target_commit(&run->tgt, err) != 0
                     ? -1
                     : claim_take(&run->tgt, pt, id, &run->sh->me, run->cfg->lease_seconds, h, err);
        if (rc >= 0 || attempt == 3 || !target_conflict(&run->tgt))
            return rc;
        target_rollback(&run->tgt, &ignored);
    }
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
    int rc = register_and_claim(run, id, file, fp, &h, err);
    rp->by_other = rc == 0;
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
        rp->by_other = true;
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
    return target_commit(&run->tgt, err);
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
        rp->outcome = "read (--offline): schema, values and checkpoints not checked";
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
        int rc = planned == NULL ? error_oom(err)
                                 : project_state(run, e->project_id, CKPT_RENAMING, planned, err);
        if (rc == 0 &&
            backup_rename(e->path, run->cfg->backup_suffix, run->cfg->backup_dir, &dst, err) != 0) {
            rc = error_prefix(err, "backup rename");
            struct error ignored; /* refused before anything moved: not begun after all */
            if (access(planned, F_OK) != 0)
                project_state(run, e->project_id, CKPT_VALIDATED, NULL, &ignored);
        }
        if (rc == 0) {
            report_note(run->rep, rp, "renamed as backup %s", dst);
            rp->backup = dst;
            dst = NULL;
        }
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

int project_compare(struct run *run, struct reader *r, struct report_project *rp, bool record,
                    struct error *err)
{
    struct buf diffs; /* cut to ERROR_MSG_MAX by error_set; a longer list is no failure */
    buf_init(&diffs, BUF_CAP_LIST);
    size_t ndiff = 0;
    int rc = 0;
    for (size_t t = 0; t < r->ntables && rc == 0; t++) {
        struct plan_table p;
        struct verify_result res = {0};
        struct ckpt_rejects_keys skip;
        double t0 = progress_now();
        if (plan_table(&run->plan, r, t, &p, err) != 0) {
            rc = -1;
            break;
        }
        if (p.skip) {
            plan_table_free(&p);
            continue;
        }
        progress_phase("%s table %s",
                       run->cfg->verify_checksum ? "comparing checksums of" : "counting rows of",
                       r->tables[t].name);
        rc = ckpt_rejects_keys(&run->tgt, run->cfg->progress_table, rp->project_id,
                               r->tables[t].name, &skip, err);
        if (rc == 0)
            rc = verify_checksum(&run->tgt, r, t, &p, &skip, run->cfg->project_column,
                                 rp->project_id, &res, err);
        ckpt_rejects_keys_free(&skip);
        plan_table_free(&p);
        if (rc != 0) {
            buf_free(&res.first_diff);
            break;
        }
        bool ok = run->cfg->verify_checksum ? res.equal : res.src_rows == res.tgt_rows;
        struct report_table *rt =
            record ? report_table(rp, r->tables[t].name) : report_find_table(rp, r->tables[t].name);
        if (rt != NULL && record) {
            rt->read = res.src_rows;
            rt->loaded = res.tgt_rows;
            rt->seconds = progress_now() - t0;
            rt->note = !ok ? "DIFFERS" : run->cfg->verify_checksum ? "checksum ok" : "count ok";
            rt->counts = res.src_rows == res.tgt_rows ? REPORT_CHECK_OK : REPORT_CHECK_DIFFERS;
        }
        if (rt != NULL && run->cfg->verify_checksum)
            rt->checksum = res.equal ? REPORT_CHECK_OK : REPORT_CHECK_DIFFERS;
        ndiff += !ok;
        if (!ok && !buf_failed(&diffs))
            buf_printf(&diffs,
                       "%stable %s: the target differs from the source (source %lld row(s), "
                       "CRC32 %08lx; target %lld row(s), CRC32 %08lx): first difference: %s",
                       diffs.len ? "; " : "", r->tables[t].name, res.src_rows, res.src_crc,
                       res.tgt_rows, res.tgt_crc,
                       res.first_diff.len ? res.first_diff.data : "row counts differ");
        buf_free(&res.first_diff);
    }
    progress_phase(NULL);
    if (rc == 0 && ndiff > 0)
        rc = error_set(err, "%s",
                       diffs.len > 0 ? diffs.data
                                     : "the target differs from the source (run litelift verify "
                                       "--checksum to see where)");
    buf_free(&diffs);
    return rc;
}

bool project_finished_elsewhere(struct run *run, const struct scan_entry *e,
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
    rp->by_other = true;
    ckpt_project_free(&cp);
    return done;
}

/* Ends a project's load: a failure (err not NULL) is reported and its open
 * transaction rolled back (a lost connection stops the run), and the claim
 * is given up so that a later run may take the project at once. A failure
 * once the run is to stop is the statement in flight cancelled by the stop
 * (target_watch): the project is interrupted, not failed. */
static void end_project(struct run *run, struct report_project *rp, const struct error *err,
                        bool claimed)
{
    struct error ignored; /* nothing half-done may ride into the next project */
    bool stopped = run_stopped(run);
    if (err != NULL) {
        if (stopped)
            rp->outcome = "interrupted in a batch (rolled back)";
        else
            report_fail(run->rep, rp, err->msg);
        if (!run->cfg->dry_run && !run->offline)
            target_rollback(&run->tgt, &ignored);
    }
    long long rejected = 0;
    for (size_t k = 0; k < rp->ntables; k++)
        rejected += rp->tables[k].rejected;
    if (rejected > 0 && rp->project_id != NULL)
        rp->rejects_at = rejects_project_dir(&run->rejects, rp->project_id);
    char why[sizeof run->sh->lost_msg];
    if (!run->cfg->dry_run && !run->offline && !stopped &&
        (galera_quorum_lost(&run->tgt, why, sizeof why) ||
         target_connection_lost(&run->tgt, why, sizeof why))) {
        pthread_mutex_lock(&run->sh->mu);
        run->sh->lost = true;
        memcpy(run->sh->lost_msg, why, sizeof why);
        pthread_mutex_unlock(&run->sh->mu);
        return;
    }
    if (claimed)
        claim_release(&run->tgt, run->cfg->progress_table, rp->project_id, &run->sh->me, &ignored);
}

void project_load(struct run *run, const struct scan_entry *e, struct report_project *rp)
{
    struct reader r = {0}; /* reader_close() is safe even when the file is gone */
    struct writer w;
    struct sender snd = {0};
    struct error err;
    struct ckpt_project cp = {0};
    enum config_method m = run->cfg->dry_run ? CONFIG_METHOD_DRYRUN : run->cfg->method;
    bool opened = false, claimed = false;
    int rc = -1;
    /* the file part comes before the snapshot: a write in between is seen */
    if ((e->error != NULL && check_project(run, e, false, &r, &err) != 0) || /* not opened */
        fingerprint_file(e->path, &run->snap, &err) != 0 ||
        check_project(run, e, false, &r, &err) != 0) {
        rc = project_finished_elsewhere(run, e, rp) ? 0 : -1;
        goto out;
    }
    int held;
    size_t used = 0; /* a lost node or connection before the load: again on a fresh one */
    while ((held = checkpoint_project(run, &r, e, rp, &cp, &claimed, &err)) < 0 &&
           retry_before_load(run, rp, &used, &err) == 0)
        ckpt_project_free(&cp);
    if (held != 0) {
        rc = held > 0 ? 0 : -1; /* left to another run, or done by one */
        goto out;
    }
    if (writer_init(&w, m, &run->tgt, run->cfg->batch_bytes, &err) != 0 ||
        sender_start(&snd, &err) != 0)
        goto out;
    opened = true;
    for (size_t i = 0; i < r.nskipped; i++)
        report_skipped(run->rep, rp, r.skipped[i].kind, r.skipped[i].name, r.skipped[i].why);
    rp->nskipped = r.nskipped;
    if (r.ntables == 0)
        report_note(run->rep, rp, "file holds no tables");
    struct retry_project io = {&r, &w, &snd, rp, &cp, m};
    for (size_t t = 0; t < r.ntables; t++) {
        int lt = ranges_load_table(run, &io, t, &err);
        if (lt != 0) {
            if (lt > 0) {
                rp->outcome = "interrupted at a batch boundary";
                rc = 0;
            } else {
                error_in_table(&err, r.tables[t].name);
            }
            goto out;
        }
        if (run_stopped(run)) {
            rp->outcome = "interrupted at a batch boundary";
            rc = 0;
            goto out;
        }
    }
    sender_stop(&snd);
    writer_close(&w);
    opened = false;
    if (run->cfg->verify_checksum && !run->cfg->dry_run && !run->offline &&
        project_compare(run, &r, rp, false, &err) != 0)
        goto out;
    reader_close(&r); /* the snapshot ends before the file is renamed */
    rc = finish_project(run, e, rp, &err);
out:
    sender_stop(&snd);
    if (opened)
        writer_close(&w);
    reader_close(&r);
    ckpt_project_free(&cp);
    end_project(run, rp, rc == 0 ? NULL : &err, claimed);
}

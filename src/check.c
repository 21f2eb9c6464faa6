/* check: the pre-flight of the projects (see check.h). */
#include "check.h"

#include <stdio.h>
#include <string.h>

#include "ids.h"
#include "privcheck.h"
#include "preflight.h"
#include "progress.h"
#include "progress_totals.h"
#include "project.h"
#include "reader_meta.h"
#include "target.h"
#include "xform.h"

/* Whether the report remarks line already (said once per run). */
static bool remarked(const struct report *rep, const char *line)
{
    for (size_t i = 0; i < rep->nremarks; i++)
        if (strcmp(rep->remarks[i], line) == 0)
            return true;
    return false;
}

/* On a Galera node, target table `table` without a primary key: refused
 * when wsrep_mode requires one, else warned about once (when warn: by the
 * pre-flight). Returns 0, or -1 with err set. */
static int check_key(struct run *run, const char *table, bool warn, struct error *err)
{
    const struct galera *g = &run->sh->galera;
    bool has = true;
    if (!g->on)
        return 0;
    if (galera_has_primary_key(&run->tgt, table, &has, err) != 0)
        return -1;
    if (has)
        return 0;
    if (g->require_pk)
        return error_set(err,
                         "target table %s has no primary key, which this Galera cluster's "
                         "wsrep_mode (REQUIRED_PRIMARY_KEY) refuses rows of: add one",
                         table);
    char line[512];
    snprintf(line, sizeof line,
             "WARNING: target table %s has no primary key: on a Galera cluster its rows "
             "replicate slowly and may differ between nodes; add one",
             table);
    if (warn && !remarked(run->rep, line))
        report_remark(run->rep, "%s", line);
    return 0;
}

int check_project(struct run *run, const struct scan_entry *e, bool integrity, struct reader *r,
                  struct error *err)
{
    memset(r, 0, sizeof *r); /* reader_close() is safe whatever happens next */
    if (e->error != NULL)    /* no project id, or a file that must not be opened */
        return error_set(err, "%s", e->error);
    const struct config *cfg = run->cfg;
    if (reader_open(r, e->path, err) != 0 || (integrity && reader_check(r, err) != 0))
        return -1;
    if (reader_meta_select(r, cfg->tables, cfg->ntables, cfg->exclude_tables,
                           cfg->nexclude_tables) != 0)
        return error_oom(err);
    if (run->offline)
        return 0;
    struct xform_src src = {
        .type = SQLITE_TEXT, .p = (const unsigned char *)e->project_id, .n = strlen(e->project_id)};
    struct buf arena, why;
    buf_init(&arena, BUF_CAP_ROW);
    buf_init(&why, BUF_CAP_MSG);
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
    buf_init(&problems, BUF_CAP_LIST);
    int rc = 0;
    for (size_t i = 0; i < r->ntables && rc == 0; i++) {
        struct plan_table p;
        struct error terr;
        char why[8];
        /* a connection lost while reading the target says nothing of its schema */
        if (plan_table(&run->plan, r, i, &p, &terr) != 0) {
            if (run->plan.tgt != NULL && target_connection_lost(run->plan.tgt, why, sizeof why))
                rc = error_set(err, "%s", terr.msg);
            else
                buf_printf(&problems, "; %s", terr.msg);
            continue;
        }
        if (!p.skip && check_key(run, p.tgt->name, integrity, &terr) != 0)
            buf_printf(&problems, "; %s", terr.msg);
        plan_table_free(&p);
    }
    if (rc == 0 && problems.len > 0)
        rc = error_set(err, "target schema does not fit: %s", problems.data + 2);
    buf_free(&problems);
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

int check_projects(struct run *run, const struct scan_list *list, size_t *first, struct error *err)
{
    struct report *rep = run->rep;
    *first = rep->nprojects;
    if (!run->offline && preflight_method(run, err) != 0)
        return -1;
    for (size_t i = 0; i < list->n; i++)
        if (report_project(rep, list->v[i].name, list->v[i].project_id) == NULL)
            return error_oom(err);
    struct refusal rf = {rep, &rep->projects[*first]};
    if (ids_check_files(list, refuse_id, &rf, err) != 0)
        return -1;
    for (size_t i = 0; i < list->n && !run_stopped(run); i++) {
        struct report_project *rp = &rep->projects[*first + i];
        struct reader r;
        struct error perr;
        if (rp->error != NULL)
            continue; /* its id comes from two files */
        progress_phase("checking integrity of %s (%zu of %zu)", list->v[i].path, i + 1, list->n);
        if (check_project(run, &list->v[i], true, &r, &perr) != 0) {
            char why[512]; /* a cluster without quorum: one message, not one per project */
            if (!run->offline && galera_quorum_lost(&run->tgt, why, sizeof why)) {
                reader_close(&r);
                progress_phase(NULL);
                return error_set(err, "%s", why);
            }
            if (!project_finished_elsewhere(run, &list->v[i], rp))
                report_fail(rep, rp, perr.msg);
        } else {
            progress_totals_project(run, &r, i, &list->v[i]);
        }
        reader_close(&r);
    }
    progress_phase(NULL);
    /* ids told apart under every project column's collation of the tables
     * the projects map to (and the progress table's) */
    if (!run->offline && privcheck_tables(run, err) != 0)
        return -1;
    if (!run->offline && ids_check(&run->tgt, &run->plan, run->cfg->progress_table,
                                   run->cfg->project_column, list, refuse_id, &rf, err) != 0)
        return -1;
    /* rows a project has in the target that no checkpoint records */
    return run->offline ? 0 : preflight_unrecorded(run, list, rf.rps, err);
}

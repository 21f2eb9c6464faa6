/* check: the pre-flight of the projects (see check.h). */
#include "check.h"

#include <stdio.h>
#include <string.h>

#include "ids.h"
#include "privcheck.h"
#include "preflight.h"
#include "project.h"
#include "xform.h"

int check_project(struct run *run, const struct scan_entry *e, bool integrity, struct reader *r,
                  struct error *err)
{
    memset(r, 0, sizeof *r); /* reader_close() is safe whatever happens next */
    if (e->error != NULL)    /* no project id, or a file that must not be opened */
        return error_set(err, "%s", e->error);
    if (reader_open(r, e->path, err) != 0 || (integrity && reader_check(r, err) != 0))
        return -1;
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

/* Warns about each id of --OPTION (ids[0..n)) that names no project file. */
static void check_named(const struct run *run, const struct scan_list *list, const char *const *ids,
                        size_t n, const char *option)
{
    for (size_t k = 0; k < n; k++) {
        size_t i;
        for (i = 0; i < list->n; i++)
            if (list->v[i].project_id != NULL && strcmp(list->v[i].project_id, ids[k]) == 0)
                break;
        if (i == list->n)
            fprintf(run->rep->log,
                    "litelift: WARNING: --%s '%s' matches no project file in %s: nothing %s for "
                    "it\n",
                    option, ids[k], run->cfg->source_dir,
                    strcmp(option, "adopt") == 0 ? "adopted" : "restarted");
    }
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
    check_named(run, list, run->cfg->restart, run->cfg->nrestart, "restart-project");
    check_named(run, list, run->cfg->adopt, run->cfg->nadopt, "adopt");
    for (size_t i = 0; i < list->n && !run_stopped(run); i++) {
        struct report_project *rp = &rep->projects[*first + i];
        struct reader r;
        struct error perr;
        if (rp->error != NULL)
            continue; /* its id comes from two files */
        if (check_project(run, &list->v[i], true, &r, &perr) != 0 &&
            !project_finished_elsewhere(run, &list->v[i], rp))
            report_fail(rep, rp, perr.msg);
        reader_close(&r);
    }
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

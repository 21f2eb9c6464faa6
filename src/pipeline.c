/* pipeline: the three entry points as phases (see pipeline.h): migrate
 * (setup, schema creation, pre-flight checks, the workers' load, deferred
 * indexes), schema and verify. The stages live in run.c, schema_create.c,
 * check.c, workers.c, project.c and load.c. */
#include "pipeline.h"

#include <stdlib.h>

#include "check.h"
#include "ckpt.h"
#include "ckpt_failures.h"
#include "indexes.h"
#include "privcheck.h"
#include "progress.h"
#include "project.h"
#include "renames.h"
#include "run.h"
#include "schema_create.h"
#include "schema_meaning.h"
#include "workers.h"

int pipeline_migrate(const struct config *cfg, struct report *rep, struct error *err)
{
    struct run run;
    struct shared sh;
    struct mapping map;
    struct scan_list list;
    struct buf later;
    int rc = -1;
    buf_init(&later, BUF_CAP_SQL);
    if (run_start(&run, &sh, &map, cfg, rep, &list, err) != 0 ||
        (!run.offline && privcheck_progress(&run, err) != 0) ||
        progress_start(cfg, PROGRESS_MIGRATE, &rep->log, err) != 0)
        goto out;
    if (!cfg->dry_run && run_session(&run, err) != 0)
        goto out;
    /* the design is checked whole before anything is created: a refusal
     * leaves the target as it was, progress table included */
    if (cfg->schema_create && !run.offline && schema_create_run(&run, &list, &later, err) != 0)
        goto out;
    if (!cfg->dry_run && (ckpt_create(&run.tgt, cfg->progress_table, err) != 0 ||
                          indexes_record(&run.tgt, cfg->progress_table, &later, err) != 0 ||
                          renames_complete(&run.tgt, cfg, &sh.me, rep, err) != 0))
        goto out;
    run.plan.designed = sh.designed;
    run.plan.ndesigned = sh.ndesigned;
    if (!run.offline && run_project_column(&run, err) != 0)
        goto out;
    /* Phase 1: every project is checked against the target before any data
     * moves; phase 2 loads the projects that passed. */
    size_t first;
    if (check_projects(&run, &list, &first, err) != 0)
        goto out;
    if (!run_stopped(&run) && workers_load_all(&run, &list, first, err) != 0)
        goto out;
    rep->interrupted = sh.stopped;
    /* what `status` shows of the failed projects; not after a stop request,
     * which must end the run within seconds even with the server gone */
    struct error ferr;
    if (!cfg->dry_run && !run.offline && !sh.lost && !sh.stopped &&
        ckpt_failures_save(&run.url, cfg->progress_table, rep, &list, &ferr) != 0)
        fprintf(rep->log, "litelift: WARNING: %s\n", ferr.msg);
    /* recorded plain indexes still missing are built once the data is in
     * (also when no file is left; after an interruption by the rerun), on a
     * new connection: the main one may have idled out during the load */
    if (!run.offline && !sh.lost && !sh.stopped &&
        indexes_build(&run.url, cfg->progress_table, cfg->dry_run, cfg->no_binlog, rep->log, err) !=
            0)
        goto out;
    if (sh.lost) {
        error_set(err,
                  "lost the connection to the target (%s); every committed batch is "
                  "checkpointed: rerun the same command to continue",
                  sh.lost_msg);
        goto out;
    }
    rc = 0;
out:
    progress_end(&rep->log);
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
            : schema_create_design(stderr, &list, cfg, &map, &idlen, err);
    struct url url = {0};
    struct target tgt = {0};
    struct buf ddl, problems;
    buf_init(&ddl, BUF_CAP_SQL);
    buf_init(&problems, BUF_CAP_LIST);
    bool *missing = NULL;
    int rc = s == NULL ? -1 : 0;
    /* with a target: only what `migrate --schema create` would create there */
    if (rc == 0 && cfg->target_url != NULL) {
        missing = calloc(ddl_ntables(s) + 1, sizeof *missing);
        rc = missing == NULL ? error_oom(err)
             : url_parse(cfg->target_url, &url, err) != 0 || target_connect(&tgt, &url, err) != 0
                 ? -1
                 : schema_create_compare(&tgt, cfg, s, idlen, missing, NULL, &problems, err);
    }
    if (rc == 0)
        rc = schema_meaning_decide(stderr, s, tgt.my != NULL ? &tgt : NULL, err);
    if (rc == 0) {
        struct buf again; /* schema_create_compare has the design's own problems already */
        buf_init(&again, BUF_CAP_LIST);
        ddl_render(s, cfg->project_column, idlen, missing, &ddl, missing ? &again : &problems);
        rc = buf_check(&ddl, err);
        if (rc == 0)
            fwrite(ddl.data ? ddl.data : "", 1, ddl.len, out);
        if (rc == 0 && problems.len > 0)
            rc = error_set(err, "%.*s", (int)problems.len - 1, problems.data);
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
        (!run.offline && run_project_column(&run, err) != 0) ||
        progress_start(cfg, PROGRESS_VERIFY, &rep->log, err) != 0)
        goto out;
    run.plan.any_engine = true; /* it only reads */
    progress_begin(list.n, NULL);
    for (size_t i = 0; i < list.n && !run_stopped(&run); i++) {
        const struct scan_entry *e = &list.v[i];
        struct report_project *rp = report_project(rep, e->name, e->project_id);
        struct reader r;
        struct error perr;
        if (rp == NULL) {
            error_oom(err);
            goto out;
        }
        progress_project(i, e->project_id);
        if (check_project(&run, e, false, &r, &perr) != 0 ||
            project_compare(&run, &r, rp, true, &perr) != 0)
            report_fail(rep, rp, perr.msg);
        reader_close(&r);
        progress_project_done();
    }
    rep->interrupted = sh.stopped;
    rc = 0;
out:
    progress_end(&rep->log);
    run_end(&run, &list, &map);
    return rc;
}

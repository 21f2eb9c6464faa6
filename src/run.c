/* run: a run's state, set up and torn down (see run.h). */
#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "ckpt.h"

bool run_stopped(struct run *run)
{
    pthread_mutex_lock(&run->sh->mu);
    if (run->cfg->stop != NULL && *run->cfg->stop)
        run->sh->stopped = true;
    bool stop = run->sh->stopped;
    pthread_mutex_unlock(&run->sh->mu);
    return stop;
}

/* Checks that the project column exists somewhere usable: its type is taken from
 * the first table that has it (every tenant table must have it anyway). */
int run_project_column(struct run *run, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = -1;
    target_result *res = NULL;
    if (buf_puts(&sql, "SELECT DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, "
                       "CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS "
                       "WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = ") ||
        target_quote_string(&run->tgt, &sql, run->cfg->project_column,
                            strlen(run->cfg->project_column)) ||
        buf_puts(&sql, " ORDER BY CHARACTER_MAXIMUM_LENGTH LIMIT 1")) {
        error_oom(err);
        goto out;
    }
    if ((res = target_select_buf(&run->tgt, &sql, "reading the project column's type", err)) ==
        NULL)
        goto out;
    char **row = target_next(res);
    if (row == NULL && run->sh->ndesigned > 0) { /* a dry-run's designed tables */
        const struct schema_column *pc = &run->sh->designed[0].cols[0];
        if (schema_column_designed(&run->project_col, pc->name, pc->column_type, false, false) != 0)
            error_oom(err);
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
        error_oom(err);
        goto out;
    }
    rc = 0;
out:
    target_free(res);
    buf_free(&sql);
    return rc;
}

/* When no project file is left in the source: says so when backups or
 * the progress table tell that its files were migrated (a rerun after the
 * end); else it is a mistyped --source or --pattern, refused. Returns 0 or
 * -1 with err set. */
static int source_known(struct run *run, const struct scan_list *list, struct error *err)
{
    const struct config *cfg = run->cfg;
    long long recorded = 0;
    char *dir = list->nbackups > 0 || run->offline ? NULL : realpath(cfg->source_dir, NULL);
    int rc =
        dir == NULL ? 0 : ckpt_count_in_dir(&run->tgt, cfg->progress_table, dir, &recorded, err);
    free(dir);
    if (rc != 0)
        return -1;
    if (list->nbackups == 0 && recorded == 0)
        return error_set(err, "no project files matching %s in %s%s (check --source and --pattern)",
                         cfg->pattern, cfg->source_dir, cfg->recursive ? " and below" : "");
    fprintf(run->rep->log,
            "litelift: no project file left in %s: %lld file(s) were migrated and renamed as "
            "backups\n",
            cfg->source_dir, list->nbackups > 0 ? (long long)list->nbackups : recorded);
    return 0;
}

/* Refuses the run when an id of --OPTION (ids[0..n)) names no project file
 * (a typo must not pass for a restart or an adoption done). Returns 0 or -1
 * with err set. */
static int check_named(const struct run *run, const struct scan_list *list, const char *const *ids,
                       size_t n, const char *option, struct error *err)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = 0;
        while (i < list->n &&
               (list->v[i].project_id == NULL || strcmp(list->v[i].project_id, ids[k]) != 0))
            i++;
        if (i == list->n)
            return error_set(err,
                             "--%s '%s' matches no project file in %s: nothing was started "
                             "(litelift status lists the projects)",
                             option, ids[k], run->cfg->source_dir);
    }
    return 0;
}

/* Sets a run up: target URL, mapping file (into *map), project list and
 * connection (none with --offline; an unreachable target fails any run). Returns 0, or -1 with err
 * set; run_end() in both cases. */
int run_start(struct run *run, struct shared *sh, struct mapping *map, const struct config *cfg,
              struct report *rep, struct scan_list *list, struct error *err)
{
    memset(run, 0, sizeof *run);
    memset(list, 0, sizeof *list);
    memset(sh, 0, sizeof *sh);
    memset(map, 0, sizeof *map);
    pthread_mutex_init(&sh->mu, NULL);
    pthread_cond_init(&sh->work, NULL);
    plan_memo_init(&sh->memo);
    run->cfg = cfg;
    run->rep = rep;
    run->sh = sh;
    run->map = map;
    plan_init(&run->plan, &run->tgt, cfg, map);
    run->plan.memo = &sh->memo;
    rejects_init(&run->rejects, cfg->rejects_dir);
    run->rejects.dry = cfg->dry_run;
    if (url_parse(cfg->target_url, &run->url, err) != 0 || claim_owner_init(&sh->me, err) != 0)
        return -1;
    snprintf(rep->run.id, sizeof rep->run.id, "%s", sh->me.id);
    if ((cfg->mapping_path != NULL && mapping_load(cfg->mapping_path, map, err) != 0) ||
        scan_dir(cfg, list, rep->log, err) != 0 ||
        check_named(run, list, cfg->restart, cfg->nrestart, "restart-project", err) != 0 ||
        check_named(run, list, cfg->adopt, cfg->nadopt, "adopt", err) != 0)
        return -1;
    if (cfg->offline) {
        fputs("litelift: --offline: the target is not contacted: files are checked and read, "
              "but the schema, the conversions and the checkpoints are not\n",
              rep->log);
        run->offline = true;
    } else if (target_connect(&run->tgt, &run->url, err) != 0) {
        return cfg->dry_run ? error_prefix(err, "the dry-run needs the target (to check the "
                                                "schema, the conversions and the checkpoints as "
                                                "the real run will); --offline reads the files "
                                                "without it")
                            : -1;
    } else {
        target_describe(&run->tgt, rep->log);
        target_info(&run->tgt, &rep->run.conn);
        if (galera_probe(&run->tgt, &sh->galera, err) != 0)
            return -1;
        galera_describe(&sh->galera, rep->log);
    }
    return list->n == 0 ? source_known(run, list, err) : 0;
}

/* Frees a worker's own parts. */
void run_free(struct run *run)
{
    schema_column_free(&run->project_col);
    plan_free(&run->plan);
    rejects_free(&run->rejects);
    if (run->tgt.my != NULL)
        target_close(&run->tgt);
    url_free(&run->url);
}

void run_end(struct run *run, struct scan_list *list, struct mapping *map)
{
    run_free(run);
    mapping_free(map);
    scan_free(list);
    plan_memo_free(&run->sh->memo);
    for (size_t i = 0; i < run->sh->ndesigned; i++)
        schema_table_free(&run->sh->designed[i]);
    free(run->sh->designed);
    pthread_cond_destroy(&run->sh->work);
    pthread_mutex_destroy(&run->sh->mu);
}

/* Session settings of a loading connection (see README, "Session tuning"). */
int run_session(struct run *run, struct error *err)
{
    if (run->cfg->dry_run)
        return 0;
    if (target_execs(&run->tgt, "SET foreign_key_checks = 0", err) != 0)
        return -1;
    /* a checkpoint read after a failover sees every commit the cluster made */
    if (run->sh->galera.on && target_execs(&run->tgt, "SET SESSION wsrep_sync_wait = 1", err) != 0)
        return -1;
    if (run->cfg->no_binlog && target_execs(&run->tgt, "SET sql_log_bin = 0", err) != 0)
        return error_prefix(err, "--no-binlog needs the privilege to set sql_log_bin");
    return 0;
}

/* A worker's run: a copy of main's options with its own connection. */
int run_clone(struct run *w, const struct run *main, struct error *err)
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
    w->rejects.dry = w->cfg->dry_run;
    if (url_parse(w->cfg->target_url, &w->url, err) != 0 ||
        target_connect(&w->tgt, &w->url, err) != 0 || run_project_column(w, err) != 0)
        return -1;
    return run_session(w, err);
}

/* pipeline: the migrate run (see pipeline.h). */
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "reader.h"
#include "scan.h"
#include "schema.h"
#include "target.h"
#include "url.h"
#include "val.h"
#include "verify.h"
#include "writer.h"
#include "xform.h"

/* Target tables looked up so far, shared by all projects. */
struct schema_cache {
    struct schema_table *tables; /* name NULL = looked up, not found */
    char **names;                /* the name asked for */
    size_t n;
};

struct run {
    const struct config *cfg;
    struct report *rep;
    struct target tgt;
    struct schema_cache cache;
    struct schema_column project_col;
};

/* How one source table maps onto its target table. */
struct table_plan {
    const struct schema_table *tgt;
    size_t nmap;
    size_t *src_cols;
    const struct schema_column **tgt_cols;
    const char **tgt_names;
};

static const struct schema_table *cache_get(struct run *run, const char *name, struct error *err)
{
    struct schema_cache *c = &run->cache;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->names[i], name) == 0)
            return c->tables[i].name ? &c->tables[i] : NULL;
    struct schema_table *tv = realloc(c->tables, (c->n + 1) * sizeof *tv);
    if (tv == NULL)
        return error_set(err, "out of memory"), NULL;
    c->tables = tv;
    char **nv = realloc(c->names, (c->n + 1) * sizeof *nv);
    if (nv == NULL)
        return error_set(err, "out of memory"), NULL;
    c->names = nv;
    int rc = schema_load_table(&run->tgt, name, &c->tables[c->n], err);
    if (rc < 0)
        return NULL;
    c->names[c->n] = strdup(name);
    c->n++;
    if (rc == 0)
        error_set(err, "table %s: no such table in target database %s", name,
                  run->tgt.database);
    return rc == 1 ? &c->tables[c->n - 1] : NULL;
}

static void cache_free(struct schema_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        schema_table_free(&c->tables[i]);
        free(c->names[i]);
    }
    free(c->tables);
    free(c->names);
}

static void plan_free(struct table_plan *p)
{
    free(p->src_cols);
    free(p->tgt_cols);
    free(p->tgt_names);
    memset(p, 0, sizeof *p);
}

/* Maps source table st onto the target: every source column needs a target
 * column, the project column must exist, and every target NOT NULL column
 * without a default needs a source. All problems are collected in err. */
static int plan_table(struct run *run, const struct reader_table *st, struct table_plan *p,
                      struct error *err)
{
    memset(p, 0, sizeof *p);
    p->tgt = cache_get(run, st->name, err);
    if (p->tgt == NULL)
        return -1;
    const struct schema_table *tt = p->tgt;
    p->src_cols = calloc(st->ncols + 1, sizeof *p->src_cols);
    p->tgt_cols = calloc(st->ncols + 1, sizeof *p->tgt_cols);
    p->tgt_names = calloc(st->ncols + 1, sizeof *p->tgt_names);
    bool *used = calloc(tt->ncols + 1, sizeof *used);
    struct buf problems;
    buf_init(&problems, 4096);
    int rc = -1;
    if (p->src_cols == NULL || p->tgt_cols == NULL || p->tgt_names == NULL || used == NULL) {
        error_set(err, "out of memory");
        goto out;
    }
    int pc = schema_find_column(tt, run->cfg->project_column);
    if (pc < 0)
        buf_printf(&problems, "; target table has no project column `%s`",
                   run->cfg->project_column);
    else
        used[pc] = true;
    for (size_t i = 0; i < st->ncols; i++) {
        const char *name = st->cols[i].name;
        int tc = schema_find_column(tt, name);
        if (tc < 0) {
            buf_printf(&problems, "; source column %s has no target column", name);
        } else if (tc == pc) {
            buf_printf(&problems, "; source column %s collides with the project column", name);
        } else if (tt->cols[tc].generated) {
            buf_printf(&problems, "; target column %s is generated and cannot be loaded", name);
        } else {
            used[tc] = true;
            p->src_cols[p->nmap] = i;
            p->tgt_cols[p->nmap] = &tt->cols[tc];
            p->tgt_names[p->nmap] = tt->cols[tc].name;
            p->nmap++;
        }
    }
    for (size_t k = 0; k < tt->ncols; k++)
        if (!used[k] && !tt->cols[k].nullable && !tt->cols[k].has_default)
            buf_printf(&problems, "; target column %s is NOT NULL without a default and has "
                                  "no source column",
                       tt->cols[k].name);
    if (problems.len > 0) {
        error_set(err, "table %s: %s", st->name, problems.data + 2);
        goto out;
    }
    rc = 0;
out:
    free(used);
    buf_free(&problems);
    if (rc != 0)
        plan_free(p);
    return rc;
}

/* Opens the project's file and checks every table; on success r stays open. */
static int open_project(struct run *run, const struct scan_entry *e, struct reader *r,
                        struct error *err)
{
    if (e->project_id == NULL)
        return error_set(err, "%s", e->error);
    if (reader_open(r, e->path, err) != 0)
        return -1;
    struct xform_src src = {.type = SQLITE_TEXT,
                            .p = (const unsigned char *)e->project_id,
                            .n = strlen(e->project_id)};
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
        struct table_plan p;
        struct error terr;
        if (plan_table(run, &r->tables[i], &p, &terr) != 0)
            buf_printf(&problems, "; %s", terr.msg);
        else
            plan_free(&p);
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

/* Sends the batch and commits it; counts the loaded rows. */
static int flush_batch(struct writer *w, struct batch *b, struct report_table *rt,
                       struct error *err)
{
    if (b->nrows == 0)
        return 0;
    if (w->ops->write_batch(w, b, err) != 0 || w->ops->commit(w, err) != 0)
        return -1;
    rt->loaded += (long long)b->nrows;
    batch_reset(b);
    return 0;
}

/* Streams table t of the open reader into the target, then validates counts. */
static int load_table(struct run *run, struct reader *r, size_t t, struct writer *w,
                      struct report_project *rp, struct error *err)
{
    const struct reader_table *st = &r->tables[t];
    struct report_table *rt = report_table(rp, st->name);
    struct table_plan p;
    struct batch b;
    struct buf key, why;
    int rc = -1;
    double t0 = now_seconds();
    if (rt == NULL)
        return error_set(err, "out of memory");
    if (plan_table(run, st, &p, err) != 0)
        return -1;
    buf_init(&key, 0);
    buf_init(&why, 0);
    if (batch_init(&b, p.nmap, run->cfg->batch_rows) != 0) {
        error_set(err, "out of memory");
        goto out;
    }
    struct writer_table wt = {p.tgt->name, run->cfg->project_column, rp->project_id, p.nmap,
                              p.tgt_names};
    if (w->ops->open(w, &wt, err) != 0 || reader_table_begin(r, t, err) != 0)
        goto out;
    int step;
    while ((step = reader_next(r, err)) == 1) {
        rt->read++;
        size_t mark = b.arena.len;
        struct xform_val *row = batch_row(&b, b.nrows);
        size_t c;
        int x = 0;
        for (c = 0; c < p.nmap; c++) {
            struct xform_src src;
            xform_src_from_sqlite(&src, reader_value(r, p.src_cols[c]));
            buf_reset(&why);
            x = xform_value(p.tgt_cols[c], &src, &b.arena, &row[c], &why);
            if (x != 0)
                break;
        }
        if (x < 0) {
            error_set(err, "out of memory converting a row");
            goto out;
        }
        if (x > 0) {
            buf_truncate(&b.arena, mark);
            buf_reset(&key);
            reader_key(r, &key);
            buf_puts(&why, " [value ");
            val_render(&why, reader_value(r, p.src_cols[c]), 60);
            buf_putc(&why, ']');
            report_reject(run->rep, rp, rt, key.data ? key.data : "?",
                          st->cols[p.src_cols[c]].name, why.data ? why.data : "?");
            continue;
        }
        b.nrows++;
        if ((b.nrows == b.cap_rows || b.arena.len >= run->cfg->batch_bytes) &&
            flush_batch(w, &b, rt, err) != 0)
            goto out;
    }
    if (step < 0 || flush_batch(w, &b, rt, err) != 0)
        goto out;
    if (!run->cfg->dry_run) {
        long long n;
        if (verify_count(&run->tgt, p.tgt->name, run->cfg->project_column, rp->project_id, &n,
                         err) != 0)
            goto out;
        if (n != rt->read - rt->rejected) {
            error_set(err, "table %s: count mismatch: target holds %lld row(s) for this project, "
                           "expected %lld (%lld read - %lld rejected)",
                      st->name, n, rt->read - rt->rejected, rt->read, rt->rejected);
            goto out;
        }
    }
    rc = 0;
out:
    rt->seconds = now_seconds() - t0;
    batch_free(&b);
    buf_free(&key);
    buf_free(&why);
    plan_free(&p);
    return rc;
}

static void load_project(struct run *run, const struct scan_entry *e, struct report_project *rp)
{
    struct reader r;
    struct writer w;
    struct error err;
    enum config_method m = run->cfg->dry_run ? CONFIG_METHOD_DRYRUN : CONFIG_METHOD_INSERT;
    if (open_project(run, e, &r, &err) != 0) {
        reader_close(&r);
        report_fail(run->rep, rp, err.msg);
        return;
    }
    if (writer_init(&w, m, &run->tgt, run->cfg->batch_bytes, &err) != 0) {
        reader_close(&r);
        report_fail(run->rep, rp, err.msg);
        return;
    }
    for (size_t i = 0; i < r.nskipped; i++)
        report_note(run->rep, rp, "skipped %s %s (not a table)", r.skipped[i].kind,
                    r.skipped[i].name);
    rp->nskipped = r.nskipped;
    if (r.ntables == 0)
        report_note(run->rep, rp, "file holds no tables");
    for (size_t t = 0; t < r.ntables; t++) {
        if (load_table(run, &r, t, &w, rp, &err) != 0) {
            report_fail(run->rep, rp, err.msg);
            break;
        }
    }
    w.ops->close(&w);
    reader_close(&r);
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
    if (mysql_real_query(run->tgt.my, sql.data, sql.len) != 0 ||
        (res = mysql_store_result(run->tgt.my)) == NULL) {
        target_error(&run->tgt, err, "reading the project column's type");
        goto out;
    }
    MYSQL_ROW row = mysql_fetch_row(res);
    if (row == NULL) {
        error_set(err, "no table of target database %s has the project column `%s` "
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

int pipeline_migrate(const struct config *cfg, struct report *rep, struct error *err)
{
    struct run run;
    struct url u;
    struct scan_list list = {0};
    int rc = -1;
    memset(&run, 0, sizeof run);
    run.cfg = cfg;
    run.rep = rep;
    if (url_parse(cfg->target_url, &u, err) != 0)
        return -1;
    if (scan_dir(cfg, &list, err) != 0)
        goto out;
    if (target_connect(&run.tgt, &u, err) != 0)
        goto out;
    if (!cfg->dry_run && target_execs(&run.tgt, "SET foreign_key_checks = 0", err) != 0)
        goto out;
    if (project_column_type(&run, err) != 0)
        goto out;
    if (list.n == 0)
        fprintf(rep->log, "litelift: no files matching %s in %s\n", cfg->pattern,
                cfg->source_dir);
    /* Phase 1: every project is checked against the target before any data
     * moves; phase 2 loads the projects that passed. */
    size_t first = rep->nprojects;
    for (size_t i = 0; i < list.n; i++) {
        struct report_project *rp = report_project(rep, list.v[i].name, list.v[i].project_id);
        if (rp == NULL) {
            error_set(err, "out of memory");
            goto out;
        }
        struct reader r;
        struct error perr;
        if (open_project(&run, &list.v[i], &r, &perr) != 0 || reader_check(&r, &perr) != 0)
            report_fail(rep, rp, perr.msg);
        reader_close(&r);
    }
    for (size_t i = 0; i < list.n; i++) {
        struct report_project *rp = &rep->projects[first + i];
        if (rp->error == NULL)
            load_project(&run, &list.v[i], rp);
    }
    rc = 0;
out:
    schema_column_free(&run.project_col);
    cache_free(&run.cache);
    if (run.tgt.my != NULL)
        target_close(&run.tgt);
    scan_free(&list);
    url_free(&u);
    return rc;
}

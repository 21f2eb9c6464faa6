/* schema_create: --schema create and `litelift schema` (see schema_create.h). */
#include "schema_create.h"

#include <stdlib.h>
#include <string.h>

#include "indexes.h"
#include "privcheck.h"
#include "plan.h"
#include "reader.h"
#include "reader_meta.h"
#include "schema.h"
#include "schema_proof.h"
#include "schema_meaning.h"
#include "xform.h"

struct ddl_schema *schema_create_design(FILE *log, const struct scan_list *list,
                                        const struct config *cfg, const struct mapping *map,
                                        size_t *idlen, struct error *err)
{
    struct ddl_schema *s = ddl_new(cfg->foreign_keys, map);
    if (s == NULL) {
        error_oom(err);
        return NULL;
    }
    ddl_set_key_length(s, cfg->key_length);
    *idlen = 0;
    for (size_t i = 0; i < list->n; i++) {
        struct reader r;
        struct error ignored;
        if (list->v[i].project_id == NULL)
            continue;
        if (strlen(list->v[i].project_id) > *idlen)
            *idlen = strlen(list->v[i].project_id);
        struct error bad;
        if (reader_open(&r, list->v[i].path, &ignored) == 0 &&
            reader_meta_select(&r, cfg->tables, cfg->ntables, cfg->exclude_tables,
                               cfg->nexclude_tables) == 0 &&
            ddl_add(s, &r, &bad) != 0 && log != NULL)
            fprintf(log, "litelift: the design leaves out %s: %s\n", list->v[i].path, bad.msg);
        reader_close(&r);
    }
    struct buf orphans;
    buf_init(&orphans, BUF_CAP_LIST);
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
    struct unit_ctx *uc = ctx;
    char remark[320];
    snprintf(remark, sizeof remark, "column %s: numbers read as %s (--schema create)", column,
             mapping_unit_name(unit));
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

/* ddl_table's defer callback: keeps "table\0index\0sql\0" for after the load
 * (an append that did not fit marks b failed: the caller checks). */
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
        return error_oom(err);
    sh->designed = v;
    if (ddl_schema_table(s, i, run->cfg->project_column, idlen, &v[sh->ndesigned]) != 0)
        return error_oom(err);
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

/* Moves the AUTO_INCREMENT counter of table i, which an earlier run made,
 * above every id of this run's files (InnoDB keeps it where it is when it
 * is there already). Returns 0 or -1. */
static int autoinc_above(struct run *run, const struct ddl_schema *s, size_t i, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = ddl_autoinc_alter(s, i, &sql) != 0 ? error_oom(err)
             : sql.len > 0                      ? target_exec_buf(&run->tgt, &sql, err)
                                                : 0;
    buf_free(&sql);
    return rc;
}

int schema_create_compare(struct target *tgt, const struct config *cfg, const struct ddl_schema *s,
                          size_t idlen, bool *missing, bool *ours, struct buf *problems,
                          struct error *err)
{
    struct buf ddl;
    buf_init(&ddl, BUF_CAP_SQL);
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
    /* the server proves the design, unless it is refused already */
    if (rc == 0 && problems->len == 0)
        rc = schema_proof_design(tgt, cfg->project_column, s, idlen, missing, problems, err);
    return rc;
}

int schema_create_run(struct run *run, const struct scan_list *list, struct buf *later,
                      struct error *err)
{
    size_t idlen;
    struct ddl_schema *s =
        schema_create_design(run->rep->log, list, run->cfg, run->map, &idlen, err);
    if (s == NULL)
        return -1;
    struct buf ddl, problems, mine, created;
    buf_init(&ddl, BUF_CAP_SQL);
    buf_init(&problems, BUF_CAP_LIST);
    buf_init(&mine, BUF_CAP_SQL);
    buf_init(&created, BUF_CAP_LIST);
    bool *missing = calloc(ddl_ntables(s) + 1, sizeof *missing);
    bool *ours = calloc(ddl_ntables(s) + 1, sizeof *ours);
    int rc = missing == NULL || ours == NULL ? error_oom(err)
                                             : schema_create_compare(&run->tgt, run->cfg, s, idlen,
                                                                     missing, ours, &problems, err);
    if (rc == 0)
        rc = schema_meaning_decide(run->rep->log, s, &run->tgt, err);
    if (rc == 0 && problems.len > 0)
        rc = error_set(err, "--schema create: %.*s", (int)problems.len - 1, problems.data);
    if (rc == 0)
        rc = privcheck_schema_create(run, missing, ddl_ntables(s), err);
    const char *name;
    for (size_t i = 0; rc == 0 && (buf_reset(&ddl), buf_reset(&mine),
                                   ddl_table(s, i, run->cfg->project_column, idlen, &name, &ddl,
                                             &problems, add_later, &mine)) == 0;
         i++) {
        if (ours[i] && !run->cfg->dry_run) {
            /* made by an earlier run: its plain indexes are recorded again
             * (indexes_build skips those that exist), its ids counted on
             * from above this run's files too */
            rc = buf_append_buf(later, &mine) ? error_oom(err) : autoinc_above(run, s, i, err);
            continue;
        }
        if (!missing[i])
            continue;
        if (run->cfg->dry_run) {
            rc = buf_check(&mine, err) != 0 ? -1 : dry_create(run, s, i, idlen, &mine, err);
            continue;
        }
        rc = schema_proof_create(&run->tgt, name, &ddl, &created, err);
        if (rc == 0) /* its plain indexes come after the data */
            rc = buf_append_buf(later, &mine) ? error_oom(err) : 0;
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
    buf_free(&created);
    ddl_free(s);
    return rc;
}

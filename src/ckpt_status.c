/* ckpt_status: the progress table for `status` (see ckpt_status.h). */
#include "ckpt_status.h"

#include <stdlib.h>
#include <string.h>

#include "ckpt_range.h"

static enum ckpt_state state_named(const char *s)
{
    for (int i = CKPT_PENDING; i <= CKPT_RENAMING; i++)
        if (strcmp(s, ckpt_state_name((enum ckpt_state)i)) == 0)
            return (enum ckpt_state)i;
    return CKPT_NONE;
}

/* Columns: project_id table_name state rows_loaded rows_rejected updated_at
 * source_file backup_file owner_host owner_pid claimed_at lease_until live
 * touched; ordered so that a project's own row ('') comes first. */
static int query(struct buf *sql, const char *table)
{
    return buf_puts(sql, "SELECT project_id, table_name, state, rows_loaded, rows_rejected, "
                         "updated_at, source_file, IFNULL(backup_file, ''), "
                         "IFNULL(owner_host, ''), IFNULL(owner_pid, 0), IFNULL(claimed_at, ''), "
                         "IFNULL(lease_until, ''), IFNULL(lease_until >= UTC_TIMESTAMP(6), 0), "
                         "GREATEST(updated_at, IFNULL(claimed_at, updated_at)) FROM ") ||
           target_quote_table(sql, table) || buf_puts(sql, " ORDER BY project_id, table_name");
}

/* Starts a project from its own row. Returns 0 or -1 (out of memory). */
static int add_project(char **row, struct ckpt_status_project **out, size_t *n)
{
    struct ckpt_status_project *v = realloc(*out, (*n + 1) * sizeof *v);
    if (v == NULL)
        return -1;
    *out = v;
    struct ckpt_status_project *p = &v[(*n)++];
    memset(p, 0, sizeof *p);
    p->project = strdup(row[0]);
    p->state = row[1][0] == '\0' ? state_named(row[2]) : CKPT_NONE;
    p->updated_at = strdup(row[5]);
    p->source_file = strdup(row[6]);
    p->backup_file = strdup(row[7]);
    p->owner_host = strdup(row[8]);
    p->owner_pid = atoll(row[9]);
    p->claimed_at = strdup(row[10]);
    p->lease_until = strdup(row[11]);
    p->live = atoi(row[12]) != 0;
    p->touched = strdup(row[13]);
    return p->project && p->updated_at && p->source_file && p->backup_file && p->owner_host &&
                   p->claimed_at && p->lease_until && p->touched
               ? 0
               : -1;
}

/* Adds a table row to p; its update may be the project's latest. Returns 0
 * or -1. */
static int add_table(char **row, struct ckpt_status_project *p)
{
    struct ckpt_status_table *v = realloc(p->tables, (p->ntables + 1) * sizeof *v);
    if (v == NULL)
        return -1;
    p->tables = v;
    struct ckpt_status_table *t = &v[p->ntables++];
    t->name = strdup(row[1]);
    t->state = state_named(row[2]);
    t->loaded = atoll(row[3]);
    t->rejected = atoll(row[4]);
    t->total = -1;
    t->updated_at = strdup(row[5]);
    if (strcmp(row[5], p->updated_at) > 0) {
        char *later = strdup(row[5]);
        if (later == NULL)
            return -1;
        free(p->updated_at);
        p->updated_at = later;
        if (strcmp(later, p->touched) > 0) {
            char *touched = strdup(later);
            if (touched == NULL)
                return -1;
            free(p->touched);
            p->touched = touched;
        }
    }
    return t->name != NULL && t->updated_at != NULL ? 0 : -1;
}

/* Folds a range row (ckpt_range.h; its table's name is len bytes long)
 * into its table's row in p: until the table is loaded, the ranges hold its
 * counts. */
static void fold_range(char **row, size_t len, struct ckpt_status_project *p)
{
    for (size_t k = 0; k < p->ntables; k++) {
        struct ckpt_status_table *t = &p->tables[k];
        if (strlen(t->name) != len || memcmp(t->name, row[1], len) != 0 || t->state >= CKPT_LOADED)
            continue;
        t->loaded += atoll(row[3]);
        t->rejected += atoll(row[4]);
        if (state_named(row[2]) != CKPT_PENDING)
            t->state = CKPT_LOADING;
        return;
    }
}

int ckpt_status_load(struct target *t, const char *table, bool *exists,
                     struct ckpt_status_project **out, size_t *n, struct error *err)
{
    *out = NULL;
    *n = 0;
    int ex = ckpt_exists(t, table, err);
    *exists = ex > 0;
    if (ex <= 0)
        return ex;
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    target_result *res = NULL;
    int rc = -1;
    if (query(&sql, table)) {
        error_oom(err);
        goto out;
    }
    if ((res = target_select_buf(t, &sql, "reading the progress table", err)) == NULL)
        goto out;
    char **row;
    rc = 0;
    while (rc == 0 && (row = target_next(res)) != NULL) {
        bool same = *n > 0 && strcmp((*out)[*n - 1].project, row[0]) == 0;
        if (!same)
            rc = add_project(row, out, n);
        size_t len, k;
        if (rc == 0 && ckpt_range_parse(row[1], &len, &k))
            fold_range(row, len, &(*out)[*n - 1]);
        else if (rc == 0 && row[1][0] != '\0')
            rc = add_table(row, &(*out)[*n - 1]);
        if (rc != 0)
            error_oom(err);
    }
out:
    target_free(res);
    buf_free(&sql);
    return rc;
}

void ckpt_status_free(struct ckpt_status_project *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct ckpt_status_project *p = &v[i];
        for (size_t k = 0; k < p->ntables; k++) {
            free(p->tables[k].name);
            free(p->tables[k].updated_at);
        }
        free(p->tables);
        free(p->project);
        free(p->source_file);
        free(p->backup_file);
        free(p->updated_at);
        free(p->touched);
        free(p->owner_host);
        free(p->claimed_at);
        free(p->lease_until);
    }
    free(v);
}

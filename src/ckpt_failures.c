/* ckpt_failures: the failures table (see ckpt_failures.h). */
#include "ckpt_failures.h"

#include <stdlib.h>
#include <string.h>

#include "ckpt.h"

/* Appends "`<table>_failures`". */
static int quote_table(struct buf *sql, const char *table)
{
    struct buf name;
    buf_init(&name, BUF_CAP_NAME);
    int bad = buf_puts(&name, table) || buf_puts(&name, "_failures") ||
              target_quote_table(sql, name.data);
    buf_free(&name);
    return bad ? -1 : 0;
}

static int create(struct target *t, const char *table, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = buf_puts(&sql, "CREATE TABLE IF NOT EXISTS ") || quote_table(&sql, table) ||
                     buf_puts(&sql, " (project_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE "
                                    "utf8mb4_bin NOT NULL PRIMARY KEY,"
                                    " source_file VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE "
                                    "utf8mb4_bin NOT NULL,"
                                    " reason TEXT NOT NULL, failed_at DATETIME(6) NOT NULL"
                                    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
                                    " COMMENT='litelift: why each failed project failed'")
                 ? error_oom(err)
                 : target_exec_buf(t, &sql, err);
    buf_free(&sql);
    return rc;
}

/* The absolute path of p's file, from list (a heap string), or NULL. */
static char *path_of(const struct report_project *p, const struct scan_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        if (list->v[i].project_id != NULL && strcmp(list->v[i].project_id, p->project_id) == 0)
            return scan_abs_path(list->v[i].path);
    return NULL;
}

/* The statement that records (or, without error, forgets) p's failure in
 * the file at path. */
static int statement(struct target *t, struct buf *sql, const char *table,
                     const struct report_project *p, const char *path)
{
    if (p->error == NULL)
        return buf_puts(sql, "DELETE FROM ") || quote_table(sql, table) ||
               ckpt_where(t, sql, p->project_id, NULL);
    return buf_puts(sql, "REPLACE INTO ") || quote_table(sql, table) ||
           buf_puts(sql, " (project_id, source_file, reason, failed_at) VALUES (") ||
           target_quote_string(t, sql, p->project_id, strlen(p->project_id)) ||
           buf_putc(sql, ',') || target_quote_string(t, sql, path, strlen(path)) ||
           buf_putc(sql, ',') || target_quote_string(t, sql, p->error, strlen(p->error)) ||
           buf_puts(sql, ", UTC_TIMESTAMP(6))");
}

int ckpt_failures_save(const struct url *u, const char *table, const struct report *rep,
                       const struct scan_list *list, struct error *err)
{
    struct target t;
    struct buf sql;
    if (target_connect(&t, u, err) != 0)
        return error_prefix(err, "recording the failed projects");
    buf_init(&sql, BUF_CAP_SQL);
    int rc = create(&t, table, err);
    for (size_t i = 0; i < rep->nprojects && rc == 0; i++) {
        const struct report_project *p = &rep->projects[i];
        if (p->project_id == NULL || p->by_other)
            continue;
        char *path = path_of(p, list);
        buf_reset(&sql);
        rc = statement(&t, &sql, table, p, path != NULL ? path : p->file)
                 ? error_oom(err)
                 : target_exec_buf(&t, &sql, err);
        free(path);
    }
    if (rc == 0)
        rc = target_commit(&t, err);
    buf_free(&sql);
    target_close(&t);
    return rc != 0 ? error_prefix(err, "recording the failed projects") : 0;
}

/* Adds the row of res to *out. Returns 0 or -1 (out of memory). */
static int add_row(char **row, struct ckpt_failure **out, size_t *n)
{
    struct ckpt_failure *v = realloc(*out, (*n + 1) * sizeof *v);
    if (v == NULL)
        return -1;
    *out = v;
    struct ckpt_failure *f = &v[(*n)++];
    f->project = strdup(row[0]);
    f->source_file = strdup(row[1]);
    f->reason = strdup(row[2]);
    f->failed_at = strdup(row[3]);
    return f->project && f->source_file && f->reason && f->failed_at ? 0 : -1;
}

int ckpt_failures_load(struct target *t, const char *table, struct ckpt_failure **out, size_t *n,
                       struct error *err)
{
    struct buf sql, name;
    buf_init(&sql, BUF_CAP_SQL);
    buf_init(&name, BUF_CAP_NAME);
    target_result *res = NULL;
    *out = NULL;
    *n = 0;
    int rc = -1;
    if (buf_puts(&name, table) || buf_puts(&name, "_failures")) {
        error_oom(err);
        goto out;
    }
    int ex = ckpt_exists(t, name.data, err);
    if (ex <= 0) {
        rc = ex;
        goto out;
    }
    if (buf_puts(&sql, "SELECT project_id, source_file, reason, failed_at FROM ") ||
        quote_table(&sql, table) || buf_puts(&sql, " ORDER BY project_id")) {
        error_oom(err);
        goto out;
    }
    if ((res = target_select_buf(t, &sql, "reading the failures table", err)) == NULL)
        goto out;
    char **row;
    rc = 0;
    while (rc == 0 && (row = target_next(res)) != NULL)
        rc = add_row(row, out, n) != 0 ? error_oom(err) : 0;
out:
    target_free(res);
    buf_free(&sql);
    buf_free(&name);
    return rc;
}

void ckpt_failures_free(struct ckpt_failure *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].project);
        free(v[i].source_file);
        free(v[i].reason);
        free(v[i].failed_at);
    }
    free(v);
}

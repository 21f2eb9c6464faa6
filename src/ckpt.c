/* ckpt: the progress table (see ckpt.h). */
#include "ckpt.h"

#include <stdlib.h>
#include <string.h>

#include "ckpt_rejects.h"
#include "esc.h"

static const char *const state_names[] = {"none",      "pending", "loading", "loaded",
                                          "validated", "renamed", "renaming"};

#define CKPT_STATE_TYPE "ENUM('pending','loading','loaded','validated','renamed','renaming')"

/* The column of a reject that holds the column it was rejected for (NULL:
 * the server refused the whole row). */
#define CKPT_REJECT_COLUMN "column_name TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL"

/* Columns added since the first progress tables (ckpt_create adds them to an
 * older table): the compare-and-set version of a row, the claim of a project
 * row (claim.h) and the backup name a rename is moving the file to. */
static const char *const v2_columns[] = {
    "version BIGINT NOT NULL DEFAULT 0", "owner VARCHAR(255) NULL",
    "owner_host VARCHAR(255) NULL",      "owner_pid BIGINT NULL",
    "claimed_at DATETIME(6) NULL",       "lease_until DATETIME(6) NULL",
    "backup_file VARCHAR(1024) NULL"};

const char *ckpt_state_name(enum ckpt_state s)
{
    return state_names[s];
}

static enum ckpt_state state_from_name(const char *s)
{
    for (size_t i = 0; i < sizeof state_names / sizeof *state_names; i++)
        if (strcmp(s, state_names[i]) == 0)
            return (enum ckpt_state)i;
    return CKPT_NONE;
}

static int fp_equal_sql(struct buf *sql, const struct fingerprint *fp)
{
    return buf_printf(sql,
                      "source_size=%lld, source_mtime_ns=%lld, wal_size=%lld, page_count=%lld, "
                      "schema_crc=%lu",
                      fp->size, fp->mtime_ns, fp->wal_size, fp->page_count, fp->schema_crc);
}

int ckpt_exists(struct target *t, const char *table, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    long long n = 0;
    int rc = -1;
    if (buf_puts(&sql, "SELECT COUNT(*) FROM information_schema.TABLES WHERE ") ||
        target_where_table(t, &sql, table))
        error_oom(err);
    else if (target_query_ll_buf(t, &sql, &n, err) == 0)
        rc = n > 0;
    buf_free(&sql);
    return rc;
}

/* Appends " " + lead + definition + "," for each v2 column. */
static int columns_v2(struct buf *sql, const char *lead)
{
    int bad = 0;
    for (size_t i = 0; i < sizeof v2_columns / sizeof *v2_columns; i++)
        bad |= buf_putc(sql, ' ') | buf_puts(sql, lead) | buf_puts(sql, v2_columns[i]) |
               buf_putc(sql, ',');
    return bad;
}

/* Brings a table made by an earlier litelift up to this one: when the table
 * `name` lacks `column`, runs ALTER TABLE on it with `alter`. */
static int upgrade(struct target *t, const char *name, const char *column, const struct buf *alter,
                   struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    long long n = 0;
    int rc = -1;
    if (buf_puts(&sql, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE COLUMN_NAME = ") ||
        target_quote_string(t, &sql, column, strlen(column)) || buf_puts(&sql, " AND ") ||
        target_where_table(t, &sql, name))
        error_oom(err);
    else if (target_query_ll_buf(t, &sql, &n, err) == 0)
        rc = 0;
    buf_reset(&sql);
    if (rc == 0 && n == 0 &&
        (buf_puts(&sql, "ALTER TABLE ") || target_quote_table(&sql, name) ||
         buf_append(&sql, alter->data, alter->len)))
        rc = error_oom(err);
    else if (rc == 0 && n == 0)
        rc = target_exec_buf(t, &sql, err);
    buf_free(&sql);
    return rc;
}

/* Upgrades both tables of an earlier litelift: keys of any length, the
 * renaming state, versions and claims; the rejected column of a reject. */
static int upgrade_all(struct target *t, const char *table, struct error *err)
{
    struct buf alter, name;
    buf_init(&alter, BUF_CAP_SQL);
    buf_init(&name, BUF_CAP_NAME);
    int rc = -1;
    if (columns_v2(&alter, "ADD COLUMN ") ||
        buf_puts(&alter,
                 " MODIFY last_key LONGBLOB NULL, MODIFY state " CKPT_STATE_TYPE " NOT NULL"))
        error_oom(err);
    else
        rc = upgrade(t, table, "version", &alter, err);
    buf_reset(&alter);
    if (rc == 0 && (ckpt_rejects_table_name(&name, table) ||
                    buf_puts(&alter, " ADD COLUMN " CKPT_REJECT_COLUMN
                                     " AFTER row_key, MODIFY row_key LONGBLOB NOT NULL")))
        rc = error_oom(err);
    else if (rc == 0)
        rc = upgrade(t, name.data, "column_name", &alter, err);
    buf_free(&alter);
    buf_free(&name);
    return rc;
}

int ckpt_create_table(struct target *t, const char *name, const char *rest, struct error *err)
{
    int ex = ckpt_exists(t, name, err);
    if (ex != 0)
        return ex < 0 ? -1 : 0;
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = buf_puts(&sql, "CREATE TABLE IF NOT EXISTS ") || target_quote_table(&sql, name) ||
                     buf_puts(&sql, rest)
                 ? error_oom(err)
                 : target_exec_buf(t, &sql, err);
    buf_free(&sql);
    return rc;
}

int ckpt_create(struct target *t, const char *table, struct error *err)
{
    struct buf rest, name;
    buf_init(&rest, BUF_CAP_SQL);
    buf_init(&name, BUF_CAP_NAME);
    int rc = -1;
    if (buf_puts(&rest,
                 " (project_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
                 " table_name VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
                 " source_file VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
                 " source_size BIGINT NOT NULL, source_mtime_ns BIGINT NOT NULL,"
                 " wal_size BIGINT NOT NULL, page_count BIGINT NOT NULL,"
                 " schema_crc BIGINT UNSIGNED NOT NULL,"
                 " last_key LONGBLOB NULL,"
                 " rows_loaded BIGINT NOT NULL DEFAULT 0,"
                 " rows_rejected BIGINT NOT NULL DEFAULT 0, state " CKPT_STATE_TYPE " NOT NULL,"
                 " started_at DATETIME(6) NOT NULL, updated_at DATETIME(6) NOT NULL,") ||
        columns_v2(&rest, "") ||
        buf_puts(&rest, " PRIMARY KEY (project_id, table_name)"
                        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
                        " COMMENT='litelift checkpoints: one row per project and table'"))
        error_oom(err);
    else
        rc = ckpt_create_table(t, table, rest.data, err);
    if (rc == 0 && ckpt_rejects_table_name(&name, table))
        rc = error_oom(err);
    else if (rc == 0)
        rc = ckpt_create_table(
            t, name.data,
            " (project_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
            " table_name VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
            " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            " row_key LONGBLOB NOT NULL, " CKPT_REJECT_COLUMN ","
            " reason TEXT NOT NULL,"
            " created_at DATETIME(6) NOT NULL,"
            " KEY (project_id, table_name)"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
            " COMMENT='litelift: rows set aside, with the reason'",
            err);
    buf_free(&rest);
    buf_free(&name);
    if (rc == 0)
        rc = upgrade_all(t, table, err);
    if (rc != 0)
        error_prefix(err, "creating progress table %s", table);
    return rc;
}

/* Appends " WHERE project_id = 'p'[ AND table_name = 'n']". */
int ckpt_where(struct target *t, struct buf *sql, const char *project, const char *name)
{
    int bad = buf_puts(sql, " WHERE project_id = ") |
              target_quote_string(t, sql, project, strlen(project));
    if (name != NULL)
        bad |=
            buf_puts(sql, " AND table_name = ") | target_quote_string(t, sql, name, strlen(name));
    return bad;
}

int ckpt_load(struct target *t, const char *table, const char *project, struct ckpt_project *out,
              struct error *err)
{
    memset(out, 0, sizeof *out);
    int ex = ckpt_exists(t, table, err);
    if (ex <= 0)
        return ex;
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    target_result *res = NULL;
    int rc = -1;
    if (buf_puts(&sql, "SELECT table_name, state, rows_loaded, rows_rejected, last_key, "
                       "source_size, source_mtime_ns, wal_size, page_count, schema_crc, "
                       "updated_at, version, IFNULL(backup_file, '') FROM ") ||
        target_quote_table(&sql, table) || ckpt_where(t, &sql, project, NULL) ||
        buf_puts(&sql, " ORDER BY table_name")) {
        error_oom(err);
        goto out;
    }
    if ((res = target_select_buf(t, &sql, "reading checkpoints", err)) == NULL)
        goto out;
    out->rows = calloc(target_count(res) + 1, sizeof *out->rows);
    if (out->rows == NULL) {
        error_oom(err);
        goto out;
    }
    char **row;
    while ((row = target_next(res)) != NULL) {
        unsigned long *len = target_lengths(res);
        struct ckpt_row *c = &out->rows[out->n++];
        c->table = strdup(row[0]);
        c->state = state_from_name(row[1]);
        c->rows_loaded = strtoll(row[2], NULL, 10);
        c->rows_rejected = strtoll(row[3], NULL, 10);
        buf_init(&c->last_key, BUF_CAP_ROW);
        if (row[4] != NULL && buf_append(&c->last_key, row[4], len[4]) != 0) {
            error_oom(err);
            goto out;
        }
        c->fp.size = strtoll(row[5], NULL, 10);
        c->fp.mtime_ns = strtoll(row[6], NULL, 10);
        c->fp.wal_size = strtoll(row[7], NULL, 10);
        c->fp.page_count = strtoll(row[8], NULL, 10);
        c->fp.schema_crc = strtoul(row[9], NULL, 10);
        c->updated_at = strdup(row[10]);
        c->pos = (struct ckpt_pos){strtoll(row[11], NULL, 10), c->rows_loaded, c->rows_rejected};
        c->backup_file = strdup(row[12]);
    }
    rc = target_commit(t, err);
out:
    target_free(res);
    buf_free(&sql);
    if (rc != 0)
        ckpt_project_free(out);
    return rc;
}

struct ckpt_row *ckpt_find(struct ckpt_project *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->rows[i].table, name) == 0)
            return &p->rows[i];
    return NULL;
}

void ckpt_project_free(struct ckpt_project *p)
{
    for (size_t i = 0; p->rows != NULL && i < p->n; i++) {
        free(p->rows[i].table);
        free(p->rows[i].updated_at);
        free(p->rows[i].backup_file);
        buf_free(&p->rows[i].last_key);
    }
    free(p->rows);
    memset(p, 0, sizeof *p);
}

static int run_sql(struct target *t, struct buf *sql, int bad, struct error *err)
{
    int rc = bad ? error_oom(err) : target_exec_buf(t, sql, err);
    buf_free(sql);
    return rc;
}

int ckpt_register(struct target *t, const char *table, const char *project, const char *name,
                  const char *source_file, const struct fingerprint *fp, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int bad = buf_puts(&sql, "INSERT INTO ") | target_quote_table(&sql, table) |
              buf_puts(&sql, " SET project_id = ") |
              target_quote_string(t, &sql, project, strlen(project)) |
              buf_puts(&sql, ", table_name = ") | target_quote_string(t, &sql, name, strlen(name)) |
              buf_puts(&sql, ", source_file = ") |
              target_quote_string(t, &sql, source_file, strlen(source_file)) |
              buf_puts(&sql, ", ") | fp_equal_sql(&sql, fp) |
              buf_puts(&sql, ", state = 'pending', started_at = UTC_TIMESTAMP(6), "
                             "updated_at = UTC_TIMESTAMP(6) "
                             "ON DUPLICATE KEY UPDATE project_id = project_id");
    return run_sql(t, &sql, bad, err);
}

int ckpt_advance(struct target *t, const char *table, const char *project, const char *name,
                 struct ckpt_pos *pos, const struct buf *key, long long loaded, long long rejected,
                 enum ckpt_state state, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    struct ckpt_pos next = {pos->version + 1, pos->loaded + loaded, pos->rejected + rejected};
    int bad = buf_puts(&sql, "UPDATE ") | target_quote_table(&sql, table) |
              buf_printf(&sql,
                         " SET rows_loaded = %lld, rows_rejected = %lld, version = %lld, "
                         "state = '%s', updated_at = UTC_TIMESTAMP(6)",
                         next.loaded, next.rejected, next.version, ckpt_state_name(state));
    if (key != NULL && key->len > 0)
        bad |= buf_puts(&sql, ", last_key = X'") | buf_hex(&sql, key->data, key->len) |
               buf_putc(&sql, '\'');
    bad |= ckpt_where(t, &sql, project, name) |
           buf_printf(&sql, " AND version = %lld AND rows_loaded = %lld AND rows_rejected = %lld",
                      pos->version, pos->loaded, pos->rejected);
    long long n = bad ? error_oom(err) : target_update_buf(t, &sql, err);
    buf_free(&sql);
    if (n < 0)
        return -1;
    if (n != 1)
        return error_set_table(err, name,
                               "its checkpoint is no longer the one this run wrote (%lld "
                               "row(s) loaded, version %lld): another run is loading project '%s' "
                               "at the same time, or its progress rows were reset; this batch is "
                               "rolled back",
                               pos->loaded, pos->version, project);
    *pos = next;
    return 0;
}

int ckpt_set_state(struct target *t, const char *table, const char *project, const char *name,
                   enum ckpt_state state, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int bad = buf_puts(&sql, "UPDATE ") | target_quote_table(&sql, table) |
              buf_printf(&sql,
                         " SET state = '%s', version = version + 1, updated_at = "
                         "UTC_TIMESTAMP(6)",
                         ckpt_state_name(state)) |
              ckpt_where(t, &sql, project, name);
    return run_sql(t, &sql, bad, err);
}

int ckpt_set_renaming(struct target *t, const char *table, const char *project,
                      const char *backup_file, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int bad = buf_puts(&sql, "UPDATE ") | target_quote_table(&sql, table) |
              buf_puts(&sql, " SET state = 'renaming', version = version + 1, updated_at = "
                             "UTC_TIMESTAMP(6), backup_file = ") |
              target_quote_string(t, &sql, backup_file, strlen(backup_file)) |
              ckpt_where(t, &sql, project, "");
    return run_sql(t, &sql, bad, err);
}

int ckpt_forget(struct target *t, const char *table, const char *project, const char *source_file,
                const struct fingerprint *fp, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int bad = buf_puts(&sql, "DELETE FROM ") | target_quote_table(&sql, table) |
              ckpt_where(t, &sql, project, NULL) | buf_puts(&sql, " AND table_name <> ''");
    if (run_sql(t, &sql, bad, err) != 0)
        return -1;
    buf_init(&sql, BUF_CAP_SQL);
    bad = buf_puts(&sql, "DELETE FROM ") | ckpt_rejects_quote_table(&sql, table) |
          ckpt_where(t, &sql, project, NULL);
    if (run_sql(t, &sql, bad, err) != 0)
        return -1;
    buf_init(&sql, BUF_CAP_SQL);
    bad = buf_puts(&sql, "UPDATE ") | target_quote_table(&sql, table) |
          buf_puts(&sql, " SET state = 'pending', rows_loaded = 0, rows_rejected = 0, last_key = "
                         "NULL, backup_file = NULL, version = version + 1, started_at = "
                         "UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6), source_file = ") |
          target_quote_string(t, &sql, source_file, strlen(source_file)) | buf_puts(&sql, ", ") |
          fp_equal_sql(&sql, fp) | ckpt_where(t, &sql, project, "");
    return run_sql(t, &sql, bad, err);
}

int ckpt_count_in_dir(struct target *t, const char *table, const char *dir, long long *n,
                      struct error *err)
{
    *n = 0;
    int exists = ckpt_exists(t, table, err);
    if (exists <= 0)
        return exists;
    struct buf sql, prefix;
    buf_init(&sql, BUF_CAP_SQL);
    buf_init(&prefix, BUF_CAP_NAME);
    int rc = -1;
    if (buf_puts(&prefix, dir) || buf_putc(&prefix, '/') ||
        buf_puts(&sql, "SELECT COUNT(*) FROM ") || target_quote_table(&sql, table) ||
        buf_puts(&sql, " WHERE table_name = '' AND LEFT(source_file, CHAR_LENGTH(") ||
        target_quote_string(t, &sql, prefix.data, prefix.len) || buf_puts(&sql, ")) = ") ||
        target_quote_string(t, &sql, prefix.data, prefix.len))
        error_oom(err);
    else if (target_query_ll_buf(t, &sql, n, err) == 0)
        rc = target_commit(t, err);
    buf_free(&sql);
    buf_free(&prefix);
    return rc;
}

int ckpt_list_renaming(struct target *t, const char *table, struct ckpt_renaming **out, size_t *n,
                       struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    target_result *res = NULL;
    int rc = -1;
    *out = NULL;
    *n = 0;
    if (buf_puts(&sql, "SELECT project_id, source_file, backup_file FROM ") ||
        target_quote_table(&sql, table) ||
        buf_puts(&sql, " WHERE table_name = '' AND state = 'renaming' AND backup_file IS NOT "
                       "NULL ORDER BY project_id")) {
        error_oom(err);
        goto out;
    }
    if ((res = target_select_buf(t, &sql, "reading begun renames", err)) == NULL)
        goto out;
    *out = calloc(target_count(res) + 1, sizeof **out);
    rc = *out == NULL ? error_oom(err) : 0;
    char **row;
    while (rc == 0 && (row = target_next(res)) != NULL) {
        struct ckpt_renaming *v = &(*out)[(*n)++];
        v->project = strdup(row[0]);
        v->source_file = strdup(row[1]);
        v->backup_file = strdup(row[2]);
        if (!v->project || !v->source_file || !v->backup_file)
            rc = error_oom(err);
    }
    if (rc == 0)
        rc = target_commit(t, err);
out:
    target_free(res);
    buf_free(&sql);
    return rc;
}

void ckpt_renaming_free(struct ckpt_renaming *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].project);
        free(v[i].source_file);
        free(v[i].backup_file);
    }
    free(v);
}

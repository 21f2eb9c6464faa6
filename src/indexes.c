/* indexes: deferred plain indexes, recorded in the target and built on a
 * connection of their own (see indexes.h). */
#include "indexes.h"

#include <string.h>

#include "ckpt.h"
#include "ddl.h"
#include "progress.h"

#define ER_DUP_KEYNAME 1061 /* the index exists: another run built it meanwhile */

/* Appends the quoted name "<progress_table>_indexes". */
static int record_table(struct buf *sql, const char *progress_table)
{
    struct buf name;
    buf_init(&name, BUF_CAP_NAME);
    int bad = buf_puts(&name, progress_table) | buf_puts(&name, "_indexes");
    bad = bad || target_quote_table(sql, name.data);
    buf_free(&name);
    return bad;
}

/* Runs head + 'a' [+ mid + 'b'] (a COUNT query) into *n. Returns 0 or -1. */
static int count(struct target *t, const char *head, const char *a, const char *mid, const char *b,
                 long long *n, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc =
        buf_puts(&sql, head) || target_quote_string(t, &sql, a, strlen(a)) ||
                (mid != NULL && (buf_puts(&sql, mid) || target_quote_string(t, &sql, b, strlen(b))))
            ? error_oom(err)
            : target_query_ll_buf(t, &sql, n, err);
    buf_free(&sql);
    return rc;
}

int indexes_table_ours(struct target *t, const char *name, struct error *err)
{
    long long n = 0;
    if (count(t,
              "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
              "AND TABLE_COMMENT = '" DDL_MARK "' AND TABLE_NAME = ",
              name, NULL, NULL, &n, err) != 0)
        return -1;
    return n > 0;
}

int indexes_record(struct target *t, const char *progress_table, const struct buf *later,
                   struct error *err)
{
    if (later->len == 0)
        return 0;
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = 0;
    if (buf_puts(&sql, progress_table) || buf_puts(&sql, "_indexes"))
        rc = error_oom(err);
    else
        rc = ckpt_create_table(
            t, sql.data,
            " (table_name VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
            " index_name VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
            " ddl TEXT NOT NULL, recorded_at DATETIME(6) NOT NULL, built_at DATETIME(6) NULL,"
            " PRIMARY KEY (table_name, index_name)"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
            " COMMENT='litelift: plain indexes of the tables --schema create made, built "
            "after the data'",
            err);
    for (size_t off = 0; rc == 0 && off < later->len;) {
        const char *table = later->data + off, *index = table + strlen(table) + 1;
        const char *ddl = index + strlen(index) + 1;
        off = (size_t)(ddl + strlen(ddl) + 1 - later->data);
        buf_reset(&sql);
        if (buf_puts(&sql, "INSERT INTO ") || record_table(&sql, progress_table) ||
            buf_puts(&sql, " (table_name, index_name, ddl, recorded_at) VALUES (") ||
            target_quote_string(t, &sql, table, strlen(table)) || buf_putc(&sql, ',') ||
            target_quote_string(t, &sql, index, strlen(index)) || buf_putc(&sql, ',') ||
            target_quote_string(t, &sql, ddl, strlen(ddl)) ||
            buf_puts(&sql, ", UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE ddl = VALUES(ddl)"))
            rc = error_oom(err);
        else
            rc = target_exec_buf(t, &sql, err);
    }
    if (rc == 0)
        rc = target_commit(t, err);
    buf_free(&sql);
    if (rc != 0)
        error_prefix(err, "recording the indexes to build after the data");
    return rc;
}

/* Builds index `index` of `table` with statement ddl unless it exists or the
 * table is not litelift's, and marks it built. Returns 0 or -1. */
static int build_one(struct target *t, const char *progress_table, const char *table,
                     const char *index, const char *ddl, bool dry_run, FILE *log, struct error *err)
{
    long long have = 0;
    int ours = indexes_table_ours(t, table, err);
    if (ours <= 0)
        return ours; /* gone, or replaced by a table of the user's own */
    if (count(t,
              "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
              "DATABASE() AND TABLE_NAME = ",
              table, " AND INDEX_NAME = ", index, &have, err) != 0)
        return -1;
    if (have > 0)
        return 0;
    if (dry_run) {
        fprintf(log, "litelift: would build index %s of table %s after the data\n", index, table);
        return 0;
    }
    progress_phase("building index %s of table %s", index, table);
    int built = target_execs(t, ddl, err);
    progress_phase(NULL);
    if (built != 0)
        return target_errno(t) == ER_DUP_KEYNAME
                   ? 0
                   : error_prefix(err, "building index %s of table %s", index, table);
    fprintf(log, "litelift: built index %s of table %s after the data\n", index, table);
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = buf_puts(&sql, "UPDATE ") || record_table(&sql, progress_table) ||
                     buf_puts(&sql, " SET built_at = UTC_TIMESTAMP(6) WHERE table_name = ") ||
                     target_quote_string(t, &sql, table, strlen(table)) ||
                     buf_puts(&sql, " AND index_name = ") ||
                     target_quote_string(t, &sql, index, strlen(index))
                 ? error_oom(err)
                 : target_exec_buf(t, &sql, err);
    if (rc == 0)
        rc = target_commit(t, err);
    buf_free(&sql);
    return rc;
}

int indexes_build(const struct url *u, const char *progress_table, bool dry_run, bool no_binlog,
                  FILE *log, struct error *err)
{
    struct target t;
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    target_result *res = NULL;
    long long recorded = 0;
    int rc = -1;
    if (target_connect(&t, u, err) != 0) {
        buf_free(&sql);
        return error_prefix(err, "building the indexes after the data");
    }
    if (buf_puts(&sql, progress_table) || buf_puts(&sql, "_indexes")) {
        error_oom(err);
        goto out;
    }
    if ((recorded = ckpt_exists(&t, sql.data, err)) < 0)
        goto out;
    rc = 0;
    if (recorded == 0)
        goto out;
    if (no_binlog && !dry_run && target_execs(&t, "SET sql_log_bin = 0", err) != 0) {
        rc = error_prefix(err, "--no-binlog needs the privilege to set sql_log_bin");
        goto out;
    }
    buf_reset(&sql);
    if (buf_puts(&sql, "SELECT table_name, index_name, ddl FROM ") ||
        record_table(&sql, progress_table) || buf_puts(&sql, " ORDER BY table_name, index_name"))
        rc = error_oom(err);
    else if ((res = target_select_buf(&t, &sql, "reading the recorded indexes", err)) == NULL)
        rc = -1;
    char **row;
    while (rc == 0 && res != NULL && (row = target_next(res)) != NULL)
        rc = build_one(&t, progress_table, row[0], row[1], row[2], dry_run, log, err);
    if (rc == 0)
        rc = target_commit(&t, err);
out:
    target_free(res);
    buf_free(&sql);
    target_close(&t);
    return rc;
}

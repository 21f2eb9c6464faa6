/* rejects: reject files (see rejects.h). */
#include "rejects.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "val.h"

void rejects_init(struct rejects *rj, const char *dir)
{
    memset(rj, 0, sizeof *rj);
    rj->dir = strdup(dir);
    buf_init(&rj->line, 0);
}

/* A project id as a directory name: '/' and NUL-free already; "." and ".."
 * and a leading '.' are prefixed so that they stay inside DIR. */
static char *project_dir(const struct rejects *rj, const char *project)
{
    char *out = NULL;
    struct buf b;
    buf_init(&b, 0);
    for (const char *p = project; *p; p++)
        if (*p == '/' ? buf_puts(&b, "%2F") : buf_putc(&b, *p))
            break;
    if (b.data != NULL &&
        asprintf(&out, "%s/%s%s", rj->dir, b.data[0] == '.' ? "_" : "", b.data) < 0)
        out = NULL;
    buf_free(&b);
    return out;
}

char *rejects_path(const struct rejects *rj, const char *project, const char *table,
                   const char *ext)
{
    char *dir = project_dir(rj, project), *out = NULL;
    struct buf t;
    buf_init(&t, 0);
    for (const char *p = table; *p; p++)
        if (*p == '/' ? buf_puts(&t, "%2F") : buf_putc(&t, *p))
            break;
    if (dir != NULL && t.data != NULL && asprintf(&out, "%s/%s.rejects.%s", dir, t.data, ext) < 0)
        out = NULL;
    free(dir);
    buf_free(&t);
    return out;
}

static int mkdir_p(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return -1;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            free(copy);
            return -1;
        }
        *p = '/';
    }
    int rc = mkdir(copy, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(copy);
    return rc;
}

/* Moves an earlier run's tsv/log to the first free .N suffix. */
static int rotate(const char *tsv, const char *log)
{
    struct stat st;
    if (stat(tsv, &st) != 0 && stat(log, &st) != 0)
        return 0;
    for (int n = 1; n < 100000; n++) {
        char *a = NULL, *b = NULL;
        int rc = -1;
        if (asprintf(&a, "%s.%d", tsv, n) >= 0 && asprintf(&b, "%s.%d", log, n) >= 0) {
            if (stat(a, &st) == 0 || stat(b, &st) == 0) {
                rc = 1;
            } else {
                rc = (rename(tsv, a) == 0 || errno == ENOENT) &&
                             (rename(log, b) == 0 || errno == ENOENT)
                         ? 0
                         : -1;
            }
        }
        free(a);
        free(b);
        if (rc <= 0)
            return rc;
    }
    return -1;
}

static int open_pair(struct rejects *rj, const char *project, const char *table, int ncols,
                     const char *const *cols, struct error *err)
{
    if (rj->tsv != NULL && strcmp(rj->project, project) == 0 && strcmp(rj->table, table) == 0)
        return 0;
    rejects_close(rj);
    char *dir = project_dir(rj, project);
    char *tsv = rejects_path(rj, project, table, "tsv");
    char *log = rejects_path(rj, project, table, "log");
    int rc = -1;
    if (dir == NULL || tsv == NULL || log == NULL) {
        error_set(err, "out of memory");
        goto out;
    }
    if (mkdir_p(dir) != 0 || rotate(tsv, log) != 0) {
        error_set(err, "reject files under %s: %m", dir);
        goto out;
    }
    rj->tsv = fopen(tsv, "wb");
    rj->log = fopen(log, "wb");
    if (rj->tsv == NULL || rj->log == NULL) {
        error_set(err, "cannot create %s: %m", rj->tsv == NULL ? tsv : log);
        goto out;
    }
    rj->project = strdup(project);
    rj->table = strdup(table);
    buf_reset(&rj->line);
    int bad = 0;
    for (int c = 0; c < ncols; c++)
        bad |= (c ? buf_putc(&rj->line, '\t') : 0) |
               val_escape_text(&rj->line, cols[c], strlen(cols[c]));
    if (bad || buf_putc(&rj->line, '\n') ||
        fwrite(rj->line.data, 1, rj->line.len, rj->tsv) != rj->line.len) {
        error_set(err, "writing %s: %m", tsv);
        goto out;
    }
    fputs("key\tcolumn\tvalue\treason\n", rj->log);
    rc = 0;
out:
    free(dir);
    free(tsv);
    free(log);
    if (rc != 0)
        rejects_close(rj);
    return rc;
}

int rejects_add(struct rejects *rj, const char *project, const char *table, sqlite3_stmt *row,
                int ncols, const char *const *cols, const char *key, const char *column,
                const char *excerpt, const char *reason, struct error *err)
{
    if (open_pair(rj, project, table, ncols, cols, err) != 0)
        return -1;
    struct buf *b = &rj->line;
    buf_reset(b);
    int bad = 0;
    for (int c = 0; c < ncols && row != NULL; c++) {
        if (c)
            bad |= buf_putc(b, '\t');
        switch (sqlite3_column_type(row, c)) {
        case SQLITE_NULL:
            bad |= buf_puts(b, "\\N");
            break;
        case SQLITE_BLOB:
            bad |= val_escape_text(b, sqlite3_column_blob(row, c),
                                   (size_t)sqlite3_column_bytes(row, c));
            break;
        case SQLITE_FLOAT: {
            char num[VAL_DOUBLE_MAX];
            val_double(sqlite3_column_double(row, c), num);
            bad |= buf_puts(b, num);
            break;
        }
        default:
            bad |= val_escape_text(b, sqlite3_column_text(row, c),
                                   (size_t)sqlite3_column_bytes(row, c));
        }
    }
    bad |= buf_putc(b, '\n');
    if (bad || fwrite(b->data, 1, b->len, rj->tsv) != b->len)
        return error_set(err, "writing reject file for %s/%s: %m", project, table);
    buf_reset(b);
    bad = val_escape_text(b, (const unsigned char *)key, strlen(key)) | buf_putc(b, '\t') |
          val_escape_text(b, (const unsigned char *)column, strlen(column)) | buf_putc(b, '\t') |
          val_escape_text(b, (const unsigned char *)excerpt, strlen(excerpt)) | buf_putc(b, '\t') |
          val_escape_text(b, (const unsigned char *)reason, strlen(reason)) | buf_putc(b, '\n');
    if (bad || fwrite(b->data, 1, b->len, rj->log) != b->len || fflush(rj->tsv) != 0 ||
        fflush(rj->log) != 0)
        return error_set(err, "writing reject log for %s/%s: %m", project, table);
    return 0;
}

void rejects_close(struct rejects *rj)
{
    if (rj->tsv != NULL)
        fclose(rj->tsv);
    if (rj->log != NULL)
        fclose(rj->log);
    rj->tsv = rj->log = NULL;
    free(rj->project);
    free(rj->table);
    rj->project = rj->table = NULL;
}

void rejects_free(struct rejects *rj)
{
    rejects_close(rj);
    free(rj->dir);
    buf_free(&rj->line);
    memset(rj, 0, sizeof *rj);
}

/* rejects: reject files (see rejects.h). */
#include "rejects.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ckpt_rejects.h"
#include "val.h"

void rejects_init(struct rejects *rj, const char *dir)
{
    memset(rj, 0, sizeof *rj);
    rj->dir = strdup(dir);
    buf_init(&rj->line, BUF_CAP_ROW);
}

char *rejects_project_dir(const struct rejects *rj, const char *project)
{
    char *out = NULL;
    struct buf b;
    buf_init(&b, BUF_CAP_NAME);
    for (const char *p = project; *p; p++)
        if (*p == '/' ? buf_puts(&b, "%2F") : buf_putc(&b, *p))
            break;
    if (b.data != NULL && !buf_failed(&b) &&
        asprintf(&out, "%s/%s%s", rj->dir, b.data[0] == '.' ? "_" : "", b.data) < 0)
        out = NULL;
    buf_free(&b);
    return out;
}

/* Path of (project, table)'s file ext, the dry-run's when dry. */
static char *pair_path(const struct rejects *rj, const char *project, const char *table, bool dry,
                       const char *ext)
{
    char *dir = rejects_project_dir(rj, project), *out = NULL;
    struct buf t;
    buf_init(&t, BUF_CAP_NAME);
    for (const char *p = table; *p; p++)
        if (*p == '/' ? buf_puts(&t, "%2F") : buf_putc(&t, *p))
            break;
    if (dir != NULL && t.data != NULL && !buf_failed(&t) &&
        asprintf(&out, "%s/%s.rejects.%s%s", dir, t.data, dry ? "dry-run." : "", ext) < 0)
        out = NULL;
    free(dir);
    buf_free(&t);
    return out;
}

char *rejects_path(const struct rejects *rj, const char *project, const char *table,
                   const char *ext)
{
    return pair_path(rj, project, table, rj->dry, ext);
}

/* Removes the dry-run's pair of files of the pair begun (a dry-run's before
 * it writes its own, a real run's once its files are in place). */
static void remove_dry_pair(const struct rejects *rj)
{
    char *tsv = pair_path(rj, rj->project, rj->table, true, "tsv");
    char *log = pair_path(rj, rj->project, rj->table, true, "log");
    if (tsv != NULL)
        unlink(tsv);
    if (log != NULL)
        unlink(log);
    free(tsv);
    free(log);
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

/* Path of the new file of the pair begun (ext "tsv" or "log"). */
static char *new_path(const struct rejects *rj, const char *ext)
{
    char *path = rejects_path(rj, rj->project, rj->table, ext), *out = NULL;
    if (path != NULL && asprintf(&out, "%s.new", path) < 0)
        out = NULL;
    free(path);
    return out;
}

int rejects_begin(struct rejects *rj, const char *project, const char *table, int ncols,
                  const char *const *cols, struct error *err)
{
    rejects_close(rj);
    rj->project = strdup(project);
    rj->table = strdup(table);
    rj->ncols = ncols;
    rj->cols = cols;
    if (rj->project == NULL || rj->table == NULL) {
        rejects_close(rj);
        return error_oom(err);
    }
    return 0;
}

/* Creates the new files of the pair begun, with their header lines. */
static int open_new(struct rejects *rj, struct error *err)
{
    char *dir = rejects_project_dir(rj, rj->project);
    char *tsv = new_path(rj, "tsv"), *log = new_path(rj, "log");
    int rc = -1;
    if (dir == NULL || tsv == NULL || log == NULL) {
        error_oom(err);
        goto out;
    }
    if (mkdir_p(dir) != 0) {
        error_set(err, "reject files under %s: %m", dir);
        goto out;
    }
    rj->tsv = fopen(tsv, "wb");
    rj->log = fopen(log, "wb");
    if (rj->tsv == NULL || rj->log == NULL) {
        error_set(err, "cannot create %s: %m", rj->tsv == NULL ? tsv : log);
        goto out;
    }
    buf_reset(&rj->line);
    int bad = 0;
    for (int c = 0; c < rj->ncols; c++)
        bad |= (c ? buf_putc(&rj->line, '\t') : 0) |
               val_escape_text(&rj->line, rj->cols[c], strlen(rj->cols[c]));
    if (bad || buf_putc(&rj->line, '\n') ||
        fwrite(rj->line.data, 1, rj->line.len, rj->tsv) != rj->line.len ||
        fputs("key\tcolumn\tvalue\treason\n", rj->log) == EOF) {
        error_set(err, "writing %s: %m", tsv);
        goto out;
    }
    rc = 0;
out:
    free(dir);
    free(tsv);
    free(log);
    return rc;
}

/* Appends the first ncols values of row in the TSV format. Returns 0 or -1. */
static int tsv_line(struct buf *b, sqlite3_stmt *row, int ncols)
{
    int bad = 0;
    for (int c = 0; c < ncols; c++) {
        struct xform_src v;
        reader_row_value(row, (size_t)c, &v);
        if (c)
            bad |= buf_putc(b, '\t');
        switch (v.type) {
        case SQLITE_NULL:
            bad |= buf_puts(b, "\\N");
            break;
        case SQLITE_INTEGER:
            bad |= buf_printf(b, "%lld", (long long)v.i);
            break;
        case SQLITE_FLOAT: {
            char num[VAL_DOUBLE_MAX];
            val_double(v.d, num);
            bad |= buf_puts(b, num);
            break;
        }
        default:
            bad |= val_escape_text(b, v.p, v.n);
        }
    }
    return bad | buf_putc(b, '\n');
}

/* Appends column c of row as val_render shows a value in a reject excerpt. */
static int render_column(struct buf *b, sqlite3_stmt *row, size_t c)
{
    struct xform_src v;
    reader_row_value(row, c, &v);
    return val_render(b, &v, REJECTS_EXCERPT);
}

int rejects_add(struct rejects *rj, sqlite3_stmt *row, const char *key, const char *column,
                const char *excerpt, const char *reason, struct error *err)
{
    if (rj->project == NULL)
        return error_set(err, "reject file written before rejects_begin");
    if (rj->tsv == NULL && open_new(rj, err) != 0) {
        rejects_close(rj);
        return -1;
    }
    struct buf *b = &rj->line;
    buf_reset(b);
    if (tsv_line(b, row, rj->ncols) != 0 || fwrite(b->data, 1, b->len, rj->tsv) != b->len)
        return error_set(err, "writing reject file for %s/%s: %m", rj->project, rj->table);
    buf_reset(b);
    int bad =
        val_escape_text(b, (const unsigned char *)key, strlen(key)) | buf_putc(b, '\t') |
        val_escape_text(b, (const unsigned char *)column, strlen(column)) | buf_putc(b, '\t') |
        val_escape_text(b, (const unsigned char *)excerpt, strlen(excerpt)) | buf_putc(b, '\t') |
        val_escape_text(b, (const unsigned char *)reason, strlen(reason)) | buf_putc(b, '\n');
    if (bad || fwrite(b->data, 1, b->len, rj->log) != b->len)
        return error_set(err, "writing reject log for %s/%s: %m", rj->project, rj->table);
    return 0;
}

/* Closes the new files; returns 0 when every byte reached them, else -1. */
static int close_new(struct rejects *rj)
{
    int bad = 0;
    if (rj->tsv != NULL)
        bad |= fclose(rj->tsv) != 0;
    if (rj->log != NULL)
        bad |= fclose(rj->log) != 0;
    rj->tsv = rj->log = NULL;
    return bad ? -1 : 0;
}

int rejects_commit(struct rejects *rj, struct error *err)
{
    if (rj->project == NULL)
        return error_set(err, "reject files committed before rejects_begin");
    bool written = rj->tsv != NULL;
    char *tsv = rejects_path(rj, rj->project, rj->table, "tsv");
    char *log = rejects_path(rj, rj->project, rj->table, "log");
    char *ntsv = new_path(rj, "tsv"), *nlog = new_path(rj, "log");
    int rc = -1;
    if (tsv == NULL || log == NULL || ntsv == NULL || nlog == NULL)
        error_oom(err);
    else if (close_new(rj) != 0)
        error_set(err, "writing reject files %s: %m", ntsv);
    else if (!rj->dry && rotate(tsv, log) != 0) /* a dry-run's pair is replaced */
        error_set(err, "rotating reject files %s: %m", tsv);
    else if (written && (rename(ntsv, tsv) != 0 || rename(nlog, log) != 0))
        error_set(err, "putting reject files %s in place: %m", ntsv);
    else
        rc = 0;
    if (rc == 0 && !(rj->dry && written))
        remove_dry_pair(rj);
    if (rc != 0 && written && ntsv != NULL && nlog != NULL) {
        unlink(ntsv);
        unlink(nlog);
    }
    free(tsv);
    free(log);
    free(ntsv);
    free(nlog);
    rejects_close(rj);
    return rc;
}

/* rejects_rewrite's pass over the recorded rejects of one table. */
struct rewrite {
    struct rejects *rj;
    struct reader *r;
    size_t t;
    struct buf key, excerpt;
};

/* Index of the statement column holding the value of source column name
 * (the rowid comes after the columns), or -1. */
static int column_index(const struct reader_table *tb, const char *name)
{
    for (size_t c = 0; c < tb->ncols; c++)
        if (strcmp(tb->cols[c].name, name) == 0)
            return (int)c;
    return strcmp(name, "rowid") == 0 && tb->rowid_alias != NULL ? (int)tb->ncols : -1;
}

/* ckpt_rejects_fn: writes one recorded reject with its row read back by key. */
static int rewrite_one(void *ctx, const struct ckpt_rejects_row *row, struct error *err)
{
    struct rewrite *w = ctx;
    sqlite3_stmt *st = reader_lookup(w->r, w->t, row->key, row->key_len, err);
    if (st == NULL)
        return -1;
    int c = row->column != NULL ? column_index(&w->r->tables[w->t], row->column) : -1;
    buf_reset(&w->key);
    buf_reset(&w->excerpt);
    if (reader_key(w->r, st, &w->key) != 0 ||
        (c >= 0 && render_column(&w->excerpt, st, (size_t)c) != 0))
        return error_oom(err);
    return rejects_add(w->rj, st, w->key.data ? w->key.data : "",
                       row->column ? row->column : "(row)", w->excerpt.data ? w->excerpt.data : "",
                       row->reason, err);
}

int rejects_begin_table(struct rejects *rj, const char *project, const struct reader *r, size_t t,
                        struct error *err)
{
    const struct reader_table *tb = &r->tables[t];
    const char **names = calloc(tb->ncols + 1, sizeof *names);
    if (names == NULL)
        return error_oom(err);
    for (size_t c = 0; c < tb->ncols; c++)
        names[c] = tb->cols[c].name;
    if (rejects_begin(rj, project, tb->name, (int)tb->ncols, names, err) != 0) {
        free(names);
        return -1;
    }
    rj->names = names;
    return 0;
}

int rejects_rewrite(struct rejects *rj, struct target *tgt, const char *progress_table,
                    const char *project, struct reader *r, size_t t, struct error *err)
{
    const struct reader_table *tb = &r->tables[t];
    struct rewrite w = {.rj = rj, .r = r, .t = t};
    buf_init(&w.key, BUF_CAP_ROW);
    buf_init(&w.excerpt, BUF_CAP_ROW);
    /* reader_key describes rows of the reader's current table */
    int rc = reader_table_begin(r, t, NULL, 0, err);
    if (rc == 0)
        rc = rejects_begin_table(rj, project, r, t, err);
    if (rc == 0)
        rc = ckpt_rejects_each(tgt, progress_table, project, tb->name, rewrite_one, &w, err);
    if (rc == 0)
        rc = rejects_commit(rj, err);
    rejects_close(rj);
    buf_free(&w.key);
    buf_free(&w.excerpt);
    if (rc == 0)
        return 0;
    error_prefix(err, "reject files");
    return error_prefix_table(err, tb->name);
}

void rejects_close(struct rejects *rj)
{
    if (rj->tsv != NULL || rj->log != NULL) {
        close_new(rj);
        char *ntsv = new_path(rj, "tsv"), *nlog = new_path(rj, "log");
        if (ntsv != NULL)
            unlink(ntsv);
        if (nlog != NULL)
            unlink(nlog);
        free(ntsv);
        free(nlog);
    }
    free(rj->project);
    free(rj->table);
    free(rj->names);
    rj->names = NULL;
    rj->project = rj->table = NULL;
    rj->ncols = 0;
    rj->cols = NULL;
}

void rejects_free(struct rejects *rj)
{
    rejects_close(rj);
    free(rj->dir);
    buf_free(&rj->line);
    memset(rj, 0, sizeof *rj);
}

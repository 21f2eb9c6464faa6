/* status: gathers the dashboard of `litelift status` (see status.h) from the
 * progress table, the recorded failures and, with --source, the files. */
#include "status.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "target.h"
#include "url.h"

const char *status_kind_name(enum status_kind k)
{
    static const char *const names[STATUS_NKINDS] = {"done", "loading", "incomplete", "failed",
                                                     "not started"};
    return names[k];
}

static const struct ckpt_failure *failure_of(const struct status_board *b, const char *project)
{
    for (size_t i = 0; i < b->nfail; i++)
        if (strcmp(b->fail[i].project, project) == 0)
            return &b->fail[i];
    return NULL;
}

static bool known(const struct status_board *b, const char *project)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].project != NULL && strcmp(b->v[i].project, project) == 0)
            return true;
    return false;
}

/* Counts the rows of the source file of p (still in place while it is not
 * done): per table of its progress rows, or of the file when it has none.
 * Leaves p->total -1 when the file cannot be read. */
static void count_source(struct status_project *p, struct ckpt_status_table *tables, size_t n)
{
    struct reader r = {0};
    struct error ignored;
    long long total = 0;
    if (p->source_file == NULL || access(p->source_file, R_OK) != 0 ||
        reader_open(&r, p->source_file, &ignored) != 0) {
        reader_close(&r);
        return;
    }
    for (size_t t = 0; t < r.ntables && total >= 0; t++) {
        struct ckpt_status_table *ct = NULL;
        for (size_t k = 0; k < n && ct == NULL; k++)
            if (strcmp(tables[k].name, r.tables[t].name) == 0)
                ct = &tables[k];
        if (n > 0 && ct == NULL)
            continue; /* not loaded (a mapping file skips it) */
        long long c = reader_count(&r, t, &ignored);
        if (ct != NULL)
            ct->total = c;
        total = c < 0 ? -1 : total + c;
    }
    if (p->tables == 0)
        p->tables = r.ntables;
    p->total = total;
    reader_close(&r);
}

/* Fills the counts and the percentage of p. */
static void measure(struct status_project *p, struct ckpt_status_project *ck)
{
    p->total = -1;
    p->percent = -1;
    if (ck != NULL) {
        p->tables = ck->ntables;
        for (size_t k = 0; k < ck->ntables; k++) {
            p->loaded += ck->tables[k].loaded;
            p->rejected += ck->tables[k].rejected;
            p->tables_done += ck->tables[k].state >= CKPT_VALIDATED;
        }
    }
    if (p->kind == STATUS_DONE) {
        for (size_t k = 0; k < p->tables; k++)
            ck->tables[k].total = ck->tables[k].loaded + ck->tables[k].rejected;
        p->total = p->loaded + p->rejected;
        p->percent = 100;
        return;
    }
    count_source(p, ck != NULL ? ck->tables : NULL, ck != NULL ? ck->ntables : 0);
    if (p->total > 0) {
        double pct = 100.0 * (double)(p->loaded + p->rejected) / (double)p->total;
        p->percent = pct > 99.9 ? 99.9 : pct; /* not done: never shown as 100 */
    } else if (p->total == 0) {
        p->percent = 0;
    }
}

/* Adds a project to the board. Returns it, or NULL when out of memory. */
static struct status_project *add(struct status_board *b, const char *project,
                                  enum status_kind kind, const char *source_file)
{
    struct status_project *v = realloc(b->v, (b->n + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    b->v = v;
    struct status_project *p = &v[b->n++];
    memset(p, 0, sizeof *p);
    p->project = project;
    p->kind = kind;
    p->source_file = source_file;
    return p;
}

/* A project of the progress table: failed when a failure was recorded since
 * it was last claimed or updated. Returns 0 or -1. */
static int add_known(struct status_board *b, struct ckpt_status_project *ck)
{
    const struct ckpt_failure *f = failure_of(b, ck->project);
    bool failed = f != NULL && strcmp(f->failed_at, ck->touched) >= 0;
    enum status_kind kind = failed ? STATUS_FAILED
                            : ck->state == CKPT_RENAMED || ck->state == CKPT_VALIDATED ? STATUS_DONE
                            : ck->live ? STATUS_LOADING
                                       : STATUS_INCOMPLETE;
    struct status_project *p = add(b, ck->project, kind, ck->source_file);
    if (p == NULL)
        return -1;
    p->ck = ck;
    if (failed) {
        p->reason = f->reason;
        p->failed_at = f->failed_at;
    }
    measure(p, ck);
    return 0;
}

/* The failures of projects the progress table does not know (they failed
 * before anything was recorded), then the files under --source not known. */
static int add_unknown(struct status_board *b)
{
    for (size_t i = 0; i < b->nfail; i++) {
        const struct ckpt_failure *f = &b->fail[i];
        if (known(b, f->project))
            continue;
        struct status_project *p = add(b, f->project, STATUS_FAILED, f->source_file);
        if (p == NULL)
            return -1;
        p->reason = f->reason;
        p->failed_at = f->failed_at;
        measure(p, NULL);
    }
    for (size_t i = 0; i < b->list.n; i++) {
        const struct scan_entry *e = &b->list.v[i];
        if (e->project_id != NULL && known(b, e->project_id))
            continue;
        struct status_project *p =
            add(b, e->project_id, e->project_id ? STATUS_NOT_STARTED : STATUS_FAILED, e->path);
        if (p == NULL)
            return -1;
        p->reason = e->error;
        measure(p, NULL);
    }
    return 0;
}

/* By project id, bytewise (a file without an id by its path, first). */
static int by_project(const void *a, const void *b)
{
    const struct status_project *x = a, *y = b;
    if (x->project == NULL || y->project == NULL)
        return x->project != NULL   ? 1
               : y->project != NULL ? -1
                                    : strcmp(x->source_file, y->source_file);
    return strcmp(x->project, y->project);
}

/* Sorts the board and sums it up: totals and the exit status. */
static void sum_up(struct status_board *b)
{
    if (b->n > 1)
        qsort(b->v, b->n, sizeof *b->v, by_project);
    for (size_t i = 0; i < b->n; i++) {
        const struct status_project *p = &b->v[i];
        b->count[p->kind]++;
        b->loaded += p->loaded;
        b->rejected += p->rejected;
        b->total = b->total < 0 || p->total < 0 ? -1 : b->total + p->total;
    }
    b->exit_status = b->count[STATUS_FAILED] > 0 ? 1 : b->count[STATUS_DONE] < b->n ? 4 : 0;
}

/* Reads everything the board shows over t. Returns 0 or -1. */
static int gather(struct status_board *b, const struct config *cfg, struct target *t,
                  struct error *err)
{
    if (ckpt_status_load(t, cfg->progress_table, &b->exists, &b->ck, &b->nck, err) != 0 ||
        ckpt_failures_load(t, cfg->progress_table, &b->fail, &b->nfail, err) != 0 ||
        (cfg->source_dir != NULL && scan_dir(cfg, &b->list, NULL, err) != 0))
        return -1;
    for (size_t i = 0; i < b->nck; i++)
        if (add_known(b, &b->ck[i]) != 0)
            return error_oom(err);
    if (add_unknown(b) != 0)
        return error_oom(err);
    sum_up(b);
    return 0;
}

static void board_free(struct status_board *b)
{
    free(b->v);
    ckpt_status_free(b->ck, b->nck);
    ckpt_failures_free(b->fail, b->nfail);
    scan_free(&b->list);
}

/* Says that the progress table is missing (named with its schema when it
 * has one). */
static void print_missing(FILE *out, const char *table, const char *database)
{
    struct buf q;
    buf_init(&q, BUF_CAP_NAME);
    if (strchr(table, '.') == NULL)
        fprintf(out, "no progress table `%s` in database %s: nothing has been migrated yet\n",
                table, database);
    else
        fprintf(out, "no progress table %s: nothing has been migrated yet\n",
                target_quote_table(&q, table) == 0 ? q.data : table);
    buf_free(&q);
}

int status_run(const struct config *cfg, FILE *out, struct error *err)
{
    struct url u;
    struct target t;
    struct status_board b = {.progress_table = cfg->progress_table};
    if (url_parse(cfg->target_url, &u, err) != 0)
        return -1;
    int rc = target_connect(&t, &u, err); /* u outlives the connection */
    if (rc != 0) {
        url_free(&u);
        return -1;
    }
    b.database = t.database;
    rc = gather(&b, cfg, &t, err);
    if (rc == 0 && !b.exists && b.n == 0 && cfg->status_format == CONFIG_FORMAT_TABLE)
        print_missing(out, b.progress_table, b.database);
    else if (rc == 0 && cfg->status_format == CONFIG_FORMAT_JSON)
        rc = status_print_json(&b, out, err);
    else if (rc == 0 && cfg->status_format == CONFIG_FORMAT_TSV)
        status_print_tsv(&b, out);
    else if (rc == 0)
        status_print_table(&b, out);
    if (rc == 0)
        rc = b.exit_status;
    board_free(&b);
    target_close(&t);
    url_free(&u);
    return rc;
}

/* report: run accounting and summary (see report.h). */
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "logfile.h"
#include "esc.h"
#include "utf8.h"

/* Seconds since the epoch, to the microsecond. */
static double wall_now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

void report_init(struct report *r, FILE *log, bool dry_run, bool quiet)
{
    memset(r, 0, sizeof *r);
    r->log = log;
    r->dry_run = dry_run;
    r->quiet = quiet;
    r->run.started = wall_now();
    pthread_mutex_init(&r->mu, NULL);
}

void report_end(struct report *r)
{
    if (r->run.ended == 0)
        r->run.ended = wall_now();
}

struct report_table *report_find_table(struct report_project *p, const char *name)
{
    for (size_t k = 0; k < p->ntables; k++)
        if (strcmp(p->tables[k].name, name) == 0)
            return &p->tables[k];
    return NULL;
}

struct report_project *report_project(struct report *r, const char *file, const char *project_id)
{
    struct report_project *v = realloc(r->projects, (r->nprojects + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    r->projects = v;
    struct report_project *p = &v[r->nprojects++];
    memset(p, 0, sizeof *p);
    p->file = strdup(file);
    p->project_id = project_id ? strdup(project_id) : NULL;
    return p;
}

struct report_table *report_table(struct report_project *p, const char *name)
{
    struct report_table *v = realloc(p->tables, (p->ntables + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    p->tables = v;
    struct report_table *t = &v[p->ntables++];
    memset(t, 0, sizeof *t);
    t->name = strdup(name);
    return t;
}

void report_fail(struct report *r, struct report_project *p, const char *msg)
{
    if (p->error == NULL)
        p->error = strdup(msg);
    fprintf(r->log, "litelift: project '%s' (%s) FAILED: %s\n",
            p->project_id ? esc_show(p->project_id) : "?", esc_show(p->file), msg);
}

void report_reject(struct report *r, struct report_project *p, struct report_table *t,
                   const char *key, const char *column, const char *reason)
{
    t->rejected++;
    static const char fmt[] = "litelift: reject: project '%s' file %s table %s key (%s) column "
                              "%s: %s\n";
    if (!r->quiet)
        fprintf(r->log, fmt, esc_show(p->project_id), esc_show(p->file), esc_show(t->name),
                esc_show(key), esc_show(column), esc_show(reason));
    else
        logfile_printf(fmt, esc_show(p->project_id), esc_show(p->file), esc_show(t->name),
                       esc_show(key), esc_show(column), esc_show(reason));
}

void report_note(struct report *r, struct report_project *p, const char *fmt, ...)
{
    va_list ap;
    char *line = NULL;
    va_start(ap, fmt);
    int n = vasprintf(&line, fmt, ap); /* names in it: escaped, newlines too */
    va_end(ap);
    flockfile(r->log); /* one line, whole, whatever other workers log meanwhile */
    fprintf(r->log, "litelift: project '%s' (%s): ", p->project_id ? esc_show(p->project_id) : "?",
            esc_show(p->file));
    fprintf(r->log, "%s\n", n < 0 ? "(out of memory)" : esc_show(line));
    funlockfile(r->log);
    free(n < 0 ? NULL : line);
}

void report_remark(struct report *r, const char *fmt, ...)
{
    char *line = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&line, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&r->mu);
    char **v = n < 0 ? NULL : realloc(r->remarks, (r->nremarks + 1) * sizeof *v);
    if (v == NULL) {
        free(n < 0 ? NULL : line);
    } else {
        r->remarks = v;
        r->remarks[r->nremarks++] = line;
    }
    pthread_mutex_unlock(&r->mu);
}

void report_retry(struct report *r, const char *reason)
{
    pthread_mutex_lock(&r->mu);
    size_t i = 0;
    while (i < r->nretries && strcmp(r->retries[i].reason, reason) != 0)
        i++;
    if (i == REPORT_RETRY_KINDS)
        i--;
    else if (i == r->nretries)
        r->retries[r->nretries++] = (struct report_retries){reason, 0};
    r->retries[i].count++;
    pthread_mutex_unlock(&r->mu);
}

void report_skipped(struct report *r, struct report_project *p, const char *kind, const char *name,
                    const char *why)
{
    if (r->verbose)
        report_note(r, p, "skipped %s %s (%s)", kind, name, why);
    else
        logfile_printf("litelift: project '%s' (%s): skipped %s %s (%s)\n",
                       p->project_id ? esc_show(p->project_id) : "?", esc_show(p->file), kind,
                       esc_show(name), esc_show(why));
    size_t i = 0;
    while (i < p->nskips && strcmp(p->skips[i].kind, kind) != 0)
        i++;
    if (i == p->nskips) {
        struct report_skip *v = realloc(p->skips, (p->nskips + 1) * sizeof *v);
        char *k = strdup(kind);
        if (v != NULL)
            p->skips = v;
        if (v == NULL || k == NULL) {
            free(k);
            return; /* out of memory: the count only is lost */
        }
        v[p->nskips++] = (struct report_skip){k, 0};
    }
    p->skips[i].n++;
}

int report_status(const struct report *r)
{
    bool rejected = false, elsewhere = false;
    if (r->interrupted)
        return REPORT_INTERRUPTED;
    for (size_t i = 0; i < r->nprojects; i++) {
        const struct report_project *p = &r->projects[i];
        if (p->error != NULL)
            return REPORT_FAILED;
        for (size_t k = 0; k < p->ntables; k++)
            rejected |= p->tables[k].rejected > 0;
        elsewhere |= p->elsewhere != NULL;
    }
    return rejected ? REPORT_REJECTED : elsewhere ? REPORT_ELSEWHERE : REPORT_OK;
}

void report_free(struct report *r)
{
    for (size_t i = 0; i < r->nprojects; i++) {
        struct report_project *p = &r->projects[i];
        for (size_t k = 0; k < p->ntables; k++)
            free(p->tables[k].name);
        free(p->tables);
        free(p->file);
        free(p->project_id);
        free(p->error);
        free(p->elsewhere);
        for (size_t k = 0; k < p->nskips; k++)
            free(p->skips[k].kind);
        free(p->skips);
        free(p->rejects_at);
        free(p->backup);
    }
    free(r->projects);
    for (size_t i = 0; i < r->nremarks; i++)
        free(r->remarks[i]);
    free(r->remarks);
    pthread_mutex_destroy(&r->mu);
    memset(r, 0, sizeof *r);
}

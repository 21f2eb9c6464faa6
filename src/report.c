/* report: run accounting and summary (see report.h). */
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "utf8.h"

void report_init(struct report *r, FILE *log, bool dry_run, bool quiet)
{
    memset(r, 0, sizeof *r);
    r->log = log;
    r->dry_run = dry_run;
    r->quiet = quiet;
    pthread_mutex_init(&r->mu, NULL);
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
    if (!r->quiet)
        fprintf(r->log, "litelift: reject: project '%s' file %s table %s key (%s) column %s: %s\n",
                esc_show(p->project_id), esc_show(p->file), esc_show(t->name), esc_show(key),
                esc_show(column), esc_show(reason));
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

/* "N transient failure(s) retried (lost connection x2, deadlock x1)". */
static void print_retries(const struct report *r, FILE *out)
{
    long total = 0;
    for (size_t i = 0; i < r->nretries; i++)
        total += r->retries[i].count;
    if (total == 0)
        return;
    fprintf(out, "%ld transient failure(s) retried (", total);
    for (size_t i = 0; i < r->nretries; i++)
        fprintf(out, "%s%s x%ld", i ? ", " : "", r->retries[i].reason, r->retries[i].count);
    fputs(")\n", out);
}

/* Prints s left-aligned in width columns, counting characters, not bytes, so
 * that UTF-8 project ids line up (wide characters still take one column). */
static void pad(FILE *out, const char *s, int width)
{
    s = esc_show(s);
    int chars = (int)utf8_count(s);
    fputs(s, out);
    for (; chars < width; chars++)
        fputc(' ', out);
}

void report_print(const struct report *r, FILE *out)
{
    long long read = 0, loaded = 0, rejected = 0;
    double secs = 0;
    size_t failed = 0, elsewhere = 0;
    fprintf(out, "%-24s %-24s %12s %12s %9s %9s\n", "project", "table", "read",
            r->dry_run ? "would-load" : "loaded", "rejected", "seconds");
    for (size_t i = 0; i < r->nprojects; i++) {
        const struct report_project *p = &r->projects[i];
        const char *id = p->project_id ? p->project_id : p->file;
        for (size_t k = 0; k < p->ntables; k++) {
            const struct report_table *t = &p->tables[k];
            pad(out, id, 24);
            fputc(' ', out);
            pad(out, t->name, 24);
            fprintf(out, " %12lld %12lld %9lld %9.2f%s%s\n", t->read, t->loaded, t->rejected,
                    t->seconds, t->note ? "  " : "", t->note ? t->note : "");
            read += t->read;
            loaded += t->loaded;
            rejected += t->rejected;
            secs += t->seconds;
        }
        if (p->error != NULL) {
            failed++;
            pad(out, id, 24);
            fprintf(out, " FAILED: %s\n", p->error);
        } else if (p->ntables == 0 && !p->by_other) {
            pad(out, id, 24);
            fputs(" (no tables)\n", out);
        }
        if (p->elsewhere != NULL) {
            elsewhere++;
            pad(out, id, 24);
            fprintf(out, " left to another run: %s\n", esc_show(p->elsewhere));
        }
        if (p->outcome != NULL) {
            pad(out, id, 24);
            fprintf(out, " %s\n", p->outcome);
        }
    }
    fprintf(out, "%-24s %-24s %12lld %12lld %9lld %9.2f\n", "TOTAL", "", read, loaded, rejected,
            secs);
    for (size_t i = 0; i < r->nprojects; i++)
        for (size_t k = 0; k < r->projects[i].ntables; k++) {
            const struct report_table *t = &r->projects[i].tables[k];
            if (t->replaced > 0)
                fprintf(out,
                        "note: project '%s' table %s: %lld value(s) with invalid UTF-8 "
                        "loaded with U+FFFD replacements (--invalid-utf8 replace)\n",
                        esc_show(r->projects[i].project_id), esc_show(t->name), t->replaced);
            if (t->decoded > 0)
                fprintf(out,
                        "note: project '%s' table %s: %lld value(s) that were not UTF-8 "
                        "decoded as Windows-1252 (--invalid-utf8 cp1252)\n",
                        esc_show(r->projects[i].project_id), esc_show(t->name), t->decoded);
        }
    for (size_t i = 0; i < r->nremarks; i++)
        fprintf(out, "note: %s\n", esc_show(r->remarks[i]));
    print_retries(r, out);
    fprintf(out, "%zu project(s), %zu failed, %lld row(s) rejected", r->nprojects, failed,
            rejected);
    if (elsewhere > 0)
        fprintf(out, ", %zu left to other runs that hold them (see litelift status)", elsewhere);
    fprintf(out, "%s%s\n", r->dry_run ? " (dry run: nothing was written)" : "",
            r->interrupted ? "; INTERRUPTED: rerun the same command to continue" : "");
}

int report_status(const struct report *r)
{
    int status = 0;
    if (r->interrupted)
        return 3;
    for (size_t i = 0; i < r->nprojects; i++) {
        const struct report_project *p = &r->projects[i];
        if (p->error != NULL)
            return 1;
        for (size_t k = 0; k < p->ntables; k++)
            if (p->tables[k].rejected > 0)
                return 1;
        if (p->elsewhere != NULL)
            status = 4;
    }
    return status;
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
    }
    free(r->projects);
    for (size_t i = 0; i < r->nremarks; i++)
        free(r->remarks[i]);
    free(r->remarks);
    pthread_mutex_destroy(&r->mu);
    memset(r, 0, sizeof *r);
}

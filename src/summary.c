/* summary: the end-of-run summary (see summary.h). */
#include "summary.h"

#include <string.h>

#include "esc.h"
#include "utf8.h"

/* Column widths of the summary table. */
#define ID_WIDTH 24
#define TABLE_WIDTH 24

/* The run's totals, and what needs the operator. */
struct totals {
    long long read, loaded, rejected;
    double secs;
    size_t failed, elsewhere, with_rejects;
};

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

static const char *id_of(const struct report_project *p)
{
    return p->project_id ? p->project_id : p->file;
}

/* One line of the table: id, what (a table's name, or "(N tables)"), counts
 * and an optional note. */
static void row(FILE *out, const char *id, const char *what, long long read, long long loaded,
                long long rejected, double secs, const char *note)
{
    pad(out, id, ID_WIDTH);
    fputc(' ', out);
    pad(out, what, TABLE_WIDTH);
    fprintf(out, " %12lld %12lld %9lld %9.2f%s%s\n", read, loaded, rejected, secs, note ? "  " : "",
            note ? note : "");
}

/* A project's own line of the table, after its name: a message. */
static void project_line(FILE *out, const struct report_project *p, const char *fmt,
                         const char *msg)
{
    pad(out, id_of(p), ID_WIDTH);
    fputc(' ', out);
    fprintf(out, fmt, msg);
    fputc('\n', out);
}

/* Whether table t has something to say in a short summary. */
static bool noteworthy(const struct report_table *t)
{
    return t->rejected > 0 || (t->note != NULL && strcmp(t->note, "resumed") == 0) ||
           (t->note != NULL && strcmp(t->note, "DIFFERS") == 0);
}

/* The lines of one project in the given detail. */
static void project_rows(FILE *out, const struct report *r, const struct report_project *p,
                         enum config_summary mode)
{
    long long read = 0, loaded = 0, rejected = 0;
    double secs = 0;
    for (size_t k = 0; k < p->ntables; k++) {
        const struct report_table *t = &p->tables[k];
        read += t->read;
        loaded += t->loaded;
        rejected += t->rejected;
        secs += t->seconds;
    }
    bool attention = p->error != NULL || p->elsewhere != NULL || rejected > 0;
    if (mode == CONFIG_SUMMARY_PROJECTS && p->ntables > 0) {
        char what[48];
        snprintf(what, sizeof what, "(%zu table%s)", p->ntables, p->ntables == 1 ? "" : "s");
        row(out, id_of(p), what, read, loaded, rejected, secs, p->error ? NULL : p->outcome);
    }
    for (size_t k = 0; k < p->ntables; k++) {
        const struct report_table *t = &p->tables[k];
        if (mode == CONFIG_SUMMARY_FULL || noteworthy(t))
            row(out, id_of(p), t->name, t->read, t->loaded, t->rejected, t->seconds, t->note);
    }
    if (p->error != NULL)
        project_line(out, p, "FAILED: %s", p->error);
    else if (p->ntables == 0 && !p->by_other && p->outcome == NULL && (r->interrupted || r->failed))
        project_line(out, p, "%s",
                     r->interrupted ? "not started (interrupted)" : "not started (the run failed)");
    else if (p->ntables == 0 && !p->by_other && mode != CONFIG_SUMMARY_TOTALS)
        project_line(out, p, "%s", "(no tables)");
    if (p->elsewhere != NULL)
        project_line(out, p, "left to another run: %s", esc_show(p->elsewhere));
    if (p->outcome != NULL && (mode == CONFIG_SUMMARY_FULL || p->ntables == 0 ||
                               (mode == CONFIG_SUMMARY_TOTALS && attention)))
        project_line(out, p, "%s", p->outcome);
}

static enum config_summary mode_of(const struct report *r)
{
    if (r->summary != CONFIG_SUMMARY_AUTO)
        return r->summary;
    return r->nprojects <= SUMMARY_FULL_MAX       ? CONFIG_SUMMARY_FULL
           : r->nprojects <= SUMMARY_PROJECTS_MAX ? CONFIG_SUMMARY_PROJECTS
                                                  : CONFIG_SUMMARY_TOTALS;
}

/* The table: header, the projects' lines, TOTAL; fills *tot. */
static void table(FILE *out, const struct report *r, struct totals *tot)
{
    enum config_summary mode = mode_of(r);
    fprintf(out, "%-*s %-*s %12s %12s %9s %9s\n", ID_WIDTH, "project", TABLE_WIDTH, "table", "read",
            r->dry_run ? "would-load" : "loaded", "rejected", "seconds");
    for (size_t i = 0; i < r->nprojects; i++) {
        const struct report_project *p = &r->projects[i];
        long long rejected = 0;
        project_rows(out, r, p, mode);
        for (size_t k = 0; k < p->ntables; k++) {
            tot->read += p->tables[k].read;
            tot->loaded += p->tables[k].loaded;
            rejected += p->tables[k].rejected;
            tot->secs += p->tables[k].seconds;
        }
        tot->rejected += rejected;
        tot->failed += p->error != NULL;
        tot->elsewhere += p->elsewhere != NULL;
        tot->with_rejects += rejected > 0;
    }
    fprintf(out, "%-*s %-*s %12lld %12lld %9lld %9.2f\n", ID_WIDTH, "TOTAL", TABLE_WIDTH, "",
            tot->read, tot->loaded, tot->rejected, tot->secs);
}

/* The notes after the table: values repaired, remarks. */
static void notes(FILE *out, const struct report *r)
{
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
}

/* "skipped (not migrated): 35 triggers, 7 views in 3 projects": the kinds
 * in the order first seen (a handful: views, triggers, virtual tables...). */
static void skipped(FILE *out, const struct report *r)
{
    struct report_skip kinds[16];
    size_t nkinds = 0, projects = 0;
    for (size_t i = 0; i < r->nprojects; i++) {
        const struct report_project *p = &r->projects[i];
        projects += p->nskips > 0;
        for (size_t k = 0; k < p->nskips; k++) {
            size_t j = 0;
            while (j < nkinds && strcmp(kinds[j].kind, p->skips[k].kind) != 0)
                j++;
            if (j == nkinds && nkinds < sizeof kinds / sizeof *kinds)
                kinds[nkinds++] = (struct report_skip){p->skips[k].kind, 0};
            if (j < nkinds)
                kinds[j].n += p->skips[k].n;
        }
    }
    for (size_t j = 0; j < nkinds; j++) {
        bool table = strcmp(kinds[j].kind, "virtual") == 0 || strcmp(kinds[j].kind, "shadow") == 0;
        fprintf(out, "%s%zu %s%s%s", j == 0 ? "skipped (not migrated): " : ", ", kinds[j].n,
                kinds[j].kind, table ? " table" : "", kinds[j].n == 1 ? "" : "s");
    }
    if (nkinds > 0)
        fprintf(out, " in %zu project(s)%s\n", projects,
                r->verbose ? "" : " (--verbose names each)");
}

/* "N transient failure(s) retried (lost connection x2, deadlock x1)". */
static void retries(FILE *out, const struct report *r)
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

/* Where the reject files are: up to three directories, then how many more. */
static void rejects_at(FILE *out, const struct report *r, const struct totals *tot)
{
    if (tot->rejected == 0)
        return;
    fprintf(out, "%lld row(s) rejected in %zu project(s)%s", tot->rejected, tot->with_rejects,
            r->dry_run ? " (predicted)" : "");
    size_t shown = 0, dirs = 0;
    for (size_t i = 0; i < r->nprojects; i++) {
        const char *at = r->projects[i].rejects_at;
        if (at == NULL)
            continue;
        dirs++;
        if (shown < 3)
            fprintf(out, "%s%s/", shown++ == 0 ? ": see " : ", ", at);
    }
    if (dirs > shown)
        fprintf(out, " and %zu more", dirs - shown);
    fputc('\n', out);
}

/* "12.3s", "2m12s", "1h02m". */
static void duration(char *s, size_t n, double secs)
{
    long long whole = (long long)secs;
    if (secs < 60)
        snprintf(s, n, "%.1fs", secs);
    else if (secs < 3600)
        snprintf(s, n, "%lldm%02llds", whole / 60, whole % 60);
    else
        snprintf(s, n, "%lldh%02lldm", whole / 3600, whole / 60 % 60);
}

/* The counts, the times, and what to do next. */
static void footer(FILE *out, const struct report *r, const struct totals *tot)
{
    char start[32], end[32], wall[32];
    struct tm tm;
    time_t t0 = (time_t)r->run.started, t1 = (time_t)r->run.ended;
    strftime(start, sizeof start, "%Y-%m-%d %H:%M:%S", localtime_r(&t0, &tm));
    strftime(end, sizeof end, "%H:%M:%S %z", localtime_r(&t1, &tm));
    duration(wall, sizeof wall, r->run.ended - r->run.started);
    fprintf(out, "%zu project(s), %zu failed, %lld row(s) rejected", r->nprojects, tot->failed,
            tot->rejected);
    if (tot->elsewhere > 0)
        fprintf(out, ", %zu left to other runs that hold them (see litelift status)",
                tot->elsewhere);
    fprintf(out, "%s%s\n", r->dry_run ? " (dry run: nothing was written)" : "",
            r->interrupted ? "; INTERRUPTED" : "");
    fprintf(out, "started %s, ended %s, wall time %s\n", start, end, wall);
    if (r->interrupted || tot->failed > 0)
        fprintf(out, "next: %s\n",
                r->interrupted ? "rerun the same command to continue"
                               : "fix what is listed as FAILED and rerun the same command "
                                 "(what was loaded is not loaded again)");
    if (tot->rejected > 0 && !r->interrupted)
        fprintf(out, "next: %s\n",
                r->dry_run ? "fix the rejected rows in the sources before the real run, or "
                             "accept them (--accept-rejects)"
                : r->accept_rejects
                    ? "the rejected rows are only in the reject files: fix them "
                      "there and load them by hand if they matter"
                    : "fix the rejected rows and rerun with --restart-project ID, or "
                      "rerun with --accept-rejects to rename the files anyway");
}

int summary_print(const struct report *r, FILE *out)
{
    struct totals tot = {0};
    table(out, r, &tot);
    notes(out, r);
    skipped(out, r);
    retries(out, r);
    rejects_at(out, r, &tot);
    footer(out, r, &tot);
    return ferror(out) ? -1 : 0;
}

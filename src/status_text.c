/* status_text: the status board as a table for people and as TSV for
 * scripts (see status.h). */
#include "status.h"

#include <string.h>

#include "utf8.h"

/* s left-aligned in width characters (UTF-8 counted as characters). */
static void cell(FILE *out, const char *s, int width)
{
    fprintf(out, "%-*s ", width + (int)(strlen(s) - utf8_count(s)), s);
}

/* What to say about p after its numbers: the failure, who holds or last
 * held it, or its file. */
static void detail(FILE *out, const struct status_project *p)
{
    const struct ckpt_status_project *ck = p->ck;
    if (p->kind == STATUS_FAILED)
        fprintf(out, "FAILED: %s", p->reason != NULL ? p->reason : "?");
    else if (ck != NULL && ck->owner_host[0] != '\0')
        fprintf(out, "by %s pid %lld since %s%s%s%s", ck->owner_host, ck->owner_pid, ck->claimed_at,
                ck->live ? ", loading now (lease until " : "", ck->live ? ck->lease_until : "",
                ck->live ? ")" : "");
    else
        fprintf(out, "file %s", p->source_file != NULL ? p->source_file : "?");
}

void status_print_table(const struct status_board *b, FILE *out)
{
    char pct[16], tables[48];
    fprintf(out, "%-24s %-11s %-10s %6s %12s %9s %7s  %-26s %s\n", "project", "status", "state",
            "done", "loaded", "rejected", "tables", "updated (UTC)", "detail");
    for (size_t i = 0; i < b->n; i++) {
        const struct status_project *p = &b->v[i];
        cell(out, p->project != NULL ? p->project : p->source_file, 24);
        cell(out, status_kind_name(p->kind), 11);
        cell(out, p->ck != NULL ? ckpt_state_name(p->ck->state) : "-", 10);
        if (p->percent >= 0)
            snprintf(pct, sizeof pct, "%.1f%%", p->percent);
        else
            snprintf(pct, sizeof pct, "?");
        snprintf(tables, sizeof tables, "%zu/%zu", p->tables_done, p->tables);
        fprintf(out, "%6s %12lld %9lld %7s  %-26s ", pct, p->loaded, p->rejected, tables,
                p->failed_at != NULL ? p->failed_at
                : p->ck != NULL      ? p->ck->updated_at
                                     : "-");
        detail(out, p);
        fputc('\n', out);
    }
    fprintf(out, "%-24s %-11s %-10s %6s %12lld %9lld\n", "TOTAL", "", "", "", b->loaded,
            b->rejected);
    fprintf(out,
            "%zu project(s): %zu done, %zu loading, %zu incomplete, %zu failed, %zu not started",
            b->n, b->count[STATUS_DONE], b->count[STATUS_LOADING], b->count[STATUS_INCOMPLETE],
            b->count[STATUS_FAILED], b->count[STATUS_NOT_STARTED]);
    if (b->total > 0)
        fprintf(out, "; %lld of %lld source rows loaded or rejected (%.1f%%)",
                b->loaded + b->rejected, b->total,
                100.0 * (double)(b->loaded + b->rejected) / (double)b->total);
    fputc('\n', out);
}

/* One TSV field: NULL as \N, else s with \\ \t \n \r escaped; then sep. */
static void field(FILE *out, const char *s, char sep)
{
    if (s == NULL)
        fputs("\\N", out);
    for (; s != NULL && *s; s++) {
        const char *esc = *s == '\\'   ? "\\\\"
                          : *s == '\t' ? "\\t"
                          : *s == '\n' ? "\\n"
                          : *s == '\r' ? "\\r"
                                       : NULL;
        if (esc != NULL)
            fputs(esc, out);
        else
            fputc(*s, out);
    }
    fputc(sep, out);
}

void status_print_tsv(const struct status_board *b, FILE *out)
{
    fputs("project\tstatus\tstate\tpercent\trows_loaded\trows_rejected\trows_total\t"
          "tables_done\ttables\tupdated_at\tsource_file\treason\n",
          out);
    for (size_t i = 0; i < b->n; i++) {
        const struct status_project *p = &b->v[i];
        char pct[16];
        snprintf(pct, sizeof pct, "%.1f", p->percent);
        field(out, p->project, '\t');
        field(out, status_kind_name(p->kind), '\t');
        field(out, p->ck != NULL ? ckpt_state_name(p->ck->state) : NULL, '\t');
        field(out, p->percent >= 0 ? pct : NULL, '\t');
        fprintf(out, "%lld\t%lld\t", p->loaded, p->rejected);
        if (p->total >= 0)
            fprintf(out, "%lld\t", p->total);
        else
            field(out, NULL, '\t');
        fprintf(out, "%zu\t%zu\t", p->tables_done, p->tables);
        field(out,
              p->failed_at != NULL ? p->failed_at
              : p->ck != NULL      ? p->ck->updated_at
                                   : NULL,
              '\t');
        field(out, p->source_file, '\t');
        field(out, p->reason, '\n');
    }
}

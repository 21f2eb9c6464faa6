/* status_text: the status board as a table for people and as TSV for
 * scripts (see status.h). */
#include "status.h"

#include <string.h>

#include "esc.h"
#include "utf8.h"

/* s left-aligned in width characters (UTF-8 counted as characters). */
static void cell(FILE *out, const char *s, int width)
{
    s = esc_show(s);
    fprintf(out, "%-*s ", width + (int)(strlen(s) - utf8_count(s)), s);
}

/* How far p is: "42.3% of 20000 rows" (or what is known of it). */
static void extent(FILE *out, const struct status_project *p)
{
    if (p->percent >= 0 && p->total >= 0)
        fprintf(out, ", %.1f%% of %lld rows", p->percent, p->total);
    else
        fputs(", rows in the source unknown", out);
    if (p->tables > 0)
        fprintf(out, " (%zu/%zu tables done)", p->tables_done, p->tables);
}

/* After the project's numbers: where it stands, the failure, who holds or
 * last held it, or its file. */
static void project_detail(FILE *out, const struct status_project *p)
{
    const struct ckpt_status_project *ck = p->ck;
    fputs(status_kind_name(p->kind), out);
    if (p->kind == STATUS_FAILED) {
        fprintf(out, ": %s", p->reason != NULL ? esc_show(p->reason) : "?");
        return;
    }
    extent(out, p);
    if (p->kind == STATUS_INCOMPLETE)
        fputs("; rerun migrate to continue", out);
    if (ck != NULL && ck->owner_host[0] != '\0')
        fprintf(out, "; by %s pid %lld since %s%s%s%s", ck->owner_host, ck->owner_pid,
                ck->claimed_at, ck->live ? ", loading now (lease until " : "",
                ck->live ? ck->lease_until : "", ck->live ? ")" : "");
    else
        fprintf(out, "; file %s", p->source_file != NULL ? esc_show(p->source_file) : "?");
}

/* The first columns of a line: project, table, state, loaded, rejected,
 * updated. */
static void columns(FILE *out, const char *project, const char *table, const char *state,
                    long long loaded, long long rejected, const char *updated)
{
    cell(out, project, 24);
    cell(out, table, 24);
    cell(out, state, 10);
    fprintf(out, "%12lld %9lld  %-26s ", loaded, rejected, updated);
}

void status_print_table(const struct status_board *b, FILE *out)
{
    fprintf(out, "%-24s %-24s %-10s %12s %9s  %-26s %s\n", "project", "table", "state", "loaded",
            "rejected", "updated (UTC)", "status");
    for (size_t i = 0; i < b->n; i++) {
        const struct status_project *p = &b->v[i];
        const struct ckpt_status_project *ck = p->ck;
        const char *id = p->project != NULL ? p->project : p->source_file;
        columns(out, id, "(project)", ck != NULL ? ckpt_state_name(ck->state) : "-", p->loaded,
                p->rejected,
                p->failed_at != NULL ? p->failed_at
                : ck != NULL         ? ck->updated_at
                                     : "-");
        project_detail(out, p);
        fputc('\n', out);
        for (size_t k = 0; ck != NULL && k < ck->ntables; k++) {
            const struct ckpt_status_table *t = &ck->tables[k];
            columns(out, id, t->name, ckpt_state_name(t->state), t->loaded, t->rejected,
                    t->updated_at);
            if (t->total >= 0)
                fprintf(out, "of %lld rows", t->total);
            fputc('\n', out);
        }
    }
    fprintf(out, "%-24s %-24s %-10s %12lld %9lld\n", "TOTAL", "", "", b->loaded, b->rejected);
    fprintf(out,
            "%zu project(s): %zu done, %zu loading, %zu incomplete, %zu failed, %zu not started",
            b->n, b->count[STATUS_DONE], b->count[STATUS_LOADING], b->count[STATUS_INCOMPLETE],
            b->count[STATUS_FAILED], b->count[STATUS_NOT_STARTED]);
    if (b->total > 0)
        fprintf(out, "; %lld of %lld source rows loaded or rejected (%.1f%%)",
                b->loaded + b->rejected, b->total,
                100.0 * (double)(b->loaded + b->rejected) / (double)b->total);
    fputc('\n', out);
    status_print_hosts(b, out);
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
          "tables_done\ttables_total\tupdated_at\tsource_file\treason\n",
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

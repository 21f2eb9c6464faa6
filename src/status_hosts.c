/* status_hosts: the status board by host, for runs on several hosts sharing
 * one migration (see status.h). */
#include "status.h"

#include <stdlib.h>
#include <string.h>

/* One host's line: its projects by kind and the rows they hold. */
struct host {
    const char *name; /* "" for the projects no run has claimed */
    size_t count[STATUS_NKINDS];
    long long loaded;
};

/* The host that last claimed p, "" when none did. */
static const char *host_of(const struct status_project *p)
{
    return p->ck != NULL ? p->ck->owner_host : "";
}

/* Prints the counts of h that are not zero, "; N row(s) loaded". */
static void host_line(FILE *out, const struct host *h)
{
    fprintf(out, "  %-24s ", h->name[0] != '\0' ? h->name : "(no run claimed them)");
    const char *sep = "";
    for (int k = 0; k < STATUS_NKINDS; k++)
        if (h->count[k] > 0) {
            fprintf(out, "%s%zu %s", sep, h->count[k], status_kind_name((enum status_kind)k));
            sep = ", ";
        }
    fprintf(out, "; %lld row(s) loaded\n", h->loaded);
}

void status_print_hosts(const struct status_board *b, FILE *out)
{
    struct host *v = calloc(b->n + 1, sizeof *v);
    size_t n = 0;
    bool claimed = false;
    if (v == NULL)
        return;
    for (size_t i = 0; i < b->n; i++) {
        const struct status_project *p = &b->v[i];
        const char *name = host_of(p);
        size_t h = 0;
        while (h < n && strcmp(v[h].name, name) != 0)
            h++;
        n += h == n;
        v[h].name = name;
        v[h].count[p->kind]++;
        v[h].loaded += p->loaded;
        claimed |= name[0] != '\0';
    }
    if (claimed) {
        fputs("by host (the run that claimed each project last):\n", out);
        for (size_t h = 0; h < n; h++)
            host_line(out, &v[h]);
        fprintf(out, "left: %zu not started, %zu incomplete, %zu failed, %zu being loaded\n",
                b->count[STATUS_NOT_STARTED], b->count[STATUS_INCOMPLETE], b->count[STATUS_FAILED],
                b->count[STATUS_LOADING]);
    }
    free(v);
}

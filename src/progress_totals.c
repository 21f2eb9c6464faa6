/* progress_totals: the display's totals from the pre-flight (see
 * progress_totals.h). */
#include "progress_totals.h"

#include <string.h>

#include "ckpt.h"
#include "progress.h"
#include "reader_meta.h"

/* Rows of project id that earlier runs loaded or rejected, from its
 * checkpoints: 0 when it is to be restarted or nothing can be read. */
static long long earlier_rows(struct run *run, const char *id)
{
    struct ckpt_project cp;
    struct error ignored;
    long long n = 0;
    for (size_t k = 0; k < run->cfg->nrestart; k++)
        if (strcmp(run->cfg->restart[k], id) == 0)
            return 0;
    if (run->offline || ckpt_load(&run->tgt, run->cfg->progress_table, id, &cp, &ignored) != 0)
        return 0;
    for (size_t i = 0; i < cp.n; i++)
        if (cp.rows[i].table[0] != '\0')
            n += cp.rows[i].rows_loaded + cp.rows[i].rows_rejected;
    ckpt_project_free(&cp);
    return n;
}

void progress_totals_project(struct run *run, struct reader *r, size_t project,
                             const struct scan_entry *e)
{
    if (!progress_shown() || e->project_id == NULL)
        return;
    long long rows = 0;
    bool estimated = false;
    progress_phase("counting the rows of %s", e->path);
    for (size_t t = 0; t < r->ntables; t++) {
        bool est;
        long long n = reader_meta_rows(r, t, &est);
        rows += n > 0 ? n : 0;
        estimated |= est;
    }
    progress_expect(project, rows, earlier_rows(run, e->project_id), estimated);
}

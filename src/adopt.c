/* adopt: rows without a checkpoint taken as an earlier load (see adopt.h). */
#include "adopt.h"

#include "claim.h"
#include "preflight.h"
#include "verify.h"

bool adopt_wanted(const struct run *run, const char *project, const struct ckpt_row *crow)
{
    return preflight_listed(run->cfg->adopt, run->cfg->nadopt, project) &&
           (crow == NULL || (crow->state == CKPT_PENDING && crow->rows_loaded == 0));
}

int adopt_table(struct run *run, struct reader *r, size_t t, const char *table, const char *project,
                struct ckpt_pos *pos, struct report_table *rt, struct error *err)
{
    const struct config *cfg = run->cfg;
    const char *name = r->tables[t].name;
    long long src = reader_count(r, t, err), n = 0;
    if (src < 0 || verify_count(&run->tgt, table, cfg->project_column, project, &n, err) != 0)
        return -1;
    if (n != src)
        return error_set_table(err, name,
                               "--adopt: the target holds %lld row(s) of project '%s' in table "
                               "%s, the source has %lld: they are not a complete load of this "
                               "file; --restart-project '%s' deletes them and loads it again",
                               n, project, table, src, project);
    rt->read = src;
    rt->loaded = n;
    rt->note = cfg->dry_run ? "would adopt (--adopt)" : "adopted (--adopt)";
    if (cfg->dry_run)
        return 0;
    if (claim_renew(&run->tgt, cfg->progress_table, project, &run->sh->me, cfg->lease_seconds,
                    err) != 0 ||
        ckpt_advance(&run->tgt, cfg->progress_table, project, name, pos, NULL, n, 0, CKPT_LOADED,
                     err) != 0)
        return -1;
    return target_commit(&run->tgt, err);
}

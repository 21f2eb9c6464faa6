/* renames: finishing begun backup renames (see renames.h). */
#include "renames.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup.h"
#include "ckpt.h"

/* Whether path lies in dir (directly, or anywhere below it when deep). */
static bool lies_in(const char *path, const char *dir, bool deep)
{
    size_t n = strlen(dir);
    if (strncmp(path, dir, n) != 0 || path[n] != '/')
        return false;
    return deep || strchr(path + n + 1, '/') == NULL;
}

/* Whether the move of v has reached its backup: the source's main name is
 * gone, or is the backup's other name (stopped between link and unlink, when
 * the scan sees the file as its backup and leaves it). */
static bool moved(const struct ckpt_renaming *v)
{
    struct stat s, b;
    if (lstat(v->source_file, &s) != 0)
        return true;
    return lstat(v->backup_file, &b) == 0 && s.st_dev == b.st_dev && s.st_ino == b.st_ino;
}

/* Finishes one begun rename under the project's claim. Returns 0, or -1
 * with err saying why it was left as it is. */
static int complete_one(struct target *t, const struct config *cfg, const struct claim_owner *me,
                        const struct ckpt_renaming *v, struct error *err)
{
    const char *pt = cfg->progress_table;
    char *planned = backup_name(v->source_file, cfg->backup_suffix, cfg->backup_dir);
    int rc = 0;
    if (planned == NULL)
        rc = error_oom(err);
    else if (strcmp(planned, v->backup_file) != 0)
        rc = error_set(err,
                       "an earlier run began to rename %s as backup %s, but these options name "
                       "its backup %s: rerun with that run's --backup-suffix/--backup-dir to "
                       "finish the move",
                       v->source_file, v->backup_file, planned);
    else if (backup_rename(v->source_file, cfg->backup_suffix, cfg->backup_dir, NULL, err) != 0)
        rc = error_prefix(err, "finishing the rename an earlier run began");
    free(planned);
    if (rc == 0 && (claim_renew(t, pt, v->project, me, cfg->lease_seconds, err) != 0 ||
                    ckpt_set_state(t, pt, v->project, "", CKPT_RENAMED, err) != 0 ||
                    target_commit(t, err) != 0))
        rc = -1;
    return rc;
}

int renames_complete(struct target *t, const struct config *cfg, const struct claim_owner *me,
                     struct report *rep, struct error *err)
{
    struct ckpt_renaming *v = NULL;
    size_t n = 0;
    char *dir = realpath(cfg->source_dir, NULL);
    int rc = dir == NULL ? 0 : ckpt_list_renaming(t, cfg->progress_table, &v, &n, err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct claim_holder h;
        struct error perr, ignored;
        if (!lies_in(v[i].source_file, dir, cfg->recursive) || !moved(&v[i]))
            continue; /* another directory's, or not moved yet: the scan takes it up */
        int c = claim_take(t, cfg->progress_table, v[i].project, me, cfg->lease_seconds, &h, &perr);
        if (c == 0)
            continue; /* another run is at it */
        if (c == 1 && complete_one(t, cfg, me, &v[i], &perr) == 0) {
            report_remark(rep,
                          "project '%s': the rename as backup %s that an earlier run began "
                          "is complete",
                          v[i].project, v[i].backup_file);
        } else {
            target_rollback(t, &ignored);
            struct report_project *rp = report_project(rep, v[i].source_file, v[i].project);
            if (rp != NULL)
                report_fail(rep, rp, perr.msg);
        }
        if (c == 1)
            claim_release(t, cfg->progress_table, v[i].project, me, &ignored);
    }
    ckpt_renaming_free(v, n);
    free(dir);
    return rc;
}

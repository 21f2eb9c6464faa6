/* scan: project file discovery (see scan.h). */
#include "scan.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esc.h"
#include "srcfile.h"

#include "shard.h"

static const char *const companion_suffixes[] = {"-wal", "-shm", "-journal"};

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

char *scan_abs_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash == NULL ? strdup(".") : strndup(path, (size_t)(slash - path));
    char *real = dir == NULL ? NULL : realpath(dir[0] != '\0' ? dir : "/", NULL);
    char *out = NULL;
    if (real != NULL && asprintf(&out, "%s/%s", strcmp(real, "/") == 0 ? "" : real,
                                 slash == NULL ? path : slash + 1) < 0)
        out = NULL;
    free(dir);
    free(real);
    return out;
}

int scan_is_companion(const char *name)
{
    for (size_t i = 0; i < sizeof companion_suffixes / sizeof *companion_suffixes; i++)
        if (ends_with(name, companion_suffixes[i]))
            return 1;
    return 0;
}

char *scan_project_id(const char *name, const regex_t *re, struct error *err)
{
    if (re == NULL) {
        const char *dot = strrchr(name, '.');
        size_t n = (dot != NULL && dot != name) ? (size_t)(dot - name) : strlen(name);
        if (n == 0) {
            error_set(err, "file name \"%s\" gives an empty project id", name);
            return NULL;
        }
        return strndup(name, n);
    }
    regmatch_t m[2];
    if (regexec(re, name, 2, m, 0) != 0 || m[1].rm_so < 0 || m[1].rm_eo <= m[1].rm_so) {
        error_set(err, "--project-id-regex does not match \"%s\" with a non-empty first group",
                  name);
        return NULL;
    }
    return strndup(name + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
}

struct walk {
    const struct config *cfg;
    const regex_t *re;
    struct scan_list *list;
    size_t cap;
    FILE *log;      /* NULL: say nothing */
    size_t rootlen; /* of the source directory, to tell a path below it */
};

/* Whether --exclude leaves out the file at path (its name with any backup
 * suffix taken off: name): a glob matching the name or the path below the
 * source directory. */
static bool excluded(const struct walk *w, const char *path, const char *name)
{
    const char *below = path + w->rootlen + 1;
    for (size_t i = 0; i < w->cfg->nexclude; i++)
        if (fnmatch(w->cfg->exclude[i], name, FNM_PERIOD) == 0 ||
            fnmatch(w->cfg->exclude[i], below, FNM_PATHNAME | FNM_PERIOD) == 0)
            return true;
    return false;
}

/* Adds a file to the list; why (NULL, or why it cannot be migrated, without
 * opening it) fails its project. Returns 0 or -1 when out of memory. */
static int add_entry(struct walk *w, const char *path, const char *name, const struct stat *st,
                     int rank, const char *why)
{
    if (w->list->n == w->cap) {
        size_t ncap = w->cap ? 2 * w->cap : 16;
        struct scan_entry *v = realloc(w->list->v, ncap * sizeof *v);
        if (v == NULL)
            return -1;
        w->list->v = v;
        w->cap = ncap;
    }
    struct scan_entry *e = &w->list->v[w->list->n];
    memset(e, 0, sizeof *e);
    e->path = strdup(path);
    e->name = strdup(name);
    e->dev = st->st_dev;
    e->ino = st->st_ino;
    e->rank = rank;
    if (e->path == NULL || e->name == NULL)
        return -1;
    struct error perr;
    e->project_id = scan_project_id(name, w->re, &perr);
    if ((why != NULL || e->project_id == NULL) &&
        (e->error = strdup(why != NULL ? why : perr.msg)) == NULL)
        return -1;
    w->list->n++;
    return 0;
}

/* Whether name (found at path) matches --pattern; a hidden name that would
 * match but for its leading '.' is said on the log. */
static bool matches(const struct walk *w, const char *path, const char *name)
{
    if (fnmatch(w->cfg->pattern, name, FNM_PERIOD) == 0)
        return true;
    if (w->log != NULL && name[0] == '.' && fnmatch(w->cfg->pattern, name, 0) == 0)
        fprintf(w->log,
                "litelift: skipped %s: a hidden file (--pattern %s does not match a name "
                "starting with '.'; a pattern that does, e.g. '.*.db', includes it)\n",
                esc_show(path), esc_show(w->cfg->pattern));
    return false;
}

/* Whether the symlink at path points to to, which a run renamed as backup
 * (to + the backup suffix exists): the link of a migrated project. */
static bool to_a_backup(const struct walk *w, const char *path, const char *to)
{
    const char *suffix = w->cfg->backup_suffix, *slash = strrchr(path, '/');
    if (suffix == NULL || suffix[0] == '\0')
        return false;
    int dirlen = to[0] == '/' || slash == NULL ? 0 : (int)(slash - path + 1);
    char *full;
    if (asprintf(&full, "%.*s%s%s", dirlen, path, to, suffix) < 0)
        return false;
    struct stat st;
    bool renamed = stat(full, &st) == 0;
    free(full);
    return renamed;
}

/* Why the file at path (lstat lst, stat st unless dangling) cannot be read,
 * found without opening it: a dangling symlink, a FIFO, socket or device
 * (itself or as a -wal, -shm or -journal companion), no read permission. 0
 * when it can, 1 with why filled, 2 for the link of a project whose file was
 * renamed as backup (said on the log, left out). */
static int refused(const struct walk *w, const char *path, const struct stat *lst, bool dangling,
                   struct error *why)
{
    if (dangling && S_ISLNK(lst->st_mode)) {
        char to[4096];
        ssize_t n = readlink(path, to, sizeof to - 1);
        to[n < 0 ? 0 : n] = '\0';
        if (to_a_backup(w, path, to)) {
            if (w->log != NULL)
                fprintf(w->log, "litelift: skipped %s: a symlink to %s, renamed as backup\n",
                        esc_show(path), esc_show(to));
            return 2;
        }
        error_set(why, "%s is a dangling symlink (to %s, which does not exist)", path, to);
        return 1;
    }
    if (srcfile_check(path, why) != 0)
        return 1;
    if (access(path, R_OK) != 0) {
        error_set(why, "%s: cannot read it: %m", path);
        return 1;
    }
    return 0;
}

static int walk_dir(struct walk *w, const char *dir, struct error *err)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return error_set(err, "cannot read source directory \"%s\": %m", dir);
    int rc = 0;
    struct dirent *de;
    char *path = NULL, *name = NULL;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        free(path);
        if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
            path = NULL;
            rc = error_oom(err);
            break;
        }
        struct stat st, lst;
        if (lstat(path, &lst) != 0)
            continue;
        bool dangling = stat(path, &st) != 0;
        if (dangling)
            st = lst;
        if (S_ISDIR(st.st_mode)) {
            if (S_ISLNK(lst.st_mode))
                continue; /* never follow a directory symlink: no loops, no duplicates */
            if (w->cfg->recursive && (rc = walk_dir(w, path, err)) != 0)
                break;
            continue;
        }
        const char *suffix = w->cfg->backup_suffix;
        bool backup = suffix != NULL && suffix[0] != '\0' && ends_with(de->d_name, suffix);
        free(name);
        name = strndup(de->d_name, strlen(de->d_name) - (backup ? strlen(suffix) : 0));
        if (name == NULL) {
            rc = error_oom(err);
            break;
        }
        if (scan_is_companion(de->d_name) || !matches(w, path, name) || excluded(w, path, name))
            continue;
        struct error why;
        int bad = refused(w, path, &lst, dangling, &why);
        if (bad == 2)
            continue;
        /* a backup is listed for now only to recognise links to it */
        int rank = backup && !w->cfg->include_backups ? SCAN_BACKUP
                   : S_ISLNK(lst.st_mode)             ? SCAN_SYMLINK
                                                      : SCAN_FILE;
        if (add_entry(w, path, name, &st, rank, bad ? why.msg : NULL) != 0) {
            rc = error_oom(err);
            break;
        }
    }
    free(path);
    free(name);
    closedir(d);
    return rc;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct scan_entry *)a)->path, ((const struct scan_entry *)b)->path);
}

/* Orders indexes into a path-sorted list by file (device, inode), then by
 * rank (a backup, a real name, a symlink), then by path. */
static int cmp_file(const void *a, const void *b, void *list)
{
    const struct scan_entry *v = list, *x = &v[*(const size_t *)a], *y = &v[*(const size_t *)b];
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void entry_free(struct scan_entry *e)
{
    free(e->path);
    free(e->name);
    free(e->project_id);
    free(e->error);
}

/* --shard: keeps the entries of the shard spec names (a file without a
 * project id by its name: its failure is reported once, by one shard). */
static void keep_shard(struct scan_list *list, const char *spec)
{
    size_t kept = 0;
    for (size_t i = 0; i < list->n; i++) {
        struct scan_entry *e = &list->v[i];
        if (shard_holds(spec, e->project_id != NULL ? e->project_id : e->name))
            list->v[kept++] = *e;
        else
            entry_free(e);
    }
    list->n = kept;
}

/* Keeps one entry per file (device, inode): a symlink or hard link to a file
 * listed already, or to a backup, is dropped, said on log; then the backups
 * go. The list stays path-sorted. */
static int drop_duplicates(struct scan_list *l, FILE *log, struct error *err)
{
    size_t *order = malloc((l->n + 1) * sizeof *order);
    size_t *keep = malloc((l->n + 1) * sizeof *keep); /* index of the kept entry */
    int rc = order == NULL || keep == NULL ? error_oom(err) : 0;
    for (size_t i = 0; rc == 0 && i < l->n; i++)
        order[i] = i;
    if (rc == 0)
        qsort_r(order, l->n, sizeof *order, cmp_file, l->v);
    for (size_t k = 0; rc == 0 && k < l->n; k++) {
        const struct scan_entry *prev = k > 0 ? &l->v[order[k - 1]] : NULL;
        bool dup =
            prev != NULL && prev->dev == l->v[order[k]].dev && prev->ino == l->v[order[k]].ino;
        keep[order[k]] = dup ? keep[order[k - 1]] : order[k];
    }
    for (size_t i = 0; rc == 0 && log != NULL && i < l->n; i++)
        if (keep[i] != i)
            fprintf(log,
                    "litelift: skipped %s: it is the same file as %s (a symlink or hard link "
                    "to it); one file is one project\n",
                    esc_show(l->v[i].path), esc_show(l->v[keep[i]].path));
    size_t n = 0;
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        l->nbackups += l->v[i].rank == SCAN_BACKUP;
        if (keep[i] == i && l->v[i].rank != SCAN_BACKUP)
            l->v[n++] = l->v[i];
        else
            entry_free(&l->v[i]);
    }
    if (rc == 0)
        l->n = n;
    free(order);
    free(keep);
    return rc;
}

int scan_dir(const struct config *cfg, struct scan_list *out, FILE *log, struct error *err)
{
    memset(out, 0, sizeof *out);
    regex_t re;
    int have_re = 0;
    if (cfg->project_id_regex != NULL) {
        int rc = regcomp(&re, cfg->project_id_regex, REG_EXTENDED);
        if (rc != 0) {
            char msg[256];
            regerror(rc, &re, msg, sizeof msg);
            return error_set(err, "--project-id-regex \"%s\": %s", cfg->project_id_regex, msg);
        }
        have_re = 1;
    }
    struct walk w = {cfg, have_re ? &re : NULL, out, 0, log, 0};
    size_t dlen = strlen(cfg->source_dir);
    char *dir =
        strndup(cfg->source_dir, dlen > 1 && cfg->source_dir[dlen - 1] == '/' ? dlen - 1 : dlen);
    w.rootlen = dir != NULL ? strlen(dir) : 0;
    int rc = dir ? walk_dir(&w, dir, err) : error_oom(err);
    free(dir);
    if (have_re)
        regfree(&re);
    if (rc != 0) {
        scan_free(out);
        return -1;
    }
    if (out->n > 1) /* qsort of a NULL array is undefined even when empty */
        qsort(out->v, out->n, sizeof *out->v, cmp_entry);
    if (drop_duplicates(out, log, err) != 0) {
        scan_free(out);
        return -1;
    }
    if (cfg->shard != NULL)
        keep_shard(out, cfg->shard);
    return 0;
}

void scan_free(struct scan_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        entry_free(&list->v[i]);
    free(list->v);
    list->v = NULL;
    list->n = 0;
}

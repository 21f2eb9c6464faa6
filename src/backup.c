/* backup: source renaming (see backup.h). */
#include "backup.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"
#include "scan.h"

char *backup_name(const char *path, const char *suffix, const char *dir)
{
    char *out = NULL;
    if (dir == NULL) {
        if (asprintf(&out, "%s%s", path, suffix) < 0)
            return NULL;
        return out;
    }
    char *copy = strdup(path);
    if (copy == NULL)
        return NULL;
    if (asprintf(&out, "%s/%s%s", dir, basename(copy), suffix) < 0)
        out = NULL;
    free(copy);
    return out;
}

static int fsync_dir_of(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Whether files a and b have the same bytes. */
static int same_bytes(const char *a, const char *b)
{
    int fa = open(a, O_RDONLY), fb = open(b, O_RDONLY), same = fa >= 0 && fb >= 0;
    char x[65536], y[65536];
    while (same) {
        ssize_t n = read(fa, x, sizeof x), m = n > 0 ? read(fb, y, (size_t)n) : read(fb, y, 1);
        if (n < 0 || m != n || memcmp(x, y, (size_t)(n > 0 ? n : 0)) != 0)
            same = 0;
        if (n <= 0)
            break;
    }
    if (fa >= 0)
        close(fa);
    if (fb >= 0)
        close(fb);
    return same;
}

/* Whether paths a and b name one directory entry (the same parent
 * directory, by device and inode, and the same last component), whether or
 * not that entry exists. */
static bool same_entry(const char *a, const char *b)
{
    char *ca = strdup(a), *cb = strdup(b), *da = strdup(a), *db = strdup(b);
    struct stat sa, sb;
    bool same = ca != NULL && cb != NULL && da != NULL && db != NULL &&
                strcmp(basename(ca), basename(cb)) == 0 && stat(dirname(da), &sa) == 0 &&
                stat(dirname(db), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    free(ca);
    free(cb);
    free(da);
    free(db);
    return same;
}

/* Checks an existing backup name dst of the existing part src (two distinct
 * entries): it may stay only when it already holds the data, as a second
 * hard link of the same file or as a regular file with the same bytes, so
 * that removing src later loses nothing. Returns 0, or -1 with err set. */
static int check_existing(const char *src, const char *dst, struct error *err)
{
    struct stat s, d;
    if (lstat(src, &s) != 0 || lstat(dst, &d) != 0)
        return error_set(err, "cannot rename %s: %m", src);
    if (s.st_dev == d.st_dev && s.st_ino == d.st_ino)
        return 0;
    if (!S_ISREG(d.st_mode))
        return error_set(
            err, "cannot rename %s: backup %s already exists and is not a regular file", src, dst);
    if (stat(src, &s) != 0 || s.st_size != d.st_size || !same_bytes(src, dst))
        return error_set(err, "cannot rename %s: backup %s already exists", src, dst);
    return 0;
}

/* Gives src the additional name dst: a hard link, or across filesystems a
 * copy written to dst.tmp, fsynced, compared with src and renamed to dst. */
static int add_name(const char *src, const char *dst, struct error *err)
{
    if (link(src, dst) == 0)
        return 0;
    if (errno != EXDEV)
        return error_set(err, "cannot link %s to %s: %m", src, dst);
    progress_phase("copying %s to %s (another filesystem)", src, dst);
    char *tmp = NULL;
    if (asprintf(&tmp, "%s.tmp", dst) < 0)
        return error_oom(err);
    int in = open(src, O_RDONLY), out = -1, rc = -1;
    char buf[65536];
    unlink(tmp);
    if (in < 0 || (out = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
        error_set(err, "copying %s to %s: %m", src, tmp);
        goto out;
    }
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            break;
    struct stat st;
    if (n != 0 || fsync(out) != 0 || fstat(in, &st) != 0 || fchmod(out, st.st_mode & 07777) != 0) {
        error_set(err, "copying %s to %s: %m", src, tmp);
        goto out;
    }
    if (!same_bytes(src, tmp)) {
        error_set(err, "verifying %s: the copy differs from %s", tmp, src);
        goto out;
    }
    if (rename(tmp, dst) != 0) {
        error_set(err, "cannot rename %s to %s: %m", tmp, dst);
        goto out;
    }
    rc = 0;
out:
    progress_phase(NULL);
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int backup_rename(const char *path, const char *suffix, const char *dir, char **done_path,
                  struct error *err)
{
    static const char *const parts[] = {"", "-wal", "-shm"};
    char *src[3] = {NULL, NULL, NULL}, *dst[3] = {NULL, NULL, NULL};
    char *base = backup_name(path, suffix, dir);
    int rc = base == NULL ? error_oom(err) : 0;
    for (size_t i = 0; i < 3 && rc == 0; i++)
        if (asprintf(&src[i], "%s%s", path, parts[i]) < 0 ||
            asprintf(&dst[i], "%s%s", base, parts[i]) < 0)
            rc = error_oom(err);
    struct stat st;
    if (rc == 0 && lstat(src[0], &st) != 0 && lstat(dst[0], &st) != 0)
        rc = error_set(err, "cannot rename %s: %s", src[0], strerror(ENOENT));
    /* no backup name may be a name of the project's own files: removing the
     * old names would then remove the data */
    for (size_t i = 0; i < 9 && rc == 0; i++)
        if (same_entry(dst[i / 3], src[i % 3]))
            rc = error_set(err,
                           "cannot rename %s as backup %s: that is the name of the source's own "
                           "file %s; the source is kept",
                           src[i / 3], dst[i / 3], src[i % 3]);
    /* nothing happens unless every part can go: an existing destination must
     * already hold this very data (an interrupted earlier move) */
    for (size_t i = 0; i < 3 && rc == 0; i++)
        if (lstat(src[i], &st) == 0 && lstat(dst[i], &st) == 0)
            rc = check_existing(src[i], dst[i], err);
    for (size_t i = 0; i < 3 && rc == 0; i++)
        if (lstat(src[i], &st) == 0 && lstat(dst[i], &st) != 0)
            rc = add_name(src[i], dst[i], err);
    if (rc == 0 && fsync_dir_of(dst[0]) != 0)
        rc = error_set(err, "fsync of %s's directory: %m", dst[0]);
    /* the old names go, the main file's first: from then on the project is
     * no longer picked up, and its backup is complete */
    for (size_t i = 0; i < 3 && rc == 0; i++)
        if (unlink(src[i]) != 0 && errno != ENOENT)
            rc = error_set(err, "cannot remove %s after its backup was made: %m", src[i]);
    if (rc == 0 && fsync_dir_of(src[0]) != 0)
        rc = error_set(err, "fsync of %s's directory: %m", src[0]);
    for (size_t i = 0; i < 3; i++) {
        free(src[i]);
        free(dst[i]);
    }
    if (rc == 0 && done_path != NULL)
        *done_path = base;
    else
        free(base);
    return rc;
}

/* A file name that pattern matches, made by reading each wildcard as "x" (a
 * bracket expression as its first character); NULL when that name does not
 * match (a negated bracket expression, say) or memory runs out. */
static char *pattern_sample(const char *pattern)
{
    char *out = malloc(strlen(pattern) + 1), *o = out;
    if (out == NULL)
        return NULL;
    for (const char *p = pattern; *p != '\0'; p++) {
        const char *close = p[0] == '[' && p[1] != '\0' ? strchr(p + 2, ']') : NULL;
        if (*p == '*' || *p == '?') {
            *o++ = 'x';
        } else if (close != NULL) {
            *o++ = p[1];
            p = close;
        } else {
            p += p[0] == '\\' && p[1] != '\0';
            *o++ = *p;
        }
    }
    *o = '\0';
    if (fnmatch(pattern, out, FNM_PERIOD) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Refuses a suffix that project file names end in (every file would be
 * taken for a backup and skipped) or that makes a backup name look like an
 * SQLite companion file. Returns 0 or -1 with err set. */
static int check_suffix(const struct config *cfg, struct error *err)
{
    const char *sfx = cfg->backup_suffix;
    char *sample = pattern_sample(cfg->pattern), *named = NULL;
    if (asprintf(&named, "%s%s", sample != NULL ? sample : "NAME", sfx) < 0) {
        free(sample);
        return error_oom(err);
    }
    int rc = 0;
    if (sample != NULL && sfx[0] != '\0' && strlen(sample) >= strlen(sfx) &&
        strcmp(sample + strlen(sample) - strlen(sfx), sfx) == 0)
        rc = error_set(err,
                       "--backup-suffix '%s' ends the names --pattern '%s' picks (%s): every "
                       "project file would be taken for a backup and skipped; choose another "
                       "suffix",
                       sfx, cfg->pattern, sample);
    else if (!cfg->no_backup_rename && (scan_is_companion(sfx) || scan_is_companion(named)))
        rc = error_set(err,
                       "--backup-suffix '%s' makes backup names end like SQLite's -wal, -shm "
                       "or -journal companion files: a backup would be taken for a part of "
                       "another file; choose another suffix",
                       sfx);
    else if (!cfg->no_backup_rename && strchr(sfx, '/') != NULL)
        rc = error_set(err, "--backup-suffix '%s' contains a '/': use --backup-dir", sfx);
    free(sample);
    free(named);
    return rc;
}

/* Whether directory inner lies inside directory outer (both resolved). */
static bool dir_inside(const char *inner, const char *outer)
{
    char *i = realpath(inner, NULL), *o = realpath(outer, NULL);
    size_t n = o != NULL ? strlen(o) : 0;
    bool inside =
        i != NULL && o != NULL && strncmp(i, o, n) == 0 && (i[n] == '/' || (n == 1 && o[0] == '/'));
    free(i);
    free(o);
    return inside;
}

/* Refuses a backup directory that is missing, or under which a backup with
 * an empty suffix would have a source's own name or be scanned again. */
static int check_dir(const struct config *cfg, struct error *err)
{
    const char *bdir = cfg->backup_dir, *src = cfg->source_dir;
    struct stat b, s;
    if (stat(bdir, &b) != 0)
        return error_set(err, "--backup-dir '%s': %m", bdir);
    if (!S_ISDIR(b.st_mode))
        return error_set(err, "--backup-dir '%s' is not a directory", bdir);
    if (cfg->backup_suffix[0] != '\0' || stat(src, &s) != 0)
        return 0;
    if (b.st_dev == s.st_dev && b.st_ino == s.st_ino)
        return error_set(err,
                         "--backup-dir '%s' is the source directory '%s' and --backup-suffix "
                         "is empty: every backup would have its source's own name; give "
                         "another directory or a suffix",
                         bdir, src);
    if (cfg->recursive && dir_inside(bdir, src))
        return error_set(err,
                         "--backup-dir '%s' lies inside the source directory '%s', which "
                         "--recursive scans, and --backup-suffix is empty: the backups would "
                         "be taken for projects; give another directory or a suffix",
                         bdir, src);
    return 0;
}

int backup_check_options(const struct config *cfg, struct error *err)
{
    if (check_suffix(cfg, err) != 0)
        return -1;
    if (cfg->no_backup_rename || cfg->backup_dir == NULL)
        return 0;
    return check_dir(cfg, err);
}

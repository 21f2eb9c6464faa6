/* backup: source renaming (see backup.h). */
#include "backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Whether dst already is src: the same file, or an identical copy. */
static int already_there(const char *src, const char *dst)
{
    struct stat s, d;
    if (stat(src, &s) != 0 || stat(dst, &d) != 0)
        return 0;
    if (s.st_dev == d.st_dev && s.st_ino == d.st_ino)
        return 1;
    return s.st_size == d.st_size && same_bytes(src, dst);
}

/* Gives src the additional name dst: a hard link, or across filesystems a
 * copy written to dst.tmp, fsynced, compared with src and renamed to dst. */
static int add_name(const char *src, const char *dst, struct error *err)
{
    if (link(src, dst) == 0)
        return 0;
    if (errno != EXDEV)
        return error_set(err, "cannot link %s to %s: %m", src, dst);
    char *tmp = NULL;
    if (asprintf(&tmp, "%s.tmp", dst) < 0)
        return error_set(err, "out of memory");
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
    int rc = base == NULL ? error_set(err, "out of memory") : 0;
    for (size_t i = 0; i < 3 && rc == 0; i++)
        if (asprintf(&src[i], "%s%s", path, parts[i]) < 0 ||
            asprintf(&dst[i], "%s%s", base, parts[i]) < 0)
            rc = error_set(err, "out of memory");
    struct stat st;
    if (rc == 0 && lstat(src[0], &st) != 0 && lstat(dst[0], &st) != 0)
        rc = error_set(err, "cannot rename %s: %s", src[0], strerror(ENOENT));
    /* nothing happens unless every part can go: an existing destination must
     * already be this very file (an interrupted earlier move) */
    for (size_t i = 0; i < 3 && rc == 0; i++)
        if (lstat(src[i], &st) == 0 && lstat(dst[i], &st) == 0 && !already_there(src[i], dst[i]))
            rc = error_set(err, "cannot rename %s: backup %s already exists", src[i], dst[i]);
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

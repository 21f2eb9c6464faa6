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

/* Copies src to dst (which must not exist), fsyncs it, compares the bytes
 * back, then unlinks src. */
static int copy_verify_unlink(const char *src, const char *dst, struct error *err)
{
    int in = open(src, O_RDONLY), out = -1, rc = -1;
    char buf[65536], back[65536];
    if (in < 0)
        return error_set(err, "%s: %m", src);
    out = open(dst, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (out < 0) {
        error_set(err, "%s: %m", dst);
        goto out;
    }
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) {
            error_set(err, "writing %s: %m", dst);
            goto out;
        }
    if (n < 0 || fsync(out) != 0) {
        error_set(err, "copying %s to %s: %m", src, dst);
        goto out;
    }
    if (lseek(in, 0, SEEK_SET) != 0 || lseek(out, 0, SEEK_SET) != 0) {
        error_set(err, "verifying %s: %m", dst);
        goto out;
    }
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (read(out, back, (size_t)n) != n || memcmp(buf, back, (size_t)n) != 0) {
            error_set(err, "verifying %s: the copy differs from %s", dst, src);
            goto out;
        }
    }
    if (n < 0 || read(out, back, 1) != 0) {
        error_set(err, "verifying %s: the copy differs in length from %s", dst, src);
        goto out;
    }
    struct stat st;
    if (fstat(in, &st) == 0)
        fchmod(out, st.st_mode & 07777);
    if (unlink(src) != 0 || fsync_dir_of(src) != 0 || fsync_dir_of(dst) != 0) {
        error_set(err, "removing %s after copying it: %m", src);
        goto out;
    }
    rc = 0;
out:
    if (rc != 0 && out >= 0)
        unlink(dst);
    close(in);
    if (out >= 0)
        close(out);
    return rc;
}

static int move_one(const char *src, const char *dst, struct error *err)
{
    struct stat st;
    int have_src = lstat(src, &st) == 0;
    int have_dst = lstat(dst, &st) == 0;
    if (!have_src)
        return 0; /* absent companion, or already moved by an earlier run */
    if (have_dst)
        return error_set(err, "cannot rename %s: backup %s already exists", src, dst);
    if (rename(src, dst) == 0)
        return fsync_dir_of(dst) == 0 ? 0 : error_set(err, "fsync of %s's directory: %m", dst);
    if (errno != EXDEV)
        return error_set(err, "cannot rename %s to %s: %m", src, dst);
    return copy_verify_unlink(src, dst, err);
}

int backup_rename(const char *path, const char *suffix, const char *dir, char **done_path,
                  struct error *err)
{
    static const char *const parts[] = {"-wal", "-shm", ""};
    char *src[3] = {NULL, NULL, NULL}, *dst[3] = {NULL, NULL, NULL};
    char *base = backup_name(path, suffix, dir);
    int rc = base == NULL ? error_set(err, "out of memory") : 0;
    for (size_t i = 0; i < 3 && rc == 0; i++)
        if (asprintf(&src[i], "%s%s", path, parts[i]) < 0 ||
            asprintf(&dst[i], "%s%s", base, parts[i]) < 0)
            rc = error_set(err, "out of memory");
    /* nothing moves unless everything can: a destination that exists while its
     * source does too is a conflict; the main file must be there, or already
     * moved by an interrupted earlier run */
    struct stat st;
    for (size_t i = 0; i < 3 && rc == 0; i++) {
        bool have_src = lstat(src[i], &st) == 0, have_dst = lstat(dst[i], &st) == 0;
        if (have_src && have_dst)
            rc = error_set(err, "cannot rename %s: backup %s already exists", src[i], dst[i]);
        else if (i == 2 && !have_src && !have_dst)
            rc = error_set(err, "cannot rename %s: %s", src[i], strerror(ENOENT));
    }
    for (size_t i = 0; i < 3 && rc == 0; i++)
        rc = move_one(src[i], dst[i], err);
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

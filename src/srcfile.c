/* srcfile: checks of a project's source file before SQLite opens it (see
 * srcfile.h). */
#include "srcfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

static const char *const companions[] = {"-wal", "-shm", "-journal"};

const char *srcfile_kind(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISREG(mode) || S_ISDIR(mode))
        return NULL;
    return "not a regular file";
}

/* Checks one path with stat; missing is fine when may_miss. */
static int check_one(const char *path, bool may_miss, struct error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (may_miss && errno == ENOENT)
            return 0;
        return error_set(err, "%s: %m", path);
    }
    if (S_ISREG(st.st_mode))
        return 0;
    const char *kind = srcfile_kind(st.st_mode);
    return error_set(err, "%s is %s, not a regular file: not opened", path,
                     kind != NULL ? kind : "a directory");
}

int srcfile_check(const char *path, struct error *err)
{
    if (check_one(path, true, err) != 0) /* missing: SQLite says so itself */
        return -1;
    char name[4096];
    for (size_t i = 0; i < sizeof companions / sizeof *companions; i++) {
        if (snprintf(name, sizeof name, "%s%s", path, companions[i]) >= (int)sizeof name)
            return error_set(err, "%s: name too long", path);
        if (check_one(name, true, err) != 0)
            return -1;
    }
    return 0;
}

/* Whether path's header says WAL mode (file format versions 2). Opens the
 * regular file with O_NONBLOCK and checks it again with fstat. */
static bool wal_mode(const char *path)
{
    unsigned char h[20];
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool wal = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && pread(fd, h, sizeof h, 0) == 20 &&
               memcmp(h, "SQLite format 3", 16) == 0 && h[18] == 2 && h[19] == 2;
    close(fd);
    return wal;
}

/* The size of path + suffix: -1 when it does not exist. */
static long long companion_size(const char *path, const char *suffix)
{
    char name[4096];
    struct stat st;
    snprintf(name, sizeof name, "%s%s", path, suffix);
    return stat(name, &st) == 0 ? (long long)st.st_size : -1;
}

/* "file:" + path, percent-encoded where a URI needs it, + "?immutable=1". */
static char *immutable_uri(const char *path)
{
    struct buf b;
    buf_init(&b, BUF_CAP_LINE * 4);
    int bad = buf_puts(&b, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0' && !bad; p++)
        bad = *p == '%' || *p == '?' || *p == '#' || *p < 0x20 || *p >= 0x7F
                  ? buf_printf(&b, "%%%02X", *p)
                  : buf_putc(&b, (char)*p);
    if (bad || buf_puts(&b, "?immutable=1") != 0) {
        buf_free(&b);
        return NULL;
    }
    return b.data;
}

int srcfile_readonly_wal(const char *path, char **uri, struct error *err)
{
    *uri = NULL;
    char *copy = strdup(path);
    if (copy == NULL)
        return error_oom(err);
    bool writable = access(dirname(copy), W_OK) == 0;
    free(copy);
    if (writable || companion_size(path, "-shm") >= 0 || !wal_mode(path))
        return 0;
    if (companion_size(path, "-wal") > 0)
        return error_set(err,
                         "%s: a WAL-mode database in a directory litelift cannot write: SQLite "
                         "must create %s-shm to read it, and %s-wal holds changes not yet in the "
                         "file; make the directory writable, or checkpoint the file where it can "
                         "be written (sqlite3 FILE 'PRAGMA wal_checkpoint(TRUNCATE)')",
                         path, path, path);
    if ((*uri = immutable_uri(path)) == NULL)
        return error_oom(err);
    return 1;
}

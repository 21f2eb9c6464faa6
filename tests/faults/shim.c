/* shim: an LD_PRELOAD library that makes chosen file calls of litelift fail,
 * for the fault-injection tests. Environment:
 *   LITELIFT_FAULT_CALL   write, fsync, rename or link (the only call affected)
 *   LITELIFT_FAULT_PATH   a substring of the path (for write and fsync, the
 *                         path the descriptor was opened on; for rename and
 *                         link, either name)
 *   LITELIFT_FAULT_ERRNO  ENOSPC, EIO or EXDEV
 *   LITELIFT_FAULT_AFTER  matching calls that succeed first (default 0)
 *   LITELIFT_FAULT_TIMES  matching calls that fail then (default: all)
 *   LITELIFT_FAULT_LOG    a file that gets one line per failed call
 * Streams fopen()ed on a matching path for writing go through write() here
 * (fopencookie), so that stdio's buffered writes fail too. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static long matched; /* matching calls so far */

/* Whether path matches LITELIFT_FAULT_PATH. */
static int path_matches(const char *path)
{
    const char *want = getenv("LITELIFT_FAULT_PATH");
    return path != NULL && want != NULL && strstr(path, want) != NULL;
}

static int fault_errno(void)
{
    const char *e = getenv("LITELIFT_FAULT_ERRNO");
    if (e != NULL && strcmp(e, "EIO") == 0)
        return EIO;
    if (e != NULL && strcmp(e, "EXDEV") == 0)
        return EXDEV;
    return ENOSPC;
}

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' ? strtol(v, NULL, 10) : dflt;
}

/* Whether this call of call on path (path2: a second name, or NULL) fails;
 * sets errno when it does and logs it. */
static int inject(const char *call, const char *path, const char *path2)
{
    const char *want = getenv("LITELIFT_FAULT_CALL");
    if (want == NULL || strcmp(want, call) != 0 || !(path_matches(path) || path_matches(path2)))
        return 0;
    long n = __atomic_fetch_add(&matched, 1, __ATOMIC_SEQ_CST);
    long after = env_long("LITELIFT_FAULT_AFTER", 0), times = env_long("LITELIFT_FAULT_TIMES", -1);
    if (n < after || (times >= 0 && n >= after + times))
        return 0;
    const char *logpath = getenv("LITELIFT_FAULT_LOG");
    int e = fault_errno();
    if (logpath != NULL) {
        char line[4200];
        int len = snprintf(line, sizeof line, "%s %s %s\n", call, path_matches(path) ? path : path2,
                           strerror(e));
        int fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ssize_t (*real_write)(int, const void *, size_t) = dlsym(RTLD_NEXT, "write");
            (void)real_write(fd, line,
                             (size_t)(len < (int)sizeof line ? len : (int)sizeof line - 1));
            close(fd);
        }
    }
    errno = e;
    return 1;
}

/* The path descriptor fd was opened on (a static buffer per thread). */
static const char *fd_path(int fd)
{
    static __thread char path[4096];
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0)
        return NULL;
    path[n] = '\0';
    return path;
}

/* Whether a call of call on descriptor fd fails (errno set). */
static int inject_fd(const char *call, int fd)
{
    const char *want = getenv("LITELIFT_FAULT_CALL");
    return want != NULL && strcmp(want, call) == 0 && inject(call, fd_path(fd), NULL);
}

ssize_t write(int fd, const void *b, size_t n)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (real == NULL)
        real = dlsym(RTLD_NEXT, "write");
    return inject_fd("write", fd) ? -1 : real(fd, b, n);
}

int fsync(int fd)
{
    static int (*real)(int);
    if (real == NULL)
        real = dlsym(RTLD_NEXT, "fsync");
    return inject_fd("fsync", fd) ? -1 : real(fd);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (real == NULL)
        real = dlsym(RTLD_NEXT, "rename");
    return inject("rename", from, to) ? -1 : real(from, to);
}

int link(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (real == NULL)
        real = dlsym(RTLD_NEXT, "link");
    return inject("link", from, to) ? -1 : real(from, to);
}

static ssize_t cookie_write(void *cookie, const char *b, size_t n)
{
    int fd = (int)(long)cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, b + done, n - done);
        if (w < 0)
            return done > 0 ? (ssize_t)done : -1;
        done += (size_t)w;
    }
    return (ssize_t)done;
}

static ssize_t cookie_read(void *cookie, char *b, size_t n)
{
    return read((int)(long)cookie, b, n);
}

static int cookie_seek(void *cookie, off64_t *at, int whence)
{
    off64_t r = lseek64((int)(long)cookie, *at, whence);
    if (r < 0)
        return -1;
    *at = r;
    return 0;
}

static int cookie_close(void *cookie)
{
    return close((int)(long)cookie);
}

/* fopen: a stream for writing on a matching path goes through write(). */
static FILE *open_stream(const char *path, const char *mode, const char *sym)
{
    FILE *(*real)(const char *, const char *) = dlsym(RTLD_NEXT, sym);
    const char *want = getenv("LITELIFT_FAULT_CALL");
    if (want == NULL || strcmp(want, "write") != 0 || !path_matches(path) ||
        strpbrk(mode, "wa+") == NULL)
        return real(path, mode);
    int flags = O_CLOEXEC | O_CREAT | (mode[0] == 'a' ? O_APPEND : O_TRUNC) |
                (strchr(mode, '+') != NULL ? O_RDWR : O_WRONLY);
    int fd = open(path, flags, 0666);
    if (fd < 0)
        return NULL;
    cookie_io_functions_t io = {cookie_read, cookie_write, cookie_seek, cookie_close};
    FILE *f = fopencookie((void *)(long)fd, mode, io);
    if (f == NULL)
        close(fd);
    return f;
}

FILE *fopen(const char *path, const char *mode)
{
    return open_stream(path, mode, "fopen");
}

FILE *fopen64(const char *path, const char *mode)
{
    return open_stream(path, mode, "fopen64");
}

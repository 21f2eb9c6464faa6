/* logfile: the run's full detail in a file (see logfile.h). */
#include "logfile.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static FILE *out;
static bool at_line_start = true;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* Writes "2026-12-04T18:11:28.123Z " (under mu). */
static void stamp(void)
{
    struct timeval tv;
    struct tm tm;
    char when[32];
    gettimeofday(&tv, NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", gmtime_r(&tv.tv_sec, &tm));
    fprintf(out, "%s.%03ldZ ", when, (long)(tv.tv_usec / 1000));
}

void logfile_write(const char *text, size_t n)
{
    if (out == NULL)
        return;
    pthread_mutex_lock(&mu);
    while (n > 0) {
        if (at_line_start)
            stamp();
        const char *nl = memchr(text, '\n', n);
        size_t k = nl != NULL ? (size_t)(nl - text) + 1 : n;
        fwrite(text, 1, k, out);
        at_line_start = nl != NULL;
        text += k;
        n -= k;
    }
    fflush(out);
    pthread_mutex_unlock(&mu);
}

void logfile_printf(const char *fmt, ...)
{
    if (out == NULL)
        return;
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n > 0)
        logfile_write(text, (size_t)n);
    free(n >= 0 ? text : NULL);
}

int logfile_open(const char *path, const char *command, struct error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    out = fd < 0 ? NULL : fdopen(fd, "a");
    if (out == NULL) {
        if (fd >= 0)
            close(fd);
        return error_set(err, "--log-file %s: %m", path);
    }
    logfile_printf("litelift %s: log of the run (pid %ld)\n", command, (long)getpid());
    return 0;
}

/* The tee stream's write: inner, then the log file. */
static ssize_t tee_write(void *cookie, const char *data, size_t n)
{
    FILE *inner = cookie;
    fwrite(data, 1, n, inner);
    fflush(inner);
    logfile_write(data, n);
    return (ssize_t)n;
}

FILE *logfile_tee(FILE *inner)
{
    if (out == NULL)
        return inner;
    cookie_io_functions_t io = {.write = tee_write};
    FILE *tee = fopencookie(inner, "w", io);
    if (tee == NULL || setvbuf(tee, NULL, _IOLBF, BUFSIZ) != 0) {
        if (tee != NULL)
            fclose(tee);
        return inner;
    }
    return tee;
}

void logfile_close(void)
{
    pthread_mutex_lock(&mu);
    if (out != NULL)
        fclose(out);
    out = NULL;
    at_line_start = true;
    pthread_mutex_unlock(&mu);
}

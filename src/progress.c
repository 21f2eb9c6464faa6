/* progress: counting, the ticker thread and the log stream of the progress
 * display (see progress.h); its text is progress_draw.c's. */
#include "progress.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "logfile.h"
#include "progress_int.h"

static struct progress *current; /* the display shown, or NULL */
static _Thread_local size_t me;  /* the calling thread's worker number */

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes all of b to stderr's descriptor (a failed write is dropped: there
 * is nowhere left to say so). */
static void put(const struct buf *b)
{
    size_t off = 0;
    while (!buf_failed(b) && off < b->len) {
        ssize_t n = write(STDERR_FILENO, b->data + off, b->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        off += (size_t)n;
    }
}

/* Appends what takes the display off the screen (under mu). */
static void erase(struct progress *pg, struct buf *b)
{
    if (pg->tty && pg->drawn > 0)
        buf_printf(b, "\033[%dA\r\033[J", pg->drawn);
    pg->drawn = 0;
}

/* Appends the display, sized to the terminal (under mu). */
static void frame(struct progress *pg, struct buf *b)
{
    struct winsize ws;
    int width = 80, height = 24;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
        width = ws.ws_col;
        height = ws.ws_row;
    }
    size_t from = b->len;
    progress_draw_tty(pg, progress_now(), width, height, b);
    for (size_t i = from; !buf_failed(b) && i < b->len; i++)
        pg->drawn += b->data[i] == '\n';
}

/* The log stream's write: the display goes, the text is written, and once
 * the text ends a line the display comes back, all in one write. */
static ssize_t stream_write(void *cookie, const char *data, size_t n)
{
    struct progress *pg = cookie;
    struct buf b;
    buf_init(&b, BUF_CAP_SQL);
    logfile_write(data, n);
    pthread_mutex_lock(&pg->mu);
    erase(pg, &b);
    buf_append(&b, data, n);
    pg->partial = n > 0 && data[n - 1] != '\n';
    if (pg->tty && !pg->partial)
        frame(pg, &b);
    put(&b);
    pthread_mutex_unlock(&pg->mu);
    buf_free(&b);
    return (ssize_t)n;
}

/* One frame or plain line (under mu). */
static void tick(struct progress *pg)
{
    struct buf b;
    buf_init(&b, BUF_CAP_SQL);
    if (pg->tty && !pg->partial) {
        erase(pg, &b);
        frame(pg, &b);
    } else if (!pg->tty && !pg->partial) {
        progress_draw_plain(pg, progress_now(), &b);
        pg->said = pg->done;
    }
    put(&b);
    buf_free(&b);
}

/* The ticker thread: a frame or a line every pg->every seconds. */
static void *ticker(void *arg)
{
    struct progress *pg = arg;
    pthread_mutex_lock(&pg->mu);
    double next = progress_now() + pg->every;
    while (!pg->quit) {
        struct timespec at = {(time_t)next, (long)((next - (double)(time_t)next) * 1e9)};
        if (pthread_cond_timedwait(&pg->wake, &pg->mu, &at) == ETIMEDOUT && !pg->quit) {
            tick(pg);
            next += pg->every;
            if (next < progress_now())
                next = progress_now() + pg->every;
        }
    }
    pthread_mutex_unlock(&pg->mu);
    return NULL;
}

/* Whether cfg asks for the display redrawn in place (1), the plain line (0)
 * or nothing (-1). */
static int mode(const struct config *cfg)
{
    const char *term = getenv("TERM");
    switch (cfg->progress) {
    case CONFIG_PROGRESS_NONE:
        return -1;
    case CONFIG_PROGRESS_TTY:
        return 1;
    case CONFIG_PROGRESS_PLAIN:
        break;
    case CONFIG_PROGRESS_AUTO:
        if (isatty(STDERR_FILENO) && term != NULL && strcmp(term, "dumb") != 0)
            return 1;
        break;
    }
    return cfg->progress_seconds > 0 ? 0 : -1;
}

/* Sets pg's lock, clock and stream up. Returns 0 or -1. */
static int setup(struct progress *pg, struct error *err)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&pg->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&pg->mu, NULL);
    cookie_io_functions_t io = {.write = stream_write};
    pg->stream = fopencookie(pg, "w", io);
    if (pg->stream == NULL || setvbuf(pg->stream, NULL, _IOLBF, BUFSIZ) != 0) {
        if (pg->stream != NULL)
            fclose(pg->stream);
        pthread_cond_destroy(&pg->wake);
        pthread_mutex_destroy(&pg->mu);
        return error_set(err, "cannot show progress: %m");
    }
    return 0;
}

int progress_start(const struct config *cfg, enum progress_kind kind, FILE **log, struct error *err)
{
    int m = mode(cfg);
    if (m < 0 || current != NULL)
        return 0;
    struct progress *pg = calloc(1, sizeof *pg);
    if (pg == NULL)
        return error_oom(err);
    pg->tty = m == 1;
    pg->every = pg->tty ? 0.1 : cfg->progress_seconds;
    pg->kind = kind;
    pg->dry_run = cfg->dry_run;
    pg->started = progress_now();
    if (setup(pg, err) != 0) {
        free(pg);
        return -1;
    }
    fflush(*log);
    if (pthread_create(&pg->ticker, NULL, ticker, pg) != 0) {
        fclose(pg->stream);
        pthread_cond_destroy(&pg->wake);
        pthread_mutex_destroy(&pg->mu);
        free(pg);
        return error_set(err, "cannot show progress: no thread");
    }
    pg->orig = *log;
    *log = pg->stream;
    current = pg;
    return 0;
}

void progress_end(FILE **log)
{
    struct progress *pg = current;
    if (pg == NULL)
        return;
    pthread_mutex_lock(&pg->mu);
    pg->quit = true;
    pthread_cond_signal(&pg->wake);
    pthread_mutex_unlock(&pg->mu);
    pthread_join(pg->ticker, NULL);
    fflush(pg->stream);
    struct buf b;
    buf_init(&b, BUF_CAP_SQL);
    erase(pg, &b);
    put(&b);
    buf_free(&b);
    *log = pg->orig;
    current = NULL;
    fclose(pg->stream);
    pthread_cond_destroy(&pg->wake);
    pthread_mutex_destroy(&pg->mu);
    free(pg->expected);
    free(pg->got);
    free(pg);
}

bool progress_shown(void)
{
    return current != NULL;
}

void progress_worker(size_t n)
{
    me = n <= PROGRESS_WORKERS ? n : 0;
}

/* The calling thread's worker line, with pg locked; NULL when none is shown. */
static struct progress_worker *lock_worker(void)
{
    if (current == NULL)
        return NULL;
    pthread_mutex_lock(&current->mu);
    return &current->workers[me];
}

static void unlock(void)
{
    pthread_mutex_unlock(&current->mu);
}

/* Project p's total becomes what was done of it (under mu). */
static void settle(struct progress *pg, size_t p)
{
    if (p >= pg->nexpected)
        return;
    pg->total -= pg->expected[p] - pg->got[p];
    pg->expected[p] = pg->got[p];
}

void progress_expect(size_t project, long long rows, long long earlier, bool estimated)
{
    if (lock_worker() == NULL)
        return;
    struct progress *pg = current;
    if (project >= pg->nexpected) {
        size_t n = project + 1;
        long long *e = realloc(pg->expected, n * sizeof *e);
        long long *g = e == NULL ? NULL : realloc(pg->got, n * sizeof *g);
        if (e != NULL)
            pg->expected = e;
        if (g == NULL) {
            unlock();
            return; /* a total too low: the display still counts what moves */
        }
        pg->got = g;
        memset(e + pg->nexpected, 0, (n - pg->nexpected) * sizeof *e);
        memset(g + pg->nexpected, 0, (n - pg->nexpected) * sizeof *g);
        pg->nexpected = n;
    }
    pg->expected[project] = rows > earlier ? rows : earlier;
    pg->got[project] = earlier;
    pg->total += pg->expected[project];
    pg->done += earlier;
    pg->estimated |= estimated;
    unlock();
}

void progress_begin(size_t n, const struct report_project *rps)
{
    if (lock_worker() == NULL)
        return;
    struct progress *pg = current;
    pg->loading = true;
    pg->started = progress_now();
    pg->before = pg->said = pg->done;
    pg->nprojects = n;
    for (size_t i = 0; rps != NULL && i < n; i++)
        if (rps[i].error != NULL)
            settle(pg, i);
    unlock();
}

void progress_project(size_t project, const char *id)
{
    struct progress_worker *w = lock_worker();
    if (w == NULL)
        return;
    w->busy = true;
    w->project = project;
    snprintf(w->id, sizeof w->id, "%s", id != NULL ? id : "?");
    w->table[0] = w->phase[0] = '\0';
    current->projects_begun++;
    unlock();
}

void progress_project_done(void)
{
    struct progress_worker *w = lock_worker();
    if (w == NULL)
        return;
    settle(current, w->project);
    current->projects_done++;
    w->busy = false;
    w->id[0] = w->table[0] = w->phase[0] = '\0';
    unlock();
}

void progress_table(const char *table, long long earlier)
{
    struct progress_worker *w = lock_worker();
    if (w == NULL)
        return;
    snprintf(w->table, sizeof w->table, "%s", table);
    w->rows = earlier;
    w->moved = 0;
    w->since = progress_now();
    unlock();
}

void progress_count(size_t n)
{
    struct progress_worker *w = lock_worker();
    if (w == NULL)
        return;
    struct progress *pg = current;
    pg->done += (long long)n;
    w->rows += (long long)n;
    w->moved += (long long)n;
    if (w->busy && w->project < pg->nexpected) {
        long long p = (long long)w->project;
        pg->got[p] += (long long)n;
        if (pg->got[p] > pg->expected[p]) { /* an estimate too low */
            pg->total += pg->got[p] - pg->expected[p];
            pg->expected[p] = pg->got[p];
        }
    }
    unlock();
}

void progress_phase(const char *fmt, ...)
{
    struct progress_worker *w = lock_worker();
    if (w == NULL)
        return;
    w->phase[0] = '\0';
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->phase, sizeof w->phase, fmt, ap);
        va_end(ap);
        w->phase_since = progress_now();
    }
    unlock();
}

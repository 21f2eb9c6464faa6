/* target_watch: the cancelling of statements in flight on a stop request
 * (see target_watch.h). The open connections form a list under one mutex;
 * a connection leaves it (target_watch_close) before it is closed, so that
 * the watcher, which shuts sockets down only while it holds the mutex, never
 * touches a closed one. The signal handler only writes a byte into a
 * pipe the watcher thread reads. */
#include "target_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "progress.h"

/* How a statement in flight stands with the watcher (target.watch). */
enum { WATCH_NONE, WATCH_KILLED, WATCH_SHUT };

#define KILL_TIMEOUT 1    /* seconds: the KILL QUERY connection's timeouts */
#define KILL_PATIENCE 1.0 /* seconds a statement may take to end after its KILL QUERY */
#define ROUND_MS 200      /* how often the watcher looks once the run is to stop */
#define BYTE_STOP 's'
#define BYTE_END 'e'

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct target *open_list; /* the open connections */
static int pipe_fd[2] = {-1, -1};
static pthread_t thread;
static volatile sig_atomic_t running; /* the watcher thread runs: pipe_fd[1] is open */
static struct url target_url;         /* where the KILL QUERY connections go */

void target_watch_open(struct target *t)
{
    pthread_mutex_lock(&mu);
    t->watch_next = open_list;
    open_list = t;
    pthread_mutex_unlock(&mu);
}

void target_watch_close(struct target *t)
{
    pthread_mutex_lock(&mu);
    for (struct target **p = &open_list; *p != NULL; p = &(*p)->watch_next)
        if (*p == t) {
            *p = t->watch_next;
            break;
        }
    t->watch_next = NULL;
    pthread_mutex_unlock(&mu);
}

void target_watch_busy(struct target *t)
{
    pthread_mutex_lock(&mu);
    t->wait_began = progress_now();
    t->watch = WATCH_NONE;
    pthread_mutex_unlock(&mu);
}

void target_watch_idle(struct target *t)
{
    pthread_mutex_lock(&mu);
    if (t->wait_began != 0)
        t->last_wait = progress_now() - t->wait_began;
    t->wait_began = 0;
    pthread_mutex_unlock(&mu);
}

int target_watch_ids(struct buf *b)
{
    int rc = 0;
    pthread_mutex_lock(&mu);
    for (struct target *t = open_list; t != NULL && rc == 0; t = t->watch_next)
        rc = buf_printf(b, "%s%lu", t == open_list ? "" : ", ", t->id);
    pthread_mutex_unlock(&mu);
    return rc;
}

bool target_watch_cancelled(const struct target *t)
{
    return t->watch != WATCH_NONE;
}

/* One connection in flight as the watcher saw it (t only to be compared:
 * it may be closed once the mutex is released). */
struct seen {
    const struct target *t;
    double began;
    unsigned long id;
    int watch;
};

/* Copies up to max connections in flight that have waited past their grace
 * (counted from the later of their start and the stop request) and are not
 * yet shut down; returns how many. */
static size_t overdue(struct seen *v, size_t max, double stopped_at)
{
    size_t n = 0;
    double t0 = progress_now();
    pthread_mutex_lock(&mu);
    for (struct target *t = open_list; t != NULL && n < max; t = t->watch_next) {
        if (t->wait_began == 0)
            continue;
        double from = t->wait_began > stopped_at ? t->wait_began : stopped_at;
        bool patience_over = t->watch == WATCH_NONE
                                 ? t0 - from >= TARGET_WATCH_GRACE
                                 : t0 - from >= TARGET_WATCH_GRACE + KILL_PATIENCE;
        if (t->watch != WATCH_SHUT && patience_over)
            v[n++] = (struct seen){t, t->wait_began, t->id, t->watch};
    }
    pthread_mutex_unlock(&mu);
    return n;
}

/* Sets the state of s's statement to state, and shuts its socket down with
 * WATCH_SHUT, when that very statement is still in flight. */
static void mark(const struct seen *s, int state)
{
    pthread_mutex_lock(&mu);
    for (struct target *t = open_list; t != NULL; t = t->watch_next)
        if (t == s->t && t->wait_began == s->began && t->watch < state) {
            t->watch = state;
            if (state == WATCH_SHUT)
                shutdown(target_socket(t), SHUT_RDWR);
        }
    pthread_mutex_unlock(&mu);
}

/* Cancels the statement of connection id over k: KILL QUERY, but only when
 * k sees that id as a statement of k's own user (behind a load balancer or
 * a proxy, k may have reached another server, where the id is another
 * session). Returns 0 when the KILL was sent, else -1. */
static int kill_query(struct target *k, unsigned long id)
{
    char sql[200];
    long long mine = 0;
    struct error ignored;
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %lu AND COMMAND = "
             "'Query' AND USER = SUBSTRING_INDEX(USER(), '@', 1)",
             id);
    if (target_query_ll(k, sql, &mine, &ignored) != 0 || mine != 1)
        return -1;
    snprintf(sql, sizeof sql, "KILL QUERY %lu", id);
    return target_execs(k, sql, &ignored);
}

/* One look at the connections in flight: KILL QUERY for those past their
 * grace (over one fresh connection), the socket shut down for those whose
 * KILL did not end them or could not be sent. *dead turns true once the
 * server could not be reached for a KILL; then sockets are shut at once. */
static void cancel_round(double stopped_at, bool *dead)
{
    struct seen v[64];
    size_t n = overdue(v, sizeof v / sizeof *v, stopped_at);
    struct target k = {0};
    for (size_t i = 0; i < n; i++) {
        int state = WATCH_SHUT;
        if (!*dead && v[i].watch == WATCH_NONE) {
            struct error ignored;
            if (k.my == NULL && target_connect_quick(&k, &target_url, KILL_TIMEOUT, &ignored) != 0)
                *dead = true;
            if (!*dead && kill_query(&k, v[i].id) == 0)
                state = WATCH_KILLED;
        }
        mark(&v[i], state);
    }
    if (k.my != NULL)
        target_close(&k);
}

static void (*on_stop)(void *ctx);
static void *on_stop_ctx;

void target_watch_on_stop(void (*fn)(void *ctx), void *ctx)
{
    on_stop = fn;
    on_stop_ctx = ctx;
}

bool target_watch_running(void)
{
    return running != 0;
}

/* The watcher: waits for the stop request, then cancels what is in flight
 * every ROUND_MS until the end is asked for. */
static void *watch_main(void *arg)
{
    (void)arg;
    target_thread_begin();
    char c = 0;
    ssize_t got;
    while ((got = read(pipe_fd[0], &c, 1)) < 0 && errno == EINTR)
        continue;
    double stopped_at = progress_now();
    bool dead = false;
    if (got == 1 && c == BYTE_STOP && on_stop != NULL)
        on_stop(on_stop_ctx);
    while (got == 1 && c == BYTE_STOP) {
        struct pollfd p = {.fd = pipe_fd[0], .events = POLLIN};
        if (poll(&p, 1, ROUND_MS) > 0 && read(pipe_fd[0], &c, 1) == 1 && c == BYTE_END)
            break;
        c = BYTE_STOP; /* a second signal's byte, or none */
        cancel_round(stopped_at, &dead);
    }
    target_thread_end();
    return NULL;
}

int target_watch_start(const char *url, struct error *err)
{
    if (url == NULL || url_parse(url, &target_url, err) != 0)
        return 0; /* the run says what is wrong with the URL */
    if (pipe2(pipe_fd, O_CLOEXEC) != 0) {
        url_free(&target_url);
        return error_set(err, "cannot watch for signals: no pipe");
    }
    if (pthread_create(&thread, NULL, watch_main, NULL) != 0) {
        close(pipe_fd[0]);
        close(pipe_fd[1]);
        pipe_fd[0] = pipe_fd[1] = -1;
        url_free(&target_url);
        return error_set(err, "cannot watch for signals: no thread");
    }
    running = 1;
    return 0;
}

void target_watch_stop(void)
{
    int saved = errno;
    char c = BYTE_STOP;
    if (running) {
        ssize_t wrote = write(pipe_fd[1], &c, 1); /* a full pipe holds a stop byte already */
        (void)wrote;
    }
    errno = saved;
}

void target_watch_end(void)
{
    if (!running)
        return;
    char c = BYTE_END;
    while (write(pipe_fd[1], &c, 1) < 0 && errno == EINTR)
        continue;
    pthread_join(thread, NULL);
    running = 0;
    close(pipe_fd[0]);
    close(pipe_fd[1]);
    pipe_fd[0] = pipe_fd[1] = -1;
    url_free(&target_url);
}

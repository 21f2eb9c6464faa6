/* proxy: the fault-injecting loopback TCP proxy (see proxy.h). One thread
 * accepts; each connection has a thread of its own that forwards the
 * server's bytes as they come and the client's bytes packet by packet, each
 * complete packet judged against the armed fault first. */
#include "proxy.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct conn {
    struct proxy *p;
    int cfd, sfd;
    struct conn *next;
    unsigned char *in; /* client bytes not forwarded yet */
    size_t len, cap;
    unsigned char *held; /* the server's answer held by a stall */
    size_t held_len;
    int load;       /* inside a LOAD DATA LOCAL file stream */
    int fault_load; /* ... the one the armed fault strikes */
    int loaded;     /* a LOAD DATA was sent since the last COMMIT */
    long long load_bytes;
    int stalled, pass_next;
    unsigned release_gen;
};

struct proxy {
    int lfd;
    unsigned port;
    struct sockaddr_un server;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct proxy_fault fault;
    int armed, fired, refuse, stopping, live;
    long long bytes_seen;
    unsigned release_gen;
    struct conn *conns;
};

/* What a packet meets. */
enum verdict { PASS, STRIKE, STRIKE_AFTER };

static int write_all(int fd, const unsigned char *b, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, unsigned char *b, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, b, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        b += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Reads one whole packet from fd into c->held. Returns 0 or -1. */
static int hold_answer(struct conn *c)
{
    unsigned char head[4];
    if (read_all(c->sfd, head, 4) != 0)
        return -1;
    size_t n = (size_t)head[0] | (size_t)head[1] << 8 | (size_t)head[2] << 16;
    free(c->held);
    c->held = malloc(n + 4);
    if (c->held == NULL)
        return -1;
    memcpy(c->held, head, 4);
    c->held_len = n + 4;
    return read_all(c->sfd, c->held + 4, n);
}

/* Whether packet pkt (n bytes with its header) starts a command: a
 * COM_QUERY whose text begins with word. */
static int is_query(const unsigned char *pkt, size_t n, const char *word)
{
    size_t w = strlen(word);
    return pkt[3] == 0 && n >= 5 + w && pkt[4] == 0x03 &&
           strncasecmp((const char *)pkt + 5, word, w) == 0;
}

/* Judges packet pkt (n bytes) against the armed fault, with p->mu held;
 * *keep is how many of its bytes go through before a STRIKE. */
static enum verdict judge(struct conn *c, const unsigned char *pkt, size_t n, size_t *keep)
{
    struct proxy *p = c->p;
    struct proxy_fault *f = &p->fault;
    int commit = is_query(pkt, n, "COMMIT"), load = is_query(pkt, n, "LOAD DATA");
    if (pkt[3] == 0)
        c->load = load;
    int batch = commit && c->loaded;
    c->loaded = load || (c->loaded && !commit);
    *keep = 0;
    if (!p->armed)
        return PASS;
    switch (f->point) {
    case PROXY_BYTES:
        if (p->bytes_seen + (long long)n >= f->bytes) {
            *keep = (size_t)(f->bytes - p->bytes_seen);
            return STRIKE;
        }
        p->bytes_seen += (long long)n;
        return PASS;
    case PROXY_LOAD_DATA:
        if (load) {
            c->fault_load = f->skip-- <= 0;
            c->load_bytes = 0;
        } else if (c->load && c->fault_load && pkt[3] != 0) {
            if (c->load_bytes + (long long)n >= f->bytes) {
                *keep = (size_t)(f->bytes - c->load_bytes);
                return STRIKE;
            }
            c->load_bytes += (long long)n;
        }
        return PASS;
    case PROXY_QUERY:
        if (pkt[3] != 0 || n < 5 || pkt[4] != 0x03 ||
            memmem(pkt + 5, n - 5, f->query, strlen(f->query)) == NULL || f->skip-- > 0)
            return PASS;
        return STRIKE;
    case PROXY_BEFORE_COMMIT:
    case PROXY_AFTER_COMMIT:
        if (!batch || f->skip-- > 0)
            return PASS;
        return f->point == PROXY_BEFORE_COMMIT ? STRIKE : STRIKE_AFTER;
    }
    return PASS;
}

/* Forwards the complete packets buffered from the client. Returns 0, or -1
 * when the connection ends (cut, or a side gone). */
static int forward_packets(struct conn *c)
{
    struct proxy *p = c->p;
    while (!c->stalled && c->len >= 4) {
        size_t n = 4 + ((size_t)c->in[0] | (size_t)c->in[1] << 8 | (size_t)c->in[2] << 16);
        if (c->len < n)
            return 0;
        size_t keep = 0;
        pthread_mutex_lock(&p->mu);
        enum verdict v = c->pass_next ? PASS : judge(c, c->in, n, &keep);
        c->pass_next = 0;
        enum proxy_action act = p->fault.action;
        if (v != PASS) {
            p->armed = 0;
            p->fired++;
            c->release_gen = p->release_gen;
            pthread_cond_broadcast(&p->cv);
        }
        pthread_mutex_unlock(&p->mu);
        if (v == PASS || v == STRIKE_AFTER) {
            if (write_all(c->sfd, c->in, n) != 0)
                return -1;
            if (v == STRIKE_AFTER && hold_answer(c) != 0)
                return -1;
        } else if (act == PROXY_CUT && keep > 0 && write_all(c->sfd, c->in, keep) != 0) {
            return -1;
        }
        if (v != PASS && act == PROXY_CUT)
            return -1;
        if (v == STRIKE) {
            c->stalled = c->pass_next = 1; /* the packet goes on when released */
            return 0;
        }
        c->stalled = v == STRIKE_AFTER;
        memmove(c->in, c->in + n, c->len - n);
        c->len -= n;
    }
    return 0;
}

/* Appends what the client sent. Returns 0, or -1 when it is gone. */
static int take_client(struct conn *c)
{
    if (c->cap - c->len < 65536) {
        unsigned char *in = realloc(c->in, c->cap * 2 + 65536);
        if (in == NULL)
            return -1;
        c->in = in;
        c->cap = c->cap * 2 + 65536;
    }
    ssize_t r = read(c->cfd, c->in + c->len, c->cap - c->len);
    if (r < 0 && errno == EINTR)
        return 0;
    if (r <= 0)
        return -1;
    c->len += (size_t)r;
    return 0;
}

/* Ends a stall once proxy_release was called: the held answer goes to the
 * client. Returns 0 or -1. */
static int unstall(struct conn *c)
{
    pthread_mutex_lock(&c->p->mu);
    int go = c->release_gen != c->p->release_gen;
    pthread_mutex_unlock(&c->p->mu);
    if (!go)
        return 0;
    c->stalled = 0;
    int rc = c->held != NULL ? write_all(c->cfd, c->held, c->held_len) : 0;
    free(c->held);
    c->held = NULL;
    return rc;
}

/* Forwards one event's worth. Returns 0, or -1 when the connection ends. */
static int pump(struct conn *c)
{
    struct pollfd fds[2] = {{c->cfd, POLLIN, 0}, {c->sfd, POLLIN, 0}};
    int r = poll(fds, c->stalled ? 1 : 2, c->stalled ? 20 : -1);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    if (!c->stalled && fds[1].revents != 0) {
        unsigned char b[65536];
        ssize_t n = read(c->sfd, b, sizeof b);
        if (n <= 0 || write_all(c->cfd, b, (size_t)n) != 0)
            return -1;
    }
    if (fds[0].revents != 0 && take_client(c) != 0)
        return -1;
    if (c->stalled && unstall(c) != 0)
        return -1;
    return c->stalled ? 0 : forward_packets(c);
}

static void *conn_main(void *arg)
{
    struct conn *c = arg;
    struct proxy *p = c->p;
    while (pump(c) == 0)
        ;
    pthread_mutex_lock(&p->mu);
    for (struct conn **q = &p->conns; *q != NULL; q = &(*q)->next)
        if (*q == c) {
            *q = c->next;
            break;
        }
    close(c->cfd);
    close(c->sfd);
    p->live--;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    free(c->in);
    free(c->held);
    free(c);
    return NULL;
}

/* Connects client fd cfd to the server in a thread of its own; closes cfd
 * when refused or when the server cannot be reached. */
static void serve(struct proxy *p, int cfd)
{
    pthread_mutex_lock(&p->mu);
    int refuse = p->refuse || p->stopping;
    pthread_mutex_unlock(&p->mu);
    int sfd = refuse ? -1 : socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct conn *c = sfd < 0 ? NULL : calloc(1, sizeof *c);
    if (c == NULL || connect(sfd, (struct sockaddr *)&p->server, sizeof p->server) != 0) {
        close(cfd);
        if (sfd >= 0)
            close(sfd);
        free(c);
        return;
    }
    *c = (struct conn){.p = p, .cfd = cfd, .sfd = sfd};
    pthread_t t;
    pthread_mutex_lock(&p->mu);
    c->next = p->conns;
    p->conns = c;
    p->live++;
    if (pthread_create(&t, NULL, conn_main, c) == 0)
        pthread_detach(t);
    else
        shutdown(cfd, SHUT_RDWR);
    pthread_mutex_unlock(&p->mu);
}

static void *accept_main(void *arg)
{
    struct proxy *p = arg;
    for (;;) {
        int cfd = accept4(p->lfd, NULL, NULL, SOCK_CLOEXEC);
        if (cfd < 0 && errno == EINTR)
            continue;
        if (cfd < 0)
            return NULL;
        serve(p, cfd);
    }
}

struct proxy *proxy_start(const char *socket_path)
{
    struct proxy *p = calloc(1, sizeof *p);
    if (p == NULL || strlen(socket_path) >= sizeof p->server.sun_path) {
        free(p);
        errno = ENAMETOOLONG;
        return NULL;
    }
    p->server.sun_family = AF_UNIX;
    strcpy(p->server.sun_path, socket_path);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (p->lfd < 0 || bind(p->lfd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(p->lfd, 64) != 0 || getsockname(p->lfd, (struct sockaddr *)&a, &alen) != 0) {
        if (p->lfd >= 0)
            close(p->lfd);
        free(p);
        return NULL;
    }
    p->port = ntohs(a.sin_port);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thread, NULL, accept_main, p) != 0) {
        close(p->lfd);
        free(p);
        return NULL;
    }
    return p;
}

unsigned proxy_port(const struct proxy *p)
{
    return p->port;
}

void proxy_arm(struct proxy *p, const struct proxy_fault *f)
{
    pthread_mutex_lock(&p->mu);
    p->fault = *f;
    p->armed = 1;
    p->bytes_seen = 0;
    for (struct conn *c = p->conns; c != NULL; c = c->next)
        c->fault_load = 0;
    pthread_mutex_unlock(&p->mu);
}

void proxy_disarm(struct proxy *p)
{
    pthread_mutex_lock(&p->mu);
    p->armed = 0;
    pthread_mutex_unlock(&p->mu);
}

int proxy_fired(struct proxy *p)
{
    pthread_mutex_lock(&p->mu);
    int n = p->fired;
    pthread_mutex_unlock(&p->mu);
    return n;
}

int proxy_wait_fired(struct proxy *p, int n, int timeout_s)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_s;
    pthread_mutex_lock(&p->mu);
    while (p->fired < n && pthread_cond_timedwait(&p->cv, &p->mu, &until) == 0)
        ;
    int ok = p->fired >= n;
    pthread_mutex_unlock(&p->mu);
    return ok;
}

void proxy_refuse(struct proxy *p, int on)
{
    pthread_mutex_lock(&p->mu);
    p->refuse = on;
    pthread_mutex_unlock(&p->mu);
}

void proxy_release(struct proxy *p)
{
    pthread_mutex_lock(&p->mu);
    p->release_gen++;
    pthread_mutex_unlock(&p->mu);
}

int proxy_cut_all(struct proxy *p)
{
    int n = 0;
    pthread_mutex_lock(&p->mu);
    for (struct conn *c = p->conns; c != NULL; c = c->next, n++) {
        shutdown(c->cfd, SHUT_RDWR);
        shutdown(c->sfd, SHUT_RDWR);
    }
    pthread_mutex_unlock(&p->mu);
    return n;
}

void proxy_stop(struct proxy *p)
{
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    pthread_mutex_unlock(&p->mu);
    shutdown(p->lfd, SHUT_RDWR);
    pthread_join(p->thread, NULL);
    close(p->lfd);
    proxy_release(p);
    proxy_cut_all(p);
    pthread_mutex_lock(&p->mu);
    while (p->live > 0)
        pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}

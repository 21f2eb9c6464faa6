/* esc: escaping untrusted bytes for human-readable output (see esc.h). */
#include "esc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "val.h"

#define SHOW_SLOTS 4
#define SHOW_IN_MAX 4000

/* Writes "\xHH" (or \n, \r, \t) for byte c at out; returns its length. */
static size_t escape_byte(char *out, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char named = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : '\0';
    out[0] = '\\';
    if (named != '\0') {
        out[1] = named;
        return 2;
    }
    out[1] = 'x';
    out[2] = hex[c >> 4];
    out[3] = hex[c & 15];
    return 4;
}

/* Whether s[0..n) is the valid start of a UTF-8 sequence cut off by the end. */
static bool incomplete(const unsigned char *s, size_t n)
{
    size_t want = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    if (s[0] < 0xC2 || s[0] > 0xF4 || n >= want)
        return false;
    for (size_t k = 1; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return false;
    return true;
}

/* Whether byte c, in a valid UTF-8 run, is a control to escape. */
static bool control(unsigned char c, unsigned flags)
{
    if ((flags & ESC_KEEP_LINES) && (c == '\n' || c == '\t'))
        return false;
    return c < 0x20 || c == 0x7F;
}

size_t esc_bytes(char *out, const unsigned char *s, size_t n, unsigned flags, size_t *done)
{
    size_t o = 0, i = 0;
    while (i < n) {
        size_t chars;
        size_t ok = i + val_utf8_check(s + i, n - i, &chars, NULL);
        for (; i < ok; i++) {
            if (s[i] == 0xC2 && i + 1 < ok && s[i + 1] <= 0x9F) { /* C1: U+0080..U+009F */
                o += escape_byte(out + o, s[i]);
                o += escape_byte(out + o, s[++i]);
            } else if (control(s[i], flags)) {
                o += escape_byte(out + o, s[i]);
            } else {
                out[o++] = (char)s[i];
            }
        }
        if (i == n || ((flags & ESC_PARTIAL) && incomplete(s + i, n - i)))
            break;
        o += escape_byte(out + o, s[i++]);
    }
    if (done != NULL)
        *done = i;
    return o;
}

bool esc_needed(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F || (unsigned char)s[i] == 0xC2)
            return true;
    size_t chars;
    return val_utf8_check((const unsigned char *)s, n, &chars, NULL) != n;
}

const char *esc_show(const char *s)
{
    static _Thread_local char slots[SHOW_SLOTS][4 * SHOW_IN_MAX + 4];
    static _Thread_local unsigned next;
    if (s == NULL)
        return "(null)";
    if (!esc_needed(s))
        return s;
    char *out = slots[next++ % SHOW_SLOTS];
    size_t n = strlen(s);
    size_t o = esc_bytes(out, (const unsigned char *)s, n < SHOW_IN_MAX ? n : SHOW_IN_MAX,
                         n < SHOW_IN_MAX ? 0 : ESC_PARTIAL, NULL);
    if (n >= SHOW_IN_MAX) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

void esc_in_place(char *s, size_t cap, unsigned flags)
{
    if (cap == 0 || !esc_needed(s))
        return;
    size_t n = strlen(s);
    char *tmp = malloc(4 * n + 1);
    if (tmp == NULL) { /* still never show a raw control: blank them */
        for (char *p = s; *p != '\0'; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7F)
                *p = '?';
        return;
    }
    size_t o = esc_bytes(tmp, (const unsigned char *)s, n, flags & ~(unsigned)ESC_PARTIAL, NULL);
    if (o >= cap)
        o = cap - 1;
    memcpy(s, tmp, o);
    s[o] = '\0';
    free(tmp);
}

struct cookie {
    int fd;
    unsigned char pend[4]; /* an incomplete UTF-8 sequence from the last write */
    size_t npend;
};

/* Writes all of p[0..n) to fd. Returns 0 or -1 (errno set). */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Escapes in[0..len) to fd; keeps an unfinished UTF-8 tail when partial. */
static int put(struct cookie *c, const unsigned char *in, size_t len, bool partial)
{
    char out[4 * 1028];
    size_t done;
    size_t o = esc_bytes(out, in, len, ESC_KEEP_LINES | (partial ? ESC_PARTIAL : 0), &done);
    memcpy(c->pend, in + done, len - done);
    c->npend = len - done;
    return write_all(c->fd, out, o);
}

static ssize_t cookie_write(void *cookie, const char *data, size_t n)
{
    struct cookie *c = cookie;
    unsigned char in[1028];
    for (size_t at = 0; at < n;) {
        size_t k = n - at < 1024 ? n - at : 1024;
        memcpy(in, c->pend, c->npend);
        memcpy(in + c->npend, data + at, k);
        if (put(c, in, c->npend + k, true) != 0)
            return -1;
        at += k;
    }
    return (ssize_t)n;
}

static int cookie_close(void *cookie)
{
    struct cookie *c = cookie;
    int rc = c->npend > 0 ? put(c, c->pend, c->npend, false) : 0;
    free(c);
    return rc;
}

FILE *esc_stream(int fd)
{
    struct cookie *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->fd = fd;
    cookie_io_functions_t io = {
        .read = NULL, .write = cookie_write, .seek = NULL, .close = cookie_close};
    FILE *f = fopencookie(c, "w", io);
    if (f == NULL) {
        free(c);
        return NULL;
    }
    setvbuf(f, NULL, _IOLBF, BUFSIZ);
    return f;
}

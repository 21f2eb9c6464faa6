/* buf: growable, capped byte buffer (see buf.h). */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(size_t) >= 8, "the BUF_CAP_* sizes need a 64-bit size_t");

void buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->failed = false;
}

void buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data != NULL)
        b->data[0] = '\0';
}

/* Marks b failed; returns -1. */
static int failed(struct buf *b)
{
    b->failed = true;
    return -1;
}

int buf_reserve(struct buf *b, size_t n)
{
    if (n > SIZE_MAX / 2 - b->len)
        return failed(b);
    size_t need = b->len + n;
    if (need > b->max)
        return failed(b);
    if (need <= b->cap && b->data != NULL)
        return 0;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < need)
        ncap *= 2;
    if (ncap > b->max)
        ncap = b->max;
    char *p = realloc(b->data, ncap + 1);
    if (p == NULL)
        return failed(b);
    b->data = p;
    b->cap = ncap;
    return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n) != 0)
        return -1;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return failed(b);
    if (buf_reserve(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

int buf_hex(struct buf *b, const void *p, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    if (n > SIZE_MAX / 2)
        return failed(b);
    if (buf_reserve(b, 2 * n) != 0)
        return -1;
    const unsigned char *s = p;
    char *d = b->data + b->len;
    for (size_t i = 0; i < n; i++) {
        *d++ = digits[s[i] >> 4];
        *d++ = digits[s[i] & 15];
    }
    b->len += 2 * n;
    b->data[b->len] = '\0';
    return 0;
}

int buf_append_buf(struct buf *b, const struct buf *src)
{
    if (src->failed)
        return failed(b);
    return buf_append(b, src->data, src->len);
}

void buf_truncate(struct buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

int buf_check(const struct buf *b, struct error *err)
{
    return b->failed ? error_oom(err) : 0;
}

/* xform_json: values into JSON columns, checked with yajl (RFC 8259) and
 * kept byte for byte; the common case is shown valid by json_valid first. */
#include "xform_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <yajl_parse.h>

#include "json_valid.h"
#include "val.h"

/* ---- JSON ---------------------------------------------------------------- */

static int json_number(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    (void)n;
    return 1;
}

/* yajl's allocations for one JSON value, carved from a block on the caller's
 * stack instead of one malloc/free each (yajl frees them all with its handle):
 * blocks carry their size; the newest one grows in place, an older one moves;
 * what does not fit comes from malloc, marked so that it goes back there. */
struct json_mem {
    size_t used;
    _Alignas(max_align_t) unsigned char block[8192];
};

#define JSON_MEM_HEAP ((size_t)1 << (sizeof(size_t) * 8 - 1))

static size_t json_mem_round(size_t n)
{
    return (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
}

static void *json_mem_malloc(void *ctx, size_t n)
{
    struct json_mem *m = ctx;
    if (n >= JSON_MEM_HEAP)
        return NULL;
    size_t need = json_mem_round(sizeof(max_align_t) + n);
    size_t *hdr;
    if (need <= sizeof m->block - m->used) {
        hdr = (size_t *)(void *)(m->block + m->used);
        m->used += need;
        *hdr = n;
    } else if ((hdr = malloc(sizeof(max_align_t) + n)) != NULL) {
        *hdr = n | JSON_MEM_HEAP;
    } else {
        return NULL;
    }
    return (unsigned char *)hdr + sizeof(max_align_t);
}

static void json_mem_free(void *ctx, void *p)
{
    struct json_mem *m = ctx;
    if (p == NULL)
        return;
    size_t *hdr = (size_t *)(void *)((unsigned char *)p - sizeof(max_align_t));
    if (*hdr & JSON_MEM_HEAP)
        free(hdr);
    else if ((unsigned char *)hdr + json_mem_round(sizeof(max_align_t) + *hdr) ==
             m->block + m->used)
        m->used = (size_t)((unsigned char *)hdr - m->block); /* the newest block */
}

static void *json_mem_realloc(void *ctx, void *p, size_t n)
{
    struct json_mem *m = ctx;
    if (p == NULL)
        return json_mem_malloc(ctx, n);
    size_t *hdr = (size_t *)(void *)((unsigned char *)p - sizeof(max_align_t));
    size_t old = *hdr & ~JSON_MEM_HEAP;
    if (n >= JSON_MEM_HEAP)
        return NULL;
    if (*hdr & JSON_MEM_HEAP) {
        size_t *v = realloc(hdr, sizeof(max_align_t) + n);
        if (v == NULL)
            return NULL;
        *v = n | JSON_MEM_HEAP;
        return (unsigned char *)v + sizeof(max_align_t);
    }
    unsigned char *start = (unsigned char *)hdr;
    size_t end = (size_t)(start - m->block) + json_mem_round(sizeof(max_align_t) + old);
    size_t grown = (size_t)(start - m->block) + json_mem_round(sizeof(max_align_t) + n);
    if (end == m->used && grown <= sizeof m->block) { /* the newest block grows in place */
        m->used = grown;
        *hdr = n;
        return p;
    }
    void *q = json_mem_malloc(ctx, n);
    if (q != NULL) {
        memcpy(q, p, old < n ? old : n);
        json_mem_free(ctx, p);
    }
    return q;
}

int xform_conv_json(const struct xform_src *s, struct buf *arena, struct xform_val *out,
                    struct buf *why)
{
    char tmp[VAL_DOUBLE_MAX + 2];
    const unsigned char *p;
    size_t n;
    if (xform_src_bytes(s, tmp, &p, &n) != 0)
        return xform_reject(why, "Infinity/NaN is not JSON");
    bool ascii; /* what json_valid accepts, yajl accepts too */
    if (json_valid(p, n, &ascii) && (ascii || val_utf8_check(p, n, NULL, NULL) == n))
        return xform_put(arena, out, XFORM_STR, p, n);
    if (memchr(p, '\f', n) != NULL || memchr(p, '\v', n) != NULL)
        return xform_reject(why,
                            "invalid JSON: form feed or vertical tab (not JSON whitespace, and "
                            "not allowed raw inside strings)");
    yajl_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.yajl_number = json_number;
    struct json_mem mem;
    mem.used = 0;
    yajl_alloc_funcs funcs = {json_mem_malloc, json_mem_realloc, json_mem_free, &mem};
    yajl_handle h = yajl_alloc(&cb, &funcs, NULL);
    if (h == NULL)
        return -1;
    yajl_status st = yajl_parse(h, p, n);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    int rc = 0;
    if (st != yajl_status_ok) {
        unsigned char *msg = yajl_get_error(h, 0, p, n);
        char *nl = msg ? strchr((char *)msg, '\n') : NULL;
        if (nl != NULL)
            *nl = '\0';
        rc = buf_printf(why, "invalid JSON: %s (at byte %zu)", msg ? (char *)msg : "parse error",
                        yajl_get_bytes_consumed(h)) == 0
                 ? 1
                 : -1;
        yajl_free_error(h, msg);
    } else if (val_utf8_check(p, n, NULL, NULL) != n) {
        rc = xform_reject(why, "JSON text is not valid UTF-8");
    }
    yajl_free(h);
    return rc != 0 ? rc : xform_put(arena, out, XFORM_STR, p, n);
}

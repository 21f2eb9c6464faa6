/* url: target URL parsing (see url.h). */
#include "url.h"

#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *url_decode(const char *s, size_t n, struct error *err)
{
    char *out = malloc(n + 1);
    if (out == NULL) {
        error_oom(err);
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            out[o++] = s[i];
            continue;
        }
        int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
        int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(out);
            error_set(err, "bad percent-escape in URL component \"%.*s\"", (int)n, s);
            return NULL;
        }
        out[o++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[o] = '\0';
    return out;
}

void url_free(struct url *u)
{
    free(u->user);
    free(u->password);
    free(u->host);
    free(u->database);
    free(u->socket);
    memset(u, 0, sizeof *u);
}

/* Decodes s[0..n) into *dst; returns 0 or -1. */
static int take(char **dst, const char *s, size_t n, struct error *err)
{
    *dst = url_decode(s, n, err);
    return *dst == NULL ? -1 : 0;
}

int url_parse(const char *text, struct url *u, struct error *err)
{
    static const char scheme[] = "mysql://";
    memset(u, 0, sizeof *u);
    if (strncmp(text, scheme, sizeof scheme - 1) != 0)
        return error_set(err, "target URL must start with mysql:// (got \"%s\")", text);
    const char *p = text + sizeof scheme - 1;
    const char *qmark = strchr(p, '?');
    const char *at = memrchr(p, '@', qmark ? (size_t)(qmark - p) : strlen(p));
    const char *slash = at ? strchr(at, '/') : NULL;
    if (slash != NULL && qmark != NULL && slash > qmark)
        slash = NULL;
    if (at == NULL || slash == NULL)
        return error_set(err, "target URL must look like "
                              "mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?socket=PATH]");
    const char *colon = memchr(p, ':', (size_t)(at - p));
    if (take(&u->user, p, (size_t)((colon ? colon : at) - p), err) != 0)
        goto fail;
    if (colon != NULL && take(&u->password, colon + 1, (size_t)(at - colon - 1), err) != 0)
        goto fail;
    const char *h = at + 1;
    const char *hend = slash;
    const char *pc = memchr(h, ':', (size_t)(hend - h));
    if (pc != NULL) {
        char *end;
        unsigned long port = pc[1] >= '0' && pc[1] <= '9' ? strtoul(pc + 1, &end, 10) : 0;
        if (port == 0 || end != hend || port > 65535) {
            error_set(err, "bad port in target URL");
            goto fail;
        }
        u->port = (unsigned)port;
        hend = pc;
    }
    if (take(&u->host, h, (size_t)(hend - h), err) != 0)
        goto fail;
    const char *db = slash + 1;
    const char *q = strchr(db, '?');
    size_t dblen = q ? (size_t)(q - db) : strlen(db);
    if (dblen == 0) {
        error_set(err, "target URL names no database");
        goto fail;
    }
    if (take(&u->database, db, dblen, err) != 0)
        goto fail;
    while (q != NULL) {
        const char *k = q + 1;
        q = strchr(k, '&');
        size_t kvlen = q ? (size_t)(q - k) : strlen(k);
        if (kvlen > 7 && strncmp(k, "socket=", 7) == 0) {
            free(u->socket);
            if (take(&u->socket, k + 7, kvlen - 7, err) != 0)
                goto fail;
        } else {
            error_set(err, "unknown target URL parameter \"%.*s\" (known: socket)", (int)kvlen, k);
            goto fail;
        }
    }
    if (u->user[0] == '\0') {
        error_set(err, "target URL names no user");
        goto fail;
    }
    return 0;
fail:
    url_free(u);
    return -1;
}

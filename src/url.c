/* url: target URL parsing (see url.h). */
#include "url.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const ssl_mode_names[] = {"",         "DISABLED",  "PREFERRED",
                                             "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"};

#define URL_FORM "mysql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?PARAM=VALUE&...]"

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
    const char *tls[] = {u->tls.ca,  u->tls.capath, u->tls.cert,
                         u->tls.key, u->tls.cipher, u->tls.version};
    for (size_t i = 0; i < sizeof tls / sizeof *tls; i++)
        free((char *)tls[i]);
    for (size_t i = 0; i < u->nnodes; i++)
        url_free(&u->nodes[i]);
    free(u->nodes);
    memset(u, 0, sizeof *u);
}

enum url_ssl_mode url_ssl_mode_named(const char *word, size_t len)
{
    for (size_t i = URL_SSL_DISABLED; i < sizeof ssl_mode_names / sizeof *ssl_mode_names; i++)
        if (strlen(ssl_mode_names[i]) == len && strncasecmp(word, ssl_mode_names[i], len) == 0)
            return (enum url_ssl_mode)i;
    return URL_SSL_UNSET;
}

const char *url_ssl_mode_name(enum url_ssl_mode mode)
{
    return ssl_mode_names[mode];
}

/* Decodes s[0..n) into *dst; returns 0 or -1. */
static int take(char **dst, const char *s, size_t n, struct error *err)
{
    *dst = url_decode(s, n, err);
    return *dst == NULL ? -1 : 0;
}

/* The text after the scheme (mysql:// or mariadb://), or NULL. */
static const char *after_scheme(const char *text)
{
    static const char *const schemes[] = {"mysql://", "mariadb://"};
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
        if (strncmp(text, schemes[i], strlen(schemes[i])) == 0)
            return text + strlen(schemes[i]);
    return NULL;
}

/* The '@' that ends USER[:PASSWORD] in the text after the scheme (the last
 * one before any '?'), or NULL. */
static const char *userinfo_end(const char *p)
{
    const char *qmark = strchr(p, '?');
    return memrchr(p, '@', qmark ? (size_t)(qmark - p) : strlen(p));
}

int url_password_span(const char *text, size_t *off, size_t *len)
{
    const char *p = after_scheme(text);
    const char *at = p != NULL ? userinfo_end(p) : NULL;
    const char *colon = at != NULL ? memchr(p, ':', (size_t)(at - p)) : NULL;
    if (colon == NULL)
        return 0;
    *off = (size_t)(colon + 1 - text);
    *len = (size_t)(at - colon - 1);
    return 1;
}

/* Reads the port of p[0..end) (after its ':') into u->port. */
static int take_port(const char *p, const char *end, struct url *u, struct error *err)
{
    char *stop;
    unsigned long port = p < end && *p >= '0' && *p <= '9' ? strtoul(p, &stop, 10) : 0;
    if (port == 0 || stop != end || port > 65535)
        return error_set(err, "bad port in target URL");
    u->port = (unsigned)port;
    return 0;
}

/* Parses HOST[:PORT] or [IPV6][:PORT] of h[0..end). */
static int take_host(const char *h, const char *end, struct url *u, struct error *err)
{
    const char *hend = end, *pc;
    if (h < end && *h == '[') {
        const char *rb = memchr(h, ']', (size_t)(end - h));
        if (rb == NULL)
            return error_set(err, "the IPv6 host of the target URL lacks its closing ']'");
        pc = rb + 1 < end ? rb + 1 : NULL;
        if (pc != NULL && *pc != ':')
            return error_set(err, "bad port in target URL");
        h++;
        hend = rb;
    } else if ((pc = memchr(h, ':', (size_t)(end - h))) != NULL) {
        hend = pc;
    }
    if (pc != NULL && take_port(pc + 1, end, u, err) != 0)
        return -1;
    return take(&u->host, h, (size_t)(hend - h), err);
}

/* The string field of u that parameter k[0..klen) sets, or NULL. */
static const char **tls_param(struct url *u, const char *k, size_t klen)
{
    const struct {
        const char *name;
        const char **field;
    } params[] = {{"ssl-ca", &u->tls.ca},         {"ssl-capath", &u->tls.capath},
                  {"ssl-cert", &u->tls.cert},     {"ssl-key", &u->tls.key},
                  {"ssl-cipher", &u->tls.cipher}, {"tls-version", &u->tls.version}};
    for (size_t i = 0; i < sizeof params / sizeof *params; i++)
        if (strlen(params[i].name) == klen && strncmp(k, params[i].name, klen) == 0)
            return params[i].field;
    return NULL;
}

/* The timeout field of u that parameter k[0..klen) sets, or NULL; *max is
 * its largest value. */
static int *timeout_param(struct url *u, const char *k, size_t klen, long *max)
{
    const struct {
        const char *name;
        int *field;
        long max;
    } params[] = {{"connect-timeout", &u->connect_timeout, 3600},
                  {"net-timeout", &u->net_timeout, 86400}};
    for (size_t i = 0; i < sizeof params / sizeof *params; i++)
        if (strlen(params[i].name) == klen && strncmp(k, params[i].name, klen) == 0) {
            *max = params[i].max;
            return params[i].field;
        }
    return NULL;
}

/* Reads v[0..vlen), a whole number of seconds from 1 to max, into *field. */
static int take_seconds(int *field, long max, const char *k, size_t klen, const char *v,
                        size_t vlen, struct error *err)
{
    long n = 0;
    size_t i = 0;
    while (i < vlen && v[i] >= '0' && v[i] <= '9' && n <= max)
        n = n * 10 + (v[i++] - '0');
    if (i < vlen || n < 1 || n > max)
        return error_set(err,
                         "%.*s in the target URL needs a number of seconds from 1 to %ld (got "
                         "\"%.*s\")",
                         (int)klen, k, max, (int)vlen, v);
    *field = (int)n;
    return 0;
}

/* Applies one NAME=VALUE parameter of kv[0..n). */
static int take_param(struct url *u, const char *kv, size_t n, struct error *err)
{
    const char *eq = memchr(kv, '=', n);
    size_t klen = eq != NULL ? (size_t)(eq - kv) : n;
    const char *v = eq != NULL ? eq + 1 : kv + n;
    size_t vlen = (size_t)(kv + n - v);
    const char **tls = tls_param(u, kv, klen);
    long max = 0;
    int *timeout = timeout_param(u, kv, klen, &max);
    bool socket = klen == 6 && strncmp(kv, "socket", 6) == 0;
    bool mode = klen == 8 && strncmp(kv, "ssl-mode", 8) == 0;
    if (!socket && !mode && tls == NULL && timeout == NULL)
        return error_set(err,
                         "unknown target URL parameter \"%.*s\" (known: socket, ssl-mode, ssl-ca, "
                         "ssl-capath, ssl-cert, ssl-key, ssl-cipher, tls-version, "
                         "connect-timeout, net-timeout)",
                         (int)n, kv);
    if (vlen == 0)
        return error_set(err, "target URL parameter %.*s has no value", (int)klen, kv);
    if (timeout != NULL)
        return take_seconds(timeout, max, kv, klen, v, vlen, err);
    if (mode) {
        u->tls.mode = url_ssl_mode_named(v, vlen);
        return u->tls.mode != URL_SSL_UNSET
                   ? 0
                   : error_set(err,
                               "ssl-mode in the target URL takes DISABLED, PREFERRED, REQUIRED, "
                               "VERIFY_CA or VERIFY_IDENTITY (got \"%.*s\")",
                               (int)vlen, v);
    }
    char *s;
    if (take(&s, v, vlen, err) != 0)
        return -1;
    if (socket) {
        free(u->socket);
        u->socket = s;
    } else {
        free((char *)*tls);
        *tls = s;
    }
    return 0;
}

/* Reads [USER[:PASSWORD]@] of p[0..at) (at NULL: none). */
static int take_userinfo(const char *p, const char *at, struct url *u, struct error *err)
{
    if (at == NULL)
        return 0;
    const char *colon = memchr(p, ':', (size_t)(at - p));
    if (take(&u->user, p, (size_t)((colon ? colon : at) - p), err) != 0)
        return -1;
    if (colon != NULL &&
        (u->password = url_decode(colon + 1, (size_t)(at - colon - 1), err)) == NULL)
        return error_set(err, "bad percent-escape in the password of the target URL");
    return 0;
}

/* The end of the first node of the host list h[0..end): its ',' or end. */
static const char *node_end(const char *h, const char *end)
{
    const char *rb = h < end && *h == '[' ? memchr(h, ']', (size_t)(end - h)) : NULL;
    const char *comma = memchr(rb != NULL ? rb : h, ',', (size_t)(end - (rb != NULL ? rb : h)));
    return comma != NULL ? comma : end;
}

/* A copy of u's strings (not its nodes) into *out. Returns 0 or -1. */
static int copy_url(struct url *out, const struct url *u, struct error *err)
{
    *out = *u;
    out->nodes = NULL;
    out->nnodes = 0;
    char **s[] = {&out->user, &out->password, &out->host, &out->database, &out->socket};
    const char **tls[] = {&out->tls.ca,  &out->tls.capath, &out->tls.cert,
                          &out->tls.key, &out->tls.cipher, &out->tls.version};
    int rc = 0;
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        if (*s[i] != NULL && (*s[i] = strdup(*s[i])) == NULL)
            rc = -1;
    for (size_t i = 0; i < sizeof tls / sizeof *tls; i++)
        if (*tls[i] != NULL && (*tls[i] = strdup(*tls[i])) == NULL)
            rc = -1;
    if (rc != 0) {
        url_free(out);
        return error_oom(err);
    }
    return 0;
}

/* Several hosts h[0..end) (comma-separated): one URL per node into u->nodes,
 * each a copy of u with its own host and port; u keeps the first's. */
static int take_nodes(const char *h, const char *end, struct url *u, struct error *err)
{
    size_t n = 1;
    for (const char *p = h; (p = node_end(p, end)) < end; p++)
        n++;
    if ((u->nodes = calloc(n, sizeof *u->nodes)) == NULL)
        return error_oom(err);
    for (const char *p = h; u->nnodes < n; p = node_end(p, end) + 1) {
        struct url *node = &u->nodes[u->nnodes];
        if (copy_url(node, u, err) != 0)
            return -1;
        u->nnodes++;
        free(node->host);
        node->host = NULL;
        node->port = 0;
        if (node_end(p, end) == p)
            return error_set(err, "an empty host in the node list of the target URL");
        if (take_host(p, node_end(p, end), node, err) != 0)
            return -1;
    }
    if (u->nnodes == 0 || u->nodes[0].host == NULL)
        return error_set(err, "an empty host in the node list of the target URL");
    u->port = u->nodes[0].port;
    return take(&u->host, u->nodes[0].host, strlen(u->nodes[0].host), err);
}

int url_parse(const char *text, struct url *u, struct error *err)
{
    memset(u, 0, sizeof *u);
    const char *p = after_scheme(text);
    if (p == NULL) {
        const char *sep = strstr(text, "://");
        return error_set(err, "target URL must start with mysql:// or mariadb:// (got \"%.*s\")",
                         sep ? (int)(sep + 3 - text) : 0, text);
    }
    const char *at = userinfo_end(p);
    const char *slash = strchr(at ? at : p, '/');
    const char *q = strchr(at ? at : p, '?');
    if (slash == NULL || (q != NULL && slash > q))
        return error_set(err, "target URL must look like " URL_FORM);
    const char *host = at ? at + 1 : p;
    bool several = node_end(host, slash) < slash;
    if (take_userinfo(p, at, u, err) != 0 || (!several && take_host(host, slash, u, err) != 0))
        goto fail;
    const char *db = slash + 1;
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
        if (take_param(u, k, q ? (size_t)(q - k) : strlen(k), err) != 0)
            goto fail;
    }
    if (several && take_nodes(host, slash, u, err) != 0)
        goto fail;
    return 0;
fail:
    url_free(u);
    return -1;
}

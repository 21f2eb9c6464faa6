/* url: parses the target URL
 *   mysql://[USER[:PASSWORD]@][HOST[:PORT]]/DATABASE[?PARAM=VALUE&...]
 * (also mariadb://; HOST may be an IPv6 address in brackets, [::1]:3306) with
 * percent-decoding of every component. PARAM is socket, one of the TLS
 * settings (ssl-mode, ssl-ca, ssl-capath, ssl-cert, ssl-key, ssl-cipher,
 * tls-version) or a timeout (connect-timeout, net-timeout). What the URL leaves out is left NULL/0,
 * for the option files to fill in. HOST[:PORT] may be a comma-separated list
 * of the nodes of a cluster (mysql://u@n1:3306,n2:3306/db): host and port are
 * then the first node's, and nodes holds one whole URL per node. */
#ifndef LITELIFT_URL_H
#define LITELIFT_URL_H

#include "error.h"

/* --ssl-mode / ?ssl-mode=, with the MySQL client's names. */
enum url_ssl_mode {
    URL_SSL_UNSET, /* not said: the client library's default and the option files decide */
    URL_SSL_DISABLED,
    URL_SSL_PREFERRED,
    URL_SSL_REQUIRED,
    URL_SSL_VERIFY_CA,
    URL_SSL_VERIFY_IDENTITY
};

/* TLS settings; NULL/URL_SSL_UNSET where not said. In a parsed URL the
 * strings are heap-owned by it; in struct config they point into argv. */
struct url_tls {
    enum url_ssl_mode mode;
    const char *ca, *capath, *cert, *key, *cipher, *version;
};

struct url {
    char *user;     /* NULL when absent (the option files' user, else the login name) */
    char *password; /* NULL when absent */
    char *host;     /* NULL when absent */
    unsigned port;  /* 0 = absent */
    char *database;
    char *socket; /* NULL when absent */
    struct url_tls tls;
    int connect_timeout; /* seconds, 0 = absent */
    int net_timeout;     /* seconds, 0 = absent */
    struct url *nodes;   /* several hosts: one URL per node, in order; else NULL */
    size_t nnodes;       /* 0 for a single host */
};

/* Parses text into u (all strings heap-owned by u; release with url_free).
 * Returns 0, or -1 with err set and u left empty. No message ever contains
 * the password. */
int url_parse(const char *text, struct url *u, struct error *err);

/* Frees the strings of u. */
void url_free(struct url *u);

/* Decodes %XX escapes of s[0..n) into a new heap string. Returns NULL (err set)
 * on a malformed escape or a decoded NUL byte. */
char *url_decode(const char *s, size_t n, struct error *err);

/* Finds the raw (still percent-encoded) password inside URL text: returns
 * whether there is one, with its offset and length in *off and *len (0 for
 * "USER:@"). Text that is no URL has none. */
int url_password_span(const char *text, size_t *off, size_t *len);

/* The ssl-mode named by word (any case), or URL_SSL_UNSET for none. */
enum url_ssl_mode url_ssl_mode_named(const char *word, size_t len);

/* The name of mode ("VERIFY_CA", ...; "" for URL_SSL_UNSET). */
const char *url_ssl_mode_name(enum url_ssl_mode mode);

#endif

/* url: parses the target URL
 *   mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?socket=PATH]
 * with percent-decoding of every component. */
#ifndef LITELIFT_URL_H
#define LITELIFT_URL_H

#include "error.h"

struct url {
    char *user;
    char *password; /* NULL when absent */
    char *host;
    unsigned port; /* 0 = default */
    char *database;
    char *socket; /* NULL when absent */
};

/* Parses text into u (all strings heap-owned by u; release with url_free).
 * Returns 0, or -1 with err set and u left empty. */
int url_parse(const char *text, struct url *u, struct error *err);

/* Frees the strings of u. */
void url_free(struct url *u);

/* Decodes %XX escapes of s[0..n) into a new heap string. Returns NULL (err set)
 * on a malformed escape or a decoded NUL byte. */
char *url_decode(const char *s, size_t n, struct error *err);

#endif

/* login: what the command line adds to every connection to the target beyond
 * its URL: the TLS settings, the protocol, the option files, and the password
 * of --password-file or of the terminal prompt (-p). Made once, before any
 * connection, and handed to target_set_login. */
#ifndef LITELIFT_LOGIN_H
#define LITELIFT_LOGIN_H

#include <stdbool.h>

#include "config.h"
#include "error.h"
#include "optfile.h"
#include "url.h"

struct login {
    struct url_tls tls;            /* used where the URL says nothing */
    enum config_protocol protocol; /* --protocol */
    char *password;                /* heap-owned, or NULL: the URL's, else the option */
                                   /* files', else MYSQL_PWD (the client library's order) */
    const char *defaults_file;     /* NULL: the usual option files */
    bool no_defaults;              /* no option file at all */
    struct optfile extra;          /* --defaults-extra-file's values (owned) */
    char *user, *host, *socket;    /* extra's (not owned): where the URL has none */
    unsigned port;
    int connect_timeout;   /* seconds; 0: the client library's default */
    int net_timeout;       /* read and write timeout, seconds; 0: none */
    int lock_wait_timeout; /* the session's lock waits, seconds; 0: the server's */
};

/* Fills l from cfg, reading --password-file's first line or asking for the
 * password on the terminal (echo off) when -p was given, and reading
 * --defaults-extra-file (its values where the command line has none).
 * Returns 0, or -1 with err set (nothing left to free): a file that cannot
 * be read, -p without a terminal. */
int login_prepare(const struct config *cfg, struct login *l, struct error *err);

/* Overwrites and frees the password of l. */
void login_free(struct login *l);

#endif

/* target_login: opening a connection the way the MySQL tools do: what the
 * URL leaves out comes from the login (option files, --defaults-extra-file,
 * --password-file, -p, MYSQL_PWD), TLS as asked and checked after the
 * connect, the connect/read/write timeouts, and a refusal explained with
 * host:port or the socket (and TLS as the likely cause where it is). */
#ifndef LITELIFT_TARGET_LOGIN_H
#define LITELIFT_TARGET_LOGIN_H

#include "target.h"
#include "url.h"

/* The timeouts of a connection, seconds (0: not set). */
struct target_timeouts {
    int connect, net, lock_wait;
};

/* The timeouts of a connection to u: the URL's, else the login's. */
struct target_timeouts target_login_timeouts(const struct url *u);

/* Opens the connection of t (t->my made, nothing else set) to u with the
 * timeouts to. Returns 0, or -1 with err set (the handle stays open). */
int target_login_open(struct target *t, const struct url *u, const struct target_timeouts *to,
                      struct error *err);

#endif

/* target_login: how a connection is opened: the login (URL, option files,
 * --defaults-extra-file, password), TLS, timeouts, and errors that name
 * where the server was looked for (see target_login.h). */
#include "target_login.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"

static const struct login *the_login; /* target_set_login's, or NULL */

void target_set_login(const struct login *l)
{
    the_login = l;
}

/* u's TLS settings, each one the URL leaves out taken from the login. */
static struct url_tls merged_tls(const struct url *u)
{
    struct url_tls m = u->tls;
    if (the_login == NULL)
        return m;
    const struct url_tls *o = &the_login->tls;
    m.mode = m.mode != URL_SSL_UNSET ? m.mode : o->mode;
    const char **mine[] = {&m.ca, &m.capath, &m.cert, &m.key, &m.cipher, &m.version};
    const char *const theirs[] = {o->ca, o->capath, o->cert, o->key, o->cipher, o->version};
    for (size_t i = 0; i < sizeof mine / sizeof *mine; i++)
        if (*mine[i] == NULL)
            *mine[i] = theirs[i];
    return m;
}

/* u with what it leaves out (user, host, port, socket) taken from the
 * login's --defaults-extra-file, which wins over the usual option files as
 * an argument of mysql_real_connect does. Strings stay u's or the login's. */
static struct url merged_url(const struct url *u)
{
    struct url m = *u;
    const struct login *l = the_login;
    if (l == NULL)
        return m;
    m.user = m.user != NULL ? m.user : l->user;
    m.host = m.host != NULL ? m.host : l->host;
    m.port = m.port != 0 ? m.port : l->port;
    m.socket = m.socket != NULL ? m.socket : l->socket;
    return m;
}

/* Hands the TLS settings to the client library. MariaDB Connector/C knows
 * MYSQL_OPT_SSL_ENFORCE and MYSQL_OPT_SSL_VERIFY_SERVER_CERT (it checks the
 * certificate's chain whenever a CA is given, and the host name with the
 * latter), Oracle's libmysqlclient MYSQL_OPT_SSL_MODE. */
static int apply_tls(MYSQL *my, const struct url_tls *tls, struct error *err)
{
    if (tls->mode >= URL_SSL_VERIFY_CA && tls->ca == NULL && tls->capath == NULL)
        return error_set(err,
                         "ssl-mode %s needs the CA to check the server's certificate with: "
                         "--ssl-ca FILE or --ssl-capath DIR (the system's CAs: --ssl-capath "
                         "/etc/ssl/certs)",
                         url_ssl_mode_name(tls->mode));
    const struct {
        enum mysql_option opt;
        const char *value;
    } files[] = {{MYSQL_OPT_SSL_CA, tls->ca},         {MYSQL_OPT_SSL_CAPATH, tls->capath},
                 {MYSQL_OPT_SSL_CERT, tls->cert},     {MYSQL_OPT_SSL_KEY, tls->key},
                 {MYSQL_OPT_SSL_CIPHER, tls->cipher}, {MYSQL_OPT_TLS_VERSION, tls->version}};
    for (size_t i = 0; tls->mode != URL_SSL_DISABLED && i < sizeof files / sizeof *files; i++)
        if (files[i].value != NULL && mysql_options(my, files[i].opt, files[i].value) != 0)
            return error_set(err, "the client library refused the TLS setting %s", files[i].value);
    if (tls->mode == URL_SSL_UNSET)
        return 0;
#ifdef LIBMARIADB
    my_bool enforce = tls->mode >= URL_SSL_REQUIRED, verify = tls->mode == URL_SSL_VERIFY_IDENTITY;
    if (mysql_options(my, MYSQL_OPT_SSL_ENFORCE, &enforce) != 0 ||
        mysql_options(my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify) != 0)
        return error_set(err, "the client library refused ssl-mode %s",
                         url_ssl_mode_name(tls->mode));
#else
    static const unsigned modes[] = {[URL_SSL_DISABLED] = SSL_MODE_DISABLED,
                                     [URL_SSL_PREFERRED] = SSL_MODE_PREFERRED,
                                     [URL_SSL_REQUIRED] = SSL_MODE_REQUIRED,
                                     [URL_SSL_VERIFY_CA] = SSL_MODE_VERIFY_CA,
                                     [URL_SSL_VERIFY_IDENTITY] = SSL_MODE_VERIFY_IDENTITY};
    if (mysql_options(my, MYSQL_OPT_SSL_MODE, &modes[tls->mode]) != 0)
        return error_set(err, "the client library refused ssl-mode %s",
                         url_ssl_mode_name(tls->mode));
#endif
    return 0;
}

/* The option files (groups [client] and [litelift]) and the protocol:
 * localhost with a port in the URL means TCP, as a port names a TCP service. */
static void apply_login(MYSQL *my, const struct url *u)
{
    const struct login *l = the_login;
    if (l == NULL || !l->no_defaults) {
        if (l != NULL && l->defaults_file != NULL)
            mysql_options(my, MYSQL_READ_DEFAULT_FILE, l->defaults_file);
        mysql_options(my, MYSQL_READ_DEFAULT_GROUP, "litelift");
    }
    enum config_protocol p = l != NULL ? l->protocol : CONFIG_PROTOCOL_DEFAULT;
    if (p == CONFIG_PROTOCOL_DEFAULT && u->socket == NULL && u->port != 0)
        p = CONFIG_PROTOCOL_TCP;
    unsigned int proto = p == CONFIG_PROTOCOL_TCP      ? MYSQL_PROTOCOL_TCP
                         : p == CONFIG_PROTOCOL_SOCKET ? MYSQL_PROTOCOL_SOCKET
                                                       : MYSQL_PROTOCOL_DEFAULT;
    if (proto != MYSQL_PROTOCOL_DEFAULT)
        mysql_options(my, MYSQL_OPT_PROTOCOL, &proto);
}

/* Appends where a connection to u went: "the socket PATH" or "HOST:PORT"
 * ([HOST]:PORT for IPv6), the port the option files gave where the URL has
 * none; *socket tells whether that is a unix socket. */
static int endpoint(MYSQL *my, const struct url *u, struct buf *b, bool *socket)
{
    const char *host = u->host != NULL && u->host[0] != '\0' ? u->host : NULL;
    const struct login *l = the_login;
    bool tcp = (l != NULL && l->protocol == CONFIG_PROTOCOL_TCP) ||
               (u->socket == NULL && u->port != 0) ||
               (host != NULL && strcmp(host, "localhost") != 0);
    *socket = u->socket != NULL || (!tcp && host != NULL);
    if (u->socket != NULL)
        return buf_printf(b, "the socket %s", u->socket);
    if (host == NULL)
        return buf_puts(b, "the server the option files name (default: the local one)");
    if (!tcp)
        return buf_puts(b, "the socket of localhost (the option files', else the default one)");
    bool v6 = strchr(host, ':') != NULL;
    unsigned port = u->port != 0 ? u->port : my->port != 0 ? my->port : 3306;
    return buf_printf(b, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", port);
}

/* The connection error: where it went, as whom, the server's words, and,
 * for a login refused over TCP without TLS, that TLS is the likely cause;
 * for one that took the whole connect timeout (limit seconds; waited), that
 * the server did not answer in time. */
static int connect_error(MYSQL *my, const struct url *u, const struct url_tls *tls, int limit,
                         double waited, struct error *err)
{
    struct buf where;
    buf_init(&where, BUF_CAP_LINE);
    bool socket = false;
    unsigned code = mysql_errno(my);
    char said[512]; /* endpoint() may set the handle's error anew */
    snprintf(said, sizeof said, "%s", mysql_error(my));
    bool plain = tls->mode <= URL_SSL_PREFERRED && tls->ca == NULL && tls->capath == NULL &&
                 tls->cert == NULL;
    bool user = u->user != NULL && u->user[0] != '\0';
    bool known = endpoint(my, u, &where, &socket) == 0;
    char late[96] = "";
    if (limit > 0 && waited + 0.5 >= limit && (code == 2002 || code == 2003 || code == 2013))
        snprintf(late, sizeof late, " (no answer within %d s: --connect-timeout)", limit);
    int rc =
        error_set(err, "cannot connect to %s%s%s (database %s): MySQL error %u: %s%s%s",
                  known ? where.data : "the server", user ? " as " : "", user ? u->user : "",
                  u->database, code, said, late,
                  !socket && plain && (code == 1045 || code == 3159)
                      ? " (no TLS was asked for: if the server requires TLS "
                        "(require_secure_transport, or an account REQUIRE SSL), that is the likely "
                        "cause: use --ssl-mode VERIFY_IDENTITY --ssl-ca FILE, or REQUIRED)"
                      : "");
    buf_free(&where);
    return rc;
}

/* After connecting: the option files, which the client library reads last,
 * must not have replaced a TLS file the URL or the command line named (the
 * connection would have been checked against another CA than the one asked
 * for). Returns 0, or -1 with err naming both. */
static int check_overrides(MYSQL *my, const struct url_tls *tls, struct error *err)
{
    const struct {
        enum mysql_option opt;
        const char *asked, *name;
    } files[] = {{MYSQL_OPT_SSL_CA, tls->ca, "ssl-ca"},
                 {MYSQL_OPT_SSL_CAPATH, tls->capath, "ssl-capath"},
                 {MYSQL_OPT_SSL_CERT, tls->cert, "ssl-cert"},
                 {MYSQL_OPT_SSL_KEY, tls->key, "ssl-key"},
                 {MYSQL_OPT_SSL_CIPHER, tls->cipher, "ssl-cipher"}};
    for (size_t i = 0; tls->mode != URL_SSL_DISABLED && i < sizeof files / sizeof *files; i++) {
        const char *used = NULL;
        if (files[i].asked == NULL || mysql_get_option(my, files[i].opt, &used) != 0 ||
            (used != NULL && strcmp(used, files[i].asked) == 0))
            continue;
        return error_set(err,
                         "an option file's %s (%s) replaced the one asked for (%s), as the "
                         "client library reads option files last: remove one of them, or "
                         "use --no-defaults or --defaults-file",
                         files[i].name, used ? used : "none", files[i].asked);
    }
    return 0;
}

struct target_timeouts target_login_timeouts(const struct url *u)
{
    const struct login *l = the_login;
    struct target_timeouts to = {0, 0, 0};
    if (l != NULL)
        to = (struct target_timeouts){l->connect_timeout, l->net_timeout, l->lock_wait_timeout};
    to.connect = u->connect_timeout > 0 ? u->connect_timeout : to.connect;
    to.net = u->net_timeout > 0 ? u->net_timeout : to.net;
    return to;
}

/* Hands the connect, read and write timeouts to the client library (the
 * option names both Connector/C and libmysqlclient know). */
static void apply_timeouts(MYSQL *my, const struct target_timeouts *to)
{
    unsigned connect = (unsigned)to->connect, net = (unsigned)to->net;
    if (connect > 0)
        mysql_options(my, MYSQL_OPT_CONNECT_TIMEOUT, &connect);
    if (net > 0) {
        mysql_options(my, MYSQL_OPT_READ_TIMEOUT, &net);
        mysql_options(my, MYSQL_OPT_WRITE_TIMEOUT, &net);
    }
}

int target_login_open(struct target *t, const struct url *url, const struct target_timeouts *to,
                      struct error *err)
{
    struct url merged = merged_url(url);
    const struct url *u = &merged;
    mysql_options(t->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    apply_timeouts(t->my, to);
    unsigned int local = 1; /* the client side of LOAD DATA LOCAL; the server decides too */
    mysql_options(t->my, MYSQL_OPT_LOCAL_INFILE, &local);
    struct url_tls tls = merged_tls(u);
    apply_login(t->my, u);
    if (apply_tls(t->my, &tls, err) != 0)
        return -1;
    const char *host = u->socket != NULL ? "localhost" : u->host;
    const char *password = u->password != NULL ? u->password
                           : the_login != NULL ? the_login->password
                                               : NULL;
    double t0 = progress_now();
    if (mysql_real_connect(t->my, host, u->user, password, u->database, u->port, u->socket, 0) ==
        NULL)
        return connect_error(t->my, u, &tls, to->connect, progress_now() - t0, err);
    if (check_overrides(t->my, &tls, err) != 0)
        return -1;
    /* an option file's default-character-set must not change how strings are escaped */
    if (mysql_set_character_set(t->my, "utf8mb4") != 0)
        return target_error(t, err, "setting the character set utf8mb4");
    return 0;
}

/* target: MySQL connection and session handling (see target.h). */
#include "target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "target_watch.h"
#include "target_why.h"

static const char *const session_sql[] = {
    "SET NAMES utf8mb4",
    "SET time_zone = '+00:00'",
    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
    "ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'",
    "SET autocommit = 0",
    "SET SESSION max_error_count = 64", /* the warnings of a LOAD must be readable */
};

int target_error(struct target *t, struct error *err, const char *what)
{
    struct buf why;
    buf_init(&why, BUF_CAP_LINE);
    bool explained = target_why(t, &why) == 0 && why.len > 0;
    error_set(err, "%s: MySQL error %u (%s): %s%s", what, mysql_errno(t->my), mysql_sqlstate(t->my),
              mysql_error(t->my), explained ? why.data : "");
    buf_free(&why);
    return -1;
}

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

/* The timeouts of a connection, seconds (0: not set). */
struct timeouts {
    int connect, net, lock_wait;
};

/* The timeouts of a connection to u: the URL's, else the login's. */
static struct timeouts timeouts_for(const struct url *u)
{
    const struct login *l = the_login;
    struct timeouts to = {0, 0, 0};
    if (l != NULL)
        to = (struct timeouts){l->connect_timeout, l->net_timeout, l->lock_wait_timeout};
    to.connect = u->connect_timeout > 0 ? u->connect_timeout : to.connect;
    to.net = u->net_timeout > 0 ? u->net_timeout : to.net;
    return to;
}

/* Hands the connect, read and write timeouts to the client library (the
 * option names both Connector/C and libmysqlclient know). */
static void apply_timeouts(MYSQL *my, const struct timeouts *to)
{
    unsigned connect = (unsigned)to->connect, net = (unsigned)to->net;
    if (connect > 0)
        mysql_options(my, MYSQL_OPT_CONNECT_TIMEOUT, &connect);
    if (net > 0) {
        mysql_options(my, MYSQL_OPT_READ_TIMEOUT, &net);
        mysql_options(my, MYSQL_OPT_WRITE_TIMEOUT, &net);
    }
}

/* Opens the connection of t to u (t->my made). */
static int open_connection(struct target *t, const struct url *url, const struct timeouts *to,
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

/* The session of t set up: session_sql, the lock wait timeout, and what the
 * server allows (max_allowed_packet, local_infile). Returns 0 or -1. */
static int set_session(struct target *t, int lock_wait, struct error *err)
{
    for (size_t i = 0; i < sizeof session_sql / sizeof *session_sql; i++)
        if (target_execs(t, session_sql[i], err) != 0)
            return error_prefix(err, "session setup");
    char sql[128];
    snprintf(sql, sizeof sql,
             "SET SESSION innodb_lock_wait_timeout = %d, SESSION lock_wait_timeout = %d", lock_wait,
             lock_wait);
    if (lock_wait > 0 && target_execs(t, sql, err) != 0)
        return error_prefix(err, "session setup (--lock-wait-timeout)");
    t->lock_wait = lock_wait;
    long long mp = 0, li = 0;
    if (target_query_ll(t, "SELECT @@max_allowed_packet", &mp, err) != 0 ||
        target_query_ll(t, "SELECT @@local_infile", &li, err) != 0)
        return -1;
    t->max_packet = (unsigned long)mp;
    t->local_infile = li != 0;
    return 0;
}

/* Connects t (its handle made) to u with the timeouts to and sets the
 * session up; t is watched (target_watch) from then on. On failure the
 * handle stays open, holding the error. Returns 0 or -1. */
static int connect_session(struct target *t, const struct url *u, const struct timeouts *to,
                           struct error *err)
{
    if (open_connection(t, u, to, err) != 0)
        return -1;
    t->url = u;
    t->id = mysql_thread_id(t->my);
    t->net_timeout = to->net;
    target_watch_open(t);
    t->database = strdup(u->database);
    const char *info = mysql_get_server_info(t->my);
    t->mariadb = info != NULL && strstr(info, "MariaDB") != NULL;
    return set_session(t, to->lock_wait, err);
}

/* Connects t to u with the timeouts to (see target_connect). */
static int connect_with(struct target *t, const struct url *u, const struct timeouts *to,
                        struct error *err)
{
    memset(t, 0, sizeof *t);
    t->my = mysql_init(NULL);
    if (t->my == NULL)
        return error_set(err, "mysql_init failed: out of memory");
    if (connect_session(t, u, to, err) != 0) {
        target_close(t);
        return -1;
    }
    return 0;
}

int target_connect(struct target *t, const struct url *u, struct error *err)
{
    struct timeouts to = timeouts_for(u);
    return connect_with(t, u, &to, err);
}

int target_reconnect(struct target *t, const struct url *u, const char **transient,
                     struct error *err)
{
    struct target fresh = {0};
    struct timeouts to = timeouts_for(u);
    *transient = NULL;
    fresh.my = mysql_init(NULL);
    if (fresh.my == NULL)
        return error_set(err, "mysql_init failed: out of memory");
    if (connect_session(&fresh, u, &to, err) != 0) {
        *transient = target_transient(&fresh);
        target_close(&fresh);
        return -1;
    }
    target_watch_close(&fresh); /* watched where it lives from now on */
    target_close(t);
    *t = fresh;
    target_watch_open(t);
    return 0;
}

int target_connect_quick(struct target *t, const struct url *u, int seconds, struct error *err)
{
    struct timeouts to = {seconds, seconds, seconds};
    return connect_with(t, u, &to, err);
}

void target_close(struct target *t)
{
    target_watch_close(t);
    if (t->my != NULL)
        mysql_close(t->my);
    free(t->database);
    memset(t, 0, sizeof *t);
}

int target_query(struct target *t, const char *sql, size_t len)
{
    target_watch_busy(t);
    int rc = mysql_real_query(t->my, sql, len);
    target_watch_idle(t);
    return rc;
}

int target_socket(struct target *t)
{
#ifdef LIBMARIADB
    return (int)mysql_get_socket(t->my);
#else
    return (int)t->my->net.fd;
#endif
}

/* Reads (and drops) every result of the statement just sent: 0, or -1 when
 * one could not be read. */
static int drain(struct target *t)
{
    do {
        MYSQL_RES *res = mysql_store_result(t->my);
        if (res != NULL)
            mysql_free_result(res);
        else if (mysql_field_count(t->my) != 0)
            return -1;
    } while (mysql_next_result(t->my) == 0);
    return 0;
}

int target_exec(struct target *t, const char *sql, size_t len, struct error *err)
{
    target_watch_busy(t);
    bool sent = mysql_real_query(t->my, sql, len) == 0;
    int rc = sent ? drain(t) : -1;
    target_watch_idle(t);
    return rc == 0 ? 0 : target_error(t, err, sent ? "reading result" : "statement failed");
}

long long target_update(struct target *t, const char *sql, size_t len, struct error *err)
{
    if (target_query(t, sql, len) != 0)
        return target_error(t, err, "statement failed");
    return (long long)mysql_affected_rows(t->my);
}

int target_execs(struct target *t, const char *sql, struct error *err)
{
    return target_exec(t, sql, strlen(sql), err);
}

target_result *target_select(struct target *t, const char *sql, size_t len, const char *what,
                             struct error *err)
{
    MYSQL_RES *res = NULL;
    target_watch_busy(t);
    if (mysql_real_query(t->my, sql, len) == 0)
        res = mysql_store_result(t->my);
    target_watch_idle(t);
    if (res == NULL)
        target_error(t, err, what);
    return res;
}

void target_thread_begin(void)
{
    mysql_thread_init();
}

void target_thread_end(void)
{
    mysql_thread_end();
}

int target_begin(struct target *t, struct error *err)
{
    return target_execs(t, "START TRANSACTION", err);
}

int target_commit(struct target *t, struct error *err)
{
    return target_execs(t, "COMMIT", err);
}

int target_rollback(struct target *t, struct error *err)
{
    return target_execs(t, "ROLLBACK", err);
}

bool target_connection_lost(struct target *t, char *why, size_t whysize)
{
    unsigned e = mysql_errno(t->my);
    if (e != 2002 && e != 2003 && e != 2006 && e != 2013 && e != 2055 && e != 1927 && e != 4031)
        return false;
    struct buf more;
    buf_init(&more, BUF_CAP_LINE);
    bool explained = target_why(t, &more) == 0 && more.len > 0;
    snprintf(why, whysize, "MySQL error %u: %s%s", e, mysql_error(t->my),
             explained ? more.data : "");
    buf_free(&more);
    return true;
}

bool target_lock_wait(struct target *t)
{
    return mysql_errno(t->my) == 1205;
}

bool target_timed_out(struct target *t)
{
    unsigned e = mysql_errno(t->my);
    return (e == 2013 || e == 2006) && t->net_timeout > 0 && t->last_wait + 0.5 >= t->net_timeout;
}

bool target_conflict(struct target *t)
{
    return mysql_errno(t->my) == 1213;
}

const char *target_transient_reason(unsigned code, const char *msg)
{
    switch (code) {
    case 1213:
        return msg != NULL && strstr(msg, "WSREP") != NULL ? "Galera conflict" : "deadlock";
    case 1205:
        return "lock wait timeout";
    case 1053:
        return "server shutdown";
    case 1047: /* WSREP has not yet prepared node for application use */
        return "Galera node not ready";
    case 1927: /* Connection was killed */
        return "connection killed";
    case 2002: /* the server cannot be reached: not (yet) listening */
    case 2003:
        return "server unreachable";
    case 2006: /* gone away, lost during a query, or the handshake */
    case 2013:
    case 2055:
    case 4031: /* disconnected by the server after inactivity */
        return "lost connection";
    default:
        return NULL;
    }
}

const char *target_transient(struct target *t)
{
    return t->my == NULL ? NULL : target_transient_reason(mysql_errno(t->my), mysql_error(t->my));
}

int target_query_ll(struct target *t, const char *sql, long long *out, struct error *err)
{
    MYSQL_RES *res = target_select(t, sql, strlen(sql), "query failed", err);
    if (res == NULL)
        return -1;
    MYSQL_ROW row = mysql_fetch_row(res);
    int rc = 0;
    if (row == NULL || row[0] == NULL)
        rc = error_set(err, "query returned no value: %s", sql);
    else
        *out = strtoll(row[0], NULL, 10);
    mysql_free_result(res);
    return rc;
}

int target_exec_buf(struct target *t, const struct buf *sql, struct error *err)
{
    return buf_check(sql, err) != 0 ? -1 : target_exec(t, sql->data, sql->len, err);
}

long long target_update_buf(struct target *t, const struct buf *sql, struct error *err)
{
    return buf_check(sql, err) != 0 ? -1 : target_update(t, sql->data, sql->len, err);
}

target_result *target_select_buf(struct target *t, const struct buf *sql, const char *what,
                                 struct error *err)
{
    return buf_check(sql, err) != 0 ? NULL : target_select(t, sql->data, sql->len, what, err);
}

int target_query_ll_buf(struct target *t, const struct buf *sql, long long *out, struct error *err)
{
    return buf_check(sql, err) != 0 ? -1 : target_query_ll(t, sql->data, out, err);
}

int target_quote_ident(struct buf *b, const char *name)
{
    if (buf_putc(b, '`') != 0)
        return -1;
    for (const char *p = name; *p; p++)
        if ((*p == '`' && buf_putc(b, '`') != 0) || buf_putc(b, *p) != 0)
            return -1;
    return buf_putc(b, '`');
}

int target_split_table(const char *name, struct buf *schema, const char **table)
{
    const char *dot = strchr(name, '.');
    *table = dot ? dot + 1 : name;
    return dot && buf_append(schema, name, (size_t)(dot - name)) ? -1 : 0;
}

int target_quote_table(struct buf *b, const char *name)
{
    struct buf schema;
    buf_init(&schema, BUF_CAP_NAME);
    const char *table;
    int bad = target_split_table(name, &schema, &table);
    if (!bad && schema.len > 0)
        bad = target_quote_ident(b, schema.data) || buf_putc(b, '.');
    bad = bad || target_quote_ident(b, table);
    buf_free(&schema);
    return bad ? -1 : 0;
}

int target_where_table(struct target *t, struct buf *b, const char *name)
{
    struct buf schema;
    buf_init(&schema, BUF_CAP_NAME);
    const char *table;
    int bad = target_split_table(name, &schema, &table) || buf_puts(b, "TABLE_SCHEMA = ");
    if (!bad)
        bad = schema.len > 0 ? target_quote_string(t, b, schema.data, schema.len)
                             : buf_puts(b, "DATABASE()");
    bad =
        bad || buf_puts(b, " AND TABLE_NAME = ") || target_quote_string(t, b, table, strlen(table));
    buf_free(&schema);
    return bad ? -1 : 0;
}

int target_quote_string(struct target *t, struct buf *b, const char *s, size_t n)
{
    if (n > (SIZE_MAX - 3) / 2 || buf_reserve(b, 2 * n + 3) != 0)
        return -1;
    b->data[b->len++] = '\'';
    b->len += mysql_real_escape_string(t->my, b->data + b->len, s, (unsigned long)n);
    b->data[b->len++] = '\'';
    b->data[b->len] = '\0';
    return 0;
}

/* The TLS version of t's connection ("TLSv1.3"), into v; "" when unknown. */
static void tls_version(struct target *t, char *v, size_t size)
{
    v[0] = '\0';
    static const char sql[] = "SHOW SESSION STATUS LIKE 'Ssl_version'";
    MYSQL_RES *res = NULL;
    if (mysql_real_query(t->my, sql, sizeof sql - 1) == 0 &&
        (res = mysql_store_result(t->my)) != NULL) {
        MYSQL_ROW row = mysql_fetch_row(res);
        if (row != NULL && row[1] != NULL)
            snprintf(v, size, "%s", row[1]);
    }
    if (res != NULL)
        mysql_free_result(res);
}

int target_where(struct target *t, struct buf *b)
{
    const char *how = mysql_get_host_info(t->my);
    if (how != NULL && strstr(how, "socket") != NULL)
        return buf_printf(b, "the socket %s", t->my->unix_socket ? t->my->unix_socket : "?") == 0
                   ? 1
                   : -1;
    const char *host = t->my->host != NULL ? t->my->host : "?";
    bool v6 = strchr(host, ':') != NULL;
    return buf_printf(b, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", t->my->port);
}

void target_info(struct target *t, struct target_info *out)
{
    const char *info = mysql_get_server_info(t->my);
    const char *how = mysql_get_host_info(t->my);
    const char *cipher = mysql_get_ssl_cipher(t->my);
    memset(out, 0, sizeof *out);
    snprintf(out->server, sizeof out->server, "%s %s", t->mariadb ? "MariaDB" : "MySQL",
             info != NULL ? info : "");
    if (how != NULL && strstr(how, "socket") != NULL) {
        snprintf(out->socket, sizeof out->socket, "%s",
                 t->my->unix_socket ? t->my->unix_socket : "");
        return;
    }
    snprintf(out->host, sizeof out->host, "%s", t->my->host != NULL ? t->my->host : "");
    out->port = t->my->port;
    if (cipher != NULL) {
        snprintf(out->cipher, sizeof out->cipher, "%s", cipher);
        tls_version(t, out->tls, sizeof out->tls);
        if (out->tls[0] == '\0')
            snprintf(out->tls, sizeof out->tls, "TLS");
    }
}

void target_describe(struct target *t, FILE *log)
{
    const char *info = mysql_get_server_info(t->my);
    const char *product = t->mariadb ? "MariaDB" : "MySQL";
    info = info != NULL ? info : "";
    int vlen = (int)strcspn(info, "-");
    struct buf where;
    buf_init(&where, BUF_CAP_LINE);
    int socket = target_where(t, &where);
    const char *w = socket >= 0 ? where.data : "the server";
    if (socket > 0) {
        fprintf(log, "litelift: connected through %s (%s %.*s)\n", w, product, vlen, info);
        buf_free(&where);
        return;
    }
    const char *cipher = mysql_get_ssl_cipher(t->my);
    char version[64];
    if (cipher != NULL)
        tls_version(t, version, sizeof version);
    fprintf(log, "litelift: connected to %s (%s %.*s) over ", w, product, vlen, info);
    buf_free(&where);
    if (cipher != NULL)
        fprintf(log, "%s, cipher %s\n", version[0] ? version : "TLS", cipher);
    else
        fputs("an unencrypted TCP connection\n", log);
    if (cipher == NULL && t->my->passwd != NULL && t->my->passwd[0] != '\0')
        fputs("litelift: WARNING: the password was sent over an unencrypted TCP connection, "
              "where others on the network can capture it: use --ssl-mode VERIFY_IDENTITY "
              "--ssl-ca FILE (or REQUIRED)\n",
              log);
}

char **target_next(target_result *res)
{
    return mysql_fetch_row(res);
}

unsigned long *target_lengths(target_result *res)
{
    return mysql_fetch_lengths(res);
}

unsigned long long target_count(target_result *res)
{
    return mysql_num_rows(res);
}

void target_free(target_result *res)
{
    if (res != NULL)
        mysql_free_result(res);
}

target_result *target_stream(struct target *t, const struct buf *sql, const char *what,
                             struct error *err)
{
    target_result *res = NULL;
    if (buf_check(sql, err) != 0)
        return NULL;
    target_watch_busy(t); /* until target_stream_end: rows may stop coming */
    if (mysql_real_query(t->my, sql->data, sql->len) != 0 ||
        (res = mysql_use_result(t->my)) == NULL) {
        target_watch_idle(t);
        target_error(t, err, what);
    }
    return res;
}

int target_stream_end(struct target *t, const char *what, struct error *err)
{
    target_watch_idle(t);
    return mysql_errno(t->my) != 0 ? target_error(t, err, what) : 0;
}

const char *target_library_version(void)
{
#ifdef LIBMARIADB
    return "MariaDB Connector/C " MARIADB_PACKAGE_VERSION;
#else
    static char v[64];
    snprintf(v, sizeof v, "MySQL client library %s", mysql_get_client_info());
    return v;
#endif
}

unsigned long target_client_max_packet(struct target *t)
{
    unsigned long mine = 0, library = 0;
    mysql_get_option(t->my, MYSQL_OPT_MAX_ALLOWED_PACKET, &mine);
    mysql_get_option(NULL, MYSQL_OPT_MAX_ALLOWED_PACKET, &library);
    return mine != 0 ? mine : library;
}

bool target_client_local_infile(struct target *t)
{
    unsigned int on = 0;
    if (t->my == NULL) /* not connected: what open_connection asks for */
        return true;
    return mysql_get_option(t->my, MYSQL_OPT_LOCAL_INFILE, &on) == 0 && on != 0;
}

unsigned long target_server_version(struct target *t)
{
    return mysql_get_server_version(t->my);
}

unsigned target_errno(struct target *t)
{
    return mysql_errno(t->my);
}

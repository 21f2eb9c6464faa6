/* target: MySQL connection and session handling (see target.h). */
#include "target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    return error_set(err, "%s: MySQL error %u (%s): %s", what, mysql_errno(t->my),
                     mysql_sqlstate(t->my), mysql_error(t->my));
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
 * for a login refused over TCP without TLS, that TLS is the likely cause. */
static int connect_error(MYSQL *my, const struct url *u, const struct url_tls *tls,
                         struct error *err)
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
    int rc =
        error_set(err, "cannot connect to %s%s%s (database %s): MySQL error %u: %s%s",
                  known ? where.data : "the server", user ? " as " : "", user ? u->user : "",
                  u->database, code, said,
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

/* Opens the connection of t to u (t->my made). */
static int open_connection(struct target *t, const struct url *u, struct error *err)
{
    mysql_options(t->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
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
    if (mysql_real_connect(t->my, host, u->user, password, u->database, u->port, u->socket, 0) ==
        NULL)
        return connect_error(t->my, u, &tls, err);
    if (check_overrides(t->my, &tls, err) != 0)
        return -1;
    /* an option file's default-character-set must not change how strings are escaped */
    if (mysql_set_character_set(t->my, "utf8mb4") != 0)
        return target_error(t, err, "setting the character set utf8mb4");
    return 0;
}

int target_connect(struct target *t, const struct url *u, struct error *err)
{
    memset(t, 0, sizeof *t);
    t->my = mysql_init(NULL);
    if (t->my == NULL)
        return error_set(err, "mysql_init failed: out of memory");
    if (open_connection(t, u, err) != 0) {
        target_close(t);
        return -1;
    }
    t->database = strdup(u->database);
    const char *info = mysql_get_server_info(t->my);
    t->mariadb = info != NULL && strstr(info, "MariaDB") != NULL;
    for (size_t i = 0; i < sizeof session_sql / sizeof *session_sql; i++) {
        if (target_execs(t, session_sql[i], err) != 0) {
            error_prefix(err, "session setup");
            target_close(t);
            return -1;
        }
    }
    long long mp = 0;
    if (target_query_ll(t, "SELECT @@max_allowed_packet", &mp, err) != 0) {
        target_close(t);
        return -1;
    }
    t->max_packet = (unsigned long)mp;
    long long li = 0;
    if (target_query_ll(t, "SELECT @@local_infile", &li, err) != 0) {
        target_close(t);
        return -1;
    }
    t->local_infile = li != 0;
    return 0;
}

void target_close(struct target *t)
{
    if (t->my != NULL)
        mysql_close(t->my);
    free(t->database);
    memset(t, 0, sizeof *t);
}

int target_exec(struct target *t, const char *sql, size_t len, struct error *err)
{
    if (mysql_real_query(t->my, sql, len) != 0)
        return target_error(t, err, "statement failed");
    do {
        MYSQL_RES *res = mysql_store_result(t->my);
        if (res != NULL)
            mysql_free_result(res);
        else if (mysql_field_count(t->my) != 0)
            return target_error(t, err, "reading result");
    } while (mysql_next_result(t->my) == 0);
    return 0;
}

long long target_update(struct target *t, const char *sql, size_t len, struct error *err)
{
    if (mysql_real_query(t->my, sql, len) != 0)
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
    if (mysql_real_query(t->my, sql, len) != 0 || (res = mysql_store_result(t->my)) == NULL)
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
    snprintf(why, whysize, "MySQL error %u: %s", e, mysql_error(t->my));
    return true;
}

bool target_conflict(struct target *t)
{
    return mysql_errno(t->my) == 1213;
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
    const char *how = mysql_get_host_info(t->my);
    bool socket = how != NULL && strstr(how, "socket") != NULL;
    if (socket) {
        fprintf(log, "litelift: connected through the socket %s (%s %.*s)\n",
                t->my->unix_socket ? t->my->unix_socket : "?", product, vlen, info);
        return;
    }
    const char *host = t->my->host != NULL ? t->my->host : "?";
    bool v6 = strchr(host, ':') != NULL;
    const char *cipher = mysql_get_ssl_cipher(t->my);
    char version[64];
    if (cipher != NULL)
        tls_version(t, version, sizeof version);
    fprintf(log, "litelift: connected to %s%s%s:%u (%s %.*s) over ", v6 ? "[" : "", host,
            v6 ? "]" : "", t->my->port, product, vlen, info);
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
    if (mysql_real_query(t->my, sql->data, sql->len) != 0 ||
        (res = mysql_use_result(t->my)) == NULL)
        target_error(t, err, what);
    return res;
}

int target_stream_end(struct target *t, const char *what, struct error *err)
{
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

unsigned long target_server_version(struct target *t)
{
    return mysql_get_server_version(t->my);
}

unsigned target_errno(struct target *t)
{
    return mysql_errno(t->my);
}

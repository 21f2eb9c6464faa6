/* target: MySQL connection and session handling (see target.h). */
#include "target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "target_watch.h"
#include "target_login.h"
#include "target_why.h"
#include "val.h"

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
static int connect_session(struct target *t, const struct url *u, const struct target_timeouts *to,
                           struct error *err)
{
    if (target_login_open(t, u, to, err) != 0)
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
static int connect_with(struct target *t, const struct url *u, const struct target_timeouts *to,
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

/* Connects t to the first node of u that answers, trying them in order from
 * node `from` on (u with one host: to u). When none answers, err gives each
 * node's failure in turn, separated by "; ". */
static int connect_nodes(struct target *t, const struct url *u, size_t from,
                         const struct target_timeouts *to, struct error *err)
{
    if (u->nnodes == 0)
        return connect_with(t, u, to, err);
    struct buf said;
    buf_init(&said, BUF_CAP_LINE);
    int rc = -1;
    for (size_t k = 0; k < u->nnodes && rc != 0; k++) {
        const struct url *n = &u->nodes[(from + k) % u->nnodes];
        rc = connect_with(t, n, to, err);
        if (rc != 0 && buf_printf(&said, "%s%s", said.len > 0 ? "; " : "", err->msg) != 0)
            break;
    }
    if (rc != 0)
        error_set(err, "no node of the target answers: %s",
                  said.data != NULL ? said.data : "out of memory");
    buf_free(&said);
    return rc;
}

int target_connect(struct target *t, const struct url *u, struct error *err)
{
    struct target_timeouts to = target_login_timeouts(u);
    return connect_nodes(t, u, 0, &to, err);
}

/* The node of u after the one t is connected to (0 when u has one host or
 * t's node is not one of u's). */
static size_t next_node(const struct target *t, const struct url *u)
{
    for (size_t i = 0; i < u->nnodes; i++)
        if (t->url == &u->nodes[i])
            return (i + 1) % u->nnodes;
    return 0;
}

int target_reconnect(struct target *t, const struct url *u, const char **transient,
                     struct error *err)
{
    struct target fresh = {0};
    struct target_timeouts to = target_login_timeouts(u);
    *transient = NULL;
    if (u->nnodes > 0) { /* a cluster: the next node first, the lost one last */
        if (connect_nodes(&fresh, u, next_node(t, u), &to, err) != 0) {
            *transient = "no node answers";
            return -1;
        }
    } else {
        fresh.my = mysql_init(NULL);
        if (fresh.my == NULL)
            return error_set(err, "mysql_init failed: out of memory");
        if (connect_session(&fresh, u, &to, err) != 0) {
            *transient = target_transient(&fresh);
            target_close(&fresh);
            return -1;
        }
    }
    target_watch_close(&fresh); /* watched where it lives from now on */
    target_close(t);
    *t = fresh;
    target_watch_open(t);
    return 0;
}

int target_connect_quick(struct target *t, const struct url *u, int seconds, struct error *err)
{
    struct target_timeouts to = {seconds, seconds, seconds};
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
    /* utf8mb4 (what a connection is set to) keeps its multi-byte characters
     * clear of ASCII, so escaping byte by byte gives Connector/C's bytes,
     * without its per-character decoding (most of an INSERT load's client
     * CPU); a library that backslashes an invalid lead byte as well sends
     * other bytes for the same value (the server drops a backslash before an
     * ordinary byte); any other character set, or NO_BACKSLASH_ESCAPES, is
     * left to the library */
    const char *cs = mysql_character_set_name(t->my);
    if ((t->my->server_status & SERVER_STATUS_NO_BACKSLASH_ESCAPES) == 0 && cs != NULL &&
        strcmp(cs, "utf8mb4") == 0)
        b->len += val_escape_sql(b->data + b->len, s, n);
    else
        b->len += mysql_real_escape_string(t->my, b->data + b->len, s, (unsigned long)n);
    b->data[b->len++] = '\'';
    b->data[b->len] = '\0';
    return 0;
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

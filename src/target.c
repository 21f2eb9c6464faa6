/* target: MySQL connection and session handling (see target.h). */
#include "target.h"

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

int target_connect(struct target *t, const struct url *u, struct error *err)
{
    memset(t, 0, sizeof *t);
    t->my = mysql_init(NULL);
    if (t->my == NULL)
        return error_set(err, "mysql_init failed: out of memory");
    mysql_options(t->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    unsigned int local = 1; /* the client side of LOAD DATA LOCAL; the server decides too */
    mysql_options(t->my, MYSQL_OPT_LOCAL_INFILE, &local);
    const char *host = u->socket != NULL ? "localhost" : u->host;
    if (mysql_real_connect(t->my, host, u->user, u->password, u->database, u->port, u->socket, 0) ==
        NULL) {
        error_set(err, "cannot connect to mysql://%s@%s/%s%s%s: MySQL error %u: %s", u->user,
                  u->host, u->database, u->socket ? " via socket " : "", u->socket ? u->socket : "",
                  mysql_errno(t->my), mysql_error(t->my));
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

MYSQL_RES *target_select(struct target *t, const char *sql, size_t len, const char *what,
                         struct error *err)
{
    MYSQL_RES *res = NULL;
    if (mysql_real_query(t->my, sql, len) != 0 || (res = mysql_store_result(t->my)) == NULL)
        target_error(t, err, what);
    return res;
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

MYSQL_RES *target_select_buf(struct target *t, const struct buf *sql, const char *what,
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

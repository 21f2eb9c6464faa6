/* target: the MySQL/MariaDB connection: connect from a parsed URL, set the
 * session up for exact loading, run statements with errors that carry the
 * server's code and message, and quote identifiers and values. */
#ifndef LITELIFT_TARGET_H
#define LITELIFT_TARGET_H

#include <mysql.h>
#include <stdbool.h>

#include "buf.h"
#include "error.h"
#include "url.h"

struct target {
    MYSQL *my;
    unsigned long max_packet; /* server's max_allowed_packet */
    bool mariadb;             /* server is MariaDB (JSON is LONGTEXT + CHECK) */
    bool local_infile;        /* the server accepts LOAD DATA LOCAL INFILE */
    char *database;
};

/* Connects to u and sets the session: utf8mb4, time_zone '+00:00', strict
 * sql_mode (plus NO_AUTO_VALUE_ON_ZERO so that 0 keys stay 0), autocommit off.
 * Returns 0, or -1 with err set (t is then closed). */
int target_connect(struct target *t, const struct url *u, struct error *err);

/* Closes the connection; safe on a closed target. */
void target_close(struct target *t);

/* Runs one statement of len bytes, discarding any result. Returns 0 or -1 with
 * err holding "MySQL error N (SQLSTATE): message". */
int target_exec(struct target *t, const char *sql, size_t len, struct error *err);

/* As target_exec for a NUL-terminated statement. */
int target_execs(struct target *t, const char *sql, struct error *err);

/* Executes one UPDATE or DELETE; returns the number of rows it changed, or
 * -1 with err set. */
long long target_update(struct target *t, const char *sql, size_t len, struct error *err);

/* Runs a query of len bytes and returns its whole result (caller frees with
 * mysql_free_result), or NULL with err saying "what: MySQL error ...". */
MYSQL_RES *target_select(struct target *t, const char *sql, size_t len, const char *what,
                         struct error *err);

/* Runs a query that returns one row with one integer column. Returns 0 and
 * stores it in *out, or -1. */
int target_query_ll(struct target *t, const char *sql, long long *out, struct error *err);

/* The statement-sending calls above for a statement built in a buffer: each
 * refuses a buffer whose appends failed (buf_check: "out of memory") before
 * anything reaches the server, so the appends that built it need no checks of
 * their own. */
int target_exec_buf(struct target *t, const struct buf *sql, struct error *err);
long long target_update_buf(struct target *t, const struct buf *sql, struct error *err);
MYSQL_RES *target_select_buf(struct target *t, const struct buf *sql, const char *what,
                             struct error *err);
int target_query_ll_buf(struct target *t, const struct buf *sql, long long *out, struct error *err);

/* Sets err from the connection's last error with a "what" prefix; returns -1. */
int target_error(struct target *t, struct error *err, const char *what);

/* Appends `name` (backticks doubled). */
int target_quote_ident(struct buf *b, const char *name);

/* Appends s[0..n) as a quoted string literal escaped for the connection. */
int target_quote_string(struct target *t, struct buf *b, const char *s, size_t n);

#endif

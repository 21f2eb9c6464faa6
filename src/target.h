/* target: the MySQL/MariaDB connection: connect from a parsed URL, set the
 * session up for exact loading, run statements with errors that carry the
 * server's code and message, and quote identifiers and values. */
#ifndef LITELIFT_TARGET_H
#define LITELIFT_TARGET_H

#include <mysql.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "login.h"
#include "url.h"

struct target {
    MYSQL *my;
    unsigned long max_packet; /* server's max_allowed_packet */
    bool mariadb;             /* server is MariaDB (JSON is LONGTEXT + CHECK) */
    bool local_infile;        /* the server accepts LOAD DATA LOCAL INFILE */
    char *database;
    const struct url *url; /* what it was opened with (see target_connect) */
    unsigned long id;      /* the server's id of the connection (KILL, PROCESSLIST) */
    int net_timeout;       /* its read and write timeout, seconds (0: none) */
    int lock_wait;         /* its session's lock wait timeout, seconds (0: the server's) */
    /* target_watch's, under its mutex: */
    double wait_began;         /* when the statement in flight was sent (0: none) */
    double last_wait;          /* seconds the last statement waited for the server */
    int watch;                 /* how the watcher stands with the statement in flight */
    struct target *watch_next; /* the list of open connections */
};

/* Sets what every later target_connect adds to its URL: TLS settings where
 * the URL has none, the protocol, the option files to read, the password
 * where the URL has none. l is kept, not copied, and must outlive every
 * connection (NULL: nothing added). Call before the first connection. */
void target_set_login(const struct login *l);

/* Connects to u (with several nodes: to the first that answers, in order;
 * what u leaves out coming from the login and then from the
 * option files: groups [client] and [litelift]) with the connect, read and
 * write timeouts of u, else of the login, and sets the session: utf8mb4,
 * time_zone '+00:00', strict sql_mode (plus NO_AUTO_VALUE_ON_ZERO so that 0
 * keys stay 0), autocommit off, the login's lock wait timeout (as
 * innodb_lock_wait_timeout and lock_wait_timeout). u is kept and must
 * outlive the connection. Returns 0, or -1 with err set naming host:port or
 * the socket path (t is then closed). */
int target_connect(struct target *t, const struct url *u, struct error *err);

/* As target_connect, with connect, read and write timeouts of seconds
 * whatever u and the login say: for a short statement on the side while
 * another connection may hang. */
int target_connect_quick(struct target *t, const struct url *u, int seconds, struct error *err);

/* Sets up (begin) and frees (end) the client library's state of a thread
 * other than main that opens connections; call both from that thread. */
void target_thread_begin(void);
void target_thread_end(void);

/* Says on log how t is connected: "litelift: connected to HOST:PORT
 * (MariaDB 10.11.6) over TLSv1.3, cipher NAME", "... over an unencrypted TCP
 * connection" or "litelift: connected through the socket PATH (...)", and
 * warns when a password crossed TCP unencrypted. */
void target_describe(struct target *t, FILE *log);

/* Appends where t is connected: "the socket PATH" or "HOST:PORT" ([HOST]:PORT
 * for IPv6). Returns 1 for a socket, 0 for TCP, -1 when out of memory. */
int target_where(struct target *t, struct buf *b);

/* How a connection is made, for a run's report. */
struct target_info {
    char server[128]; /* "MariaDB 10.11.6-MariaDB-0+deb12u1" */
    char host[256];   /* the host connected to over TCP, "" over a socket */
    unsigned port;
    char socket[256]; /* the socket connected through, or "" */
    char tls[32];     /* "TLSv1.3", "" when the connection is unencrypted */
    char cipher[128];
};

/* Fills *out for the connected target t (asks the server for the TLS
 * version). */
void target_info(struct target *t, struct target_info *out);

/* Closes the connection; safe on a closed target. */
void target_close(struct target *t);

/* Runs one statement of len bytes, discarding any result. Returns 0 or -1 with
 * err holding "MySQL error N (SQLSTATE): message". */
int target_exec(struct target *t, const char *sql, size_t len, struct error *err);

/* As target_exec for a NUL-terminated statement. */
int target_execs(struct target *t, const char *sql, struct error *err);

/* Begins a transaction explicitly (START TRANSACTION). With autocommit off
 * the first statement after a commit begins one anyway; this names where a
 * transaction of several steps starts. Returns 0 or -1. */
int target_begin(struct target *t, struct error *err);

/* Commits the current transaction. Returns 0 or -1 with err set. */
int target_commit(struct target *t, struct error *err);

/* Rolls the current transaction back. Returns 0 or -1 with err set. */
int target_rollback(struct target *t, struct error *err);

/* Whether the connection's last error says it is gone (client side: server
 * gone away, lost, unreachable, killed); then why (of whysize bytes) holds
 * "MySQL error N: message". */
bool target_connection_lost(struct target *t, char *why, size_t whysize);

/* Whether the last statement failed waiting for a lock another session
 * holds: a row lock past innodb_lock_wait_timeout or a metadata lock (LOCK
 * TABLES, DDL) past lock_wait_timeout (both error 1205). */
bool target_lock_wait(struct target *t);

/* Whether the last statement failed because the server sent or took nothing
 * for the connection's read or write timeout (--net-timeout). */
bool target_timed_out(struct target *t);

/* Whether the last statement failed on a conflict with another transaction
 * that a retry of the transaction may get past: a deadlock, or on a Galera
 * cluster a certification failure or a brute-force abort (both error 1213). */
bool target_conflict(struct target *t);

/* Whether an error (code, with the server's message msg, may be NULL) is
 * transient: a retry of the transaction on a fresh connection may get past
 * it. Returns its reason ("lost connection", "connection killed", "server
 * unreachable", "server shutdown", "deadlock", "Galera conflict", "Galera
 * node not ready", "lock wait timeout"), or NULL for any other error. */
const char *target_transient_reason(unsigned code, const char *msg);

/* target_transient_reason of t's last error (NULL on a closed target). */
const char *target_transient(struct target *t);

/* Replaces t's connection by a fresh one to u, with the same login, TLS and
 * session settings as target_connect; when u names several nodes, to the
 * first that answers from the one after t's on (t's own last). Returns 0 (the old connection
 * closed), or -1 with err set and t left as it was; *transient is then the failure's reason when it
 * is transient (a server not listening yet, ...), else NULL. */
int target_reconnect(struct target *t, const struct url *u, const char **transient,
                     struct error *err);

/* Executes one UPDATE or DELETE; returns the number of rows it changed, or
 * -1 with err set. */
long long target_update(struct target *t, const char *sql, size_t len, struct error *err);

/* A result set of target_select (or target_stream): rows of text, a NULL
 * pointer for SQL NULL. Read with target_next, free with target_free; no
 * other module calls the client library on it. */
typedef MYSQL_RES target_result;

/* The next row of res (NULL after the last); target_lengths gives the byte
 * length of each of its values. */
char **target_next(target_result *res);
unsigned long *target_lengths(target_result *res);

/* The number of rows of a stored result (target_select). */
unsigned long long target_count(target_result *res);

void target_free(target_result *res);

/* Runs a query whose rows are read as they come (not stored: any number of
 * rows in bounded memory); the caller reads all of them with target_next,
 * then calls target_stream_end. Returns the result, or NULL with err set. */
target_result *target_stream(struct target *t, const struct buf *sql, const char *what,
                             struct error *err);

/* After the last row of a streamed result: 0, or -1 with err set when the
 * rows stopped on an error rather than at their end. */
int target_stream_end(struct target *t, const char *what, struct error *err);

/* The server's version as a number (100611 for 10.6.11). */
unsigned long target_server_version(struct target *t);

/* The client library's name and version, e.g. "MariaDB Connector/C 3.3.8". */
const char *target_library_version(void);

/* The client side's max_allowed_packet: the largest packet the client
 * library sends or takes on t (its option, else the library's default). */
unsigned long target_client_max_packet(struct target *t);

/* Whether the client side of t allows LOAD DATA LOCAL INFILE (litelift asks
 * for it; an option file's local-infile=0 read at connect time takes it
 * away); true for a target not connected (what litelift asks for). */
bool target_client_local_infile(struct target *t);

/* The MySQL error code of the connection's last statement (0: none). */
unsigned target_errno(struct target *t);

/* Runs a query of len bytes and returns its whole result (caller frees with
 * mysql_free_result), or NULL with err saying "what: MySQL error ...". */
target_result *target_select(struct target *t, const char *sql, size_t len, const char *what,
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
target_result *target_select_buf(struct target *t, const struct buf *sql, const char *what,
                                 struct error *err);
int target_query_ll_buf(struct target *t, const struct buf *sql, long long *out, struct error *err);

/* Sends one statement of len bytes (mysql_real_query) marked in flight for
 * target_watch, for a caller that reads its answer itself. Returns 0, or
 * nonzero with the connection's error set. */
int target_query(struct target *t, const char *sql, size_t len);

/* The connection's socket (for target_watch to shut down). */
int target_socket(struct target *t);

/* Sets err from the connection's last error with a "what" prefix: "what:
 * MySQL error N (SQLSTATE): message", and after a lock wait or a timeout what
 * was waited for (target_why). Returns -1. */
int target_error(struct target *t, struct error *err, const char *what);

/* Appends `name` (backticks doubled). */
int target_quote_ident(struct buf *b, const char *name);

/* A table name that may name its schema, "table" or "schema.table" (as
 * --progress-table takes it; the first '.' splits): *table is set to the
 * part after that '.' (or to name), and schema gets the part before it (left
 * as it was when there is none). Returns 0, or -1 when out of memory. */
int target_split_table(const char *name, struct buf *schema, const char **table);

/* Appends a table name that may name its schema (see target_split_table),
 * each part quoted: `schema`.`table` or `table`. Returns 0 or -1. */
int target_quote_table(struct buf *b, const char *name);

/* Appends "TABLE_SCHEMA = <schema> AND TABLE_NAME = '<table>'" for a query of
 * information_schema about a table that may name its schema (see
 * target_split_table; DATABASE() when it names none). Returns 0 or -1. */
int target_where_table(struct target *t, struct buf *b, const char *name);

/* Appends s[0..n) as a quoted string literal escaped for the connection
 * (byte for byte what mysql_real_escape_string writes). */
int target_quote_string(struct target *t, struct buf *b, const char *s, size_t n);

#endif

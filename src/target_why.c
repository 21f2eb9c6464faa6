/* target_why: the explanation of a statement's failure (see target_why.h). */
#include "target_why.h"

#include <stdio.h>
#include <stdlib.h>

#include "target_watch.h"

#define LOOKUP_TIMEOUT 2 /* seconds: the process list connection's timeouts */

static _Thread_local bool looking; /* a lookup's own errors are not explained */

/* Appends the sessions of rows (from the query of holders()). */
static int list_holders(target_result *res, struct buf *b)
{
    char **row;
    int rc = 0, n = 0;
    while (rc == 0 && (row = target_next(res)) != NULL) {
        rc = buf_printf(b, "%s connection %s (%s, %s for %s s%s%s%s%s)", n++ ? "," : "; it may be",
                        row[0], row[1], row[2], row[3], row[4][0] ? ", " : "", row[4],
                        row[5][0] ? ": " : "", row[5]);
        if (rc == 0 && row[6][0] == '1')
            rc = buf_puts(b, " with a transaction open");
    }
    return rc;
}

/* Appends the other sessions that may hold the lock t waited for, as k (a
 * connection of its own, in t's database) sees them: those in that database
 * first, among them those with an InnoDB transaction open, then the
 * longest-standing; none of this process's connections nor a session that
 * waits for a lock itself. */
static int holders(struct target *k, struct buf *b)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_LINE);
    struct error ignored;
    target_result *res = NULL;
    int rc = buf_puts(&sql, "SELECT p.ID, IFNULL(p.USER, ''), p.COMMAND, p.TIME, "
                            "IFNULL(p.STATE, ''), IFNULL(LEFT(p.INFO, 80), ''), "
                            "x.trx_mysql_thread_id IS NOT NULL FROM information_schema.PROCESSLIST "
                            "p LEFT JOIN information_schema.INNODB_TRX x ON "
                            "x.trx_mysql_thread_id = p.ID WHERE p.ID <> CONNECTION_ID() AND "
                            "p.COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Killed') AND "
                            "IFNULL(p.STATE, '') NOT LIKE 'Waiting for%lock%' AND p.ID NOT IN (") |
             target_watch_ids(&sql) |
             buf_puts(&sql, ") ORDER BY p.DB <=> DATABASE() DESC, x.trx_started IS NULL, "
                            "x.trx_started, p.TIME DESC LIMIT 3");
    if (rc == 0 && (res = target_select_buf(k, &sql, "reading the process list", &ignored)) != NULL)
        rc = list_holders(res, b);
    target_free(res);
    buf_free(&sql);
    return rc;
}

/* Appends " on table `db`.`t`" for the tables of t's database that k (a
 * connection of its own) finds in use or locked by a session (SHOW OPEN
 * TABLES: LOCK TABLES shows there). */
static int tables_in_use(struct target *t, struct target *k, struct buf *b)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_LINE);
    struct error ignored;
    target_result *res = NULL;
    int rc = buf_puts(&sql, "SHOW OPEN TABLES FROM ") | target_quote_ident(&sql, t->database) |
             buf_puts(&sql, " WHERE In_use > 0");
    if (rc == 0 &&
        (res = target_select_buf(k, &sql, "reading the tables in use", &ignored)) != NULL) {
        char **row;
        for (int n = 0; rc == 0 && n < 5 && (row = target_next(res)) != NULL; n++)
            rc = buf_puts(b, n ? ", " : " on table ") | target_quote_ident(b, row[0]) |
                 buf_putc(b, '.') | target_quote_ident(b, row[1]);
    }
    target_free(res);
    buf_free(&sql);
    return rc;
}

/* ": waited N s (--lock-wait-timeout) for a lock another session holds on
 * table `db`.`t` (...)" with the sessions that may hold it, looked up over a
 * connection of its own (what it cannot see is left out). */
static int lock_wait(struct target *t, struct buf *b)
{
    int rc = t->lock_wait > 0
                 ? buf_printf(b, ": waited %d s (--lock-wait-timeout)", t->lock_wait)
                 : buf_printf(b, ": waited %.0f s (the server's lock wait timeout)", t->last_wait);
    struct target k = {0};
    struct error ignored;
    bool outer = !looking && t->url != NULL && t->database != NULL, look = false;
    if (outer) {
        looking = true;
        look = target_connect_quick(&k, t->url, LOOKUP_TIMEOUT, &ignored) == 0;
    }
    rc |= buf_puts(b, " for a lock another session holds");
    if (look)
        rc |= tables_in_use(t, &k, b);
    rc |= buf_puts(b, " (LOCK TABLES, DDL or a long transaction)");
    if (look)
        rc |= holders(&k, b);
    if (k.my != NULL)
        target_close(&k);
    if (outer)
        looking = false;
    return rc;
}

int target_why(struct target *t, struct buf *b)
{
    if (target_watch_cancelled(t))
        return buf_printf(b, ": cancelled on SIGINT/SIGTERM after %.0f s", t->last_wait);
    if (target_lock_wait(t))
        return lock_wait(t, b);
    if (!target_timed_out(t))
        return 0;
    int rc = buf_puts(b, ": no answer from ");
    if (rc == 0 && target_where(t, b) < 0)
        rc = -1;
    return rc | buf_printf(b, " within %d s (--net-timeout): the server or the network stalls",
                           t->net_timeout);
}

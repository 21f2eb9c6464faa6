/* writer: backend selection and what the backends share: statements run
 * after a savepoint with their warnings read, and bisection of a refused
 * batch down to its offending rows (see writer.h). */
#include "writer.h"

#include <stdio.h>
#include <string.h>

int writer_init(struct writer *w, enum config_method m, struct target *tgt, size_t stmt_bytes,
                struct error *err)
{
    memset(w, 0, sizeof *w);
    w->tgt = tgt;
    if (m == CONFIG_METHOD_AUTO)
        m = tgt != NULL && tgt->local_infile && target_client_local_infile(tgt)
                ? CONFIG_METHOD_LOAD
                : CONFIG_METHOD_INSERT;
    w->ops = m == CONFIG_METHOD_DRYRUN ? &writer_dryrun_ops
             : m == CONFIG_METHOD_LOAD ? &writer_load_ops
                                       : &writer_insert_ops;
    w->max_statement = stmt_bytes;
    w->max_packet = stmt_bytes;
    if (tgt != NULL && tgt->max_packet > 0) {
        /* stay below max_allowed_packet, with room for the protocol */
        w->max_packet = tgt->max_packet > 8192 ? tgt->max_packet - 4096 : tgt->max_packet / 2;
        if (w->max_statement > w->max_packet)
            w->max_statement = w->max_packet;
    }
    if (w->ops != &writer_dryrun_ops && tgt == NULL)
        return error_set(err, "the %s writer needs a target connection", w->ops->name);
    if (w->ops == &writer_load_ops && !tgt->local_infile)
        return error_set(err, "--method load: the server does not allow LOAD DATA LOCAL INFILE "
                              "(local_infile is OFF); use --method insert or auto");
    return 0;
}

int writer_open(struct writer *w, const struct writer_table *t, struct error *err)
{
    return w->ops->open(w, t, err);
}

int writer_write(struct writer *w, const struct batch *b, struct error *err)
{
    return w->ops->write_batch(w, b, err);
}

int writer_commit(struct writer *w, struct error *err)
{
    return w->ops->commit(w, err);
}

void writer_close(struct writer *w)
{
    w->ops->close(w);
}

void writer_on_reject(struct writer *w, writer_reject_fn fn, void *ctx)
{
    w->on_reject = fn;
    w->reject_ctx = ctx;
}

/* Server errors that concern the data of some row (so bisection finds it);
 * anything else fails the batch. */
static int row_level(unsigned e)
{
    static const unsigned codes[] = {1048, 1062, 1216, 1217, 1263, 1264, 1265, 1292, 1300, 1364,
                                     1366, 1367, 1406, 1411, 1451, 1452, 1690, 3140, 3819, 4025};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        if (codes[i] == e)
            return 1;
    return 0;
}

/* Reads SHOW WARNINGS; returns 1 with msg set when one is a Warning or Error
 * (Notes are informational) or none can be read, 0 when all are Notes, -1 on
 * failure. */
static int read_warnings(struct writer *w, char *msg, size_t msgsize, struct error *err)
{
    MYSQL_RES *res = target_select(w->tgt, "SHOW WARNINGS", 13, "SHOW WARNINGS", err);
    if (res == NULL)
        return -1;
    MYSQL_ROW row;
    int found = 0;
    if (mysql_num_rows(res) == 0) { /* warnings were counted but cannot be read */
        snprintf(msg, msgsize, "server reported %u warning(s) that could not be read",
                 mysql_warning_count(w->tgt->my));
        found = 1;
    }
    while ((row = mysql_fetch_row(res)) != NULL)
        if (!found && row[0] != NULL && strcmp(row[0], "Note") != 0) {
            snprintf(msg, msgsize, "server %s %s: %s", row[0], row[1] ? row[1] : "?",
                     row[2] ? row[2] : "?");
            found = 1;
        }
    mysql_free_result(res);
    return found;
}

int writer_sql_commit(struct writer *w, struct error *err)
{
    w->in_txn = false;
    return target_commit(w->tgt, err);
}

void writer_sql_rollback(struct writer *w)
{
    struct error ignored;
    if (w->in_txn)
        target_rollback(w->tgt, &ignored);
    w->in_txn = false;
}

int writer_exec_checked(struct writer *w, const char *sql, size_t len, char *msg, size_t msgsize,
                        struct error *err)
{
    w->in_txn = true;
    if (target_execs(w->tgt, "SAVEPOINT litelift_stmt", err) != 0)
        return -1;
    int problem = 0;
    if (target_query(w->tgt, sql, len) != 0) {
        unsigned e = mysql_errno(w->tgt->my);
        if (!row_level(e))
            return target_error(w->tgt, err, "loading a batch");
        snprintf(msg, msgsize, "server refused it: MySQL error %u (%s): %s", e,
                 mysql_sqlstate(w->tgt->my), mysql_error(w->tgt->my));
        problem = 1;
    } else if (mysql_warning_count(w->tgt->my) > 0) {
        problem = read_warnings(w, msg, msgsize, err);
        if (problem < 0)
            return -1;
    }
    if (problem && target_execs(w->tgt, "ROLLBACK TO SAVEPOINT litelift_stmt", err) != 0)
        return -1;
    return problem;
}

int writer_bisect(struct writer *w, const struct batch *b, size_t a, size_t z, writer_send_fn send,
                  struct error *err)
{
    char msg[1024];
    if (a >= z)
        return 0;
    int rc = send(w, b, a, z, msg, sizeof msg, err);
    if (rc <= 0)
        return rc;
    if (z - a == 1) {
        w->on_reject(w->reject_ctx, b, a, msg);
        return 0;
    }
    size_t mid = a + (z - a) / 2;
    if (writer_bisect(w, b, a, mid, send, err) != 0)
        return -1;
    return writer_bisect(w, b, mid, z, send, err);
}

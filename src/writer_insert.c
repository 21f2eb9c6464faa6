/* writer_insert: multi-row INSERT backend. Rows are sent as
 *   INSERT INTO `t` (`project`, `c1`, ...) VALUES ('p', ...), (...), ...
 * statements of at most max_statement bytes; strings are escaped with the
 * connection's escaping function, bytes sent as hex literals, so any value
 * travels as data and never as SQL. Each statement runs after a SAVEPOINT:
 * when the server refuses it, or accepts it with warnings, it is undone and
 * its rows are bisected until the offending rows are found and rejected with
 * the server's message; the others are loaded. No INSERT IGNORE, ever. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writer.h"

struct ins {
    struct buf head;    /* INSERT INTO ... VALUES */
    struct buf project; /* "('escaped project id'," */
    struct buf stmt;    /* statement being built */
    struct buf tuple;   /* one row */
    char msg[1024];     /* the server's word on the last refused statement */
    int in_txn;
};

static void ins_free(struct ins *s)
{
    buf_free(&s->head);
    buf_free(&s->project);
    buf_free(&s->stmt);
    buf_free(&s->tuple);
    free(s);
}

static int ins_open(struct writer *w, const struct writer_table *t, struct error *err)
{
    struct ins *s = w->priv;
    if (s == NULL) {
        s = calloc(1, sizeof *s);
        if (s == NULL)
            return error_set(err, "out of memory");
        buf_init(&s->head, 0);
        buf_init(&s->project, 0);
        buf_init(&s->stmt, w->max_statement);
        buf_init(&s->tuple, 0);
        w->priv = s;
    }
    buf_reset(&s->head);
    buf_reset(&s->project);
    int bad = buf_puts(&s->head, "INSERT INTO ") | target_quote_ident(&s->head, t->table) |
              buf_puts(&s->head, " (") | target_quote_ident(&s->head, t->project_column);
    for (size_t i = 0; i < t->ncols; i++)
        bad |= buf_putc(&s->head, ',') | target_quote_ident(&s->head, t->cols[i]);
    bad |= buf_puts(&s->head, ") VALUES ");
    bad |= buf_putc(&s->project, '(') |
           target_quote_string(w->tgt, &s->project, t->project_id, strlen(t->project_id));
    return bad ? error_set(err, "out of memory") : 0;
}

/* Encodes one row as "('project',v1,...)" into s->tuple. */
static int encode_row(struct writer *w, struct ins *s, const struct batch *b, size_t r)
{
    const struct xform_val *v = batch_row(b, r);
    buf_reset(&s->tuple);
    int bad = buf_append(&s->tuple, s->project.data, s->project.len);
    for (size_t c = 0; c < b->ncols; c++) {
        bad |= buf_putc(&s->tuple, ',');
        const char *p = batch_bytes(b, &v[c]);
        switch (v[c].kind) {
        case XFORM_NULL:
            bad |= buf_puts(&s->tuple, "NULL");
            break;
        case XFORM_NUM:
            bad |= buf_append(&s->tuple, p, v[c].len);
            break;
        case XFORM_STR:
            bad |= target_quote_string(w->tgt, &s->tuple, p, v[c].len);
            break;
        case XFORM_BIN:
            bad |= buf_puts(&s->tuple, "X'") | buf_hex(&s->tuple, p, v[c].len) |
                   buf_putc(&s->tuple, '\'');
            break;
        }
    }
    return bad | buf_putc(&s->tuple, ')');
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

/* Reads SHOW WARNINGS; returns 1 with s->msg set when one is a Warning or
 * Error (Notes are informational), 0 when none is, -1 on failure. */
static int read_warnings(struct writer *w, struct ins *s, struct error *err)
{
    if (mysql_query(w->tgt->my, "SHOW WARNINGS") != 0)
        return target_error(w->tgt, err, "SHOW WARNINGS");
    MYSQL_RES *res = mysql_store_result(w->tgt->my);
    if (res == NULL)
        return target_error(w->tgt, err, "SHOW WARNINGS");
    MYSQL_ROW row;
    int found = 0;
    while ((row = mysql_fetch_row(res)) != NULL)
        if (!found && row[0] != NULL && strcmp(row[0], "Note") != 0) {
            snprintf(s->msg, sizeof s->msg, "server %s %s: %s", row[0], row[1] ? row[1] : "?",
                     row[2] ? row[2] : "?");
            found = 1;
        }
    mysql_free_result(res);
    return found;
}

/* Runs s->stmt after a savepoint. Returns 0 when it loaded cleanly, 1 when the
 * server refused it for a row's data or warned (it is undone; s->msg says
 * why), -1 on any other failure. */
static int run_statement(struct writer *w, struct ins *s, struct error *err)
{
    s->in_txn = 1;
    if (target_execs(w->tgt, "SAVEPOINT litelift_stmt", err) != 0)
        return -1;
    int problem = 0;
    if (mysql_real_query(w->tgt->my, s->stmt.data, s->stmt.len) != 0) {
        unsigned e = mysql_errno(w->tgt->my);
        if (!row_level(e))
            return target_error(w->tgt, err, "INSERT failed");
        snprintf(s->msg, sizeof s->msg, "server refused it: MySQL error %u (%s): %s", e,
                 mysql_sqlstate(w->tgt->my), mysql_error(w->tgt->my));
        problem = 1;
    } else if (mysql_warning_count(w->tgt->my) > 0) {
        problem = read_warnings(w, s, err);
        if (problem < 0)
            return -1;
    }
    if (problem && target_execs(w->tgt, "ROLLBACK TO SAVEPOINT litelift_stmt", err) != 0)
        return -1;
    return problem;
}

/* Sends rows [a, z) in statements of at most max_statement bytes; a refused
 * statement is split in halves until its bad rows stand alone. */
static int send_range(struct writer *w, struct ins *s, const struct batch *b, size_t a, size_t z,
                      struct error *err)
{
    size_t r = a;
    while (r < z) {
        size_t first = r;
        buf_reset(&s->stmt);
        while (r < z) {
            if (encode_row(w, s, b, r) != 0)
                return error_set(err, "out of memory encoding a row");
            if (s->head.len + s->tuple.len > w->max_statement) {
                if (r > first)
                    break; /* send what we have, then reject this one alone */
                char msg[160];
                snprintf(msg, sizeof msg,
                         "row of %zu bytes does not fit in one statement of at most %zu bytes "
                         "(raise max_allowed_packet)",
                         s->tuple.len, w->max_statement);
                w->on_reject(w->reject_ctx, b, r, msg);
                first = ++r;
                continue;
            }
            if (r > first && s->stmt.len + 1 + s->tuple.len > w->max_statement)
                break;
            int bad = r == first ? buf_append(&s->stmt, s->head.data, s->head.len)
                                 : buf_putc(&s->stmt, ',');
            if (bad || buf_append(&s->stmt, s->tuple.data, s->tuple.len) != 0)
                return error_set(err, "out of memory building a statement");
            r++;
        }
        if (r == first)
            continue;
        int rc = run_statement(w, s, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        if (r - first == 1) {
            w->on_reject(w->reject_ctx, b, first, s->msg);
        } else {
            size_t mid = first + (r - first) / 2;
            if (send_range(w, s, b, first, mid, err) != 0 || send_range(w, s, b, mid, r, err) != 0)
                return -1;
        }
    }
    return 0;
}

static int ins_write(struct writer *w, const struct batch *b, struct error *err)
{
    return send_range(w, w->priv, b, 0, b->nrows, err);
}

static int ins_commit(struct writer *w, struct error *err)
{
    struct ins *s = w->priv;
    if (s != NULL)
        s->in_txn = 0;
    return target_execs(w->tgt, "COMMIT", err);
}

static void ins_close(struct writer *w)
{
    struct ins *s = w->priv;
    if (s == NULL)
        return;
    if (s->in_txn) {
        struct error ignored;
        target_execs(w->tgt, "ROLLBACK", &ignored);
    }
    ins_free(s);
    w->priv = NULL;
}

const struct writer_ops writer_insert_ops = {"INSERT", ins_open, ins_write, ins_commit, ins_close};

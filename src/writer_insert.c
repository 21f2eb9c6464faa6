/* writer_insert: multi-row INSERT backend, for servers without LOAD DATA
 * LOCAL (some MySQL-protocol engines) and as --method insert. Rows are sent as
 *   INSERT INTO `t` (`project`, `c1`, ...) VALUES ('p', ...), (...), ...
 * statements of at most max_statement bytes; strings are escaped with the
 * connection's escaping function, bytes sent as hex literals, so any value
 * travels as data and never as SQL. A statement the server refuses, or
 * accepts with warnings, is undone and bisected (writer_bisect) until the
 * offending rows are found and rejected with the server's message; the
 * others are loaded. No INSERT IGNORE, ever. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writer.h"

struct ins {
    struct buf head;    /* INSERT INTO ... VALUES */
    struct buf project; /* "('escaped project id'," */
    struct buf stmt;    /* statement being built */
    struct buf tuple;   /* one row */
    size_t from, to;    /* the rows stmt holds, when from < to */
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
            return error_oom(err);
        buf_init(&s->head, BUF_CAP_SQL);
        buf_init(&s->project, BUF_CAP_SQL);
        buf_init(&s->stmt, w->max_packet);
        buf_init(&s->tuple, BUF_CAP_ROW);
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
    return bad ? error_oom(err) : 0;
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

/* writer_send_fn: one INSERT of rows [a, z) (which fit one statement):
 * the statement ins_write built, or one built here for the rows. */
static int send_rows(struct writer *w, const struct batch *b, size_t a, size_t z, char *msg,
                     size_t msgsize, struct error *err)
{
    struct ins *s = w->priv;
    if (a != s->from || z != s->to) {
        s->from = s->to = 0;
        buf_reset(&s->stmt);
        for (size_t r = a; r < z; r++) {
            int bad =
                r == a ? buf_append(&s->stmt, s->head.data, s->head.len) : buf_putc(&s->stmt, ',');
            if (bad || encode_row(w, s, b, r) != 0 ||
                buf_append(&s->stmt, s->tuple.data, s->tuple.len) != 0)
                return error_set(err, "out of memory building a statement");
        }
    }
    return writer_exec_checked(w, s->stmt.data, s->stmt.len, msg, msgsize, err);
}

/* Builds in s->stmt the statement of the longest run of rows of b from
 * *r on that fits max_statement, each row encoded once, and moves *r past
 * it; a row alone above max_statement goes alone. Returns 0 or -1. */
static int build_rows(struct writer *w, struct ins *s, const struct batch *b, size_t *r)
{
    size_t first = *r;
    buf_reset(&s->stmt);
    if (buf_append(&s->stmt, s->head.data, s->head.len) != 0)
        return -1;
    while (*r < b->nrows) {
        if (encode_row(w, s, b, *r) != 0)
            return -1;
        if (*r > first && s->stmt.len + 1 + s->tuple.len > w->max_statement)
            break;
        if ((*r > first && buf_putc(&s->stmt, ',') != 0) ||
            buf_append(&s->stmt, s->tuple.data, s->tuple.len) != 0)
            return -1;
        (*r)++;
        if (*r - first == 1 && s->stmt.len > w->max_statement)
            break; /* one row above --batch-bytes: alone */
    }
    s->from = first;
    s->to = *r;
    return 0;
}

static int ins_write(struct writer *w, const struct batch *b, struct error *err)
{
    struct ins *s = w->priv;
    size_t r = 0;
    while (r < b->nrows) {
        /* one row above --batch-bytes goes alone, if the server takes it */
        if (encode_row(w, s, b, r) != 0)
            return error_set(err, "out of memory encoding a row");
        if (s->head.len + s->tuple.len > w->max_packet) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "row of %zu bytes does not fit in one statement of at most %zu bytes "
                     "(raise max_allowed_packet)",
                     s->tuple.len, w->max_packet);
            w->on_reject(w->reject_ctx, b, r++, msg);
            continue;
        }
        size_t first = r;
        if (build_rows(w, s, b, &r) != 0)
            return error_set(err, "out of memory building a statement");
        if (writer_bisect(w, b, first, r, send_rows, err) != 0)
            return -1;
    }
    return 0;
}

static void ins_close(struct writer *w)
{
    struct ins *s = w->priv;
    if (s == NULL)
        return;
    writer_sql_rollback(w);
    ins_free(s);
    w->priv = NULL;
}

const struct writer_ops writer_insert_ops = {"INSERT", ins_open, ins_write, writer_sql_commit,
                                             ins_close};

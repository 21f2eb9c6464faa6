/* writer_load: streaming LOAD DATA LOCAL INFILE backend, the fast path. The
 * "file" never exists: mysql_set_local_infile_handler() feeds the server rows
 * encoded on the fly from the batch in LOAD DATA's text format (tab between
 * fields, newline after rows, \N for NULL, and backslash, tab, newline,
 * carriage return and NUL escaped with a backslash), declared CHARACTER SET
 * binary so that every byte arrives as it is. The project id is set with a
 * SET clause; BIT columns go through a variable and CAST, text columns in
 * another character set (latin1...) through a variable read as utf8mb4. With LOCAL the
 * server reports refused rows as warnings, so every LOAD runs after a
 * savepoint, its warnings are read, and a warned batch is undone and bisected
 * down to its offending rows (writer_bisect). */
#include <stdlib.h>
#include <string.h>

#include "val.h"
#include "writer.h"

struct load {
    struct buf stmt;  /* the LOAD DATA statement of the open table */
    struct buf chunk; /* encoded rows not yet handed to the client library */
    size_t pos;       /* bytes of chunk already handed over */
    const struct batch *b;
    size_t row, end; /* rows still to encode */
};

int writer_load_encode_row(struct buf *out, const struct batch *b, size_t r)
{
    const struct xform_val *v = batch_row(b, r);
    int bad = 0;
    for (size_t c = 0; c < b->ncols; c++) {
        if (c)
            bad |= buf_putc(out, '\t');
        if (v[c].kind == XFORM_NULL)
            bad |= buf_append(out, "\\N", 2);
        else
            bad |= val_escape_text(out, batch_bytes(b, &v[c]), v[c].len);
    }
    bad |= buf_putc(out, '\n');
    return bad ? -1 : 0;
}

/* Client-library callbacks: the "file" is the rows [row, end) of the batch. */
static int infile_init(void **ptr, const char *name, void *userdata)
{
    (void)name;
    *ptr = userdata;
    return 0;
}

static int infile_read(void *ptr, char *buf, unsigned int len)
{
    struct load *s = ptr;
    while (s->chunk.len - s->pos < len && s->row < s->end) {
        if (s->pos > 0 && s->pos == s->chunk.len) {
            buf_reset(&s->chunk);
            s->pos = 0;
        }
        if (writer_load_encode_row(&s->chunk, s->b, s->row++) != 0)
            return -1;
    }
    size_t n = s->chunk.len - s->pos;
    if (n > len)
        n = len;
    memcpy(buf, s->chunk.data + s->pos, n);
    s->pos += n;
    if (s->pos == s->chunk.len) {
        buf_reset(&s->chunk);
        s->pos = 0;
    }
    return (int)n;
}

static void infile_end(void *ptr)
{
    (void)ptr;
}

static int infile_error(void *ptr, char *msg, unsigned int len)
{
    (void)ptr;
    strncpy(msg, "litelift: out of memory encoding rows", len);
    if (len > 0)
        msg[len - 1] = '\0';
    return 2008; /* CR_OUT_OF_MEMORY */
}

/* Whether column i of t is loaded through a variable and the SET clause: a
 * BIT column (cast), a text column in another character set (converted), and
 * an AUTO_INCREMENT column, whose 0 LOAD DATA would otherwise replace by the
 * next id, NO_AUTO_VALUE_ON_ZERO or not (MariaDB 10.11). */
static bool via_variable(const struct writer_table *t, size_t i)
{
    return t->bits[i] || t->convert[i] || (t->autoinc != NULL && t->autoinc[i]);
}

static int load_open(struct writer *w, const struct writer_table *t, struct error *err)
{
    struct load *s = w->priv;
    if (s == NULL) {
        s = calloc(1, sizeof *s);
        if (s == NULL)
            return error_oom(err);
        buf_init(&s->stmt, BUF_CAP_SQL);
        buf_init(&s->chunk, BUF_CAP_BULK);
        w->priv = s;
    }
    buf_reset(&s->stmt);
    int bad = buf_puts(&s->stmt, "LOAD DATA LOCAL INFILE 'litelift-batch' INTO TABLE ") |
              target_quote_ident(&s->stmt, t->table) |
              buf_puts(&s->stmt, " CHARACTER SET binary FIELDS TERMINATED BY '\\t' "
                                 "ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (");
    for (size_t i = 0; i < t->ncols; i++) {
        bad |= i ? buf_putc(&s->stmt, ',') : 0;
        bad |= via_variable(t, i) ? buf_printf(&s->stmt, "@v%zu", i)
                                  : target_quote_ident(&s->stmt, t->cols[i]);
    }
    bad |= buf_puts(&s->stmt, ") SET ") | target_quote_ident(&s->stmt, t->project_column) |
           buf_puts(&s->stmt, " = ") |
           target_quote_string(w->tgt, &s->stmt, t->project_id, strlen(t->project_id));
    for (size_t i = 0; i < t->ncols; i++)
        if (via_variable(t, i))
            bad |= buf_putc(&s->stmt, ',') | target_quote_ident(&s->stmt, t->cols[i]) |
                   buf_printf(&s->stmt,
                              t->bits[i]      ? " = CAST(@v%zu AS UNSIGNED)"
                              : t->convert[i] ? " = CONVERT(@v%zu USING utf8mb4)"
                                              : " = @v%zu",
                              i);
    if (bad)
        return error_oom(err);
    mysql_set_local_infile_handler(w->tgt->my, infile_init, infile_read, infile_end, infile_error,
                                   s);
    return 0;
}

/* writer_send_fn: one LOAD DATA of rows [a, z). */
static int send_rows(struct writer *w, const struct batch *b, size_t a, size_t z, char *msg,
                     size_t msgsize, struct error *err)
{
    struct load *s = w->priv;
    s->b = b;
    s->row = a;
    s->end = z;
    buf_reset(&s->chunk);
    s->pos = 0;
    return writer_exec_checked(w, s->stmt.data, s->stmt.len, msg, msgsize, err);
}

static int load_write(struct writer *w, const struct batch *b, struct error *err)
{
    return writer_bisect(w, b, 0, b->nrows, send_rows, err);
}

static void load_close(struct writer *w)
{
    struct load *s = w->priv;
    if (s == NULL)
        return;
    writer_sql_rollback(w);
    buf_free(&s->stmt);
    buf_free(&s->chunk);
    free(s);
    w->priv = NULL;
}

const struct writer_ops writer_load_ops = {"LOAD DATA", load_open, load_write, writer_sql_commit,
                                           load_close};

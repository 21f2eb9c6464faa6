/* writer_dryrun: the backend of --dry-run. Rows are read and converted as in a
 * real run, then dropped here: nothing is written anywhere. Each row is
 * measured as writer_insert would send it, so that the pre-flight can tell
 * whether the widest one fits the server's max_allowed_packet. */
#include "writer.h"

#include <stdlib.h>
#include <string.h>

#include "val.h"

/* The widest row of the table opened. */
struct dry {
    size_t head;    /* "INSERT INTO `t` (`project`,`c1`,...) VALUES " */
    size_t project; /* "('project'" */
    size_t bytes, col, col_bytes;
    struct buf key;
};

/* Bytes of s[0..n) as a quoted literal. */
static size_t quoted(const char *s, size_t n)
{
    return n + 2 + val_sql_escapes(s, n);
}

static int dry_open(struct writer *w, const struct writer_table *t, struct error *err)
{
    struct dry *d = w->priv;
    if (d == NULL) {
        if ((d = calloc(1, sizeof *d)) == NULL)
            return error_oom(err);
        buf_init(&d->key, BUF_CAP_ROW);
        w->priv = d;
    }
    struct buf head;
    buf_init(&head, BUF_CAP_SQL);
    int bad = buf_puts(&head, "INSERT INTO ") | target_quote_ident(&head, t->table) |
              buf_puts(&head, " (") | target_quote_ident(&head, t->project_column);
    for (size_t i = 0; i < t->ncols; i++)
        bad |= buf_putc(&head, ',') | target_quote_ident(&head, t->cols[i]);
    bad |= buf_puts(&head, ") VALUES ");
    d->head = head.len;
    buf_free(&head);
    d->project = 1 + quoted(t->project_id, strlen(t->project_id));
    d->bytes = d->col = d->col_bytes = 0;
    buf_reset(&d->key);
    return bad ? error_oom(err) : 0;
}

/* Bytes of value v (of b) in an INSERT statement, as writer_insert writes it. */
static size_t value_bytes(const struct batch *b, const struct xform_val *v)
{
    switch (v->kind) {
    case XFORM_NULL:
        return 4;
    case XFORM_STR:
        return quoted(batch_bytes(b, v), v->len);
    case XFORM_BIN:
        return 3 + 2 * v->len;
    case XFORM_NUM:
        break;
    }
    return v->len;
}

static int dry_write(struct writer *w, const struct batch *b, struct error *err)
{
    struct dry *d = w->priv;
    for (size_t r = 0; r < b->nrows; r++) {
        const struct xform_val *v = batch_row(b, r);
        size_t bytes = d->head + d->project + 1, col = 0, col_bytes = 0;
        for (size_t c = 0; c < b->ncols; c++) {
            size_t n = value_bytes(b, &v[c]);
            bytes += 1 + n;
            if (n > col_bytes) {
                col = c;
                col_bytes = n;
            }
        }
        if (bytes <= d->bytes)
            continue;
        size_t klen;
        const char *key = batch_key(b, r, &klen);
        buf_reset(&d->key);
        if (buf_append(&d->key, key, klen) != 0)
            return error_oom(err);
        d->bytes = bytes;
        d->col = col;
        d->col_bytes = col_bytes;
    }
    return 0;
}

static int dry_commit(struct writer *w, struct error *err)
{
    (void)w;
    (void)err;
    return 0;
}

static void dry_close(struct writer *w)
{
    struct dry *d = w->priv;
    if (d != NULL)
        buf_free(&d->key);
    free(d);
    w->priv = NULL;
}

void writer_dryrun_widest(const struct writer *w, size_t *bytes, size_t *col, size_t *col_bytes,
                          const char **key, size_t *klen)
{
    const struct dry *d = w->priv;
    *bytes = d != NULL ? d->bytes : 0;
    *col = d != NULL ? d->col : 0;
    *col_bytes = d != NULL ? d->col_bytes : 0;
    *key = d != NULL ? d->key.data : NULL;
    *klen = d != NULL ? d->key.len : 0;
}

const struct writer_ops writer_dryrun_ops = {"dry-run", dry_open, dry_write, dry_commit, dry_close};

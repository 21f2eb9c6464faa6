/* verify: post-load validation (see verify.h). */
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "val.h"
#include "xform.h"

int verify_count(struct target *t, const char *table, const char *project_column,
                 const char *project_id, long long *count, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = -1;
    if (buf_puts(&sql, "SELECT COUNT(*) FROM ") || target_quote_ident(&sql, table) ||
        buf_puts(&sql, " WHERE ") || target_quote_ident(&sql, project_column) ||
        buf_puts(&sql, " = ") || target_quote_string(t, &sql, project_id, strlen(project_id))) {
        error_oom(err);
        goto out;
    }
    rc = target_query_ll_buf(t, &sql, count, err);
    if (rc == 0)
        rc = target_commit(t, err); /* end the read's implicit transaction */
out:
    buf_free(&sql);
    return rc;
}

/* Appends the canonical form of one value of column c (p == NULL: NULL):
 * a tag byte, a 4-byte length and the bytes. */
static int canon(struct buf *out, const struct schema_column *c, const char *p, size_t n)
{
    char tmp[64];
    const char *v = p;
    size_t len = n;
    if (p == NULL) {
        v = "";
        len = 0;
    } else if (c->kind == SCHEMA_DOUBLE || c->kind == SCHEMA_FLOAT) {
        memcpy(tmp, p, n < 63 ? n : 63);
        tmp[n < 63 ? n : 63] = '\0';
        if (c->kind == SCHEMA_FLOAT) {
            float f = strtof(tmp, NULL);
            memcpy(tmp, &f, sizeof f);
            len = sizeof f;
        } else {
            double d = strtod(tmp, NULL);
            memcpy(tmp, &d, sizeof d);
            len = sizeof d;
        }
        v = tmp;
    } else if (c->kind == SCHEMA_INT || c->kind == SCHEMA_BOOL || c->kind == SCHEMA_YEAR ||
               c->kind == SCHEMA_BIT) {
        memcpy(tmp, p, n < 63 ? n : 63);
        tmp[n < 63 ? n : 63] = '\0';
        len = (size_t)(tmp[0] == '-' ? snprintf(tmp, sizeof tmp, "%lld", strtoll(tmp, NULL, 10))
                                     : snprintf(tmp, sizeof tmp, "%llu", strtoull(tmp, NULL, 10)));
        v = tmp;
    } else if (c->kind == SCHEMA_DECIMAL) {
        size_t s = (n > 0 && p[0] == '+') ? 1 : 0;
        if (memchr(p, '.', n) != NULL) {
            while (len > s && p[len - 1] == '0')
                len--;
            if (len > s && p[len - 1] == '.')
                len--;
        }
        v = p + s;
        len -= s;
        if (len == 2 && memcmp(v, "-0", 2) == 0) {
            v = "0";
            len = 1;
        }
    } else if (c->fixed) {
        char pad = c->kind == SCHEMA_BINARY ? '\0' : ' ';
        while (len > 0 && v[len - 1] == pad)
            len--;
    }
    unsigned char hdr[5] = {p == NULL ? 'N' : 'V', (unsigned char)(len >> 24),
                            (unsigned char)(len >> 16), (unsigned char)(len >> 8),
                            (unsigned char)len};
    return buf_append(out, hdr, 5) | buf_append(out, v, len);
}

/* The target's ORDER BY matching reader_table_begin_by_pk, or an empty
 * string when the order cannot be reproduced (then only the order-independent
 * checksum decides). */
static int target_order(struct target *tgt, const struct reader_table *st,
                        const struct plan_table *p, const char *project_column, struct buf *ord,
                        bool *exact, struct error *err)
{
    *exact = st->npk > 0;
    for (size_t k = 0; k < st->npk; k++) {
        size_t m;
        for (m = 0; m < p->nmap && p->cols[m].src != st->pk_cols[k]; m++)
            ;
        if (m == p->nmap) {
            buf_reset(ord);
            *exact = false;
            return 0;
        }
        bool text = p->cols[m].x.col->kind == SCHEMA_TEXT;
        if (text)
            *exact = false; /* a collation may order it differently */
        if ((k && buf_putc(ord, ',')) || (text && buf_puts(ord, "CAST(")) ||
            target_quote_ident(ord, p->tgt_names[m]) || (text && buf_puts(ord, " AS BINARY)")))
            return error_oom(err);
    }
    for (size_t m = 0; st->npk > 0 && m < p->nmap; m++)
        if (p->cols[m].src == st->ncols && /* litelift_rowid: ties of a key holding NULLs */
            (buf_putc(ord, ',') || target_quote_ident(ord, p->tgt_names[m])))
            return error_oom(err);
    if (st->npk > 0)
        return 0;
    /* no declared key: rows were inserted in rowid order, so an AUTO_INCREMENT
     * key of the target follows it */
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    target_result *res = NULL;
    int rc = -1;
    if (buf_puts(&sql, "SELECT k.COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE k JOIN "
                       "information_schema.COLUMNS c USING (TABLE_SCHEMA, TABLE_NAME, "
                       "COLUMN_NAME) WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ") ||
        target_quote_string(tgt, &sql, p->tgt->name, strlen(p->tgt->name)) ||
        buf_puts(&sql, " AND k.CONSTRAINT_NAME = 'PRIMARY' AND c.EXTRA LIKE "
                       "'%auto_increment%'")) {
        error_oom(err);
        goto out;
    }
    if ((res = target_select_buf(tgt, &sql, "reading the target's primary key", err)) == NULL)
        goto out;
    char **row = target_next(res);
    if (row != NULL && strcmp(row[0], project_column) != 0 && target_quote_ident(ord, row[0]))
        error_oom(err);
    else
        rc = 0;
out:
    target_free(res);
    buf_free(&sql);
    return rc;
}

/* 64-bit FNV-1a of a canonical row. */
static uint64_t row_hash(const struct buf *row)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < row->len; i++)
        h = (h ^ (unsigned char)row->data[i]) * 1099511628211ULL;
    return h;
}

static void note_diff(struct verify_result *res, struct reader *r, const char *what,
                      const char *column)
{
    if (res->first_diff.len > 0)
        return;
    buf_puts(&res->first_diff, "key (");
    reader_key(r, reader_row(r), &res->first_diff);
    buf_printf(&res->first_diff, ") %s%s", what, column ? column : "");
}

/* One verify_checksum pass: the plan, the two row streams, and a row's
 * converted values and canonical forms. */
struct scan {
    struct reader *r;
    const struct plan_table *p;
    const struct ckpt_rejects_keys *skip;
    struct verify_result *res;
    target_result *mres; /* the target's rows, in the same order */
    bool tgt_done;       /* mres is exhausted */
    struct xform_val *vals;
    size_t *soff; /* column starts in srow */
    struct buf arena, why, srow, trow;
};

/* Appends the SELECT of the project's target rows in the order ord (none
 * when empty). Returns 0 or -1. */
static int select_sql(struct target *tgt, const struct plan_table *p, const char *project_column,
                      const char *project_id, const struct buf *ord, struct buf *sql)
{
    int bad = buf_puts(sql, "SELECT ");
    for (size_t m = 0; m < p->nmap; m++) {
        /* BIT as its number; FLOAT widened, as the text protocol shows only
         * 6 of its digits */
        enum schema_kind k = p->cols[m].x.col->kind;
        const char *pre = k == SCHEMA_BIT ? "CONCAT(" : k == SCHEMA_FLOAT ? "CAST(" : "";
        const char *post = k == SCHEMA_BIT ? "+0)" : k == SCHEMA_FLOAT ? " AS DOUBLE)" : "";
        bad |= (m ? buf_putc(sql, ',') : 0) | buf_puts(sql, pre) |
               target_quote_ident(sql, p->tgt_names[m]) | buf_puts(sql, post);
    }
    if (p->nmap == 0)
        bad |= buf_putc(sql, '1');
    bad |= buf_puts(sql, " FROM ") | target_quote_ident(sql, p->tgt->name) |
           buf_puts(sql, " WHERE ") | target_quote_ident(sql, project_column) |
           buf_puts(sql, " = ") | target_quote_string(tgt, sql, project_id, strlen(project_id));
    if (ord->len > 0)
        bad |= buf_puts(sql, " ORDER BY ") | buf_append(sql, ord->data, ord->len);
    return bad ? -1 : 0;
}

/* Converts the reader's current row and appends its canonical form to
 * s->srow (column starts in s->soff). Returns 1 for a row the target should
 * hold, 0 for one it should not (rejected by the rules, or recorded as
 * refused by the server), -1 when out of memory. */
static int source_row(struct scan *s)
{
    const struct plan_table *p = s->p;
    buf_reset(&s->arena);
    buf_reset(&s->srow);
    unsigned flags = 0;
    size_t failed;
    int x = plan_convert_row(p, s->r, &s->arena, s->vals, &s->why, &flags, &failed);
    if (x != 0)
        return x < 0 ? -1 : 0;
    if (s->skip != NULL && s->skip->n > 0) {
        buf_reset(&s->why);
        if (reader_key_encode(s->r, &s->why) != 0)
            return -1;
        if (ckpt_rejects_has(s->skip, s->why.data, s->why.len))
            return 0;
    }
    for (size_t m = 0; m < p->nmap; m++) {
        s->soff[m] = s->srow.len;
        if (canon(&s->srow, p->cols[m].x.col,
                  s->vals[m].kind == XFORM_NULL ? NULL : s->arena.data + s->vals[m].off,
                  s->vals[m].len) != 0)
            return -1;
    }
    return 1;
}

/* Notes (when it is the first difference) that column m of the current row
 * differs, with the target's value. */
static void note_column_diff(struct scan *s, size_t m, const char *value, unsigned long len)
{
    struct buf *d = &s->res->first_diff;
    if (d->len > 0)
        return;
    note_diff(s->res, s->r, "differs in column ", s->p->tgt_names[m]);
    buf_puts(d, ": target has ");
    if (value == NULL)
        buf_puts(d, "NULL");
    else {
        buf_putc(d, '\'');
        val_render_text(d, (const unsigned char *)value, len, 60);
        buf_putc(d, '\'');
    }
}

/* Canonicalises a target row into s->trow and counts it; when compare, each
 * column is compared with the source row in s->srow. Returns 0 or -1 (out of
 * memory). */
static int target_row(struct scan *s, char **row, bool compare)
{
    const struct plan_table *p = s->p;
    unsigned long *lens = target_lengths(s->mres);
    buf_reset(&s->trow);
    for (size_t m = 0; m < p->nmap; m++) {
        size_t before = s->trow.len;
        if (canon(&s->trow, p->cols[m].x.col, row[m], row[m] ? lens[m] : 0) != 0)
            return -1;
        if (!compare)
            continue;
        size_t tlen = s->trow.len - before;
        size_t slen = (m + 1 < p->nmap ? s->soff[m + 1] : s->srow.len) - s->soff[m];
        if (slen != tlen || memcmp(s->srow.data + s->soff[m], s->trow.data + before, tlen) != 0)
            note_column_diff(s, m, row[m], lens[m]);
    }
    s->res->tgt_rows++;
    s->res->tgt_crc = crc32(s->res->tgt_crc, (const Bytef *)s->trow.data, (uInt)s->trow.len);
    s->res->tgt_sum += row_hash(&s->trow);
    return 0;
}

/* Walks the source rows and the target rows side by side. Returns 0, or -1
 * with err set. */
static int compare_rows(struct scan *s, struct error *err)
{
    struct verify_result *res = s->res;
    int step;
    while ((step = reader_next(s->r, err)) == 1) {
        int x = source_row(s);
        if (x < 0)
            return error_oom(err);
        if (x == 0)
            continue;
        res->src_rows++;
        res->src_crc = crc32(res->src_crc, (const Bytef *)s->srow.data, (uInt)s->srow.len);
        res->src_sum += row_hash(&s->srow);
        char **row = s->tgt_done ? NULL : target_next(s->mres);
        if (row == NULL) {
            s->tgt_done = true;
            note_diff(res, s->r, "is missing in the target", NULL);
            continue;
        }
        if (target_row(s, row, true) != 0)
            return error_oom(err);
    }
    if (step < 0)
        return -1;
    char **extra;
    while (!s->tgt_done && (extra = target_next(s->mres)) != NULL) {
        if (target_row(s, extra, false) != 0)
            return error_oom(err);
        if (res->first_diff.len == 0)
            buf_printf(&res->first_diff, "the target holds rows the source does not have");
    }
    return 0;
}

int verify_checksum(struct target *tgt, struct reader *r, size_t t, const struct plan_table *p,
                    const struct ckpt_rejects_keys *skip, const char *project_column,
                    const char *project_id, struct verify_result *res, struct error *err)
{
    struct scan s = {.r = r, .p = p, .skip = skip, .res = res};
    struct buf sql, ord;
    s.vals = calloc(p->nmap + 1, sizeof *s.vals);
    s.soff = calloc(p->nmap + 1, sizeof *s.soff);
    int rc = -1;
    memset(res, 0, sizeof *res);
    buf_init(&res->first_diff, BUF_CAP_LINE);
    buf_init(&sql, BUF_CAP_SQL);
    buf_init(&ord, BUF_CAP_SQL);
    buf_init(&s.arena, BUF_CAP_ROW);
    buf_init(&s.why, BUF_CAP_ROW); /* a reason, then the key of a rejected row */
    buf_init(&s.srow, BUF_CAP_ROW);
    buf_init(&s.trow, BUF_CAP_ROW);
    if (s.vals == NULL || s.soff == NULL) {
        error_oom(err);
        goto out;
    }
    bool exact_order;
    if (target_order(tgt, &r->tables[t], p, project_column, &ord, &exact_order, err) != 0)
        goto out;
    if (select_sql(tgt, p, project_column, project_id, &ord, &sql) != 0) {
        error_oom(err);
        goto out;
    }
    if (reader_table_begin_by_pk(r, t, err) != 0)
        goto out;
    if ((s.mres = target_stream(tgt, &sql, "reading the target's rows", err)) == NULL)
        goto out;
    res->src_crc = res->tgt_crc = crc32(0L, Z_NULL, 0);
    if (compare_rows(&s, err) != 0)
        goto out;
    if (target_stream_end(tgt, "reading the target's rows", err) != 0)
        goto out;
    /* In key order the chained CRCs must agree; only where the order cannot be
     * reproduced does the order-independent sum decide. */
    res->equal = res->src_rows == res->tgt_rows &&
                 (res->src_crc == res->tgt_crc || (!exact_order && res->src_sum == res->tgt_sum));
    if (res->equal)
        buf_reset(&res->first_diff);
    rc = target_commit(tgt, err);
out:
    target_free(s.mres);
    free(s.vals);
    free(s.soff);
    buf_free(&sql);
    buf_free(&ord);
    buf_free(&s.arena);
    buf_free(&s.why);
    buf_free(&s.srow);
    buf_free(&s.trow);
    return rc;
}

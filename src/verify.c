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
        rc = target_execs(t, "COMMIT", err); /* end the read's implicit transaction */
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
    MYSQL_RES *res = NULL;
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
    MYSQL_ROW row = mysql_fetch_row(res);
    if (row != NULL && strcmp(row[0], project_column) != 0 && target_quote_ident(ord, row[0]))
        error_oom(err);
    else
        rc = 0;
out:
    if (res != NULL)
        mysql_free_result(res);
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

int verify_checksum(struct target *tgt, struct reader *r, size_t t, const struct plan_table *p,
                    const struct ckpt_rejects_keys *skip, const char *project_column,
                    const char *project_id, struct verify_result *res, struct error *err)
{
    const struct reader_table *st = &r->tables[t];
    struct buf sql, ord, arena, why, srow, trow;
    MYSQL_RES *mres = NULL;
    struct xform_val *vals = calloc(p->nmap + 1, sizeof *vals);
    size_t *soff = calloc(p->nmap + 1, sizeof *soff); /* column starts in srow */
    int rc = -1;
    memset(res, 0, sizeof *res);
    buf_init(&res->first_diff, BUF_CAP_LINE);
    buf_init(&sql, BUF_CAP_SQL);
    buf_init(&ord, BUF_CAP_SQL);
    buf_init(&arena, BUF_CAP_ROW);
    buf_init(&why, BUF_CAP_ROW); /* a reason, then the key of a rejected row */
    buf_init(&srow, BUF_CAP_ROW);
    buf_init(&trow, BUF_CAP_ROW);
    if (vals == NULL || soff == NULL) {
        error_oom(err);
        goto out;
    }
    bool exact_order;
    if (target_order(tgt, st, p, project_column, &ord, &exact_order, err) != 0)
        goto out;
    int bad = buf_puts(&sql, "SELECT ");
    for (size_t m = 0; m < p->nmap; m++) {
        /* BIT as its number; FLOAT widened, as the text protocol shows only
         * 6 of its digits */
        enum schema_kind k = p->cols[m].x.col->kind;
        const char *pre = k == SCHEMA_BIT ? "CONCAT(" : k == SCHEMA_FLOAT ? "CAST(" : "";
        const char *post = k == SCHEMA_BIT ? "+0)" : k == SCHEMA_FLOAT ? " AS DOUBLE)" : "";
        bad |= (m ? buf_putc(&sql, ',') : 0) | buf_puts(&sql, pre) |
               target_quote_ident(&sql, p->tgt_names[m]) | buf_puts(&sql, post);
    }
    if (p->nmap == 0)
        bad |= buf_putc(&sql, '1');
    bad |= buf_puts(&sql, " FROM ") | target_quote_ident(&sql, p->tgt->name) |
           buf_puts(&sql, " WHERE ") | target_quote_ident(&sql, project_column) |
           buf_puts(&sql, " = ") | target_quote_string(tgt, &sql, project_id, strlen(project_id));
    if (ord.len > 0)
        bad |= buf_puts(&sql, " ORDER BY ") | buf_append(&sql, ord.data, ord.len);
    if (bad) {
        error_oom(err);
        goto out;
    }
    if (reader_table_begin_by_pk(r, t, err) != 0)
        goto out;
    if (mysql_real_query(tgt->my, sql.data, sql.len) != 0 ||
        (mres = mysql_use_result(tgt->my)) == NULL) {
        target_error(tgt, err, "reading the target's rows");
        goto out;
    }
    res->src_crc = res->tgt_crc = crc32(0L, Z_NULL, 0);
    int step;
    bool tgt_done = false;
    while ((step = reader_next(r, err)) == 1) {
        buf_reset(&arena);
        buf_reset(&srow);
        size_t m;
        int x = 0;
        for (m = 0; m < p->nmap && x == 0; m++) {
            struct xform_src src;
            unsigned flags = 0;
            xform_src_from_sqlite(&src, reader_value(r, p->cols[m].src));
            buf_reset(&why);
            x = xform_convert(&p->cols[m].x, &src, &arena, &vals[m], &why, &flags);
        }
        if (x < 0) {
            error_oom(err);
            goto out;
        }
        if (x > 0)
            continue; /* a rejected row: not expected in the target */
        if (skip != NULL && skip->n > 0) {
            buf_reset(&why);
            if (reader_key_encode(r, &why) != 0) {
                error_oom(err);
                goto out;
            }
            if (ckpt_rejects_has(skip, why.data, why.len))
                continue; /* refused by the server when loaded */
        }
        for (m = 0; m < p->nmap; m++) {
            soff[m] = srow.len;
            if (canon(&srow, p->cols[m].x.col,
                      vals[m].kind == XFORM_NULL ? NULL : arena.data + vals[m].off,
                      vals[m].len) != 0) {
                error_oom(err);
                goto out;
            }
        }
        res->src_rows++;
        res->src_crc = crc32(res->src_crc, (const Bytef *)srow.data, (uInt)srow.len);
        res->src_sum += row_hash(&srow);
        MYSQL_ROW row = tgt_done ? NULL : mysql_fetch_row(mres);
        if (row == NULL) {
            tgt_done = true;
            note_diff(res, r, "is missing in the target", NULL);
            continue;
        }
        unsigned long *lens = mysql_fetch_lengths(mres);
        buf_reset(&trow);
        for (m = 0; m < p->nmap; m++) {
            size_t before = trow.len;
            if (canon(&trow, p->cols[m].x.col, row[m], row[m] ? lens[m] : 0) != 0) {
                error_oom(err);
                goto out;
            }
            size_t tlen = trow.len - before;
            size_t slen = (m + 1 < p->nmap ? soff[m + 1] : srow.len) - soff[m];
            if (res->first_diff.len == 0 &&
                (slen != tlen || memcmp(srow.data + soff[m], trow.data + before, tlen) != 0)) {
                note_diff(res, r, "differs in column ", p->tgt_names[m]);
                buf_puts(&res->first_diff, ": target has ");
                if (row[m] == NULL)
                    buf_puts(&res->first_diff, "NULL");
                else {
                    buf_putc(&res->first_diff, '\'');
                    val_render_text(&res->first_diff, (const unsigned char *)row[m], lens[m], 60);
                    buf_putc(&res->first_diff, '\'');
                }
            }
        }
        res->tgt_rows++;
        res->tgt_crc = crc32(res->tgt_crc, (const Bytef *)trow.data, (uInt)trow.len);
        res->tgt_sum += row_hash(&trow);
    }
    if (step < 0)
        goto out;
    MYSQL_ROW extra;
    while (!tgt_done && (extra = mysql_fetch_row(mres)) != NULL) {
        unsigned long *lens = mysql_fetch_lengths(mres);
        buf_reset(&trow);
        for (size_t m = 0; m < p->nmap; m++)
            canon(&trow, p->cols[m].x.col, extra[m], extra[m] ? lens[m] : 0);
        if (buf_check(&trow, err) != 0)
            goto out;
        res->tgt_rows++;
        res->tgt_crc = crc32(res->tgt_crc, (const Bytef *)trow.data, (uInt)trow.len);
        res->tgt_sum += row_hash(&trow);
        if (res->first_diff.len == 0)
            buf_printf(&res->first_diff, "the target holds rows the source does not have");
    }
    if (mysql_errno(tgt->my) != 0) {
        target_error(tgt, err, "reading the target's rows");
        goto out;
    }
    /* In key order the chained CRCs must agree; only where the order cannot be
     * reproduced does the order-independent sum decide. */
    res->equal = res->src_rows == res->tgt_rows &&
                 (res->src_crc == res->tgt_crc || (!exact_order && res->src_sum == res->tgt_sum));
    if (res->equal)
        buf_reset(&res->first_diff);
    rc = target_execs(tgt, "COMMIT", err);
out:
    if (mres != NULL)
        mysql_free_result(mres);
    free(vals);
    free(soff);
    buf_free(&sql);
    buf_free(&ord);
    buf_free(&arena);
    buf_free(&why);
    buf_free(&srow);
    buf_free(&trow);
    return rc;
}

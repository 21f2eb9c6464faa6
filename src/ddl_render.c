/* ddl_render: the DDL text of the design: CREATE TABLE statements (project
 * column first in every key), deferred ADD KEY statements, foreign keys, and
 * the problems MySQL would have with them (see ddl.h). */
#include "ddl_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "schema.h"
#include "target.h"
#include "utf8.h"

/* InnoDB's largest key, in bytes. */
#define KEY_LIMIT 3072

int ddl_sql_string(struct buf *b, const char *s)
{
    int bad = buf_putc(b, '\'');
    for (const char *run = s;; s++) {
        if (*s != '\0' && *s != '\'' && *s != '\\')
            continue;
        bad |= buf_append(b, run, (size_t)(s - run));
        if (*s == '\0')
            break;
        bad |= buf_putc(b, *s) | buf_putc(b, *s); /* '' and \\ */
        run = s + 1;
    }
    return bad | buf_putc(b, '\'');
}

/* An index name within MySQL's 64 characters, unique in the table. */
static void index_name(const struct ddl_table *t, const struct ddl_index *ix, char **used,
                       size_t nused, char out[65])
{
    char full[1024];
    size_t n = (size_t)snprintf(full, sizeof full, "%s", t->name);
    for (size_t c = 0; c < ix->ncols && n < sizeof full; c++)
        n += (size_t)snprintf(full + n, sizeof full - n, "_%s", ix->cols[c]);
    if (n >= sizeof full)
        n = sizeof full - 1;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)full[i]) && full[i] != '_')
            full[i] = '_';
    if (n > 64)
        snprintf(full + 55, sizeof full - 55, "_%08lx",
                 crc32(0L, (const Bytef *)full, (uInt)n) & 0xffffffffUL);
    full[64] = '\0';
    memcpy(out, full, strlen(full) + 1);
    for (int k = 2;; k++) {
        bool taken = false;
        for (size_t i = 0; i < nused && !taken; i++)
            taken = strcasecmp(used[i], out) == 0;
        if (!taken)
            return;
        if (snprintf(out, 65, "%.58s_%d", full, k % 100000) < 0)
            return;
    }
}

int ddl_comment_text(struct buf *out, const char *text)
{
    int bad = 0;
    for (const char *q = text; q != NULL && *q; q++)
        bad |= buf_puts(out, q[0] == '*' && q[1] == '/' ? "*\\" : (char[]){*q, 0});
    return bad;
}

/* Appends (`project`, `cols`...). */
static int key_list(struct buf *out, const char *project_column, const char *const *cols, size_t n)
{
    int bad = buf_puts(out, " (") | target_quote_ident(out, project_column);
    for (size_t k = 0; k < n; k++)
        bad |= buf_puts(out, ", ") | target_quote_ident(out, cols[k]);
    return bad | buf_putc(out, ')');
}

/* Appends the comment that says why foreign key fk is left out. */
static int fk_comment(const struct ddl_schema *s, const struct ddl_table *t,
                      const struct ddl_fk *fk, struct buf *out)
{
    struct buf why;
    buf_init(&why, BUF_CAP_SQL); /* a comment in the DDL */
    int bad = ddl_fk_left_out(s, t, fk, &why) | buf_puts(out, "\n  /* ") |
              ddl_comment_text(out, why.data) | buf_puts(out, " */");
    buf_free(&why);
    return bad;
}

/* Appends the composite foreign key (project, cols) -> ref (project, key):
 * the referenced columns must be the referenced table's primary key (else a
 * comment says it is left out; not refused: the data loads the same). */
static int render_fk(const struct ddl_schema *s, const struct ddl_table *t, const struct ddl_fk *fk,
                     const char *project_column, struct buf *out)
{
    const struct ddl_table *ref = NULL;
    const struct ddl_col **refcols = calloc(fk->key.n + 1, sizeof *refcols);
    const char **refnames = calloc(fk->key.n + 1, sizeof *refnames);
    if (refcols == NULL || refnames == NULL || !ddl_fk_resolve(s, t, fk, &ref, refcols)) {
        free(refcols);
        free(refnames);
        return fk_comment(s, t, fk, out);
    }
    for (size_t k = 0; k < fk->key.n; k++) /* refcols[k] is the key's column k + 1 */
        refnames[k] = refcols[k]->name;
    struct ddl_index as_index = {false, fk->key.n, fk->key.cols};
    char name[65], full[80];
    index_name(t, &as_index, NULL, 0, name);
    snprintf(full, sizeof full, "fk_%.58s", name);
    int bad = buf_puts(out, ",\n  CONSTRAINT ") | target_quote_ident(out, full) |
              buf_puts(out, " FOREIGN KEY") |
              key_list(out, project_column, (const char *const *)fk->key.cols, fk->key.n) |
              buf_puts(out, " REFERENCES ") | target_quote_ident(out, ref->name) |
              key_list(out, project_column, refnames, fk->key.n);
    free(refcols);
    free(refnames);
    return bad;
}

/* SQLite lets a rowid table's declared key hold NULLs; MySQL does not: the
 * rowid becomes the key and the declared one a UNIQUE key (which, as in
 * SQLite, lets NULLs repeat). (ddl_int.h) */
bool ddl_pk_holds_null(const struct ddl_table *t)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (t->cols[c].pk > 0 && t->cols[c].v.n_null > 0)
            return true;
    return false;
}

/* NOT NULL in the design: a key column without NULLs, or NOT NULL in every
 * file. */
static bool col_notnull(const struct ddl_table *t, const struct ddl_col *col)
{
    return (col->pk > 0 && col->v.n_null == 0) || (col->notnull && col->files == t->files);
}

int ddl_schema_table(const struct ddl_schema *s, size_t i, const char *project_column, size_t idlen,
                     struct schema_table *out)
{
    memset(out, 0, sizeof *out);
    if (i >= s->n)
        return -1;
    const struct ddl_table *t = &s->t[i];
    char type[64];
    struct ddl_coltype *types = calloc(t->ncols + 1, sizeof *types);
    out->name = strdup(t->name);
    out->cols = calloc(t->ncols + 2, sizeof *out->cols);
    snprintf(type, sizeof type, "VARCHAR(%zu)", ddl_project_chars(idlen));
    if (types == NULL || out->name == NULL || out->cols == NULL ||
        ddl_layout(s, t, idlen, types, NULL) != 0 ||
        schema_column_designed(&out->cols[out->ncols++], project_column, type, false, false) != 0 ||
        ((t->rowid_key || ddl_pk_holds_null(t)) &&
         schema_column_designed(&out->cols[out->ncols++], "litelift_rowid", "BIGINT", false,
                                false) != 0))
        goto fail;
    const struct ddl_col *autoinc = ddl_autoinc_col(t, types);
    for (size_t c = 0; c < t->ncols; c++) {
        const struct ddl_col *col = &t->cols[c];
        char *dl = ddl_default_literal(col, types[c].type, ddl_column_unit(s, t, col), NULL, 0);
        bool has_default = dl != NULL || col == autoinc;
        free(dl);
        struct schema_column *sc = &out->cols[out->ncols++];
        if (schema_column_designed(sc, col->name, types[c].type, !col_notnull(t, col),
                                   has_default) != 0)
            goto fail;
        sc->auto_increment = col == autoinc;
        if (ddl_collate_of(col, types[c].type) != NULL) { /* as render_column writes it */
            snprintf(sc->collation, sizeof sc->collation, "%s", ddl_collate_of(col, types[c].type));
            sc->case_insensitive = true;
        }
    }
    free(types);
    return 0;
fail:
    free(types);
    schema_table_free(out);
    return -1;
}

int ddl_columns(const struct ddl_schema *s, size_t i,
                void (*fn)(void *ctx, const char *column, const char *type), void *ctx)
{
    struct ddl_coltype *types = i < s->n ? calloc(s->t[i].ncols + 1, sizeof *types) : NULL;
    if (types == NULL || ddl_layout(s, &s->t[i], 0, types, NULL) != 0) {
        free(types);
        return -1;
    }
    for (size_t c = 0; c < s->t[i].ncols; c++)
        fn(ctx, s->t[i].cols[c].name, types[c].type);
    free(types);
    return 0;
}

/* ---- one table ------------------------------------------------------------ */

/* What the parts of one CREATE TABLE share. */
struct table_ctx {
    const struct ddl_schema *s;
    const struct ddl_table *t;
    const char *project_column;
    size_t idlen;
    struct ddl_coltype *types; /* per column: its type and note */
    bool null_pk;              /* the declared key holds NULLs: a UNIQUE key */
    bool rowid;                /* litelift_rowid is (part of) the key */
    struct buf *problems;
    const struct ddl_col *autoinc; /* the AUTO_INCREMENT column, or NULL */
    bool temporary;                /* the server's proof: see ddl_table_proof */
};

/* Appends one problem line to c->problems. Its owner caps it; a line that
 * does not fit is dropped and marks the list failed, which the owner checks. */
__attribute__((format(printf, 2, 3))) static void problem(const struct table_ctx *c,
                                                          const char *fmt, ...)
{
    va_list ap;
    char *line = NULL;
    va_start(ap, fmt);
    int n = vasprintf(&line, fmt, ap);
    va_end(ap);
    if (n >= 0)
        buf_append(c->problems, line, (size_t)n); /* sticky on failure: see above */
    free(line);
}

/* Why MySQL would refuse name as a table or column name, or NULL: empty,
 * longer than 64 characters, or ending in a space. */
static const char *bad_name(const char *name)
{
    size_t chars = utf8_count(name), n = strlen(name);
    if (n == 0)
        return "that is empty";
    if (chars > 64)
        return "longer than 64 characters";
    if (name[n - 1] == ' ')
        return "that ends in a space";
    return NULL;
}

/* The problems of the table's names: names MySQL refuses, and columns named
 * like the ones the design adds itself. */
static void name_problems(const struct table_ctx *c)
{
    const struct ddl_table *t = c->t;
    const char *why = bad_name(t->name);
    if (why != NULL && strlen(t->source) < 49)
        problem(c,
                "table %s: MySQL takes no table name %s; rename it in the mapping file ([%s] "
                "rename = NEW_NAME)\n",
                t->name, why, t->source);
    else if (why != NULL) /* inih reads no longer section names */
        problem(c,
                "table %s: MySQL takes no table name %s, and the mapping file cannot name a "
                "table this long: rename it in the files\n",
                t->name, why);
    for (size_t k = 0; k < t->ncols; k++)
        if ((why = bad_name(t->cols[k].name)) != NULL)
            problem(c,
                    "table %s: MySQL takes no column name %s (column `%s`); rename it in the "
                    "mapping file ([%s] %s.rename = NEW_NAME)\n",
                    t->name, why, t->cols[k].name, t->source, t->cols[k].source);
    for (size_t k = 0; k < t->ncols; k++) {
        bool project = strcasecmp(t->cols[k].name, c->project_column) == 0;
        if (project || (c->rowid && strcasecmp(t->cols[k].name, "litelift_rowid") == 0))
            problem(c,
                    "table %s: its column %s has the name of the %s column; rename it in the "
                    "mapping file ([%s] %s.rename = NEW_NAME)%s\n",
                    t->name, t->cols[k].name, project ? "project" : "rowid", t->source,
                    t->cols[k].source, project ? " or choose another --project-column" : "");
    }
}

/* Appends one designed column to out (ct: its type and note). */
static int render_column(const struct table_ctx *c, const struct ddl_col *col,
                         const struct ddl_coltype *ct, struct buf *out)
{
    char note[1024], why[256] = "";
    const char *type = ct->type;
    snprintf(note, sizeof note, "%s", ct->note);
    char *dl = ddl_default_literal(col, type, ddl_column_unit(c->s, c->t, col), why, sizeof why);
    const char *coll = ddl_collate_of(col, type);
    int bad = buf_puts(out, ",\n  ") | target_quote_ident(out, col->name) |
              buf_printf(out, " %s%s%s%s", type, coll ? " COLLATE " : "", coll ? coll : "",
                         col_notnull(c->t, col) ? " NOT NULL" : "");
    if (col == c->autoinc) {
        bad |= buf_puts(out, " AUTO_INCREMENT");
        ddl_autoinc_note(c->t, col, note, sizeof note);
    } else if (dl != NULL)
        bad |= buf_printf(out, " DEFAULT %s", dl);
    if (col->files < c->t->files)
        snprintf(note + strlen(note), sizeof note - strlen(note), "%sonly in %zu of %zu files",
                 note[0] ? "; " : "", col->files, c->t->files);
    if (coll != NULL || col->collate_why != NULL)
        snprintf(note + strlen(note), sizeof note - strlen(note), "%sCOLLATE NOCASE in SQLite%s%s",
                 note[0] ? "; " : "", coll ? "" : ": kept binary, ", coll ? "" : col->collate_why);
    if (col->generated)
        snprintf(note + strlen(note), sizeof note - strlen(note),
                 "%sgenerated in SQLite: holds the values SQLite computed", note[0] ? "; " : "");
    if (dl == NULL && why[0] != '\0')
        snprintf(note + strlen(note), sizeof note - strlen(note), "%sSQLite default %s dropped: %s",
                 note[0] ? "; " : "", col->dflt ? col->dflt : "", why);
    if (note[0] != '\0')
        bad |= buf_puts(out, " COMMENT ") | ddl_sql_string(out, note);
    free(dl);
    return bad;
}

/* Appends the project column, litelift_rowid when it is the key, and the
 * designed columns; *pk_bytes: the primary key's bytes. */
static int render_columns(const struct table_ctx *c, struct buf *out, size_t *pk_bytes)
{
    int bad = buf_puts(out, c->temporary ? "CREATE TEMPORARY TABLE " : "CREATE TABLE ") |
              target_quote_ident(out, c->t->name) | buf_puts(out, " (\n  ") |
              target_quote_ident(out, c->project_column) |
              buf_printf(out, " VARCHAR(%zu) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL",
                         ddl_project_chars(c->idlen));
    if (c->rowid)
        bad |=
            buf_printf(out, ",\n  `litelift_rowid` BIGINT NOT NULL COMMENT 'the SQLite rowid: %s'",
                       c->null_pk ? "the declared primary key holds NULLs (SQLite allows them "
                                    "in a rowid table), so it is a UNIQUE key here"
                                  : "the table declares no primary key");
    *pk_bytes = 4 * ddl_project_chars(c->idlen) + 2 + (c->rowid ? 8 : 0);
    for (size_t k = 0; k < c->t->ncols; k++) {
        bad |= render_column(c, &c->t->cols[k], &c->types[k], out);
        if (c->t->cols[k].pk > 0 && !c->null_pk)
            *pk_bytes += ddl_key_bytes(c->types[k].type);
    }
    return bad;
}

/* Appends the primary key: the project column, then litelift_rowid or the
 * declared key pk. */
static int render_pk(const struct table_ctx *c, const struct ddl_index *pk, struct buf *out)
{
    int bad = buf_puts(out, ",\n  PRIMARY KEY (") | target_quote_ident(out, c->project_column);
    if (c->rowid)
        bad |= buf_puts(out, ", `litelift_rowid`");
    for (size_t k = 0; k < pk->ncols && !c->null_pk; k++)
        bad |= buf_puts(out, ", ") | target_quote_ident(out, pk->cols[k]);
    bad |= buf_putc(out, ')');
    if (c->autoinc != NULL) /* InnoDB counts from an index that starts with it */
        bad |= buf_puts(out, ",\n  KEY `" DDL_AUTOINC_KEY "` (") |
               target_quote_ident(out, c->autoinc->name) | buf_putc(out, ')');
    return bad;
}

/* The key bytes of index ix (the project column first). */
static size_t index_bytes(const struct table_ctx *c, const struct ddl_index *ix)
{
    size_t bytes = 4 * ddl_project_chars(c->idlen) + 2;
    for (size_t k = 0; k < ix->ncols; k++) {
        const struct ddl_col *col = ddl_find_col(c->t, ix->cols[k]);
        bytes += col ? ddl_key_bytes(c->types[col - c->t->cols].type) : 8;
    }
    return bytes;
}

/* Appends the comment of an index whose column col is cut to a prefix. */
static int prefix_comment(struct buf *dst, const char *col, size_t prefix)
{
    struct buf text;
    buf_init(&text, BUF_CAP_SQL);
    int bad = buf_printf(&text,
                         "%s: a prefix of %zu characters (the index would exceed InnoDB's "
                         "%d-byte key limit)",
                         col, prefix, KEY_LIMIT) ||
              buf_puts(dst, " COMMENT ") || ddl_sql_string(dst, text.data);
    buf_free(&text);
    return bad;
}

/* Appends the columns of index ix, "(project, a, b(n), ...)": with *over (its
 * bytes beyond InnoDB's limit), the first VARCHAR column of a plain index is
 * cut to a prefix that fits, and *over becomes 0. */
static int index_cols(const struct table_ctx *c, const struct ddl_index *ix, size_t *over,
                      struct buf *dst)
{
    int bad = buf_puts(dst, " (") | target_quote_ident(dst, c->project_column);
    size_t prefixed = 0, prefix = 0;
    for (size_t k = 0; k < ix->ncols; k++) {
        const struct ddl_col *col = ddl_find_col(c->t, ix->cols[k]);
        const char *type = col != NULL ? c->types[col - c->t->cols].type : "";
        bad |= buf_puts(dst, ", ") | target_quote_ident(dst, ix->cols[k]);
        if (*over > 0 && strncmp(type, "VARCHAR", 7) == 0 && !ix->unique) {
            size_t chars = strtoul(strchr(type, '(') + 1, NULL, 10);
            size_t cut = (*over + 3) / 4 < chars ? chars - (*over + 3) / 4 : 1;
            bad |= buf_printf(dst, "(%zu)", cut); /* a prefix: the key limit */
            *over = 0;
            prefixed = k;
            prefix = cut;
        }
    }
    bad |= buf_putc(dst, ')');
    if (prefix > 0)
        bad |= prefix_comment(dst, ix->cols[prefixed], prefix);
    return bad;
}

/* Appends index ix, named iname: a plain one is handed to defer as an ALTER
 * TABLE statement (built in later) when defer is set, as it is built after
 * the data (faster, see README); a UNIQUE one must hold while rows arrive. */
static int render_index(const struct table_ctx *c, const struct ddl_index *ix, const char *iname,
                        struct buf *out, struct buf *later, ddl_defer_fn defer, void *ctx)
{
    size_t bytes = index_bytes(c, ix), over = bytes > KEY_LIMIT ? bytes - KEY_LIMIT : 0;
    struct buf *dst = out;
    int bad;
    if (defer != NULL && !ix->unique) {
        buf_reset(later);
        dst = later;
        bad = buf_puts(dst, "ALTER TABLE ") | target_quote_ident(dst, c->t->name) |
              buf_puts(dst, " ADD KEY ");
    } else {
        bad = buf_printf(dst, ",\n  %sKEY ", ix->unique ? "UNIQUE " : "");
    }
    bad |= target_quote_ident(dst, iname) | index_cols(c, ix, &over, dst);
    if (!bad && dst == later && defer != NULL)
        defer(ctx, c->t->name, iname, later->data);
    if (over > 0)
        problem(c, "table %s: %s index %s of %zu bytes exceeds InnoDB's %d\n", c->t->name,
                ix->unique ? "unique" : "the", iname, bytes, KEY_LIMIT);
    return bad;
}

/* Appends the table's indexes (and pk, the declared key, when it holds NULLs)
 * under names unique in the table (used: room for them all). */
static int render_indexes(const struct table_ctx *c, const struct ddl_index *pk, char **used,
                          struct buf *out, ddl_defer_fn defer, void *ctx)
{
    struct buf later;
    buf_init(&later, BUF_CAP_SQL);
    int bad = 0;
    for (size_t k = 0; k < c->t->nidx + c->null_pk && !bad; k++) {
        const struct ddl_index *ix = k < c->t->nidx ? &c->t->idx[k] : pk;
        char iname[65];
        index_name(c->t, ix, used, k, iname);
        bad = (used[k] = strdup(iname)) == NULL ||
              render_index(c, ix, iname, out, &later, defer, ctx) != 0;
    }
    buf_free(&later);
    return bad;
}

/* Appends the CREATE TABLE statement of c->t (see ddl_table; c->types still
 * empty). Returns 0 or -1. */
static int table_sql(struct table_ctx *c, struct buf *out, ddl_defer_fn defer, void *ctx)
{
    const struct ddl_table *t = c->t;
    char **used = calloc(t->nidx + 2, sizeof *used);
    struct ddl_index pk = {true, 0, calloc(t->ncols + 1, sizeof(char *))};
    int bad = -1;
    if (used == NULL || pk.cols == NULL)
        goto out;
    for (int k = 1; k <= (int)t->ncols; k++)
        for (size_t col = 0; col < t->ncols; col++)
            if (t->cols[col].pk == k)
                pk.cols[pk.ncols++] = t->cols[col].name;
    c->rowid = t->rowid_key || c->null_pk;
    if (c->null_pk && t->without_rowid)
        problem(c,
                "table %s: its primary key holds NULLs in a rowid table, but the table is "
                "WITHOUT ROWID in another file: no key serves both\n",
                t->name);
    if (t->problems.len > 0)
        problem(c, "%s", t->problems.data);
    if (buf_failed(&t->problems))
        problem(c, "table %s: more conflicts between files than one list holds\n", t->name);
    name_problems(c);
    if (ddl_layout(c->s, t, c->idlen, c->types, c->problems) != 0)
        goto out;
    c->autoinc = ddl_autoinc_col(t, c->types);
    size_t pk_bytes;
    bad = render_columns(c, out, &pk_bytes) | render_pk(c, &pk, out);
    if (pk_bytes > KEY_LIMIT)
        problem(c, "table %s: primary key of %zu bytes exceeds InnoDB's %d\n", t->name, pk_bytes,
                KEY_LIMIT);
    bad |= render_indexes(c, &pk, used, out, defer, ctx);
    for (size_t k = 0; c->s->foreign_keys && !c->temporary && k < t->nfk; k++)
        bad |= render_fk(c->s, t, &t->fks[k], c->project_column, out);
    bad |= ddl_render_checks(c->s, t, out);
    bad |= buf_puts(out, "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
    if (c->autoinc != NULL)
        bad |= buf_printf(out, " AUTO_INCREMENT=%lld", ddl_autoinc_next(t, c->autoinc));
    bad |= buf_puts(out, " COMMENT=") | ddl_sql_string(out, DDL_MARK);
out:
    for (size_t k = 0; used != NULL && k < t->nidx + 1; k++)
        free(used[k]);
    free(used);
    free(pk.cols);
    return bad ? -1 : 0;
}

/* ddl_table, or with temporary its proof (see ddl_table_proof). */
static int table_of(const struct ddl_schema *s, size_t i, const char *project_column, size_t idlen,
                    bool temporary, struct buf *out, struct buf *problems, ddl_defer_fn defer,
                    void *ctx)
{
    if (i >= s->n)
        return -1;
    const struct ddl_table *t = &s->t[i];
    struct table_ctx c = {.s = s,
                          .t = t,
                          .project_column = project_column,
                          .idlen = idlen,
                          .types = calloc(t->ncols + 1, sizeof *c.types),
                          .null_pk = ddl_pk_holds_null(t),
                          .problems = problems,
                          .temporary = temporary};
    int rc = c.types != NULL ? table_sql(&c, out, defer, ctx) : -1;
    free(c.types);
    return rc;
}

int ddl_table(const struct ddl_schema *s, size_t i, const char *project_column, size_t idlen,
              const char **name, struct buf *out, struct buf *problems, ddl_defer_fn defer,
              void *ctx)
{
    *name = i < s->n ? s->t[i].name : NULL;
    return table_of(s, i, project_column, idlen, false, out, problems, defer, ctx);
}

int ddl_table_proof(const struct ddl_schema *s, size_t i, const char *project_column, size_t idlen,
                    const char **name, struct buf *out)
{
    *name = i < s->n ? s->t[i].name : NULL;
    struct buf ignored; /* ddl_table tells the problems */
    buf_init(&ignored, BUF_CAP_LIST);
    int rc = table_of(s, i, project_column, idlen, true, out, &ignored, NULL, NULL);
    buf_free(&ignored);
    return rc;
}

/* ddl_render's defer callback: the statement, after the tables. */
static void print_later(void *ctx, const char *table, const char *index, const char *sql)
{
    (void)table;
    (void)index;
    buf_printf(ctx, "%s;\n", sql);
}

size_t ddl_render(const struct ddl_schema *s, const char *project_column, size_t idlen,
                  const bool *only, struct buf *out, struct buf *problems)
{
    struct buf later, kept;
    buf_init(&later, BUF_CAP_SQL);
    buf_init(&kept, BUF_CAP_SQL);
    for (size_t i = 0; i < s->n; i++) {
        const char *name;
        bool print = only == NULL || only[i];
        buf_reset(&kept);
        if (ddl_table(s, i, project_column, idlen, &name, print ? out : &kept, problems,
                      print_later, print ? &later : &kept) != 0)
            continue;
        if (print) {
            buf_puts(out, ";\n\n");
        } else {
            buf_puts(out, "-- table ");
            target_quote_ident(out, name);
            buf_puts(out, " is in the target already: kept as it is\n\n");
        }
    }
    if (later.len > 0) {
        buf_puts(out, "-- after the data is loaded:\n");
        buf_append_buf(out, &later);
    }
    buf_free(&later);
    buf_free(&kept);
    return s->n;
}

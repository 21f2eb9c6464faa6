/* ddl_autoinc: SQLite's auto-assigned ids in the design: a table keyed by
 * its rowid (INTEGER PRIMARY KEY, with or without AUTOINCREMENT) gets an
 * AUTO_INCREMENT key column whose counter starts above every id any file
 * stored or handed out (sqlite_sequence), so an application's insert
 * without an id never collides with a migrated row (see ddl_int.h). */
#include "ddl_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader_meta.h"
#include "target.h"

/* Whether the declared key of source table st is its rowid: one column
 * declared exactly INTEGER in a rowid table (SQLite's rule). */
static bool rowid_alias(const struct reader_table *st)
{
    if (st->without_rowid || st->npk != 1)
        return false;
    const char *decl = st->cols[st->pk_cols[0]].decl_type;
    return decl != NULL && strcasecmp(decl, "INTEGER") == 0;
}

void ddl_autoinc_add(struct ddl_table *dt, struct reader *r, size_t t)
{
    bool alias = rowid_alias(&r->tables[t]);
    dt->autoinc = dt->files == 0 ? alias : dt->autoinc && alias;
    long long seq = reader_meta_sequence(r, t);
    if (seq > dt->seq)
        dt->seq = seq;
}

const struct ddl_col *ddl_autoinc_col(const struct ddl_table *t, const struct ddl_coltype *out)
{
    if (!t->autoinc || t->rowid_key || t->without_rowid || ddl_pk_holds_null(t))
        return NULL;
    for (size_t c = 0; c < t->ncols; c++)
        if (t->cols[c].pk == 1)
            return !t->cols[c].forced && strcmp(out[c].type, "BIGINT") == 0 ? &t->cols[c] : NULL;
    return NULL;
}

long long ddl_autoinc_next(const struct ddl_table *t, const struct ddl_col *col)
{
    long long top = t->seq;
    if (col->v.n_int > 0 && col->v.nmax > (double)top)
        top = col->v.nmax >= 9.2e18 ? 9223372036854775806LL : (long long)col->v.nmax;
    return top < 1 ? 1 : top < 9223372036854775807LL ? top + 1 : top;
}

void ddl_autoinc_note(const struct ddl_table *t, const struct ddl_col *col, char *note, size_t n)
{
    size_t len = strlen(note);
    snprintf(note + len, n - len,
             "%sSQLite assigned its ids (INTEGER PRIMARY KEY%s): AUTO_INCREMENT, one counter for "
             "every project, from %lld (above every migrated id)",
             len ? "; " : "", t->seq > 0 ? " AUTOINCREMENT" : "", ddl_autoinc_next(t, col));
}

int ddl_autoinc_alter(const struct ddl_schema *s, size_t i, struct buf *out)
{
    if (i >= s->n)
        return -1;
    const struct ddl_table *t = &s->t[i];
    struct ddl_coltype *types = calloc(t->ncols + 1, sizeof *types);
    if (types == NULL || ddl_layout(s, t, 0, types, NULL) != 0) {
        free(types);
        return -1;
    }
    const struct ddl_col *col = ddl_autoinc_col(t, types);
    int bad = 0;
    if (col != NULL)
        bad = buf_puts(out, "ALTER TABLE ") | target_quote_ident(out, t->name) |
              buf_printf(out, " AUTO_INCREMENT = %lld", ddl_autoinc_next(t, col));
    free(types);
    return bad ? -1 : 0;
}

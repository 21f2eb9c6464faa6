/* schema_proof: all or nothing for --schema create (see schema_proof.h):
 * the server proves each table's design as a temporary table of the session
 * before anything is created, and a CREATE that still fails takes back the
 * tables the run had created. */
#include "schema_proof.h"

#include <string.h>

#define ER_DBACCESS_DENIED 1044    /* no CREATE TEMPORARY TABLES on the database */
#define ER_TABLEACCESS_DENIED 1142 /* ... on the table */
#define STATEMENT_SHOWN 400        /* the bytes of a statement a message quotes */

/* Appends sql to b, cut to STATEMENT_SHOWN bytes ("..." after a cut). */
static int quote_statement(struct buf *b, const struct buf *sql)
{
    size_t n = sql->len < STATEMENT_SHOWN ? sql->len : STATEMENT_SHOWN;
    return buf_append(b, sql->data, n) | (n < sql->len ? buf_puts(b, " ...") : 0);
}

/* Drops the temporary table `name` of the session. Returns 0 or -1. */
static int drop_temporary(struct target *tgt, const char *name, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = buf_puts(&sql, "DROP TEMPORARY TABLE IF EXISTS ") || target_quote_ident(&sql, name)
                 ? error_oom(err)
                 : target_exec_buf(tgt, &sql, err);
    buf_free(&sql);
    return rc;
}

/* Appends to problems that the server refused the proof sql of table name
 * (why: its error). A line that does not fit marks the list failed, which its
 * owner checks. */
static void refusal(struct buf *problems, const char *name, const char *why, const struct buf *sql)
{
    struct buf line;
    buf_init(&line, BUF_CAP_LIST);
    if (buf_printf(&line, "table %s: the server refuses its design (%s): ", name, why) == 0 &&
        quote_statement(&line, sql) == 0 && buf_putc(&line, '\n') == 0)
        buf_append_buf(problems, &line); /* sticky on failure: see above */
    buf_free(&line);
}

int schema_proof_design(struct target *tgt, const char *project_column, const struct ddl_schema *s,
                        size_t idlen, const bool *missing, struct buf *problems, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ddl_ntables(s); i++) {
        const char *name;
        struct error refused;
        if (!missing[i])
            continue;
        buf_reset(&sql);
        if (ddl_table_proof(s, i, project_column, idlen, &name, &sql) != 0 || buf_failed(&sql))
            rc = error_oom(err);
        else if (target_exec_buf(tgt, &sql, &refused) == 0)
            rc = drop_temporary(tgt, name, err);
        else if (target_errno(tgt) == ER_DBACCESS_DENIED ||
                 target_errno(tgt) == ER_TABLEACCESS_DENIED)
            break; /* the user may not: a CREATE that fails still undoes the run's */
        else
            refusal(problems, name, refused.msg, &sql);
    }
    buf_free(&sql);
    return rc;
}

/* Drops the tables named in created ("name\0" each), the last first, and
 * says which in msg (a drop that fails stops there, said in msg; a text that
 * did not fit marks msg failed: the caller checks). */
static void undo(struct target *tgt, const struct buf *created, struct buf *msg)
{
    struct buf sql;
    struct error err;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = 0;
    size_t n = 0;
    for (size_t end = created->len; rc == 0 && end > 0; n++) {
        size_t start = end - 1;
        while (start > 0 && created->data[start - 1] != '\0')
            start--;
        const char *name = created->data + start;
        buf_reset(&sql);
        if (buf_puts(&sql, "DROP TABLE IF EXISTS ") || target_quote_ident(&sql, name))
            rc = error_oom(&err);
        else
            rc = target_exec_buf(tgt, &sql, &err);
        if (buf_printf(msg, "%s%s",
                       n ? ", " : "; the tables this run created are dropped again: ", name) == 0 &&
            rc != 0)
            buf_printf(msg, " (failed: %s)", err.msg); /* sticky: see above */
        end = start;
    }
    if (created->len == 0)
        buf_puts(msg, "; no table was created before it"); /* sticky: see above */
    buf_free(&sql);
}

int schema_proof_create(struct target *tgt, const char *name, const struct buf *sql,
                        struct buf *created, struct error *err)
{
    struct error why;
    if (target_exec_buf(tgt, sql, &why) == 0)
        return buf_append(created, name, strlen(name) + 1) ? error_oom(err) : 0;
    struct buf msg;
    buf_init(&msg, BUF_CAP_LIST);
    int said = buf_printf(&msg, "creating table %s failed (%s); statement: ", name, why.msg) |
               quote_statement(&msg, sql);
    undo(tgt, created, &msg);
    if (said != 0 || buf_failed(&msg))
        error_set(err, "creating table %s failed (%s)", name, why.msg);
    else
        error_set(err, "%s", msg.data);
    buf_free(&msg);
    return -1;
}

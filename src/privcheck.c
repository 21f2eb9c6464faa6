/* privcheck: the privileges a migrate run needs, checked before anything is
 * written (see privcheck.h). */
#include "privcheck.h"

#include <string.h>

#include "ckpt.h"
#include "grants.h"

#define ER_SPECIFIC_ACCESS_DENIED_ERROR 1227 /* SET of a variable it may not set */
#define SHOWN_MAX 8                          /* lines listed; the rest counted */

/* The privileges found missing so far, with the grants they were checked
 * against. */
struct lack {
    struct run *run;
    struct grants g;
    struct buf list;
    size_t n;
};

static int lack_begin(struct lack *l, struct run *run, struct error *err)
{
    l->run = run;
    l->n = 0;
    buf_init(&l->list, BUF_CAP_LIST);
    return grants_load(&l->g, &run->tgt, err);
}

/* Lists one missing privilege: "user U lacks P on OBJ (needed WHY); GRANT P
 * ON GRANT_ON TO U". Returns 0 or -1 (out of memory). */
static int say(struct lack *l, const char *priv, const struct buf *obj, const char *why,
               const char *grant_on)
{
    if (l->n++ >= SHOWN_MAX)
        return 0;
    const char *u = l->g.user;
    return buf_printf(&l->list, "\n  user %s lacks %s on %s (needed %s); GRANT %s ON %s TO %s", u,
                      priv, obj->data, why, priv, grant_on, u);
}

/* Lists each privilege of privs that the user lacks on table `table` of
 * schema db (table NULL: on the tables it is to create there). Returns 0 or
 * -1. */
static int need(struct lack *l, unsigned privs, const char *db, const char *table, const char *why)
{
    unsigned miss = grants_missing(&l->g, privs, db, table ? table : "");
    struct buf obj, on, name;
    buf_init(&obj, BUF_CAP_NAME);
    buf_init(&on, BUF_CAP_NAME);
    buf_init(&name, BUF_CAP_NAME);
    int bad = grants_quote_schema(&on, db);
    if (table != NULL)
        bad |= target_quote_ident(&obj, db) | buf_putc(&obj, '.') | target_quote_ident(&obj, table);
    else
        bad |= buf_append_buf(&obj, &on);
    for (unsigned bit = 1; !bad && bit <= GRANTS_ALL; bit <<= 1)
        if (miss & bit) {
            buf_reset(&name);
            bad = grants_names(&name, bit) || say(l, name.data, &obj, why, on.data);
        }
    buf_free(&obj);
    buf_free(&on);
    buf_free(&name);
    return bad ? -1 : 0;
}

/* Ends the check: 0 when nothing is missing, else -1 with err listing it. */
static int lack_end(struct lack *l, int rc, struct error *err)
{
    if (rc == 0 && l->n > 0) {
        if (l->n > SHOWN_MAX)
            buf_printf(&l->list, "\n  and %zu more of the same kind", l->n - SHOWN_MAX);
        rc = error_set(err,
                       "the target's user lacks privileges this run needs (checked before "
                       "anything is written):%s",
                       l->list.data ? l->list.data : " (out of memory)");
    }
    grants_free(&l->g);
    buf_free(&l->list);
    return rc;
}

/* Checks the progress table `suffix`-named companion (privs, plus CREATE
 * when it does not exist yet). Returns 0 or -1. */
static int need_progress(struct lack *l, const char *suffix, unsigned privs, struct error *err)
{
    const char *pt = l->run->cfg->progress_table;
    struct buf full, db;
    buf_init(&full, BUF_CAP_NAME);
    buf_init(&db, BUF_CAP_NAME);
    const char *table;
    int rc = buf_puts(&full, pt) || buf_puts(&full, suffix) ||
                     target_split_table(full.data, &db, &table) ||
                     (db.len == 0 && buf_puts(&db, l->run->tgt.database))
                 ? error_oom(err)
                 : ckpt_exists(&l->run->tgt, full.data, err);
    if (rc >= 0) {
        unsigned create = rc == 0 ? GRANTS_CREATE : 0;
        rc = need(l, privs | create, db.data, table, "to keep the run's checkpoints") != 0
                 ? error_oom(err)
                 : 0;
    }
    buf_free(&full);
    buf_free(&db);
    return rc;
}

/* --no-binlog: whether the user may set sql_log_bin, tried by setting it to
 * what it is. Returns 0 or -1. */
static int need_binlog(struct lack *l, struct error *err)
{
    struct target *t = &l->run->tgt;
    if (target_execs(t, "SET SESSION sql_log_bin = @@SESSION.sql_log_bin", err) == 0)
        return 0;
    if (target_errno(t) != ER_SPECIFIC_ACCESS_DENIED_ERROR)
        return error_prefix(err, "--no-binlog: setting sql_log_bin");
    const char *priv = !t->mariadb                          ? "SESSION_VARIABLES_ADMIN"
                       : target_server_version(t) >= 100502 ? "BINLOG ADMIN"
                                                            : "SUPER";
    struct buf obj;
    buf_init(&obj, BUF_CAP_NAME);
    int rc =
        buf_puts(&obj, "*.*") || say(l, priv, &obj, "by --no-binlog to SET sql_log_bin = 0", "*.*")
            ? error_oom(err)
            : 0;
    buf_free(&obj);
    return rc;
}

/* The schema of --progress-table SCHEMA.NAME must exist (litelift makes
 * tables, not schemas). Returns 0, or -1 with err saying what to do. */
static int progress_schema(struct lack *l, struct error *err)
{
    struct buf schema, sql;
    buf_init(&schema, BUF_CAP_NAME);
    buf_init(&sql, BUF_CAP_SQL);
    const char *table;
    long long n = 1;
    int rc = target_split_table(l->run->cfg->progress_table, &schema, &table) ? error_oom(err) : 0;
    if (rc == 0 && schema.len > 0) {
        buf_puts(&sql, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ");
        target_quote_string(&l->run->tgt, &sql, schema.data, schema.len);
        rc = target_query_ll_buf(&l->run->tgt, &sql, &n, err);
    }
    buf_reset(&sql);
    if (rc == 0 && n == 0)
        rc = target_quote_ident(&sql, schema.data) != 0
                 ? error_oom(err)
                 : error_set(err,
                             "the schema %s of --progress-table %s does not exist (or user %s "
                             "holds no privilege in it): litelift creates tables, not schemas: "
                             "CREATE DATABASE %s",
                             sql.data, l->run->cfg->progress_table, l->g.user, sql.data);
    buf_free(&schema);
    buf_free(&sql);
    return rc;
}

int privcheck_progress(struct run *run, struct error *err)
{
    struct lack l;
    const unsigned rw = GRANTS_SELECT | GRANTS_INSERT | GRANTS_UPDATE | GRANTS_DELETE;
    int rc = lack_begin(&l, run, err);
    if (rc == 0)
        rc = progress_schema(&l, err);
    if (rc == 0)
        rc = need_progress(&l, "", rw, err);
    if (rc == 0)
        rc = need_progress(&l, "_rejects", rw, err);
    if (rc == 0)
        rc = need_progress(&l, "_failures", rw, err);
    if (rc == 0 && run->cfg->schema_create)
        rc = need_progress(&l, "_indexes", GRANTS_SELECT | GRANTS_INSERT | GRANTS_UPDATE, err);
    if (rc == 0 && run->cfg->no_binlog)
        rc = need_binlog(&l, err);
    return lack_end(&l, rc, err);
}

int privcheck_schema_create(struct run *run, const bool *missing, size_t n, struct error *err)
{
    size_t i = 0;
    while (i < n && !missing[i])
        i++;
    if (i == n)
        return 0;
    struct lack l;
    int rc = lack_begin(&l, run, err);
    unsigned privs = GRANTS_CREATE | GRANTS_ALTER | GRANTS_INDEX |
                     (run->cfg->foreign_keys ? GRANTS_REFERENCES : 0);
    if (rc == 0 && need(&l, privs, run->tgt.database, NULL,
                        "by --schema create to create the tables and their indexes") != 0)
        rc = error_oom(err);
    return lack_end(&l, rc, err);
}

/* Lists privilege bit once for all the tables the plans looked up that lack
 * it: "lacks INSERT on `app`.`a`, `app`.`b` (needed WHY); GRANT INSERT ON
 * `app`.* TO U". Returns 0 or -1 (out of memory). */
static int need_on_tables(struct lack *l, unsigned bit, const char *why)
{
    const char *db = l->run->tgt.database;
    size_t n;
    plan_looked_up(&l->run->plan, 0, &n, NULL);
    struct buf obj, on, name;
    buf_init(&obj, BUF_CAP_LIST);
    buf_init(&on, BUF_CAP_NAME);
    buf_init(&name, BUF_CAP_NAME);
    int bad = grants_quote_schema(&on, db) | grants_names(&name, bit);
    for (size_t i = 0; i < n; i++) {
        const struct schema_table *tt = plan_looked_up(&l->run->plan, i, NULL, NULL);
        if (tt != NULL && grants_missing(&l->g, bit, db, tt->name) != 0)
            bad |= (obj.len ? buf_puts(&obj, ", ") : 0) | target_quote_ident(&obj, db) |
                   buf_putc(&obj, '.') | target_quote_ident(&obj, tt->name);
    }
    if (!bad && obj.len > 0)
        bad = say(l, name.data, &obj, why, on.data);
    buf_free(&obj);
    buf_free(&on);
    buf_free(&name);
    return bad ? -1 : 0;
}

int privcheck_tables(struct run *run, struct error *err)
{
    struct lack l;
    int rc = lack_begin(&l, run, err);
    if (rc == 0 && (need_on_tables(&l, GRANTS_INSERT, "to load rows") != 0 ||
                    need_on_tables(&l, GRANTS_SELECT, "to validate the loaded rows") != 0 ||
                    (run->cfg->nrestart > 0 &&
                     need_on_tables(&l, GRANTS_DELETE, "by --restart-project") != 0)))
        rc = error_oom(err);
    return lack_end(&l, rc, err);
}

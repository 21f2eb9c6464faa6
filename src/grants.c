/* grants: the privileges of the target's user from SHOW GRANTS (see
 * grants.h). */
#include "grants.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    unsigned bit;
} priv_names[] = {{"SELECT", GRANTS_SELECT}, {"INSERT", GRANTS_INSERT},
                  {"UPDATE", GRANTS_UPDATE}, {"DELETE", GRANTS_DELETE},
                  {"CREATE", GRANTS_CREATE}, {"ALTER", GRANTS_ALTER},
                  {"INDEX", GRANTS_INDEX},   {"REFERENCES", GRANTS_REFERENCES},
                  {"ALL", GRANTS_ALL},       {"ALL PRIVILEGES", GRANTS_ALL}};

static unsigned priv_bit(const char *name)
{
    for (size_t i = 0; i < sizeof priv_names / sizeof *priv_names; i++)
        if (strcasecmp(name, priv_names[i].name) == 0)
            return priv_names[i].bit;
    return 0; /* one litelift does not need */
}

static void skip_space(const char **p)
{
    while (**p == ' ')
        (*p)++;
}

/* Skips a parenthesised column list at *p (backtick-quoted names may hold
 * parentheses). Returns 0, or -1 when it does not end. */
static int skip_columns(const char **p)
{
    bool quoted = false;
    for (const char *s = *p + 1; *s; s++) {
        if (*s == '`')
            quoted = !quoted; /* a doubled `` toggles twice */
        else if (*s == ')' && !quoted) {
            *p = s + 1;
            return 0;
        }
    }
    return -1;
}

/* Reads the privilege list after "GRANT " up to and past its "ON" into
 * *privs (privileges of columns count for nothing: they cover no whole row).
 * Returns 0, or -1 when the line grants no privileges (a role) or is not
 * understood. */
static int priv_list(const char **p, unsigned *privs)
{
    char name[64] = "";
    bool column = false;
    for (;;) {
        skip_space(p);
        const char *w = *p;
        while (isalpha((unsigned char)**p) || **p == '_')
            (*p)++;
        size_t n = (size_t)(*p - w), have = strlen(name);
        bool on = n == 2 && strncasecmp(w, "ON", 2) == 0 && (have > 0 || column);
        if (n > 0 && !on) {
            if (column || have + n + 2 > sizeof name)
                return -1;
            snprintf(name + have, sizeof name - have, "%s%.*s", have ? " " : "", (int)n, w);
            continue;
        }
        if (on || **p == ',') {
            if (!column)
                *privs |= priv_bit(name);
            if (on)
                return 0;
            name[0] = '\0';
            column = false;
            (*p)++;
        } else if (**p == '(' && have > 0 && !column) {
            if (skip_columns(p) != 0)
                return -1;
            column = true;
        } else {
            return -1;
        }
    }
}

/* Reads `*` or an identifier (`quoted`, `` for a backtick, or bare) at *p
 * into out ("" for `*`). Returns 0, or -1 when there is none. */
static int object_part(const char **p, struct buf *out, bool *star)
{
    *star = **p == '*';
    if (*star) {
        (*p)++;
        return buf_puts(out, "");
    }
    if (**p != '`') {
        const char *w = *p;
        while (**p && strchr(" .`,()'", **p) == NULL)
            (*p)++;
        return *p > w ? buf_append(out, w, (size_t)(*p - w)) : -1;
    }
    for (const char *s = *p + 1; *s; s++) {
        if (*s == '`' && s[1] != '`') {
            *p = s + 1;
            return buf_puts(out, "");
        }
        if (buf_putc(out, *s) != 0)
            return -1;
        s += *s == '`'; /* `` is one backtick */
    }
    return -1;
}

/* Adds the grant of privs on the object at *p (`*.*`, `db`.*, `db`.`t`);
 * nothing for routines, users (PROXY) and what is not understood. Returns 0,
 * or -1 when out of memory. */
static int add_object(struct grants *g, const char **p, unsigned privs)
{
    struct buf db, table;
    buf_init(&db, BUF_CAP_NAME);
    buf_init(&table, BUF_CAP_NAME);
    bool all_db, all_tables;
    int rc = 0;
    skip_space(p);
    if (object_part(p, &db, &all_db) != 0 || *(*p)++ != '.' ||
        object_part(p, &table, &all_tables) != 0 || (all_db && !all_tables))
        goto out; /* PROCEDURE `db`.`p`, ''@'%', ... */
    struct grants_entry *v = realloc(g->v, (g->n + 1) * sizeof *v);
    rc = v == NULL ? -1 : 0;
    if (v != NULL) {
        g->v = v;
        struct grants_entry *e = &v[g->n++];
        e->privs = privs;
        e->db = all_db ? NULL : strdup(db.data);
        e->table = all_tables ? NULL : strdup(table.data);
        rc = (!all_db && e->db == NULL) || (!all_tables && e->table == NULL) ? -1 : 0;
    }
out:
    buf_free(&db);
    buf_free(&table);
    return rc;
}

int grants_add_line(struct grants *g, const char *line)
{
    const char *p = line;
    unsigned privs = 0;
    if (strncasecmp(p, "GRANT ", 6) != 0)
        return 0; /* SET DEFAULT ROLE, a partial REVOKE */
    p += 6;
    if (priv_list(&p, &privs) != 0 || privs == 0)
        return 0;
    return add_object(g, &p, privs);
}

/* Whether s matches the schema pattern pat of a grant: '%' any run, '_' any
 * one character, '\' the next one as it is. */
static bool like(const char *pat, const char *s)
{
    for (; *pat; pat++, s++) {
        if (*pat == '%') {
            for (pat++;; s++) {
                if (like(pat, s))
                    return true;
                if (*s == '\0')
                    return false;
            }
        }
        if (*s == '\0')
            return false;
        if (*pat == '\\' && pat[1] != '\0')
            pat++;
        else if (*pat == '_')
            continue;
        if (*pat != *s)
            return false;
    }
    return *s == '\0';
}

unsigned grants_missing(const struct grants *g, unsigned privs, const char *db, const char *table)
{
    unsigned have = 0;
    for (size_t i = 0; i < g->n; i++) {
        const struct grants_entry *e = &g->v[i];
        if (e->db == NULL || (e->table == NULL && like(e->db, db)) ||
            (e->table != NULL && strcmp(e->db, db) == 0 && strcmp(e->table, table) == 0))
            have |= e->privs;
    }
    return privs & ~have;
}

int grants_names(struct buf *out, unsigned privs)
{
    int bad = 0;
    const char *sep = "";
    for (size_t i = 0; i < sizeof priv_names / sizeof *priv_names; i++)
        if (priv_names[i].bit != GRANTS_ALL && (privs & priv_names[i].bit)) {
            bad |= buf_puts(out, sep) | buf_puts(out, priv_names[i].name);
            sep = ", ";
        }
    return bad ? -1 : 0;
}

int grants_quote_schema(struct buf *out, const char *db)
{
    int bad = buf_putc(out, '`');
    for (const char *s = db; *s; s++)
        bad |= (*s == '_' || *s == '%' ? buf_putc(out, '\\') : 0) |
               (*s == '`' ? buf_putc(out, '`') : 0) | buf_putc(out, *s);
    return bad | buf_puts(out, "`.*") ? -1 : 0;
}

/* Adds every line of the result of sql (SHOW GRANTS ...) to g. Returns 0 or
 * -1 with err set. */
static int add_lines(struct grants *g, struct target *t, const char *sql, struct error *err)
{
    target_result *res = target_select(t, sql, strlen(sql), "reading the user's privileges", err);
    if (res == NULL)
        return -1;
    char **row;
    int rc = 0;
    while (rc == 0 && (row = target_next(res)) != NULL)
        rc = row[0] != NULL && grants_add_line(g, row[0]) != 0 ? error_oom(err) : 0;
    target_free(res);
    return rc;
}

int grants_load(struct grants *g, struct target *t, struct error *err)
{
    memset(g, 0, sizeof *g);
    static const char who[] = "SELECT CURRENT_USER()";
    target_result *res = target_select(t, who, sizeof who - 1, "reading the user's name", err);
    if (res == NULL)
        return -1;
    char **row = target_next(res);
    const char *at = row && row[0] ? strrchr(row[0], '@') : NULL;
    if (at != NULL)
        snprintf(g->user, sizeof g->user, "'%.*s'@'%s'", (int)(at - row[0]), row[0], at + 1);
    target_free(res);
    struct error ignored;
    int rc = add_lines(g, t, "SHOW GRANTS", err);
    /* what every account holds (MariaDB 10.11 and later; an error elsewhere
     * or when nothing is granted to PUBLIC) */
    if (rc == 0 && t->mariadb)
        add_lines(g, t, "SHOW GRANTS FOR PUBLIC", &ignored);
    if (rc == 0)
        rc = target_commit(t, err);
    if (rc != 0)
        grants_free(g);
    return rc;
}

void grants_free(struct grants *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->v[i].db);
        free(g->v[i].table);
    }
    free(g->v);
    g->v = NULL;
    g->n = 0;
}

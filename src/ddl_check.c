/* ddl_check: the CHECK constraints of the design: each SQLite CHECK
 * expression translated to MySQL where its parts mean the same there
 * (comparisons, IN, IS [NOT] NULL, BETWEEN, AND/OR/NOT, arithmetic, length(),
 * json_valid() and a few more functions), carried when every file declares it
 * and no row of any file breaks it; `CHECK (json_valid(x))` makes x a JSON
 * column instead. What is not carried is listed in the table and warned of
 * (see ddl_int.h). */
#include "ddl_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader_sql.h"
#include "target.h"

/* SQLite functions a CHECK may call, and their MySQL names. */
static const struct {
    const char *sqlite, *mysql;
} functions[] = {{"length", "CHAR_LENGTH"},
                 {"json_valid", "JSON_VALID"},
                 {"lower", "LOWER"},
                 {"upper", "UPPER"},
                 {"abs", "ABS"},
                 {"trim", "TRIM"},
                 {"ltrim", "LTRIM"},
                 {"rtrim", "RTRIM"},
                 {"coalesce", "COALESCE"},
                 {"ifnull", "IFNULL"},
                 {"substr", "SUBSTRING"}};

/* Words that mean the same in both. */
static const char *const keywords[] = {"AND",  "OR",   "NOT",  "IN",   "IS",  "NULL", "BETWEEN",
                                       "CASE", "WHEN", "THEN", "ELSE", "END", "TRUE", "FALSE"};

/* Words whose meaning differs (GLOB, LIKE: case, wildcards). */
static const char *const differ[] = {"GLOB", "LIKE", "REGEXP", "MATCH", "COLLATE", "ESCAPE"};

/* What translating one expression needs. */
struct xlate {
    const char *p;                 /* the next character of the SQLite text */
    const struct reader_table *st; /* the source table */
    const char *const *names;      /* its columns' mapped names (NULL: skipped) */
    struct buf *out;               /* the MySQL text */
    char *why;                     /* why it does not translate */
    size_t whysize;
    struct ddl_check *ck; /* the columns it names go to ck->cols */
};

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* Reads an identifier at x->p (bare or quoted) into name. Returns its length
 * in the text, 0 when none starts there. */
static size_t read_ident(const char *p, char *name, size_t size)
{
    size_t n = 0, len = 0;
    if (*p == '"' || *p == '`' || *p == '[') {
        char close = *p == '[' ? ']' : *p;
        for (len = 1; p[len] && !(p[len] == close && p[len + 1] != close); len++) {
            if (p[len] == close && close != ']')
                len++; /* a doubled quote */
            if (n + 1 < size)
                name[n++] = p[len];
        }
        name[n] = '\0';
        return p[len] ? len + 1 : 0;
    }
    while (word_char(p[len]) && !(len == 0 && isdigit((unsigned char)p[0]))) {
        if (n + 1 < size)
            name[n++] = p[len];
        len++;
    }
    name[n] = '\0';
    return len;
}

/* Appends a string literal at x->p ('...'), requoted for MySQL. Returns 0,
 * or -1 (unclosed, out of memory). */
static int string_lit(struct xlate *x)
{
    struct buf text;
    buf_init(&text, BUF_CAP_SQL);
    const char *p = x->p + 1;
    int bad = 0;
    for (; *p && !(p[0] == '\'' && p[1] != '\''); p++) {
        bad |= buf_putc(&text, *p);
        p += *p == '\'';
    }
    bad |= *p != '\'' || ddl_sql_string(x->out, text.data ? text.data : "");
    buf_free(&text);
    x->p = *p ? p + 1 : p;
    return bad ? -1 : 0;
}

/* Records that the check names column col. Returns 0 or -1. */
static int add_col(struct ddl_check *ck, const char *col)
{
    for (size_t i = 0; i < ck->ncols; i++)
        if (strcasecmp(ck->cols[i], col) == 0)
            return 0;
    char **v = realloc(ck->cols, (ck->ncols + 1) * sizeof *v);
    if (v == NULL)
        return -1;
    ck->cols = v;
    return (v[ck->ncols++] = strdup(col)) == NULL ? -1 : 0;
}

/* Translates a word at x->p: a keyword, a function name, or a column.
 * Returns 0, 1 (does not translate: x->why), -1 (out of memory). */
static int word(struct xlate *x)
{
    char name[256];
    bool quoted = *x->p == '"' || *x->p == '`' || *x->p == '[';
    size_t len = read_ident(x->p, name, sizeof name);
    if (len == 0)
        return snprintf(x->why, x->whysize, "cannot read it"), 1;
    x->p += len;
    const char *after = x->p + strspn(x->p, " \t\r\n");
    for (size_t i = 0; !quoted && i < sizeof differ / sizeof differ[0]; i++)
        if (strcasecmp(name, differ[i]) == 0)
            return snprintf(x->why, x->whysize, "MySQL has no %s of the same meaning", differ[i]),
                   1;
    for (size_t i = 0; !quoted && i < sizeof keywords / sizeof keywords[0]; i++)
        if (strcasecmp(name, keywords[i]) == 0)
            return buf_puts(x->out, keywords[i]) ? -1 : 0;
    if (!quoted && *after == '(') {
        for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
            if (strcasecmp(name, functions[i].sqlite) == 0)
                return buf_puts(x->out, functions[i].mysql) ? -1 : 0;
        return snprintf(x->why, x->whysize, "MySQL has no function %s of the same meaning", name),
               1;
    }
    const char *col = ddl_name_of(x->st, x->names, name);
    if (col == NULL)
        return snprintf(x->why, x->whysize, "%s is not a column the design has", name), 1;
    return target_quote_ident(x->out, col) || add_col(x->ck, col) ? -1 : 0;
}

/* Translates the operator or number at x->p. Returns as word() does. */
static int symbol(struct xlate *x)
{
    static const char *const ops[] = {"==", "!=", "<>", "<=", ">=", "<", ">", "=",
                                      "+",  "-",  "*",  "/",  "%",  "(", ")", ","};
    const char *p = x->p;
    if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
        size_t n = strspn(p, "0123456789.eExXabcdefABCDEF");
        if ((p[n - 1] == 'e' || p[n - 1] == 'E') && (p[n] == '+' || p[n] == '-'))
            n += 1 + strspn(p + n + 1, "0123456789");
        x->p += n;
        return buf_append(x->out, p, n) ? -1 : 0;
    }
    if (p[0] == '|' && p[1] == '|')
        return snprintf(x->why, x->whysize, "|| is OR in MySQL, not concatenation"), 1;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i]);
        if (strncmp(p, ops[i], n) == 0) {
            x->p += n;
            return buf_puts(x->out, i == 0 ? "=" : ops[i]) ? -1 : 0;
        }
    }
    return snprintf(x->why, x->whysize, "MySQL has no operator %.2s of the same meaning", p), 1;
}

/* Translates SQLite expression expr of source table st into ck->mysql (its
 * columns into ck->cols), or says why not in why. Returns 0, 1 (does not
 * translate), -1 (out of memory). */
static int translate(const char *expr, const struct reader_table *st, const char *const *names,
                     struct ddl_check *ck, char *why, size_t whysize)
{
    struct buf out;
    buf_init(&out, BUF_CAP_SQL);
    struct xlate x = {expr, st, names, &out, why, whysize, ck};
    int rc = 0;
    while (rc == 0 && *x.p) {
        if (isspace((unsigned char)*x.p)) {
            x.p += strspn(x.p, " \t\r\n");
            rc = buf_putc(&out, ' ') ? -1 : 0;
        } else if (*x.p == '\'') {
            ck->strings = true;
            rc = string_lit(&x);
        } else if (word_char(*x.p) && !isdigit((unsigned char)*x.p)) {
            rc = word(&x);
        } else if (*x.p == '"' || *x.p == '`' || *x.p == '[') {
            rc = word(&x);
        } else {
            rc = symbol(&x);
        }
    }
    if (rc == 0 && (ck->mysql = strdup(out.data ? out.data : "")) == NULL)
        rc = -1;
    buf_free(&out);
    return rc;
}

/* The column of a translated `JSON_VALID(col)`, or NULL. */
static const char *json_column(const struct ddl_check *ck)
{
    const char *m = ck->mysql;
    if (ck->ncols != 1 || m == NULL || strncmp(m, "JSON_VALID", 10) != 0)
        return NULL;
    struct buf want;
    buf_init(&want, BUF_CAP_SQL);
    bool same = buf_puts(&want, "JSON_VALID(") == 0 &&
                target_quote_ident(&want, ck->cols[0]) == 0 && buf_putc(&want, ')') == 0 &&
                strcmp(want.data, m) == 0;
    buf_free(&want);
    return same ? ck->cols[0] : NULL;
}

/* The check of dt with the same text (MySQL's, else SQLite's) as ck, or
 * NULL. */
static struct ddl_check *known(struct ddl_table *dt, const struct ddl_check *ck)
{
    for (size_t i = 0; i < dt->nchecks; i++) {
        const struct ddl_check *k = &dt->checks[i];
        if (ck->mysql != NULL ? k->mysql != NULL && strcmp(k->mysql, ck->mysql) == 0
                              : k->mysql == NULL && strcmp(k->expr, ck->expr) == 0)
            return &dt->checks[i];
    }
    return NULL;
}

void ddl_check_free(struct ddl_check *ck)
{
    for (size_t i = 0; i < ck->ncols; i++)
        free(ck->cols[i]);
    free(ck->cols);
    free(ck->expr);
    free(ck->mysql);
    free(ck->why);
    free(ck->refused_file);
    memset(ck, 0, sizeof *ck);
}

/* Folds SQLite check sc of table t of r into dt. Returns 0 or -1. */
static int add_check(struct ddl_table *dt, struct reader *r, size_t t, const char *const *names,
                     const struct reader_check *sc)
{
    struct ddl_check ck = {0};
    char why[256] = "";
    int rc = (ck.expr = strdup(sc->expr)) == NULL
                 ? -1
                 : translate(sc->expr, &r->tables[t], names, &ck, why, sizeof why);
    if (rc > 0)
        rc = (ck.why = strdup(why)) == NULL ? -1 : 0;
    if (rc < 0) {
        ddl_check_free(&ck);
        return -1;
    }
    long long refused = reader_sql_refused(r, t, sc->expr);
    struct ddl_check *k = known(dt, &ck);
    if (k == NULL) {
        struct ddl_check *v = realloc(dt->checks, (dt->nchecks + 1) * sizeof *v);
        if (v == NULL) {
            ddl_check_free(&ck);
            return -1;
        }
        dt->checks = v;
        k = &v[dt->nchecks++];
        *k = ck;
    } else {
        ddl_check_free(&ck);
    }
    k->files++;
    if (refused != 0 && k->refused_file == NULL) {
        k->refused = refused;
        if ((k->refused_file = strdup(r->path)) == NULL)
            return -1;
    }
    return 0;
}

int ddl_add_checks(struct ddl_table *dt, struct reader *r, size_t t, const char *const *names,
                   struct error *err)
{
    struct reader_check *v;
    size_t n;
    if (reader_sql_checks(r, t, &v, &n, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (add_check(dt, r, t, names, &v[i]) != 0)
            rc = error_oom(err);
    reader_sql_checks_free(v, n);
    return rc;
}

/* Whether a check naming col may mean another thing once its values are
 * converted: dates and times (numbers and texts become DATETIME/TIME), and
 * booleans compared with strings ('true' becomes 1). */
static bool converted(const struct ddl_col *col, bool strings)
{
    if (col == NULL)
        return false;
    enum ddl_class cls = col->d.cls;
    return col->forced || ddl_date_class(cls) || cls == DDL_TIME || (cls == DDL_BOOL && strings);
}

/* Why check ck of t is not carried (NULL: it is) on a server that enforces
 * CHECK constraints or not (enforced); why has room for 256 bytes. */
static const char *left_out(const struct ddl_table *t, const struct ddl_check *ck, bool enforced,
                            char *why)
{
    if (ck->mysql == NULL)
        return ck->why;
    if (ck->files < t->files)
        return snprintf(why, 256, "declared in %zu of %zu files", ck->files, t->files), why;
    if (ck->refused < 0)
        return snprintf(why, 256, "SQLite cannot evaluate it here (in %s)", ck->refused_file), why;
    if (ck->refused > 0)
        return snprintf(why, 256, "%lld rows of %s break it", ck->refused, ck->refused_file), why;
    if (!enforced)
        return "the server does not enforce CHECK constraints (MariaDB 10.2, MySQL 8.0.16 do)";
    for (size_t i = 0; i < ck->ncols; i++)
        if (converted(ddl_find_col(t, ck->cols[i]), ck->strings))
            return snprintf(why, 256, "column %s's values are converted (dates, times, booleans)",
                            ck->cols[i]),
                   why;
    return NULL;
}

bool ddl_check_json(const struct ddl_table *t, const struct ddl_col *col)
{
    for (size_t i = 0; i < t->nchecks; i++) {
        const struct ddl_check *ck = &t->checks[i];
        const char *jc = json_column(ck);
        if (jc != NULL && strcasecmp(jc, col->name) == 0 && ck->files == t->files &&
            ck->refused == 0)
            return true;
    }
    return false;
}

int ddl_render_checks(const struct ddl_schema *s, const struct ddl_table *t, struct buf *out)
{
    int bad = 0;
    for (size_t i = 0; i < t->nchecks; i++) {
        const struct ddl_check *ck = &t->checks[i];
        const char *jc = json_column(ck);
        const struct ddl_col *c = jc != NULL ? ddl_find_col(t, jc) : NULL;
        if (c != NULL && ddl_check_json(t, c))
            continue; /* the column is JSON, which holds only JSON */
        char why[256];
        const char *no = left_out(t, ck, s->checks_enforced, why);
        if (no == NULL) {
            bad |= buf_printf(out, ",\n  CHECK (%s)", ck->mysql);
            continue;
        }
        struct buf text;
        buf_init(&text, BUF_CAP_SQL);
        bad |= buf_printf(&text, "SQLite CHECK (%s) not carried: %s", ck->expr, no) |
               buf_puts(out, "\n  /* ") | ddl_comment_text(out, text.data) | buf_puts(out, " */");
        buf_free(&text);
    }
    return bad;
}

size_t ddl_check_warnings(const struct ddl_schema *s, struct buf *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        for (size_t k = 0; k < s->t[i].nchecks; k++) {
            const struct ddl_check *ck = &s->t[i].checks[k];
            char why[256];
            const char *no = left_out(&s->t[i], ck, s->checks_enforced, why);
            const char *jc = json_column(ck);
            const struct ddl_col *c = jc != NULL ? ddl_find_col(&s->t[i], jc) : NULL;
            if (no != NULL && !(c != NULL && ddl_check_json(&s->t[i], c))) {
                buf_printf(out, "table %s: SQLite CHECK (%s) not carried: %s\n", s->t[i].name,
                           ck->expr, no);
                n++;
            }
        }
    return n;
}

void ddl_set_checks_enforced(struct ddl_schema *s, bool enforced)
{
    s->checks_enforced = enforced;
}

size_t ddl_warnings(const struct ddl_schema *s, struct buf *out)
{
    return ddl_check_warnings(s, out) + ddl_collate_warnings(s, out);
}

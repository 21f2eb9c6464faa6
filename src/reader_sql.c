/* reader_sql: CHECK constraints, collations, CHECK-refused rows and virtual
 * tables of an open reader, read from its CREATE statements and SQLite's
 * column metadata (see reader_sql.h). */
#include "reader_sql.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The end of what starts at p and may hide parentheses and commas: a string,
 * a quoted name or a comment; p itself when it is none of those. */
static const char *skip_quoted(const char *p)
{
    if (*p == '\'' || *p == '"' || *p == '`' || *p == '[') {
        char close = *p == '[' ? ']' : *p;
        for (p++; *p; p++)
            if (*p == close && close != ']' && p[1] == close)
                p++; /* a doubled quote */
            else if (*p == close)
                return p + 1;
        return p;
    }
    if (p[0] == '-' && p[1] == '-') {
        const char *e = strchr(p, '\n');
        return e != NULL ? e + 1 : p + strlen(p);
    }
    if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        return e != NULL ? e + 2 : p + strlen(p);
    }
    return p;
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* Whether keyword word (upper case) starts at p as a whole word of sql. */
static bool word_at(const char *sql, const char *p, const char *word)
{
    size_t n = strlen(word);
    return strncasecmp(p, word, n) == 0 && !ident_char(p[n]) && (p == sql || !ident_char(p[-1]));
}

/* The ')' closing the '(' at p, or NULL. */
static const char *close_paren(const char *p)
{
    int depth = 0;
    while (*p) {
        const char *q = skip_quoted(p);
        if (q != p) {
            p = q;
            continue;
        }
        if (*p == '(')
            depth++;
        else if (*p == ')' && --depth == 0)
            return p;
        p++;
    }
    return NULL;
}

/* The column a definition of the CREATE TABLE body starting at seg declares
 * (unquoted, owned by the caller), or NULL: a table constraint, or out of
 * memory (*bad set). */
static char *column_of(const char *seg, bool *bad)
{
    static const char *const constraints[] = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK",
                                              "FOREIGN"};
    while (isspace((unsigned char)*seg))
        seg++;
    for (size_t i = 0; i < sizeof constraints / sizeof constraints[0]; i++)
        if (word_at(seg, seg, constraints[i]))
            return NULL;
    const char *end = skip_quoted(seg);
    char *name;
    if (end != seg) { /* a quoted name: its quotes off, doubled ones single */
        name = strndup(seg + 1, (size_t)(end - seg - 2 > 0 ? end - seg - 2 : 0));
        for (char *q = name; q != NULL && *seg != '[' && *q; q++)
            if (q[0] == *seg && q[1] == *seg)
                memmove(q, q + 1, strlen(q));
    } else {
        while (ident_char(*end))
            end++;
        name = strndup(seg, (size_t)(end - seg));
    }
    *bad = *bad || name == NULL;
    return name;
}

/* Appends CHECK expression [from, to) of the definition starting at seg to
 * *v. Returns 0 or -1 (out of memory). */
static int push_check(struct reader_check **v, size_t *n, const char *from, const char *to,
                      const char *seg)
{
    struct reader_check *g = realloc(*v, (*n + 1) * sizeof *g);
    if (g == NULL)
        return -1;
    *v = g;
    bool bad = false;
    g[*n].expr = strndup(from, (size_t)(to - from));
    g[*n].column = column_of(seg, &bad);
    (*n)++;
    return bad || g[*n - 1].expr == NULL ? -1 : 0;
}

/* Reads the CHECK constraints of CREATE TABLE text sql into *v. Returns 0 or
 * -1 (out of memory). */
static int parse_checks(const char *sql, struct reader_check **v, size_t *n)
{
    const char *p = sql, *seg = NULL;
    int depth = 0;
    while (*p) {
        const char *q = skip_quoted(p);
        if (q != p) {
            p = q;
            continue;
        }
        if (*p == '(' && ++depth == 1)
            seg = p + 1;
        else if (*p == ')' && --depth == 0)
            break;
        else if (*p == ',' && depth == 1)
            seg = p + 1;
        else if (depth == 1 && word_at(sql, p, "CHECK")) {
            const char *open = p + 5;
            while (isspace((unsigned char)*open))
                open++;
            const char *close = *open == '(' ? close_paren(open) : NULL;
            if (close == NULL)
                break;
            if (push_check(v, n, open + 1, close, seg) != 0)
                return -1;
            p = close;
        }
        p++;
    }
    return 0;
}

/* The SQL text of object name (NULL when none, or out of memory: *bad). */
static char *object_sql(struct reader *r, const char *name, bool *bad)
{
    sqlite3_stmt *st = NULL;
    char *sql = NULL;
    if (sqlite3_prepare_v2(r->db, "SELECT sql FROM main.sqlite_schema WHERE name = ?1", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK)
        *bad = true;
    else if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
        *bad = (sql = strdup((const char *)sqlite3_column_text(st, 0))) == NULL;
    sqlite3_finalize(st);
    return sql;
}

int reader_sql_checks(struct reader *r, size_t t, struct reader_check **out, size_t *n,
                      struct error *err)
{
    bool bad = false;
    char *sql = object_sql(r, r->tables[t].name, &bad);
    *out = NULL;
    *n = 0;
    if (bad || (sql != NULL && parse_checks(sql, out, n) != 0)) {
        free(sql);
        reader_sql_checks_free(*out, *n);
        *out = NULL;
        *n = 0;
        return error_set(err, "%s: table \"%s\": cannot read its CHECK constraints: %s", r->path,
                         r->tables[t].name, bad ? sqlite3_errmsg(r->db) : "out of memory");
    }
    free(sql);
    return 0;
}

void reader_sql_checks_free(struct reader_check *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].expr);
        free(v[i].column);
    }
    free(v);
}

int reader_sql_collations(struct reader *r, size_t t, char ***out, struct error *err)
{
    const struct reader_table *tb = &r->tables[t];
    char **v = calloc(tb->ncols + 1, sizeof *v);
    if (v == NULL)
        return error_oom(err);
    for (size_t c = 0; c < tb->ncols; c++) {
        const char *coll = NULL;
        if (sqlite3_table_column_metadata(r->db, "main", tb->name, tb->cols[c].name, NULL, &coll,
                                          NULL, NULL, NULL) != SQLITE_OK)
            coll = NULL; /* a generated column SQLite keeps no metadata for: BINARY */
        if (coll == NULL || strcasecmp(coll, "BINARY") == 0)
            continue;
        if ((v[c] = strdup(coll)) == NULL) {
            reader_sql_collations_free(v, tb->ncols);
            return error_oom(err);
        }
        for (char *p = v[c]; *p; p++)
            *p = (char)toupper((unsigned char)*p);
    }
    *out = v;
    return 0;
}

void reader_sql_collations_free(char **v, size_t n)
{
    for (size_t i = 0; v != NULL && i < n; i++)
        free(v[i]);
    free(v);
}

long long reader_sql_refused(struct reader *r, size_t t, const char *expr)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (buf_puts(&sql, "SELECT count(*) FROM main.") == 0 &&
        reader_quote_ident(&sql, r->tables[t].name) == 0 &&
        buf_printf(&sql, " WHERE NOT (%s)", expr) == 0 &&
        sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    buf_free(&sql);
    return n;
}

/* The module a CREATE VIRTUAL TABLE text names after USING ("fts5"), in buf. */
static void module_of(const char *sql, char *out, size_t size)
{
    snprintf(out, size, "virtual");
    for (const char *p = sql; p != NULL && *p; p++) {
        const char *q = skip_quoted(p);
        if (q != p) {
            p = q - 1;
            continue;
        }
        if (word_at(sql, p, "USING")) {
            for (p += 5; isspace((unsigned char)*p); p++)
                ;
            size_t n = 0;
            while (ident_char(p[n]) && n + 1 < size)
                n++;
            snprintf(out, size, "%.*s", (int)n, p);
            return;
        }
    }
}

/* Folds the shadow tables of virtual table *vi (an index into r->skipped)
 * into its entry; *vi becomes that entry's index once they are gone. Returns
 * 0 or -1 (out of memory). */
static int fold_one(struct reader *r, size_t *vi)
{
    struct buf why;
    buf_init(&why, BUF_CAP_MSG);
    bool bad = false;
    const char *name = r->skipped[*vi].name;
    char module[32], *sql = object_sql(r, name, &bad);
    module_of(sql, module, sizeof module);
    free(sql);
    size_t n = strlen(name), kept = 0, shadows = 0, at = 0;
    int rc = buf_printf(&why, "a virtual table of module %s", module);
    bool *shadow = calloc(r->nskipped + 1, sizeof *shadow);
    for (size_t i = 0; shadow != NULL && i < r->nskipped; i++) {
        const struct reader_skipped *s = &r->skipped[i];
        shadow[i] = i != *vi && strcmp(s->kind, "shadow") == 0 && strncmp(s->name, name, n) == 0 &&
                    s->name[n] == '_';
        if (shadow[i])
            rc |= buf_printf(&why, "%s%s", shadows++ ? ", " : ", with its shadow tables ", s->name);
    }
    rc |= buf_puts(&why, ": MySQL has no such table; the application must recreate it (see "
                         "README, \"Schema creation mode\")");
    char *text = rc == 0 && !bad && shadow != NULL ? strdup(why.data) : NULL;
    buf_free(&why);
    if (text == NULL) {
        free(shadow);
        return -1;
    }
    free(r->skipped[*vi].why);
    r->skipped[*vi].why = text;
    /* the entries left, into an array of their own (the shadows' freed) */
    struct reader_skipped *left = malloc((r->nskipped + 1) * sizeof *left);
    if (left == NULL) {
        free(shadow);
        return -1;
    }
    for (size_t i = 0; i < r->nskipped; i++) {
        struct reader_skipped e = r->skipped[i];
        if (!shadow[i]) {
            at = i == *vi ? kept : at;
            left[kept++] = e;
            continue;
        }
        free(e.name);
        free(e.kind);
        free(e.why);
    }
    free(r->skipped);
    r->skipped = left;
    r->nskipped = kept;
    *vi = at;
    free(shadow);
    return 0;
}

int reader_sql_fold_shadows(struct reader *r)
{
    for (size_t i = 0; i < r->nskipped; i++)
        if (strcmp(r->skipped[i].kind, "virtual") == 0 && fold_one(r, &i) != 0)
            return -1;
    return 0;
}

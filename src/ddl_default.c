/* ddl_default: the defaults of the design: kept only when every file that
 * has the column declares the same one, and converted by the very rules that
 * convert the column's values (xform.h): an ISO date text with T, Z or an
 * offset becomes a UTC DATETIME literal, an epoch number a date, a boolean
 * word 0/1; a default MySQL cannot take is dropped, and the column comment
 * says why (see ddl_int.h). */
#include "ddl_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema.h"
#include "xform.h"

/* strdup of s, NULL staying NULL; *bad set when out of memory. */
static char *dup_or_null(const char *s, bool *bad)
{
    char *d = s != NULL ? strdup(s) : NULL;
    *bad = *bad || (s != NULL && d == NULL);
    return d;
}

static bool same_default(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

int ddl_default_merge(struct ddl_col *c, const char *dflt, const char *file)
{
    bool bad = false;
    if (dflt != NULL && strcasecmp(dflt, "NULL") == 0)
        dflt = NULL; /* DEFAULT NULL is no default */
    if (c->files == 0) {
        c->dflt = dup_or_null(dflt, &bad);
        c->dflt_file = dup_or_null(file, &bad);
    } else if (!c->dflt_differs && !same_default(c->dflt, dflt)) {
        c->dflt_differs = true;
        c->dflt_other = dup_or_null(dflt, &bad);
        c->dflt_other_file = dup_or_null(file, &bad);
    }
    return bad ? -1 : 0;
}

/* The text of SQLite string literal lit ('...' with '' for a quote), or NULL
 * when out of memory. */
static char *sqlite_string(const char *lit)
{
    char *out = malloc(strlen(lit) + 1), *o = out;
    if (out == NULL)
        return NULL;
    for (const char *q = lit + 1; *q && !(q[0] == '\'' && q[1] != '\''); q++) {
        *o++ = *q;
        q += *q == '\'';
    }
    *o = '\0';
    return out;
}

/* Reads SQLite default text dflt as a value: a string literal (its text in
 * *text, owned by the caller), a number (in parentheses or not), TRUE or
 * FALSE. Returns 0, 1 when it is none of those (an expression, a blob...),
 * -1 when out of memory. */
static int default_value(const char *dflt, struct xform_src *v, char **text)
{
    memset(v, 0, sizeof *v);
    *text = NULL;
    if (dflt[0] == '\'') {
        if ((*text = sqlite_string(dflt)) == NULL)
            return -1;
        v->type = SQLITE_TEXT;
        v->p = (const unsigned char *)*text;
        v->n = strlen(*text);
        return 0;
    }
    if (strcasecmp(dflt, "TRUE") == 0 || strcasecmp(dflt, "FALSE") == 0) {
        v->type = SQLITE_INTEGER;
        v->i = strcasecmp(dflt, "TRUE") == 0;
        return 0;
    }
    const char *p = dflt[0] == '(' ? dflt + 1 : dflt;
    char *end;
    errno = 0;
    long long i = strtoll(p, &end, 10);
    bool closed = end != p && (*end == '\0' || (*end == ')' && end[1] == '\0' && p != dflt));
    if (closed && errno == 0) {
        v->type = SQLITE_INTEGER;
        v->i = i;
        return 0;
    }
    double d = strtod(p, &end);
    if (end != p && (*end == '\0' || (*end == ')' && end[1] == '\0' && p != dflt))) {
        v->type = SQLITE_FLOAT;
        v->d = d;
        return 0;
    }
    return 1;
}

/* The literal of converted value out (arena's bytes) for a DEFAULT clause,
 * or NULL (out of memory, or bytes that are no text). */
static char *literal_of(const struct xform_val *out, const struct buf *arena)
{
    if (out->kind == XFORM_NUM)
        return strndup(arena->data + out->off, out->len);
    if (out->kind != XFORM_STR)
        return NULL;
    char *text = strndup(arena->data + out->off, out->len), *lit = NULL;
    struct buf b;
    buf_init(&b, BUF_CAP_SQL);
    if (text != NULL && ddl_sql_string(&b, text) == 0)
        lit = strdup(b.data);
    buf_free(&b);
    free(text);
    return lit;
}

/* Converts default value v for a column of type (unit: see
 * ddl_default_literal); a refusal's reason goes to why. */
static char *convert(const struct xform_src *v, const char *type, enum xform_unit unit, char *why,
                     size_t whysize)
{
    struct schema_column col;
    if (schema_column_designed(&col, "default", type, true, true) != 0)
        return NULL;
    struct xform_col xc = {.col = &col, .unit = unit};
    struct buf arena, reason;
    buf_init(&arena, BUF_CAP_ROW);
    buf_init(&reason, BUF_CAP_MSG);
    struct xform_val out;
    unsigned flags = 0;
    char *lit = NULL;
    int rc = xform_convert(&xc, v, &arena, &out, &reason, &flags);
    if (rc == 0)
        lit = literal_of(&out, &arena);
    else if (rc > 0)
        snprintf(why, whysize, "%s", reason.data != NULL ? reason.data : "not a value of it");
    buf_free(&arena);
    buf_free(&reason);
    schema_column_free(&col);
    return lit;
}

/* CURRENT_TIMESTAMP for a DATETIME column, NULL otherwise (why says so). */
static char *current_timestamp(const char *type, char *why, size_t whysize)
{
    if (strcmp(type, "DATETIME(6)") == 0)
        return strdup("CURRENT_TIMESTAMP(6)");
    if (strcmp(type, "DATETIME") == 0)
        return strdup("CURRENT_TIMESTAMP");
    snprintf(why, whysize, "MySQL takes CURRENT_TIMESTAMP only for a DATETIME column");
    return NULL;
}

char *ddl_default_literal(const struct ddl_col *col, const char *type, enum xform_unit unit,
                          char *why, size_t whysize)
{
    char spare[8];
    if (why == NULL) {
        why = spare;
        whysize = sizeof spare;
    }
    why[0] = '\0';
    if (col->dflt_differs) {
        snprintf(why, whysize, "the files disagree: %s in %s, %s in %s",
                 col->dflt ? col->dflt : "none", col->dflt_file,
                 col->dflt_other ? col->dflt_other : "none", col->dflt_other_file);
        return NULL;
    }
    if (col->dflt == NULL)
        return NULL;
    if (strstr(type, "TEXT") || strstr(type, "BLOB") || strcmp(type, "JSON") == 0) {
        snprintf(why, whysize, "MySQL takes no literal default for %s", type);
        return NULL;
    }
    if (strcasecmp(col->dflt, "CURRENT_TIMESTAMP") == 0)
        return current_timestamp(type, why, whysize);
    struct xform_src v;
    char *text, *lit = NULL;
    int rc = default_value(col->dflt, &v, &text);
    if (rc > 0)
        snprintf(why, whysize, "an expression MySQL does not take");
    else if (rc == 0)
        lit = convert(&v, type, unit, why, whysize);
    free(text);
    return lit;
}

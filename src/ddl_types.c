/* ddl_types: the pure type logic of schema creation: SQLite declared types,
 * the MySQL type a declaration and the stored values call for, the unit of a
 * date column's numbers, and what a type costs in an InnoDB key (see ddl.h). */
#include "ddl_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "schema.h"

/* ---- declared types ------------------------------------------------------ */

static bool has(const char *up, const char *word)
{
    return strstr(up, word) != NULL;
}

/* The class of the upper-cased, blank-free declaration up (SQLite's affinity
 * rules, in their order, and the common spellings). */
static enum ddl_class class_of(const char *up, bool paren)
{
    if (has(up, "JSON"))
        return DDL_JSON;
    if (has(up, "BOOL"))
        return DDL_BOOL;
    if (has(up, "INT")) /* SQLite's first rule: INTEGER affinity */
        return DDL_INT;
    if (has(up, "CHAR") || has(up, "CLOB") || has(up, "TEXT"))
        return DDL_TEXT;
    if (has(up, "BLOB"))
        return DDL_BLOB;
    if (has(up, "REAL") || has(up, "FLOA") || has(up, "DOUB"))
        return DDL_REAL;
    if (has(up, "DATETIME") || has(up, "TIMESTAMP"))
        return DDL_DATETIME;
    if (has(up, "DATE"))
        return DDL_DATE;
    if (has(up, "TIME"))
        return DDL_TIME;
    if (has(up, "DEC") || has(up, "NUMERIC"))
        return paren ? DDL_DECIMAL : DDL_NONE;
    return DDL_NONE;
}

/* The bytes of the MySQL integer type the blank-free declaration up names
 * (TINYINT, SMALLINT, MEDIUMINT, INT, each with a display width or UNSIGNED);
 * 0 for any other spelling (INTEGER, BIGINT...: 64 bits, as SQLite stores). */
static int int_width(const char *up)
{
    static const struct {
        const char *name;
        int bytes;
    } names[] = {{"TINYINT", 1}, {"SMALLINT", 2}, {"MEDIUMINT", 3}, {"INT", 4}};
    size_t len = strlen(up);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i].name);
        if (len < n || memcmp(up, names[i].name, n) != 0)
            continue;
        const char *rest = up + n;
        if (*rest == '\0' || *rest == '(' || strcmp(rest, "UNSIGNED") == 0)
            return names[i].bytes;
    }
    return 0;
}

/* Reads the size arguments of the blank-free "(A)" or "(A,B)" at p: each
 * digits only, at most 9 of them (no sign: sscanf's %d took "-2" and
 * overflowed on long ones). Returns how many were read: 2, 1, or 0 when p
 * is neither form. */
static int size_args(const char *p, int *a, int *b)
{
    long long v[2] = {0, 0};
    int k = 0;
    for (p++; k < 2; k++) {
        int digits = 0;
        for (; *p >= '0' && *p <= '9' && digits < 10; p++, digits++)
            v[k] = v[k] * 10 + (*p - '0');
        if (digits == 0 || digits > 9 || (*p != ',' && *p != ')') || (*p == ',' && k == 1))
            return 0;
        if (*p++ == ')')
            break;
    }
    *a = (int)v[0];
    *b = (int)v[1];
    return k == 2 ? 0 : k + 1;
}

void ddl_parse_decl(const char *decl, struct ddl_decl *out)
{
    char up[256] = "";
    size_t n = 0;
    memset(out, 0, sizeof *out);
    for (const char *p = decl; *p && n + 1 < sizeof up; p++)
        if (!isspace((unsigned char)*p))
            up[n++] = (char)toupper((unsigned char)*p);
    up[n] = '\0';
    const char *paren = strchr(up, '(');
    if (paren != NULL) {
        int a = 0, b = 0;
        if (size_args(paren, &a, &b) > 0) {
            out->len = a;
            out->prec = a;
            out->scale = b;
        }
    }
    out->is_unsigned = has(up, "UNSIGNED") && !has(up, "UNSIGNEDBIGINT");
    out->cls = class_of(up, paren != NULL);
    if (out->cls != DDL_TEXT)
        out->len = 0;
    if (out->cls != DDL_DECIMAL)
        out->prec = out->scale = 0;
    if (out->cls == DDL_DECIMAL && (out->prec < 1 || out->prec > 65 || out->scale > out->prec)) {
        out->cls = DDL_NONE; /* not a DECIMAL MySQL has: the values decide */
        out->prec = out->scale = 0;
    }
    if (out->cls == DDL_INT && has(up, "UNSIGNEDBIGINT"))
        out->is_unsigned = false; /* SQLite's spelling of a plain 64-bit integer */
    if (out->cls == DDL_INT)
        out->int_bytes = int_width(up);
}

/* ---- choosing a MySQL type ----------------------------------------------- */

static bool plausible_seconds(const struct ddl_values *v)
{
    return plan_plausible_seconds(v->nmin, v->nmax);
}

/* The type the values alone call for. */
static void by_values(const struct ddl_values *v, bool key, char *type, size_t n)
{
    size_t chars = v->max_chars ? v->max_chars : 1, bytes = v->max_bytes ? v->max_bytes : 1;
    if (v->n_blob > 0 && key)
        snprintf(type, n, "VARBINARY(%zu)", bytes);
    else if (v->n_blob > 0)
        snprintf(type, n, "%s", schema_lob_type(v->max_bytes, true));
    else if (v->n_text > 0 && key)
        snprintf(type, n, "VARCHAR(%zu)", chars);
    else if (v->n_text > 0)
        snprintf(type, n, "%s", schema_lob_type(v->max_bytes, false));
    else if (v->n_real > 0)
        snprintf(type, n, "DOUBLE");
    else if (v->n_int > 0)
        snprintf(type, n, "BIGINT");
    else
        snprintf(type, n, "VARCHAR(%zu)", key ? chars : 255);
}

enum xform_unit ddl_unit(const struct ddl_decl *d, const struct ddl_values *v)
{
    if (!ddl_date_class(d->cls) || v->n_int + v->n_real == 0 || plausible_seconds(v))
        return XFORM_UNIT_AUTO;
    enum xform_unit unit = XFORM_UNIT_AUTO;
    return plan_unit_readings(v->nmin, v->nmax, &unit, NULL) == 1 ? unit : XFORM_UNIT_AUTO;
}

/* The note of a text/blob key column given a length from the data. */
#define KEY_SIZED "a key column: %s sized from the longest value (a %s cannot be a key)"

/* A type and note for a column declared DATE or DATETIME; false when the
 * values do not fit the declaration (or are text in a key column). */
static bool choose_date(const struct ddl_decl *d, const struct ddl_values *v, bool key, char *type,
                        size_t typesize, char *note, size_t notesize)
{
    if (v->n_blob > 0 || v->text_nodate)
        return false;
    bool numbers = v->n_int + v->n_real > 0 && !plausible_seconds(v);
    if (numbers && v->n_text > 0 && key) /* text, not DATETIME: by_values sizes the key */
        return false;
    enum xform_unit unit = XFORM_UNIT_AUTO;
    const char *uname = NULL;
    if (numbers && v->n_text == 0 && plan_unit_readings(v->nmin, v->nmax, &unit, &uname) == 1) {
        snprintf(type, typesize, "DATETIME(6)");
        snprintf(note, notesize, "its numbers are read as %s", uname);
        return true;
    }
    if (numbers) { /* numbers that are not plausible unix seconds stay numbers */
        if (v->n_text > 0)
            snprintf(type, typesize, "%s", schema_lob_type(v->max_bytes, false));
        else
            snprintf(type, typesize, "%s", v->real_frac ? "DOUBLE" : "BIGINT");
        snprintf(note, notesize,
                 "declared %s, but its numbers are not plausible unix seconds: kept as numbers",
                 d->cls == DDL_DATE ? "DATE" : "DATETIME");
        return true;
    }
    if (d->cls == DDL_DATE && !v->text_time && v->n_int + v->n_real == 0)
        snprintf(type, typesize, "DATE");
    else
        snprintf(type, typesize, "DATETIME(6)");
    if (d->cls == DDL_DATE && v->text_time)
        snprintf(note, notesize, "declared DATE, but values carry times of day");
    return true;
}

/* A type and note for a column declared as text; false when the values do not
 * fit the declaration. */
static bool choose_text(const struct ddl_decl *d, const struct ddl_values *v, bool key, char *type,
                        size_t typesize, char *note, size_t notesize)
{
    if (v->n_blob > 0)
        return false;
    if (d->len <= 0 && !key) {
        snprintf(type, typesize, "%s", schema_lob_type(v->max_bytes, false));
        return true;
    }
    size_t len = (size_t)d->len > v->max_chars ? (size_t)d->len : v->max_chars;
    snprintf(type, typesize, "VARCHAR(%zu)", len ? len : 1);
    if (d->len > 0 && v->max_chars > (size_t)d->len)
        snprintf(note, notesize, "declared length %d, widened to %zu for the data", d->len,
                 v->max_chars);
    else if (d->len == 0)
        snprintf(note, notesize, KEY_SIZED, "VARCHAR", "TEXT");
    return true;
}

/* A type and note for a column declared as an integer of integer values:
 * TINYINT/SMALLINT/MEDIUMINT/INT kept when every value fits it, else BIGINT
 * with a note. */
static void choose_int(const struct ddl_decl *d, const struct ddl_values *v, char *type,
                       size_t typesize, char *note, size_t notesize)
{
    static const char *const names[] = {"BIGINT", "TINYINT", "SMALLINT", "MEDIUMINT", "INT"};
    const char *sign = d->is_unsigned ? " UNSIGNED" : "";
    if (d->int_bytes == 0) {
        snprintf(type, typesize, "BIGINT%s", sign);
        return;
    }
    double bits = 8.0 * d->int_bytes;
    double lo = d->is_unsigned ? 0 : -ldexp(1, (int)bits - 1);
    double hi = d->is_unsigned ? ldexp(1, (int)bits) - 1 : ldexp(1, (int)bits - 1) - 1;
    bool fits = v->n_int + v->n_real == 0 || (v->nmin >= lo && v->nmax <= hi);
    snprintf(type, typesize, "%s%s", names[fits ? d->int_bytes : 0], sign);
    if (!fits)
        snprintf(note, notesize, "declared %s%s, widened to BIGINT: values from %.17g to %.17g",
                 names[d->int_bytes], sign, v->nmin, v->nmax);
}

/* A type and note from the declaration d of a column with values v; false
 * when the values do not fit it (or nothing is declared). */
static bool by_declaration(const struct ddl_decl *d, const struct ddl_values *v, bool key,
                           char *type, size_t typesize, char *note, size_t notesize)
{
    bool nonnum = v->n_text > 0 || v->n_blob > 0;
    switch (d->cls) {
    case DDL_INT:
        if (!nonnum && v->real_frac)
            snprintf(type, typesize, "DOUBLE");
        else if (!nonnum)
            choose_int(d, v, type, typesize, note, notesize);
        return !nonnum;
    case DDL_REAL:
        if (!nonnum)
            snprintf(type, typesize, "DOUBLE");
        return !nonnum;
    case DDL_DECIMAL:
        if (v->n_blob == 0)
            snprintf(type, typesize, "DECIMAL(%d,%d)", d->prec, d->scale);
        return v->n_blob == 0;
    case DDL_BOOL:
        if (v->bool_like)
            snprintf(type, typesize, "TINYINT(1)");
        return v->bool_like;
    case DDL_DATE:
    case DDL_DATETIME:
        return choose_date(d, v, key, type, typesize, note, notesize);
    case DDL_TIME: /* only texts convert to TIME */
        if (v->n_blob + v->n_int + v->n_real > 0 || v->text_nodate)
            return false;
        snprintf(type, typesize, "TIME(6)");
        return true;
    case DDL_TEXT:
        return choose_text(d, v, key, type, typesize, note, notesize);
    case DDL_BLOB:
        if (key) {
            snprintf(type, typesize, "VARBINARY(%zu)", v->max_bytes ? v->max_bytes : 1);
            snprintf(note, notesize, KEY_SIZED, "VARBINARY", "BLOB");
        } else
            snprintf(type, typesize, "%s", schema_lob_type(v->max_bytes, true));
        return true;
    case DDL_JSON:
        if (v->n_blob == 0)
            snprintf(type, typesize, "JSON");
        return v->n_blob == 0;
    case DDL_NONE:
        break;
    }
    return false;
}

void ddl_choose(const struct ddl_decl *d, const struct ddl_values *v, bool key, char *type,
                size_t typesize, char *note, size_t notesize)
{
    note[0] = '\0';
    if (by_declaration(d, v, key, type, typesize, note, notesize))
        return;
    by_values(v, key, type, typesize);
    if (d->cls != DDL_NONE)
        snprintf(note, notesize, "the stored values do not fit the declared type: %s", type);
    if (key && strncmp(type, "VAR", 3) == 0)
        snprintf(note + strlen(note), notesize - strlen(note), "%s" KEY_SIZED, note[0] ? "; " : "",
                 strncmp(type, "VARCHAR", 7) == 0 ? "VARCHAR" : "VARBINARY",
                 strncmp(type, "VARCHAR", 7) == 0 ? "TEXT" : "BLOB");
}

/* ---- values and keys ----------------------------------------------------- */

void ddl_merge_values(struct ddl_values *a, const struct ddl_values *b)
{
    a->n_int += b->n_int;
    a->n_real += b->n_real;
    a->n_text += b->n_text;
    a->n_blob += b->n_blob;
    a->n_null += b->n_null;
    a->real_frac = a->real_frac || b->real_frac;
    a->text_time = a->text_time || b->text_time;
    a->text_nodate = a->text_nodate || b->text_nodate;
    a->bool_like = a->bool_like && b->bool_like;
    a->nmin = fmin(a->nmin, b->nmin);
    a->nmax = fmax(a->nmax, b->nmax);
    a->max_chars = a->max_chars > b->max_chars ? a->max_chars : b->max_chars;
    a->max_bytes = a->max_bytes > b->max_bytes ? a->max_bytes : b->max_bytes;
}

bool ddl_date_class(enum ddl_class c)
{
    return c == DDL_DATE || c == DDL_DATETIME;
}

size_t ddl_key_bytes(const char *type)
{
    size_t n = 0;
    const char *p = strchr(type, '(');
    if (p != NULL)
        n = strtoul(p + 1, NULL, 10);
    if (strncmp(type, "VARCHAR", 7) == 0)
        return 4 * n + 2;
    if (strncmp(type, "VARBINARY", 9) == 0)
        return n + 2;
    if (strncmp(type, "DECIMAL", 7) == 0)
        return n / 2 + 1;
    if (strncmp(type, "DATE", 4) == 0 && type[4] == '\0')
        return 3;
    if (strncmp(type, "TINYINT", 7) == 0)
        return 1;
    if (strncmp(type, "SMALLINT", 8) == 0)
        return 2;
    if (strncmp(type, "MEDIUMINT", 9) == 0)
        return 3;
    if (strncmp(type, "INT", 3) == 0)
        return 4;
    if (strncmp(type, "TIME(", 5) == 0)
        return 6;
    if (strstr(type, "TEXT") || strstr(type, "BLOB") || strcmp(type, "JSON") == 0)
        return 100000; /* not a key type */
    return 8;
}

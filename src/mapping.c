/* mapping: INI overrides (see mapping.h). */
#include "mapping.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const struct {
    const char *name;
    enum xform_unit unit;
} units[] = {{"epoch-s", XFORM_UNIT_S},   {"epoch-ms", XFORM_UNIT_MS},
             {"epoch-us", XFORM_UNIT_US}, {"julian-day", XFORM_UNIT_JULIAN},
             {"iso8601", XFORM_UNIT_ISO}, {"text", XFORM_UNIT_TEXT}};

int mapping_unit(const char *name, enum xform_unit *unit)
{
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strcasecmp(name, units[i].name) == 0) {
            *unit = units[i].unit;
            return 0;
        }
    return -1;
}

const char *mapping_unit_name(enum xform_unit unit)
{
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (units[i].unit == unit)
            return units[i].name;
    return "";
}

struct parse {
    struct mapping *m;
    FILE *f;
    int line;         /* lines read so far: the line of the entry being handled */
    int problem_line; /* line of problem[], 0 when none */
    char problem[512];
};

/* inih's line reader, counting lines so that a problem knows its line. */
static char *read_line(char *str, int num, void *stream)
{
    struct parse *p = stream;
    char *s = fgets(str, num, p->f);
    if (s != NULL)
        p->line++;
    return s;
}

static int yes_no(const char *v, bool *out)
{
    if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
        *out = true;
    else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
        *out = false;
    else
        return -1;
    return 0;
}

static struct mapping_table *get_table(struct mapping *m, const char *name)
{
    for (size_t i = 0; i < m->ntables; i++)
        if (strcasecmp(m->tables[i].name, name) == 0)
            return &m->tables[i];
    struct mapping_table *v = realloc(m->tables, (m->ntables + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    m->tables = v;
    struct mapping_table *t = &v[m->ntables++];
    memset(t, 0, sizeof *t);
    t->name = strdup(name);
    return t;
}

static struct mapping_column *get_column(struct mapping_table *t, const char *name, size_t n)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strlen(t->cols[i].name) == n && strncasecmp(t->cols[i].name, name, n) == 0)
            return &t->cols[i];
    struct mapping_column *v = realloc(t->cols, (t->ncols + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    t->cols = v;
    struct mapping_column *c = &v[t->ncols++];
    memset(c, 0, sizeof *c);
    c->name = strndup(name, n);
    return c;
}

static int set_string(char **dst, const char *v)
{
    free(*dst);
    *dst = strdup(v);
    return *dst != NULL;
}

/* on_entry's work: 1 when the entry is understood, else 0 (problem set). */
static int entry(struct parse *p, const char *section, const char *key, const char *value)
{
    if (section[0] == '\0') {
        snprintf(p->problem, sizeof p->problem, "option %s outside of a [table] section", key);
        return 0;
    }
    if (strlen(section) >= 49) { /* inih cuts longer section names */
        snprintf(p->problem, sizeof p->problem,
                 "section [%s]: table names of 49 characters or more are not supported here",
                 section);
        return 0;
    }
    struct mapping_table *t = get_table(p->m, section);
    if (t == NULL)
        return 0;
    const char *dot = strrchr(key, '.');
    const char *opt = dot ? dot + 1 : key;
    if (dot == NULL) {
        if (strcasecmp(opt, "skip") == 0 && yes_no(value, &t->skip) == 0)
            return 1;
        if (strcasecmp(opt, "rename") == 0 && value[0] != '\0')
            return set_string(&t->rename, value);
        snprintf(p->problem, sizeof p->problem,
                 "[%s] %s = %s: unknown table option or bad value (table options: skip = "
                 "yes|no, rename = NAME; column options: COLUMN.skip, COLUMN.rename, "
                 "COLUMN.convert, COLUMN.default)",
                 section, key, value);
        return 0;
    }
    struct mapping_column *c = get_column(t, key, (size_t)(dot - key));
    if (c == NULL)
        return 0;
    if (strcasecmp(opt, "skip") == 0 && yes_no(value, &c->skip) == 0)
        return 1;
    if (strcasecmp(opt, "rename") == 0 && value[0] != '\0')
        return set_string(&c->rename, value);
    if (strcasecmp(opt, "default") == 0)
        return set_string(&c->null_default, value);
    if (strcasecmp(opt, "convert") == 0 && mapping_unit(value, &c->unit) == 0) {
        c->has_unit = true;
        return 1;
    }
    snprintf(p->problem, sizeof p->problem,
             "[%s] %s = %s: unknown column option or bad value (convert takes epoch-s, "
             "epoch-ms, epoch-us, julian-day, iso8601 or text)",
             section, key, value);
    return 0;
}

/* inih's handler: one "key = value" of a section. */
static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    struct parse *p = user;
    if (p->problem_line != 0)
        return 0; /* inih reports the first error's line: keep its message */
    int ok = entry(p, section, key, value);
    if (!ok && p->problem_line == 0)
        p->problem_line = p->line;
    return ok;
}

int mapping_load(const char *path, struct mapping *m, struct error *err)
{
    memset(m, 0, sizeof *m);
    struct parse p = {.m = m};
    struct stat st;
    if (stat(path, &st) != 0 || S_ISDIR(st.st_mode) || (p.f = fopen(path, "r")) == NULL)
        return error_set(err, "mapping file %s: cannot read it", path);
    int line = ini_parse_stream(read_line, &p, on_entry, &p);
    fclose(p.f);
    if (line == 0)
        return 0;
    if (line < 0)
        error_set(err, "mapping file %s: cannot read it", path);
    else
        error_set(err, "mapping file %s line %d: %s", path, line,
                  p.problem_line == line ? p.problem : "syntax error");
    mapping_free(m);
    return -1;
}

const struct mapping_table *mapping_table(const struct mapping *m, const char *name)
{
    for (size_t i = 0; m != NULL && i < m->ntables; i++)
        if (strcasecmp(m->tables[i].name, name) == 0)
            return &m->tables[i];
    return NULL;
}

const struct mapping_column *mapping_column(const struct mapping_table *t, const char *name)
{
    for (size_t i = 0; t != NULL && i < t->ncols; i++)
        if (strcasecmp(t->cols[i].name, name) == 0)
            return &t->cols[i];
    return NULL;
}

void mapping_free(struct mapping *m)
{
    for (size_t i = 0; i < m->ntables; i++) {
        struct mapping_table *t = &m->tables[i];
        for (size_t k = 0; k < t->ncols; k++) {
            free(t->cols[k].name);
            free(t->cols[k].rename);
            free(t->cols[k].null_default);
        }
        free(t->cols);
        free(t->name);
        free(t->rename);
    }
    free(m->tables);
    memset(m, 0, sizeof *m);
}

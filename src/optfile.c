/* optfile: --defaults-extra-file (see optfile.h). */
#include "optfile.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The state of one file's parse. */
struct parse {
    FILE *f;
    struct optfile *o;
    int line;
    int problem_line; /* the line of the first problem found here, or 0 */
    char problem[160];
};

/* inih's line reader: counts lines, refuses !include and turns a bare
 * "name" (an option without a value, which inih would refuse) into "name=". */
static char *read_line(char *str, int num, void *stream)
{
    struct parse *p = stream;
    if (num < 4 || fgets(str, num - 2, p->f) == NULL)
        return NULL;
    p->line++;
    const char *s = str + strspn(str, " \t");
    size_t len = strcspn(s, "\r\n");
    if (s[0] == '!' && p->problem_line == 0) {
        p->problem_line = p->line;
        snprintf(p->problem, sizeof p->problem, "%.*s is not supported here", (int)len, s);
    } else if (len > 0 && strchr("[;#!", s[0]) == NULL && memchr(s, '=', len) == NULL) {
        strcpy(str + (s - str) + len, "=\n");
    }
    return str;
}

/* Stores a copy of value (without the quotes around it) in *slot. */
static int set(char **slot, const char *value)
{
    size_t n = strlen(value);
    if (n >= 2 && (value[0] == '"' || value[0] == '\'') && value[n - 1] == value[0]) {
        value++;
        n -= 2;
    }
    char *copy = strndup(value, n);
    if (copy == NULL)
        return 0;
    if (*slot != NULL)
        explicit_bzero(*slot, strlen(*slot));
    free(*slot);
    *slot = copy;
    return 1;
}

/* Whether name, with '_' for '-', is want. */
static bool named(const char *name, const char *want)
{
    for (; *name != '\0' && *want != '\0'; name++, want++)
        if ((*name == '_' ? '-' : tolower((unsigned char)*name)) != *want)
            return false;
    return *name == '\0' && *want == '\0';
}

/* The port of a "port = N" line. */
static int set_port(struct parse *p, const char *value)
{
    char *end;
    unsigned long v = strtoul(value, &end, 10);
    if (value[0] == '\0' || *end != '\0' || v == 0 || v > 65535) {
        snprintf(p->problem, sizeof p->problem, "port = %s: not a port number", value);
        return 0;
    }
    p->o->port = (unsigned)v;
    return 1;
}

/* inih's handler: one option of a group. */
static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    struct parse *p = user;
    struct optfile *o = p->o;
    if (strcasecmp(section, "client") != 0 && strcasecmp(section, "litelift") != 0)
        return 1;
    struct {
        const char *name;
        char **slot;
    } strings[] = {{"user", &o->user},         {"password", &o->password},
                   {"host", &o->host},         {"socket", &o->socket},
                   {"ssl-ca", &o->ca},         {"ssl-capath", &o->capath},
                   {"ssl-cert", &o->cert},     {"ssl-key", &o->key},
                   {"ssl-cipher", &o->cipher}, {"tls-version", &o->version}};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        if (named(name, strings[i].name))
            return set(strings[i].slot, value);
    if (named(name, "port"))
        return set_port(p, value);
    if (named(name, "ssl-verify-server-cert"))
        o->verify_identity = value[0] == '\0' || strcmp(value, "1") == 0 ||
                             strcasecmp(value, "on") == 0 || strcasecmp(value, "true") == 0;
    return 1;
}

int optfile_read(const char *path, struct optfile *o, struct error *err)
{
    memset(o, 0, sizeof *o);
    struct parse p = {.o = o};
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return error_set(err, "--defaults-extra-file %s: cannot read it: a directory", path);
    if ((p.f = fopen(path, "r")) == NULL)
        return error_set(err, "--defaults-extra-file %s: cannot read it: %s", path,
                         strerror(errno));
    int line = ini_parse_stream(read_line, &p, on_entry, &p);
    fclose(p.f);
    if (line == 0 && p.problem_line == 0)
        return 0;
    if (line < 0)
        error_set(err, "--defaults-extra-file %s: cannot read it", path);
    else if (p.problem_line != 0 && (line == 0 || p.problem_line <= line))
        error_set(err, "--defaults-extra-file %s line %d: %s", path, p.problem_line, p.problem);
    else
        error_set(err, "--defaults-extra-file %s line %d: %s", path, line,
                  p.problem[0] != '\0' ? p.problem : "not an option (name = value)");
    optfile_free(o);
    return -1;
}

void optfile_free(struct optfile *o)
{
    char **all[] = {&o->user,   &o->password, &o->host, &o->socket, &o->ca,
                    &o->capath, &o->cert,     &o->key,  &o->cipher, &o->version};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        if (*all[i] != NULL)
            explicit_bzero(*all[i], strlen(*all[i]));
        free(*all[i]);
    }
    memset(o, 0, sizeof *o);
}

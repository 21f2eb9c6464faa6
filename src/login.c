/* login: the command line's part of every connection (see login.h): the
 * password from a file or from the terminal, never from argv. */
#include "login.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Reads one line of f into a heap string without its line end. Returns NULL
 * with errno set when nothing could be read. */
static char *read_line(FILE *f)
{
    char *line = NULL;
    size_t size = 0;
    ssize_t n = getline(&line, &size, f);
    if (n < 0) {
        if (feof(f) && !ferror(f)) { /* an empty file: the empty password */
            free(line);
            return strdup("");
        }
        free(line);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

static int from_file(const char *path, struct login *l, struct error *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return error_set(err, "cannot open --password-file %s: %s", path, strerror(errno));
    l->password = read_line(f);
    int saved = errno;
    fclose(f);
    if (l->password == NULL)
        return error_set(err, "cannot read --password-file %s: %s", path, strerror(saved));
    return 0;
}

/* Asks on the terminal (the standard input) with echo off. */
static int from_prompt(struct login *l, struct error *err)
{
    struct termios old, quiet;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old) != 0)
        return error_set(err, "--password (-p) asks on a terminal, and the standard input is "
                              "none: use --password-file FILE, an option file or MYSQL_PWD");
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    fputs("Enter password: ", stderr);
    fflush(stderr);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet); /* what was typed ahead stays */
    l->password = read_line(stdin);
    int saved = errno;
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    if (l->password == NULL)
        return error_set(err, "--password: no password read from the terminal: %s",
                         strerror(saved));
    return 0;
}

int login_prepare(const struct config *cfg, struct login *l, struct error *err)
{
    memset(l, 0, sizeof *l);
    l->tls = cfg->tls;
    l->protocol = cfg->protocol;
    l->defaults_file = cfg->defaults_file;
    l->no_defaults = cfg->no_defaults;
    l->connect_timeout = cfg->connect_timeout;
    l->net_timeout = cfg->net_timeout;
    l->lock_wait_timeout = cfg->lock_wait_timeout;
    if (cfg->password_file != NULL)
        return from_file(cfg->password_file, l, err);
    if (cfg->password_prompt)
        return from_prompt(l, err);
    return 0;
}

void login_free(struct login *l)
{
    if (l->password != NULL) {
        explicit_bzero(l->password, strlen(l->password));
        free(l->password);
    }
    memset(l, 0, sizeof *l);
}

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

/* Takes what --defaults-extra-file gives where the command line gave nothing. */
static int from_extra(const char *path, struct login *l, struct error *err)
{
    struct optfile *x = &l->extra;
    if (optfile_read(path, x, err) != 0)
        return -1;
    l->user = x->user;
    l->host = x->host;
    l->port = x->port;
    l->socket = x->socket;
    const char **mine[] = {&l->tls.ca,  &l->tls.capath, &l->tls.cert,
                           &l->tls.key, &l->tls.cipher, &l->tls.version};
    const char *const theirs[] = {x->ca, x->capath, x->cert, x->key, x->cipher, x->version};
    for (size_t i = 0; i < sizeof mine / sizeof *mine; i++)
        if (*mine[i] == NULL)
            *mine[i] = theirs[i];
    if (l->tls.mode == URL_SSL_UNSET && x->verify_identity)
        l->tls.mode = URL_SSL_VERIFY_IDENTITY;
    if (l->password == NULL && x->password != NULL && (l->password = strdup(x->password)) == NULL)
        return error_oom(err);
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
    int rc = cfg->password_file != NULL ? from_file(cfg->password_file, l, err)
             : cfg->password_prompt     ? from_prompt(l, err)
                                        : 0;
    if (rc == 0 && cfg->defaults_extra != NULL)
        rc = from_extra(cfg->defaults_extra, l, err);
    if (rc != 0)
        login_free(l);
    return rc;
}

void login_free(struct login *l)
{
    if (l->password != NULL) {
        explicit_bzero(l->password, strlen(l->password));
        free(l->password);
    }
    optfile_free(&l->extra);
    memset(l, 0, sizeof *l);
}

/* main: argv → cli_parse → the command → exit status:
 *   0 every project loaded and validated, no row rejected
 *   1 a project failed (or the run could not start)
 *   2 usage error
 *   3 interrupted by SIGINT/SIGTERM/SIGHUP at a batch boundary (rerun to continue)
 *   4 nothing failed, but projects another run had claimed were left to it
 *   5 every project loaded, but rows were rejected
 * (enum report_exit); and for status: 0 every project done, 1 a project failed, 4 one
 * is not done. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "command.h"
#include "esc.h"
#include "login.h"
#include "pipeline.h"
#include "status.h"
#include "target.h"

/* Human-readable output from here on escapes the control characters and
 * invalid UTF-8 that names may hold (esc.h); `schema` prints SQL on stdout,
 * left as it is. */
static FILE *plain_out, *plain_err; /* the streams shown() replaced */

static void shown(enum cli_command cmd)
{
    FILE *log = esc_stream(STDERR_FILENO);
    if (log != NULL) {
        plain_err = stderr;
        stderr = log;
    }
    FILE *out = cmd == CLI_SCHEMA ? NULL : esc_stream(STDOUT_FILENO);
    if (out != NULL) {
        plain_out = stdout;
        stdout = out;
    }
}

/* Closes shown()'s streams (what they hold is written) and puts the plain
 * ones back. */
static void unshown(void)
{
    if (plain_out != NULL) {
        fclose(stdout);
        stdout = plain_out;
    }
    if (plain_err != NULL) {
        fclose(stderr);
        stderr = plain_err;
    }
}

int main(int argc, char **argv)
{
    struct config cfg;
    enum cli_command cmd;
    int status = cli_parse(argc, argv, &cfg, &cmd);
    if (status != CLI_RUN)
        return status;
    struct error err;
    struct login login;
    if (login_prepare(&cfg, &login, &err) != 0) { /* a usage error: nothing ran */
        fprintf(stderr, "litelift: %s\n", err.msg);
        cli_free(&cfg);
        return 2;
    }
    target_set_login(&login);
    signal(SIGPIPE, SIG_IGN); /* a closed stdout fails a write: the summary goes to stderr */
    shown(cmd);
    if (cmd == CLI_MIGRATE || cmd == CLI_VERIFY) {
        status = command_run(&cfg, cmd, &err);
    } else {
        int rc = cmd == CLI_STATUS ? status_run(&cfg, stdout, &err)
                                   : pipeline_schema(&cfg, stdout, &err);
        if (rc < 0)
            fprintf(stderr, "litelift: %s\n", err.msg);
        status = rc < 0 ? 1 : rc;
    }
    unshown();
    target_set_login(NULL);
    login_free(&login);
    cli_free(&cfg);
    return status;
}

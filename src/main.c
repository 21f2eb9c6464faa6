/* main: argv → cli_parse → the command → exit status:
 *   0 every project loaded and validated, no row rejected
 *   1 a project failed or a row was rejected (or the run could not start)
 *   2 usage error
 *   3 interrupted by SIGINT/SIGTERM/SIGHUP at a batch boundary (rerun to continue)
 *   4 nothing failed, but projects another run had claimed were left to it */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "esc.h"
#include "login.h"
#include "pipeline.h"
#include "report.h"
#include "status.h"
#include "target.h"
#include "target_watch.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
    target_watch_stop();
}

/* Prints the summary on stdout; when stdout fails (a closed pipe: SIGPIPE is
 * ignored), on stderr instead, so that it is never lost. */
static void print_summary(const struct report *rep)
{
    report_print(rep, stdout);
    if (fflush(stdout) == 0 && !ferror(stdout))
        return;
    int e = errno;
    fprintf(stderr, "litelift: cannot write the summary to standard output (%s); here it is:\n",
            strerror(e));
    report_print(rep, stderr);
}

/* migrate or verify: SIGINT/SIGTERM/SIGHUP (a closed terminal) stop at a
 * batch boundary, or cancel a statement that is still waiting for the server
 * a little later (target_watch); the summary decides the exit status. */
static int run_projects(struct config *cfg, enum cli_command cmd, struct error *err)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    cfg->stop = &stop_flag;
    if (target_watch_start(cfg->target_url, err) != 0)
        fprintf(stderr, "litelift: WARNING: %s: a signal will wait for the statement in flight\n",
                err->msg);
    struct report rep;
    report_init(&rep, stderr, cfg->dry_run, cfg->quiet);
    int rc = cmd == CLI_VERIFY ? pipeline_verify(cfg, &rep, err) : pipeline_migrate(cfg, &rep, err);
    if (rc != 0)
        fprintf(stderr, "litelift: %s\n", err->msg);
    if (rc == 0 || rep.nprojects > 0)
        print_summary(&rep); /* no empty summary when the run could not start */
    int status = rc != 0 ? 1 : report_status(&rep);
    report_free(&rep);
    target_watch_end();
    return status;
}

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
        status = run_projects(&cfg, cmd, &err);
    } else {
        int rc = cmd == CLI_STATUS ? status_print(&cfg, stdout, &err)
                                   : pipeline_schema(&cfg, stdout, &err);
        if (rc != 0)
            fprintf(stderr, "litelift: %s\n", err.msg);
        status = rc == 0 ? 0 : 1;
    }
    unshown();
    target_set_login(NULL);
    login_free(&login);
    cli_free(&cfg);
    return status;
}

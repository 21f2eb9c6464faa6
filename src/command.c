/* command: migrate and verify as commands (see command.h): the signals,
 * the log file, the report and its summary, the JSON report and the exit
 * status around the pipeline's run. */
#include "command.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logfile.h"
#include "pipeline.h"
#include "report.h"
#include "report_json.h"
#include "summary.h"
#include "target_watch.h"

static volatile sig_atomic_t stop_flag, stop_signal;

static const char ack_int[] = "litelift: stopping at the next batch boundary; press Ctrl-C again "
                              "to abort now\n";
static const char ack_term[] = "litelift: stopping at the next batch boundary\n";

/* target_watch_on_stop: the stop acknowledged through the run's log, so that
 * it never lands inside the progress display. */
static void say_stopping(void *ctx)
{
    struct report *rep = ctx;
    fputs(stop_signal == SIGINT ? ack_int : ack_term, rep->log);
    fflush(rep->log);
}

/* The first SIGINT/SIGTERM asks for a stop at the next batch boundary and
 * is acknowledged at once (by the watcher thread through the log, or here
 * when none runs); a second SIGINT aborts now (the server rolls the open
 * batches back; a rerun continues from the last checkpoint). */
static void on_signal(int sig)
{
    static const char abort_now[] = "\nlitelift: aborting now: the open batches are rolled back; "
                                    "rerun the same command to continue\n";
    if (stop_flag && sig == SIGINT) {
        (void)!write(STDERR_FILENO, abort_now, sizeof abort_now - 1);
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
        return;
    }
    stop_flag = 1;
    stop_signal = sig;
    if (target_watch_running())
        target_watch_stop();
    else if (sig == SIGINT)
        (void)!write(STDERR_FILENO, ack_int, sizeof ack_int - 1);
    else
        (void)!write(STDERR_FILENO, ack_term, sizeof ack_term - 1);
}

/* Prints the summary on stdout; when stdout fails (a closed pipe: SIGPIPE is
 * ignored), on stderr instead, so that it is never lost. */
static void print_summary(const struct report *rep)
{
    if (summary_print(rep, stdout) == 0 && fflush(stdout) == 0 && !ferror(stdout))
        return;
    int e = errno;
    fprintf(stderr, "litelift: cannot write the summary to standard output (%s); here it is:\n",
            strerror(e));
    summary_print(rep, stderr);
}

/* The end of a run in the --log-file: the final error and the summary. */
static void log_the_end(const struct report *rep, int rc, const struct error *err)
{
    char *text = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&text, &n);
    if (rc != 0)
        logfile_printf("litelift: %s\n", err->msg);
    if (m != NULL) {
        bool whole = summary_print(rep, m) == 0;
        if (fclose(m) == 0 && whole) /* closed once, whatever happened */
            logfile_write(text, n);
    }
    free(text);
}

int command_run(struct config *cfg, enum cli_command cmd, struct error *err)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL); /* a closed terminal or SSH session */
    cfg->stop = &stop_flag;
    if (cfg->log_file != NULL && logfile_open(cfg->log_file, cli_command_names[cmd], err) != 0) {
        fprintf(stderr, "litelift: %s\n", err->msg);
        return 1;
    }
    FILE *log = logfile_tee(stderr);
    if (target_watch_start(cfg->target_url, err) != 0)
        fprintf(log, "litelift: WARNING: %s: a signal will wait for the statement in flight\n",
                err->msg);
    struct report rep;
    report_init(&rep, log, cfg->dry_run, cfg->quiet);
    rep.verbose = cfg->verbose;
    rep.summary = cfg->summary;
    rep.accept_rejects = cfg->accept_rejects;
    target_watch_on_stop(say_stopping, &rep);
    int rc = cmd == CLI_VERIFY ? pipeline_verify(cfg, &rep, err) : pipeline_migrate(cfg, &rep, err);
    if (rc != 0)
        fprintf(stderr, "litelift: %s\n", err->msg);
    rep.failed = rc != 0;
    report_end(&rep);
    if (rc == 0 || rep.nprojects > 0)
        print_summary(&rep); /* no empty summary when the run could not start */
    log_the_end(&rep, rc, err);
    int status = rc != 0 ? 1 : report_status(&rep);
    struct error rerr;
    if (cfg->report_path != NULL &&
        report_json_write(cfg->report_path, cfg, cli_command_names[cmd], &rep, status,
                          rc != 0 ? err->msg : NULL, &rerr) != 0) {
        fprintf(stderr, "litelift: %s\n", rerr.msg);
        status = status == 0 ? 1 : status;
    }
    target_watch_end();
    target_watch_on_stop(NULL, NULL);
    report_free(&rep);
    if (log != stderr)
        fclose(log);
    logfile_printf("litelift: exit status %d\n", status);
    logfile_close();
    return status;
}

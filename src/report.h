/* report: what happened, per project and table: counts, timings, rejects and
 * failures; the end-of-run summary and the exit status derived from it. Rejects
 * and failures are logged to the log stream as they happen. */
#ifndef LITELIFT_REPORT_H
#define LITELIFT_REPORT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "config.h"

#include "target.h"

/* The result of a comparison of the target with the source. */
enum report_check { REPORT_UNCHECKED, REPORT_CHECK_OK, REPORT_CHECK_DIFFERS };

struct report_table {
    char *name;
    long long read;             /* rows read in this run */
    long long loaded, rejected; /* totals, including earlier runs of a resumed load */
    double seconds;
    const char *note;           /* "resumed", "done earlier", ... or NULL */
    long long replaced;         /* values whose invalid UTF-8 was replaced (this run) */
    long long decoded;          /* values that were not UTF-8, decoded as Windows-1252 (this run) */
    enum report_check counts;   /* target rows = source rows - rejects */
    enum report_check checksum; /* CRC32 of every converted row (--checksum) */
};

/* How many objects of one kind (view, trigger, ...) a project left out. */
struct report_skip {
    char *kind;
    size_t n;
};

struct report_project {
    char *file;
    char *project_id; /* NULL when none could be derived */
    char *error;      /* NULL unless the project failed */
    struct report_table *tables;
    size_t ntables;
    size_t nskipped;           /* views, triggers and other objects not migrated */
    const char *outcome;       /* "renamed", "validated", "interrupted", ... or NULL */
    char *elsewhere;           /* NULL, or who holds the project: left to that run */
    bool by_other;             /* left to, or done by, another run: none of its tables read here */
    char *backup;              /* where this run renamed the source as its backup, or NULL */
    struct report_skip *skips; /* objects not migrated, counted by kind */
    size_t nskips;
    char *rejects_at; /* the directory of its reject files, when it has rejects */
};

/* The run as a whole, for --report: who ran, against what, when. */
struct report_run {
    char id[200];            /* the run's id (claim_owner), "" when the run did not start */
    struct target_info conn; /* all "" when the target was not reached */
    double started, ended;   /* seconds since the epoch (report_init, report_end) */
};

/* How many transient failures of one kind were retried. */
struct report_retries {
    const char *reason; /* a static string: "lost connection", "deadlock", ... */
    long count;
};

#define REPORT_RETRY_KINDS 8

struct report {
    struct report_project *projects;
    size_t nprojects;
    bool dry_run;
    bool quiet;                  /* do not log each reject */
    bool verbose;                /* log every skipped object and note */
    bool accept_rejects;         /* files with rejects are renamed all the same */
    enum config_summary summary; /* --summary */
    FILE *log;                   /* stderr unless redirected */
    bool interrupted;            /* stopped by a signal at a batch boundary */
    bool failed;                 /* the run itself failed (a project not reached was not started) */
    char **remarks;              /* printed after the summary table (added under mu) */
    size_t nremarks;
    struct report_retries retries[REPORT_RETRY_KINDS]; /* by kind, in order met (under mu) */
    size_t nretries;
    struct report_run run;
    pthread_mutex_t mu;
};

/* Starts an empty report logging to log. */
void report_init(struct report *r, FILE *log, bool dry_run, bool quiet);

/* Adds a project; returns it (owned by r) or NULL when out of memory. */
struct report_project *report_project(struct report *r, const char *file, const char *project_id);

/* Adds a table to p; returns it or NULL when out of memory. */
struct report_table *report_table(struct report_project *p, const char *name);

/* Marks p failed with msg (the first failure wins) and logs it. */
void report_fail(struct report *r, struct report_project *p, const char *msg);

/* Logs one rejected row of table t: key, column and reason; counts it. */
void report_reject(struct report *r, struct report_project *p, struct report_table *t,
                   const char *key, const char *column, const char *reason);

/* Counts an object of p that is not migrated (a view, a trigger, ...) under
 * its kind, for the summary's grouped line; logs it only when r->verbose. */
void report_skipped(struct report *r, struct report_project *p, const char *kind, const char *name,
                    const char *why);

/* Records the end of the run (ended, wall), for the summary. */
void report_end(struct report *r);

/* Logs an informational line about p ("skipped view v (view)", ...). */
void report_note(struct report *r, struct report_project *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds a line printed after the summary table (guessed units, ...). */
void report_remark(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The exit statuses of migrate and verify, kept stable for scripts. */
enum report_exit {
    REPORT_OK = 0,          /* every project loaded and validated, no row rejected */
    REPORT_FAILED = 1,      /* a project failed, or the run could not start */
    REPORT_INTERRUPTED = 3, /* stopped by a signal (rerun to continue) */
    REPORT_ELSEWHERE = 4,   /* nothing failed, projects were left to another run */
    REPORT_REJECTED = 5     /* every project loaded, but rows were rejected */
};

/* Counts one transient failure that is being retried, under its reason (a
 * string that outlives r; kinds beyond REPORT_RETRY_KINDS count under the
 * last). Any thread. */
void report_retry(struct report *r, const char *reason);

/* The run's exit status: REPORT_INTERRUPTED when interrupted, else
 * REPORT_FAILED when a project failed, else REPORT_REJECTED when a row was
 * rejected, else REPORT_ELSEWHERE when projects were left to another run that
 * holds them, else REPORT_OK. */
int report_status(const struct report *r);

/* Records the end of the run (once: a later call keeps the first time). */
void report_end(struct report *r);

/* The report's table named name in p, or NULL. */
struct report_table *report_find_table(struct report_project *p, const char *name);

/* Frees everything. */
void report_free(struct report *r);

#endif

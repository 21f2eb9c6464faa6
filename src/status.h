/* status: the `status` command as a dashboard: every project the progress
 * table knows (done, loading with its percentage, incomplete, failed with its
 * reason) and, with --source, the project files not started yet; totals; an
 * exit status for scripts. status.c gathers the board, status_text.c prints
 * it as a table (with status_hosts.c's lines by host) or TSV, status_json.c
 * as JSON. */
#ifndef LITELIFT_STATUS_H
#define LITELIFT_STATUS_H

#include <stdbool.h>
#include <stdio.h>

#include "ckpt_failures.h"
#include "ckpt_status.h"
#include "config.h"
#include "error.h"
#include "scan.h"

/* Where a project stands. */
enum status_kind {
    STATUS_DONE,        /* every table validated (renamed as backup, or not) */
    STATUS_LOADING,     /* a live run holds it now */
    STATUS_INCOMPLETE,  /* begun, not finished, no run holds it */
    STATUS_FAILED,      /* its last run failed it (reason) */
    STATUS_NOT_STARTED, /* a file under --source the progress table does not know */
    STATUS_NKINDS
};

struct status_project {
    const char *project; /* NULL when the file name yields no id */
    enum status_kind kind;
    const struct ckpt_status_project *ck; /* its progress rows, or NULL */
    const char *source_file;
    const char *reason, *failed_at; /* STATUS_FAILED: why and when (UTC), else NULL */
    long long loaded, rejected;     /* rows, over all its runs */
    long long total;                /* rows in the source, -1 when unknown */
    size_t tables, tables_done;
    double percent; /* -1 when unknown */
};

struct status_board {
    const char *database, *progress_table;
    bool exists; /* the progress table exists */
    struct status_project *v;
    size_t n;
    size_t count[STATUS_NKINDS];
    long long loaded, rejected, total; /* total -1 when some project's is unknown */
    int exit_status;                   /* 0 all done, 1 something failed, 4 incomplete */
    /* what the board points into */
    struct ckpt_status_project *ck;
    size_t nck;
    struct ckpt_failure *fail;
    size_t nfail;
    struct scan_list list;
};

/* The word of kind k ("done", "not started", ...). */
const char *status_kind_name(enum status_kind k);

/* Connects to cfg->target_url, reads the progress table cfg->progress_table
 * and the recorded failures (and, with cfg->source_dir, the project files) and
 * prints the board to out in cfg->status_format. Returns the exit status (0
 * every project done and validated, or nothing known at all; 1 a project
 * failed; 4 a project is not done), or -1 with err set (bad URL, unreachable
 * server, failed query, unreadable source directory). */
int status_run(const struct config *cfg, FILE *out, struct error *err);

/* Prints the board as a table: per project a line of its own (its
 * progress-table state and counts, then where it stands: done, loading with
 * its percentage, failed with the reason, ...) and a line per table; then
 * the totals. */
void status_print_table(const struct status_board *b, FILE *out);

/* Prints the board by host when runs on several hosts claimed its
 * projects (one host counts too): per host that last claimed a project,
 * its projects by kind and the rows they hold, then what is left. */
void status_print_hosts(const struct status_board *b, FILE *out);

/* Prints the board as TSV: a header line, then one line per project; \t, \n,
 * \r and \\ escaped and NULL as \N, as MySQL writes them. */
void status_print_tsv(const struct status_board *b, FILE *out);

/* Prints the board as JSON. Returns 0, or -1 with err set. */
int status_print_json(const struct status_board *b, FILE *out, struct error *err);

#endif

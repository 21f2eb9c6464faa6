/* run: the state of one run (options, report, target connection, plans,
 * reject files) and of the workers that share it, with its setup and
 * teardown: the pieces every stage of migrate and verify works on. */
#ifndef LITELIFT_RUN_H
#define LITELIFT_RUN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "claim.h"
#include "config.h"
#include "error.h"
#include "fingerprint.h"
#include "galera.h"
#include "mapping.h"
#include "plan.h"
#include "rejects.h"
#include "report.h"
#include "scan.h"
#include "schema.h"
#include "target.h"
#include "url.h"

struct ranges;

/* What the workers of a run share (under mu). */
struct shared {
    pthread_mutex_t mu;
    size_t next;         /* index of the next project to load */
    size_t spare;        /* --jobs slots no worker uses: a table's ranges may (ranges.h) */
    struct ranges *open; /* a table being loaded in ranges, which idle workers join */
    size_t open_gen;     /* counts the tables opened so */
    size_t loading;      /* projects being loaded now */
    pthread_cond_t work; /* broadcast as a table opens or a project ends */
    bool lost;           /* a target connection is gone: stop the run */
    bool stopped;        /* interrupted by a signal */
    char lost_msg[512];
    struct plan_memo memo;         /* time units decided before any data moved */
    struct schema_table *designed; /* dry-run of --schema create: the tables it */
    size_t ndesigned;              /* would create, planned against instead */
    struct claim_owner me;         /* this run, as it signs its claims */
    struct galera galera;          /* the target as a Galera node (off elsewhere) */
};

/* One worker's view of the run: its own connection, schema cache and reject
 * files; the report and the shared state are common to all. */
struct run {
    const struct config *cfg;
    struct report *rep;
    struct shared *sh;
    struct url url;
    struct target tgt;
    struct plan_ctx plan;
    const struct mapping *map;
    struct rejects rejects;
    struct schema_column project_col;
    bool offline; /* dry-run without a reachable target: read-only rehearsal */
    /* the file of the project being loaded, as it was when its snapshot began */
    struct fingerprint snap;
};

/* Sets a run up: target URL, mapping file (into *map), project list and
 * connection (a dry-run goes on offline when the target is unreachable).
 * Returns 0, or -1 with err set; run_end() in both cases. */
int run_start(struct run *run, struct shared *sh, struct mapping *map, const struct config *cfg,
              struct report *rep, struct scan_list *list, struct error *err);

/* A worker's run: a copy of main's options with its own connection, its
 * project column and its session set up. Returns 0 or -1; run_free() in both
 * cases. */
int run_clone(struct run *w, const struct run *main, struct error *err);

/* Frees a worker's own parts (connection, plans, reject files). */
void run_free(struct run *run);

/* Frees the run started by run_start with its list and mapping. */
void run_end(struct run *run, struct scan_list *list, struct mapping *map);

/* Session settings of a loading connection (see README, "Session tuning");
 * nothing for a dry-run. Returns 0 or -1. */
int run_session(struct run *run, struct error *err);

/* Checks that the project column exists somewhere usable: its type is taken
 * from the first table that has it (every tenant table must have it anyway),
 * or from a dry-run's designed tables. Returns 0 or -1. */
int run_project_column(struct run *run, struct error *err);

/* Whether the run is to stop (a signal came, see config's stop). Any thread. */
bool run_stopped(struct run *run);

#endif

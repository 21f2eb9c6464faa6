/* progress_int: the state of the progress display, shared by progress.c
 * (counting, the ticker thread, the log stream) and progress_draw.c (its
 * text). Not for other modules. */
#ifndef LITELIFT_PROGRESS_INT_H
#define LITELIFT_PROGRESS_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "progress.h"

/* Lines for workers 1..PROGRESS_WORKERS (--jobs' maximum) and the main one. */
#define PROGRESS_WORKERS 256
#define PROGRESS_TEXT 256

/* What one worker is doing. */
struct progress_worker {
    bool busy;                 /* in a project or a phase */
    size_t project;            /* its project's index */
    char id[PROGRESS_TEXT];    /* the project's id ("" when none) */
    char table[PROGRESS_TEXT]; /* the table being loaded ("" when none) */
    long long rows;            /* rows of the table done, earlier runs' included */
    long long moved;           /* rows of the table read in this run */
    double since;              /* when the table began */
    char phase[PROGRESS_TEXT]; /* a phase that moves no rows, or "" */
    double phase_since;
};

struct progress {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t ticker;
    bool quit;
    bool tty;     /* the display redrawn in place; else the plain line */
    double every; /* seconds between frames or lines */
    enum progress_kind kind;
    bool dry_run;
    FILE *stream;     /* the log stream through the display */
    FILE *orig;       /* the log stream it replaced */
    int drawn;        /* lines of the display on the screen now */
    bool partial;     /* a log line is half written: no frame until it ends */
    bool loading;     /* the pre-flight is over */
    double started;   /* when the run (then the loading) began */
    long long total;  /* rows expected, earlier runs' included */
    long long done;   /* rows read, earlier runs' included */
    long long before; /* rows done when the loading began */
    long long said;   /* rows done at the last plain line */
    bool estimated;   /* a total comes from sqlite_stat1 */
    size_t nprojects, projects_begun, projects_done;
    long long *expected, *got; /* per project: rows expected, rows done */
    size_t nexpected;
    struct progress_worker workers[PROGRESS_WORKERS + 1];
};

/* Appends the display's lines (each ending in '\n', each cut to width
 * columns, at most height lines) to b, at time now. */
void progress_draw_tty(const struct progress *pg, double now, int width, int height, struct buf *b);

/* Appends the plain progress line (timestamped, ending in '\n') to b. */
void progress_draw_plain(const struct progress *pg, double now, struct buf *b);

#endif

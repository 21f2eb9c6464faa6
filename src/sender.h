/* sender: a helper thread that runs one job at a time while the caller goes
 * on, so that the server ingests one batch while the next is read and
 * converted (a pipeline of depth one: submit, work, wait, submit...). */
#ifndef LITELIFT_SENDER_H
#define LITELIFT_SENDER_H

#include <pthread.h>
#include <stdbool.h>

#include "error.h"

typedef int (*sender_job_fn)(void *ctx, struct error *err);

struct sender {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    sender_job_fn job; /* pending or running job, NULL when idle */
    void *ctx;
    bool quit;
    bool started;
    int rc; /* result of the last job */
    struct error err;
};

/* Starts the thread. Returns 0, or -1 with err set. */
int sender_start(struct sender *s, struct error *err);

/* Hands job(ctx) to the thread. The sender must be idle (after sender_wait). */
void sender_submit(struct sender *s, sender_job_fn job, void *ctx);

/* Waits until the thread is idle. Returns the last job's result (0 or -1,
 * with its error copied to err); 0 when nothing ran. */
int sender_wait(struct sender *s, struct error *err);

/* Waits for the thread to finish its job, then stops and joins it. */
void sender_stop(struct sender *s);

#endif

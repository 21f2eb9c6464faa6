/* sender: one-job-at-a-time helper thread (see sender.h). */
#include "sender.h"

#include <string.h>

#include "target.h"

static void *sender_main(void *arg)
{
    struct sender *s = arg;
    target_thread_begin(); /* the jobs use the MySQL client library */
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (s->job == NULL && !s->quit)
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->job == NULL)
            break;
        sender_job_fn job = s->job;
        void *ctx = s->ctx;
        pthread_mutex_unlock(&s->mu);
        struct error err;
        error_clear(&err);
        int rc = job(ctx, &err);
        pthread_mutex_lock(&s->mu);
        s->rc = rc;
        s->err = err;
        s->job = NULL;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    target_thread_end();
    return NULL;
}

int sender_start(struct sender *s, struct error *err)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        return error_set(err, "cannot start the sender thread");
    }
    s->started = true;
    return 0;
}

void sender_submit(struct sender *s, sender_job_fn job, void *ctx)
{
    pthread_mutex_lock(&s->mu);
    s->job = job;
    s->ctx = ctx;
    s->rc = 0;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

int sender_wait(struct sender *s, struct error *err)
{
    pthread_mutex_lock(&s->mu);
    while (s->job != NULL)
        pthread_cond_wait(&s->cv, &s->mu);
    int rc = s->rc;
    if (rc != 0 && err != NULL)
        *err = s->err;
    s->rc = 0;
    pthread_mutex_unlock(&s->mu);
    return rc;
}

void sender_stop(struct sender *s)
{
    if (!s->started)
        return;
    sender_wait(s, NULL);
    pthread_mutex_lock(&s->mu);
    s->quit = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    s->started = false;
}

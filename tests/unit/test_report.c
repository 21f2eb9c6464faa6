/* test_report: src/report.h with the log written to an open_memstream
 * buffer (the summary's text is test_summary's). The log lines of
 * report_fail (the first failure wins), report_reject (also counted when
 * quiet), report_note and report_skipped (counted by kind, logged only when
 * verbose). report_remark from several threads at once. report_status
 * 0/1/3/4/5 for clean, empty, failed, rejected (also rejects of an earlier
 * run with nothing read now), interrupted, interrupted+failed and projects
 * left to another run; report_retry counts retries by kind. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memlog.h"
#include "report.h"

Test(report, log_lines_of_fail_reject_and_note)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    report_init(&r, log.f, false, false);
    struct report_project *p = report_project(&r, "/src/acme.db", "acme");
    struct report_table *t = add_table(p, "users", 0, 0, 0, 0, NULL);
    report_reject(&r, p, t, "id=7", "email", "value too long for VARCHAR(10)");
    report_reject(&r, p, t, "id=9", "age", "not an integer: 'x'");
    cr_expect_eq(t->rejected, 2);
    report_note(&r, p, "skipped %s %s (%s)", "view", "v_users", "view");
    report_fail(&r, p, "first failure");
    report_fail(&r, p, "second failure");
    cr_expect_str_eq(p->error, "first failure", "the first failure wins");
    struct report_project *q = report_project(&r, "/src/noid.db", NULL);
    report_note(&r, q, "no project id");
    report_fail(&r, q, "cannot derive a project id");
    static const char want[] =
        "litelift: reject: project 'acme' file /src/acme.db table users key (id=7) column email: "
        "value too long for VARCHAR(10)\n"
        "litelift: reject: project 'acme' file /src/acme.db table users key (id=9) column age: "
        "not an integer: 'x'\n"
        "litelift: project 'acme' (/src/acme.db): skipped view v_users (view)\n"
        "litelift: project 'acme' (/src/acme.db) FAILED: first failure\n"
        "litelift: project 'acme' (/src/acme.db) FAILED: second failure\n"
        "litelift: project '?' (/src/noid.db): no project id\n"
        "litelift: project '?' (/src/noid.db) FAILED: cannot derive a project id\n";
    cr_expect_str_eq(mem_text(&log), want);
    report_free(&r);
    mem_close(&log);
}

Test(report, quiet_rejects_are_counted_but_not_logged)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    report_init(&r, log.f, false, true);
    struct report_project *p = report_project(&r, "/src/a.db", "a");
    struct report_table *t = add_table(p, "t", 0, 0, 5, 0, NULL);
    report_reject(&r, p, t, "id=1", "c", "bad");
    report_reject(&r, p, t, "id=2", "c", "bad");
    cr_expect_eq(t->rejected, 7);
    report_note(&r, p, "notes still print");
    cr_expect_str_eq(mem_text(&log), "litelift: project 'a' (/src/a.db): notes still print\n");
    cr_expect_eq(report_status(&r), 5);
    report_free(&r);
    mem_close(&log);
}

Test(report, skipped_objects_are_counted_by_kind_and_logged_when_verbose)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    report_init(&r, log.f, false, false);
    struct report_project *p = report_project(&r, "/src/a.db", "a");
    report_skipped(&r, p, "trigger", "t1", "not a table");
    report_skipped(&r, p, "view", "v", "not a table");
    report_skipped(&r, p, "trigger", "t2", "not a table");
    cr_expect_str_eq(mem_text(&log), "", "not verbose: nothing logged");
    cr_assert_eq(p->nskips, 2);
    cr_expect_str_eq(p->skips[0].kind, "trigger");
    cr_expect_eq(p->skips[0].n, 2);
    cr_expect_str_eq(p->skips[1].kind, "view");
    cr_expect_eq(p->skips[1].n, 1);
    r.verbose = true;
    report_skipped(&r, p, "view", "w", "not a table");
    cr_expect_str_eq(mem_text(&log),
                     "litelift: project 'a' (/src/a.db): skipped view w (not a table)\n");
    cr_expect_eq(p->skips[1].n, 2);
    cr_expect_eq(report_status(&r), 0, "skipped objects are no failure");
    report_free(&r);
    mem_close(&log);
}

Test(report, projects_left_to_another_run_give_4_unless_worse)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    report_init(&r, log.f, false, false);
    struct report_project *p = report_project(&r, "/s/p.db", "p");
    p->elsewhere = strdup("run 7 on host h");
    cr_expect_eq(report_status(&r), 4);
    struct report_project *q = report_project(&r, "/s/q.db", "q");
    add_table(q, "t", 2, 1, 1, 0, NULL);
    cr_expect_eq(report_status(&r), 5, "a reject outranks a project left to another run");
    report_fail(&r, q, "boom");
    cr_expect_eq(report_status(&r), 1);
    report_free(&r);
    mem_close(&log);
}

struct remark_job {
    struct report *r;
    int id;
};

static void *add_remarks(void *arg)
{
    struct remark_job *j = arg;
    for (int i = 0; i < 200; i++)
        report_remark(j->r, "thread %d remark %d", j->id, i);
    return NULL;
}

Test(report, remarks_from_several_threads_are_all_kept)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    report_init(&r, log.f, false, false);
    pthread_t th[4];
    struct remark_job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct remark_job){&r, i};
        cr_assert_eq(pthread_create(&th[i], NULL, add_remarks, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    cr_assert_eq(r.nremarks, 800);
    int seen[4][200] = {{0}};
    for (size_t i = 0; i < r.nremarks; i++) {
        int a = -1, b = -1;
        cr_assert_eq(sscanf(r.remarks[i], "thread %d remark %d", &a, &b), 2, "%s", r.remarks[i]);
        cr_assert(a >= 0 && a < 4 && b >= 0 && b < 200);
        seen[a][b]++;
    }
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 200; b++)
            cr_expect_eq(seen[a][b], 1, "thread %d remark %d", a, b);
    report_free(&r);
    mem_close(&log);
}

struct statuscase {
    const char *name;
    bool interrupted;
    const char *error; /* project error, or NULL */
    long long read, loaded, rejected;
    bool no_tables;
    int want;
};

static const struct statuscase status_cases[] = {
    {"clean", false, NULL, 10, 10, 0, false, 0},
    {"clean, no tables", false, NULL, 0, 0, 0, true, 0},
    {"failed", false, "boom", 10, 5, 0, false, 1},
    {"failed without tables", false, "boom", 0, 0, 0, true, 1},
    {"a reject in this run", false, NULL, 10, 9, 1, false, 5},
    {"a reject of an earlier run, nothing read now", false, NULL, 0, 9, 1, false, 5},
    {"failed and a reject", false, "boom", 10, 9, 1, false, 1},
    {"interrupted", true, NULL, 10, 10, 0, false, 3},
    {"interrupted and failed", true, "boom", 10, 5, 0, false, 3},
    {"interrupted with a reject", true, NULL, 10, 9, 1, false, 3},
};

Test(report, status_codes)
{
    for (size_t i = 0; i < sizeof status_cases / sizeof *status_cases; i++) {
        const struct statuscase *k = &status_cases[i];
        struct mem log;
        mem_open(&log);
        struct report r;
        report_init(&r, log.f, false, false);
        /* a clean project first, so only the case's project decides */
        struct report_project *ok = report_project(&r, "/s/ok.db", "ok");
        add_table(ok, "t", 1, 1, 0, 0, NULL);
        struct report_project *p = report_project(&r, "/s/p.db", "p");
        if (!k->no_tables)
            add_table(p, "t", k->read, k->loaded, k->rejected, 0,
                      k->read == 0 ? "done earlier" : NULL);
        if (k->error != NULL)
            report_fail(&r, p, k->error);
        r.interrupted = k->interrupted;
        cr_expect_eq(report_status(&r), k->want, "case \"%s\": want %d, got %d", k->name, k->want,
                     report_status(&r));
        report_free(&r);
        mem_close(&log);
    }
}

Test(report, retries_are_counted_by_kind_in_the_order_met)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    report_init(&r, log.f, false, false);
    report_retry(&r, "lost connection");
    report_retry(&r, "deadlock");
    report_retry(&r, "lost connection");
    cr_assert_eq(r.nretries, 2);
    cr_expect_str_eq(r.retries[0].reason, "lost connection");
    cr_expect_eq(r.retries[0].count, 2);
    cr_expect_str_eq(r.retries[1].reason, "deadlock");
    cr_expect_eq(r.retries[1].count, 1);
    cr_expect_eq(report_status(&r), 0, "a retried run that finished is clean");
    cr_expect_str_eq(mem_text(&log), "");
    report_free(&r);
    mem_close(&log);
}

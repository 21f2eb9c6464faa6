/* test_report: src/report.h with the log and the summary written to
 * open_memstream buffers. report_print's exact output: the header (loaded, or
 * would-load in a dry run), one "%-24s %-24s %12lld %12lld %9lld %9.2f" line
 * per table with its note, FAILED / (no tables) / outcome lines per project
 * (the file standing in for a missing project id), the TOTAL line, the U+FFFD
 * replacement notes, remarks, and the closing count line (dry run and
 * interrupted suffixes); long names that overflow the columns. The log lines
 * of report_fail (the first failure wins), report_reject (also counted when
 * quiet) and report_note. report_remark from several threads at once.
 * report_status 0/1/3 for clean, empty, failed, rejected (also rejects of an
 * earlier run with nothing read now), interrupted and interrupted+failed.
 * report_retry: the retries line, kinds in the order met, before the closing
 * count line; none without retries. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* A log or output stream in memory. */
struct mem {
    FILE *f;
    char *data;
    size_t len;
};

static void mem_open(struct mem *m)
{
    m->data = NULL;
    m->len = 0;
    m->f = open_memstream(&m->data, &m->len);
    cr_assert(m->f != NULL);
}

/* Flushes and returns the text so far (owned by m). */
static const char *mem_text(struct mem *m)
{
    cr_assert_eq(fflush(m->f), 0);
    return m->data ? m->data : "";
}

static void mem_close(struct mem *m)
{
    fclose(m->f);
    free(m->data);
}

static struct report_table *add_table(struct report_project *p, const char *name, long long read,
                                      long long loaded, long long rejected, double secs,
                                      const char *note)
{
    struct report_table *t = report_table(p, name);
    cr_assert(t != NULL);
    cr_assert_str_eq(t->name, name);
    t->read = read;
    t->loaded = loaded;
    t->rejected = rejected;
    t->seconds = secs;
    t->note = note;
    return t;
}

Test(report, summary_of_a_mixed_run_exactly)
{
    struct mem log, out;
    mem_open(&log);
    mem_open(&out);
    struct report r;
    report_init(&r, log.f, false, false);
    struct report_project *acme = report_project(&r, "/src/acme.db", "acme");
    cr_assert(acme != NULL);
    cr_expect_str_eq(acme->file, "/src/acme.db");
    cr_expect_str_eq(acme->project_id, "acme");
    add_table(acme, "users", 120, 118, 2, 1.234, NULL);
    add_table(acme, "orders", 0, 50, 0, 0, "done earlier");
    acme->outcome = "renamed";
    struct report_project *beta = report_project(&r, "/src/beta.db", "beta");
    report_fail(&r, beta, "cannot open: file is not a database");
    struct report_project *anon = report_project(&r, "/src/weird name.db", NULL);
    cr_expect_eq(anon->project_id, NULL);
    struct report_project *gamma = report_project(&r, "/src/gamma.db", "gamma");
    struct report_table *gt = add_table(gamma, "t", 3, 3, 0, 0.25, "resumed");
    gt->replaced = 2;
    gamma->outcome = "validated";
    report_remark(&r, "column %s.%s: guessed unit %s", "events", "at", "epoch-ms");
    report_remark(&r, "second remark");
    report_print(&r, out.f);
    static const char want[] =
        "project                  table                            read       loaded  rejected   "
        "seconds\n"
        "acme                     users                             120          118         2   "
        "   1.23\n"
        "acme                     orders                              0           50         0   "
        "   0.00  done earlier\n"
        "acme                     renamed\n"
        "beta                     FAILED: cannot open: file is not a database\n"
        "/src/weird name.db       (no tables)\n"
        "gamma                    t                                   3            3         0   "
        "   0.25  resumed\n"
        "gamma                    validated\n"
        "TOTAL                                                      123          171         2   "
        "   1.48\n"
        "note: project 'gamma' table t: 2 value(s) with invalid UTF-8 loaded with U+FFFD "
        "replacements (--invalid-utf8 replace)\n"
        "note: column events.at: guessed unit epoch-ms\n"
        "note: second remark\n"
        "4 project(s), 1 failed, 2 row(s) rejected\n";
    cr_expect_str_eq(mem_text(&out), want);
    cr_expect_str_eq(mem_text(&log),
                     "litelift: project 'beta' (/src/beta.db) FAILED: cannot open: file is not a "
                     "database\n");
    cr_expect_eq(report_status(&r), 1);
    report_free(&r);
    cr_expect_eq(r.nprojects, 0);
    cr_expect_eq(r.projects, NULL);
    mem_close(&log);
    mem_close(&out);
}

Test(report, dry_run_header_and_footer)
{
    struct mem log, out;
    mem_open(&log);
    mem_open(&out);
    struct report r;
    report_init(&r, log.f, true, false);
    cr_expect(r.dry_run);
    struct report_project *p = report_project(&r, "/d/a.db", "a");
    add_table(p, "x", 10, 10, 0, 0.5, NULL);
    report_print(&r, out.f);
    static const char want[] =
        "project                  table                            read   would-load  rejected   "
        "seconds\n"
        "a                        x                                  10           10         0   "
        "   0.50\n"
        "TOTAL                                                       10           10         0   "
        "   0.50\n"
        "1 project(s), 0 failed, 0 row(s) rejected (dry run: nothing was written)\n";
    cr_expect_str_eq(mem_text(&out), want);
    cr_expect_str_eq(mem_text(&log), "");
    cr_expect_eq(report_status(&r), 0);
    report_free(&r);
    mem_close(&log);
    mem_close(&out);
}

Test(report, interrupted_footer_and_empty_report)
{
    struct mem log, out;
    mem_open(&log);
    mem_open(&out);
    struct report r;
    report_init(&r, log.f, false, false);
    report_print(&r, out.f);
    static const char want_empty[] =
        "project                  table                            read       loaded  rejected   "
        "seconds\n"
        "TOTAL                                                        0            0         0   "
        "   0.00\n"
        "0 project(s), 0 failed, 0 row(s) rejected\n";
    cr_expect_str_eq(mem_text(&out), want_empty);
    cr_expect_eq(report_status(&r), 0);
    report_free(&r);
    mem_close(&out);

    mem_open(&out);
    report_init(&r, log.f, true, false);
    struct report_project *p = report_project(&r, "/d/p.db", "p");
    add_table(p, "t", 5, 5, 0, 0, NULL);
    p->outcome = "interrupted";
    r.interrupted = true;
    report_print(&r, out.f);
    static const char want[] =
        "project                  table                            read   would-load  rejected   "
        "seconds\n"
        "p                        t                                   5            5         0   "
        "   0.00\n"
        "p                        interrupted\n"
        "TOTAL                                                        5            5         0   "
        "   0.00\n"
        "1 project(s), 0 failed, 0 row(s) rejected (dry run: nothing was written); INTERRUPTED: "
        "rerun the same command to continue\n";
    cr_expect_str_eq(mem_text(&out), want);
    cr_expect_eq(report_status(&r), 3);
    report_free(&r);
    mem_close(&log);
    mem_close(&out);
}

Test(report, long_names_push_the_columns)
{
    struct mem log, out;
    mem_open(&log);
    mem_open(&out);
    struct report r;
    report_init(&r, log.f, false, false);
    struct report_project *p = report_project(&r, "/d/x.db", "a-very-long-project-id-over-24");
    add_table(p, "a_table_name_longer_than_24_chars", 1, 1, 0, 12345.678, NULL);
    add_table(p, "big", 123456789012LL, 123456789012LL, 987654321LL, 0.004, NULL);
    report_print(&r, out.f);
    static const char want[] =
        "project                  table                            read       loaded  rejected   "
        "seconds\n"
        "a-very-long-project-id-over-24 a_table_name_longer_than_24_chars            1            "
        "1         0  12345.68\n"
        "a-very-long-project-id-over-24 big                      123456789012 123456789012 "
        "987654321      0.00\n"
        "TOTAL                                             123456789013 123456789013 "
        "987654321  12345.68\n"
        "1 project(s), 0 failed, 987654321 row(s) rejected\n";
    cr_expect_str_eq(mem_text(&out), want);
    report_free(&r);
    mem_close(&log);
    mem_close(&out);
}

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
    {"a reject in this run", false, NULL, 10, 9, 1, false, 1},
    {"a reject of an earlier run, nothing read now", false, NULL, 0, 9, 1, false, 1},
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
    struct mem log, out;
    mem_open(&log);
    mem_open(&out);
    struct report r;
    report_init(&r, log.f, false, false);
    struct report_project *p = report_project(&r, "/d/p.db", "p");
    add_table(p, "t", 5, 5, 0, 0, "resumed");
    report_retry(&r, "lost connection");
    report_retry(&r, "deadlock");
    report_retry(&r, "lost connection");
    report_print(&r, out.f);
    static const char want[] =
        "project                  table                            read       loaded  rejected   "
        "seconds\n"
        "p                        t                                   5            5         0   "
        "   0.00  resumed\n"
        "TOTAL                                                        5            5         0   "
        "   0.00\n"
        "3 transient failure(s) retried (lost connection x2, deadlock x1)\n"
        "1 project(s), 0 failed, 0 row(s) rejected\n";
    cr_expect_str_eq(mem_text(&out), want);
    cr_expect_eq(report_status(&r), 0, "a retried run that finished is clean");
    cr_expect_str_eq(mem_text(&log), "");
    report_free(&r);
    mem_close(&log);
    mem_close(&out);
}

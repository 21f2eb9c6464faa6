/* test_summary: summary_print's exact text, with the clock fixed (TZ=UTC,
 * start and end set): the header (loaded, or would-load in a dry run), one
 * "%-24s %-24s %12lld %12lld %9lld %9.2f" line per table with its note in
 * full detail, a line per project (tables only when they have rejects, are
 * resumed or differ) in projects detail, totals and what needs attention in
 * totals detail, the automatic choice by the number of projects; FAILED,
 * (no tables), not started (interrupted or the run failed) and outcome lines; the TOTAL line,
 * notes and remarks; skipped objects grouped by kind; where the reject files
 * are; the retries by kind; the count line, the times and the next step;
 * long names that overflow the columns. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memlog.h"
#include "summary.h"

#define HEADER                                                                                     \
    "project                  table                            read       loaded  rejected   "     \
    "seconds\n"
#define TIMES "started 2026-12-04 17:00:00, ended 17:02:12 +0000, wall time 2m12s\n"

static void utc(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

TestSuite(summary, .init = utc);

/* A report with its clock set: started 17:00:00 UTC, 132 s long. */
static void start(struct report *r, struct mem *log, bool dry_run)
{
    report_init(r, log->f, dry_run, false);
    r->run.started = 1796403600.0; /* 2026-12-04 17:00:00 UTC */
    r->run.ended = r->run.started + 132.4;
}

/* What summary_print writes for r (a heap string). */
static char *printed(const struct report *r)
{
    struct mem out;
    mem_open(&out);
    cr_assert_eq(summary_print(r, out.f), 0);
    char *text = strdup(mem_text(&out));
    mem_close(&out);
    return text;
}

/* The mixed run of the full-detail test: renamed, failed, no id, resumed. */
static void mixed(struct report *r)
{
    struct report_project *acme = report_project(r, "/src/acme.db", "acme");
    add_table(acme, "users", 120, 118, 2, 1.234, NULL);
    add_table(acme, "orders", 0, 50, 0, 0, "done earlier");
    acme->outcome = "renamed";
    acme->rejects_at = strdup("litelift-rejects/acme");
    report_skipped(r, acme, "trigger", "t2", "not a table"); /* before acme moves */
    struct report_project *beta = report_project(r, "/src/beta.db", "beta");
    report_fail(r, beta, "cannot open: file is not a database");
    report_project(r, "/src/weird name.db", NULL);
    struct report_project *gamma = report_project(r, "/src/gamma.db", "gamma");
    struct report_table *gt = add_table(gamma, "t", 3, 3, 0, 0.25, "resumed");
    gt->replaced = 2;
    gamma->outcome = "validated";
    report_skipped(r, gamma, "trigger", "t1", "not a table");
    report_skipped(r, gamma, "view", "v", "not a table");
    report_remark(r, "column %s.%s: guessed unit %s", "events", "at", "epoch-ms");
}

Test(summary, full_detail_of_a_mixed_run_exactly)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    start(&r, &log, false);
    mixed(&r);
    char *text = printed(&r);
    static const char want[] =
        HEADER "acme                     users                             120          118    "
               "     2      1.23\n"
               "acme                     orders                              0           50    "
               "     0      0.00  done earlier\n"
               "acme                     renamed\n"
               "beta                     FAILED: cannot open: file is not a database\n"
               "/src/weird name.db       (no tables)\n"
               "gamma                    t                                   3            3    "
               "     0      0.25  resumed\n"
               "gamma                    validated\n"
               "TOTAL                                                      123          171    "
               "     2      1.48\n"
               "note: project 'gamma' table t: 2 value(s) with invalid UTF-8 loaded with U+FFFD "
               "replacements (--invalid-utf8 replace)\n"
               "note: column events.at: guessed unit epoch-ms\n"
               "skipped (not migrated): 2 triggers, 1 view in 2 project(s) (--verbose names "
               "each)\n"
               "2 row(s) rejected in 1 project(s): see litelift-rejects/acme/\n"
               "4 project(s), 1 failed, 2 row(s) rejected\n" TIMES
               "next: fix what is listed as FAILED and rerun the same command (what was loaded "
               "is not loaded again)\n"
               "next: fix the rejected rows and rerun with --restart-project ID, or rerun with "
               "--accept-rejects to rename the files anyway\n";
    cr_expect_str_eq(text, want);
    free(text);
    report_free(&r);
    mem_close(&log);
}

Test(summary, projects_detail_keeps_only_tables_with_something_to_say)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    start(&r, &log, false);
    r.summary = CONFIG_SUMMARY_PROJECTS;
    mixed(&r);
    char *text = printed(&r);
    static const char want[] =
        HEADER "acme                     (2 tables)                        120          168    "
               "     2      1.23  renamed\n"
               "acme                     users                             120          118    "
               "     2      1.23\n"
               "beta                     FAILED: cannot open: file is not a database\n"
               "/src/weird name.db       (no tables)\n"
               "gamma                    (1 table)                           3            3    "
               "     0      0.25  validated\n"
               "gamma                    t                                   3            3    "
               "     0      0.25  resumed\n"
               "TOTAL                                                      123          171    "
               "     2      1.48\n";
    cr_expect(strncmp(text, want, strlen(want)) == 0, "got:\n%s", text);
    free(text);
    report_free(&r);
    mem_close(&log);
}

Test(summary, totals_detail_shows_only_what_needs_attention)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    start(&r, &log, false);
    r.summary = CONFIG_SUMMARY_TOTALS;
    mixed(&r);
    char *text = printed(&r);
    static const char want[] =
        HEADER "acme                     users                             120          118    "
               "     2      1.23\n"
               "acme                     renamed\n"
               "beta                     FAILED: cannot open: file is not a database\n"
               "gamma                    t                                   3            3    "
               "     0      0.25  resumed\n"
               "TOTAL                                                      123          171    "
               "     2      1.48\n";
    cr_expect(strncmp(text, want, strlen(want)) == 0, "got:\n%s", text);
    free(text);
    report_free(&r);
    mem_close(&log);
}

/* The number of table lines summary_print writes for n clean projects of
 * two tables each (auto detail). */
static size_t lines_for(size_t n)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    start(&r, &log, false);
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "p%zu", i);
        struct report_project *p = report_project(&r, id, id);
        add_table(p, "a", 1, 1, 0, 0, NULL);
        add_table(p, "b", 1, 1, 0, 0, NULL);
        p->outcome = "renamed";
    }
    char *text = printed(&r);
    size_t lines = 0;
    for (const char *s = text; (s = strchr(s, '\n')) != NULL; s++)
        lines++;
    free(text);
    report_free(&r);
    mem_close(&log);
    return lines - 4; /* header, TOTAL, count line, times */
}

Test(summary, auto_detail_follows_the_number_of_projects)
{
    static const struct {
        size_t projects, lines;
    } cases[] = {
        {1, 3},                                       /* full: 2 tables + outcome */
        {SUMMARY_FULL_MAX, 3 * SUMMARY_FULL_MAX},     /* still full */
        {SUMMARY_FULL_MAX + 1, SUMMARY_FULL_MAX + 1}, /* a line per project */
        {SUMMARY_PROJECTS_MAX, SUMMARY_PROJECTS_MAX}, /* still per project */
        {SUMMARY_PROJECTS_MAX + 1, 0},                /* totals only */
        {200, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_eq(lines_for(cases[i].projects), cases[i].lines, "%zu projects",
                     cases[i].projects);
}

Test(summary, dry_run_header_and_footer)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    start(&r, &log, true);
    struct report_project *p = report_project(&r, "/d/a.db", "a");
    add_table(p, "x", 10, 10, 0, 0.5, NULL);
    char *text = printed(&r);
    static const char want[] =
        "project                  table                            read   would-load  rejected   "
        "seconds\n"
        "a                        x                                  10           10         0   "
        "   0.50\n"
        "TOTAL                                                       10           10         0   "
        "   0.50\n"
        "1 project(s), 0 failed, 0 row(s) rejected (dry run: nothing was written)\n" TIMES;
    cr_expect_str_eq(text, want);
    free(text);
    report_free(&r);
    mem_close(&log);
}

Test(summary, interrupted_projects_not_started_and_the_next_step)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    start(&r, &log, false);
    struct report_project *p = report_project(&r, "/d/p.db", "p");
    add_table(p, "t", 5, 5, 0, 0, NULL);
    p->outcome = "interrupted at a batch boundary";
    report_project(&r, "/d/q.db", "q");
    r.interrupted = true;
    char *text = printed(&r);
    static const char want[] =
        HEADER "p                        t                                   5            5    "
               "     0      0.00\n"
               "p                        interrupted at a batch boundary\n"
               "q                        not started (interrupted)\n"
               "TOTAL                                                        5            5    "
               "     0      0.00\n"
               "2 project(s), 0 failed, 0 row(s) rejected; INTERRUPTED\n" TIMES
               "next: rerun the same command to continue\n";
    cr_expect_str_eq(text, want);
    free(text);
    report_free(&r);
    mem_close(&log);
}

Test(summary, projects_a_failed_run_did_not_reach_are_not_started)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    start(&r, &log, false);
    report_project(&r, "/d/q.db", "q");
    r.failed = true;
    char *text = printed(&r);
    static const char want[] =
        HEADER "q                        not started (the run failed)\n"
               "TOTAL                                                        0            0    "
               "     0      0.00\n"
               "1 project(s), 0 failed, 0 row(s) rejected\n" TIMES;
    cr_expect_str_eq(text, want);
    free(text);
    report_free(&r);
    mem_close(&log);
}

Test(summary, empty_report_and_reject_directories_beyond_three)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    start(&r, &log, false);
    char *text = printed(&r);
    cr_expect_str_eq(text, HEADER "TOTAL                                                        0 "
                                  "           0         0      0.00\n"
                                  "0 project(s), 0 failed, 0 row(s) rejected\n" TIMES);
    free(text);
    r.accept_rejects = true;
    for (int i = 0; i < 5; i++) {
        char id[16], dir[32];
        snprintf(id, sizeof id, "r%d", i);
        snprintf(dir, sizeof dir, "rj/r%d", i);
        struct report_project *p = report_project(&r, id, id);
        add_table(p, "t", 1, 0, 1, 0, NULL);
        p->rejects_at = strdup(dir);
    }
    text = printed(&r);
    cr_expect(strstr(text, "5 row(s) rejected in 5 project(s): see rj/r0/, rj/r1/, rj/r2/ and "
                           "2 more\n") != NULL,
              "%s", text);
    cr_expect(strstr(text, "next: the rejected rows are only in the reject files") != NULL, "%s",
              text);
    free(text);
    report_free(&r);
    mem_close(&log);
}

Test(summary, retries_line_before_the_counts)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    start(&r, &log, false);
    struct report_project *p = report_project(&r, "/d/p.db", "p");
    add_table(p, "t", 5, 5, 0, 0, "resumed");
    report_retry(&r, "lost connection");
    report_retry(&r, "deadlock");
    report_retry(&r, "lost connection");
    char *text = printed(&r);
    static const char want[] =
        HEADER "p                        t                                   5            5    "
               "     0      0.00  resumed\n"
               "TOTAL                                                        5            5    "
               "     0      0.00\n"
               "3 transient failure(s) retried (lost connection x2, deadlock x1)\n"
               "1 project(s), 0 failed, 0 row(s) rejected\n" TIMES;
    cr_expect_str_eq(text, want);
    free(text);
    report_free(&r);
    mem_close(&log);
}

Test(summary, long_names_push_the_columns)
{
    struct mem log;
    mem_open(&log);
    struct report r;
    start(&r, &log, false);
    struct report_project *p = report_project(&r, "/d/x.db", "a-very-long-project-id-over-24");
    add_table(p, "a_table_name_longer_than_24_chars", 1, 1, 0, 12345.678, NULL);
    add_table(p, "big", 123456789012LL, 123456789012LL, 987654321LL, 0.004, NULL);
    char *text = printed(&r);
    static const char want[] =
        HEADER "a-very-long-project-id-over-24 a_table_name_longer_than_24_chars            1    "
               "        1         0  12345.68\n"
               "a-very-long-project-id-over-24 big                      123456789012 "
               "123456789012 987654321      0.00\n"
               "TOTAL                                             123456789013 123456789013 "
               "987654321  12345.68\n"
               "987654321 row(s) rejected in 1 project(s)\n"
               "1 project(s), 0 failed, 987654321 row(s) rejected\n";
    cr_expect(strncmp(text, want, strlen(want)) == 0, "got:\n%s", text);
    free(text);
    report_free(&r);
    mem_close(&log);
}

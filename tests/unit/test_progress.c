/* test_progress: the text of the progress display and of the plain progress
 * line (src/progress_draw.c) for states set by hand: the pre-flight with a
 * phase, the headline (bar, percentage, rows of the total, "~" for an
 * estimate, rate, ETA, projects), a worker's line, lines cut to the terminal's
 * width by characters (UTF-8), the workers beyond the terminal's height, the
 * plain line while rows move and while none does, and verify's headline. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "progress_int.h"

static struct progress *state(void)
{
    struct progress *pg = calloc(1, sizeof *pg);
    cr_assert(pg != NULL);
    pg->kind = PROGRESS_MIGRATE;
    pg->every = 30;
    return pg;
}

static void busy(struct progress *pg, size_t n, const char *id, const char *table, long long rows,
                 long long moved)
{
    struct progress_worker *w = &pg->workers[n];
    w->busy = true;
    snprintf(w->id, sizeof w->id, "%s", id);
    snprintf(w->table, sizeof w->table, "%s", table);
    w->rows = rows;
    w->moved = moved;
}

/* The display of pg at time now on a width x height terminal. */
static char *tty(const struct progress *pg, double now, int width, int height)
{
    struct buf b;
    buf_init(&b, BUF_CAP_LIST);
    progress_draw_tty(pg, now, width, height, &b);
    cr_assert(!buf_failed(&b) && b.data != NULL);
    return b.data;
}

Test(progress, the_pre_flight_shows_its_phase)
{
    struct progress *pg = state();
    snprintf(pg->workers[0].phase, PROGRESS_TEXT, "checking integrity of a.db (3 of 5)");
    pg->workers[0].phase_since = 100;
    char *s = tty(pg, 102, 80, 24);
    cr_assert_str_eq(s, "litelift: pre-flight: checking the project files\n"
                        "  [0] checking integrity of a.db (3 of 5) (0:02)\n");
    free(s);
    free(pg);
}

Test(progress, the_headline_and_a_worker_line)
{
    struct progress *pg = state();
    pg->loading = true;
    pg->total = 1000;
    pg->done = 250;
    pg->nprojects = 4;
    pg->projects_done = 1;
    busy(pg, 1, "acme", "t", 250, 200);
    char *s = tty(pg, 10, 120, 24);
    cr_assert_str_eq(s, "litelift: [######..................]  25.0%  250 of 1000 rows  25 rows/s  "
                        "ETA 0:30  1/4 projects done\n"
                        "  [1] acme / t: 250 rows, 20 rows/s\n");
    free(s);
    pg->estimated = true;
    pg->done = pg->total = 7200000;
    pg->before = 3600000;
    s = tty(pg, 3600, 120, 24);
    cr_assert_str_eq(s, "litelift: [########################] 100.0%  7200000 of ~7200000 rows  "
                        "1000 rows/s    1/4 projects done\n"
                        "  [1] acme / t: 250 rows, 0 rows/s\n");
    free(s);
    pg->done = 3600000;
    pg->before = 0;
    s = tty(pg, 3600, 120, 24);
    cr_assert(strstr(s, " 50.0%  3600000 of ~7200000 rows  1000 rows/s  ETA 1:00:00  ") != NULL,
              "%s", s);
    free(s);
    free(pg);
}

Test(progress, lines_are_cut_to_the_width_in_characters)
{
    struct progress *pg = state();
    pg->loading = true;
    pg->nprojects = 1;
    busy(pg, 2, "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc", "t", 5, 5);
    char *s = tty(pg, 1, 12, 24);
    cr_assert_str_eq(s, "litelift: [\n  [2] \xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc \n");
    free(s);
    free(pg);
}

Test(progress, workers_beyond_the_height_are_counted)
{
    struct progress *pg = state();
    pg->loading = true;
    pg->nprojects = 9;
    for (size_t i = 1; i <= 5; i++)
        busy(pg, i, "p", "t", 1, 1);
    char *s = tty(pg, 1, 80, 5);
    cr_assert_str_eq(strchr(s, '\n') + 1, "  [1] p / t: 1 rows, 1 rows/s\n"
                                          "  [2] p / t: 1 rows, 1 rows/s\n"
                                          "  ... and 3 more\n");
    free(s);
    free(pg);
}

/* The plain line of pg at time now, without its timestamp. */
static char *plain(const struct progress *pg, double now)
{
    struct buf b;
    buf_init(&b, BUF_CAP_LIST);
    progress_draw_plain(pg, now, &b);
    cr_assert(!buf_failed(&b) && b.len > 21 && b.data[20] == ' ', "%s", b.data);
    char *s = strdup(b.data + 21);
    buf_free(&b);
    return s;
}

Test(progress, the_plain_line_while_rows_move_and_while_none_do)
{
    struct progress *pg = state();
    pg->loading = true;
    pg->total = 1000;
    pg->done = 400;
    pg->before = 100;
    pg->nprojects = 3;
    pg->projects_begun = 2;
    busy(pg, 1, "acme", "t", 300, 300);
    char *s = plain(pg, 10);
    cr_assert_str_eq(s, "litelift: progress: 400 rows read and sent in 10 s (30 rows/s), 40.0% of "
                        "1000 rows, ETA 0:20; project 2 of 3 under way; [1] acme / t: 300 rows, "
                        "30 rows/s\n");
    free(s);
    pg->said = 400;
    pg->dry_run = true;
    s = plain(pg, 10);
    cr_assert_str_eq(s, "litelift: progress (no row moved in the last 30 s): 400 rows read and "
                        "converted in 10 s (30 rows/s), 40.0% of 1000 rows, ETA 0:20; project 2 "
                        "of 3 under way; [1] acme / t: 300 rows, 30 rows/s\n");
    free(s);
    pg->loading = false;
    snprintf(pg->workers[0].phase, PROGRESS_TEXT, "counting the rows of b.db");
    s = plain(pg, 10);
    cr_assert_str_eq(s, "litelift: pre-flight; [0] counting the rows of b.db (0:10); [1] acme / "
                        "t: 300 rows, 30 rows/s\n");
    free(s);
    free(pg);
}

Test(progress, verify_counts_projects)
{
    struct progress *pg = state();
    pg->kind = PROGRESS_VERIFY;
    pg->loading = true;
    pg->nprojects = 2;
    pg->projects_done = 1;
    char *s = tty(pg, 10, 120, 24);
    cr_assert_str_eq(s, "litelift: [############............]  50.0%  1 of 2 projects compared, "
                        "0:10\n");
    free(s);
    s = plain(pg, 10);
    cr_assert_str_eq(s, "litelift: verify: 1 of 2 projects compared in 10 s\n");
    free(s);
    free(pg);
}

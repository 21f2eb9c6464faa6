/* progress_draw: the text of the progress display and of the plain progress
 * line (see progress_int.h). */
#include <stdio.h>
#include <time.h>

#include "progress_int.h"

#define BAR 24 /* characters of the bar */

/* Appends a duration as M:SS or H:MM:SS. */
static void duration(struct buf *b, double secs)
{
    long s = secs > 0 ? (long)(secs + 0.5) : 0;
    if (s >= 3600)
        buf_printf(b, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        buf_printf(b, "%ld:%02ld", s / 60, s % 60);
}

/* The share of the work done, 0 to 1: rows when their total is known, else
 * projects. */
static double fraction(const struct progress *pg)
{
    double f = pg->kind == PROGRESS_MIGRATE && pg->total > 0 ? (double)pg->done / (double)pg->total
               : pg->nprojects > 0 ? (double)pg->projects_done / (double)pg->nprojects
                                   : 0;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* Rows per second of this run's loading. */
static double rate(const struct progress *pg, double now)
{
    return now > pg->started ? (double)(pg->done - pg->before) / (now - pg->started) : 0;
}

/* Appends "N of [~]TOTAL rows (P%), ETA T" or what of it is known. */
static void rows_done(const struct progress *pg, double now, struct buf *b)
{
    double r = rate(pg, now);
    if (pg->total <= 0)
        return;
    buf_printf(b, ", %.1f%% of %s%lld rows", 100 * fraction(pg), pg->estimated ? "~" : "",
               pg->total);
    if (r > 0 && pg->total > pg->done) {
        buf_puts(b, ", ETA ");
        duration(b, (double)(pg->total - pg->done) / r);
    }
}

/* Appends what worker w does: "ID / TABLE: N rows, R rows/s", or its phase
 * with the seconds it has lasted. Returns whether it does anything. */
static bool worker(const struct progress_worker *w, double now, struct buf *b)
{
    if (w->phase[0] != '\0') {
        buf_printf(b, "%s%s%s (", w->id, w->id[0] ? ": " : "", w->phase);
        duration(b, now - w->phase_since);
        buf_puts(b, ")");
    } else if (w->busy && w->table[0] != '\0') {
        double secs = now - w->since;
        buf_printf(b, "%s / %s: %lld rows, %.0f rows/s", w->id, w->table, w->rows,
                   secs > 0 ? (double)w->moved / secs : 0);
    } else if (w->busy) {
        buf_puts(b, w->id);
    } else {
        return false;
    }
    return true;
}

/* Appends line (len bytes) cut to width - 1 characters, then '\n'. */
static void cut_line(struct buf *b, const char *line, size_t len, int width)
{
    int chars = 0;
    size_t i = 0;
    for (; i < len; i++) {
        if (((unsigned char)line[i] & 0xC0) != 0x80 && ++chars >= width)
            break;
    }
    buf_append(b, line, i);
    buf_puts(b, "\n");
}

/* The first line of the display: bar, percentage, rows, rate, ETA. */
static void headline(const struct progress *pg, double now, struct buf *b)
{
    if (!pg->loading) {
        buf_puts(b, "litelift: pre-flight: checking the project files");
        return;
    }
    int full = (int)(fraction(pg) * BAR);
    buf_puts(b, "litelift: [");
    for (int i = 0; i < BAR; i++)
        buf_puts(b, i < full ? "#" : ".");
    buf_printf(b, "] %5.1f%%  ", 100 * fraction(pg));
    if (pg->kind == PROGRESS_VERIFY) {
        buf_printf(b, "%zu of %zu projects compared, ", pg->projects_done, pg->nprojects);
        duration(b, now - pg->started);
        return;
    }
    buf_printf(b, "%lld", pg->done);
    if (pg->total > 0)
        buf_printf(b, " of %s%lld", pg->estimated ? "~" : "", pg->total);
    buf_printf(b, " rows  %.0f rows/s  ", rate(pg, now));
    if (pg->total > pg->done && rate(pg, now) > 0) {
        buf_puts(b, "ETA ");
        duration(b, (double)(pg->total - pg->done) / rate(pg, now));
    }
    buf_printf(b, "  %zu/%zu projects done", pg->projects_done, pg->nprojects);
}

void progress_draw_tty(const struct progress *pg, double now, int width, int height, struct buf *b)
{
    struct buf line;
    buf_init(&line, BUF_CAP_LINE);
    headline(pg, now, &line);
    cut_line(b, line.data ? line.data : "", line.len, width);
    int lines = 1;
    size_t more = 0;
    for (size_t i = 0; i <= PROGRESS_WORKERS; i++) {
        buf_reset(&line);
        buf_printf(&line, "  [%zu] ", i);
        if (!worker(&pg->workers[i], now, &line) || buf_failed(&line))
            continue;
        if (lines + 1 >= height - 1) {
            more++;
            continue;
        }
        cut_line(b, line.data, line.len, width);
        lines++;
    }
    if (more > 0) {
        buf_reset(&line);
        buf_printf(&line, "  ... and %zu more", more);
        cut_line(b, line.data, line.len, width);
    }
    buf_free(&line);
}

/* Appends the run's part of the plain line (after "litelift: "). */
static void plain_run(const struct progress *pg, double now, struct buf *b)
{
    if (!pg->loading) {
        buf_puts(b, "pre-flight");
        return;
    }
    if (pg->kind == PROGRESS_VERIFY) {
        buf_printf(b, "verify: %zu of %zu projects compared in %.0f s", pg->projects_done,
                   pg->nprojects, now - pg->started);
        return;
    }
    if (pg->done > pg->said)
        buf_puts(b, "progress: ");
    else
        buf_printf(b, "progress (no row moved in the last %.0f s): ", pg->every);
    buf_printf(b, "%lld rows %s in %.0f s (%.0f rows/s)", pg->done,
               pg->dry_run ? "read and converted" : "read and sent", now - pg->started,
               rate(pg, now));
    rows_done(pg, now, b);
    buf_printf(b, "; project %zu of %zu under way",
               pg->projects_begun < pg->nprojects ? pg->projects_begun : pg->nprojects,
               pg->nprojects);
}

void progress_draw_plain(const struct progress *pg, double now, struct buf *b)
{
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    buf_printf(b, "%s litelift: ", stamp);
    plain_run(pg, now, b);
    for (size_t i = 0; i <= PROGRESS_WORKERS; i++) {
        size_t mark = b->len;
        buf_printf(b, "; [%zu] ", i);
        if (!worker(&pg->workers[i], now, b))
            buf_truncate(b, mark);
    }
    buf_puts(b, "\n");
}

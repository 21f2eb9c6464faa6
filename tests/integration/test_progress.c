/* Integration tests of how a run shows its progress, through the real binary:
 * the live display in a real terminal (a tmux session: its screen captured
 * while the run is held at a batch boundary, then the final screen), the
 * timestamped plain lines in a pipe (migrate and verify), and --progress
 * none. */
#include <criterion/criterion.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static char tmux_socket[512]; /* the test's own tmux server, or "" */

static void kill_tmux(void)
{
    if (tmux_socket[0] != '\0')
        harness_sh("tmux -S \"$1\" kill-server 2>/dev/null", tmux_socket, NULL);
    tmux_socket[0] = '\0';
}

/* The first line of text matching the extended regular expression re (a heap
 * string), or NULL. */
static char *line_matching(const char *text, const char *re)
{
    regex_t rx;
    regmatch_t m;
    cr_assert(regcomp(&rx, re, REG_EXTENDED | REG_NEWLINE) == 0, "bad regex %s", re);
    char *line = regexec(&rx, text, 1, &m, 0) == 0
                     ? strndup(text + m.rm_so, (size_t)(m.rm_eo - m.rm_so))
                     : NULL;
    regfree(&rx);
    return line;
}

/* Whether a line of text matches the extended regular expression re. */
static bool has_line(const char *text, const char *re)
{
    char *l = line_matching(text, re);
    bool found = l != NULL;
    free(l);
    return found;
}

/* The pane of the test's tmux session as text (whole lines, wrapped ones
 * joined), with its history when all. */
static char *screen(bool all)
{
    return harness_sh_out(all ? "tmux -S \"$1\" capture-pane -p -J -S - -t lt"
                              : "tmux -S \"$1\" capture-pane -p -J -t lt",
                          tmux_socket, NULL);
}

/* Waits until the pane shows a line matching each of res (n of them); returns
 * that screen. Aborts the test after two minutes. */
static char *wait_screen(const char *const *res, size_t n)
{
    struct timespec tick = {0, 50000000L};
    for (int i = 0; i < 2400; i++) {
        char *s = screen(false);
        size_t k = 0;
        for (char *l; k < n && (l = line_matching(s, res[k])) != NULL; k++)
            free(l);
        if (k == n)
            return s;
        free(s);
        nanosleep(&tick, NULL);
    }
    cr_assert_fail("the screen never showed %s", res[0]);
    return NULL;
}

/* Rows of a worker line "  [N] PROJECT / big: ROWS rows, R rows/s" of text. */
static long long worker_rows(const char *text, const char *re)
{
    char *l = line_matching(text, re);
    cr_assert(l != NULL, "no line %s in\n%s", re, text);
    long long n = strtoll(strstr(l, "/ big: ") + 7, NULL, 10);
    free(l);
    return n;
}

#define HEADLINE                                                                                   \
    "^litelift: \\[#*\\.*\\] +[0-9]+\\.[0-9]%  [0-9]+ of 120000 rows  [0-9]+ rows/s  (ETA "        \
    "[0-9:]+)?  0/2 projects done$"
#define WORKER(n) "^  \\[" #n "\\] (alpha|beta) / big: [0-9]+ rows, [0-9]+ rows/s$"

/* Checks the display's first line: the bar and the percentage agree with the
 * rows done of the total (counted in the pre-flight), and those rows are the
 * workers' own. */
static void check_headline(const char *text)
{
    char *l = line_matching(text, HEADLINE);
    cr_assert(l != NULL, "no display in\n%s", text);
    int hashes = (int)strspn(l + strlen("litelift: ["), "#");
    int dots = (int)strspn(l + strlen("litelift: [") + hashes, ".");
    double pct = strtod(strchr(l, ']') + 1, NULL);
    long long done = strtoll(strstr(l, "%  ") + 3, NULL, 10);
    cr_assert_eq(hashes + dots, 24, "%s", l);
    cr_assert(done > 0 && done < 120000, "%s", l);
    cr_assert_eq(hashes, (int)((double)done / 120000 * 24), "%s", l);
    cr_assert(pct > 100.0 * (double)done / 120000 - 0.051 &&
                  pct < 100.0 * (double)done / 120000 + 0.051,
              "%s", l);
    cr_assert_eq(done, worker_rows(text, WORKER(1)) + worker_rows(text, WORKER(2)), "%s", text);
    free(l);
}

/* Every line of the final screen is a log line, a summary line or the exit
 * line of the session's script: nothing of the display is left, nothing is
 * cut into another line. */
static void check_final(const char *text)
{
    static const char *const ok =
        "^(litelift: (WARNING|connected|created|project '(alpha|beta)' )|project +table +read|"
        "(alpha|beta) +(big|validated)|TOTAL |skipped \\(not migrated\\): 1 view in 1 "
        "project\\(s\\)$|2 project\\(s\\), |started [-0-9]+ [0-9:]+, ended |litelift-exit=|$)";
    regex_t rx;
    cr_assert(regcomp(&rx, ok, REG_EXTENDED) == 0);
    char *copy = strdup(text), *save = NULL;
    for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save))
        cr_assert(regexec(&rx, l, 0, NULL, 0) == 0, "stray line '%s' in\n%s", l, text);
    regfree(&rx);
    free(copy);
}

/* migrate --jobs 2 in a tmux pane (TERM=screen: the display): while held at a
 * batch boundary the screen shows the bar, the percentage of the counted
 * total and a line per worker; at the end the display is gone, the log line
 * written while it was shown (--verbose: the skipped view) and the summary
 * are whole, and every row is in the target. */
Test(progress, live_display_in_a_terminal, .fini = kill_tmux, .timeout = 300)
{
    const char *dir = harness_tmpdir(), *work = harness_tmpdir();
    MYSQL *my = harness_db("it_prog_tty");
    char alpha[512], beta[512], script[512], bin[1024], url[1024];
    snprintf(alpha, sizeof alpha, "%s/alpha.db", dir);
    snprintf(beta, sizeof beta, "%s/beta.db", dir);
    snprintf(script, sizeof script, "%s/run.sh", work);
    snprintf(tmux_socket, sizeof tmux_socket, "%s/tmux", work);
    char *real = realpath("./litelift", NULL);
    cr_assert(real != NULL, "./litelift is not built");
    snprintf(bin, sizeof bin, "%s", real);
    free(real);
    snprintf(url, sizeof url, "%s", harness_url("it_prog_tty"));
    harness_big_project(my, alpha, 60000);
    harness_big_project(my, beta, 60000);
    cr_assert(harness_sh("sqlite3 \"$1\" 'CREATE VIEW v AS SELECT id FROM big'", alpha, NULL) == 0);
    FILE *f = fopen(script, "w");
    cr_assert(f != NULL);
    fputs("\"$@\"\necho \"litelift-exit=$?\"\nexec cat\n", f);
    cr_assert(fclose(f) == 0);
    cr_assert(
        harness_sh("tmux -S \"$1\" -f /dev/null new-session -d -s lt -x 160 -y 40 -c \"$6\" sh "
                   "\"$2\" "
                   "\"$3\" migrate --source \"$4\" --target \"$5\" --jobs 2 --batch-rows 1000 "
                   "--method insert --no-backup-rename --verbose",
                   tmux_socket, script, bin, dir, url, harness_cwd(), NULL) == 0);
    MYSQL *hold = harness_hold("it_prog_tty", "big", "alpha", 10000);
    const char *const shown[] = {HEADLINE, WORKER(1), WORKER(2)};
    char *s = wait_screen(shown, 3);
    check_headline(s);
    cr_assert(has_line(s, "^litelift: project 'alpha' \\([^)]*alpha\\.db\\): skipped view v "),
              "%s", s);
    free(s);
    harness_release(hold);
    const char *const ended[] = {"^litelift-exit="};
    free(wait_screen(ended, 1));
    s = screen(true);
    cr_assert(has_line(s, "^litelift-exit=0$"), "%s", s);
    cr_assert(has_line(s, "^alpha +big +60000 +60000 +0 "), "%s", s);
    cr_assert(has_line(s, "^beta +big +60000 +60000 +0 "), "%s", s);
    cr_assert(has_line(s, "^TOTAL +120000 +120000 +0 "), "%s", s);
    cr_assert(has_line(s, "^2 project\\(s\\), 0 failed, 0 row\\(s\\) rejected$"), "%s", s);
    cr_assert(has_line(s, "^litelift: project 'alpha' \\([^)]*alpha\\.db\\): skipped view v "),
              "%s", s);
    check_final(s);
    free(s);
    harness_expect_project(my, dir, "alpha", 60000);
    harness_expect_project(my, dir, "beta", 60000);
    mysql_close(my);
}

/* Starts ./litelift with args, its stderr into a pipe (returned in *err) and
 * its stdout into the file out. Returns the pid. */
static int spawn_piped(const char *const *args, FILE **err, const char *out)
{
    int fds[2];
    cr_assert(pipe(fds) == 0);
    const char *argv[32] = {"litelift"};
    size_t n = 1;
    for (; args[n - 1] != NULL && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    char *bin = realpath("./litelift", NULL);
    cr_assert(bin != NULL, "./litelift is not built");
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        if (dup2(fds[1], STDERR_FILENO) < 0 || freopen(out, "w", stdout) == NULL ||
            chdir(harness_cwd()) != 0)
            _exit(126);
        close(fds[0]);
        close(fds[1]);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    free(bin);
    close(fds[1]);
    *err = fdopen(fds[0], "r");
    cr_assert(*err != NULL);
    return (int)pid;
}

/* Reads lines from f into *text until one holds needle (or, with needle
 * NULL, to the end). Aborts the test when f ends first. */
static void read_until(FILE *f, const char *needle, char **text, size_t *len)
{
    char line[4096];
    while (fgets(line, sizeof line, f) != NULL) {
        size_t n = strlen(line);
        *text = realloc(*text, *len + n + 1);
        cr_assert(*text != NULL);
        memcpy(*text + *len, line, n + 1);
        *len += n;
        if (needle != NULL && strstr(line, needle) != NULL)
            return;
    }
    if (needle != NULL)
        cr_assert_fail("the run ended before a line with '%s':\n%s", needle, *text ? *text : "");
}

/* Exit status of pid, which must exit. */
static int exit_status(int pid)
{
    int st;
    cr_assert(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
    return WEXITSTATUS(st);
}

#define STAMP "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z litelift: "

/* Each line of text holding key matches re; returns how many do. */
static int lines_like(const char *text, const char *key, const char *re)
{
    regex_t rx;
    cr_assert(regcomp(&rx, re, REG_EXTENDED) == 0, "bad regex %s", re);
    char *copy = strdup(text), *save = NULL;
    int n = 0;
    for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
        if (strstr(l, key) == NULL)
            continue;
        cr_assert(regexec(&rx, l, 0, NULL, 0) == 0, "line '%s' is not like %s", l, re);
        n++;
    }
    regfree(&rx);
    free(copy);
    return n;
}

/* Not on a terminal (a pipe): with --progress-every 1 a timestamped line
 * every second, also while no row moves (held at a batch boundary), whose
 * percentage is the rows of the counted total; verify says how far it is
 * too. Meanwhile a run with --progress none, held as long, says nothing. */
Test(progress, plain_lines_in_a_pipe_and_none_with_progress_none, .timeout = 300)
{
    const char *dir = harness_tmpdir(), *quiet = harness_tmpdir(), *work = harness_tmpdir();
    MYSQL *my = harness_db("it_prog_plain"), *myq = harness_db("it_prog_none");
    char path[512], out[512], url[1024], urlq[1024];
    snprintf(url, sizeof url, "%s", harness_url("it_prog_plain"));
    snprintf(urlq, sizeof urlq, "%s", harness_url("it_prog_none"));
    snprintf(out, sizeof out, "%s/out", work);
    snprintf(path, sizeof path, "%s/big.db", dir);
    harness_big_project(my, path, 60000);
    snprintf(path, sizeof path, "%s/big.db", quiet);
    harness_big_project(myq, path, 60000);
    const char *none[] = {
        "migrate", "--source",         quiet,  "--target",           urlq,     "--jobs",
        "1",       "--batch-rows",     "1000", "--method",           "insert", "--progress",
        "none",    "--progress-every", "1",    "--no-backup-rename", NULL};
    int qpid = harness_spawn(none);
    MYSQL *qhold = harness_hold("it_prog_none", "big", "big", 1000);
    const char *plain[] = {
        "migrate", "--source",           dir,    "--target", url,      "--jobs",
        "1",       "--batch-rows",       "1000", "--method", "insert", "--progress-every",
        "1",       "--no-backup-rename", NULL};
    FILE *err;
    char *text = NULL;
    size_t len = 0;
    int pid = spawn_piped(plain, &err, out);
    MYSQL *hold = harness_hold("it_prog_plain", "big", "big", 1000);
    read_until(err, "litelift: progress (no row moved in the last 1 s): ", &text, &len);
    harness_release(hold);
    harness_release(qhold);
    read_until(err, NULL, &text, &len);
    fclose(err);
    cr_assert_eq(exit_status(pid), 0, "%s", text);
    cr_assert(lines_like(text, "litelift: progress",
                         STAMP "progress( \\(no row moved in the last 1 s\\))?: [0-9]+ rows read "
                               "and sent in [0-9]+ s \\([0-9]+ rows/s\\), [0-9]+\\.[0-9]% of 60000 "
                               "rows(, ETA [0-9:]+)?; project 1 of 1 under way; \\[0\\] big / "
                               "big: [0-9]+ rows, [0-9]+ rows/s$") >= 2,
              "%s", text);
    cr_assert(has_line(text, STAMP "progress: [0-9]+ rows"), "%s", text);
    lines_like(text, "pre-flight", STAMP "pre-flight(; \\[0\\] .*)?$");
    struct run_result q = harness_wait(qpid, NULL);
    cr_assert_eq(q.status, 0, "%s\n%s", q.out, q.err);
    cr_assert(strstr(q.err, "progress") == NULL && strstr(q.err, "pre-flight") == NULL, "%s",
              q.err);
    cr_assert(strstr(q.out, "TOTAL ") != NULL, "%s", q.out);
    harness_result_free(&q);
    harness_expect_project(my, dir, "big", 60000);
    harness_expect_project(myq, quiet, "big", 60000);
    /* verify, held on the target's table: how far it is, and what it does */
    const char *verify[] = {"verify",     "--source",   dir,     "--target",         url,
                            "--checksum", "--progress", "plain", "--progress-every", "1",
                            NULL};
    free(text);
    text = NULL;
    len = 0;
    hold = harness_hold("it_prog_plain", "big", "big", 60000);
    pid = spawn_piped(verify, &err, out);
    read_until(err, "comparing checksums of table big", &text, &len);
    harness_release(hold);
    read_until(err, NULL, &text, &len);
    fclose(err);
    cr_assert_eq(exit_status(pid), 0, "%s", text);
    cr_assert(lines_like(text, "litelift: verify",
                         STAMP "verify: 0 of 1 projects compared in [0-9]+ s; \\[0\\] big: "
                               "comparing checksums of table big \\([0-9]+:[0-9]{2}\\)$") >= 1,
              "%s", text);
    free(text);
    mysql_close(my);
    mysql_close(myq);
}

/* After a resume the rows done and the total include what the interrupted run
 * loaded: the first line of the second run counts from there, against the
 * whole file. */
Test(progress, a_resumed_run_counts_what_earlier_runs_loaded, .timeout = 300)
{
    const char *dir = harness_tmpdir(), *work = harness_tmpdir();
    MYSQL *my = harness_db("it_prog_resume");
    char path[512], out[512], url[1024];
    snprintf(url, sizeof url, "%s", harness_url("it_prog_resume"));
    snprintf(out, sizeof out, "%s/out", work);
    snprintf(path, sizeof path, "%s/big.db", dir);
    harness_big_project(my, path, 60000);
    const char *args[] = {
        "migrate", "--source",           dir,    "--target", url,      "--jobs",
        "1",       "--batch-rows",       "1000", "--method", "insert", "--progress-every",
        "1",       "--no-backup-rename", NULL};
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_prog_resume", "big", "big", 20000);
    cr_assert(kill(pid, SIGTERM) == 0);
    harness_release(hold);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 3, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    long long earlier = harness_number(my, "SELECT COUNT(*) FROM big");
    cr_assert(earlier >= 20000 && earlier < 60000, "%lld", earlier);
    FILE *err;
    char *text = NULL;
    size_t len = 0;
    pid = spawn_piped(args, &err, out);
    hold = harness_hold("it_prog_resume", "big", "big", earlier + 1000);
    read_until(err, "litelift: progress (no row moved in the last 1 s): ", &text, &len);
    harness_release(hold);
    read_until(err, NULL, &text, &len);
    fclose(err);
    cr_assert_eq(exit_status(pid), 0, "%s", text);
    char *first = line_matching(text, STAMP "progress: [0-9]+ rows.*$");
    cr_assert(first != NULL, "%s", text);
    long long rows = strtoll(strstr(first, "progress: ") + 10, NULL, 10);
    cr_assert(rows > earlier && rows <= 60000, "%lld after %lld earlier: %s", rows, earlier, first);
    char pct[32];
    snprintf(pct, sizeof pct, ", %.1f%% of 60000 rows", 100.0 * (double)rows / 60000);
    cr_assert(strstr(first, pct) != NULL, "%s not in %s", pct, first);
    free(first);
    free(text);
    harness_expect_project(my, dir, "big", 60000);
    mysql_close(my);
}

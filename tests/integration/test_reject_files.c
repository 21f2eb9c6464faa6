/* Integration tests of the reject files after interrupted runs: one project
 * whose rejects (values that do not convert, and rows the server refuses
 * through a CHECK constraint) are spread over hundreds of small batches is
 * stopped mid-way, deterministically: the test holds an uncommitted row of the
 * target, so litelift commits the batches before it and then waits on that
 * row's lock (seen in information_schema.INNODB_TRX); it is then killed with
 * SIGKILL (the waiting batch is rolled back) or stopped with SIGINT (the batch
 * commits once the row is released). Every reject file, current or rotated,
 * holds only rejects the target records; after the stop early the files
 * equal the record; after the resumed run the current files equal the
 * target's rejects table (key set equal, no duplicates) and the reject set
 * expected from the source, line by line, with the rows' original values. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "buf.h"
#include "compare.h"
#include "harness.h"

#define NROWS 3000
#define HELD 1501 /* the row the test holds locked (a good row) */

/* Whether source row n is rejected: v out of range (n % 7), else w refused
 * by the target's CHECK (n % 13). */
static bool rejected(long n)
{
    return n % 7 == 0 || n % 13 == 0;
}

/* The target table and the source file dir/p.db of NROWS rows. */
static void make_project(MYSQL *my, const char *dir)
{
    harness_exec(my, "CREATE TABLE t (project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE "
                     "utf8mb4_bin NOT NULL, id BIGINT NOT NULL, v TINYINT, w INT CHECK (w >= 0), "
                     "s TEXT, b BLOB, PRIMARY KEY (project_id, id)) ENGINE=InnoDB");
    char rows[16];
    snprintf(rows, sizeof rows, "%d", NROWS);
    cr_assert(
        harness_sh("sqlite3 \"$1/p.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, w "
                   "INTEGER, s TEXT, b BLOB); WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT "
                   "n+1 FROM c WHERE n < $2) INSERT INTO t SELECT n, CASE WHEN n % 7 = 0 THEN 1000 "
                   "+ n ELSE n % 100 END, CASE WHEN n % 13 = 0 THEN -n ELSE n END, 'row ' || n || "
                   "char(9) || 'tab' || char(10) || 'nl\\\\', x'00FE5C09' FROM c\"",
                   dir, rows, NULL) == 0);
}

/* Appends s[0..n) escaped as the reject files escape (\\ \t \n \r \0). */
static void escape(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        const char *e = c == '\\'   ? "\\\\"
                        : c == '\t' ? "\\t"
                        : c == '\n' ? "\\n"
                        : c == '\r' ? "\\r"
                        : c == '\0' ? "\\0"
                                    : NULL;
        cr_assert_eq(e ? buf_puts(b, e) : buf_putc(b, c), 0);
    }
}

/* The TSV line of source row n, as the source holds it. */
static void expected_tsv(struct buf *b, long n)
{
    char s[64];
    int len = snprintf(s, sizeof s, "row %ld\ttab\nnl\\", n);
    buf_reset(b);
    cr_assert_eq(
        buf_printf(b, "%ld\t%ld\t%ld\t", n, n % 7 == 0 ? 1000 + n : n % 100, n % 13 == 0 ? -n : n),
        0);
    escape(b, s, (size_t)len);
    cr_assert_eq(buf_putc(b, '\t'), 0);
    escape(b, "\x00\xfe\\\t", 4);
}

/* The target's record of p's rejects of table t, by id. */
struct record {
    int count[NROWS + 1]; /* times each id is recorded */
    char *column[NROWS + 1], *reason[NROWS + 1];
    long n;
};

static void record_read(MYSQL *my, struct record *rec)
{
    memset(rec, 0, sizeof *rec);
    const char *sql = "SELECT CONV(HEX(SUBSTRING(row_key, 2)), 16, 10), IFNULL(column_name, "
                      "'(row)'), reason FROM litelift_progress_rejects WHERE project_id = 'p' "
                      "AND table_name = 't' ORDER BY id";
    cr_assert_eq(mysql_query(my, sql), 0, "%s", mysql_error(my));
    MYSQL_RES *res = mysql_store_result(my);
    cr_assert(res != NULL);
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        long id = strtol(row[0], NULL, 10);
        cr_assert(id >= 1 && id <= NROWS, "recorded key %s", row[0]);
        if (rec->count[id]++ == 0) {
            rec->column[id] = strdup(row[1]);
            rec->reason[id] = strdup(row[2]);
        }
        rec->n++;
    }
    mysql_free_result(res);
}

static void record_free(struct record *rec)
{
    for (long i = 0; i <= NROWS; i++) {
        free(rec->column[i]);
        free(rec->reason[i]);
    }
}

/* The whole file at path into b; false when it does not exist. */
static bool slurp(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "rb");
    buf_reset(b);
    if (f == NULL)
        return false;
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        cr_assert_eq(buf_append(b, tmp, k), 0);
    fclose(f);
    return true;
}

/* Next line of text at *at (without its \n) into line; false at the end. */
static bool next_line(const struct buf *text, size_t *at, struct buf *line)
{
    if (*at >= text->len)
        return false;
    const char *s = text->data + *at, *nl = memchr(s, '\n', text->len - *at);
    cr_assert(nl != NULL, "the file ends inside a line");
    buf_reset(line);
    cr_assert_eq(buf_append(line, s, (size_t)(nl - s)), 0);
    *at += (size_t)(nl - s) + 1;
    return true;
}

/* Checks the reject files rejects/p/t.rejects{tsv,log}SUFFIX against the
 * record: every line is a recorded reject, once, its TSV line the source row
 * and its log line the key, column, value excerpt and recorded reason. With
 * exact, they hold every recorded reject. Returns the number of rejects in
 * the files (-1 when there are none). */
static long check_files(const char *rejects, const char *suffix, const struct record *rec,
                        bool exact)
{
    char tpath[512], lpath[512];
    snprintf(tpath, sizeof tpath, "%s/p/t.rejects.tsv%s", rejects, suffix);
    snprintf(lpath, sizeof lpath, "%s/p/t.rejects.log%s", rejects, suffix);
    struct buf tsv, log, tl, ll, want;
    buf_init(&tsv, BUF_CAP_BULK);
    buf_init(&log, BUF_CAP_BULK);
    buf_init(&tl, BUF_CAP_ROW);
    buf_init(&ll, BUF_CAP_ROW);
    buf_init(&want, BUF_CAP_ROW);
    bool have_tsv = slurp(tpath, &tsv), have_log = slurp(lpath, &log);
    cr_assert_eq(have_tsv, have_log, "%s and %s: one without the other", tpath, lpath);
    long n = -1;
    if (have_tsv) {
        static int seen[NROWS + 1];
        memset(seen, 0, sizeof seen);
        size_t at_t = 0, at_l = 0;
        cr_assert(next_line(&tsv, &at_t, &tl) && strcmp(tl.data, "id\tv\tw\ts\tb") == 0);
        cr_assert(next_line(&log, &at_l, &ll) &&
                  strcmp(ll.data, "key\tcolumn\tvalue\treason") == 0);
        for (n = 0; next_line(&tsv, &at_t, &tl); n++) {
            cr_assert(next_line(&log, &at_l, &ll), "%s has fewer lines than %s", lpath, tpath);
            long id = strtol(tl.data, NULL, 10);
            cr_assert(id >= 1 && id <= NROWS && rec->count[id] == 1,
                      "%s: row %ld is not a recorded reject (or recorded %d times)", tpath, id,
                      id >= 1 && id <= NROWS ? rec->count[id] : 0);
            cr_assert_eq(seen[id]++, 0, "%s: row %ld twice", tpath, id);
            expected_tsv(&want, id);
            cr_assert(tl.len == want.len && memcmp(tl.data, want.data, want.len) == 0,
                      "%s: row %ld:\n got %s\nwant %s", tpath, id, tl.data, want.data);
            buf_reset(&want);
            bool row = strcmp(rec->column[id], "(row)") == 0;
            buf_printf(&want, "id=%ld\t%s\t", id, rec->column[id]);
            if (!row)
                buf_printf(&want, "%ld", 1000 + id);
            buf_putc(&want, '\t');
            escape(&want, rec->reason[id], strlen(rec->reason[id]));
            cr_assert_str_eq(ll.data, want.data, "%s: the log line of row %ld", lpath, id);
        }
        cr_assert(!next_line(&log, &at_l, &ll), "%s has more lines than %s", lpath, tpath);
    }
    if (exact)
        cr_assert_eq(n < 0 ? 0 : n, rec->n, "%s holds %ld rejects, the target records %ld", tpath,
                     n, rec->n);
    buf_free(&tsv);
    buf_free(&log);
    buf_free(&tl);
    buf_free(&ll);
    buf_free(&want);
    return n;
}

/* Every rotated file (.1, .2, ...) holds only recorded rejects. */
static void check_rotated(const char *rejects, const struct record *rec)
{
    for (int k = 1; k < 10; k++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, ".%d", k);
        check_files(rejects, suffix, rec, false);
    }
}

/* Polls (every 150 ms, for at most 120 s) until sql gives at least want;
 * fails with litelift's output when child pid (0: none) exits first. (InnoDB
 * refreshes what information_schema.INNODB_TRX shows only when it was last
 * read over 100 ms ago.) */
static void wait_for(MYSQL *my, int pid, const char *sql, long long want, const char *what)
{
    for (int i = 0; i < 800; i++) {
        if (harness_number(my, sql) >= want)
            return;
        siginfo_t info = {0};
        if (pid > 0 && waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == pid) {
            struct run_result r = harness_wait(pid, NULL);
            cr_assert_fail("litelift ended (status %d) before %s:\n%s\n%s", r.status, what, r.out,
                           r.err);
        }
        struct timespec ts = {0, 150000000L};
        nanosleep(&ts, NULL);
    }
    cr_assert_fail("timed out waiting for %s", what);
}

/* The record checked against the source: exactly the expected rejects, each
 * once, with its column and reason. */
static void check_record_complete(const struct record *rec)
{
    long want = 0;
    for (long id = 1; id <= NROWS; id++) {
        want += rejected(id);
        cr_assert_eq(rec->count[id], rejected(id), "row %ld recorded %d times", id, rec->count[id]);
        if (!rejected(id))
            continue;
        if (id % 7 == 0) {
            cr_assert_str_eq(rec->column[id], "v");
            cr_assert(strstr(rec->reason[id], "integer out of range for tinyint") != NULL, "%s",
                      rec->reason[id]);
        } else {
            cr_assert_str_eq(rec->column[id], "(row)");
            cr_assert(strstr(rec->reason[id], "server") != NULL &&
                          strstr(rec->reason[id], "CONSTRAINT") != NULL,
                      "%s", rec->reason[id]);
        }
    }
    cr_assert_eq(rec->n, want);
}

/* Runs litelift on the project until it waits on the row holder holds, then
 * stops it with signo (SIGKILL or SIGINT) and releases the row; returns its
 * result once its connections are gone. */
static struct run_result stop_mid_way(MYSQL *my, MYSQL *holder, const char *const *args, int signo)
{
    cr_assert(!rejected(HELD), "the held row must be one litelift sends");
    harness_exec(holder, "START TRANSACTION");
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES ('p', %d, 0, 0, 'held', NULL)", HELD);
    harness_exec(holder, sql);
    int pid = harness_spawn(args);
    wait_for(my, pid,
             "SELECT COUNT(*) FROM information_schema.INNODB_TRX x JOIN "
             "information_schema.PROCESSLIST p ON p.ID = x.trx_mysql_thread_id WHERE "
             "x.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()",
             1, "litelift to wait on the held row");
    long long done = harness_number(my, "SELECT rows_loaded + rows_rejected FROM "
                                        "litelift_progress WHERE project_id = 'p' AND "
                                        "table_name = 't'");
    cr_assert(done > 100 && done < HELD, "%lld rows committed before the held one", done);
    /* a killed run's waiting batch never commits: its client is gone before
     * the row is released; a stopped one commits it, then stops */
    kill(pid, signo);
    int sig;
    struct run_result r = signo == SIGKILL ? harness_wait(pid, &sig) : (struct run_result){0};
    harness_exec(holder, "ROLLBACK");
    if (signo != SIGKILL)
        r = harness_wait(pid, &sig);
    cr_assert_eq(sig, signo == SIGKILL ? SIGKILL : 0, "%s\n%s", r.out, r.err);
    /* nothing of the stopped run is still open in the server */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) = 0 FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND "
             "ID NOT IN (CONNECTION_ID(), %lld)",
             harness_number(holder, "SELECT CONNECTION_ID()"));
    wait_for(my, 0, sql, 1, "the stopped run's connections to end");
    return r;
}

/* The resumed run completes the project; the files then equal the record,
 * which is the expected reject set; the good rows compare equal. */
static void resume_and_check(MYSQL *my, const char *dir, const char *rejects,
                             const char *const *args)
{
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 5, "rejects make the status 5:\n%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "resumed") != NULL, "%s", r.out);
    harness_result_free(&r);
    struct record rec;
    record_read(my, &rec);
    check_record_complete(&rec);
    cr_assert_eq(check_files(rejects, "", &rec, true), rec.n);
    check_rotated(rejects, &rec);

    static char keys[NROWS][32];
    static const char *kp[NROWS];
    size_t nk = 0;
    for (long id = 1; id <= NROWS; id++)
        if (rejected(id)) {
            snprintf(keys[nk], sizeof keys[nk], "t\tid=%ld", id);
            kp[nk] = keys[nk];
            nk++;
        }
    struct compare_skip skip = {kp, nk};
    char path[512], msg[2048];
    snprintf(path, sizeof path, "%s/p.db", dir);
    long rows = compare_project(my, path, "project_id", "p", &skip, msg, sizeof msg);
    cr_assert_eq(rows, (long)(NROWS - nk), "%ld rows compared: %s", rows, msg);
    record_free(&rec);
}

/* A project ready to run into database db: its dir, rejects dir and args. */
struct setup {
    const char *dir;
    char rejects[300];
    const char *args[12];
};

static MYSQL *setup(struct setup *s, const char *db)
{
    MYSQL *my = harness_db(db);
    s->dir = harness_tmpdir();
    snprintf(s->rejects, sizeof s->rejects, "%s/rejects", s->dir);
    make_project(my, s->dir);
    const char *args[] = {"migrate",  "--source",      s->dir, "--rejects",
                          s->rejects, "--batch-rows",  "10",   "--quiet",
                          "--target", harness_url(db), NULL};
    memcpy(s->args, args, sizeof args);
    return my;
}

Test(reject_files, kill9_mid_way_then_resume_files_equal_the_target_record, .timeout = 300)
{
    struct setup s;
    MYSQL *my = setup(&s, "it_rejfiles_kill");
    MYSQL *holder = harness_db_keep("it_rejfiles_kill");
    struct run_result r = stop_mid_way(my, holder, s.args, SIGKILL);
    harness_result_free(&r);
    /* the killed run wrote no reject of a batch the target did not keep */
    struct record rec;
    record_read(my, &rec);
    cr_assert(rec.n > 0, "the committed batches recorded rejects");
    check_files(s.rejects, "", &rec, false);
    check_rotated(s.rejects, &rec);
    record_free(&rec);
    resume_and_check(my, s.dir, s.rejects, s.args);
    mysql_close(holder);
    mysql_close(my);
}

Test(reject_files, sigint_mid_way_leaves_files_equal_to_the_record_then_resume_completes,
     .timeout = 300)
{
    struct setup s;
    MYSQL *my = setup(&s, "it_rejfiles_int");
    MYSQL *holder = harness_db_keep("it_rejfiles_int");
    struct run_result r = stop_mid_way(my, holder, s.args, SIGINT);
    cr_assert_eq(r.status, 3, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    /* stopped early: the files hold exactly what the target records */
    struct record rec;
    record_read(my, &rec);
    long partial = check_files(s.rejects, "", &rec, true);
    long total = 0;
    for (long id = 1; id <= NROWS; id++)
        total += rejected(id);
    cr_assert(partial > 0 && partial < total, "%ld of %ld rejects after the stop", partial, total);
    record_free(&rec);
    resume_and_check(my, s.dir, s.rejects, s.args);
    /* the stopped run's files were rotated whole: they are the record it left */
    record_read(my, &rec);
    cr_assert_eq(check_files(s.rejects, ".1", &rec, false), partial);
    record_free(&rec);
    mysql_close(holder);
    mysql_close(my);
}

/* Integration tests of what keeps projects apart and targets safe, through the
 * real binary: project ids equal under one table's collation but not
 * another's (and against ids the target holds already), --restart-project
 * refusing to delete another project's rows, non-transactional target tables,
 * source tables named like the progress table, 5,000 project ids under a
 * 64 KB max_allowed_packet, and the ids' comparison taking memory that does
 * not grow with the project column's width. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "harness.h"

/* A fresh source directory (a heap copy of its name; done() frees it). */
static char *source_dir(void)
{
    char *dir = strdup(harness_tmpdir());
    cr_assert(dir != NULL);
    return dir;
}

/* Creates dir/name as an SQLite file running sql. */
static void sqlite_file(const char *dir, const char *name, const char *sql)
{
    cr_assert(harness_sh("sqlite3 \"$1/$2\" \"$3\"", dir, name, sql, NULL) == 0, "%s/%s", dir,
              name);
}

/* Creates target table `name` (project_id of project_type, id, v) in engine. */
static void target_table(MYSQL *my, const char *name, const char *project_type, const char *engine)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "CREATE TABLE `%s` (project_id %s NOT NULL, id BIGINT NOT NULL, v TEXT, PRIMARY KEY "
             "(project_id, id)) ENGINE=%s",
             name, project_type, engine);
    harness_exec(my, sql);
}

#define TWO_TABLES                                                                                 \
    "CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO a VALUES (1, 'x'), (2, 'y'); "    \
    "CREATE TABLE b(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO b VALUES (1, 'z');"

/* A fresh database db with tables a and b (project columns of type_a and
 * type_b), and a fresh source directory (*dir) holding the NULL-terminated
 * files, each with tables a (2 rows) and b (1 row). */
static MYSQL *two_tables(const char *db, const char *type_a, const char *type_b, char **dir,
                         const char *const *files)
{
    MYSQL *my = harness_db(db);
    target_table(my, "a", type_a, "InnoDB");
    target_table(my, "b", type_b, "InnoDB");
    *dir = source_dir();
    for (size_t i = 0; files[i] != NULL; i++)
        sqlite_file(*dir, files[i], TWO_TABLES);
    return my;
}

/* Ends a test: frees dir, closes my. */
static void done(MYSQL *my, char *dir)
{
    free(dir);
    mysql_close(my);
}

/* Rows of `table` whose project column holds exactly the bytes of id. */
static long long rows_of(MYSQL *my, const char *table, const char *id)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM `%s` WHERE CAST(project_id AS BINARY) = '%s'",
             table, id);
    return harness_number(my, sql);
}

/* Asserts that the file at dir/name compares equal with project id's rows. */
static void same(MYSQL *my, const char *dir, const char *name, const char *id, long rows)
{
    char path[512], msg[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(compare_project(my, path, "project_id", id, NULL, msg, sizeof msg), rows, "%s: %s",
                 path, msg);
}

static struct run_result migrate(const char *dir, const char *db, const char *extra1,
                                 const char *extra2)
{
    const char *args[] = {"migrate", "--source", dir,    "--target", harness_url(db),
                          "--jobs",  "1",        extra1, extra2,     NULL};
    return harness_run(args);
}

static void has(const char *text, const char *want)
{
    cr_assert(strstr(text, want) != NULL, "no \"%s\" in:\n%s", want, text);
}

/* Runs migrate with option opt (and its value val; both may be NULL) and
 * asserts it exits 1 saying want1 and want2 (when not NULL) on stderr, and
 * summary (when not NULL) in the summary. */
static void refused(const char *dir, const char *db, const char *opt, const char *val,
                    const char *summary, const char *want1, const char *want2)
{
    struct run_result r = migrate(dir, db, opt, val);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    has(r.err, want1);
    if (want2 != NULL)
        has(r.err, want2);
    if (summary != NULL)
        has(r.out, summary);
    harness_result_free(&r);
}

/* Table a's project column is _bin (and the shortest, the one the run used to
 * take as "the" project column), b's is _ci: Acme and acme are told apart in
 * a but would mix in b. Both are refused before any data moves (in the
 * dry-run too), the others load; then an 'Acme' already in b refuses acme. */
Test(ids, ids_equal_under_one_tables_collation_are_refused_before_any_data_moves)
{
    char *dir;
    const char *const files[] = {"Acme.db", "acme.db", "other.db", NULL};
    MYSQL *my = two_tables("it_ids_mixed", "VARCHAR(20) COLLATE utf8mb4_bin",
                           "VARCHAR(64) COLLATE utf8mb4_general_ci", &dir, files);
    const char *want = "project ids ('Acme', 'acme') are the same under the project column's "
                       "collation utf8mb4_general_ci (table b): their rows could not be told "
                       "apart in the target";
    for (int dry = 1; dry >= 0; dry--) {
        char one[600], two[600];
        snprintf(one, sizeof one, "litelift: project 'Acme' (Acme.db) FAILED: %s", want);
        snprintf(two, sizeof two, "litelift: project 'acme' (acme.db) FAILED: %s", want);
        refused(dir, "it_ids_mixed", dry ? "--dry-run" : NULL, NULL, "3 project(s), 2 failed", one,
                two);
    }
    for (int t = 0; t < 2; t++)
        for (int k = 0; k < 2; k++)
            cr_assert_eq(rows_of(my, t ? "b" : "a", k ? "Acme" : "acme"), 0);
    same(my, dir, "other.db.migrated", "other", 3);
    cr_assert(harness_sh("test -e \"$1/Acme.db\" && test -e \"$1/acme.db\"", dir, NULL) == 0);

    /* b holds 'Acme' rows already (its file was migrated earlier): acme.db
     * alone is refused too, and nothing of it arrives */
    harness_exec(my, "INSERT INTO b VALUES ('Acme', 7, 'kept')");
    cr_assert(harness_sh("rm \"$1/Acme.db\"", dir, NULL) == 0);
    refused(dir, "it_ids_mixed", NULL, NULL, "1 project(s), 1 failed",
            "litelift: project 'acme' (acme.db) FAILED: project ids ('Acme' (rows in table b), "
            "'acme') are the same under the project column's collation utf8mb4_general_ci "
            "(table b)",
            NULL);
    cr_assert_eq(rows_of(my, "b", "Acme"), 1);
    cr_assert_eq(rows_of(my, "b", "acme"), 0);
    cr_assert_eq(rows_of(my, "a", "acme"), 0);
    done(my, dir);
}

/* The progress table's collation counts too: 'acme' and 'acme ' are one
 * under utf8mb4_bin (PAD SPACE), the collation of every table here. */
Test(ids, ids_equal_under_the_progress_tables_collation_are_refused)
{
    char *dir;
    const char *const files[] = {"acme.db", "acme .db", "zed.db", NULL};
    MYSQL *my = two_tables("it_ids_pad", "VARBINARY(20)", "VARBINARY(20)", &dir, files);
    refused(dir, "it_ids_pad", NULL, NULL, "3 project(s), 2 failed",
            "litelift: project 'acme ' (acme .db) FAILED: project ids ('acme', 'acme ') are the "
            "same under the project column's collation utf8mb4_bin (table litelift_progress)",
            "litelift: project 'acme' (acme.db) FAILED: project ids ('acme', 'acme ')");
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM a WHERE project_id LIKE 'acme%'"), 0);
    same(my, dir, "zed.db.migrated", "zed", 3);
    done(my, dir);
}

/* --restart-project acme where a table its checkpoints name holds rows of
 * 'Acme' too, equal under that table's _ci collation: the project fails and
 * nothing is deleted, in any table. */
Test(ids, restart_project_refuses_to_delete_another_projects_rows)
{
    char *dir;
    const char *const files[] = {"acme.db", NULL};
    MYSQL *my = two_tables("it_ids_restart", "VARCHAR(20) COLLATE utf8mb4_bin",
                           "VARCHAR(20) COLLATE utf8mb4_general_ci", &dir, files);
    struct run_result r = migrate(dir, "it_ids_restart", "--no-backup-rename", NULL);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    same(my, dir, "acme.db", "acme", 3);
    /* rows of another id that b's collation cannot tell from acme */
    harness_exec(my, "INSERT INTO b VALUES ('Acme', 7, 'not acme''s')");

    /* the file still has table b: the id check refuses acme before anything */
    refused(dir, "it_ids_restart", "--restart-project", "acme", NULL,
            "litelift: project 'acme' (acme.db) FAILED: project ids ('Acme' (rows in table b), "
            "'acme') are the same under the project column's collation utf8mb4_general_ci",
            NULL);

    /* the file lost table b (only its checkpoints name it now): the deletion
     * itself refuses, and rolls back what it had deleted in a */
    cr_assert(harness_sh("sqlite3 \"$1/acme.db\" 'DROP TABLE b'", dir, NULL) == 0);
    refused(dir, "it_ids_restart", "--restart-project", "acme", NULL,
            "litelift: project 'acme' (acme.db) FAILED: --restart-project acme: table b: 'acme' "
            "is the same as 'Acme' under the project column's collation utf8mb4_general_ci: "
            "deleting it would delete their rows too; nothing was deleted",
            NULL);
    cr_assert_eq(rows_of(my, "a", "acme"), 2);
    cr_assert_eq(rows_of(my, "b", "acme"), 1);
    cr_assert_eq(rows_of(my, "b", "Acme"), 1);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM litelift_progress WHERE project_id = "
                                    "'acme' AND table_name = 'b' AND state = 'validated'"),
                 1);
    done(my, dir);
}

/* MyISAM and Aria cannot roll a batch back: their tables are refused in the
 * dry-run and in the real run, naming table and engine; the rest loads. */
Test(ids, non_transactional_target_tables_are_refused)
{
    MYSQL *my = harness_db("it_ids_engine");
    static const char *const engines[] = {"MyISAM", "Aria", "InnoDB"};
    static const char *const tables[] = {"m", "r", "good"};
    char *dir = source_dir();
    for (int i = 0; i < 3; i++) {
        target_table(my, tables[i], "VARCHAR(20)", engines[i]);
        char file[64], src[256];
        snprintf(file, sizeof file, "p%d.db", i);
        snprintf(src, sizeof src,
                 "CREATE TABLE %s(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO %s VALUES (1, "
                 "'a'), (2, NULL)",
                 tables[i], tables[i]);
        sqlite_file(dir, file, src);
    }
    for (int dry = 1; dry >= 0; dry--) {
        refused(dir, "it_ids_engine", dry ? "--dry-run" : NULL, NULL, "3 project(s), 2 failed",
                "litelift: project 'p0' (p0.db) FAILED: target schema does not fit: table m: "
                "target table m uses the MyISAM engine, which cannot roll a failed batch back: "
                "litelift loads only into transactional tables (ALTER TABLE m ENGINE=InnoDB)",
                "litelift: project 'p1' (p1.db) FAILED: target schema does not fit: table r: "
                "target table r uses the Aria engine, which cannot roll a failed batch back");
    }
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM m"), 0);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM r"), 0);
    same(my, dir, "p2.db.migrated", "p2", 2);
    done(my, dir);
}

/* A source table named like the progress table (here holding a forged
 * "validated" row) or like one of its companions is refused for its project,
 * naming the options that resolve it; the other projects load exactly. */
Test(ids, source_tables_named_like_the_progress_table_are_refused)
{
    MYSQL *my = harness_db("it_ids_reserved");
    target_table(my, "t", "VARCHAR(20)", "InnoDB");
    char *dir = source_dir();
    sqlite_file(dir, "ok.db",
                "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a')");
    sqlite_file(dir, "forger.db",
                "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE litelift_progress"
                "(table_name TEXT, state TEXT); INSERT INTO litelift_progress VALUES ('', "
                "'validated')");
    sqlite_file(dir, "rej.db",
                "CREATE TABLE Litelift_Progress_Rejects(id INTEGER PRIMARY KEY); INSERT INTO "
                "Litelift_Progress_Rejects VALUES (1)");
    for (int dry = 1; dry >= 0; dry--) {
        refused(dir, "it_ids_reserved", dry ? "--dry-run" : NULL, NULL, "3 project(s), 2 failed",
                "litelift: project 'forger' (forger.db) FAILED: target schema does not fit: table "
                "litelift_progress: target table litelift_progress would be litelift's own (the "
                "progress table litelift_progress, or a table named litelift_progress_*): rename "
                "it in the mapping file ([litelift_progress] rename = NEW_NAME) or choose another "
                "--progress-table NAME",
                "litelift: project 'rej' (rej.db) FAILED: target schema does not fit: table "
                "Litelift_Progress_Rejects: target table Litelift_Progress_Rejects would be "
                "litelift's own");
    }
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM litelift_progress WHERE project_id IN "
                                    "('', 'forger', 'rej')"),
                 0);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM t WHERE project_id <> 'ok'"), 0);
    same(my, dir, "ok.db.migrated", "ok", 1);
    cr_assert(harness_sh("test -e \"$1/forger.db\" && test -e \"$1/rej.db\"", dir, NULL) == 0);

    /* the way out the message names: the mapping file renames one, skips the other */
    char map[600];
    snprintf(map, sizeof map, "%s.ini", dir);
    cr_assert(harness_sh("printf '[litelift_progress]\\nrename = "
                         "forged\\n[Litelift_Progress_Rejects]\\nskip = yes\\n' > \"$1\"",
                         map, NULL) == 0);
    harness_exec(my, "CREATE TABLE forged (project_id VARCHAR(20) NOT NULL, table_name TEXT, state "
                     "TEXT)");
    struct run_result r = migrate(dir, "it_ids_reserved", "--mapping", map);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    has(r.out, "2 project(s), 0 failed");
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM forged WHERE project_id = 'forger' AND "
                                    "table_name = '' AND state = 'validated'"),
                 1);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM litelift_progress WHERE project_id = "
                                    "'forger' AND table_name = '' AND state = 'renamed'"),
                 1);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM litelift_progress WHERE project_id = ''"),
                 0);
    cr_assert(harness_sh("rm -f \"$1\"", map, NULL) == 0);
    done(my, dir);
}

static void packet_64m(void)
{
    MYSQL *my = harness_db_keep("mysql");
    harness_exec(my, "SET GLOBAL max_allowed_packet = 67108864");
    mysql_close(my);
}

/* A fresh source directory holding count copies of one file (table t, rows
 * 1 and 2), named project-with-a-longish-name-NNNN.db from 0000 on, and the
 * file itself as `template` (which --pattern's default does not match). */
static char *copies(int count)
{
    char *dir = source_dir();
    sqlite_file(dir, "template",
                "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'one'), "
                "(2, 'two')");
    char path[512];
    snprintf(path, sizeof path, "%s/template", dir);
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL);
    static char bytes[65536];
    size_t n = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    cr_assert(n > 0 && n < sizeof bytes);
    for (int i = 0; i < count; i++) {
        snprintf(path, sizeof path, "%s/project-with-a-longish-name-%04d.db", dir, i);
        f = fopen(path, "wb");
        cr_assert(f != NULL && fwrite(bytes, 1, n, f) == n && fclose(f) == 0);
    }
    return dir;
}

/* 5,000 project ids, compared in statements that fit a 64 KB
 * max_allowed_packet: every project loads, exactly. */
Test(ids, five_thousand_ids_fit_a_64k_packet, .fini = packet_64m, .timeout = 600)
{
    MYSQL *my = harness_db("it_ids_many");
    target_table(my, "t", "VARCHAR(64) COLLATE utf8mb4_unicode_ci", "InnoDB");
    char *dir = copies(5000);
    harness_exec(my, "SET GLOBAL max_allowed_packet = 65536");
    const char *args[] = {"migrate", "--source", dir, "--target", harness_url("it_ids_many"),
                          "--jobs",  "2",        NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    has(r.out, "5000 project(s), 0 failed");
    harness_result_free(&r);
    packet_64m();
    cr_assert_eq(harness_number(my, "SELECT COUNT(DISTINCT project_id) FROM t"), 5000);
    for (int i = 0; i < 5000; i++) {
        char name[192], id[64];
        snprintf(id, sizeof id, "project-with-a-longish-name-%04d", i);
        snprintf(name, sizeof name, "%s.db.migrated", id);
        same(my, dir, name, id, 2);
    }
    done(my, dir);
}

/* Peak RSS in KiB (/usr/bin/time) of a dry run of dir's projects into db. */
static long dry_run_rss_kib(const char *dir, const char *db)
{
    char *bin = harness_bin();
    char *out =
        harness_sh_out("/usr/bin/time -f %M -o \"$1.rss\" \"$2\" migrate --source \"$1\" "
                       "--target \"$3\" --dry-run --jobs 1 >/dev/null 2>&1 && cat \"$1.rss\"",
                       dir, bin, harness_url(db), NULL);
    char *end;
    long kib = strtol(out, &end, 10);
    cr_assert(end != out && kib > 0, "no peak RSS in '%s'", out);
    free(out);
    free(bin);
    return kib;
}

/* The ids are compared under a 760-character project column (about the
 * longest an InnoDB key takes beside the id), each by a sort key of over 2 KB
 * on the server: what comes back per id stays small, so that 2,000 projects
 * take little more memory than 200 (under 2 KB each: the run's record of it). */
Test(ids, comparing_ids_takes_little_memory_per_project, .timeout = 600)
{
#ifdef __SANITIZE_ADDRESS__
    cr_skip_test("peak RSS tells nothing of an ASan build (shadow memory, quarantine)");
#endif
    MYSQL *my = harness_db("it_ids_rss");
    target_table(my, "t", "VARCHAR(760) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "InnoDB");
    char *few = copies(200), *many = copies(2000);
    long a = dry_run_rss_kib(few, "it_ids_rss"), b = dry_run_rss_kib(many, "it_ids_rss");
    cr_assert_lt((b - a) * 1024 / 1800, 2048, "peak RSS %ld KiB for 200 projects, %ld for 2000", a,
                 b);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM t"), 0);
    free(few);
    done(my, many);
}

/* harness: what every integration test needs: the private server (its login
 * from LITELIFT_TEST_URL, set by scripts/with-testdb.sh), a fresh database,
 * the fixtures built into a temp dir, the real ./litelift run as a child
 * process with its output captured, and shell commands that take their values
 * as arguments. Everything a test process writes goes below one temp dir that
 * is removed when the process ends. */
#ifndef LITELIFT_TEST_HARNESS_H
#define LITELIFT_TEST_HARNESS_H

#include <mysql.h>

#include "compare.h"

struct run_result {
    int status; /* exit status, or -1 if it did not exit normally */
    char *out;  /* stdout */
    char *err;  /* stderr */
};

/* Connects to the private server as the test user, drops and recreates
 * database db and makes it current. Aborts the test on failure. */
MYSQL *harness_db(const char *db);

/* Connects to existing database db (no reset). */
MYSQL *harness_db_keep(const char *db);

/* Connects to the private server that scripts/testdb.sh started in dir
 * (socket dir/mysql.sock) as the user that script creates; no database
 * chosen. Aborts the test on failure. */
MYSQL *harness_server_in(const char *dir);

/* Executes every statement of an SQL file (multi-statements). */
void harness_apply(MYSQL *my, const char *path);

/* Executes one statement; aborts the test on failure. */
void harness_exec(MYSQL *my, const char *sql);

/* The first column of the first row of a query, as a number; aborts the
 * test when the query fails or gives no value. */
long long harness_number(MYSQL *my, const char *sql);

/* A new empty directory below the test process's temp dir (removed with it
 * when the process ends). */
const char *harness_tmpdir(void);

/* A new empty directory in parent (which must exist), removed with
 * everything in it when the test process ends. */
const char *harness_tmpdir_in(const char *parent);

/* Builds the fixtures (fixtures/build.sh) into a fresh temp dir, returned. */
const char *harness_fixtures(void);

/* The target URL of database db on the private server: LITELIFT_TEST_URL with
 * its database replaced (a static buffer, overwritten by the next call). */
const char *harness_url(const char *db);

/* The test user, its password and the server's socket, from LITELIFT_TEST_URL
 * (parsed once). */
const char *harness_user(void);
const char *harness_password(void);
const char *harness_socket(void);

/* The working directory litelift runs in (a temp dir made once per test
 * process; default reject files land in its litelift-rejects/). */
const char *harness_cwd(void);

/* The absolute path of the program the tests run: $LITELIFT_TEST_BIN, else
 * ./litelift (a heap string). Aborts the test when it does not exist. */
char *harness_bin(void);

/* Runs ./litelift (see harness_bin) with argv (NULL-terminated, without
 * argv[0]); with LITELIFT_TEST_WRAP set, the words of that command come first
 * (e.g. `valgrind -q --error-exitcode=97`). */
struct run_result harness_run(const char *const *args);

/* Starts ./litelift with args (any number) in the background, its output to
 * files below the temp dir. Returns the child's pid. */
int harness_spawn(const char *const *args);

/* Waits for a child from harness_spawn; returns its result (status -1 and
 * the signal in *signo when it was killed). */
struct run_result harness_wait(int pid, int *signo);

/* Whether child pid (from harness_spawn) has exited; it stays waitable. */
int harness_exited(int pid);

/* Waits until query sql (one number) gives at least min, or child pid has
 * exited (pid 0: no child). Returns the last number. Aborts the test after
 * two minutes. */
long long harness_wait_number(MYSQL *my, const char *sql, long long min, int pid);

/* Waits until the stderr of child pid (from harness_spawn) holds text; aborts
 * the test when the child ends first or after two minutes. */
void harness_wait_stderr(int pid, const char *text);

/* Holds litelift back at a batch boundary: waits until table of database db
 * holds at least rows rows of project (project_id), then takes LOCK TABLES
 * table WRITE on a connection of its own, so that litelift's next batch
 * waits. Returns that connection, for harness_release. */
MYSQL *harness_hold(const char *db, const char *table, const char *project, long long rows);

/* Lets litelift go on: releases and closes a connection from harness_hold
 * (one the server has dropped meanwhile is only closed). */
void harness_release(MYSQL *hold);

/* Runs shell script with `sh -c script sh ARG...`: the arguments (args,
 * NULL-terminated) are the script's $1, $2, ..., so a value reaches the
 * command as it is, whatever quotes or spaces it holds; the script refers to
 * it as "$1". Returns the exit status, or -1 if the script did not exit. */
int harness_sh_argv(const char *script, const char *const *args);

/* harness_sh_argv with the arguments listed, ending with NULL. */
int harness_sh(const char *script, ...) __attribute__((sentinel));

/* Runs script like harness_sh and returns its standard output (a heap
 * string). Aborts the test when the script does not exit 0. */
char *harness_sh_out(const char *script, ...) __attribute__((sentinel));

/* The sha256 of the file at path, as 64 hex digits (a heap string). */
char *harness_sha256(const char *path);

/* Directory of the private server (dirname of its socket). */
const char *harness_server_dir(void);

/* Builds a one-table project file `big(id INTEGER PRIMARY KEY, v TEXT, d REAL,
 * b BLOB)` of n rows at path; creates the matching target table `big` once. */
void harness_big_project(MYSQL *my, const char *path, long n);

/* Creates table `big` of harness_big_project in the current database of my,
 * keyed by a surrogate (sid), so that nothing refuses a row loaded twice. */
void harness_surrogate_big(MYSQL *my);

/* harness_surrogate_big, and a project file solo.db of n rows in a new temp
 * dir, returned. */
const char *harness_solo_project(MYSQL *my, long n);

/* Every value of project solo (in dir) equals its source, and the target
 * holds exactly n rows of it: a row loaded twice would show. */
void harness_solo_loaded(MYSQL *my, const char *dir, long n);

/* Reads up to max rows of a 4-column TSV file (lines starting with '#' and
 * empty lines skipped) into rows[i][0..3] (heap strings; free with
 * harness_tsv_free). Aborts the test on a malformed line. */
size_t harness_tsv(const char *path, char *rows[][4], size_t max);
void harness_tsv_free(char *rows[][4], size_t n);

/* Compares project's file in dir (or its backup, NAME.db.migrated, once it
 * was renamed) with the project's rows in the target, every value (see
 * compare.h; rows of skip are expected absent, skip may be NULL). Returns
 * the number of rows compared; aborts the test on a difference. */
long harness_compare_project(MYSQL *my, const char *dir, const char *project,
                             const struct compare_skip *skip);

/* harness_compare_project, and with rows >= 0 exactly that many rows. */
void harness_expect_project(MYSQL *my, const char *dir, const char *project, long rows);

/* Frees captured output. */
void harness_result_free(struct run_result *r);

#endif

/* harness: what every integration test needs: the private server (from
 * LITELIFT_TEST_SOCKET, started by scripts/with-testdb.sh), a fresh database,
 * the fixtures built into a temp dir, and the real ./litelift run as a child
 * process with its output captured. */
#ifndef LITELIFT_TEST_HARNESS_H
#define LITELIFT_TEST_HARNESS_H

#include <mysql.h>

struct run_result {
    int status;  /* exit status, or -1 if it did not exit normally */
    char *out;   /* stdout */
    char *err;   /* stderr */
};

/* Connects to the private server as the test user, drops and recreates
 * database db and makes it current. Aborts the test on failure. */
MYSQL *harness_db(const char *db);

/* Executes every statement of an SQL file (multi-statements). */
void harness_apply(MYSQL *my, const char *path);

/* Executes one statement; aborts the test on failure. */
void harness_exec(MYSQL *my, const char *sql);

/* Builds the fixtures (fixtures/build.sh) into a fresh temp dir, returned. */
const char *harness_fixtures(void);

/* The target URL of database db on the private server. */
const char *harness_url(const char *db);

/* Runs ./litelift with argv (NULL-terminated, without argv[0]). */
struct run_result harness_run(const char *const *args);

/* Frees captured output. */
void harness_result_free(struct run_result *r);

#endif

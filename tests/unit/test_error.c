/* test_error: the error record of src/error.h: error_oom's one wording, that
 * error_set/error_prefix/error_clear format and tolerate NULL, and the context
 * fields: error_set_table and error_in_table name a table once, error_prefix
 * and error_set clear what the message begins with, error_in_project likewise
 * for a project. */
#include <criterion/criterion.h>
#include <string.h>

#include "error.h"

Test(error, oom)
{
    struct error err;
    error_set(&err, "something else");
    err.names_table = true;
    cr_expect_eq(error_oom(&err), -1);
    cr_expect_str_eq(err.msg, "out of memory");
    cr_expect(!err.names_table && !err.names_project, "a new message has no context yet");
    cr_expect_eq(error_oom(NULL), -1, "NULL is tolerated");
}

Test(error, set_prefix_clear)
{
    struct error err;
    cr_expect_eq(error_set(&err, "%s %d", "n", 7), -1);
    cr_expect_str_eq(err.msg, "n 7");
    cr_expect_eq(error_prefix(&err, "reading %s", "x.db"), -1);
    cr_expect_str_eq(err.msg, "reading x.db: n 7");
    error_clear(&err);
    cr_expect_str_eq(err.msg, "");
    cr_expect_eq(error_set(NULL, "x"), -1);
    cr_expect_eq(error_prefix(NULL, "x"), -1);
    error_clear(NULL);
    /* a message as long as the record is cut, not overrun */
    char big[ERROR_MSG_MAX + 100];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    error_set(&err, "%s", big);
    cr_expect_eq(strlen(err.msg), (size_t)ERROR_MSG_MAX - 1);
    error_prefix(&err, "p");
    cr_expect(strlen(err.msg) == ERROR_MSG_MAX - 1 && strncmp(err.msg, "p: aaa", 6) == 0);
}

/* The orchestrator's table context is added once, whoever wrote the message. */
Test(error, table_context)
{
    static const struct {
        const char *name;
        int how; /* 0: plain message; 1: error_set_table; 2: set + error_names_table;
                    3: error_in_table below; 4: table message, then another prefix */
        const char *want;
    } v[] = {
        {"plain message gets the table", 0, "table t: read failed"},
        {"error_set_table is not prefixed again", 1, "table u: read failed"},
        {"a message that names its table itself", 2, "table u uses MyISAM"},
        {"a lower error_in_table is not repeated", 3, "table u: read failed"},
        {"a later prefix hides the table: prefixed again", 4,
         "table t: creating x: table u: read failed"},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        struct error err;
        switch (v[i].how) {
        case 0:
            error_set(&err, "read failed");
            break;
        case 1:
            cr_expect_eq(error_set_table(&err, "u", "%s", "read failed"), -1);
            break;
        case 2:
            error_set(&err, "table u uses MyISAM");
            cr_expect_eq(error_names_table(&err), -1);
            break;
        case 3:
            error_set(&err, "read failed");
            error_in_table(&err, "u");
            break;
        case 4:
            error_set_table(&err, "u", "read failed");
            error_prefix(&err, "creating x");
            cr_expect(!err.names_table, "case \"%s\": prefix clears", v[i].name);
            break;
        }
        cr_expect_eq(error_in_table(&err, "t"), -1);
        cr_expect_str_eq(err.msg, v[i].want, "case \"%s\"", v[i].name);
        cr_expect(err.names_table, "case \"%s\": marked", v[i].name);
        error_in_table(&err, "t");
        cr_expect_str_eq(err.msg, v[i].want, "case \"%s\": twice adds nothing", v[i].name);
    }
    cr_expect_eq(error_in_table(NULL, "t"), -1);
    cr_expect_eq(error_names_table(NULL), -1);
    cr_expect_eq(error_set_table(NULL, "t", "x"), -1);
}

Test(error, project_context)
{
    struct error err;
    error_set(&err, "lease ran out");
    error_in_table(&err, "t");
    cr_expect_eq(error_in_project(&err, "acme"), -1);
    cr_expect_str_eq(err.msg, "project 'acme': table t: lease ran out");
    cr_expect(err.names_project && !err.names_table, "it begins with the project now");
    error_in_project(&err, "acme");
    cr_expect_str_eq(err.msg, "project 'acme': table t: lease ran out", "once only");
    error_set(&err, "new");
    cr_expect(!err.names_project, "a new message starts without context");
    error_in_project(&err, "x");
    error_clear(&err);
    cr_expect(!err.names_table && !err.names_project && err.msg[0] == '\0');
    cr_expect_eq(error_in_project(NULL, "p"), -1);
}

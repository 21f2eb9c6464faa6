/* Tests of the integration harness itself: values reach shell commands
 * intact whatever they hold, and litelift's argv takes any number of
 * arguments. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

Test(harness, shell_values_with_quotes_spaces_and_dollars_arrive_intact)
{
    const char *dir = harness_tmpdir();
    static const char name[] = "it's \"q\" $HOME `x` \\n.db";
    cr_assert(harness_sh("sqlite3 \"$1/$2\" 'CREATE TABLE t(v TEXT); INSERT INTO t VALUES (1)'",
                         dir, name, NULL) == 0);
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert(access(path, F_OK) == 0, "%s was not made", path);
    char *out = harness_sh_out("printf '%s|' \"$@\"", name, "", "a b", NULL);
    char want[200];
    snprintf(want, sizeof want, "%s||a b|", name);
    cr_assert_str_eq(out, want);
    free(out);
}

Test(harness, litelift_takes_more_than_62_arguments)
{
    /* 70 arguments: the last, a usage error, is what litelift reports */
    const char *args[72];
    size_t n = 0;
    args[n++] = "schema";
    while (n < 69) {
        args[n++] = "--source";
        args[n++] = "/nonexistent";
    }
    args[n++] = "--bogus";
    args[n] = NULL;
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 2, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "--bogus") != NULL, "%s", r.err);
    harness_result_free(&r);
}

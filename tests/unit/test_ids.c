/* test_ids: the pure parts of src/ids.h and plan_reserved() of src/plan.h:
 * ids_group() (runs of equal sort keys holding different ids, one of them
 * the run's), ids_check_files() (one id from two files), the statement size
 * bound of ids_statement_limit(), and which table names are litelift's own. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "plan.h"

/* What the clash callback saw: each run as "id@origin,id@origin;". */
static void record(void *ctx, const struct ids_key *run, size_t n)
{
    char *out = ctx;
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), 512 - strlen(out), "%s%.*s@%ld", i ? "," : "", (int)run[i].len,
                 run[i].id, run[i].origin);
    strcat(out, ";");
}

static struct ids_key key(const char *weight, const char *id, long origin)
{
    return (struct ids_key){(const unsigned char *)weight, strlen(weight), id, strlen(id), origin};
}

Test(ids, group_reports_runs_of_different_ids_with_one_of_the_run)
{
    struct ids_key keys[] = {
        key("ACME", "acme", 1),  key("B", "b", 2),      key("ACME", "Acme", 0),
        key("ZED", "zed", -2),   key("ZED", "Zed", -1), /* held only: not ours */
        key("X", "x", 3),        key("X", "x", -2),     /* the same bytes: a rerun */
        key("ACME", "ACME", -3), key("Q", "q", 4),      key("Q", "q ", -4),
    };
    char out[512] = "";
    ids_group(keys, sizeof keys / sizeof *keys, record, out);
    cr_assert_str_eq(out, "ACME@-3,Acme@0,acme@1;q@4,q @-4;");
}

Test(ids, group_of_nothing_calls_nothing)
{
    char out[512] = "";
    ids_group(NULL, 0, record, out);
    struct ids_key one[] = {key("A", "a", 0)};
    ids_group(one, 1, record, out);
    cr_assert_str_eq(out, "");
}

static void fail_into(void *ctx, size_t i, const char *msg)
{
    char *out = ctx;
    snprintf(out + strlen(out), 1024 - strlen(out), "%zu:%s\n", i, msg);
}

Test(ids, check_files_fails_each_file_of_an_id)
{
    struct scan_entry v[] = {{.path = "a/x.db", .name = "x.db", .project_id = "x"},
                             {.path = "b.db", .name = "b.db", .project_id = "b"},
                             {.path = "bad", .name = "bad", .error = "no id"},
                             {.path = "c/x.db", .name = "x.db", .project_id = "x"},
                             {.path = "nul", .name = "nul", .error = "no id"}};
    struct scan_list list = {v, sizeof v / sizeof *v, 0};
    char out[1024] = "";
    struct error err;
    cr_assert_eq(ids_check_files(&list, fail_into, out, &err), 0);
    cr_assert_str_eq(out, "0:project id 'x' comes from two files, a/x.db and c/x.db\n"
                          "3:project id 'x' comes from two files, a/x.db and c/x.db\n");
}

Test(ids, statement_limit_stays_well_below_the_packet)
{
    struct target t = {0};
    t.max_packet = 65536;
    cr_assert_eq(ids_statement_limit(&t), 16384);
    t.max_packet = 64UL << 20;
    cr_assert_eq(ids_statement_limit(&t), 1048576);
    t.max_packet = 1024;
    cr_assert_eq(ids_statement_limit(&t), 1024);
}

Test(ids, reserved_names_are_the_progress_table_and_its_companions)
{
    static const struct {
        const char *progress, *name;
        bool reserved;
    } cases[] = {
        {"litelift_progress", "litelift_progress", true},
        {"litelift_progress", "LITELIFT_PROGRESS", true},
        {"litelift_progress", "litelift_progress_rejects", true},
        {"litelift_progress", "Litelift_Progress_Indexes", true},
        {"litelift_progress", "litelift_progress_", true},
        {"litelift_progress", "litelift_progressive", false},
        {"litelift_progress", "litelift_prog", false},
        {"litelift_progress", "progress", false},
        {"ckpt", "ckpt_rejects", true},
        {"ckpt", "litelift_progress", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_assert_eq(plan_reserved(cases[i].progress, cases[i].name), cases[i].reserved, "%s/%s",
                     cases[i].progress, cases[i].name);
}

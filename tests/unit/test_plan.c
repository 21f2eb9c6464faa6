/* test_plan: the time-unit knowledge of src/plan.h, table-driven: which
 * ranges of numbers are plausible unix seconds (1973-2100), and which other
 * readings (epoch-ms, epoch-us, Julian day 1800-2200) a range of numbers
 * plausibly has, with the unit's name as the mapping file writes it; and
 * the memo of decided units, looked up without regard to ASCII case, the
 * first record standing, in constant time whatever the number of files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

Test(plan, plausible_seconds)
{
    static const struct {
        double lo, hi;
        bool want;
    } cases[] = {
        {94694400.0, 4102444800.0, true},   /* 1973-01-01 .. 2100-01-01 exactly */
        {1600000000.0, 1700000000.0, true}, /* 2020 .. 2023 */
        {94694399.0, 1600000000.0, false},  /* one second before 1973 */
        {1600000000.0, 4102444801.0, false},
        {0.0, 0.0, false},
        {1.6e12, 1.7e12, false}, /* milliseconds */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_eq(plan_plausible_seconds(cases[i].lo, cases[i].hi), cases[i].want,
                     "case %zu: %.17g .. %.17g", i, cases[i].lo, cases[i].hi);
}

Test(plan, unit_readings)
{
    static const struct {
        double lo, hi;
        int hits;
        enum xform_unit unit;
        const char *name;
    } cases[] = {
        {1.6e12, 1.7e12, 1, XFORM_UNIT_MS, "epoch-ms"},
        {1.6e15, 1.7e15, 1, XFORM_UNIT_US, "epoch-us"},
        {2459000.5, 2460000.25, 1, XFORM_UNIT_JULIAN, "julian-day"},
        {2378497.0, 2524594.0, 1, XFORM_UNIT_JULIAN, "julian-day"}, /* the window's ends */
        {2378496.9, 2460000.0, 0, XFORM_UNIT_AUTO, NULL},
        {1.0, 2.0, 0, XFORM_UNIT_AUTO, NULL},
        {1.6e9, 1.7e9, 0, XFORM_UNIT_AUTO, NULL}, /* seconds: no other reading */
        {1.6e18, 1.7e18, 0, XFORM_UNIT_AUTO, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        enum xform_unit unit = XFORM_UNIT_AUTO;
        const char *name = NULL;
        cr_expect_eq(plan_unit_readings(cases[i].lo, cases[i].hi, &unit, &name), cases[i].hits,
                     "case %zu: hits", i);
        cr_expect_eq(unit, cases[i].unit, "case %zu: unit", i);
        if (cases[i].name != NULL)
            cr_expect(name != NULL && strcmp(name, cases[i].name) == 0, "case %zu: name %s", i,
                      name ? name : "(null)");
    }
}

/* 100,000 files' columns (of 10,000 projects and more): each found again under
 * another case, with its own unit and remark; a second record of a key does
 * not replace the first; an unknown key is not found. With a lookup that
 * compared every key, the lookups alone would take over a minute. */
Test(plan, memo_finds_every_key_of_many_files, .timeout = 30)
{
    struct plan_memo m;
    plan_memo_init(&m);
    enum { N = 100000 };
    char path[64], key[96], want[32];
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/src/Project-%06d.db", i);
        snprintf(want, sizeof want, "remark %d", i);
        plan_memo_set(&m, path, "Backups", "Date_Time", (enum xform_unit)(i % 3),
                      i % 2 ? want : NULL);
    }
    plan_memo_set(&m, "/src/Project-000007.db", "backups", "date_time", XFORM_UNIT_AUTO, "later");
    cr_assert_eq(m.n, (size_t)N);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "/SRC/project-%06d.DB\tbackups\tDATE_TIME", i);
        snprintf(want, sizeof want, "remark %d", i);
        enum xform_unit unit = XFORM_UNIT_AUTO;
        char *remark = NULL;
        cr_assert_eq(plan_memo_get(&m, key, &unit, &remark), 1, "%s", key);
        cr_assert_eq(unit, (enum xform_unit)(i % 3), "%s", key);
        if (i % 2)
            cr_assert_str_eq(remark, want);
        else
            cr_assert_null(remark, "%s", key);
        free(remark);
    }
    enum xform_unit unit = XFORM_UNIT_AUTO;
    char *remark = NULL;
    cr_assert_eq(plan_memo_get(&m, "/src/Project-100000.db\tBackups\tDate_Time", &unit, &remark),
                 0);
    cr_assert_eq(plan_memo_get(&m, "/src/Project-000001.db\tBackups", &unit, &remark), 0);
    cr_assert_eq(plan_memo_get(NULL, "x", &unit, &remark), 0);
    plan_memo_free(&m);
}

/* The time-unit scan stops at a column's first plausible unix second
 * (plan.c's check_time_units): that is exact only because a range holding
 * one such number fits no other reading, whatever else it holds. */
Test(plan, a_plausible_second_rules_out_every_other_reading)
{
    static const double inside[] = {94694400.0, 1e9, 1600000000.0, 4102444800.0};
    static const double others[] = {-1e300, -1.0,  0.0,    2378497.0, 2524594.0,
                                    1e8,    1.6e9, 1.6e12, 1.6e15,    1e300};
    for (size_t i = 0; i < sizeof inside / sizeof *inside; i++)
        for (size_t j = 0; j < sizeof others / sizeof *others; j++) {
            double v = inside[i], o = others[j];
            enum xform_unit unit = XFORM_UNIT_AUTO;
            cr_expect_eq(plan_unit_readings(v < o ? v : o, v < o ? o : v, &unit, NULL), 0,
                         "%.17g with %.17g", v, o);
            cr_expect_eq(unit, XFORM_UNIT_AUTO);
        }
}

/* test_ckpt_range: the progress-row names of key ranges (src/ckpt_range.h):
 * made and read back, a table whose own name looks like one, names too long
 * for the progress table, and names that are not range rows. */
#include <criterion/criterion.h>
#include <string.h>

#include "ckpt_range.h"

Test(ckpt_range, name_and_parse_round_trip)
{
    char name[CKPT_RANGE_NAME_MAX + 1];
    size_t len, k;
    cr_assert_eq(ckpt_range_name(name, "big", 2, 3), 0);
    cr_assert_str_eq(name, "big [range 2/3]");
    cr_assert(ckpt_range_parse(name, &len, &k));
    cr_assert(len == 3 && k == 3);
    cr_assert(ckpt_range_of(name, "big", &k));
    cr_assert(!ckpt_range_of(name, "bi", &k));
    cr_assert(!ckpt_range_of(name, "big [range 2/3]", &k));
}

Test(ckpt_range, a_table_named_like_a_range_row)
{
    char name[CKPT_RANGE_NAME_MAX + 1];
    size_t len, k;
    cr_assert_eq(ckpt_range_name(name, "t [range 1/2]", 1, 4), 0);
    cr_assert(ckpt_range_parse(name, &len, &k));
    cr_assert(len == strlen("t [range 1/2]") && k == 4);
    cr_assert(ckpt_range_of(name, "t [range 1/2]", &k));
}

Test(ckpt_range, too_long_for_the_progress_table)
{
    char name[CKPT_RANGE_NAME_MAX + 1];
    char table[64];
    memset(table, 'x', sizeof table - 1);
    table[sizeof table - 1] = '\0';
    cr_assert_eq(ckpt_range_name(name, table, 1, 2), -1);
    table[CKPT_RANGE_NAME_MAX - strlen(" [range 64/64]")] = '\0';
    cr_assert_eq(ckpt_range_name(name, table, 64, 64), 0);
}

Test(ckpt_range, not_range_rows)
{
    const char *no[] = {"",
                        "big",
                        " [range 1/2]",
                        "big [range 1/2",
                        "big [range 1/2] ",
                        "big [range 0/2]",
                        "big [range 3/2]",
                        "big [range 1/1]",
                        "big [range 1/65]",
                        "big [range x/2]"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        size_t len, k;
        cr_assert(!ckpt_range_parse(no[i], &len, &k), "'%s'", no[i]);
    }
}

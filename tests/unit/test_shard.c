/* test_shard: --shard I/N (src/shard.h): what parses and what is refused
 * with the message, FNV-1a against its published test values, and that the
 * shards of N split a set of ids into N parts that cover it once. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "shard.h"

Test(shard, parses_i_of_n)
{
    size_t i, n;
    struct error err;
    cr_assert_eq(shard_parse("2/3", &i, &n, &err), 0);
    cr_assert(i == 2 && n == 3);
    cr_assert_eq(shard_parse("1/1", &i, &n, &err), 0);
    cr_assert(i == 1 && n == 1);
}

Test(shard, refuses_what_is_not_i_of_n)
{
    const char *bad[] = {"",
                         "3",
                         "0/3",
                         "4/3",
                         "1/0",
                         "a/3",
                         "1/3x",
                         "-1/3",
                         "1//3",
                         "1/65537",
                         " 1/3",
                         "1/ 3",
                         "99999999999999999999/3"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        size_t i, n;
        struct error err;
        cr_assert_eq(shard_parse(bad[k], &i, &n, &err), -1, "'%s'", bad[k]);
        char want[128];
        snprintf(want, sizeof want, "(got '%s')", bad[k]);
        cr_assert(strstr(err.msg, "--shard needs I/N with whole numbers 1 <= I <= N <= 65536") !=
                          NULL &&
                      strstr(err.msg, want) != NULL,
                  "%s", err.msg);
    }
}

Test(shard, fnv1a_is_the_published_one)
{
    cr_assert_eq(shard_hash("", 0), 0x811c9dc5u);
    cr_assert_eq(shard_hash("a", 1), 0xe40c292cu);
    cr_assert_eq(shard_hash("foobar", 6), 0xbf9cf968u);
}

Test(shard, shards_cover_every_id_once)
{
    size_t seen[4] = {0};
    for (int k = 0; k < 1000; k++) {
        char id[32];
        snprintf(id, sizeof id, "project-%d", k);
        size_t s = shard_of(id, 3), hits = 0;
        cr_assert(s >= 1 && s <= 3);
        seen[s]++;
        const char *spec[] = {"1/3", "2/3", "3/3"};
        for (size_t j = 0; j < 3; j++)
            hits += shard_holds(spec[j], id);
        cr_assert_eq(hits, 1, "%s", id);
    }
    for (size_t s = 1; s <= 3; s++)
        cr_assert(seen[s] > 250, "shard %zu holds %zu of 1000", s, seen[s]);
}

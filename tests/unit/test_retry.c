/* test_retry: retry_commit_outcome, how a COMMIT cut off is resolved from the
 * table's checkpoint row, never guessed: at the position this run last
 * committed, it did not commit; at the one it would have written, it did;
 * anywhere else (another run's batch, a row reset by --restart-project, a
 * row that is gone, counts that differ at the same version) the row was
 * moved by another run. With no COMMIT under way only the committed
 * position is this run's. */
#include <criterion/criterion.h>

#include "retry.h"

Test(retry, a_commit_cut_off_is_read_from_the_checkpoint)
{
    static const struct load_state mid = {NULL, {7, 700, 3}, {8, 800, 3}, NULL};
    static const struct load_state idle = {NULL, {7, 700, 3}, {7, 700, 3}, NULL};
    static const struct {
        const struct load_state *st;
        struct ckpt_pos row;
        enum retry_commit want;
    } cases[] = {
        {&mid, {7, 700, 3}, RETRY_NOT_COMMITTED},
        {&mid, {8, 800, 3}, RETRY_COMMITTED},
        {&mid, {9, 900, 3}, RETRY_MOVED}, /* another run's batch after it */
        {&mid, {8, 800, 4}, RETRY_MOVED}, /* same version, other counts */
        {&mid, {8, 700, 3}, RETRY_MOVED}, /* another writer's version */
        {&mid, {0, 0, 0}, RETRY_MOVED},   /* reset */
        {&idle, {7, 700, 3}, RETRY_NOT_COMMITTED},
        {&idle, {8, 800, 3}, RETRY_MOVED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_eq(retry_commit_outcome(cases[i].st, &cases[i].row), cases[i].want, "case %zu",
                     i);
    cr_expect_eq(retry_commit_outcome(&mid, NULL), RETRY_MOVED, "a row that is gone");
}

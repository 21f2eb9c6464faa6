/* test_galera: how batches and deletions are sized below a Galera cluster's
 * write-set limits (src/galera.h): a batch is full one row before its rows,
 * reject records, checkpoint and claim rows would reach wsrep_max_ws_rows,
 * or once its estimated bytes reach half wsrep_max_ws_size; never off
 * Galera; a deletion's chunk leaves room for the claim's row and shrinks
 * with the row length. */
#include <criterion/criterion.h>
#include <string.h>

#include "galera.h"

Test(galera, batch_full_by_rows)
{
    struct galera g = {.on = true, .max_rows = 1000, .max_bytes = 1 << 30};
    struct batch b;
    cr_assert_eq(batch_init(&b, 2, 5000), 0);
    b.nrows = 996; /* one more row would still leave 997 + 2 (checkpoint, claim) */
    cr_assert(!galera_batch_full(&g, &b, 2));
    b.nrows = 997; /* sent now: 999 rows in its transaction */
    cr_assert(galera_batch_full(&g, &b, 2));
    b.nrows = 990;
    cr_assert_eq(batch_add_reject(&b, BATCH_NO_ROW, "k", 1, "bad"), 0);
    cr_assert(!galera_batch_full(&g, &b, 2));
    for (int i = 0; i < 6; i++)
        cr_assert_eq(batch_add_reject(&b, BATCH_NO_ROW, "k", 1, "bad"), 0);
    cr_assert(galera_batch_full(&g, &b, 2), "reject records count as rows");
    g.on = false;
    cr_assert(!galera_batch_full(&g, &b, 2));
    g = (struct galera){.on = true}; /* no limits */
    cr_assert(!galera_batch_full(&g, &b, 2));
    b.nrows = 0;
    batch_free(&b);
}

Test(galera, batch_full_by_bytes)
{
    struct galera g = {.on = true, .max_bytes = 1 << 20};
    struct batch b;
    cr_assert_eq(batch_init(&b, 1, 5000), 0);
    char value[2000];
    memset(value, 'x', sizeof value);
    size_t rows = 0;
    while (!galera_batch_full(&g, &b, 2)) {
        cr_assert_eq(buf_append(&b.arena, value, sizeof value), 0);
        b.nrows = ++rows;
    }
    /* half of 1 MiB, less the estimate's overheads: about 250 rows of 2 kB */
    cr_assert(rows > 200 && rows < 262, "%zu rows", rows);
    b.nrows = 0;
    batch_free(&b);
}

Test(galera, delete_chunk)
{
    struct galera g = {.on = true, .max_rows = 1000, .max_bytes = 1 << 30};
    cr_assert_eq(galera_delete_chunk(&g, 100), 997);
    g.max_bytes = 1 << 20;
    long long n = galera_delete_chunk(&g, 2000);
    cr_assert(n > 100 && n * 2000 < (1 << 20) / 2, "%lld", n);
    g = (struct galera){.on = true};
    cr_assert_eq(galera_delete_chunk(&g, 0), 50000);
    g.on = false;
    cr_assert_eq(galera_delete_chunk(&g, 0), 0);
}

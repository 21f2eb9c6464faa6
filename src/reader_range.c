/* reader_range: key ranges of a table (see reader_range.h). */
#include "reader_range.h"

int reader_range_bounds(struct reader *r, size_t t, long long rows, size_t k, struct buf *bounds,
                        struct error *err)
{
    if (reader_table_begin(r, t, NULL, 0, err) != 0)
        return -1;
    long long seen = 0;
    size_t next = 0; /* the bound looked for: it ends at row rows*(next+1)/k */
    int step = 1;
    while (next + 1 < k && (step = reader_next(r, err)) == 1) {
        seen++;
        if (seen < rows * (long long)(next + 1) / (long long)k)
            continue;
        buf_reset(&bounds[next]);
        if (reader_key_encode(r, &bounds[next]) != 0)
            return error_oom(err);
        next++;
    }
    if (next + 1 < k)
        return step < 0 ? -1
                        : error_set(err, "%s: table %s: fewer rows than counted (%lld of %lld)",
                                    r->path, r->tables[t].name, seen, rows);
    return 0;
}

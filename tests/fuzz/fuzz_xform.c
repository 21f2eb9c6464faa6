/* fuzz_xform: the conversion of one SQLite value into a target column
 * (xform_value) on any bytes: ISO-8601 dates and times and epoch numbers into
 * DATE/DATETIME/TIMESTAMP/TIME/YEAR, JSON validation, numbers into DECIMAL,
 * DOUBLE and BIGINT, text into VARCHAR. The first byte picks the column, the
 * second the SQLite type (INTEGER, REAL: the next 8 bytes; TEXT, BLOB: the
 * rest). Oracles: no crash, no leak; a converted value lies in the arena. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "xform.h"

static const char *const types[][2] = {
    {"datetime", "datetime(6)"},   {"timestamp", "timestamp"}, {"date", "date"},
    {"time", "time(6)"},           {"year", "year(4)"},        {"json", "longtext"},
    {"decimal", "decimal(65,30)"}, {"double", "double"},       {"bigint", "bigint(20) unsigned"},
    {"varchar", "varchar(20)"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (n < 2)
        return 0;
    size_t k = data[0] % (sizeof types / sizeof *types);
    struct schema_column c;
    memset(&c, 0, sizeof c);
    if (schema_parse_type(&c, types[k][0], types[k][1], k == 9 ? "utf8mb4" : NULL, 20) != 0)
        return 0;
    struct xform_src src = {.type = SQLITE_TEXT, .p = data + 2, .n = n - 2};
    int t = data[1] % 4;
    if (t < 2 && n >= 10) {
        src.type = t == 0 ? SQLITE_INTEGER : SQLITE_FLOAT;
        memcpy(t == 0 ? (void *)&src.i : (void *)&src.d, data + 2, 8);
    } else if (t == 3) {
        src.type = SQLITE_BLOB;
    }
    struct buf arena, why;
    buf_init(&arena, BUF_CAP_ROW);
    buf_init(&why, BUF_CAP_MSG);
    struct xform_val out;
    int rc = xform_value(&c, &src, &arena, &out, &why);
    if (rc == 0 && out.kind != XFORM_NULL && out.off + out.len > arena.len)
        abort();
    buf_free(&arena);
    buf_free(&why);
    schema_column_free(&c);
    return 0;
}

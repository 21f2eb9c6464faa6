/* fuzz target xform_time: ISO-8601 date/time parsing and the epoch-s/ms/us and
 * Julian-day conversions (src/xform_time.c) into DATE, DATETIME(0/3/6),
 * TIMESTAMP, TIME(0/6) and YEAR, with every unit and option. Oracles:
 * xform_convert's contract (fuzz_convert), and every accepted value read back
 * into the same column is the same value (fuzz_check_fixpoint; not YEAR,
 * whose zero year is written "0000", a text YEAR reads only in its canonical
 * "0"). */
#include "fuzz.h"

static const struct fuzz_col cols[] = {
    {"date", "date", NULL, 0},
    {"datetime", "datetime", NULL, 0},
    {"datetime", "datetime(3)", NULL, 0},
    {"datetime", "datetime(6)", NULL, 0},
    {"timestamp", "timestamp", NULL, 0},
    {"timestamp", "timestamp(6)", NULL, 0},
    {"time", "time", NULL, 0},
    {"time", "time(6)", NULL, 0},
    {"year", "year(4)", NULL, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    unsigned opt = fuzz_byte(&in);
    struct schema_column c;
    fuzz_column(&c, &cols[opt % (sizeof cols / sizeof cols[0])]);
    struct xform_col xc = {
        .col = &c, .unit = (enum xform_unit)(opt / 16 % 7), .zero_date_null = opt & 8};
    struct xform_src s = fuzz_src(&in);
    struct buf arena;
    buf_init(&arena, BUF_CAP_ROW);
    struct xform_val v;
    if (fuzz_convert(&xc, &s, &arena, &v) == 0 && c.kind != SCHEMA_YEAR)
        fuzz_check_fixpoint(&xc, &arena, &v);
    buf_free(&arena);
    schema_column_free(&c);
    return 0;
}

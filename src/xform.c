/* xform: the transformer's entry points: NULL handling, defaults and units,
 * and the dispatch by target column kind to xform_num/text/json/time.c (see
 * xform.h and the conversion table in README.md). */
#include "xform_int.h"

#include "val.h"

/* ---- entry points ------------------------------------------------------- */

/* The two detours below stay out of line: their locals would keep
 * xform_convert from handing each value to its family's function with a
 * plain jump (a tail call) on the hot path. */

/* A NULL: the column's NULL default (as text) when it has one, else SQL NULL
 * where the column takes it. */
__attribute__((noinline)) static int convert_null(const struct xform_col *xc, struct buf *arena,
                                                  struct xform_val *out, struct buf *why,
                                                  unsigned *flags)
{
    const struct schema_column *c = xc->col;
    if (xc->null_default != NULL) {
        struct xform_src dflt = {.type = SQLITE_TEXT,
                                 .p = (const unsigned char *)xc->null_default,
                                 .n = strlen(xc->null_default)};
        return xform_convert(xc, &dflt, arena, out, why, flags);
    }
    if (!c->nullable && !c->auto_increment)
        return xform_reject(why, "NULL cannot go into a NOT NULL column");
    return xform_put_null(arena, out);
}

/* "convert = text": a number is taken as the text SQLite would show. */
__attribute__((noinline)) static int
convert_number_as_text(const struct xform_col *xc, const struct xform_src *src, struct buf *arena,
                       struct xform_val *out, struct buf *why, unsigned *flags)
{
    char tmp[VAL_DOUBLE_MAX + 2];
    struct xform_src t = {.type = SQLITE_TEXT};
    if (xform_src_bytes(src, tmp, &t.p, &t.n) != 0)
        return xform_reject(why, "Infinity/NaN has no text form");
    struct xform_col plain = *xc;
    plain.unit = XFORM_UNIT_AUTO;
    return xform_convert(&plain, &t, arena, out, why, flags);
}

int xform_convert(const struct xform_col *xc, const struct xform_src *src, struct buf *arena,
                  struct xform_val *out, struct buf *why, unsigned *flags)
{
    const struct schema_column *c = xc->col;
    if (src->type == SQLITE_NULL)
        return convert_null(xc, arena, out, why, flags);
    if (xc->unit == XFORM_UNIT_TEXT && (src->type == SQLITE_INTEGER || src->type == SQLITE_FLOAT))
        return convert_number_as_text(xc, src, arena, out, why, flags);
    switch (c->kind) {
    case SCHEMA_INT:
        return xform_conv_int(c, src, arena, out, why);
    case SCHEMA_BOOL:
        return xform_conv_bool(c, src, arena, out, why);
    case SCHEMA_DECIMAL:
        return xform_conv_decimal(c, src, arena, out, why);
    case SCHEMA_FLOAT:
    case SCHEMA_DOUBLE:
        return xform_conv_double(c, src, arena, out, why);
    case SCHEMA_TEXT:
    case SCHEMA_ENUM:
    case SCHEMA_SET:
        return xform_conv_text(xc, src, arena, out, why, flags);
    case SCHEMA_BINARY:
        return xform_conv_binary(c, src, arena, out, why);
    case SCHEMA_JSON:
        return xform_conv_json(src, arena, out, why);
    case SCHEMA_DATE:
    case SCHEMA_DATETIME:
    case SCHEMA_TIMESTAMP:
        return xform_conv_temporal(xc, src, arena, out, why);
    case SCHEMA_TIME:
        return xform_conv_time(c, src, arena, out, why);
    case SCHEMA_YEAR:
        return xform_conv_year(src, arena, out, why);
    case SCHEMA_BIT:
        return xform_conv_bit(c, src, arena, out, why);
    default:
        return xform_rejectf(why, "target type %s is not supported", c->column_type);
    }
}

int xform_value(const struct schema_column *c, const struct xform_src *src, struct buf *arena,
                struct xform_val *out, struct buf *why)
{
    struct xform_col xc = {.col = c};
    unsigned flags = 0;
    return xform_convert(&xc, src, arena, out, why, &flags);
}

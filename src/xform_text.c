/* xform_text: values into text, ENUM/SET and binary columns: UTF-8 checked,
 * repaired or decoded as the options say, lengths and members checked. */
#include "xform_int.h"

#include <math.h>
#include <stdio.h>
#include <strings.h>

#include "utf8.h"
#include "val.h"

/* ---- text, binary, enum/set -------------------------------------------- */

int xform_number_text(const struct xform_src *s, char tmp[VAL_DOUBLE_MAX + 2], size_t *n)
{
    if (s->type == SQLITE_INTEGER) {
        *n = (size_t)snprintf(tmp, VAL_DOUBLE_MAX, "%lld", (long long)s->i);
        return 0;
    }
    if (!isfinite(s->d))
        return -1;
    *n = val_double(s->d, tmp);
    if (strpbrk(tmp, ".eE") == NULL) {
        memcpy(tmp + *n, ".0", 3);
        *n += 2;
    }
    return 0;
}

/* Index of the ENUM/SET member p[0..n): an exact match, else (in a
 * case-insensitive collation) one equal but for ASCII case; nmembers if none. */
static size_t member_index(const struct schema_column *c, const unsigned char *p, size_t n)
{
    for (int fold = 0; fold <= (c->case_insensitive ? 1 : 0); fold++)
        for (size_t m = 0; m < c->nmembers; m++)
            if (strlen(c->members[m]) == n && (fold ? strncasecmp(c->members[m], (const char *)p, n)
                                                    : memcmp(c->members[m], p, n)) == 0)
                return m;
    return c->nmembers;
}

/* The SET value p[0..n) (comma-separated members) as a bit mask of members:
 * 0, or -1 when a part is not a member (or beyond the 64th). */
static int set_mask(const struct schema_column *c, const unsigned char *p, size_t n, uint64_t *seen)
{
    *seen = 0;
    for (size_t start = 0; n > 0 && start <= n;) {
        size_t end = start;
        while (end < n && p[end] != ',')
            end++;
        size_t m = member_index(c, p + start, end - start);
        if (m == c->nmembers || m >= 64)
            return -1;
        *seen |= (uint64_t)1 << m;
        start = end + 1;
    }
    return 0;
}

/* Replaces what the arena holds from start_len on by the SET members of seen,
 * in the column's order and spelling, once each: what MySQL stores. */
static int put_set(const struct schema_column *c, uint64_t seen, struct buf *arena,
                   size_t start_len, struct xform_val *out)
{
    buf_truncate(arena, start_len);
    out->kind = XFORM_STR;
    out->off = arena->len;
    for (size_t m = 0; m < c->nmembers && m < 64; m++)
        if ((seen >> m & 1) &&
            ((arena->len > out->off && buf_putc(arena, ',')) || buf_puts(arena, c->members[m])))
            return -1;
    out->len = arena->len - out->off;
    return 0;
}

/* Whether text p[0..n) (valid UTF-8 up to ok, with chars code points and has4
 * set for a 4-byte character) fits column c: 0, or a rejection (1 or -1). */
static int text_fits(const struct schema_column *c, int type, const unsigned char *p, size_t n,
                     size_t ok, size_t chars, int has4, struct buf *why)
{
    if (ok != n)
        return buf_printf(why, "%s is not valid UTF-8 (bad byte 0x%02X at offset %zu)",
                          type == SQLITE_BLOB ? "BLOB" : "text", p[ok], ok)
                   ? -1
                   : 1;
    if (has4 && c->utf8mb3)
        return xform_rejectf(why, "4-byte UTF-8 character cannot be stored in utf8mb3 column %s",
                             c->column_type);
    if (c->max > 0 && (c->max_in_chars ? chars : n) > c->max)
        return buf_printf(why, "value too long for %s (%zu %s)", c->column_type,
                          c->max_in_chars ? chars : n, c->max_in_chars ? "characters" : "bytes")
                   ? -1
                   : 1;
    if (c->fixed && n > 0 && p[n - 1] == ' ')
        return xform_rejectf(why,
                             "%s drops trailing spaces: the value would not read back the same",
                             c->column_type);
    return 0;
}

int xform_conv_text(const struct xform_col *xc, const struct xform_src *s, struct buf *arena,
                    struct xform_val *out, struct buf *why, unsigned *flags)
{
    const struct schema_column *c = xc->col;
    char tmp[VAL_DOUBLE_MAX + 2];
    const unsigned char *p;
    size_t n;
    size_t start_len = arena->len;
    if (xform_src_bytes(s, tmp, &p, &n) != 0)
        return xform_reject(why, "Infinity/NaN has no text form MySQL stores");
    size_t chars = 0;
    int has4 = 0;
    size_t ok = val_utf8_check(p, n, &chars, &has4);
    if (ok != n && (xc->utf8_replace || xc->utf8_cp1252) && s->type == SQLITE_TEXT) {
        /* the new text is built in the arena and checked like any text */
        if ((xc->utf8_cp1252 ? utf8_from_cp1252 : utf8_replace_invalid)(arena, p, n) != 0)
            return -1;
        p = (const unsigned char *)arena->data + start_len;
        n = arena->len - start_len;
        ok = val_utf8_check(p, n, &chars, &has4);
        *flags |= xc->utf8_cp1252 ? XFORM_F_CP1252 : XFORM_F_REPLACED;
    }
    int rc = text_fits(c, s->type, p, n, ok, chars, has4, why);
    if (rc == 0 && c->kind == SCHEMA_ENUM) {
        size_t m = member_index(c, p, n);
        if (m < c->nmembers) { /* the member as the column spells it: what MySQL stores */
            buf_truncate(arena, start_len);
            return xform_put_text(arena, out, XFORM_STR, c->members[m]);
        }
        rc = xform_rejectf(why, "value is not a member of %s", c->column_type);
    } else if (rc == 0 && c->kind == SCHEMA_SET) {
        uint64_t seen;
        if (set_mask(c, p, n, &seen) == 0)
            return put_set(c, seen, arena, start_len, out);
        rc = xform_rejectf(why, "value is not a member of %s", c->column_type);
    }
    if (rc != 0) {
        buf_truncate(arena, start_len);
        *flags &= ~(unsigned)(XFORM_F_REPLACED | XFORM_F_CP1252);
        return rc;
    }
    if (arena->len > start_len) { /* replaced or decoded text is already in place */
        out->kind = XFORM_STR;
        out->off = start_len;
        out->len = n;
        return 0;
    }
    return xform_put(arena, out, XFORM_STR, p, n);
}

int xform_conv_binary(const struct schema_column *c, const struct xform_src *s, struct buf *arena,
                      struct xform_val *out, struct buf *why)
{
    char tmp[VAL_DOUBLE_MAX + 2];
    const unsigned char *p;
    size_t n;
    if (xform_src_bytes(s, tmp, &p, &n) != 0)
        return xform_reject(why, "Infinity/NaN has no byte form");
    if (c->max > 0 && n > c->max)
        return buf_printf(why, "value too long for %s (%zu bytes)", c->column_type, n) ? -1 : 1;
    if (c->fixed && n < c->max)
        return buf_printf(why, "%s would pad this %zu-byte value with 0x00 bytes", c->column_type,
                          n)
                   ? -1
                   : 1;
    return xform_put(arena, out, XFORM_BIN, p, n);
}

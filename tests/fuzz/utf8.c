/* fuzz target utf8: the UTF-8 validator (val_utf8_check), the U+FFFD repair
 * and the Windows-1252 decoder (src/val.c, src/utf8.c). Oracles: the validator
 * agrees with a plain reference decoder (valid prefix, code points, 4-byte
 * flag); repaired text is valid and leaves valid text alone; decoded cp1252 is
 * valid UTF-8 of one code point per byte that encodes back to the same bytes. */
#include "fuzz.h"

#include "buf.h"
#include "utf8.h"
#include "val.h"

/* Reference: the length of the valid sequence at s[0..n), 0 when invalid. */
static size_t ref_seq(const uint8_t *s, size_t n, unsigned *cp)
{
    size_t len = s[0] < 0x80       ? 1
                 : s[0] >> 5 == 6  ? 2
                 : s[0] >> 4 == 14 ? 3
                 : s[0] >> 3 == 30 ? 4
                                   : 0;
    static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (len == 0 || len > n)
        return 0;
    *cp = len == 1 ? s[0] : s[0] & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[k] & 0x3F);
    }
    if (*cp < min[len] || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

static void check_validator(const uint8_t *s, size_t n)
{
    size_t i = 0, chars = 0, rchars = 0;
    int has4 = 0, rhas4 = 0;
    unsigned cp;
    for (size_t len; i < n && (len = ref_seq(s + i, n - i, &cp)) != 0; i += len) {
        rchars++;
        rhas4 |= len == 4;
    }
    size_t ok = val_utf8_check(s, n, &chars, &has4);
    FUZZ_CHECK(ok == i, "valid prefix %zu, reference %zu", ok, i);
    FUZZ_CHECK(chars == rchars, "%zu code points, reference %zu", chars, rchars);
    FUZZ_CHECK(has4 == rhas4, "4-byte flag %d, reference %d", has4, rhas4);
}

static void check_repair(const uint8_t *s, size_t n)
{
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    FUZZ_CHECK(utf8_replace_invalid(&b, s, n) == 0, "repair failed");
    FUZZ_CHECK(val_utf8_check((const uint8_t *)b.data, b.len, NULL, NULL) == b.len,
               "repaired text is not valid UTF-8");
    if (val_utf8_check(s, n, NULL, NULL) == n)
        FUZZ_CHECK(b.len == n && (n == 0 || memcmp(b.data, s, n) == 0), "valid text was changed");
    buf_free(&b);
}

/* The Windows-1252 byte of code point cp (the inverse of the decoder), or -1. */
static int cp1252_byte(unsigned cp)
{
    static const unsigned short c1[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
    for (int k = 0; k < 32; k++)
        if (c1[k] == cp)
            return 0x80 + k;
    return cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF) ? (int)cp : -1;
}

static void check_cp1252(const uint8_t *s, size_t n)
{
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    FUZZ_CHECK(utf8_from_cp1252(&b, s, n) == 0, "decode failed");
    const uint8_t *u = (const uint8_t *)b.data;
    size_t chars;
    FUZZ_CHECK(val_utf8_check(u, b.len, &chars, NULL) == b.len, "decoded text is not UTF-8");
    FUZZ_CHECK(chars == n, "%zu code points for %zu bytes", chars, n);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned cp;
        size_t len = ref_seq(u + at, b.len - at, &cp);
        FUZZ_CHECK(cp1252_byte(cp) == s[i], "byte %zu: 0x%02x came back as U+%04X", i, s[i], cp);
        at += len;
    }
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_validator(data, size);
    check_repair(data, size);
    check_cp1252(data, size);
    return 0;
}

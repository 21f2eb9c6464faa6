/* utf8: code-point counting, U+FFFD repair and Windows-1252 decoding (see
 * utf8.h). Windows-1252 is written out because iconv refuses its five
 * undefined bytes. */
#include "utf8.h"

#include "val.h"

size_t utf8_count(const char *s)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    return chars;
}

int utf8_replace_invalid(struct buf *b, const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t ok = val_utf8_check(s + i, n - i, NULL, NULL);
        if (buf_append(b, s + i, ok) != 0)
            return -1;
        i += ok;
        if (i < n) {
            if (buf_append(b, "\xEF\xBF\xBD", 3) != 0)
                return -1;
            i++;
            while (i < n && (s[i] & 0xC0) == 0x80)
                i++;
        }
    }
    return 0;
}

int utf8_from_cp1252(struct buf *b, const unsigned char *s, size_t n)
{
    static const unsigned short c1[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
    for (size_t i = 0; i < n; i++) {
        unsigned cp = s[i] >= 0x80 && s[i] < 0xA0 ? c1[s[i] - 0x80] : s[i];
        unsigned char u[3];
        size_t len = 1;
        if (cp < 0x80) {
            u[0] = (unsigned char)cp;
        } else if (cp < 0x800) {
            u[0] = (unsigned char)(0xC0 | cp >> 6);
            u[1] = (unsigned char)(0x80 | (cp & 0x3F));
            len = 2;
        } else {
            u[0] = (unsigned char)(0xE0 | cp >> 12);
            u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            u[2] = (unsigned char)(0x80 | (cp & 0x3F));
            len = 3;
        }
        if (buf_append(b, u, len) != 0)
            return -1;
    }
    return 0;
}

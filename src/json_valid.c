/* json_valid: a fast strict JSON check (see json_valid.h). One pass over the
 * bytes with a small stack of the open containers; nothing is decoded or
 * allocated. */
#include "json_valid.h"

#include <string.h>

/* Whether c stands for itself inside a string and is ASCII: not the
 * quote, the backslash, a control character or a byte from 0x80 up. */
static bool plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static bool digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool hex(unsigned char c)
{
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The index of the first byte from i on that is not JSON whitespace. */
static size_t skip_space(const unsigned char *p, size_t n, size_t i)
{
    while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
        i++;
    return i;
}

/* The string opening at p[i] (a quote): the index after its closing quote,
 * or 0 when it is not one. Clears *ascii at a byte from 0x80 up. */
static size_t string_end(const unsigned char *p, size_t n, size_t i, bool *ascii)
{
    for (i++;;) {
        while (i < n && plain(p[i]))
            i++;
        if (i == n)
            return 0;
        unsigned char c = p[i];
        if (c == '"')
            return i + 1;
        if (c >= 0x80) {
            *ascii = false;
            i++;
        } else if (c != '\\' || i + 1 == n) {
            return 0; /* a control character, or a backslash at the end */
        } else if (p[i + 1] == 'u') {
            if (n - i < 6 || !hex(p[i + 2]) || !hex(p[i + 3]) || !hex(p[i + 4]) || !hex(p[i + 5]))
                return 0;
            i += 6;
        } else if (p[i + 1] != '\0' && strchr("\"\\/bfnrt", p[i + 1]) != NULL) {
            i += 2;
        } else {
            return 0;
        }
    }
}

/* The index after the digits from i on, or 0 when there is none. */
static size_t digits_end(const unsigned char *p, size_t n, size_t i)
{
    size_t start = i;
    while (i < n && digit(p[i]))
        i++;
    return i > start ? i : 0;
}

/* The number starting at p[i]: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 * Returns the index after it, or 0 when there is none. */
static size_t number_end(const unsigned char *p, size_t n, size_t i)
{
    if (i < n && p[i] == '-')
        i++;
    if (i < n && p[i] == '0')
        i++;
    else if (i == n || p[i] < '1' || p[i] > '9' || (i = digits_end(p, n, i)) == 0)
        return 0;
    if (i < n && p[i] == '.' && (i = digits_end(p, n, i + 1)) == 0)
        return 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-'))
            i++;
        i = digits_end(p, n, i);
    }
    return i;
}

/* The scalar starting at p[i] (string, number, true, false or null): the
 * index after it, or 0 when there is none. */
static size_t scalar_end(const unsigned char *p, size_t n, size_t i, bool *ascii)
{
    static const char *const words[] = {"true", "false", "null"};
    if (p[i] == '"')
        return string_end(p, n, i, ascii);
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t len = strlen(words[w]);
        if (p[i] == (unsigned char)words[w][0])
            return n - i >= len && memcmp(p + i, words[w], len) == 0 ? i + len : 0;
    }
    return number_end(p, n, i);
}

bool json_valid(const unsigned char *p, size_t n, bool *ascii)
{
    unsigned char open[JSON_VALID_DEPTH]; /* the closing bracket of each open container */
    size_t depth = 0, i = 0;
    enum { VALUE, AFTER, KEY } want = VALUE;
    *ascii = true;
    for (;;) {
        i = skip_space(p, n, i);
        if (want == AFTER && depth == 0)
            return i == n;
        if (i == n)
            return false;
        if (want == AFTER) { /* a comma, or the end of the innermost container */
            if (p[i] == ',')
                want = open[depth - 1] == '}' ? KEY : VALUE;
            else if (p[i] == open[depth - 1])
                depth--;
            else
                return false;
            i++;
        } else if (want == KEY) {
            if (p[i] != '"' || (i = string_end(p, n, i, ascii)) == 0 ||
                (i = skip_space(p, n, i)) == n || p[i] != ':')
                return false;
            i++;
            want = VALUE;
        } else if (p[i] == '{' || p[i] == '[') {
            if (depth == JSON_VALID_DEPTH)
                return false;
            open[depth++] = p[i] == '{' ? '}' : ']';
            i = skip_space(p, n, i + 1);
            if (i < n && p[i] == open[depth - 1]) { /* empty */
                depth--;
                i++;
                want = AFTER;
            } else {
                want = open[depth - 1] == '}' ? KEY : VALUE;
            }
        } else if ((i = scalar_end(p, n, i, ascii)) == 0) {
            return false;
        } else {
            want = AFTER;
        }
    }
}

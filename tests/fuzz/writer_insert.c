/* fuzz target writer_insert: the INSERT backend's value quoting
 * (target_quote_string, the connection's mysql_real_escape_string in
 * utf8mb4 as litelift connects, and buf_hex for bytes; src/target.c,
 * src/buf.c). Oracles: the quoted string is one SQL string literal that
 * unescapes, by MySQL's documented rules (a backslash escape or a doubled
 * quote), to the same bytes, with no quote that would end it early; the hex
 * literal decodes to the same bytes. The byte-by-byte escaping that stands in
 * for the library's on utf8mb4 (val_escape_sql) writes its bytes exactly. */
#include "fuzz.h"

#include <mysql.h>

#include "target.h"
#include "val.h"

/* MySQL's string-literal escapes (\0 \' \" \b \n \r \t \Z \\; any other
 * \x is x). Returns 0 and the bytes in out, or -1 for a broken literal. */
static int unquote(const char *q, size_t n, struct buf *out)
{
    if (n < 2 || q[0] != '\'' || q[n - 1] != '\'')
        return -1;
    for (size_t i = 1; i < n - 1; i++) {
        char ch = q[i];
        if (ch == '\\') {
            if (++i == n - 1)
                return -1;
            const char *k = strchr("0bnrtZ", q[i]);
            ch = q[i] != '\0' && k != NULL ? "\0\b\n\r\t\x1a"[k - "0bnrtZ"] : q[i];
        } else if (ch == '\'') {
            if (++i == n - 1 || q[i] != '\'')
                return -1;
        }
        FUZZ_CHECK(buf_putc(out, ch) == 0, "out of memory");
    }
    return 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static struct target tgt;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (tgt.my == NULL) {
        tgt.my = mysql_init(NULL);
        FUZZ_CHECK(tgt.my != NULL && mysql_options(tgt.my, MYSQL_SET_CHARSET_NAME, "utf8mb4") == 0,
                   "mysql_init");
    }
    struct buf q, back;
    buf_init(&q, BUF_CAP_ROW);
    buf_init(&back, BUF_CAP_ROW);
    FUZZ_CHECK(target_quote_string(&tgt, &q, (const char *)data, size) == 0, "quote failed");
    FUZZ_CHECK(unquote(q.data, q.len, &back) == 0, "not one string literal: %s", q.data);
    FUZZ_CHECK(back.len == size && (size == 0 || memcmp(back.data, data, size) == 0),
               "unquotes to other bytes");
    char *lib = malloc(2 * size + 1), *mine = malloc(2 * size + 1);
    FUZZ_CHECK(lib != NULL && mine != NULL, "out of memory");
    size_t lib_len = mysql_real_escape_string(tgt.my, lib, (const char *)data, size);
    size_t mine_len = val_escape_sql(mine, data, size);
    FUZZ_CHECK(lib_len == mine_len && memcmp(lib, mine, lib_len) == 0,
               "val_escape_sql differs from mysql_real_escape_string");
    FUZZ_CHECK(val_sql_escapes(data, size) == mine_len - size, "val_sql_escapes miscounts");
    free(lib);
    free(mine);
    buf_reset(&q);
    FUZZ_CHECK(buf_hex(&q, data, size) == 0 && q.len == 2 * size, "hex length");
    for (size_t i = 0; i < size; i++) {
        int hi = hexval(q.data[2 * i]), lo = hexval(q.data[2 * i + 1]);
        FUZZ_CHECK(hi >= 0 && lo >= 0 && (hi << 4 | lo) == data[i], "hex byte %zu", i);
    }
    buf_free(&q);
    buf_free(&back);
    return 0;
}

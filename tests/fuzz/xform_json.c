/* fuzz target xform_json: the JSON validator (src/xform_json.c, yajl with a
 * bounded allocator). Oracles: xform_convert's contract; accepted JSON is
 * kept byte for byte, is valid UTF-8, and holds no raw control character
 * inside a string; what the fast check (json_valid) accepts as UTF-8, yajl
 * accepts too. */
#include "fuzz.h"

#include <yajl_parse.h>

#include "json_valid.h"
#include "val.h"

static int on_number(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    (void)n;
    return 1;
}

/* yajl's verdict on data[0..size), numbers kept as text as xform_json.c
 * parses them. */
static bool yajl_accepts(const uint8_t *data, size_t size)
{
    yajl_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.yajl_number = on_number;
    yajl_handle h = yajl_alloc(&cb, NULL, NULL);
    FUZZ_CHECK(h != NULL, "yajl_alloc");
    yajl_status st = yajl_parse(h, data, size);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    yajl_free(h);
    return st == yajl_status_ok;
}

static const struct fuzz_col json = {"json", "json", NULL, 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct schema_column c;
    fuzz_column(&c, &json);
    struct xform_col xc = {.col = &c};
    struct xform_src s = {.type = SQLITE_TEXT, .p = data, .n = size};
    struct buf arena;
    buf_init(&arena, BUF_CAP_ROW);
    struct xform_val v;
    bool ascii;
    if (json_valid(data, size, &ascii) && (ascii || val_utf8_check(data, size, NULL, NULL) == size))
        FUZZ_CHECK(yajl_accepts(data, size) && memchr(data, '\f', size) == NULL &&
                       memchr(data, '\v', size) == NULL,
                   "json_valid accepted what yajl refuses");
    if (fuzz_convert(&xc, &s, &arena, &v) == 0) {
        FUZZ_CHECK(v.kind == XFORM_STR && v.len == size &&
                       (size == 0 || memcmp(arena.data + v.off, data, size) == 0),
                   "JSON not kept byte for byte");
        FUZZ_CHECK(val_utf8_check(data, size, NULL, NULL) == size, "accepted invalid UTF-8");
        int in_string = 0;
        for (size_t i = 0; i < size; i++) {
            FUZZ_CHECK(!in_string || data[i] >= 0x20, "raw control 0x%02x in a string", data[i]);
            if (in_string && data[i] == '\\')
                i++;
            else if (data[i] == '"')
                in_string = !in_string;
        }
    }
    buf_free(&arena);
    schema_column_free(&c);
    return 0;
}

/* fuzz target ddl_types: the SQLite declared-type parser (ddl_parse_decl) and
 * the schema designer's type choice (ddl_choose, ddl_unit, ddl_key_bytes;
 * src/ddl_types.c), and the MySQL column-type parser the chosen type goes
 * through (schema_column_designed, schema_parse_type; src/schema.c). The
 * input: a byte of flags, a ddl_values record, then the declaration text.
 * Oracles: no crash; the chosen type is a type MySQL has (parses to a
 * supported kind); a key column never gets TEXT or BLOB; a declared length
 * or precision is never negative. */
#include "fuzz.h"

#include "ddl.h"
#include "ddl_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    bool key = fuzz_byte(&in) & 1;
    struct ddl_values v;
    memset(&v, 0, sizeof v);
    long long n[5] = {0};
    fuzz_take(&in, n, sizeof n);
    for (int i = 0; i < 5; i++) /* row counts: below 2^48, as any real file's */
        if (n[i] < 0 || n[i] >= 1LL << 48)
            return 0;
    v.n_int = n[0], v.n_real = n[1], v.n_text = n[2], v.n_blob = n[3], v.n_null = n[4];
    unsigned flags = fuzz_byte(&in);
    v.real_frac = flags & 1, v.text_time = flags & 2, v.text_nodate = flags & 4;
    v.bool_like = flags & 8;
    fuzz_take(&in, &v.nmin, sizeof v.nmin);
    fuzz_take(&in, &v.nmax, sizeof v.nmax);
    fuzz_take(&in, &v.max_chars, sizeof v.max_chars);
    fuzz_take(&in, &v.max_bytes, sizeof v.max_bytes);
    char *decl = fuzz_cstr(&in);
    FUZZ_CHECK(decl != NULL, "out of memory");
    struct ddl_decl d;
    ddl_parse_decl(decl, &d);
    FUZZ_CHECK(d.len >= 0 && d.prec >= 0 && d.scale >= 0, "'%s': negative size", decl);
    char type[128], note[512];
    ddl_choose(&d, &v, key, type, sizeof type, note, sizeof note);
    (void)ddl_unit(&d, &v);
    FUZZ_CHECK(type[0] != '\0', "'%s': no type chosen", decl);
    FUZZ_CHECK(!key || (strstr(type, "TEXT") == NULL && strstr(type, "BLOB") == NULL),
               "'%s': key column of type %s", decl, type);
    (void)ddl_key_bytes(type);
    struct schema_column c;
    FUZZ_CHECK(schema_column_designed(&c, "c", type, true, false) == 0, "%s", type);
    FUZZ_CHECK(c.kind != SCHEMA_UNSUPPORTED, "'%s': chose %s, which MySQL does not have", decl,
               type);
    schema_column_free(&c);
    free(decl);
    return 0;
}

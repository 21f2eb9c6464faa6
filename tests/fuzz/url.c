/* fuzz target url: the target URL parser (url_parse, url_password_span,
 * url_decode; src/url.c). Oracles: no crash or leak on any text; a refused
 * URL's message never contains its password (checked with a password of
 * DEL bytes in its place, which no fixed wording holds); an accepted URL's
 * password is the decoded span url_password_span finds; the port fits 16 bits. */
#include "fuzz.h"

#include "url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    char *text = fuzz_cstr(&in);
    FUZZ_CHECK(text != NULL, "out of memory");
    size_t off = 0, len = 0;
    int has = url_password_span(text, &off, &len);
    FUZZ_CHECK(!has || off + len <= strlen(text), "password span outside the text");
    struct url u;
    struct error err;
    memset(&err, 0, sizeof err);
    if (url_parse(text, &u, &err) == 0) {
        FUZZ_CHECK(u.port <= 65535, "port %u", u.port);
        FUZZ_CHECK((u.password != NULL) == (has != 0), "password found by one reader only");
        if (has) {
            struct error derr;
            char *pw = url_decode(text + off, len, &derr);
            FUZZ_CHECK(pw != NULL && strcmp(pw, u.password) == 0, "password span disagrees");
            free(pw);
        }
        url_free(&u);
    } else if (has && len > 0 && memchr(text, 0x7f, strlen(text)) == NULL) {
        /* the same text with its password made of DEL bytes, which no
         * wording of litelift's holds: no message may show them */
        memset(text + off, 0x7f, len);
        char *marker = strndup(text + off, len);
        FUZZ_CHECK(marker != NULL, "out of memory");
        if (url_parse(text, &u, &err) == 0)
            url_free(&u);
        else
            FUZZ_CHECK(strstr(err.msg, marker) == NULL, "message shows the password: %s", err.msg);
        free(marker);
    }
    free(text);
    return 0;
}

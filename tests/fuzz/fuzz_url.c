/* fuzz_url: url_parse and url_password_span on any bytes (no crash, no leak;
 * a password span lies inside the text). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    char *text = strndup((const char *)data, n);
    if (text == NULL)
        return 0;
    struct url u;
    struct error err;
    if (url_parse(text, &u, &err) == 0)
        url_free(&u);
    size_t off, len;
    if (url_password_span(text, &off, &len) == 1 && off + len > strlen(text))
        abort();
    free(text);
    return 0;
}

/* json_out: JSON documents through yajl's generator (see json_out.h). */
#include "json_out.h"

#include <math.h>
#include <string.h>
#include <time.h>

int json_out_init(struct json_out *j, struct error *err)
{
    j->failed = false;
    j->g = yajl_gen_alloc(NULL);
    if (j->g == NULL)
        return error_oom(err);
    yajl_gen_config(j->g, yajl_gen_beautify, 1);
    yajl_gen_config(j->g, yajl_gen_indent_string, "  ");
    return 0;
}

/* Remembers a failed generator step. */
static void check(struct json_out *j, yajl_gen_status st)
{
    if (st != yajl_gen_status_ok)
        j->failed = true;
}

void json_out_map(struct json_out *j)
{
    check(j, yajl_gen_map_open(j->g));
}

void json_out_map_end(struct json_out *j)
{
    check(j, yajl_gen_map_close(j->g));
}

void json_out_array(struct json_out *j)
{
    check(j, yajl_gen_array_open(j->g));
}

void json_out_array_end(struct json_out *j)
{
    check(j, yajl_gen_array_close(j->g));
}

void json_out_key(struct json_out *j, const char *key)
{
    if (key != NULL)
        check(j, yajl_gen_string(j->g, (const unsigned char *)key, strlen(key)));
}

void json_out_str(struct json_out *j, const char *key, const char *value)
{
    json_out_key(j, key);
    check(j, value == NULL ? yajl_gen_null(j->g)
                           : yajl_gen_string(j->g, (const unsigned char *)value, strlen(value)));
}

void json_out_int(struct json_out *j, const char *key, long long n)
{
    json_out_key(j, key);
    check(j, yajl_gen_integer(j->g, n));
}

void json_out_num(struct json_out *j, const char *key, double x)
{
    json_out_key(j, key);
    if (!isfinite(x) || x < 0) {
        check(j, yajl_gen_null(j->g));
        return;
    }
    char text[64]; /* three decimals: seconds to the millisecond */
    int n = snprintf(text, sizeof text, "%.3f", x);
    check(j, yajl_gen_number(j->g, text, (size_t)n));
}

void json_out_bool(struct json_out *j, const char *key, bool b)
{
    json_out_key(j, key);
    check(j, yajl_gen_bool(j->g, b));
}

void json_out_null(struct json_out *j, const char *key)
{
    json_out_key(j, key);
    check(j, yajl_gen_null(j->g));
}

void json_out_time(struct json_out *j, const char *key, double t)
{
    if (t <= 0) {
        json_out_null(j, key);
        return;
    }
    time_t s = (time_t)t;
    struct tm tm;
    char day[32], text[48];
    gmtime_r(&s, &tm);
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    int ms = (int)((t - (double)s) * 1000);
    snprintf(text, sizeof text, "%s.%03dZ", day, ms > 999 ? 999 : ms);
    json_out_str(j, key, text);
}

int json_out_finish(struct json_out *j, FILE *out, struct error *err)
{
    const unsigned char *text = NULL;
    size_t len = 0;
    int rc = 0;
    if (j->failed || yajl_gen_get_buf(j->g, &text, &len) != yajl_gen_status_ok)
        rc = error_set(err, "could not build the JSON document (out of memory?)");
    else if (fwrite(text, 1, len, out) != len || fputc('\n', out) == EOF || fflush(out) != 0)
        rc = error_set(err, "could not write the JSON document");
    json_out_free(j);
    return rc;
}

void json_out_free(struct json_out *j)
{
    if (j->g != NULL)
        yajl_gen_free(j->g);
    j->g = NULL;
}

/* json_out: a JSON document built with yajl's generator (the JSON library
 * litelift links already) and written whole to a file: the helpers that the
 * run report (--report) and `status --format json` share. A failed step is
 * remembered and reported once, by json_out_finish. */
#ifndef LITELIFT_JSON_OUT_H
#define LITELIFT_JSON_OUT_H

#include <stdbool.h>
#include <stdio.h>
#include <yajl/yajl_gen.h>

#include "error.h"

struct json_out {
    yajl_gen g;
    bool failed; /* a generator call failed (out of memory, bad nesting) */
};

/* Starts an indented document. Returns 0, or -1 with err set. */
int json_out_init(struct json_out *j, struct error *err);

/* Map and array brackets. */
void json_out_map(struct json_out *j);
void json_out_map_end(struct json_out *j);
void json_out_array(struct json_out *j);
void json_out_array_end(struct json_out *j);

/* A key alone (its value follows: a map, an array or a scalar below with a
 * NULL key); every scalar writer takes key NULL inside arrays. */
void json_out_key(struct json_out *j, const char *key);

/* "key": "value" (null when value is NULL). */
void json_out_str(struct json_out *j, const char *key, const char *value);

/* "key": n. */
void json_out_int(struct json_out *j, const char *key, long long n);

/* "key": x with three decimals, or null when x is not finite or negative
 * (callers pass -1 for "unknown"). */
void json_out_num(struct json_out *j, const char *key, double x);

/* "key": true or false. */
void json_out_bool(struct json_out *j, const char *key, bool b);

/* "key": null. */
void json_out_null(struct json_out *j, const char *key);

/* "key": "YYYY-MM-DDTHH:MM:SS.mmmZ" for t seconds since the epoch (null for 0). */
void json_out_time(struct json_out *j, const char *key, double t);

/* Ends the document: writes it to out with a final newline. Returns 0, or
 * -1 with err set (a failed step, or out could not be written). Frees the
 * generator in both cases. */
int json_out_finish(struct json_out *j, FILE *out, struct error *err);

/* Frees the generator without writing (safe after json_out_finish). */
void json_out_free(struct json_out *j);

#endif

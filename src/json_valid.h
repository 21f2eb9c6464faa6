/* json_valid: a fast check that a text is one strict JSON text (RFC 8259),
 * for the common case of the JSON column conversion: a text it accepts is
 * one that yajl accepts too (see xform_json.c), so only the rest needs yajl
 * and its messages. */
#ifndef LITELIFT_JSON_VALID_H
#define LITELIFT_JSON_VALID_H

#include <stdbool.h>
#include <stddef.h>

/* Containers nested deeper than this are left to the caller's full parser. */
#define JSON_VALID_DEPTH 64

/* True when p[0..n) is exactly one JSON value with optional whitespace
 * (space, tab, newline, carriage return) around it: objects with string
 * keys, arrays, strings without raw control characters and with only the
 * escapes \" \\ \/ \b \f \n \r \t \uXXXX, numbers as the RFC spells them,
 * true, false and null, nested at most JSON_VALID_DEPTH deep. Every byte
 * from 0x80 up sits inside a string; *ascii is set when there is none (else
 * the caller still has to check the text is UTF-8). False means "not
 * shown valid": the text may still be valid (deeper nesting). */
bool json_valid(const unsigned char *p, size_t n, bool *ascii);

#endif

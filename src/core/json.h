/* json.h — JSON output and input helpers on top of jansson.
 *
 * Output: json_write() serialises a jansson value compactly; it escapes <, >
 * and & (so JSON can sit inside HTML safely) and replaces invalid UTF-8 with
 * U+FFFD instead of failing. Text from the database enters view models through
 * json_text(), which never returns NULL even on bad bytes.
 *
 * Input: the jin_* helpers read one field of a request object, check its type
 * and size and fill an err_t naming the field when it is wrong. They never
 * accept a value that could not be stored as given. */
#ifndef LI_JSON_H
#define LI_JSON_H
#include "err.h"
#include "str.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Appends the compact serialisation of `v` to `out`. Returns 0, or -1 when `v`
 * is NULL or nested deeper than 64 levels. */
int json_write(str_t *out, const json_t *v);
/* Length of the longest valid UTF-8 prefix of s[0..n). */
size_t utf8_valid_len(const char *s, size_t n);
/* True when s[0..n) is valid UTF-8 without NUL bytes. */
bool utf8_valid(const char *s, size_t n);
/* A new JSON string from untrusted bytes (NULL gives JSON null); invalid
 * sequences become U+FFFD. Never returns NULL. */
json_t *json_text(const char *s);
/* Parses a request body that must be one JSON object (duplicate keys refused).
 * NULL with `e` set (400 "malformed_json") otherwise. */
json_t *json_parse_object(const char *body, size_t len, err_t *e);

/* Reads the string field `key` of `obj`. Missing or null: *out = NULL, and an
 * error when `required`. Wrong type, empty when required, invalid UTF-8,
 * control characters, or longer than `max_chars` code points: 422 naming the
 * field. Returns 0 or -status. */
int jin_str(json_t *obj, const char *key, bool required, size_t max_chars, const char **out,
            err_t *e);
/* Reads an integer field within [min, max]; `*present` says whether it was given. */
int jin_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max, int64_t *out,
            bool *present, err_t *e);
/* Reads a boolean field. */
int jin_bool(json_t *obj, const char *key, bool required, bool *out, bool *present, err_t *e);
/* Fails with 422 on the first key of `obj` not in the NULL-terminated `allowed`. */
int jin_only(json_t *obj, const char *const *allowed, err_t *e);

/* The string member `key` of `obj`; NULL when absent or not a string. */
const char *jstr(const json_t *obj, const char *key);
/* The string member `key` of `obj`, or "" when absent or not a string. */
const char *jstr_or_empty(const json_t *obj, const char *key);

/* Counts UTF-8 code points of a valid string. */
size_t utf8_chars(const char *s);

#endif

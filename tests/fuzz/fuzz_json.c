/* fuzz_json.c — libFuzzer harness for the JSON helpers.
 *
 * Each input is (1) parsed as a request body with json_parse_object, read
 * field by field with the jin_* helpers, and written back with json_write;
 * (2) taken as raw bytes for json_text and a string value. Checks beyond the
 * sanitizers: what json_write produces parses back with jansson and means
 * the same value; a refused field names that field; utf8_valid agrees with
 * jansson's own UTF-8 check; repaired text is valid UTF-8.
 * Must never keep state between inputs. */
#include "core/json.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* True when a and b hold the same value (numbers compared by value). */
static int same(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b)) {
        if (json_is_integer(a) && json_is_integer(b)) return json_integer_value(a) == json_integer_value(b);
        return json_number_value(a) == json_number_value(b);
    }
    if (json_typeof(a) != json_typeof(b)) return 0;
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b)) return 0;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same(json_array_get(a, i), json_array_get(b, i))) return 0;
        return 1;
    }
    if (json_is_object(a)) {
        const char *key;
        json_t *v;
        if (json_object_size(a) != json_object_size(b)) return 0;
        json_object_foreach((json_t *)a, key, v) {
            json_t *w = json_object_get(b, key);
            if (!w || !same(v, w)) return 0;
        }
        return 1;
    }
    return json_equal(a, b);
}

/* Writes `v` and checks the output parses back to the same value; a refusal
 * (too deep) must leave the buffer as it was. */
static void round_trip(const json_t *v, size_t flags)
{
    str_t out = STR_INIT;
    str_adds(&out, "x");
    if (json_write(&out, v) < 0) {
        if (out.len != 1) abort();
        str_release(&out);
        return;
    }
    json_error_t je;
    json_t *back = json_loadb(out.buf + 1, out.len - 1, JSON_DECODE_ANY | flags, &je);
    if (!back || !same(v, back)) abort();
    json_decref(back);
    str_release(&out);
}

/* Reads every field of `obj` with each reader, checking refusals. */
static void read_fields(json_t *obj)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val) {
        err_t e = {0};
        const char *s;
        int64_t x;
        bool b, present;
        int rc = jin_str(obj, key, true, 20, &s, &e);
        if (rc < 0 && (rc != -e.status || strncmp(e.field, key, sizeof e.field - 1) != 0)) abort();
        if (rc == 0 && (!s || !utf8_valid(s, strlen(s)) || utf8_chars(s) > 20)) abort();
        rc = jin_int(obj, key, false, -1000, 1000, &x, &present, &e);
        if (rc < 0 && strncmp(e.field, key, sizeof e.field - 1) != 0) abort();
        if (rc == 0 && present && (x < -1000 || x > 1000)) abort();
        rc = jin_bool(obj, key, false, &b, &present, &e);
        if (rc < 0 && strncmp(e.field, key, sizeof e.field - 1) != 0) abort();
    }
    static const char *const allowed[] = {"a", "name", "n", NULL};
    err_t e = {0};
    if (jin_only(obj, allowed, &e) < 0 && e.status != 422) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    err_t e = {0};
    json_t *obj = json_parse_object(s, size, &e);
    if (obj) {
        if (!json_is_object(obj)) abort();
        read_fields(obj);
        round_trip(obj, 0);
        json_decref(obj);
    } else if (e.status != 400) {
        abort();
    }

    /* Raw bytes as a string value: written with repairs, read back valid. */
    json_t *raw = json_stringn_nocheck(s, size);
    str_t out = STR_INIT;
    if (json_write(&out, raw) < 0) abort();
    json_error_t je;
    json_t *back = json_loadb(out.buf, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!back || !json_is_string(back)) abort();
    if (utf8_valid_len(s, size) == size && (json_string_length(back) != size ||
                                             memcmp(json_string_value(back), s, size) != 0))
        abort();
    json_decref(back);
    json_decref(raw);
    str_release(&out);

    /* utf8_valid agrees with jansson's own check. */
    json_t *checked = json_stringn(s, size);
    bool has_nul = memchr(s, 0, size) != NULL;
    if (!has_nul && utf8_valid(s, size) != (checked != NULL)) abort();
    json_decref(checked);

    /* json_text on the bytes up to the first NUL always gives valid UTF-8. */
    char *z = malloc(size + 1);
    if (!z) abort();
    memcpy(z, s, size);
    z[size] = '\0';
    json_t *t = json_text(z);
    if (!json_is_string(t) || !utf8_valid(json_string_value(t), json_string_length(t))) abort();
    if (utf8_valid(z, strlen(z)) && strcmp(json_string_value(t), z) != 0) abort();
    json_decref(t);
    free(z);
    return 0;
}

/* json.c — compact JSON writer and request-field readers. */
#include "json.h"
#include "str.h"
#include <string.h>

#define JSON_MAX_DEPTH 64

size_t utf8_valid_len(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n) return i;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        /* Reject overlong forms, surrogates and values past U+10FFFF. */
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return i;
        i += len;
    }
    return i;
}

bool utf8_valid(const char *s, size_t n)
{
    return utf8_valid_len(s, n) == n && memchr(s, 0, n) == NULL;
}

size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Appends s[0..n) as a JSON string literal, repairing invalid UTF-8. */
static void write_string(str_t *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    str_addc(out, '"');
    size_t i = 0;
    while (i < n) {
        size_t ok = utf8_valid_len(s + i, n - i);
        for (size_t k = i; k < i + ok; k++) {
            size_t run = k; /* a run of bytes written as they are, appended at once */
            while (run < i + ok && (unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\' &&
                   s[run] != '<' && s[run] != '>' && s[run] != '&')
                run++;
            if (run > k) {
                str_add(out, s + k, run - k);
                k = run - 1;
                continue;
            }
            unsigned char c = (unsigned char)s[k];
            switch (c) {
            case '"': str_add(out, "\\\"", 2); break;
            case '\\': str_add(out, "\\\\", 2); break;
            case '\n': str_add(out, "\\n", 2); break;
            case '\r': str_add(out, "\\r", 2); break;
            case '\t': str_add(out, "\\t", 2); break;
            default:
                if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                    char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                    str_add(out, esc, 6);
                } else {
                    str_addc(out, (char)c);
                }
            }
        }
        i += ok;
        if (i < n) {
            str_add(out, "\xEF\xBF\xBD", 3); /* U+FFFD for the bad byte */
            i++;
        }
    }
    str_addc(out, '"');
}

/* `depth` counts the arrays and objects around v: at most JSON_MAX_DEPTH
 * containers may nest, whatever the innermost value is. */
static int write_value(str_t *out, const json_t *v, int depth)
{
    if (!v) return -1;
    if ((json_is_object(v) || json_is_array(v)) && depth >= JSON_MAX_DEPTH) return -1;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *val;
        int first = 1;
        str_addc(out, '{');
        json_object_foreach((json_t *)v, key, val) {
            if (!first) str_addc(out, ',');
            first = 0;
            write_string(out, key, strlen(key));
            str_addc(out, ':');
            if (write_value(out, val, depth + 1) < 0) return -1;
        }
        str_addc(out, '}');
        return 0;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *val;
        str_addc(out, '[');
        json_array_foreach(v, i, val) {
            if (i) str_addc(out, ',');
            if (write_value(out, val, depth + 1) < 0) return -1;
        }
        str_addc(out, ']');
        return 0;
    }
    case JSON_STRING:
        write_string(out, json_string_value(v), json_string_length(v));
        return 0;
    case JSON_INTEGER:
        str_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return 0;
    case JSON_REAL: {
        char buf[64];
        int n = snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
        str_add(out, buf, (size_t)n);
        return 0;
    }
    case JSON_TRUE: str_adds(out, "true"); return 0;
    case JSON_FALSE: str_adds(out, "false"); return 0;
    case JSON_NULL: str_adds(out, "null"); return 0;
    }
    return -1;
}

int json_write(str_t *out, const json_t *v)
{
    size_t start = out->len;
    if (write_value(out, v, 0) == 0) return 0;
    out->len = start; /* never leave half a document behind */
    if (out->buf) out->buf[start] = '\0';
    return -1;
}

json_t *json_text(const char *s)
{
    if (!s) return json_null();
    size_t n = strlen(s);
    if (utf8_valid_len(s, n) == n) return json_stringn_nocheck(s, n);
    str_t fixed = STR_INIT;
    size_t i = 0;
    while (i < n) {
        size_t ok = utf8_valid_len(s + i, n - i);
        str_add(&fixed, s + i, ok);
        i += ok;
        if (i < n) {
            str_add(&fixed, "\xEF\xBF\xBD", 3);
            i++;
        }
    }
    json_t *v = json_stringn_nocheck(fixed.buf, fixed.len);
    str_release(&fixed);
    return v;
}

json_t *json_parse_object(const char *body, size_t len, err_t *e)
{
    json_error_t jerr;
    if (len == 0) {
        err_set(e, 400, "malformed_json", NULL, "The request body must be a JSON object.");
        return NULL;
    }
    json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!v || !json_is_object(v)) {
        json_decref(v);
        err_set(e, 400, "malformed_json", NULL, "The request body must be a JSON object.");
        return NULL;
    }
    return v;
}

/* The value of `key` in *v: 0 when there is one, 1 when it is absent or
 * null and not required, or -422 (required) with `e` filled. */
static int jin_value(json_t *obj, const char *key, bool required, json_t **v, err_t *e)
{
    *v = json_object_get(obj, key);
    if (*v && !json_is_null(*v)) return 0;
    return required ? err_set(e, 422, "required", key, "This field is required.") : 1;
}

int jin_str(json_t *obj, const char *key, bool required, size_t max_chars, const char **out,
            err_t *e)
{
    json_t *v;
    *out = NULL;
    int rc = jin_value(obj, key, required, &v, e);
    if (rc) return rc < 0 ? rc : 0;
    if (!json_is_string(v)) return err_set(e, 422, "invalid", key, "This field must be text.");
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (!utf8_valid(s, n)) return err_set(e, 422, "invalid", key, "This field contains invalid characters.");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f)
            return err_set(e, 422, "invalid", key, "This field contains invalid characters.");
    }
    if (required && n == 0) return err_set(e, 422, "required", key, "This field is required.");
    if (utf8_chars(s) > max_chars) return err_set(e, 422, "too_long", key, "This field is too long.");
    *out = s;
    return 0;
}

int jin_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max, int64_t *out,
            bool *present, err_t *e)
{
    json_t *v;
    if (present) *present = false;
    int rc = jin_value(obj, key, required, &v, e);
    if (rc) return rc < 0 ? rc : 0;
    if (!json_is_integer(v)) return err_set(e, 422, "invalid", key, "This field must be a whole number.");
    json_int_t x = json_integer_value(v);
    if (x < min || x > max) return err_set(e, 422, "out_of_range", key, "This number is out of range.");
    *out = x;
    if (present) *present = true;
    return 0;
}

int jin_bool(json_t *obj, const char *key, bool required, bool *out, bool *present, err_t *e)
{
    json_t *v;
    if (present) *present = false;
    int rc = jin_value(obj, key, required, &v, e);
    if (rc) return rc < 0 ? rc : 0;
    if (!json_is_boolean(v)) return err_set(e, 422, "invalid", key, "This field must be true or false.");
    *out = json_is_true(v);
    if (present) *present = true;
    return 0;
}

int jin_only(json_t *obj, const char *const *allowed, err_t *e)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val) {
        if (!str_in_list(allowed, key)) return err_set(e, 422, "unknown_field", key, "This field is not accepted here.");
    }
    return 0;
}

const char *jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

const char *jstr_or_empty(const json_t *obj, const char *key)
{
    const char *s = jstr(obj, key);
    return s ? s : "";
}

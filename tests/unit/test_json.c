/* test_json.c — unit tests of the JSON writer, UTF-8 checks and request
 * field readers (src/core/json.c).
 *
 * The writer's output is embedded in HTML and sent to clients: tests pin
 * its exact bytes and that it always parses back. The readers are the
 * first line of input validation: tests check the status, code and field
 * of every refusal. Must never use the network or files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/json.h"
#include <stdlib.h>
#include <string.h>

/* Serialises `v` (stealing the reference) and compares with `want`. */
static void write_is(json_t *v, const char *want)
{
    str_t out = STR_INIT;
    assert_int_equal(json_write(&out, v), 0);
    assert_string_equal(str_cstr(&out), want);
    /* What we write, jansson reads back. */
    json_error_t je;
    json_t *back = json_loadb(out.buf, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!back) fail_msg("output does not parse: %s (%s)", str_cstr(&out), je.text);
    json_decref(back);
    str_release(&out);
    json_decref(v);
}

static void test_write_scalars(void **state)
{
    (void)state;
    write_is(json_pack("[i,I,f,f,b,b,n]", 42, (json_int_t)-9007199254740993LL, 1.5, 1e300, 1, 0),
             "[42,-9007199254740993,1.5,1.0000000000000001e+300,true,false,null]");
    write_is(json_object(), "{}");
    write_is(json_array(), "[]");
    write_is(json_pack("{s:{s:[i,{}]}}", "a", "b", 1), "{\"a\":{\"b\":[1,{}]}}");
    write_is(json_string(""), "\"\"");
    str_t out = STR_INIT;
    assert_int_equal(json_write(&out, NULL), -1);
    assert_int_equal(out.len, 0);
    str_release(&out);
}

static void test_write_escaping(void **state)
{
    (void)state;
    write_is(json_string("</script><b>&amp;"),
             "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026amp;\"");
    write_is(json_string("q\"b\\s/"), "\"q\\\"b\\\\s/\"");
    write_is(json_string("\n\r\t\x01\x1f\x7f"), "\"\\n\\r\\t\\u0001\\u001f\x7f\"");
    write_is(json_string("\b\f"), "\"\\u0008\\u000c\"");
    write_is(json_string("città 中文 😀"), "\"città 中文 😀\"");
    /* Keys are escaped the same way. */
    write_is(json_pack("{s:i}", "<k>", 1), "{\"\\u003ck\\u003e\":1}");
}

static void test_write_repairs_utf8(void **state)
{
    (void)state;
    /* Each bad byte becomes one U+FFFD; good text around it is kept. */
    write_is(json_stringn_nocheck("a\xff" "b", 3), "\"a\xEF\xBF\xBD" "b\"");
    write_is(json_stringn_nocheck("\xc0\xaf", 2), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
    write_is(json_stringn_nocheck("x\xc3", 2), "\"x\xEF\xBF\xBD\"");
    write_is(json_stringn_nocheck("\xed\xa0\x80", 3), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    /* An embedded NUL is escaped, not a terminator. */
    write_is(json_stringn_nocheck("a\0b", 3), "\"a\\u0000b\"");
}

/* Wraps `inner` in `n` arrays. */
static json_t *nest(int n, json_t *inner)
{
    json_t *v = inner;
    for (int i = 0; i < n; i++) {
        json_t *a = json_array();
        json_array_append_new(a, v);
        v = a;
    }
    return v;
}

static void test_write_depth(void **state)
{
    (void)state;
    str_t out = STR_INIT;
    /* 64 nested containers are fine, whatever is inside. */
    json_t *ok = nest(63, json_array());
    assert_int_equal(json_write(&out, ok), 0);
    json_decref(ok);
    str_reset(&out);
    ok = nest(64, json_integer(1));
    assert_int_equal(json_write(&out, ok), 0);
    assert_int_equal(out.len, 64 * 2 + 1);
    json_decref(ok);
    /* 65 are refused, and nothing is left in the buffer. */
    str_reset(&out);
    str_adds(&out, "prefix");
    json_t *deep = nest(64, json_array());
    assert_int_equal(json_write(&out, deep), -1);
    assert_string_equal(str_cstr(&out), "prefix");
    json_decref(deep);
    deep = nest(65, json_integer(1));
    assert_int_equal(json_write(&out, deep), -1);
    assert_string_equal(str_cstr(&out), "prefix");
    json_decref(deep);
    str_release(&out);
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("plain ascii", 11));
    assert_true(utf8_valid("\xc3\xa8", 2));             /* è */
    assert_true(utf8_valid("\xe4\xb8\xad", 3));         /* 中 */
    assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));     /* 😀 */
    assert_true(utf8_valid("\xf4\x8f\xbf\xbf", 4));     /* U+10FFFF */
    assert_true(utf8_valid("\xed\x9f\xbf", 3));         /* U+D7FF */
    assert_true(utf8_valid("\xee\x80\x80", 3));         /* U+E000 */
    static const char *bad[] = {
        "\xc0\x80",         /* overlong NUL */
        "\xc1\xbf",         /* overlong 2-byte */
        "\xe0\x80\x80",     /* overlong 3-byte */
        "\xe0\x9f\xbf",     /* overlong 3-byte, top */
        "\xf0\x80\x80\x80", /* overlong 4-byte */
        "\xf0\x8f\xbf\xbf", /* overlong 4-byte, top */
        "\xed\xa0\x80",     /* U+D800 surrogate */
        "\xed\xbf\xbf",     /* U+DFFF surrogate */
        "\xf4\x90\x80\x80", /* U+110000 */
        "\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80", "\xff", "\xfe",
        "\x80",             /* lone continuation */
        "\xc3",             /* truncated */
        "\xe4\xb8",         /* truncated */
        "\xf0\x9f\x98",     /* truncated */
        "\xc3\x28",         /* bad continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (utf8_valid(bad[i], strlen(bad[i]))) fail_msg("bad sequence %zu accepted", i);
    assert_false(utf8_valid("a\0b", 3));
    assert_int_equal(utf8_valid_len("ab\xc3\xa8\xff" "cd", 7), 4);
    assert_int_equal(utf8_valid_len("\xe4\xb8", 2), 0);
    assert_int_equal(utf8_valid_len("a\0b", 3), 3); /* NUL is valid UTF-8 */
    assert_int_equal(utf8_chars("città 中文"), 8);
    assert_int_equal(utf8_chars(""), 0);
}

static void test_json_text(void **state)
{
    (void)state;
    json_t *v = json_text(NULL);
    assert_true(json_is_null(v));
    json_decref(v);
    v = json_text("città");
    assert_string_equal(json_string_value(v), "città");
    json_decref(v);
    v = json_text("a\xff\xfe" "b\xc3");
    assert_string_equal(json_string_value(v), "a\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    assert_true(utf8_valid(json_string_value(v), json_string_length(v)));
    json_decref(v);
    v = json_text("\xed\xa0\x80");
    assert_true(utf8_valid(json_string_value(v), json_string_length(v)));
    assert_int_equal(json_string_length(v), 9);
    json_decref(v);
}

/* Expects json_parse_object to refuse `body` with 400 malformed_json. */
static void parse_refused(const char *body, size_t len)
{
    err_t e = {0};
    json_t *v = json_parse_object(body, len, &e);
    if (v) {
        json_decref(v);
        fail_msg("accepted: %.*s", (int)len, body);
    }
    assert_int_equal(e.status, 400);
    assert_string_equal(e.code, "malformed_json");
    assert_string_equal(e.field, "");
}

static void test_parse_object(void **state)
{
    (void)state;
    err_t e = {0};
    json_t *v = json_parse_object("{\"a\":1}", 7, &e);
    assert_non_null(v);
    assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
    json_decref(v);
    v = json_parse_object("  {}  ", 6, &e);
    assert_non_null(v);
    json_decref(v);
    static const char *bad[] = {"[]", "[1]", "\"str\"", "12", "null", "true", "garbage",
                                "{", "{\"a\":}", "{} x", "{}{}", "{\"a\":1,\"a\":2}",
                                "{\"a\":\"\\u0000\"}", "{\"a\":\"\\ud800\"}", "{'a':1}",
                                "{\"a\":1,}", "{\"a\":NaN}", "{\"a\":99999999999999999999}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) parse_refused(bad[i], strlen(bad[i]));
    parse_refused("", 0);
    parse_refused("{\"a\":\"\xff\"}", 8);
    parse_refused("{}\0", 3);
    /* Only `len` bytes are read. */
    v = json_parse_object("{\"a\":2}garbage", 7, &e);
    assert_non_null(v);
    json_decref(v);
}

/* Checks an err_t filled by a refused jin_* call. */
static void refused(int rc, const err_t *e, const char *code, const char *field)
{
    assert_int_equal(rc, -422);
    assert_int_equal(e->status, 422);
    assert_string_equal(e->code, code);
    assert_string_equal(e->field, field);
    assert_non_null(e->message);
}

static void test_jin_str(void **state)
{
    (void)state;
    json_error_t je;
    json_t *o = json_loads("{\"name\":\"Amina\",\"empty\":\"\",\"num\":5,\"nul\":null,"
                           "\"ctl\":\"a\\u0001b\",\"del\":\"a\\u007fb\",\"nl\":\"a\\nb\\tc\\r\","
                           "\"acc\":\"èèè\",\"arr\":[]}", 0, &je);
    assert_non_null(o);
    json_object_set_new(o, "badutf", json_stringn_nocheck("a\xff", 2));
    json_object_set_new(o, "withnul", json_stringn_nocheck("a\0b", 3));
    err_t e = {0};
    const char *s = "untouched";
    assert_int_equal(jin_str(o, "name", true, 10, &s, &e), 0);
    assert_string_equal(s, "Amina");
    assert_int_equal(jin_str(o, "missing", false, 10, &s, &e), 0);
    assert_null(s);
    assert_int_equal(jin_str(o, "nul", false, 10, &s, &e), 0);
    assert_null(s);
    assert_int_equal(jin_str(o, "empty", false, 10, &s, &e), 0);
    assert_string_equal(s, "");
    assert_int_equal(jin_str(o, "nl", true, 10, &s, &e), 0);
    assert_int_equal(jin_str(o, "acc", true, 3, &s, &e), 0);
    assert_string_equal(s, "èèè");
    refused(jin_str(o, "missing", true, 10, &s, &e), &e, "required", "missing");
    refused(jin_str(o, "nul", true, 10, &s, &e), &e, "required", "nul");
    refused(jin_str(o, "empty", true, 10, &s, &e), &e, "required", "empty");
    refused(jin_str(o, "num", false, 10, &s, &e), &e, "invalid", "num");
    refused(jin_str(o, "arr", false, 10, &s, &e), &e, "invalid", "arr");
    refused(jin_str(o, "ctl", false, 10, &s, &e), &e, "invalid", "ctl");
    refused(jin_str(o, "del", false, 10, &s, &e), &e, "invalid", "del");
    refused(jin_str(o, "badutf", false, 10, &s, &e), &e, "invalid", "badutf");
    refused(jin_str(o, "withnul", false, 10, &s, &e), &e, "invalid", "withnul");
    refused(jin_str(o, "acc", true, 2, &s, &e), &e, "too_long", "acc");
    refused(jin_str(o, "name", true, 4, &s, &e), &e, "too_long", "name");
    assert_null(s); /* never left pointing at a refused value */
    json_decref(o);
}

static void test_jin_int_bool(void **state)
{
    (void)state;
    json_error_t je;
    json_t *o = json_loads("{\"n\":5,\"neg\":-3,\"real\":1.0,\"str\":\"5\",\"t\":true,\"f\":false,"
                           "\"one\":1,\"nul\":null,\"big\":9223372036854775807}", 0, &je);
    assert_non_null(o);
    err_t e = {0};
    int64_t x = 77;
    bool present = true, b = false;
    assert_int_equal(jin_int(o, "n", true, 0, 10, &x, &present, &e), 0);
    assert_int_equal(x, 5);
    assert_true(present);
    assert_int_equal(jin_int(o, "big", true, INT64_MIN, INT64_MAX, &x, NULL, &e), 0);
    assert_int_equal(x, INT64_MAX);
    x = 77;
    assert_int_equal(jin_int(o, "missing", false, 0, 10, &x, &present, &e), 0);
    assert_false(present);
    assert_int_equal(x, 77);
    assert_int_equal(jin_int(o, "nul", false, 0, 10, &x, &present, &e), 0);
    assert_false(present);
    assert_int_equal(jin_int(o, "n", true, 5, 5, &x, NULL, &e), 0);
    refused(jin_int(o, "n", true, 6, 10, &x, &present, &e), &e, "out_of_range", "n");
    assert_false(present);
    refused(jin_int(o, "n", true, 0, 4, &x, &present, &e), &e, "out_of_range", "n");
    refused(jin_int(o, "neg", true, 0, 10, &x, NULL, &e), &e, "out_of_range", "neg");
    refused(jin_int(o, "real", true, 0, 10, &x, NULL, &e), &e, "invalid", "real");
    refused(jin_int(o, "str", true, 0, 10, &x, NULL, &e), &e, "invalid", "str");
    refused(jin_int(o, "t", true, 0, 10, &x, NULL, &e), &e, "invalid", "t");
    refused(jin_int(o, "missing", true, 0, 10, &x, NULL, &e), &e, "required", "missing");

    assert_int_equal(jin_bool(o, "t", true, &b, &present, &e), 0);
    assert_true(b);
    assert_true(present);
    assert_int_equal(jin_bool(o, "f", true, &b, &present, &e), 0);
    assert_false(b);
    b = true;
    assert_int_equal(jin_bool(o, "missing", false, &b, &present, &e), 0);
    assert_false(present);
    assert_true(b);
    refused(jin_bool(o, "one", true, &b, &present, &e), &e, "invalid", "one");
    refused(jin_bool(o, "str", false, &b, NULL, &e), &e, "invalid", "str");
    refused(jin_bool(o, "nul", true, &b, NULL, &e), &e, "required", "nul");
    json_decref(o);
}

static void test_jin_only(void **state)
{
    (void)state;
    json_error_t je;
    json_t *o = json_loads("{\"a\":1,\"b\":2}", 0, &je);
    err_t e = {0};
    static const char *const ab[] = {"a", "b", "c", NULL};
    static const char *const a_only[] = {"a", NULL};
    static const char *const none[] = {NULL};
    assert_int_equal(jin_only(o, ab, &e), 0);
    refused(jin_only(o, a_only, &e), &e, "unknown_field", "b");
    refused(jin_only(o, none, &e), &e, "unknown_field", "a");
    json_decref(o);
    /* A long field name is cut to fit, never overflows. */
    char key[200];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    o = json_object();
    json_object_set_new(o, key, json_true());
    char cut[64];
    memset(cut, 'k', 63);
    cut[63] = '\0';
    refused(jin_only(o, a_only, &e), &e, "unknown_field", cut);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_scalars),   cmocka_unit_test(test_write_escaping),
        cmocka_unit_test(test_write_repairs_utf8), cmocka_unit_test(test_write_depth),
        cmocka_unit_test(test_utf8_valid),      cmocka_unit_test(test_json_text),
        cmocka_unit_test(test_parse_object),    cmocka_unit_test(test_jin_str),
        cmocka_unit_test(test_jin_int_bool),    cmocka_unit_test(test_jin_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_http_form.c — the urlencoded form parser (http_form_parse in
 * src/core/http.c): one pass into the arena, decoded names and values, empty
 * segments skipped, malformed escapes dropped (names) or NULL (values), and
 * the field cap refused before anything is allocated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/str.h"
#include <string.h>

static int parse(arena_t *a, const char *body, int max, http_field_t **f)
{
    return http_form_parse(a, body, strlen(body), max, f);
}

static void test_fields_in_order_decoded(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    http_field_t *f;
    const char *body = "_csrf=abc&username=maria+rossi&next=%2Fapp%3Fx%3D1&empty=&flag&dup=1&dup=2";
    assert_int_equal(parse(a, body, 16, &f), 7);
    assert_string_equal(f[0].name, "_csrf");
    assert_string_equal(f[0].value, "abc");
    assert_string_equal(f[1].value, "maria rossi");
    assert_string_equal(f[2].name, "next");
    assert_string_equal(f[2].value, "/app?x=1");
    assert_string_equal(f[3].value, "");
    assert_string_equal(f[4].name, "flag");
    assert_string_equal(f[4].value, "");
    assert_string_equal(f[5].value, "1");
    assert_string_equal(f[6].value, "2");
    arena_free(a);
}

static void test_body_is_not_changed(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    http_field_t *f;
    char body[] = "a=%41&b=x+y";
    assert_int_equal(parse(a, body, 4, &f), 2);
    assert_string_equal(body, "a=%41&b=x+y");
    assert_string_equal(f[0].value, "A");
    arena_free(a);
}

static void test_empty_and_malformed(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    http_field_t *f;
    assert_int_equal(parse(a, "", 4, &f), 0);
    assert_int_equal(http_form_parse(a, NULL, 0, 4, &f), 0);
    assert_int_equal(parse(a, "&&&", 4, &f), 0);
    /* A malformed name is dropped; a malformed value (bad escape, NUL) is NULL. */
    assert_int_equal(parse(a, "%zz=1&ok=%4&nul=%00&fine=%41%42&", 8, &f), 3);
    assert_string_equal(f[0].name, "ok");
    assert_null(f[0].value);
    assert_string_equal(f[1].name, "nul");
    assert_null(f[1].value);
    assert_string_equal(f[2].value, "AB");
    /* Bytes after the stated length are not read. */
    assert_int_equal(http_form_parse(a, "a=1&b=2", 3, 4, &f), 1);
    assert_string_equal(f[0].value, "1");
    arena_free(a);
}

static void test_field_cap(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    http_field_t *f;
    str_t body = STR_INIT;
    for (int i = 0; i < HTTP_MAX_FORM_FIELDS; i++) str_addf(&body, "%sf%d=%d", i ? "&" : "", i, i);
    assert_int_equal(http_form_parse(a, body.buf, body.len, HTTP_MAX_FORM_FIELDS, &f), HTTP_MAX_FORM_FIELDS);
    assert_string_equal(f[HTTP_MAX_FORM_FIELDS - 1].name, "f255");
    size_t before = arena_size(a);
    str_adds(&body, "&one=more");
    arena_t *b = arena_new(0);
    size_t empty = arena_size(b);
    assert_int_equal(http_form_parse(b, body.buf, body.len, HTTP_MAX_FORM_FIELDS, &f), -1);
    assert_null(f);
    assert_int_equal(arena_size(b), empty);
    assert_true(before > 0);
    arena_free(b);
    str_release(&body);
    arena_free(a);
}

/* A 1 MB form is copied once: the arena grows by about the body's size, not
 * by a multiple of it (the old lookup copied the body again for each field). */
static void test_one_copy(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    http_field_t *f;
    str_t body = STR_INIT;
    str_adds(&body, "username=x&password=");
    for (int i = 0; i < 1024 * 1024; i++) str_addc(&body, 'p');
    size_t before = arena_size(a);
    assert_int_equal(http_form_parse(a, body.buf, body.len, HTTP_MAX_FORM_FIELDS, &f), 2);
    assert_true(arena_size(a) - before < body.len + 64 * 1024);
    assert_int_equal(strlen(f[1].value), 1024 * 1024);
    str_release(&body);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_in_order_decoded), cmocka_unit_test(test_body_is_not_changed),
        cmocka_unit_test(test_empty_and_malformed),     cmocka_unit_test(test_field_cap),
        cmocka_unit_test(test_one_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_directory.c — the directory's pure checks and identifiers
 * (src/directory/check.c, hsds.c): HSDS uuid-shaped ids round-trip and
 * refuse other kinds or shapes; e-mail, http(s) URL and RUNTS formats;
 * ISO 639 languages with their own names; the capabilities' roles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "directory/directory.h"
#include <string.h>

static void test_hsds_ids(void **state)
{
    (void)state;
    char id[37];
    hsds_id(HSDS_SERVICE, 42, id);
    assert_string_equal(id, "00000002-0000-4000-8000-00000000002a");
    assert_int_equal(hsds_id_parse(HSDS_SERVICE, id), 42);
    assert_int_equal(hsds_id_parse(HSDS_ORGANIZATION, id), 0);  /* another kind */
    assert_int_equal(hsds_id_parse(HSDS_SERVICE, "42"), 0);
    assert_int_equal(hsds_id_parse(HSDS_SERVICE, "00000002-0000-4000-8000-00000000002A"), 0); /* not as written */
    assert_int_equal(hsds_id_parse(HSDS_SERVICE, "00000002-0000-4000-8000-000000000000"), 0); /* no record 0 */
    assert_int_equal(hsds_id_parse(HSDS_SERVICE, NULL), 0);
    hsds_id(HSDS_LANGUAGE, 0xffffffffffffLL, id);
    assert_int_equal(hsds_id_parse(HSDS_LANGUAGE, id), 0xffffffffffffLL);
}

static void test_formats(void **state)
{
    (void)state;
    assert_true(dir_email_valid("ponte@example.org"));
    assert_false(dir_email_valid("ponte@example"));
    assert_false(dir_email_valid("@example.org"));
    assert_false(dir_email_valid("a@b@example.org"));
    assert_false(dir_email_valid("a b@example.org"));
    assert_true(dir_url_valid("https://ponte.example.org/chi-siamo"));
    assert_true(dir_url_valid("http://example.org"));
    assert_false(dir_url_valid("javascript:alert(1)"));
    assert_false(dir_url_valid("ftp://example.org"));
    assert_false(dir_url_valid("https://"));
    assert_false(dir_url_valid("https:///x"));
    assert_false(dir_url_valid("https://a b.org"));
    assert_true(dir_runts_valid("123456"));
    assert_false(dir_runts_valid(""));
    assert_false(dir_runts_valid("12-34"));
    assert_false(dir_runts_valid("1234567890123"));
}

static void test_languages(void **state)
{
    (void)state;
    assert_true(dir_language_ok("ar"));
    assert_true(dir_language_ok("wo"));
    assert_false(dir_language_ok("arabic"));
    assert_false(dir_language_ok("AR"));
    assert_string_equal(dir_language_name("ur"), "Urdu");
    assert_string_equal(dir_language_autonym("ar"), "العربية");
    assert_null(dir_language_autonym("xx"));
}

static void test_capabilities(void **state)
{
    (void)state;
    scope_t sc = {.role = ROLE_COORDINATOR};
    assert_true(scope_can(&sc, CAP_ASSOCIATION_REVIEW));
    assert_true(scope_can(&sc, CAP_SERVICE_MANAGE));
    assert_false(scope_can(&sc, CAP_ASSOCIATION_SELF));
    sc.role = ROLE_ASSOCIATION;
    assert_true(scope_can(&sc, CAP_ASSOCIATION_SELF));
    assert_false(scope_can(&sc, CAP_ASSOCIATION_REVIEW));
    assert_true(scope_can(&sc, CAP_WORKSPACE));
    sc.role = ROLE_OPERATOR;
    assert_false(scope_can(&sc, CAP_ASSOCIATION_REVIEW));
    assert_false(scope_can(&sc, CAP_SERVICE_MANAGE));
    sc.role = ROLE_EDITOR;
    assert_true(scope_can(&sc, CAP_SERVICE_MANAGE));
    assert_string_equal(role_name(ROLE_ASSOCIATION), "association");
    assert_int_equal(role_parse("association"), ROLE_ASSOCIATION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_hsds_ids), cmocka_unit_test(test_formats),
                                       cmocka_unit_test(test_languages), cmocka_unit_test(test_capabilities)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_access.c — the access rules that do not need a server: role
 * capabilities, subtree patterns, and the password policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include "app/auth.h"
#include "app/scope.h"
#include "desk/desk.h"

static scope_t make_scope(role_t role, const char *path)
{
    scope_t sc = scope_anonymous();
    sc.role = role;
    sc.user_id = 1;
    scope_set_path(&sc, path);
    return sc;
}

static void test_capabilities(void **state)
{
    (void)state;
    scope_t admin = make_scope(ROLE_ADMIN, "/1/"), coord = make_scope(ROLE_COORDINATOR, "/1/5/"),
            op = make_scope(ROLE_OPERATOR, "/1/5/"), region = make_scope(ROLE_REGION, "/1/"),
            anon = scope_anonymous();
    assert_true(scope_can(&admin, CAP_USER_MANAGE));
    assert_true(scope_can(&admin, CAP_ORG_MANAGE));
    assert_false(scope_can(&coord, CAP_USER_MANAGE));
    assert_true(scope_can(&coord, CAP_AUDIT_READ));
    assert_false(scope_can(&op, CAP_AUDIT_READ));
    assert_true(scope_can(&op, CAP_PERSON_READ));
    assert_false(scope_can(&region, CAP_PERSON_READ)); /* aggregates only */
    assert_false(scope_can(&anon, CAP_WORKSPACE));
    err_t e;
    assert_int_equal(scope_require(&anon, CAP_WORKSPACE, &e), -401);
    assert_int_equal(scope_require(&op, CAP_USER_MANAGE, &e), -403);
    assert_string_equal(e.code, "forbidden");
    assert_int_equal(scope_require(&admin, CAP_USER_MANAGE, &e), 0);
}

static void test_subtree(void **state)
{
    (void)state;
    scope_t coord = make_scope(ROLE_COORDINATOR, "/1/5/"), anon = scope_anonymous();
    assert_string_equal(scope_subtree_like(&coord), "/1/5/%");
    assert_true(scope_covers(&coord, "/1/5/"));
    assert_true(scope_covers(&coord, "/1/5/23/"));
    assert_false(scope_covers(&coord, "/1/"));
    assert_false(scope_covers(&coord, "/1/50/")); /* a sibling sharing a prefix digit */
    assert_false(scope_covers(&anon, "/1/5/"));
    assert_int_equal(strchr(scope_subtree_like(&anon), '/') == NULL, 1); /* matches no path */
}

static void test_roles(void **state)
{
    (void)state;
    assert_int_equal(role_parse("coordinator"), ROLE_COORDINATOR);
    assert_int_equal(role_parse("Coordinator"), ROLE_NONE);
    assert_int_equal(role_parse(NULL), ROLE_NONE);
    assert_string_equal(role_name(ROLE_TRANSLATOR), "translator");
}

static void test_password_policy(void **state)
{
    (void)state;
    const char *lists[] = {"data/common-passwords.txt", NULL};
    assert_true(auth_load_common_passwords(lists) > 10);
    err_t e;
    assert_int_equal(auth_check_password("short", "anna", &e), -422);
    assert_string_equal(e.field, "password");
    assert_string_equal(e.code, "password_too_short");
    assert_int_equal(auth_check_password("Password1234", "anna", &e), -422);
    assert_string_equal(e.code, "password_common");
    assert_int_equal(auth_check_password("Benvenuto2024!!", "anna", &e), -422); /* common word + digits */
    assert_int_equal(auth_check_password("aaaaaaaaaaaaaa", "anna", &e), -422);
    assert_int_equal(auth_check_password("123456789012345", "anna", &e), -422);
    assert_int_equal(auth_check_password("mariorossi-sportello", "mariorossi", &e), -422);
    assert_string_equal(e.code, "password_has_username");
    char too_long[200];
    memset(too_long, 'x', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0';
    too_long[5] = 'y';
    assert_int_equal(auth_check_password(too_long, "anna", &e), -422);
    assert_string_equal(e.code, "too_long");
    assert_int_equal(auth_check_password("vetro-lago-castagna-7", "anna", &e), 0);
    /* Twelve characters counted as characters, not bytes. */
    assert_int_equal(auth_check_password("àèìòùàèìòù", "anna", &e), -422);
    assert_int_equal(auth_check_password("àèìòùàèìòùxz", "anna", &e), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capabilities), cmocka_unit_test(test_subtree), cmocka_unit_test(test_roles),
        cmocka_unit_test(test_password_policy),
    };
    return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}

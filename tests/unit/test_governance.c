/* test_governance.c — the rules of governance without storage
 * (src/governance): a semester's first and last day (G7), and the budget
 * categories (G5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "governance/governance.h"
#include <string.h>

static void test_period_parse(void **state)
{
    (void)state;
    char from[11], to[11];
    assert_true(gov_period_parse("2026-S1", from, to));
    assert_string_equal(from, "2026-01-01");
    assert_string_equal(to, "2026-06-30");
    assert_true(gov_period_parse("2025-S2", from, to));
    assert_string_equal(from, "2025-07-01");
    assert_string_equal(to, "2025-12-31");
    const char *bad[] = {"2026-S3", "2026-S0", "26-S1", "2026S1", "2026-s1", "2026-S12", "0999-S1", "abcd-S1", "", NULL};
    for (int i = 0; bad[i]; i++) assert_false(gov_period_parse(bad[i], from, to));
    assert_false(gov_period_parse(NULL, from, to));
}

static void test_categories(void **state)
{
    (void)state;
    const char *const *c = gov_categories();
    size_t n = 0;
    for (; c[n]; n++) assert_true(gov_category_valid(c[n]));
    assert_int_equal(n, 9);
    assert_false(gov_category_valid("parties"));
    assert_false(gov_category_valid(""));
    assert_false(gov_category_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_parse),
        cmocka_unit_test(test_categories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_i18n_merge.c — module catalogues (locales/<module>/<lang>.po) merge
 * with the main one (locales/<lang>.po); the main catalogue wins on conflicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/i18n.h"

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_merge(void **state)
{
    (void)state;
    char dir[] = "/tmp/li-i18n-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[256];
    snprintf(p, sizeof p, "%s/it.po", dir);
    put(p, "msgid \"Log in\"\nmsgstr \"Accedi\"\n\nmsgid \"Shared\"\nmsgstr \"Principale\"\n");
    snprintf(p, sizeof p, "%s/desk", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/desk/it.po", dir);
    put(p, "msgid \"Person\"\nmsgstr \"Persona\"\n\nmsgid \"Shared\"\nmsgstr \"Modulo\"\n");
    snprintf(p, sizeof p, "%s/desk/uk.po", dir);
    put(p, "msgid \"Person\"\nmsgstr \"Особа\"\n");
    char err[256];
    const char *const modules[] = {"desk", NULL};
    i18n_t *in = i18n_load_dir(dir, modules, err, sizeof err);
    assert_non_null(in);
    assert_string_equal(i18n_get(in, "it", "Log in"), "Accedi");
    assert_string_equal(i18n_get(in, "it", "Person"), "Persona");
    assert_string_equal(i18n_get(in, "it", "Shared"), "Principale");
    assert_true(i18n_has(in, "uk")); /* a language only a module has */
    assert_string_equal(i18n_get(in, "uk", "Person"), "Особа");
    assert_string_equal(i18n_get(in, "uk", "Log in"), "Log in");
    i18n_free(in);
    /* A folder no module names is not read. */
    in = i18n_load_dir(dir, NULL, err, sizeof err);
    assert_non_null(in);
    assert_string_equal(i18n_get(in, "it", "Person"), "Person");
    i18n_free(in);
    /* A malformed module catalogue is an error naming its file. */
    snprintf(p, sizeof p, "%s/desk/it.po", dir);
    put(p, "msgid \"Person\"\nmsgstr Persona\n");
    assert_null(i18n_load_dir(dir, modules, err, sizeof err));
    assert_non_null(strstr(err, "desk/it.po"));
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_merge)};
    return cmocka_run_group_tests_name("i18n modules", tests, NULL, NULL);
}

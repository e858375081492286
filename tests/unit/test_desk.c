/* test_desk.c — unit tests of the help desk's pure functions: name folding
 * and phonetic keys (the search must find Mohamed as Muhammad), the search
 * query builder, codice fiscale check characters, dates and age bands, and
 * deadline computation from a rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "desk/desk.h"
#include <stdlib.h>
#include <string.h>

static void key(const char *word, const char *want)
{
    char folded[128], out[64];
    desk_fold(word, folded, sizeof folded);
    desk_phonetic(folded, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_fold(void **state)
{
    (void)state;
    char out[128];
    desk_fold("  Zoë  D'Angelo-Núñez ", out, sizeof out);
    assert_string_equal(out, "zoe dangelo nunez");
    desk_fold("Ołeksandr Ševčenko", out, sizeof out);
    assert_string_equal(out, "oleksandr sevcenko");
    desk_fold("Олена Шевченко", out, sizeof out);
    assert_string_equal(out, "olena shevchenko");
    desk_fold("محمد", out, sizeof out);
    assert_string_equal(out, "");
    desk_fold(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

static void test_phonetic(void **state)
{
    (void)state;
    const char *mhmd[] = {"Mohamed", "Mohammed", "Muhammad", "Mouhamed", "Mehmet", "Mohamad"};
    for (size_t i = 0; i < sizeof mhmd / sizeof mhmd[0]; i++) key(mhmd[i], "mhmd");
    key("Youssef", "asf");
    key("Yusuf", "asf");
    key("Cherif", "srf");
    key("Sharif", "srf");
    key("Aleksandr", "alksndr");
    key("Alexander", "alksndr");
    key("Olena", "aln");
    key("Elena", "aln");
    key("Abdelrahman", "abdlrhmn");
    key("", "a");
}

static void test_search_doc_and_query(void **state)
{
    (void)state;
    str_t doc = STR_INIT, q = STR_INIT;
    desk_search_doc("Mohamed", "El Amrani", "RSSMRA80A01H501U", "/1/4/23/", &doc);
    const char *d = str_cstr(&doc);
    assert_non_null(strstr(d, "mohamed pmhmd"));
    assert_non_null(strstr(d, "elamrani"));
    assert_non_null(strstr(d, "rssmra80a01h501u"));
    assert_non_null(strstr(d, "o1 o4 o23"));
    assert_non_null(strstr(d, "mohamed 1xmohamed 4xmohamed 23xmohamed pmhmd 1xpmhmd 4xpmhmd 23xpmhmd"));
    assert_int_equal(desk_search_query("Muhammad el", DB_SQLITE, 4, &q), 2);
    assert_string_equal(str_cstr(&q), "o4 AND (muhammad* OR pmhmd*) AND (el*)");
    str_reset(&q);
    assert_int_equal(desk_search_query("mo", DB_PG, 4, &q), 1);
    assert_string_equal(str_cstr(&q), "4xmo 4xmp");
    str_reset(&q);
    assert_int_equal(desk_search_query("Muhammad el", DB_PG, 4, &q), 2);
    assert_string_equal(str_cstr(&q), "4xmuhammad 4xmuhammae 4xpmhmd 4xpmhme\n4xel 4xem");
    str_reset(&q);
    /* Operators of the query languages never pass: only folded words do. */
    assert_int_equal(desk_search_query("\" OR * ;-- x", DB_SQLITE, 4, &q), 1);
    assert_string_equal(str_cstr(&q), "o4 AND (or*)");
    str_reset(&q);
    assert_int_equal(desk_search_query("* - ;", DB_SQLITE, 4, &q), 0);
    str_release(&doc);
    str_release(&q);
}

static void test_dup_keys(void **state)
{
    (void)state;
    char a1[128], a2[128], b1[128], b2[128];
    desk_dup_keys("Mohamed", "El Amrani", "1990-05-01", a1, a2, sizeof a1);
    desk_dup_keys("Muhammad", "Elamrani", "1990-05-01", b1, b2, sizeof b1);
    assert_string_equal(a1, b1);
    desk_dup_keys("Elamrani", "Muhammad", "1990-05-01", b1, b2, sizeof b1);
    assert_string_equal(a1, b2); /* given and family names swapped */
}

static void test_codice_fiscale(void **state)
{
    (void)state;
    assert_int_equal(desk_cf_check("RSSMRA80A01H501U"), 0);
    assert_int_equal(desk_cf_check("rssmra80a01h501u"), 0);
    assert_int_equal(desk_cf_check("RSSMRA80A01H501A"), -2);
    assert_int_equal(desk_cf_check("RSSMRA80Z01H501U"), -1); /* Z is no month */
    assert_int_equal(desk_cf_check("RSSMRAULA01H501U"), -2);  /* omocodia letters are accepted, check differs */
    assert_int_equal(desk_cf_check("12345678903"), 0);
    assert_int_equal(desk_cf_check("12345678901"), -2);
    assert_int_equal(desk_cf_check("ABC"), -1);
    assert_int_equal(desk_cf_check(NULL), -1);
}

static void test_dates(void **state)
{
    (void)state;
    char out[11];
    assert_true(date_valid("2024-02-29"));
    assert_false(date_valid("2023-02-29"));
    assert_false(date_valid("2023-2-01"));
    assert_int_equal(date_add("2025-01-31", 0, 1, 0, out), 0);
    assert_string_equal(out, "2025-02-28");
    assert_int_equal(date_add("2024-02-29", 1, 0, 0, out), 0);
    assert_string_equal(out, "2025-02-28");
    assert_int_equal(date_add("2025-03-05", 0, 0, 8, out), 0);
    assert_string_equal(out, "2025-03-13");
    assert_int_equal(date_add("2025-06-30", 0, 0, -60, out), 0);
    assert_string_equal(out, "2025-05-01");
    assert_string_equal(desk_age_band("2007-03-11", "2025-03-10"), "0-17");
    assert_string_equal(desk_age_band("2007-03-10", "2025-03-10"), "18-60");
    assert_string_equal(desk_age_band("1964-03-10", "2025-03-10"), "61+");
    assert_null(desk_age_band("x", "2025-03-10"));
    assert_true(desk_valid_phone("+39 333 123 4567"));
    assert_false(desk_valid_phone("call me"));
    assert_true(desk_valid_email("a.b@example.org"));
    assert_false(desk_valid_email("a@b"));
}

static void test_rule_deadlines(void **state)
{
    (void)state;
    const char *text =
        "{\"type\":\"t\",\"effective_from\":\"2024-01-01\",\"title\":{\"en\":\"T\"},"
        "\"facts\":[{\"code\":\"expiry\",\"type\":\"date\",\"required\":true,\"label\":{\"en\":\"E\"}},"
        "{\"code\":\"kind\",\"type\":\"enum\",\"values\":[\"a\",\"b\"],\"label\":{\"en\":\"K\"}},"
        "{\"code\":\"sent\",\"type\":\"date\",\"label\":{\"en\":\"S\"}}],"
        "\"deadlines\":[{\"code\":\"by\",\"kind\":\"due\",\"from\":\"expiry\",\"offset\":{\"days\":-60},"
        "\"offset_by\":{\"fact\":\"kind\",\"values\":{\"b\":{\"days\":-90}}},\"met_by\":\"sent\",\"label\":{\"en\":\"B\"}},"
        "{\"code\":\"y\",\"kind\":\"info\",\"from\":\"opened_on\",\"offset\":{\"years\":1},\"label\":{\"en\":\"Y\"}}],"
        "\"steps\":[],\"documents\":[],\"sources\":[{\"title\":\"law\"}]}";
    json_t *rule = json_loads(text, 0, NULL);
    err_t e = {0};
    assert_int_equal(desk_rule_validate(rule, &e), 0);
    json_t *facts = json_pack("{s:s}", "expiry", "2025-06-30");
    json_t *dl = desk_rule_deadlines(rule, facts, "2025-03-10", NULL);
    assert_int_equal(json_array_size(dl), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(dl, 0), "date")), "2025-05-01");
    assert_false(json_is_true(json_object_get(json_array_get(dl, 0), "met")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(dl, 1), "date")), "2026-03-10");
    json_decref(dl);
    json_object_set_new(facts, "kind", json_string("b"));
    json_object_set_new(facts, "sent", json_string("2025-03-01"));
    dl = desk_rule_deadlines(rule, facts, "2025-03-10", NULL);
    assert_string_equal(json_string_value(json_object_get(json_array_get(dl, 0), "date")), "2025-04-01");
    assert_true(json_is_true(json_object_get(json_array_get(dl, 0), "met")));
    json_decref(dl);
    assert_int_equal(desk_rule_check_facts(rule, facts, &e), 0);
    json_object_set_new(facts, "kind", json_string("c"));
    assert_int_equal(desk_rule_check_facts(rule, facts, &e), -422);
    assert_string_equal(e.field, "facts.kind");
    json_object_del(facts, "kind");
    json_object_del(facts, "expiry");
    assert_int_equal(desk_rule_check_facts(rule, facts, &e), -422);
    assert_string_equal(e.field, "facts.expiry");
    json_object_set_new(json_array_get(json_object_get(rule, "deadlines"), 0), "from", json_string("nowhere"));
    assert_int_equal(desk_rule_validate(rule, &e), -422);
    json_decref(facts);
    json_decref(rule);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),         cmocka_unit_test(test_phonetic), cmocka_unit_test(test_search_doc_and_query),
        cmocka_unit_test(test_dup_keys),     cmocka_unit_test(test_codice_fiscale), cmocka_unit_test(test_dates),
        cmocka_unit_test(test_rule_deadlines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

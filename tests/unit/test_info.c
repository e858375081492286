/* test_info.c — unit tests of qualified information's pure parts: safe
 * Markdown (rule I4: no raw HTML, no javascript: links), the line diff
 * between revisions, the vocabularies, and core/pdfdoc's output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/pdfdoc.h"
#include "info/internal.h"
#include <stdlib.h>
#include <string.h>

static void test_markdown_is_safe(void **state)
{
    (void)state;
    char *h = info_markdown("# T\n\n<script>alert(1)</script>\n\n<b onclick=x>b</b> [a](javascript:alert(2)) "
                            "[v](vbscript:x) ![i](data:text/html,x) [ok](https://example.org) **s**");
    assert_non_null(h);
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "onclick"));
    assert_null(strstr(h, "javascript:"));
    assert_null(strstr(h, "vbscript:"));
    assert_null(strstr(h, "<b"));
    assert_non_null(strstr(h, "<h1>T</h1>"));
    assert_non_null(strstr(h, "href=\"https://example.org\""));
    assert_non_null(strstr(h, "<strong>s</strong>"));
    free(h);
}

/* The diff as "op:text|op:text|...". */
static char *diff_str(const char *a, const char *b)
{
    json_t *d = info_line_diff(a, b);
    char *out = calloc(1, 1024);
    size_t i;
    json_t *l;
    json_array_foreach(d, i, l) {
        strcat(out, json_string_value(json_object_get(l, "op")));
        strcat(out, ":");
        strcat(out, json_string_value(json_object_get(l, "text")));
        strcat(out, "|");
    }
    json_decref(d);
    return out;
}

static void test_line_diff(void **state)
{
    (void)state;
    char *s = diff_str("a\nb\nc", "a\nB\nc\nd");
    assert_string_equal(s, "same:a|del:b|add:B|same:c|add:d|");
    free(s);
    s = diff_str("", "x");
    assert_string_equal(s, "del:|add:x|");
    free(s);
    s = diff_str("same", "same");
    assert_string_equal(s, "same:same|");
    free(s);
}

static void test_vocabularies(void **state)
{
    (void)state;
    assert_true(info_category_valid("language_courses"));
    assert_false(info_category_valid("cooking"));
    assert_false(info_category_valid(NULL));
    assert_true(info_lang_valid("ur"));
    assert_false(info_lang_valid("it")); /* the source, not a translation */
}

static void test_pdfdoc_makes_a_pdf(void **state)
{
    (void)state;
    pdfdoc_t *d = pdfdoc_new("ar");
    assert_non_null(d);
    pdfdoc_title(d, "تجديد تصريح الإقامة");
    pdfdoc_paragraph(d, "جواز سفر ساري المفعول");
    const char *cells[] = {"a", "b", "1", "2"};
    pdfdoc_table(d, 2, 2, cells);
    assert_int_equal(pdfdoc_image(d, (const unsigned char *)"not a png", 9, 100), -1);
    pdfdoc_note(d, "note");
    char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(pdfdoc_finish(d, &pdf, &len), 0);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markdown_is_safe),
        cmocka_unit_test(test_line_diff),
        cmocka_unit_test(test_vocabularies),
        cmocka_unit_test(test_pdfdoc_makes_a_pdf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

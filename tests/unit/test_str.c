/* test_str.c — unit tests of the growable buffer and the escapers
 * (src/core/str.c).
 *
 * The escapers guard every page and URL we write: these tests pin their
 * exact output byte for byte. They must never accept "looks escaped" as a
 * pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/str.h"
#include "core/strtab.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_empty(void **state)
{
    (void)state;
    str_t s = STR_INIT;
    assert_null(s.buf);
    assert_string_equal(str_cstr(&s), "");
    str_reset(&s);
    assert_int_equal(s.len, 0);
    str_addf(&s, "%s", "");
    assert_int_equal(s.len, 0);
    assert_string_equal(str_cstr(&s), "");
    str_release(&s);
    str_init(&s);
    size_t n = 99;
    char *p = str_detach(&s, &n);
    assert_non_null(p);
    assert_string_equal(p, "");
    assert_int_equal(n, 0);
    free(p);
}

static void test_add(void **state)
{
    (void)state;
    str_t s = STR_INIT;
    str_adds(&s, "abc");
    str_addc(&s, '-');
    str_add(&s, "xyz", 2);
    str_add(&s, "ignored", 0);
    str_addf(&s, "[%d|%s|%.2f]", -5, "ok", 1.005);
    assert_string_equal(str_cstr(&s), "abc-xy[-5|ok|1.00]");
    assert_int_equal(s.len, strlen("abc-xy[-5|ok|1.00]"));
    assert_int_equal(s.buf[s.len], '\0');
    /* Bytes after a NUL are kept: the buffer is binary-safe. */
    str_add(&s, "a\0b", 3);
    assert_int_equal(s.len, 21);
    assert_memory_equal(s.buf + 18, "a\0b", 3);
    size_t cap = s.cap;
    str_reset(&s);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.cap, cap);
    assert_string_equal(str_cstr(&s), "");
    str_release(&s);
    assert_null(s.buf);
    assert_int_equal(s.cap, 0);
}

static void test_growth(void **state)
{
    (void)state;
    str_t s = STR_INIT;
    for (int i = 0; i < 10000; i++) str_addf(&s, "%04d,", i % 10000);
    assert_int_equal(s.len, 50000);
    assert_true(s.cap > s.len);
    assert_memory_equal(s.buf + 5 * 1234, "1234,", 5);
    /* A formatted piece far longer than the initial capacity. */
    str_t t = STR_INIT;
    str_addf(&t, "%s|%0500d", "x", 7);
    assert_int_equal(t.len, 502);
    assert_int_equal(t.buf[501], '7');
    size_t n;
    char *p = str_detach(&t, &n);
    assert_int_equal(n, 502);
    assert_null(t.buf);
    assert_int_equal(t.len, 0);
    free(p);
    str_grow(&s, 1 << 20);
    assert_true(s.cap >= s.len + (1 << 20) + 1);
    str_release(&s);
}

static void test_html(void **state)
{
    (void)state;
    str_t s = STR_INIT;
    const char *in = "& < > \" ' ` plain";
    str_add_html(&s, in, strlen(in));
    assert_string_equal(str_cstr(&s), "&amp; &lt; &gt; &quot; &#39; &#96; plain");
    str_reset(&s);
    str_add_html(&s, "<<>>", 4);
    assert_string_equal(str_cstr(&s), "&lt;&lt;&gt;&gt;");
    str_reset(&s);
    /* Only n bytes are read; UTF-8 passes through untouched. */
    str_add_html(&s, "città<tail", 6);
    assert_string_equal(str_cstr(&s), "città");
    str_reset(&s);
    str_add_html(&s, "", 0);
    assert_string_equal(str_cstr(&s), "");
    str_add_html(&s, "a\0<", 3);
    assert_int_equal(s.len, 6);
    assert_memory_equal(s.buf, "a\0&lt;", 6);
    str_release(&s);
}

static void test_urlenc(void **state)
{
    (void)state;
    str_t s = STR_INIT;
    str_add_urlenc(&s, "AZaz09-_.~");
    assert_string_equal(str_cstr(&s), "AZaz09-_.~");
    str_reset(&s);
    str_add_urlenc(&s, "a b&c=d/e?f#g+h%i");
    assert_string_equal(str_cstr(&s), "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i");
    str_reset(&s);
    str_add_urlenc(&s, "è\xff\x01");
    assert_string_equal(str_cstr(&s), "%C3%A8%FF%01");
    str_reset(&s);
    str_add_urlenc(&s, "");
    assert_string_equal(str_cstr(&s), "");
    str_release(&s);
}

/* Decodes `in` (copied); returns the result or NULL when it was refused. */
static char *decode(const char *in, int plus, long *rc)
{
    static char buf[256];
    size_t n = strlen(in);
    memcpy(buf, in, n + 1);
    *rc = url_decode(buf, n, plus);
    return *rc < 0 ? NULL : buf;
}

static void test_url_decode(void **state)
{
    (void)state;
    long rc;
    assert_string_equal(decode("a%20b", 0, &rc), "a b");
    assert_int_equal(rc, 3);
    assert_string_equal(decode("%41%42%43", 0, &rc), "ABC");
    assert_string_equal(decode("%c3%A8", 0, &rc), "è");
    assert_int_equal(rc, 2);
    assert_string_equal(decode("a+b", 1, &rc), "a b");
    assert_string_equal(decode("a+b", 0, &rc), "a+b");
    assert_string_equal(decode("%2B", 1, &rc), "+");
    assert_string_equal(decode("", 0, &rc), "");
    assert_int_equal(rc, 0);
    assert_string_equal(decode("plain", 0, &rc), "plain");
    static const char *bad[] = {"%", "%4", "%zz", "%00", "%4g", "%g4", "100%", "ab%2", "%%41", "x%0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (decode(bad[i], 1, &rc)) fail_msg("'%s' was accepted", bad[i]);
        assert_int_equal(rc, -1);
    }
    /* Only the first n bytes are decoded. */
    char buf[] = "%41%42";
    assert_int_equal(url_decode(buf, 3, 0), 1);
    assert_string_equal(buf, "A");
}

/* strtab: 1,000 keys through several growths, each found again; a second
 * set on a key's slot replaces its value; an absent key gives NULL. */
static void test_strtab(void **state)
{
    (void)state;
    static char keys[1000][16];
    strtab_t t;
    strtab_init(&t);
    for (int i = 0; i < 1000; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        size_t slot = strtab_slot(&t, keys[i]);
        assert_null(t.tab[slot].key);
        strtab_set(&t, slot, keys[i], keys[i]);
    }
    assert_int_equal(t.used, 1000);
    assert_true(t.cap >= 2000);
    for (int i = 0; i < 1000; i++) assert_ptr_equal(strtab_get(&t, keys[i]), keys[i]);
    strtab_set(&t, strtab_slot(&t, "k7"), "k7", keys[8]);
    assert_ptr_equal(strtab_get(&t, "k7"), keys[8]);
    assert_int_equal(t.used, 1000);
    assert_null(strtab_get(&t, "absent"));
    strtab_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strtab), cmocka_unit_test(test_empty),  cmocka_unit_test(test_add),    cmocka_unit_test(test_growth),
        cmocka_unit_test(test_html),   cmocka_unit_test(test_urlenc), cmocka_unit_test(test_url_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_csv.c — unit tests of the CSV reader and writer (src/core/csv.c).
 * The reader feeds imports of personal data: every malformed record must be
 * refused with its line, never half-read. The writer feeds exports opened in
 * spreadsheets: the formula guard is pinned byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/csv.h"
#include <stdlib.h>
#include <string.h>

/* Reads all of `data` into "a|b|c\n" lines; returns the last csv_read code. */
static int slurp(const char *data, char delim, str_t *out, csv_reader_t *r)
{
    csv_reader_init(r, data, strlen(data), delim);
    int rc;
    while ((rc = csv_read(r)) == 1) {
        for (size_t i = 0; i < csv_nfields(r); i++) {
            if (i) str_addc(out, '|');
            str_adds(out, csv_field(r, i));
        }
        str_addc(out, '\n');
    }
    return rc;
}

static void expect(const char *data, char delim, const char *want)
{
    str_t s = STR_INIT;
    csv_reader_t r;
    int rc = slurp(data, delim, &s, &r);
    assert_int_equal(rc, 0);
    assert_string_equal(str_cstr(&s), want);
    csv_reader_release(&r);
    str_release(&s);
}

static void expect_error(const char *data, size_t line, const char *fragment)
{
    str_t s = STR_INIT;
    csv_reader_t r;
    int rc = slurp(data, 0, &s, &r);
    assert_int_equal(rc, -1);
    assert_int_equal(r.line, line);
    assert_non_null(strstr(r.err, fragment));
    csv_reader_release(&r);
    str_release(&s);
}

static void test_simple(void **state)
{
    (void)state;
    expect("a,b,c\n1,2,3\n", 0, "a|b|c\n1|2|3\n");
    expect("a,b,c\r\n1,2,3", 0, "a|b|c\n1|2|3\n");
    expect("", 0, "");
    expect("\n\n", 0, "");
    expect("x\n\n\ny\n", 0, "x\ny\n");
    expect("a,,c\n,\n", 0, "a||c\n|\n");
}

static void test_quotes(void **state)
{
    (void)state;
    expect("\"a,b\",\"say \"\"hi\"\"\",c\n", 0, "a,b|say \"hi\"|c\n");
    expect("\"multi\nline\",x\nnext,y\n", 0, "multi\nline|x\nnext|y\n");
    expect("\"\",\"\"\n", 0, "|\n");
    expect("\"a\" ,b\n", 0, "a|b\n");
}

static void test_delimiters(void **state)
{
    (void)state;
    expect("nome;cognome;data\nAli;Ben Salah;1990-01-02\n", 0, "nome|cognome|data\nAli|Ben Salah|1990-01-02\n");
    expect("a\tb\n1\t2\n", 0, "a|b\n1|2\n");
    expect("\"x;y\",z\n", 0, "x;y|z\n");
    expect("a;b,c\n", ';', "a|b,c\n");
    expect("\xEF\xBB\xBFid;name\n1;Zoë\n", 0, "id|name\n1|Zoë\n");
}

static void test_line_numbers(void **state)
{
    (void)state;
    csv_reader_t r;
    const char *data = "h1,h2\n\"two\nlines\",x\n\nlast,y\n";
    csv_reader_init(&r, data, strlen(data), 0);
    assert_int_equal(csv_read(&r), 1);
    assert_int_equal(r.line, 1);
    assert_int_equal(csv_read(&r), 1);
    assert_int_equal(r.line, 2);
    assert_int_equal(csv_read(&r), 1);
    assert_int_equal(r.line, 5);
    assert_string_equal(csv_field(&r, 0), "last");
    assert_string_equal(csv_field(&r, 9), "");
    assert_int_equal(r.record, 3);
    assert_int_equal(csv_read(&r), 0);
    csv_reader_release(&r);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_error("a,b\n\"open,x\n", 2, "not closed");
    expect_error("a,b\nx\"y,z\n", 2, "quote");
    expect_error("a\n\"x\"y,z\n", 2, "after a closing quote");
    char nul[] = "a,b\nc,d\n";
    nul[5] = '\0';
    csv_reader_t r;
    csv_reader_init(&r, nul, 8, ',');
    assert_int_equal(csv_read(&r), 1);
    assert_int_equal(csv_read(&r), -1);
    assert_non_null(strstr(r.err, "NUL"));
    csv_reader_release(&r);
}

static void test_limits(void **state)
{
    (void)state;
    str_t big = STR_INIT;
    for (int i = 0; i < CSV_MAX_FIELDS + 1; i++) str_adds(&big, i ? ",x" : "x");
    csv_reader_t r;
    csv_reader_init(&r, big.buf, big.len, ',');
    assert_int_equal(csv_read(&r), -1);
    assert_non_null(strstr(r.err, "too many"));
    csv_reader_release(&r);
    str_reset(&big);
    for (size_t i = 0; i <= CSV_MAX_FIELD; i++) str_addc(&big, 'y');
    csv_reader_init(&r, big.buf, big.len, ',');
    assert_int_equal(csv_read(&r), -1);
    assert_non_null(strstr(r.err, "too long"));
    csv_reader_release(&r);
    str_release(&big);
}

static void test_writer(void **state)
{
    (void)state;
    str_t s = STR_INIT;
    const char *row[] = {"plain", "with,comma", "say \"x\"", NULL, "two\nlines", "=SUM(A1)", "-5", " pad"};
    csv_add_row(&s, row, 8, ',', 0);
    assert_string_equal(str_cstr(&s),
                        "plain,\"with,comma\",\"say \"\"x\"\"\",,\"two\nlines\",\"'=SUM(A1)\",\"'-5\",\" pad\"\r\n");
    str_reset(&s);
    csv_add_row(&s, row + 6, 1, ';', CSV_RAW);
    assert_string_equal(str_cstr(&s), "-5\r\n");
    str_reset(&s);
    const char *semi[] = {"a;b", "@x", "+1"};
    csv_add_row(&s, semi, 3, ';', 0);
    assert_string_equal(str_cstr(&s), "\"a;b\";\"'@x\";\"'+1\"\r\n");
    str_release(&s);
}

static void test_round_trip(void **state)
{
    (void)state;
    const char *vals[] = {"", "a", "a,b", "\"", "x\r\ny", "ä€😀", "  "};
    str_t s = STR_INIT;
    csv_add_row(&s, vals, 7, ',', CSV_RAW);
    csv_add_row(&s, vals, 7, ',', CSV_RAW);
    csv_reader_t r;
    csv_reader_init(&r, s.buf, s.len, ',');
    for (int rec = 0; rec < 2; rec++) {
        assert_int_equal(csv_read(&r), 1);
        assert_int_equal(csv_nfields(&r), 7);
        for (int i = 0; i < 7; i++) assert_string_equal(csv_field(&r, (size_t)i), vals[i]);
    }
    assert_int_equal(csv_read(&r), 0);
    csv_reader_release(&r);
    str_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),   cmocka_unit_test(test_quotes),  cmocka_unit_test(test_delimiters),
        cmocka_unit_test(test_line_numbers), cmocka_unit_test(test_malformed), cmocka_unit_test(test_limits),
        cmocka_unit_test(test_writer),   cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

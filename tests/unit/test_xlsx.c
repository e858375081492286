/* test_xlsx.c — unit tests of the spreadsheet writer (src/core/xlsx.c): the
 * output is a zip holding the worksheet, text stays text, no temporary file
 * is left behind, and a 10,000-row workbook opens in a real spreadsheet
 * reader (openpyxl through tests/tools/xlsx_dump.py; run from the top folder,
 * as `make unit` does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/xlsx.h"
#include <jansson.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/li-xlsx-test-XXXXXX";

static int count_files(void)
{
    DIR *d = opendir(tmpdir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    if (d) closedir(d);
    return n;
}

/* Extracts a member of the zip with unzip(1) when available. */
static char *member(const str_t *zip, const char *name)
{
    char path[256], cmd[600];
    snprintf(path, sizeof path, "%s/out.xlsx", tmpdir);
    FILE *f = fopen(path, "wb");
    fwrite(zip->buf, 1, zip->len, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "unzip -p %s %s 2>/dev/null", path, name);
    FILE *p = popen(cmd, "r");
    str_t s = STR_INIT;
    char buf[4096];
    size_t n;
    while (p && (n = fread(buf, 1, sizeof buf, p)) > 0) str_add(&s, buf, n);
    if (p) pclose(p);
    unlink(path);
    size_t len;
    return str_detach(&s, &len);
}

static void test_workbook(void **state)
{
    (void)state;
    xlsx_t *x = xlsx_new();
    assert_non_null(x);
    assert_int_equal(count_files(), 1); /* the private temporary file */
    assert_int_equal(xlsx_sheet(x, "Registro: 2025/1"), 0);
    const char *head[] = {"Date", "Topic", "Minutes"};
    assert_int_equal(xlsx_header(x, head, 3), 0);
    assert_int_equal(xlsx_row(x), 1);
    assert_int_equal(xlsx_date(x, 0, "2025-03-01"), 0);
    assert_int_equal(xlsx_text(x, 1, "=HYPERLINK(\"x\")"), 0);
    assert_int_equal(xlsx_number(x, 2, 20), 0);
    assert_int_equal(xlsx_next_row(x), 0);
    assert_int_equal(xlsx_date(x, 0, "not a date"), 0);
    assert_int_equal(xlsx_text(x, 1, "bad \xff byte"), 0);
    assert_int_equal(xlsx_text(x, 2, NULL), 0);
    str_t out = STR_INIT;
    assert_int_equal(xlsx_finish(x, &out), 0);
    assert_true(out.len > 100);
    assert_memory_equal(out.buf, "PK\x03\x04", 4);
    assert_int_equal(count_files(), 0);
    if (system("command -v unzip >/dev/null 2>&1") == 0) {
        char *sheet = member(&out, "xl/worksheets/sheet1.xml");
        assert_non_null(strstr(sheet, "HYPERLINK"));
        assert_null(strstr(sheet, "<f>")); /* never a formula */
        assert_non_null(strstr(sheet, "bad \xef\xbf\xbd byte"));
        assert_non_null(strstr(sheet, "pane"));
        free(sheet);
        char *wb = member(&out, "xl/workbook.xml");
        assert_non_null(strstr(wb, "Registro_ 2025_1"));
        free(wb);
    }
    str_release(&out);
}

static void test_free_and_errors(void **state)
{
    (void)state;
    xlsx_t *x = xlsx_new();
    assert_non_null(x);
    assert_int_equal(xlsx_text(x, 0, "no sheet yet"), -1);
    xlsx_free(x);
    assert_int_equal(count_files(), 0);
    xlsx_free(NULL);
    x = xlsx_new();
    str_t out = STR_INIT;
    assert_int_equal(xlsx_finish(x, &out), 0); /* an empty workbook gets one sheet */
    assert_true(out.len > 0);
    assert_int_equal(count_files(), 0);
    str_release(&out);
}

/* The text and date of row i of the big workbook. */
static void big_cells(int i, char text[32], char date[16])
{
    snprintf(text, 32, "riga %d è", i);
    snprintf(date, 16, "2026-%02d-%02d", 1 + i % 12, 1 + i % 28);
}

/* 10,000 rows of a number, a text, a date and a fraction, read back with
 * openpyxl (Debian's python3-openpyxl): every row there, values typed. */
static void test_big_workbook_in_openpyxl(void **state)
{
    (void)state;
    enum { ROWS = 10000 };
    xlsx_t *x = xlsx_new();
    assert_non_null(x);
    const char *head[] = {"n", "text", "date", "value"};
    assert_int_equal(xlsx_sheet(x, "Big"), 0);
    assert_int_equal(xlsx_header(x, head, 4), 0);
    for (int i = 0; i < ROWS; i++) {
        char text[32], date[16];
        big_cells(i, text, date);
        assert_int_equal(xlsx_number(x, 0, i) || xlsx_text(x, 1, text) || xlsx_date(x, 2, date) ||
                             xlsx_number(x, 3, i * 0.5) || xlsx_next_row(x),
                         0);
    }
    str_t out = STR_INIT;
    assert_int_equal(xlsx_finish(x, &out), 0);
    char path[256], cmd[600];
    snprintf(path, sizeof path, "%s/big.xlsx", tmpdir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(out.buf, 1, out.len, f), out.len);
    fclose(f);
    str_release(&out);
    if (access("/usr/bin/python3", X_OK) != 0) fail_msg("/usr/bin/python3 with python3-openpyxl is needed (scripts/deps.sh)");
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 tests/tools/xlsx_dump.py < %s", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    str_t js = STR_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) str_add(&js, buf, n);
    int st = pclose(p);
    unlink(path);
    if (st != 0) fail_msg("xlsx_dump.py exited %d: openpyxl missing (3) or the workbook unreadable (1)", WEXITSTATUS(st));
    json_error_t e;
    json_t *book = json_loadb(js.buf, js.len, 0, &e);
    str_release(&js);
    assert_non_null(book);
    json_t *sheet = json_array_get(json_object_get(book, "sheets"), 0);
    assert_string_equal(json_string_value(json_object_get(sheet, "name")), "Big");
    json_t *rows = json_object_get(sheet, "rows");
    assert_int_equal(json_array_size(rows), ROWS + 1);
    assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 3)), "value");
    for (int i = 0; i < ROWS; i += 1111) {
        json_t *r = json_array_get(rows, (size_t)i + 1);
        char text[32], date[16];
        big_cells(i, text, date);
        assert_true(json_is_integer(json_array_get(r, 0)));
        assert_int_equal(json_integer_value(json_array_get(r, 0)), i);
        assert_string_equal(json_string_value(json_array_get(r, 1)), text);
        assert_string_equal(json_string_value(json_array_get(r, 2)), date);
        assert_true(json_number_value(json_array_get(r, 3)) == i * 0.5);
    }
    json_t *last = json_array_get(rows, ROWS);
    assert_int_equal(json_integer_value(json_array_get(last, 0)), ROWS - 1);
    assert_true(json_real_value(json_array_get(last, 3)) == (ROWS - 1) * 0.5);
    json_decref(book);
    assert_int_equal(count_files(), 0);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(tmpdir)) return -1;
    setenv("TMPDIR", tmpdir, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_workbook), cmocka_unit_test(test_free_and_errors),
                                       cmocka_unit_test(test_big_workbook_in_openpyxl)};
    return cmocka_run_group_tests(tests, setup, teardown);
}

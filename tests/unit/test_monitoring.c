/* test_monitoring.c — the open data's disclosure control
 * (src/monitoring/suppress.c, mon_suppress): cells under the threshold are
 * hidden, and complementary cells so that no row, column or total gives a
 * hidden one away by subtraction; totals under the threshold are hidden
 * too; what another table hides stays hidden; and the semesters of the
 * dashboards' trend. Expected hidden cells are worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "monitoring/monitoring.h"
#include <stdlib.h>
#include <string.h>

/* Every line of the table extended by its totals holds none or at least two
 * hidden entries, and every entry 0 < n < 5 is hidden. */
static void assert_protected(const long *v, int rows, int cols, const bool *h, const bool *rh, const bool *ch, bool gh)
{
    long rt[16] = {0}, ct[16] = {0}, g = 0;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            long n = v[r * cols + c];
            rt[r] += n, ct[c] += n, g += n;
            if (n > 0 && n < 5) assert_true(h[r * cols + c]);
        }
    for (int r = 0; r < rows; r++) {
        if (rt[r] > 0 && rt[r] < 5) assert_true(rh[r]);
        int k = rh[r];
        for (int c = 0; c < cols; c++) k += h[r * cols + c];
        assert_true(k == 0 || k >= 2);
    }
    for (int c = 0; c < cols; c++) {
        if (ct[c] > 0 && ct[c] < 5) assert_true(ch[c]);
        int k = ch[c];
        for (int r = 0; r < rows; r++) k += h[r * cols + c];
        assert_true(k == 0 || k >= 2);
    }
    int k = gh;
    for (int c = 0; c < cols; c++) k += ch[c];
    assert_true(k == 0 || k >= 2);
    k = gh;
    for (int r = 0; r < rows; r++) k += rh[r];
    assert_true(k == 0 || k >= 2);
}

static void nothing_small_nothing_hidden(void **state)
{
    (void)state;
    long v[] = {10, 20, 30, 0, 40, 50};
    bool h[6] = {false}, rh[2] = {false}, ch[3] = {false}, gh = false;
    assert_int_equal(mon_suppress(v, 2, 3, 5, h, rh, ch, &gh), 0);
    for (int i = 0; i < 6; i++) assert_false(h[i]);
}

/* One small cell (3): its row's smallest other cell (40) and its column's
 * (10) are hidden; then 40's column needs one more (20), which also makes
 * row 0 hold two. A rectangle of four; the totals stay published. */
static void one_small_cell_makes_a_rectangle(void **state)
{
    (void)state;
    long v[] = {10, 20, 30, 3, 40, 50, 60, 70, 80};
    bool h[9] = {false}, rh[3] = {false}, ch[3] = {false}, gh = false;
    assert_int_equal(mon_suppress(v, 3, 3, 5, h, rh, ch, &gh), 4);
    bool want[9] = {true, true, false, true, true, false, false, false, false};
    for (int i = 0; i < 9; i++) assert_int_equal(h[i], want[i]);
    for (int i = 0; i < 3; i++) assert_false(rh[i] || ch[i]);
    assert_false(gh);
    assert_protected(v, 3, 3, h, rh, ch, gh);
}

/* Row 0 (1, 2) totals 3: the cells and the row total are primary. The
 * columns then need (10) and (10) of row 1; the totals' column holds one
 * hidden (3), so row 1's total (20) is hidden before the grand total (23). */
static void a_small_total_is_hidden_and_complemented(void **state)
{
    (void)state;
    long v[] = {1, 2, 10, 10};
    bool h[4] = {false}, rh[2] = {false}, ch[2] = {false}, gh = false;
    mon_suppress(v, 2, 2, 5, h, rh, ch, &gh);
    for (int i = 0; i < 4; i++) assert_true(h[i]);
    assert_true(rh[0]);
    assert_true(rh[1]);
    assert_false(ch[0] || ch[1]);
    assert_false(gh);
    assert_protected(v, 2, 2, h, rh, ch, gh);
}

/* A zero is no disclosure: never primary, and taken as a complement only
 * when nothing else is left (a row of one small cell and zeros takes its
 * total). */
static void zeros_are_neither_primary_nor_preferred(void **state)
{
    (void)state;
    long v[] = {0, 0, 0, 3, 0, 8, 12, 9, 7};
    bool h[9] = {false}, rh[3] = {false}, ch[3] = {false}, gh = false;
    mon_suppress(v, 3, 3, 5, h, rh, ch, &gh);
    assert_false(h[0] || h[1] || h[2]);
    assert_true(h[3]);
    assert_true(h[5]); /* 8, not the zero beside it */
    assert_false(h[4]);
    assert_protected(v, 3, 3, h, rh, ch, gh);
}

/* A total another table of the same figures hides stays hidden, and is
 * complemented like any other. */
static void what_the_caller_hides_stays_hidden(void **state)
{
    (void)state;
    long v[] = {10, 20, 30, 40};
    bool h[4] = {false}, rh[2] = {true, false}, ch[2] = {false}, gh = false;
    mon_suppress(v, 2, 2, 5, h, rh, ch, &gh);
    assert_true(rh[0]);
    assert_protected(v, 2, 2, h, rh, ch, gh);
    int row0 = h[0] + h[1];
    assert_true(row0 >= 1); /* row 0 holds its total and at least one cell */
}

/* Random tables: the two properties always hold. */
static void random_tables_are_protected(void **state)
{
    (void)state;
    srand(20261202);
    for (int t = 0; t < 2000; t++) {
        int rows = 1 + rand() % 8, cols = 1 + rand() % 6;
        long v[48];
        for (int i = 0; i < rows * cols; i++) v[i] = rand() % 3 == 0 ? rand() % 5 : rand() % 40;
        bool h[48] = {false}, rh[8] = {false}, ch[6] = {false}, gh = false;
        assert_true(mon_suppress(v, rows, cols, 5, h, rh, ch, &gh) >= 0);
        assert_protected(v, rows, cols, h, rh, ch, gh);
    }
}

static void semesters(void **state)
{
    (void)state;
    json_t *a = json_array();
    mon_semesters("2025-09-25", "2026-12-01", 6, a);
    assert_int_equal(json_array_size(a), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "period")), "2025-S2");
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 1), "from")), "2026-01-01");
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 1), "to")), "2026-06-30");
    json_array_clear(a);
    mon_semesters("2020-01-01", "2026-03-01", 4, a); /* the last four */
    assert_int_equal(json_array_size(a), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "period")), "2024-S2");
    json_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_small_nothing_hidden),
        cmocka_unit_test(one_small_cell_makes_a_rectangle),
        cmocka_unit_test(a_small_total_is_hidden_and_complemented),
        cmocka_unit_test(zeros_are_neither_primary_nor_preferred),
        cmocka_unit_test(what_the_caller_hides_stays_hidden),
        cmocka_unit_test(random_tables_are_protected),
        cmocka_unit_test(semesters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

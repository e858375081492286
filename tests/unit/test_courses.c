/* test_courses.c — the course rules that need no database
 * (src/courses/rules.c): the attendance arithmetic of rule C5 (present and
 * late count, excused and absent do not; only sessions held count), the
 * warning after three sessions, the weekly pattern of sessions skipping the
 * national holidays of data/courses/holidays.json, the code lists, times of
 * the day and the initials a verified certificate shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/date.h"
#include "courses/courses.h"
#include <stdlib.h>
#include <string.h>

#define MON (1u << 1)
#define WED (1u << 3)

static int64_t day(const char *s)
{
    int y, m, d;
    assert_true(date_parse(s, &y, &m, &d));
    return civil_to_days(y, m, d);
}

static void test_attendance_pct(void **state)
{
    (void)state;
    assert_true(crs_attendance_pct(3, 0, 4) == 75.0);    /* 3 present of 4 held */
    assert_true(crs_attendance_pct(2, 1, 4) == 75.0);    /* late counts as present */
    assert_true(crs_attendance_pct(0, 0, 0) == 0.0);     /* nothing held yet */
    assert_true(crs_attendance_pct(5, 5, 10) == 100.0);
    double third = crs_attendance_pct(1, 0, 3);
    assert_true(third > 33.33 && third < 33.34);
}

static void test_warning_after_three_sessions(void **state)
{
    (void)state;
    assert_false(crs_attendance_warns(0, 0, 2, 80)); /* two sessions: too early to say */
    assert_true(crs_attendance_warns(2, 0, 3, 80));  /* 66.7 % < 80 % */
    assert_false(crs_attendance_warns(3, 0, 3, 80));
    assert_false(crs_attendance_warns(3, 1, 5, 80)); /* exactly the minimum is enough */
    assert_true(crs_attendance_warns(3, 0, 5, 61));
}

static void test_weekly_pattern_skips_holidays(void **state)
{
    (void)state;
    int64_t holidays[] = {day("2026-04-05"), day("2026-04-06"), day("2026-04-25")};
    int64_t out[32];
    size_t skipped;
    /* Mondays and Wednesdays 1-30 April 2026: 1 8 13 15 20 22 27 29, Easter Monday 6 out */
    int n = crs_weekly_days(day("2026-04-01"), day("2026-04-30"), MON | WED, holidays, 3, out, 32, &skipped);
    assert_int_equal(n, 8);
    assert_int_equal(skipped, 1);
    assert_true(out[0] == day("2026-04-01"));
    assert_true(out[1] == day("2026-04-08"));
    assert_true(out[7] == day("2026-04-29"));
    /* Saturdays: 25 April is a holiday */
    n = crs_weekly_days(day("2026-04-01"), day("2026-04-30"), 1u << 6, holidays, 3, out, 32, &skipped);
    assert_int_equal(n, 3);
    assert_int_equal(skipped, 1);
    /* more than the room given: refused, not cut */
    assert_int_equal(crs_weekly_days(day("2026-01-01"), day("2026-12-31"), MON, NULL, 0, out, 32, &skipped), -1);
    /* a day: the same date as from and to */
    n = crs_weekly_days(day("2026-04-01"), day("2026-04-01"), WED, NULL, 0, out, 32, &skipped);
    assert_int_equal(n, 1);
}

static void test_holiday_file(void **state)
{
    (void)state;
    setenv("LABIMPACT_HOME", ".", 1);
    size_t n;
    const int64_t *h = crs_holidays(&n);
    assert_non_null(h);
    assert_true(n >= 36); /* 12 a year, 2025-2027, and 4 October from 2026 */
    for (size_t i = 1; i < n; i++) assert_true(h[i - 1] < h[i]);
    bool easter_monday = false, christmas = false;
    for (size_t i = 0; i < n; i++) {
        if (h[i] == day("2027-03-29")) easter_monday = true;
        if (h[i] == day("2025-12-25")) christmas = true;
    }
    assert_true(easter_monday && christmas);
}

static void test_codes_and_times(void **state)
{
    (void)state;
    assert_true(crs_kind_valid("italian_l2"));
    assert_true(crs_kind_valid("experiential"));
    assert_false(crs_kind_valid("cooking"));
    assert_false(crs_kind_valid(NULL));
    assert_true(crs_level_valid("pre-A1"));
    assert_true(crs_level_valid("C2"));
    assert_false(crs_level_valid("a1"));
    assert_true(crs_audience_valid("women"));
    assert_true(crs_mark_valid("late"));
    assert_false(crs_mark_valid("sick"));
    assert_int_equal(crs_hhmm("18:30"), 18 * 60 + 30);
    assert_int_equal(crs_hhmm("00:00"), 0);
    assert_int_equal(crs_hhmm("24:00"), -1);
    assert_int_equal(crs_hhmm("9:30"), -1);
    assert_int_equal(crs_hhmm("09:60"), -1);
}

static void test_watch_reason(void **state)
{
    (void)state;
    const bool ok3[] = {true, true, true}, missed2[] = {true, false, true, false}, early[] = {false, false};
    assert_null(crs_watch_reason(ok3, 3));
    assert_string_equal(crs_watch_reason(missed2, 4), "repeated_absences"); /* 2 of the last 3 */
    assert_null(crs_watch_reason(early, 2));                               /* too few records to say */
    /* 4 of 4, then 2 of 4 but not 2 of the last 3: falling */
    const bool falling[] = {true, true, true, true, false, true, false, true};
    assert_string_equal(crs_watch_reason(falling, 8), "falling_attendance");
    const bool steady[] = {true, false, true, true, true, false, true, true};
    assert_null(crs_watch_reason(steady, 8));
    assert_true(crs_support_kind_valid("family_meeting"));
    assert_false(crs_support_kind_valid("football"));
}

static void test_initials(void **state)
{
    (void)state;
    char out[32];
    crs_initials("Amina", "Diallo", out, sizeof out);
    assert_string_equal(out, "A. D.");
    crs_initials("élodie", "Øster", out, sizeof out);
    assert_string_equal(out, "é. Ø.");
    crs_initials("Олена", "", out, sizeof out);
    assert_string_equal(out, "О.");
    crs_initials("mohamed", "el amrani", out, sizeof out);
    assert_string_equal(out, "M. E.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attendance_pct),          cmocka_unit_test(test_warning_after_three_sessions),
        cmocka_unit_test(test_weekly_pattern_skips_holidays), cmocka_unit_test(test_holiday_file),
        cmocka_unit_test(test_codes_and_times),         cmocka_unit_test(test_initials),
        cmocka_unit_test(test_watch_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_tariff.c — the pay arithmetic of on-call mediation
 * (src/mediation/tariff.c): minimum billable time and rounding, evening and
 * holiday supplements (not added up), Easter Monday and patron saints,
 * travel, remote jobs, late cancellation billable, void zero; and the tariff
 * files of data/tariffs. Expected amounts are worked out by hand in the
 * comments: a mediator's pay is what these tests pin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/ical.h"
#include "mediation/mediation.h"
#include <string.h>

/* A tariff like Cremona's 2025 version: € 25/h, minimum 60' (30' remote),
 * 15' increments, evening 20:00-07:00 +25 %, holidays +40 %, € 0.35/km,
 * late cancellations inside 48 h pay the booked time. */
static med_tariff_t tariff(void)
{
    med_tariff_t t;
    memset(&t, 0, sizeof t);
    strcpy(t.ref, "test@2025-01-01");
    t.hourly_cents = 2500;
    t.min_minutes = 60;
    t.min_minutes_remote = 30;
    t.increment_minutes = 15;
    t.evening_from = 20 * 60;
    t.evening_to = 7 * 60;
    t.evening_percent = 25;
    t.holiday_percent = 40;
    t.sunday_is_holiday = true;
    t.easter_monday = true;
    int hol[] = {101, 106, 425, 501, 602, 815, 1101, 1113, 1208, 1225, 1226};
    t.nholidays = (int)(sizeof hol / sizeof hol[0]);
    memcpy(t.holidays, hol, sizeof hol);
    t.travel_cents_per_km = 35;
    t.late_cancel_hours = 48;
    t.late_pays_booked = true;
    return t;
}

static int64_t at(const char *local)
{
    int64_t t;
    assert_int_equal(rome_parse(local, &t), 0);
    return t;
}

static void test_minimum_and_rounding(void **state)
{
    (void)state;
    med_tariff_t t = tariff();
    med_pay_t p;
    /* Tuesday 10:00, 45' worked: the minimum hour is paid. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T10:00"), 60, 45, false, 0, &p), 0);
    assert_int_equal(p.billable_minutes, 60);
    assert_int_equal(p.base_cents, 2500);
    assert_int_equal(p.supplement_cents, 0);
    assert_int_equal(p.total_cents, 2500);
    /* 70' worked: rounded up to 75' = 75 * 2500 / 60 = 3125. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T10:00"), 60, 70, false, 0, &p), 0);
    assert_int_equal(p.billable_minutes, 75);
    assert_int_equal(p.base_cents, 3125);
    /* 61' -> 75'; 90' stays 90' (3750). */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T10:00"), 60, 61, false, 0, &p), 0);
    assert_int_equal(p.billable_minutes, 75);
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T10:00"), 60, 90, false, 0, &p), 0);
    assert_int_equal(p.total_cents, 3750);
    /* 0' worked (the family did not come, the mediator did): the minimum. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T10:00"), 60, 0, false, 0, &p), 0);
    assert_int_equal(p.total_cents, 2500);
    /* An odd rate: 7 minutes increments of € 22.10/h, 50' -> 56' = 56 * 2210 / 60 = 2062.67 -> 2063. */
    t.hourly_cents = 2210;
    t.increment_minutes = 7;
    t.min_minutes = 30;
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T10:00"), 60, 50, false, 0, &p), 0);
    assert_int_equal(p.billable_minutes, 56);
    assert_int_equal(p.base_cents, 2063);
    /* Refused input. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T10:00"), 60, -1, false, 0, &p), -1);
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T10:00"), 60, 60, false, -5, &p), -1);
}

static void test_evening(void **state)
{
    (void)state;
    med_tariff_t t = tariff();
    med_pay_t p;
    /* Tuesday 19:30-20:30: 30 evening minutes, + 30 * 25 % * 2500 / 60 = 312.5 -> 313. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T19:30"), 60, 60, false, 0, &p), 0);
    assert_int_equal(p.evening_minutes, 30);
    assert_int_equal(p.holiday_minutes, 0);
    assert_int_equal(p.base_cents, 2500);
    assert_int_equal(p.supplement_cents, 313);
    assert_int_equal(p.total_cents, 2813);
    /* Early morning 06:00-07:30: 60 evening (night) minutes: + 625. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-11T06:00"), 90, 90, false, 0, &p), 0);
    assert_int_equal(p.evening_minutes, 60);
    assert_int_equal(p.supplement_cents, 625);
    assert_int_equal(p.total_cents, 3750 + 625);
    /* Across midnight, Tuesday 23:30 to Wednesday 00:30: all 60 evening. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T23:30"), 60, 60, false, 0, &p), 0);
    assert_int_equal(p.evening_minutes, 60);
    assert_int_equal(p.supplement_cents, 625);
    /* The minimum is laid from the start: 20' worked at 19:50 pays 60', 50 of them evening:
     * 50 * 25 * 2500 / 6000 = 520.83 -> 521. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T19:50"), 60, 20, false, 0, &p), 0);
    assert_int_equal(p.evening_minutes, 50);
    assert_int_equal(p.supplement_cents, 521);
    /* On the night clocks go back (2026-10-25) local time counts, not the wall of UTC:
     * 01:00 local for 3 hours of real time ends at 03:00 local; every minute is night. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-10-24T23:00"), 240, 240, false, 0, &p), 0);
    assert_int_equal(p.billable_minutes, 240);
    assert_int_equal(p.evening_minutes, 60);  /* Saturday 23:00-24:00 */
    assert_int_equal(p.holiday_minutes, 180); /* Sunday from midnight: the holiday rate is higher */
}

static void test_holidays(void **state)
{
    (void)state;
    med_tariff_t t = tariff();
    med_pay_t p;
    /* Sunday 10:00, 60': + 60 * 40 % = 1000. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-15T10:00"), 60, 60, false, 0, &p), 0);
    assert_int_equal(p.holiday_minutes, 60);
    assert_int_equal(p.supplement_cents, 1000);
    assert_int_equal(p.total_cents, 3500);
    /* Sunday evening: the higher (holiday 40 %) applies, not 40 + 25. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-15T20:00"), 60, 60, false, 0, &p), 0);
    assert_int_equal(p.holiday_minutes, 60);
    assert_int_equal(p.evening_minutes, 0);
    assert_int_equal(p.supplement_cents, 1000);
    /* If the evening rate were the higher, it would win. */
    t.evening_percent = 50;
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-15T20:00"), 60, 60, false, 0, &p), 0);
    assert_int_equal(p.evening_minutes, 60);
    assert_int_equal(p.supplement_cents, 1250);
    t = tariff();
    /* Easter Monday 2026 is 6 April; 2027: 29 March. 25 April, 13 November (Sant'Omobono). */
    assert_true(med_is_holiday(&t, 2026, 4, 6, 1));
    assert_false(med_is_holiday(&t, 2026, 4, 7, 2));
    assert_true(med_is_holiday(&t, 2027, 3, 29, 1));
    assert_true(med_is_holiday(&t, 2026, 4, 25, 6));
    assert_true(med_is_holiday(&t, 2026, 11, 13, 5));
    assert_false(med_is_holiday(&t, 2026, 11, 12, 4));
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-04-06T09:00"), 120, 120, false, 0, &p), 0);
    assert_int_equal(p.holiday_minutes, 120);
    assert_int_equal(p.supplement_cents, 2000);
    /* Without Sundays as holidays, a Sunday is an ordinary day. */
    t.sunday_is_holiday = false;
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-15T10:00"), 60, 60, false, 0, &p), 0);
    assert_int_equal(p.supplement_cents, 0);
}

static void test_travel_and_remote(void **state)
{
    (void)state;
    med_tariff_t t = tariff();
    med_pay_t p;
    /* 12.5 km = 125 hm * 35 / 10 = 437.5 -> 438. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T10:00"), 60, 60, false, 125, &p), 0);
    assert_int_equal(p.travel_cents, 438);
    assert_int_equal(p.total_cents, 2938);
    /* Remote: minimum 30', 20' worked -> 30' = 1250, travel never paid. */
    assert_int_equal(med_pay_compute(&t, MED_DONE, at("2026-03-10T10:00"), 30, 20, true, 125, &p), 0);
    assert_int_equal(p.billable_minutes, 30);
    assert_int_equal(p.base_cents, 1250);
    assert_int_equal(p.travel_cents, 0);
    assert_int_equal(p.total_cents, 1250);
}

static void test_cancellations(void **state)
{
    (void)state;
    med_tariff_t t = tariff();
    med_pay_t p;
    /* Late: the booked 90' are paid (3750), travel is not. */
    assert_int_equal(med_pay_compute(&t, MED_LATE, at("2026-03-10T10:00"), 90, 0, false, 200, &p), 0);
    assert_int_equal(p.billable_minutes, 90);
    assert_int_equal(p.base_cents, 3750);
    assert_int_equal(p.travel_cents, 0);
    assert_int_equal(p.total_cents, 3750);
    /* Late, booked 30' in person: at least the minimum hour. */
    assert_int_equal(med_pay_compute(&t, MED_LATE, at("2026-03-10T10:00"), 30, 0, false, 0, &p), 0);
    assert_int_equal(p.total_cents, 2500);
    /* Late on a Sunday evening: the supplement of the booked time too. */
    assert_int_equal(med_pay_compute(&t, MED_LATE, at("2026-03-15T20:00"), 60, 0, false, 0, &p), 0);
    assert_int_equal(p.total_cents, 3500);
    /* A protocol paying only the minimum on a late cancellation. */
    t.late_pays_booked = false;
    assert_int_equal(med_pay_compute(&t, MED_LATE, at("2026-03-10T10:00"), 180, 0, false, 0, &p), 0);
    assert_int_equal(p.billable_minutes, 60);
    assert_int_equal(p.total_cents, 2500);
    /* Void: nothing at all, whatever else was said. */
    assert_int_equal(med_pay_compute(&t, MED_VOID, at("2026-03-15T20:00"), 180, 120, false, 500, &p), 0);
    assert_int_equal(p.billable_minutes, 0);
    assert_int_equal(p.base_cents + p.supplement_cents + p.travel_cents + p.total_cents, 0);
}

static void test_files(void **state)
{
    (void)state;
    char err[512];
    assert_int_equal(med_tariffs_load("data/tariffs", err, sizeof err), 0);
    med_tariff_t t;
    assert_int_equal(med_tariff_for("cremona", at("2025-03-10T10:00"), &t), 0);
    assert_string_equal(t.ref, "cremona@2025-01-01");
    assert_int_equal(t.hourly_cents, 2500);
    assert_int_equal(med_tariff_for("cremona", at("2024-12-31T23:30"), &t), 0); /* Rome date decides */
    assert_string_equal(t.ref, "cremona@2020-01-01");
    assert_int_equal(med_tariff_for("cremona", at("2025-01-01T00:30"), &t), 0);
    assert_string_equal(t.ref, "cremona@2025-01-01");
    assert_int_equal(med_tariff_for("lodi", at("2025-03-10T10:00"), &t), 0);
    assert_false(t.late_pays_booked);
    assert_true(med_is_holiday(&t, 2026, 1, 19, 1)); /* San Bassiano */
    /* A district without its own file gets the default. */
    assert_int_equal(med_tariff_for("luino", at("2025-03-10T10:00"), &t), 0);
    assert_string_equal(t.ref, "default@2020-01-01");
    assert_int_equal(med_tariff_for("luino", at("2019-03-10T10:00"), &t), -1);
    /* Malformed versions are refused with the field named. */
    json_error_t je;
    json_t *bad = json_loads("{\"effective_from\":\"2025-01-01\",\"hourly_cents\":-5}", 0, &je);
    assert_int_equal(med_tariff_from_json(bad, "x", NULL, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "hourly_cents"));
    json_decref(bad);
    bad = json_loads("{\"effective_from\":\"2025-1-1\"}", 0, &je);
    assert_int_equal(med_tariff_from_json(bad, "x", NULL, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "effective_from"));
    json_decref(bad);
    assert_int_equal(med_tariffs_load("/nonexistent", err, sizeof err), -1);
}

static void test_euro(void **state)
{
    (void)state;
    char b[48];
    med_euro(0, b, sizeof b);
    assert_string_equal(b, "€ 0,00");
    med_euro(2813, b, sizeof b);
    assert_string_equal(b, "€ 28,13");
    med_euro(123456789, b, sizeof b);
    assert_string_equal(b, "€ 1.234.567,89");
    med_euro(-5, b, sizeof b);
    assert_string_equal(b, "-€ 0,05");
    assert_int_equal(med_hhmm("20:00"), 1200);
    assert_int_equal(med_hhmm("24:00"), 1440);
    assert_int_equal(med_hhmm("24:01"), -1);
    assert_int_equal(med_hhmm("9:00"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimum_and_rounding), cmocka_unit_test(test_evening),
        cmocka_unit_test(test_holidays),             cmocka_unit_test(test_travel_and_remote),
        cmocka_unit_test(test_cancellations),        cmocka_unit_test(test_files),
        cmocka_unit_test(test_euro),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

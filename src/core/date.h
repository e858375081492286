/* date.h — civil dates ("YYYY-MM-DD", proleptic Gregorian) as days since
 * 1970-01-01, and the arithmetic every module needs on them. Pure
 * computation, no locale, no time zone: today() is the server's local date
 * (or LABIMPACT_TODAY, for tests and demos). */
#ifndef LI_DATE_H
#define LI_DATE_H
#include <stdbool.h>
#include <stdint.h>

/* Days since 1970-01-01 of a civil date, and back. */
int64_t civil_to_days(int year, int month, int day);
void civil_from_days(int64_t days, int *year, int *month, int *day);
/* Days of month m (1..12) of year y. */
int date_month_days(int year, int month);
/* 1 = Monday .. 7 = Sunday of a day number. */
int date_weekday(int64_t days);
/* Parses "YYYY-MM-DD" between 1900-01-01 and 2199-12-31; true when valid. */
bool date_parse(const char *s, int *year, int *month, int *day);
/* True for a real date "YYYY-MM-DD" between 1900-01-01 and 2199-12-31. */
bool date_valid(const char *s);
/* Today's date (LABIMPACT_TODAY when set to a valid date), moved by
 * offset_days, into out[11]. */
void date_today(char out[11], int offset_days);
/* Adds years, months, then days to a date (months clamp to the month's end).
 * 0, or -1 for an invalid date or a result outside 1900-2199. */
int date_add(const char *date, int years, int months, int days, char out[11]);

#endif

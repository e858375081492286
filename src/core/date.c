/* date.c — civil dates (see date.h); Howard Hinnant's days_from_civil and
 * civil_from_days. */
#include "date.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t civil_to_days(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(y + (m <= 2));
    *month = m;
    *day = d;
}

int date_month_days(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

int date_weekday(int64_t days)
{
    int64_t w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
    if (w < 0) w += 7;
    return (int)w + 1;
}

bool date_parse(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return false;
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    return *y >= 1900 && *y <= 2199 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= date_month_days(*y, *m);
}

bool date_valid(const char *s)
{
    int y, m, d;
    return date_parse(s, &y, &m, &d);
}

/* Writes y-m-d as "YYYY-MM-DD" into out[11]. */
static void format_date(int y, int m, int d, char out[11])
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

void date_today(char out[11], int offset_days)
{
    time_t t = time(NULL);
    const char *fixed = getenv("LABIMPACT_TODAY"); /* tests and demos only */
    struct tm tm;
    localtime_r(&t, &tm);
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
    if (fixed && date_valid(fixed)) date_parse(fixed, &y, &m, &d);
    civil_from_days(civil_to_days(y, m, d) + offset_days, &y, &m, &d);
    format_date(y, m, d, out);
}

int date_add(const char *date, int years, int months, int days, char out[11])
{
    int y, m, d;
    if (!date_parse(date, &y, &m, &d)) return -1;
    int total = y * 12 + (m - 1) + years * 12 + months;
    y = total / 12;
    m = total % 12 + 1;
    if (d > date_month_days(y, m)) d = date_month_days(y, m);
    civil_from_days(civil_to_days(y, m, d) + days, &y, &m, &d);
    if (y < 1900 || y > 2199) return -1;
    format_date(y, m, d, out);
    return 0;
}

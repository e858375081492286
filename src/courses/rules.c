/* rules.c — the course rules that need no storage (courses.h): the code
 * lists, the attendance arithmetic (C5), the weekly pattern of sessions and
 * the holidays it skips, the initials and issue date a certificate shows (C6). */
#include "courses.h"
#include "core/date.h"
#include "core/log.h"
#include "desk/desk.h"
#include "core/str.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {"italian_l2",      "literacy",          "italian_work", "pupils_l2",
                                    "summer_support",  "civic_orientation", "job_orientation",
                                    "operator_training", "mediator_training", "experiential", NULL};
static const char *const audiences[] = {"adults", "women", "pupils", "operators", "mediators", NULL};
static const char *const levels[] = {"pre-A1", "A1", "A2", "B1", "B2", "C1", "C2", NULL};
static const char *const marks[] = {"present", "late", "excused", "absent", NULL};
static const char *const support_kinds[] = {"reception", "l2_lab", "summer_support", "family_meeting",
                                            "intercultural_lab", NULL};

/* True when `s` is one of the NULL-terminated `list`. */
bool crs_kind_valid(const char *kind) { return str_in_list(kinds, kind); }
bool crs_audience_valid(const char *audience) { return str_in_list(audiences, audience); }
bool crs_level_valid(const char *level) { return str_in_list(levels, level); }
bool crs_mark_valid(const char *status) { return str_in_list(marks, status); }
const char *const *crs_kinds(void) { return kinds; }
const char *const *crs_audiences(void) { return audiences; }
const char *const *crs_levels(void) { return levels; }
bool crs_support_kind_valid(const char *kind) { return str_in_list(support_kinds, kind); }
const char *const *crs_support_kinds(void) { return support_kinds; }

/* How many of attended[from, to) are true. */
static int count_attended(const bool *attended, size_t from, size_t to)
{
    int n = 0;
    for (size_t i = from; i < to; i++) n += attended[i];
    return n;
}

const char *crs_watch_reason(const bool *attended, size_t n)
{
    if (n >= 3 && 3 - count_attended(attended, n - 3, n) >= 2) return "repeated_absences";
    if (n >= 8 && count_attended(attended, n - 4, n) <= count_attended(attended, n - 8, n - 4) - 2)
        return "falling_attendance";
    return NULL;
}

double crs_attendance_pct(int64_t present, int64_t late, int64_t held)
{
    return held > 0 ? (double)(present + late) * 100.0 / (double)held : 0.0;
}

bool crs_attendance_warns(int64_t present, int64_t late, int64_t held, int64_t min_pct)
{
    return held >= CRS_WARN_AFTER && crs_attendance_pct(present, late, held) < (double)min_pct;
}

int crs_hhmm(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

/* True when `day` is in the sorted `holidays` (binary search). */
static bool is_holiday(int64_t day, const int64_t *holidays, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (holidays[mid] == day) return true;
        if (holidays[mid] < day) lo = mid + 1;
        else hi = mid;
    }
    return false;
}

int crs_weekly_days(int64_t from, int64_t to, unsigned days_mask, const int64_t *holidays, size_t nholidays,
                    int64_t *out, size_t max, size_t *skipped)
{
    size_t n = 0;
    *skipped = 0;
    for (int64_t d = from; d <= to; d++) {
        if (!(days_mask & (1u << date_weekday(d)))) continue;
        if (is_holiday(d, holidays, nholidays)) {
            (*skipped)++;
            continue;
        }
        if (n == max) return -1;
        out[n++] = d;
    }
    return (int)n;
}

#define MAX_HOLIDAYS 400
static int64_t holiday_days[MAX_HOLIDAYS];
static size_t holiday_count;
static pthread_once_t holidays_once = PTHREAD_ONCE_INIT;

static int cmp_days(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Reads data/courses/holidays.json {"dates": ["YYYY-MM-DD", ...]} once. */
static void load_holidays(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/data/courses/holidays.json", desk_home());
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    json_t *dates = json_object_get(root, "dates");
    if (!json_is_array(dates)) {
        log_error("courses: cannot read %s: %s", path, root ? "no \"dates\" list" : err.text);
        json_decref(root);
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(dates, i, v) {
        int y, m, d;
        if (holiday_count == MAX_HOLIDAYS || !date_parse(json_string_value(v), &y, &m, &d)) continue;
        holiday_days[holiday_count++] = civil_to_days(y, m, d);
    }
    qsort(holiday_days, holiday_count, sizeof holiday_days[0], cmp_days);
    json_decref(root);
}

const int64_t *crs_holidays(size_t *n)
{
    pthread_once(&holidays_once, load_holidays);
    *n = holiday_count;
    return holiday_count ? holiday_days : NULL;
}

/* Appends the first UTF-8 character of `name`, upper-cased when ASCII, and ". ". */
static size_t add_initial(const char *name, char *out, size_t at, size_t len)
{
    if (!name || !*name) return at;
    size_t n = 1;
    while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80) n++;
    if (at + n + 3 > len) return at;
    memcpy(out + at, name, n);
    if (n == 1 && out[at] >= 'a' && out[at] <= 'z') out[at] = (char)(out[at] - 'a' + 'A');
    at += n;
    out[at++] = '.';
    out[at++] = ' ';
    out[at] = '\0';
    return at;
}

void crs_initials(const char *given, const char *family, char *out, size_t len)
{
    if (!len) return;
    out[0] = '\0';
    size_t at = add_initial(given, out, 0, len);
    at = add_initial(family, out, at, len);
    if (at > 0 && out[at - 1] == ' ') out[at - 1] = '\0';
}

void crs_date_of(int64_t t, char out[11])
{
    int y, m, d;
    civil_from_days(t / 86400, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

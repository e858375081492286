/* recur.c — recurring initiatives (directory.h): the recurrence an event
 * may be given, checked and written as an RFC 5545 RRULE value, and the
 * occurrences of such a rule in a window of time, in Rome local time (an
 * initiative at 17:00 stays at 17:00 across the change of summer time).
 *
 * Accepted rules (what an association's weekly or monthly meeting needs):
 *   weekly:  FREQ=WEEKLY;INTERVAL=n;BYDAY=MO,WE;UNTIL=...Z   (days default: the start's)
 *   monthly: FREQ=MONTHLY;INTERVAL=n;BYMONTHDAY=d;UNTIL=...Z (d: the start's day)
 *            FREQ=MONTHLY;INTERVAL=n;BYDAY=2SA;UNTIL=...Z    (the 1st-4th or last (-1) weekday)
 * n is 1 to 4; UNTIL is the end of the given Rome day, at most two years
 * after the first occurrence. */
#include "internal.h"
#include "core/date.h"
#include "core/ical.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const day_codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

/* 0..6 (Monday..Sunday) of a two-letter day code, -1 when not one. */
static int day_index(const char *s)
{
    for (int d = 0; d < 7; d++)
        if (strncmp(s, day_codes[d], 2) == 0) return d;
    return -1;
}

/* A rule as parsed back from its RRULE text. */
typedef struct rule {
    bool monthly;
    int interval, nth;   /* nth: 1..4 or -1 for "the nth weekday" of monthly; 0 otherwise */
    unsigned days;       /* bit d: weekday d (0 = Monday) */
    int64_t until;       /* UTC instant */
} rule_t;

/* Parses an RRULE this file wrote; 0, or -1 when it is not one. */
static int rule_parse(const char *text, rule_t *r)
{
    memset(r, 0, sizeof *r);
    r->interval = 1;
    char buf[160];
    snprintf(buf, sizeof buf, "%s", text ? text : "");
    bool freq = false;
    char *save = NULL;
    for (char *p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
        if (strcmp(p, "FREQ=WEEKLY") == 0 || strcmp(p, "FREQ=MONTHLY") == 0) {
            freq = true;
            r->monthly = p[5] == 'M';
        } else if (strncmp(p, "INTERVAL=", 9) == 0) r->interval = atoi(p + 9);
        else if (strncmp(p, "BYMONTHDAY=", 11) == 0) r->nth = 0;
        else if (strncmp(p, "BYDAY=", 6) == 0) {
            for (char *q = p + 6; *q;) {
                char *end;
                long n = strtol(q, &end, 10);
                int d = day_index(end);
                if (d < 0) return -1;
                r->days |= 1u << d;
                if (end != q) r->nth = (int)n;
                q = end + 2;
                if (*q == ',') q++;
            }
        } else if (strncmp(p, "UNTIL=", 6) == 0) {
            int y, mo, d, h, mi, s;
            if (sscanf(p + 6, "%4d%2d%2dT%2d%2d%2dZ", &y, &mo, &d, &h, &mi, &s) != 6) return -1;
            r->until = civil_to_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
        }
    }
    return freq && r->until && r->interval >= 1 ? 0 : -1;
}

int dir_recur_rule(const json_t *rec, int64_t start, char rrule[128], int64_t *until, err_t *e)
{
    static const char *const allowed[] = {"freq", "interval", "byday", "until", NULL};
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)rec, k, v) {
        bool ok = false;
        for (size_t i = 0; allowed[i]; i++) ok |= strcmp(allowed[i], k) == 0;
        if (!ok) return err_set(e, 422, "invalid", "recurrence", "A recurrence has freq, interval, byday and until.");
    }
    const char *freq = jstr(rec, "freq"), *byday = jstr(rec, "byday"), *u = jstr(rec, "until");
    json_t *iv = json_object_get(rec, "interval");
    bool monthly = freq && strcmp(freq, "monthly") == 0;
    if (!freq || (!monthly && strcmp(freq, "weekly")))
        return err_set(e, 422, "invalid", "recurrence.freq", "A recurrence is weekly or monthly.");
    if (iv && (!json_is_integer(iv) || json_integer_value(iv) < 1 || json_integer_value(iv) > 4))
        return err_set(e, 422, "invalid", "recurrence.interval", "The interval is 1 to 4 weeks or months.");
    int interval = iv ? (int)json_integer_value(iv) : 1, y, mo, d;
    rome_tm_t t0;
    rome_from_utc(start, &t0);
    if (!u || !date_parse(u, &y, &mo, &d))
        return err_set(e, 422, "invalid", "recurrence.until", "Give the last day as YYYY-MM-DD.");
    int64_t last;
    if (rome_to_utc(y, mo, d, 23, 59, &last) != 0 || last < start || last > start + 732 * 86400)
        return err_set(e, 422, "invalid", "recurrence.until",
                       "The last day is after the first occurrence and at most two years later.");
    last += 59;
    char days[40] = "";
    if (monthly && byday && *byday) {
        char *end;
        long n = strtol(byday, &end, 10);
        if (end == byday || !((n >= 1 && n <= 4) || n == -1) || day_index(end) < 0 || end[2])
            return err_set(e, 422, "invalid", "recurrence.byday", "A monthly day is like 2SA (second Saturday) or -1FR (last Friday).");
        snprintf(days, sizeof days, "BYDAY=%ld%.2s", n, end);
    } else if (monthly) {
        snprintf(days, sizeof days, "BYMONTHDAY=%d", t0.day);
    } else {
        unsigned set = 0;
        const char *p = byday && *byday ? byday : day_codes[t0.wday - 1];
        for (;;) {
            int di = day_index(p);
            if (di < 0 || (p[2] && p[2] != ','))
                return err_set(e, 422, "invalid", "recurrence.byday", "Weekly days are MO, TU, WE, TH, FR, SA, SU separated by commas.");
            set |= 1u << di;
            if (!p[2]) break;
            p += 3;
        }
        strcpy(days, "BYDAY=");
        for (int di = 0; di < 7; di++)
            if (set & (1u << di)) snprintf(days + strlen(days), sizeof days - strlen(days), "%s%s", days[6] ? "," : "", day_codes[di]);
    }
    int uy, um, ud;
    civil_from_days(last / 86400, &uy, &um, &ud);
    int64_t s = last % 86400;
    snprintf(rrule, 128, "FREQ=%s;INTERVAL=%d;%s;UNTIL=%04d%02d%02dT%02d%02d%02dZ", monthly ? "MONTHLY" : "WEEKLY",
             interval, days, uy, um, ud, (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
    *until = last;
    return 0;
}

/* True when Rome local day `day` (days since 1970) is one of the rule's,
 * `first` being the day of the first occurrence. */
static bool rule_day(const rule_t *r, int64_t first, int64_t day, int first_mday)
{
    int y, m, d, y0, m0, d0;
    civil_from_days(day, &y, &m, &d);
    civil_from_days(first, &y0, &m0, &d0);
    int wd = date_weekday(day) - 1;
    if (!r->monthly) {
        int64_t week0 = first - (date_weekday(first) - 1), week = day - wd; /* weeks start on Monday */
        return (r->days & (1u << wd)) && ((week - week0) / 7) % r->interval == 0;
    }
    int months = (y - y0) * 12 + (m - m0);
    if (months % r->interval) return false;
    if (!r->days) return d == first_mday;
    if (!(r->days & (1u << wd))) return false;
    return r->nth > 0 ? (d - 1) / 7 + 1 == r->nth : d + 7 > date_month_days(y, m);
}

int dir_recur_expand(const char *rrule, int64_t start, int64_t end, int64_t from, int64_t to, int64_t *starts,
                     int max)
{
    rule_t r;
    if (!rrule || !*rrule || rule_parse(rrule, &r) != 0) {
        if (end <= from || start >= to || max < 1) return 0;
        starts[0] = start;
        return 1;
    }
    rome_tm_t t0;
    rome_from_utc(start, &t0);
    int64_t first = civil_to_days(t0.year, t0.month, t0.day), length = end - start;
    int n = 0;
    for (int64_t day = first; n < max && day <= first + 740; day++) {
        int y, m, d;
        civil_from_days(day, &y, &m, &d);
        int64_t at;
        if (!rule_day(&r, first, day, t0.day) || rome_to_utc(y, m, d, t0.hour, t0.minute, &at) != 0) continue;
        if (at < start) continue;
        if (at > r.until || at >= to) break;
        if (at + length > from) starts[n++] = at;
    }
    return n;
}

const char *dir_recur_label(const char *rrule)
{
    rule_t r;
    if (!rrule || rule_parse(rrule, &r) != 0) return NULL;
    if (!r.monthly) return r.interval == 1 ? "Every week" : "Every few weeks";
    return r.interval == 1 ? "Every month" : "Every few months";
}

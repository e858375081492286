/* tariff.c — the protocol's pay rules (data/tariffs/<district>.json) and the pay
 * arithmetic of a job (rules M3, M4 in mediation.h). Pure computation plus
 * one lazily loaded, read-only table of tariff versions; never touches the
 * database. Integer arithmetic only: no float reaches a cent. */
#include "core/ical.h"
#include "core/log.h"
#include "mediation.h"
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TARIFFS 256

typedef struct tariff_entry {
    char district[64]; /* "" for the default */
    med_tariff_t t;
} tariff_entry_t;

static tariff_entry_t *table;
static size_t ntable;
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;

int med_hhmm(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
    return h * 60 + m;
}

static int get_int(json_t *o, const char *key, int min, int max, int *out, const char *what, char *errbuf,
                   size_t errlen)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        snprintf(errbuf, errlen, "%s: %s must be a whole number from %d to %d", what, key, min, max);
        return -1;
    }
    *out = (int)json_integer_value(v);
    return 0;
}

int med_tariff_from_json(json_t *v, const char *district, const char *source, med_tariff_t *out, char *errbuf,
                         size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *from = json_string_value(json_object_get(v, "effective_from"));
    int y, m, d;
    char what[96];
    snprintf(what, sizeof what, "%s@%s", district && *district ? district : "default", from ? from : "?");
    if (!from || sscanf(from, "%4d-%2d-%2d", &y, &m, &d) != 3 || strlen(from) != 10) {
        snprintf(errbuf, errlen, "%s: effective_from must be YYYY-MM-DD", what);
        return -1;
    }
    snprintf(out->ref, sizeof out->ref, "%s", what);
    snprintf(out->source, sizeof out->source, "%s", source ? source : "");
    out->effective_from = civil_to_days(y, m, d);
    if (get_int(v, "hourly_cents", 1, 100000, &out->hourly_cents, what, errbuf, errlen) ||
        get_int(v, "min_minutes", 0, 720, &out->min_minutes, what, errbuf, errlen) ||
        get_int(v, "min_minutes_remote", 0, 720, &out->min_minutes_remote, what, errbuf, errlen) ||
        get_int(v, "increment_minutes", 1, 240, &out->increment_minutes, what, errbuf, errlen) ||
        get_int(v, "holiday_percent", 0, 300, &out->holiday_percent, what, errbuf, errlen) ||
        get_int(v, "travel_cents_per_km", 0, 1000, &out->travel_cents_per_km, what, errbuf, errlen) ||
        get_int(v, "late_cancel_hours", 0, 720, &out->late_cancel_hours, what, errbuf, errlen))
        return -1;
    json_t *ev = json_object_get(v, "evening");
    out->evening_from = med_hhmm(json_string_value(json_object_get(ev, "from")));
    out->evening_to = med_hhmm(json_string_value(json_object_get(ev, "to")));
    if (!json_is_object(ev) || out->evening_from < 0 || out->evening_to < 0 ||
        get_int(ev, "percent", 0, 300, &out->evening_percent, what, errbuf, errlen)) {
        snprintf(errbuf, errlen, "%s: evening must be {\"from\": \"HH:MM\", \"to\": \"HH:MM\", \"percent\": n}", what);
        return -1;
    }
    out->sunday_is_holiday = json_is_true(json_object_get(v, "sunday_is_holiday"));
    out->easter_monday = json_is_true(json_object_get(v, "easter_monday"));
    const char *pays = json_string_value(json_object_get(v, "late_cancel_pays"));
    if (!pays || (strcmp(pays, "booked") != 0 && strcmp(pays, "minimum") != 0)) {
        snprintf(errbuf, errlen, "%s: late_cancel_pays must be \"booked\" or \"minimum\"", what);
        return -1;
    }
    out->late_pays_booked = strcmp(pays, "booked") == 0;
    json_t *hol = json_object_get(v, "holidays");
    size_t i;
    json_t *h;
    if (hol && !json_is_array(hol)) {
        snprintf(errbuf, errlen, "%s: holidays must be a list of \"MM-DD\"", what);
        return -1;
    }
    json_array_foreach(hol, i, h) {
        const char *s = json_string_value(h);
        int hm, hd;
        if (!s || strlen(s) != 5 || sscanf(s, "%2d-%2d", &hm, &hd) != 2 || hm < 1 || hm > 12 || hd < 1 || hd > 31 ||
            out->nholidays == MED_MAX_HOLIDAYS) {
            snprintf(errbuf, errlen, "%s: holidays must be a list of \"MM-DD\" (at most %d)", what, MED_MAX_HOLIDAYS);
            return -1;
        }
        out->holidays[out->nholidays++] = hm * 100 + hd;
    }
    return 0;
}

/* Adds the versions of one file. */
static int load_file(const char *path, const char *district, tariff_entry_t *t, size_t *n, char *errbuf,
                     size_t errlen)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        snprintf(errbuf, errlen, "%s: %s (line %d)", path, je.text, je.line);
        return -1;
    }
    const char *source = json_string_value(json_object_get(root, "source"));
    json_t *versions = json_object_get(root, "versions");
    size_t i;
    json_t *v;
    int rc = json_is_array(versions) && json_array_size(versions) > 0 ? 0 : -1;
    if (rc) snprintf(errbuf, errlen, "%s: \"versions\" must be a non-empty list", path);
    json_array_foreach(versions, i, v) {
        if (rc) break;
        if (*n == MAX_TARIFFS) {
            snprintf(errbuf, errlen, "%s: too many tariff versions", path);
            rc = -1;
            break;
        }
        tariff_entry_t *e = &t[*n];
        snprintf(e->district, sizeof e->district, "%s", district);
        char msg[256];
        if (med_tariff_from_json(v, district, source, &e->t, msg, sizeof msg) != 0) {
            snprintf(errbuf, errlen, "%s: %s", path, msg);
            rc = -1;
            break;
        }
        (*n)++;
    }
    json_decref(root);
    return rc;
}

int med_tariffs_load(const char *dir, char *errbuf, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(errbuf, errlen, "%s: cannot open the tariffs folder", dir);
        return -1;
    }
    tariff_entry_t *t = calloc(MAX_TARIFFS, sizeof *t);
    size_t n = 0;
    int rc = t ? 0 : -1;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 6 || len > 60 || strcmp(de->d_name + len - 5, ".json") != 0) continue;
        char district[64], path[4096];
        snprintf(district, sizeof district, "%.*s", (int)(len - 5), de->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        rc = load_file(path, strcmp(district, "default") == 0 ? "" : district, t, &n, errbuf, errlen);
    }
    closedir(d);
    if (rc) {
        free(t);
        return -1;
    }
    pthread_rwlock_wrlock(&table_lock);
    free(table);
    table = t;
    ntable = n;
    pthread_rwlock_unlock(&table_lock);
    return 0;
}

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char tariff_dir[4096] = "data/tariffs";

static void load_default(void)
{
    const char *home = getenv("LABIMPACT_HOME");
    if (home && *home) snprintf(tariff_dir, sizeof tariff_dir, "%s/data/tariffs", home);
    char err[512];
    if (med_tariffs_load(tariff_dir, err, sizeof err) != 0) log_error("mediation tariffs: %s", err);
}

int med_tariff_for(const char *code, int64_t at, med_tariff_t *out)
{
    pthread_once(&load_once, load_default);
    rome_tm_t r;
    rome_from_utc(at, &r);
    int64_t day = civil_to_days(r.year, r.month, r.day);
    const med_tariff_t *best = NULL;
    pthread_rwlock_rdlock(&table_lock);
    /* Two passes: the district's own versions, then the default ones. */
    for (int pass = 0; pass < 2 && !best; pass++)
        for (size_t i = 0; i < ntable; i++) {
            const tariff_entry_t *e = &table[i];
            bool mine = pass == 0 ? (code && strcmp(e->district, code) == 0) : e->district[0] == '\0';
            if (mine && e->t.effective_from <= day && (!best || e->t.effective_from > best->effective_from))
                best = &e->t;
        }
    if (best) *out = *best;
    pthread_rwlock_unlock(&table_lock);
    return best ? 0 : -1;
}

/* Easter Sunday (Gregorian, anonymous algorithm) as days since the epoch. */
static int64_t easter(int y)
{
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return civil_to_days(y, month, day);
}

bool med_is_holiday(const med_tariff_t *t, int year, int month, int day, int wday)
{
    if (t->sunday_is_holiday && wday == 7) return true;
    for (int i = 0; i < t->nholidays; i++)
        if (t->holidays[i] == month * 100 + day) return true;
    return t->easter_monday && civil_to_days(year, month, day) == easter(year) + 1;
}

static bool in_evening(const med_tariff_t *t, int minute_of_day)
{
    if (t->evening_percent <= 0 || t->evening_from == t->evening_to) return false;
    if (t->evening_from < t->evening_to) return minute_of_day >= t->evening_from && minute_of_day < t->evening_to;
    return minute_of_day >= t->evening_from || minute_of_day < t->evening_to;
}

/* (num / den) rounded half up, for num >= 0, den > 0. */
static int64_t div_round(int64_t num, int64_t den)
{
    return (num * 2 + den) / (den * 2);
}

static int round_up(int minutes, int increment)
{
    return increment > 1 ? (minutes + increment - 1) / increment * increment : minutes;
}

int med_pay_compute(const med_tariff_t *t, med_outcome_t kind, int64_t start, int booked_minutes,
                    int minutes_worked, bool remote, int64_t travel_hm, med_pay_t *out)
{
    memset(out, 0, sizeof *out);
    if (booked_minutes < 0 || minutes_worked < 0 || travel_hm < 0 || minutes_worked > 24 * 60) return -1;
    if (kind == MED_VOID) return 0;
    int minimum = remote ? t->min_minutes_remote : t->min_minutes;
    int billable;
    if (kind == MED_LATE) {
        billable = t->late_pays_booked ? booked_minutes : minimum;
        if (billable < minimum) billable = minimum;
        travel_hm = 0;
    } else {
        billable = minutes_worked < minimum ? minimum : minutes_worked;
    }
    billable = round_up(billable, t->increment_minutes);
    /* Supplements minute by minute from the start; the day's facts are
     * computed once per Rome date. */
    int64_t percent_minutes = 0; /* sum over minutes of the supplement percent */
    int last_day = -1;
    bool holiday = false;
    for (int i = 0; i < billable; i++) {
        rome_tm_t r;
        rome_from_utc(start + (int64_t)i * 60, &r);
        if (r.day != last_day) {
            holiday = t->holiday_percent > 0 && med_is_holiday(t, r.year, r.month, r.day, r.wday);
            last_day = r.day;
        }
        int hp = holiday ? t->holiday_percent : 0;
        int ep = in_evening(t, r.hour * 60 + r.minute) ? t->evening_percent : 0;
        if (hp == 0 && ep == 0) continue;
        if (hp >= ep) {
            out->holiday_minutes++;
            percent_minutes += hp;
        } else {
            out->evening_minutes++;
            percent_minutes += ep;
        }
    }
    out->billable_minutes = billable;
    out->base_cents = div_round((int64_t)billable * t->hourly_cents, 60);
    out->supplement_cents = div_round(percent_minutes * t->hourly_cents, 6000);
    out->travel_cents = remote ? 0 : div_round(travel_hm * t->travel_cents_per_km, 10);
    out->total_cents = out->base_cents + out->supplement_cents + out->travel_cents;
    return 0;
}

void med_euro(int64_t cents, char *out, size_t len)
{
    bool neg = cents < 0;
    uint64_t c = neg ? (uint64_t)(-cents) : (uint64_t)cents;
    char digits[32], grouped[48];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)(c / 100));
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) grouped[o++] = '.';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    snprintf(out, len, "%s€ %s,%02u", neg ? "-" : "", grouped, (unsigned)(c % 100));
}

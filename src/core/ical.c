/* ical.c — RFC 5545 writer and Europe/Rome local time (see ical.h).
 * Pure computation on buffers: no I/O, no global state, no environment. */
#include "ical.h"
#include "date.h"
#include "json.h"
#include <stdio.h>
#include <string.h>

/* Days since the epoch of the last Sunday of month m of year y. */
static int64_t last_sunday(int y, int m)
{
    int64_t last = civil_to_days(y, m, date_month_days(y, m));
    return last - (date_weekday(last) % 7);
}

/* ---- Europe/Rome ------------------------------------------------------------ */

int rome_offset(int64_t utc)
{
    int64_t days = utc >= 0 ? utc / 86400 : (utc - 86399) / 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    int64_t begin = last_sunday(y, 3) * 86400 + 3600; /* 01:00 UTC */
    int64_t end = last_sunday(y, 10) * 86400 + 3600;
    return utc >= begin && utc < end ? 7200 : 3600;
}

void rome_from_utc(int64_t utc, rome_tm_t *out)
{
    int64_t local = utc + rome_offset(utc);
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int64_t secs = local - days * 86400;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
    out->wday = date_weekday(days);
}

int rome_to_utc(int year, int month, int day, int hour, int minute, int64_t *utc)
{
    if (year < 1996 || year > 2099 || month < 1 || month > 12 || day < 1 || day > date_month_days(year, month) ||
        hour < 0 || hour > 23 || minute < 0 || minute > 59)
        return -1;
    int64_t local = civil_to_days(year, month, day) * 86400 + hour * 3600 + minute * 60;
    if (rome_offset(local - 7200) == 7200) { /* summer time (the earlier one when ambiguous) */
        *utc = local - 7200;
        return 0;
    }
    if (rome_offset(local - 3600) == 3600) {
        *utc = local - 3600;
        return 0;
    }
    return 1; /* skipped when clocks went forward */
}

/* Reads exactly n digits; -1 when one is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int rome_parse(const char *s, int64_t *utc)
{
    if (!s || strlen(s) != 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
        return -1;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2), mi = digits(s + 14, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return -1;
    return rome_to_utc(y, mo, d, h, mi, utc);
}

void rome_format(int64_t utc, char out[17])
{
    rome_tm_t t;
    rome_from_utc(utc, &t);
    char buf[64];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", t.year % 10000, t.month % 100, t.day % 100, t.hour % 100,
             t.minute % 100);
    memcpy(out, buf, 16);
    out[16] = '\0';
}

/* ---- the writer ---------------------------------------------------------------- */

void ical_line(str_t *out, const char *name, const char *value)
{
    str_t line = STR_INIT;
    str_adds(&line, name);
    str_addc(&line, ':');
    str_adds(&line, value);
    const char *p = str_cstr(&line);
    size_t n = line.len, room = 75;
    while (n > room) {
        /* Cut at most `room` octets, backing off continuation bytes. */
        size_t cut = room;
        while (cut > 1 && ((unsigned char)p[cut] & 0xC0) == 0x80) cut--;
        str_add(out, p, cut);
        str_adds(out, "\r\n ");
        p += cut;
        n -= cut;
        room = 74; /* the leading space counts */
    }
    str_add(out, p, n);
    str_adds(out, "\r\n");
    str_release(&line);
}

void ical_escape(str_t *out, const char *text)
{
    if (!text) return;
    /* Go through json_text for U+FFFD replacement of invalid bytes. */
    json_t *clean = json_text(text);
    const char *s = json_string_value(clean);
    for (; s && *s; s++) {
        switch (*s) {
        case '\\': str_adds(out, "\\\\"); break;
        case ';': str_adds(out, "\\;"); break;
        case ',': str_adds(out, "\\,"); break;
        case '\n': str_adds(out, "\\n"); break;
        case '\r': break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t') str_addc(out, ' ');
            else str_addc(out, *s);
        }
    }
    json_decref(clean);
}

static void text_prop(str_t *out, const char *name, const char *value)
{
    if (!value) return;
    str_t v = STR_INIT;
    ical_escape(&v, value);
    ical_line(out, name, str_cstr(&v));
    str_release(&v);
}

static void utc_stamp(int64_t t, char out[32])
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 32, "%04d%02d%02dT%02d%02d%02dZ", y % 10000, m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
             (int)(secs % 60));
}

static void local_stamp(int64_t t, char out[32])
{
    rome_tm_t r;
    rome_from_utc(t, &r);
    snprintf(out, 32, "%04d%02d%02dT%02d%02d%02d", r.year % 10000, r.month, r.day, r.hour, r.minute, r.second);
}

void ical_begin(str_t *out, const char *prodid, const char *calname)
{
    ical_begin_method(out, prodid, calname, "PUBLISH");
}

/* An address as a mailto: value, when it is one plain address (no CR/LF,
 * spaces, ; , : or quotes that would break the property). */
static void mailto_prop(str_t *out, const char *name, const char *addr)
{
    if (!addr || !*addr || strlen(addr) > 254 || strpbrk(addr, " \t\r\n;,:\"\\<>") || !strchr(addr, '@')) return;
    str_t v = STR_INIT;
    str_addf(&v, "mailto:%s", addr);
    ical_line(out, name, str_cstr(&v));
    str_release(&v);
}

/* Europe/Rome as a VTIMEZONE: summer time from the last Sunday of March to
 * the last Sunday of October. */
static const char *const vtimezone[][2] = {
    {"BEGIN", "VTIMEZONE"},
    {"TZID", ICAL_TZID},
    {"X-LIC-LOCATION", ICAL_TZID},
    {"BEGIN", "DAYLIGHT"},
    {"TZOFFSETFROM", "+0100"},
    {"TZOFFSETTO", "+0200"},
    {"TZNAME", "CEST"},
    {"DTSTART", "19700329T020000"},
    {"RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"},
    {"END", "DAYLIGHT"},
    {"BEGIN", "STANDARD"},
    {"TZOFFSETFROM", "+0200"},
    {"TZOFFSETTO", "+0100"},
    {"TZNAME", "CET"},
    {"DTSTART", "19701025T030000"},
    {"RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"},
    {"END", "STANDARD"},
    {"END", "VTIMEZONE"},
};

void ical_begin_method(str_t *out, const char *prodid, const char *calname, const char *method)
{
    ical_line(out, "BEGIN", "VCALENDAR");
    ical_line(out, "VERSION", "2.0");
    ical_line(out, "PRODID", prodid ? prodid : "-//labimpact//labimpact//IT");
    ical_line(out, "CALSCALE", "GREGORIAN");
    ical_line(out, "METHOD", method && *method ? method : "PUBLISH");
    text_prop(out, "X-WR-CALNAME", calname);
    ical_line(out, "X-WR-TIMEZONE", ICAL_TZID);
    for (size_t i = 0; i < sizeof vtimezone / sizeof vtimezone[0]; i++) ical_line(out, vtimezone[i][0], vtimezone[i][1]);
}

int ical_event(str_t *out, const ical_event_t *ev)
{
    if (!ev || !ev->uid || !*ev->uid || ev->end <= ev->start) return -1;
    char b[32];
    ical_line(out, "BEGIN", "VEVENT");
    text_prop(out, "UID", ev->uid);
    utc_stamp(ev->stamp, b);
    ical_line(out, "DTSTAMP", b);
    local_stamp(ev->start, b);
    ical_line(out, "DTSTART;TZID=" ICAL_TZID, b);
    local_stamp(ev->end, b);
    ical_line(out, "DTEND;TZID=" ICAL_TZID, b);
    if (ev->rrule && *ev->rrule) ical_line(out, "RRULE", ev->rrule);
    if (ev->last_modified) {
        utc_stamp(ev->last_modified, b);
        ical_line(out, "LAST-MODIFIED", b);
    }
    if (ev->sequence > 0) {
        snprintf(b, sizeof b, "%d", ev->sequence);
        ical_line(out, "SEQUENCE", b);
    }
    text_prop(out, "SUMMARY", ev->summary);
    text_prop(out, "LOCATION", ev->location);
    text_prop(out, "DESCRIPTION", ev->description);
    text_prop(out, "CATEGORIES", ev->categories);
    if (ev->status) ical_line(out, "STATUS", ev->status);
    if (ev->url) ical_line(out, "URL", ev->url);
    mailto_prop(out, "ORGANIZER", ev->organizer);
    for (const char *const *a = ev->attendees; a && *a; a++)
        mailto_prop(out, "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE", *a);
    ical_line(out, "TRANSP", ev->status && strcmp(ev->status, "CANCELLED") == 0 ? "TRANSPARENT" : "OPAQUE");
    ical_line(out, "END", "VEVENT");
    return 0;
}

void ical_end(str_t *out)
{
    ical_line(out, "END", "VCALENDAR");
}

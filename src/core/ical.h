/* ical.h — iCalendar (RFC 5545) feeds, and the Europe/Rome local time the
 * whole plan lives in.
 *
 * Writer: a VCALENDAR with one VTIMEZONE (Europe/Rome, CET/CEST) and VEVENTs
 * whose DTSTART/DTEND are local Rome times with TZID=Europe/Rome. Output
 * follows the RFC's octet rules: CRLF line ends, lines folded at 75 octets
 * (never inside a UTF-8 sequence), TEXT values escaped (\\ \; \, \n). It
 * never writes personal data it was not given, and never fails on bad
 * bytes: invalid UTF-8 becomes U+FFFD.
 *
 *   str_t out = STR_INIT;
 *   ical_begin(&out, "-//labimpact//mediation//IT", "Mediazione — Amina");
 *   ical_event_t ev = {.uid = "req-42@labimpact", .start = t0, .end = t1, .stamp = now,
 *                      .summary = "Mediazione arabo", .status = "CONFIRMED"};
 *   ical_event(&out, &ev);
 *   ical_end(&out);
 *
 * Local time: Italy has kept the EU summer-time rule since 1996 (CEST,
 * UTC+2, from the last Sunday of March 01:00 UTC to the last Sunday of
 * October 01:00 UTC; CET, UTC+1, otherwise). These functions compute it
 * arithmetically — no TZ environment variable, no lock — and are valid for
 * 1996-2099; a unit test compares them with the system tz database. */
#ifndef LI_ICAL_H
#define LI_ICAL_H
#include "date.h"
#include "str.h"
#include <stdbool.h>
#include <stdint.h>

#define ICAL_TZID "Europe/Rome"

/* A broken-down local time. wday: 1 = Monday .. 7 = Sunday. */
typedef struct rome_tm {
    int year, month, day, hour, minute, second, wday;
} rome_tm_t;

/* UTC offset in seconds (3600 or 7200) of Rome at the instant `utc`. */
int rome_offset(int64_t utc);
/* The Rome local time of the instant `utc`. */
void rome_from_utc(int64_t utc, rome_tm_t *out);
/* The instant of a Rome local time. Returns 0 with *utc set; 1 when the
 * local time does not exist (the hour skipped when clocks go forward);
 * -1 when the fields are out of range. An ambiguous time (the hour repeated
 * when clocks go back) gives the earlier instant (summer time). */
int rome_to_utc(int year, int month, int day, int hour, int minute, int64_t *utc);
/* Parses "YYYY-MM-DDTHH:MM" (or with a space instead of T) as Rome local
 * time; same returns as rome_to_utc, -1 also for bad syntax. */
int rome_parse(const char *s, int64_t *utc);
/* Formats the instant as Rome local "YYYY-MM-DDTHH:MM" into out[17]. */
void rome_format(int64_t utc, char out[17]);

/* One event. Times are instants (Unix seconds, UTC): start and end are
 * written as Rome local times; stamp (DTSTAMP) and last_modified as UTC. */
typedef struct ical_event {
    const char *uid;           /* required: globally unique, stable across feeds */
    int64_t start, end;        /* required, end > start */
    int64_t stamp;             /* required */
    int64_t last_modified;     /* 0: omitted */
    int sequence;              /* revision; 0 omitted */
    const char *summary;       /* or NULL */
    const char *location;
    const char *description;
    const char *status;        /* "CONFIRMED", "TENTATIVE", "CANCELLED" or NULL */
    const char *url;           /* or NULL */
    const char *categories;    /* comma-free text, or NULL */
    const char *organizer;     /* an e-mail address (ORGANIZER:mailto:), or NULL */
    const char *const *attendees; /* NULL-terminated e-mail addresses (ATTENDEE:mailto:), or NULL */
    const char *rrule;         /* an RRULE value already in RFC 5545 form (UNTIL in UTC), or NULL: one-off */
} ical_event_t;

/* BEGIN:VCALENDAR, VERSION, PRODID, CALSCALE, METHOD:PUBLISH, X-WR-CALNAME
 * (when calname is not NULL), X-WR-TIMEZONE and the Europe/Rome VTIMEZONE. */
void ical_begin(str_t *out, const char *prodid, const char *calname);
/* ical_begin with another METHOD ("REQUEST" for an invitation, RFC 5546). */
void ical_begin_method(str_t *out, const char *prodid, const char *calname, const char *method);
/* One VEVENT. Returns 0, or -1 (nothing written) when uid is missing or the
 * times are inconsistent. */
int ical_event(str_t *out, const ical_event_t *ev);
/* END:VCALENDAR. */
void ical_end(str_t *out);
/* Appends one content line "name:value" (value already in its final form,
 * e.g. escaped TEXT) folded at 75 octets with CRLF. */
void ical_line(str_t *out, const char *name, const char *value);
/* Appends `text` escaped as an RFC 5545 TEXT value (no folding). */
void ical_escape(str_t *out, const char *text);

#endif

/* mediation.h — on-call intercultural mediation: the territorial register of
 * mediators, requests from schools, consultori, hospitals and comuni,
 * matching, offers, bookings, close-out, cancellations, pay by the district's
 * protocol, monthly statements and calendar feeds.
 *
 * Rules this module keeps (numbered, referred to in the code):
 *  M1 A mediator is never booked twice: each booking holds the quarter-hour
 *     slots it touches in mediation_slot, whose primary key (mediator, slot)
 *     refuses an overlap inside the database, whatever the page did.
 *  M2 Candidates are able (active, speaks the language, qualified for the
 *     domain, covers the area or takes remote jobs) and free (inside their
 *     weekly availability, not away, no booking overlapping); best first =
 *     least recently assigned. Everyone else who speaks the language is
 *     listed with the reasons they are not offered.
 *  M3 Pay is computed once, at close-out or late cancellation, from the
 *     tariff in force on the day of the job (data/tariffs/<district>.json),
 *     and stored with the request; statements add stored amounts, so a later
 *     tariff never changes a past month.
 *  M4 A void cancellation pays nothing; a late one (inside the protocol's
 *     window before the start) pays the booked time (or the minimum, as the
 *     protocol says), without travel.
 *  M5 Scope: a district's coordinator sees its register and requests; a
 *     mediator sees only their own record, offers, bookings and statements;
 *     other districts see nothing (404).
 *
 * Times: requests are given as Rome local "YYYY-MM-DDTHH:MM" and stored as
 * UTC instants (core/ical.h does the conversion). */
#ifndef LI_MEDIATION_H
#define LI_MEDIATION_H
#include "app/scope.h"
#include "core/err.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The capabilities of mediation (app/scope.h). */
extern const capability_t cap_mediation_manage, cap_mediation_self;
#define CAP_MEDIATION_MANAGE (&cap_mediation_manage) /* run on-call mediation of the scope: register, requests, statements */
#define CAP_MEDIATION_SELF (&cap_mediation_self)     /* a mediator's own offers, bookings, statements and calendar */

#define MED_SLOT_SECONDS 900
#define MED_NAME_MAX 100
#define MED_TEXT_MAX 2000
#define MED_MAX_LIST 32      /* languages, domains, areas, qualifications per mediator */
#define MED_MAX_HOLIDAYS 64

/* ---- tariffs (the protocol's pay rules, as data) -------------------------- */

typedef struct med_tariff {
    char ref[96];              /* "cremona@2025-01-01": which version paid a job */
    char source[200];
    int64_t effective_from;    /* days since 1970-01-01 (Rome date) */
    int hourly_cents;
    int min_minutes, min_minutes_remote, increment_minutes;
    int evening_from, evening_to, evening_percent; /* minutes of the day; wraps midnight when from > to */
    int holiday_percent;
    bool sunday_is_holiday, easter_monday;
    int nholidays;
    int holidays[MED_MAX_HOLIDAYS]; /* month * 100 + day, every year */
    int travel_cents_per_km;
    int late_cancel_hours;
    bool late_pays_booked;     /* else the minimum billable time */
} med_tariff_t;

typedef enum { MED_DONE = 0, MED_LATE = 1, MED_VOID = 2 } med_outcome_t;

typedef struct med_pay {
    int billable_minutes, evening_minutes, holiday_minutes;
    int64_t base_cents, supplement_cents, travel_cents, total_cents;
} med_pay_t;

/* Reads one version object of a tariff file. 0, or -1 with a message. */
int med_tariff_from_json(json_t *version, const char *district, const char *source, med_tariff_t *out,
                         char *errbuf, size_t errlen);
/* Loads every data/tariffs/<name>.json (default.json for districts without a
 * file). Called once lazily; may be called again to reload. 0 or -1. */
int med_tariffs_load(const char *dir, char *errbuf, size_t errlen);
/* The tariff in force for district `code` at instant `at` (its Rome date).
 * 0, or -1 when no version covers it. */
int med_tariff_for(const char *code, int64_t at, med_tariff_t *out);
/* True when the Rome date is a holiday under the tariff (Sundays, fixed
 * holidays, Easter Monday). wday: 1 Monday .. 7 Sunday. */
bool med_is_holiday(const med_tariff_t *t, int year, int month, int day, int wday);
/* Computes the pay of a job that started at `start` (UTC):
 *   MED_DONE: billable = max(worked, minimum) rounded up to the increment;
 *   MED_LATE: billable = booked (or the minimum), no travel;
 *   MED_VOID: nothing.
 * Each billable minute laid from the start gets the higher of the evening and
 * holiday supplements that apply to it (they do not add up). Base,
 * supplement and travel are each rounded half up to the cent; the total is
 * their sum. Returns 0, or -1 on impossible input (negative values). */
int med_pay_compute(const med_tariff_t *t, med_outcome_t kind, int64_t start, int booked_minutes,
                    int minutes_worked, bool remote, int64_t travel_hm, med_pay_t *out);
/* "€ 1.234,56" (Italian grouping) into out. */
void med_euro(int64_t cents, char *out, size_t len);

/* ---- input checks ----------------------------------------------------------- */

/* True for an ISO 639 code as stored: 2 or 3 lowercase ASCII letters. */
bool med_lang_valid(const char *code);
bool med_domain_valid(const char *domain);
/* The slots [first, last] a booking of [start, end) holds (M1). */
void med_slots(int64_t start, int64_t end, int64_t *first, int64_t *last);
/* "HH:MM" -> minutes of the day (0..1440 with "24:00"); -1 when malformed. */
int med_hhmm(const char *s);

/* ---- the mediator's own record -------------------------------------------------- */

/* The id of the mediator record linked to the scope's user; 0 when none. */
int64_t med_self_id(const scope_t *sc, db_t *db);

/* ---- candidates (M2) ---------------------------------------------------------------- */

/* Exclusion reasons (codes, also msgids' keys in the pages). */
#define MED_R_INACTIVE "inactive"
#define MED_R_DOMAIN "domain"
#define MED_R_AREA "area"
#define MED_R_REMOTE "no_remote"
#define MED_R_UNAVAILABLE "unavailable"
#define MED_R_ABSENT "absent"
#define MED_R_BUSY "busy"
#define MED_R_DECLINED "declined"

/* Fills *out with {"items": [candidates best first], "excluded": [{mediator,
 * reasons}], "others": n (mediators of the district without the language)}
 * for request `id` visible to the scope. 0, 1 when the request is absent or
 * out of scope, or DB_E*. */
int med_candidates(const scope_t *sc, db_t *db, int64_t request_id, json_t **out);

#endif

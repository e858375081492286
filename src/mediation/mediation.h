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
 * UTC instants (core/ical.h does the conversion).
 *
 * This header is the module's contract: the pages (pages.c) and the API
 * (web.c) call only what is declared here, never the store. Each operation
 * checks the scope (M5), loads through it (store.h), validates, writes inside
 * the caller's transaction and queues the e-mails it causes; it returns 0, or
 * -status with `e` filled (the field at fault named): a database failure is
 * mapped to 409 / 503 / 500 inside the operation, an absent or out-of-scope
 * record to the one 404, so no DB_E* code reaches a handler.
 *
 * Audit: the handler writes the entry, always through web_audit_event (it
 * needs the request: its address and id, and for a read its own short
 * transaction). An operation that reads or changes one record hands back a
 * med_ref_t naming it and its organisation, so every entry carries the
 * record's district and its coordinators see it in their log. A list read is
 * one entry with the count, under the reader's organisation. */
#ifndef LI_MEDIATION_H
#define LI_MEDIATION_H
#include "app/scope.h"
#include "core/err.h"
#include "core/str.h"
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


/* True for a request status: open, offered, assigned, done, cancelled. */
bool med_status_valid(const char *status);

/* ---- records, handles and inputs ------------------------------------------------ */

/* A record an operation read or changed, for the handler's audit entry. */
typedef struct med_ref {
    int64_t id;     /* the record's id */
    int64_t org_id; /* its district */
} med_ref_t;

/* A district (org kind 'ambito') as the store's scoped lookup found it. */
typedef struct med_district {
    int64_t org_id;
    char code[64];
} med_district_t;

/* A mediator as loaded through the scope (or by their feed's token). */
typedef struct med_mediator {
    int64_t id, org_id, user_id;
    char org_code[64], given_name[128], family_name[128], email[256], calendar_token[64];
    bool active, remote;
} med_mediator_t;

/* A request as loaded through the scope (or by its confirmation token). */
typedef struct med_request {
    int64_t id, org_id, body_id, requester_id, mediator_id, start_at, end_at, travel_hm, total_cents;
    int64_t project_id; /* 0: none */
    int minutes, minutes_worked;
    bool remote;
    char org_code[64], org_name[256], language[8], domain[16], status[16], cancel_kind[8];
    char area[128], place[256], requester_name[128], requester_email[256], body_name[256];
} med_request_t;

/* A requesting body (school, consultorio, ...) of a district. */
typedef struct med_body {
    int64_t id, org_id;
    char org_code[64], name[256];
} med_body_t;

/* Input of a mediator (create, or change: NULL / -1 leave a field as it is). */
typedef struct med_mediator_input {
    const char *given_name, *family_name, *email, *phone, *notes, *org, *username;
    json_t *languages, *domains, *areas, *qualifications, *training, *availability; /* arrays or NULL */
    int remote, active; /* -1 when not given */
} med_mediator_input_t;

/* Input of a request. */
typedef struct med_request_input {
    const char *language, *domain, *start, *place, *area, *notes, *org;
    const char *requester_name, *requester_email, *requester_phone, *body_name;
    int64_t body_id, minutes;
    bool remote;
    int64_t project_id; /* given (0: the district's on the start date, governance.h); set by the create */
} med_request_input_t;

/* Input of a requesting body. */
typedef struct med_body_input {
    const char *name, *kind, *email, *org;
} med_body_input_t;

/* Which requests a list shows: NULL / 0 for any; [from, to) on the start. */
typedef struct med_request_filter {
    const char *status;
    int64_t mediator_id, from, to, cursor;
    int limit;
    bool by_start; /* ordered by start (pages), else by id (API keyset) */
} med_request_filter_t;

/* ---- time ranges and settings ------------------------------------------------------ */

/* [from, to) of the Rome calendar year of `now`; of a month "YYYY-MM" (-1 when malformed). */
int med_year_range(int64_t now, int64_t *from, int64_t *to);
int med_month_range(const char *month, int64_t *from, int64_t *to);

/* ---- the register (mediation.c) -------------------------------------------------------- */

/* The id of the mediator record linked to the scope's user; 0 when none. */
int64_t med_self_id(const scope_t *sc, db_t *db);
/* Visible mediators by id after `cursor` (lang: only those speaking it, or
 * NULL: 422 when malformed), each with languages, domains, areas,
 * availability and this year's minutes. */
int med_mediator_list(const scope_t *sc, db_t *db, const char *lang, int64_t cursor, int limit, json_t *items,
                      err_t *e);
/* One visible mediator as JSON, with "calendar_url" (relative) for
 * coordinators and the mediator themselves. */
int med_mediator_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, med_ref_t *ref, err_t *e);
int med_mediator_create(const scope_t *sc, db_t *db, med_mediator_input_t *in, med_ref_t *ref, err_t *e);
/* Coordinators change everything; a mediator only their own e-mail, phone,
 * remote and availability. */
int med_mediator_update(const scope_t *sc, db_t *db, int64_t id, med_mediator_input_t *in, med_ref_t *ref,
                        err_t *e);

/* ---- bodies and requests (mediation.c) ------------------------------------------------------ */

/* The requesting bodies of the scope, each with its public "ask_url". */
int med_body_list(const scope_t *sc, db_t *db, json_t *items, err_t *e);
int med_body_create(const scope_t *sc, db_t *db, const med_body_input_t *in, med_ref_t *ref, err_t *e);
/* The active body of a public ask token (404 when none). */
int med_ask_body(db_t *db, const char *token, med_body_t *out, err_t *e);
/* A new request by a coordinator of the district. */
int med_request_create(const scope_t *sc, db_t *db, med_request_input_t *in, med_ref_t *ref, err_t *e);
/* A new request from a body's public form (name and e-mail required, in the
 * future); mails the requester that it was received. */
int med_request_ask(const scope_t *sc, db_t *db, const med_body_t *body, med_request_input_t *in, med_ref_t *ref,
                    err_t *e);
/* One visible request as JSON (notes and the requester's e-mail only for
 * coordinators and the booked mediator). */
int med_request_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, med_ref_t *ref, err_t *e);
/* Visible requests as JSON (see med_request_filter_t). */
int med_request_list(const scope_t *sc, db_t *db, const med_request_filter_t *f, json_t *items, err_t *e);
/* The closed-out request of a confirmation token (404 unless done). */
int med_confirm_load(db_t *db, const char *token, med_request_t *out, err_t *e);
/* The requester confirms it with a rating 0 (none) to 5. */
int med_confirm(db_t *db, const med_request_t *r, int rating, err_t *e);

/* ---- candidates, offers, bookings (booking.c) ----------------------------------------------- */

/* Exclusion reasons (codes, also msgids' keys in the pages). */
#define MED_R_INACTIVE "inactive"
#define MED_R_DOMAIN "domain"
#define MED_R_AREA "area"
#define MED_R_REMOTE "no_remote"
#define MED_R_UNAVAILABLE "unavailable"
#define MED_R_ABSENT "absent"
#define MED_R_BUSY "busy"
#define MED_R_DECLINED "declined"

/* Fills *out with {"request_id", "items": [candidates best first], "excluded":
 * [{mediator, reasons}], "others": n (mediators of the district without the
 * language)} for a request the scope manages. */
int med_candidates(const scope_t *sc, db_t *db, int64_t request_id, json_t **out, med_ref_t *ref, err_t *e);
/* Candidate rows of a request (store rows with facts), for booking checks and
 * the demo. 0 or DB_E*. */
int med_candidate_rows(db_t *db, const med_request_t *r, json_t *rows);
/* Offers the request to candidates (M2); ids of new offers into `created`. */
int med_offer(const scope_t *sc, db_t *db, int64_t id, json_t *mediator_ids, bool auto_assign, json_t *created,
              med_ref_t *ref, err_t *e);
/* Offers visible to the scope: of one request, or of one mediator (0: any),
 * with a status or any (NULL). */
int med_offer_list(const scope_t *sc, db_t *db, int64_t request_id, int64_t mediator_id, const char *status,
                   json_t *items, err_t *e);
/* The mediator accepts (first acceptance wins when the offer says so) or
 * declines; `ref` names the offer, *request_id its request. */
int med_offer_answer(const scope_t *sc, db_t *db, int64_t offer_id, bool accept, int64_t *request_id, med_ref_t *ref,
                     err_t *e);
/* Books the mediator (M1): 409 mediator_busy on an overlap, 422 when not
 * eligible; `force` books outside declared availability / absence / area. */
int med_assign(const scope_t *sc, db_t *db, int64_t id, int64_t mediator_id, bool force, med_ref_t *ref, err_t *e);
int med_unassign(const scope_t *sc, db_t *db, int64_t id, med_ref_t *ref, err_t *e);
/* Close-out by the coordinator or the booked mediator (M3). */
int med_close(const scope_t *sc, db_t *db, int64_t id, int64_t minutes_worked, int64_t travel_hm, med_ref_t *ref,
              err_t *e);
/* Cancellation "void" or "late" (M4). */
int med_cancel(const scope_t *sc, db_t *db, int64_t id, const char *kind, const char *reason, med_ref_t *ref,
               err_t *e);

/* ---- statements, calendars, tariffs (statement.c) ------------------------------------------- */

/* The statement of a mediator for a month; mediator_id 0: the caller's own
 * (mediator) or the district's summary per mediator (coordinator). `ref`
 * names the mediator (id 0 and the reader's organisation for a summary). */
int med_statement(const scope_t *sc, db_t *db, int64_t mediator_id, const char *month, json_t **out, med_ref_t *ref,
                  err_t *e);
/* The mediator's .ics feed (bookings from 92 days ago on): by the feed's
 * secret token, or else through the scope. */
int med_calendar(const scope_t *sc, db_t *db, int64_t mediator_id, const char *token, int64_t now, str_t *out,
                 med_ref_t *ref, err_t *e);
/* The tariff in force for a district of the scope (`org` NULL: the
 * caller's) on a date "YYYY-MM-DD" (NULL: today), as JSON. */
int med_tariff_json(const scope_t *sc, db_t *db, const char *org, const char *date, json_t **out, err_t *e);

/* ---- e-mails (notify.c) ------------------------------------------------------------------------ */

/* Queues the reminders of bookings starting within 24 hours; *queued says how many. */
int med_send_reminders(db_t *db, int64_t now, int *queued, err_t *e);

#endif

/* ops.h — the operations of on-call mediation that web.c (pages and API)
 * and demo.c call: each validates its input, checks the scope (M5), changes
 * the data through store.c inside the caller's transaction and queues the
 * e-mails it causes. Each returns 0, or -status with `e` filled (the field
 * at fault named), as a handler wants it. */
#ifndef LI_MEDIATION_OPS_H
#define LI_MEDIATION_OPS_H
#include "core/str.h"
#include "store.h"

/* [from, to) of the Rome calendar year of `now`; of a month "YYYY-MM" (-1 when malformed). */
int med_year_range(int64_t now, int64_t *from, int64_t *to);
int med_month_range(const char *month, int64_t *from, int64_t *to);
/* The district (org kind 'ambito') `code` inside the scope: 0, 1 when none, DB_E*. */
int med_district(const scope_t *sc, db_t *db, const char *code, int64_t *org_id, char org_code[64]);
/* LABIMPACT_PUBLIC_URL (links in e-mails), default http://127.0.0.1:8080. */
const char *med_public_url(void);

int med_mediator_create(const scope_t *sc, db_t *db, med_mediator_input_t *in, int64_t *id, err_t *e);
/* Coordinators change everything; a mediator only their own e-mail, phone,
 * remote and availability. */
int med_mediator_update(const scope_t *sc, db_t *db, int64_t id, med_mediator_input_t *in, err_t *e);

/* A new request. From the requester's public form `public_body_id` and
 * `public_org_id` name the body and district (no scope needed); else 0. */
int med_request_create(const scope_t *sc, db_t *db, med_request_input_t *in, int64_t public_body_id,
                       int64_t public_org_id, int64_t *id, err_t *e);
/* Offers the request to candidates (M2); ids of new offers into `created`. */
int med_offer(const scope_t *sc, db_t *db, int64_t id, json_t *mediator_ids, bool auto_assign, json_t *created,
              err_t *e);
/* The mediator accepts (first acceptance wins when the offer says so) or declines. */
int med_offer_answer(const scope_t *sc, db_t *db, int64_t offer_id, bool accept, int64_t *request_id, err_t *e);
/* Books the mediator (M1): 409 mediator_busy on an overlap, 422 when not
 * eligible; `force` books outside declared availability / absence / area. */
int med_assign(const scope_t *sc, db_t *db, int64_t id, int64_t mediator_id, bool force, err_t *e);
int med_unassign(const scope_t *sc, db_t *db, int64_t id, err_t *e);
/* Close-out by the coordinator or the booked mediator (M3). */
int med_close(const scope_t *sc, db_t *db, int64_t id, int64_t minutes_worked, int64_t travel_hm, err_t *e);
/* Cancellation "void" or "late" (M4). */
int med_cancel(const scope_t *sc, db_t *db, int64_t id, const char *kind, const char *reason, err_t *e);
/* The statement of a mediator for a month; mediator_id 0: the caller's own
 * (mediator) or the district's summary per mediator (coordinator). */
int med_statement(const scope_t *sc, db_t *db, int64_t mediator_id, const char *month, json_t **out, err_t *e);
/* The mediator's .ics feed (bookings from 92 days ago on). 0 or DB_E*. */
int med_calendar(db_t *db, const med_mediator_t *m, int64_t now, str_t *out);
/* Candidate rows of a request (store rows with facts), for booking checks and pages. */
int med_candidate_rows(db_t *db, const med_request_t *r, json_t *rows);

/* E-mails: kind "offer", "assignment", "reminder", "cancellation", "received". */
int med_mail(db_t *db, const med_request_t *r, int64_t mediator_id, const char *kind);
/* Queues the reminders of bookings starting within 24 hours; returns how many, or DB_E*. */
int med_send_reminders(db_t *db, int64_t now);

#endif

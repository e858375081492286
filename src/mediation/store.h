/* store.h — the mediation module's SQL, and nothing else; only the
 * operations (mediation.c, booking.c, statement.c, notify.c) and the demo
 * loader call it.
 *
 * No function here takes a bare record id. Each one either
 *  - takes the caller's scope first and sees only what rule M5 (mediation.h)
 *    allows: the subtree for CAP_MEDIATION_MANAGE, the caller's own mediator
 *    record (and the requests offered or assigned to it) for
 *    CAP_MEDIATION_SELF; or
 *  - takes a handle (med_district_t, med_mediator_t, med_request_t,
 *    med_body_t, med_offer_t, med_account_t, med_requester_t) that only a
 *    scoped load here fills (or a lookup by a record's secret token, which is
 *    the credential itself), and touches only that record and its children.
 * Returns 0, 1 for "absent or out of scope" where said, or DB_E*.
 *
 * Files: store_mediators.c (districts, accounts, mediators, bodies),
 * store_requests.c (requests, slots, reminders, offers), store_statements.c
 * (matching, statements, calendars); store_vis.h holds the visibility SQL
 * they share. */
#ifndef LI_MEDIATION_STORE_H
#define LI_MEDIATION_STORE_H
#include "mediation.h"

/* An account of the scope with role mediator (to link to a record). */
typedef struct med_account {
    int64_t user_id;
} med_account_t;

/* A requester (a person at a body), found or created for a body. */
typedef struct med_requester {
    int64_t id;
} med_requester_t;

/* An offer of a request to a mediator, as loaded through the scope. */
typedef struct med_offer {
    int64_t id, request_id, mediator_id;
    char status[16];
    bool auto_assign;
} med_offer_t;

/* ---- districts and accounts (store_mediators.c) ---- */
/* The district (org kind 'ambito') `code` inside the scope's subtree (the
 * lookup is app/org.h's): 0 or 1. */
int med_store_district(const scope_t *sc, db_t *db, const char *code, med_district_t *out);
/* An account of the scope's subtree with role mediator, by username: 0 or 1. */
int med_store_account(const scope_t *sc, db_t *db, const char *username, med_account_t *out);

/* ---- mediators (store_mediators.c) ---- */
/* The id of the mediator record linked to the scope's user (0 when none). */
int med_store_self_id(const scope_t *sc, db_t *db, int64_t *id);
/* A mediator visible to the scope: 0 or 1. */
int med_store_mediator_get(const scope_t *sc, db_t *db, int64_t id, med_mediator_t *out);
/* The mediator whose calendar feed has this secret token: 0 or 1. */
int med_store_mediator_by_token(db_t *db, const char *token, med_mediator_t *out);
/* The mediator booked for a request (1 when none). */
int med_store_request_mediator(db_t *db, const med_request_t *r, med_mediator_t *out);
/* The JSON of a visible mediator (with languages, domains, areas,
 * availability, minutes worked in the Rome year [year_from, year_to)): 0 or 1. */
int med_store_mediator_json(const scope_t *sc, db_t *db, int64_t id, int64_t year_from, int64_t year_to,
                            json_t **out);
/* Visible mediators by id after `cursor` (lang: only those speaking it, or NULL). */
int med_store_mediator_list(const scope_t *sc, db_t *db, const char *lang, int64_t cursor, int limit,
                            int64_t year_from, int64_t year_to, json_t *items);
/* A new mediator of the district with their lists (validated); `account`
 * NULL for none. */
int med_store_mediator_insert(db_t *db, const med_district_t *d, const med_mediator_input_t *in,
                              const med_account_t *account, const char *token, int64_t now, int64_t *id);
/* Changes the fields given and replaces the lists given (validated). */
int med_store_mediator_update(db_t *db, const med_mediator_t *m, const med_mediator_input_t *in, int64_t now);

/* ---- bodies (store_mediators.c) ---- */
/* The bodies of the scope (with CAP_MEDIATION_MANAGE), with their ask_token. */
int med_store_body_list(const scope_t *sc, db_t *db, json_t *items);
/* A new body of the district: DB_ECONSTRAINT when the name is taken. */
int med_store_body_insert(db_t *db, const med_district_t *d, const med_body_input_t *in, const char *token,
                          int64_t now, med_body_t *out);
/* A body of the district by id: 0 or 1 (not in that district). */
int med_store_body_in(db_t *db, const med_district_t *d, int64_t body_id, med_body_t *out);
/* Finds a body of the district by name, or creates it (kind 'other'). */
int med_store_body_ensure(db_t *db, const med_district_t *d, const char *name, const char *token, int64_t now,
                          med_body_t *out);
/* The active body of an ask token, with its district: 0 or 1. */
int med_store_body_by_token(db_t *db, const char *token, med_body_t *out);
/* Finds a requester of the body by name or creates it; updates the e-mail
 * and phone when given. */
int med_store_requester_ensure(db_t *db, const med_body_t *b, const char *name, const char *email, const char *phone,
                               int64_t now, med_requester_t *out);

/* ---- requests (store_requests.c) ---- */
/* A new open request of the body's district (`b` and `rq` may be NULL),
 * created by the scope's user. */
int med_store_request_insert(const scope_t *sc, db_t *db, const med_district_t *d, const med_body_t *b,
                             const med_requester_t *rq, const med_request_input_t *in, int64_t start, int64_t now,
                             int64_t *id);
/* A request visible to the scope: 0 or 1. */
int med_store_request_get(const scope_t *sc, db_t *db, int64_t id, med_request_t *out);
/* The request of a confirmation token (public page): 0 or 1. */
int med_store_request_by_confirm(db_t *db, const char *token, med_request_t *out);
/* The JSON of a visible request, and its district's id: 0 or 1. */
int med_store_request_json(const scope_t *sc, db_t *db, int64_t id, json_t **out, int64_t *org_id);
/* Visible requests as JSON (see med_request_filter_t). */
int med_store_request_list(const scope_t *sc, db_t *db, const med_request_filter_t *f, json_t *items);
/* Books the slots [first, last] of the request for the mediator (M1):
 * DB_ECONSTRAINT on an overlap. */
int med_store_slots_book(db_t *db, const med_request_t *r, const med_mediator_t *m, int64_t first, int64_t last);
int med_store_slots_free(db_t *db, const med_request_t *r);
/* Sets the mediator when the request is still open / offered: 1 when it was not. */
int med_store_request_assign(db_t *db, const med_request_t *r, const med_mediator_t *m, int64_t now);
int med_store_request_unassign(db_t *db, const med_request_t *r, int64_t now);
int med_store_request_set_status(db_t *db, const med_request_t *r, const char *status, int64_t now);
int med_store_request_close(db_t *db, const med_request_t *r, int minutes_worked, int64_t travel_hm,
                            const char *tariff_ref, const med_pay_t *pay, const char *confirm_token, int64_t now);
int med_store_request_cancel(db_t *db, const med_request_t *r, const char *kind, const char *reason,
                             const char *tariff_ref, const med_pay_t *pay, int64_t now);
int med_store_request_confirm(db_t *db, const med_request_t *r, int rating, int64_t now);
/* Assigned requests visible to the scope starting in [from, to) with no
 * reminder sent yet (objects {"id"} into `ids`). */
int med_store_reminders_due(const scope_t *sc, db_t *db, int64_t from, int64_t to, json_t *ids);
int med_store_reminder_sent(db_t *db, const med_request_t *r, int64_t now);

/* ---- offers (store_requests.c) ---- */
/* A new open offer: DB_ECONSTRAINT when the mediator was offered it already. */
int med_store_offer_insert(db_t *db, const med_request_t *r, const med_mediator_t *m, bool auto_assign, int64_t now,
                           int64_t *id);
/* The offer visible to the scope: 0 or 1. */
int med_store_offer_get(const scope_t *sc, db_t *db, int64_t id, med_offer_t *out);
int med_store_offer_set(db_t *db, const med_offer_t *f, const char *status, int64_t now);
/* Withdraws the open offers of a request, except that of `keep` (NULL: all). */
int med_store_offers_withdraw(db_t *db, const med_request_t *r, const med_mediator_t *keep, int64_t now);
/* Offers visible to the scope: of one request, or of one mediator (0: any). */
int med_store_offer_list(const scope_t *sc, db_t *db, int64_t request_id, int64_t mediator_id, const char *status,
                         json_t *items);

/* ---- matching (store_statements.c) ---- */
/* Mediators of the request's district speaking its language, with the facts
 * M2 needs, least recently assigned first. */
int med_store_candidate_rows(db_t *db, const med_request_t *r, int weekday, int start_min, int end_min,
                             int64_t first_slot, int64_t last_slot, json_t *rows);
/* Active mediators of the request's district not speaking its language. */
int med_store_others_count(db_t *db, const med_request_t *r, int64_t *n);

/* ---- statements and calendars (store_statements.c) ---- */
/* Paid lines (done, late-cancelled) of the mediator with start in [from, to). */
int med_store_statement_lines(db_t *db, const med_mediator_t *m, int64_t from, int64_t to, json_t *lines);
/* Totals per mediator of the visible register for [from, to). */
int med_store_statement_summary(const scope_t *sc, db_t *db, int64_t from, int64_t to, json_t *items);
/* The mediator's bookings (assigned, done, late-cancelled) ending after
 * `since`: objects with id, start_at, end_at (UTC), status, language, domain,
 * remote, place, body, requester, updated_at, created_at, org. */
int med_store_calendar_rows(db_t *db, const med_mediator_t *m, int64_t since, json_t *rows);

#endif

/* store.h — the mediation module's SQL, and nothing else. Reads of scoped
 * data take the scope first and see only what rule M5 (mediation.h) allows:
 * the subtree for CAP_MEDIATION_MANAGE, the caller's own mediator record
 * (and the requests offered or assigned to it) for CAP_MEDIATION_SELF.
 * Returns 0, 1 for "absent or out of scope" where said, or DB_E*. */
#ifndef LI_MEDIATION_STORE_H
#define LI_MEDIATION_STORE_H
#include "mediation.h"

typedef struct med_mediator {
    int64_t id, org_id, user_id;
    char org_code[64], given_name[128], family_name[128], email[256], calendar_token[64];
    bool active, remote;
} med_mediator_t;

typedef struct med_request {
    int64_t id, org_id, body_id, requester_id, mediator_id, start_at, end_at, travel_hm, total_cents;
    int minutes, minutes_worked;
    bool remote;
    char org_code[64], org_name[256], language[8], domain[16], status[16], cancel_kind[8];
    char area[128], place[256], requester_name[128], requester_email[256], body_name[256];
} med_request_t;

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
} med_request_input_t;

/* ---- mediators ---- */
int medstore_self_id(db_t *db, int64_t user_id, int64_t *id);
int medstore_mediator_get(const scope_t *sc, db_t *db, int64_t id, med_mediator_t *out);
int medstore_mediator_by_token(db_t *db, int64_t id, const char *token, med_mediator_t *out);
/* The JSON of a visible mediator (with languages, domains, areas,
 * availability, minutes worked in the Rome year [year_from, year_to)). */
int medstore_mediator_json(const scope_t *sc, db_t *db, int64_t id, int64_t year_from, int64_t year_to, json_t **out);
/* Visible mediators by id after `cursor` (lang: only those speaking it, or NULL). */
int medstore_mediator_list(const scope_t *sc, db_t *db, const char *lang, int64_t cursor, int limit,
                           int64_t year_from, int64_t year_to, json_t *items);
int medstore_mediator_insert(db_t *db, const med_mediator_input_t *in, int64_t org_id, int64_t user_id,
                             const char *token, int64_t now, int64_t *id);
int medstore_mediator_update(db_t *db, int64_t id, const med_mediator_input_t *in, int64_t now);
/* Replaces the languages / domains / areas / availability given (validated). */
int medstore_mediator_lists(db_t *db, int64_t id, const med_mediator_input_t *in);
int medstore_mediator_absence_add(db_t *db, int64_t id, int64_t from, int64_t to);
/* An account of the scope's subtree with role mediator, by username: *user_id or 1. */
int medstore_mediator_account(const scope_t *sc, db_t *db, const char *username, int64_t *user_id);

/* ---- bodies ---- */
int medstore_body_list(const scope_t *sc, db_t *db, json_t *items);
int medstore_body_insert(db_t *db, int64_t org_id, const char *name, const char *kind, const char *email,
                         const char *token, int64_t now, int64_t *id);
/* A body of the district by id (1 when not in that district). */
int medstore_body_in(db_t *db, int64_t org_id, int64_t body_id, char *name, size_t len);
/* Finds a body of the district by name, or creates it (kind 'other'). */
int medstore_body_ensure(db_t *db, int64_t org_id, const char *name, const char *token, int64_t now, int64_t *id);
/* The active body of an ask token, with its district: 1 when none. */
int medstore_body_by_token(db_t *db, const char *token, int64_t *body_id, int64_t *org_id, char *org_code,
                           char *name, size_t len);
/* Finds a requester of the body by name or creates it; updates the e-mail if given. */
int medstore_requester_ensure(db_t *db, int64_t body_id, const char *name, const char *email, const char *phone,
                              int64_t now, int64_t *id);

/* ---- requests ---- */
int medstore_request_insert(db_t *db, const med_request_input_t *in, int64_t org_id, int64_t body_id,
                            int64_t requester_id, int64_t start, int64_t created_by, int64_t now, int64_t *id);
int medstore_request_get(const scope_t *sc, db_t *db, int64_t id, med_request_t *out);
/* The request by its confirmation token (public page): 1 when none. */
int medstore_request_by_confirm(db_t *db, const char *token, med_request_t *out);
int medstore_request_json(const scope_t *sc, db_t *db, int64_t id, json_t **out);
/* Visible requests: filters may be NULL / 0; [from, to) on start_at (0: open). */
int medstore_request_list(const scope_t *sc, db_t *db, const char *status, int64_t mediator_id, int64_t from,
                          int64_t to, int64_t cursor, int limit, bool by_start, json_t *items);
/* Books the slots [first, last] for the request (M1): DB_ECONSTRAINT on overlap. */
int medstore_slots_book(db_t *db, int64_t mediator_id, int64_t request_id, int64_t first, int64_t last);
int medstore_slots_free(db_t *db, int64_t request_id);
/* Sets the mediator when the request is still open / offered: 1 when it was not. */
int medstore_request_assign(db_t *db, int64_t id, int64_t mediator_id, int64_t now);
int medstore_request_unassign(db_t *db, int64_t id, int64_t now);
int medstore_request_set_status(db_t *db, int64_t id, const char *status, int64_t now);
int medstore_request_close(db_t *db, int64_t id, int minutes_worked, int64_t travel_hm, const char *tariff_ref,
                           const med_pay_t *pay, const char *confirm_token, int64_t now);
int medstore_request_cancel(db_t *db, int64_t id, const char *kind, const char *reason, const char *tariff_ref,
                            const med_pay_t *pay, int64_t now);
int medstore_request_confirm(db_t *db, int64_t id, int rating, int64_t now);
/* Assigned requests starting in [from, to) with no reminder sent yet (ids into `ids`). */
int medstore_reminders_due(db_t *db, int64_t from, int64_t to, json_t *ids);
int medstore_reminder_sent(db_t *db, int64_t id, int64_t now);

/* ---- offers ---- */
int medstore_offer_insert(db_t *db, int64_t request_id, int64_t mediator_id, bool auto_assign, int64_t now,
                          int64_t *id);
/* The offer visible to the scope: 1 when none. */
int medstore_offer_get(const scope_t *sc, db_t *db, int64_t id, int64_t *request_id, int64_t *mediator_id,
                       char *status, bool *auto_assign);
int medstore_offer_set(db_t *db, int64_t id, const char *status, int64_t now);
/* Withdraws the open offers of a request (except `keep_mediator`). */
int medstore_offers_withdraw(db_t *db, int64_t request_id, int64_t keep_mediator, int64_t now);
/* Offers visible to the scope: of one request, or of one mediator (0: any). */
int medstore_offer_list(const scope_t *sc, db_t *db, int64_t request_id, int64_t mediator_id, const char *status,
                        json_t *items);

/* ---- matching ---- */
/* Mediators of the district speaking `lang`, with the facts M2 needs, least
 * recently assigned first. */
int medstore_candidate_rows(db_t *db, const med_request_t *r, int weekday, int start_min, int end_min,
                            int64_t first_slot, int64_t last_slot, json_t *rows);
/* Active mediators of the district not speaking `lang`. */
int medstore_others_count(db_t *db, int64_t org_id, const char *lang, int64_t *n);

/* ---- statements and calendars ---- */
/* Paid lines (done, late-cancelled) of the mediator with start in [from, to). */
int medstore_statement_lines(db_t *db, int64_t mediator_id, int64_t from, int64_t to, json_t *lines);
/* Totals per mediator of the visible register for [from, to). */
int medstore_statement_summary(const scope_t *sc, db_t *db, int64_t from, int64_t to, json_t *items);
/* The mediator's bookings (assigned, done, late-cancelled) ending after `since`. */
int medstore_calendar_rows(db_t *db, int64_t mediator_id, int64_t since, json_t *rows);

#endif

/* store.h — the directory module's SQL, and nothing else; only the
 * operations (association.c, event.c, channel.c, service.c, hsds.c) and the
 * demo loader call it. Files: store.c (districts, associations),
 * store_service.c (events, services), store_channel.c (threads, support).
 *
 * No function here takes a bare record id. Each one either
 *  - takes the caller's scope first and sees only what rules D2 and D5
 *    (directory.h) allow: approved associations for everyone, every
 *    association of the subtree for CAP_ASSOCIATION_REVIEW, its own for
 *    CAP_ASSOCIATION_SELF; services and their organisations are public (D4);
 *  - or takes a handle (dir_district_t, dir_org_t, dir_association_t) that
 *    only a lookup here fills (or a lookup by the record's secret token,
 *    which is the credential itself), and touches only that record.
 * Returns 0, 1 for "absent or out of scope", or DB_E*. */
#ifndef LI_DIRECTORY_STORE_H
#define LI_DIRECTORY_STORE_H
#include "directory.h"

/* An organisation as a lookup found it (a district: kind 'ambito'). */
typedef struct dir_org {
    int64_t id;
    char code[64], name[256];
} dir_org_t;
typedef dir_org_t dir_district_t;

/* An association as a scoped lookup (or its token) found it. */
typedef struct dir_association {
    int64_t id, org_id, user_id;
    char name[256], email[256], status[16], org_code[64];
    bool email_confirmed;
} dir_association_t;

/* A JSON array as stored text ("[]" for NULL); the caller frees it. */
char *dir_store_list_text(const json_t *v);
/* Turns the three stored list texts keys[] of a row object into arrays ([] when not one). */
void dir_store_lists_parse(json_t *o, const char *const keys[3]);

/* The public district `code` (anyone may name one): 0 or 1. */
int dir_store_district_public(db_t *db, const char *code, dir_district_t *out);
/* A district of the scope's subtree: 0 or 1. */
int dir_store_district(const scope_t *sc, db_t *db, const char *code, dir_district_t *out);
/* Any organisation of the scope's subtree: 0 or 1. */
int dir_store_org(const scope_t *sc, db_t *db, const char *code, dir_org_t *out);

/* The districts, {code, name} by name (public). */
int dir_store_district_list(db_t *db, json_t *items);

/* ---- associations ---- */
int dir_store_association_insert(db_t *db, const dir_district_t *d, const dir_association_input_t *in,
                                 const char *token, int64_t now, int64_t *id);
/* The association of a confirmation token: 0 or 1. */
int dir_store_association_by_token(db_t *db, const char *token, dir_association_t *out);
/* An association the scope sees (D2, D5): 0 or 1. */
int dir_store_association_get(const scope_t *sc, db_t *db, int64_t id, dir_association_t *out);
/* An association of the scope's own (D5: its district's reviewers, or the
 * association itself), whatever its status: 0 or 1. */
int dir_store_association_own(const scope_t *sc, db_t *db, int64_t id, dir_association_t *out);
/* The id of the association whose account the scope is (0: none). */
int dir_store_association_self(const scope_t *sc, db_t *db, int64_t *id);
int dir_store_association_confirm(db_t *db, const dir_association_t *a, int64_t now);
/* Records the decision (and the account made for an approved one, 0: none). */
int dir_store_association_decide(db_t *db, const dir_association_t *a, const char *status, const char *reason,
                                 int64_t user_id, int64_t now);
/* Changes the fields given (NULL keeps one). */
int dir_store_association_update(db_t *db, const dir_association_t *a, const dir_association_input_t *in,
                                 int64_t now);
/* The association as JSON; `private`: with e-mail, status, reason. */
int dir_store_association_json(db_t *db, const dir_association_t *a, bool private, json_t **out);
/* Associations of district org_id (0: any) with status (NULL: any), by id
 * after cursor: `private`, those of the scope's own (D5) with what only they
 * see; else the approved ones (D2). */
int dir_store_association_list(const scope_t *sc, db_t *db, int64_t org_id, const char *status, int64_t cursor,
                               int limit, bool private, json_t *items);

/* ---- channels and support (store_channel.c) ---- */
/* A thread as a scoped lookup found it. */
typedef struct dir_thread {
    int64_t id, org_id, association_id;
    char kind[16], title[256];
} dir_thread_t;

/* A new thread of the district; `a` the association opening it, or NULL. */
int dir_store_thread_insert(db_t *db, const dir_district_t *d, const char *kind, const char *title,
                            const dir_association_t *a, int64_t user_id, int64_t now, int64_t *id);
/* A thread the scope sees: its district's reviewers, or `self` (the
 * scope's own association, NULL for none) for its district's threads but
 * other associations' questions: 0 or 1. */
int dir_store_thread_get(const scope_t *sc, db_t *db, const dir_association_t *self, int64_t id, dir_thread_t *out);
/* The threads the scope sees (as dir_store_thread_get), newest first, with
 * an id below `cursor` (0: any), at most `limit`. */
int dir_store_thread_list(const scope_t *sc, db_t *db, const dir_association_t *self, int64_t cursor, int limit,
                          json_t *items);
/* A message of the thread (`a`: the association writing, or NULL); the thread is touched. */
int dir_store_message_insert(db_t *db, const dir_thread_t *t, int64_t author_id, const dir_association_t *a,
                             const char *body, int64_t now, int64_t *id);
int dir_store_thread_messages(db_t *db, const dir_thread_t *t, json_t *items);
/* E-mail addresses to notify about the thread: its district's approved
 * associations (its own association only, for a question), or the
 * district's coordinators (`to_district`). */
int dir_store_thread_recipients(db_t *db, const dir_thread_t *t, bool to_district, json_t *emails);
int dir_store_support_insert(db_t *db, const dir_association_t *a, const char *kind, const char *description,
                             int64_t amount_cents, const char *given_on, int64_t user_id, int64_t now, int64_t *id);
int dir_store_support_list(db_t *db, const dir_association_t *a, json_t *items);

/* ---- events ---- */
int dir_store_event_insert(db_t *db, const dir_district_t *d, const dir_association_t *a,
                           const dir_event_input_t *in, int64_t start, int64_t end, const char *rrule,
                           int64_t repeat_until, int64_t user_id, int64_t now, int64_t *id);
/* Public events of the district (of approved associations, or none) that
 * end, or may still recur, from `from` (rows with start_at, end_at, rrule). */
int dir_store_event_list(db_t *db, const dir_district_t *d, int64_t from, int limit, json_t *items);

/* ---- services ---- */
/* A service of the scope's subtree (kept by its editors and coordinators, D4): 0 or 1. */
typedef struct dir_service_ref {
    int64_t id, org_id;
} dir_service_ref_t;
int dir_store_service_own(const scope_t *sc, db_t *db, int64_t id, dir_service_ref_t *out);
/* Replaces every field of the service (its organisation `o` too). */
int dir_store_service_update(db_t *db, const dir_service_ref_t *s, const dir_org_t *o, const dir_service_input_t *in,
                             const char *search_text, int64_t now);
/* The service as its editor sees it (the input's fields, lists as arrays, org as a code). */
int dir_store_service_edit_json(db_t *db, const dir_service_ref_t *s, json_t **out);
/* The services of the scope's subtree {id, name, org, city, updated_at} by name, at most `limit`. */
int dir_store_service_list_own(const scope_t *sc, db_t *db, int limit, json_t *items);
/* The organisations of the scope's subtree {code, name, selected} by name. */
int dir_store_org_options(const scope_t *sc, db_t *db, const char *selected, json_t *items);
int dir_store_service_insert(db_t *db, const dir_org_t *o, const dir_service_input_t *in, const char *search_text,
                             int64_t now, int64_t *id);
/* One page of services matching the query (public, D4) and the total. */
int dir_store_service_page(const scope_t *sc, db_t *db, const dir_hsds_query_t *q, json_t *rows, int64_t *total);
/* One service row (public): 0 or 1. Service number n from its HSDS id. */
int dir_store_service_row(const scope_t *sc, db_t *db, int64_t n, json_t **row);
/* One page of organisations that provide services, and the total. */
int dir_store_org_page(const scope_t *sc, db_t *db, const dir_hsds_query_t *q, json_t *rows, int64_t *total);
/* One organisation row providing services (public): 0 or 1; with its services' rows. */
int dir_store_org_row(const scope_t *sc, db_t *db, int64_t n, json_t **row, json_t *services);

/* ---- referrals received (store_referral.c) ---- */
/* The service `id` (public): 0 or 1. */
int dir_store_service_target(db_t *db, int64_t id, dir_service_target_t *out);
/* A referral sent to an organisation of the scope's subtree (D6). */
typedef struct dir_referral {
    int64_t id, org_id, to_org_id, created_by;
    char status[16], service[256];
} dir_referral_t;
int dir_store_referral_incoming_get(const scope_t *sc, db_t *db, int64_t id, dir_referral_t *out);
/* The referrals sent to the scope's subtree (D6: only the fields the receiver needs). */
int dir_store_referral_incoming(const scope_t *sc, db_t *db, const char *status, int64_t cursor, int limit,
                                json_t *items);
int dir_store_referral_answer(db_t *db, const dir_referral_t *r, const char *status, const char *note,
                              int64_t user_id, int64_t now);
/* The e-mails of the active accounts holding a receiving role in organisation org_id. */
int dir_store_referral_receivers(db_t *db, int64_t org_id, json_t *emails);
/* The e-mail of the account that sent the referral ("" when none). */
int dir_store_referral_author_email(db_t *db, const dir_referral_t *r, char email[256]);

#endif

/* directory.h — participation and the directory of services (macro-action
 * 4): associations that register themselves and are reviewed by their
 * district, their events with a public iCalendar feed per district, channels
 * between the district and its associations (threads, support recorded),
 * and the directory of services published as an Open Referral HSDS 3.0 read
 * API and data package (export and import), found by need, language and
 * comune on the public pages.
 *
 * Files: check.c (formats, languages, taxonomy), association.c, event.c,
 * channel.c, service.c, hsds.c (the HSDS shapes), find.c (by distance from
 * a comune), export.c / import.c (the data package); store*.c the SQL;
 * web.c / web_channel.c the API, pages.c / pages_own.c the pages; demo.c.
 *
 * Rules this module keeps (numbered, referred to in the code):
 *  D1 An association registers itself (no session) as `pending`; its e-mail
 *     is confirmed by the link mailed to it; only a confirmed association
 *     can be reviewed, by a coordinator of its district (approve, or reject
 *     with a reason); the association is told by e-mail either way.
 *  D2 Only approved associations are public (lists, profiles, their events'
 *     names); pending and rejected ones are seen by their district only.
 *  D3 On approval the association gets its own account (role association,
 *     a one-time password mailed to it): it changes its own profile and
 *     posts events of its own, nothing else.
 *  D4 Services are kept by editors and coordinators for organisations of
 *     their subtree; the directory (services, their organisations, the
 *     taxonomy) is public in the HSDS shape.
 *  D5 Scope: another district's records are absent (404); a role without
 *     the capability is refused (403).
 *  D6 A help desk's referral may name a service of the directory; the
 *     accounts of that service's organisation (and of the organisations
 *     above it) see the referrals sent to it, with the person's name,
 *     phone and preferred language only, and answer them; the desk reads
 *     the answer on the person's page.
 *
 * Times: events are given as Rome local "YYYY-MM-DDTHH:MM" and stored as
 * UTC instants (core/ical.h).
 *
 * This header is the module's contract: pages.c and web.c call only what is
 * declared here, never the store. Each operation checks the scope, loads
 * through it (store.h), validates, writes inside the caller's transaction
 * and queues its e-mails; it returns 0, or -status with `e` filled (the field
 * at fault named); absent or out-of-scope records give the one 404, database
 * failures 409 / 503 / 500, so no DB_E* code reaches a handler.
 *
 * Audit: the handler writes the entry through web_audit_event, with the
 * dir_ref_t the operation handed back (the record and its district). */
#ifndef LI_DIRECTORY_H
#define LI_DIRECTORY_H
#include "app/scope.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The capabilities of the directory (app/scope.h). */
extern const capability_t cap_association_review, cap_association_self, cap_service_manage, cap_channel,
    cap_referral_receive;
#define CAP_ASSOCIATION_REVIEW (&cap_association_review) /* review the associations of the scope */
#define CAP_ASSOCIATION_SELF (&cap_association_self)     /* an association's own profile and events */
#define CAP_SERVICE_MANAGE (&cap_service_manage)         /* keep the services (and events) of the scope */
#define CAP_CHANNEL (&cap_channel)                       /* take part in the district's channels (threads) */
#define CAP_REFERRAL_RECEIVE (&cap_referral_receive)     /* see and answer the referrals sent to the scope's services */

#define DIR_NAME_MAX 200
#define DIR_TEXT_MAX 4000
#define DIR_LIST_MAX 32

/* A record an operation read or changed, for the handler's audit entry. */
typedef struct dir_ref {
    int64_t id;     /* the record's id */
    int64_t org_id; /* its organisation (the district for associations and events) */
} dir_ref_t;

/* ---- input checks and reference data (check.c) ------------------------------------ */

/* The English name of an ISO 639 code the directory knows (NULL: unknown). */
const char *dir_language_name(const char *code);
/* The language's own name (العربية for ar; NULL: unknown), for pages in any language. */
const char *dir_language_autonym(const char *code);
/* Every known language as [{code, name (autonym), selected}] for a select. */
json_t *dir_language_options(const char *selected);
/* True for an e-mail address of the plain form local@domain.tld. */
bool dir_email_valid(const char *s);
/* True for an absolute http:// or https:// URL without spaces. */
bool dir_url_valid(const char *s);
/* True for a RUNTS number as given: 1 to 12 digits. */
bool dir_runts_valid(const char *s);
/* Reads the optional array of strings `key` of `body` into *out (NULL when
 * absent), each checked by `valid` (NULL: any non-empty text up to 100
 * characters); 422 naming the field otherwise. */
int dir_strings(json_t *body, const char *key, bool (*valid)(const char *), const char *message, json_t **out,
                err_t *e);
/* ISO 3166-1 alpha-2 and ISO 639 checks for dir_strings. */
bool dir_country_ok(const char *s);
bool dir_language_ok(const char *s);
/* The taxonomy of integration services (data/directory/taxonomy.json),
 * loaded once: the whole document (borrowed), or NULL when unreadable. */
const json_t *dir_taxonomy(void);
/* True when `code` is a term of the taxonomy. */
bool dir_category_ok(const char *code);

/* The districts as [{code, name, selected}] for a select (public). */
int dir_districts(db_t *db, const char *selected, json_t **out, err_t *e);

/* ---- associations (association.c) --------------------------------------------------- */

typedef struct dir_association_input {
    const char *name, *email, *description, *org, *legal_form, *runts, *phone, *website;
    json_t *communities, *languages, *activities; /* arrays or NULL */
} dir_association_input_t;

/* D1: a new pending association of district `in->org`, mailed its
 * confirmation link (built on `base_url`). */
int dir_association_register(db_t *db, const dir_association_input_t *in, const char *base_url, dir_ref_t *ref,
                             err_t *e);
/* D1: the association with this confirmation token (404 when none); `apply`
 * confirms its e-mail. *name receives its name (a buffer of 256). */
int dir_association_confirm(db_t *db, const char *token, bool apply, char *name, dir_ref_t *ref, err_t *e);
/* D1, D3: a coordinator of the district approves or rejects (reason required
 * to reject); the association is told by e-mail, an approved one gets its account. */
int dir_association_review(const scope_t *sc, db_t *db, int64_t id, const char *decision, const char *reason,
                           const char *base_url, dir_ref_t *ref, err_t *e);
/* D2: approved associations of district `org` (all districts when NULL) as
 * public JSON, by id after `cursor`. */
int dir_association_public_list(db_t *db, const char *org, int64_t cursor, int limit, json_t *items, err_t *e);
/* D2: one approved association as public JSON. */
int dir_association_public(db_t *db, int64_t id, json_t **out, err_t *e);
/* The associations of the reviewer's scope with `status` (NULL: any), with e-mails. */
int dir_association_queue(const scope_t *sc, db_t *db, const char *status, int64_t cursor, int limit, json_t *items,
                          err_t *e);
/* One association as its district or the association itself sees it. */
int dir_association_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, dir_ref_t *ref, err_t *e);
/* D3: the association changes its own profile (or its district's coordinator). */
int dir_association_update(const scope_t *sc, db_t *db, int64_t id, const dir_association_input_t *in,
                           dir_ref_t *ref, err_t *e);
/* The id of the association whose account the scope is (0: none). */
int64_t dir_association_self(const scope_t *sc, db_t *db);

/* ---- events (event.c) ------------------------------------------------------------------ */

typedef struct dir_event_input {
    const char *title, *description, *place, *start, *end, *org, *audience;
    int64_t association_id; /* 0: none */
    json_t *themes, *languages;
    json_t *recurrence; /* NULL: one-off; {"freq":"weekly|monthly","interval"?,"byday"?,"until":"YYYY-MM-DD"} */
} dir_event_input_t;

/* A new event: editors and coordinators for their subtree (optionally of an
 * association of it), an association for itself (D3). */
int dir_event_create(const scope_t *sc, db_t *db, const dir_event_input_t *in, dir_ref_t *ref, err_t *e);
/* Occurrences of the events of district `org` (public: approved
 * associations' or none) from `from` on, as JSON, by start: a recurring
 * initiative gives one item per occurrence in the next year (at most 60),
 * each with "recurrence" (its RRULE) and "recurring": true. */
int dir_event_public_list(db_t *db, const char *org, int64_t from, int limit, json_t *items, err_t *e);
/* The public iCalendar feed of district `org` (events from 92 days ago on). */
int dir_event_ics(db_t *db, const char *org, str_t *out, err_t *e);

/* Recurrences (recur.c). The RRULE value of a recurrence object (see
 * dir_event_input_t) for an event starting at `start`, and the instant its
 * last occurrence may start; 422 naming "recurrence.<field>". */
int dir_recur_rule(const json_t *rec, int64_t start, char rrule[128], int64_t *until, err_t *e);
/* The starts of the occurrences of an event (start, end; `rrule` NULL for a
 * one-off) that overlap [from, to), at most `max`; returns how many. */
int dir_recur_expand(const char *rrule, int64_t start, int64_t end, int64_t from, int64_t to, int64_t *starts,
                     int max);
/* "Every week", "Every month", ... (an English msgid) of a rule; NULL for none. */
const char *dir_recur_label(const char *rrule);

/* ---- channels and support (channel.c) ---------------------------------------------------- */

typedef struct dir_thread_input {
    const char *kind, *title, *body, *org; /* kind: codesign, announcement, question */
} dir_thread_input_t;

typedef struct dir_support_input {
    int64_t association_id, amount_cents; /* amount -1: none */
    const char *kind, *description, *date; /* kind: training, space, grant, promotion */
} dir_support_input_t;

/* A thread of the district with its first message: the district's
 * coordinators call for co-design or announce (to its approved associations),
 * an association asks a question (to the coordinators); both told by e-mail. */
int dir_thread_create(const scope_t *sc, db_t *db, const dir_thread_input_t *in, dir_ref_t *ref, err_t *e);
/* The threads the scope sees, newest first, those with an id below `cursor`
 * (0: from the newest), at most `limit` (an association: its district's,
 * without other associations' questions). */
int dir_thread_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e);
/* One thread with its messages. */
int dir_thread_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, dir_ref_t *ref, err_t *e);
/* A reply in a thread, mailed to the other side; `ref` names the message. */
int dir_message_post(const scope_t *sc, db_t *db, int64_t thread_id, const char *body, dir_ref_t *ref, err_t *e);
/* Support the district gives an approved association of its own (coordinators). */
int dir_support_create(const scope_t *sc, db_t *db, const dir_support_input_t *in, dir_ref_t *ref, err_t *e);
/* The support recorded for an association (its district, or itself). */
int dir_support_list(const scope_t *sc, db_t *db, int64_t association_id, json_t *items, dir_ref_t *ref, err_t *e);

/* ---- services and the HSDS read API (service.c, hsds.c) ------------------------------ */

typedef struct dir_service_input {
    const char *name, *description, *org, *email, *phone, *url, *address_1, *city, *postal_code;
    json_t *languages, *categories, *schedules;
} dir_service_input_t;

/* D4: a new service of organisation `in->org` (in the scope's subtree). */
int dir_service_create(const scope_t *sc, db_t *db, const dir_service_input_t *in, dir_ref_t *ref, err_t *e);
/* D4: replaces every field of service `id` of the scope's subtree (its
 * organisation stays when in->org is NULL), checked as at creation. */
int dir_service_update(const scope_t *sc, db_t *db, int64_t id, const dir_service_input_t *in, dir_ref_t *ref,
                       err_t *e);
/* D4: service `id` as its editor sees it (the input's fields), 404 outside the subtree. */
int dir_service_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, dir_ref_t *ref, err_t *e);
/* D4: the services of the scope's subtree {id, name, org, city, updated_at}. */
int dir_service_list_own(const scope_t *sc, db_t *db, json_t *items, err_t *e);
/* The organisations of the scope's subtree as [{code, name, selected}]. */
int dir_org_options(const scope_t *sc, db_t *db, const char *selected, json_t *items, err_t *e);

/* The query of an HSDS list: page from 1, per_page 1..100. */
typedef struct dir_hsds_query {
    int page, per_page;
    const char *search;     /* NULL: any; words matched in name and description */
    int64_t modified_after; /* 0: any */
    const char *category;   /* a taxonomy term code, or NULL */
    const char *language;   /* an ISO 639 code, or NULL */
    const char *city;       /* a comune, or NULL */
} dir_hsds_query_t;

/* The HSDS identifiers: uuid-shaped, one kind per record type. */
typedef enum {
    HSDS_ORGANIZATION = 1, HSDS_SERVICE, HSDS_LOCATION, HSDS_SERVICE_AT_LOCATION, HSDS_ADDRESS, HSDS_PHONE,
    HSDS_SCHEDULE, HSDS_LANGUAGE, HSDS_TAXONOMY, HSDS_TAXONOMY_TERM, HSDS_ATTRIBUTE
} hsds_kind_t;
/* "0000000k-0000-4000-8000-nnnnnnnnnnnn" into out[37]. */
void hsds_id(hsds_kind_t kind, int64_t n, char out[37]);
/* The number of an HSDS identifier of that kind; 0 when it is not one. */
int64_t hsds_id_parse(hsds_kind_t kind, const char *s);

/* GET /hsds/: the API's metadata. */
json_t *hsds_meta(const char *base_url);
/* The paginated services (full HSDS services) of the query. */
int hsds_services(db_t *db, const dir_hsds_query_t *q, json_t **out, err_t *e);
/* One service, fully nested (404 when the id is not one). */
int hsds_service(db_t *db, const char *id, json_t **out, err_t *e);
/* The paginated organisations providing services; one with its services. */
int hsds_organizations(db_t *db, const dir_hsds_query_t *q, json_t **out, err_t *e);
int hsds_organization(db_t *db, const char *id, json_t **out, err_t *e);
/* The paginated taxonomies (the one of integration services; `db` unused:
 * the same shape as the other lists). */
int hsds_taxonomies(db_t *db, const dir_hsds_query_t *q, json_t **out, err_t *e);

/* The taxonomy (terms false) or its terms as flat HSDS objects, appended to `rows`. */
void hsds_taxonomy_rows(bool terms, json_t *rows);

/* ---- referrals to the directory's services (referral.c) ----------------------------- */

/* The service a help desk refers a person to, as the desk records it. */
typedef struct dir_service_target {
    int64_t id, org_id;
    char name[256], org_code[64];
} dir_service_target_t;

/* D4: the directory's service `id` (public): 0, or 422 naming `field`. */
int dir_service_target(db_t *db, int64_t id, const char *field, dir_service_target_t *out, err_t *e);

/* D6: tells the accounts of the service's organisation (operators,
 * coordinators, mediators, teachers) by e-mail that a referral arrived,
 * without personal data: the service's name and the page to open. */
int dir_referral_notify(db_t *db, const dir_service_target_t *t, err_t *e);
/* D6: the referrals sent to the services of the scope's organisations
 * (CAP_REFERRAL_RECEIVE), newest first, id below `cursor` (0: any), of
 * `status` (NULL: any). Each shows only what the receiver needs: when and
 * from which desk, the service, the person's name, phone and preferred
 * language, the reason, the status and the answer; never the person's
 * other data. */
int dir_referral_incoming(const scope_t *sc, db_t *db, const char *status, int64_t cursor, int limit, json_t *items,
                          err_t *e);
/* D6: the receiving service answers referral `id`: accepted or declined (a
 * sent one), completed or declined (an accepted one), with a note (required
 * to decline); 409 when the referral is past that. The desk's author is
 * told by e-mail, without personal data. `ref`: the referral and the
 * sending desk's organisation. */
int dir_referral_answer(const scope_t *sc, db_t *db, int64_t id, const char *status, const char *note,
                        dir_ref_t *ref, err_t *e);

/* ---- the HSDS data package (export.c) ------------------------------------------------- */

/* datapackage.json: one CSV resource per HSDS table (services, organizations,
 * locations, service_at_locations, addresses, phones, schedules, languages,
 * attributes, taxonomies, taxonomy_terms), paths relative to it. */
json_t *dir_datapackage(const char *base_url);
/* The CSV file of resource `name` (404 when it is not one). */
int dir_export_csv(db_t *db, const char *name, str_t *out, err_t *e);

/* Imports the services of a data package's CSV files (`files`: {"services.csv":
 * text, ...}) as services of organisation `org` (NULL: the caller's), each
 * checked as dir_service_create does; all or nothing. 422 names the file,
 * line and field ("services.csv:3:email"). *imported counts them. */
int dir_import(const scope_t *sc, db_t *db, const char *org, const json_t *files, int *imported, err_t *e);

/* ---- finding a service (find.c) --------------------------------------------------------- */

/* The coordinates of comune `name` (data/directory/comuni.csv, compared
 * without case): true, or false when it is not in the file. */
bool dir_comune_coords(const char *name, double *lat, double *lon);
/* Great-circle distance in km between two points (haversine). */
double dir_distance_km(double lat1, double lon1, double lat2, double lon2);
/* The comuni of data/directory/comuni.csv as [{name, selected}]. */
json_t *dir_comune_options(const char *selected);
/* The services for a need (taxonomy code), a language (ISO 639) and a comune
 * (each NULL or "" for any; 422 naming the field when unknown), as HSDS
 * services; with a comune, each carries "distance_km" from it and they are
 * ordered by distance (those whose comune is unknown last). */
int dir_find(db_t *db, const char *need, const char *language, const char *comune, json_t **out, err_t *e);

#endif

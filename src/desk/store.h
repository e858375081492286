/* store.h — the help desk's SQL, and the only place of it: persons_store.c,
 * casework_store.c, procedures_store.c, records_store.c and store.c.
 * Portable SQL for SQLite and PostgreSQL, always with bound parameters; the
 * name search is the one place that branches on the engine.
 *
 * Scope (DESIGN.md "Scope is enforced in one place"):
 *   1. A function that finds records (by id, by search, in a list) takes the
 *      caller's scope first and restricts by org.path to the scope's
 *      subtree; a record out of scope answers 1, exactly like an absent one.
 *   2. A function that acts on a record already found takes its reference
 *      (desk_person_ref_t, desk_record_ref_t), which only the scoped loaders
 *      and inserts below fill; it takes the scope too when it records its
 *      author (sc->user_id; 0, the command line, records none) or filters a
 *      list. No function takes a bare record id.
 * Rules of procedures, the digest ledger and settings are not personal data:
 * they take no scope.
 * Returns 0 (1 where said), or DB_E*. */
#ifndef LI_DESK_STORE_H
#define LI_DESK_STORE_H
#include "desk.h"

/* A person found in scope (or just created). */
typedef struct desk_person_ref {
    int64_t id, org_id;
    bool active; /* status 'active' (not anonymised, not merged) */
} desk_person_ref_t;

/* A record found in scope (or just created): `kind` is its table
 * (consultation, desk_procedure, referral, appointment, followup, consent,
 * household_link, permit, person_document); person_id 0 when it has none. */
typedef struct desk_record_ref {
    const char *kind;
    int64_t id, person_id, org_id;
} desk_record_ref_t;

/* ---- persons (persons_store.c) ---------------------------------------------------- */

/* The person row fields a write needs. */
typedef struct person_row {
    int64_t org_id; /* on insert: an organisation the operation resolved in scope */
    const char *given_name, *family_name, *sex, *birth_date, *citizenship, *codice_fiscale, *phone, *email;
    const char *languages, *preferred_language, *age_band_first, *search_doc, *dup_key;
} person_row_t;

/* Finds person `id` in scope: fills *ref and, when `out` is not NULL, the API
 * object (with "org" code, "org_path", languages as an array). 0 or 1. */
int desk_store_person_load(const scope_t *sc, db_t *db, int64_t id, desk_person_ref_t *ref, json_t **out);
/* Inserts a person with its search keys; fills *out. */
int desk_store_person_insert(const scope_t *sc, db_t *db, const person_row_t *p, int64_t now, desk_person_ref_t *out);
/* Rewrites the person's fields and search keys (p->org_id is ignored). */
int desk_store_person_update(db_t *db, const desk_person_ref_t *ref, const person_row_t *p, int64_t now);
/* Moves last_contact_at forward to `now`. */
int desk_store_person_touch(db_t *db, const desk_person_ref_t *ref, int64_t now);
/* Search, newest first, ids below `cursor` (0: from the top), person
 * summaries appended to `items`. `match` NULL lists every person of the
 * scope; otherwise it is the engine's query from desk_search_query: an FTS5
 * MATCH text on SQLite, and on PostgreSQL one line per typed word of key
 * ranges "lo hi [lo hi]" over person_key (b-tree range scans, the words'
 * person sets intersected). */
int desk_store_person_search(const scope_t *sc, db_t *db, const char *match, int64_t cursor, int limit,
                             json_t *items);
/* Active persons of the scope with duplicate key k1 or k2, or codice fiscale
 * `cf` (NULL: not compared), but `except` (NULL: none); at most 10 summaries. */
int desk_store_person_dups(const scope_t *sc, db_t *db, const char *k1, const char *k2, const char *cf,
                           const desk_person_ref_t *except, json_t *items);
/* Anonymises a person and deletes what is no longer needed; storage names of
 * the deleted documents are appended to `files` (the caller removes them). */
int desk_store_person_anonymise(db_t *db, const desk_person_ref_t *ref, int64_t now, json_t *files);
/* Active persons with no contact since `before` (retention), up to `limit`:
 * {id, org, org_id, last_contact_at}. */
int desk_store_persons_stale(const scope_t *sc, db_t *db, int64_t before, int limit, json_t *items);
/* Moves every record of `gone` to `keep` and marks `gone` merged. */
int desk_store_person_merge(db_t *db, const desk_person_ref_t *keep, const desk_person_ref_t *gone, int64_t now);
/* Who saw or changed the person's data (audit entries), newest first. */
int desk_store_person_access_log(db_t *db, const desk_person_ref_t *ref, int limit, json_t *items);
/* The person's records of `kind` (a desk_record_ref_t kind other than
 * consultation and desk_procedure), at most 500, as API objects (documents
 * with their "storage" name, which callers drop before answering). */
int desk_store_person_records(db_t *db, const char *kind, const desk_person_ref_t *ref, json_t *items);

/* ---- records of a person (records_store.c) --------------------------------------- */

/* Finds record `id` of `kind` (as in desk_store_person_records) in scope:
 * fills *ref and, when `out` is not NULL, its API object. 0 or 1. */
int desk_store_record_load(const scope_t *sc, db_t *db, const char *kind, int64_t id, desk_record_ref_t *ref,
                           json_t **out);
int desk_store_consent_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *kind,
                              const char *given_on, const char *note, int64_t now, desk_record_ref_t *out);
/* Marks a consent withdrawn on `on` (once: a withdrawn one stays as it was). */
int desk_store_consent_withdraw(const scope_t *sc, db_t *db, const desk_record_ref_t *ref, const char *on);
int desk_store_household_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p,
                                const desk_person_ref_t *other, const char *relation, int64_t now,
                                desk_record_ref_t *out);
int desk_store_permit_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *kind,
                             const char *number, const char *issued, const char *expiry, int64_t now,
                             desk_record_ref_t *out);
/* A document's row; `storage` is the file's name under the documents folder. */
int desk_store_document_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *title,
                               const char *filename, const char *type, int64_t size, const char *sha,
                               const char *storage, int64_t now, desk_record_ref_t *out);
/* Deletes a household link, permit or document row. */
int desk_store_record_delete(db_t *db, const desk_record_ref_t *ref);

/* ---- casework (casework_store.c) ---------------------------------------------------- */

/* The consultation fields a write needs (the person's, for a named one,
 * are the operation's copy of them at the consultation's date). */
typedef struct consultation_row {
    int64_t org_id; /* of an anonymous one: an organisation resolved in scope */
    int64_t duration;
    int64_t project_id; /* its project (governance.h); 0: none */
    const char *date, *channel, *topics, *outcome, *notes, *citizenship, *sex, *age_band;
} consultation_row_t;
/* Inserts a consultation of person `p` (NULL: anonymous, in row->org_id),
 * by sc->user_id, with one consultation_topic row per comma-separated topic. */
int desk_store_consultation_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p,
                                   const consultation_row_t *row, int64_t now, desk_record_ref_t *out);
/* Finds consultation `id` in scope (topics as an array in `out`). 0 or 1. */
int desk_store_consultation_load(const scope_t *sc, db_t *db, int64_t id, desk_record_ref_t *ref, json_t **out);
/* Consultations of the scope (of person `p` when not NULL), dated between
 * from and to (NULL: open), newest first, ids below cursor. */
int desk_store_consultation_list(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *from,
                                 const char *to, int64_t cursor, int limit, json_t *items);
/* A referral of `p`, from consultation `cons` (NULL: none), to organisation
 * `to_org_id` of the public network (0: none) or a named service. */
int desk_store_referral_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const desk_record_ref_t *cons,
                               int64_t to_org_id, const char *to_service, const char *reason, int64_t now,
                               desk_record_ref_t *out);
/* The directory's service (dir_service id) the referral `ref` is sent to. */
int desk_store_referral_set_service(db_t *db, const desk_record_ref_t *ref, int64_t service_id);
/* NULL arguments keep the current values. */
int desk_store_referral_update(db_t *db, const desk_record_ref_t *ref, const char *status, const char *outcome,
                               int64_t now);
/* An appointment with sc->user_id, of `p` (NULL: nobody yet, in org_id). */
int desk_store_appointment_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, int64_t org_id,
                                  const char *date, const char *time, int64_t minutes, const char *purpose,
                                  const char *place, int64_t now, desk_record_ref_t *out);
int desk_store_appointment_update(db_t *db, const desk_record_ref_t *ref, const char *status, const char *date,
                                  const char *time, int64_t now);
/* A follow-up of `p` assigned to sc->user_id. */
int desk_store_followup_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *due,
                               const char *note, int64_t now, desk_record_ref_t *out);
/* done: 1 done now, 0 not done, -1 unchanged; due NULL unchanged. */
int desk_store_followup_update(db_t *db, const desk_record_ref_t *ref, int done, const char *due, int64_t now);
/* A list of the agenda of the scope: the appointments of day `from`, open
 * procedure deadlines or permit expiries between `from` and `to`, or the
 * follow-ups due by day `from` (`to` unused for one-day lists). */
typedef enum {
    DESK_AGENDA_APPOINTMENTS,
    DESK_AGENDA_DEADLINES,
    DESK_AGENDA_PERMITS,
    DESK_AGENDA_FOLLOWUPS
} desk_agenda_list_t;
int desk_store_agenda(const scope_t *sc, db_t *db, desk_agenda_list_t list, const char *from, const char *to,
                      json_t *items);
/* The consultation register of the scope, oldest first, ids above cursor. */
int desk_store_register(const scope_t *sc, db_t *db, const char *from, const char *to, int64_t cursor, int limit,
                        json_t *items);

/* ---- procedures (procedures_store.c) ------------------------------------------------ */

int desk_store_procedure_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *type,
                                const char *facts, const char *opened_on, const char *rule_from,
                                const char *rule_origin, int64_t now, desk_record_ref_t *out);
/* Finds procedure `id` in scope; `out`: {id, person_id, org_id, org, type,
 * status, facts (object), opened_on, closed_on, rule_effective_from,
 * rule_origin, created_at, updated_at}. 0 or 1. */
int desk_store_procedure_load(const scope_t *sc, db_t *db, int64_t id, desk_record_ref_t *ref, json_t **out);
int desk_store_procedure_update(db_t *db, const desk_record_ref_t *ref, const char *facts, const char *status, const char *closed_on, const char *rule_from,
                                const char *rule_origin, int64_t now);
/* Sets the project a procedure belongs to (governance.h; 0: none). */
int desk_store_procedure_set_project(db_t *db, const desk_record_ref_t *ref, int64_t project_id);
int desk_store_procedure_set_rule(db_t *db, const desk_record_ref_t *ref, const char *rule_from,
                                  const char *rule_origin);
/* The ticked checklist items as {"step:<code>": true, "document:<code>": true}. */
int desk_store_procedure_checks(db_t *db, const desk_record_ref_t *ref, json_t *done);
int desk_store_procedure_check_set(const scope_t *sc, db_t *db, const desk_record_ref_t *ref, const char *kind,
                                   const char *code, bool done, int64_t now);
/* Replaces the stored deadlines [{code, kind, date, met}]. */
int desk_store_procedure_set_deadlines(db_t *db, const desk_record_ref_t *ref, const json_t *deadlines);
int desk_store_procedure_deadlines(db_t *db, const desk_record_ref_t *ref, json_t *items);
/* The procedures of person `p`, newest first (rows as in _load). */
int desk_store_procedure_list(const scope_t *sc, db_t *db, const desk_person_ref_t *p, json_t *items);
/* Ids of the open procedures of the scope of `type` opened on or after `from`. */
int desk_store_procedures_open(const scope_t *sc, db_t *db, const char *type, const char *from, json_t *ids);

/* ---- rules, access grants, digest, settings (store.c) ------------------------------- */

/* The latest database version of a rule effective on `date`: *rule (NULL
 * when none) and its *id. */
int desk_store_rule_latest(db_t *db, const char *type, const char *date, int64_t *id, json_t **rule);
int desk_store_rule_types(db_t *db, json_t *types);
int desk_store_rule_versions(db_t *db, const char *type, json_t *items);
int desk_store_rule_insert(const scope_t *sc, db_t *db, const char *type, const char *from, const char *body,
                           const char *reason, int64_t now, int64_t *id);
/* A break-the-glass grant: its id, the organisation it opens and why. */
typedef struct desk_grant {
    int64_t id, org_id;
    char org_path[256], org_code[64], reason[256];
} desk_grant_t;
/* The active break-the-glass grant of the session's user: 1 when none. */
int desk_store_grant_active(const scope_t *session, db_t *db, int64_t now, desk_grant_t *out);
/* A region account by username: 1 when none or not a region account. */
int desk_store_region_user(db_t *db, const char *username, int64_t *user_id);
/* A grant to region account `user_id` (from desk_store_region_user) on
 * organisation `org_id` of the scope, by sc->user_id. */
int desk_store_grant_insert(const scope_t *sc, db_t *db, int64_t user_id, int64_t org_id, const char *reason,
                            int64_t now, int64_t expires, int64_t *id);
/* Revokes grant `id` on an organisation of the scope: 1 when none is active. */
int desk_store_grant_revoke(const scope_t *sc, db_t *db, int64_t id, int64_t now);
/* The latest 200 grants on organisations of the scope. */
int desk_store_grant_list(const scope_t *sc, db_t *db, int64_t now, json_t *items);
/* Operators and coordinators with an e-mail and no digest of `day` yet:
 * {user_id, username, email, role, org_id, org, org_path}. */
int desk_store_digest_recipients(db_t *db, const char *day, json_t *items);
/* Marks that `recipient` (a row of desk_store_digest_recipients) got the digest of `day`. */
int desk_store_digest_mark(db_t *db, const json_t *recipient, const char *day, int64_t outbox_id);
/* Settings (key/value table): 1 when the key is not set. */
int desk_store_setting_get(db_t *db, const char *key, char *out, size_t len);

/* ---- for the store files only (store.c) ---------------------------------------------- */

/* Runs `sql`, whose two parameters are a record id and the scope's subtree
 * pattern (`... WHERE x.id = ? AND o.path LIKE ?`), with `id` and sc. */
db_stmt_t *desk_store_query_id(const scope_t *sc, db_t *db, const char *sql, int64_t id, int *rc);
/* The first row of `items` (filled by a query that returned `rc`) as
 * record `id` of `kind`: *ref from its person_id and org_id and, when `out`
 * is not NULL, *out the row. 0, 1 when there is no row, or rc. */
int desk_store_first_ref(int rc, const json_t *items, const char *kind, int64_t id, desk_record_ref_t *ref,
                         json_t **out);
/* Replaces the text member `key` of each object of `items` ("a,b") by an array. */
void desk_store_split_list(json_t *items, const char *key);

#endif

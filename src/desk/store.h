/* store.h — the help desk's SQL. Every function reading personal data takes
 * the scope first and restricts by org.path (absent and out of scope both
 * answer 1). Writes take ids the caller already resolved in scope.
 * Returns 0 (1 where said), or DB_E*. */
#ifndef LI_DESK_STORE_H
#define LI_DESK_STORE_H
#include "desk.h"

/* Row helpers of the store files: `spec` lists "name:type" per column. */
json_t *desk_store_row_obj(db_stmt_t *st, const char *spec);
int desk_store_rows_into(db_stmt_t *st, int rc, const char *spec, json_t *items);
int desk_store_one_into(db_stmt_t *st, int rc, const char *spec, json_t **out);
int desk_store_insert_id(db_stmt_t *st, int rc, int64_t *id);

/* The person row fields a write needs. */
typedef struct person_row {
    int64_t org_id;
    const char *given_name, *family_name, *sex, *birth_date, *citizenship, *codice_fiscale, *phone, *email;
    const char *languages, *preferred_language, *age_band_first, *search_doc, *dup_key;
} person_row_t;

/* Persons. `out` gets the API object (with "org" code and "org_path"). */
int desk_store_person_get(const scope_t *sc, db_t *db, int64_t id, json_t **out);
int desk_store_person_insert(db_t *db, const person_row_t *p, int64_t by, int64_t now, int64_t *id);
int desk_store_person_update(db_t *db, int64_t id, const person_row_t *p, int64_t now);
int desk_store_person_touch(db_t *db, int64_t id, int64_t now);
/* Search: `match` is the engine query (NULL lists all), newest first, ids below cursor. */
int desk_store_person_search(const scope_t *sc, db_t *db, const char *match, int64_t cursor, int limit, json_t *items);
int desk_store_person_dups(const scope_t *sc, db_t *db, const char *k1, const char *k2, const char *cf, int64_t except,
                      json_t *items);
/* Anonymises a person and deletes what is no longer needed; storage paths of
 * the deleted documents are appended to `files` (removed after commit). */
int desk_store_person_anonymise(db_t *db, int64_t id, int64_t now, json_t *files);
/* Persons with no contact since `before` (retention), in scope, up to limit. */
int desk_store_persons_stale(const scope_t *sc, db_t *db, int64_t before, int limit, json_t *items);
int desk_store_person_merge(db_t *db, int64_t keep, int64_t gone, int64_t now);

/* Consultations. */
typedef struct consultation_row {
    int64_t org_id, person_id, operator_id, duration;
    const char *date, *channel, *topics, *outcome, *notes, *citizenship, *sex, *age_band;
} consultation_row_t;
int desk_store_consultation_insert(db_t *db, const consultation_row_t *c, int64_t now, int64_t *id);
int desk_store_consultation_topic(db_t *db, int64_t id, const char *topic);
int desk_store_consultation_get(const scope_t *sc, db_t *db, int64_t id, json_t **out);
int desk_store_consultation_list(const scope_t *sc, db_t *db, int64_t person_id, const char *from, const char *to,
                            int64_t cursor, int limit, json_t *items);

/* Procedures. */
int desk_store_procedure_insert(db_t *db, int64_t person_id, int64_t org_id, const char *type, const char *facts,
                           const char *opened_on, const char *rule_from, const char *rule_origin, int64_t by,
                           int64_t now, int64_t *id);
/* The row: {id, person_id, org_id, type, status, facts (text), opened_on, closed_on, ...}. */
int desk_store_procedure_get(const scope_t *sc, db_t *db, int64_t id, json_t **out);
int desk_store_procedure_update(db_t *db, int64_t id, const char *facts, const char *status, const char *closed_on,
                           const char *rule_from, const char *rule_origin, int64_t now);
int desk_store_procedure_set_rule(db_t *db, int64_t id, const char *rule_from, const char *rule_origin);
int desk_store_procedure_checks(db_t *db, int64_t id, json_t *done);
int desk_store_procedure_check_set(db_t *db, int64_t id, const char *kind, const char *code, bool done, int64_t by,
                              int64_t now);
int desk_store_procedure_set_deadlines(db_t *db, int64_t id, int64_t person_id, int64_t org_id, const json_t *deadlines);
int desk_store_procedure_list(const scope_t *sc, db_t *db, int64_t person_id, json_t *items);
int desk_store_procedure_deadline_list(db_t *db, int64_t id, json_t *items);
int desk_store_procedures_open(db_t *db, const char *type, const char *from, json_t *ids);

/* Referrals, appointments, follow-ups: generic owner lookup by table. */
int desk_store_owner(const scope_t *sc, db_t *db, const char *table, int64_t id, int64_t *person_id, int64_t *org_id);
int desk_store_referral_insert(db_t *db, int64_t person_id, int64_t org_id, int64_t consultation_id, int64_t to_org_id,
                          const char *to_service, const char *reason, int64_t by, int64_t now, int64_t *id);
int desk_store_referral_update(db_t *db, int64_t id, const char *status, const char *outcome, int64_t now);
int desk_store_appointment_insert(db_t *db, int64_t person_id, int64_t org_id, const char *date, const char *time,
                             int64_t minutes, const char *purpose, const char *place, int64_t user_id, int64_t by,
                             int64_t now, int64_t *id);
int desk_store_appointment_update(db_t *db, int64_t id, const char *status, const char *date, const char *time, int64_t now);
int desk_store_followup_insert(db_t *db, int64_t person_id, int64_t org_id, const char *due, const char *note,
                          int64_t assigned_to, int64_t by, int64_t now, int64_t *id);
int desk_store_followup_update(db_t *db, int64_t id, int done, const char *due, int64_t now);
/* Lists of a person (already checked in scope). */
int desk_store_list_of_person(db_t *db, const char *what, int64_t person_id, json_t *items);
/* One row of a table as JSON, in scope. */
int desk_store_row_get(const scope_t *sc, db_t *db, const char *what, int64_t id, json_t **out);

/* The agenda. */
int desk_store_agenda_appointments(const scope_t *sc, db_t *db, const char *date, json_t *items);
int desk_store_agenda_deadlines(const scope_t *sc, db_t *db, const char *from, const char *to, json_t *items);
int desk_store_agenda_permits(const scope_t *sc, db_t *db, const char *from, const char *to, json_t *items);
int desk_store_agenda_followups(const scope_t *sc, db_t *db, const char *before, json_t *items);

/* Consents, household, permits, documents. */
int desk_store_consent_insert(db_t *db, int64_t person_id, int64_t org_id, const char *kind, const char *given_on,
                         const char *note, int64_t by, int64_t now, int64_t *id);
int desk_store_consent_withdraw(db_t *db, int64_t id, const char *on, int64_t by);
int desk_store_household_insert(db_t *db, int64_t person_id, int64_t other_id, const char *relation, int64_t by,
                           int64_t now, int64_t *id);
int desk_store_household_delete(db_t *db, int64_t id);
int desk_store_permit_insert(db_t *db, int64_t person_id, int64_t org_id, const char *kind, const char *number,
                        const char *issued, const char *expiry, int64_t by, int64_t now, int64_t *id);
int desk_store_permit_delete(db_t *db, int64_t id);
int desk_store_document_insert(db_t *db, int64_t person_id, int64_t org_id, const char *title, const char *filename,
                          const char *type, int64_t size, const char *sha, const char *storage, int64_t by,
                          int64_t now, int64_t *id);
int desk_store_document_delete(db_t *db, int64_t id);

/* Who saw or changed the person's data (audit entries), newest first. */
int desk_store_person_access_log(db_t *db, int64_t person_id, int limit, json_t *items);

/* Rules. */
int desk_store_rule_latest(db_t *db, const char *type, const char *date, int64_t *id, json_t **rule);
int desk_store_rule_types(db_t *db, json_t *types);
int desk_store_rule_versions(db_t *db, const char *type, json_t *items);
int desk_store_rule_insert(db_t *db, const char *type, const char *from, const char *body, const char *reason, int64_t by,
                      int64_t now, int64_t *id);

/* Access grants. */
int desk_store_grant_active(db_t *db, int64_t user_id, int64_t now, int64_t *grant_id, int64_t *org_id, char *org_path,
                       size_t path_len, char *org_code, size_t code_len, char *reason, size_t reason_len);
int desk_store_grant_insert(db_t *db, int64_t user_id, int64_t org_id, const char *reason, int64_t by, int64_t now,
                       int64_t expires, int64_t *id);
int desk_store_grant_revoke(db_t *db, int64_t id, int64_t now);
int desk_store_grant_list(db_t *db, int64_t now, json_t *items);
/* A region account by username: 1 when none or not a region account. */
int desk_store_region_user(db_t *db, const char *username, int64_t *user_id);

/* Register export and digest. */
int desk_store_register(const scope_t *sc, db_t *db, const char *from, const char *to, int64_t cursor, int limit,
                   json_t *items);
int desk_store_digest_recipients(db_t *db, const char *day, json_t *items);
int desk_store_digest_mark(db_t *db, int64_t user_id, const char *day, int64_t outbox_id);

/* Settings (key/value table). */
int desk_store_setting_get(db_t *db, const char *key, char *out, size_t len);
int desk_store_setting_put(db_t *db, const char *key, const char *value, int64_t now);

#endif

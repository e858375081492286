/* desk.h — the help desk (sportello immigrati): persons and what is held
 * about them, consultations (named or anonymous), procedures driven by the
 * rules file (data/rules/procedures.json plus versions an admin adds), the
 * agenda, referrals, appointments, follow-ups, GDPR export and erasure.
 *
 * Invariants (every function here keeps them):
 *   1. Personal data is reached only through a desk_ctx_t whose scope comes
 *      from the session: store functions restrict by org.path; a record out
 *      of scope is answered as absent (1 / 404), never as forbidden.
 *   2. The region role reads persons only through an active access grant
 *      (break-the-glass), read-only, and every such read carries the grant's
 *      reason into the audit entry.
 *   3. Validation happens before any write; a failed request writes nothing
 *      (the web layer runs each write in one transaction).
 *   4. Anonymous consultations keep only country, sex, age band and topics.
 *   5. Deadlines are always the rule's computation over the current facts:
 *      they are recomputed whenever facts or the rule change.
 *
 * The layers: pages (pages.c, *_pages.c) and API handlers (web.c, *_web.c)
 * parse input and call only the operations below, never the store; the
 * operations (persons.c, casework.c, procedures.c, records.c, access.c,
 * rules.c) load through the scope of a desk_ctx_t, validate, write through
 * the store (store.h, the only SQL) and stay free of HTTP.
 *
 * Audit: the handler writes the audit entry of an operation with
 * desk_web_audit (deskweb.h) right after the operation succeeds, from the
 * ids the operation returns (a person's id and organisation); writes commit
 * it with what it describes, reads in a short transaction of their own.
 *
 * Errors: operations return 0, 1 for "absent or out of scope", a negative
 * HTTP status with `e` filled (-422 naming the field, -409, ...), or DB_E*;
 * a handler passes any non-zero return once through web_store_fail (1 -> 404,
 * -status -> itself, DB_E* -> 409/503/500). Operations whose `e` is the
 * request's error (&web(req)->err) are what make that mapping exact. */
#ifndef LI_DESK_H
#define LI_DESK_H
#include "app/scope.h"
#include "core/date.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* The capabilities of the help desk (app/scope.h). */
extern const capability_t cap_person_read, cap_person_write, cap_person_merge, cap_desk_import, cap_gdpr_erase,
    cap_break_glass, cap_rules_manage;
#define CAP_PERSON_READ (&cap_person_read)   /* read personal records of the scope */
#define CAP_PERSON_WRITE (&cap_person_write) /* create / change personal records of the scope */
#define CAP_PERSON_MERGE (&cap_person_merge) /* merge duplicate persons */
#define CAP_DESK_IMPORT (&cap_desk_import)   /* import persons/consultations, export the consultation register */
#define CAP_GDPR_ERASE (&cap_gdpr_erase)     /* erase (anonymise) a person, run the retention rule */
#define CAP_BREAK_GLASS (&cap_break_glass)   /* grant time-limited access to personal records to a region account */
#define CAP_RULES_MANAGE (&cap_rules_manage) /* add versions of the procedure rules */

#define DESK_NAME_MAX 100
#define DESK_NOTES_MAX 4000
#define DESK_KEY_MAX 64

/* The access context of a request on personal data. */
typedef struct desk_ctx {
    scope_t scope;         /* possibly narrowed to a grant's subtree */
    db_t *db;
    bool can_read, can_write;
    int64_t grant_id;      /* > 0 when reading through a break-the-glass grant */
    char reason[256];      /* the grant's reason, for the audit */
    const char *lang;      /* for labels */
} desk_ctx_t;

/* Builds the context from the session scope: roles with CAP_PERSON_READ as
 * they are; a region account with an active grant, read-only on the grant's
 * subtree. Returns 0, or DB_E*. */
int desk_ctx_init(desk_ctx_t *c, const scope_t *session, db_t *db, const char *lang);

/* ---- names and search (names.c) ---------------------------------------------- */

/* Folds UTF-8 text to lowercase ASCII words separated by one space (accents
 * removed, Cyrillic transliterated, apostrophes dropped inside words, other
 * characters as separators). Returns the length written (out is always
 * NUL-terminated). */
size_t desk_fold(const char *in, char *out, size_t outlen);
/* The phonetic key of one folded word: tolerant of transliterations
 * (Mohamed / Mohammed / Muhammad -> "mhmd"). */
void desk_phonetic(const char *word, char *out, size_t outlen);
/* The search document of a person: folded words, phonetic keys ("p" +
 * key), the joined name's key, the codice fiscale, and "o<id>" for every
 * organisation on org_path. */
void desk_search_doc(const char *given, const char *family, const char *cf, const char *org_path, str_t *out);
/* The engine's query for `q` restricted to the subtree of `scope_org_id`:
 * FTS5 MATCH text on SQLite; on PostgreSQL one line per word of key ranges
 * "lo hi [lo hi]" over person_key. Returns the number of usable words (0:
 * nothing to search). */
int desk_search_query(const char *q, db_kind_t kind, int64_t scope_org_id, str_t *out);
/* Duplicate keys: phonetic family|given|birth date and the swapped order. */
void desk_dup_keys(const char *given, const char *family, const char *birth_date, char *k1, char *k2, size_t len);

/* ---- validation (validate.c) --------------------------------------------------- */

/* 0 when `cf` is a valid codice fiscale (16 characters with the check
 * character, omocodia accepted) or an 11-digit temporary one with its check
 * digit; -1 malformed; -2 wrong check character. */
int desk_cf_check(const char *cf);
bool desk_valid_phone(const char *s);
bool desk_valid_email(const char *s);
/* The age band ('0-17', '18-60', '61+') of someone born on `birth` at `on`. */
const char *desk_age_band(const char *birth, const char *on);
bool desk_valid_age_band(const char *s);
/* Reference lists (data/desk/countries.json, languages.json), loaded once. */
bool desk_country_valid(const char *code);
const char *desk_country_name(const char *code, const char *lang);
bool desk_language_valid(const char *code);
const char *desk_language_name(const char *code, const char *lang);
/* A JSON array [{code, name}] for forms, in `lang`, sorted by name. */
json_t *desk_countries_json(const char *lang);
/* Topic, channel, outcome codes. */
bool desk_topic_valid(const char *code);
const char *const *desk_topics(void);       /* NULL-terminated */
bool desk_channel_valid(const char *code);
bool desk_outcome_valid(const char *code);
const char *const *desk_outcomes(void);
/* Folder holding data/ (LABIMPACT_HOME or "."), for the command line too. */
const char *desk_home(void);

/* ---- rules (rules.c) --------------------------------------------------------------- */

/* Loads data/rules/procedures.json (once; thread-safe). 0 or -1 logged. */
int desk_rules_load(void);
/* The procedure types known (file and database), as a JSON array of
 * {type, title} in `lang` for the version effective on `date`. */
int desk_rule_types(db_t *db, const char *date, const char *lang, json_t **out);
/* The version of `type` effective on `date` (a new reference, owned by the
 * caller) and where it comes from ("file" or "db:<id>"). 1 when the type is
 * unknown. */
int desk_rule_get(db_t *db, const char *type, const char *date, json_t **rule, char origin[32]);
/* All versions of a type, oldest first, each {effective_from, origin, reason?}. */
int desk_rule_versions(db_t *db, const char *type, json_t **out);
/* Checks a rule's shape (used on load and on an admin's change). */
int desk_rule_validate(const json_t *rule, err_t *e);
/* Checks facts against the rule: known codes, types, required ones.
 * Returns 0 or -422 naming "facts.<code>". */
int desk_rule_check_facts(const json_t *rule, const json_t *facts, err_t *e);
/* Computes the deadlines [{code, kind, date, met}] for `facts` (a deadline
 * whose fact is absent is left out), sorted by date. `done` holds the ticked
 * checklist items as {"step:<code>": true, "document:<code>": true}; `met`
 * says the rule's met_by fact or step is there. */
json_t *desk_rule_deadlines(const json_t *rule, const json_t *facts, const char *opened_on, const json_t *done);
/* The text of a label object {"it": .., "en": ..} in lang (then en, then it). */
const char *desk_label(const json_t *labels, const char *lang);

/* ---- operations (persons.c, casework.c, procedures.c, records.c, access.c) ------------ */

/* Person input from a JSON object (API body or a form turned into JSON).
 * `create` makes the CONTRACT's fields required. Fills `p` (a new object
 * with normalised values) or returns -422 naming the field. */
int desk_person_input(const json_t *body, bool create, json_t **p, err_t *e);
/* The person `id` of the scope as its API object (with "org_path"; *out
 * NULL: only the check), and its organisation. 0 or 1. */
int desk_person_get(desk_ctx_t *c, int64_t id, int64_t *org_id, json_t **out);
/* Person summaries of the scope, newest first, ids below `cursor`: every
 * person when `q` is empty, else those whose names (folded, phonetic) or
 * codice fiscale match every word of `q`; nothing when no word is usable. */
int desk_person_search(desk_ctx_t *c, const char *q, int64_t cursor, int limit, json_t *items);
/* Creates a person in `org_code` (or the context's organisation); *id. */
int desk_person_create(desk_ctx_t *c, const json_t *p, const char *org_code, int64_t *id, int64_t *org_id,
                       err_t *e);
/* Likely duplicates in scope (same birth date and phonetic names, or the
 * same codice fiscale), as a JSON array of person summaries. */
int desk_person_duplicates(desk_ctx_t *c, const json_t *p, int64_t except_id, json_t **out);
/* Applies a change; *changed receives the changed field names (comma list). */
int desk_person_update(desk_ctx_t *c, int64_t id, const json_t *p, int64_t *org_id, str_t *changed, err_t *e);
/* Erasure (GDPR art. 17): anonymises the person, keeping statistics;
 * deletes documents (rows and files), consents, household links and permits. */
int desk_person_erase(desk_ctx_t *c, int64_t id, int64_t *org_id, err_t *e);
/* Merges person `gone` into `keep` (both active, in scope): 1 when `keep` is
 * absent, -422 on "other_id" when `gone` is, -409 when either is not active. */
int desk_person_merge(desk_ctx_t *c, int64_t keep, int64_t gone, int64_t *keep_org, int64_t *gone_org, err_t *e);
/* Who saw or changed the person's data, newest first, up to `limit`. 0 or 1. */
int desk_person_access_log(desk_ctx_t *c, int64_t id, int limit, int64_t *org_id, json_t *items);
/* The person's records of `kind` (referral, appointment, followup, consent,
 * household_link, permit, person_document) appended to `items`. 0 or 1. */
int desk_person_records(desk_ctx_t *c, int64_t id, const char *kind, int64_t *org_id, json_t *items);
/* Active persons of the scope with no contact for `years` (at most 1000). */
int desk_persons_stale(desk_ctx_t *c, int years, json_t *items);

/* Consultation input and creation (named or anonymous); optional referral
 * and follow-up in the same body. */
int desk_consultation_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                             err_t *e);
/* The scope's consultations (of `person_id` when not 0: 1 when that person
 * is not in scope) between from and to, newest first, ids below cursor. */
int desk_consultation_list(desk_ctx_t *c, int64_t person_id, const char *from, const char *to, int64_t cursor,
                           int limit, json_t *items);
/* The procedures of a person of the scope and the person's organisation
 * (1 when not in scope). */
int desk_procedure_list(desk_ctx_t *c, int64_t person_id, int64_t *org_id, json_t *items);
/* Procedure creation / change (facts merged, status, checklist) with the
 * deadlines recomputed. */
int desk_procedure_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                          err_t *e);
int desk_procedure_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id,
                          err_t *e);
/* The full JSON of a procedure in scope: rule labels in c->lang, checklist
 * with done flags, deadlines with labels, fees, sources. 1 when absent. */
int desk_procedure_json(desk_ctx_t *c, int64_t id, json_t **out);
/* Recomputes the open procedures of `type` opened on or after `from` (after
 * an admin's rule change), in every district. *n receives how many. */
int desk_procedures_recompute(db_t *db, const char *type, const char *from, int *n);
/* An admin's new version of a rule (`rule` completed with its type): checks
 * the reason (5+ characters) and the rule, stores it by sc's user and
 * recomputes the open procedures it applies to (*recomputed). */
int desk_rule_change(const scope_t *sc, db_t *db, const char *type, json_t *rule, const char *reason, int *recomputed,
                     err_t *e);

/* Referral / appointment / follow-up creation and change. */
int desk_referral_create(desk_ctx_t *c, const json_t *body, int64_t consultation_id, int64_t *id, int64_t *person_id,
                         int64_t *org_id, err_t *e);
int desk_referral_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id, err_t *e);
int desk_appointment_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                            err_t *e);
int desk_appointment_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id,
                            err_t *e);
int desk_followup_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                         err_t *e);
int desk_followup_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id,
                         err_t *e);

/* A record of `kind` of the scope: "person" (desk_person_get; its person
 * is itself), "consultation" (topics as an array), "desk_procedure" (as
 * stored: facts as an object) or a kind of desk_person_records. Its API
 * object (`out` NULL: only the check; documents without their storage
 * name), its person (0: none) and organisation. 0 or 1. */
int desk_record_get(desk_ctx_t *c, const char *kind, int64_t id, int64_t *person_id, int64_t *org_id, json_t **out);
/* Deletes a household link, permit or document (and its file). 0 or 1. */
int desk_record_delete(desk_ctx_t *c, const char *kind, int64_t id, int64_t *person_id, int64_t *org_id);
/* Records of an active person `pid` of the scope (records.c), from the API's
 * JSON: a consent {kind, given_on?, note?}, a permit {kind, number?,
 * issued_on?, expiry}, a household link {other_id, relation} (with the
 * other person's id and organisation). 1 when `pid` is absent; -409 when not
 * active. */
int desk_consent_create(desk_ctx_t *c, int64_t pid, const json_t *body, int64_t *id, int64_t *org_id, err_t *e);
int desk_permit_create(desk_ctx_t *c, int64_t pid, const json_t *body, int64_t *id, int64_t *org_id, err_t *e);
int desk_household_create(desk_ctx_t *c, int64_t pid, const json_t *body, int64_t *id, int64_t *org_id,
                          int64_t *other_id, int64_t *other_org, err_t *e);
/* Withdraws consent `id` today (once). 0 or 1. */
int desk_consent_withdraw(desk_ctx_t *c, int64_t id, int64_t *person_id, int64_t *org_id);
/* Keeps an uploaded file (PDF, PNG or JPEG, sniffed) for person `pid`:
 * -422 on "file" when empty, -415 for another type. */
int desk_document_create(desk_ctx_t *c, int64_t pid, const char *title, const char *filename, const char *data,
                         size_t len, int64_t *id, int64_t *org_id, err_t *e);
/* Reads document `id` of the scope: its row (without the storage name) and
 * the file appended to `content`. 1 when absent or its file is missing. */
int desk_document_open(desk_ctx_t *c, int64_t id, json_t **row, str_t *content);
/* An uploaded file as kept: its sniffed type, cleaned title and download
 * name (with the type's extension), SHA-256 and stored name. */
typedef struct desk_file {
    const char *type;
    char title[201], filename[121], sha256[65], storage[64];
} desk_file_t;
/* Keeps an uploaded file durably in the one documents folder (its type
 * sniffed: PDF, PNG or JPEG) under a fresh random name (title defaults to
 * the file's name). 0; -415 for another type; -1 when it cannot be
 * written. Other modules' documents (governance's expenses) are kept the
 * same way. */
int desk_file_keep(const char *data, size_t len, const char *title, const char *filename, desk_file_t *out);
/* Appends the kept file `storage` to `content`: 0, or 1 when it is missing. */
int desk_document_read(const char *storage, str_t *content);
/* The file of `*row`, a row with its "storage" name, appended to `content`
 * (desk_document_read), and "storage" dropped from the row: 0, or 1 when the
 * file is missing, the row then freed and *row NULL. */
int desk_document_row_read(json_t **row, str_t *content);
/* The path of stored document file `storage` in the one documents folder
 * (LABIMPACT_DOCUMENTS, else var/documents under desk_home()). 0 or -1 for
 * a name that is not a plain file name. */
int desk_document_path(const char *storage, char *out, size_t len);
/* Writes a file durably (0600, fsync'ed, renamed into place) under a fresh
 * random name in the one documents folder; fills `name` (the storage name
 * for desk_document_path). 0 or -1. Other modules' files (meetings) too. */
int desk_document_write(const char *data, size_t len, char name[64]);
/* The type of a document by its first bytes (PDF, PNG, JPEG; `*ext` its
 * extension), NULL for anything else. Shared by every upload. */
const char *desk_document_sniff(const unsigned char *p, size_t n, const char **ext);
/* The retention period in years (setting desk.retention_years, else 5). */
int desk_retention_years(desk_ctx_t *c);
/* Queues today's digest mail for every operator and coordinator who has
 * none yet (counts of their district's agenda); *sent says how many. */
int desk_digest_queue(db_t *db, const char *today, size_t *sent);
/* The consultation register of the scope, oldest first, ids above cursor. */
int desk_register_page(desk_ctx_t *c, const char *from, const char *to, int64_t cursor, int limit, json_t *items);

/* Access grants (access.c), for CAP_BREAK_GLASS: a grant {user, org, reason,
 * hours?} to a region account on an organisation of sc (*out: {id, user,
 * org, reason, expires_at, hours}); the grants of sc's subtree; a
 * revocation (1 when no such active grant). */
int desk_grant_create(const scope_t *sc, db_t *db, const json_t *body, json_t **out, int64_t *org_id, err_t *e);
int desk_grant_list(const scope_t *sc, db_t *db, json_t *items);
int desk_grant_revoke(const scope_t *sc, db_t *db, int64_t id);

/* The agenda of the scope: today's appointments, deadlines (procedure
 * deadlines and permit expiries) in the next `days`, overdue deadlines and
 * follow-ups. */
int desk_agenda(desk_ctx_t *c, int days, json_t **out);

/* `labimpact demo --persons N --seed S` (demo.c): N reproducible synthetic
 * persons across the demo districts, about `consultations_per_person`
 * consultations each, procedures, appointments, follow-ups; inside the
 * caller's transaction. 0 or -1 with a message on `log`. */
int desk_demo_generate(db_t *db, long persons, unsigned long seed, int consultations_per_person, FILE *log);

/* Everything held about a person (GDPR access). 1 when absent. */
int desk_person_export(desk_ctx_t *c, int64_t id, json_t **out);

#endif

/* store.h — the SQL of qualified information, and nothing else; only the
 * operations (materials.c, translations.c, public.c, notices.c,
 * newsletter.c) and the demo loader call it.
 *
 * No function here takes a bare record id. A material is reached through an
 * info_material_t that only a load fills: info_store_material_load (scoped to
 * the caller's subtree, rule I5) or info_store_material_public (what the
 * public reads of every material). Organisations come as org_t from
 * app/org.h; subscribers by the secret token of their e-mail, the credential
 * itself. Returns 0, 1 for "absent or out of scope" where said, or DB_E*. */
#ifndef LI_INFO_STORE_H
#define LI_INFO_STORE_H
#include "info.h"

/* A material as loaded: id, organisation, current revision. */
typedef struct info_material {
    int64_t id, org_id;
    int revision;
} info_material_t;

/* ---- materials ---- */
/* A material of the scope's subtree: 0 or 1. */
int info_store_material_load(const scope_t *sc, db_t *db, int64_t id, info_material_t *out);
/* Any material, for the public pages: 0 or 1. */
int info_store_material_public(db_t *db, int64_t id, info_material_t *out);
/* A new material of `org` at revision 1, with that revision kept. */
int info_store_material_insert(db_t *db, const org_t *org, const info_material_input_t *in, int64_t user,
                               int64_t now, int64_t *id);
/* {"id","org","category","title","body","revision","review_by","updated_at"}. */
int info_store_material_json(db_t *db, const info_material_t *m, json_t **out);
/* Writes the material's fields; a new revision (m->revision + 1, kept)
 * when `new_revision`; m->revision follows. */
int info_store_material_update(db_t *db, info_material_t *m, const char *title, const char *body,
                               const char *category, const char *review_by, bool new_revision, int64_t user,
                               int64_t now);
/* The materials of the scope's subtree with their current translations'
 * count and review_due (review_by reached on `today`). */
int info_store_material_list(const scope_t *sc, db_t *db, const char *today, int64_t cursor, int limit,
                             json_t *items);
/* The revisions of a material, newest first: {"revision","created_at"}. */
int info_store_revision_list(db_t *db, const info_material_t *m, json_t *items);
/* One revision {"revision","title","body"}: 0 or 1. */
int info_store_revision_get(db_t *db, const info_material_t *m, int revision, json_t **out);
/* Per language of the scope's materials: {"lang","published","current"}. */
int info_store_progress(const scope_t *sc, db_t *db, json_t *items, int64_t *total);

/* ---- translations ---- */
/* {"lang","title","body","status" (stale by I2),"stored_status","source_revision",
 *  "author_id","updated_at"}: 0 or 1. */
int info_store_translation_get(db_t *db, const info_material_t *m, const char *lang, json_t **out);
/* Writes the text (by `author`, from the current revision, status draft / review). */
int info_store_translation_write(db_t *db, const info_material_t *m, const char *lang, const char *title,
                                 const char *body, const char *status, int64_t author, int64_t now);
/* Publishes the translation (by `reviewer`). */
int info_store_translation_publish(db_t *db, const info_material_t *m, const char *lang, int64_t reviewer,
                                   int64_t now);
/* The translations of a material, by language. */
int info_store_translation_list(db_t *db, const info_material_t *m, json_t *items);

/* ---- public reading and search ---- */
/* Sets (doc not NULL) or removes the search document of a material in `lang`. */
int info_store_search_put(db_t *db, const info_material_t *m, const char *lang, const char *doc);
/* The public list in `lang` (category "" for all, pattern NULL for no search). */
int info_store_public_list(db_t *db, const char *lang, const char *category, const char *pattern, json_t *items);
/* The published translation into `lang` or, `fallback` set, the Italian source:
 * {"title","body","category","revision","source_revision"}. */
int info_store_public_text(db_t *db, const info_material_t *m, const char *lang, json_t **out, bool *fallback);

/* ---- notices ---- */
int info_store_notice_insert(db_t *db, const org_t *org, const info_notice_input_t *in, int64_t user, int64_t now,
                             int64_t *id);
/* Newest first, ids below `cursor` (0: from the top), at most `limit`. */
int info_store_notice_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items);
/* Notices of `org`'s subtree valid on `today`, pinned first. */
int info_store_notices_valid(db_t *db, const org_t *org, const char *today, json_t *items);

/* ---- subscribers ---- */
/* Stores a sign-up: a new subscriber with the tokens given, or an
 * unconfirmed / unsubscribed one made pending again, keeping its tokens
 * (copied into the buffers, so that every e-mail sent holds working links);
 * a confirmed one is left as it is (*fresh false). */
int info_store_subscriber_upsert(db_t *db, const char *email, const char *name, const char *lang,
                                 const char *consent, char confirm_token[48], char unsub_token[48], int64_t now,
                                 int64_t *id, bool *fresh);
/* Sets confirmed_at (or unsubscribed_at) of the subscriber with that token: 0 or 1. */
int info_store_subscriber_confirm(db_t *db, const char *token, int64_t now, int64_t *id);
int info_store_subscriber_unsubscribe(db_t *db, const char *token, int64_t now, int64_t *id);

/* ---- attachments (store_files.c) ---- */
/* A new attachment of `m` in `lang`; *id the new id. */
int info_store_attachment_insert(db_t *db, const info_material_t *m, const char *lang, const char *title,
                                 const char *filename, const char *type, int64_t size, const char *sha,
                                 const char *storage, int64_t user, int64_t now, int64_t *id);
/* The attachment `id` of a material in the scope: its material into `m`,
 * its storage name into `storage`. 0 or 1. */
int info_store_attachment_load(const scope_t *sc, db_t *db, int64_t id, info_material_t *m, char storage[64]);
int info_store_attachment_delete(db_t *db, const info_material_t *m, int64_t id);
/* The attachments of `m`, in `lang` ("" for every language), by language and id. */
int info_store_attachment_list(db_t *db, const info_material_t *m, const char *lang, json_t *items);
/* Any attachment for the public: {"filename","content_type","storage"}: 0 or 1. */
int info_store_attachment_public(db_t *db, int64_t id, json_t **out);

/* ---- review-by reminders (store_files.c) ---- */
/* Per editor with an e-mail, the materials of their area due for review on
 * `today` and not yet reminded of that date: rows {"user_id","email",
 * "org_id","material_id","title","review_by"}, by user. */
int info_store_review_due(db_t *db, const char *today, json_t *items);
/* Marks material `material_id` reminded for its current review-by date. */
int info_store_review_mark(db_t *db, int64_t material_id);
/* The scope's materials with review_by <= today: {"id","title","review_by","org"}. */
int info_store_material_overdue(const scope_t *sc, db_t *db, const char *today, json_t *items);

/* ---- contacts (store_files.c) ---- */
/* Replaces the contacts and hours of `org` (hours: validated array). */
int info_store_contact_put(db_t *db, const org_t *org, const char *address, const char *phone, const char *email,
                           bool by_appointment, const char *note, json_t *hours, int64_t user, int64_t now);
/* The contacts of `org` (empty fields when none stored): 0 or DB_E*. */
int info_store_contact_get(db_t *db, const org_t *org, json_t **out);
/* The organisations of the scope's subtree with their contacts' summary. */
int info_store_contact_orgs(const scope_t *sc, db_t *db, json_t *items);
/* The contacts of `org`'s subtree (path prefix; "" for all), with hours, org
 * kind ambito first then by name. */
int info_store_contacts_public(db_t *db, const char *path_prefix, json_t *items);

/* ---- newsletter issues (store_issue.c) ---- */
typedef struct info_issue {
    int64_t id, org_id;
    bool sent;
} info_issue_t;
int info_store_issue_insert(db_t *db, const org_t *org, const info_issue_input_t *in, int64_t user, int64_t now,
                            int64_t *id);
/* An issue of the scope's subtree: 0 or 1. */
int info_store_issue_load(const scope_t *sc, db_t *db, int64_t id, info_issue_t *out);
/* {"id","org","subject","intro","notice_ids","material_ids","event_ids","translations" (JSON text),
 *  "status","recipients","created_at","sent_at"}. */
int info_store_issue_json(db_t *db, const info_issue_t *is, json_t **out);
int info_store_issue_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items);
int info_store_issue_mark_sent(db_t *db, const info_issue_t *is, int64_t recipients, int64_t user, int64_t now);
/* The counts of an issue's sending job. */
typedef struct info_issue_job {
    int64_t total, sent, failed;
} info_issue_job_t;
/* The job's counts from the outbox (ref "issue:<id>"): 0 or DB_E*. */
int info_store_issue_job(db_t *db, const info_issue_t *is, info_issue_job_t *job);
/* Confirmed, not unsubscribed subscribers: {"id","email","name","lang","unsubscribe_token"}. */
int info_store_subscribers_confirmed(db_t *db, json_t *items);
/* Whether `id` is a notice / material / event ("notice"|"material"|"event") of the scope's subtree. 0 or 1. */
int info_store_source_in_scope(const scope_t *sc, db_t *db, const char *kind, int64_t id);
/* Source rows by ids (JSON array of ints): notices {"id","title","body","valid_until"},
 * materials {"id","title","category"} (+ translated title per lang, see below),
 * events {"id","title","place","start_at"}. */
int info_store_issue_notices(db_t *db, json_t *ids, json_t *items);
int info_store_issue_events(db_t *db, json_t *ids, json_t *items);
/* What an issue can be composed from, in the scope: recent and valid notices,
 * materials, upcoming events (at most 100 each). */
int info_store_sources(const scope_t *sc, db_t *db, const char *today, int64_t now, json_t *notices,
                       json_t *materials, json_t *events);

#endif

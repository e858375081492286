/* info.h — qualified information (macro-action 3): materials written in
 * Italian with their revisions, translations into the portal's languages,
 * the public portal /info with its leaflets, the digital notice board of
 * each district, and the newsletter's double opt-in.
 *
 * Rules this module keeps (numbered, referred to in the code):
 *  I1 A material's Italian source changes only by a new revision: every
 *     change of title or body adds one to `revision` and keeps the text of
 *     the revision, so any two can be compared (info_material_diff).
 *  I2 A translation records the source revision it was written from. A
 *     published translation whose revision is behind the material's reads
 *     "stale" until it is published again.
 *  I3 Four eyes: the person who last wrote a translation's text cannot
 *     publish it (403 own_translation); publishing takes a translation that
 *     is under review (409 not_in_review) and does not change its text.
 *  I4 Bodies are Markdown rendered by libcmark-gfm in its safe mode: raw
 *     HTML is dropped and javascript:/vbscript:/file:/data: links are
 *     emptied, so no text a person typed reaches a page as markup.
 *  I5 Scope: editors and translators see the materials of their subtree;
 *     other districts' materials answer 404. The public reads every
 *     material: the Italian source and the published translations only.
 *  I6 Newsletter: nobody is sent an issue before confirming by the link of
 *     the confirmation e-mail; the consent is stored as worded, with its
 *     time; every message carries the unsubscribe link. The answer to a
 *     sign-up never tells whether the address was known.
 *
 * This header is the module's contract: pages.c and web.c call only what is
 * declared here. Operations return 0, -status with `e` filled (the field
 * at fault named), 1 for an absent or out-of-scope record, or a store's
 * DB_E* code: the handler maps that once with web_store_fail (1 -> the one
 * 404, DB_E* -> 409 / 503 / 500). The handler writes the audit entry through
 * web_audit_event with the record's organisation (info_ref_t). */
#ifndef LI_INFO_H
#define LI_INFO_H
#include "app/org.h"
#include "app/module.h"
#include "app/scope.h"
#include "core/err.h"
#include "core/router.h"
#include "core/str.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

/* The capabilities of qualified information (app/scope.h). */
extern const capability_t cap_material_edit, cap_material_translate, cap_notice_manage, cap_material_read;
#define CAP_MATERIAL_READ (&cap_material_read)           /* read materials of the scope (editors, translators) */
#define CAP_MATERIAL_EDIT (&cap_material_edit)           /* write materials of the scope */
#define CAP_MATERIAL_TRANSLATE (&cap_material_translate) /* translate and review materials of the scope */
#define CAP_NOTICE_MANAGE (&cap_notice_manage)           /* post notices on the scope's boards */

#define INFO_TITLE_MAX 200
#define INFO_BODY_MAX 20000
#define INFO_QUERY_MAX 100

/* What an operation touched: the record and its organisation (for the audit). */
typedef struct info_ref {
    int64_t id, org_id;
} info_ref_t;

/* ---- vocabularies ------------------------------------------------------------ */

/* The categories by service area, NULL-terminated ("permits", "health", ...). */
extern const char *const info_categories[];
bool info_category_valid(const char *category);
/* The languages a material is translated into (the portal's but Italian), NULL-terminated. */
extern const char *const info_langs[];
bool info_lang_valid(const char *lang);

/* Markdown -> HTML by rule I4, malloc'ed (the caller frees); NULL on no memory. */
char *info_markdown(const char *md);

/* ---- materials (materials.c) --------------------------------------------------- */

typedef struct info_material_input {
    const char *title, *body, *category, *org, *review_by; /* NULL: not given */
} info_material_input_t;

/* A new material of `in->org` (the scope's organisation when absent), at revision 1. */
int info_material_create(const scope_t *sc, db_t *db, const info_material_input_t *in, info_ref_t *ref,
                         int *revision, err_t *e);
/* Changes what is given; a new revision when the title or body changed (I1). */
int info_material_update(const scope_t *sc, db_t *db, int64_t id, const info_material_input_t *in, info_ref_t *ref,
                         int *revision, err_t *e);
/* The material with its revisions and translations (status by I2). */
int info_material_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, info_ref_t *ref, err_t *e);
/* A page of the scope's materials (ids above `cursor`, at most `limit`, by
 * id), each with how many translations are current and "review_due" once
 * its review-by date is reached (the editor's reminder). */
int info_material_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e);
/* The line diff between revisions `from` and `to`: {"from","to","title":[..],"body":[..]},
 * each line {"op":"same|add|del","text"}. */
int info_material_diff(const scope_t *sc, db_t *db, int64_t id, int from, int to, json_t **out, info_ref_t *ref,
                       err_t *e);
/* Per language: materials in scope, translations published, published and current. */
int info_progress(const scope_t *sc, db_t *db, json_t **out, err_t *e);

/* ---- translations (translations.c) ------------------------------------------------ */

typedef struct info_translation_input {
    const char *title, *body, *status; /* status: draft | review | published */
} info_translation_input_t;

/* Writes or publishes the translation into `lang` (I2, I3). */
int info_translation_put(const scope_t *sc, db_t *db, int64_t id, const char *lang,
                         const info_translation_input_t *in, info_ref_t *ref, err_t *e);
/* The translations of a material: {"lang","status","source_revision",...}. */
int info_translation_list(const scope_t *sc, db_t *db, int64_t id, json_t *items, info_ref_t *ref, err_t *e);
/* The translator's workspace for one language: {"source", "translation" (or
 * null), "changes" (the source's diff since the translation, or null),
 * "glossary", "target_lang"}. */
int info_translation_workspace(const scope_t *sc, db_t *db, int64_t id, const char *lang, json_t **out,
                               info_ref_t *ref, err_t *e);

/* ---- the public portal (public.c) ------------------------------------------------ */

/* The materials in `lang` (Italian where no translation is published),
 * optionally of one category and matching a search text. Each item:
 * {"id","category","title","lang","fallback"}. */
int info_public_list(db_t *db, const char *lang, const char *category, const char *query, json_t *items,
                     err_t *e);
/* One material for the public in `lang`: {"id","category","title","body_html",
 * "lang","dir","fallback","stale","revision"}; Italian and fallback true
 * without a published translation. */
int info_public_material(db_t *db, int64_t id, const char *lang, json_t **out, err_t *e);
/* info_public_material with the body as plain text in "text" (no
 * "body_html"), for printing beside another document. Read-only. */
int info_public_material_text(db_t *db, int64_t id, const char *lang, json_t **out, err_t *e);
/* The leaflet of info_public_material as a PDF (malloc'ed bytes). */
int info_leaflet_pdf(db_t *db, int64_t id, const char *lang, char **pdf, size_t *len, err_t *e);

/* ---- notices (notices.c) ------------------------------------------------------------ */

typedef struct info_notice_input {
    const char *title, *body, *org, *valid_from, *valid_until;
    bool pinned;
} info_notice_input_t;

int info_notice_create(const scope_t *sc, db_t *db, const info_notice_input_t *in, info_ref_t *ref, err_t *e);
/* A page of the notices of the scope's boards, newest first (ids below `cursor`; 0: from the top). */
int info_notice_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e);
/* The notices of district `code` valid today (Rome), pinned first; `org`
 * receives the district. 404 for an unknown code. */
int info_public_notices(db_t *db, const char *code, org_t *org, json_t *items, err_t *e);

/* ---- newsletter (newsletter.c) ------------------------------------------------------ */

/* Signs up `email` (I6): stores the consent, queues the confirmation e-mail.
 * `ref` names the subscriber. */
int info_newsletter_subscribe(db_t *db, const char *email, const char *name, const char *lang, info_ref_t *ref,
                              err_t *e);
/* Confirms / unsubscribes by a token of the e-mails; 404 for an unknown one. */
int info_newsletter_confirm(db_t *db, const char *token, info_ref_t *ref, err_t *e);
int info_newsletter_unsubscribe(db_t *db, const char *token, info_ref_t *ref, err_t *e);

/* ---- attachments (attachments.c) ------------------------------------------------------ */

#define INFO_ATTACHMENT_MAX ROUTE_BODY_UPLOAD /* bytes (the upload routes' body cap, core/router.h); PDF, PNG, JPEG only (sniffed) */

/* Attaches the file `data` to material `id` in `lang` ("it" or a
 * translation language): the type sniffed from the bytes (415 otherwise),
 * stored under the documents folder (desk_document_path). *att_id the new id. */
int info_attachment_create(const scope_t *sc, db_t *db, int64_t id, const char *lang, const char *title,
                           const char *filename, const char *data, size_t len, int64_t *att_id, info_ref_t *ref,
                           err_t *e);
/* Removes attachment `att_id` of a material of the scope (1 when absent). */
int info_attachment_delete(const scope_t *sc, db_t *db, int64_t att_id, info_ref_t *ref, err_t *e);
/* The attachments of material `id` (editor's view): {"id","lang","title","filename","content_type","size"}. */
int info_attachment_list(const scope_t *sc, db_t *db, int64_t id, json_t *items, info_ref_t *ref, err_t *e);
/* What the public reads of material `id` in `lang`: that language's files,
 * else the Italian ones with "fallback": true. */
int info_public_attachments(db_t *db, int64_t id, const char *lang, json_t *items, err_t *e);
/* The bytes of public attachment `att_id` into `content`; `row` gets
 * {"filename","content_type"}. 1 when absent. */
int info_attachment_open(db_t *db, int64_t att_id, json_t **row, str_t *content);

/* ---- review-by reminders (reminders.c) ---------------------------------------------- */

/* Mails every editor with an e-mail whose area holds materials past their
 * review-by date (`today`) not yet reminded of for that date, one message
 * each through the outbox; marks them reminded. *sent: messages queued. */
int info_review_reminders(db_t *db, const char *today, size_t *sent, size_t *materials);
/* The scope's materials past their review-by date, oldest date first. */
int info_material_overdue(const scope_t *sc, db_t *db, json_t *items, err_t *e);

/* ---- newsletter issues (issues.c) ----------------------------------------------------- */

typedef struct info_issue_input {
    const char *subject, *intro, *org;
    json_t *notice_ids, *material_ids, *event_ids; /* arrays of ids, borrowed; NULL: none */
    json_t *translations; /* {"<lang>": {"subject"?, "intro"?}} (borrowed; NULL: none): the subject
                           * and introduction in a subscriber's language, else the Italian ones */
} info_issue_input_t;

/* A draft issue of `in->org` (the scope's organisation when absent); each
 * id must name a notice / material / event of the scope (422 with the field). */
int info_issue_create(const scope_t *sc, db_t *db, const info_issue_input_t *in, info_ref_t *ref, err_t *e);
/* Sends a draft (409 already_sent): one message a confirmed subscriber in
 * their language (the subject and introduction as translated, else
 * Italian; materials Italian where not translated, marked), each with
 * its unsubscribe link, queued in the outbox under ref "issue:<id>". */
int info_issue_send(const scope_t *sc, db_t *db, int64_t id, info_ref_t *ref, err_t *e);
/* The issue with its job: {"id","subject","intro","status","recipients",
 * "job":{"total","sent","failed","pending","done"},"notices","materials","events"}. */
int info_issue_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, info_ref_t *ref, err_t *e);
/* A page of the scope's issues, newest first, ids below `cursor` (0: from the top). */
int info_issue_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e);
/* What an issue may be composed from: {"notices","materials","events"} of the scope. */
int info_issue_sources(const scope_t *sc, db_t *db, json_t **out, err_t *e);

/* ---- contacts and office hours (contacts.c) ------------------------------------------- */

extern const capability_t cap_contact_edit;
#define CAP_CONTACT_EDIT (&cap_contact_edit) /* edit the contacts of the scope's desks and offices */

/* Sets the contacts of organisation `code` (of the scope, 404 otherwise)
 * from {"address","phone","email","by_appointment","note","hours":[{"weekday",
 * "opens","closes","kind"}]}: all or nothing, hours replaced. */
int info_contact_put(const scope_t *sc, db_t *db, const char *code, json_t *body, info_ref_t *ref, err_t *e);
/* The contacts of organisation `code` (of the scope): as above with "org","name". */
int info_contact_read(const scope_t *sc, db_t *db, const char *code, json_t **out, info_ref_t *ref, err_t *e);
/* The organisations of the scope whose contacts it may edit, each with its
 * contacts: {"org","name","kind","phone","email","hours_count"}. */
int info_contact_orgs(const scope_t *sc, db_t *db, json_t *items, err_t *e);
/* Public: the contacts of district `code` and every office under it that
 * has some, each {"org","name","kind","address","phone","email",
 * "by_appointment","note","hours":[{"weekday","opens","closes","kind"}]}. */
int info_public_contacts(db_t *db, const char *code, json_t *items, err_t *e);
/* The same for every district (the /info portal). */
int info_public_contacts_all(db_t *db, json_t *items, err_t *e);

/* ---- demo data (demo.c) --------------------------------------------------------------- */

/* Materials, translations and notices of a fresh demo network, from
 * info/demo.json beside the network's file. 0 or -1 with a line on d->log. */
int info_demo(db_t *db, module_demo_t *d);

#endif

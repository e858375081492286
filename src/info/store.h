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
int info_store_material_list(const scope_t *sc, db_t *db, const char *today, json_t *items);
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
int info_store_notice_list(const scope_t *sc, db_t *db, json_t *items);
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

#endif

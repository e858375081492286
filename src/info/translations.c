/* translations.c — the translation workflow: draft -> review -> published,
 * stale when the source moves on (I2), four eyes before publishing (I3),
 * and the translator's workspace with the glossary of fixed terms
 * (data/info/glossary.json). */
#include "internal.h"
#include "app/settings.h"
#include "core/json.h"
#include <string.h>

/* Validates a translation's input for writing (draft / review). */
static int text_valid(const info_translation_input_t *in, err_t *e)
{
    if (!in->title || !*in->title) return err_set(e, 422, "required", "title", "The title is required.");
    if (!in->body || !*in->body) return err_set(e, 422, "required", "body", "The text is required.");
    return 0;
}

/* Publishes the translation under review (I3): never its own author's, and
 * only the text that was reviewed. */
static int publish(const scope_t *sc, db_t *db, const info_material_t *m, const char *lang,
                   const info_translation_input_t *in, err_t *e)
{
    json_t *cur = NULL;
    int rc = info_store_translation_get(db, m, lang, &cur);
    if (rc == 1) return err_set(e, 409, "not_in_review", "status", "Only a translation under review can be published.");
    if (rc) return rc;
    const char *stored = jstr_or_empty(cur, "stored_status");
    json_int_t author = json_integer_value(json_object_get(cur, "author_id"));
    bool same_text = (!in->title || strcmp(in->title, jstr_or_empty(cur, "title")) == 0) &&
                     (!in->body || strcmp(in->body, jstr_or_empty(cur, "body")) == 0);
    if (strcmp(stored, "review") != 0)
        rc = err_set(e, 409, "not_in_review", "status", "Only a translation under review can be published.");
    else if (author && author == sc->user_id)
        rc = err_set(e, 403, "own_translation", "status",
                     "A second person reviews and publishes a translation: you wrote this one.");
    else if (!same_text)
        rc = err_set(e, 409, "text_changed", "body",
                     "Publishing takes the text under review as it is: send changes back to review first.");
    else if (!(rc = info_store_translation_publish(db, m, lang, sc->user_id, db_now())))
        rc = info_search_index(db, m, lang, jstr(cur, "title"), jstr(cur, "body"));
    json_decref(cur);
    return rc;
}

int info_translation_put(const scope_t *sc, db_t *db, int64_t id, const char *lang,
                         const info_translation_input_t *in, info_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_TRANSLATE, e);
    if (rc) return rc;
    info_material_t m;
    if ((rc = info_store_material_load(sc, db, id, &m))) return rc;
    if (!info_lang_valid(lang))
        return err_set(e, 422, "invalid", "lang", "Translations are into en, fr, es, ar, sq, zh, uk, ur, bn, pa, tl.");
    const char *status = in->status ? in->status : "draft";
    *ref = (info_ref_t){m.id, m.org_id};
    if (strcmp(status, "published") == 0) return publish(sc, db, &m, lang, in, e);
    if (strcmp(status, "draft") != 0 && strcmp(status, "review") != 0)
        return err_set(e, 422, "invalid", "status", "The status is draft, review or published.");
    if ((rc = text_valid(in, e)) ||
        (rc = info_store_translation_write(db, &m, lang, in->title, in->body, status, sc->user_id, db_now())))
        return rc;
    return info_search_index(db, &m, lang, NULL, NULL); /* no longer published */
}

int info_translation_list(const scope_t *sc, db_t *db, int64_t id, json_t *items, info_ref_t *ref, err_t *e)
{
    info_material_t m;
    int rc = info_may_read(sc, e);
    if (rc || (rc = info_store_material_load(sc, db, id, &m))) return rc;
    *ref = (info_ref_t){m.id, m.org_id};
    return info_store_translation_list(db, &m, items);
}

/* The fixed terms of `lang` from data/info/glossary.json: [{"it","term"}]. */
static json_t *glossary(const char *lang)
{
    json_t *all = json_load_file(settings_path("data/info/glossary.json"), 0, NULL);
    json_t *terms = json_object_get(all, lang);
    json_t *out = json_is_array(terms) ? json_incref(terms) : json_array();
    json_decref(all);
    return out;
}

int info_translation_workspace(const scope_t *sc, db_t *db, int64_t id, const char *lang, json_t **out,
                               info_ref_t *ref, err_t *e)
{
    info_material_t m;
    int rc = scope_require(sc, CAP_MATERIAL_TRANSLATE, e);
    if (rc || (rc = info_store_material_load(sc, db, id, &m))) return rc;
    if (!info_lang_valid(lang)) return err_set(e, 404, "not_found", NULL, "Not found.");
    json_t *source = NULL, *tr = NULL, *changes = json_null();
    if ((rc = info_store_material_json(db, &m, &source))) return rc;
    rc = info_store_translation_get(db, &m, lang, &tr);
    if (rc == 1) tr = json_null(), rc = 0;
    int from = tr && json_is_object(tr) ? (int)json_integer_value(json_object_get(tr, "source_revision")) : 0;
    if (!rc && from && from < m.revision) {
        json_decref(changes);
        rc = info_revision_diff(db, &m, from, m.revision, &changes, e);
    }
    if (rc) {
        json_decref(source);
        json_decref(tr);
        json_decref(changes);
        return rc;
    }
    *out = json_pack("{s:o, s:o, s:o, s:o, s:s}", "source", source, "translation", tr, "changes", changes,
                     "glossary", glossary(lang), "target_lang", lang);
    *ref = (info_ref_t){m.id, m.org_id};
    return 0;
}

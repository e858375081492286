/* issues.c — the newsletter's issues (I6): an editor composes one from the
 * notices, materials and events of their area, then sends it to every
 * confirmed subscriber in the subscriber's language.
 *
 * Sending is a job without a scheduler: one transaction queues one outbox
 * message a subscriber (ref "issue:<id>") and marks the issue sent; the
 * outbox's sender thread delivers them, and the job's progress is counted
 * from those outbox rows (total, sent, failed). Materials are named in the
 * subscriber's language where a translation is published, else in Italian
 * marked so; the fixed words come from the catalogues; every message ends
 * with the subscriber's own unsubscribe link. */
#include "internal.h"
#include "app/outbox.h"
#include "app/settings.h"
#include "core/date.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/str.h"
#include <stdlib.h>
#include <string.h>

#define ISSUE_ITEMS_MAX 30 /* ids of each kind */

/* Checks that `ids` (NULL or an array of ids) names `kind`s of the scope. */
static int check_ids(const scope_t *sc, db_t *db, json_t *ids, const char *kind, const char *field, err_t *e)
{
    if (!ids) return 0;
    if (!json_is_array(ids) || json_array_size(ids) > ISSUE_ITEMS_MAX)
        return err_set(e, 422, "invalid", field, "Give a list of at most 30 ids.");
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return err_set(e, 422, "invalid", field, "Give a list of at most 30 ids.");
        int rc = info_store_source_in_scope(sc, db, kind, json_integer_value(v));
        if (rc == 1) return err_set(e, 422, "unknown", field, "One of these is not in your area.");
        if (rc) return rc;
    }
    return 0;
}

/* Checks the translated subjects and introductions: an object of portal
 * languages, each {"subject"?, "intro"?} with capped strings. */
static int translations_valid(json_t *t, err_t *e)
{
    if (!t) return 0;
    if (!json_is_object(t)) return err_set(e, 422, "invalid", "translations", "Give the translations by language.");
    const char *lang;
    json_t *v;
    json_object_foreach(t, lang, v) {
        json_t *s = json_object_get(v, "subject"), *i = json_object_get(v, "intro");
        if (!info_lang_valid(lang) || !json_is_object(v) || json_object_size(v) > (size_t)(!!s + !!i) ||
            (s && (!json_is_string(s) || strlen(json_string_value(s)) > INFO_TITLE_MAX * 4)) ||
            (i && (!json_is_string(i) || strlen(json_string_value(i)) > 4000 * 4)))
            return err_set(e, 422, "invalid", "translations",
                           "Each translation is a portal language with a subject and an introduction.");
    }
    return 0;
}

int info_issue_create(const scope_t *sc, db_t *db, const info_issue_input_t *in, info_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_EDIT, e);
    if (rc) return rc;
    if (!in->subject || !*in->subject || strlen(in->subject) > INFO_TITLE_MAX * 4)
        return err_set(e, 422, "required", "subject", "The subject is 1 to 200 characters.");
    if (in->intro && strlen(in->intro) > 4000 * 4) return err_set(e, 422, "too_long", "intro", "The text is too long.");
    if ((rc = translations_valid(in->translations, e)) ||
        (rc = check_ids(sc, db, in->notice_ids, "notice", "notice_ids", e)) ||
        (rc = check_ids(sc, db, in->material_ids, "material", "material_ids", e)) ||
        (rc = check_ids(sc, db, in->event_ids, "event", "event_ids", e)))
        return rc;
    if (!json_array_size(in->notice_ids) && !json_array_size(in->material_ids) && !json_array_size(in->event_ids) &&
        !(in->intro && *in->intro))
        return err_set(e, 422, "required", "material_ids", "Choose at least one notice, material or event.");
    org_t org;
    int64_t id;
    if ((rc = info_new_record_org(sc, db, in->org, &org, e)) ||
        (rc = info_store_issue_insert(db, &org, in, sc->user_id, db_now(), &id)))
        return rc;
    *ref = (info_ref_t){id, org.id};
    return 0;
}

/* The stored JSON text `key` of `issue` as a value (new reference); an
 * empty array (or object, `object` set) when it does not parse. */
static json_t *stored_json(json_t *issue, const char *key, bool object)
{
    json_t *v = json_loads(jstr_or_empty(issue, key), 0, NULL);
    if (object ? !json_is_object(v) : !json_is_array(v)) {
        json_decref(v);
        v = object ? json_object() : json_array();
    }
    return v;
}

/* The stored id list `key` of `issue` as an array (new reference). */
static json_t *ids_of(json_t *issue, const char *key) { return stored_json(issue, key, false); }

/* The editor's `key` ("subject", "intro") of `issue` in `lang`, else the Italian one. */
static const char *issue_words(json_t *issue, json_t *translations, const char *lang, const char *key)
{
    const char *t = jstr(json_object_get(translations, lang), key);
    return t && *t ? t : jstr_or_empty(issue, key);
}

/* The materials of `ids` in `lang`: {"id","title","lang","fallback"}. */
static int materials_in(db_t *db, json_t *ids, const char *lang, json_t *items)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        json_t *m = NULL;
        int rc = info_public_material(db, json_integer_value(v), lang, &m, NULL);
        if (rc == 1) continue;
        if (rc) return rc;
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)json_integer_value(v), "title",
                                               jstr_or_empty(m, "title"), "lang", jstr_or_empty(m, "lang"), "fallback",
                                               json_is_true(json_object_get(m, "fallback"))));
        json_decref(m);
    }
    return 0;
}

/* The catalogue's `msg` in `lang`. */
static const char *tr(const char *lang, const char *msg)
{
    const settings_t *s = settings();
    return s && s->i18n ? i18n_get(s->i18n, lang, msg) : msg;
}

/* The text of `issue` for a subscriber in `lang` with unsubscribe token
 * `token`; `mats` the issue's materials in that language (materials_in). */
static char *issue_text(json_t *issue, json_t *translations, json_t *notices, json_t *mats, json_t *events,
                        const char *lang, const char *token)
{
    str_t o = STR_INIT;
    const char *intro = issue_words(issue, translations, lang, "intro");
    if (*intro) str_addf(&o, "%s\n\n", intro);
    size_t i;
    json_t *x;
    if (json_array_size(notices)) str_addf(&o, "%s\n\n", tr(lang, "Notices"));
    json_array_foreach(notices, i, x) str_addf(&o, "* %s\n  %s\n\n", jstr_or_empty(x, "title"), jstr_or_empty(x, "body"));
    if (json_array_size(mats)) str_addf(&o, "%s\n\n", tr(lang, "Information materials"));
    json_array_foreach(mats, i, x) {
        str_addf(&o, "* %s", jstr_or_empty(x, "title"));
        if (json_is_true(json_object_get(x, "fallback"))) str_addf(&o, " (%s)", tr(lang, "In Italian"));
        str_addf(&o, "\n  %s/info/%lld?lang=%s\n\n", settings_public_url(), (long long)json_integer_value(json_object_get(x, "id")),
                 lang);
    }
    if (json_array_size(events)) str_addf(&o, "%s\n\n", tr(lang, "Events"));
    json_array_foreach(events, i, x) {
        int y, mo, d;
        civil_from_days(json_integer_value(json_object_get(x, "start_at")) / 86400, &y, &mo, &d);
        str_addf(&o, "* %s\n  %04d-%02d-%02d, %s\n\n", jstr_or_empty(x, "title"), y, mo, d, jstr_or_empty(x, "place"));
    }
    str_addf(&o, "--\n%s\n%s/newsletter/unsubscribe/%s\n", tr(lang, "To unsubscribe at any time:"), settings_public_url(),
             token);
    return str_detach(&o, NULL);
}

int info_issue_send(const scope_t *sc, db_t *db, int64_t id, info_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_EDIT, e);
    info_issue_t is;
    json_t *issue = NULL;
    if (rc || (rc = info_store_issue_load(sc, db, id, &is))) return rc;
    if (is.sent) return err_set(e, 409, "already_sent", NULL, "This issue was already sent.");
    if ((rc = info_store_issue_json(db, &is, &issue))) return rc;
    json_t *subs = json_array(), *notices = json_array(), *events = json_array();
    json_t *nids = ids_of(issue, "notice_ids"), *eids = ids_of(issue, "event_ids"), *mids = ids_of(issue, "material_ids");
    json_t *by_lang = json_object(); /* lang -> the materials in it, computed once a language */
    json_t *translations = stored_json(issue, "translations", true);
    rc = info_store_subscribers_confirmed(db, subs);
    if (!rc) rc = info_store_issue_notices(db, nids, notices);
    if (!rc) rc = info_store_issue_events(db, eids, events);
    char jobref[32];
    snprintf(jobref, sizeof jobref, "issue:%lld", (long long)is.id);
    size_t i;
    json_t *s;
    json_array_foreach(subs, i, s) {
        if (rc) break;
        const char *lang = jstr_or_empty(s, "lang");
        json_t *mats = json_object_get(by_lang, lang);
        if (!mats) {
            json_object_set_new(by_lang, lang, mats = json_array());
            if ((rc = materials_in(db, mids, lang, mats))) break;
        }
        char *text = issue_text(issue, translations, notices, mats, events, lang, jstr_or_empty(s, "unsubscribe_token"));
        rc = outbox_enqueue_for(db, is.org_id, jstr(s, "email"), issue_words(issue, translations, lang, "subject"), text ? text : "",
                                         "info.newsletter.issue", jobref, NULL);
        free(text);
    }
    if (!rc) rc = info_store_issue_mark_sent(db, &is, (int64_t)json_array_size(subs), sc->user_id, db_now());
    json_decref(subs), json_decref(notices), json_decref(events), json_decref(nids), json_decref(eids);
    json_decref(mids), json_decref(by_lang), json_decref(translations);
    json_decref(issue);
    if (rc) return rc;
    *ref = (info_ref_t){is.id, is.org_id};
    return 0;
}

/* Adds "job" {"total","sent","failed","pending","done"} to `out`. */
static int add_job(db_t *db, const info_issue_t *is, json_t *out)
{
    info_issue_job_t job = {0, 0, 0};
    int rc = info_store_issue_job(db, is, &job);
    if (rc) return rc;
    json_object_set_new(out, "job", json_pack("{s:I, s:I, s:I, s:I, s:b}", "total", (json_int_t)job.total, "sent",
                                              (json_int_t)job.sent, "failed", (json_int_t)job.failed, "pending",
                                              (json_int_t)(job.total - job.sent - job.failed), "done",
                                              is->sent && job.sent + job.failed == job.total));
    return 0;
}

int info_issue_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, info_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_EDIT, e);
    info_issue_t is;
    if (rc || (rc = info_store_issue_load(sc, db, id, &is)) || (rc = info_store_issue_json(db, &is, out))) return rc;
    json_t *notices = json_array(), *materials = json_array(), *events = json_array();
    json_t *nids = ids_of(*out, "notice_ids"), *mids = ids_of(*out, "material_ids"), *eids = ids_of(*out, "event_ids");
    json_object_set_new(*out, "notices", notices);
    json_object_set_new(*out, "materials", materials);
    json_object_set_new(*out, "events", events);
    rc = info_store_issue_notices(db, nids, notices);
    if (!rc) rc = materials_in(db, mids, "it", materials);
    if (!rc) rc = info_store_issue_events(db, eids, events);
    if (!rc) rc = add_job(db, &is, *out);
    json_object_set_new(*out, "notice_ids", nids);
    json_object_set_new(*out, "material_ids", mids);
    json_object_set_new(*out, "event_ids", eids);
    json_object_set_new(*out, "translations", stored_json(*out, "translations", true));
    if (rc) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    *ref = (info_ref_t){is.id, is.org_id};
    return 0;
}

int info_issue_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_EDIT, e);
    if (rc || (rc = info_store_issue_list(sc, db, cursor, limit, items))) return rc;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        info_issue_t is = {json_integer_value(json_object_get(it, "id")), 0,
                           strcmp(jstr_or_empty(it, "status"), "sent") == 0};
        static const char *const keys[] = {"notice_ids", "material_ids", "event_ids"};
        for (int k = 0; k < 3; k++) json_object_set_new(it, keys[k], ids_of(it, keys[k]));
        json_object_set_new(it, "translations", stored_json(it, "translations", true));
        if ((rc = add_job(db, &is, it))) return rc;
    }
    return 0;
}

int info_issue_sources(const scope_t *sc, db_t *db, json_t **out, err_t *e)
{
    int rc = scope_require(sc, CAP_MATERIAL_EDIT, e);
    if (rc) return rc;
    char today[11];
    date_today(today, 0);
    *out = json_pack("{s:[], s:[], s:[]}", "notices", "materials", "events");
    rc = info_store_sources(sc, db, today, db_now(), json_object_get(*out, "notices"),
                            json_object_get(*out, "materials"), json_object_get(*out, "events"));
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* channel.c — channels between a district's Ufficio di Piano and its
 * associations (directory.h): threads (calls for co-design, announcements,
 * questions) with their messages, each one noticed by e-mail to the other
 * side; and the support the district records for an association. */
#include "internal.h"
#include "app/outbox.h"
#include "core/date.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

/* The scope's own association (an association's account): 0, or 1 when the scope is not one. */
static int self_of(const scope_t *sc, db_t *db, dir_association_t *self)
{
    int64_t id = dir_association_self(sc, db);
    return id ? dir_store_association_own(sc, db, id, self) : 1;
}

/* 0 for reviewers and associations; fills *self (NULL for reviewers). */
static int participant(const scope_t *sc, db_t *db, dir_association_t *buf, dir_association_t **self, err_t *e)
{
    *self = NULL;
    if (scope_can(sc, CAP_ASSOCIATION_SELF)) {
        if (self_of(sc, db, buf)) return err_set(e, 403, "forbidden", NULL, "This account has no association.");
        *self = buf;
        return 0;
    }
    return scope_require(sc, CAP_ASSOCIATION_REVIEW, e);
}

/* Mails the other side of thread `t` that `what` was posted in it. */
static int notify(db_t *db, const dir_thread_t *t, bool to_district, const char *body, err_t *e)
{
    json_t *emails = json_array(), *x;
    int rc = dir_store_thread_recipients(db, t, to_district, emails);
    size_t i;
    char text[2600], subject[320];
    snprintf(subject, sizeof subject, "[Lab'Impact] %s", t->title);
    snprintf(text, sizeof text, "Nuovo messaggio / New message — \"%s\":\n\n%s\n", t->title, body);
    json_array_foreach(emails, i, x) if (!rc)
        rc = outbox_enqueue_for(db, t->org_id, jstr_or_empty(x, "email"), subject, text, "directory.thread", NULL, NULL);
    json_decref(emails);
    return rc ? dir_fail(rc, e) : 0;
}

int dir_thread_create(const scope_t *sc, db_t *db, const dir_thread_input_t *in, dir_ref_t *ref, err_t *e)
{
    dir_association_t buf, *self;
    dir_district_t d;
    int rc = participant(sc, db, &buf, &self, e);
    if (rc) return rc;
    const char *kind = in->kind ? in->kind : self ? "question" : "announcement";
    if (strcmp(kind, "codesign") && strcmp(kind, "announcement") && strcmp(kind, "question"))
        return err_set(e, 422, "invalid", "kind", "The kind is codesign, announcement or question.");
    if (self && strcmp(kind, "question"))
        return err_set(e, 403, "forbidden", "kind", "An association opens questions; the district calls and announces.");
    rc = self ? dir_store_district_public(db, self->org_code, &d) : dir_store_district(sc, db, in->org ? in->org : sc->org_code, &d);
    if (rc) return rc == 1 ? err_set(e, 404, "not_found", "org", "Not found.") : dir_fail(rc, e);
    int64_t now = db_now(), mid;
    dir_thread_t t = {.org_id = d.id, .association_id = self ? self->id : 0};
    snprintf(t.kind, sizeof t.kind, "%s", kind);
    snprintf(t.title, sizeof t.title, "%s", in->title);
    if ((rc = dir_store_thread_insert(db, &d, kind, in->title, self, sc->user_id, now, &t.id)) ||
        (rc = dir_store_message_insert(db, &t, sc->user_id, self, in->body, now, &mid)))
        return dir_fail(rc, e);
    ref->id = t.id;
    ref->org_id = d.id;
    return notify(db, &t, self != NULL, in->body, e);
}

int dir_thread_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e)
{
    dir_association_t buf, *self;
    int rc = participant(sc, db, &buf, &self, e);
    if (rc) return rc;
    return (rc = dir_store_thread_list(sc, db, self, cursor, limit, items)) ? dir_fail(rc, e) : 0;
}

int dir_thread_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, dir_ref_t *ref, err_t *e)
{
    dir_association_t buf, *self;
    dir_thread_t t;
    int rc = participant(sc, db, &buf, &self, e);
    if (rc) return rc;
    if ((rc = dir_store_thread_get(sc, db, self, id, &t))) return dir_fail(rc, e);
    json_t *messages = json_array();
    if ((rc = dir_store_thread_messages(db, &t, messages))) {
        json_decref(messages);
        return dir_fail(rc, e);
    }
    *out = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)t.id, "kind", t.kind, "title", t.title, "messages",
                     messages);
    ref->id = t.id;
    ref->org_id = t.org_id;
    return 0;
}

int dir_message_post(const scope_t *sc, db_t *db, int64_t thread_id, const char *body, dir_ref_t *ref, err_t *e)
{
    dir_association_t buf, *self;
    dir_thread_t t;
    int64_t id;
    int rc = participant(sc, db, &buf, &self, e);
    if (rc) return rc;
    if ((rc = dir_store_thread_get(sc, db, self, thread_id, &t)) ||
        (rc = dir_store_message_insert(db, &t, sc->user_id, self, body, db_now(), &id)))
        return dir_fail(rc, e);
    ref->id = id;
    ref->org_id = t.org_id;
    return notify(db, &t, self != NULL, body, e);
}

int dir_support_create(const scope_t *sc, db_t *db, const dir_support_input_t *in, dir_ref_t *ref, err_t *e)
{
    dir_association_t a;
    int rc = scope_require(sc, CAP_ASSOCIATION_REVIEW, e);
    if (rc) return rc;
    if (strcmp(in->kind, "training") && strcmp(in->kind, "space") && strcmp(in->kind, "grant") &&
        strcmp(in->kind, "promotion"))
        return err_set(e, 422, "invalid", "kind", "The kind is training, space, grant or promotion.");
    if (!date_valid(in->date)) return err_set(e, 422, "invalid", "date", "The date is YYYY-MM-DD.");
    if ((rc = dir_store_association_own(sc, db, in->association_id, &a)))
        return rc == 1 ? err_set(e, 404, "not_found", "association_id", "Not found.") : dir_fail(rc, e);
    if (strcmp(a.status, "approved"))
        return err_set(e, 422, "invalid", "association_id", "Support is recorded for approved associations.");
    if ((rc = dir_store_support_insert(db, &a, in->kind, in->description, in->amount_cents, in->date, sc->user_id,
                                       db_now(), &ref->id)))
        return dir_fail(rc, e);
    ref->org_id = a.org_id;
    return 0;
}

int dir_support_list(const scope_t *sc, db_t *db, int64_t association_id, json_t *items, dir_ref_t *ref, err_t *e)
{
    dir_association_t a;
    int rc = scope_can(sc, CAP_ASSOCIATION_SELF) ? 0 : scope_require(sc, CAP_ASSOCIATION_REVIEW, e);
    if (rc) return rc;
    if ((rc = dir_store_association_own(sc, db, association_id, &a)) || (rc = dir_store_support_list(db, &a, items)))
        return dir_fail(rc, e);
    ref->id = a.id;
    ref->org_id = a.org_id;
    return 0;
}

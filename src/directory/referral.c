/* referral.c — the referrals the help desks send to the services of the
 * directory (directory.h, rule D6): the service a desk names, and the
 * receiving service's view and answer. The receiver sees the person's
 * name, phone and preferred language and the reason, nothing else. */
#include "internal.h"
#include "app/outbox.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

int dir_service_target(db_t *db, int64_t id, const char *field, dir_service_target_t *out, err_t *e)
{
    int rc = id > 0 ? dir_store_service_target(db, id, out) : 1;
    if (rc == 1) return err_set(e, 422, "invalid", field, "Choose a service of the directory.");
    return rc ? dir_fail(rc, e) : 0;
}

int dir_referral_notify(db_t *db, const dir_service_target_t *t, err_t *e)
{
    json_t *emails = json_array(), *x;
    int rc = dir_store_referral_receivers(db, t->org_id, emails);
    char subject[320], text[1024];
    snprintf(subject, sizeof subject, "[Lab'Impact] Nuovo invio / New referral: %s", t->name);
    snprintf(text, sizeof text,
             "Uno sportello ha inviato una persona al servizio \"%s\".\nApri la pagina Invii ricevuti: /invii-ricevuti\n\n"
             "A help desk referred a person to the service \"%s\".\nOpen the page Referrals received: /invii-ricevuti\n",
             t->name, t->name);
    size_t i;
    json_array_foreach(emails, i, x) if (!rc)
        rc = outbox_enqueue_for(db, t->org_id, jstr_or_empty(x, "email"), subject, text, "directory.referral", NULL, NULL);
    json_decref(emails);
    return rc ? dir_fail(rc, e) : 0;
}

int dir_referral_incoming(const scope_t *sc, db_t *db, const char *status, int64_t cursor, int limit, json_t *items,
                          err_t *e)
{
    static const char *const st[] = {"sent", "accepted", "completed", "declined", "no_show", NULL};
    int rc = scope_require(sc, CAP_REFERRAL_RECEIVE, e);
    if (rc) return rc;
    bool ok = !status || !*status;
    for (size_t i = 0; st[i] && !ok; i++) ok = strcmp(st[i], status) == 0;
    if (!ok) return err_set(e, 422, "invalid", "status", "The status is sent, accepted, completed, declined or no_show.");
    rc = dir_store_referral_incoming(sc, db, status && *status ? status : NULL, cursor, limit, items);
    return rc ? dir_fail(rc, e) : 0;
}

/* True when a referral in `from` may become `to`. */
static bool step_ok(const char *from, const char *to)
{
    if (strcmp(from, "sent") == 0) return strcmp(to, "accepted") == 0 || strcmp(to, "declined") == 0;
    if (strcmp(from, "accepted") == 0) return strcmp(to, "completed") == 0 || strcmp(to, "declined") == 0;
    return false;
}

/* Tells the desk's author that the referral was answered (no personal data). */
static int tell_desk(db_t *db, const dir_referral_t *r, const char *status, err_t *e)
{
    char email[256], subject[320], text[1024];
    int rc = dir_store_referral_author_email(db, r, email);
    if (rc) return dir_fail(rc, e);
    if (!*email) return 0;
    const char *it = !strcmp(status, "accepted") ? "accettato" : !strcmp(status, "declined") ? "non accolto" : "concluso";
    snprintf(subject, sizeof subject, "[Lab'Impact] Invio n. %lld: %s", (long long)r->id, it);
    snprintf(text, sizeof text,
             "Il servizio \"%s\" ha risposto all'invio n. %lld: %s.\nLa risposta è nella scheda della persona.\n\n"
             "The service \"%s\" answered referral no. %lld: %s.\nThe answer is on the person's page.\n",
             r->service, (long long)r->id, it, r->service, (long long)r->id, status);
    rc = outbox_enqueue_for(db, r->org_id, email, subject, text, "directory.referral", NULL, NULL);
    return rc ? dir_fail(rc, e) : 0;
}

int dir_referral_answer(const scope_t *sc, db_t *db, int64_t id, const char *status, const char *note,
                        dir_ref_t *ref, err_t *e)
{
    dir_referral_t r;
    int rc = scope_require(sc, CAP_REFERRAL_RECEIVE, e);
    if (rc) return rc;
    if (!status || (strcmp(status, "accepted") && strcmp(status, "declined") && strcmp(status, "completed")))
        return err_set(e, 422, "invalid", "status", "The answer is accepted, declined or completed.");
    if (strcmp(status, "declined") == 0 && (!note || !*note))
        return err_set(e, 422, "required", "note", "Say why the referral is declined.");
    if ((rc = dir_store_referral_incoming_get(sc, db, id, &r))) return dir_fail(rc, e);
    if (!step_ok(r.status, status))
        return err_set(e, 409, "conflict", "status", "The referral is past that step.");
    if ((rc = dir_store_referral_answer(db, &r, status, note && *note ? note : NULL, sc->user_id, db_now())))
        return dir_fail(rc, e);
    ref->id = r.id;
    ref->org_id = r.org_id;
    return tell_desk(db, &r, status, e);
}

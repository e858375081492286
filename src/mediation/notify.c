/* notify.c — the e-mails of on-call mediation (in Italian, through the
 * outbox, inside the caller's transaction): offers, assignments, reminders,
 * cancellations, the requester's receipt and confirmation request; and the
 * reminders of tomorrow's bookings. */
#include "internal.h"
#include "app/outbox.h"
#include "app/settings.h"
#include "core/ical.h"
#include "core/json.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *med_it(const char *msgid)
{
    const settings_t *s = settings();
    return s && s->i18n ? i18n_get(s->i18n, "it", msgid) : msgid;
}

/* Queues a message when `to` looks like an address; a malformed address is
 * skipped (the change still happens), a database failure fails the change. */
static int mail(db_t *db, const char *to, const char *subject, const str_t *body, const char *kind, int64_t ref)
{
    if (!to || !*to || !strchr(to, '@')) return 0;
    char r[32];
    snprintf(r, sizeof r, "mediation_request:%lld", (long long)ref);
    int rc = outbox_enqueue(db, to, subject, str_cstr(body), kind, r, NULL);
    if (rc == DB_ECONSTRAINT) {
        log_warn("mediation: e-mail %s for request %lld skipped (address refused)", kind, (long long)ref);
        return 0;
    }
    return rc;
}

/* The common lines describing a request. */
static void describe(str_t *b, const med_request_t *r)
{
    char start[17], end[17];
    rome_format(r->start_at, start);
    rome_format(r->end_at, end);
    str_addf(b, "%s: %lld\n", med_it("Request"), (long long)r->id);
    str_addf(b, "%s: %s\n", med_it("Language"), r->language);
    str_addf(b, "%s: %s\n", med_it("Domain"), med_it(r->domain));
    str_addf(b, "%s: %.10s %s-%s\n", med_it("When"), start, start + 11, end + 11);
    str_addf(b, "%s: %s\n", med_it("Where"), r->remote ? med_it("remote (phone or video)") : r->place);
    if (r->body_name[0]) str_addf(b, "%s: %s\n", med_it("Requesting body"), r->body_name);
    if (r->requester_name[0]) str_addf(b, "%s: %s\n", med_it("Requester"), r->requester_name);
}

/* The booking e-mails: to the mediator (assignment or reminder) and, for an
 * assignment, to the requester naming the mediator. */
static int mail_booking(db_t *db, const med_request_t *r, const med_mediator_t *m, bool reminder, str_t *b)
{
    char subject[256];
    snprintf(subject, sizeof subject, "%s %lld", reminder ? med_it("Reminder: mediation tomorrow, request")
                                                          : med_it("Mediation assigned to you, request"), (long long)r->id);
    str_addf(b, "%s\n\n", reminder ? med_it("A reminder of your mediation:") : med_it("This mediation is booked for you:"));
    describe(b, r);
    str_addf(b, "\n%s %s/mediation/me\n", med_it("Your bookings:"), settings_public_url());
    int rc = mail(db, m->email, subject, b, reminder ? "mediation.reminder" : "mediation.assignment", r->id);
    if (rc || reminder || !r->requester_email[0]) return rc;
    str_reset(b);
    snprintf(subject, sizeof subject, "%s %lld", med_it("Mediator confirmed for your request"), (long long)r->id);
    str_addf(b, "%s %s %s.\n\n", med_it("Your request for a mediator is confirmed:"), m->given_name, m->family_name);
    describe(b, r);
    return mail(db, r->requester_email, subject, b, "mediation.requester", r->id);
}

int med_mail(db_t *db, const med_request_t *r, const med_mediator_t *mediator, const char *kind)
{
    med_mediator_t none;
    memset(&none, 0, sizeof none);
    const med_mediator_t *m = mediator ? mediator : &none;
    str_t b = STR_INIT;
    int rc = 0;
    char subject[256];
    if (strcmp(kind, "offer") == 0) {
        snprintf(subject, sizeof subject, "%s %lld", med_it("Mediation offer, request"), (long long)r->id);
        str_addf(&b, "%s\n\n", med_it("You are offered an on-call mediation. Accept or decline it on your page:"));
        str_addf(&b, "%s/mediation/me\n\n", settings_public_url());
        describe(&b, r);
        rc = mail(db, m->email, subject, &b, "mediation.offer", r->id);
    } else if (strcmp(kind, "assignment") == 0 || strcmp(kind, "reminder") == 0) {
        rc = mail_booking(db, r, m, strcmp(kind, "reminder") == 0, &b);
    } else if (strcmp(kind, "cancellation") == 0) {
        snprintf(subject, sizeof subject, "%s %lld", med_it("Mediation cancelled, request"), (long long)r->id);
        str_addf(&b, "%s\n\n", med_it("This mediation was cancelled:"));
        describe(&b, r);
        if (mediator) rc = mail(db, m->email, subject, &b, "mediation.cancellation", r->id);
        if (!rc && r->requester_email[0]) rc = mail(db, r->requester_email, subject, &b, "mediation.cancellation", r->id);
    } else if (strcmp(kind, "received") == 0) {
        snprintf(subject, sizeof subject, "%s %lld", med_it("Request for a mediator received"), (long long)r->id);
        str_addf(&b, "%s\n\n", med_it("We received your request for a mediator. You will be told when a mediator is confirmed."));
        describe(&b, r);
        rc = mail(db, r->requester_email, subject, &b, "mediation.requester", r->id);
    }
    str_release(&b);
    return rc;
}

int med_mail_confirm(db_t *db, const med_request_t *r, const char *token)
{
    if (!r->requester_email[0]) return 0;
    str_t b = STR_INIT;
    char subject[256];
    snprintf(subject, sizeof subject, "%s %lld", med_it("Please confirm the mediation, request"), (long long)r->id);
    str_addf(&b, "%s\n\n", med_it("The mediator closed out this mediation. Please confirm it and rate it:"));
    str_addf(&b, "%s/mediation/confirm/%s\n\n", settings_public_url(), token);
    describe(&b, r);
    int rc = mail(db, r->requester_email, subject, &b, "mediation.confirm", r->id);
    str_release(&b);
    return rc;
}

/* Sends the reminder of one due request and marks it sent. 0 or DB_E*. */
static int remind(const scope_t *sys, db_t *db, int64_t id, int64_t now)
{
    med_request_t r;
    med_mediator_t m;
    int rc = med_store_request_get(sys, db, id, &r);
    if (!rc) rc = med_store_request_mediator(db, &r, &m);
    if (!rc) rc = med_mail(db, &r, &m, "reminder");
    if (!rc) rc = med_store_reminder_sent(db, &r, now);
    return rc > 0 ? DB_ERR : rc;
}

int med_send_reminders(db_t *db, int64_t now, int *queued, err_t *e)
{
    /* System work, for every district: the reminders are due whoever asks. */
    scope_t sys = scope_system("/");
    json_t *due = json_array();
    int rc = med_store_reminders_due(&sys, db, now, now + 24 * 3600, due);
    size_t i;
    json_t *v;
    *queued = 0;
    json_array_foreach(due, i, v) {
        if (rc || (rc = remind(&sys, db, json_integer_value(json_object_get(v, "id")), now))) break;
        (*queued)++;
    }
    json_decref(due);
    return rc ? med_fail_db(e, rc) : 0;
}

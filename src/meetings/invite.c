/* invite.c — invitations by e-mail with an iCalendar file (RFC 5546
 * METHOD:REQUEST, one ATTENDEE a message), the meeting's .ics, and the
 * attendance register written all or nothing (G5).
 *
 * A case meeting's e-mail and file never carry its title or agenda (they may
 * name the person): only "Riunione di caso", the district, date and place. */
#include "internal.h"
#include "app/org.h"
#include "app/outbox.h"
#include "core/ical.h"
#include "core/json.h"
#include "core/mail.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASE_TITLE "Riunione di caso"

/* The organiser's address: the sender of the plan's e-mails. */
static const char *organizer(void)
{
    const char *from = getenv("LABIMPACT_MAIL_FROM");
    return from && *from ? from : "labimpact@localhost";
}

/* Writes the calendar of meeting `m` (its JSON `o`): METHOD `method`, with
 * `attendee` (or NULL) as the one ATTENDEE. */
static void calendar_of(const mtg_meeting_t *m, const json_t *o, const char *method, const char *attendee, str_t *out)
{
    bool is_case = strcmp(m->kind, "case") == 0;
    char uid[64];
    snprintf(uid, sizeof uid, "meeting-%lld@labimpact", (long long)m->id);
    const char *attendees[] = {attendee, NULL};
    ical_event_t ev = {.uid = uid,
                       .start = m->start_at,
                       .end = m->start_at + m->minutes * 60,
                       .stamp = db_now(),
                       .sequence = (int)m->sequence,
                       .summary = is_case ? CASE_TITLE : m->title,
                       .location = m->place[0] ? m->place : NULL,
                       .description = is_case ? NULL : jstr(o, "agenda"),
                       .status = "CONFIRMED",
                       .organizer = organizer(),
                       .attendees = attendee ? attendees : NULL};
    ical_begin_method(out, "-//labimpact//meetings//IT", NULL, method);
    ical_event(out, &ev);
    ical_end(out);
}

/* The Italian text of the invitation e-mail. */
static void invitation_text(const mtg_meeting_t *m, const json_t *o, const char *name, const char *link, str_t *out)
{
    bool is_case = strcmp(m->kind, "case") == 0;
    char start[17];
    rome_format(m->start_at, start);
    str_addf(out, "Gentile %s,\n\nè invitato/a a: %s\n%s\n\nData: %.10s, ore %s (%lld minuti)\n", name,
             is_case ? CASE_TITLE : m->title, m->org_name, start, start + 11, (long long)m->minutes);
    if (m->place[0]) str_addf(out, "Luogo: %s\n", m->place);
    const char *agenda = jstr(o, "agenda");
    if (!is_case && agenda && *agenda) str_addf(out, "\nOrdine del giorno:\n%s\n", agenda);
    if (link) str_addf(out, "\nDettagli: %s\n", link);
    str_adds(out, "\nIn allegato l'invito da aggiungere al calendario (invito.ics).\n\n-- \nLab'Impact\n");
}

/* Checks one invitee and fills its key, name, address and organisation. */
static int invitee_check(const scope_t *sc, db_t *db, const mtg_invitee_input_t *in, size_t i, char ikey[300],
                         const char **name, const char **email, int64_t *org_id, mtg_account_t *acc, org_t *org,
                         err_t *e)
{
    char field[64];
    int rc;
    if (in->user_id > 0) {
        snprintf(field, sizeof field, "invitees[%zu].user_id", i);
        rc = mtg_store_account_get(sc, db, in->user_id, acc);
        if (rc == 1) return err_set(e, 422, "unknown_user", field, "Unknown account, or not of your network.");
        if (rc) return mtg_fail_db(e, rc);
        snprintf(ikey, 300, "u:%lld", (long long)acc->id);
        *name = acc->name;
        *email = mail_address_ok(acc->email) ? acc->email : NULL;
        *org_id = acc->org_id;
        return 0;
    }
    snprintf(field, sizeof field, "invitees[%zu].email", i);
    if (!in->email || !mail_address_ok(in->email))
        return err_set(e, 422, "invalid", field, "Give an account (user_id) or a valid e-mail address.");
    snprintf(field, sizeof field, "invitees[%zu].org", i);
    if (!in->org) return err_set(e, 422, "required", field, "Name the organisation the address belongs to.");
    rc = org_visible(sc, db, in->org, org);
    if (rc == 1) return err_set(e, 422, "unknown_org", field, "Unknown organisation.");
    if (rc) return mtg_fail_db(e, rc);
    size_t n = 0;
    ikey[n++] = 'e', ikey[n++] = ':';
    for (const char *p = in->email; *p && n < 299; p++) ikey[n++] = (char)tolower((unsigned char)*p);
    ikey[n] = '\0';
    *name = in->name && *in->name ? in->name : org->name;
    *email = in->email;
    *org_id = org->id;
    return 0;
}

/* Queues the invitation of one invitee with its .ics. 0 or DB_E*. */
static int queue_invitation(db_t *db, const mtg_meeting_t *m, const json_t *o, const char *name, const char *email,
                            const char *base_url)
{
    str_t body = STR_INIT, ics = STR_INIT, subject = STR_INIT;
    char start[17], ref[48];
    rome_format(m->start_at, start);
    snprintf(ref, sizeof ref, "meeting:%lld", (long long)m->id);
    const char *link = NULL;
    str_t lk = STR_INIT;
    if (base_url) {
        str_addf(&lk, "%s/meetings/%lld", base_url, (long long)m->id);
        link = str_cstr(&lk);
    }
    invitation_text(m, o, name, link, &body);
    calendar_of(m, o, "REQUEST", email, &ics);
    str_addf(&subject, "Invito: %s, %.10s ore %s", strcmp(m->kind, "case") == 0 ? CASE_TITLE : m->title, start, start + 11);
    int64_t id = 0;
    int rc = outbox_enqueue_for(db, m->org_id, email, str_cstr(&subject), str_cstr(&body), "meetings.invitation", ref, &id);
    if (!rc) rc = outbox_attach(db, id, "text/calendar; charset=UTF-8; method=REQUEST", "invito.ics", str_cstr(&ics));
    str_release(&body);
    str_release(&ics);
    str_release(&subject);
    str_release(&lk);
    return rc;
}

int mtg_invite(const scope_t *sc, db_t *db, int64_t id, const mtg_invitee_input_t *list, size_t n,
               const char *base_url, mtg_ref_t *ref, int *added, int *mailed, err_t *e)
{
    mtg_meeting_t m;
    *added = *mailed = 0;
    int rc = mtg_managed(sc, db, id, false, &m, ref, e);
    if (rc) return rc;
    if (n == 0 || n > MTG_INVITEES_MAX)
        return err_set(e, 422, "invalid", "invitees", "Give from 1 to 100 invitees.");
    json_t *o = NULL;
    if ((rc = mtg_store_result(e, mtg_store_meeting_json(db, &m, &o)))) return rc;
    int64_t now = db_now();
    for (size_t i = 0; i < n && !rc; i++) {
        char ikey[300];
        const char *name = NULL, *email = NULL;
        int64_t org_id = 0;
        mtg_account_t acc = {0};
        org_t org;
        if ((rc = invitee_check(sc, db, &list[i], i, ikey, &name, &email, &org_id, &acc, &org, e))) break;
        int st = mtg_store_invitee_insert(db, &m, ikey, list[i].user_id > 0 ? acc.id : 0, org_id, name, email, now);
        if (st == 1) continue; /* already invited */
        if (st || (email && (st = queue_invitation(db, &m, o, name, email, base_url)))) {
            rc = mtg_fail_db(e, st);
            break;
        }
        (*added)++;
        *mailed += email != NULL;
    }
    json_decref(o);
    return rc;
}

int mtg_calendar(const scope_t *sc, db_t *db, int64_t id, str_t *out, mtg_ref_t *ref, err_t *e)
{
    mtg_meeting_t m;
    json_t *o = NULL;
    int rc = mtg_load(sc, db, id, &m, ref, e);
    if (rc || (rc = mtg_store_result(e, mtg_store_meeting_json(db, &m, &o)))) return rc;
    calendar_of(&m, o, "PUBLISH", NULL, out);
    json_decref(o);
    return 0;
}

int mtg_attendance(const scope_t *sc, db_t *db, int64_t id, const mtg_mark_t *marks, size_t n, mtg_ref_t *ref,
                   err_t *e)
{
    static const char *const statuses[] = {"present", "absent", "excused", NULL};
    mtg_meeting_t m;
    int rc = mtg_managed(sc, db, id, true, &m, ref, e);
    if (rc) return rc;
    if (n == 0 || n > MTG_INVITEES_MAX) return err_set(e, 422, "invalid", "marks", "Give from 1 to 100 marks.");
    char field[64];
    for (size_t i = 0; i < n; i++) {
        bool ok = false;
        for (size_t k = 0; marks[i].status && statuses[k]; k++) ok = ok || strcmp(statuses[k], marks[i].status) == 0;
        snprintf(field, sizeof field, "marks[%zu].status", i);
        if (!ok) return err_set(e, 422, "invalid", field, "A mark is present, absent or excused.");
    }
    int64_t now = db_now();
    for (size_t i = 0; i < n; i++) {
        rc = mtg_store_mark(db, &m, marks[i].invitee_id, marks[i].status, sc->user_id, now);
        snprintf(field, sizeof field, "marks[%zu].invitee_id", i);
        if (rc == 1) return err_set(e, 422, "not_invited", field, "This is not an invitee of the meeting.");
        if (rc) return mtg_fail_db(e, rc);
    }
    return 0;
}

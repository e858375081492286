/* mediation.c — the rules of on-call mediation (M1-M5 in mediation.h):
 * validation, matching, offers, booking, close-out, cancellation, pay,
 * statements, calendars and the e-mails they cause. No SQL here (store.c),
 * no HTTP here (web.c). Every function that changes data runs inside the
 * caller's write transaction, so a failure leaves nothing behind. */
#include "mediation.h"
#include "app/outbox.h"
#include "app/settings.h"
#include "core/crypto.h"
#include "core/ical.h"
#include "core/json.h"
#include "core/log.h"
#include "ops.h"
#include "store.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const domains[] = {"school", "health", "social", "legal", NULL};

bool med_lang_valid(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n < 2 || n > 3) return false;
    for (size_t i = 0; i < n; i++)
        if (code[i] < 'a' || code[i] > 'z') return false;
    return true;
}

bool med_domain_valid(const char *domain)
{
    for (const char *const *d = domains; domain && *d; d++)
        if (strcmp(*d, domain) == 0) return true;
    return false;
}

void med_slots(int64_t start, int64_t end, int64_t *first, int64_t *last)
{
    *first = start >= 0 ? start / MED_SLOT_SECONDS : (start - MED_SLOT_SECONDS + 1) / MED_SLOT_SECONDS;
    int64_t e = end - 1;
    *last = e >= 0 ? e / MED_SLOT_SECONDS : (e - MED_SLOT_SECONDS + 1) / MED_SLOT_SECONDS;
}

int64_t med_self_id(const scope_t *sc, db_t *db)
{
    int64_t id = 0;
    if (scope_can(sc, CAP_MEDIATION_SELF) && sc->user_id > 0) medstore_self_id(db, sc->user_id, &id);
    return id;
}

static int fail_db(err_t *e, int rc)
{
    if (rc == DB_ECONSTRAINT) return err_set(e, 409, "conflict", NULL, "This conflicts with existing data.");
    if (rc == DB_EBUSY) return err_set(e, 503, "busy", NULL, "The service is busy. Try again.");
    if (rc == DB_ECONN) return err_set(e, 503, "unavailable", NULL, "The database is not reachable. Try again shortly.");
    return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
}

static int not_found(err_t *e)
{
    return err_set(e, 404, "not_found", NULL, "Not found.");
}

int med_year_range(int64_t now, int64_t *from, int64_t *to)
{
    rome_tm_t t;
    rome_from_utc(now, &t);
    if (rome_to_utc(t.year, 1, 1, 0, 0, from) != 0 || rome_to_utc(t.year + 1, 1, 1, 0, 0, to) != 0) return -1;
    return 0;
}

int med_month_range(const char *month, int64_t *from, int64_t *to)
{
    int y, m;
    char extra;
    if (!month || strlen(month) != 7 || month[4] != '-' || sscanf(month, "%4d-%2d%c", &y, &m, &extra) != 2 ||
        !isdigit((unsigned char)month[5]) || m < 1 || m > 12)
        return -1;
    if (rome_to_utc(y, m, 1, 0, 0, from) != 0) return -1;
    return rome_to_utc(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, 0, 0, to) == 0 ? 0 : -1;
}

/* ---- e-mail ------------------------------------------------------------------ */

static const char *it(const char *msgid)
{
    const settings_t *s = settings();
    return s && s->i18n ? i18n_get(s->i18n, "it", msgid) : msgid;
}

const char *med_public_url(void)
{
    const char *u = getenv("LABIMPACT_PUBLIC_URL");
    return u && *u ? u : "http://127.0.0.1:8080";
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
    str_addf(b, "%s: %lld\n", it("Request"), (long long)r->id);
    str_addf(b, "%s: %s\n", it("Language"), r->language);
    str_addf(b, "%s: %s\n", it("Domain"), it(r->domain));
    str_addf(b, "%s: %.10s %s-%s\n", it("When"), start, start + 11, end + 11);
    str_addf(b, "%s: %s\n", it("Where"), r->remote ? it("remote (phone or video)") : r->place);
    if (r->body_name[0]) str_addf(b, "%s: %s\n", it("Requesting body"), r->body_name);
    if (r->requester_name[0]) str_addf(b, "%s: %s\n", it("Requester"), r->requester_name);
}

static int mediator_email(const scope_t *sc, db_t *db, int64_t mediator_id, med_mediator_t *m)
{
    scope_t sys = scope_system("/");
    (void)sc;
    return medstore_mediator_get(&sys, db, mediator_id, m);
}

int med_mail(db_t *db, const med_request_t *r, int64_t mediator_id, const char *kind)
{
    med_mediator_t m;
    memset(&m, 0, sizeof m);
    if (mediator_id && mediator_email(NULL, db, mediator_id, &m) < 0) return DB_ERR;
    str_t b = STR_INIT;
    int rc = 0;
    char subject[256];
    if (strcmp(kind, "offer") == 0) {
        snprintf(subject, sizeof subject, "%s %lld", it("Mediation offer, request"), (long long)r->id);
        str_addf(&b, "%s\n\n", it("You are offered an on-call mediation. Accept or decline it on your page:"));
        str_addf(&b, "%s/mediation/me\n\n", med_public_url());
        describe(&b, r);
        rc = mail(db, m.email, subject, &b, "mediation.offer", r->id);
    } else if (strcmp(kind, "assignment") == 0 || strcmp(kind, "reminder") == 0) {
        bool rem = strcmp(kind, "reminder") == 0;
        snprintf(subject, sizeof subject, "%s %lld", rem ? it("Reminder: mediation tomorrow, request")
                                                          : it("Mediation assigned to you, request"), (long long)r->id);
        str_addf(&b, "%s\n\n", rem ? it("A reminder of your mediation:") : it("This mediation is booked for you:"));
        describe(&b, r);
        str_addf(&b, "\n%s %s/mediation/me\n", it("Your bookings:"), med_public_url());
        rc = mail(db, m.email, subject, &b, rem ? "mediation.reminder" : "mediation.assignment", r->id);
        if (!rc && !rem && r->requester_email[0]) {
            str_reset(&b);
            snprintf(subject, sizeof subject, "%s %lld", it("Mediator confirmed for your request"), (long long)r->id);
            str_addf(&b, "%s %s %s.\n\n", it("Your request for a mediator is confirmed:"), m.given_name,
                     m.family_name);
            describe(&b, r);
            rc = mail(db, r->requester_email, subject, &b, "mediation.requester", r->id);
        }
    } else if (strcmp(kind, "cancellation") == 0) {
        snprintf(subject, sizeof subject, "%s %lld", it("Mediation cancelled, request"), (long long)r->id);
        str_addf(&b, "%s\n\n", it("This mediation was cancelled:"));
        describe(&b, r);
        if (mediator_id) rc = mail(db, m.email, subject, &b, "mediation.cancellation", r->id);
        if (!rc && r->requester_email[0]) rc = mail(db, r->requester_email, subject, &b, "mediation.cancellation", r->id);
    } else if (strcmp(kind, "received") == 0) {
        snprintf(subject, sizeof subject, "%s %lld", it("Request for a mediator received"), (long long)r->id);
        str_addf(&b, "%s\n\n", it("We received your request for a mediator. You will be told when a mediator is confirmed."));
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
    snprintf(subject, sizeof subject, "%s %lld", it("Please confirm the mediation, request"), (long long)r->id);
    str_addf(&b, "%s\n\n", it("The mediator closed out this mediation. Please confirm it and rate it:"));
    str_addf(&b, "%s/mediation/confirm/%s\n\n", med_public_url(), token);
    describe(&b, r);
    int rc = mail(db, r->requester_email, subject, &b, "mediation.confirm", r->id);
    str_release(&b);
    return rc;
}

int med_send_reminders(db_t *db, int64_t now)
{
    json_t *ids = json_array();
    int rc = medstore_reminders_due(db, now, now + 24 * 3600, ids);
    size_t i;
    json_t *v;
    scope_t sys = scope_system("/");
    int sent = 0;
    json_array_foreach(ids, i, v) {
        if (rc) break;
        med_request_t r;
        int64_t id = json_integer_value(v);
        if ((rc = medstore_request_get(&sys, db, id, &r)) != 0) break;
        if ((rc = med_mail(db, &r, r.mediator_id, "reminder")) || (rc = medstore_reminder_sent(db, id, now))) break;
        sent++;
    }
    json_decref(ids);
    return rc < 0 ? rc : rc > 0 ? DB_ERR : sent;
}

/* ---- candidates (M2) ----------------------------------------------------------------- */

/* Reasons a candidate row is excluded, appended to `reasons`. */
static void row_reasons(json_t *row, const med_request_t *r, json_t *reasons)
{
    if (!json_is_true(json_object_get(row, "active"))) json_array_append_new(reasons, json_string(MED_R_INACTIVE));
    if (!json_is_true(json_object_get(row, "domain_ok"))) json_array_append_new(reasons, json_string(MED_R_DOMAIN));
    if (r->remote && !json_is_true(json_object_get(row, "takes_remote")))
        json_array_append_new(reasons, json_string(MED_R_REMOTE));
    if (!json_is_true(json_object_get(row, "area_ok"))) json_array_append_new(reasons, json_string(MED_R_AREA));
    if (!json_is_true(json_object_get(row, "available"))) json_array_append_new(reasons, json_string(MED_R_UNAVAILABLE));
    if (json_is_true(json_object_get(row, "absent"))) json_array_append_new(reasons, json_string(MED_R_ABSENT));
    if (json_is_true(json_object_get(row, "busy"))) json_array_append_new(reasons, json_string(MED_R_BUSY));
    const char *offer = json_string_value(json_object_get(row, "offer"));
    if (offer && strcmp(offer, "declined") == 0) json_array_append_new(reasons, json_string(MED_R_DECLINED));
}

int med_candidate_rows(db_t *db, const med_request_t *r, json_t *rows)
{
    rome_tm_t t;
    rome_from_utc(r->start_at, &t);
    int start_min = t.hour * 60 + t.minute;
    int64_t first, last;
    med_slots(r->start_at, r->end_at, &first, &last);
    return medstore_candidate_rows(db, r, t.wday, start_min, start_min + r->minutes, first, last, rows);
}

int med_candidates(const scope_t *sc, db_t *db, int64_t request_id, json_t **out)
{
    med_request_t r;
    int rc = medstore_request_get(sc, db, request_id, &r);
    if (rc) return rc;
    if (!scope_can(sc, CAP_MEDIATION_MANAGE)) return 1;
    json_t *rows = json_array();
    int64_t others = 0;
    if ((rc = med_candidate_rows(db, &r, rows)) || (rc = medstore_others_count(db, r.org_id, r.language, &others))) {
        json_decref(rows);
        return rc;
    }
    json_t *items = json_array(), *excluded = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *reasons = json_array();
        row_reasons(row, &r, reasons);
        json_t *o = json_pack("{s:O, s:O, s:O, s:O, s:O}", "mediator_id", json_object_get(row, "id"), "given_name",
                              json_object_get(row, "given_name"), "family_name", json_object_get(row, "family_name"),
                              "last_assigned_at", json_object_get(row, "last_assigned_at"), "offer",
                              json_object_get(row, "offer"));
        json_object_set(o, "id", json_object_get(row, "id"));
        if (json_array_size(reasons) == 0) {
            json_decref(reasons);
            json_array_append_new(items, o);
        } else {
            json_object_set_new(o, "reasons", reasons);
            json_array_append_new(excluded, o);
        }
    }
    json_decref(rows);
    *out = json_pack("{s:I, s:o, s:o, s:I}", "request_id", (json_int_t)r.id, "items", items, "excluded", excluded,
                     "others", (json_int_t)others);
    return 0;
}

/* ---- mediators -------------------------------------------------------------------------- */

/* Validates the lists of a mediator input. */
static int check_lists(med_mediator_input_t *in, bool create, err_t *e)
{
    size_t i;
    json_t *v;
    if (create && (!in->languages || json_array_size(in->languages) == 0))
        return err_set(e, 422, "required", "languages", "Give at least one language (ISO 639 code).");
    json_array_foreach(in->languages, i, v) {
        if (!med_lang_valid(json_string_value(v)))
            return err_set(e, 422, "invalid", "languages", "Languages are ISO 639 codes: two or three lowercase letters.");
    }
    if (in->domains && json_array_size(in->domains) == 0)
        return err_set(e, 422, "required", "domains", "Give at least one domain: school, health, social, legal.");
    json_array_foreach(in->domains, i, v) {
        if (!med_domain_valid(json_string_value(v)))
            return err_set(e, 422, "invalid", "domains", "Unknown domain: school, health, social or legal.");
    }
    json_t *lists[] = {in->areas, in->qualifications, in->training};
    const char *names[] = {"areas", "qualifications", "training"};
    for (int k = 0; k < 3; k++)
        json_array_foreach(lists[k], i, v) {
            const char *s = json_string_value(v);
            if (!s || !*s || utf8_chars(s) > 200)
                return err_set(e, 422, "invalid", names[k], "Each entry is a text of 1 to 200 characters.");
        }
    json_array_foreach(in->availability, i, v) {
        json_t *wd = json_object_get(v, "weekday");
        int from = med_hhmm(json_string_value(json_object_get(v, "from")));
        int to = med_hhmm(json_string_value(json_object_get(v, "to")));
        if (!json_is_object(v) || !json_is_integer(wd) || json_integer_value(wd) < 1 || json_integer_value(wd) > 7 ||
            from < 0 || to <= from)
            return err_set(e, 422, "invalid", "availability",
                           "Availability is a list of {\"weekday\": 1-7, \"from\": \"HH:MM\", \"to\": \"HH:MM\"}.");
    }
    return 0;
}

/* The district (ambito) a new record belongs to: `code` or the caller's organisation. */
static int district_of(const scope_t *sc, db_t *db, const char *code, int64_t *org_id, char *org_code, err_t *e)
{
    const char *want = code && *code ? code : sc->org_code;
    int rc = med_district(sc, db, want, org_id, org_code);
    if (rc < 0) return fail_db(e, rc);
    if (rc == 1) return err_set(e, 422, "unknown_org", "org", "Give the code of a district (ambito) in your scope.");
    return 0;
}

int med_mediator_create(const scope_t *sc, db_t *db, med_mediator_input_t *in, int64_t *id, err_t *e)
{
    int rc = scope_require(sc, CAP_MEDIATION_MANAGE, e);
    if (rc) return rc;
    if (!in->given_name || !*in->given_name) return err_set(e, 422, "required", "given_name", "This field is required.");
    if (!in->family_name || !*in->family_name)
        return err_set(e, 422, "required", "family_name", "This field is required.");
    if (in->email && *in->email && !strchr(in->email, '@'))
        return err_set(e, 422, "invalid", "email", "This e-mail address is not valid.");
    if ((rc = check_lists(in, true, e))) return rc;
    int64_t org_id;
    char org_code[64];
    if ((rc = district_of(sc, db, in->org, &org_id, org_code, e))) return rc;
    int64_t user_id = 0;
    if (in->username && *in->username) {
        rc = medstore_mediator_account(sc, db, in->username, &user_id);
        if (rc < 0) return fail_db(e, rc);
        if (rc == 1)
            return err_set(e, 422, "unknown_user", "username", "No account with the mediator role by that name in your scope.");
    }
    json_t *all = NULL;
    if (!in->domains) in->domains = all = json_pack("[s,s,s,s]", "school", "health", "social", "legal");
    if (in->remote < 0) in->remote = 1;
    if (in->active < 0) in->active = 1;
    char token[CRYPTO_TOKEN_LEN + 1];
    crypto_token(token);
    rc = medstore_mediator_insert(db, in, org_id, user_id, token, db_now(), id);
    if (!rc) rc = medstore_mediator_lists(db, *id, in);
    if (all) {
        json_decref(all);
        in->domains = NULL;
    }
    if (rc == DB_ECONSTRAINT && user_id)
        return err_set(e, 409, "account_taken", "username", "This account is already linked to another mediator.");
    return rc ? fail_db(e, rc) : 0;
}

int med_mediator_update(const scope_t *sc, db_t *db, int64_t id, med_mediator_input_t *in, err_t *e)
{
    med_mediator_t m;
    int rc = medstore_mediator_get(sc, db, id, &m);
    if (rc < 0) return fail_db(e, rc);
    if (rc == 1) return not_found(e);
    bool manage = scope_can(sc, CAP_MEDIATION_MANAGE);
    /* A mediator may change only their contacts and availability. */
    if (!manage && (in->given_name || in->family_name || in->languages || in->domains || in->areas ||
                    in->qualifications || in->training || in->active >= 0 || in->notes || in->username || in->org))
        return err_set(e, 403, "forbidden", NULL, "You are not allowed to do this.");
    if ((in->given_name && !*in->given_name) || (in->family_name && !*in->family_name))
        return err_set(e, 422, "required", in->given_name && !*in->given_name ? "given_name" : "family_name",
                       "This field is required.");
    if (in->languages && json_array_size(in->languages) == 0)
        return err_set(e, 422, "required", "languages", "Give at least one language (ISO 639 code).");
    if ((rc = check_lists(in, false, e))) return rc;
    if ((rc = medstore_mediator_update(db, id, in, db_now())) || (rc = medstore_mediator_lists(db, id, in)))
        return fail_db(e, rc);
    return 0;
}

/* ---- requests ------------------------------------------------------------------------------ */

int med_request_create(const scope_t *sc, db_t *db, med_request_input_t *in, int64_t public_body_id,
                       int64_t public_org_id, int64_t *id, err_t *e)
{
    int rc;
    if (!public_body_id && (rc = scope_require(sc, CAP_MEDIATION_MANAGE, e))) return rc;
    if (!in->language || !med_lang_valid(in->language))
        return err_set(e, 422, "invalid", "language", "The language is an ISO 639 code: two or three lowercase letters.");
    if (!in->domain || !med_domain_valid(in->domain))
        return err_set(e, 422, "invalid", "domain", "Unknown domain: school, health, social or legal.");
    int64_t start;
    rc = rome_parse(in->start, &start);
    if (rc == 1) return err_set(e, 422, "nonexistent_time", "start", "This local time does not exist (clocks go forward).");
    if (rc) return err_set(e, 422, "invalid", "start", "The start is a local date and time: YYYY-MM-DDTHH:MM.");
    if (in->minutes < 15 || in->minutes > 720)
        return err_set(e, 422, "out_of_range", "minutes", "The duration is from 15 to 720 minutes.");
    if (!in->remote && (!in->place || !*in->place))
        return err_set(e, 422, "required", "place", "Give the place (or mark the mediation as remote).");
    if (in->requester_email && *in->requester_email && !strchr(in->requester_email, '@'))
        return err_set(e, 422, "invalid", "requester", "This e-mail address is not valid.");
    int64_t org_id = public_org_id;
    char org_code[64];
    if (!org_id && (rc = district_of(sc, db, in->org, &org_id, org_code, e))) return rc;
    int64_t body_id = public_body_id, requester_id = 0;
    int64_t now = db_now();
    char token[CRYPTO_TOKEN_LEN + 1];
    if (!body_id && in->body_id) {
        char name[256];
        rc = medstore_body_in(db, org_id, in->body_id, name, sizeof name);
        if (rc < 0) return fail_db(e, rc);
        if (rc == 1) return err_set(e, 422, "unknown_body", "body_id", "Unknown requesting body.");
        body_id = in->body_id;
    } else if (!body_id && in->body_name && *in->body_name) {
        crypto_token(token);
        if ((rc = medstore_body_ensure(db, org_id, in->body_name, token, now, &body_id))) return fail_db(e, rc);
    }
    if (body_id && in->requester_name && *in->requester_name &&
        (rc = medstore_requester_ensure(db, body_id, in->requester_name,
                                        in->requester_email && *in->requester_email ? in->requester_email : NULL,
                                        in->requester_phone && *in->requester_phone ? in->requester_phone : NULL, now,
                                        &requester_id)))
        return fail_db(e, rc);
    if (in->area && !*in->area) in->area = NULL;
    rc = medstore_request_insert(db, in, org_id, body_id, requester_id, start, sc->user_id, now, id);
    return rc ? fail_db(e, rc) : 0;
}

/* Loads a request the scope manages (404 otherwise). */
static int managed_request(const scope_t *sc, db_t *db, int64_t id, med_request_t *r, err_t *e)
{
    int rc = scope_require(sc, CAP_MEDIATION_MANAGE, e);
    if (rc) return rc;
    rc = medstore_request_get(sc, db, id, r);
    if (rc < 0) return fail_db(e, rc);
    return rc == 1 ? not_found(e) : 0;
}

/* Books mediator `mid` for request `r` (M1, M2): checks eligibility, holds
 * the slots, sets the assignment, withdraws the other offers, mails. */
static int book(db_t *db, med_request_t *r, int64_t mid, bool force, err_t *e)
{
    if (strcmp(r->status, "open") != 0 && strcmp(r->status, "offered") != 0)
        return err_set(e, 409, "not_open", NULL, "This request is not open any more.");
    json_t *rows = json_array(), *row = NULL, *reasons = json_array();
    int rc = med_candidate_rows(db, r, rows);
    if (rc) {
        json_decref(rows);
        json_decref(reasons);
        return fail_db(e, rc);
    }
    size_t i;
    json_t *x;
    json_array_foreach(rows, i, x) if (json_integer_value(json_object_get(x, "id")) == mid) row = x;
    if (row) row_reasons(row, r, reasons);
    bool busy = false, hard = !row, soft = false;
    json_array_foreach(reasons, i, x) {
        const char *s = json_string_value(x);
        if (strcmp(s, MED_R_BUSY) == 0) busy = true;
        else if (strcmp(s, MED_R_UNAVAILABLE) == 0 || strcmp(s, MED_R_ABSENT) == 0 || strcmp(s, MED_R_DECLINED) == 0 ||
                 strcmp(s, MED_R_AREA) == 0)
            soft = true;
        else hard = true;
    }
    json_decref(rows);
    json_decref(reasons);
    if (hard)
        return err_set(e, 422, "not_eligible", "mediator_id",
                       "This mediator cannot take this request (language, domain, remote work or inactive).");
    if (busy) return err_set(e, 409, "mediator_busy", "mediator_id", "This mediator is already booked at that time.");
    if (soft && !force)
        return err_set(e, 422, "not_available", "mediator_id",
                       "This mediator is not available then (availability, absence, area or declined): confirm to book anyway.");
    int64_t first, last, now = db_now();
    med_slots(r->start_at, r->end_at, &first, &last);
    rc = medstore_slots_book(db, mid, r->id, first, last);
    if (rc == DB_ECONSTRAINT)
        return err_set(e, 409, "mediator_busy", "mediator_id", "This mediator is already booked at that time.");
    if (rc) return fail_db(e, rc);
    rc = medstore_request_assign(db, r->id, mid, now);
    if (rc == 1) return err_set(e, 409, "not_open", NULL, "This request is not open any more.");
    if (rc || (rc = medstore_offers_withdraw(db, r->id, mid, now))) return fail_db(e, rc);
    r->mediator_id = mid;
    snprintf(r->status, sizeof r->status, "assigned");
    if ((rc = med_mail(db, r, mid, "assignment"))) return fail_db(e, rc);
    return 0;
}

int med_assign(const scope_t *sc, db_t *db, int64_t id, int64_t mediator_id, bool force, err_t *e)
{
    med_request_t r;
    int rc = managed_request(sc, db, id, &r, e);
    if (rc) return rc;
    med_mediator_t m;
    rc = medstore_mediator_get(sc, db, mediator_id, &m);
    if (rc < 0) return fail_db(e, rc);
    if (rc == 1 || m.org_id != r.org_id)
        return err_set(e, 422, "not_eligible", "mediator_id", "This mediator is not in the register of the request's district.");
    rc = book(db, &r, mediator_id, force, e);
    if (rc) return rc;
    /* The mediator's own open offer (if any) is settled as accepted. */
    return 0;
}

int med_unassign(const scope_t *sc, db_t *db, int64_t id, err_t *e)
{
    med_request_t r;
    int rc = managed_request(sc, db, id, &r, e);
    if (rc) return rc;
    if (strcmp(r.status, "assigned") != 0) return err_set(e, 409, "not_assigned", NULL, "This request is not assigned.");
    int64_t mid = r.mediator_id;
    if ((rc = medstore_slots_free(db, id)) || (rc = medstore_request_unassign(db, id, db_now()))) return fail_db(e, rc);
    return (rc = med_mail(db, &r, mid, "cancellation")) ? fail_db(e, rc) : 0;
}

int med_offer(const scope_t *sc, db_t *db, int64_t id, json_t *mediator_ids, bool auto_assign, json_t *created, err_t *e)
{
    med_request_t r;
    int rc = managed_request(sc, db, id, &r, e);
    if (rc) return rc;
    if (strcmp(r.status, "open") != 0 && strcmp(r.status, "offered") != 0)
        return err_set(e, 409, "not_open", NULL, "This request is not open any more.");
    if (!json_is_array(mediator_ids) || json_array_size(mediator_ids) == 0 || json_array_size(mediator_ids) > 200)
        return err_set(e, 422, "required", "mediator_ids", "Choose at least one mediator.");
    json_t *cands = NULL;
    if ((rc = med_candidates(sc, db, id, &cands)) != 0) return rc < 0 ? fail_db(e, rc) : not_found(e);
    size_t i, k;
    json_t *v, *c;
    int64_t now = db_now();
    json_array_foreach(mediator_ids, i, v) {
        int64_t mid = json_is_integer(v) ? json_integer_value(v) : 0;
        bool ok = false;
        json_array_foreach(json_object_get(cands, "items"), k, c) ok = ok || json_integer_value(json_object_get(c, "id")) == mid;
        if (!ok) {
            json_decref(cands);
            return err_set(e, 422, "not_candidate", "mediator_ids",
                           "Offers go only to candidates: able and free mediators of the request.");
        }
        int64_t oid;
        rc = medstore_offer_insert(db, id, mid, auto_assign, now, &oid);
        if (rc == DB_ECONSTRAINT) continue; /* offered already */
        if (rc || (rc = med_mail(db, &r, mid, "offer"))) {
            json_decref(cands);
            return fail_db(e, rc);
        }
        json_array_append_new(created, json_integer(oid));
    }
    json_decref(cands);
    if (strcmp(r.status, "open") == 0 && (rc = medstore_request_set_status(db, id, "offered", now))) return fail_db(e, rc);
    return 0;
}

int med_offer_answer(const scope_t *sc, db_t *db, int64_t offer_id, bool accept, int64_t *request_id, err_t *e)
{
    int rc = scope_require(sc, CAP_MEDIATION_SELF, e);
    if (rc) return rc;
    int64_t rid, mid;
    char status[16];
    bool auto_assign;
    rc = medstore_offer_get(sc, db, offer_id, &rid, &mid, status, &auto_assign);
    if (rc < 0) return fail_db(e, rc);
    if (rc == 1) return not_found(e);
    *request_id = rid;
    if (strcmp(status, "open") != 0) return err_set(e, 409, "not_open", NULL, "This offer is no longer open.");
    med_request_t r;
    rc = medstore_request_get(sc, db, rid, &r);
    if (rc) return rc < 0 ? fail_db(e, rc) : not_found(e);
    int64_t now = db_now();
    if (!accept) return (rc = medstore_offer_set(db, offer_id, "declined", now)) ? fail_db(e, rc) : 0;
    if (strcmp(r.status, "open") != 0 && strcmp(r.status, "offered") != 0)
        return err_set(e, 409, "taken", NULL, "Someone else took this request first.");
    if ((rc = medstore_offer_set(db, offer_id, "accepted", now))) return fail_db(e, rc);
    /* First acceptance wins: the acceptance books at once (their yes overrides
     * the declared availability, never an overlapping booking). */
    return auto_assign ? book(db, &r, mid, true, e) : 0;
}

int med_close(const scope_t *sc, db_t *db, int64_t id, int64_t minutes_worked, int64_t travel_hm, err_t *e)
{
    bool manage = scope_can(sc, CAP_MEDIATION_MANAGE);
    if (!manage && !scope_can(sc, CAP_MEDIATION_SELF)) return scope_require(sc, CAP_MEDIATION_MANAGE, e);
    med_request_t r;
    int rc = medstore_request_get(sc, db, id, &r);
    if (rc < 0) return fail_db(e, rc);
    if (rc == 1 || (!manage && r.mediator_id != med_self_id(sc, db))) return not_found(e);
    if (strcmp(r.status, "assigned") != 0)
        return err_set(e, 409, strcmp(r.status, "done") == 0 ? "already_closed" : "not_assigned", NULL,
                       strcmp(r.status, "done") == 0 ? "This request is already closed out." : "Only an assigned request can be closed out.");
    if (minutes_worked < 0 || minutes_worked > 720)
        return err_set(e, 422, "out_of_range", "minutes_worked", "Minutes worked are from 0 to 720.");
    if (travel_hm < 0 || travel_hm > 5000) return err_set(e, 422, "out_of_range", "travel_km", "Travel is from 0 to 500 km.");
    if (r.remote && travel_hm > 0) return err_set(e, 422, "invalid", "travel_km", "A remote mediation has no travel.");
    med_tariff_t t;
    if (med_tariff_for(r.org_code, r.start_at, &t) != 0)
        return err_set(e, 500, "no_tariff", NULL, "No tariff covers this date: the district's protocol is missing.");
    med_pay_t pay;
    if (med_pay_compute(&t, MED_DONE, r.start_at, r.minutes, (int)minutes_worked, r.remote, travel_hm, &pay) != 0)
        return err_set(e, 422, "invalid", "minutes_worked", "These values cannot be paid.");
    char token[CRYPTO_TOKEN_LEN + 1];
    crypto_token(token);
    if ((rc = medstore_request_close(db, id, (int)minutes_worked, travel_hm, t.ref, &pay, token, db_now())))
        return fail_db(e, rc);
    return (rc = med_mail_confirm(db, &r, token)) ? fail_db(e, rc) : 0;
}

int med_cancel(const scope_t *sc, db_t *db, int64_t id, const char *kind, const char *reason, err_t *e)
{
    med_request_t r;
    int rc = managed_request(sc, db, id, &r, e);
    if (rc) return rc;
    bool late = kind && strcmp(kind, "late") == 0;
    if (!kind || (!late && strcmp(kind, "void") != 0))
        return err_set(e, 422, "invalid", "cancel", "A cancellation is \"void\" or \"late\".");
    if (strcmp(r.status, "done") == 0 || strcmp(r.status, "cancelled") == 0)
        return err_set(e, 409, "closed", NULL, "This request is already closed.");
    med_tariff_t t;
    if (med_tariff_for(r.org_code, r.start_at, &t) != 0)
        return err_set(e, 500, "no_tariff", NULL, "No tariff covers this date: the district's protocol is missing.");
    int64_t now = db_now();
    med_pay_t pay;
    memset(&pay, 0, sizeof pay);
    if (late) {
        if (!r.mediator_id)
            return err_set(e, 422, "not_assigned", "cancel", "A late cancellation pays a booked mediator: none is booked.");
        if (now < r.start_at - (int64_t)t.late_cancel_hours * 3600)
            return err_set(e, 422, "outside_window", "cancel",
                           "This is not a late cancellation: it is before the protocol's window, so it is void.");
        med_pay_compute(&t, MED_LATE, r.start_at, r.minutes, 0, r.remote, 0, &pay);
    }
    if ((rc = medstore_slots_free(db, id)) || (rc = medstore_offers_withdraw(db, id, 0, now)) ||
        (rc = medstore_request_cancel(db, id, kind, reason && *reason ? reason : NULL, late ? t.ref : NULL,
                                      &pay, now)))
        return fail_db(e, rc);
    return (rc = med_mail(db, &r, r.mediator_id, "cancellation")) ? fail_db(e, rc) : 0;
}

/* ---- statements ------------------------------------------------------------------------------ */

int med_statement(const scope_t *sc, db_t *db, int64_t mediator_id, const char *month, json_t **out, err_t *e)
{
    bool manage = scope_can(sc, CAP_MEDIATION_MANAGE);
    if (!manage && !scope_can(sc, CAP_MEDIATION_SELF)) return scope_require(sc, CAP_MEDIATION_MANAGE, e);
    int64_t from, to;
    if (med_month_range(month, &from, &to) != 0)
        return err_set(e, 422, "invalid", "month", "The month is YYYY-MM.");
    if (!mediator_id && !manage) mediator_id = med_self_id(sc, db);
    if (!mediator_id) {
        /* A coordinator without mediator_id: the district's summary. */
        json_t *items = json_array();
        int rc = medstore_statement_summary(sc, db, from, to, items);
        if (rc) {
            json_decref(items);
            return fail_db(e, rc);
        }
        int64_t total = 0;
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it) total += json_integer_value(json_object_get(it, "total_cents"));
        *out = json_pack("{s:s, s:o, s:I}", "month", month, "items", items, "total_cents", (json_int_t)total);
        return 0;
    }
    med_mediator_t m;
    int rc = medstore_mediator_get(sc, db, mediator_id, &m);
    if (rc < 0) return fail_db(e, rc);
    if (rc == 1) return not_found(e);
    json_t *lines = json_array();
    if ((rc = medstore_statement_lines(db, mediator_id, from, to, lines))) {
        json_decref(lines);
        return fail_db(e, rc);
    }
    int64_t total = 0, base = 0, sup = 0, travel = 0, minutes = 0;
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) {
        total += json_integer_value(json_object_get(l, "total_cents"));
        base += json_integer_value(json_object_get(l, "base_cents"));
        sup += json_integer_value(json_object_get(l, "supplement_cents"));
        travel += json_integer_value(json_object_get(l, "travel_cents"));
        minutes += json_integer_value(json_object_get(l, "billable_minutes"));
    }
    med_tariff_t t;
    bool has_tariff = med_tariff_for(m.org_code, from, &t) == 0;
    *out = json_pack("{s:s, s:{s:I, s:o, s:o, s:o}, s:o, s:I, s:I, s:I, s:I, s:I, s:o}", "month", month, "mediator",
                     "id", (json_int_t)m.id, "given_name", json_text(m.given_name), "family_name",
                     json_text(m.family_name), "org", json_text(m.org_code), "lines", lines, "billable_minutes",
                     (json_int_t)minutes, "base_cents", (json_int_t)base, "supplement_cents", (json_int_t)sup,
                     "travel_cents", (json_int_t)travel, "total_cents", (json_int_t)total, "tariff_source",
                     has_tariff ? json_text(t.source) : json_null());
    return 0;
}

/* ---- calendar ----------------------------------------------------------------------------------- */

int med_calendar(db_t *db, const med_mediator_t *m, int64_t now, str_t *out)
{
    json_t *rows = json_array();
    int rc = medstore_calendar_rows(db, m->id, now - 92 * 86400, rows);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    char name[300];
    snprintf(name, sizeof name, "%s %s %s", it("Mediation"), m->given_name, m->family_name);
    ical_begin(out, "-//labimpact//mediation//IT", name);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *status = json_string_value(json_object_get(row, "status"));
        char uid[96], summary[256];
        str_t desc = STR_INIT;
        snprintf(uid, sizeof uid, "mediation-request-%lld@labimpact",
                 (long long)json_integer_value(json_object_get(row, "id")));
        const char *body = json_string_value(json_object_get(row, "body"));
        snprintf(summary, sizeof summary, "%s (%s) %s%s", it("Mediation"), json_string_value(json_object_get(row, "language")),
                 body ? "— " : "", body ? body : "");
        str_addf(&desc, "%s: %lld\n%s: %s\n", it("Request"), (long long)json_integer_value(json_object_get(row, "id")),
                 it("Domain"), it(json_string_value(json_object_get(row, "domain"))));
        const char *req = json_string_value(json_object_get(row, "requester"));
        if (req) str_addf(&desc, "%s: %s\n", it("Requester"), req);
        bool remote = json_is_true(json_object_get(row, "remote"));
        ical_event_t ev = {
            .uid = uid,
            .start = json_integer_value(json_object_get(row, "start")),
            .end = json_integer_value(json_object_get(row, "end")),
            .stamp = now,
            .last_modified = json_integer_value(json_object_get(row, "updated_at")),
            .sequence = (int)((json_integer_value(json_object_get(row, "updated_at")) -
                               json_integer_value(json_object_get(row, "created_at"))) % 100000),
            .summary = summary,
            .location = remote ? it("remote (phone or video)") : json_string_value(json_object_get(row, "place")),
            .description = str_cstr(&desc),
            .status = strcmp(status, "cancelled") == 0 ? "CANCELLED" : "CONFIRMED",
            .categories = it(json_string_value(json_object_get(row, "domain"))),
        };
        if (ev.sequence < 0) ev.sequence = 0;
        ical_event(out, &ev);
        str_release(&desc);
    }
    ical_end(out);
    json_decref(rows);
    return 0;
}

/* mediation.c — the operations of the register and of requests (see
 * mediation.h): input checks, mediators, requesting bodies, requests from
 * coordinators and from the public form, request reads and lists, the
 * requester's confirmation; and the error mapping the other operation files
 * share (internal.h). No SQL here (store*.c), no HTTP here (web.c, pages.c).
 * Every function that changes data runs inside the caller's write
 * transaction, so a failure leaves nothing behind. */
#include "internal.h"
#include "governance/governance.h"
#include "core/crypto.h"
#include "core/ical.h"
#include "core/json.h"
#include "core/str.h"
#include <stdio.h>
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
    return str_in_list(domains, domain);
}

bool med_status_valid(const char *status)
{
    static const char *const statuses[] = {"open", "offered", "assigned", "done", "cancelled", NULL};
    return str_in_list(statuses, status);
}

void med_slots(int64_t start, int64_t end, int64_t *first, int64_t *last)
{
    *first = start >= 0 ? start / MED_SLOT_SECONDS : (start - MED_SLOT_SECONDS + 1) / MED_SLOT_SECONDS;
    int64_t e = end - 1;
    *last = e >= 0 ? e / MED_SLOT_SECONDS : (e - MED_SLOT_SECONDS + 1) / MED_SLOT_SECONDS;
}

/* ---- errors and references (internal.h) ------------------------------------------ */

int med_fail_db(err_t *e, int rc)
{
    if (rc == DB_ECONSTRAINT) return err_set(e, 409, "conflict", NULL, "This conflicts with existing data.");
    if (rc == DB_EBUSY) return err_set(e, 503, "busy", NULL, "The service is busy. Try again.");
    if (rc == DB_ECONN) {
        err_set(e, 503, "unavailable", NULL, "The database is not reachable. Try again shortly.");
        e->retry_after = 5;
        return -503;
    }
    return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
}

int med_not_found(err_t *e)
{
    return err_set(e, 404, "not_found", NULL, "Not found.");
}

int med_store_result(err_t *e, int rc)
{
    return rc == 0 ? 0 : rc == 1 ? med_not_found(e) : med_fail_db(e, rc);
}

void med_ref_request(med_ref_t *ref, const med_request_t *r)
{
    ref->id = r->id;
    ref->org_id = r->org_id;
}

int med_managed_request(const scope_t *sc, db_t *db, int64_t id, med_request_t *r, med_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_MEDIATION_MANAGE, e);
    if (rc || (rc = med_store_result(e, med_store_request_get(sc, db, id, r)))) return rc;
    med_ref_request(ref, r);
    return 0;
}

int64_t med_self_id(const scope_t *sc, db_t *db)
{
    int64_t id = 0;
    if (scope_can(sc, CAP_MEDIATION_SELF) && sc->user_id > 0) med_store_self_id(sc, db, &id);
    return id;
}

/* The district (ambito) `code` of the scope a new record belongs to: 422 unknown_org when none. */
static int district_of(const scope_t *sc, db_t *db, const char *code, med_district_t *d, err_t *e)
{
    int rc = med_store_district(sc, db, code, d);
    if (rc == 1) return err_set(e, 422, "unknown_org", "org", "Give the code of a district (ambito) in your scope.");
    return rc ? med_fail_db(e, rc) : 0;
}

/* `code` when given, else the caller's own organisation. */
static const char *code_or_own(const scope_t *sc, const char *code)
{
    return code && *code ? code : sc->org_code;
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
        int from = med_hhmm(jstr(v, "from")), to = med_hhmm(jstr(v, "to"));
        if (!json_is_object(v) || !json_is_integer(wd) || json_integer_value(wd) < 1 || json_integer_value(wd) > 7 ||
            from < 0 || to <= from)
            return err_set(e, 422, "invalid", "availability",
                           "Availability is a list of {\"weekday\": 1-7, \"from\": \"HH:MM\", \"to\": \"HH:MM\"}.");
    }
    return 0;
}

int med_mediator_list(const scope_t *sc, db_t *db, const char *lang, int64_t cursor, int limit, json_t *items,
                      err_t *e)
{
    if (lang && !med_lang_valid(lang))
        return err_set(e, 422, "invalid", "language", "The language is an ISO 639 code: two or three lowercase letters.");
    int64_t yf, yt;
    med_year_range(db_now(), &yf, &yt);
    return med_store_result(e, med_store_mediator_list(sc, db, lang, cursor, limit, yf, yt, items));
}

int med_mediator_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, med_ref_t *ref, err_t *e)
{
    med_mediator_t m;
    int64_t yf, yt;
    int rc = med_store_result(e, med_store_mediator_get(sc, db, id, &m));
    if (rc) return rc;
    med_year_range(db_now(), &yf, &yt);
    if ((rc = med_store_result(e, med_store_mediator_json(sc, db, id, yf, yt, out)))) return rc;
    if (scope_can(sc, CAP_MEDIATION_MANAGE) || med_self_id(sc, db) == id)
        json_object_set_new(*out, "calendar_url", json_sprintf("/api/v1/mediators/%lld/calendar.ics?token=%s",
                                                               (long long)id, m.calendar_token));
    ref->id = m.id;
    ref->org_id = m.org_id;
    return 0;
}

int med_mediator_create(const scope_t *sc, db_t *db, med_mediator_input_t *in, med_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_MEDIATION_MANAGE, e);
    if (rc) return rc;
    if (!in->given_name || !*in->given_name) return err_set(e, 422, "required", "given_name", "This field is required.");
    if (!in->family_name || !*in->family_name)
        return err_set(e, 422, "required", "family_name", "This field is required.");
    if (in->email && *in->email && !strchr(in->email, '@'))
        return err_set(e, 422, "invalid", "email", "This e-mail address is not valid.");
    med_district_t d;
    if ((rc = check_lists(in, true, e)) || (rc = district_of(sc, db, code_or_own(sc, in->org), &d, e))) return rc;
    med_account_t account = {0};
    if (in->username && *in->username) {
        rc = med_store_account(sc, db, in->username, &account);
        if (rc == 1)
            return err_set(e, 422, "unknown_user", "username", "No account with the mediator role by that name in your scope.");
        if (rc) return med_fail_db(e, rc);
    }
    json_t *all = NULL;
    if (!in->domains) in->domains = all = json_pack("[s,s,s,s]", "school", "health", "social", "legal");
    if (in->remote < 0) in->remote = 1;
    if (in->active < 0) in->active = 1;
    char token[CRYPTO_TOKEN_LEN + 1];
    crypto_token(token);
    rc = med_store_mediator_insert(db, &d, in, account.user_id ? &account : NULL, token, db_now(), &ref->id);
    ref->org_id = d.org_id;
    if (all) {
        json_decref(all);
        in->domains = NULL;
    }
    if (rc == DB_ECONSTRAINT && account.user_id)
        return err_set(e, 409, "account_taken", "username", "This account is already linked to another mediator.");
    return rc ? med_fail_db(e, rc) : 0;
}

int med_mediator_update(const scope_t *sc, db_t *db, int64_t id, med_mediator_input_t *in, med_ref_t *ref,
                        err_t *e)
{
    med_mediator_t m;
    int rc = med_store_result(e, med_store_mediator_get(sc, db, id, &m));
    if (rc) return rc;
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
    if ((rc = med_store_mediator_update(db, &m, in, db_now()))) return med_fail_db(e, rc);
    ref->id = m.id;
    ref->org_id = m.org_id;
    return 0;
}

/* ---- bodies ---------------------------------------------------------------------------------- */

int med_body_list(const scope_t *sc, db_t *db, json_t *items, err_t *e)
{
    int rc = med_store_result(e, med_store_body_list(sc, db, items));
    size_t i;
    json_t *b;
    json_array_foreach(items, i, b) {
        json_object_set_new(b, "ask_url", json_sprintf("/mediation/ask/%s", jstr_or_empty(b, "ask_token")));
        json_object_del(b, "ask_token");
    }
    return rc;
}

int med_body_create(const scope_t *sc, db_t *db, const med_body_input_t *in, med_ref_t *ref, err_t *e)
{
    static const char *const kinds[] = {"school", "health", "social", "comune", "legal", "other", NULL};
    int rc = scope_require(sc, CAP_MEDIATION_MANAGE, e);
    if (rc) return rc;
    bool ok = !in->kind;
    for (const char *const *k = kinds; in->kind && *k; k++) ok = ok || strcmp(*k, in->kind) == 0;
    if (!ok) return err_set(e, 422, "invalid", "kind", "Unknown kind: school, health, social, comune, legal or other.");
    if (in->email && !strchr(in->email, '@'))
        return err_set(e, 422, "invalid", "email", "This e-mail address is not valid.");
    med_district_t d;
    if ((rc = district_of(sc, db, in->org ? in->org : sc->org_code, &d, e))) return rc;
    med_body_input_t row = *in;
    if (!row.kind) row.kind = "other";
    char token[CRYPTO_TOKEN_LEN + 1];
    crypto_token(token);
    med_body_t b;
    rc = med_store_body_insert(db, &d, &row, token, db_now(), &b);
    if (rc == DB_ECONSTRAINT) return err_set(e, 409, "name_taken", "name", "A body with this name exists.");
    if (rc) return med_fail_db(e, rc);
    ref->id = b.id;
    ref->org_id = b.org_id;
    return 0;
}

int med_ask_body(db_t *db, const char *token, med_body_t *out, err_t *e)
{
    return med_store_result(e, med_store_body_by_token(db, token, out));
}

/* ---- requests ------------------------------------------------------------------------------ */

/* The body a coordinator's request names (an id of the district, or a name
 * found or created); *has false when none. */
static int request_body(db_t *db, const med_district_t *d, const med_request_input_t *in, med_body_t *b, bool *has,
                        err_t *e)
{
    int rc = 0;
    *has = false;
    if (in->body_id) {
        rc = med_store_body_in(db, d, in->body_id, b);
        if (rc == 1) return err_set(e, 422, "unknown_body", "body_id", "Unknown requesting body.");
        *has = rc == 0;
    } else if (in->body_name && *in->body_name) {
        char token[CRYPTO_TOKEN_LEN + 1];
        crypto_token(token);
        rc = med_store_body_ensure(db, d, in->body_name, token, db_now(), b);
        *has = rc == 0;
    }
    return rc ? med_fail_db(e, rc) : 0;
}

/* Validates and stores a request: of the public body `pub` when not NULL
 * (no scope needed), else of the caller's district. */
static int request_insert(const scope_t *sc, db_t *db, med_request_input_t *in, const med_body_t *pub,
                          med_ref_t *ref, err_t *e)
{
    int rc;
    if (!pub && (rc = scope_require(sc, CAP_MEDIATION_MANAGE, e))) return rc;
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
    med_district_t d;
    med_body_t b;
    bool has_body = pub != NULL;
    if (pub) {
        b = *pub;
        d.org_id = pub->org_id;
        snprintf(d.code, sizeof d.code, "%s", pub->org_code);
    } else if ((rc = district_of(sc, db, code_or_own(sc, in->org), &d, e)) ||
               (rc = request_body(db, &d, in, &b, &has_body, e))) {
        return rc;
    }
    int64_t now = db_now();
    med_requester_t rq = {0};
    if (has_body && in->requester_name && *in->requester_name &&
        (rc = med_store_requester_ensure(db, &b, in->requester_name,
                                         in->requester_email && *in->requester_email ? in->requester_email : NULL,
                                         in->requester_phone && *in->requester_phone ? in->requester_phone : NULL,
                                         now, &rq)))
        return med_fail_db(e, rc);
    if (in->area && !*in->area) in->area = NULL;
    /* Its project: the one given, else its district's on the local start date; never inside an approved period. */
    char day[11];
    snprintf(day, sizeof day, "%.10s", in->start);
    if ((rc = gov_project_of(db, d.org_id, day, in->project_id, &in->project_id, e)) ||
        (rc = gov_period_open(db, in->project_id, day, "start", e)))
        return rc;
    rc = med_store_request_insert(sc, db, &d, has_body ? &b : NULL, rq.id ? &rq : NULL, in, start, now, &ref->id);
    ref->org_id = d.org_id;
    return rc ? med_fail_db(e, rc) : 0;
}

int med_request_create(const scope_t *sc, db_t *db, med_request_input_t *in, med_ref_t *ref, err_t *e)
{
    return request_insert(sc, db, in, NULL, ref, e);
}

int med_request_ask(const scope_t *sc, db_t *db, const med_body_t *body, med_request_input_t *in, med_ref_t *ref,
                    err_t *e)
{
    int64_t start = 0;
    if (!in->requester_name) return err_set(e, 422, "required", "requester_name", "This field is required.");
    if (!in->requester_email) return err_set(e, 422, "required", "requester_email", "This field is required.");
    if (in->start && rome_parse(in->start, &start) == 0 && start < db_now())
        return err_set(e, 422, "in_the_past", "start", "The mediation must be in the future.");
    int rc = request_insert(sc, db, in, body, ref, e);
    if (rc) return rc;
    /* The requester has no scope: the new request is read back as the system. */
    scope_t sys = scope_system("/");
    med_request_t r;
    if ((rc = med_store_request_get(&sys, db, ref->id, &r)) || (rc = med_mail(db, &r, NULL, "received")))
        return med_fail_db(e, rc < 0 ? rc : DB_ERR);
    return 0;
}

int med_request_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, med_ref_t *ref, err_t *e)
{
    ref->id = id;
    return med_store_result(e, med_store_request_json(sc, db, id, out, &ref->org_id));
}

int med_request_list(const scope_t *sc, db_t *db, const med_request_filter_t *f, json_t *items, err_t *e)
{
    return med_store_result(e, med_store_request_list(sc, db, f, items));
}

int med_confirm_load(db_t *db, const char *token, med_request_t *out, err_t *e)
{
    int rc = med_store_result(e, med_store_request_by_confirm(db, token, out));
    if (!rc && strcmp(out->status, "done") != 0) rc = med_not_found(e);
    return rc;
}

int med_confirm(db_t *db, const med_request_t *r, int rating, err_t *e)
{
    if (rating < 0 || rating > 5) return err_set(e, 422, "out_of_range", "rating", "The rating is from 1 to 5.");
    int rc = med_store_request_confirm(db, r, rating, db_now());
    return rc ? med_fail_db(e, rc) : 0;
}

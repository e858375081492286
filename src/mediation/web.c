/* web.c — the routes of on-call mediation: the JSON API under
 * /api/v1/mediators and /api/v1/mediation (CONTRACT.md), statement exports
 * (JSON, CSV, XLSX, PDF), calendar feeds, and the pages (pages.c). Parses
 * input, calls ops.h, chooses the view; never SQL, never a rule of its own.
 * Every read of a mediator's record (personal data) and every change is
 * audited in the request's transaction. */
#include "web.h"
#include "app/server.h"
#include "core/crypto.h"
#include "core/csv.h"
#include "core/ical.h"
#include "core/json.h"
#include "core/pdf.h"
#include "core/xlsx.h"
#include "ops.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int64_t medweb_id(http_req_t *req, const char *name)
{
    const char *s = http_param(req, name);
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    return s && *s && !*end && v > 0 ? v : 0;
}

int medweb_audit(http_req_t *req, const char *action, const char *kind, int64_t id, int64_t org_id, const char *detail)
{
    char oid[32];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    return web_audit(req, action, kind, arena_strdup(req->arena, oid), 0, org_id, detail);
}

/* Queues the reminders due (opportunistically, inside a write). */
int medweb_reminders(http_req_t *req)
{
    int rc = med_send_reminders(web(req)->db, db_now());
    return rc < 0 ? web_db_fail(req, rc) : 0;
}

/* ---- JSON input --------------------------------------------------------------- */

/* An optional array of strings `key`: *out stays NULL when absent. */
static int jin_strings(json_t *body, const char *key, json_t **out, err_t *e)
{
    json_t *v = json_object_get(body, key);
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_array(v) || json_array_size(v) > MED_MAX_LIST)
        return err_set(e, 422, "invalid", key, "This must be a list of texts (at most 32).");
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s) {
        if (!json_is_string(s) || !utf8_valid(json_string_value(s), json_string_length(s)))
            return err_set(e, 422, "invalid", key, "This must be a list of texts (at most 32).");
    }
    *out = v;
    return 0;
}

static int jin_tristate(json_t *body, const char *key, int *out, err_t *e)
{
    bool b = false, present = false;
    int rc = jin_bool(body, key, false, &b, &present, e);
    *out = present ? b : -1;
    return rc;
}

static int mediator_input(json_t *body, bool create, med_mediator_input_t *in, err_t *e)
{
    static const char *const allowed[] = {"given_name", "family_name", "email", "phone", "notes", "org", "username",
                                          "languages", "domains", "areas", "qualifications", "training",
                                          "availability", "remote", "active", NULL};
    memset(in, 0, sizeof *in);
    int rc;
    if ((rc = jin_only(body, allowed, e)) ||
        (rc = jin_str(body, "given_name", create, MED_NAME_MAX, &in->given_name, e)) ||
        (rc = jin_str(body, "family_name", create, MED_NAME_MAX, &in->family_name, e)) ||
        (rc = jin_str(body, "email", false, 254, &in->email, e)) ||
        (rc = jin_str(body, "phone", false, 40, &in->phone, e)) ||
        (rc = jin_str(body, "notes", false, MED_TEXT_MAX, &in->notes, e)) ||
        (rc = jin_str(body, "org", false, 40, &in->org, e)) ||
        (rc = jin_str(body, "username", false, 64, &in->username, e)) ||
        (rc = jin_strings(body, "languages", &in->languages, e)) ||
        (rc = jin_strings(body, "domains", &in->domains, e)) || (rc = jin_strings(body, "areas", &in->areas, e)) ||
        (rc = jin_strings(body, "qualifications", &in->qualifications, e)) ||
        (rc = jin_strings(body, "training", &in->training, e)) || (rc = jin_tristate(body, "remote", &in->remote, e)) ||
        (rc = jin_tristate(body, "active", &in->active, e)))
        return rc;
    json_t *av = json_object_get(body, "availability");
    if (av && !json_is_null(av)) {
        if (!json_is_array(av) || json_array_size(av) > 64)
            return err_set(e, 422, "invalid", "availability",
                           "Availability is a list of {\"weekday\": 1-7, \"from\": \"HH:MM\", \"to\": \"HH:MM\"}.");
        in->availability = av;
    }
    if (create && !in->languages) return err_set(e, 422, "required", "languages", "Give at least one language (ISO 639 code).");
    return 0;
}

/* ---- mediators ------------------------------------------------------------------ */

static int year_now(int64_t *from, int64_t *to)
{
    return med_year_range(db_now(), from, to);
}

static int get_mediators(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    if (!scope_can(&w->scope, CAP_MEDIATION_SELF)) {
        int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
        if (rc) return rc;
    }
    int limit, rc;
    int64_t cursor, yf, yt;
    if ((rc = web_list_params(req, 100, 500, &limit, &cursor))) return rc;
    const char *lang = http_query(req, "language");
    if (lang && !med_lang_valid(lang)) return web_fail(req, 422, "invalid", "language", "The language is an ISO 639 code: two or three lowercase letters.");
    year_now(&yf, &yt);
    json_t *items = json_array();
    if ((rc = medstore_mediator_list(&w->scope, w->db, lang, cursor, limit + 1, yf, yt, items))) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    json_t *next = web_next_cursor(items, limit);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", json_array_size(items));
    if ((rc = web_audit(req, "mediator.list", "mediator", NULL, 0, w->scope.org_id, detail))) {
        json_decref(items);
        json_decref(next);
        return rc;
    }
    return web_list(req, res, items, next);
}

static int mediator_answer(http_req_t *req, http_res_t *res, int status, int64_t id, const char *action)
{
    web_t *w = web(req);
    int64_t yf, yt;
    year_now(&yf, &yt);
    json_t *o = NULL;
    int rc = medstore_mediator_json(&w->scope, w->db, id, yf, yt, &o);
    if (rc < 0) return web_db_fail(req, rc);
    if (rc == 1) return web_not_found(req);
    if (scope_can(&w->scope, CAP_MEDIATION_MANAGE) || med_self_id(&w->scope, w->db) == id) {
        med_mediator_t m;
        if (medstore_mediator_get(&w->scope, w->db, id, &m) == 0) {
            json_object_set_new(o, "calendar_url", json_sprintf("/api/v1/mediators/%lld/calendar.ics?token=%s",
                                                                (long long)id, m.calendar_token));
        }
    }
    if ((rc = medweb_audit(req, action, "mediator", id, 0, NULL))) {
        json_decref(o);
        return rc;
    }
    return web_json(req, res, status, o);
}

static int get_mediator(http_req_t *req, http_res_t *res)
{
    int64_t id = medweb_id(req, "id");
    if (!id) return web_not_found(req);
    return mediator_answer(req, res, 200, id, "mediator.read");
}

static int post_mediators(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
    if (rc) return rc;
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    med_mediator_input_t in;
    int64_t id = 0;
    rc = mediator_input(body, true, &in, &w->err);
    if (!rc) rc = med_mediator_create(&w->scope, w->db, &in, &id, &w->err);
    json_decref(body);
    if (rc) return rc;
    if ((rc = medweb_audit(req, "mediator.create", "mediator", id, 0, NULL))) return rc;
    return mediator_answer(req, res, 201, id, "mediator.read");
}

static int patch_mediator(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = medweb_id(req, "id");
    if (!scope_can(&w->scope, CAP_MEDIATION_SELF)) {
        int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
        if (rc) return rc;
    }
    if (!id) return web_not_found(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    med_mediator_input_t in;
    int rc = mediator_input(body, false, &in, &w->err);
    if (!rc) rc = med_mediator_update(&w->scope, w->db, id, &in, &w->err);
    json_decref(body);
    if (rc) return rc;
    if ((rc = medweb_audit(req, "mediator.update", "mediator", id, 0, NULL))) return rc;
    return mediator_answer(req, res, 200, id, "mediator.read");
}

/* The .ics feed: with the session (the mediator or a coordinator in scope),
 * or with the feed's secret token for calendar applications. */
static int get_calendar(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = medweb_id(req, "id");
    const char *token = http_query(req, "token");
    med_mediator_t m;
    int rc = 1;
    if (id && token && *token) rc = medstore_mediator_by_token(w->db, id, token, &m);
    else if (id && w->has_session) {
        if (!scope_can(&w->scope, CAP_MEDIATION_SELF) && (rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err)))
            return rc;
        rc = medstore_mediator_get(&w->scope, w->db, id, &m);
    } else if (!w->has_session && !(token && *token))
        return web_fail(req, 401, "unauthenticated", NULL, "Please log in.");
    if (rc < 0) return web_db_fail(req, rc);
    if (rc == 1) return web_not_found(req);
    rc = med_calendar(w->db, &m, db_now(), &res->body);
    if (rc) return web_db_fail(req, rc);
    res->status = 200;
    res->content_type = "text/calendar; charset=utf-8";
    res->cache_control = "private, no-cache";
    http_res_header(res, "Content-Disposition",
                    arena_printf(req->arena, "inline; filename=\"mediation-%lld.ics\"", (long long)id));
    return 0;
}

/* ---- bodies ------------------------------------------------------------------------ */

static int get_bodies(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = medstore_body_list(&w->scope, w->db, items))) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    size_t i;
    json_t *b;
    json_array_foreach(items, i, b) {
        json_object_set_new(b, "ask_url", json_sprintf("/mediation/ask/%s", json_string_value(json_object_get(b, "ask_token"))));
        json_object_del(b, "ask_token");
    }
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static int post_bodies(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
    if (rc) return rc;
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"name", "kind", "email", "org", NULL};
    const char *name, *kind, *email, *org;
    err_t *e = &w->err;
    int64_t org_id = 0, id = 0;
    char org_code[64];
    static const char *const kinds[] = {"school", "health", "social", "comune", "legal", "other", NULL};
    if (!(rc = jin_only(body, allowed, e)) && !(rc = jin_str(body, "name", true, 200, &name, e)) &&
        !(rc = jin_str(body, "kind", false, 16, &kind, e)) && !(rc = jin_str(body, "email", false, 254, &email, e)) &&
        !(rc = jin_str(body, "org", false, 40, &org, e))) {
        bool ok = !kind;
        for (const char *const *k = kinds; kind && *k; k++) ok = ok || strcmp(*k, kind) == 0;
        if (!ok) rc = web_fail(req, 422, "invalid", "kind", "Unknown kind: school, health, social, comune, legal or other.");
        else if (email && !strchr(email, '@')) rc = web_fail(req, 422, "invalid", "email", "This e-mail address is not valid.");
        else {
            rc = med_district(&w->scope, w->db, org ? org : w->scope.org_code, &org_id, org_code);
            if (rc == 1) rc = web_fail(req, 422, "unknown_org", "org", "Give the code of a district (ambito) in your scope.");
            else if (rc < 0) rc = web_db_fail(req, rc);
        }
        if (!rc) {
            char token[CRYPTO_TOKEN_LEN + 1];
            crypto_token(token);
            rc = medstore_body_insert(w->db, org_id, name, kind ? kind : "other", email, token, db_now(), &id);
            if (rc == DB_ECONSTRAINT) rc = web_fail(req, 409, "name_taken", "name", "A body with this name exists.");
            else if (rc) rc = web_db_fail(req, rc);
        }
    }
    json_decref(body);
    if (rc || (rc = medweb_audit(req, "mediation.body.create", "mediation_body", id, org_id, NULL))) return rc;
    return web_json(req, res, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

/* ---- requests ------------------------------------------------------------------------ */

static int request_answer(http_req_t *req, http_res_t *res, int status, int64_t id)
{
    web_t *w = web(req);
    json_t *o = NULL;
    int rc = medstore_request_json(&w->scope, w->db, id, &o);
    if (rc < 0) return web_db_fail(req, rc);
    if (rc == 1) return web_not_found(req);
    return web_json(req, res, status, o);
}

/* Reads the requester: a name, or {"name", "email", "phone"}. */
static int requester_input(json_t *body, med_request_input_t *in, err_t *e)
{
    json_t *r = json_object_get(body, "requester");
    if (!r || json_is_null(r)) return 0;
    if (json_is_string(r)) return jin_str(body, "requester", false, MED_NAME_MAX, &in->requester_name, e);
    if (!json_is_object(r)) return err_set(e, 422, "invalid", "requester", "The requester is a name or {\"name\", \"email\", \"phone\"}.");
    static const char *const allowed[] = {"name", "email", "phone", NULL};
    int rc;
    if ((rc = jin_only(r, allowed, e)) || (rc = jin_str(r, "name", true, MED_NAME_MAX, &in->requester_name, e)) ||
        (rc = jin_str(r, "email", false, 254, &in->requester_email, e)) ||
        (rc = jin_str(r, "phone", false, 40, &in->requester_phone, e))) {
        char field[80];
        snprintf(field, sizeof field, "requester.%.50s", e->field);
        snprintf(e->field, sizeof e->field, "%.63s", field);
        return rc;
    }
    return 0;
}

static int post_requests(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
    if (rc) return rc;
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"language", "domain", "start", "minutes", "place", "requester", "body",
                                          "body_id", "remote", "area", "notes", "org", NULL};
    med_request_input_t in;
    memset(&in, 0, sizeof in);
    err_t *e = &w->err;
    bool remote = false, has_remote;
    int64_t id = 0;
    if (!(rc = jin_only(body, allowed, e)) && !(rc = jin_str(body, "language", true, 3, &in.language, e)) &&
        !(rc = jin_str(body, "domain", true, 16, &in.domain, e)) && !(rc = jin_str(body, "start", true, 16, &in.start, e)) &&
        !(rc = jin_int(body, "minutes", true, 15, 720, &in.minutes, NULL, e)) &&
        !(rc = jin_str(body, "place", false, 200, &in.place, e)) && !(rc = requester_input(body, &in, e)) &&
        !(rc = jin_str(body, "body", false, 200, &in.body_name, e)) &&
        !(rc = jin_int(body, "body_id", false, 1, INT64_MAX, &in.body_id, NULL, e)) &&
        !(rc = jin_bool(body, "remote", false, &remote, &has_remote, e)) &&
        !(rc = jin_str(body, "area", false, 100, &in.area, e)) &&
        !(rc = jin_str(body, "notes", false, MED_TEXT_MAX, &in.notes, e)) && !(rc = jin_str(body, "org", false, 40, &in.org, e))) {
        in.remote = remote;
        rc = med_request_create(&w->scope, w->db, &in, 0, 0, &id, e);
    }
    json_decref(body);
    if (rc || (rc = medweb_audit(req, "mediation.request.create", "mediation_request", id, 0, NULL)) ||
        (rc = medweb_reminders(req)))
        return rc;
    return request_answer(req, res, 201, id);
}

static int get_requests(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    if (!scope_can(&w->scope, CAP_MEDIATION_SELF)) {
        int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
        if (rc) return rc;
    }
    int limit, rc;
    int64_t cursor, from = 0, to = 0, mid = 0;
    if ((rc = web_list_params(req, 100, 500, &limit, &cursor))) return rc;
    const char *status = http_query(req, "status"), *month = http_query(req, "month"), *m = http_query(req, "mediator_id");
    static const char *const statuses[] = {"open", "offered", "assigned", "done", "cancelled", NULL};
    bool ok = !status;
    for (const char *const *s = statuses; status && *s; s++) ok = ok || strcmp(*s, status) == 0;
    if (!ok) return web_fail(req, 422, "invalid", "status", "Unknown status: open, offered, assigned, done, cancelled.");
    if (month && med_month_range(month, &from, &to) != 0) return web_fail(req, 422, "invalid", "month", "The month is YYYY-MM.");
    if (m && (mid = strtoll(m, NULL, 10)) <= 0) return web_fail(req, 422, "invalid", "mediator_id", "Not a valid id.");
    json_t *items = json_array();
    if ((rc = medstore_request_list(&w->scope, w->db, status, mid, from, to, cursor, limit + 1, false, items))) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    json_t *next = web_next_cursor(items, limit);
    return web_list(req, res, items, next);
}

static int get_request(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    if (!scope_can(&w->scope, CAP_MEDIATION_SELF)) {
        int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
        if (rc) return rc;
    }
    return request_answer(req, res, 200, medweb_id(req, "id"));
}

static int get_candidates(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
    if (rc) return rc;
    json_t *out = NULL;
    rc = med_candidates(&w->scope, w->db, medweb_id(req, "id"), &out);
    if (rc < 0) return web_db_fail(req, rc);
    if (rc == 1) return web_not_found(req);
    return web_json(req, res, 200, out);
}

static int post_offers(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
    if (rc) return rc;
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"mediator_ids", "auto_assign", NULL};
    bool auto_assign = true, present;
    int64_t id = medweb_id(req, "id");
    json_t *created = json_array();
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_bool(body, "auto_assign", false, &auto_assign, &present, &w->err)))
        rc = med_offer(&w->scope, w->db, id, json_object_get(body, "mediator_ids"), present ? auto_assign : true, created, &w->err);
    json_decref(body);
    if (rc || (rc = medweb_audit(req, "mediation.offer", "mediation_request", id, 0, NULL))) {
        json_decref(created);
        return rc;
    }
    json_t *items = json_array();
    if ((rc = medstore_offer_list(&w->scope, w->db, id, 0, NULL, items))) {
        json_decref(items);
        json_decref(created);
        return web_db_fail(req, rc);
    }
    return web_json(req, res, 201, json_pack("{s:o, s:o}", "created", created, "items", items));
}

static int get_offers(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    if (!scope_can(&w->scope, CAP_MEDIATION_SELF)) {
        int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
        if (rc) return rc;
    }
    const char *rq = http_query(req, "request_id"), *status = http_query(req, "status");
    int64_t rid = rq ? strtoll(rq, NULL, 10) : 0;
    json_t *items = json_array();
    int rc = medstore_offer_list(&w->scope, w->db, rid, 0, status, items);
    if (rc) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static int answer_offer(http_req_t *req, http_res_t *res, bool accept)
{
    web_t *w = web(req);
    int64_t oid = medweb_id(req, "id"), rid = 0;
    int rc = med_offer_answer(&w->scope, w->db, oid, accept, &rid, &w->err);
    if (rc || (rc = medweb_audit(req, accept ? "mediation.offer.accept" : "mediation.offer.decline", "mediation_offer",
                                 oid, 0, NULL)))
        return rc;
    return request_answer(req, res, 200, rid);
}

static int post_offer_accept(http_req_t *req, http_res_t *res)
{
    return answer_offer(req, res, true);
}

static int post_offer_decline(http_req_t *req, http_res_t *res)
{
    return answer_offer(req, res, false);
}

static int post_assign(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
    if (rc) return rc;
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"mediator_id", "force", NULL};
    int64_t mid = 0, id = medweb_id(req, "id");
    bool force = false, present;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_int(body, "mediator_id", true, 1, INT64_MAX, &mid, NULL, &w->err)) &&
        !(rc = jin_bool(body, "force", false, &force, &present, &w->err)))
        rc = med_assign(&w->scope, w->db, id, mid, force, &w->err);
    json_decref(body);
    char detail[48];
    snprintf(detail, sizeof detail, "mediator %lld", (long long)mid);
    if (rc || (rc = medweb_audit(req, "mediation.assign", "mediation_request", id, 0, detail))) return rc;
    return request_answer(req, res, 200, id);
}

static int post_unassign(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = medweb_id(req, "id");
    int rc = med_unassign(&w->scope, w->db, id, &w->err);
    if (rc || (rc = medweb_audit(req, "mediation.unassign", "mediation_request", id, 0, NULL))) return rc;
    return request_answer(req, res, 200, id);
}

/* travel_km as a number with at most one decimal -> hectometres. */
static int travel_input(json_t *body, int64_t *hm, err_t *e)
{
    json_t *v = json_object_get(body, "travel_km");
    *hm = 0;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 500)
        return err_set(e, 422, "out_of_range", "travel_km", "Travel is from 0 to 500 km.");
    *hm = (int64_t)(json_number_value(v) * 10.0 + 0.5);
    return 0;
}

static int post_close(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    if (!scope_can(&w->scope, CAP_MEDIATION_SELF)) {
        int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
        if (rc) return rc;
    }
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"minutes_worked", "travel_km", "cancel", "reason", NULL};
    int64_t id = medweb_id(req, "id"), minutes = 0, hm = 0;
    const char *cancel = NULL, *reason = NULL;
    err_t *e = &w->err;
    int rc;
    if (!(rc = jin_only(body, allowed, e)) && !(rc = jin_str(body, "cancel", false, 8, &cancel, e)) &&
        !(rc = jin_str(body, "reason", false, 500, &reason, e))) {
        if (cancel) {
            if (json_object_get(body, "minutes_worked") || json_object_get(body, "travel_km"))
                rc = web_fail(req, 422, "invalid", "cancel", "Either close out with minutes worked, or cancel.");
            else rc = med_cancel(&w->scope, w->db, id, cancel, reason, e);
        } else if (!(rc = jin_int(body, "minutes_worked", true, 0, 720, &minutes, NULL, e)) &&
                   !(rc = travel_input(body, &hm, e))) {
            rc = med_close(&w->scope, w->db, id, minutes, hm, e);
        }
    }
    const char *detail = cancel ? arena_strdup(req->arena, cancel) : NULL; /* body is freed next */
    json_decref(body);
    if (rc || (rc = medweb_audit(req, detail ? "mediation.cancel" : "mediation.close", "mediation_request", id, 0, detail)))
        return rc;
    return request_answer(req, res, 200, id);
}

static int post_reminders(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
    if (rc) return rc;
    int n = med_send_reminders(w->db, db_now());
    if (n < 0) return web_db_fail(req, n);
    return web_json(req, res, 200, json_pack("{s:i}", "queued", n));
}

static int get_tariff(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    if (!scope_can(&w->scope, CAP_MEDIATION_SELF)) {
        int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
        if (rc) return rc;
    }
    const char *org = http_query(req, "org"), *date = http_query(req, "date");
    int64_t org_id, at = db_now();
    char code[64];
    int rc = med_district(&w->scope, w->db, org ? org : w->scope.org_code, &org_id, code);
    if (rc < 0) return web_db_fail(req, rc);
    if (rc == 1) return web_not_found(req);
    if (date) {
        char buf[20];
        snprintf(buf, sizeof buf, "%.10sT12:00", date);
        if (strlen(date) != 10 || rome_parse(buf, &at) != 0) return web_fail(req, 422, "invalid", "date", "The date is YYYY-MM-DD.");
    }
    med_tariff_t t;
    if (med_tariff_for(code, at, &t) != 0) return web_not_found(req);
    json_t *hol = json_array();
    for (int i = 0; i < t.nholidays; i++)
        json_array_append_new(hol, json_sprintf("%02d-%02d", t.holidays[i] / 100, t.holidays[i] % 100));
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:{s:o, s:o, s:i}, s:i, s:b, s:b, s:o, s:i, s:i, s:s}",
                          "org", code, "ref", t.ref, "source", t.source, "hourly_cents", t.hourly_cents, "min_minutes",
                          t.min_minutes, "min_minutes_remote", t.min_minutes_remote, "increment_minutes",
                          t.increment_minutes, "evening", "from", json_sprintf("%02d:%02d", t.evening_from / 60, t.evening_from % 60),
                          "to", json_sprintf("%02d:%02d", t.evening_to / 60, t.evening_to % 60), "percent",
                          t.evening_percent, "holiday_percent", t.holiday_percent, "sunday_is_holiday",
                          t.sunday_is_holiday, "easter_monday", t.easter_monday, "holidays", hol,
                          "travel_cents_per_km", t.travel_cents_per_km, "late_cancel_hours", t.late_cancel_hours,
                          "late_cancel_pays", t.late_pays_booked ? "booked" : "minimum");
    return web_json(req, res, 200, o);
}

/* ---- statements ------------------------------------------------------------------------------ */

static void euro_plain(int64_t cents, char *out, size_t len)
{
    snprintf(out, len, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(llabs(cents) / 100), (long long)(llabs(cents) % 100));
}

static long long jint(json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static void statement_csv(const json_t *st, str_t *out)
{
    static const char *const head[] = {"date", "start", "request_id", "body", "language", "domain", "kind",
                                       "booked_minutes", "minutes_worked", "billable_minutes", "evening_minutes",
                                       "holiday_minutes", "travel_km", "base_eur", "supplement_eur", "travel_eur",
                                       "total_eur", "tariff"};
    const size_t n = sizeof head / sizeof head[0];
    str_adds(out, "\xEF\xBB\xBF"); /* spreadsheets read UTF-8 with a byte order mark */
    csv_add_row(out, head, n, ',', 0);
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(st, "lines"), i, l) {
        char f[18][64];
        snprintf(f[2], 64, "%lld", jint(l, "request_id"));
        snprintf(f[7], 64, "%lld", jint(l, "booked_minutes"));
        snprintf(f[8], 64, "%lld", jint(l, "minutes_worked"));
        snprintf(f[9], 64, "%lld", jint(l, "billable_minutes"));
        snprintf(f[10], 64, "%lld", jint(l, "evening_minutes"));
        snprintf(f[11], 64, "%lld", jint(l, "holiday_minutes"));
        snprintf(f[12], 64, "%.1f", json_number_value(json_object_get(l, "travel_km")));
        euro_plain(jint(l, "base_cents"), f[13], 64);
        euro_plain(jint(l, "supplement_cents"), f[14], 64);
        euro_plain(jint(l, "travel_cents"), f[15], 64);
        euro_plain(jint(l, "total_cents"), f[16], 64);
        const char *row[] = {jstr_or_empty(l, "date"), jstr_or_empty(l, "start"), f[2], jstr_or_empty(l, "body"), jstr_or_empty(l, "language"),
                             jstr_or_empty(l, "domain"), jstr_or_empty(l, "kind"), f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14],
                             f[15], f[16], jstr_or_empty(l, "tariff")};
        csv_add_row(out, row, n, ',', 0);
    }
    char mins[32], base[32], sup[32], trav[32], tot[32];
    snprintf(mins, sizeof mins, "%lld", jint((json_t *)st, "billable_minutes"));
    euro_plain(jint((json_t *)st, "base_cents"), base, sizeof base);
    euro_plain(jint((json_t *)st, "supplement_cents"), sup, sizeof sup);
    euro_plain(jint((json_t *)st, "travel_cents"), trav, sizeof trav);
    euro_plain(jint((json_t *)st, "total_cents"), tot, sizeof tot);
    const char *total[] = {"", "", "", "", "", "", "total", "", "", mins, "", "", "", base, sup, trav, tot, ""};
    csv_add_row(out, total, n, ',', 0);
}

static int statement_xlsx(http_req_t *req, const json_t *st, str_t *out)
{
    xlsx_t *x = xlsx_new();
    if (!x) return -1;
    static const char *const head[] = {"Data", "Inizio", "Richiesta", "Ente", "Lingua", "Ambito", "Tipo",
                                       "Minuti prenotati", "Minuti lavorati", "Minuti pagati", "Minuti serali",
                                       "Minuti festivi", "Km", "Base €", "Maggiorazioni €", "Viaggio €", "Totale €"};
    (void)req;
    int rc = xlsx_sheet(x, jstr_or_empty((json_t *)st, "month"));
    if (!rc) rc = xlsx_header(x, head, sizeof head / sizeof head[0]);
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(st, "lines"), i, l) {
        if (rc) break;
        rc = xlsx_date(x, 0, jstr_or_empty(l, "date")) || xlsx_text(x, 1, jstr_or_empty(l, "start")) ||
             xlsx_number(x, 2, (double)jint(l, "request_id")) || xlsx_text(x, 3, jstr_or_empty(l, "body")) ||
             xlsx_text(x, 4, jstr_or_empty(l, "language")) || xlsx_text(x, 5, jstr_or_empty(l, "domain")) ||
             xlsx_text(x, 6, jstr_or_empty(l, "kind")) || xlsx_number(x, 7, (double)jint(l, "booked_minutes")) ||
             xlsx_number(x, 8, (double)jint(l, "minutes_worked")) ||
             xlsx_number(x, 9, (double)jint(l, "billable_minutes")) ||
             xlsx_number(x, 10, (double)jint(l, "evening_minutes")) ||
             xlsx_number(x, 11, (double)jint(l, "holiday_minutes")) ||
             xlsx_number(x, 12, json_number_value(json_object_get(l, "travel_km"))) ||
             xlsx_number(x, 13, (double)jint(l, "base_cents") / 100.0) ||
             xlsx_number(x, 14, (double)jint(l, "supplement_cents") / 100.0) ||
             xlsx_number(x, 15, (double)jint(l, "travel_cents") / 100.0) ||
             xlsx_number(x, 16, (double)jint(l, "total_cents") / 100.0) || xlsx_next_row(x);
    }
    if (!rc)
        rc = xlsx_text(x, 6, "Totale") || xlsx_number(x, 9, (double)jint((json_t *)st, "billable_minutes")) ||
             xlsx_number(x, 13, (double)jint((json_t *)st, "base_cents") / 100.0) ||
             xlsx_number(x, 14, (double)jint((json_t *)st, "supplement_cents") / 100.0) ||
             xlsx_number(x, 15, (double)jint((json_t *)st, "travel_cents") / 100.0) ||
             xlsx_number(x, 16, (double)jint((json_t *)st, "total_cents") / 100.0);
    if (rc) {
        xlsx_free(x);
        return -1;
    }
    return xlsx_finish(x, out);
}

static int statement_pdf(http_req_t *req, const json_t *st, str_t *out)
{
    json_t *m = json_object_get(st, "mediator");
    char title[400], eur[48];
    snprintf(title, sizeof title, "%s %s — %s %s", web_tr(req, "Statement"), jstr_or_empty((json_t *)st, "month"),
             jstr_or_empty(m, "given_name"), jstr_or_empty(m, "family_name"));
    char err[128];
    pdf_doc_t *d = pdf_new(title, err, sizeof err);
    if (!d) return -1;
    pdf_set_info(d, "labimpact", web_tr(req, "On-call intercultural mediation"));
    int rc = pdf_heading(d, 1, web_tr(req, "Monthly statement of on-call mediation"));
    char name[300];
    snprintf(name, sizeof name, "%s %s", jstr_or_empty(m, "given_name"), jstr_or_empty(m, "family_name"));
    rc = rc || pdf_kv(d, web_tr(req, "Mediator"), name) || pdf_kv(d, web_tr(req, "District"), jstr_or_empty(m, "org")) ||
         pdf_kv(d, web_tr(req, "Month"), jstr_or_empty((json_t *)st, "month")) || pdf_space(d, 8);
    static pdf_col_t cols[] = {{NULL, 1.1, PDF_LEFT}, {NULL, 0.6, PDF_LEFT}, {NULL, 2.2, PDF_LEFT},
                               {NULL, 0.6, PDF_LEFT}, {NULL, 1.0, PDF_LEFT}, {NULL, 0.7, PDF_RIGHT},
                               {NULL, 0.9, PDF_RIGHT}, {NULL, 0.9, PDF_RIGHT}, {NULL, 0.9, PDF_RIGHT},
                               {NULL, 1.0, PDF_RIGHT}};
    pdf_col_t c[10];
    const char *heads[] = {"Date", "Start", "Requesting body", "Language", "Kind", "Minutes", "Base", "Supplements",
                           "Travel", "Total"};
    for (int i = 0; i < 10; i++) {
        c[i] = cols[i];
        c[i].header = web_tr(req, heads[i]);
    }
    rc = rc || pdf_table_begin(d, c, 10);
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(st, "lines"), i, l) {
        if (rc) break;
        char mins[16], b[32], s[32], t[32], tot[32];
        snprintf(mins, sizeof mins, "%lld", jint(l, "billable_minutes"));
        med_euro(jint(l, "base_cents"), b, sizeof b);
        med_euro(jint(l, "supplement_cents"), s, sizeof s);
        med_euro(jint(l, "travel_cents"), t, sizeof t);
        med_euro(jint(l, "total_cents"), tot, sizeof tot);
        const char *kind = strcmp(jstr_or_empty(l, "kind"), "done") == 0 ? web_tr(req, "done") : web_tr(req, "late cancellation");
        const char *row[] = {jstr_or_empty(l, "date"), jstr_or_empty(l, "start"), jstr_or_empty(l, "body"), jstr_or_empty(l, "language"), kind, mins, b, s, t, tot};
        rc = pdf_table_row(d, row);
    }
    char mins[16], b[32], s[32], t[32];
    snprintf(mins, sizeof mins, "%lld", jint((json_t *)st, "billable_minutes"));
    med_euro(jint((json_t *)st, "base_cents"), b, sizeof b);
    med_euro(jint((json_t *)st, "supplement_cents"), s, sizeof s);
    med_euro(jint((json_t *)st, "travel_cents"), t, sizeof t);
    med_euro(jint((json_t *)st, "total_cents"), eur, sizeof eur);
    const char *total[] = {web_tr(req, "Total"), NULL, NULL, NULL, NULL, mins, b, s, t, eur};
    rc = rc || pdf_table_total(d, total) || pdf_table_end(d);
    const char *src = jstr_or_empty((json_t *)st, "tariff_source");
    if (!rc && *src) {
        char note[400];
        snprintf(note, sizeof note, "%s: %s", web_tr(req, "Tariffs"), src);
        rc = pdf_small(d, note);
    }
    rc = rc || pdf_render(d, out);
    pdf_free(d);
    return rc ? -1 : 0;
}

/* The format asked: ?format=, else the Accept header; "json" by default. */
static const char *wanted_format(http_req_t *req)
{
    const char *f = http_query(req, "format");
    if (f) return f;
    const char *a = http_header(req, "Accept");
    if (!a) return "json";
    if (strstr(a, "text/csv")) return "csv";
    if (strstr(a, "spreadsheetml")) return "xlsx";
    if (strstr(a, "application/pdf")) return "pdf";
    return "json";
}

int medweb_statement(http_req_t *req, http_res_t *res, int64_t mediator_id, const char *month, const char *format)
{
    web_t *w = web(req);
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0 &&
        strcmp(format, "pdf") != 0)
        return web_fail(req, 422, "invalid", "format", "The format is json, csv, xlsx or pdf.");
    json_t *st = NULL;
    int rc = med_statement(&w->scope, w->db, mediator_id, month, &st, &w->err);
    if (rc) return rc;
    bool summary = !json_object_get(st, "mediator");
    if ((rc = medweb_audit(req, "mediation.statement.read", summary ? "mediation_summary" : "mediator",
                           summary ? 0 : json_integer_value(json_object_get(json_object_get(st, "mediator"), "id")), 0,
                           format))) {
        json_decref(st);
        return rc;
    }
    if (strcmp(format, "json") == 0 || summary) {
        if (summary && strcmp(format, "json") != 0) {
            json_decref(st);
            return web_fail(req, 422, "invalid", "mediator_id", "Exports are per mediator: give mediator_id.");
        }
        return web_json(req, res, 200, st);
    }
    char fname[128];
    snprintf(fname, sizeof fname, "statement-%s-%lld.%s", month,
             (long long)json_integer_value(json_object_get(json_object_get(st, "mediator"), "id")), format);
    str_reset(&res->body);
    if (strcmp(format, "csv") == 0) {
        statement_csv(st, &res->body);
        res->content_type = "text/csv; charset=utf-8";
    } else if (strcmp(format, "xlsx") == 0) {
        rc = statement_xlsx(req, st, &res->body);
        res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    } else {
        rc = statement_pdf(req, st, &res->body);
        res->content_type = "application/pdf";
    }
    json_decref(st);
    if (rc) {
        str_reset(&res->body);
        return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    }
    res->status = 200;
    res->cache_control = "private, no-store";
    http_res_header(res, "Content-Disposition", arena_printf(req->arena, "attachment; filename=\"%s\"", fname));
    return 0;
}

static int get_statements(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    if (!scope_can(&w->scope, CAP_MEDIATION_SELF)) {
        int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
        if (rc) return rc;
    }
    const char *m = http_query(req, "mediator_id"), *month = http_query(req, "month");
    int64_t mid = 0;
    if (m && *m) {
        char *end;
        mid = strtoll(m, &end, 10);
        if (*end || mid <= 0) return web_fail(req, 422, "invalid", "mediator_id", "Not a valid id.");
    }
    if (!month) return web_fail(req, 422, "required", "month", "The month is YYYY-MM.");
    return medweb_statement(req, res, mid, month, wanted_format(req));
}

static const route_t routes[] = {
    {"GET", "/api/v1/mediators", get_mediators, 0},
    {"POST", "/api/v1/mediators", post_mediators, R_WRITE},
    {"GET", "/api/v1/mediators/{id}", get_mediator, 0},
    {"PATCH", "/api/v1/mediators/{id}", patch_mediator, R_WRITE},
    {"GET", "/api/v1/mediators/{id}/calendar.ics", get_calendar, R_PUBLIC},
    {"GET", "/api/v1/mediation/bodies", get_bodies, 0},
    {"POST", "/api/v1/mediation/bodies", post_bodies, R_WRITE},
    {"GET", "/api/v1/mediation/requests", get_requests, 0},
    {"POST", "/api/v1/mediation/requests", post_requests, R_WRITE},
    {"GET", "/api/v1/mediation/requests/{id}", get_request, 0},
    {"GET", "/api/v1/mediation/requests/{id}/candidates", get_candidates, 0},
    {"POST", "/api/v1/mediation/requests/{id}/offers", post_offers, R_WRITE},
    {"POST", "/api/v1/mediation/requests/{id}/assign", post_assign, R_WRITE},
    {"POST", "/api/v1/mediation/requests/{id}/unassign", post_unassign, R_WRITE},
    {"POST", "/api/v1/mediation/requests/{id}/close", post_close, R_WRITE},
    {"GET", "/api/v1/mediation/offers", get_offers, 0},
    {"POST", "/api/v1/mediation/offers/{id}/accept", post_offer_accept, R_WRITE},
    {"POST", "/api/v1/mediation/offers/{id}/decline", post_offer_decline, R_WRITE},
    {"GET", "/api/v1/mediation/statements", get_statements, 0},
    {"GET", "/api/v1/mediation/tariffs", get_tariff, 0},
    {"POST", "/api/v1/mediation/reminders", post_reminders, R_WRITE},
};

const route_t *medweb_api_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

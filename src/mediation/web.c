/* web.c — the JSON API of on-call mediation under /api/v1/mediators and
 * /api/v1/mediation (CONTRACT.md): parses input, calls the operations of
 * mediation.h, audits, answers; never SQL, never a rule of its own.
 * Statement exports are in export.c, the pages in pages.c.
 *
 * Audit (mediation.h): every read of personal data writes one entry, a
 * record's under its district, a list's with the count; writes are R_WRITE
 * routes, so their entry is written in the same transaction as the change. */
#include "web.h"
#include "app/server.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int medweb_require(http_req_t *req)
{
    web_t *w = web(req);
    return scope_can(&w->scope, CAP_MEDIATION_SELF) ? 0 : scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
}

int medweb_audit(http_req_t *req, const char *action, const char *kind, const med_ref_t *ref, const char *detail)
{
    return web_audit_id(req, action, kind, ref->id, 0, ref->org_id, detail);
}

int medweb_audit_list(http_req_t *req, const char *action, const char *kind, size_t count)
{
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", count);
    return web_audit(req, action, kind, NULL, 0, web(req)->scope.org_id, detail);
}

int medweb_reminders(http_req_t *req)
{
    int queued;
    return med_send_reminders(web(req)->db, db_now(), &queued, &web(req)->err);
}

/* Answers `v` (taken) after auditing its read; on a failed audit frees it. */
static int answer_audited(http_req_t *req, http_res_t *res, int status, json_t *v, int audit_rc)
{
    if (audit_rc) {
        json_decref(v);
        return audit_rc;
    }
    return web_json(req, res, status, v);
}

/* Answers one page of a list (`items`, taken, read with limit + 1 rows and
 * the read's result `rc`), audited as one `action` on records of `kind`. */
static int page_answer(http_req_t *req, http_res_t *res, int rc, json_t *items, int limit, const char *action,
                       const char *kind)
{
    json_t *next = NULL;
    if (!rc) next = web_next_cursor(items, limit);
    if (rc || (rc = medweb_audit_list(req, action, kind, json_array_size(items)))) {
        json_decref(items);
        json_decref(next);
        return rc;
    }
    return web_list(req, res, items, next);
}

/* ---- JSON input --------------------------------------------------------------- */

/* The JSON object body of a request only coordinators may make; NULL with
 * *rc the error (401 / 403, or the body's 400 / 413 / 422). */
static json_t *manager_body(http_req_t *req, int *rc)
{
    web_t *w = web(req);
    if ((*rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err))) return NULL;
    json_t *body = web_body(req);
    if (!body) *rc = -w->err.status;
    return body;
}

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

static int get_mediators(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int limit, rc = medweb_require(req);
    int64_t cursor;
    if (rc || (rc = web_list_params(req, 100, 500, &limit, &cursor))) return rc;
    json_t *items = json_array();
    rc = med_mediator_list(&w->scope, w->db, http_query(req, "language"), cursor, limit + 1, items, &w->err);
    return page_answer(req, res, rc, items, limit, "mediator.list", "mediator");
}

/* Answers mediator `id` as the caller sees it, audited as mediator.read. */
static int mediator_answer(http_req_t *req, http_res_t *res, int status, int64_t id)
{
    web_t *w = web(req);
    json_t *o = NULL;
    med_ref_t ref = {0, 0};
    int rc = med_mediator_read(&w->scope, w->db, id, &o, &ref, &w->err);
    if (rc) return rc;
    return answer_audited(req, res, status, o, medweb_audit(req, "mediator.read", "mediator", &ref, NULL));
}

static int get_mediator(http_req_t *req, http_res_t *res)
{
    int64_t id = web_param_id(req, "id");
    if (!id) return web_not_found(req);
    return mediator_answer(req, res, 200, id);
}

static int post_mediators(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = manager_body(req, &rc);
    if (!body) return rc;
    med_mediator_input_t in;
    med_ref_t ref = {0, 0};
    rc = mediator_input(body, true, &in, &w->err);
    if (!rc) rc = med_mediator_create(&w->scope, w->db, &in, &ref, &w->err);
    json_decref(body);
    if (rc || (rc = medweb_audit(req, "mediator.create", "mediator", &ref, NULL))) return rc;
    return mediator_answer(req, res, 201, ref.id);
}
static const resource_t res_mediators = {"/api/v1/mediators", .get = get_mediators, .post = post_mediators};

static int patch_mediator(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    int rc = medweb_require(req);
    if (rc) return rc;
    if (!id) return web_not_found(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    med_mediator_input_t in;
    med_ref_t ref = {0, 0};
    rc = mediator_input(body, false, &in, &w->err);
    if (!rc) rc = med_mediator_update(&w->scope, w->db, id, &in, &ref, &w->err);
    json_decref(body);
    if (rc || (rc = medweb_audit(req, "mediator.update", "mediator", &ref, NULL))) return rc;
    return mediator_answer(req, res, 200, id);
}
static const resource_t res_mediators_id = {"/api/v1/mediators/{id}", .get = get_mediator, .patch = patch_mediator};

/* The .ics feed: with the session (the mediator or a coordinator in scope),
 * or with the feed's secret token for calendar applications. */
static int get_calendar(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    const char *token = http_query(req, "token");
    if (!w->has_session && !(token && *token)) return web_fail(req, 401, "unauthenticated", NULL, "Please log in.");
    med_ref_t ref = {0, 0};
    int rc = med_calendar(&w->scope, w->db, id, token, db_now(), &res->body, &ref, &w->err);
    if (rc || (rc = medweb_audit(req, "mediation.calendar.read", "mediator", &ref, NULL))) {
        str_reset(&res->body);
        return rc;
    }
    res->status = 200;
    res->content_type = "text/calendar; charset=utf-8";
    res->cache_control = "private, no-cache";
    http_res_header(res, "Content-Disposition",
                    arena_printf(req->arena, "inline; filename=\"mediation-%lld.ics\"", (long long)id));
    return 0;
}
static const resource_t res_mediators_id_calendar_ics = {"/api/v1/mediators/{id}/calendar.ics", .get = get_calendar, .flags = R_PUBLIC};

/* ---- bodies ------------------------------------------------------------------------ */

static int get_bodies(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
    json_t *items = json_array();
    if (rc || (rc = med_body_list(&w->scope, w->db, items, &w->err))) {
        json_decref(items);
        return rc;
    }
    return web_list(req, res, items, NULL);
}

static int post_bodies(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = manager_body(req, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"name", "kind", "email", "org", NULL};
    med_body_input_t in;
    med_ref_t ref = {0, 0};
    err_t *e = &w->err;
    if (!(rc = jin_only(body, allowed, e)) && !(rc = jin_str(body, "name", true, 200, &in.name, e)) &&
        !(rc = jin_str(body, "kind", false, 16, &in.kind, e)) && !(rc = jin_str(body, "email", false, 254, &in.email, e)) &&
        !(rc = jin_str(body, "org", false, 40, &in.org, e)))
        rc = med_body_create(&w->scope, w->db, &in, &ref, e);
    json_decref(body);
    if (rc || (rc = medweb_audit(req, "mediation.body.create", "mediation_body", &ref, NULL))) return rc;
    return web_json(req, res, 201, json_pack("{s:I}", "id", (json_int_t)ref.id));
}
static const resource_t res_mediation_bodies = {"/api/v1/mediation/bodies", .get = get_bodies, .post = post_bodies};

/* ---- requests ------------------------------------------------------------------------ */

/* Answers request `id` as the caller sees it; `read_action` audits the
 * read (NULL after a write, whose own entry covers it). */
static int request_answer(http_req_t *req, http_res_t *res, int status, int64_t id, const char *read_action)
{
    web_t *w = web(req);
    json_t *o = NULL;
    med_ref_t ref = {0, 0};
    int rc = med_request_read(&w->scope, w->db, id, &o, &ref, &w->err);
    if (rc) return rc;
    if (read_action) rc = medweb_audit(req, read_action, "mediation_request", &ref, NULL);
    return answer_audited(req, res, status, o, rc);
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
    int rc;
    json_t *body = manager_body(req, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"language", "domain", "start", "minutes", "place", "requester", "body",
                                          "body_id", "remote", "area", "notes", "org", "project_id", NULL};
    med_request_input_t in;
    memset(&in, 0, sizeof in);
    err_t *e = &w->err;
    bool remote = false, has_remote;
    med_ref_t ref = {0, 0};
    if (!(rc = jin_only(body, allowed, e)) && !(rc = jin_str(body, "language", true, 3, &in.language, e)) &&
        !(rc = jin_str(body, "domain", true, 16, &in.domain, e)) && !(rc = jin_str(body, "start", true, 16, &in.start, e)) &&
        !(rc = jin_int(body, "minutes", true, 15, 720, &in.minutes, NULL, e)) &&
        !(rc = jin_str(body, "place", false, 200, &in.place, e)) && !(rc = requester_input(body, &in, e)) &&
        !(rc = jin_str(body, "body", false, 200, &in.body_name, e)) &&
        !(rc = jin_int(body, "body_id", false, 1, INT64_MAX, &in.body_id, NULL, e)) &&
        !(rc = jin_bool(body, "remote", false, &remote, &has_remote, e)) &&
        !(rc = jin_str(body, "area", false, 100, &in.area, e)) &&
        !(rc = jin_str(body, "notes", false, MED_TEXT_MAX, &in.notes, e)) && !(rc = jin_str(body, "org", false, 40, &in.org, e)) &&
        !(rc = jin_int(body, "project_id", false, 1, INT64_MAX, &in.project_id, NULL, e))) {
        in.remote = remote;
        rc = med_request_create(&w->scope, w->db, &in, &ref, e);
    }
    json_decref(body);
    if (rc || (rc = medweb_audit(req, "mediation.request.create", "mediation_request", &ref, NULL)) ||
        (rc = medweb_reminders(req)))
        return rc;
    return request_answer(req, res, 201, ref.id, NULL);
}

/* The optional positive id of query parameter `name` into *id (0 when
 * absent): -422 naming it when it is not one. */
static int query_id(http_req_t *req, const char *name, int64_t *id)
{
    const char *s = http_query(req, name);
    char *end;
    *id = 0;
    if (!s || !*s) return 0;
    *id = strtoll(s, &end, 10);
    return *end || *id <= 0 ? web_fail(req, 422, "invalid", name, "Not a valid id.") : 0;
}

static int get_requests(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    med_request_filter_t f = {.status = http_query(req, "status")};
    const char *month = http_query(req, "month");
    int rc = medweb_require(req);
    if (rc || (rc = web_list_params(req, 100, 500, &f.limit, &f.cursor))) return rc;
    if (f.status && !med_status_valid(f.status))
        return web_fail(req, 422, "invalid", "status", "Unknown status: open, offered, assigned, done, cancelled.");
    if (month && med_month_range(month, &f.from, &f.to) != 0)
        return web_fail(req, 422, "invalid", "month", "The month is YYYY-MM.");
    if ((rc = query_id(req, "mediator_id", &f.mediator_id))) return rc;
    int limit = f.limit++;
    json_t *items = json_array();
    rc = med_request_list(&w->scope, w->db, &f, items, &w->err);
    return page_answer(req, res, rc, items, limit, "mediation.request.list", "mediation_request");
}
static const resource_t res_mediation_requests = {"/api/v1/mediation/requests", .get = get_requests, .post = post_requests};

static int get_request(http_req_t *req, http_res_t *res)
{
    int rc = medweb_require(req);
    return rc ? rc : request_answer(req, res, 200, web_param_id(req, "id"), "mediation.request.read");
}
static const resource_t res_mediation_requests_id = {"/api/v1/mediation/requests/{id}", .get = get_request};

static int get_candidates(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *out = NULL;
    med_ref_t ref = {0, 0};
    int rc = med_candidates(&w->scope, w->db, web_param_id(req, "id"), &out, &ref, &w->err);
    if (rc) return rc;
    return answer_audited(req, res, 200, out, medweb_audit(req, "mediation.candidates.read", "mediation_request", &ref, NULL));
}
static const resource_t res_mediation_requests_id_candidates = {"/api/v1/mediation/requests/{id}/candidates", .get = get_candidates};

static int post_offers(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = manager_body(req, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"mediator_ids", "auto_assign", NULL};
    bool auto_assign = true, present;
    int64_t id = web_param_id(req, "id");
    json_t *created = json_array(), *items = json_array();
    med_ref_t ref = {0, 0};
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_bool(body, "auto_assign", false, &auto_assign, &present, &w->err)))
        rc = med_offer(&w->scope, w->db, id, json_object_get(body, "mediator_ids"), present ? auto_assign : true, created,
                       &ref, &w->err);
    json_decref(body);
    if (rc || (rc = medweb_audit(req, "mediation.offer", "mediation_request", &ref, NULL)) ||
        (rc = med_offer_list(&w->scope, w->db, id, 0, NULL, items, &w->err))) {
        json_decref(items);
        json_decref(created);
        return rc;
    }
    return web_json(req, res, 201, json_pack("{s:o, s:o}", "created", created, "items", items));
}
static const resource_t res_mediation_requests_id_offers = {"/api/v1/mediation/requests/{id}/offers", .post = post_offers};

static int get_offers(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = medweb_require(req);
    if (rc) return rc;
    const char *rq = http_query(req, "request_id");
    json_t *items = json_array();
    rc = med_offer_list(&w->scope, w->db, rq ? strtoll(rq, NULL, 10) : 0, 0, http_query(req, "status"), items, &w->err);
    if (rc || (rc = medweb_audit_list(req, "mediation.offer.list", "mediation_offer", json_array_size(items)))) {
        json_decref(items);
        return rc;
    }
    return web_list(req, res, items, NULL);
}
static const resource_t res_mediation_offers = {"/api/v1/mediation/offers", .get = get_offers};

static int answer_offer(http_req_t *req, http_res_t *res, bool accept)
{
    web_t *w = web(req);
    int64_t rid = 0;
    med_ref_t ref = {0, 0};
    int rc = med_offer_answer(&w->scope, w->db, web_param_id(req, "id"), accept, &rid, &ref, &w->err);
    if (rc || (rc = medweb_audit(req, accept ? "mediation.offer.accept" : "mediation.offer.decline", "mediation_offer",
                                 &ref, NULL)))
        return rc;
    return request_answer(req, res, 200, rid, NULL);
}

static int post_offer_accept(http_req_t *req, http_res_t *res)
{
    return answer_offer(req, res, true);
}
static const resource_t res_mediation_offers_id_accept = {"/api/v1/mediation/offers/{id}/accept", .post = post_offer_accept};

static int post_offer_decline(http_req_t *req, http_res_t *res)
{
    return answer_offer(req, res, false);
}
static const resource_t res_mediation_offers_id_decline = {"/api/v1/mediation/offers/{id}/decline", .post = post_offer_decline};

static int post_assign(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = manager_body(req, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"mediator_id", "force", NULL};
    int64_t mid = 0, id = web_param_id(req, "id");
    bool force = false, present;
    med_ref_t ref = {0, 0};
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_int(body, "mediator_id", true, 1, INT64_MAX, &mid, NULL, &w->err)) &&
        !(rc = jin_bool(body, "force", false, &force, &present, &w->err)))
        rc = med_assign(&w->scope, w->db, id, mid, force, &ref, &w->err);
    json_decref(body);
    char detail[48];
    snprintf(detail, sizeof detail, "mediator %lld", (long long)mid);
    if (rc || (rc = medweb_audit(req, "mediation.assign", "mediation_request", &ref, detail))) return rc;
    return request_answer(req, res, 200, id, NULL);
}
static const resource_t res_mediation_requests_id_assign = {"/api/v1/mediation/requests/{id}/assign", .post = post_assign};

static int post_unassign(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    med_ref_t ref = {0, 0};
    int rc = med_unassign(&w->scope, w->db, id, &ref, &w->err);
    if (rc || (rc = medweb_audit(req, "mediation.unassign", "mediation_request", &ref, NULL))) return rc;
    return request_answer(req, res, 200, id, NULL);
}
static const resource_t res_mediation_requests_id_unassign = {"/api/v1/mediation/requests/{id}/unassign", .post = post_unassign};

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
    int rc = medweb_require(req);
    if (rc) return rc;
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"minutes_worked", "travel_km", "cancel", "reason", NULL};
    int64_t id = web_param_id(req, "id"), minutes = 0, hm = 0;
    const char *cancel = NULL, *reason = NULL;
    err_t *e = &w->err;
    med_ref_t ref = {0, 0};
    if (!(rc = jin_only(body, allowed, e)) && !(rc = jin_str(body, "cancel", false, 8, &cancel, e)) &&
        !(rc = jin_str(body, "reason", false, 500, &reason, e))) {
        if (cancel) {
            if (json_object_get(body, "minutes_worked") || json_object_get(body, "travel_km"))
                rc = web_fail(req, 422, "invalid", "cancel", "Either close out with minutes worked, or cancel.");
            else rc = med_cancel(&w->scope, w->db, id, cancel, reason, &ref, e);
        } else if (!(rc = jin_int(body, "minutes_worked", true, 0, 720, &minutes, NULL, e)) &&
                   !(rc = travel_input(body, &hm, e))) {
            rc = med_close(&w->scope, w->db, id, minutes, hm, &ref, e);
        }
    }
    const char *detail = cancel ? arena_strdup(req->arena, cancel) : NULL; /* body is freed next */
    json_decref(body);
    if (rc || (rc = medweb_audit(req, detail ? "mediation.cancel" : "mediation.close", "mediation_request", &ref, detail)))
        return rc;
    return request_answer(req, res, 200, id, NULL);
}
static const resource_t res_mediation_requests_id_close = {"/api/v1/mediation/requests/{id}/close", .post = post_close};

static int post_reminders(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int queued, rc = scope_require(&w->scope, CAP_MEDIATION_MANAGE, &w->err);
    if (rc || (rc = med_send_reminders(w->db, db_now(), &queued, &w->err))) return rc;
    return web_json(req, res, 200, json_pack("{s:i}", "queued", queued));
}
static const resource_t res_mediation_reminders = {"/api/v1/mediation/reminders", .post = post_reminders};

static int get_tariff(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *o = NULL;
    int rc = medweb_require(req);
    if (rc || (rc = med_tariff_json(&w->scope, w->db, http_query(req, "org"), http_query(req, "date"), &o, &w->err)))
        return rc;
    return web_json(req, res, 200, o);
}
static const resource_t res_mediation_tariffs = {"/api/v1/mediation/tariffs", .get = get_tariff};

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

static int get_statements(http_req_t *req, http_res_t *res)
{
    const char *month = http_query(req, "month");
    int64_t mid;
    int rc = medweb_require(req);
    if (rc || (rc = query_id(req, "mediator_id", &mid))) return rc;
    if (!month) return web_fail(req, 422, "required", "month", "The month is YYYY-MM.");
    return medweb_statement(req, res, mid, month, wanted_format(req));
}
static const resource_t res_mediation_statements = {"/api/v1/mediation/statements", .get = get_statements};

static const resource_t *const routes[] = {&res_mediators, &res_mediators_id, &res_mediators_id_calendar_ics,
    &res_mediation_bodies, &res_mediation_requests, &res_mediation_requests_id,
    &res_mediation_requests_id_candidates, &res_mediation_requests_id_offers, &res_mediation_requests_id_assign,
    &res_mediation_requests_id_unassign, &res_mediation_requests_id_close, &res_mediation_offers,
    &res_mediation_offers_id_accept, &res_mediation_offers_id_decline, &res_mediation_statements,
    &res_mediation_tariffs, &res_mediation_reminders};

ROUTE_TABLE(medweb_api_routes, routes)

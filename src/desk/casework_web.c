/* casework_web.c — the API of consultations, referrals, appointments,
 * follow-ups and the agenda. */
#include "deskweb.h"
#include "app/audit.h"
#include "app/org.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_create_consultation(http_req_t *req, desk_ctx_t *c, const json_t *body, desk_web_event_t *ev)
{
    int rc = desk_consultation_create(c, body, &ev->obj, &ev->person_id, &ev->org_id, &web(req)->err);
    if (rc) return web_store_fail(req, rc);
    ev->action = ev->person_id ? "consultation.create" : "consultation.create_anonymous";
    ev->kind = "consultation";
    return 0;
}

static int post_consultations(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    json_t *body = NULL;
    desk_web_event_t ev = {0};
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = desk_web_body(req, &body))) return rc;
    rc = desk_create_consultation(req, &c, body, &ev);
    json_decref(body);
    return rc ? rc : desk_web_done_record(req, res, &c, 201, &ev, "consultation");
}

static int get_consultations(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int limit;
    int64_t cursor, pid;
    const char *from, *to;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = web_list_params(req, 50, 500, &limit, &cursor)) || (rc = desk_query_id(req, "person_id", &pid)) ||
        (rc = desk_query_date(req, "from", &from)) || (rc = desk_query_date(req, "to", &to)))
        return rc;
    json_t *items = json_array();
    rc = desk_consultation_list(&c, pid, from, to, cursor, limit + 1, items);
    if (rc == 1) /* out of scope: an empty list, as for a person without consultations */
        return web_list(req, res, items, json_null());
    if (rc) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    json_t *next = web_next_cursor(items, limit);
    char detail[48];
    snprintf(detail, sizeof detail, "results=%zu", json_array_size(items));
    if ((rc = desk_web_audit(req, &c, "consultation.list", "consultation", 0, pid, c.scope.org_id, detail))) {
        json_decref(items);
        json_decref(next);
        return rc;
    }
    return web_list(req, res, items, next);
}
static const resource_t res_consultations = {"/api/v1/consultations", .get = get_consultations, .post = post_consultations};

static int get_consultation(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "consultation.read", .kind = "consultation"};
    json_t *out = NULL;
    int rc = desk_web_read(req, &c, false, "consultation", &ev, &out);
    return rc ? rc : web_json(req, res, 200, out);
}
static const resource_t res_consultations_id = {"/api/v1/consultations/{id}", .get = get_consultation};

/* A referral, appointment or follow-up: its kind (table and audit kind),
 * the audit actions of its creation, change and lists, and its operations. */
typedef struct casework_kind {
    const char *kind, *created, *updated, *listed;
    int (*create)(desk_ctx_t *, const json_t *, int64_t *, int64_t *, int64_t *, err_t *);
    int (*update)(desk_ctx_t *, int64_t, const json_t *, int64_t *, int64_t *, err_t *);
} casework_kind_t;

static int referral_create(desk_ctx_t *c, const json_t *b, int64_t *id, int64_t *p, int64_t *o, err_t *e)
{
    return desk_referral_create(c, b, 0, id, p, o, e);
}

static const casework_kind_t referral = {"referral", "referral.create", "referral.update", "referral.list",
                                         referral_create, desk_referral_update};
static const casework_kind_t appointment = {"appointment", "appointment.create", "appointment.update",
                                            "appointment.list", desk_appointment_create, desk_appointment_update};
static const casework_kind_t followup = {"followup", "followup.create", "followup.update", "followup.list",
                                         desk_followup_create, desk_followup_update};

/* POST: creates one from the body; audited "<kind>.create", answered 201. */
static int casework_create(http_req_t *req, http_res_t *res, const casework_kind_t *k)
{
    desk_ctx_t c;
    json_t *body = NULL;
    desk_web_event_t ev = {.action = k->created, .kind = k->kind};
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = desk_web_body(req, &body))) return rc;
    rc = k->create(&c, body, &ev.obj, &ev.person_id, &ev.org_id, &web(req)->err);
    json_decref(body);
    return rc ? web_store_fail(req, rc) : desk_web_done_record(req, res, &c, 201, &ev, k->kind);
}

/* PATCH of {id} (404 before the body is read); audited "<kind>.update". */
static int casework_update(http_req_t *req, http_res_t *res, const casework_kind_t *k)
{
    desk_ctx_t c;
    json_t *body = NULL;
    desk_web_event_t ev = {.action = k->updated, .kind = k->kind};
    int rc = desk_web_find(req, &c, true, k->kind, &ev, NULL);
    if (rc || (rc = desk_web_body(req, &body))) return rc;
    rc = k->update(&c, ev.obj, body, &ev.person_id, &ev.org_id, &web(req)->err);
    json_decref(body);
    return rc ? web_store_fail(req, rc) : desk_web_done_record(req, res, &c, 200, &ev, k->kind);
}

static int post_referrals(http_req_t *q, http_res_t *r) { return casework_create(q, r, &referral); }
static int patch_referral(http_req_t *q, http_res_t *r) { return casework_update(q, r, &referral); }
static const resource_t res_referrals_id = {"/api/v1/referrals/{id}", .patch = patch_referral};
static int post_appointments(http_req_t *q, http_res_t *r) { return casework_create(q, r, &appointment); }
static int patch_appointment(http_req_t *q, http_res_t *r) { return casework_update(q, r, &appointment); }
static const resource_t res_appointments_id = {"/api/v1/appointments/{id}", .patch = patch_appointment};
static int post_followups(http_req_t *q, http_res_t *r) { return casework_create(q, r, &followup); }
static int patch_followup(http_req_t *q, http_res_t *r) { return casework_update(q, r, &followup); }
static const resource_t res_followups_id = {"/api/v1/followups/{id}", .patch = patch_followup};

/* GET of a person's referrals / appointments / follow-ups (?person_id=):
 * audited "<kind>.list". */
static int casework_list(http_req_t *req, http_res_t *res, const casework_kind_t *k)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = k->listed, .kind = k->kind};
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = desk_query_id(req, "person_id", &ev.person_id))) return rc;
    if (!ev.person_id) return web_fail(req, 422, "required", "person_id", "This field is required.");
    json_t *items = json_array();
    if ((rc = desk_person_records(&c, ev.person_id, k->kind, &ev.org_id, items))) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    return desk_web_done(req, res, &c, 200, &ev, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static int get_referrals(http_req_t *q, http_res_t *r) { return casework_list(q, r, &referral); }
static const resource_t res_referrals = {"/api/v1/referrals", .get = get_referrals, .post = post_referrals};
static int get_appointments(http_req_t *q, http_res_t *r) { return casework_list(q, r, &appointment); }
static const resource_t res_appointments = {"/api/v1/appointments", .get = get_appointments, .post = post_appointments};
static int get_followups(http_req_t *q, http_res_t *r) { return casework_list(q, r, &followup); }
static const resource_t res_followups = {"/api/v1/followups", .get = get_followups, .post = post_followups};

static int get_agenda(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    const char *d = http_query(req, "days");
    int days = 90;
    if (d) {
        char *end;
        long v = strtol(d, &end, 10);
        if (*end || v < 1 || v > 366) return web_fail(req, 422, "out_of_range", "days", "This number is out of range.");
        days = (int)v;
    }
    json_t *out = NULL;
    desk_web_event_t ev = {.action = "agenda.read", .org_id = c.scope.org_id};
    if ((rc = desk_agenda(&c, days, &out))) return web_store_fail(req, rc);
    return desk_web_done(req, res, &c, 200, &ev, out);
}
static const resource_t res_agenda = {"/api/v1/agenda", .get = get_agenda};

static const resource_t *const routes[] = {&res_consultations, &res_consultations_id, &res_referrals,
    &res_referrals_id, &res_appointments, &res_appointments_id, &res_followups, &res_followups_id, &res_agenda};

ROUTE_TABLE(desk_casework_api_routes, routes)

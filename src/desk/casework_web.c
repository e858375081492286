/* casework_web.c — the API of consultations, referrals, appointments,
 * follow-ups and the agenda. */
#include "deskweb.h"
#include "app/audit.h"
#include "app/org.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_create_consultation(http_req_t *req, desk_ctx_t *c, const json_t *body, int64_t *id)
{
    int64_t pid = 0, org = 0;
    int rc = desk_consultation_create(c, body, id, &pid, &org, &web(req)->err);
    if (rc) return web_store_fail(req, rc);
    return desk_web_audit(req, c, pid ? "consultation.create" : "consultation.create_anonymous", "consultation", *id, pid,
                          org, NULL);
}

static int post_consultations(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -web(req)->err.status;
    int64_t id = 0;
    rc = desk_create_consultation(req, &c, body, &id);
    json_decref(body);
    if (rc) return rc;
    if ((rc = desk_consultation_get(&c, id, &out))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 201, out);
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

static int get_consultation(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    json_t *out = NULL;
    int64_t id = web_param_id(req, "id");
    rc = desk_consultation_get(&c, id, &out);
    if (rc) return web_store_fail(req, rc);
    json_t *pid = json_object_get(out, "person_id");
    if ((rc = desk_web_audit(req, &c, "consultation.read", "consultation", id, json_is_integer(pid) ? json_integer_value(pid) : 0,
                             json_integer_value(json_object_get(out, "org_id")), NULL))) {
        json_decref(out);
        return rc;
    }
    return web_json(req, res, 200, out);
}

typedef int (*create_fn)(desk_ctx_t *, const json_t *, int64_t *, int64_t *, int64_t *, err_t *);
typedef int (*update_fn)(desk_ctx_t *, int64_t, const json_t *, int64_t *, int64_t *, err_t *);

static int referral_create_adapter(desk_ctx_t *c, const json_t *b, int64_t *id, int64_t *p, int64_t *o, err_t *e)
{
    return desk_referral_create(c, b, 0, id, p, o, e);
}

static int generic_create(http_req_t *req, http_res_t *res, const char *table, const char *kind, create_fn fn)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -web(req)->err.status;
    int64_t id = 0, pid = 0, org = 0;
    rc = fn(&c, body, &id, &pid, &org, &web(req)->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    char action[48];
    snprintf(action, sizeof action, "%s.create", kind);
    if ((rc = desk_web_audit(req, &c, action, kind, id, pid, org, NULL))) return rc;
    if ((rc = desk_record_get(&c, table, id, NULL, NULL, &out))) return web_store_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 201, out);
}

static int generic_update(http_req_t *req, http_res_t *res, const char *table, const char *kind, update_fn fn)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), pid = 0, org = 0;
    if ((rc = desk_record_get(&c, table, id, &pid, &org, NULL))) return web_store_fail(req, rc);
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -web(req)->err.status;
    rc = fn(&c, id, body, &pid, &org, &web(req)->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    char action[48];
    snprintf(action, sizeof action, "%s.update", kind);
    if ((rc = desk_web_audit(req, &c, action, kind, id, pid, org, NULL))) return rc;
    if ((rc = desk_record_get(&c, table, id, NULL, NULL, &out))) return web_store_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 200, out);
}

static int post_referrals(http_req_t *q, http_res_t *r) { return generic_create(q, r, "referral", "referral", referral_create_adapter); }
static int patch_referral(http_req_t *q, http_res_t *r) { return generic_update(q, r, "referral", "referral", desk_referral_update); }
static int post_appointments(http_req_t *q, http_res_t *r) { return generic_create(q, r, "appointment", "appointment", desk_appointment_create); }
static int patch_appointment(http_req_t *q, http_res_t *r) { return generic_update(q, r, "appointment", "appointment", desk_appointment_update); }
static int post_followups(http_req_t *q, http_res_t *r) { return generic_create(q, r, "followup", "followup", desk_followup_create); }
static int patch_followup(http_req_t *q, http_res_t *r) { return generic_update(q, r, "followup", "followup", desk_followup_update); }

/* Lists of a person's referrals / appointments / follow-ups / consents / ... */
static int person_list(http_req_t *req, http_res_t *res, const char *table, const char *kind)
{
    desk_ctx_t c;
    int64_t pid;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = desk_query_id(req, "person_id", &pid))) return rc;
    if (!pid) pid = web_param_id(req, "id");
    if (!pid) return web_fail(req, 422, "required", "person_id", "This field is required.");
    json_t *items = json_array();
    int64_t org = 0;
    if ((rc = desk_person_records(&c, pid, table, &org, items))) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    char action[48];
    snprintf(action, sizeof action, "%s.list", kind);
    if ((rc = desk_web_audit(req, &c, action, kind, 0, pid, org, NULL))) {
        json_decref(items);
        return rc;
    }
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static int get_referrals(http_req_t *q, http_res_t *r) { return person_list(q, r, "referral", "referral"); }
static int get_appointments(http_req_t *q, http_res_t *r) { return person_list(q, r, "appointment", "appointment"); }
static int get_followups(http_req_t *q, http_res_t *r) { return person_list(q, r, "followup", "followup"); }

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
    if ((rc = desk_agenda(&c, days, &out))) return web_db_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "agenda.read", NULL, 0, 0, c.scope.org_id, NULL))) {
        json_decref(out);
        return rc;
    }
    return web_json(req, res, 200, out);
}

static const route_t routes[] = {
    {"GET", "/api/v1/consultations", get_consultations, 0},
    {"POST", "/api/v1/consultations", post_consultations, R_WRITE},
    {"GET", "/api/v1/consultations/{id}", get_consultation, 0},
    {"GET", "/api/v1/referrals", get_referrals, 0},
    {"POST", "/api/v1/referrals", post_referrals, R_WRITE},
    {"PATCH", "/api/v1/referrals/{id}", patch_referral, R_WRITE},
    {"GET", "/api/v1/appointments", get_appointments, 0},
    {"POST", "/api/v1/appointments", post_appointments, R_WRITE},
    {"PATCH", "/api/v1/appointments/{id}", patch_appointment, R_WRITE},
    {"GET", "/api/v1/followups", get_followups, 0},
    {"POST", "/api/v1/followups", post_followups, R_WRITE},
    {"PATCH", "/api/v1/followups/{id}", patch_followup, R_WRITE},
    {"GET", "/api/v1/agenda", get_agenda, 0},
};

const route_t *desk_casework_api_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

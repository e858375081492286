/* web.c — what the help desk's API handlers share (the request context,
 * the audit, error mapping, query parameters) and the API of rules and
 * access grants (break-the-glass).
 *
 * Writes are R_WRITE routes: their audit entry is written in the same
 * transaction as what it describes. Reads (GET) run without the write lock
 * and commit their audit entry in a short transaction of its own before the
 * answer leaves (desk_web_audit). Out-of-scope ids answer 404 exactly like
 * absent ones, and write no audit entry naming the person (that would leak
 * the record into another district's log). */
#include "deskweb.h"
#include "app/audit.h"
#include "app/org.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_web_begin(http_req_t *req, desk_ctx_t *c, bool write)
{
    web_t *w = web(req);
    int rc = desk_ctx_init(c, &w->scope, w->db, w->lang);
    if (rc) return web_store_fail(req, rc);
    if (!c->can_read) return scope_require(&w->scope, CAP_PERSON_READ, &w->err);
    if (write && !c->can_write) return web_fail(req, 403, "forbidden", NULL, "You are not allowed to do this.");
    return 0;
}

int desk_web_allowed(http_req_t *req, desk_ctx_t *c, bool write, cap_t cap)
{
    web_t *w = web(req);
    int rc = desk_web_begin(req, c, write);
    return rc || !cap ? rc : scope_require(&w->scope, cap, &w->err);
}

int desk_web_find(http_req_t *req, desk_ctx_t *c, bool write, const char *kind, desk_web_event_t *ev, json_t **out)
{
    int rc = desk_web_begin(req, c, write);
    if (rc) return rc;
    ev->obj = web_param_id(req, "id");
    rc = desk_record_get(c, kind, ev->obj, &ev->person_id, &ev->org_id, out);
    return rc ? web_store_fail(req, rc) : 0;
}

int desk_web_read(http_req_t *req, desk_ctx_t *c, bool write, const char *kind, desk_web_event_t *ev, json_t **out)
{
    int rc = desk_web_find(req, c, write, kind, ev, out);
    if (rc || !(rc = desk_web_event(req, c, ev))) return rc;
    json_decref(*out);
    *out = NULL;
    return rc;
}

int desk_web_procedure(http_req_t *req, desk_ctx_t *c, bool write, desk_web_event_t *ev, json_t **proc, json_t **person)
{
    int rc = desk_web_find(req, c, write, "desk_procedure", ev, proc);
    if (rc || !(rc = desk_person_get(c, ev->person_id, NULL, person))) return rc;
    if (proc) {
        json_decref(*proc);
        *proc = NULL;
    }
    return web_store_fail(req, rc < 0 ? rc : DB_ERR);
}

int desk_web_event(http_req_t *req, desk_ctx_t *c, const desk_web_event_t *ev)
{
    return desk_web_audit(req, c, ev->action, ev->kind, ev->obj, ev->person_id, ev->org_id, ev->detail);
}

int desk_web_done(http_req_t *req, http_res_t *res, desk_ctx_t *c, int status, const desk_web_event_t *ev, json_t *out)
{
    int rc = ev && ev->action ? desk_web_event(req, c, ev) : 0;
    if (rc) {
        json_decref(out);
        return rc;
    }
    if (!out) {
        res->status = status;
        return 0;
    }
    return web_json(req, res, status, out);
}

int desk_web_done_record(http_req_t *req, http_res_t *res, desk_ctx_t *c, int status, const desk_web_event_t *ev,
                         const char *kind)
{
    json_t *out = NULL;
    int rc = desk_record_get(c, kind, ev->obj, NULL, NULL, &out);
    if (rc) return web_store_fail(req, rc < 0 ? rc : DB_ERR);
    json_object_del(out, "org_path");
    return desk_web_done(req, res, c, status, ev, out);
}

int desk_web_body(http_req_t *req, json_t **body)
{
    *body = web_body(req);
    return *body ? 0 : -web(req)->err.status;
}

int desk_web_audit(http_req_t *req, desk_ctx_t *c, const char *action, const char *kind, int64_t obj, int64_t person_id,
                   int64_t org_id, const char *detail)
{
    char oid[32];
    snprintf(oid, sizeof oid, "%lld", (long long)obj);
    audit_event_t ev = {action, kind, obj ? oid : NULL, person_id, org_id, c->grant_id ? c->reason : NULL, detail};
    return web_audit_event(req, &ev);
}

/* Reads an optional positive integer query parameter; -422 when malformed. */
int desk_query_id(http_req_t *req, const char *name, int64_t *out)
{
    const char *s = http_query(req, name);
    *out = 0;
    if (!s || !*s) return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 1) return web_fail(req, 422, "invalid", name, "This value must be a whole number.");
    *out = v;
    return 0;
}

int desk_query_date(http_req_t *req, const char *name, const char **out)
{
    *out = http_query(req, name);
    if (*out && !**out) *out = NULL;
    if (*out && !date_valid(*out)) return web_fail(req, 422, "invalid", name, "Enter a real date as YYYY-MM-DD.");
    return 0;
}

static int rule_date(http_req_t *req, char out[11])
{
    const char *d = http_query(req, "date");
    if (d && *d) {
        if (!date_valid(d)) return web_fail(req, 422, "invalid", "date", "Enter a real date as YYYY-MM-DD.");
        snprintf(out, 11, "%s", d);
    } else {
        date_today(out, 0);
    }
    return 0;
}

static int get_rules(http_req_t *req, http_res_t *res)
{
    char date[11];
    int rc = rule_date(req, date);
    if (rc) return rc;
    json_t *types = NULL;
    if ((rc = desk_rule_types(web(req)->db, date, web(req)->lang, &types))) return web_store_fail(req, rc);
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", types, "next_cursor"));
}
static const resource_t res_rules = {"/api/v1/rules", .get = get_rules};

static int get_rule(http_req_t *req, http_res_t *res)
{
    char date[11], origin[32];
    int rc = rule_date(req, date);
    if (rc) return rc;
    json_t *rule = NULL;
    rc = desk_rule_get(web(req)->db, http_param(req, "type"), date, &rule, origin);
    if (rc) return web_store_fail(req, rc);
    json_object_set_new(rule, "origin", json_string(origin));
    return web_json(req, res, 200, rule);
}

static int get_rule_versions(http_req_t *req, http_res_t *res)
{
    json_t *v = NULL;
    int rc = desk_rule_versions(web(req)->db, http_param(req, "type"), &v);
    if (!rc && json_array_size(v) == 0) rc = 1; /* an unknown type */
    if (rc) {
        json_decref(v);
        return web_store_fail(req, rc);
    }
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", v, "next_cursor"));
}
static const resource_t res_rules_type_versions = {"/api/v1/rules/{type}/versions", .get = get_rule_versions};

int desk_rule_put(http_req_t *req, const char *type, json_t *rule, const char *reason, int *recomputed)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_RULES_MANAGE, &w->err);
    if (rc || (rc = desk_rule_change(&w->scope, w->db, type, rule, reason, recomputed, &w->err)))
        return web_store_fail(req, rc);
    char detail[80];
    snprintf(detail, sizeof detail, "%s from %s; %d procedures recomputed", type, jstr(rule, "effective_from"),
             *recomputed);
    audit_event_t ev = {"rule.change", "rule", type, 0, w->scope.org_id, reason, detail};
    return web_audit_event(req, &ev);
}

static int put_rule(http_req_t *req, http_res_t *res)
{
    int rc;
    json_t *body = web_body_as(req, CAP_RULES_MANAGE, &rc);
    if (!body) return rc;
    const char *reason = json_string_value(json_object_get(body, "reason"));
    json_t *rule = json_object_get(body, "rule");
    if (!json_is_object(rule)) {
        json_decref(body);
        return web_fail(req, 422, "required", "rule", "This field is required.");
    }
    int n = 0;
    rule = json_deep_copy(rule);
    rc = desk_rule_put(req, http_param(req, "type"), rule, reason, &n);
    if (!rc) {
        json_object_set_new(rule, "recomputed_procedures", json_integer(n));
        rc = web_json(req, res, 200, rule);
        rule = NULL;
    }
    json_decref(rule);
    json_decref(body);
    return rc;
}
static const resource_t res_rules_type = {"/api/v1/rules/{type}", .get = get_rule, .put = put_rule};

static int post_grants(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_BREAK_GLASS, &w->err);
    if (rc) return rc;
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -w->err.status;
    int64_t org_id = 0;
    rc = desk_grant_create(&w->scope, w->db, body, &out, &org_id, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    char oid[32], detail[120];
    snprintf(oid, sizeof oid, "%lld", (long long)json_integer_value(json_object_get(out, "id")));
    snprintf(detail, sizeof detail, "to %s on %s for %lld h", jstr(out, "user"), jstr(out, "org"),
             (long long)json_integer_value(json_object_get(out, "hours")));
    json_object_del(out, "hours");
    audit_event_t ev = {"access_grant.create", "access_grant", oid, 0, org_id, jstr(out, "reason"), detail};
    if ((rc = web_audit_event(req, &ev))) {
        json_decref(out);
        return rc;
    }
    return web_json(req, res, 201, out);
}

static int get_grants(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_BREAK_GLASS, &w->err);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = desk_grant_list(&w->scope, w->db, items))) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    return web_list(req, res, items, json_null());
}
static const resource_t res_access_grants = {"/api/v1/access-grants", .get = get_grants, .post = post_grants};

static int delete_grant(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_BREAK_GLASS, &w->err);
    if (rc || (rc = desk_grant_revoke(&w->scope, w->db, web_param_id(req, "id"))) ||
        (rc = web_audit(req, "access_grant.revoke", "access_grant", http_param(req, "id"), 0, w->scope.org_id, NULL)))
        return web_store_fail(req, rc);
    res->status = 204;
    return 0;
}
static const resource_t res_access_grants_id = {"/api/v1/access-grants/{id}", .del = delete_grant};

static const resource_t *const routes[] = {&res_rules, &res_rules_type, &res_rules_type_versions,
    &res_access_grants, &res_access_grants_id};

ROUTE_TABLE(desk_api_routes, routes)

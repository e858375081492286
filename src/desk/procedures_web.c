/* procedures_web.c — the procedures API (CONTRACT.md: deadlines computed
 * from the rules). */
#include "deskweb.h"
#include "app/audit.h"
#include "app/org.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int post_procedures(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -web(req)->err.status;
    int64_t id = 0, pid = 0, org = 0;
    rc = desk_procedure_create(&c, body, &id, &pid, &org, &web(req)->err);
    const char *type = json_string_value(json_object_get(body, "type"));
    if (rc) rc = web_store_fail(req, rc);
    else rc = desk_web_audit(req, &c, "procedure.create", "procedure", id, pid, org, type);
    json_decref(body);
    if (rc) return rc;
    if ((rc = desk_procedure_json(&c, id, &out))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 201, out);
}

static int get_procedure(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    json_t *out = NULL;
    int64_t id = web_param_id(req, "id");
    rc = desk_procedure_json(&c, id, &out);
    if (rc) return web_store_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "procedure.read", "procedure", id, json_integer_value(json_object_get(out, "person_id")),
                             json_integer_value(json_object_get(out, "org_id")), NULL))) {
        json_decref(out);
        return rc;
    }
    return web_json(req, res, 200, out);
}

static int patch_procedure(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), pid = 0, org = 0;
    if ((rc = desk_procedure_get(&c, id, NULL))) return web_store_fail(req, rc);
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -web(req)->err.status;
    rc = desk_procedure_update(&c, id, body, &pid, &org, &web(req)->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "procedure.update", "procedure", id, pid, org, NULL))) return rc;
    if ((rc = desk_procedure_json(&c, id, &out))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 200, out);
}

static int get_procedures(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t pid;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = desk_query_id(req, "person_id", &pid))) return rc;
    if (!pid) return web_fail(req, 422, "required", "person_id", "This field is required.");
    json_t *items = json_array();
    int64_t org = 0;
    rc = desk_procedure_list(&c, pid, &org, items);
    if (rc == 1) rc = 0; /* out of scope: an empty list */
    if (rc) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    if (org && (rc = desk_web_audit(req, &c, "procedure.list", "procedure", 0, pid, org, NULL))) {
        json_decref(items);
        return rc;
    }
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static const route_t routes[] = {
    {"GET", "/api/v1/procedures", get_procedures, 0},
    {"POST", "/api/v1/procedures", post_procedures, R_WRITE},
    {"GET", "/api/v1/procedures/{id}", get_procedure, 0},
    {"PATCH", "/api/v1/procedures/{id}", patch_procedure, R_WRITE},
};

const route_t *desk_procedure_api_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

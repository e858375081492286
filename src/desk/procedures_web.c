/* procedures_web.c — the procedures API (CONTRACT.md: deadlines computed
 * from the rules). */
#include "deskweb.h"
#include "app/audit.h"
#include "app/org.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Audits `ev` and answers `status` with the full JSON of procedure ev->obj
 * (desk_procedure_json); its absence is a 500. */
static int done_procedure(http_req_t *req, http_res_t *res, desk_ctx_t *c, int status, const desk_web_event_t *ev)
{
    json_t *out = NULL;
    int rc = desk_procedure_json(c, ev->obj, &out);
    return rc ? web_store_fail(req, rc < 0 ? rc : DB_ERR) : desk_web_done(req, res, c, status, ev, out);
}

static int post_procedures(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    json_t *body = NULL;
    desk_web_event_t ev = {.action = "procedure.create", .kind = "procedure"};
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = desk_web_body(req, &body))) return rc;
    rc = desk_procedure_create(&c, body, &ev.obj, &ev.person_id, &ev.org_id, &web(req)->err);
    ev.detail = jstr(body, "type");
    rc = rc ? web_store_fail(req, rc) : done_procedure(req, res, &c, 201, &ev);
    json_decref(body);
    return rc;
}

static int get_procedure(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "procedure.read", .kind = "procedure"};
    int rc = desk_web_find(req, &c, false, "desk_procedure", &ev, NULL);
    return rc ? rc : done_procedure(req, res, &c, 200, &ev);
}

static int patch_procedure(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    json_t *body = NULL;
    desk_web_event_t ev = {.action = "procedure.update", .kind = "procedure"};
    int rc = desk_web_find(req, &c, true, "desk_procedure", &ev, NULL);
    if (rc || (rc = desk_web_body(req, &body))) return rc;
    rc = desk_procedure_update(&c, ev.obj, body, &ev.person_id, &ev.org_id, &web(req)->err);
    json_decref(body);
    return rc ? web_store_fail(req, rc) : done_procedure(req, res, &c, 200, &ev);
}
static const resource_t res_procedures_id = {"/api/v1/procedures/{id}", .get = get_procedure, .patch = patch_procedure};

static int get_procedures(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t pid;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = desk_query_id(req, "person_id", &pid))) return rc;
    if (!pid) return web_fail(req, 422, "required", "person_id", "This field is required.");
    json_t *items = json_array();
    desk_web_event_t ev = {.action = "procedure.list", .kind = "procedure", .person_id = pid};
    rc = desk_procedure_list(&c, pid, &ev.org_id, items);
    if (rc == 1) rc = 0; /* out of scope: an empty list, not audited */
    if (rc) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    return desk_web_done(req, res, &c, 200, ev.org_id ? &ev : NULL, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}
static const resource_t res_procedures = {"/api/v1/procedures", .get = get_procedures, .post = post_procedures};

static const resource_t *const routes[] = {&res_procedures, &res_procedures_id};

ROUTE_TABLE(desk_procedure_api_routes, routes)

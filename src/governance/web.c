/* web.c — the JSON API of projects, actions, networks and submissions
 * under /api/v1/projects and /api/v1/submissions (CONTRACT.md "Governance
 * and monitoring"): parses input, calls the operations of governance.h,
 * audits every write, answers. Budget and expenses are in web_budget.c. */
#include "web.h"
#include "app/server.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int govweb_audit(http_req_t *req, const char *action, const char *kind, const gov_ref_t *ref, const char *detail)
{
    return web_audit_id(req, action, kind, ref->id, 0, ref->org_id, detail);
}

int govweb_project_input(json_t *body, gov_project_input_t *in, err_t *e)
{
    static const char *const allowed[] = {"title", "org",           "fund",        "start", "end", "budget_cents",
                                          "grant_cents", "edition", "code", "description", NULL};
    memset(in, 0, sizeof *in);
    in->budget_cents = in->grant_cents = -1;
    int rc;
    bool has;
    if ((rc = jin_only(body, allowed, e)) || (rc = jin_str(body, "title", false, GOV_TITLE_MAX, &in->title, e)) ||
        (rc = jin_str(body, "org", false, 64, &in->org, e)) || (rc = jin_str(body, "fund", false, 100, &in->fund, e)) ||
        (rc = jin_str(body, "start", false, 10, &in->start, e)) || (rc = jin_str(body, "end", false, 10, &in->end, e)) ||
        (rc = jin_str(body, "edition", false, 9, &in->edition, e)) || (rc = jin_str(body, "code", false, 60, &in->code, e)) ||
        (rc = jin_str(body, "description", false, GOV_TEXT_MAX, &in->description, e)) ||
        (rc = jin_int(body, "budget_cents", false, 0, GOV_MONEY_MAX, &in->budget_cents, &has, e)) ||
        (rc = jin_int(body, "grant_cents", false, 0, GOV_MONEY_MAX, &in->grant_cents, &has, e)))
        return rc;
    return 0;
}

int govweb_answer(http_req_t *req, http_res_t *res, int status, govweb_read_fn read, int64_t id)
{
    web_t *w = web(req);
    json_t *o = NULL;
    gov_ref_t ref;
    int rc = read(&w->scope, w->db, id, &o, &ref, &w->err);
    if (rc) {
        json_decref(o);
        return web_store_fail(req, rc);
    }
    return web_json(req, res, status, o);
}

int govweb_created(http_req_t *req, http_res_t *res, int rc, const char *action, const char *kind, const gov_ref_t *ref)
{
    if (rc || (rc = govweb_audit(req, action, kind, ref, NULL))) return web_store_fail(req, rc);
    return web_json(req, res, 201, json_pack("{s:I}", "id", (json_int_t)ref->id));
}

static int post_projects(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_GOV_MANAGE, &rc);
    if (!body) return rc;
    gov_project_input_t in;
    gov_ref_t ref = {0, 0};
    rc = govweb_project_input(body, &in, &w->err);
    if (!rc) rc = gov_project_create(&w->scope, w->db, &in, &ref, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = govweb_audit(req, "project.create", "project", &ref, NULL))) return rc;
    return govweb_answer(req, res, 201, gov_project_read, ref.id);
}

static int patch_project(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    gov_project_input_t in;
    gov_ref_t ref = {0, 0};
    int rc = govweb_project_input(body, &in, &w->err);
    if (!rc) rc = gov_project_update(&w->scope, w->db, web_param_id(req, "id"), &in, &ref, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = govweb_audit(req, "project.update", "project", &ref, NULL))) return rc;
    return govweb_answer(req, res, 200, gov_project_read, ref.id);
}

/* A page of the visible projects (web_list_answer). */
static int project_page(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    web_t *w = web(req);
    return gov_project_list(&w->scope, w->db, cursor, limit, items, &w->err);
}

static int get_projects(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_GOV_READ, 50, 200, project_page);
}
static const resource_t res_projects = {"/api/v1/projects", .get = get_projects, .post = post_projects};

static int get_project(http_req_t *req, http_res_t *res)
{
    int64_t id = web_param_id(req, "id");
    return id ? govweb_answer(req, res, 200, gov_project_read, id) : web_not_found(req);
}
static const resource_t res_projects_id = {"/api/v1/projects/{id}", .get = get_project, .patch = patch_project};

static int post_actions(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"code", "title", "macro_action", "description", "targets", NULL};
    static const char *const target_keys[] = {"participants", "hours", "materials", NULL};
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    gov_action_input_t in = {NULL, NULL, NULL, 0, -1, -1, -1};
    gov_ref_t ref = {0, 0};
    json_t *targets = json_object_get(body, "targets");
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "code", true, 16, &in.code, &w->err)) &&
        !(rc = jin_str(body, "title", true, GOV_TITLE_MAX, &in.title, &w->err)) &&
        !(rc = jin_int(body, "macro_action", true, 1, 4, &in.macro_action, NULL, &w->err)) &&
        !(rc = jin_str(body, "description", false, GOV_TEXT_MAX, &in.description, &w->err))) {
        if (targets && !json_is_object(targets))
            rc = web_fail(req, 422, "invalid", "targets", "Targets are participants, hours and materials.");
        else if (targets && !(rc = jin_only(targets, target_keys, &w->err)) &&
                 !(rc = jin_int(targets, "participants", false, 0, GOV_TARGET_MAX, &in.participants, NULL, &w->err)) &&
                 !(rc = jin_int(targets, "hours", false, 0, GOV_TARGET_MAX, &in.hours, NULL, &w->err)))
            rc = jin_int(targets, "materials", false, 0, GOV_TARGET_MAX, &in.materials, NULL, &w->err);
        if (rc == -422 && targets && strncmp(w->err.field, "targets", 7)) {
            char f[80];
            snprintf(f, sizeof f, "targets.%.40s", w->err.field);
            snprintf(w->err.field, sizeof w->err.field, "%.60s", f);
        }
    }
    if (!rc) rc = gov_action_add(&w->scope, w->db, web_param_id(req, "id"), &in, &ref, &w->err);
    json_decref(body);
    return govweb_created(req, res, rc, "project.action.create", "action", &ref);
}
static const resource_t res_projects_id_actions = {"/api/v1/projects/{id}/actions", .post = post_actions};

static int post_partners(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"org", NULL};
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    const char *org = NULL;
    gov_ref_t ref = {0, 0};
    int rc = jin_only(body, allowed, &w->err);
    if (!rc) rc = jin_str(body, "org", true, 64, &org, &w->err);
    if (!rc) rc = gov_partner_add(&w->scope, w->db, web_param_id(req, "id"), org, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, "project.partner.add", "project", &ref, org);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    return govweb_answer(req, res, 201, gov_project_read, ref.id);
}
static const resource_t res_projects_id_partners = {"/api/v1/projects/{id}/partners", .post = post_partners};

static int delete_partner(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    gov_ref_t ref = {0, 0};
    const char *org = http_param(req, "org");
    int rc = gov_partner_remove(&w->scope, w->db, web_param_id(req, "id"), org, &ref, &w->err);
    if (rc || (rc = govweb_audit(req, "project.partner.remove", "project", &ref, org))) return web_store_fail(req, rc);
    res->status = 204;
    return 0;
}
static const resource_t res_projects_id_partners_org = {"/api/v1/projects/{id}/partners/{org}", .del = delete_partner};

/* ---- submissions --------------------------------------------------------------------------- */

static int post_submissions(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"project_id", "period", NULL};
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_GOV_MANAGE, &rc);
    if (!body) return rc;
    int64_t project_id = 0;
    const char *period = NULL;
    gov_ref_t ref = {0, 0};
    if (!(rc = jin_only(body, allowed, &w->err)) &&
        !(rc = jin_int(body, "project_id", true, 1, INT64_MAX, &project_id, NULL, &w->err)) &&
        !(rc = jin_str(body, "period", true, 7, &period, &w->err)))
        rc = gov_submit(&w->scope, w->db, project_id, period, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, "submission.submit", "project_submission", &ref, period);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    return govweb_answer(req, res, 201, gov_submission_read, ref.id);
}

/* approve / return / reopen {"comment"}. */
static int decide(http_req_t *req, http_res_t *res, const char *action)
{
    static const char *const allowed[] = {"comment", NULL};
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_GOV_APPROVE, &w->err);
    if (rc) return rc;
    json_t *body = req->body_len ? web_body(req) : json_object();
    if (!body) return -w->err.status;
    const char *comment = NULL;
    gov_ref_t ref = {0, 0};
    char audit[32];
    snprintf(audit, sizeof audit, "submission.%s", action);
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "comment", false, GOV_TEXT_MAX, &comment, &w->err)))
        rc = gov_decide(&w->scope, w->db, web_param_id(req, "id"), action, comment, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, audit, "project_submission", &ref, NULL);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    return govweb_answer(req, res, 200, gov_submission_read, ref.id);
}

static int post_approve(http_req_t *req, http_res_t *res) { return decide(req, res, "approve"); }
static const resource_t res_submissions_id_approve = {"/api/v1/submissions/{id}/approve", .post = post_approve};
static int post_return(http_req_t *req, http_res_t *res) { return decide(req, res, "return"); }
static const resource_t res_submissions_id_return = {"/api/v1/submissions/{id}/return", .post = post_return};
static int post_reopen(http_req_t *req, http_res_t *res) { return decide(req, res, "reopen"); }
static const resource_t res_submissions_id_reopen = {"/api/v1/submissions/{id}/reopen", .post = post_reopen};

static int get_submissions(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const char *pid = http_query(req, "project_id");
    int64_t project_id = 0;
    if (pid) {
        char *end = NULL;
        long long v = strtoll(pid, &end, 10);
        if (!*pid || *end || v < 1) return web_fail(req, 422, "invalid", "project_id", "Give a project id.");
        project_id = v;
    }
    json_t *items = json_array();
    int rc = gov_submission_list(&w->scope, w->db, project_id, http_query(req, "status"), items, &w->err);
    if (rc) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    return web_list(req, res, items, json_null());
}
static const resource_t res_submissions = {"/api/v1/submissions", .get = get_submissions, .post = post_submissions};

static int get_submission(http_req_t *req, http_res_t *res)
{
    int64_t id = web_param_id(req, "id");
    return id ? govweb_answer(req, res, 200, gov_submission_read, id) : web_not_found(req);
}
static const resource_t res_submissions_id = {"/api/v1/submissions/{id}", .get = get_submission};

static const resource_t *const routes[] = {&res_projects, &res_projects_id, &res_projects_id_actions,
    &res_projects_id_partners, &res_projects_id_partners_org, &res_submissions, &res_submissions_id,
    &res_submissions_id_approve, &res_submissions_id_return, &res_submissions_id_reopen};

ROUTE_TABLE(govweb_api_routes, routes)

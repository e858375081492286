/* pages.c — the pages of governance (Bootstrap Italia, server rendered):
 * the projects of the scope, a new project, the project page (its actions
 * under the macro-actions with their targets, its network of partners, its
 * semesters submitted to the region with their status and comments), the
 * region's queue of submissions and a submission's page (history, late
 * corrections, the region's decision). The budget page is in
 * pages_budget.c. Forms post back here; a failed form is shown again with
 * its error and the transaction rolled back. Calls only governance.h. */
#include "app/server.h"
#include "core/date.h"
#include "core/json.h"
#include "pages.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void govpage_money(http_req_t *req, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    char name[64], out[80];
    snprintf(name, sizeof name, "%s_eur", key);
    if (!json_is_integer(v)) {
        json_object_set_new(o, name, json_string("—"));
        return;
    }
    long long c = json_integer_value(v), whole = (c < 0 ? -c : c) / 100;
    bool it = strcmp(web(req)->lang, "it") == 0;
    char digits[32], grouped[48];
    snprintf(digits, sizeof digits, "%lld", whole);
    size_t n = strlen(digits), o2 = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) grouped[o2++] = it ? '.' : ',';
        grouped[o2++] = digits[i];
    }
    grouped[o2] = '\0';
    snprintf(out, sizeof out, "%s€ %s%c%02lld", c < 0 ? "-" : "", grouped, it ? ',' : '.', (c < 0 ? -c : c) % 100);
    json_object_set_new(o, name, json_string(out));
}

const char *govpage_form(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    return v && *v ? v : NULL;
}

int64_t govpage_form_int(http_req_t *req, const char *name, int64_t absent)
{
    const char *v = http_form(req, name);
    char *end;
    if (!v || !*v) return absent;
    long long n = strtoll(v, &end, 10);
    return *end || n < 0 ? -2 : n;
}

int64_t govpage_form_cents(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    if (!v || !*v) return -1;
    /* "1.250,50" and "1250,50" (a comma: dots group thousands), "1250.50" (one dot and at most two decimals), "1.250" */
    const char *dot = strrchr(v, '.');
    bool comma = strchr(v, ',') != NULL, decimal_dot = !comma && dot && dot == strchr(v, '.') && strlen(dot + 1) <= 2;
    char buf[40];
    size_t o = 0;
    for (const char *p = v; *p && o + 1 < sizeof buf; p++) {
        if (*p == ' ' || *p == '\'' || (*p == '.' && !decimal_dot)) continue;
        buf[o++] = *p == ',' ? '.' : *p;
    }
    buf[o] = '\0';
    char *end;
    double d = strtod(buf, &end);
    if (*end || d < 0 || d > 1e9) return -2;
    return (int64_t)(d * 100 + 0.5);
}

int govpage_show(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm, const char *form)
{
    if (status != 200) web_form_error(req, vm);
    if (status != 200 && form) json_object_set_new(vm, form, json_true());
    return web_page(req, res, status, tmpl, vm);
}

int govpage_fail(http_req_t *req, int rc, json_t *a, json_t *b, json_t *c)
{
    json_decref(a);
    json_decref(b);
    json_decref(c);
    return web_store_fail(req, rc);
}

const char *govpage_project_href(http_req_t *req, int64_t id, const char *tail)
{
    return arena_printf(req->arena, "/governance/projects/%lld%s", (long long)id, tail);
}

/* Money keys of a project object as text. */
static void project_money(http_req_t *req, json_t *p)
{
    static const char *const keys[] = {"budget_cents", "grant_cents", "planned_cents", "spent_cents", NULL};
    for (int i = 0; keys[i]; i++) govpage_money(req, p, keys[i]);
}

/* ---- the projects ------------------------------------------------------------------------ */

static int get_projects(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    int rc = gov_project_list(&w->scope, w->db, 0, 500, items, &w->err);
    if (rc) return govpage_fail(req, rc, items, NULL, NULL);
    size_t i;
    json_t *p;
    json_array_foreach(items, i, p) project_money(req, p);
    json_t *vm = json_pack("{s:o,s:b,s:b}", "projects", items, "has_projects", json_array_size(items) > 0, "can_manage",
                           scope_can(&w->scope, CAP_GOV_MANAGE));
    return web_page(req, res, 200, "governance/projects", vm);
}
static const resource_t res_governance = {"/governance", .get = get_projects};

/* The new project form with the values `f` (taken; NULL: defaults). */
static int render_project_form(http_req_t *req, http_res_t *res, int status, json_t *f)
{
    json_t *vm = json_pack("{s:o}", "f", f ? f : json_pack("{s:s,s:s}", "fund", "FAMI 2021-2027", "org", web(req)->scope.org_code));
    return govpage_show(req, res, status, "governance/project_form", vm, NULL);
}

static int get_project_new(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_GOV_MANAGE, &web(req)->err);
    return rc ? rc : render_project_form(req, res, 200, NULL);
}

int govpage_form_done(http_req_t *req, http_res_t *res, int rc, const char *to, govpage_render_fn render, int64_t id,
                      const char *form)
{
    if (!rc) return web_redirect(req, res, to);
    if ((rc = web_form_failed(req, rc, true)) < 0) return rc;
    return render(req, res, rc, id, form);
}

/* The project form's fields as sent, to show it again. */
static json_t *sent_project_fields(http_req_t *req)
{
    static const char *const keep[] = {"title", "org", "fund", "start", "end", "edition", "code", "description",
                                       "budget", "grant", NULL};
    json_t *f = json_object();
    for (size_t i = 0; keep[i]; i++) json_object_set_new(f, keep[i], json_text(http_form(req, keep[i])));
    return f;
}

static int post_project_new(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    gov_project_input_t in = {govpage_form(req, "title"), govpage_form(req, "org"), govpage_form(req, "fund"),
                              govpage_form(req, "start"), govpage_form(req, "end"), govpage_form(req, "edition"),
                              govpage_form(req, "code"), govpage_form(req, "description"),
                              govpage_form_cents(req, "budget"), govpage_form_cents(req, "grant")};
    gov_ref_t ref = {0, 0};
    int rc = in.budget_cents == -2 ? web_fail(req, 422, "invalid", "budget_cents", "Give an amount in euro, not negative.")
             : in.grant_cents == -2 ? web_fail(req, 422, "invalid", "grant_cents", "Give an amount in euro, not negative.")
                                    : gov_project_create(&w->scope, w->db, &in, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, "project.create", "project", &ref, NULL);
    if (!rc) return web_redirect(req, res, govpage_project_href(req, ref.id, ""));
    if ((rc = web_form_failed(req, rc, true)) < 0) return rc;
    return render_project_form(req, res, rc, sent_project_fields(req));
}
static const resource_t res_governance_projects_new = {"/governance/projects/new", .get = get_project_new, .post = post_project_new};

/* "1250,50" / "1250.50" of the cents at o[key], for a form field; "" when none. */
static json_t *euro_field(http_req_t *req, const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v)) return json_string("");
    long long c = json_integer_value(v);
    char out[40];
    snprintf(out, sizeof out, "%lld%c%02lld", c / 100, strcmp(web(req)->lang, "it") == 0 ? ',' : '.', c % 100);
    return json_string(out);
}

/* The edit form of project `id` with `f` (taken; NULL: its current values). */
static int render_project_edit(http_req_t *req, http_res_t *res, int status, int64_t id, json_t *f)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_GOV_MANAGE, &w->err);
    json_t *p = NULL;
    gov_ref_t ref;
    err_t keep = w->err;
    if (rc || (rc = gov_project_read(&w->scope, w->db, id, &p, &ref, &w->err)))
        return govpage_fail(req, rc, f, NULL, NULL);
    w->err = keep;
    if (!f) {
        f = json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "title", json_object_get(p, "title"), "fund", json_object_get(p, "fund"),
                      "edition", json_object_get(p, "edition"), "code", json_object_get(p, "code"), "start",
                      json_object_get(p, "start"), "end", json_object_get(p, "end"), "description",
                      json_object_get(p, "description"));
        json_object_set_new(f, "budget", euro_field(req, p, "budget_cents"));
        json_object_set_new(f, "grant", euro_field(req, p, "grant_cents"));
    }
    json_object_set_new(f, "org", json_incref(json_object_get(p, "org")));
    json_t *vm = json_pack("{s:o,s:b,s:I,s:O}", "f", f, "edit", true, "id", (json_int_t)id, "project_title", json_object_get(p, "title"));
    json_decref(p);
    return govpage_show(req, res, status, "governance/project_form", vm, NULL);
}

static int get_project_edit(http_req_t *req, http_res_t *res)
{
    return render_project_edit(req, res, 200, web_param_id(req, "id"), NULL);
}

static int post_project_edit(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    gov_project_input_t in = {govpage_form(req, "title"), NULL, govpage_form(req, "fund"), govpage_form(req, "start"),
                              govpage_form(req, "end"), govpage_form(req, "edition"), govpage_form(req, "code"),
                              http_form(req, "description") ? http_form(req, "description") : NULL,
                              govpage_form_cents(req, "budget"), govpage_form_cents(req, "grant")};
    gov_ref_t ref = {0, 0};
    int rc = in.budget_cents == -2 ? web_fail(req, 422, "invalid", "budget_cents", "Give an amount in euro, not negative.")
             : in.grant_cents == -2 ? web_fail(req, 422, "invalid", "grant_cents", "Give an amount in euro, not negative.")
                                    : gov_project_update(&w->scope, w->db, id, &in, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, "project.update", "project", &ref, NULL);
    if (!rc) return web_redirect(req, res, govpage_project_href(req, id, ""));
    if ((rc = web_form_failed(req, rc, true)) < 0) return rc;
    return render_project_edit(req, res, rc, id, sent_project_fields(req));
}
static const resource_t res_governance_projects_id_edit = {"/governance/projects/{id}/edit", .get = get_project_edit, .post = post_project_edit};

/* ---- the project page ---------------------------------------------------------------------- */

/* The semesters a coordinator may submit for project `p`: from its start to today. */
static json_t *periods_of(const json_t *p)
{
    json_t *a = json_array();
    char today[11];
    date_today(today, 0);
    const char *start = jstr(p, "start"), *end = jstr(p, "end");
    if (!start || strlen(start) < 4) return a;
    int y0 = atoi(start), y1 = atoi(today);
    for (int y = y1; y >= y0 && json_array_size(a) < 20; y--)
        for (int s = 2; s >= 1; s--) {
            char period[24], from[11], to[11];
            snprintf(period, sizeof period, "%04d-S%d", y, s);
            if (!gov_period_parse(period, from, to) || strcmp(from, today) > 0 || strcmp(to, start) < 0 ||
                (end && strcmp(from, end) > 0))
                continue;
            json_array_append_new(a, json_string(period));
        }
    return a;
}

/* The translated label of a submission status. */
const char *govpage_status_label(http_req_t *req, const char *s)
{
    return web_tr(req, !s ? "" : !strcmp(s, "submitted") ? "Sent" : !strcmp(s, "returned") ? "Returned"
                       : !strcmp(s, "approved") ? "Approved" : !strcmp(s, "reopened") ? "Reopened" : s);
}

/* Labels the submissions of a list (status label and badge class). */
void govpage_label_submissions(http_req_t *req, json_t *items)
{
    size_t i;
    json_t *s;
    json_array_foreach(items, i, s) {
        const char *st = jstr_or_empty(s, "status");
        json_object_set_new(s, "status_label", json_string(govpage_status_label(req, st)));
        json_object_set_new(s, "badge", json_string(!strcmp(st, "approved") ? "success" : !strcmp(st, "returned") ? "danger"
                                                    : !strcmp(st, "reopened") ? "warning" : "primary"));
    }
}

/* The project page; `status` != 200 shows the request's error (in section `form`). */
static int render_project(http_req_t *req, http_res_t *res, int status, int64_t id, const char *form)
{
    web_t *w = web(req);
    json_t *p = NULL, *subs = json_array(), *candidates = json_array();
    gov_ref_t ref;
    err_t keep = w->err;
    int rc = gov_project_read(&w->scope, w->db, id, &p, &ref, &w->err);
    if (!rc) rc = gov_submission_list(&w->scope, w->db, id, NULL, subs, &w->err);
    bool manage = scope_can(&w->scope, CAP_GOV_MANAGE);
    if (!rc && manage) rc = gov_partner_candidates(&w->scope, w->db, id, candidates, &w->err);
    if (rc) return govpage_fail(req, rc, p, subs, candidates);
    w->err = keep;
    project_money(req, p);
    govpage_label_submissions(req, subs);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(p, "actions"), i, a) {
        char key[32];
        snprintf(key, sizeof key, "Macro-action %lld", (long long)json_integer_value(json_object_get(a, "macro_action")));
        json_object_set_new(a, "macro_label", json_string(web_tr(req, key)));
    }
    json_t *vm = json_pack("{s:o,s:o,s:b,s:o,s:b,s:o,s:b,s:b}", "p", p, "submissions", subs, "has_submissions",
                           json_array_size(subs) > 0, "candidates", candidates, "can_manage", manage, "periods",
                           periods_of(p), "has_actions", json_array_size(json_object_get(p, "actions")) > 0,
                           "has_partners", json_array_size(json_object_get(json_object_get(p, "network"), "partners")) > 0);
    return govpage_show(req, res, status, "governance/project", vm, form);
}

static int get_project(http_req_t *req, http_res_t *res)
{
    return render_project(req, res, 200, web_param_id(req, "id"), NULL);
}
static const resource_t res_governance_projects_id = {"/governance/projects/{id}", .get = get_project};

static int post_action(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    gov_action_input_t in = {govpage_form(req, "code"), govpage_form(req, "title"), govpage_form(req, "description"),
                             govpage_form_int(req, "macro_action", 0), govpage_form_int(req, "participants", -1),
                             govpage_form_int(req, "hours", -1), govpage_form_int(req, "materials", -1)};
    gov_ref_t ref = {0, 0};
    int rc = in.participants == -2 ? web_fail(req, 422, "invalid", "targets.participants", "Give a whole number, not negative.")
             : in.hours == -2      ? web_fail(req, 422, "invalid", "targets.hours", "Give a whole number, not negative.")
             : in.materials == -2  ? web_fail(req, 422, "invalid", "targets.materials", "Give a whole number, not negative.")
                                   : gov_action_add(&w->scope, w->db, id, &in, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, "project.action.create", "action", &ref, NULL);
    return govpage_form_done(req, res, rc, govpage_project_href(req, id, "#actions"), render_project, id, "action_error");
}
static const resource_t res_governance_projects_id_actions = {"/governance/projects/{id}/actions", .post = post_action};

static int post_partner(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    const char *org = govpage_form(req, "org");
    gov_ref_t ref = {0, 0};
    bool remove = govpage_form(req, "remove") != NULL;
    int rc = remove ? gov_partner_remove(&w->scope, w->db, id, org, &ref, &w->err)
                    : gov_partner_add(&w->scope, w->db, id, org, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, remove ? "project.partner.remove" : "project.partner.add", "project", &ref, org);
    return govpage_form_done(req, res, rc, govpage_project_href(req, id, "#network"), render_project, id, "partner_error");
}
static const resource_t res_governance_projects_id_partners = {"/governance/projects/{id}/partners", .post = post_partner};

static int post_submit(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    const char *period = govpage_form(req, "period");
    gov_ref_t ref = {0, 0};
    int rc = gov_submit(&w->scope, w->db, id, period, &ref, &w->err);
    if (rc == 1) rc = web_not_found(req);
    if (!rc) rc = govweb_audit(req, "submission.submit", "project_submission", &ref, period);
    return govpage_form_done(req, res, rc, govpage_project_href(req, id, "#submissions"), render_project, id,
                             "submit_error");
}
static const resource_t res_governance_projects_id_submit = {"/governance/projects/{id}/submit", .post = post_submit};

/* ---- submissions ----------------------------------------------------------------------------- */

static int get_submissions(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *queue = json_array(), *all = json_array();
    bool approve = scope_can(&w->scope, CAP_GOV_APPROVE);
    int rc = gov_submission_list(&w->scope, w->db, 0, "submitted", queue, &w->err);
    if (!rc) rc = gov_submission_list(&w->scope, w->db, 0, NULL, all, &w->err);
    if (rc) return govpage_fail(req, rc, queue, all, NULL);
    govpage_label_submissions(req, queue);
    govpage_label_submissions(req, all);
    json_t *vm = json_pack("{s:o,s:o,s:b,s:b,s:b}", "queue", queue, "all", all, "has_queue", json_array_size(queue) > 0,
                           "has_all", json_array_size(all) > 0, "can_approve", approve);
    return web_page(req, res, 200, "governance/submissions", vm);
}
static const resource_t res_governance_submissions = {"/governance/submissions", .get = get_submissions};

static int render_submission(http_req_t *req, http_res_t *res, int status, int64_t id)
{
    web_t *w = web(req);
    json_t *s = NULL;
    gov_ref_t ref;
    err_t keep = w->err;
    int rc = gov_submission_read(&w->scope, w->db, id, &s, &ref, &w->err);
    if (rc) return govpage_fail(req, rc, s, NULL, NULL);
    w->err = keep;
    const char *st = jstr_or_empty(s, "status");
    json_object_set_new(s, "status_label", json_string(govpage_status_label(req, st)));
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(s, "history"), i, h)
        json_object_set_new(h, "action_label", json_string(govpage_status_label(req, jstr(h, "action"))));
    bool approve = scope_can(&w->scope, CAP_GOV_APPROVE);
    json_t *vm = json_pack("{s:o,s:b,s:b,s:b,s:b}", "s", s, "can_decide", approve && !strcmp(st, "submitted"),
                           "can_reopen", approve && !strcmp(st, "approved"), "can_relock", approve && !strcmp(st, "reopened"),
                           "has_late", json_array_size(json_object_get(s, "late_corrections")) > 0);
    return govpage_show(req, res, status, "governance/submission", vm, NULL);
}

static int get_submission(http_req_t *req, http_res_t *res)
{
    return render_submission(req, res, 200, web_param_id(req, "id"));
}

static int post_decide(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    const char *action = govpage_form(req, "action");
    static const char *const actions[] = {"approve", "return", "reopen", NULL};
    bool known = false;
    for (int i = 0; action && actions[i]; i++) known = known || !strcmp(action, actions[i]);
    gov_ref_t ref = {0, 0};
    int rc = known ? gov_decide(&w->scope, w->db, id, action, govpage_form(req, "comment"), &ref, &w->err)
                   : web_fail(req, 422, "invalid", "action", "Choose one of the listed values.");
    char audit[32];
    snprintf(audit, sizeof audit, "submission.%s", known ? action : "decide");
    if (!rc) rc = govweb_audit(req, audit, "project_submission", &ref, NULL);
    if (!rc) return web_redirect(req, res, arena_printf(req->arena, "/governance/submissions/%lld", (long long)id));
    if ((rc = web_form_failed(req, rc, true)) < 0) return rc;
    return render_submission(req, res, rc, id);
}
static const resource_t res_governance_submissions_id = {"/governance/submissions/{id}", .get = get_submission, .post = post_decide};

static const resource_t *const routes[] = {&res_governance, &res_governance_projects_new,
    &res_governance_projects_id, &res_governance_projects_id_edit, &res_governance_projects_id_actions,
    &res_governance_projects_id_partners, &res_governance_projects_id_submit, &res_governance_submissions,
    &res_governance_submissions_id};

ROUTE_TABLE(govweb_page_routes, routes)

/* pages_budget.c — the budget page of a project: spend against plan per
 * action as a server-rendered SVG bar chart (role="img", titled and
 * described, its numbers in the data table after it), the budget lines
 * with planned and spent, the expenses with their documents and the
 * exports per semester; for the district's coordinators, the forms to add
 * a line and an expense with its document, and the document of an expense
 * saved without one (plain multipart forms: no script). Calls only
 * governance.h. */
#include "app/server.h"
#include "core/json.h"
#include "pages.h"
#include <stdio.h>
#include <string.h>

#define CHART_W 640
#define LABEL_W 170
#define BAR_X 180
#define BAR_MAX 380
#define ROW_H 46
#define PAGE_EXPENSES 25

static const char *const category_names[] = {"Staff", "External services", "Travel expenses", "Equipment", "Materials",
                                             "Translation", "Mediation", "Overheads", "Other"};

/* The translated name of a budget category. */
static const char *category_label(http_req_t *req, const char *code)
{
    const char *const *cats = gov_categories();
    for (size_t i = 0; code && cats[i]; i++)
        if (!strcmp(cats[i], code)) return web_tr(req, category_names[i]);
    return code ? code : "";
}

/* The chart's rows: each action (and the lines under none) with its bars'
 * geometry, in `budget`'s order; the chart's height into *height. */
static json_t *chart_rows(http_req_t *req, json_t *actions, int *height)
{
    json_t *rows = json_array(), *a;
    size_t i;
    int64_t max = 1;
    json_array_foreach(actions, i, a) {
        int64_t p = json_integer_value(json_object_get(a, "planned_cents")), s = json_integer_value(json_object_get(a, "spent_cents"));
        if (p > max) max = p;
        if (s > max) max = s;
    }
    json_array_foreach(actions, i, a) {
        int64_t p = json_integer_value(json_object_get(a, "planned_cents")), s = json_integer_value(json_object_get(a, "spent_cents"));
        int y = 10 + (int)i * ROW_H, pw = (int)(p * BAR_MAX / max), sw = (int)(s * BAR_MAX / max);
        char label[80];
        if (json_is_string(json_object_get(a, "code"))) snprintf(label, sizeof label, "%s %.60s", web_tr(req, "Action"), jstr(a, "code"));
        else snprintf(label, sizeof label, "%s", web_tr(req, "No action"));
        json_t *r = json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "label", label, "y", y, "ty", y + 12, "py", y,
                              "sy", y + 16, "pw", pw ? pw : 1, "sw", sw, "px", BAR_X + (pw ? pw : 1) + 6, "sx",
                              BAR_X + sw + 6, "sty", y + 28);
        govpage_money(req, a, "planned_cents");
        govpage_money(req, a, "spent_cents");
        json_object_set(r, "planned_eur", json_object_get(a, "planned_cents_eur"));
        json_object_set(r, "spent_eur", json_object_get(a, "spent_cents_eur"));
        json_object_set_new(a, "row_label", json_string(label));
        json_object_set_new(a, "pct", json_integer(p > 0 ? s * 100 / p : 0));
        json_array_append_new(rows, r);
    }
    *height = 20 + (int)json_array_size(actions) * ROW_H;
    return rows;
}

/* The budget page; `status` != 200 shows the request's error (in section `form`). */
static int render_budget(http_req_t *req, http_res_t *res, int status, int64_t id, const char *form)
{
    web_t *w = web(req);
    json_t *b = NULL, *p = NULL, *expenses = json_array();
    gov_ref_t ref;
    err_t keep = w->err;
    int rc = gov_budget(&w->scope, w->db, id, &b, &ref, &w->err);
    if (!rc) rc = gov_project_read(&w->scope, w->db, id, &p, &ref, &w->err);
    if (!rc) rc = gov_expense_list(&w->scope, w->db, id, NULL, NULL, expenses, &ref, &w->err);
    if (rc) return govpage_fail(req, rc, b, p, expenses);
    w->err = keep;
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(b, "lines"), i, o) {
        govpage_money(req, o, "planned_cents");
        govpage_money(req, o, "spent_cents");
        json_object_set_new(o, "category_label", json_string(category_label(req, jstr(o, "category"))));
    }
    /* The page shows the latest expenses, newest first; the export has them all. */
    size_t all = json_array_size(expenses);
    json_t *latest = json_array();
    for (i = all; i > 0 && json_array_size(latest) < PAGE_EXPENSES; i--) {
        o = json_array_get(expenses, i - 1);
        govpage_money(req, o, "amount_cents");
        json_object_set_new(o, "category_label", json_string(category_label(req, jstr(o, "category"))));
        json_array_append(latest, o);
    }
    json_decref(expenses);
    expenses = latest;
    json_t *total = json_object_get(b, "total");
    govpage_money(req, total, "planned_cents");
    govpage_money(req, total, "spent_cents");
    govpage_money(req, b, "budget_cents");
    int height = 0;
    json_t *rows = chart_rows(req, json_object_get(b, "actions"), &height);
    json_t *cats = json_array();
    const char *const *codes = gov_categories();
    for (i = 0; codes[i]; i++)
        json_array_append_new(cats, json_pack("{s:s,s:s}", "code", codes[i], "name", web_tr(req, category_names[i])));
    json_t *vm = json_pack("{s:o,s:o,s:o,s:o,s:i,s:i,s:i,s:i,s:o,s:b,s:b,s:b,s:b}", "b", b, "p", p, "expenses", expenses,
                           "chart", rows, "chart_w", CHART_W, "chart_h", height, "bar_x", BAR_X, "label_w", LABEL_W,
                           "categories", cats, "can_manage", scope_can(&w->scope, CAP_GOV_MANAGE), "has_lines",
                           json_array_size(json_object_get(b, "lines")) > 0, "has_expenses", json_array_size(expenses) > 0,
                           "has_chart", json_array_size(rows) > 0);
    json_object_set_new(vm, "expenses_total", json_integer((json_int_t)all));
    json_object_set_new(vm, "expenses_more", json_boolean(all > PAGE_EXPENSES));
    return govpage_show(req, res, status, "governance/budget", vm, form);
}

static int get_budget(http_req_t *req, http_res_t *res)
{
    return render_budget(req, res, 200, web_param_id(req, "id"), NULL);
}
static const resource_t res_governance_projects_id_budget = {"/governance/projects/{id}/budget", .get = get_budget};

/* After a form on the budget page: back to it at `anchor`, or shown again with the error in section `form`. */
static int budget_form_done(http_req_t *req, http_res_t *res, int rc, int64_t id, const char *form, const char *anchor)
{
    const char *to = arena_printf(req->arena, "/governance/projects/%lld/budget#%s", (long long)id, anchor);
    return govpage_form_done(req, res, rc, to, render_budget, id, form);
}

static int post_line(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    gov_line_input_t in = {govpage_form_int(req, "action_id", 0), govpage_form(req, "category"), govpage_form(req, "label"),
                           govpage_form_cents(req, "planned")};
    gov_ref_t ref = {0, 0};
    int rc = in.action_id < 0 ? web_fail(req, 422, "invalid", "action_id", "Choose one of the listed values.")
             : in.planned_cents < 0 ? web_fail(req, 422, "invalid", "planned_cents", "Give an amount in euro, not negative.")
                                    : gov_line_add(&w->scope, w->db, id, &in, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, "project.budget_line.create", "budget_line", &ref, NULL);
    return budget_form_done(req, res, rc, id, "line_error", "lines");
}
static const resource_t res_governance_projects_id_budget_lines = {"/governance/projects/{id}/budget/lines", .post = post_line};

/* The document of an expense form (multipart), NULL when no file was
 * chosen; -413 into *rc when the body was beyond the route's cap. */
static const gov_file_t *form_file(http_req_t *req, gov_file_t *out, int *rc)
{
    const http_file_t *f;
    *rc = web_form_upload(req, &f);
    if (*rc || !f) return NULL;
    *out = (gov_file_t){govpage_form(req, "title"), web_upload_stem(req, f->filename), f->data, f->len};
    return out;
}

static int post_expense(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    gov_file_t file;
    int frc;
    const gov_file_t *doc = form_file(req, &file, &frc);
    if (frc) return budget_form_done(req, res, frc, id, "expense_error", "expenses");
    gov_expense_input_t in = {govpage_form_int(req, "budget_line_id", 0), govpage_form_cents(req, "amount"),
                              govpage_form(req, "date"), govpage_form(req, "description"), govpage_form(req, "supplier")};
    gov_ref_t ref = {0, 0};
    int rc = in.amount_cents < 1 ? web_fail(req, 422, "invalid", "amount_cents", "Give an amount in euro, more than zero.")
             : !in.supplier        ? web_fail(req, 422, "required", "supplier", "This field is required.")
                                 : gov_expense_add(&w->scope, w->db, &in, doc, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, "expense.create", "expense", &ref, NULL);
    return budget_form_done(req, res, rc, id, "expense_error", "expenses");
}
static const resource_t res_governance_projects_id_budget_expenses = {"/governance/projects/{id}/budget/expenses", .post = post_expense, .max_body = ROUTE_BODY_UPLOAD};

/* POST /governance/projects/{id}/budget/expenses/{eid}/document — the
 * document of an expense saved without one; errors shown on the budget page. */
static int post_expense_document(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    gov_file_t file = {0};
    int rc;
    const gov_file_t *doc = form_file(req, &file, &rc);
    gov_ref_t ref = {0, 0};
    if (!rc) rc = gov_expense_document(&w->scope, w->db, web_param_id(req, "eid"), doc ? doc : &file, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, "expense.document", "expense", &ref, NULL);
    return budget_form_done(req, res, rc, id, "expense_error", "expenses");
}
static const resource_t res_governance_projects_id_budget_expenses_eid_document = {"/governance/projects/{id}/budget/expenses/{eid}/document", .post = post_expense_document, .max_body = ROUTE_BODY_UPLOAD};

static const resource_t *const routes[] = {&res_governance_projects_id_budget,
    &res_governance_projects_id_budget_lines, &res_governance_projects_id_budget_expenses,
    &res_governance_projects_id_budget_expenses_eid_document};

ROUTE_TABLE(govweb_budget_page_routes, routes)

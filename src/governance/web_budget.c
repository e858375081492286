/* web_budget.c — the JSON API of budget lines, expenses and their
 * documents, the budget of a project (planned and spent per line, per
 * action, in total) and the expenses' export for the fund's financial
 * reporting (CSV or XLSX, per period). Documents travel as the raw body,
 * their title in X-Title and their name in Content-Disposition's filename
 * (or X-Filename), percent-encoded when not ASCII — as the help desk's. */
#include "web.h"
#include "app/server.h"
#include "core/arena.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/xlsx.h"
#include <stdio.h>
#include <string.h>

/* The uploaded file of the request: body, X-Title, filename. */
static gov_file_t request_file(http_req_t *req)
{
    gov_file_t file = {web_header(req, "X-Title"), web_upload_filename(req), req->body, req->body_len};
    return file;
}

static int post_lines(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"action_id", "category", "label", "planned_cents", NULL};
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    gov_line_input_t in = {0, NULL, NULL, 0};
    gov_ref_t ref = {0, 0};
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) &&
        !(rc = jin_int(body, "action_id", false, 1, INT64_MAX, &in.action_id, NULL, &w->err)) &&
        !(rc = jin_str(body, "category", true, 32, &in.category, &w->err)) &&
        !(rc = jin_str(body, "label", false, GOV_TITLE_MAX, &in.label, &w->err)) &&
        !(rc = jin_int(body, "planned_cents", true, 0, GOV_MONEY_MAX, &in.planned_cents, NULL, &w->err)))
        rc = gov_line_add(&w->scope, w->db, web_param_id(req, "id"), &in, &ref, &w->err);
    json_decref(body);
    return govweb_created(req, res, rc, "project.budget_line.create", "budget_line", &ref);
}
static const resource_t res_projects_id_budget_lines = {"/api/v1/projects/{id}/budget-lines", .post = post_lines};

static int get_budget(http_req_t *req, http_res_t *res)
{
    return govweb_answer(req, res, 200, gov_budget, web_param_id(req, "id"));
}
static const resource_t res_projects_id_budget = {"/api/v1/projects/{id}/budget", .get = get_budget};

static int post_expenses(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"budget_line_id", "date", "amount_cents", "description", "supplier", NULL};
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_GOV_MANAGE, &rc);
    if (!body) return rc;
    gov_expense_input_t in = {0, 0, NULL, NULL, NULL};
    gov_ref_t ref = {0, 0};
    if (!(rc = jin_only(body, allowed, &w->err)) &&
        !(rc = jin_int(body, "budget_line_id", true, 1, INT64_MAX, &in.budget_line_id, NULL, &w->err)) &&
        !(rc = jin_str(body, "date", true, 10, &in.date, &w->err)) &&
        !(rc = jin_int(body, "amount_cents", true, 1, GOV_MONEY_MAX, &in.amount_cents, NULL, &w->err)) &&
        !(rc = jin_str(body, "description", true, GOV_TEXT_MAX, &in.description, &w->err)) &&
        !(rc = jin_str(body, "supplier", false, GOV_TITLE_MAX, &in.supplier, &w->err)))
        rc = gov_expense_add(&w->scope, w->db, &in, NULL, &ref, &w->err);
    json_decref(body);
    return govweb_created(req, res, rc, "expense.create", "expense", &ref);
}
static const resource_t res_expenses = {"/api/v1/expenses", .post = post_expenses};

/* POST /api/v1/expenses/{id}/document — the body is the file. */
static int post_document(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    gov_file_t file = request_file(req);
    gov_ref_t ref = {0, 0};
    int rc = gov_expense_document(&w->scope, w->db, web_param_id(req, "id"), &file, &ref, &w->err);
    return govweb_created(req, res, rc, "expense.document", "expense", &ref);
}

static int get_document(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *d = NULL;
    gov_ref_t ref = {0, 0};
    str_reset(&res->body);
    int rc = gov_expense_file(&w->scope, w->db, web_param_id(req, "id"), &d, &res->body, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, "expense.document.read", "expense", &ref, NULL);
    if (rc) {
        json_decref(d);
        str_reset(&res->body);
        return web_store_fail(req, rc);
    }
    res->status = 200;
    res->content_type = arena_strdup(req->arena, jstr(d, "content_type"));
    res->cache_control = "private, no-store";
    http_res_header(res, "Content-Disposition", arena_printf(req->arena, "attachment; filename=\"%s\"", jstr(d, "filename")));
    json_decref(d);
    return 0;
}
static const resource_t res_expenses_id_document = {"/api/v1/expenses/{id}/document", .post = post_document, .get = get_document, .max_body = ROUTE_BODY_UPLOAD};

/* ---- the expenses and their export ---------------------------------------------------- */

/* "1234.56" of cents. */
static void euro(int64_t cents, char *out, size_t len)
{
    snprintf(out, len, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(cents < 0 ? -cents : cents) / 100,
             (long long)(cents < 0 ? -cents : cents) % 100);
}

static void expenses_csv(http_req_t *req, const json_t *items, str_t *out)
{
    static const char *const head[] = {"date", "budget_line_id", "category", "action", "supplier", "description",
                                       "amount_eur", "document", "late_correction"};
    size_t i;
    json_t *x;
    str_adds(out, "\xEF\xBB\xBF"); /* spreadsheets read UTF-8 with a byte order mark */
    csv_add_row(out, head, 9, ',', 0);
    json_array_foreach(items, i, x) {
        char line[24], amount[32];
        snprintf(line, sizeof line, "%lld", (long long)json_integer_value(json_object_get(x, "budget_line_id")));
        euro(json_integer_value(json_object_get(x, "amount_cents")), amount, sizeof amount);
        const char *row[] = {jstr_or_empty(x, "date"), line, jstr_or_empty(x, "category"), jstr_or_empty(x, "action_code"),
                             jstr_or_empty(x, "supplier"), jstr_or_empty(x, "description"), amount,
                             jstr_or_empty(x, "document"), json_is_true(json_object_get(x, "late")) ? "yes" : "no"};
        csv_add_row(out, row, 9, ',', 0);
    }
    (void)req;
}

static int expenses_xlsx(http_req_t *req, const json_t *items, str_t *out)
{
    xlsx_t *x = xlsx_new();
    if (!x) return -1;
    const char *head[] = {web_tr(req, "Date"), web_tr(req, "Budget line"), web_tr(req, "Category"), web_tr(req, "Action"),
                          web_tr(req, "Supplier"), web_tr(req, "Description"), web_tr(req, "Amount (EUR)"),
                          web_tr(req, "Document"), web_tr(req, "Late correction")};
    int rc = xlsx_sheet(x, web_tr(req, "Expenses")) || xlsx_header(x, head, 9);
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) {
        if (rc) break;
        rc = xlsx_date(x, 0, jstr_or_empty(e, "date")) ||
             xlsx_number(x, 1, (double)json_integer_value(json_object_get(e, "budget_line_id"))) ||
             xlsx_text(x, 2, jstr_or_empty(e, "category")) || xlsx_text(x, 3, jstr_or_empty(e, "action_code")) ||
             xlsx_text(x, 4, jstr_or_empty(e, "supplier")) || xlsx_text(x, 5, jstr_or_empty(e, "description")) ||
             xlsx_number(x, 6, (double)json_integer_value(json_object_get(e, "amount_cents")) / 100.0) ||
             xlsx_text(x, 7, jstr_or_empty(e, "document")) ||
             xlsx_text(x, 8, json_is_true(json_object_get(e, "late")) ? web_tr(req, "yes") : web_tr(req, "no")) ||
             xlsx_next_row(x);
    }
    if (rc) {
        xlsx_free(x);
        return -1;
    }
    return xlsx_finish(x, out) ? -1 : 0; /* finishing frees it */
}

int govweb_expenses_file(http_req_t *req, http_res_t *res, int64_t project_id, const char *from, const char *to,
                         const char *format)
{
    web_t *w = web(req);
    if (strcmp(format, "csv") && strcmp(format, "xlsx"))
        return web_fail(req, 422, "invalid", "format", "The format is csv or xlsx.");
    json_t *items = json_array();
    gov_ref_t ref = {0, 0};
    int rc = gov_expense_list(&w->scope, w->db, project_id, from, to, items, &ref, &w->err);
    if (!rc) rc = govweb_audit(req, "project.expenses.export", "project", &ref, format);
    if (rc) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    str_reset(&res->body);
    if (format[0] == 'c') expenses_csv(req, items, &res->body);
    else rc = expenses_xlsx(req, items, &res->body);
    json_decref(items);
    if (rc) {
        str_reset(&res->body);
        return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    }
    res->status = 200;
    res->content_type = format[0] == 'c' ? "text/csv; charset=utf-8"
                                         : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res->cache_control = "private, no-store";
    http_res_header(res, "Content-Disposition",
                    arena_printf(req->arena, "attachment; filename=\"expenses-%lld.%s\"", (long long)project_id, format));
    return 0;
}

/* GET /api/v1/projects/{id}/expenses[?format=csv|xlsx][&from=&to=|&period=YYYY-Sn] */
static int get_expenses(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const char *from = http_query(req, "from"), *to = http_query(req, "to"), *period = http_query(req, "period");
    const char *format = http_query(req, "format");
    int64_t id = web_param_id(req, "id");
    if (period) {
        char *f = arena_alloc(req->arena, 11), *t = arena_alloc(req->arena, 11);
        if (!gov_period_parse(period, f, t)) return web_fail(req, 422, "invalid", "period", "A period is YYYY-S1 or YYYY-S2.");
        from = f;
        to = t;
    }
    if (format && strcmp(format, "json")) return govweb_expenses_file(req, res, id, from, to, format);
    json_t *items = json_array();
    gov_ref_t ref = {0, 0};
    int rc = gov_expense_list(&w->scope, w->db, id, from, to, items, &ref, &w->err);
    if (rc) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    return web_list(req, res, items, json_null());
}
static const resource_t res_projects_id_expenses = {"/api/v1/projects/{id}/expenses", .get = get_expenses};

static const resource_t *const routes[] = {&res_projects_id_budget_lines, &res_projects_id_budget,
    &res_projects_id_expenses, &res_expenses, &res_expenses_id_document};

ROUTE_TABLE(govweb_budget_routes, routes)

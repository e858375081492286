/* web.c — monitoring's JSON API and exports:
 *   GET /api/v1/indicators            ?project_id= | ?org=, ?from= ?to= | ?period=,
 *                                     ?format=json|csv|xlsx|pdf
 *   GET /api/v1/indicators/districts  every district of the scope side by side (json|csv|xlsx)
 *   GET /api/v1/indicators/trend      per semester (json|csv|xlsx)
 *   GET /api/v1/indicators/open-data  aggregates per district, cells under 5 suppressed (csv|xlsx)
 * Figures are aggregates; each read is audited under the organisation they
 * belong to. */
#include "web.h"
#include "core/date.h"
#include "core/json.h"
#include "core/pdfdoc.h"
#include "store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int monweb_audit(http_req_t *req, const mon_target_t *t, const char *what)
{
    return web_audit_id(req, "monitoring.read", "indicators", t->project_id, 0, t->org_id, what);
}

/* ?period=YYYY-S1|S2 into from / to; 0 or -422. */
static int period_window(http_req_t *req, const char *p, char from[11], char to[11])
{
    int y;
    char h, extra;
    if (strlen(p) != 7 || sscanf(p, "%4d-S%c%c", &y, &h, &extra) != 2 || (h != '1' && h != '2') || y < 1900 || y > 2199)
        return web_fail(req, 422, "invalid", "period", "The period is YYYY-S1 or YYYY-S2.");
    snprintf(from, 11, "%04d-%s", y, h == '1' ? "01-01" : "07-01");
    snprintf(to, 11, "%04d-%s", y, h == '1' ? "06-30" : "12-31");
    return 0;
}

int monweb_target(http_req_t *req, mon_target_t *t)
{
    web_t *w = web(req);
    const char *pid = http_query(req, "project_id"), *org = http_query(req, "org");
    const char *from = http_query(req, "from"), *to = http_query(req, "to"), *period = http_query(req, "period");
    char pf[11], pt[11];
    if (period && *period) {
        int rc = period_window(req, period, pf, pt);
        if (rc) return rc;
        from = pf, to = pt;
    }
    int64_t id = 0;
    if (pid && *pid) {
        char *end;
        long long v = strtoll(pid, &end, 10);
        if (*end || v <= 0 || strlen(pid) > 18) return web_fail(req, 422, "invalid", "project_id", "The project is a positive id.");
        id = v;
    }
    if ((pid && *pid) && org && *org) return web_fail(req, 422, "invalid", "org", "Give a project or an organisation, not both.");
    int rc = mon_target(&w->scope, w->db, id, org, from, to, t, &w->err);
    return rc ? web_store_fail(req, rc) : 0;
}

int monweb_districts(http_req_t *req, const mon_target_t *t, json_t **out)
{
    web_t *w = web(req);
    json_t *list = json_array();
    int rc = mon_store_districts(w->db, t->project_id ? "" : t->path_like, list);
    if (rc) {
        json_decref(list);
        return web_db_fail(req, rc);
    }
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d) {
        mon_target_t dt;
        json_t *ind = NULL;
        if ((rc = mon_target(&w->scope, w->db, 0, jstr(d, "code"), t->from, t->to, &dt, &w->err)) ||
            (rc = mon_indicators(w->db, &dt, &ind, &w->err))) {
            json_decref(list);
            return web_store_fail(req, rc);
        }
        json_object_set(d, "items", json_object_get(ind, "items"));
        json_decref(ind);
    }
    *out = json_pack("{s:o}", "districts", list);
    return 0;
}

int monweb_trend(http_req_t *req, const mon_target_t *t, int n, json_t **out)
{
    web_t *w = web(req);
    char today[11];
    date_today(today, 0);
    char first[11];
    date_add(today, 0, -30, 0, first); /* open start: the last semesters up to today */
    if (strcmp(t->from, "1900-01-01")) snprintf(first, sizeof first, "%s", t->from);
    const char *last = strcmp(t->to, "2199-12-31") ? t->to : today;
    json_t *periods = json_array();
    mon_semesters(first, last, n, periods);
    size_t i;
    json_t *p;
    json_array_foreach(periods, i, p) {
        mon_target_t pt = *t;
        json_t *ind = NULL;
        int rc = mon_window(&pt, jstr(p, "from"), jstr(p, "to"), &w->err);
        if (!rc) rc = mon_indicators(w->db, &pt, &ind, &w->err);
        if (rc) {
            json_decref(periods);
            return web_store_fail(req, rc);
        }
        json_object_set(p, "items", json_object_get(ind, "items"));
        json_decref(ind);
    }
    *out = periods;
    return 0;
}

/* ?format= among `allowed` ("json" when absent); NULL after a 422. */
static const char *format_of(http_req_t *req, const char *const *allowed)
{
    const char *f = http_query(req, "format");
    if (!f || !*f) f = allowed[0];
    for (int i = 0; allowed[i]; i++)
        if (!strcmp(f, allowed[i])) return allowed[i];
    web_fail(req, 422, "invalid", "format", "Unknown format.");
    return NULL;
}

/* A table of `cells` (rows of `cols` strings) into the document. */
static void pdf_cells(pdfdoc_t *d, json_t *cells, int cols)
{
    size_t n = json_array_size(cells);
    const char **c = malloc((n ? n : 1) * sizeof *c);
    if (!c) return;
    for (size_t i = 0; i < n; i++) c[i] = json_string_value(json_array_get(cells, i));
    pdfdoc_table(d, (int)(n / (size_t)cols), cols, c);
    free(c);
}

static void cell(json_t *cells, const char *s) { json_array_append_new(cells, json_string(s ? s : "")); }

/* The report for the managing authority: the indicators, their breakdown
 * by sex and age band, and the consultations by topic, as a PDF. */
static int report_pdf(http_req_t *req, http_res_t *res, const mon_target_t *t, const json_t *ind)
{
    web_t *w = web(req);
    pdfdoc_t *d = pdfdoc_new(w->lang);
    if (!d) return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    pdfdoc_title(d, web_tr(req, "AMIF indicators report"));
    char line[300], today[11];
    date_today(today, 0);
    if (strcmp(t->from, "1900-01-01") || strcmp(t->to, "2199-12-31"))
        snprintf(line, sizeof line, "%s: %s — %s. %s %s.", web_tr(req, "Period"), t->from, t->to,
                 web_tr(req, "Computed from the records on"), today);
    else
        snprintf(line, sizeof line, "%s: %s. %s %s.", web_tr(req, "Period"), web_tr(req, "The whole period"),
                 web_tr(req, "Computed from the records on"), today);
    pdfdoc_paragraph(d, line);
    json_t *all = json_array(), *main = json_array(), *bd = json_array(), *topics = json_array();
    int cols = 0;
    montab_indicators(req, ind, all, &cols);
    size_t rows = json_array_size(all) / (size_t)cols;
    for (size_t r = 0; r < rows; r++) {
        json_t *row = json_array();
        for (int c = 0; c < cols; c++) json_array_append(row, json_array_get(all, r * (size_t)cols + (size_t)c));
        static const int m[] = {0, 1, 3, 2}, b[] = {0, 4, 5, 6, 7, 8, 9};
        for (int k = 0; k < 4; k++) json_array_append(main, json_array_get(row, (size_t)m[k]));
        if (r == 0 || *json_string_value(json_array_get(row, 4)))
            for (int k = 0; k < 7; k++) json_array_append(bd, json_array_get(row, (size_t)b[k]));
        json_decref(row);
    }
    pdf_cells(d, main, 4);
    pdfdoc_paragraph(d, web_tr(req, "Participants by sex and age band"));
    pdf_cells(d, bd, 7);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(ind, "items"), i, it) {
        json_t *by = json_object_get(it, "by_topic");
        if (!json_is_object(by)) continue;
        cell(topics, web_tr(req, "Topic"));
        cell(topics, web_tr(req, "Consultations"));
        const char *k;
        json_t *v;
        json_object_foreach(by, k, v) {
            char n[24];
            snprintf(n, sizeof n, "%lld", (long long)json_integer_value(v));
            cell(topics, web_tr(req, k));
            cell(topics, n);
        }
    }
    if (json_array_size(topics) > 2) {
        pdfdoc_paragraph(d, web_tr(req, "Consultations by topic"));
        pdf_cells(d, topics, 2);
    }
    pdfdoc_note(d, web_tr(req, "Participants are identified persons counted once per project; the age band is the age at their first activity in the project."));
    json_decref(all);
    json_decref(main);
    json_decref(bd);
    json_decref(topics);
    char *pdf = NULL;
    size_t len = 0;
    if (pdfdoc_finish(d, &pdf, &len)) return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    str_reset(&res->body);
    str_add(&res->body, pdf, len);
    free(pdf);
    res->content_type = "application/pdf";
    res->status = 200;
    res->cache_control = "private, no-store";
    http_res_header(res, "Content-Disposition", "attachment; filename=\"indicators.pdf\"");
    return 0;
}

/* The items of each element of `list` without their cross table. */
static void drop_cross(json_t *list)
{
    size_t i, k;
    json_t *e, *it;
    json_array_foreach(list, i, e) json_array_foreach(json_object_get(e, "items"), k, it) json_object_del(it, "by_sex_age");
}

static int load_indicators(http_req_t *req, const mon_target_t *t, json_t **out)
{
    int rc = mon_indicators(web(req)->db, t, out, &web(req)->err);
    return rc ? web_store_fail(req, rc) : 0;
}

static json_t *indicators_json(json_t *ind)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(ind, "items"), i, it) json_object_del(it, "by_sex_age");
    return ind;
}

static json_t *districts_json(json_t *all)
{
    drop_cross(json_object_get(all, "districts"));
    return all;
}

static int load_trend(http_req_t *req, const mon_target_t *t, json_t **out) { return monweb_trend(req, t, 6, out); }

static json_t *trend_json(json_t *periods)
{
    drop_cross(periods);
    return json_pack("{s:o}", "periods", periods);
}

/* The trend table: a row per semester, a column per indicator. */
static void trend_table(http_req_t *req, const json_t *periods, json_t *cells, int *cols)
{
    size_t i, k;
    json_t *p, *it;
    *cols = 2 + (int)json_array_size(json_object_get(json_array_get(periods, 0), "items"));
    json_array_append_new(cells, json_string(web_tr(req, "Period")));
    json_array_append_new(cells, json_string(web_tr(req, "From")));
    json_array_foreach(json_object_get(json_array_get(periods, 0), "items"), k, it)
        json_array_append_new(cells, json_string(jstr(it, "code")));
    json_array_foreach(periods, i, p) {
        json_array_append_new(cells, json_string(jstr(p, "period")));
        json_array_append_new(cells, json_string(jstr(p, "from")));
        json_array_foreach(json_object_get(p, "items"), k, it) {
            json_t *v = json_object_get(it, "value");
            char b[32];
            if (json_is_real(v)) snprintf(b, sizeof b, "%.1f", json_real_value(v));
            else snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v));
            json_array_append_new(cells, json_string(b));
        }
    }
}

static void open_data_table(http_req_t *req, const json_t *all, json_t *cells, int *cols)
{
    (void)req;
    montab_open_data(all, cells, cols);
}

/* What one export of figures loads and how it answers. */
typedef struct figures {
    const char *const *formats; /* the first is the default; "pdf" is the indicators' report */
    const char *what;           /* the audit's word; NULL: the format */
    const char *file, *sheet;   /* of the CSV / XLSX table */
    int (*load)(http_req_t *req, const mon_target_t *t, json_t **out);
    json_t *(*json)(json_t *data); /* the JSON answer from the data (consumed), without cross tables */
    void (*table)(http_req_t *req, const json_t *data, json_t *cells, int *cols);
} figures_t;

/* Answers the export `x` for the request's target, audited. */
static int answer_figures(http_req_t *req, http_res_t *res, const figures_t *x)
{
    const char *f = format_of(req, x->formats);
    if (!f) return -422;
    mon_target_t t;
    json_t *data = NULL;
    int rc = monweb_target(req, &t);
    if (rc || (rc = x->load(req, &t, &data))) return rc;
    if ((rc = monweb_audit(req, &t, x->what ? x->what : f))) {
        json_decref(data);
        return rc;
    }
    if (!strcmp(f, "json")) return web_json(req, res, 200, x->json(data));
    if (!strcmp(f, "pdf")) rc = report_pdf(req, res, &t, data);
    else {
        json_t *cells = json_array();
        int cols = 0;
        x->table(req, data, cells, &cols);
        rc = montab_answer(req, res, cells, cols, f, arena_printf(req->arena, "%s.%s", x->file, f), x->sheet);
        json_decref(cells);
    }
    json_decref(data);
    return rc;
}

static int get_indicators(http_req_t *req, http_res_t *res)
{
    static const char *const formats[] = {"json", "csv", "xlsx", "pdf", NULL};
    static const figures_t x = {formats, NULL, "indicators", "Indicators", load_indicators, indicators_json,
                                montab_indicators};
    return answer_figures(req, res, &x);
}
static const resource_t res_indicators = {"/api/v1/indicators", .get = get_indicators};

static int get_districts(http_req_t *req, http_res_t *res)
{
    static const char *const formats[] = {"json", "csv", "xlsx", NULL};
    static const figures_t x = {formats, "districts", "districts", "Districts", monweb_districts, districts_json,
                                montab_districts};
    return answer_figures(req, res, &x);
}
static const resource_t res_indicators_districts = {"/api/v1/indicators/districts", .get = get_districts};

static int get_trend(http_req_t *req, http_res_t *res)
{
    static const char *const formats[] = {"json", "csv", "xlsx", NULL};
    static const figures_t x = {formats, "trend", "trend", "Trend", load_trend, trend_json, trend_table};
    return answer_figures(req, res, &x);
}
static const resource_t res_indicators_trend = {"/api/v1/indicators/trend", .get = get_trend};

static int get_open_data(http_req_t *req, http_res_t *res)
{
    static const char *const formats[] = {"csv", "xlsx", NULL};
    static const figures_t x = {formats, "open-data", "open-data", "Open data", monweb_districts, NULL, open_data_table};
    return answer_figures(req, res, &x);
}
static const resource_t res_indicators_open_data = {"/api/v1/indicators/open-data", .get = get_open_data};

static const resource_t *const routes[] = {&res_indicators, &res_indicators_districts, &res_indicators_trend,
    &res_indicators_open_data};

ROUTE_TABLE(monweb_api_routes, routes)

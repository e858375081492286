/* pages.c — the dashboards (server rendered, Bootstrap Italia):
 *   GET /monitoraggio   the district's figures (a coordinator's own subtree),
 *                       or the region's: its totals, every district side by
 *                       side and a map of the districts (aggregates only).
 *                       ?org=CODE (a district in scope), ?period=YYYY-S1|S2.
 * Each chart is an SVG with role="img", a <title> and a description, drawn
 * from the numbers of the data table printed beside it. Links to the
 * exports of the same figures. Reads are audited like the API's. */
#include "app/org.h"
#include "app/settings.h"
#include "core/date.h"
#include "core/json.h"
#include "web.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define BAR_MAX 250.0 /* px of the longest bar (the chart is 420 wide, labels 110) */

static json_t *geo;
static pthread_once_t geo_once = PTHREAD_ONCE_INIT;
static void geo_load(void) { geo = json_load_file(settings_path("data/monitoring/districts.json"), 0, NULL); }

static json_int_t ival(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* The value of an item as text (hours with one decimal). */
static void value_text(const json_t *v, char *out, size_t len)
{
    if (json_is_real(v)) snprintf(out, len, "%.1f", json_real_value(v));
    else snprintf(out, len, "%lld", (long long)json_integer_value(v));
}

static json_t *find_item(const json_t *ind, const char *code)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(ind, "items"), i, it) if (!strcmp(jstr(it, "code"), code)) return it;
    return NULL;
}

/* An item's value as shown in `lang`: euros for cents, a percentage, else value_text. */
static void item_text(const json_t *it, const char *lang, char *out, size_t len)
{
    const char *unit = jstr(it, "unit");
    const json_t *v = json_object_get(it, "value");
    bool it_ = !strcmp(lang, "it");
    if (unit && !strcmp(unit, "cents")) {
        json_int_t c = json_integer_value(v);
        snprintf(out, len, it_ ? "%lld,%02lld €" : "€%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
    } else if (unit && !strcmp(unit, "percent"))
        json_is_null(v) ? snprintf(out, len, "–") : snprintf(out, len, it_ ? "%.1f%%" : "%.1f%%", json_real_value(v));
    else value_text(v, out, len);
}

/* The rows of the indicators' table. */
static json_t *table_rows(http_req_t *req, const json_t *ind)
{
    json_t *rows = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(ind, "items"), i, it) {
        char v[48];
        item_text(it, web(req)->lang, v, sizeof v);
        json_t *s = json_object_get(it, "by_sex"), *a = json_object_get(it, "by_age");
        json_t *r = json_pack("{s:s,s:s,s:s,s:s,s:b}", "code", jstr(it, "code"), "label",
                              mon_label(jstr(it, "code"), web(req)->lang), "unit", web_tr(req, jstr(it, "unit")),
                              "value", v, "has_breakdown", json_is_object(s));
        if (json_is_object(s))
            json_object_update_new(r, json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "m", ival(s, "m"), "f", ival(s, "f"), "x",
                                                ival(s, "x"), "u18", ival(a, "<18"), "a1860", ival(a, "18-60"), "o60",
                                                ival(a, ">60")));
        json_array_append_new(rows, r);
    }
    return rows;
}

/* A horizontal bar chart {bars:[{label, value, y, w, ty}], height} of
 * (label, value) pairs. */
static json_t *bars(json_t *pairs)
{
    double max = 1;
    size_t i;
    json_t *p;
    json_array_foreach(pairs, i, p) if (json_number_value(json_array_get(p, 1)) > max) max = json_number_value(json_array_get(p, 1));
    json_t *out = json_array();
    json_array_foreach(pairs, i, p) {
        double v = json_number_value(json_array_get(p, 1));
        char vt[32];
        value_text(json_array_get(p, 1), vt, sizeof vt);
        int y = 8 + (int)i * 30;
        json_array_append_new(out, json_pack("{s:s,s:s,s:i,s:i,s:i,s:i}", "label", json_string_value(json_array_get(p, 0)),
                                             "value", vt, "y", y, "ty", y + 15, "w", (int)(v / max * BAR_MAX) + 1,
                                             "tx", (int)(v / max * BAR_MAX) + 116));
    }
    json_t *c = json_pack("{s:o,s:i}", "bars", out, "height", 16 + (int)json_array_size(pairs) * 30);
    json_decref(pairs);
    return c;
}

/* The participants' indicators as bars. */
static json_t *chart_persons(const json_t *ind)
{
    static const char *const codes[] = {"O.2.3", "O.2.3.1", "O.2.3.2", "O.2.3.3", "O.2.5", "R.2.8", "R.2.11", NULL};
    json_t *pairs = json_array();
    for (int i = 0; codes[i]; i++) {
        json_t *it = find_item(ind, codes[i]);
        if (it) json_array_append_new(pairs, json_pack("[s,O]", codes[i], json_object_get(it, "value")));
    }
    return bars(pairs);
}

/* O.2.3 by sex and by age band as bars. */
static json_t *chart_breakdown(http_req_t *req, const json_t *ind)
{
    json_t *it = find_item(ind, "O.2.3"), *s = json_object_get(it, "by_sex"), *a = json_object_get(it, "by_age");
    return bars(json_pack("[[s,I],[s,I],[s,I],[s,I],[s,I],[s,I]]", web_tr(req, "Men"), ival(s, "m"), web_tr(req, "Women"),
                          ival(s, "f"), web_tr(req, "Non-binary"), ival(s, "x"), web_tr(req, "Under 18"), ival(a, "<18"),
                          "18-60", ival(a, "18-60"), web_tr(req, "Over 60"), ival(a, ">60")));
}

/* The budget as bars: planned and spent, in whole euros. */
static json_t *chart_budget(http_req_t *req, const json_t *ind)
{
    return bars(json_pack("[[s,I],[s,I]]", web_tr(req, "Planned"),
                          json_integer_value(json_object_get(find_item(ind, "P.BUDGET.PLAN"), "value")) / 100,
                          web_tr(req, "Spent"), json_integer_value(json_object_get(find_item(ind, "P.BUDGET"), "value")) / 100));
}

/* The meetings per kind: {rows:[{kind, label, held, persons, orgs}], chart}
 * (the chart: meetings held per kind). */
static json_t *meeting_view(http_req_t *req, const json_t *ind)
{
    static const char *const kinds[] = {"tavolo", "lab", "case", "school"};
    static const char *const names[] = {"Tavolo territoriale", "Laboratory", "Case meeting", "School contacts' meeting"};
    static const char *const shorts[] = {"Tavolo", "Labs", "Cases", "Schools"}; /* the chart's 110 px of labels */
    json_t *h = json_object_get(find_item(ind, "P.MEET"), "by_kind"), *p = json_object_get(find_item(ind, "P.ATT"), "by_kind"),
           *o = json_object_get(find_item(ind, "P.ATT.ORG"), "by_kind"), *rows = json_array(), *pairs = json_array();
    for (int i = 0; i < 4; i++) {
        json_array_append_new(rows, json_pack("{s:s,s:s,s:I,s:I,s:I}", "kind", kinds[i], "label", web_tr(req, names[i]),
                                              "held", ival(h, kinds[i]), "persons", ival(p, kinds[i]), "orgs",
                                              ival(o, kinds[i])));
        json_array_append_new(pairs, json_pack("[s,I]", web_tr(req, shorts[i]), ival(h, kinds[i])));
    }
    return json_pack("{s:o,s:o}", "rows", rows, "chart", bars(pairs));
}

/* The trend: participants and consultations per semester, as columns
 * {cols:[{period, p, c, x, yp, hp, yc, hc}], rows}. */
static json_t *chart_trend(const json_t *periods)
{
    double max = 1;
    size_t i;
    json_t *p;
    json_array_foreach(periods, i, p) {
        double a = (double)json_integer_value(json_object_get(find_item(p, "O.2.3"), "value"));
        double b = (double)json_integer_value(json_object_get(find_item(p, "P.CONS"), "value"));
        if (a > max) max = a;
        if (b > max) max = b;
    }
    json_t *cols = json_array();
    json_array_foreach(periods, i, p) {
        json_int_t a = json_integer_value(json_object_get(find_item(p, "O.2.3"), "value"));
        json_int_t b = json_integer_value(json_object_get(find_item(p, "P.CONS"), "value"));
        int ha = (int)((double)a / max * 160), hb = (int)((double)b / max * 160), x = 20 + (int)i * 66;
        json_array_append_new(cols, json_pack("{s:s,s:I,s:I,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "period", jstr(p, "period"),
                                              "p", a, "c", b, "x", x, "xc", x + 25, "xl", x + 24, "yp", 180 - ha, "hp",
                                              ha + 1, "yc", 180 - hb, "hc", hb + 1));
    }
    return json_pack("{s:o,s:i}", "cols", cols, "width", 30 + (int)json_array_size(periods) * 66);
}

/* The map: the outline and a circle per district with figures, radius by
 * participants; districts without coordinates are in the table only. */
static json_t *chart_map(const json_t *districts)
{
    pthread_once(&geo_once, geo_load);
    json_t *bb = json_object_get(geo, "bbox"), *pos = json_object_get(geo, "districts");
    double w = json_number_value(json_object_get(bb, "west")), e = json_number_value(json_object_get(bb, "east"));
    double s = json_number_value(json_object_get(bb, "south")), n = json_number_value(json_object_get(bb, "north"));
    if (!bb || e <= w || n <= s) return json_null();
    const double W = 420, H = W * (n - s) / ((e - w) * cos((n + s) / 2 * M_PI / 180));
    char pts[4096] = "";
    size_t i, off = 0;
    json_t *pt;
    json_array_foreach(json_object_get(geo, "outline"), i, pt) {
        double x = (json_number_value(json_array_get(pt, 0)) - w) / (e - w) * W;
        double y = (n - json_number_value(json_array_get(pt, 1))) / (n - s) * H;
        off += (size_t)snprintf(pts + off, sizeof pts - off, "%s%.0f,%.0f", i ? " " : "", x, y);
        if (off >= sizeof pts) break;
    }
    json_int_t max = 1;
    json_t *d, *dots = json_array();
    json_array_foreach(json_object_get(districts, "districts"), i, d) {
        json_int_t v = json_integer_value(json_object_get(find_item(d, "O.2.3"), "value"));
        if (v > max) max = v;
    }
    json_array_foreach(json_object_get(districts, "districts"), i, d) {
        json_t *ll = json_object_get(pos, jstr(d, "code"));
        if (!ll) continue;
        json_int_t v = json_integer_value(json_object_get(find_item(d, "O.2.3"), "value"));
        double x = (json_number_value(json_array_get(ll, 1)) - w) / (e - w) * W;
        double y = (n - json_number_value(json_array_get(ll, 0))) / (n - s) * H;
        json_array_append_new(dots, json_pack("{s:s,s:s,s:I,s:i,s:i,s:i,s:i}", "code", jstr(d, "code"), "name",
                                              jstr(d, "name"), "value", v, "x", (int)x, "y", (int)y, "r",
                                              4 + (int)(16.0 * sqrt((double)v / (double)max)), "ty", (int)y - 10));
    }
    return json_pack("{s:s,s:o,s:i,s:i}", "outline", pts, "dots", dots, "width", (int)W, "height", (int)H + 10);
}

/* The districts side by side: [{code, name, o23, o231, o25, r28, cons, med}]. */
static json_t *district_rows(const json_t *districts)
{
    json_t *rows = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(districts, "districts"), i, d) {
        char med[32];
        value_text(json_object_get(find_item(d, "P.MED"), "value"), med, sizeof med);
        json_array_append_new(
            rows, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "code", jstr(d, "code"), "name", jstr(d, "name"), "o23",
                            json_integer_value(json_object_get(find_item(d, "O.2.3"), "value")), "o231",
                            json_integer_value(json_object_get(find_item(d, "O.2.3.1"), "value")), "o25",
                            json_integer_value(json_object_get(find_item(d, "O.2.5"), "value")), "r28",
                            json_integer_value(json_object_get(find_item(d, "R.2.8"), "value")), "cons",
                            json_integer_value(json_object_get(find_item(d, "P.CONS"), "value")), "med", med));
    }
    return rows;
}

/* The period picker: the last six semesters and "all", with the current one selected. */
static json_t *period_options(http_req_t *req, const char *current)
{
    char today[11], first[11];
    date_today(today, 0);
    date_add(today, 0, -30, 0, first);
    json_t *s = json_array(), *out = json_array();
    mon_semesters(first, today, 6, s);
    json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "code", "", "name", web_tr(req, "The whole period"),
                                         "selected", !current || !*current));
    for (size_t i = json_array_size(s); i-- > 0;) {
        const char *p = jstr(json_array_get(s, i), "period");
        json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "code", p, "name", p, "selected", current && !strcmp(current, p)));
    }
    json_decref(s);
    return out;
}

static int page_dashboard(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    mon_target_t t;
    int rc = monweb_target(req, &t);
    if (rc) return rc;
    const char *code = http_query(req, "org");
    org_t org;
    if ((rc = org_visible(&w->scope, w->db, code && *code ? code : w->scope.org_code, &org))) return web_store_fail(req, rc);
    json_t *ind = NULL, *trend = NULL, *districts = NULL;
    if ((rc = mon_indicators(w->db, &t, &ind, &w->err))) return web_store_fail(req, rc);
    mon_target_t tt = t;
    mon_window(&tt, NULL, NULL, &w->err);
    bool regional = strcmp(org.kind, "ambito") != 0;
    if ((rc = monweb_trend(req, &tt, 6, &trend)) || (regional && (rc = monweb_districts(req, &t, &districts))) ||
        (rc = monweb_audit(req, &t, "dashboard"))) {
        json_decref(ind);
        json_decref(trend);
        return rc;
    }
    const char *period = http_query(req, "period");
    char q[200];
    snprintf(q, sizeof q, "org=%s%s%s", org.code, period && *period ? "&period=" : "", period && *period ? period : "");
    json_t *trows = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(trend, i, p) {
        char med[32];
        value_text(json_object_get(find_item(p, "P.MED"), "value"), med, sizeof med);
        json_array_append_new(trows, json_pack("{s:s,s:I,s:I,s:I,s:s}", "period", jstr(p, "period"), "o23",
                                               json_integer_value(json_object_get(find_item(p, "O.2.3"), "value")), "o25",
                                               json_integer_value(json_object_get(find_item(p, "O.2.5"), "value")), "cons",
                                               json_integer_value(json_object_get(find_item(p, "P.CONS"), "value")), "med", med));
    }
    json_t *vm = json_pack("{s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:s}", "org_name", org.name, "org_code", org.code,
                           "regional", regional, "rows", table_rows(req, ind), "chart_persons", chart_persons(ind),
                           "chart_breakdown", chart_breakdown(req, ind), "chart_trend", chart_trend(trend), "trend_rows",
                           trows, "periods", period_options(req, period), "query", q, "from", t.from, "to", t.to);
    json_object_set_new(vm, "chart_budget", chart_budget(req, ind));
    json_object_set_new(vm, "meetings", meeting_view(req, ind));
    if (districts) {
        json_object_set_new(vm, "district_rows", district_rows(districts));
        json_object_set_new(vm, "map", chart_map(districts));
        json_object_set_new(vm, "has_districts", json_boolean(json_array_size(json_object_get(districts, "districts")) > 0));
    }
    json_object_set_new(vm, "windowed", json_boolean(strcmp(t.from, "1900-01-01") != 0));
    json_decref(ind);
    json_decref(trend);
    json_decref(districts);
    return web_page(req, res, 200, "monitoring/dashboard", vm);
}
static const resource_t res_monitoraggio = {"/monitoraggio", .get = page_dashboard};

static const resource_t *const routes[] = {&res_monitoraggio};

ROUTE_TABLE(monweb_page_routes, routes)

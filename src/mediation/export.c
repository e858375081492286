/* export.c — a mediator's monthly statement as the API answers it: JSON, or
 * a file to download (CSV with a byte order mark, XLSX, PDF) for the
 * district's accounts. The statement itself is med_statement's; reading it
 * is audited under the mediator's district. */
#include "web.h"
#include "app/server.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/pdfdoc.h"
#include "core/xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void euro_plain(int64_t cents, char *out, size_t len)
{
    snprintf(out, len, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(llabs(cents) / 100), (long long)(llabs(cents) % 100));
}

static long long jint(json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static void statement_csv(const json_t *st, str_t *out)
{
    static const char *const head[] = {"date", "start", "request_id", "body", "language", "domain", "kind",
                                       "booked_minutes", "minutes_worked", "billable_minutes", "evening_minutes",
                                       "holiday_minutes", "travel_km", "base_eur", "supplement_eur", "travel_eur",
                                       "total_eur", "tariff"};
    const size_t n = sizeof head / sizeof head[0];
    str_adds(out, "\xEF\xBB\xBF"); /* spreadsheets read UTF-8 with a byte order mark */
    csv_add_row(out, head, n, ',', 0);
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(st, "lines"), i, l) {
        char f[18][64];
        snprintf(f[2], 64, "%lld", jint(l, "request_id"));
        snprintf(f[7], 64, "%lld", jint(l, "booked_minutes"));
        snprintf(f[8], 64, "%lld", jint(l, "minutes_worked"));
        snprintf(f[9], 64, "%lld", jint(l, "billable_minutes"));
        snprintf(f[10], 64, "%lld", jint(l, "evening_minutes"));
        snprintf(f[11], 64, "%lld", jint(l, "holiday_minutes"));
        snprintf(f[12], 64, "%.1f", json_number_value(json_object_get(l, "travel_km")));
        euro_plain(jint(l, "base_cents"), f[13], 64);
        euro_plain(jint(l, "supplement_cents"), f[14], 64);
        euro_plain(jint(l, "travel_cents"), f[15], 64);
        euro_plain(jint(l, "total_cents"), f[16], 64);
        const char *row[] = {jstr_or_empty(l, "date"), jstr_or_empty(l, "start"), f[2], jstr_or_empty(l, "body"), jstr_or_empty(l, "language"),
                             jstr_or_empty(l, "domain"), jstr_or_empty(l, "kind"), f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14],
                             f[15], f[16], jstr_or_empty(l, "tariff")};
        csv_add_row(out, row, n, ',', 0);
    }
    char mins[32], base[32], sup[32], trav[32], tot[32];
    snprintf(mins, sizeof mins, "%lld", jint((json_t *)st, "billable_minutes"));
    euro_plain(jint((json_t *)st, "base_cents"), base, sizeof base);
    euro_plain(jint((json_t *)st, "supplement_cents"), sup, sizeof sup);
    euro_plain(jint((json_t *)st, "travel_cents"), trav, sizeof trav);
    euro_plain(jint((json_t *)st, "total_cents"), tot, sizeof tot);
    const char *total[] = {"", "", "", "", "", "", "total", "", "", mins, "", "", "", base, sup, trav, tot, ""};
    csv_add_row(out, total, n, ',', 0);
}

static int statement_xlsx(http_req_t *req, const json_t *st, str_t *out)
{
    xlsx_t *x = xlsx_new();
    if (!x) return -1;
    static const char *const head[] = {"Data", "Inizio", "Richiesta", "Ente", "Lingua", "Ambito", "Tipo",
                                       "Minuti prenotati", "Minuti lavorati", "Minuti pagati", "Minuti serali",
                                       "Minuti festivi", "Km", "Base €", "Maggiorazioni €", "Viaggio €", "Totale €"};
    (void)req;
    int rc = xlsx_sheet(x, jstr_or_empty((json_t *)st, "month"));
    if (!rc) rc = xlsx_header(x, head, sizeof head / sizeof head[0]);
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(st, "lines"), i, l) {
        if (rc) break;
        rc = xlsx_date(x, 0, jstr_or_empty(l, "date")) || xlsx_text(x, 1, jstr_or_empty(l, "start")) ||
             xlsx_number(x, 2, (double)jint(l, "request_id")) || xlsx_text(x, 3, jstr_or_empty(l, "body")) ||
             xlsx_text(x, 4, jstr_or_empty(l, "language")) || xlsx_text(x, 5, jstr_or_empty(l, "domain")) ||
             xlsx_text(x, 6, jstr_or_empty(l, "kind")) || xlsx_number(x, 7, (double)jint(l, "booked_minutes")) ||
             xlsx_number(x, 8, (double)jint(l, "minutes_worked")) ||
             xlsx_number(x, 9, (double)jint(l, "billable_minutes")) ||
             xlsx_number(x, 10, (double)jint(l, "evening_minutes")) ||
             xlsx_number(x, 11, (double)jint(l, "holiday_minutes")) ||
             xlsx_number(x, 12, json_number_value(json_object_get(l, "travel_km"))) ||
             xlsx_number(x, 13, (double)jint(l, "base_cents") / 100.0) ||
             xlsx_number(x, 14, (double)jint(l, "supplement_cents") / 100.0) ||
             xlsx_number(x, 15, (double)jint(l, "travel_cents") / 100.0) ||
             xlsx_number(x, 16, (double)jint(l, "total_cents") / 100.0) || xlsx_next_row(x);
    }
    if (!rc)
        rc = xlsx_text(x, 6, "Totale") || xlsx_number(x, 9, (double)jint((json_t *)st, "billable_minutes")) ||
             xlsx_number(x, 13, (double)jint((json_t *)st, "base_cents") / 100.0) ||
             xlsx_number(x, 14, (double)jint((json_t *)st, "supplement_cents") / 100.0) ||
             xlsx_number(x, 15, (double)jint((json_t *)st, "travel_cents") / 100.0) ||
             xlsx_number(x, 16, (double)jint((json_t *)st, "total_cents") / 100.0);
    if (rc) {
        xlsx_free(x);
        return -1;
    }
    return xlsx_finish(x, out);
}

static int statement_pdf(http_req_t *req, const json_t *st, str_t *out)
{
    json_t *m = json_object_get(st, "mediator");
    char title[400], eur[48];
    snprintf(title, sizeof title, "%s %s — %s %s", web_tr(req, "Statement"), jstr_or_empty((json_t *)st, "month"),
             jstr_or_empty(m, "given_name"), jstr_or_empty(m, "family_name"));
    pdfdoc_t *d = pdfdoc_new(web(req)->lang);
    if (!d) return -1;
    pdfdoc_info(d, title, "labimpact", web_tr(req, "On-call intercultural mediation"));
    pdfdoc_footer(d, title);
    pdfdoc_title(d, web_tr(req, "Monthly statement of on-call mediation"));
    char name[300];
    snprintf(name, sizeof name, "%s %s", jstr_or_empty(m, "given_name"), jstr_or_empty(m, "family_name"));
    pdfdoc_kv(d, web_tr(req, "Mediator"), name);
    pdfdoc_kv(d, web_tr(req, "District"), jstr_or_empty(m, "org"));
    pdfdoc_kv(d, web_tr(req, "Month"), jstr_or_empty((json_t *)st, "month"));
    pdfdoc_space(d, 8);
    /* Widths in points of the 495 of the page: dates, times and amounts on one line. */
    static const pdfdoc_col_t cols[] = {{NULL, 52, PDFDOC_START}, {NULL, 32, PDFDOC_START}, {NULL, 100, PDFDOC_START},
                                        {NULL, 38, PDFDOC_START}, {NULL, 46, PDFDOC_START}, {NULL, 38, PDFDOC_END},
                                        {NULL, 44, PDFDOC_END},   {NULL, 62, PDFDOC_END},   {NULL, 39, PDFDOC_END},
                                        {NULL, 44, PDFDOC_END}};
    pdfdoc_col_t c[10];
    const char *heads[] = {"Date", "Start", "Requesting body", "Language", "Kind", "Minutes", "Base", "Supplements",
                           "Travel", "Total"};
    for (int i = 0; i < 10; i++) {
        c[i] = cols[i];
        c[i].header = web_tr(req, heads[i]);
    }
    pdfdoc_table_font(d, 8.5);
    pdfdoc_table_begin(d, c, 10);
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(st, "lines"), i, l) {
        char mins[16], b[32], s[32], t[32], tot[32];
        snprintf(mins, sizeof mins, "%lld", jint(l, "billable_minutes"));
        med_euro(jint(l, "base_cents"), b, sizeof b);
        med_euro(jint(l, "supplement_cents"), s, sizeof s);
        med_euro(jint(l, "travel_cents"), t, sizeof t);
        med_euro(jint(l, "total_cents"), tot, sizeof tot);
        const char *kind = strcmp(jstr_or_empty(l, "kind"), "done") == 0 ? web_tr(req, "done") : web_tr(req, "late cancellation");
        const char *row[] = {jstr_or_empty(l, "date"), jstr_or_empty(l, "start"), jstr_or_empty(l, "body"), jstr_or_empty(l, "language"), kind, mins, b, s, t, tot};
        pdfdoc_table_row(d, row);
    }
    char mins[16], b[32], s[32], t[32];
    snprintf(mins, sizeof mins, "%lld", jint((json_t *)st, "billable_minutes"));
    med_euro(jint((json_t *)st, "base_cents"), b, sizeof b);
    med_euro(jint((json_t *)st, "supplement_cents"), s, sizeof s);
    med_euro(jint((json_t *)st, "travel_cents"), t, sizeof t);
    med_euro(jint((json_t *)st, "total_cents"), eur, sizeof eur);
    const char *total[] = {web_tr(req, "Total"), NULL, NULL, NULL, NULL, mins, b, s, t, eur};
    pdfdoc_table_total(d, total);
    pdfdoc_table_end(d);
    const char *src = jstr_or_empty((json_t *)st, "tariff_source");
    if (*src) {
        char note[400];
        snprintf(note, sizeof note, "%s: %s", web_tr(req, "Tariffs"), src);
        pdfdoc_note(d, note);
    }
    return pdfdoc_render(d, out);
}

/* The format asked: ?format=, else the Accept header; "json" by default. */
int medweb_statement(http_req_t *req, http_res_t *res, int64_t mediator_id, const char *month, const char *format)
{
    web_t *w = web(req);
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0 &&
        strcmp(format, "pdf") != 0)
        return web_fail(req, 422, "invalid", "format", "The format is json, csv, xlsx or pdf.");
    json_t *st = NULL;
    med_ref_t ref = {0, 0};
    int rc = med_statement(&w->scope, w->db, mediator_id, month, &st, &ref, &w->err);
    if (rc) return rc;
    bool summary = !json_object_get(st, "mediator");
    if ((rc = medweb_audit(req, "mediation.statement.read", summary ? "mediation_summary" : "mediator", &ref, format))) {
        json_decref(st);
        return rc;
    }
    if (strcmp(format, "json") == 0 || summary) {
        if (summary && strcmp(format, "json") != 0) {
            json_decref(st);
            return web_fail(req, 422, "invalid", "mediator_id", "Exports are per mediator: give mediator_id.");
        }
        return web_json(req, res, 200, st);
    }
    char fname[128];
    snprintf(fname, sizeof fname, "statement-%s-%lld.%s", month,
             (long long)json_integer_value(json_object_get(json_object_get(st, "mediator"), "id")), format);
    str_reset(&res->body);
    if (strcmp(format, "csv") == 0) {
        statement_csv(st, &res->body);
        res->content_type = "text/csv; charset=utf-8";
    } else if (strcmp(format, "xlsx") == 0) {
        rc = statement_xlsx(req, st, &res->body);
        res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    } else {
        rc = statement_pdf(req, st, &res->body);
        res->content_type = "application/pdf";
    }
    json_decref(st);
    return web_download(req, res, rc, NULL, fname);
}

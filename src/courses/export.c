/* export.c — the files of courses: the attendance register as CPIA keep it
 * (a row per learner, a column per session) in CSV, XLSX and PDF, and the
 * certificate PDF with its verification code and QR code (libqrencode)
 * pointing to /verify/{code}. Reading either is audited under the course's
 * organisation. */
#include "web.h"
#include "app/settings.h"
#include "app/server.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/pdfdoc.h"
#include "core/xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SESSIONS_PER_TABLE 12

/* The register letter of a mark (Italian, as the paper registers): P, R, G, A; "" for none. */
static const char *mark_letter(const json_t *status)
{
    const char *s = json_string_value(status);
    if (!s) return "";
    return strcmp(s, "present") == 0 ? "P" : strcmp(s, "late") == 0 ? "R" : strcmp(s, "excused") == 0 ? "G" : "A";
}

/* "Family Given" of a learner object into out. */
static void learner_name(const json_t *l, char *out, size_t len)
{
    snprintf(out, len, "%s %s", jstr_or_empty(l, "family_name"), jstr_or_empty(l, "given_name"));
}

static void register_csv(const json_t *reg, str_t *out)
{
    json_t *sessions = json_object_get(reg, "sessions"), *l, *s;
    size_t i, k, n = json_array_size(sessions) + 3;
    const char **row = calloc(n, sizeof *row);
    char (*cells)[32] = calloc(n, sizeof *cells);
    str_adds(out, "\xEF\xBB\xBF"); /* spreadsheets read UTF-8 with a byte order mark */
    row[0] = "learner";
    row[1] = "status";
    json_array_foreach(sessions, k, s) {
        snprintf(cells[k + 2], sizeof cells[0], "%s %s", jstr_or_empty(s, "date"), jstr_or_empty(s, "start"));
        row[k + 2] = cells[k + 2];
    }
    row[n - 1] = "attendance_pct";
    csv_add_row(out, row, n, ',', 0);
    json_array_foreach(json_object_get(reg, "learners"), i, l) {
        char name[260];
        learner_name(l, name, sizeof name);
        row[0] = name;
        row[1] = jstr_or_empty(l, "status");
        json_t *marks = json_object_get(l, "marks");
        for (k = 0; k + 3 <= n - 1; k++) row[k + 2] = json_string_value(json_array_get(marks, k));
        snprintf(cells[n - 1], sizeof cells[0], "%.1f", json_number_value(json_object_get(l, "attendance_pct")));
        row[n - 1] = cells[n - 1];
        csv_add_row(out, row, n, ',', 0);
    }
    free(cells);
    free(row);
}

static int register_xlsx(http_req_t *req, const json_t *reg, str_t *out)
{
    xlsx_t *x = xlsx_new();
    if (!x) return -1;
    json_t *sessions = json_object_get(reg, "sessions"), *l, *s;
    size_t i, k, ns = json_array_size(sessions);
    const char **head = calloc(ns + 3, sizeof *head);
    char (*when)[32] = calloc(ns ? ns : 1, sizeof *when);
    head[0] = web_tr(req, "Learner");
    head[1] = web_tr(req, "Status");
    json_array_foreach(sessions, k, s) {
        /* date and time, as the CSV: two sessions on one day stay apart */
        snprintf(when[k], sizeof when[0], "%s %s", jstr_or_empty(s, "date"), jstr_or_empty(s, "start"));
        head[k + 2] = when[k];
    }
    head[ns + 2] = web_tr(req, "Attendance %");
    int rc = xlsx_sheet(x, web_tr(req, "Register")) || xlsx_header(x, head, ns + 3);
    json_array_foreach(json_object_get(reg, "learners"), i, l) {
        if (rc) break;
        char name[260];
        learner_name(l, name, sizeof name);
        rc = xlsx_text(x, 0, name) || xlsx_text(x, 1, jstr_or_empty(l, "status"));
        for (k = 0; k < ns && !rc; k++) rc = xlsx_text(x, k + 2, mark_letter(json_array_get(json_object_get(l, "marks"), k)));
        if (!rc) rc = xlsx_number(x, ns + 2, json_number_value(json_object_get(l, "attendance_pct")));
        if (!rc) rc = xlsx_next_row(x); /* after the row: xlsx_header already moved below the titles */
    }
    free(when);
    free(head);
    if (rc) {
        xlsx_free(x);
        return -1;
    }
    return xlsx_finish(x, out) ? -1 : 0;
}

/* One table of the PDF register: sessions [from, to) of every learner. */
static void register_pdf_part(http_req_t *req, pdfdoc_t *d, const json_t *reg, size_t from, size_t to)
{
    pdfdoc_col_t cols[PDFDOC_MAX_COLS];
    char heads[SESSIONS_PER_TABLE][8];
    json_t *sessions = json_object_get(reg, "sessions"), *l;
    size_t n = 0, i;
    cols[n++] = (pdfdoc_col_t){web_tr(req, "Learner"), 4.0, PDFDOC_START};
    for (size_t k = from; k < to; k++) {
        const char *date = jstr_or_empty(json_array_get(sessions, k), "date");
        snprintf(heads[k - from], sizeof heads[0], "%.2s/%.2s", strlen(date) == 10 ? date + 8 : "", strlen(date) == 10 ? date + 5 : "");
        cols[n++] = (pdfdoc_col_t){heads[k - from], 1.0, PDFDOC_CENTER};
    }
    cols[n++] = (pdfdoc_col_t){"%", 1.2, PDFDOC_END};
    pdfdoc_table_begin(d, cols, n);
    json_array_foreach(json_object_get(reg, "learners"), i, l) {
        const char *cells[PDFDOC_MAX_COLS];
        char name[260], pct[16];
        learner_name(l, name, sizeof name);
        snprintf(pct, sizeof pct, "%.0f", json_number_value(json_object_get(l, "attendance_pct")));
        size_t c = 0;
        cells[c++] = name;
        for (size_t k = from; k < to; k++) cells[c++] = mark_letter(json_array_get(json_object_get(l, "marks"), k));
        cells[c++] = pct;
        pdfdoc_table_row(d, cells);
    }
    pdfdoc_table_end(d);
}

static int register_pdf(http_req_t *req, const json_t *reg, str_t *out)
{
    const json_t *course = json_object_get(reg, "course");
    pdfdoc_t *d = pdfdoc_new(web(req)->lang);
    if (!d) return -1;
    pdfdoc_info(d, jstr_or_empty(course, "title"), "labimpact", web_tr(req, "Attendance register"));
    pdfdoc_footer(d, jstr_or_empty(course, "title"));
    pdfdoc_title(d, web_tr(req, "Attendance register"));
    pdfdoc_kv(d, web_tr(req, "Course"), jstr_or_empty(course, "title"));
    pdfdoc_kv(d, web_tr(req, "Organised by"), jstr_or_empty(course, "org_name"));
    pdfdoc_note(d, web_tr(req, "P present, R late, G excused, A absent."));
    size_t ns = json_array_size(json_object_get(reg, "sessions"));
    for (size_t from = 0; from < ns || from == 0; from += SESSIONS_PER_TABLE) {
        size_t to = from + SESSIONS_PER_TABLE < ns ? from + SESSIONS_PER_TABLE : ns;
        pdfdoc_space(d, 8);
        register_pdf_part(req, d, reg, from, to);
        if (ns == 0) break;
    }
    return pdfdoc_render(d, out);
}

/* Puts a file into the response: 200 with its type and name. */
static void file_answer(http_req_t *req, http_res_t *res, const char *type, const char *name)
{
    res->status = 200;
    res->content_type = type;
    res->cache_control = "private, no-store";
    http_res_header(res, "Content-Disposition", arena_printf(req->arena, "attachment; filename=\"%s\"", name));
}

int crsweb_register_file(http_req_t *req, http_res_t *res, int64_t course_id, const char *format)
{
    web_t *w = web(req);
    if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0 && strcmp(format, "pdf") != 0)
        return web_fail(req, 422, "invalid", "format", "The format is csv, xlsx or pdf.");
    json_t *reg = NULL;
    crs_ref_t ref = {0, 0, 0};
    int rc = crs_register(&w->scope, w->db, course_id, &reg, &ref, &w->err);
    if (rc || (rc = crsweb_audit(req, "course.register.read", "course", &ref, format)))
        return crsweb_fail(req, rc, reg);
    str_reset(&res->body);
    if (strcmp(format, "csv") == 0) register_csv(reg, &res->body);
    else if (strcmp(format, "xlsx") == 0) rc = register_xlsx(req, reg, &res->body);
    else rc = register_pdf(req, reg, &res->body);
    json_decref(reg);
    if (rc) {
        str_reset(&res->body);
        return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    }
    static const char *const types[] = {"text/csv; charset=utf-8",
                                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                        "application/pdf"};
    file_answer(req, res, types[format[0] == 'c' ? 0 : format[0] == 'x' ? 1 : 2],
                arena_printf(req->arena, "register-%lld.%s", (long long)course_id, format));
    return 0;
}

/* The certificate's PDF into out, with the QR code of its /verify address. */
static int certificate_pdf(http_req_t *req, const crs_certificate_t *c, str_t *out)
{
    char name[260], dates[40], hours[64], pct[16], url[512];
    pdfdoc_t *d = pdfdoc_new(web(req)->lang);
    if (!d) return -1;
    snprintf(name, sizeof name, "%s %s", c->given_name, c->family_name);
    snprintf(dates, sizeof dates, "%s – %s", c->start_date, c->end_date);
    snprintf(hours, sizeof hours, "%lld / %lld", (long long)c->hours_attended, (long long)c->hours);
    snprintf(pct, sizeof pct, "%.0f%%", c->attendance_pct);
    snprintf(url, sizeof url, "%s/verify/%s", settings_public_url(), c->code);
    pdfdoc_info(d, web_tr(req, "Certificate of attendance"), "labimpact", c->course_title);
    pdfdoc_footer(d, web_tr(req, "Certificate of attendance"));
    pdfdoc_title(d, web_tr(req, "Certificate of attendance"));
    pdfdoc_kv(d, web_tr(req, "Name"), name);
    pdfdoc_kv(d, web_tr(req, "Course"), c->course_title);
    pdfdoc_kv(d, web_tr(req, "Organised by"), c->org_name);
    pdfdoc_kv(d, web_tr(req, "Dates"), dates);
    pdfdoc_kv(d, web_tr(req, "Hours attended"), hours);
    pdfdoc_kv(d, web_tr(req, "Attendance"), pct);
    pdfdoc_kv(d, web_tr(req, "Level reached"), *c->level ? c->level : "–");
    pdfdoc_kv(d, web_tr(req, "Issued on"), c->issued_on);
    pdfdoc_space(d, 12);
    pdfdoc_kv(d, web_tr(req, "Verification code"), c->code);
    pdfdoc_qr(d, url, 110);
    pdfdoc_note(d, url);
    return pdfdoc_render(d, out);
}

int crsweb_certificate(http_req_t *req, http_res_t *res, int64_t enrolment_id)
{
    web_t *w = web(req);
    crs_certificate_t cert;
    crs_ref_t ref = {0, 0, 0};
    int rc = crs_certificate_issue(&w->scope, w->db, enrolment_id, &cert, &ref, &w->err);
    if (rc) return web_store_fail(req, rc);
    if ((rc = crsweb_audit(req, "course.certificate", "course_enrolment", &ref, cert.code))) return rc;
    str_reset(&res->body);
    if (certificate_pdf(req, &cert, &res->body)) {
        str_reset(&res->body);
        return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    }
    file_answer(req, res, "application/pdf", arena_printf(req->arena, "certificate-%s.pdf", cert.code));
    return 0;
}

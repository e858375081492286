/* import.c — a coordinator imports an existing spreadsheet of persons and
 * consultations (CSV): one row per consultation, or per person when the
 * consultation columns are empty. A row's person is matched to an existing
 * record of the scope (same codice fiscale, or same phonetic names and birth
 * date) or created. Every row goes through the same validation as the API.
 *
 * All or nothing: rows are written inside the request's transaction; any
 * refused row rolls everything back and the answer lists every row's errors
 * (line, column, message). A dry run does the same work and always rolls
 * back, so its preview is exactly what the import would do. */
#include "app/server.h"
#include "core/csv.h"
#include "core/json.h"
#include "deskweb.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IMPORT_MAX_ROWS 20000
#define IMPORT_MAX_ERRORS 200

/* Column names (English, then Italian aliases) to the fields they fill. */
static const struct { const char *name, *field; } columns[] = {
    {"given_name", "given_name"}, {"nome", "given_name"},
    {"family_name", "family_name"}, {"cognome", "family_name"},
    {"sex", "sex"}, {"sesso", "sex"},
    {"birth_date", "birth_date"}, {"data_nascita", "birth_date"}, {"data di nascita", "birth_date"},
    {"citizenship", "citizenship"}, {"cittadinanza", "citizenship"},
    {"codice_fiscale", "codice_fiscale"}, {"codice fiscale", "codice_fiscale"}, {"cf", "codice_fiscale"},
    {"phone", "phone"}, {"telefono", "phone"},
    {"email", "email"}, {"e-mail", "email"},
    {"languages", "languages"}, {"lingue", "languages"},
    {"date", "date"}, {"data", "date"}, {"data_colloquio", "date"},
    {"channel", "channel"}, {"canale", "channel"},
    {"topics", "topics"}, {"temi", "topics"}, {"argomenti", "topics"},
    {"outcome", "outcome"}, {"esito", "outcome"},
    {"notes", "notes"}, {"note", "notes"},
    {"duration_minutes", "duration_minutes"}, {"durata", "duration_minutes"},
};

static const char *field_of(const char *header)
{
    char h[64];
    size_t n = 0;
    for (const char *p = header; *p && n + 1 < sizeof h; p++) h[n++] = (char)tolower((unsigned char)*p);
    while (n && h[n - 1] == ' ') n--;
    h[n] = '\0';
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
        if (strcmp(columns[i].name, h) == 0) return columns[i].field;
    return NULL;
}

/* "31/12/1990" -> "1990-12-31"; other text unchanged. */
static const char *iso_date(const char *s, char out[11])
{
    int d, m, y;
    char tail;
    if (sscanf(s, "%2d/%2d/%4d%c", &d, &m, &y, &tail) == 3) {
        snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
        return out;
    }
    return s;
}

/* Splits "ar fr", "ar|fr", "ar,fr" into a JSON array. */
static json_t *split_list(const char *s)
{
    json_t *arr = json_array();
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *sv = NULL, *t = strtok_r(buf, " |,;/", &sv); t; t = strtok_r(NULL, " |,;/", &sv)) json_array_append_new(arr, json_string(t));
    return arr;
}

static void add_error(json_t *errors, size_t line, const char *field, const char *message)
{
    if (json_array_size(errors) >= IMPORT_MAX_ERRORS) return;
    json_array_append_new(errors, json_pack("{s:I, s:o, s:o}", "line", (json_int_t)line, "field", json_text(field),
                                            "message", json_text(message)));
}

int desk_import_csv(http_req_t *req, desk_ctx_t *c, const char *data, size_t len, bool dry_run, json_t **report)
{
    web_t *w = web(req);
    csv_reader_t r;
    csv_reader_init(&r, data, len, 0);
    json_t *errors = json_array();
    const char *map[CSV_MAX_FIELDS];
    size_t ncols = 0, rows = 0, created = 0, matched = 0, consultations = 0;
    int rc = csv_read(&r);
    if (rc != 1) {
        add_error(errors, r.line, NULL, rc == 0 ? "The file is empty." : r.err);
        goto done;
    }
    ncols = csv_nfields(&r);
    bool has_given = false, has_family = false;
    for (size_t i = 0; i < ncols; i++) {
        map[i] = field_of(csv_field(&r, i));
        if (!map[i]) add_error(errors, 1, csv_field(&r, i), "Unknown column.");
        has_given = has_given || (map[i] && !strcmp(map[i], "given_name"));
        has_family = has_family || (map[i] && !strcmp(map[i], "family_name"));
    }
    if (!has_given || !has_family) add_error(errors, 1, NULL, "The file needs the columns given_name and family_name (nome, cognome).");
    if (json_array_size(errors)) goto done;
    while ((rc = csv_read(&r)) == 1) {
        size_t line = r.line;
        if (++rows > IMPORT_MAX_ROWS) {
            add_error(errors, line, NULL, "Too many rows: import at most 20000 at a time.");
            break;
        }
        bool valid = true;
        for (size_t i = 0; i < csv_nfields(&r); i++) valid = valid && utf8_valid(csv_field(&r, i), strlen(csv_field(&r, i)));
        if (!valid) {
            add_error(errors, line, NULL, "This row is not valid UTF-8: save the file as CSV UTF-8.");
            continue;
        }
        json_t *pb = json_object(), *cb = json_object();
        for (size_t i = 0; i < ncols && i < csv_nfields(&r); i++) {
            const char *v = csv_field(&r, i), *f = map[i];
            char iso[11];
            while (*v == ' ') v++;
            if (!*v) continue;
            if (!strcmp(f, "languages")) json_object_set_new(pb, f, split_list(v));
            else if (!strcmp(f, "topics")) json_object_set_new(cb, f, split_list(v));
            else if (!strcmp(f, "birth_date")) json_object_set_new(pb, f, json_text(iso_date(v, iso)));
            else if (!strcmp(f, "date")) json_object_set_new(cb, f, json_text(iso_date(v, iso)));
            else if (!strcmp(f, "duration_minutes")) json_object_set_new(cb, f, json_integer(atoi(v)));
            else if (!strcmp(f, "sex") || !strcmp(f, "channel") || !strcmp(f, "outcome")) {
                char low[32];
                size_t n = 0;
                for (; v[n] && n + 1 < sizeof low; n++) low[n] = (char)tolower((unsigned char)v[n]);
                low[n] = '\0';
                if (!strcmp(f, "sex") && (!strcmp(low, "d") || !strcmp(low, "donna"))) snprintf(low, sizeof low, "f");
                if (!strcmp(f, "sex") && (!strcmp(low, "u") || !strcmp(low, "uomo"))) snprintf(low, sizeof low, "m");
                json_object_set_new((!strcmp(f, "sex") ? pb : cb), f, json_text(low));
            } else if (!strcmp(f, "notes")) json_object_set_new(cb, f, json_text(v));
            else json_object_set_new(pb, f, json_text(v));
        }
        json_t *p = NULL, *dups = NULL;
        err_t e = {0};
        int64_t pid = 0, org = 0;
        if (desk_person_input(pb, true, &p, &e) != 0) {
            add_error(errors, line, e.field, web_tr(req, e.message));
        } else if ((rc = desk_person_duplicates(c, p, 0, &dups)) != 0) {
            json_decref(p);
            json_decref(pb);
            json_decref(cb);
            json_decref(errors);
            csv_reader_release(&r);
            return web_store_fail(req, rc);
        } else if (json_array_size(dups)) {
            pid = json_integer_value(json_object_get(json_array_get(dups, 0), "id"));
            matched++;
        } else if (desk_person_create(c, p, NULL, &pid, &org, &e) != 0) {
            add_error(errors, line, e.field, e.message ? web_tr(req, e.message) : "Something went wrong on our side.");
        } else {
            created++;
            if ((rc = desk_web_audit(req, c, "person.create", "person", pid, pid, org, "import"))) {
                json_decref(p);
                json_decref(dups);
                json_decref(pb);
                json_decref(cb);
                json_decref(errors);
                csv_reader_release(&r);
                return rc;
            }
        }
        json_decref(dups);
        json_decref(p);
        if (pid && json_object_size(cb)) {
            json_object_set_new(cb, "person_id", json_integer(pid));
            int64_t cid = 0, p2 = 0;
            memset(&e, 0, sizeof e);
            if (desk_consultation_create(c, cb, &cid, &p2, &org, &e) != 0)
                add_error(errors, line, e.field, e.message ? web_tr(req, e.message) : "Something went wrong on our side.");
            else {
                consultations++;
                if ((rc = desk_web_audit(req, c, "consultation.create", "consultation", cid, pid, org, "import"))) {
                    json_decref(pb);
                    json_decref(cb);
                    json_decref(errors);
                    csv_reader_release(&r);
                    return rc;
                }
            }
        }
        json_decref(pb);
        json_decref(cb);
    }
    if (rc < 0) add_error(errors, r.line, NULL, r.err);
done:
    csv_reader_release(&r);
    bool ok = json_array_size(errors) == 0;
    if (!ok || dry_run) w->tx_force = TX_ROLLBACK;
    *report = json_pack("{s:b, s:b, s:I, s:I, s:I, s:I, s:o}", "dry_run", dry_run, "imported", ok && !dry_run, "rows",
                        (json_int_t)rows, "persons_created", (json_int_t)created, "persons_matched", (json_int_t)matched,
                        "consultations", (json_int_t)consultations, "errors", errors);
    return 0;
}

/* POST /api/v1/desk/import[?dry_run=1], body text/csv. */
static int post_import(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_allowed(req, &c, true, CAP_DESK_IMPORT);
    if (rc) return rc;
    const char *ct = http_header(req, "Content-Type");
    if (!ct || strncasecmp(ct, "text/csv", 8) != 0)
        return web_fail(req, 415, "unsupported_media_type", NULL, "Send the file as text/csv.");
    const char *dr = http_query(req, "dry_run");
    bool dry = dr && (!strcmp(dr, "1") || !strcmp(dr, "true"));
    json_t *report = NULL;
    if ((rc = desk_import_csv(req, &c, req->body ? req->body : "", req->body_len, dry, &report))) return rc;
    bool ok = json_array_size(json_object_get(report, "errors")) == 0;
    if (!ok) {
        /* The errors are the answer; the transaction is rolled back. */
        json_t *err = json_pack("{s:s, s:s, s:s}", "code", "invalid_rows", "message",
                                web_tr(req, "Some rows are not valid: nothing was imported."), "request_id", req->request_id);
        json_object_set_new(err, "rows", json_incref(json_object_get(report, "errors")));
        json_object_set_new(report, "error", err);
        return web_json(req, res, 422, report);
    }
    return web_json(req, res, dry ? 200 : 201, report);
}
static const resource_t res_desk_import = {"/api/v1/desk/import", .post = post_import};

/* The import page: paste (or load with the file picker) a CSV, preview, import. */
static int render_import(http_req_t *req, http_res_t *res, int status, const char *csv, json_t *report)
{
    json_t *vm = json_pack("{s:o}", "csv", json_text(csv));
    if (report) json_object_set_new(vm, "report", report);
    return web_page(req, res, status, "desk/import", vm);
}

static int get_import_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_DESK_IMPORT, &w->err);
    return rc ? rc : render_import(req, res, 200, NULL, NULL);
}

static int post_import_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_allowed(req, &c, true, CAP_DESK_IMPORT);
    if (rc) return rc;
    const char *csv = http_form(req, "csv"), *action = http_form(req, "action");
    bool dry = !action || strcmp(action, "import") != 0;
    json_t *report = NULL;
    if (!csv) csv = "";
    if ((rc = desk_import_csv(req, &c, csv, strlen(csv), dry, &report))) return rc;
    bool ok = json_array_size(json_object_get(report, "errors")) == 0;
    json_object_set_new(report, "ok", json_boolean(ok));
    return render_import(req, res, ok ? 200 : 422, csv, report);
}
static const resource_t res_desk_import_page = {"/desk/import", .get = get_import_page, .post = post_import_page};

static const resource_t *const routes[] = {&res_desk_import, &res_desk_import_page};

ROUTE_TABLE(desk_import_routes, routes)

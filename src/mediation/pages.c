/* pages.c — the pages of on-call mediation (Bootstrap Italia, server
 * rendered): the coordinator's requests, request page with candidates and
 * the reasons others are excluded, the register of mediators, statements;
 * the mediator's own page; the requester's public form and confirmation.
 * Forms post back here; a failed form is shown again with its error and the
 * transaction rolled back. Templates in templates/mediation/. Calls only the
 * operations of mediation.h, and audits every page that shows personal data
 * (see "Audit" in mediation.h). */
#include "app/server.h"
#include "app/settings.h"
#include "core/ical.h"
#include "core/json.h"
#include "web.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Languages of Lombardy's main communities first (ISO 639-1; 639-3 where none). */
static const struct { const char *code, *name; } languages[] = {
    {"ar", "Arabic"},   {"sq", "Albanian"},  {"ro", "Romanian"},   {"ur", "Urdu"},      {"pa", "Punjabi"},
    {"zh", "Chinese"},  {"bn", "Bengali"},   {"es", "Spanish"},    {"uk", "Ukrainian"}, {"fr", "French"},
    {"en", "English"},  {"wo", "Wolof"},     {"ti", "Tigrinya"},   {"ru", "Russian"},   {"hi", "Hindi"},
    {"ta", "Tamil"},    {"si", "Sinhala"},   {"tl", "Tagalog"},    {"pt", "Portuguese"},{"fa", "Persian"},
    {"ps", "Pashto"},   {"tr", "Turkish"},   {"ku", "Kurdish"},    {"am", "Amharic"},   {"so", "Somali"},
    {"ha", "Hausa"},    {"yo", "Yoruba"},    {"ig", "Igbo"},       {"bm", "Bambara"},   {"ff", "Fula"},
    {"mk", "Macedonian"},{"sr", "Serbian"},  {"ml", "Malayalam"},  {"ber", "Berber"},   {"it", "Italian"},
};

static const char *lang_name(http_req_t *req, const char *code)
{
    for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++)
        if (code && strcmp(languages[i].code, code) == 0) return web_tr(req, languages[i].name);
    return code ? code : "";
}

static json_t *language_options(http_req_t *req, const char *selected)
{
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", languages[i].code, "name",
                                           web_tr(req, languages[i].name), "selected",
                                           selected && strcmp(selected, languages[i].code) == 0));
    return a;
}

static const char *const domain_codes[] = {"school", "health", "social", "legal"};
static const char *const domain_names[] = {"School", "Health", "Social services", "Legal"};

static const char *domain_name(http_req_t *req, const char *code)
{
    for (int i = 0; i < 4; i++)
        if (code && strcmp(code, domain_codes[i]) == 0) return web_tr(req, domain_names[i]);
    return code ? code : "";
}

static json_t *domain_options(http_req_t *req, const char *selected)
{
    json_t *a = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", domain_codes[i], "name",
                                           web_tr(req, domain_names[i]), "selected",
                                           selected && strcmp(selected, domain_codes[i]) == 0));
    return a;
}

static const char *status_name(http_req_t *req, const char *s)
{
    static const char *const codes[] = {"open", "offered", "assigned", "done", "cancelled"};
    static const char *const names[] = {"Open", "Offered", "Assigned", "Done", "Cancelled"};
    for (int i = 0; i < 5; i++)
        if (s && strcmp(s, codes[i]) == 0) return web_tr(req, names[i]);
    return s ? s : "";
}

static const char *reason_name(http_req_t *req, const char *r)
{
    static const char *const codes[] = {MED_R_INACTIVE, MED_R_DOMAIN, MED_R_AREA, MED_R_REMOTE, MED_R_UNAVAILABLE,
                                        MED_R_ABSENT, MED_R_BUSY, MED_R_DECLINED};
    static const char *const names[] = {"not active",
                                        "not qualified for this domain",
                                        "does not cover this area",
                                        "does not take remote work",
                                        "not available at that time",
                                        "away on those days",
                                        "already booked at that time",
                                        "declined this offer"};
    for (int i = 0; i < 8; i++)
        if (r && strcmp(r, codes[i]) == 0) return web_tr(req, names[i]);
    return r ? r : "";
}

/* Adds labels to a request object from the store for the pages. */
static void label_request(http_req_t *req, json_t *r)
{
    const char *start = json_string_value(json_object_get(r, "start"));
    const char *end = json_string_value(json_object_get(r, "end"));
    if (start && strlen(start) == 16) {
        json_object_set_new(r, "date", json_stringn(start, 10));
        json_object_set_new(r, "time", json_sprintf("%s–%s", start + 11, end && strlen(end) == 16 ? end + 11 : ""));
    }
    const char *st = json_string_value(json_object_get(r, "status"));
    json_object_set_new(r, "status_label", json_string(status_name(req, st)));
    json_object_set_new(r, "language_label", json_string(lang_name(req, json_string_value(json_object_get(r, "language")))));
    json_object_set_new(r, "domain_label", json_string(domain_name(req, json_string_value(json_object_get(r, "domain")))));
    json_object_set_new(r, "is_open", json_boolean(st && (strcmp(st, "open") == 0 || strcmp(st, "offered") == 0)));
    json_object_set_new(r, "is_assigned", json_boolean(st && strcmp(st, "assigned") == 0));
    json_object_set_new(r, "is_done", json_boolean(st && strcmp(st, "done") == 0));
    json_object_set_new(r, "is_cancelled", json_boolean(st && strcmp(st, "cancelled") == 0));
    json_t *pay = json_object_get(r, "pay");
    if (json_is_object(pay)) {
        const char *keys[] = {"base_cents", "supplement_cents", "travel_cents", "total_cents"};
        const char *labels[] = {"base", "supplement", "travel", "total"};
        for (int i = 0; i < 4; i++) {
            char b[48];
            med_euro(json_integer_value(json_object_get(pay, keys[i])), b, sizeof b);
            json_object_set_new(pay, labels[i], json_string(b));
        }
    }
    json_t *c = json_object_get(r, "cancel");
    if (json_is_object(c))
        json_object_set_new(c, "label", json_string(strcmp(json_string_value(json_object_get(c, "kind")), "late") == 0
                                                        ? web_tr(req, "late cancellation (billable)")
                                                        : web_tr(req, "void cancellation (nobody pays)")));
}

/* This month "YYYY-MM" in Rome, or the one asked when valid; and its neighbours. */
static void month_of(http_req_t *req, char month[24], char prev[24], char next[24])
{
    const char *q = http_query(req, "month");
    int64_t from, to;
    rome_tm_t t;
    if (q && med_month_range(q, &from, &to) == 0) snprintf(month, 24, "%.7s", q);
    else {
        rome_from_utc(db_now(), &t);
        snprintf(month, 24, "%04d-%02d", t.year % 10000, t.month % 100);
    }
    int y = atoi(month) % 10000, m = atoi(month + 5);
    if (m < 1 || m > 12) m = 1;
    snprintf(prev, 24, "%04d-%02d", (m == 1 ? y - 1 : y) % 10000, m == 1 ? 12 : m - 1);
    snprintf(next, 24, "%04d-%02d", (m == 12 ? y + 1 : y) % 10000, m == 12 ? 1 : m + 1);
}

static int need_manage(http_req_t *req)
{
    return scope_require(&web(req)->scope, CAP_MEDIATION_MANAGE, &web(req)->err);
}

/* ---- the coordinator's requests ------------------------------------------------------- */

static int get_requests_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    if (!scope_can(&w->scope, CAP_MEDIATION_MANAGE) && scope_can(&w->scope, CAP_MEDIATION_SELF))
        return web_redirect(req, res, "/mediation/me");
    int rc = need_manage(req);
    if (rc) return rc;
    char month[24], prev[24], next[24];
    month_of(req, month, prev, next);
    int64_t from, to;
    med_month_range(month, &from, &to);
    const char *status = http_query(req, "status");
    if (status && !*status) status = NULL;
    med_request_filter_t f = {.status = status, .from = from, .to = to, .limit = 2000, .by_start = true};
    json_t *items = json_array();
    if ((rc = med_request_list(&w->scope, w->db, &f, items, &w->err)) ||
        (rc = medweb_audit_list(req, "mediation.request.list", "mediation_request", json_array_size(items)))) {
        json_decref(items);
        return rc;
    }
    size_t i;
    json_t *r;
    json_array_foreach(items, i, r) label_request(req, r);
    json_t *statuses = json_array();
    static const char *const codes[] = {"open", "offered", "assigned", "done", "cancelled"};
    for (int k = 0; k < 5; k++)
        json_array_append_new(statuses, json_pack("{s:s, s:s, s:b}", "code", codes[k], "name", status_name(req, codes[k]),
                                                  "selected", status && strcmp(status, codes[k]) == 0));
    json_t *vm = json_pack("{s:o, s:s, s:s, s:s, s:o, s:I}", "requests", items, "month", month, "prev", prev, "next",
                           next, "statuses", statuses, "count", (json_int_t)json_array_size(items));
    if (http_query(req, "cancelled")) json_object_set_new(vm, "notice", json_string(web_tr(req, "The request was cancelled.")));
    return web_page(req, res, 200, "mediation/requests", vm);
}
static const resource_t res_mediation = {"/mediation", .get = get_requests_page};

static json_t *body_options(http_req_t *req, int64_t selected)
{
    json_t *items = json_array();
    err_t e;
    if (med_body_list(&web(req)->scope, web(req)->db, items, &e) != 0) return items;
    size_t i;
    json_t *b;
    json_array_foreach(items, i, b) {
        json_object_set_new(b, "selected", json_boolean(json_integer_value(json_object_get(b, "id")) == selected));
    }
    return items;
}

static int render_request_form(http_req_t *req, http_res_t *res, int status, json_t *form)
{
    json_t *vm = json_pack("{s:o, s:o, s:o, s:o}", "form", form, "languages",
                           language_options(req, json_string_value(json_object_get(form, "language"))), "domains",
                           domain_options(req, json_string_value(json_object_get(form, "domain"))), "bodies",
                           body_options(req, json_integer_value(json_object_get(form, "body_id"))));
    if (status >= 400) web_form_error(req, vm);
    return web_page(req, res, status, "mediation/request_form", vm);
}

static int get_request_new(http_req_t *req, http_res_t *res)
{
    int rc = need_manage(req);
    return rc ? rc : render_request_form(req, res, 200, json_pack("{s:i}", "minutes", 60));
}
static const resource_t res_mediation_requests_new = {"/mediation/requests/new", .get = get_request_new};

static const char *form(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    return v && *v ? v : NULL;
}

/* The integer form field `name`, or 0. */
static int64_t form_int(http_req_t *req, const char *name)
{
    return form(req, name) ? strtoll(form(req, name), NULL, 10) : 0;
}

/* The fields a request form has on both the coordinator's and the public page. */
static med_request_input_t request_form(http_req_t *req)
{
    return (med_request_input_t){
        .language = form(req, "language"),
        .domain = form(req, "domain"),
        .start = form(req, "start"),
        .minutes = form_int(req, "minutes"),
        .remote = form(req, "remote") != NULL,
        .place = form(req, "place"),
        .notes = form(req, "notes"),
        .requester_name = form(req, "requester_name"),
        .requester_email = form(req, "requester_email"),
        .requester_phone = form(req, "requester_phone"),
    };
}

/* Those fields as the form shows them again after an error. */
static json_t *request_form_again(const med_request_input_t *in)
{
    return json_pack("{s:o, s:o, s:o, s:I, s:b, s:o, s:o, s:o, s:o, s:o}", "language", json_text(in->language),
                     "domain", json_text(in->domain), "start", json_text(in->start), "minutes",
                     (json_int_t)in->minutes, "remote", in->remote, "place", json_text(in->place), "notes",
                     json_text(in->notes), "requester_name", json_text(in->requester_name), "requester_email",
                     json_text(in->requester_email), "requester_phone", json_text(in->requester_phone));
}

static int post_request_new(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = need_manage(req);
    if (rc) return rc;
    med_request_input_t in = request_form(req);
    in.area = form(req, "area");
    in.body_id = form_int(req, "body_id");
    in.body_name = form(req, "body_name");
    in.org = form(req, "org");
    med_ref_t ref = {0, 0};
    rc = med_request_create(&w->scope, w->db, &in, &ref, &w->err);
    if (!rc) rc = medweb_audit(req, "mediation.request.create", "mediation_request", &ref, NULL);
    if (!rc) rc = medweb_reminders(req);
    if (rc) {
        w->tx_force = TX_ROLLBACK;
        json_t *f = request_form_again(&in);
        json_object_set_new(f, "area", json_text(in.area));
        json_object_set_new(f, "body_id", json_integer(in.body_id));
        json_object_set_new(f, "body_name", json_text(in.body_name));
        return render_request_form(req, res, -rc, f);
    }
    return web_redirect(req, res, arena_printf(req->arena, "/mediation/requests/%lld?created=1", (long long)ref.id));
}
static const resource_t res_mediation_requests = {"/mediation/requests", .post = post_request_new};

/* ---- one request -------------------------------------------------------------------------- */

static int render_request(http_req_t *req, http_res_t *res, int status, int64_t id)
{
    web_t *w = web(req);
    json_t *r = NULL;
    med_ref_t ref = {0, 0};
    err_t e; /* what the page adds is shown when it can be read; w->err may hold the form's error */
    int rc = med_request_read(&w->scope, w->db, id, &r, &ref, &w->err);
    if (rc) return rc;
    label_request(req, r);
    bool manage = scope_can(&w->scope, CAP_MEDIATION_MANAGE);
    json_t *vm = json_pack("{s:o, s:b}", "request", r, "manage", manage);
    if (manage && json_is_true(json_object_get(r, "is_open"))) {
        json_t *c = NULL;
        med_ref_t cref;
        if (med_candidates(&w->scope, w->db, id, &c, &cref, &e) == 0) {
            size_t i, k;
            json_t *x, *reason;
            json_array_foreach(json_object_get(c, "excluded"), i, x) {
                json_t *labels = json_array();
                json_array_foreach(json_object_get(x, "reasons"), k, reason)
                    json_array_append_new(labels, json_string(reason_name(req, json_string_value(reason))));
                json_object_set_new(x, "reason_labels", labels);
            }
            json_object_set_new(c, "has_items", json_boolean(json_array_size(json_object_get(c, "items")) > 0));
            json_object_set_new(c, "has_excluded", json_boolean(json_array_size(json_object_get(c, "excluded")) > 0));
            json_object_set_new(vm, "candidates", c);
        }
    }
    json_t *offers = json_array();
    if (manage && med_offer_list(&w->scope, w->db, id, 0, NULL, offers, &e) == 0 && json_array_size(offers) > 0)
        json_object_set_new(vm, "offers", offers);
    else
        json_decref(offers);
    /* The booked mediator may close out their own job here too. */
    int64_t self = med_self_id(&w->scope, w->db);
    json_t *mm = json_object_get(r, "mediator");
    bool mine = self && json_is_object(mm) && json_integer_value(json_object_get(mm, "id")) == self;
    json_object_set_new(vm, "can_close", json_boolean(json_is_true(json_object_get(r, "is_assigned")) && (manage || mine)));
    if (http_query(req, "created")) json_object_set_new(vm, "notice", json_string(web_tr(req, "The request was recorded.")));
    if (http_query(req, "done")) json_object_set_new(vm, "notice", json_string(web_tr(req, "Saved.")));
    if (status >= 400) web_form_error(req, vm);
    if ((rc = medweb_audit(req, "mediation.request.read", "mediation_request", &ref, NULL))) {
        json_decref(vm);
        return rc;
    }
    return web_page(req, res, status, "mediation/request", vm);
}

static int get_request_page(http_req_t *req, http_res_t *res)
{
    int rc = medweb_require(req);
    return rc ? rc : render_request(req, res, 200, web_param_id(req, "id"));
}
static const resource_t res_mediation_requests_id = {"/mediation/requests/{id}", .get = get_request_page};

/* After a form action on request `id` (`ref` as the operation named it):
 * audited, back to the request page (or `back`), or the page again with
 * the error. */
static int after_action(http_req_t *req, http_res_t *res, int rc, int64_t id, const med_ref_t *ref, const char *action,
                        const char *back)
{
    web_t *w = web(req);
    if (!rc) rc = medweb_audit(req, action, "mediation_request", ref, NULL);
    if (!rc) rc = medweb_reminders(req);
    if (rc) {
        if (rc == -401 || rc == -403 || rc == -404) return rc;
        w->tx_force = TX_ROLLBACK;
        err_t saved = w->err;
        int status = -rc;
        w->err = saved;
        return render_request(req, res, status, id);
    }
    return web_redirect(req, res, back ? back : arena_printf(req->arena, "/mediation/requests/%lld?done=1", (long long)id));
}

static int post_assign_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    int64_t mid = form(req, "mediator_id") ? strtoll(form(req, "mediator_id"), NULL, 10) : 0;
    med_ref_t ref = {0, 0};
    int rc;
    if (form(req, "offer")) {
        json_t *ids = json_pack("[I]", (json_int_t)mid), *created = json_array();
        rc = med_offer(&w->scope, w->db, id, ids, true, created, &ref, &w->err);
        json_decref(ids);
        json_decref(created);
        return after_action(req, res, rc, id, &ref, "mediation.offer", NULL);
    }
    rc = med_assign(&w->scope, w->db, id, mid, form(req, "force") != NULL, &ref, &w->err);
    return after_action(req, res, rc, id, &ref, "mediation.assign", NULL);
}
static const resource_t res_mediation_requests_id_assign = {"/mediation/requests/{id}/assign", .post = post_assign_page};

static int post_offer_all_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    json_t *c = NULL, *ids = json_array(), *created = json_array();
    med_ref_t ref = {0, 0};
    int rc = med_candidates(&w->scope, w->db, id, &c, &ref, &w->err);
    if (!rc) {
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(c, "items"), i, x) {
            if (!json_is_string(json_object_get(x, "offer"))) json_array_append(ids, json_object_get(x, "id"));
        }
        rc = json_array_size(ids) ? med_offer(&w->scope, w->db, id, ids, form(req, "confirm") == NULL, created, &ref, &w->err)
                                  : web_fail(req, 422, "no_candidates", NULL, "There is no candidate to offer it to.");
    }
    json_decref(c);
    json_decref(ids);
    json_decref(created);
    return after_action(req, res, rc, id, &ref, "mediation.offer", NULL);
}
static const resource_t res_mediation_requests_id_offer_all = {"/mediation/requests/{id}/offer-all", .post = post_offer_all_page};

static int post_unassign_page(http_req_t *req, http_res_t *res)
{
    int64_t id = web_param_id(req, "id");
    med_ref_t ref = {0, 0};
    return after_action(req, res, med_unassign(&web(req)->scope, web(req)->db, id, &ref, &web(req)->err), id, &ref,
                        "mediation.unassign", NULL);
}
static const resource_t res_mediation_requests_id_unassign = {"/mediation/requests/{id}/unassign", .post = post_unassign_page};

static int post_close_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    const char *m = form(req, "minutes_worked"), *km = form(req, "travel_km");
    char *end = NULL;
    long long minutes = m ? strtoll(m, &end, 10) : -1;
    int rc = 0;
    if (!m || *end) rc = web_fail(req, 422, "required", "minutes_worked", "Minutes worked are from 0 to 720.");
    double travel = 0;
    if (!rc && km) {
        char buf[32];
        snprintf(buf, sizeof buf, "%s", km);
        for (char *p = buf; *p; p++)
            if (*p == ',') *p = '.';
        travel = strtod(buf, &end);
        if (*end || travel < 0 || travel > 500) rc = web_fail(req, 422, "out_of_range", "travel_km", "Travel is from 0 to 500 km.");
    }
    med_ref_t ref = {0, 0};
    if (!rc) rc = med_close(&w->scope, w->db, id, minutes, (int64_t)(travel * 10.0 + 0.5), &ref, &w->err);
    const char *back = form(req, "back");
    return after_action(req, res, rc, id, &ref, "mediation.close", back && strcmp(back, "me") == 0 ? "/mediation/me?closed=1" : NULL);
}
static const resource_t res_mediation_requests_id_close = {"/mediation/requests/{id}/close", .post = post_close_page};

static int post_cancel_page(http_req_t *req, http_res_t *res)
{
    int64_t id = web_param_id(req, "id");
    med_ref_t ref = {0, 0};
    int rc = med_cancel(&web(req)->scope, web(req)->db, id, form(req, "kind"), form(req, "reason"), &ref, &web(req)->err);
    return after_action(req, res, rc, id, &ref, "mediation.cancel", NULL);
}
static const resource_t res_mediation_requests_id_cancel = {"/mediation/requests/{id}/cancel", .post = post_cancel_page};

/* ---- the register --------------------------------------------------------------------------- */

static int render_register(http_req_t *req, http_res_t *res, int status, json_t *f)
{
    web_t *w = web(req);
    json_t *items = json_array();
    int rc = med_mediator_list(&w->scope, w->db, NULL, 0, 5000, items, &w->err);
    if (rc) {
        json_decref(items);
        json_decref(f);
        return rc;
    }
    size_t i, k;
    json_t *m, *x;
    json_array_foreach(items, i, m) {
        json_t *ln = json_array(), *dn = json_array();
        json_array_foreach(json_object_get(m, "languages"), k, x)
            json_array_append_new(ln, json_string(lang_name(req, json_string_value(x))));
        json_array_foreach(json_object_get(m, "domains"), k, x)
            json_array_append_new(dn, json_string(domain_name(req, json_string_value(x))));
        json_object_set_new(m, "language_labels", ln);
        json_object_set_new(m, "domain_labels", dn);
    }
    json_t *days = json_array();
    static const char *const dnames[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    for (int d = 0; d < 7; d++)
        json_array_append_new(days, json_pack("{s:i, s:s, s:b}", "n", d + 1, "name", web_tr(req, dnames[d]), "checked",
                                              json_is_true(json_object_get(f, "day_checked")) ? d < 5 : d < 5));
    size_t count = json_array_size(items);
    json_t *vm = json_pack("{s:o, s:o, s:o, s:o, s:I}", "mediators", items, "form", f, "domains",
                           domain_options(req, NULL), "days", days, "count", (json_int_t)json_array_size(items));
    if (status >= 400) web_form_error(req, vm);
    if (http_query(req, "created")) json_object_set_new(vm, "notice", json_string(web_tr(req, "The mediator was added to the register.")));
    if (status < 400 && (rc = medweb_audit_list(req, "mediator.list", "mediator", count))) {
        json_decref(vm);
        return rc;
    }
    return web_page(req, res, status, "mediation/mediators", vm);
}

static int get_register(http_req_t *req, http_res_t *res)
{
    int rc = need_manage(req);
    return rc ? rc : render_register(req, res, 200, json_object());
}

/* "a, b; c" -> ["a", "b", "c"] (trimmed, lowercased when `lower`). */
static json_t *split_list(const char *s, const char *seps, bool lower)
{
    json_t *a = json_array();
    if (!s) return a;
    char *copy = strdup(s), *save = NULL;
    for (char *t = strtok_r(copy, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
        while (*t == ' ' || *t == '\t' || *t == '\r') t++;
        size_t n = strlen(t);
        while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r')) t[--n] = '\0';
        if (lower)
            for (char *p = t; *p; p++)
                if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        if (*t) json_array_append_new(a, json_text(t));
    }
    free(copy);
    return a;
}

static int post_register(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = need_manage(req);
    if (rc) return rc;
    med_mediator_input_t in = {
        .given_name = form(req, "given_name"),
        .family_name = form(req, "family_name"),
        .email = form(req, "email"),
        .phone = form(req, "phone"),
        .username = form(req, "username"),
        .org = form(req, "org"),
        .remote = form(req, "remote") ? 1 : 0,
        .active = 1,
        .languages = split_list(form(req, "languages"), ",; ", true),
        .areas = split_list(form(req, "areas"), ",;", false),
        .qualifications = split_list(form(req, "qualifications"), "\n", false),
        .training = split_list(form(req, "training"), "\n", false),
        .domains = json_array(),
    };
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "domain_%s", domain_codes[i]);
        if (form(req, name)) json_array_append_new(in.domains, json_string(domain_codes[i]));
    }
    const char *af = form(req, "avail_from"), *at = form(req, "avail_to");
    in.availability = json_array();
    if (af && at)
        for (int d = 1; d <= 7; d++) {
            char name[16];
            snprintf(name, sizeof name, "day_%d", d);
            if (form(req, name))
                json_array_append_new(in.availability, json_pack("{s:i, s:s, s:s}", "weekday", d, "from", af, "to", at));
        }
    if (json_array_size(in.availability) == 0) {
        json_decref(in.availability);
        in.availability = NULL;
    }
    med_ref_t ref = {0, 0};
    if (json_array_size(in.languages) > MED_MAX_LIST || json_array_size(in.areas) > MED_MAX_LIST)
        rc = web_fail(req, 422, "invalid", "languages", "This must be a list of texts (at most 32).");
    else rc = med_mediator_create(&w->scope, w->db, &in, &ref, &w->err);
    if (!rc) rc = medweb_audit(req, "mediator.create", "mediator", &ref, NULL);
    json_decref(in.languages);
    json_decref(in.areas);
    json_decref(in.qualifications);
    json_decref(in.training);
    json_decref(in.domains);
    json_decref(in.availability);
    if (rc) {
        w->tx_force = TX_ROLLBACK;
        json_t *f = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "given_name", json_text(in.given_name),
                              "family_name", json_text(in.family_name), "email", json_text(in.email), "phone",
                              json_text(in.phone), "username", json_text(in.username), "languages",
                              json_text(form(req, "languages")), "areas", json_text(form(req, "areas")),
                              "qualifications", json_text(form(req, "qualifications")), "training",
                              json_text(form(req, "training")));
        return render_register(req, res, -rc, f);
    }
    return web_redirect(req, res, "/mediation/mediators?created=1");
}
static const resource_t res_mediation_mediators = {"/mediation/mediators", .get = get_register, .post = post_register};

/* ---- statements ------------------------------------------------------------------------------- */

static void euro_fields(json_t *o, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char b[48], k[64];
        med_euro(json_integer_value(json_object_get(o, keys[i])), b, sizeof b);
        snprintf(k, sizeof k, "%.*s", (int)(strlen(keys[i]) - 6), keys[i]); /* "total_cents" -> "total" */
        json_object_set_new(o, k, json_string(b));
    }
}

static const char *const money_keys[] = {"base_cents", "supplement_cents", "travel_cents", "total_cents"};

static int get_statements_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = medweb_require(req);
    if (rc) return rc;
    char month[24], prev[24], next[24];
    month_of(req, month, prev, next);
    const char *m = http_query(req, "mediator_id");
    int64_t mid = m ? strtoll(m, NULL, 10) : 0;
    json_t *st = NULL;
    med_ref_t ref = {0, 0};
    if ((rc = med_statement(&w->scope, w->db, mid > 0 ? mid : 0, month, &st, &ref, &w->err))) return rc;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(st, "items"), i, x) euro_fields(x, money_keys + 3, 1);
    json_array_foreach(json_object_get(st, "lines"), i, x) {
        euro_fields(x, money_keys, 4);
        json_object_set_new(x, "kind_label", json_string(strcmp(json_string_value(json_object_get(x, "kind")), "done") == 0
                                                             ? web_tr(req, "done")
                                                             : web_tr(req, "late cancellation")));
        json_object_set_new(x, "language_label", json_string(lang_name(req, json_string_value(json_object_get(x, "language")))));
    }
    euro_fields(st, money_keys, json_object_get(st, "mediator") ? 4 : 0);
    if (!json_object_get(st, "mediator")) euro_fields(st, money_keys + 3, 1);
    json_object_set_new(st, "prev", json_string(prev));
    json_object_set_new(st, "next", json_string(next));
    json_object_set_new(st, "summary", json_boolean(!json_object_get(st, "mediator")));
    json_object_set_new(st, "has_lines", json_boolean(json_array_size(json_object_get(st, "lines")) > 0));
    if ((rc = medweb_audit(req, "mediation.statement.read", ref.id ? "mediator" : "mediation_summary", &ref, month))) {
        json_decref(st);
        return rc;
    }
    return web_page(req, res, 200, "mediation/statements", st);
}
static const resource_t res_mediation_statements = {"/mediation/statements", .get = get_statements_page};

/* ---- the mediator's own page ---------------------------------------------------------------------- */

/* The mediator's own offers and bookings (into `vm`), audited as one read
 * of their record. */
static int me_lists(http_req_t *req, int64_t self, int64_t now, json_t *vm)
{
    web_t *w = web(req);
    json_t *offers = json_array(), *upcoming = json_array(), *toclose = json_array(), *all = json_array();
    med_request_filter_t f = {.status = "assigned", .mediator_id = self, .limit = 500, .by_start = true};
    json_object_set_new(vm, "offers", offers);
    json_object_set_new(vm, "upcoming", upcoming);
    json_object_set_new(vm, "toclose", toclose);
    int rc = med_offer_list(&w->scope, w->db, 0, self, "open", offers, &w->err);
    if (!rc) rc = med_request_list(&w->scope, w->db, &f, all, &w->err);
    size_t i;
    json_t *x;
    json_array_foreach(offers, i, x) label_request(req, json_object_get(x, "request"));
    json_array_foreach(all, i, x) {
        label_request(req, x);
        int64_t start;
        rome_parse(jstr(x, "start"), &start);
        json_array_append(start <= now ? toclose : upcoming, x);
    }
    json_decref(all);
    return rc;
}

static int get_me(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_MEDIATION_SELF, &w->err);
    if (rc) return rc;
    int64_t self = med_self_id(&w->scope, w->db), now = db_now();
    json_t *vm = json_object(), *me = NULL;
    if (!self) {
        json_object_set_new(vm, "unlinked", json_true());
        return web_page(req, res, 200, "mediation/me", vm);
    }
    med_ref_t ref = {0, 0};
    if ((rc = med_mediator_read(&w->scope, w->db, self, &me, &ref, &w->err))) {
        json_decref(vm);
        return rc;
    }
    json_object_set_new(me, "calendar_url", json_sprintf("%s%s", settings_public_url(), jstr_or_empty(me, "calendar_url")));
    json_object_set_new(vm, "me", me);
    rc = me_lists(req, self, now, vm);
    char month[24], prev[24], next[24], detail[64];
    month_of(req, month, prev, next);
    json_t *st = NULL;
    med_ref_t sref;
    err_t e;
    if (!rc && med_statement(&w->scope, w->db, self, month, &st, &sref, &e) == 0) {
        euro_fields(st, money_keys + 3, 1);
        json_object_set_new(vm, "statement", st);
    }
    json_object_set_new(vm, "month", json_string(month));
    json_object_set_new(vm, "prev", json_string(prev));
    if (http_query(req, "closed")) json_object_set_new(vm, "notice", json_string(web_tr(req, "Saved.")));
    if (http_query(req, "accepted")) json_object_set_new(vm, "notice", json_string(web_tr(req, "You accepted the offer.")));
    if (http_query(req, "error")) json_object_set_new(vm, "error", json_string(web_tr(req, "Someone else took this request first.")));
    snprintf(detail, sizeof detail, "%zu offers, %zu bookings",
             json_array_size(json_object_get(vm, "offers")),
             json_array_size(json_object_get(vm, "upcoming")) + json_array_size(json_object_get(vm, "toclose")));
    if (rc || (rc = medweb_audit(req, "mediation.me.read", "mediator", &ref, detail))) {
        json_decref(vm);
        return rc;
    }
    return web_page(req, res, 200, "mediation/me", vm);
}
static const resource_t res_mediation_me = {"/mediation/me", .get = get_me};

static int post_offer_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    bool accept = form(req, "accept") != NULL;
    int64_t rid;
    med_ref_t ref = {0, 0};
    int rc = med_offer_answer(&w->scope, w->db, web_param_id(req, "id"), accept, &rid, &ref, &w->err);
    if (!rc) rc = medweb_audit(req, accept ? "mediation.offer.accept" : "mediation.offer.decline", "mediation_offer", &ref, NULL);
    if (rc == -409 || rc == -422) {
        w->tx_force = TX_ROLLBACK;
        return web_redirect(req, res, "/mediation/me?error=1");
    }
    if (rc) return rc;
    return web_redirect(req, res, accept ? "/mediation/me?accepted=1" : "/mediation/me");
}
static const resource_t res_mediation_offers_id = {"/mediation/offers/{id}", .post = post_offer_page};

/* ---- the requester's public pages ------------------------------------------------------------------ */

static int render_ask(http_req_t *req, http_res_t *res, int status, const char *body_name, json_t *f)
{
    json_t *vm = json_pack("{s:s, s:o, s:o, s:o, s:s, s:s}", "body_name", body_name, "form", f, "languages",
                           language_options(req, json_string_value(json_object_get(f, "language"))), "domains",
                           domain_options(req, json_string_value(json_object_get(f, "domain"))), "form_token",
                           web_form_token(req, res, "li_pub"), "token", http_param(req, "token"));
    if (status >= 400) web_form_error(req, vm);
    if (http_query(req, "sent")) json_object_set_new(vm, "sent", json_true());
    return web_page(req, res, status, "mediation/ask", vm);
}

static int get_ask(http_req_t *req, http_res_t *res)
{
    med_body_t body;
    int rc = med_ask_body(web(req)->db, http_param(req, "token"), &body, &web(req)->err);
    return rc ? rc : render_ask(req, res, 200, body.name, json_pack("{s:i}", "minutes", 60));
}

static int post_ask(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    med_body_t body;
    int rc = web_check_form_token(req, "li_pub");
    if (rc || (rc = med_ask_body(w->db, http_param(req, "token"), &body, &w->err))) return rc;
    med_request_input_t in = request_form(req);
    med_ref_t ref = {0, 0};
    rc = med_request_ask(&w->scope, w->db, &body, &in, &ref, &w->err);
    if (!rc) rc = medweb_audit(req, "mediation.request.ask", "mediation_request", &ref, NULL);
    if (rc) {
        w->tx_force = TX_ROLLBACK;
        return render_ask(req, res, -rc, body.name, request_form_again(&in));
    }
    return web_redirect(req, res, arena_printf(req->arena, "/mediation/ask/%s?sent=1", http_param(req, "token")));
}
static const resource_t res_mediation_ask_token = {"/mediation/ask/{token}", .get = get_ask, .post = post_ask, .flags = R_PUBLIC | R_NO_CSRF};

static int render_confirm(http_req_t *req, http_res_t *res, int status, const med_request_t *r, bool confirmed)
{
    char start[17];
    rome_format(r->start_at, start);
    json_t *vm = json_pack("{s:I, s:s, s:s, s:s, s:I, s:b, s:s, s:s}", "id", (json_int_t)r->id, "date", "", "language",
                           lang_name(req, r->language), "body", r->body_name, "minutes_worked",
                           (json_int_t)r->minutes_worked, "confirmed", confirmed, "form_token", web_form_token(req, res, "li_pub"),
                           "token", http_param(req, "token"));
    json_object_set_new(vm, "date", json_stringn(start, 10));
    json_object_set_new(vm, "time", json_string(start + 11));
    if (status >= 400) web_form_error(req, vm);
    return web_page(req, res, status, "mediation/confirm", vm);
}

static int get_confirm(http_req_t *req, http_res_t *res)
{
    med_request_t r;
    int rc = med_confirm_load(web(req)->db, http_param(req, "token"), &r, &web(req)->err);
    return rc ? rc : render_confirm(req, res, 200, &r, http_query(req, "thanks") != NULL);
}

static int post_confirm(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    med_request_t r;
    int rc = web_check_form_token(req, "li_pub");
    if (rc || (rc = med_confirm_load(w->db, http_param(req, "token"), &r, &w->err))) return rc;
    const char *rt = form(req, "rating");
    rc = med_confirm(w->db, &r, rt ? atoi(rt) : 0, &w->err);
    if (rc == -422) return render_confirm(req, res, 422, &r, false);
    med_ref_t ref = {r.id, r.org_id};
    if (rc || (rc = medweb_audit(req, "mediation.request.confirm", "mediation_request", &ref, NULL))) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/mediation/confirm/%s?thanks=1", http_param(req, "token")));
}
static const resource_t res_mediation_confirm_token = {"/mediation/confirm/{token}", .get = get_confirm, .post = post_confirm, .flags = R_PUBLIC | R_NO_CSRF};

static const resource_t *const page_routes[] = {&res_mediation, &res_mediation_requests_new,
    &res_mediation_requests, &res_mediation_requests_id, &res_mediation_requests_id_assign,
    &res_mediation_requests_id_offer_all, &res_mediation_requests_id_unassign, &res_mediation_requests_id_close,
    &res_mediation_requests_id_cancel, &res_mediation_mediators, &res_mediation_statements, &res_mediation_me,
    &res_mediation_offers_id, &res_mediation_ask_token, &res_mediation_confirm_token};

ROUTE_TABLE(medweb_page_routes, page_routes)

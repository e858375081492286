/* web_referral.c — the referrals a service of the directory receives (rule
 * D6): the API (/api/v1/incoming-referrals and its answer) and the page
 * /invii-ricevuti for the accounts of the receiving organisation. Every
 * referral shown is audited as a read of its person's data, under the
 * sending desk's organisation; every answer as a write. */
#include "web.h"
#include "app/server.h"
#include "core/arena.h"
#include "core/ical.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

/* Audits each referral of `items` as read (its person, the sending desk's
 * organisation) and drops the fields only the audit needed. */
static int audit_items(http_req_t *req, json_t *items, size_t shown)
{
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) {
        int rc = i < shown ? web_audit_id(req, "referral.incoming.read", "referral",
                                         json_integer_value(json_object_get(x, "id")),
                                         json_integer_value(json_object_get(x, "person_id")),
                                         json_integer_value(json_object_get(x, "from_org_id")), NULL)
                           : 0;
        if (rc) return rc;
        json_object_del(x, "person_id");
        json_object_del(x, "from_org_id");
    }
    return 0;
}

static int load_incoming(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    web_t *w = web(req);
    int rc = dir_referral_incoming(&w->scope, w->db, http_query(req, "status"), cursor, limit, items, &w->err);
    return rc ? rc : audit_items(req, items, (size_t)limit - 1); /* the row read ahead is not shown */
}

/* GET /api/v1/incoming-referrals?status=&limit=&cursor= */
static int get_incoming(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_REFERRAL_RECEIVE, 30, 100, load_incoming);
}
static const resource_t res_incoming_referrals = {"/api/v1/incoming-referrals", .get = get_incoming};

/* POST /api/v1/incoming-referrals/{id}/answer {"status", "note"} */
static int post_answer(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"status", "note", NULL};
    const char *status, *note;
    dir_ref_t ref = {0, 0};
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "status", true, 16, &status, &w->err)) &&
        !(rc = jin_str(body, "note", false, 1000, &note, &w->err)))
        rc = dir_referral_answer(&w->scope, w->db, web_param_id(req, "id"), status, note, &ref, &w->err);
    if (!rc && !(rc = dirweb_audit(req, "referral.answer", "referral", &ref)))
        rc = web_json(req, res, 200, json_pack("{s:I, s:s}", "id", (json_int_t)ref.id, "status", status));
    json_decref(body); /* status points into it */
    return rc;
}
static const resource_t res_incoming_referrals_id_answer = {"/api/v1/incoming-referrals/{id}/answer", .post = post_answer};

/* ---- the page ---------------------------------------------------------------------------- */

#define PAGE_SIZE 30

/* The label of a referral status. */
static const char *status_label(http_req_t *req, const char *s)
{
    static const char *const codes[] = {"sent", "accepted", "completed", "declined", "no_show"};
    static const char *const names[] = {"Waiting for an answer", "Accepted", "Completed", "Declined", "Did not come"};
    for (size_t i = 0; s && i < 5; i++)
        if (strcmp(codes[i], s) == 0) return web_tr(req, names[i]);
    return s ? s : "";
}

static int render_incoming(http_req_t *req, http_res_t *res, int status)
{
    web_t *w = web(req);
    json_t *items = json_array(), *x;
    err_t e;
    int rc = dir_referral_incoming(&w->scope, w->db, http_query(req, "status"), dirweb_page_cursor(req),
                                   PAGE_SIZE + 1, items, status >= 400 ? &e : &w->err);
    if (!rc) rc = audit_items(req, items, PAGE_SIZE);
    if (rc) {
        json_decref(items);
        return rc;
    }
    json_t *next = web_next_cursor(items, PAGE_SIZE);
    size_t i;
    json_array_foreach(items, i, x) {
        char b[17];
        rome_format(json_integer_value(json_object_get(x, "created_at")), b);
        json_object_set_new(x, "when", json_string(arena_printf(req->arena, "%.2s/%.2s/%.4s", b + 8, b + 5, b)));
        const char *st = jstr_or_empty(x, "status");
        json_object_set_new(x, "status_label", json_string(status_label(req, st)));
        json_object_set_new(x, "can_accept", json_boolean(strcmp(st, "sent") == 0));
        json_object_set_new(x, "can_complete", json_boolean(strcmp(st, "accepted") == 0));
        const char *lang = jstr(x, "preferred_language");
        const char *auto_name = lang ? dir_language_autonym(lang) : NULL;
        if (auto_name) json_object_set_new(x, "language_name", json_string(auto_name));
    }
    json_t *vm = json_pack("{s:o}", "referrals", items);
    if (json_is_string(next)) json_object_set_new(vm, "next_cursor", next);
    else json_decref(next);
    return dirweb_form_page(req, res, status, "directory/incoming", vm,
                            http_query(req, "answered") ? web_tr(req, "The answer was recorded and the desk told.") : NULL);
}

static int get_incoming_page(http_req_t *req, http_res_t *res)
{
    return dirweb_page_get(req, res, CAP_REFERRAL_RECEIVE, render_incoming);
}
static const resource_t res_invii_ricevuti = {"/invii-ricevuti", .get = get_incoming_page};

static int post_answer_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    dir_ref_t ref = {0, 0};
    const char *status = dirweb_form(req, "status"), *note = dirweb_form(req, "note");
    int rc = note && strlen(note) > 1000 ? err_set(&w->err, 422, "too_long", "note", "This text is too long.") : 0;
    if (!rc && !(rc = dir_referral_answer(&w->scope, w->db, web_param_id(req, "id"), status, note, &ref, &w->err)))
        rc = dirweb_audit(req, "referral.answer", "referral", &ref);
    if (rc == -422 || rc == -409) {
        w->tx_force = TX_ROLLBACK;
        return render_incoming(req, res, -rc);
    }
    return rc ? rc : web_redirect(req, res, "/invii-ricevuti?answered=1");
}
static const resource_t res_invii_ricevuti_id = {"/invii-ricevuti/{id}", .post = post_answer_page};

static const resource_t *const routes[] = {&res_incoming_referrals, &res_incoming_referrals_id_answer,
    &res_invii_ricevuti, &res_invii_ricevuti_id};

ROUTE_TABLE(dirweb_referral_routes, routes)

/* pages_channel.c — the pages of the channels between a district's Ufficio
 * di Piano and its associations (CAP_CHANNEL): the threads (calls for
 * co-design, announcements, questions and answers) with their messages,
 * e-mailed to the other side by the operations; and the support the
 * district records for an association (training, spaces, small grants,
 * promotion): its coordinators record it, the association reads its own.
 * Calls only directory.h; every read of a thread or of support is audited. */
#include "web.h"
#include "app/server.h"
#include "core/arena.h"
#include "core/ical.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS_PAGE 20

/* "02/12/2026 17:05" of an instant, Rome time. */
static const char *stamp_label(http_req_t *req, int64_t t)
{
    char b[17];
    rome_format(t, b);
    return arena_printf(req->arena, "%.2s/%.2s/%.4s %.5s", b + 8, b + 5, b, b + 11);
}

/* The label of a thread kind. */
static const char *kind_label(http_req_t *req, const char *kind)
{
    if (kind && strcmp(kind, "codesign") == 0) return web_tr(req, "Call for co-design");
    if (kind && strcmp(kind, "announcement") == 0) return web_tr(req, "Announcement");
    return web_tr(req, "Question");
}

/* The notice of a page shown after a message was posted (?sent), or NULL. */
static const char *sent_notice(http_req_t *req)
{
    return http_query(req, "sent") ? web_tr(req, "The message was posted and the other side told by e-mail.") : NULL;
}

/* The threads page: one page of threads from ?cursor=, and the form to
 * open one (a coordinator calls or announces; an association asks). */
static int render_threads(http_req_t *req, http_res_t *res, int status)
{
    web_t *w = web(req);
    json_t *items = json_array(), *t;
    err_t e;
    int rc = dir_thread_list(&w->scope, w->db, dirweb_page_cursor(req), THREADS_PAGE + 1, items,
                             status >= 400 ? &e : &w->err);
    if (rc) {
        json_decref(items);
        return status >= 400 ? -e.status : rc;
    }
    json_t *next = web_next_cursor(items, THREADS_PAGE);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", json_array_size(items));
    if ((rc = web_audit(req, "thread.list", "thread", NULL, 0, w->scope.org_id, detail))) {
        json_decref(items);
        json_decref(next);
        return rc;
    }
    size_t i;
    json_array_foreach(items, i, t) {
        json_object_set_new(t, "kind_label", json_string(kind_label(req, jstr(t, "kind"))));
        json_object_set_new(t, "when", json_string(stamp_label(req, json_integer_value(json_object_get(t, "updated_at")))));
    }
    bool district = scope_can(&w->scope, CAP_ASSOCIATION_REVIEW);
    json_t *vm = json_pack("{s:o, s:b, s:b}", "threads", items, "district", district, "association", !district);
    if (json_is_string(next)) json_object_set_new(vm, "next_cursor", next);
    else json_decref(next);
    if (status >= 400)
        json_object_set_new(vm, "form", json_pack("{s:o, s:o}", "title", json_text(dirweb_form(req, "title")), "body",
                                                  json_text(dirweb_form(req, "body"))));
    return dirweb_form_page(req, res, status, "directory/threads", vm, sent_notice(req));
}

static int get_threads(http_req_t *req, http_res_t *res)
{
    return dirweb_page_get(req, res, CAP_CHANNEL, render_threads);
}

static int post_threads(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    dir_thread_input_t in = {.kind = dirweb_form(req, "kind"), .title = dirweb_form(req, "title"),
                             .body = dirweb_form(req, "body")};
    dir_ref_t ref = {0, 0};
    int rc = scope_require(&w->scope, CAP_CHANNEL, &w->err);
    if (rc) return rc;
    if (!in.title || !in.body)
        rc = err_set(&w->err, 422, "required", in.title ? "body" : "title", "Give the title and the message.");
    else if (strlen(in.title) > DIR_NAME_MAX || strlen(in.body) > DIR_TEXT_MAX)
        rc = err_set(&w->err, 422, "too_long", strlen(in.title) > DIR_NAME_MAX ? "title" : "body", "This text is too long.");
    if (!rc && !(rc = dir_thread_create(&w->scope, w->db, &in, &ref, &w->err)))
        rc = dirweb_audit(req, "thread.create", "thread", &ref);
    if (rc == -422 || rc == -403) {
        w->tx_force = TX_ROLLBACK;
        if (rc == -403) return rc;
        return render_threads(req, res, 422);
    }
    if (rc) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/canali/%lld?sent=1", (long long)ref.id));
}
static const resource_t res_canali = {"/canali", .get = get_threads, .post = post_threads};

/* One thread with its messages and the reply form. */
static int render_thread(http_req_t *req, http_res_t *res, int status)
{
    web_t *w = web(req);
    json_t *t = NULL, *m;
    dir_ref_t ref = {0, 0};
    err_t e;
    int rc = dir_thread_read(&w->scope, w->db, web_param_id(req, "id"), &t, &ref, status >= 400 ? &e : &w->err);
    if (rc) return status >= 400 ? -e.status : rc;
    if ((rc = dirweb_audit(req, "thread.read", "thread", &ref))) {
        json_decref(t);
        return rc;
    }
    size_t i;
    json_array_foreach(json_object_get(t, "messages"), i, m)
        json_object_set_new(m, "when", json_string(stamp_label(req, json_integer_value(json_object_get(m, "created_at")))));
    json_object_set_new(t, "kind_label", json_string(kind_label(req, jstr(t, "kind"))));
    json_t *vm = json_pack("{s:o}", "thread", t);
    return dirweb_form_page(req, res, status, "directory/thread", vm, sent_notice(req));
}

static int get_thread(http_req_t *req, http_res_t *res)
{
    return dirweb_page_get(req, res, CAP_CHANNEL, render_thread);
}
static const resource_t res_canali_id = {"/canali/{id}", .get = get_thread};

static int post_message(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const char *body = dirweb_form(req, "body");
    dir_ref_t ref = {0, 0};
    int rc = scope_require(&w->scope, CAP_CHANNEL, &w->err);
    if (rc) return rc;
    if (!body) rc = err_set(&w->err, 422, "required", "body", "Write the message.");
    else if (strlen(body) > DIR_TEXT_MAX) rc = err_set(&w->err, 422, "too_long", "body", "This text is too long.");
    if (!rc && !(rc = dir_message_post(&w->scope, w->db, web_param_id(req, "id"), body, &ref, &w->err)))
        rc = dirweb_audit(req, "thread.message", "message", &ref);
    if (rc == -422) {
        w->tx_force = TX_ROLLBACK;
        return render_thread(req, res, 422);
    }
    if (rc) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/canali/%lld?sent=1#reply", (long long)web_param_id(req, "id")));
}
static const resource_t res_canali_id_messaggi = {"/canali/{id}/messaggi", .post = post_message};

/* ---- support to associations -------------------------------------------------------------- */

static const char *const support_kinds[] = {"training", "space", "grant", "promotion"};
static const char *const support_names[] = {"Training", "Space", "Small grant", "Promotion"};

/* The support page of association `id`: what was given, and (for its
 * district's coordinators) the form to record more. */
static int render_support(http_req_t *req, http_res_t *res, int status)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    json_t *items = json_array(), *a = NULL, *x;
    dir_ref_t ref = {0, 0}, aref;
    err_t e, *ep = status >= 400 ? &e : &w->err;
    int rc = dir_support_list(&w->scope, w->db, id, items, &ref, ep);
    if (!rc) rc = dir_association_read(&w->scope, w->db, id, &a, &aref, ep);
    if (!rc) rc = dirweb_audit(req, "support.list", "association", &ref);
    if (rc) {
        json_decref(items);
        json_decref(a);
        return status >= 400 && rc != -500 ? -e.status : rc;
    }
    size_t i;
    json_array_foreach(items, i, x) {
        for (size_t k = 0; k < 4; k++)
            if (strcmp(support_kinds[k], jstr_or_empty(x, "kind")) == 0)
                json_object_set_new(x, "kind_label", json_string(web_tr(req, support_names[k])));
        json_t *amount = json_object_get(x, "amount_cents");
        if (json_is_integer(amount))
            json_object_set_new(x, "amount", json_string(arena_printf(req->arena, "%lld,%02lld €",
                                                                      (long long)(json_integer_value(amount) / 100),
                                                                      (long long)(json_integer_value(amount) % 100))));
    }
    json_t *kinds = json_array();
    for (size_t k = 0; k < 4; k++)
        json_array_append_new(kinds, json_pack("{s:s, s:s}", "code", support_kinds[k], "name", web_tr(req, support_names[k])));
    json_t *vm = json_pack("{s:o, s:o, s:b, s:o}", "support", items, "association", a, "district",
                           scope_can(&w->scope, CAP_ASSOCIATION_REVIEW), "kinds", kinds);
    return dirweb_form_page(req, res, status, "directory/support", vm,
                            http_query(req, "saved") ? web_tr(req, "The support was recorded.") : NULL);
}

static int get_support(http_req_t *req, http_res_t *res)
{
    return dirweb_page_get(req, res, CAP_CHANNEL, render_support);
}

/* An amount in euro as typed ("150", "150,50", "150.5") in cents; -1 when
 * empty, -2 when not an amount. */
static int64_t euro_cents(const char *s)
{
    if (!s || !*s) return -1;
    char *end;
    long long whole = strtoll(s, &end, 10), cents = 0;
    if (end == s || whole < 0 || whole > 1000000000) return -2;
    if (*end == ',' || *end == '.') {
        const char *c = end + 1;
        if (!(c[0] >= '0' && c[0] <= '9') || (c[1] && !(c[1] >= '0' && c[1] <= '9')) || (c[1] && c[2])) return -2;
        cents = (c[0] - '0') * 10 + (c[1] ? c[1] - '0' : 0);
    } else if (*end) return -2;
    return whole * 100 + cents;
}

static int post_support(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t cents = euro_cents(dirweb_form(req, "amount"));
    const char *kind = dirweb_form(req, "kind"), *desc = dirweb_form(req, "description"), *date = dirweb_form(req, "date");
    dir_support_input_t in = {.association_id = web_param_id(req, "id"), .amount_cents = cents < 0 ? -1 : cents,
                              .kind = kind ? kind : "", .description = desc, .date = date ? date : ""};
    dir_ref_t ref = {0, 0};
    int rc = 0;
    if (cents == -2) rc = err_set(&w->err, 422, "invalid", "amount", "The amount is in euro, such as 150 or 150,50.");
    else if (!desc) rc = err_set(&w->err, 422, "required", "description", "Describe the support given.");
    else if (strlen(desc) > DIR_TEXT_MAX) rc = err_set(&w->err, 422, "too_long", "description", "This text is too long.");
    if (!rc && !(rc = dir_support_create(&w->scope, w->db, &in, &ref, &w->err)))
        rc = dirweb_audit(req, "support.create", "support", &ref);
    if (rc == -422) {
        w->tx_force = TX_ROLLBACK;
        return render_support(req, res, 422);
    }
    if (rc) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/associazioni/%lld/sostegno?saved=1", (long long)in.association_id));
}
static const resource_t res_associazioni_id_sostegno = {"/associazioni/{id}/sostegno", .get = get_support, .post = post_support};

/* The district's approved associations, each with the link to its support page. */
static int get_support_index(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_CHANNEL, &w->err);
    if (rc) return rc;
    if (!scope_can(&w->scope, CAP_ASSOCIATION_REVIEW)) {
        int64_t self = dir_association_self(&w->scope, w->db);
        if (!self) return web_not_found(req);
        return web_redirect(req, res, arena_printf(req->arena, "/associazioni/%lld/sostegno", (long long)self));
    }
    json_t *items = json_array();
    if ((rc = dir_association_queue(&w->scope, w->db, "approved", 0, 500, items, &w->err)) ||
        (rc = web_audit(req, "association.list", "association", NULL, 0, w->scope.org_id,
                        arena_printf(req->arena, "%zu records", json_array_size(items))))) {
        json_decref(items);
        return rc;
    }
    return web_page(req, res, 200, "directory/support_index", json_pack("{s:o}", "associations", items));
}
static const resource_t res_sostegno = {"/sostegno", .get = get_support_index};

static const resource_t *const channel_routes[] = {&res_canali, &res_canali_id, &res_canali_id_messaggi,
    &res_sostegno, &res_associazioni_id_sostegno};

ROUTE_TABLE(dirweb_channel_page_routes, channel_routes)

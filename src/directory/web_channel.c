/* web_channel.c — the JSON API of the channels between a district and its
 * associations (/api/v1/threads) and of the support it records
 * (/api/v1/support). Parses, calls directory.h, audits, answers. */
#include "web.h"
#include "app/server.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A page of the threads the scope sees (newest first; the cursor is the
 * last id shown), audited as one list read of the scope's organisation. */
static int load_threads(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    web_t *w = web(req);
    int rc = dir_thread_list(&w->scope, w->db, cursor, limit, items, &w->err);
    return rc ? rc : dirweb_audit_list(req, "thread.list", "thread", items, limit);
}

/* GET /api/v1/threads?limit=&cursor=: the district's coordinators and its associations. */
static int get_threads(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_CHANNEL, 30, 100, load_threads);
}

/* The answer to a creation whose operation returned rc: unless it failed,
 * audits `action` on the new record `ref` (of `kind`) and answers 201 {id}. */
static int created(http_req_t *req, http_res_t *res, int rc, const char *action, const char *kind,
                   const dir_ref_t *ref)
{
    if (rc || (rc = dirweb_audit(req, action, kind, ref))) return rc;
    return web_json(req, res, 201, json_pack("{s:I}", "id", (json_int_t)ref->id));
}

static int post_threads(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"kind", "title", "body", "org", NULL};
    dir_thread_input_t in = {0};
    dir_ref_t ref = {0, 0};
    err_t *e = &w->err;
    int rc;
    if (!(rc = jin_only(body, allowed, e)) && !(rc = jin_str(body, "kind", false, 16, &in.kind, e)) &&
        !(rc = jin_str(body, "title", true, DIR_NAME_MAX, &in.title, e)) &&
        !(rc = jin_str(body, "body", true, DIR_TEXT_MAX, &in.body, e)) && !(rc = jin_str(body, "org", false, 40, &in.org, e)))
        rc = dir_thread_create(&w->scope, w->db, &in, &ref, e);
    json_decref(body);
    return created(req, res, rc, "thread.create", "thread", &ref);
}
static const resource_t res_threads = {"/api/v1/threads", .get = get_threads, .post = post_threads};

static int get_thread(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *o = NULL;
    dir_ref_t ref = {0, 0};
    int rc = dir_thread_read(&w->scope, w->db, web_param_id(req, "id"), &o, &ref, &w->err);
    if (!rc && (rc = dirweb_audit(req, "thread.read", "thread", &ref))) json_decref(o);
    return rc ? rc : web_json(req, res, 200, o);
}
static const resource_t res_threads_id = {"/api/v1/threads/{id}", .get = get_thread};

static int post_message(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"body", NULL};
    const char *text;
    dir_ref_t ref = {0, 0};
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "body", true, DIR_TEXT_MAX, &text, &w->err)))
        rc = dir_message_post(&w->scope, w->db, web_param_id(req, "id"), text, &ref, &w->err);
    json_decref(body);
    return created(req, res, rc, "thread.message", "message", &ref);
}
static const resource_t res_threads_id_messages = {"/api/v1/threads/{id}/messages", .post = post_message};

static int post_support(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"association_id", "kind", "description", "amount_cents", "date", NULL};
    dir_support_input_t in = {.amount_cents = -1};
    dir_ref_t ref = {0, 0};
    err_t *e = &w->err;
    bool present;
    int rc;
    if (!(rc = jin_only(body, allowed, e)) &&
        !(rc = jin_int(body, "association_id", true, 1, INT64_MAX, &in.association_id, &present, e)) &&
        !(rc = jin_str(body, "kind", true, 16, &in.kind, e)) &&
        !(rc = jin_str(body, "description", true, DIR_TEXT_MAX, &in.description, e)) &&
        !(rc = jin_int(body, "amount_cents", false, 0, 100000000000, &in.amount_cents, &present, e)) &&
        !(rc = jin_str(body, "date", true, 10, &in.date, e))) {
        if (!present) in.amount_cents = -1;
        rc = dir_support_create(&w->scope, w->db, &in, &ref, e);
    }
    json_decref(body);
    return created(req, res, rc, "support.create", "support", &ref);
}

static int get_support(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const char *aid = http_query(req, "association_id");
    char *end;
    long long id = aid ? strtoll(aid, &end, 10) : 0;
    if (!aid || *end || id < 1) return web_fail(req, 422, "invalid", "association_id", "Give the association's id.");
    json_t *items = json_array();
    dir_ref_t ref = {0, 0};
    int rc = dir_support_list(&w->scope, w->db, id, items, &ref, &w->err);
    if (!rc) rc = dirweb_audit(req, "support.list", "association", &ref);
    if (rc) {
        json_decref(items);
        return rc;
    }
    return web_list(req, res, items, json_null());
}
static const resource_t res_support = {"/api/v1/support", .get = get_support, .post = post_support};

static const resource_t *const routes[] = {&res_threads, &res_threads_id, &res_threads_id_messages, &res_support};

ROUTE_TABLE(dirweb_channel_routes, routes)

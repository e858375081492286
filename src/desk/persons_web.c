/* persons_web.c — the persons API under /api/v1/persons (CONTRACT.md):
 * search, create, read, change, erase, export, access log, duplicates,
 * merge. */
#include "deskweb.h"
#include "app/audit.h"
#include "app/org.h"
#include "core/json.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_search(http_req_t *req, desk_ctx_t *c, const char *q, int64_t cursor, int limit, json_t *items)
{
    int rc = desk_person_search(c, q, cursor, limit, items);
    if (rc) return web_store_fail(req, rc);
    char detail[48];
    snprintf(detail, sizeof detail, "results=%zu%s", json_array_size(items), q && *q ? " query" : "");
    return desk_web_audit(req, c, "person.search", "person", 0, 0, c->scope.org_id, detail);
}

int desk_web_merge(http_req_t *req, desk_ctx_t *c, int64_t keep, int64_t gone)
{
    int64_t keep_org = 0, gone_org = 0;
    int rc = desk_person_merge(c, keep, gone, &keep_org, &gone_org, &web(req)->err);
    if (rc) return web_store_fail(req, rc);
    char detail[64];
    snprintf(detail, sizeof detail, "merged %lld into %lld", (long long)gone, (long long)keep);
    if ((rc = desk_web_audit(req, c, "person.merge", "person", gone, gone, gone_org, detail))) return rc;
    return desk_web_audit(req, c, "person.merge", "person", keep, keep, keep_org, detail);
}

/* Answers a search of `q` (at most 200 characters) with the list parameters
 * limit and cursor: GET ?q= and POST /search answer alike. */
static int answer_search(http_req_t *req, http_res_t *res, desk_ctx_t *c, const char *q, int limit, int64_t cursor)
{
    if (q && strlen(q) > 200) return web_fail(req, 422, "too_long", "q", "This field is too long.");
    json_t *items = json_array();
    int rc = desk_search(req, c, q, cursor, limit + 1, items);
    if (rc) {
        json_decref(items);
        return rc;
    }
    json_t *next = web_next_cursor(items, limit);
    return web_list(req, res, items, next);
}

static int get_persons(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int limit;
    int64_t cursor;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = web_list_params(req, 20, 100, &limit, &cursor))) return rc;
    return answer_search(req, res, &c, http_query(req, "q"), limit, cursor);
}

/* The cursor of a search body: the next_cursor text of a previous page (or
 * its number); 0 when absent, -422 as for GET when not a positive id. */
static int body_cursor(http_req_t *req, const json_t *v, int64_t *cursor)
{
    const char *s = json_string_value(v);
    char *end = NULL;
    *cursor = 0;
    if (!v || json_is_null(v) || (s && !*s)) return 0;
    long long n = json_is_integer(v) ? json_integer_value(v) : s ? strtoll(s, &end, 10) : 0;
    if ((end && *end) || n < 1) return web_fail(req, 422, "invalid", "cursor", "The cursor is not valid.");
    *cursor = n;
    return 0;
}

/* POST /api/v1/persons/search {q, cursor, limit}: GET /api/v1/persons?q=
 * without the query in the address (which logs and proxies keep). */
static int post_persons_search(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    json_t *body = NULL;
    static const char *const allowed[] = {"q", "cursor", "limit", NULL};
    const char *q;
    int64_t limit = 20, cursor;
    bool has;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = desk_web_body(req, &body))) return rc;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "q", false, SIZE_MAX, &q, &w->err)) &&
        !(rc = body_cursor(req, json_object_get(body, "cursor"), &cursor)))
        rc = jin_int(body, "limit", false, 1, 100, &limit, &has, &w->err)
                 ? web_fail(req, 422, "out_of_range", "limit", "The limit is out of range.")
                 : answer_search(req, res, &c, q, (int)limit, cursor);
    json_decref(body);
    return rc;
}
static const resource_t res_persons_search = {"/api/v1/persons/search", .post = post_persons_search, .flags = R_READS};

static int post_persons(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    json_t *body = NULL, *p = NULL, *dups = NULL, *out = NULL;
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = desk_web_body(req, &body))) return rc;
    desk_web_event_t ev = {.action = "person.create", .kind = "person"};
    if ((rc = desk_person_input(body, true, &p, &w->err)) || (rc = desk_person_duplicates(&c, p, 0, &dups)) ||
        (rc = desk_person_create(&c, p, jstr(p, "org"), &ev.obj, &ev.org_id, &w->err)) ||
        (rc = desk_person_get(&c, ev.obj, NULL, &out))) {
        rc = web_store_fail(req, rc);
    } else {
        ev.person_id = ev.obj;
        json_object_del(out, "org_path");
        json_object_set_new(out, "possible_duplicates", dups);
        dups = NULL;
        rc = desk_web_done(req, res, &c, 201, &ev, out);
    }
    json_decref(body);
    json_decref(p);
    json_decref(dups);
    return rc;
}
static const resource_t res_persons = {"/api/v1/persons", .get = get_persons, .post = post_persons};

static int get_person(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "person.read", .kind = "person"};
    json_t *p = NULL;
    int rc = desk_web_read(req, &c, false, "person", &ev, &p);
    if (!rc) json_object_del(p, "org_path");
    return rc ? rc : web_json(req, res, 200, p);
}

static int patch_person(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "person.update", .kind = "person"};
    json_t *body = NULL, *p = NULL;
    /* 404 before looking at the body: an out-of-scope id tells nothing. */
    int rc = desk_web_find(req, &c, true, "person", &ev, NULL);
    if (rc || (rc = desk_web_body(req, &body))) return rc;
    str_t changed = STR_INIT;
    if ((rc = desk_person_input(body, false, &p, &w->err)) ||
        (rc = desk_person_update(&c, ev.obj, p, &ev.org_id, &changed, &w->err))) {
        rc = web_store_fail(req, rc);
    } else {
        ev.detail = str_cstr(&changed);
        rc = desk_web_done_record(req, res, &c, 200, &ev, "person");
    }
    str_release(&changed);
    json_decref(body);
    json_decref(p);
    return rc;
}

int desk_web_erase(http_req_t *req, desk_ctx_t *c, bool confirmed, int64_t *id)
{
    web_t *w = web(req);
    desk_web_event_t ev = {.action = "person.erase", .kind = "person", .detail = "anonymised"};
    int rc = desk_web_find(req, c, true, "person", &ev, NULL);
    *id = ev.obj;
    if (rc || (rc = scope_require(&w->scope, CAP_GDPR_ERASE, &w->err))) return rc;
    if (!confirmed) return web_fail(req, 422, "required", "confirm", "Tick the box to confirm the erasure.");
    if ((rc = desk_person_erase(c, ev.obj, &ev.org_id, &w->err)) || (rc = desk_web_event(req, c, &ev)))
        return web_store_fail(req, rc);
    return 0;
}

static int delete_person(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t id;
    int rc = desk_web_erase(req, &c, true, &id);
    return rc ? rc : desk_web_done(req, res, &c, 204, NULL, NULL);
}
static const resource_t res_persons_id = {"/api/v1/persons/{id}", .get = get_person, .patch = patch_person, .del = delete_person};

static int get_person_export(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "person.export", .kind = "person", .detail = "json"};
    json_t *x = NULL;
    int rc = desk_web_find(req, &c, false, "person", &ev, NULL);
    if (rc) return rc;
    if ((rc = desk_person_export(&c, ev.obj, &x))) return web_store_fail(req, rc);
    char *cd = arena_printf(req->arena, "attachment; filename=\"person-%lld.json\"", (long long)ev.obj);
    if (http_query(req, "download")) http_res_header(res, "Content-Disposition", cd);
    return desk_web_done(req, res, &c, 200, &ev, x);
}
static const resource_t res_persons_id_export = {"/api/v1/persons/{id}/export", .get = get_person_export};

static int get_person_access_log(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "person.access_log", .kind = "person"};
    int rc = desk_web_find(req, &c, false, "person", &ev, NULL);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = desk_person_access_log(&c, ev.obj, 500, &ev.org_id, items))) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    return desk_web_done(req, res, &c, 200, &ev, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}
static const resource_t res_persons_id_access_log = {"/api/v1/persons/{id}/access-log", .get = get_person_access_log};

static int get_person_duplicates(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "person.duplicates", .kind = "person"};
    json_t *p = NULL, *dups = NULL;
    int rc = desk_web_find(req, &c, false, "person", &ev, &p);
    if (rc) return rc;
    rc = desk_person_duplicates(&c, p, ev.obj, &dups);
    json_decref(p);
    if (rc) return web_store_fail(req, rc);
    return desk_web_done(req, res, &c, 200, &ev, json_pack("{s:o}", "items", dups));
}
static const resource_t res_persons_id_duplicates = {"/api/v1/persons/{id}/duplicates", .get = get_person_duplicates};

static int post_person_merge(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    desk_web_event_t keep = {.kind = "person"};
    json_t *body = NULL;
    int64_t gone = 0;
    bool has;
    static const char *const allowed[] = {"other_id", NULL};
    int rc = desk_web_find(req, &c, true, "person", &keep, NULL);
    if (rc || (rc = desk_web_body(req, &body))) return rc;
    if (!(rc = scope_require(&w->scope, CAP_PERSON_MERGE, &w->err)) && !(rc = jin_only(body, allowed, &w->err)) &&
        !(rc = jin_int(body, "other_id", true, 1, INT64_MAX, &gone, &has, &w->err)) &&
        !(rc = desk_web_merge(req, &c, keep.obj, gone)))
        rc = desk_web_done_record(req, res, &c, 200, &keep, "person"); /* audited by the merge */
    json_decref(body);
    return rc;
}
static const resource_t res_persons_id_merge = {"/api/v1/persons/{id}/merge", .post = post_person_merge};

static const resource_t *const routes[] = {&res_persons, &res_persons_search, &res_persons_id,
    &res_persons_id_export, &res_persons_id_access_log, &res_persons_id_duplicates, &res_persons_id_merge};

ROUTE_TABLE(desk_person_api_routes, routes)

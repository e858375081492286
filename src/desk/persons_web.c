/* persons_web.c — the persons API under /api/v1/persons (CONTRACT.md):
 * search, create, read, change, erase, export, access log, duplicates,
 * merge. */
#include "deskweb.h"
#include "app/audit.h"
#include "app/org.h"
#include "core/json.h"
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

static int get_persons(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int limit;
    int64_t cursor;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = web_list_params(req, 20, 100, &limit, &cursor))) return rc;
    const char *q = http_query(req, "q");
    if (q && strlen(q) > 200) return web_fail(req, 422, "too_long", "q", "This field is too long.");
    json_t *items = json_array();
    if ((rc = desk_search(req, &c, q, cursor, limit + 1, items))) {
        json_decref(items);
        return rc;
    }
    json_t *next = web_next_cursor(items, limit);
    return web_list(req, res, items, next);
}

static int post_persons(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = web_body(req), *p = NULL, *dups = NULL, *out = NULL;
    if (!body) return -w->err.status;
    int64_t id, org_id;
    if ((rc = desk_person_input(body, true, &p, &w->err))) goto done;
    if ((rc = desk_person_duplicates(&c, p, 0, &dups))) goto fail;
    if ((rc = desk_person_create(&c, p, json_string_value(json_object_get(p, "org")), &id, &org_id, &w->err))) goto fail;
    if ((rc = desk_web_audit(req, &c, "person.create", "person", id, id, org_id, NULL))) goto done;
    if ((rc = desk_person_get(&c, id, NULL, &out))) goto fail;
    json_object_del(out, "org_path");
    json_object_set_new(out, "possible_duplicates", dups);
    dups = NULL;
    rc = web_json(req, res, 201, out);
    goto done;
fail:
    rc = web_store_fail(req, rc);
done:
    json_decref(body);
    json_decref(p);
    json_decref(dups);
    return rc;
}

static int get_person(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t id, org;
    json_t *p = NULL;
    int rc = desk_web_person(req, &c, false, &id, &org, &p);
    if (rc) return rc;
    json_object_del(p, "org_path");
    desk_web_event_t ev = {"person.read", "person", id, id, org, NULL};
    return desk_web_done(req, res, &c, 200, &ev, p);
}

static int patch_person(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), org_id = 0;
    json_t *probe = NULL;
    /* 404 before looking at the body: an out-of-scope id tells nothing. */
    rc = desk_person_get(&c, id, NULL, &probe);
    json_decref(probe);
    if (rc) return web_store_fail(req, rc);
    json_t *body = web_body(req), *p = NULL, *out = NULL;
    if (!body) return -w->err.status;
    str_t changed = STR_INIT;
    if ((rc = desk_person_input(body, false, &p, &w->err))) goto done;
    if ((rc = desk_person_update(&c, id, p, &org_id, &changed, &w->err))) {
        rc = web_store_fail(req, rc);
        goto done;
    }
    if ((rc = desk_web_audit(req, &c, "person.update", "person", id, id, org_id, str_cstr(&changed)))) goto done;
    if ((rc = desk_person_get(&c, id, NULL, &out))) {
        rc = web_store_fail(req, rc < 0 ? rc : DB_ERR);
        goto done;
    }
    json_object_del(out, "org_path");
    rc = web_json(req, res, 200, out);
done:
    str_release(&changed);
    json_decref(body);
    json_decref(p);
    return rc;
}

static int delete_person(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int64_t id, org;
    int rc = desk_web_person(req, &c, true, &id, &org, NULL);
    if (rc || (rc = scope_require(&w->scope, CAP_GDPR_ERASE, &w->err))) return rc;
    if ((rc = desk_person_erase(&c, id, &org, &w->err))) return web_store_fail(req, rc);
    desk_web_event_t ev = {"person.erase", "person", id, id, org, "anonymised"};
    return desk_web_done(req, res, &c, 204, &ev, NULL);
}

static int get_person_export(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t id, org;
    json_t *x = NULL;
    int rc = desk_web_person(req, &c, false, &id, &org, NULL);
    if (rc) return rc;
    if ((rc = desk_person_export(&c, id, &x))) return web_store_fail(req, rc);
    char *cd = arena_printf(req->arena, "attachment; filename=\"person-%lld.json\"", (long long)id);
    if (http_query(req, "download")) http_res_header(res, "Content-Disposition", cd);
    desk_web_event_t ev = {"person.export", "person", id, id, org, "json"};
    return desk_web_done(req, res, &c, 200, &ev, x);
}

static int get_person_access_log(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t id, org;
    int rc = desk_web_person(req, &c, false, &id, &org, NULL);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = desk_person_access_log(&c, id, 500, &org, items))) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    desk_web_event_t ev = {"person.access_log", "person", id, id, org, NULL};
    return desk_web_done(req, res, &c, 200, &ev, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static int get_person_duplicates(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t id, org;
    json_t *p = NULL, *dups = NULL;
    int rc = desk_web_person(req, &c, false, &id, &org, &p);
    if (rc) return rc;
    rc = desk_person_duplicates(&c, p, id, &dups);
    json_decref(p);
    if (rc) return web_store_fail(req, rc);
    desk_web_event_t ev = {"person.duplicates", "person", id, id, org, NULL};
    return desk_web_done(req, res, &c, 200, &ev, json_pack("{s:o}", "items", dups));
}

static int post_person_merge(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t keep = web_param_id(req, "id"), gone = 0;
    if ((rc = desk_person_get(&c, keep, NULL, NULL))) return web_store_fail(req, rc);
    json_t *body = web_body(req), *out = NULL;
    bool has;
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"other_id", NULL};
    if (!(rc = scope_require(&w->scope, CAP_PERSON_MERGE, &w->err)) && !(rc = jin_only(body, allowed, &w->err)) &&
        !(rc = jin_int(body, "other_id", true, 1, INT64_MAX, &gone, &has, &w->err)) &&
        !(rc = desk_web_merge(req, &c, keep, gone)) && (rc = desk_person_get(&c, keep, NULL, &out)))
        rc = web_store_fail(req, rc < 0 ? rc : DB_ERR);
    json_decref(body);
    if (rc) return rc;
    json_object_del(out, "org_path");
    return web_json(req, res, 200, out);
}

static const route_t routes[] = {
    {"GET", "/api/v1/persons", get_persons, 0},
    {"POST", "/api/v1/persons", post_persons, R_WRITE},
    {"GET", "/api/v1/persons/{id}", get_person, 0},
    {"PATCH", "/api/v1/persons/{id}", patch_person, R_WRITE},
    {"DELETE", "/api/v1/persons/{id}", delete_person, R_WRITE},
    {"GET", "/api/v1/persons/{id}/export", get_person_export, 0},
    {"GET", "/api/v1/persons/{id}/access-log", get_person_access_log, 0},
    {"GET", "/api/v1/persons/{id}/duplicates", get_person_duplicates, 0},
    {"POST", "/api/v1/persons/{id}/merge", post_person_merge, R_WRITE},
};

const route_t *desk_person_api_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

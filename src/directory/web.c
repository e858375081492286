/* web.c — the JSON API of the directory (CONTRACT.md "Participation and
 * directory"): associations under /api/v1/public/associations and
 * /api/v1/associations, events and their public .ics feed, services, and
 * the public HSDS 3.0 read API under /hsds/. Parses input, calls the
 * operations of directory.h, audits, answers; never SQL. */
#include "web.h"
#include "app/settings.h"
#include "app/server.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dirweb_audit(http_req_t *req, const char *action, const char *kind, const dir_ref_t *ref)
{
    return web_audit_id(req, action, kind, ref->id, 0, ref->org_id, NULL);
}

int dirweb_audit_list(http_req_t *req, const char *action, const char *kind, const json_t *items, int limit)
{
    char detail[32];
    size_t n = json_array_size(items);
    snprintf(detail, sizeof detail, "%zu records", n < (size_t)limit ? n : (size_t)limit - 1); /* one row read ahead */
    return web_audit(req, action, kind, NULL, 0, web(req)->scope.org_id, detail);
}

/* ---- associations --------------------------------------------------------------- */

/* Reads an association's fields; `create` requires name, email and org. */
static int association_input(json_t *body, bool create, dir_association_input_t *in, err_t *e)
{
    static const char *const allowed[] = {"name", "email", "description", "org", "legal_form", "runts", "phone",
                                          "website", "communities", "languages", "activities", NULL};
    memset(in, 0, sizeof *in);
    int rc;
    if ((rc = jin_only(body, allowed, e)) || (rc = jin_str(body, "name", create, DIR_NAME_MAX, &in->name, e)) ||
        (rc = jin_str(body, "email", create, 254, &in->email, e)) ||
        (rc = jin_str(body, "description", false, DIR_TEXT_MAX, &in->description, e)) ||
        (rc = jin_str(body, "org", create, 40, &in->org, e)) ||
        (rc = jin_str(body, "legal_form", false, 20, &in->legal_form, e)) ||
        (rc = jin_str(body, "runts", false, 20, &in->runts, e)) ||
        (rc = jin_str(body, "phone", false, 40, &in->phone, e)) ||
        (rc = jin_str(body, "website", false, 500, &in->website, e)) ||
        (rc = dir_strings(body, "communities", dir_country_ok, "Communities are ISO 3166 country codes such as MA.",
                          &in->communities, e)) ||
        (rc = dir_strings(body, "languages", dir_language_ok, "Languages are ISO 639 codes such as ar.",
                          &in->languages, e)) ||
        (rc = dir_strings(body, "activities", NULL, "Activities are a list of short texts.", &in->activities, e)))
        return rc;
    return 0;
}

/* Applies the request's body to association `id`, or (`create`) registers
 * a new one with its required fields given, and audits it; 0 with `ref`
 * set, or -status. */
static int association_write(http_req_t *req, bool create, int64_t id, dir_ref_t *ref)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    dir_association_input_t in;
    int rc = association_input(body, create, &in, &w->err);
    if (!rc)
        rc = create ? dir_association_register(w->db, &in, settings_public_url(), ref, &w->err)
                    : dir_association_update(&w->scope, w->db, id, &in, ref, &w->err);
    json_decref(body);
    return rc ? rc : dirweb_audit(req, create ? "association.register" : "association.update", "association", ref);
}

static int post_public_association(http_req_t *req, http_res_t *res)
{
    dir_ref_t ref = {0, 0};
    int rc = association_write(req, true, 0, &ref);
    return rc ? rc : web_json(req, res, 202, json_pack("{s:I, s:s}", "id", (json_int_t)ref.id, "status", "pending"));
}

static int get_public_associations(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int limit;
    int64_t cursor;
    int rc = web_list_params(req, 50, 200, &limit, &cursor);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = dir_association_public_list(w->db, http_query(req, "org"), cursor, limit + 1, items, &w->err))) {
        json_decref(items);
        return rc;
    }
    return web_list(req, res, items, web_next_cursor(items, limit));
}
static const resource_t res_public_associations = {"/api/v1/public/associations", .post = post_public_association, .get = get_public_associations, .flags = R_PUBLIC | R_NO_CSRF};

static int get_public_association(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *o = NULL;
    int rc = dir_association_public(w->db, web_param_id(req, "id"), &o, &w->err);
    return rc ? rc : web_json(req, res, 200, o);
}
static const resource_t res_public_associations_id = {"/api/v1/public/associations/{id}", .get = get_public_association, .flags = R_PUBLIC};

/* The reviewer's associations (?status=), audited as one list read. */
static int load_queue(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    web_t *w = web(req);
    int rc = dir_association_queue(&w->scope, w->db, http_query(req, "status"), cursor, limit, items, &w->err);
    return rc ? rc : dirweb_audit_list(req, "association.list", "association", items, limit);
}

static int get_associations(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_ASSOCIATION_REVIEW, 50, 200, load_queue);
}
static const resource_t res_associations = {"/api/v1/associations", .get = get_associations};

/* Answers association `id` as its district or itself sees it. */
static int association_answer(http_req_t *req, http_res_t *res, int64_t id, const char *read_action)
{
    web_t *w = web(req);
    json_t *o = NULL;
    dir_ref_t ref = {0, 0};
    int rc = dir_association_read(&w->scope, w->db, id, &o, &ref, &w->err);
    if (!rc && read_action) rc = dirweb_audit(req, read_action, "association", &ref);
    if (rc) {
        json_decref(o);
        return rc;
    }
    return web_json(req, res, 200, o);
}

static int get_association(http_req_t *req, http_res_t *res)
{
    return association_answer(req, res, web_param_id(req, "id"), "association.read");
}

static int patch_association(http_req_t *req, http_res_t *res)
{
    dir_ref_t ref = {0, 0};
    int64_t id = web_param_id(req, "id");
    int rc = association_write(req, false, id, &ref);
    return rc ? rc : association_answer(req, res, id, NULL);
}
static const resource_t res_associations_id = {"/api/v1/associations/{id}", .get = get_association, .patch = patch_association};

static int post_review(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_ASSOCIATION_REVIEW, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"decision", "reason", NULL};
    const char *decision, *reason;
    dir_ref_t ref = {0, 0};
    int64_t id = web_param_id(req, "id");
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "decision", true, 10, &decision, &w->err)) &&
        !(rc = jin_str(body, "reason", false, 2000, &reason, &w->err)))
        rc = dir_association_review(&w->scope, w->db, id, decision, reason, settings_public_url(), &ref, &w->err);
    if (!rc) rc = dirweb_audit(req, strcmp(decision, "approve") == 0 ? "association.approve" : "association.reject",
                               "association", &ref);
    json_decref(body);
    if (rc) return rc;
    web_public_changed(req);
    return association_answer(req, res, id, NULL);
}
static const resource_t res_associations_id_review = {"/api/v1/associations/{id}/review", .post = post_review};

/* ---- events ------------------------------------------------------------------------- */

static int post_events(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"title", "description", "start", "end", "place", "org", "association_id",
                                          "themes", "languages", "audience", "recurrence", NULL};
    dir_event_input_t in = {0};
    dir_ref_t ref = {0, 0};
    err_t *e = &w->err;
    bool present;
    int rc;
    if (!(rc = jin_only(body, allowed, e)) && !(rc = jin_str(body, "title", true, DIR_NAME_MAX, &in.title, e)) &&
        !(rc = jin_str(body, "description", false, DIR_TEXT_MAX, &in.description, e)) &&
        !(rc = jin_str(body, "start", true, 16, &in.start, e)) && !(rc = jin_str(body, "end", true, 16, &in.end, e)) &&
        !(rc = jin_str(body, "place", true, DIR_NAME_MAX, &in.place, e)) &&
        !(rc = jin_str(body, "org", false, 40, &in.org, e)) &&
        !(rc = jin_str(body, "audience", false, DIR_NAME_MAX, &in.audience, e)) &&
        !(rc = jin_int(body, "association_id", false, 1, INT64_MAX, &in.association_id, &present, e)) &&
        !(rc = dir_strings(body, "themes", NULL, "Themes: youth, women, asylum, culture, sport, language.", &in.themes,
                           e)) &&
        !(rc = dir_strings(body, "languages", dir_language_ok, "Languages are ISO 639 codes such as ar.",
                           &in.languages, e))) {
        in.recurrence = json_object_get(body, "recurrence");
        rc = dir_event_create(&w->scope, w->db, &in, &ref, e);
    }
    json_decref(body);
    if (rc || (rc = dirweb_audit(req, "event.create", "event", &ref))) return rc;
    web_public_changed(req);
    return web_json(req, res, 201, json_pack("{s:I}", "id", (json_int_t)ref.id));
}
static const resource_t res_events = {"/api/v1/events", .post = post_events};

static int get_public_events(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    int rc = dir_event_public_list(w->db, http_query(req, "org"), db_now() - 86400, 500, items, &w->err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    return web_list(req, res, items, json_null());
}
static const resource_t res_public_events = {"/api/v1/public/events", .get = get_public_events, .flags = R_PUBLIC};

static int get_events_ics(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = dir_event_ics(w->db, http_query(req, "org"), &res->body, &w->err);
    if (rc) {
        str_reset(&res->body);
        return rc;
    }
    res->status = 200;
    res->content_type = "text/calendar; charset=utf-8";
    res->cache_control = "public, max-age=300";
    return 0;
}
static const resource_t res_events_ics = {"/events.ics", .get = get_events_ics, .flags = R_PUBLIC};

/* ---- services ------------------------------------------------------------------------- */

/* Reads the address object of a service. */
static int address_input(json_t *body, dir_service_input_t *in, err_t *e)
{
    json_t *a = json_object_get(body, "address");
    static const char *const allowed[] = {"address_1", "city", "postal_code", NULL};
    if (!a || json_is_null(a)) return 0;
    if (!json_is_object(a)) return err_set(e, 422, "invalid", "address", "The address is {address_1, city, postal_code}.");
    int rc;
    if ((rc = jin_only(a, allowed, e)) || (rc = jin_str(a, "address_1", false, DIR_NAME_MAX, &in->address_1, e)) ||
        (rc = jin_str(a, "city", false, 100, &in->city, e)) ||
        (rc = jin_str(a, "postal_code", false, 10, &in->postal_code, e))) {
        char f[sizeof e->field];
        snprintf(f, sizeof f, "address.%.48s", e->field);
        memcpy(e->field, f, sizeof f);
        return rc;
    }
    return 0;
}

/* Reads a service's body (POST and PUT): every field checked for type and size. */
static int service_body(json_t *body, dir_service_input_t *in, err_t *e)
{
    static const char *const allowed[] = {"name", "description", "org", "languages", "email", "phone", "url",
                                          "address", "categories", "schedules", NULL};
    int rc;
    if ((rc = jin_only(body, allowed, e)) || (rc = jin_str(body, "name", true, DIR_NAME_MAX, &in->name, e)) ||
        (rc = jin_str(body, "description", false, DIR_TEXT_MAX, &in->description, e)) ||
        (rc = jin_str(body, "org", false, 40, &in->org, e)) || (rc = jin_str(body, "email", false, 254, &in->email, e)) ||
        (rc = jin_str(body, "phone", false, 40, &in->phone, e)) || (rc = jin_str(body, "url", false, 500, &in->url, e)) ||
        (rc = address_input(body, in, e)) ||
        (rc = dir_strings(body, "languages", dir_language_ok, "Languages are ISO 639 codes such as ar.", &in->languages,
                          e)) ||
        (rc = dir_strings(body, "categories", dir_category_ok, "Categories are codes of the directory's taxonomy.",
                          &in->categories, e)))
        return rc;
    in->schedules = json_object_get(body, "schedules");
    return 0;
}

/* Creates a service (`create`) or replaces every field of service `id`
 * from the request's body, audits it and marks the public pages changed;
 * 0 with `ref` set, or -status. */
static int service_write(http_req_t *req, bool create, int64_t id, dir_ref_t *ref)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_SERVICE_MANAGE, &rc);
    if (!body) return rc;
    dir_service_input_t in = {0};
    if (!(rc = service_body(body, &in, &w->err)))
        rc = create ? dir_service_create(&w->scope, w->db, &in, ref, &w->err)
                    : dir_service_update(&w->scope, w->db, id, &in, ref, &w->err);
    json_decref(body);
    if (rc || (rc = dirweb_audit(req, create ? "service.create" : "service.update", "service", ref))) return rc;
    web_public_changed(req);
    return 0;
}

static int post_services(http_req_t *req, http_res_t *res)
{
    dir_ref_t ref = {0, 0};
    int rc = service_write(req, true, 0, &ref);
    if (rc) return rc;
    char id[37];
    hsds_id(HSDS_SERVICE, ref.id, id);
    return web_json(req, res, 201, json_pack("{s:I, s:s}", "id", (json_int_t)ref.id, "hsds_id", id));
}
static const resource_t res_services = {"/api/v1/services", .post = post_services};

/* PUT /api/v1/services/{id}: every field replaced (the body of a creation). */
static int put_service(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *o = NULL;
    dir_ref_t ref = {0, 0};
    int rc = service_write(req, false, web_param_id(req, "id"), &ref);
    if (rc || (rc = dir_service_read(&w->scope, w->db, ref.id, &o, &ref, &w->err))) return rc;
    return web_json(req, res, 200, o);
}

/* GET /api/v1/services/{id}: the service as its editors see it. */
static int get_service(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *o = NULL;
    dir_ref_t ref = {0, 0};
    int rc = dir_service_read(&w->scope, w->db, web_param_id(req, "id"), &o, &ref, &w->err);
    return rc ? rc : web_json(req, res, 200, o);
}
static const resource_t res_services_id = {"/api/v1/services/{id}", .get = get_service, .put = put_service};

static int post_import(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc, imported = 0;
    json_t *body = web_body_as(req, CAP_SERVICE_MANAGE, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"org", "files", NULL};
    const char *org;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "org", false, 40, &org, &w->err)))
        rc = dir_import(&w->scope, w->db, org, json_object_get(body, "files"), &imported, &w->err);
    json_decref(body);
    char detail[32];
    snprintf(detail, sizeof detail, "%d services", imported);
    if (rc || (rc = web_audit(req, "service.import", "service", NULL, 0, w->scope.org_id, detail))) return rc;
    web_public_changed(req);
    return web_json(req, res, 201, json_pack("{s:i}", "imported", imported));
}
static const resource_t res_services_import = {"/api/v1/services/import", .post = post_import};

/* ---- HSDS ---------------------------------------------------------------------------- */

/* Reads ?page= (>= 1) and ?per_page= (1..100, default 25) and the filters. */
static int hsds_query(http_req_t *req, dir_hsds_query_t *q)
{
    memset(q, 0, sizeof *q);
    q->page = 1;
    q->per_page = 25;
    const char *p = http_query(req, "page"), *pp = http_query(req, "per_page"), *ma = http_query(req, "modified_after");
    char *end;
    if (p) {
        long v = strtol(p, &end, 10);
        if (!*p || *end || v < 1 || v > 1000000) return web_fail(req, 422, "invalid", "page", "The page is a number from 1.");
        q->page = (int)v;
    }
    if (pp) {
        long v = strtol(pp, &end, 10);
        if (!*pp || *end || v < 1 || v > 100)
            return web_fail(req, 422, "invalid", "per_page", "per_page is a number from 1 to 100.");
        q->per_page = (int)v;
    }
    if (ma) {
        int y, mo, d, h = 0, mi = 0, s = 0;
        char tail[8] = "";
        int n = sscanf(ma, "%4d-%2d-%2dT%2d:%2d:%2d%7s", &y, &mo, &d, &h, &mi, &s, tail);
        if ((n != 3 && n != 6 && n != 7) || (n == 3 && strlen(ma) != 10) || (n == 7 && strcmp(tail, "Z")) ||
            mo < 1 || mo > 12 || d < 1 || d > date_month_days(y, mo) || h > 23 || mi > 59 || s > 59)
            return web_fail(req, 422, "invalid", "modified_after", "modified_after is YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ.");
        q->modified_after = civil_to_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    }
    q->search = http_query(req, "search");
    q->language = http_query(req, "language");
    q->category = http_query(req, "taxonomy_term");
    q->city = http_query(req, "city");
    if (q->search && strlen(q->search) > 200) return web_fail(req, 422, "invalid", "search", "The search is too long.");
    return 0;
}

/* Answers an HSDS read: `out` (taken), or its error as contract JSON (the
 * /hsds/ paths lie outside /api/, whose errors the pipeline renders so). */
static int hsds_answer(http_req_t *req, http_res_t *res, int rc, json_t *out)
{
    if (!rc) return web_json(req, res, 200, out);
    err_t *e = &web(req)->err;
    json_t *err = json_pack("{s:s, s:s}", "code", e->code, "message", e->message);
    if (e->field[0]) json_object_set_new(err, "field", json_string(e->field));
    return web_json(req, res, e->status, json_pack("{s:o}", "error", err));
}

static int get_hsds_root(http_req_t *req, http_res_t *res)
{
    return web_json(req, res, 200, hsds_meta(settings_public_url()));
}
static const resource_t res_hsds = {"/hsds/", .get = get_hsds_root, .flags = R_PUBLIC};

/* A paginated HSDS read: the query of the request, then `list`. */
static int hsds_page(http_req_t *req, http_res_t *res,
                     int (*list)(db_t *db, const dir_hsds_query_t *q, json_t **out, err_t *e))
{
    dir_hsds_query_t q;
    json_t *out = NULL;
    int rc = hsds_query(req, &q);
    if (!rc) rc = list(web(req)->db, &q, &out, &web(req)->err);
    return hsds_answer(req, res, rc, out);
}

/* One HSDS record by the {id} of the path. */
static int hsds_one(http_req_t *req, http_res_t *res, int (*one)(db_t *db, const char *id, json_t **out, err_t *e))
{
    json_t *out = NULL;
    int rc = one(web(req)->db, http_param(req, "id"), &out, &web(req)->err);
    return hsds_answer(req, res, rc, out);
}

static int get_hsds_services(http_req_t *req, http_res_t *res)
{
    return hsds_page(req, res, hsds_services);
}
static const resource_t res_hsds_services = {"/hsds/services", .get = get_hsds_services, .flags = R_PUBLIC};

static int get_hsds_service(http_req_t *req, http_res_t *res)
{
    return hsds_one(req, res, hsds_service);
}
static const resource_t res_hsds_services_id = {"/hsds/services/{id}", .get = get_hsds_service, .flags = R_PUBLIC};

static int get_hsds_organizations(http_req_t *req, http_res_t *res)
{
    return hsds_page(req, res, hsds_organizations);
}
static const resource_t res_hsds_organizations = {"/hsds/organizations", .get = get_hsds_organizations, .flags = R_PUBLIC};

static int get_hsds_organization(http_req_t *req, http_res_t *res)
{
    return hsds_one(req, res, hsds_organization);
}
static const resource_t res_hsds_organizations_id = {"/hsds/organizations/{id}", .get = get_hsds_organization, .flags = R_PUBLIC};

static int get_hsds_taxonomies(http_req_t *req, http_res_t *res)
{
    return hsds_page(req, res, hsds_taxonomies);
}
static const resource_t res_hsds_taxonomies = {"/hsds/taxonomies", .get = get_hsds_taxonomies, .flags = R_PUBLIC};

static int get_datapackage(http_req_t *req, http_res_t *res)
{
    return web_json(req, res, 200, dir_datapackage(settings_public_url()));
}
static const resource_t res_hsds_datapackage_json = {"/hsds/datapackage.json", .get = get_datapackage, .flags = R_PUBLIC};

/* One CSV file of the data package: /hsds/{file} with file "<table>.csv". */
static int get_package_csv(http_req_t *req, http_res_t *res)
{
    const char *file = http_param(req, "file");
    size_t n = file ? strlen(file) : 0;
    char name[64];
    int rc;
    if (n < 5 || n > 60 || strcmp(file + n - 4, ".csv") != 0)
        rc = err_set(&web(req)->err, 404, "not_found", NULL, "Not found.");
    else {
        snprintf(name, sizeof name, "%.*s", (int)(n - 4), file);
        rc = dir_export_csv(web(req)->db, name, &res->body, &web(req)->err);
    }
    if (rc) {
        str_reset(&res->body);
        return hsds_answer(req, res, rc, NULL);
    }
    res->status = 200;
    res->content_type = "text/csv; charset=utf-8";
    http_res_header(res, "Content-Disposition", arena_printf(req->arena, "attachment; filename=\"%s\"", file));
    return 0;
}
static const resource_t res_hsds_file = {"/hsds/{file}", .get = get_package_csv, .flags = R_PUBLIC};

static const resource_t *const routes[] = {&res_public_associations, &res_public_associations_id, &res_associations,
    &res_associations_id, &res_associations_id_review, &res_events, &res_public_events, &res_events_ics,
    &res_services, &res_services_import, &res_services_id, &res_hsds, &res_hsds_services, &res_hsds_services_id,
    &res_hsds_organizations, &res_hsds_organizations_id, &res_hsds_taxonomies, &res_hsds_datapackage_json,
    &res_hsds_file};

ROUTE_TABLE(dirweb_api_routes, routes)

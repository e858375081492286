/* web.c — the JSON API of qualified information (CONTRACT.md "Qualified
 * information"): materials, translations, notices, the public notices and
 * the newsletter sign-up. Parses input, calls info.h, audits, answers.
 *
 * Audit: every write is one entry under the record's organisation (in the
 * request's transaction: all routes that write are R_WRITE). Materials and
 * notices hold no personal data, so their reads are not audited; a sign-up
 * is (the subscriber's id, never the address). */
#include "web.h"
#include "app/server.h"
#include "core/json.h"
#include <string.h>

/* Audits `action` on the record `ref` names. */
static int audit(http_req_t *req, const char *action, const char *kind, const info_ref_t *ref, const char *detail)
{
    return web_audit_id(req, action, kind, ref->id, 0, ref->org_id, detail);
}

int infoweb_list_answer(http_req_t *req, http_res_t *res, int rc, json_t *items)
{
    if (rc) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    return web_list(req, res, items, json_null());
}

/* Reads a material's fields from `body`; `create` for POST. */
static int material_input(json_t *body, bool create, info_material_input_t *in, err_t *e)
{
    static const char *const allowed[] = {"title", "body", "category", "org", "review_by", NULL};
    memset(in, 0, sizeof *in);
    int rc;
    if ((rc = jin_only(body, allowed, e)) || (rc = jin_str(body, "title", create, INFO_TITLE_MAX, &in->title, e)) ||
        (rc = jin_str(body, "body", create, INFO_BODY_MAX, &in->body, e)) ||
        (rc = jin_str(body, "category", create, 40, &in->category, e)) ||
        (rc = jin_str(body, "org", false, 64, &in->org, e)) ||
        (rc = jin_str(body, "review_by", false, 10, &in->review_by, e)))
        return rc;
    return 0;
}

/* POST (`create`: 201) or PATCH {id} (200) of a material: {"id","revision"}. */
static int write_material(http_req_t *req, http_res_t *res, bool create)
{
    web_t *w = web(req);
    int rc, revision = 0;
    json_t *body = web_body_as(req, CAP_MATERIAL_EDIT, &rc);
    if (!body) return rc;
    info_material_input_t in;
    info_ref_t ref = {0, 0};
    if (!(rc = material_input(body, create, &in, &w->err)))
        rc = create ? info_material_create(&w->scope, w->db, &in, &ref, &revision, &w->err)
                    : info_material_update(&w->scope, w->db, web_param_id(req, "id"), &in, &ref, &revision, &w->err);
    json_decref(body);
    char detail[32];
    snprintf(detail, sizeof detail, "revision %d", revision);
    if (rc || (rc = audit(req, create ? "info.material.create" : "info.material.update", "info_material", &ref,
                          create ? NULL : detail)))
        return web_store_fail(req, rc);
    web_public_changed(req);
    return web_json(req, res, create ? 201 : 200, json_pack("{s:I, s:i}", "id", (json_int_t)ref.id, "revision", revision));
}

static int post_material(http_req_t *req, http_res_t *res) { return write_material(req, res, true); }
static int patch_material(http_req_t *req, http_res_t *res) { return write_material(req, res, false); }

int infoweb_scoped_page(http_req_t *req, infoweb_list_fn fn, int64_t cursor, int limit, json_t *items)
{
    web_t *w = web(req);
    int rc = fn(&w->scope, w->db, cursor, limit, items, &w->err);
    return rc ? web_store_fail(req, rc) : 0;
}

INFOWEB_LIST(get_materials, info_material_list, CAP_MATERIAL_READ, 100, 500)
static const resource_t res_materials = {"/api/v1/materials", .get = get_materials, .post = post_material};

int infoweb_read(http_req_t *req, http_res_t *res, int status, infoweb_read_fn fn)
{
    web_t *w = web(req);
    json_t *out = NULL;
    info_ref_t ref;
    int rc = fn(&w->scope, w->db, web_param_id(req, "id"), &out, &ref, &w->err);
    return rc ? web_store_fail(req, rc) : web_json(req, res, status, out);
}

static int get_material(http_req_t *req, http_res_t *res) { return infoweb_read(req, res, 200, info_material_read); }
static const resource_t res_materials_id = {"/api/v1/materials/{id}", .get = get_material, .patch = patch_material};

/* ?name= as a revision number (1..): 0 when absent or not one. */
static int query_revision(http_req_t *req, const char *name)
{
    const char *s = http_query(req, name);
    long v = s && *s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 9 ? strtol(s, NULL, 10) : 0;
    return (int)v;
}

static int get_diff(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int from = query_revision(req, "from"), to = query_revision(req, "to");
    if (!from) return web_fail(req, 422, "invalid", "from", "Give the revisions to compare: ?from=N&to=M.");
    if (!to) return web_fail(req, 422, "invalid", "to", "Give the revisions to compare: ?from=N&to=M.");
    json_t *out = NULL;
    info_ref_t ref;
    int rc = info_material_diff(&w->scope, w->db, web_param_id(req, "id"), from, to, &out, &ref, &w->err);
    return rc ? web_store_fail(req, rc) : web_json(req, res, 200, out);
}
static const resource_t res_materials_id_diff = {"/api/v1/materials/{id}/diff", .get = get_diff};

static int put_translation(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_MATERIAL_TRANSLATE, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"title", "body", "status", NULL};
    info_translation_input_t in = {0};
    info_ref_t ref = {0, 0};
    const char *lang = http_param(req, "lang");
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "title", false, INFO_TITLE_MAX, &in.title, &w->err)) &&
        !(rc = jin_str(body, "body", false, INFO_BODY_MAX, &in.body, &w->err)) &&
        !(rc = jin_str(body, "status", false, 16, &in.status, &w->err)))
        rc = info_translation_put(&w->scope, w->db, web_param_id(req, "id"), lang, &in, &ref, &w->err);
    char detail[48];
    snprintf(detail, sizeof detail, "%.8s %.12s", lang ? lang : "", in.status ? in.status : "draft");
    json_decref(body);
    if (rc || (rc = audit(req, "info.translation.put", "info_material", &ref, detail))) return web_store_fail(req, rc);
    web_public_changed(req);
    json_t *items = json_array();
    if ((rc = info_translation_list(&w->scope, w->db, ref.id, items, &ref, &w->err))) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    json_t *mine = json_null();
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) if (strcmp(jstr_or_empty(it, "lang"), lang) == 0) mine = json_incref(it);
    json_decref(items);
    return web_json(req, res, 200, mine);
}
static const resource_t res_materials_id_translations_lang = {"/api/v1/materials/{id}/translations/{lang}", .put = put_translation};

static int get_translations(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    info_ref_t ref;
    int rc = info_translation_list(&w->scope, w->db, web_param_id(req, "id"), items, &ref, &w->err);
    return infoweb_list_answer(req, res, rc, items);
}
static const resource_t res_materials_id_translations = {"/api/v1/materials/{id}/translations", .get = get_translations};

static int get_progress(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *out = NULL;
    int rc = info_progress(&w->scope, w->db, &out, &w->err);
    return rc ? web_store_fail(req, rc) : web_json(req, res, 200, out);
}
static const resource_t res_materials_progress = {"/api/v1/materials/progress", .get = get_progress};

/* ---- notices ---------------------------------------------------------------------- */

static int post_notice(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_NOTICE_MANAGE, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"title", "body", "org", "valid_from", "valid_until", "pinned", NULL};
    info_notice_input_t in = {0};
    info_ref_t ref = {0, 0};
    bool present;
    err_t *e = &w->err;
    if (!(rc = jin_only(body, allowed, e)) && !(rc = jin_str(body, "title", true, INFO_TITLE_MAX, &in.title, e)) &&
        !(rc = jin_str(body, "body", true, 4000, &in.body, e)) && !(rc = jin_str(body, "org", false, 64, &in.org, e)) &&
        !(rc = jin_str(body, "valid_from", true, 10, &in.valid_from, e)) &&
        !(rc = jin_str(body, "valid_until", true, 10, &in.valid_until, e)) &&
        !(rc = jin_bool(body, "pinned", false, &in.pinned, &present, e)))
        rc = info_notice_create(&w->scope, w->db, &in, &ref, e);
    json_decref(body);
    if (rc || (rc = audit(req, "info.notice.create", "info_notice", &ref, NULL))) return web_store_fail(req, rc);
    web_public_changed(req);
    return web_json(req, res, 201, json_pack("{s:I}", "id", (json_int_t)ref.id));
}

INFOWEB_LIST(get_notices, info_notice_list, CAP_NOTICE_MANAGE, 100, 500)
static const resource_t res_notices = {"/api/v1/notices", .get = get_notices, .post = post_notice};

static int get_public_notices(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    org_t org;
    return infoweb_list_answer(req, res, info_public_notices(w->db, http_query(req, "org"), &org, items, &w->err), items);
}
static const resource_t res_public_notices = {"/api/v1/public/notices", .get = get_public_notices, .flags = R_PUBLIC};

static int post_newsletter(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"email", "name", "lang", NULL};
    const char *email = NULL, *name = NULL, *lang = NULL;
    info_ref_t ref = {0, 0};
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "email", true, 254, &email, &w->err)) &&
        !(rc = jin_str(body, "name", false, 100, &name, &w->err)) && !(rc = jin_str(body, "lang", false, 8, &lang, &w->err)))
        rc = info_newsletter_subscribe(w->db, email, name, lang ? lang : w->lang, &ref, &w->err);
    json_decref(body);
    if (rc || (rc = audit(req, "info.newsletter.subscribe", "info_subscriber", &ref, NULL))) return web_store_fail(req, rc);
    return web_json(req, res, 202, json_pack("{s:s}", "status", "pending"));
}
static const resource_t res_public_newsletter = {"/api/v1/public/newsletter", .post = post_newsletter, .flags = R_PUBLIC | R_NO_CSRF};

static const resource_t *const routes[] = {&res_materials, &res_materials_progress, &res_materials_id,
    &res_materials_id_diff, &res_materials_id_translations, &res_materials_id_translations_lang, &res_notices,
    &res_public_notices, &res_public_newsletter};

ROUTE_TABLE(infoweb_api_routes, routes)

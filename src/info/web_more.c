/* web_more.c — the JSON API of attachments, review-by reminders, newsletter
 * issues and contacts (info.h). Parses input, calls the operation, audits
 * each write under the record's organisation, answers.
 *
 * Uploads are as the desk's documents: the body is the file, its title in
 * X-Title and its name in Content-Disposition's filename (or X-Filename),
 * percent-encoded when not ASCII. The reminder run is for a timer on the
 * machine (loopback, no session) or an admin, as the desk's digest. */
#include "web.h"
#include "app/server.h"
#include "core/date.h"
#include "core/json.h"
#include <stdlib.h>
#include <string.h>

/* ---- attachments ------------------------------------------------------------------- */

static int post_attachment(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t att = 0;
    info_ref_t ref = {0, 0};
    int rc = info_attachment_create(&w->scope, w->db, web_param_id(req, "id"), http_param(req, "lang"),
                                    web_header(req, "X-Title"), web_upload_filename(req), req->body, req->body_len,
                                    &att, &ref, &w->err);
    if (rc || (rc = web_audit_id(req, "info.attachment.create", "info_material", ref.id, 0, ref.org_id,
                                 http_param(req, "lang"))))
        return web_store_fail(req, rc);
    web_public_changed(req);
    return web_json(req, res, 201, json_pack("{s:I, s:I}", "id", (json_int_t)att, "material_id", (json_int_t)ref.id));
}
static const resource_t res_materials_id_attachments_lang = {"/api/v1/materials/{id}/attachments/{lang}", .post = post_attachment, .max_body = ROUTE_BODY_UPLOAD};

static int get_attachments(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    info_ref_t ref;
    return infoweb_list_answer(req, res, info_attachment_list(&w->scope, w->db, web_param_id(req, "id"), items, &ref, &w->err),
                               items);
}
static const resource_t res_materials_id_attachments = {"/api/v1/materials/{id}/attachments", .get = get_attachments};

static int delete_attachment(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    info_ref_t ref = {0, 0};
    int64_t id = web_param_id(req, "id");
    int rc = info_attachment_delete(&w->scope, w->db, id, &ref, &w->err);
    if (rc || (rc = web_audit_id(req, "info.attachment.delete", "info_material", ref.id, 0, ref.org_id, NULL)))
        return web_store_fail(req, rc);
    web_public_changed(req);
    res->status = 204;
    return 0;
}
static const resource_t res_attachments_id = {"/api/v1/attachments/{id}", .del = delete_attachment};

/* GET /info/files/{id} — a public attachment, as a download (never inline). */
static int get_public_file(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *row = NULL;
    str_reset(&res->body);
    int rc = info_attachment_open(w->db, web_param_id(req, "id"), &row, &res->body);
    if (rc) {
        str_reset(&res->body);
        return web_store_fail(req, rc);
    }
    web_download(req, res, 0, arena_strdup(req->arena, jstr(row, "content_type")), jstr(row, "filename"));
    res->cache_control = "public, max-age=300";
    json_decref(row);
    return 0;
}
static const resource_t res_info_files_id = {"/info/files/{id}", .get = get_public_file, .flags = R_PUBLIC};

/* ---- review-by reminders ------------------------------------------------------------- */

/* POST /api/v1/materials/reminders — mails each editor the materials of
 * their area past the review-by date, once a date. A timer on the machine
 * (loopback, no session) or an admin; nobody else. Idempotent. */
static int post_reminders(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = web_machine_or_admin(req);
    if (rc) return rc;
    char today[11];
    date_today(today, 0);
    size_t sent = 0, materials = 0;
    rc = info_review_reminders(w->db, today, &sent, &materials);
    if (rc) return web_store_fail(req, rc);
    char detail[64];
    snprintf(detail, sizeof detail, "reminders=%zu materials=%zu", sent, materials);
    if (w->has_session && (rc = web_audit(req, "info.review.remind", NULL, NULL, 0, w->scope.org_id, detail))) return rc;
    return web_json(req, res, 200, json_pack("{s:s, s:I, s:I}", "day", today, "queued", (json_int_t)sent, "materials",
                                             (json_int_t)materials));
}
static const resource_t res_materials_reminders = {"/api/v1/materials/reminders", .post = post_reminders, .flags = R_PUBLIC | R_NO_CSRF};

static int get_overdue(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    return infoweb_list_answer(req, res, info_material_overdue(&w->scope, w->db, items, &w->err), items);
}
static const resource_t res_materials_overdue = {"/api/v1/materials/overdue", .get = get_overdue};

/* ---- newsletter issues ----------------------------------------------------------------- */

static int post_issue(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_MATERIAL_EDIT, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"subject", "intro",        "org",          "notice_ids",
                                          "material_ids", "event_ids", "translations", NULL};
    info_issue_input_t in = {.notice_ids = json_object_get(body, "notice_ids"),
                             .material_ids = json_object_get(body, "material_ids"),
                             .event_ids = json_object_get(body, "event_ids"),
                             .translations = json_object_get(body, "translations")};
    info_ref_t ref = {0, 0};
    err_t *e = &w->err;
    if (!(rc = jin_only(body, allowed, e)) && !(rc = jin_str(body, "subject", true, INFO_TITLE_MAX, &in.subject, e)) &&
        !(rc = jin_str(body, "intro", false, 4000, &in.intro, e)) && !(rc = jin_str(body, "org", false, 64, &in.org, e)))
        rc = info_issue_create(&w->scope, w->db, &in, &ref, e);
    json_decref(body);
    if (rc || (rc = web_audit_id(req, "info.issue.create", "info_issue", ref.id, 0, ref.org_id, NULL)))
        return web_store_fail(req, rc);
    return web_json(req, res, 201, json_pack("{s:I, s:s}", "id", (json_int_t)ref.id, "status", "draft"));
}

static int get_issue(http_req_t *req, http_res_t *res) { return infoweb_read(req, res, 200, info_issue_read); }
static const resource_t res_newsletter_issues_id = {"/api/v1/newsletter/issues/{id}", .get = get_issue};

/* POST /api/v1/newsletter/issues/{id}/send — queues the job; 202 with the issue and its counts. */
static int post_issue_send(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    info_ref_t ref = {0, 0};
    int rc = info_issue_send(&w->scope, w->db, web_param_id(req, "id"), &ref, &w->err);
    if (rc || (rc = web_audit_id(req, "info.issue.send", "info_issue", ref.id, 0, ref.org_id, NULL)))
        return web_store_fail(req, rc);
    return infoweb_read(req, res, 202, info_issue_read);
}
static const resource_t res_newsletter_issues_id_send = {"/api/v1/newsletter/issues/{id}/send", .post = post_issue_send};

INFOWEB_LIST(get_issues, info_issue_list, CAP_MATERIAL_EDIT, 50, 200)
static const resource_t res_newsletter_issues = {"/api/v1/newsletter/issues", .get = get_issues, .post = post_issue};

/* ---- contacts and office hours ----------------------------------------------------------- */

static int put_contact(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_CONTACT_EDIT, &rc);
    if (!body) return rc;
    info_ref_t ref = {0, 0};
    const char *code = http_param(req, "org");
    rc = info_contact_put(&w->scope, w->db, code, body, &ref, &w->err);
    json_decref(body);
    if (rc || (rc = web_audit_id(req, "info.contact.put", "org", ref.id, 0, ref.org_id, NULL)))
        return web_store_fail(req, rc);
    web_public_changed(req);
    json_t *out = NULL;
    if ((rc = info_contact_read(&w->scope, w->db, code, &out, &ref, &w->err))) return web_store_fail(req, rc);
    return web_json(req, res, 200, out);
}

static int get_contact(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *out = NULL;
    info_ref_t ref;
    int rc = info_contact_read(&w->scope, w->db, http_param(req, "org"), &out, &ref, &w->err);
    return rc ? web_store_fail(req, rc) : web_json(req, res, 200, out);
}
static const resource_t res_contacts_org = {"/api/v1/contacts/{org}", .get = get_contact, .put = put_contact};

/* GET /api/v1/public/contacts?org= — the district's desks and offices (every district without ?org=). */
static int get_public_contacts(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    const char *org = http_query(req, "org");
    int rc = org ? info_public_contacts(w->db, org, items, &w->err) : info_public_contacts_all(w->db, items, &w->err);
    return infoweb_list_answer(req, res, rc, items);
}
static const resource_t res_public_contacts = {"/api/v1/public/contacts", .get = get_public_contacts, .flags = R_PUBLIC};

static const resource_t *const routes[] = {&res_materials_overdue, &res_materials_reminders,
    &res_materials_id_attachments, &res_materials_id_attachments_lang, &res_attachments_id, &res_info_files_id,
    &res_newsletter_issues, &res_newsletter_issues_id, &res_newsletter_issues_id_send, &res_contacts_org,
    &res_public_contacts};

ROUTE_TABLE(infoweb_more_routes, routes)

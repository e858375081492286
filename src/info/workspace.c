/* workspace.c — the editors' and translators' pages: the editor's
 * materials (create, change, revisions with their diff) and notices; the
 * translator's list, progress per language (an SVG chart with its table),
 * and the side-by-side workspace with what changed in the source and the
 * glossary. Forms post with the session's CSRF token; a refused form is
 * shown again with its error (and its write rolled back). */
#include "web.h"
#include "app/server.h"
#include "core/i18n.h"
#include "core/json.h"
#include <stdlib.h>
#include <string.h>

/* A form field, NULL when absent or empty. */
static const char *field(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    return v && *v ? v : NULL;
}

int infoweb_form_page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm, const char *flag)
{
    if (status >= 400) web_form_error(req, vm);
    if (flag && http_query(req, flag)) json_object_set_new(vm, flag, json_true());
    return web_page(req, res, status, tmpl, vm);
}

int infoweb_form_done(http_req_t *req, http_res_t *res, int rc, infoweb_form_fn again, bool public_change,
                      const char *next)
{
    if (rc == -422 && again) {
        web(req)->tx_force = TX_ROLLBACK;
        return again(req, res, 422);
    }
    if (rc) return web_store_fail(req, rc);
    if (public_change) web_public_changed(req);
    return web_redirect(req, res, next);
}

/* The progress chart: one bar pair a language (published, current), with
 * the geometry computed here so the template stays logic-less. */
static json_t *progress_vm(http_req_t *req, int *rc)
{
    web_t *w = web(req);
    json_t *p = NULL;
    if ((*rc = info_progress(&w->scope, w->db, &p, &w->err))) return NULL;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(p, "items"), i, it) {
        json_int_t pub = json_integer_value(json_object_get(it, "published_pct"));
        json_int_t cur = json_integer_value(json_object_get(it, "current_pct"));
        json_object_set_new(it, "y", json_integer((json_int_t)i * 28 + 4));
        json_object_set_new(it, "y_text", json_integer((json_int_t)i * 28 + 18));
        json_object_set_new(it, "y_current", json_integer((json_int_t)i * 28 + 14));
        json_object_set_new(it, "w_published", json_integer(pub * 3));
        json_object_set_new(it, "w_current", json_integer(cur * 3));
    }
    json_object_set_new(p, "height", json_integer((json_int_t)json_array_size(json_object_get(p, "items")) * 28 + 8));
    return p;
}

/* The material list with the progress, for the editor or the translator page. */
static int list_page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *form)
{
    web_t *w = web(req);
    json_t *items = json_array(), *notices = json_array(), *overdue = json_array();
    int rc = info_material_list(&w->scope, w->db, 0, 1000, items, &w->err);
    json_t *progress = rc ? NULL : progress_vm(req, &rc);
    if (!rc && strcmp(tmpl, "info/editor") == 0) rc = info_notice_list(&w->scope, w->db, 0, 200, notices, &w->err);
    if (!rc && strcmp(tmpl, "info/editor") == 0) rc = info_material_overdue(&w->scope, w->db, overdue, &w->err);
    if (rc) {
        json_decref(overdue);
        json_decref(items);
        json_decref(notices);
        json_decref(progress);
        json_decref(form);
        return web_store_fail(req, rc);
    }
    json_t *langs = json_array();
    for (const char *const *l = info_langs; *l; l++) json_array_append_new(langs, json_string(*l));
    json_t *vm = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "items", items, "notices", notices, "progress", progress,
                           "langs", langs, "form", form ? form : json_object(), "overdue", overdue);
    return infoweb_form_page(req, res, status, tmpl, vm, NULL);
}

static int get_editor(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_MATERIAL_EDIT, &web(req)->err);
    return rc ? rc : list_page(req, res, 200, "info/editor", NULL);
}

static int get_translate(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_MATERIAL_TRANSLATE, &web(req)->err);
    return rc ? rc : list_page(req, res, 200, "info/translate", NULL);
}
static const resource_t res_info_translate = {"/info/translate", .get = get_translate};

/* Shows the editor's page again with a refused form, keeping nothing. */
static int refused(http_req_t *req, http_res_t *res, int rc, json_t *form)
{
    web(req)->tx_force = TX_ROLLBACK;
    if (rc != -422) {
        json_decref(form);
        return web_store_fail(req, rc);
    }
    return list_page(req, res, 422, "info/editor", form);
}

static int post_material_form(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    info_material_input_t in = {field(req, "title"), field(req, "body"), field(req, "category"), field(req, "org"),
                                field(req, "review_by")};
    info_ref_t ref = {0, 0};
    int revision, rc = info_material_create(&w->scope, w->db, &in, &ref, &revision, &w->err);
    if (!rc) rc = web_audit_id(req, "info.material.create", "info_material", ref.id, 0, ref.org_id, NULL);
    if (rc)
        return refused(req, res, rc, json_pack("{s:s?, s:s?, s:s?}", "title", in.title, "body", in.body, "category",
                                               in.category));
    web_public_changed(req);
    return web_redirect(req, res, arena_printf(req->arena, "/info/editor/%lld", (long long)ref.id));
}
static const resource_t res_info_editor = {"/info/editor", .get = get_editor, .post = post_material_form};

static int post_notice_form(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    info_notice_input_t in = {field(req, "title"), field(req, "body"), field(req, "org"), field(req, "valid_from"),
                              field(req, "valid_until"), field(req, "pinned") != NULL};
    info_ref_t ref = {0, 0};
    int rc = info_notice_create(&w->scope, w->db, &in, &ref, &w->err);
    if (!rc) rc = web_audit_id(req, "info.notice.create", "info_notice", ref.id, 0, ref.org_id, NULL);
    if (rc) return refused(req, res, rc, json_pack("{s:s?, s:s?}", "notice_title", in.title, "notice_body", in.body));
    web_public_changed(req);
    return web_redirect(req, res, "/info/editor?notice=1");
}
static const resource_t res_info_editor_notices = {"/info/editor/notices", .post = post_notice_form};

/* The editor's page of one material: its fields, revisions, and the diff asked (?from=&to=). */
static int material_page(http_req_t *req, http_res_t *res, int status)
{
    web_t *w = web(req);
    json_t *m = NULL, *diff = NULL;
    info_ref_t ref;
    int64_t id = web_param_id(req, "id");
    int rc = info_material_read(&w->scope, w->db, id, &m, &ref, &w->err);
    if (rc) return web_store_fail(req, rc);
    const char *f = http_query(req, "from"), *t = http_query(req, "to");
    if (f && t && info_material_diff(&w->scope, w->db, id, atoi(f), atoi(t), &diff, &ref, &w->err)) diff = NULL;
    json_t *langs = json_array();
    for (const char *const *l = info_langs; *l; l++) json_array_append_new(langs, json_string(*l));
    json_t *vm = json_pack("{s:o, s:o?, s:o}", "material", m, "diff", diff, "langs", langs);
    return infoweb_form_page(req, res, status, "info/editor_material", vm, "attached");
}

static int get_material_edit(http_req_t *req, http_res_t *res) { return material_page(req, res, 200); }

static int post_material_edit(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    info_material_input_t in = {field(req, "title"), field(req, "body"), field(req, "category"), NULL,
                                http_form(req, "review_by")};
    info_ref_t ref = {0, 0};
    int revision = 0, rc = info_material_update(&w->scope, w->db, web_param_id(req, "id"), &in, &ref, &revision, &w->err);
    if (!rc) rc = web_audit_id(req, "info.material.update", "info_material", ref.id, 0, ref.org_id, NULL);
    return infoweb_form_done(req, res, rc, material_page, true,
                             arena_printf(req->arena, "/info/editor/%lld?saved=1", (long long)ref.id));
}
static const resource_t res_info_editor_id = {"/info/editor/{id}", .get = get_material_edit, .post = post_material_edit};

/* POST /info/editor/{id}/attachments — an attachment from the editor's
 * plain form (multipart: lang, title, file); a refused one (413, 415, 422)
 * is shown on the material's page and nothing is kept. */
static int post_attachment_form(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const http_file_t *f;
    info_ref_t ref = {0, 0};
    int64_t att = 0;
    const char *lang = field(req, "lang");
    int rc = web_form_upload(req, &f);
    if (!rc) {
        rc = info_attachment_create(&w->scope, w->db, web_param_id(req, "id"), lang, field(req, "title"),
                                    web_upload_stem(req, f ? f->filename : NULL),
                                    f ? f->data : NULL, f ? f->len : 0, &att, &ref, &w->err);
    }
    if (!rc) rc = web_audit_id(req, "info.attachment.create", "info_material", ref.id, 0, ref.org_id, lang);
    if (!rc) {
        web_public_changed(req);
        return web_redirect(req, res, arena_printf(req->arena, "/info/editor/%lld?attached=1#attachments", (long long)ref.id));
    }
    rc = web_store_fail(req, rc);
    if (rc == -401 || rc == -403 || rc == -404) return rc;
    w->tx_force = TX_ROLLBACK;
    return material_page(req, res, -rc);
}
static const resource_t res_info_editor_id_attachments = {"/info/editor/{id}/attachments", .post = post_attachment_form, .max_body = ROUTE_BODY_UPLOAD};

/* The translator's side-by-side page of material {id} in {lang}. */
static int translate_page(http_req_t *req, http_res_t *res, int status)
{
    web_t *w = web(req);
    json_t *ws = NULL;
    info_ref_t ref;
    int rc = info_translation_workspace(&w->scope, w->db, web_param_id(req, "id"), http_param(req, "lang"), &ws, &ref,
                                        &w->err);
    if (rc) return web_store_fail(req, rc);
    json_t *src = json_object_get(ws, "source");
    char *html = info_markdown(jstr(src, "body"));
    json_object_set_new(src, "body_html", json_text(html ? html : ""));
    free(html);
    const char *lang = http_param(req, "lang");
    json_object_set_new(ws, "target_dir", json_string(i18n_is_rtl(lang) ? "rtl" : "ltr"));
    return infoweb_form_page(req, res, status, "info/translation", ws, "saved");
}

static int get_translation_page(http_req_t *req, http_res_t *res) { return translate_page(req, res, 200); }

static int post_translation_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const char *lang = http_param(req, "lang");
    info_translation_input_t in = {field(req, "title"), field(req, "body"), field(req, "status")};
    if (in.status && strcmp(in.status, "published") == 0) in.title = in.body = NULL; /* publish what was reviewed */
    info_ref_t ref = {0, 0};
    int rc = info_translation_put(&w->scope, w->db, web_param_id(req, "id"), lang, &in, &ref, &w->err);
    if (!rc) rc = web_audit_id(req, "info.translation.put", "info_material", ref.id, 0, ref.org_id, in.status);
    if (rc == -422 || rc == -409 || rc == -403) {
        if (rc == -403 && w->err.code && strcmp(w->err.code, "own_translation") != 0) return rc;
        w->tx_force = TX_ROLLBACK;
        return translate_page(req, res, -rc);
    }
    if (rc) return web_store_fail(req, rc);
    web_public_changed(req);
    return web_redirect(req, res,
                        arena_printf(req->arena, "/info/translate/%lld/%s?saved=1", (long long)ref.id, lang));
}
static const resource_t res_info_translate_id_lang = {"/info/translate/{id}/{lang}", .get = get_translation_page, .post = post_translation_page};

static const resource_t *const routes[] = {&res_info_editor, &res_info_editor_notices, &res_info_editor_id,
    &res_info_editor_id_attachments, &res_info_translate, &res_info_translate_id_lang};

ROUTE_TABLE(infoweb_workspace_routes, routes)

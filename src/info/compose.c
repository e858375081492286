/* compose.c — the editor's pages of newsletter issues (compose from
 * notices, materials and events; send; the sending job's progress, the
 * page refreshing itself by the Refresh header while messages are still
 * going out, so no script is needed), the contacts and office hours of the
 * desks and offices of the editor's area, and the attachments of a
 * material (delete here; the upload form posts to workspace.c). Forms post
 * with the session's CSRF token. */
#include "web.h"
#include "app/server.h"
#include "core/i18n.h"
#include "core/json.h"
#include <stdlib.h>
#include <string.h>

static const char *const weekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

/* A form field, NULL when absent or empty. */
static const char *field(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    return v && *v ? v : NULL;
}

/* ---- issues --------------------------------------------------------------------------- */

/* The issues page: the list with each job's counts and the compose form. */
static int issues_page(http_req_t *req, http_res_t *res, int status)
{
    web_t *w = web(req);
    json_t *items = json_array(), *src = NULL;
    int rc = info_issue_list(&w->scope, w->db, 0, 50, items, &w->err);
    if (!rc) rc = info_issue_sources(&w->scope, w->db, &src, &w->err);
    if (rc) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    json_t *langs = json_array();
    for (const char *const *l = info_langs; *l; l++)
        json_array_append_new(langs, json_pack("{s:s, s:s}", "code", *l, "dir", i18n_is_rtl(*l) ? "rtl" : "ltr"));
    json_t *vm = json_pack("{s:o, s:o, s:o, s:{s:s?, s:s?}}", "items", items, "sources", src, "langs", langs, "form",
                           "subject", status >= 400 ? field(req, "subject") : NULL, "intro",
                           status >= 400 ? field(req, "intro") : NULL);
    return infoweb_form_page(req, res, status, "info/issues", vm, NULL);
}

static int get_issues(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_MATERIAL_EDIT, &web(req)->err);
    return rc ? rc : issues_page(req, res, 200);
}

/* The ids ticked in the form's checkboxes named `name` (repeated fields). */
static json_t *ticked(http_req_t *req, const char *name)
{
    json_t *ids = json_array();
    http_field_t *f = NULL;
    int n = http_form_parse(req->arena, req->body, req->body_len, 400, &f);
    for (int i = 0; i < n; i++) {
        long long id = f[i].value && !strcmp(f[i].name, name) ? strtoll(f[i].value, NULL, 10) : 0;
        if (id > 0) json_array_append_new(ids, json_integer(id));
    }
    return ids;
}

/* The subjects and introductions the form gives in other languages (t_<lang>_subject, t_<lang>_intro). */
static json_t *translated_words(http_req_t *req)
{
    json_t *t = json_object();
    for (const char *const *l = info_langs; *l; l++) {
        const char *s = field(req, arena_printf(req->arena, "t_%s_subject", *l));
        const char *i = field(req, arena_printf(req->arena, "t_%s_intro", *l));
        if (s || i) json_object_set_new(t, *l, json_pack("{s:s?, s:s?}", "subject", s, "intro", i));
    }
    return t;
}

static int post_issue_form(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    info_issue_input_t in = {field(req, "subject"), field(req, "intro"), NULL, ticked(req, "notice"),
                             ticked(req, "material"), ticked(req, "event"), translated_words(req)};
    info_ref_t ref = {0, 0};
    int rc = info_issue_create(&w->scope, w->db, &in, &ref, &w->err);
    json_decref(in.notice_ids), json_decref(in.material_ids), json_decref(in.event_ids), json_decref(in.translations);
    if (!rc) rc = web_audit_id(req, "info.issue.create", "info_issue", ref.id, 0, ref.org_id, NULL);
    return infoweb_form_done(req, res, rc, issues_page, false,
                             arena_printf(req->arena, "/info/editor/issues/%lld", (long long)ref.id));
}
static const resource_t res_info_editor_issues = {"/info/editor/issues", .get = get_issues, .post = post_issue_form};

static int get_issue(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *is = NULL;
    info_ref_t ref;
    int rc = info_issue_read(&w->scope, w->db, web_param_id(req, "id"), &is, &ref, &w->err);
    if (rc) return web_store_fail(req, rc);
    json_t *job = json_object_get(is, "job");
    bool sending = !strcmp(jstr_or_empty(is, "status"), "sent") && !json_is_true(json_object_get(job, "done"));
    json_int_t total = json_integer_value(json_object_get(job, "total"));
    json_int_t done = json_integer_value(json_object_get(job, "sent")) + json_integer_value(json_object_get(job, "failed"));
    json_object_set_new(is, "sending", json_boolean(sending));
    json_object_set_new(is, "draft", json_boolean(strcmp(jstr_or_empty(is, "status"), "draft") == 0));
    json_object_set_new(is, "percent", json_integer(total ? done * 100 / total : 100));
    if (sending) http_res_header(res, "Refresh", "3"); /* the progress moves without a script */
    return web_page(req, res, 200, "info/issue", json_pack("{s:o}", "issue", is));
}
static const resource_t res_info_editor_issues_id = {"/info/editor/issues/{id}", .get = get_issue};

/* A form's action on the record {id}: the operation, its audit, where to go after. */
typedef struct record_action {
    int (*op)(const scope_t *sc, db_t *db, int64_t id, info_ref_t *ref, err_t *e);
    const char *audit, *kind;  /* the audit entry's action and object kind */
    bool public_change;        /* the public pages show what it changes */
    const char *path, *anchor; /* where to go after: path, the record's id, anchor */
} record_action_t;

/* Runs the action `a` on the record {id} and audits it; then goes on. */
static int post_action(http_req_t *req, http_res_t *res, const record_action_t *a)
{
    web_t *w = web(req);
    info_ref_t ref = {0, 0};
    int rc = a->op(&w->scope, w->db, web_param_id(req, "id"), &ref, &w->err);
    if (!rc) rc = web_audit_id(req, a->audit, a->kind, ref.id, 0, ref.org_id, NULL);
    return infoweb_form_done(req, res, rc, NULL, a->public_change,
                             arena_printf(req->arena, "%s%lld%s", a->path, (long long)ref.id, a->anchor));
}

static int post_issue_send(http_req_t *req, http_res_t *res)
{
    static const record_action_t send = {info_issue_send, "info.issue.send", "info_issue", false,
                                         "/info/editor/issues/", ""};
    return post_action(req, res, &send);
}
static const resource_t res_info_editor_issues_id_send = {"/info/editor/issues/{id}/send", .post = post_issue_send};

/* ---- contacts and office hours ---------------------------------------------------------- */

static int get_contacts(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    int rc = info_contact_orgs(&w->scope, w->db, items, &w->err);
    if (rc) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    return web_page(req, res, 200, "info/contacts", json_pack("{s:o}", "items", items));
}
static const resource_t res_info_editor_contacts = {"/info/editor/contacts", .get = get_contacts};

/* The form's days: for each weekday its name and up to two open slots, and
 * the facilitation afternoon, from the stored hours of `c`. */
static void hours_form(http_req_t *req, json_t *c)
{
    json_t *days = json_array();
    for (int d = 1; d <= 7; d++)
        json_array_append_new(days, json_pack("{s:i, s:s}", "d", d, "name", web_tr(req, weekdays[d - 1])));
    json_t *fdays = json_array();
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(c, "hours"), i, h) {
        int d = (int)json_integer_value(json_object_get(h, "weekday"));
        json_t *day = json_array_get(days, (size_t)(d - 1));
        if (!strcmp(jstr_or_empty(h, "kind"), "facilitation")) {
            json_object_set(c, "f_day", json_object_get(h, "weekday"));
            json_object_set(c, "f_from", json_object_get(h, "opens"));
            json_object_set(c, "f_to", json_object_get(h, "closes"));
            continue;
        }
        const char *slot = json_object_get(day, "a_from") ? "b" : "a";
        json_object_set(day, arena_printf(req->arena, "%s_from", slot), json_object_get(h, "opens"));
        json_object_set(day, arena_printf(req->arena, "%s_to", slot), json_object_get(h, "closes"));
    }
    json_int_t fd = json_integer_value(json_object_get(c, "f_day"));
    for (int d = 1; d <= 7; d++)
        json_array_append_new(fdays, json_pack("{s:i, s:s, s:b}", "d", d, "name", web_tr(req, weekdays[d - 1]),
                                               "selected", d == fd));
    json_object_set_new(c, "days", days);
    json_object_set_new(c, "fdays", fdays);
}

static int contact_page(http_req_t *req, http_res_t *res, int status)
{
    web_t *w = web(req);
    json_t *c = NULL;
    info_ref_t ref;
    int rc = info_contact_read(&w->scope, w->db, http_param(req, "org"), &c, &ref, &w->err);
    if (rc) return web_store_fail(req, rc);
    hours_form(req, c);
    return infoweb_form_page(req, res, status, "info/contact", json_pack("{s:o}", "contact", c), "saved");
}

static int get_contact(http_req_t *req, http_res_t *res) { return contact_page(req, res, 200); }

/* Adds {weekday, opens, closes, kind} when both times of the slot are given. */
static void add_slot(http_req_t *req, json_t *hours, int d, const char *from, const char *to, const char *kind)
{
    const char *o = field(req, from), *c = field(req, to);
    if (o || c)
        json_array_append_new(hours, json_pack("{s:i, s:s, s:s, s:s}", "weekday", d, "opens", o ? o : "", "closes",
                                               c ? c : "", "kind", kind));
}

static int post_contact(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *hours = json_array();
    for (int d = 1; d <= 7; d++)
        for (const char *s = "ab"; *s; s++)
            add_slot(req, hours, d, arena_printf(req->arena, "o%d%c_from", d, *s),
                     arena_printf(req->arena, "o%d%c_to", d, *s), "open");
    const char *fd = field(req, "f_day");
    if (fd && atoi(fd) >= 1 && atoi(fd) <= 7) add_slot(req, hours, atoi(fd), "f_from", "f_to", "facilitation");
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "address", http_form(req, "address") ? http_form(req, "address") : "",
                             "phone", http_form(req, "phone") ? http_form(req, "phone") : "", "email",
                             http_form(req, "email") ? http_form(req, "email") : "", "note",
                             http_form(req, "note") ? http_form(req, "note") : "", "by_appointment",
                             field(req, "by_appointment") != NULL, "hours", hours);
    info_ref_t ref = {0, 0};
    int rc = info_contact_put(&w->scope, w->db, http_param(req, "org"), body, &ref, &w->err);
    json_decref(body);
    if (!rc) rc = web_audit_id(req, "info.contact.put", "org", ref.id, 0, ref.org_id, NULL);
    return infoweb_form_done(req, res, rc, contact_page, true,
                             arena_printf(req->arena, "/info/editor/contacts/%s?saved=1", http_param(req, "org")));
}
static const resource_t res_info_editor_contacts_org = {"/info/editor/contacts/{org}", .get = get_contact, .post = post_contact};

/* ---- attachments ------------------------------------------------------------------------ */

static int post_attachment_delete(http_req_t *req, http_res_t *res)
{
    static const record_action_t del = {info_attachment_delete, "info.attachment.delete", "info_material", true,
                                        "/info/editor/", "#attachments"};
    return post_action(req, res, &del);
}
static const resource_t res_info_editor_attachments_id_delete = {"/info/editor/attachments/{id}/delete", .post = post_attachment_delete};

static const resource_t *const routes[] = {&res_info_editor_issues, &res_info_editor_issues_id,
    &res_info_editor_issues_id_send, &res_info_editor_contacts, &res_info_editor_contacts_org,
    &res_info_editor_attachments_id_delete};

ROUTE_TABLE(infoweb_compose_routes, routes)

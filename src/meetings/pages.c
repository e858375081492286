/* pages.c — the pages of meetings (Bootstrap Italia, server rendered): the
 * workspace (upcoming meetings, my decisions, overdue follow-ups), a new
 * meeting, the meeting page (agenda, invitees and inviting, minutes, files,
 * decisions), the phone-first attendance page, the network's library and
 * the public list of documents (/documenti). Forms post back here; a failed
 * form is shown again with its error and the transaction rolled back. Calls
 * only the operations of meetings.h, and audits what it shows of a meeting. */
#include "app/server.h"
#include "app/settings.h"
#include "core/date.h"
#include "core/json.h"
#include "web.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"Tavolo territoriale", "Laboratory", "Case meeting", "School contacts' meeting"};
static const char *const mark_codes[] = {"present", "absent", "excused", NULL};
static const char *const mark_names[] = {"Present", "Absent", "Excused"};

/* The translated name of `code` in `codes` (parallel to `names`), else the code. */
static const char *label_of(http_req_t *req, const char *const *codes, const char *const *names, const char *code)
{
    for (size_t i = 0; code && codes[i]; i++)
        if (strcmp(codes[i], code) == 0) return web_tr(req, names[i]);
    return code ? code : "";
}

/* Options [{code, name, selected}] of the kinds. */
static json_t *kind_options(http_req_t *req, const char *selected)
{
    json_t *a = json_array();
    const char *const *k = mtg_kinds();
    for (size_t i = 0; k[i]; i++) {
        if (strcmp(k[i], "case") == 0 && !scope_can(&web(req)->scope, CAP_MEETING_CASE)) continue;
        json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "code", k[i], "name", web_tr(req, kind_names[i]), "selected",
                                           selected && strcmp(selected, k[i]) == 0));
    }
    return a;
}

/* Adds kind_label to every meeting of `list`. */
static void label_meetings(http_req_t *req, json_t *list)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
        json_object_set_new(o, "kind_label", json_string(label_of(req, mtg_kinds(), kind_names, jstr(o, "kind"))));
}

/* Marks decisions past due (open and due before today). */
static void label_decisions(json_t *list, const char *today)
{
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d) {
        bool open = strcmp(jstr_or_empty(d, "status"), "open") == 0;
        json_object_set_new(d, "is_open", json_boolean(open));
        json_object_set_new(d, "overdue", json_boolean(open && strcmp(jstr_or_empty(d, "due"), today) < 0));
    }
}

/* Sets has_<key> for each array member named in `keys`. */
static void set_has(json_t *vm, const char *const *keys)
{
    char name[64];
    for (; *keys; keys++) {
        snprintf(name, sizeof name, "has_%s", *keys);
        json_object_set_new(vm, name, json_boolean(json_array_size(json_object_get(vm, *keys)) > 0));
    }
}

/* ---- the workspace ------------------------------------------------------------------ */

static int get_workspace(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    char today[11];
    date_today(today, 0);
    json_t *vm = NULL;
    int rc = mtg_workspace(&w->scope, w->db, today, &vm, &w->err);
    if (!rc) rc = web_audit(req, "meeting.workspace.read", "meeting", NULL, 0, w->scope.org_id, NULL);
    if (rc) return mtgweb_fail(req, rc, vm);
    label_meetings(req, json_object_get(vm, "upcoming"));
    label_meetings(req, json_object_get(vm, "recent"));
    label_decisions(json_object_get(vm, "mine"), today);
    label_decisions(json_object_get(vm, "overdue"), today);
    static const char *const keys[] = {"upcoming", "recent", "mine", "overdue", NULL};
    set_has(vm, keys);
    json_object_set_new(vm, "can_manage", json_boolean(scope_can(&w->scope, CAP_MEETING_MANAGE)));
    json_object_set_new(vm, "today_date", json_string(today));
    return web_page(req, res, 200, "meetings/workspace", vm);
}
static const resource_t res_meetings = {"/meetings", .get = get_workspace};

/* ---- a new meeting ------------------------------------------------------------------ */

/* A form field, NULL when empty. */
static const char *form_text(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    return v && *v ? v : NULL;
}

/* A form field as a whole number, -1 when absent or not one. */
static int64_t form_int(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    char *end;
    long long n = v && *v ? strtoll(v, &end, 10) : -1;
    return v && *v && !*end && n >= 0 ? n : -1;
}

/* The form of a new meeting with `f` (taken: the values typed). */
static int render_form(http_req_t *req, http_res_t *res, int status, json_t *f)
{
    web_t *w = web(req);
    json_t *orgs = json_array(), *accounts = json_array();
    err_t shown = w->err, e2 = {0};
    int rc = mtg_pickers(&w->scope, w->db, orgs, accounts, &e2);
    json_decref(accounts);
    if (rc) {
        json_decref(orgs);
        json_decref(f);
        w->err = e2;
        return rc;
    }
    w->err = shown;
    const char *org = jstr(f, "org") ? jstr(f, "org") : w->scope.org_code;
    size_t i;
    json_t *o;
    json_array_foreach(orgs, i, o) json_object_set_new(o, "selected", json_boolean(strcmp(jstr_or_empty(o, "code"), org) == 0));
    json_t *vm = json_pack("{s:o,s:o,s:o}", "f", f, "kinds", kind_options(req, jstr(f, "kind")), "orgs", orgs);
    json_object_set_new(vm, "can_case", json_boolean(scope_can(&w->scope, CAP_MEETING_CASE)));
    if (status != 200) web_form_error(req, vm);
    return web_page(req, res, status, "meetings/meeting_form", vm);
}

static int get_new(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_MEETING_MANAGE, &web(req)->err);
    if (rc) return rc;
    /* ?person_id= (an opaque record number, as the desk's own links use) opens a case meeting */
    const char *pid = http_query(req, "person_id");
    json_t *f = json_pack("{s:s,s:i}", "kind", pid && *pid ? "case" : "tavolo", "minutes", pid && *pid ? 60 : 120);
    if (pid && *pid) json_object_set_new(f, "person_id", json_text(pid));
    return render_form(req, res, 200, f);
}

static int post_new(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    mtg_input_t in = {form_text(req, "kind"), form_text(req, "title"), form_text(req, "org"), form_text(req, "start"),
                      form_text(req, "place"), form_text(req, "agenda"), form_text(req, "series"),
                      form_int(req, "minutes"), form_int(req, "person_id"), 0};
    if (in.person_id < 0) in.person_id = 0;
    mtg_ref_t ref = {0};
    int rc = mtg_create(&w->scope, w->db, &in, &ref, &w->err);
    if (!rc) rc = mtgweb_audit(req, "meeting.create", "meeting", &ref, NULL);
    if (!rc) return web_redirect(req, res, arena_printf(req->arena, "/meetings/%lld", (long long)ref.id));
    if ((rc = web_store_fail(req, rc)) == -401 || rc == -403) return rc;
    w->tx_force = TX_ROLLBACK;
    static const char *const keep[] = {"kind", "title", "org", "start", "minutes", "place", "agenda", "series", "person_id", NULL};
    json_t *f = json_object();
    for (size_t i = 0; keep[i]; i++) json_object_set_new(f, keep[i], json_text(http_form(req, keep[i])));
    return render_form(req, res, -rc, f);
}
static const resource_t res_meetings_new = {"/meetings/new", .get = get_new, .post = post_new};

/* ---- the meeting page --------------------------------------------------------------- */

/* Adds status labels and the choices of the attendance form to the invitees. */
static void label_invitees(http_req_t *req, json_t *invitees)
{
    size_t i, k;
    json_t *p;
    json_array_foreach(invitees, i, p) {
        const char *st = jstr(p, "status");
        json_object_set_new(p, "status_label", json_string(st ? label_of(req, mark_codes, mark_names, st) : web_tr(req, "Not marked")));
        json_object_set_new(p, "n", json_integer((json_int_t)i + 1));
        /* the organisation under the name only when it says something more */
        json_object_set_new(p, "show_org", json_boolean(strcmp(jstr_or_empty(p, "name"), jstr_or_empty(p, "org_name")) != 0));
        json_t *choices = json_array();
        for (k = 0; mark_codes[k]; k++)
            json_array_append_new(choices, json_pack("{s:s,s:s,s:b,s:I}", "code", mark_codes[k], "name",
                                                     web_tr(req, mark_names[k]), "checked",
                                                     st ? strcmp(st, mark_codes[k]) == 0 : k == 0, "invitee_id",
                                                     json_integer_value(json_object_get(p, "id"))));
        json_object_set_new(p, "choices", choices);
    }
}

/* The meeting page (template `tmpl`); `status` != 200 shows the request's error. */
static int render_meeting(http_req_t *req, http_res_t *res, int status, int64_t id, const char *tmpl)
{
    web_t *w = web(req);
    json_t *m = NULL;
    mtg_ref_t ref = {0};
    err_t shown = w->err;
    int rc = mtg_read(&w->scope, w->db, id, &m, &ref, &w->err);
    if (!rc) rc = mtgweb_audit(req, "meeting.read", "meeting", &ref, NULL);
    if (rc) return mtgweb_fail(req, rc, m);
    char today[11];
    date_today(today, 0);
    json_object_set_new(m, "kind_label", json_string(label_of(req, mtg_kinds(), kind_names, jstr(m, "kind"))));
    json_object_set_new(m, "is_case", json_boolean(ref.is_case));
    label_invitees(req, json_object_get(m, "invitees"));
    label_decisions(json_object_get(m, "decisions"), today);
    json_t *vm = json_pack("{s:o}", "m", m);
    static const char *const keys[] = {"invitees", "decisions", "files", NULL};
    set_has(m, keys);
    json_object_set_new(vm, "title", json_string(jstr_or_empty(m, "title")));
    if (json_is_true(json_object_get(m, "can_manage"))) {
        json_t *orgs = json_array(), *accounts = json_array();
        err_t e2 = {0};
        if (mtg_pickers(&w->scope, w->db, orgs, accounts, &e2) == 0) {
            json_object_set_new(vm, "orgs", orgs);
            json_object_set_new(vm, "accounts", accounts);
        } else {
            json_decref(orgs);
            json_decref(accounts);
        }
    }
    const char *series = jstr(m, "series");
    if (series) {
        /* a laboratory: the other meetings of its series */
        json_t *list = json_array();
        mtg_filter_t f = {"lab", NULL, series, 0, 0, 0, 50};
        err_t e2 = {0};
        if (mtg_list(&w->scope, w->db, &f, list, &e2) == 0) {
            size_t i;
            json_t *o;
            json_array_foreach(list, i, o) json_object_set_new(o, "current", json_boolean(json_integer_value(json_object_get(o, "id")) == id));
            json_object_set_new(vm, "series_meetings", list);
        } else {
            json_decref(list);
        }
    }
    const char *done = http_query(req, "done");
    if (status == 200 && done) json_object_set_new(vm, "notice", json_string(web_tr(req, "Saved.")));
    if (status != 200) {
        w->err = shown;
        web_form_error(req, vm);
    }
    return web_page(req, res, status, tmpl, vm);
}

static int get_meeting_page(http_req_t *req, http_res_t *res)
{
    return render_meeting(req, res, 200, web_param_id(req, "id"), "meetings/meeting");
}
static const resource_t res_meetings_id = {"/meetings/{id}", .get = get_meeting_page};

/* Ends a form post on meeting `id`: to its page (anchor `anchor`) when rc is 0,
 * else the page again with the error, nothing kept. */
static int form_done(http_req_t *req, http_res_t *res, int rc, int64_t id, const char *anchor, const char *tmpl)
{
    if (!rc) return web_redirect(req, res, arena_printf(req->arena, "/meetings/%lld%s?done=1#%s", (long long)id,
                                                        strcmp(tmpl, "meetings/attendance") == 0 ? "/attendance" : "",
                                                        anchor));
    rc = web_store_fail(req, rc);
    if (rc == -401 || rc == -403 || rc == -404) return rc;
    web(req)->tx_force = TX_ROLLBACK;
    return render_meeting(req, res, -rc, id, tmpl);
}

/* One invitee a post: an account, or an organisation's e-mail. */
static int post_invite_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id"), uid = form_int(req, "user_id");
    mtg_invitee_input_t in = {uid > 0 ? uid : 0, form_text(req, "org"), form_text(req, "email"), form_text(req, "name")};
    mtg_ref_t ref = {0};
    int added = 0, mailed = 0;
    int rc = mtg_invite(&w->scope, w->db, id, &in, 1, settings_public_url(), &ref, &added, &mailed, &w->err);
    if (!rc) {
        char detail[48];
        snprintf(detail, sizeof detail, "%d invited, %d mailed", added, mailed);
        rc = mtgweb_audit(req, "meeting.invite", "meeting", &ref, detail);
    }
    return form_done(req, res, rc, id, "invitees", "meetings/meeting");
}
static const resource_t res_meetings_id_invite = {"/meetings/{id}/invite", .post = post_invite_page};

static int post_minutes_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    const char *text = http_form(req, "text");
    mtg_ref_t ref = {0};
    int rc = text && strlen(text) > MTG_MINUTES_MAX ? err_set(&w->err, 422, "too_long", "text", "The minutes are too long.")
                                                    : mtg_minutes(&w->scope, w->db, id, text, &ref, &w->err);
    if (!rc) rc = mtgweb_audit(req, "meeting.minutes", "meeting", &ref, NULL);
    return form_done(req, res, rc, id, "minutes", "meetings/meeting");
}
static const resource_t res_meetings_id_minutes = {"/meetings/{id}/minutes", .post = post_minutes_page};

static int post_decision_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id"), owner = form_int(req, "owner_user_id"), did = 0;
    mtg_decision_input_t in = {form_text(req, "text"), form_text(req, "owner_name"), form_text(req, "due"), NULL,
                               owner > 0 ? owner : 0};
    mtg_ref_t ref = {0};
    int rc = in.text && strlen(in.text) > MTG_TEXT_MAX ? err_set(&w->err, 422, "too_long", "text", "This text is too long.")
                                                       : mtg_decision_add(&w->scope, w->db, id, &in, &did, &ref, &w->err);
    if (!rc) rc = mtgweb_audit(req, "meeting.decision.create", "meeting", &ref, NULL);
    return form_done(req, res, rc, id, "decisions", "meetings/meeting");
}
static const resource_t res_meetings_id_decisions = {"/meetings/{id}/decisions", .post = post_decision_page};

/* Marks a decision done (or open again) and goes back where the form was. */
static int post_decision_status(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    mtg_decision_input_t in = {NULL, NULL, NULL, form_text(req, "status"), 0};
    mtg_ref_t ref = {0};
    json_t *out = NULL;
    int rc = mtg_decision_update(&w->scope, w->db, web_param_id(req, "id"), &in, &ref, &out, &w->err);
    json_decref(out);
    if (!rc) rc = mtgweb_audit(req, "meeting.decision.update", "meeting", &ref, NULL);
    if (rc) return web_store_fail(req, rc);
    const char *back = form_text(req, "back");
    return web_redirect(req, res, back && strcmp(back, "workspace") == 0
                                      ? "/meetings"
                                      : arena_printf(req->arena, "/meetings/%lld?done=1#decisions", (long long)ref.id));
}
static const resource_t res_meetings_decisions_id = {"/meetings/decisions/{id}", .post = post_decision_status};

/* ---- attendance --------------------------------------------------------------------- */

static int get_attendance_page(http_req_t *req, http_res_t *res)
{
    return render_meeting(req, res, 200, web_param_id(req, "id"), "meetings/attendance");
}

/* One POST marks every invitee: fields "a<invitee id>" = status (G5). */
static int post_attendance_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    mtg_mark_t *marks = arena_alloc(req->arena, (size_t)(req->nform ? req->nform : 1) * sizeof *marks);
    size_t n = 0;
    for (int i = 0; i < req->nform; i++) {
        const char *name = req->form[i].name;
        char *end;
        long long iid = name[0] == 'a' ? strtoll(name + 1, &end, 10) : 0;
        if (iid <= 0 || *end || !req->form[i].value) continue;
        marks[n].invitee_id = iid;
        marks[n++].status = req->form[i].value;
    }
    mtg_ref_t ref = {0};
    int rc = mtg_attendance(&w->scope, w->db, id, marks, n, &ref, &w->err);
    if (!rc) {
        char detail[32];
        snprintf(detail, sizeof detail, "%zu marks", n);
        rc = mtgweb_audit(req, "meeting.attendance", "meeting", &ref, detail);
    }
    return form_done(req, res, rc, id, "attendance-form", "meetings/attendance");
}
static const resource_t res_meetings_id_attendance = {"/meetings/{id}/attendance", .get = get_attendance_page, .post = post_attendance_page};

/* ---- documents ---------------------------------------------------------------------- */

/* The library list of scope `sc` as the view model of template `tmpl`. */
static int render_library(http_req_t *req, http_res_t *res, int status, const scope_t *sc, const char *tmpl)
{
    web_t *w = web(req);
    err_t shown = w->err;
    json_t *items = json_array();
    int rc = mtg_doc_list(sc, w->db, 0, 200, items, &w->err);
    if (rc) return mtgweb_fail(req, rc, items);
    size_t i;
    json_t *d;
    json_array_foreach(items, i, d) {
        char kb[32];
        snprintf(kb, sizeof kb, "%lld KB", (long long)((json_integer_value(json_object_get(d, "size")) + 1023) / 1024));
        json_object_set_new(d, "size_label", json_string(kb));
        json_object_set_new(d, "is_public", json_boolean(strcmp(jstr_or_empty(d, "visibility"), "public") == 0));
        const char *type = jstr_or_empty(d, "content_type");
        json_object_set_new(d, "type_label", json_string(strstr(type, "pdf") ? "PDF" : strstr(type, "epub") ? "EPUB"
                                                         : strstr(type, "opendocument") ? "ODT" : "DOCX"));
    }
    json_t *vm = json_pack("{s:o,s:b}", "docs", items, "has_docs", json_array_size(items) > 0);
    json_object_set_new(vm, "can_manage", json_boolean(scope_can(sc, CAP_MEETING_MANAGE)));
    json_object_set_new(vm, "done", json_boolean(http_query(req, "done") != NULL));
    if (status != 200) {
        w->err = shown;
        web_form_error(req, vm);
        json_object_set_new(vm, "form", json_pack("{s:s,s:s}", "title", form_text(req, "title") ? form_text(req, "title") : "",
                                                  "series", form_text(req, "series") ? form_text(req, "series") : ""));
    }
    return web_page(req, res, status, tmpl, vm);
}

static int get_library_page(http_req_t *req, http_res_t *res)
{
    return render_library(req, res, 200, &web(req)->scope, "meetings/library");
}
static const resource_t res_meetings_library = {"/meetings/library", .get = get_library_page};

/* The document of an upload form (multipart: title, series, visibility,
 * file): 0 with `in` filled, or -413 when the file was beyond the cap. */
static int form_doc(http_req_t *req, mtg_doc_input_t *in)
{
    const http_file_t *f;
    int rc = web_form_upload(req, &f);
    *in = (mtg_doc_input_t){form_text(req, "title"), f ? f->filename : NULL, form_text(req, "visibility"),
                            form_text(req, "series"), NULL, f ? f->data : NULL, f ? f->len : 0};
    return rc;
}

/* POST /meetings/library: a document into the library from the page's form
 * (no JavaScript); errors shown on the library page, nothing kept. */
static int post_library_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    mtg_doc_input_t in;
    mtg_ref_t ref = {0};
    int64_t doc_id = 0;
    int rc = form_doc(req, &in);
    if (!rc && !(rc = mtg_doc_add(&w->scope, w->db, &in, &doc_id, &ref, &w->err)))
        rc = mtgweb_audit(req, "document.create", "meeting_document", &ref, NULL);
    if (!rc) {
        if (in.visibility && strcmp(in.visibility, "public") == 0) web_public_changed(req);
        return web_redirect(req, res, "/meetings/library?done=1");
    }
    rc = web_store_fail(req, rc);
    if (rc == -401 || rc == -403 || rc == -404) return rc;
    w->tx_force = TX_ROLLBACK;
    return render_library(req, res, -rc, &w->scope, "meetings/library");
}
static const resource_t res_meetings_library_post = {"/meetings/library", .post = post_library_page, .max_body = ROUTE_BODY_UPLOAD};

/* POST /meetings/{id}/files: a file of the minutes from the meeting page. */
static int post_file_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id"), doc_id = 0;
    mtg_doc_input_t in;
    mtg_ref_t ref = {0};
    int rc = form_doc(req, &in);
    if (!rc && !(rc = mtg_file_add(&w->scope, w->db, id, &in, &doc_id, &ref, &w->err))) {
        char detail[32];
        snprintf(detail, sizeof detail, "document %lld", (long long)doc_id);
        rc = mtgweb_audit(req, "meeting.file.create", "meeting", &ref, detail);
    }
    return form_done(req, res, rc, id, "minutes", "meetings/meeting");
}
static const resource_t res_meetings_id_files = {"/meetings/{id}/files", .post = post_file_page, .max_body = ROUTE_BODY_UPLOAD};

/* /documenti: the public documents, for anyone (session or not). */
static int get_public_docs(http_req_t *req, http_res_t *res)
{
    scope_t anon = scope_anonymous();
    return render_library(req, res, 200, &anon, "meetings/public");
}
static const resource_t res_documenti = {"/documenti", .get = get_public_docs, .flags = R_PUBLIC};

static const resource_t *const routes[] = {&res_meetings, &res_meetings_new, &res_meetings_library,
    &res_meetings_library_post, &res_meetings_id_files, &res_meetings_id, &res_meetings_id_invite,
    &res_meetings_id_minutes, &res_meetings_id_decisions, &res_meetings_id_attendance, &res_meetings_decisions_id,
    &res_documenti};

ROUTE_TABLE(mtgweb_page_routes, routes)

/* persons_pages.c — persons in the browser: search, create / edit with the
 * duplicate warning, the person page with its tabs (including "who has seen
 * this record"), erasure and merge. */
#include "deskweb.h"
#include "core/date.h"
#include "core/i18n.h"
#include "courses/desk_view.h"
#include "core/json.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The search page with the persons matching `q` (absent or blank: the
 * empty form; over 200 characters: ignored). */
static int render_search(http_req_t *req, http_res_t *res, desk_ctx_t *c, const char *q)
{
    if (q && strlen(q) > 200) q = NULL;
    json_t *items = json_array();
    int rc = q && *q ? desk_search(req, c, q, 0, 50, items) : 0;
    if (rc) {
        json_decref(items);
        return rc;
    }
    size_t i;
    json_t *p;
    json_array_foreach(items, i, p) desk_person_display(req, p);
    json_t *vm = json_pack("{s:o, s:o, s:b, s:b}", "q", json_text(q), "results", items, "searched", q && *q, "can_write",
                           c->can_write);
    json_object_set_new(vm, "count", json_integer((json_int_t)json_array_size(items)));
    return desk_page(req, res, 200, "desk/persons", vm);
}

static int get_persons_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    return rc ? rc : render_search(req, res, &c, http_query(req, "q"));
}

/* The search form posts its query: a person's name stays out of addresses
 * (history, logs, proxies). */
static int post_persons_search_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    return rc ? rc : render_search(req, res, &c, http_form(req, "q"));
}
static const resource_t res_desk_persons_search = {"/desk/persons/search", .post = post_persons_search_page, .flags = R_READS};

static json_t *person_form_json(http_req_t *req, bool create)
{
    static const char *const names[] = {"given_name", "family_name", "sex", "birth_date", "citizenship",
                                        "codice_fiscale", "phone", "email", "preferred_language", NULL};
    json_t *b = json_object();
    for (int i = 0; names[i]; i++) {
        const char *v = desk_field(req, names[i]);
        if (v) desk_put(b, names[i], v);
        else if (!create && i >= 5) json_object_set_new(b, names[i], json_null());
    }
    const char *langs = desk_field(req, "languages");
    json_t *arr = json_array();
    if (langs) {
        char *copy = arena_strdup(req->arena, langs);
        for (char *sv = NULL, *t = strtok_r(copy, ", ;", &sv); t; t = strtok_r(NULL, ", ;", &sv)) json_array_append_new(arr, json_text(t));
    }
    json_object_set_new(b, "languages", arr);
    const char *org = desk_field(req, "org");
    if (create && org) desk_put(b, "org", org);
    return b;
}

/* The person form (`form` its values, taken; `id` 0 for a new person) with
 * the possible duplicates `dups` (taken; NULL: none), audited as shown. */
static int render_person_form(http_req_t *req, http_res_t *res, int status, desk_ctx_t *c, json_t *form, json_t *dups,
                              int64_t id)
{
    if (!form) form = json_object();
    json_t *vm = json_object();
    static const char *const sexes[] = {"f", "m", "x", NULL};
    json_object_set_new(vm, "sexes", desk_options(req, sexes, jstr(form, "sex")));
    json_object_set_new(vm, "countries", desk_country_options(req, jstr(form, "citizenship")));
    if (json_is_array(json_object_get(form, "languages"))) {
        str_t s = STR_INIT;
        size_t i;
        json_t *l;
        json_array_foreach(json_object_get(form, "languages"), i, l) {
            if (i) str_adds(&s, ", ");
            str_adds(&s, json_string_value(l) ? json_string_value(l) : "");
        }
        json_object_set_new(form, "languages_codes", json_text(str_cstr(&s)));
        str_release(&s);
    }
    json_object_set_new(vm, "form", form);
    if (id) {
        json_object_set_new(vm, "id", json_integer(id));
        json_object_set_new(vm, "action", json_sprintf("/desk/persons/%lld", (long long)id));
    } else {
        json_object_set_new(vm, "action", json_string("/desk/persons"));
        desk_flag(vm, "create");
    }
    int rc = desk_page_audit_shown(req, c, status, dups, "possible duplicate");
    if (rc) {
        json_decref(dups);
        json_decref(vm);
        return rc;
    }
    if (json_array_size(dups)) {
        size_t i;
        json_t *p;
        json_array_foreach(dups, i, p) desk_person_display(req, p);
        json_object_set_new(vm, "duplicates", dups);
    } else {
        json_decref(dups);
    }
    return desk_page(req, res, status, "desk/person_form", vm);
}

static int get_person_new(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *form = json_object();
    /* A name typed into the search box comes along. */
    const char *q = http_query(req, "q");
    if (q && *q && strlen(q) < 200) {
        char *copy = arena_strdup(req->arena, q), *sp = strrchr(copy, ' ');
        if (sp) {
            *sp = '\0';
            desk_put(form, "given_name", copy);
            desk_put(form, "family_name", sp + 1);
        } else {
            desk_put(form, "family_name", copy);
        }
    }
    return render_person_form(req, res, 200, &c, form, NULL, 0);
}
static const resource_t res_desk_persons_new = {"/desk/persons/new", .get = get_person_new};

static int post_person_new(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = person_form_json(req, true), *p = NULL, *dups = NULL;
    desk_web_event_t ev = {.action = "person.create", .kind = "person"};
    bool ask = false; /* possible duplicates: the form again, for the operator to confirm */
    if (!(rc = desk_person_input(body, true, &p, &w->err)) && !(rc = desk_person_duplicates(&c, p, 0, &dups))) {
        ask = json_array_size(dups) && !desk_field(req, "confirm_new");
        static const char ask_text[] =
            "This person may already be registered: open the existing record, or confirm that this is someone else.";
        rc = ask ? web_fail(req, 409, "possible_duplicate", NULL, ask_text)
                 : desk_person_create(&c, p, jstr(p, "org"), &ev.obj, &ev.org_id, &w->err);
    }
    json_decref(p);
    if (!ask) {
        json_decref(dups);
        dups = NULL;
    }
    if (rc && w->err.status) return render_person_form(req, res, w->err.status, &c, body, dups, 0);
    json_decref(body);
    ev.person_id = ev.obj;
    if (rc || (rc = desk_web_event(req, &c, &ev))) return web_store_fail(req, rc);
    return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?created=1", (long long)ev.obj));
}
static const resource_t res_desk_persons = {"/desk/persons", .get = get_persons_page, .post = post_person_new};

static int get_person_edit(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "person.read", .kind = "person", .detail = "edit form"};
    json_t *p = NULL;
    int rc = desk_web_read(req, &c, true, "person", &ev, &p);
    return rc ? rc : render_person_form(req, res, 200, &c, p, NULL, ev.obj);
}
static const resource_t res_desk_persons_id_edit = {"/desk/persons/{id}/edit", .get = get_person_edit};

static int post_person_edit(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "person.update", .kind = "person"};
    int rc = desk_web_find(req, &c, true, "person", &ev, NULL);
    if (rc) return rc;
    json_t *body = person_form_json(req, false), *p = NULL;
    str_t changed = STR_INIT;
    if (!(rc = desk_person_input(body, false, &p, &w->err)))
        rc = desk_person_update(&c, ev.obj, p, &ev.org_id, &changed, &w->err);
    json_decref(p);
    if (rc && w->err.status) {
        str_release(&changed);
        return render_person_form(req, res, w->err.status, &c, body, NULL, ev.obj);
    }
    json_decref(body);
    ev.detail = str_cstr(&changed);
    if (rc || (rc = desk_web_event(req, &c, &ev))) rc = web_store_fail(req, rc);
    else rc = web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?saved=1", (long long)ev.obj));
    str_release(&changed);
    return rc;
}

static int post_person_erase(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t id;
    int rc = desk_web_erase(req, &c, desk_field(req, "confirm") != NULL, &id);
    return rc ? rc : web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?erased=1", (long long)id));
}
static const resource_t res_desk_persons_id_erase = {"/desk/persons/{id}/erase", .post = post_person_erase};

static void when_text(json_t *o, const char *key, const char *out_key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v)) return;
    time_t t = (time_t)json_integer_value(v);
    struct tm tm;
    localtime_r(&t, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    json_object_set_new(o, out_key, json_string(buf));
}

/* The tab asked for by ?tab= (overview when unknown), and the tab list of
 * person `id` with the current one marked, into vm. */
static const char *person_tabs(http_req_t *req, json_t *vm, int64_t id)
{
    static const char *const tabs[] = {"overview", "consultations", "procedures", "casework", "records", "access", NULL};
    static const char *const tab_labels[] = {"Overview", "Consultations", "Procedures", "Referrals and follow-ups",
                                             "Consents, family, permits", "Who has seen this record", NULL};
    const char *tab = tabs[0], *asked = http_query(req, "tab");
    for (int i = 0; tabs[i] && asked; i++)
        if (!strcmp(tabs[i], asked)) tab = tabs[i];
    json_t *tl = json_array();
    for (int i = 0; tabs[i]; i++) {
        json_t *t = json_pack("{s:s, s:o, s:o}", "code", tabs[i], "label", json_text(web_tr(req, tab_labels[i])), "href",
                              json_sprintf("/desk/persons/%lld?tab=%s", (long long)id, tabs[i]));
        if (tabs[i] == tab) desk_flag(t, "current");
        json_array_append_new(tl, t);
    }
    json_object_set_new(vm, "tabs", tl);
    char flag[24];
    snprintf(flag, sizeof flag, "tab_%s", tab);
    desk_flag(vm, flag);
    return tab;
}

/* The person's consultations with their labels: the latest 5 on the
 * overview, up to 200 on their tab. */
static int person_consultations(http_req_t *req, desk_ctx_t *c, json_t *vm, int64_t id, bool overview)
{
    json_t *items = json_array();
    int rc = desk_consultation_list(c, id, NULL, NULL, 0, overview ? 5 : 200, items);
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) {
        json_t *labels = json_array();
        size_t k;
        json_t *t;
        json_array_foreach(json_object_get(x, "topics"), k, t)
            json_array_append_new(labels, json_text(desk_code_label(req, json_string_value(t))));
        json_object_set_new(x, "topic_labels", labels);
        json_object_set_new(x, "channel_label", json_text(desk_code_label(req, jstr(x, "channel"))));
        json_object_set_new(x, "outcome_label", json_text(jstr(x, "outcome") ? desk_code_label(req, jstr(x, "outcome")) : NULL));
    }
    json_object_set_new(vm, "consultations", items);
    return rc;
}

/* The person's courses (courses.h, C12) into vm "crs" on the overview:
 * enrolments with attendance, the CPIA exemption from the A2 test, courses
 * open near them at their level. Audited as course.person.read. */
static int person_courses(http_req_t *req, desk_ctx_t *c, json_t *vm, int64_t id)
{
    web_t *w = web(req);
    if (!scope_can(&c->scope, CAP_COURSE_READ) || !scope_can(&c->scope, CAP_PERSON_READ)) return 0;
    json_t *o = NULL;
    crs_ref_t ref = {0, 0, 0};
    char today[11];
    date_today(today, 0);
    int rc = crs_person_courses(&c->scope, c->db, id, today, &o, &ref, &w->err);
    if (!rc) rc = web_audit_id(req, "course.person.read", "person", ref.id, ref.person_id, ref.org_id, NULL);
    if (rc) {
        json_decref(o);
        return rc;
    }
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "enrolments"), i, x) {
        json_object_set_new(x, "pct", json_sprintf("%.0f", json_number_value(json_object_get(x, "attendance_pct"))));
        json_object_set_new(x, "status_label", json_text(web_tr(req, jstr(x, "status") && !strcmp(jstr(x, "status"), "enrolled") ? "Enrolled"
                                                                      : jstr(x, "status") && !strcmp(jstr(x, "status"), "waiting") ? "Waiting list" : "Withdrawn")));
    }
    json_array_foreach(json_object_get(o, "open_near"), i, x) {
        json_int_t left = json_integer_value(json_object_get(x, "capacity")) - json_integer_value(json_object_get(x, "enrolled"));
        json_object_set_new(x, "places_left", json_integer(left > 0 ? left : 0));
        json_object_set_new(x, "full", json_boolean(left <= 0));
    }
    json_object_set_new(vm, "crs", o);
    return 0;
}

/* The person's procedures in full (deadlines, checklist) with status labels. */
static int person_procedures(http_req_t *req, desk_ctx_t *c, json_t *vm, int64_t id)
{
    json_t *procs = json_array(), *full = json_array();
    int64_t org_id;
    int rc = desk_procedure_list(c, id, &org_id, procs);
    size_t i;
    json_t *x;
    json_array_foreach(procs, i, x) {
        json_t *pj = NULL;
        if (rc || desk_procedure_json(c, json_integer_value(json_object_get(x, "id")), &pj) != 0) continue;
        json_object_set_new(pj, "status_label", json_text(desk_code_label(req, jstr(pj, "status"))));
        json_array_append_new(full, pj);
    }
    json_decref(procs);
    json_object_set_new(vm, "procedures", full);
    json_array_foreach(full, i, x) if (!rc) rc = crs_procedure_exemption(req, &c->scope, c->db, x, x); /* C12 */
    return rc;
}

/* The person's records of each kind kinds[k][0] into vm[kinds[k][1]] (n
 * kinds), with status labels; referral, appointment and follow-up forms
 * get their default dates when `dates`. */
static int person_records(http_req_t *req, desk_ctx_t *c, json_t *vm, int64_t id, const char *const (*kinds)[2], int n,
                          bool dates)
{
    int rc = 0;
    for (int k = 0; k < n && !rc; k++) {
        json_t *l = json_array();
        rc = desk_person_records(c, id, kinds[k][0], NULL, l);
        size_t i;
        json_t *x;
        json_array_foreach(l, i, x) if (jstr(x, "status")) json_object_set_new(x, "status_label", json_text(desk_code_label(req, jstr(x, "status"))));
        json_object_set_new(vm, kinds[k][1], l);
    }
    if (!dates) return rc;
    char day[11];
    date_today(day, 7);
    json_object_set_new(vm, "default_followup", json_string(day));
    date_today(day, 1);
    json_object_set_new(vm, "tomorrow", json_string(day));
    return rc;
}

/* Who has seen the record, with readable times. */
static int person_access(desk_ctx_t *c, json_t *vm, int64_t id)
{
    json_t *log = json_array();
    int64_t org;
    int rc = desk_person_access_log(c, id, 300, &org, log);
    size_t i;
    json_t *x;
    json_array_foreach(log, i, x) when_text(x, "at", "when");
    json_object_set_new(vm, "access_log", log);
    return rc;
}

/* The data of `tab` of person `p` into vm: 0, or an operation's error. */
static int person_tab_data(http_req_t *req, desk_ctx_t *c, json_t *vm, json_t *p, int64_t id, const char *tab)
{
    static const char *const casework[][2] = {{"referral", "referrals"}, {"appointment", "appointments"}, {"followup", "followups"}};
    static const char *const records[][2] = {{"consent", "consents"}, {"household_link", "household"}, {"permit", "permits"},
                                             {"person_document", "documents"}};
    bool all = !strcmp(tab, "overview");
    int rc = 0;
    if (all || !strcmp(tab, "consultations")) rc = person_consultations(req, c, vm, id, all);
    if (!rc && (all || !strcmp(tab, "procedures"))) rc = person_procedures(req, c, vm, id);
    if (!rc && (all || !strcmp(tab, "casework"))) rc = person_records(req, c, vm, id, casework, 3, true);
    if (!rc && (all || !strcmp(tab, "records"))) rc = person_records(req, c, vm, id, records, 4, false);
    if (!rc && !strcmp(tab, "access")) rc = person_access(c, vm, id);
    if (!rc && all) rc = person_courses(req, c, vm, id);
    if (!rc && all && scope_can(&web(req)->scope, CAP_PERSON_MERGE) && json_is_true(json_object_get(p, "is_active"))) {
        json_t *dups = NULL;
        if (!(rc = desk_person_duplicates(c, p, id, &dups))) {
            size_t i;
            json_t *x;
            json_array_foreach(dups, i, x) desk_person_display(req, x);
            json_object_set_new(vm, "duplicates", dups);
        }
    }
    return rc;
}

/* The person page with tab ?tab=; `status` other than 200 shows the
 * request's error (a form of the tab sent back, e.g. an upload). */
static int render_person_page(http_req_t *req, http_res_t *res, int status)
{
    err_t shown = web(req)->err;
    desk_ctx_t c;
    json_t *vm = json_object(), *p = NULL;
    desk_web_event_t ev = {.action = "person.read", .kind = "person"};
    ev.detail = person_tabs(req, vm, web_param_id(req, "id"));
    int rc = desk_web_find(req, &c, false, "person", &ev, &p);
    char detail[48];
    snprintf(detail, sizeof detail, "possible duplicate of %lld", (long long)ev.obj);
    if (!rc) {
        desk_person_display(req, p);
        bool active = json_is_true(json_object_get(p, "is_active"));
        json_object_set(vm, "person", p);
        json_object_set_new(vm, "tab", json_string(ev.detail));
        json_object_set_new(vm, "can_write", json_boolean(c.can_write && active));
        json_object_set_new(vm, "can_erase", json_boolean(scope_can(&web(req)->scope, CAP_GDPR_ERASE) && active));
        if ((rc = person_tab_data(req, &c, vm, p, ev.obj, ev.detail)) || (rc = desk_web_event(req, &c, &ev)) ||
            (rc = desk_page_audit_shown(req, &c, 200, json_object_get(vm, "duplicates"), detail)))
            rc = web_store_fail(req, rc);
    }
    json_decref(p);
    if (rc) {
        json_decref(vm);
        return rc;
    }
    static const char *const flags[] = {"created", "saved", "recorded", "erased", NULL};
    desk_page_flags(req, vm, flags);
    if (status != 200) {
        web(req)->err = shown;
        web_form_error(req, vm);
        json_object_set_new(vm, "doc_title", json_string(desk_field(req, "title") ? desk_field(req, "title") : ""));
    }
    return desk_page(req, res, status, "desk/person", vm);
}

static int get_person_page(http_req_t *req, http_res_t *res)
{
    return render_person_page(req, res, 200);
}
static const resource_t res_desk_persons_id = {"/desk/persons/{id}", .get = get_person_page, .post = post_person_edit};

/* POST /desk/persons/{id}/documents?tab=records — a document (multipart:
 * title, file) from the records tab's form, as the API's upload; a refused
 * file (413, 415, 422) is shown on the same tab and nothing is kept. */
static int post_document_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    const http_file_t *f;
    desk_web_event_t ev = {.action = "document.create", .kind = "document"};
    int rc = desk_web_find(req, &c, true, "person", &ev, NULL);
    if (rc) return rc;
    int64_t pid = ev.obj;
    if (!(rc = web_form_upload(req, &f)))
        rc = desk_document_create(&c, pid, desk_field(req, "title"), web_upload_stem(req, f ? f->filename : NULL), f ? f->data : NULL,
                                  f ? f->len : 0, &ev.obj, &ev.org_id, &web(req)->err);
    if (!rc && !(rc = desk_web_event(req, &c, &ev)))
        return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?tab=records&saved=1", (long long)pid));
    rc = web_store_fail(req, rc);
    if (rc == -401 || rc == -403 || rc == -404) return rc;
    web(req)->tx_force = TX_ROLLBACK;
    return render_person_page(req, res, -rc);
}
static const resource_t res_desk_persons_id_documents = {"/desk/persons/{id}/documents", .post = post_document_page, .max_body = ROUTE_BODY_UPLOAD};

/* A coordinator merges a duplicate (other_id) into this record. */
static int post_person_merge_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_allowed(req, &c, true, CAP_PERSON_MERGE);
    if (rc) return rc;
    int64_t keep = web_param_id(req, "id");
    const char *o = desk_field(req, "other_id");
    int64_t gone = o ? strtoll(o, NULL, 10) : 0;
    /* An unknown other record answers 404 here (the form names one of the page's duplicates). */
    if ((rc = desk_person_get(&c, keep, NULL, NULL)) || (rc = gone == keep ? 1 : desk_person_get(&c, gone, NULL, NULL)) ||
        (rc = desk_web_merge(req, &c, keep, gone)))
        return web_store_fail(req, rc);
    return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?saved=1", (long long)keep));
}
static const resource_t res_desk_persons_id_merge = {"/desk/persons/{id}/merge", .post = post_person_merge_page};

static const resource_t *const routes[] = {&res_desk_persons, &res_desk_persons_search, &res_desk_persons_new,
    &res_desk_persons_id, &res_desk_persons_id_edit, &res_desk_persons_id_erase, &res_desk_persons_id_merge,
    &res_desk_persons_id_documents};

ROUTE_TABLE(desk_person_page_routes, routes)

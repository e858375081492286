/* persons_pages.c — persons in the browser: search, create / edit with the
 * duplicate warning, the person page with its tabs (including "who has seen
 * this record"), erasure and merge. */
#include "deskweb.h"
#include "core/i18n.h"
#include "core/json.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int get_persons_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    const char *q = http_query(req, "q");
    if (q && strlen(q) > 200) q = NULL;
    json_t *items = json_array();
    if (q && *q && (rc = desk_search(req, &c, q, 0, 50, items))) {
        json_decref(items);
        return rc;
    }
    size_t i;
    json_t *p;
    json_array_foreach(items, i, p) desk_person_display(req, p);
    json_t *vm = json_pack("{s:o, s:o, s:b, s:b}", "q", json_text(q), "results", items, "searched", q && *q, "can_write",
                           c.can_write);
    json_object_set_new(vm, "count", json_integer((json_int_t)json_array_size(items)));
    return desk_page(req, res, 200, "desk/persons", vm);
}

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

static int render_person_form(http_req_t *req, http_res_t *res, int status, json_t *form, json_t *dups, int64_t id)
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
    if (dups && json_array_size(dups)) {
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
    return render_person_form(req, res, 200, form, NULL, 0);
}

static int post_person_new(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = person_form_json(req, true), *p = NULL, *dups = NULL;
    int64_t id, org;
    if ((rc = desk_person_input(body, true, &p, &w->err))) return render_person_form(req, res, -rc, body, NULL, 0);
    if ((rc = desk_person_duplicates(&c, p, 0, &dups))) goto fail;
    if (json_array_size(dups) && !desk_field(req, "confirm_new")) {
        json_decref(p);
        web_fail(req, 409, "possible_duplicate", NULL,
                 "This person may already be registered: open the existing record, or confirm that this is someone else.");
        return render_person_form(req, res, 409, body, dups, 0);
    }
    json_decref(dups);
    dups = NULL;
    if ((rc = desk_person_create(&c, p, jstr(p, "org"), &id, &org, &w->err))) {
        json_decref(p);
        if (w->err.status) return render_person_form(req, res, w->err.status, body, NULL, 0);
        json_decref(body);
        return web_db_fail(req, rc);
    }
    json_decref(p);
    json_decref(body);
    if ((rc = desk_web_audit(req, &c, "person.create", "person", id, id, org, NULL))) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?created=1", (long long)id));
fail:
    json_decref(p);
    json_decref(body);
    json_decref(dups);
    return web_db_fail(req, rc);
}

static int get_person_edit(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *p = NULL;
    int64_t id = web_param_id(req, "id");
    rc = desk_person_get(&c, id, NULL, &p);
    if (rc) return web_store_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "person.read", "person", id, id, json_integer_value(json_object_get(p, "org_id")), "edit form"))) {
        json_decref(p);
        return rc;
    }
    return render_person_form(req, res, 200, p, NULL, id);
}

static int post_person_edit(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int64_t id, org;
    int rc = desk_web_person(req, &c, true, &id, &org, NULL);
    if (rc) return rc;
    json_t *body = person_form_json(req, false), *p = NULL;
    str_t changed = STR_INIT;
    if ((rc = desk_person_input(body, false, &p, &w->err)) ||
        (rc = desk_person_update(&c, id, p, &org, &changed, &w->err))) {
        json_decref(p);
        str_release(&changed);
        if (w->err.status) return render_person_form(req, res, w->err.status, body, NULL, id);
        json_decref(body);
        return web_db_fail(req, rc);
    }
    json_decref(p);
    json_decref(body);
    rc = desk_web_audit(req, &c, "person.update", "person", id, id, org, str_cstr(&changed));
    str_release(&changed);
    if (rc) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?saved=1", (long long)id));
}

static int post_person_erase(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int64_t id, org;
    int rc = desk_web_person(req, &c, true, &id, &org, NULL);
    if (rc) return rc;
    if ((rc = scope_require(&w->scope, CAP_GDPR_ERASE, &w->err))) return rc;
    if (!desk_field(req, "confirm")) return web_fail(req, 422, "required", "confirm", "Tick the box to confirm the erasure.");
    if ((rc = desk_person_erase(&c, id, &org, &w->err))) return web_store_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "person.erase", "person", id, id, org, "anonymised"))) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?erased=1", (long long)id));
}

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

static int get_person_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id");
    json_t *p = NULL;
    rc = desk_person_get(&c, id, NULL, &p);
    if (rc) return web_store_fail(req, rc);
    int64_t org = json_integer_value(json_object_get(p, "org_id"));
    const char *tab = http_query(req, "tab");
    static const char *const tabs[] = {"overview", "consultations", "procedures", "casework", "records", "access", NULL};
    static const char *const tab_labels[] = {"Overview", "Consultations", "Procedures", "Referrals and follow-ups",
                                             "Consents, family, permits", "Who has seen this record", NULL};
    bool known = false;
    for (int i = 0; tabs[i] && tab; i++) known = known || strcmp(tabs[i], tab) == 0;
    if (!known) tab = "overview";
    desk_person_display(req, p);
    json_t *vm = json_pack("{s:o, s:s, s:b, s:b}", "person", p, "tab", tab, "can_write",
                           c.can_write && json_is_true(json_object_get(p, "is_active")), "can_erase",
                           scope_can(&web(req)->scope, CAP_GDPR_ERASE) && json_is_true(json_object_get(p, "is_active")));
    json_t *tl = json_array();
    for (int i = 0; tabs[i]; i++) {
        json_t *t = json_pack("{s:s, s:o, s:o}", "code", tabs[i], "label", json_text(web_tr(req, tab_labels[i])), "href",
                              json_sprintf("/desk/persons/%lld?tab=%s", (long long)id, tabs[i]));
        if (strcmp(tabs[i], tab) == 0) desk_flag(t, "current");
        json_array_append_new(tl, t);
    }
    json_object_set_new(vm, "tabs", tl);
    char flag[24];
    snprintf(flag, sizeof flag, "tab_%s", tab);
    desk_flag(vm, flag);
    json_t *items = json_array();
    if (!strcmp(tab, "overview") || !strcmp(tab, "consultations")) {
        rc = desk_consultation_list(&c, id, NULL, NULL, 0, strcmp(tab, "overview") ? 200 : 5, items);
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
        json_object_set(vm, "consultations", items);
    }
    if (!rc && (!strcmp(tab, "overview") || !strcmp(tab, "procedures"))) {
        json_t *procs = json_array(), *full = json_array();
        int64_t org_id;
        rc = desk_procedure_list(&c, id, &org_id, procs);
        size_t i;
        json_t *x;
        json_array_foreach(procs, i, x) {
            json_t *pj = NULL;
            if (rc || desk_procedure_json(&c, json_integer_value(json_object_get(x, "id")), &pj) != 0) continue;
            json_object_set_new(pj, "status_label", json_text(desk_code_label(req, jstr(pj, "status"))));
            json_array_append_new(full, pj);
        }
        json_decref(procs);
        json_object_set_new(vm, "procedures", full);
    }
    if (!rc && (!strcmp(tab, "overview") || !strcmp(tab, "casework"))) {
        static const char *const kinds[][2] = {{"referral", "referrals"}, {"appointment", "appointments"}, {"followup", "followups"}};
        for (int k = 0; k < 3 && !rc; k++) {
            json_t *l = json_array();
            rc = desk_person_records(&c, id, kinds[k][0], NULL, l);
            size_t i;
            json_t *x;
            json_array_foreach(l, i, x) if (jstr(x, "status")) json_object_set_new(x, "status_label", json_text(desk_code_label(req, jstr(x, "status"))));
            json_object_set_new(vm, kinds[k][1], l);
        }
        char today[11];
        date_today(today, 7);
        json_object_set_new(vm, "default_followup", json_string(today));
        date_today(today, 1);
        json_object_set_new(vm, "tomorrow", json_string(today));
    }
    if (!rc && (!strcmp(tab, "overview") || !strcmp(tab, "records"))) {
        static const char *const kinds[][2] = {{"consent", "consents"}, {"household_link", "household"}, {"permit", "permits"},
                                               {"person_document", "documents"}};
        for (int k = 0; k < 4 && !rc; k++) {
            json_t *l = json_array();
            rc = desk_person_records(&c, id, kinds[k][0], NULL, l);
            json_object_set_new(vm, kinds[k][1], l);
        }
    }
    if (!rc && !strcmp(tab, "access")) {
        json_t *log = json_array();
        rc = desk_person_access_log(&c, id, 300, &org, log);
        size_t i;
        json_t *x;
        json_array_foreach(log, i, x) when_text(x, "at", "when");
        json_object_set_new(vm, "access_log", log);
    }
    if (!rc && !strcmp(tab, "overview") && scope_can(&web(req)->scope, CAP_PERSON_MERGE) &&
        json_is_true(json_object_get(p, "is_active"))) {
        json_t *dups = NULL;
        if ((rc = desk_person_duplicates(&c, p, id, &dups)) == 0) {
            size_t i;
            json_t *x;
            json_array_foreach(dups, i, x) desk_person_display(req, x);
            json_object_set_new(vm, "duplicates", dups);
        }
    }
    json_decref(items);
    if (rc) {
        json_decref(vm);
        return web_db_fail(req, rc);
    }
    if ((rc = desk_web_audit(req, &c, "person.read", "person", id, id, org, tab))) {
        json_decref(vm);
        return rc;
    }
    if (http_query(req, "created")) desk_flag(vm, "created");
    if (http_query(req, "saved")) desk_flag(vm, "saved");
    if (http_query(req, "recorded")) desk_flag(vm, "recorded");
    if (http_query(req, "erased")) desk_flag(vm, "erased");
    return desk_page(req, res, 200, "desk/person", vm);
}

/* A coordinator merges a duplicate (other_id) into this record. */
static int post_person_merge_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = scope_require(&w->scope, CAP_PERSON_MERGE, &w->err))) return rc;
    int64_t keep = web_param_id(req, "id");
    const char *o = desk_field(req, "other_id");
    int64_t gone = o ? strtoll(o, NULL, 10) : 0;
    /* An unknown other record answers 404 here (the form names one of the page's duplicates). */
    if ((rc = desk_person_get(&c, keep, NULL, NULL)) || (rc = gone == keep ? 1 : desk_person_get(&c, gone, NULL, NULL)) ||
        (rc = desk_web_merge(req, &c, keep, gone)))
        return web_store_fail(req, rc);
    return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?saved=1", (long long)keep));
}

static const route_t routes[] = {
    {"GET", "/desk/persons", get_persons_page, 0},
    {"POST", "/desk/persons", post_person_new, R_WRITE},
    {"GET", "/desk/persons/new", get_person_new, 0},
    {"GET", "/desk/persons/{id}", get_person_page, 0},
    {"POST", "/desk/persons/{id}", post_person_edit, R_WRITE},
    {"GET", "/desk/persons/{id}/edit", get_person_edit, 0},
    {"POST", "/desk/persons/{id}/erase", post_person_erase, R_WRITE},
    {"POST", "/desk/persons/{id}/merge", post_person_merge_page, R_WRITE},
};

const route_t *desk_person_page_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

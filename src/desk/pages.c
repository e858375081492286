/* pages.c — the help desk in the browser: the desk home (search and the
 * agenda), person search, create / edit with the duplicate warning, the
 * person page with its tabs (including "who has seen this record"), the
 * consultation form, procedures with checklist and deadlines, the printable
 * checklist in the person's language, rules (admin) and access grants (admin).
 *
 * Forms are turned into the same JSON the API takes and go through the same
 * logic, so a page can never accept what the API refuses. A form shown again
 * with its errors rolls its transaction back (nothing half-written). */
#include "app/audit.h"
#include "core/i18n.h"
#include "core/json.h"
#include "deskweb.h"
#include "network/network.h"
#include "store.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* English labels of codes (translated through the catalogues). */
static const char *const code_labels[][2] = {
    {"permit_renewal", "Permit renewal"}, {"family_reunification", "Family reunification"},
    {"a2_test", "A2 Italian test"}, {"eu_long_term", "EU long-term permit"}, {"citizenship", "Citizenship"},
    {"qualification_recognition", "Qualification recognition"}, {"work", "Work"}, {"housing", "Housing"},
    {"health", "Health"}, {"school", "School"}, {"training", "Training"}, {"language_course", "Italian course"},
    {"legal", "Legal advice"}, {"social", "Social services"}, {"family", "Family and children"},
    {"orientation", "Orientation to services"}, {"other", "Other"},
    {"informed", "Information given"}, {"assisted", "Assisted with a form or procedure"}, {"referred", "Referred to a service"},
    {"procedure_opened", "Procedure opened"}, {"follow_up", "Follow-up needed"}, {"resolved", "Resolved"},
    {"in_person", "In person"}, {"phone", "Phone"}, {"online", "Online"},
    {"m", "Man"}, {"f", "Woman"}, {"x", "Non-binary"},
    {"open", "Open"}, {"submitted", "Submitted"}, {"completed", "Completed"}, {"cancelled", "Cancelled"},
    {"active", "Active"}, {"anonymised", "Anonymised"}, {"merged", "Merged"},
    {"sent", "Sent"}, {"accepted", "Accepted"}, {"declined", "Declined"}, {"no_show", "Did not go"},
    {"scheduled", "Scheduled"}, {"done", "Done"}, {"missed", "Missed"},
    {"due", "Act by"}, {"limit", "Legal limit"}, {"earliest", "Not before"}, {"expiry", "Expiry"}, {"info", "Date"},
};

static const char *code_label(http_req_t *req, const char *code)
{
    for (size_t i = 0; code && i < sizeof code_labels / sizeof code_labels[0]; i++)
        if (strcmp(code_labels[i][0], code) == 0) return web_tr(req, code_labels[i][1]);
    return code ? code : "";
}

/* Form field, NULL when absent or blank (trimmed). */
static const char *field(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    if (!v) return NULL;
    while (isspace((unsigned char)*v)) v++;
    if (!*v) return NULL;
    char *c = arena_strdup(req->arena, v);
    size_t n = strlen(c);
    while (n && isspace((unsigned char)c[n - 1])) c[--n] = '\0';
    return c;
}

static void put_str(json_t *o, const char *k, const char *v)
{
    if (v) json_object_set_new(o, k, json_text(v));
}

/* Renders a page; a 4xx render keeps nothing of the transaction. */
static int page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm)
{
    web_t *w = web(req);
    if (status >= 400) {
        w->tx_force = TX_ROLLBACK;
        json_object_set_new(vm, "error", json_text(web_tr(req, w->err.message ? w->err.message : "Something went wrong on our side.")));
        json_object_set_new(vm, "error_field", json_text(w->err.field[0] ? w->err.field : NULL));
        memset(&w->err, 0, sizeof w->err);
    }
    return web_page(req, res, status, tmpl, vm);
}

static void set_flag(json_t *vm, const char *key)
{
    json_object_set_new(vm, key, json_true());
}

/* Adds display fields to a person object. */
static void person_display(http_req_t *req, json_t *p)
{
    const char *lang = web(req)->lang;
    json_object_set_new(p, "citizenship_name", json_text(desk_country_name(jstr(p, "citizenship"), lang)));
    json_object_set_new(p, "sex_label", json_text(code_label(req, jstr(p, "sex"))));
    json_object_set_new(p, "status_label", json_text(code_label(req, jstr(p, "status"))));
    json_object_set_new(p, "is_active", json_boolean(jstr(p, "status") && strcmp(jstr(p, "status"), "active") == 0));
    json_t *langs = json_object_get(p, "languages");
    if (json_is_array(langs)) {
        str_t s = STR_INIT;
        size_t i;
        json_t *l;
        json_array_foreach(langs, i, l) {
            if (i) str_adds(&s, ", ");
            str_adds(&s, desk_language_name(json_string_value(l), lang));
        }
        json_object_set_new(p, "languages_text", json_text(str_cstr(&s)));
        str_reset(&s);
        json_array_foreach(langs, i, l) {
            if (i) str_adds(&s, ", ");
            str_adds(&s, json_string_value(l));
        }
        json_object_set_new(p, "languages_codes", json_text(str_cstr(&s)));
        str_release(&s);
    }
}

static json_t *options(http_req_t *req, const char *const *codes, const char *selected)
{
    json_t *arr = json_array();
    for (int i = 0; codes[i]; i++) {
        json_t *o = json_pack("{s:s, s:o}", "code", codes[i], "label", json_text(code_label(req, codes[i])));
        if (selected && strcmp(selected, codes[i]) == 0) set_flag(o, "selected");
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *country_options(http_req_t *req, const char *selected)
{
    json_t *arr = desk_countries_json(web(req)->lang);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) if (selected && strcmp(jstr(o, "code"), selected) == 0) set_flag(o, "selected");
    return arr;
}

/* ---- desk home: search and agenda ------------------------------------------------ */

static void agenda_display(http_req_t *req, json_t *ag)
{
    static const char *const lists[] = {"deadlines", "overdue_deadlines", "permits_expiring", "overdue_followups",
                                        "appointments"};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        size_t i;
        json_t *d;
        json_array_foreach(json_object_get(ag, lists[l]), i, d) {
            if (jstr(d, "kind")) json_object_set_new(d, "kind_label", json_text(code_label(req, jstr(d, "kind"))));
            if (l == 2) json_object_set_new(d, "kind_label", json_text(jstr(d, "kind")));
        }
    }
    json_object_set_new(ag, "has_appointments", json_boolean(json_array_size(json_object_get(ag, "appointments"))));
    json_object_set_new(ag, "has_deadlines", json_boolean(json_array_size(json_object_get(ag, "deadlines"))));
    json_object_set_new(ag, "has_overdue", json_boolean(json_array_size(json_object_get(ag, "overdue_deadlines")) +
                                                        json_array_size(json_object_get(ag, "overdue_followups"))));
    json_object_set_new(ag, "has_permits", json_boolean(json_array_size(json_object_get(ag, "permits_expiring"))));
}

static int get_desk(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    json_t *ag = NULL;
    if ((rc = desk_agenda(&c, 90, &ag))) return web_db_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "agenda.read", NULL, 0, 0, c.scope.org_id, NULL))) {
        json_decref(ag);
        return rc;
    }
    agenda_display(req, ag);
    json_t *vm = json_pack("{s:o, s:b, s:b, s:b}", "agenda", ag, "can_write", c.can_write, "grant", c.grant_id > 0,
                           "can_import", scope_can(&web(req)->scope, CAP_DESK_IMPORT));
    if (c.grant_id) json_object_set_new(vm, "grant_reason", json_text(c.reason));
    return page(req, res, 200, "desk/home", vm);
}

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
    json_array_foreach(items, i, p) person_display(req, p);
    json_t *vm = json_pack("{s:o, s:o, s:b, s:b}", "q", json_text(q), "results", items, "searched", q && *q, "can_write",
                           c.can_write);
    json_object_set_new(vm, "count", json_integer((json_int_t)json_array_size(items)));
    return page(req, res, 200, "desk/persons", vm);
}

/* ---- create / edit ----------------------------------------------------------------- */

static json_t *person_form_json(http_req_t *req, bool create)
{
    static const char *const names[] = {"given_name", "family_name", "sex", "birth_date", "citizenship",
                                        "codice_fiscale", "phone", "email", "preferred_language", NULL};
    json_t *b = json_object();
    for (int i = 0; names[i]; i++) {
        const char *v = field(req, names[i]);
        if (v) put_str(b, names[i], v);
        else if (!create && i >= 5) json_object_set_new(b, names[i], json_null());
    }
    const char *langs = field(req, "languages");
    json_t *arr = json_array();
    if (langs) {
        char *copy = arena_strdup(req->arena, langs);
        for (char *sv = NULL, *t = strtok_r(copy, ", ;", &sv); t; t = strtok_r(NULL, ", ;", &sv)) json_array_append_new(arr, json_text(t));
    }
    json_object_set_new(b, "languages", arr);
    const char *org = field(req, "org");
    if (create && org) put_str(b, "org", org);
    return b;
}

static int render_person_form(http_req_t *req, http_res_t *res, int status, json_t *form, json_t *dups, int64_t id)
{
    if (!form) form = json_object();
    json_t *vm = json_object();
    static const char *const sexes[] = {"f", "m", "x", NULL};
    json_object_set_new(vm, "sexes", options(req, sexes, jstr(form, "sex")));
    json_object_set_new(vm, "countries", country_options(req, jstr(form, "citizenship")));
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
        set_flag(vm, "create");
    }
    if (dups && json_array_size(dups)) {
        size_t i;
        json_t *p;
        json_array_foreach(dups, i, p) person_display(req, p);
        json_object_set_new(vm, "duplicates", dups);
    } else {
        json_decref(dups);
    }
    return page(req, res, status, "desk/person_form", vm);
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
            put_str(form, "given_name", copy);
            put_str(form, "family_name", sp + 1);
        } else {
            put_str(form, "family_name", copy);
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
    if (json_array_size(dups) && !field(req, "confirm_new")) {
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
    rc = store_person_get(&c.scope, c.db, id, &p);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
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
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), org = 0;
    json_t *probe = NULL;
    rc = store_person_get(&c.scope, c.db, id, &probe);
    json_decref(probe);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
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
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), org = 0;
    json_t *probe = NULL;
    rc = store_person_get(&c.scope, c.db, id, &probe);
    json_decref(probe);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    if ((rc = scope_require(&w->scope, CAP_GDPR_ERASE, &w->err))) return rc;
    if (!field(req, "confirm")) return web_fail(req, 422, "required", "confirm", "Tick the box to confirm the erasure.");
    if ((rc = desk_person_erase(&c, id, &org, &w->err))) return desk_web_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "person.erase", "person", id, id, org, "anonymised"))) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?erased=1", (long long)id));
}

/* ---- the person page ------------------------------------------------------------------ */

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
    rc = store_person_get(&c.scope, c.db, id, &p);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    int64_t org = json_integer_value(json_object_get(p, "org_id"));
    const char *tab = http_query(req, "tab");
    static const char *const tabs[] = {"overview", "consultations", "procedures", "casework", "records", "access", NULL};
    static const char *const tab_labels[] = {"Overview", "Consultations", "Procedures", "Referrals and follow-ups",
                                             "Consents, family, permits", "Who has seen this record", NULL};
    bool known = false;
    for (int i = 0; tabs[i] && tab; i++) known = known || strcmp(tabs[i], tab) == 0;
    if (!known) tab = "overview";
    person_display(req, p);
    json_t *vm = json_pack("{s:o, s:s, s:b, s:b}", "person", p, "tab", tab, "can_write",
                           c.can_write && json_is_true(json_object_get(p, "is_active")), "can_erase",
                           scope_can(&web(req)->scope, CAP_GDPR_ERASE) && json_is_true(json_object_get(p, "is_active")));
    json_t *tl = json_array();
    for (int i = 0; tabs[i]; i++) {
        json_t *t = json_pack("{s:s, s:o, s:o}", "code", tabs[i], "label", json_text(web_tr(req, tab_labels[i])), "href",
                              json_sprintf("/desk/persons/%lld?tab=%s", (long long)id, tabs[i]));
        if (strcmp(tabs[i], tab) == 0) set_flag(t, "current");
        json_array_append_new(tl, t);
    }
    json_object_set_new(vm, "tabs", tl);
    char flag[24];
    snprintf(flag, sizeof flag, "tab_%s", tab);
    set_flag(vm, flag);
    json_t *items = json_array();
    if (!strcmp(tab, "overview") || !strcmp(tab, "consultations")) {
        rc = store_consultation_list(&c.scope, c.db, id, NULL, NULL, 0, strcmp(tab, "overview") ? 200 : 5, items);
        size_t i;
        json_t *x;
        json_array_foreach(items, i, x) {
            json_t *labels = json_array();
            size_t k;
            json_t *t;
            json_array_foreach(json_object_get(x, "topics"), k, t)
                json_array_append_new(labels, json_text(code_label(req, json_string_value(t))));
            json_object_set_new(x, "topic_labels", labels);
            json_object_set_new(x, "channel_label", json_text(code_label(req, jstr(x, "channel"))));
            json_object_set_new(x, "outcome_label", json_text(jstr(x, "outcome") ? code_label(req, jstr(x, "outcome")) : NULL));
        }
        json_object_set(vm, "consultations", items);
    }
    if (!rc && (!strcmp(tab, "overview") || !strcmp(tab, "procedures"))) {
        json_t *procs = json_array(), *full = json_array();
        rc = store_procedure_list(&c.scope, c.db, id, procs);
        size_t i;
        json_t *x;
        json_array_foreach(procs, i, x) {
            json_t *pj = NULL;
            if (rc || desk_procedure_json(&c, json_integer_value(json_object_get(x, "id")), &pj) != 0) continue;
            json_object_set_new(pj, "status_label", json_text(code_label(req, jstr(pj, "status"))));
            json_array_append_new(full, pj);
        }
        json_decref(procs);
        json_object_set_new(vm, "procedures", full);
    }
    if (!rc && (!strcmp(tab, "overview") || !strcmp(tab, "casework"))) {
        static const char *const kinds[][2] = {{"referral", "referrals"}, {"appointment", "appointments"}, {"followup", "followups"}};
        for (int k = 0; k < 3 && !rc; k++) {
            json_t *l = json_array();
            rc = store_list_of_person(c.db, kinds[k][0], id, l);
            size_t i;
            json_t *x;
            json_array_foreach(l, i, x) if (jstr(x, "status")) json_object_set_new(x, "status_label", json_text(code_label(req, jstr(x, "status"))));
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
            rc = store_list_of_person(c.db, kinds[k][0], id, l);
            size_t i;
            json_t *x;
            json_array_foreach(l, i, x) json_object_del(x, "storage");
            json_object_set_new(vm, kinds[k][1], l);
        }
    }
    if (!rc && !strcmp(tab, "access")) {
        json_t *log = json_array();
        rc = store_person_access_log(c.db, id, 300, log);
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
            json_array_foreach(dups, i, x) person_display(req, x);
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
    if (http_query(req, "created")) set_flag(vm, "created");
    if (http_query(req, "saved")) set_flag(vm, "saved");
    if (http_query(req, "recorded")) set_flag(vm, "recorded");
    if (http_query(req, "erased")) set_flag(vm, "erased");
    return page(req, res, 200, "desk/person", vm);
}

/* ---- consultations ------------------------------------------------------------------------ */

static int render_consultation_form(http_req_t *req, http_res_t *res, int status, desk_ctx_t *c, json_t *form,
                                    int64_t person_id)
{
    json_t *vm = json_object(), *person = NULL;
    if (person_id && store_person_get(&c->scope, c->db, person_id, &person) == 0) {
        person_display(req, person);
        json_object_set_new(vm, "person", person);
    } else {
        set_flag(vm, "anonymous");
        static const char *const sexes[] = {"f", "m", "x", NULL};
        json_object_set_new(vm, "sexes", options(req, sexes, jstr(form, "sex")));
        json_object_set_new(vm, "countries", country_options(req, jstr(form, "citizenship")));
        json_t *bands = json_array();
        static const char *const b[] = {"0-17", "18-60", "61+"};
        for (int i = 0; i < 3; i++) {
            json_t *o = json_pack("{s:s}", "code", b[i]);
            if (jstr(form, "age_band") && !strcmp(jstr(form, "age_band"), b[i])) set_flag(o, "selected");
            json_array_append_new(bands, o);
        }
        json_object_set_new(vm, "age_bands", bands);
    }
    json_t *topics = json_array();
    const char *const *tl = desk_topics();
    for (int i = 0; tl[i]; i++) {
        char key[64];
        snprintf(key, sizeof key, "topic_%s", tl[i]);
        json_t *o = json_pack("{s:s, s:o, s:i}", "code", tl[i], "label", json_text(code_label(req, tl[i])), "n", i + 1);
        if (json_is_true(json_object_get(form, key))) set_flag(o, "checked");
        json_array_append_new(topics, o);
    }
    json_object_set_new(vm, "topics", topics);
    static const char *const channels[] = {"in_person", "phone", "online", NULL};
    json_object_set_new(vm, "channels", options(req, channels, jstr(form, "channel") ? jstr(form, "channel") : "in_person"));
    json_object_set_new(vm, "outcomes", options(req, desk_outcomes(), jstr(form, "outcome") ? jstr(form, "outcome") : "informed"));
    char today[11];
    date_today(today, 0);
    if (!jstr(form, "date")) json_object_set_new(form, "date", json_string(today));
    json_object_set_new(vm, "today", json_string(today));
    json_object_set_new(vm, "form", form);
    if (http_query(req, "saved")) set_flag(vm, "saved");
    return page(req, res, status, "desk/consultation_form", vm);
}

static int get_consultation_new(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    const char *pid = http_query(req, "person_id");
    int64_t id = pid ? strtoll(pid, NULL, 10) : 0;
    if (id) {
        json_t *p = NULL;
        rc = store_person_get(&c.scope, c.db, id, &p);
        json_decref(p);
        if (rc == 1) return web_not_found(req);
        if (rc) return web_db_fail(req, rc);
    }
    return render_consultation_form(req, res, 200, &c, json_object(), id);
}

static int post_consultation_new(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = json_object(), *form = json_object();
    const char *pid = field(req, "person_id");
    int64_t person_id = pid ? strtoll(pid, NULL, 10) : 0;
    if (person_id) json_object_set_new(body, "person_id", json_integer(person_id));
    static const char *const names[] = {"date", "channel", "outcome", "notes", "citizenship", "sex", "age_band", NULL};
    for (int i = 0; names[i]; i++) {
        const char *v = field(req, names[i]);
        put_str(form, names[i], v);
        if (v && (person_id == 0 || i < 4)) put_str(body, names[i], v);
    }
    const char *dur = field(req, "duration_minutes");
    if (dur) {
        char *end;
        long v = strtol(dur, &end, 10);
        json_object_set_new(body, "duration_minutes", *end ? json_string(dur) : json_integer(v));
        put_str(form, "duration_minutes", dur);
    }
    json_t *topics = json_array();
    const char *const *tl = desk_topics();
    for (int i = 0; tl[i]; i++) {
        char key[64];
        snprintf(key, sizeof key, "topic_%s", tl[i]);
        if (field(req, key)) {
            json_array_append_new(topics, json_string(tl[i]));
            json_object_set_new(form, key, json_true());
        }
    }
    json_object_set_new(body, "topics", topics);
    const char *fu = field(req, "follow_up_date");
    if (fu && person_id)
        json_object_set_new(body, "follow_up", json_pack("{s:s, s:o}", "due_date", fu, "note", json_text(field(req, "follow_up_note"))));
    const char *ref = field(req, "referral_service");
    if (ref && person_id) json_object_set_new(body, "referral", json_pack("{s:o}", "to_service", json_text(ref)));
    int64_t id = 0;
    rc = desk_create_consultation(req, &c, body, &id);
    json_decref(body);
    if (rc) {
        if (rc == -500 || rc == -503) {
            json_decref(form);
            return rc;
        }
        return render_consultation_form(req, res, -rc, &c, form, person_id);
    }
    json_decref(form);
    if (field(req, "and_new")) return web_redirect(req, res, "/desk/consultations/new?saved=1");
    if (person_id)
        return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?recorded=1", (long long)person_id));
    return web_redirect(req, res, "/desk?recorded=1");
}

/* ---- procedures ------------------------------------------------------------------------------- */

/* Facts from form fields fact_<code>, typed by the rule. */
static json_t *facts_from_form(http_req_t *req, const json_t *rule, bool nulls)
{
    json_t *facts = json_object();
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(rule, "facts"), i, d) {
        char key[80];
        snprintf(key, sizeof key, "fact_%s", jstr(d, "code"));
        const char *v = field(req, key);
        if (!v) {
            if (nulls) json_object_set_new(facts, jstr(d, "code"), json_null());
            continue;
        }
        if (!strcmp(jstr(d, "type"), "int")) {
            char *end;
            long long n = strtoll(v, &end, 10);
            json_object_set_new(facts, jstr(d, "code"), *end ? json_text(v) : json_integer(n));
        } else if (!strcmp(jstr(d, "type"), "bool")) {
            json_object_set_new(facts, jstr(d, "code"), json_boolean(!strcmp(v, "1") || !strcmp(v, "true")));
        } else {
            json_object_set_new(facts, jstr(d, "code"), json_text(v));
        }
    }
    return facts;
}

/* Fact definitions for a form (with values, enum options, input type). */
static json_t *fact_fields(http_req_t *req, const json_t *rule, const json_t *values, const char *lang)
{
    json_t *out = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(rule, "facts"), i, d) {
        const char *t = jstr(d, "type");
        json_t *v = json_object_get(values, jstr(d, "code"));
        json_t *f = json_pack("{s:s, s:o, s:b, s:b, s:b, s:b}", "code", jstr(d, "code"), "label",
                              json_text(desk_label(json_object_get(d, "label"), lang)), "required",
                              json_is_true(json_object_get(d, "required")), "is_date", !strcmp(t, "date"), "is_enum",
                              !strcmp(t, "enum"), "is_int", !strcmp(t, "int"));
        if (json_is_string(v)) json_object_set_new(f, "value", json_text(json_string_value(v)));
        else if (json_is_integer(v)) json_object_set_new(f, "value", json_sprintf("%lld", (long long)json_integer_value(v)));
        if (!strcmp(t, "enum")) {
            json_t *opts = json_array();
            size_t k;
            json_t *o;
            json_array_foreach(json_object_get(d, "values"), k, o) {
                char label[128];
                snprintf(label, sizeof label, "%s", json_string_value(o));
                for (char *p = label; *p; p++) if (*p == '_') *p = ' ';
                json_t *opt = json_pack("{s:s, s:s}", "code", json_string_value(o), "label", label);
                if (json_is_string(v) && !strcmp(json_string_value(v), json_string_value(o))) set_flag(opt, "selected");
                json_array_append_new(opts, opt);
            }
            json_object_set_new(f, "options", opts);
        }
        json_array_append_new(out, f);
    }
    (void)req;
    return out;
}

static int render_procedure_form(http_req_t *req, http_res_t *res, int status, desk_ctx_t *c, int64_t person_id,
                                 const char *type, json_t *values)
{
    json_t *person = NULL, *types = NULL, *vm = json_object();
    char today[11], origin[32];
    date_today(today, 0);
    int rc = store_person_get(&c->scope, c->db, person_id, &person);
    if (rc == 1) {
        json_decref(vm);
        json_decref(values);
        return web_not_found(req);
    }
    if (rc || (rc = desk_rule_types(c->db, today, c->lang, &types))) {
        json_decref(vm);
        json_decref(values);
        json_decref(person);
        return web_db_fail(req, rc);
    }
    person_display(req, person);
    json_object_set_new(vm, "person", person);
    size_t i;
    json_t *t;
    json_array_foreach(types, i, t) if (type && !strcmp(jstr(t, "type"), type)) set_flag(t, "selected");
    json_object_set_new(vm, "types", types);
    json_t *rule = NULL;
    if (type && desk_rule_get(c->db, type, today, &rule, origin) == 0) {
        json_object_set_new(vm, "type", json_string(type));
        json_object_set_new(vm, "type_title", json_text(desk_label(json_object_get(rule, "title"), c->lang)));
        json_object_set_new(vm, "facts", fact_fields(req, rule, values, c->lang));
        json_decref(rule);
    }
    json_decref(values);
    return page(req, res, status, "desk/procedure_form", vm);
}

static int get_procedure_new(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    const char *pid = http_query(req, "person_id"), *type = http_query(req, "type");
    return render_procedure_form(req, res, 200, &c, pid ? strtoll(pid, NULL, 10) : 0, type && *type ? type : NULL,
                                 json_object());
}

static int post_procedure_new(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    const char *pid = field(req, "person_id"), *type = field(req, "type");
    int64_t person_id = pid ? strtoll(pid, NULL, 10) : 0;
    char today[11], origin[32];
    date_today(today, 0);
    json_t *rule = NULL;
    if (!type || desk_rule_get(c.db, type, today, &rule, origin) != 0) {
        web_fail(req, 422, "invalid", "type", "Unknown procedure type.");
        return render_procedure_form(req, res, 422, &c, person_id, NULL, json_object());
    }
    json_t *facts = facts_from_form(req, rule, false);
    json_decref(rule);
    json_t *body = json_pack("{s:I, s:s, s:O}", "person_id", (json_int_t)person_id, "type", type, "facts", facts);
    int64_t id = 0, p2 = 0, org = 0;
    rc = desk_procedure_create(&c, body, &id, &p2, &org, &web(req)->err);
    json_decref(body);
    if (rc) {
        if (!web(req)->err.status) {
            json_decref(facts);
            return web_db_fail(req, rc);
        }
        return render_procedure_form(req, res, web(req)->err.status, &c, person_id, type, facts);
    }
    json_decref(facts);
    if ((rc = desk_web_audit(req, &c, "procedure.create", "procedure", id, p2, org, type))) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/desk/procedures/%lld?created=1", (long long)id));
}

static int render_procedure(http_req_t *req, http_res_t *res, int status, desk_ctx_t *c, int64_t id, bool audit)
{
    json_t *proc = NULL, *person = NULL;
    int rc = desk_procedure_json(c, id, &proc);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    int64_t pid = json_integer_value(json_object_get(proc, "person_id"));
    if ((rc = store_person_get(&c->scope, c->db, pid, &person))) {
        json_decref(proc);
        return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    }
    if (audit && (rc = desk_web_audit(req, c, "procedure.read", "procedure", id, pid,
                                      json_integer_value(json_object_get(proc, "org_id")), NULL))) {
        json_decref(proc);
        json_decref(person);
        return rc;
    }
    person_display(req, person);
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(proc, "deadlines"), i, d)
        json_object_set_new(d, "kind_label", json_text(code_label(req, jstr(d, "kind"))));
    char origin[32];
    json_t *rule = NULL;
    if (desk_rule_get(c->db, jstr(proc, "type"), jstr(proc, "opened_on"), &rule, origin) == 0) {
        json_object_set_new(proc, "fact_fields", fact_fields(req, rule, json_object_get(proc, "facts"), c->lang));
        json_decref(rule);
    }
    static const char *const st[] = {"open", "submitted", "completed", "cancelled", NULL};
    json_t *vm = json_pack("{s:o, s:o, s:o, s:b}", "procedure", proc, "person", person, "statuses",
                           options(req, st, jstr(proc, "status")), "can_write",
                           c->can_write && !strcmp(jstr(person, "status"), "active"));
    json_object_set_new(vm, "status_label", json_text(code_label(req, jstr(proc, "status"))));
    if (http_query(req, "created")) set_flag(vm, "created");
    if (http_query(req, "saved")) set_flag(vm, "saved");
    return page(req, res, status, "desk/procedure", vm);
}

static int get_procedure_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    return rc ? rc : render_procedure(req, res, 200, &c, web_param_id(req, "id"), true);
}

static int post_procedure_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), pid = 0, org = 0;
    json_t *proc = NULL, *rule = NULL;
    char origin[32];
    rc = store_procedure_get(&c.scope, c.db, id, &proc);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    rc = desk_rule_get(c.db, jstr(proc, "type"), jstr(proc, "opened_on"), &rule, origin);
    json_decref(proc);
    if (rc) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    json_t *body = json_object(), *cl = json_object(), *steps = json_object(), *docs = json_object();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(rule, "steps"), i, it) {
        char key[80];
        snprintf(key, sizeof key, "step_%s", jstr(it, "code"));
        json_object_set_new(steps, jstr(it, "code"), json_boolean(field(req, key) != NULL));
    }
    json_array_foreach(json_object_get(rule, "documents"), i, it) {
        char key[80];
        snprintf(key, sizeof key, "doc_%s", jstr(it, "code"));
        json_object_set_new(docs, jstr(it, "code"), json_boolean(field(req, key) != NULL));
    }
    json_object_set_new(cl, "steps", steps);
    json_object_set_new(cl, "documents", docs);
    json_object_set_new(body, "checklist", cl);
    json_object_set_new(body, "facts", facts_from_form(req, rule, true));
    const char *status = field(req, "status");
    if (status) json_object_set_new(body, "status", json_text(status));
    json_decref(rule);
    rc = desk_procedure_update(&c, id, body, &pid, &org, &web(req)->err);
    json_decref(body);
    if (rc) {
        if (!web(req)->err.status) return web_db_fail(req, rc);
        int status_code = web(req)->err.status;
        web(req)->tx_force = TX_ROLLBACK;
        err_t keep = web(req)->err;
        int r2 = render_procedure(req, res, status_code, &c, id, false);
        (void)keep;
        return r2;
    }
    if ((rc = desk_web_audit(req, &c, "procedure.update", "procedure", id, pid, org, NULL))) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/desk/procedures/%lld?saved=1", (long long)id));
}

/* The checklist to print for the person, in their language (the browser
 * prints it; right-to-left scripts are shaped by the browser). */
static int get_procedure_print(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id");
    json_t *proc = NULL, *person = NULL;
    rc = store_procedure_get(&c.scope, c.db, id, &proc);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    int64_t pid = json_integer_value(json_object_get(proc, "person_id"));
    if ((rc = store_person_get(&c.scope, c.db, pid, &person))) {
        json_decref(proc);
        return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    }
    /* The first of: ?lang_doc=, the preferred language, the languages spoken,
     * that the rule is written in; else English, else the page's language. */
    json_t *rule = NULL, *cands = json_array();
    char origin[32];
    const char *asked = http_query(req, "lang_doc");
    if (asked && desk_language_valid(asked)) json_array_append_new(cands, json_string(asked));
    if (jstr(person, "preferred_language")) json_array_append_new(cands, json_string(jstr(person, "preferred_language")));
    json_array_extend(cands, json_object_get(person, "languages"));
    json_array_append_new(cands, json_string("en"));
    const char *lang = web(req)->lang;
    if (desk_rule_get(c.db, jstr(proc, "type"), jstr(proc, "opened_on"), &rule, origin) == 0) {
        size_t k;
        json_t *l;
        json_array_foreach(cands, k, l) {
            if (json_object_get(json_object_get(rule, "title"), json_string_value(l))) {
                lang = json_string_value(l);
                break;
            }
        }
    }
    lang = arena_strdup(req->arena, lang);
    json_decref(rule);
    json_decref(cands);
    json_decref(proc);
    proc = NULL;
    c.lang = lang;
    rc = desk_procedure_json(&c, id, &proc);
    if (rc) {
        json_decref(person);
        return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    }
    if ((rc = desk_web_audit(req, &c, "procedure.print", "procedure", id, pid,
                             json_integer_value(json_object_get(proc, "org_id")), lang))) {
        json_decref(proc);
        json_decref(person);
        return rc;
    }
    json_t *vm = json_pack("{s:o, s:o, s:s, s:s}", "procedure", proc, "person", person, "doc_lang", lang, "doc_dir",
                           i18n_is_rtl(lang) ? "rtl" : "ltr");
    return page(req, res, 200, "desk/print", vm);
}

/* ---- small forms on the person page: follow-up, appointment, referral, consent, permit ----------- */

static int small_form(http_req_t *req, http_res_t *res, const char *kind)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t pid = web_param_id(req, "id"), id = 0, p2 = 0, org = 0;
    json_t *person = NULL;
    rc = store_person_get(&c.scope, c.db, pid, &person);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    org = json_integer_value(json_object_get(person, "org_id"));
    json_decref(person);
    json_t *b = json_pack("{s:I}", "person_id", (json_int_t)pid);
    err_t *e = &web(req)->err;
    const char *tab = "casework";
    if (!strcmp(kind, "followup")) {
        put_str(b, "due_date", field(req, "due_date"));
        put_str(b, "note", field(req, "note"));
        rc = desk_followup_create(&c, b, &id, &p2, &org, e);
    } else if (!strcmp(kind, "appointment")) {
        put_str(b, "date", field(req, "date"));
        put_str(b, "time", field(req, "time"));
        put_str(b, "purpose", field(req, "purpose"));
        rc = desk_appointment_create(&c, b, &id, &p2, &org, e);
    } else if (!strcmp(kind, "referral")) {
        put_str(b, "to_service", field(req, "to_service"));
        put_str(b, "reason", field(req, "reason"));
        rc = desk_referral_create(&c, b, 0, &id, &p2, &org, e);
    } else if (!strcmp(kind, "consent")) {
        tab = "records";
        const char *k = field(req, "kind"), *on = field(req, "given_on");
        char today[11];
        date_today(today, 0);
        if (!k || strlen(k) > 60) rc = web_fail(req, 422, "required", "kind", "This field is required.");
        else if (on && !date_valid(on)) rc = web_fail(req, 422, "invalid", "given_on", "Enter a real date as YYYY-MM-DD.");
        else rc = store_consent_insert(c.db, pid, org, k, on ? on : today, field(req, "note"), c.scope.user_id, db_now(), &id);
    } else if (!strcmp(kind, "permit")) {
        tab = "records";
        const char *k = field(req, "kind"), *exp = field(req, "expiry"), *num = field(req, "number");
        if (!k || strlen(k) > 60) rc = web_fail(req, 422, "required", "kind", "This field is required.");
        else if (!exp || !date_valid(exp)) rc = web_fail(req, 422, "invalid", "expiry", "Enter a real date as YYYY-MM-DD.");
        else if (num && strlen(num) > 40) rc = web_fail(req, 422, "too_long", "number", "This field is too long.");
        else rc = store_permit_insert(c.db, pid, org, k, num, NULL, exp, c.scope.user_id, db_now(), &id);
    }
    json_decref(b);
    if (rc) return desk_web_fail(req, rc);
    char action[48];
    snprintf(action, sizeof action, "%s.create", kind);
    if ((rc = desk_web_audit(req, &c, action, kind, id, pid, org, NULL))) return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?tab=%s&saved=1", (long long)pid, tab));
}

static int post_followup_form(http_req_t *q, http_res_t *r) { return small_form(q, r, "followup"); }
static int post_appointment_form(http_req_t *q, http_res_t *r) { return small_form(q, r, "appointment"); }
static int post_referral_form(http_req_t *q, http_res_t *r) { return small_form(q, r, "referral"); }
static int post_consent_form(http_req_t *q, http_res_t *r) { return small_form(q, r, "consent"); }
static int post_permit_form(http_req_t *q, http_res_t *r) { return small_form(q, r, "permit"); }

/* A coordinator merges a duplicate (other_id) into this record. */
static int post_person_merge_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc || (rc = scope_require(&w->scope, CAP_PERSON_MERGE, &w->err))) return rc;
    int64_t keep = web_param_id(req, "id");
    const char *o = field(req, "other_id");
    int64_t gone = o ? strtoll(o, NULL, 10) : 0;
    json_t *a = NULL, *b = NULL;
    rc = store_person_get(&c.scope, c.db, keep, &a);
    if (rc == 0) rc = store_person_get(&c.scope, c.db, gone, &b);
    if (rc == 1 || gone == keep) {
        json_decref(a);
        json_decref(b);
        return web_not_found(req);
    }
    bool active = rc == 0 && !strcmp(jstr(a, "status"), "active") && !strcmp(jstr(b, "status"), "active");
    int64_t org_a = rc ? 0 : json_integer_value(json_object_get(a, "org_id")), org_b = rc ? 0 : json_integer_value(json_object_get(b, "org_id"));
    json_decref(a);
    json_decref(b);
    if (rc) return web_db_fail(req, rc);
    if (!active) return web_fail(req, 409, "not_active", NULL, "This record was anonymised or merged and cannot be changed.");
    if ((rc = store_person_merge(c.db, keep, gone, db_now()))) return web_db_fail(req, rc);
    char detail[64];
    snprintf(detail, sizeof detail, "merged %lld into %lld", (long long)gone, (long long)keep);
    if ((rc = desk_web_audit(req, &c, "person.merge", "person", gone, gone, org_b, detail)) ||
        (rc = desk_web_audit(req, &c, "person.merge", "person", keep, keep, org_a, detail)))
        return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?saved=1", (long long)keep));
}

static int post_followup_done(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), pid = 0, org = 0;
    json_t *b = json_pack("{s:b}", "done", 1);
    rc = desk_followup_update(&c, id, b, &pid, &org, &web(req)->err);
    json_decref(b);
    if (rc) return desk_web_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "followup.update", "followup", id, pid, org, "done"))) return rc;
    const char *back = field(req, "back");
    return web_redirect(req, res, back && !strcmp(back, "desk") ? "/desk" :
                                  arena_printf(req->arena, "/desk/persons/%lld?tab=casework", (long long)pid));
}

/* ---- rules (admin) ----------------------------------------------------------------------------- */

static int get_rules_page(http_req_t *req, http_res_t *res)
{
    char today[11];
    date_today(today, 0);
    json_t *types = NULL;
    int rc = desk_rule_types(web(req)->db, today, web(req)->lang, &types);
    if (rc) return web_db_fail(req, rc);
    json_t *vm = json_pack("{s:o, s:b}", "types", types, "can_manage", scope_can(&web(req)->scope, CAP_RULES_MANAGE));
    return page(req, res, 200, "desk/rules", vm);
}

static int render_rule_page(http_req_t *req, http_res_t *res, int status, const char *type, const char *text,
                            const char *reason)
{
    char today[11], origin[32];
    date_today(today, 0);
    json_t *rule = NULL, *versions = NULL;
    int rc = desk_rule_get(web(req)->db, type, today, &rule, origin);
    if (rc == 1) return web_not_found(req);
    if (rc || (rc = desk_rule_versions(web(req)->db, type, &versions))) {
        json_decref(rule);
        return web_db_fail(req, rc);
    }
    char *pretty = json_dumps(rule, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    const char *lang = web(req)->lang;
    json_t *dl = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(rule, "deadlines"), i, d) {
        const json_t *off = json_object_get(d, "offset");
        json_array_append_new(dl, json_pack("{s:s, s:o, s:s, s:I, s:I, s:I}", "code", jstr(d, "code"), "label",
                                            json_text(desk_label(json_object_get(d, "label"), lang)), "from", jstr(d, "from"),
                                            "years", (json_int_t)json_integer_value(json_object_get(off, "years")), "months",
                                            (json_int_t)json_integer_value(json_object_get(off, "months")), "days",
                                            (json_int_t)json_integer_value(json_object_get(off, "days"))));
    }
    json_t *vm = json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:o}", "type", type, "title",
                           json_text(desk_label(json_object_get(rule, "title"), lang)), "effective_from",
                           jstr(rule, "effective_from"), "origin", origin, "deadlines", dl, "sources",
                           json_deep_copy(json_object_get(rule, "sources")), "versions", versions, "text",
                           json_text(text ? text : pretty), "can_manage", scope_can(&web(req)->scope, CAP_RULES_MANAGE),
                           "reason", json_text(reason));
    free(pretty);
    json_decref(rule);
    if (http_query(req, "saved")) set_flag(vm, "saved");
    return page(req, res, status, "desk/rule", vm);
}

static int get_rule_page(http_req_t *req, http_res_t *res)
{
    return render_rule_page(req, res, 200, http_param(req, "type"), NULL, NULL);
}

static int post_rule_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_RULES_MANAGE, &w->err);
    if (rc) return rc;
    const char *type = http_param(req, "type"), *text = http_form(req, "rule"), *reason = field(req, "reason");
    json_error_t jerr;
    json_t *rule = text ? json_loads(text, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!json_is_object(rule)) {
        json_decref(rule);
        web_fail(req, 422, "invalid", "rule", "The rule is not valid JSON.");
        return render_rule_page(req, res, 422, type, text, reason);
    }
    int n = 0;
    rc = desk_rule_put(req, type, rule, reason, &n);
    json_decref(rule);
    if (rc) {
        if (rc == -403 || rc == -500 || rc == -503) return rc;
        return render_rule_page(req, res, -rc, type, text, reason);
    }
    return web_redirect(req, res, arena_printf(req->arena, "/desk/rules/%s?saved=1", type));
}

static const route_t routes[] = {
    {"GET", "/desk", get_desk, 0},
    {"GET", "/desk/persons", get_persons_page, 0},
    {"POST", "/desk/persons", post_person_new, R_WRITE},
    {"GET", "/desk/persons/new", get_person_new, 0},
    {"GET", "/desk/persons/{id}", get_person_page, 0},
    {"POST", "/desk/persons/{id}", post_person_edit, R_WRITE},
    {"GET", "/desk/persons/{id}/edit", get_person_edit, 0},
    {"POST", "/desk/persons/{id}/erase", post_person_erase, R_WRITE},
    {"POST", "/desk/persons/{id}/followups", post_followup_form, R_WRITE},
    {"POST", "/desk/persons/{id}/appointments", post_appointment_form, R_WRITE},
    {"POST", "/desk/persons/{id}/referrals", post_referral_form, R_WRITE},
    {"POST", "/desk/persons/{id}/consents", post_consent_form, R_WRITE},
    {"POST", "/desk/persons/{id}/permits", post_permit_form, R_WRITE},
    {"POST", "/desk/followups/{id}/done", post_followup_done, R_WRITE},
    {"POST", "/desk/persons/{id}/merge", post_person_merge_page, R_WRITE},
    {"GET", "/desk/consultations/new", get_consultation_new, 0},
    {"POST", "/desk/consultations", post_consultation_new, R_WRITE},
    {"GET", "/desk/procedures/new", get_procedure_new, 0},
    {"POST", "/desk/procedures", post_procedure_new, R_WRITE},
    {"GET", "/desk/procedures/{id}", get_procedure_page, 0},
    {"POST", "/desk/procedures/{id}", post_procedure_page, R_WRITE},
    {"GET", "/desk/procedures/{id}/print", get_procedure_print, 0},
    {"GET", "/desk/rules", get_rules_page, 0},
    {"GET", "/desk/rules/{type}", get_rule_page, 0},
    {"POST", "/desk/rules/{type}", post_rule_page, R_WRITE},
};

const route_t *desk_page_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

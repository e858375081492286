/* procedures_pages.c — procedures in the browser: the new-procedure form
 * with the rule's facts, the procedure page with checklist and deadlines,
 * and the printable checklist in the person's language. */
#include "deskweb.h"
#include "courses/desk_view.h"
#include "core/i18n.h"
#include "core/json.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Facts from form fields fact_<code>, typed by the rule. */
static json_t *facts_from_form(http_req_t *req, const json_t *rule, bool nulls)
{
    json_t *facts = json_object();
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(rule, "facts"), i, d) {
        char key[80];
        snprintf(key, sizeof key, "fact_%s", jstr(d, "code"));
        const char *v = desk_field(req, key);
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
                if (json_is_string(v) && !strcmp(json_string_value(v), json_string_value(o))) desk_flag(opt, "selected");
                json_array_append_new(opts, opt);
            }
            json_object_set_new(f, "options", opts);
        }
        json_array_append_new(out, f);
    }
    (void)req;
    return out;
}

/* The new-procedure form for person `person_id` of the scope (the read
 * audited; 404 when absent), with the facts of `type` (NULL: none chosen
 * yet) filled from `values` (taken). */
static int render_procedure_form(http_req_t *req, http_res_t *res, int status, desk_ctx_t *c, int64_t person_id,
                                 const char *type, json_t *values)
{
    json_t *person = NULL, *types = NULL, *vm = json_object();
    char today[11], origin[32];
    date_today(today, 0);
    int64_t org = 0;
    int rc = desk_person_get(c, person_id, &org, &person);
    if (rc || (rc = desk_page_audit_person(req, c, status, person_id, org, "procedure form")) ||
        (rc = desk_rule_types(c->db, today, c->lang, &types))) {
        json_decref(vm);
        json_decref(values);
        json_decref(person);
        return web_store_fail(req, rc);
    }
    desk_person_display(req, person);
    json_object_set_new(vm, "person", person);
    size_t i;
    json_t *t;
    json_array_foreach(types, i, t) if (type && !strcmp(jstr(t, "type"), type)) desk_flag(t, "selected");
    json_object_set_new(vm, "types", types);
    json_t *rule = NULL;
    if (type && desk_rule_get(c->db, type, today, &rule, origin) == 0) {
        json_object_set_new(vm, "type", json_string(type));
        json_object_set_new(vm, "type_title", json_text(desk_label(json_object_get(rule, "title"), c->lang)));
        json_object_set_new(vm, "facts", fact_fields(req, rule, values, c->lang));
        json_decref(rule);
    }
    json_decref(values);
    return desk_page(req, res, status, "desk/procedure_form", vm);
}

static int get_procedure_new(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    const char *pid = http_query(req, "person_id"), *type = http_query(req, "type");
    int rc = desk_web_begin(req, &c, true);
    return rc ? rc
              : render_procedure_form(req, res, 200, &c, pid ? strtoll(pid, NULL, 10) : 0, type && *type ? type : NULL,
                                      json_object());
}
static const resource_t res_desk_procedures_new = {"/desk/procedures/new", .get = get_procedure_new};

static int post_procedure_new(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    const char *pid = desk_field(req, "person_id"), *type = desk_field(req, "type");
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
    if (rc && web(req)->err.status) return render_procedure_form(req, res, web(req)->err.status, &c, person_id, type, facts);
    json_decref(facts);
    desk_web_event_t ev = {"procedure.create", "procedure", id, p2, org, type};
    if (rc || (rc = desk_web_event(req, &c, &ev))) return web_store_fail(req, rc);
    return web_redirect(req, res, arena_printf(req->arena, "/desk/procedures/%lld?created=1", (long long)id));
}
static const resource_t res_desk_procedures = {"/desk/procedures", .post = post_procedure_new};

/* The procedure page of procedure ev->obj with its person (taken): `ev`
 * audited when it has an action (not after a refused change, whose
 * transaction is rolled back). */
static int render_procedure(http_req_t *req, http_res_t *res, int status, desk_ctx_t *c, const desk_web_event_t *ev,
                            json_t *person)
{
    json_t *proc = NULL;
    int rc = desk_procedure_json(c, ev->obj, &proc);
    if (rc || (ev->action && (rc = desk_web_event(req, c, ev)))) {
        json_decref(proc);
        json_decref(person);
        return web_store_fail(req, rc < 0 ? rc : DB_ERR);
    }
    desk_person_display(req, person);
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(proc, "deadlines"), i, d)
        json_object_set_new(d, "kind_label", json_text(desk_code_label(req, jstr(d, "kind"))));
    char origin[32];
    json_t *rule = NULL;
    if (desk_rule_get(c->db, jstr(proc, "type"), jstr(proc, "opened_on"), &rule, origin) == 0) {
        json_object_set_new(proc, "fact_fields", fact_fields(req, rule, json_object_get(proc, "facts"), c->lang));
        json_decref(rule);
    }
    static const char *const st[] = {"open", "submitted", "completed", "cancelled", NULL};
    json_t *vm = json_pack("{s:o, s:o, s:o, s:b}", "procedure", proc, "person", person, "statuses",
                           desk_options(req, st, jstr(proc, "status")), "can_write",
                           c->can_write && !strcmp(jstr(person, "status"), "active"));
    json_object_set_new(vm, "status_label", json_text(desk_code_label(req, jstr(proc, "status"))));
    if ((rc = crs_procedure_exemption(req, &c->scope, c->db, json_object_get(vm, "procedure"), vm))) { /* courses, C12 */
        json_decref(vm);
        return web_store_fail(req, rc);
    }
    static const char *const flags[] = {"created", "saved", NULL};
    desk_page_flags(req, vm, flags);
    return desk_page(req, res, status, "desk/procedure", vm);
}

static int get_procedure_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "procedure.read", .kind = "procedure"};
    json_t *person = NULL;
    int rc = desk_web_procedure(req, &c, false, &ev, NULL, &person);
    return rc ? rc : render_procedure(req, res, 200, &c, &ev, person);
}

/* The checklist (step_<code>, doc_<code> ticks), facts and status of the
 * form as the API's change body, by the procedure's rule. */
static json_t *procedure_form_json(http_req_t *req, const json_t *rule)
{
    json_t *body = json_object(), *cl = json_object(), *steps = json_object(), *docs = json_object();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(rule, "steps"), i, it) {
        char key[80];
        snprintf(key, sizeof key, "step_%s", jstr(it, "code"));
        json_object_set_new(steps, jstr(it, "code"), json_boolean(desk_field(req, key) != NULL));
    }
    json_array_foreach(json_object_get(rule, "documents"), i, it) {
        char key[80];
        snprintf(key, sizeof key, "doc_%s", jstr(it, "code"));
        json_object_set_new(docs, jstr(it, "code"), json_boolean(desk_field(req, key) != NULL));
    }
    json_object_set_new(cl, "steps", steps);
    json_object_set_new(cl, "documents", docs);
    json_object_set_new(body, "checklist", cl);
    json_object_set_new(body, "facts", facts_from_form(req, rule, true));
    const char *status = desk_field(req, "status");
    if (status) json_object_set_new(body, "status", json_text(status));
    return body;
}

static int post_procedure_page(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "procedure.update", .kind = "procedure"};
    json_t *proc = NULL, *person = NULL, *rule = NULL;
    char origin[32];
    int rc = desk_web_procedure(req, &c, true, &ev, &proc, &person);
    if (rc) return rc;
    rc = desk_rule_get(c.db, jstr(proc, "type"), jstr(proc, "opened_on"), &rule, origin);
    json_decref(proc);
    if (rc) {
        json_decref(person);
        return web_store_fail(req, rc < 0 ? rc : DB_ERR);
    }
    json_t *body = procedure_form_json(req, rule);
    json_decref(rule);
    rc = desk_procedure_update(&c, ev.obj, body, &ev.person_id, &ev.org_id, &web(req)->err);
    json_decref(body);
    if (rc && web(req)->err.status) {
        desk_web_event_t shown = {.obj = ev.obj}; /* no action: not audited */
        return render_procedure(req, res, web(req)->err.status, &c, &shown, person);
    }
    json_decref(person);
    if (rc || (rc = desk_web_event(req, &c, &ev))) return web_store_fail(req, rc);
    return web_redirect(req, res, arena_printf(req->arena, "/desk/procedures/%lld?saved=1", (long long)ev.obj));
}
static const resource_t res_desk_procedures_id = {"/desk/procedures/{id}", .get = get_procedure_page, .post = post_procedure_page};

/* The published material on procedures of `type` for the print page, in
 * `mlang`: links to the portal's page and leaflet, Italian marked as such. */
static void print_materials(http_req_t *req, json_t *vm, desk_ctx_t *c, const char *type, const char *mlang)
{
    json_t *mats = desk_checklist_materials(c->db, type, mlang, false);
    size_t i;
    json_t *m;
    json_array_foreach(mats, i, m) {
        json_int_t id = json_integer_value(json_object_get(m, "id"));
        json_object_set_new(m, "href", json_sprintf("/info/%lld?lang=%s", (long long)id, mlang));
        json_object_set_new(m, "leaflet_href", json_sprintf("/info/%lld.pdf?lang=%s", (long long)id, mlang));
        json_object_set_new(m, "fallback_label", json_text(desk_checklist_label("fallback", mlang)));
        json_object_set_new(m, "leaflet_label", json_text(desk_checklist_label("leaflet", mlang)));
    }
    json_object_set_new(vm, "materials", mats);
    json_object_set_new(vm, "material_heading", json_text(desk_checklist_label("material", mlang)));
    json_object_set_new(vm, "material_lang", json_text(mlang));
    json_object_set_new(vm, "material_dir", json_string(i18n_is_rtl(mlang) ? "rtl" : "ltr"));
}

/* The checklist to print for the person, in their language (the browser
 * prints it; right-to-left scripts are shaped by the browser). */
static int get_procedure_print(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "procedure.print", .kind = "procedure"};
    json_t *proc = NULL, *person = NULL;
    /* The rule's labels in the first of: ?lang_doc=, the preferred language,
     * the languages spoken, that the rule is written in; else English. The
     * material in the first of them (desk_checklist_lang). */
    const char *mlang, *lang;
    int rc = desk_checklist_procedure(req, &c, &ev, "lang_doc", &proc, &person, &mlang, &lang);
    if (rc) return rc;
    ev.detail = lang;
    if ((rc = desk_web_event(req, &c, &ev))) {
        json_decref(proc);
        json_decref(person);
        return web_store_fail(req, rc < 0 ? rc : DB_ERR);
    }
    json_t *vm = json_pack("{s:o, s:s, s:s}", "person", person, "doc_lang", lang, "doc_dir", i18n_is_rtl(lang) ? "rtl" : "ltr");
    print_materials(req, vm, &c, jstr(proc, "type"), mlang);
    json_object_set_new(vm, "procedure", proc);
    return desk_page(req, res, 200, "desk/print", vm);
}
static const resource_t res_desk_procedures_id_print = {"/desk/procedures/{id}/print", .get = get_procedure_print};

static const resource_t *const routes[] = {&res_desk_procedures_new, &res_desk_procedures, &res_desk_procedures_id,
    &res_desk_procedures_id_print};

ROUTE_TABLE(desk_procedure_page_routes, routes)

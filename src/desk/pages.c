/* pages.c — what the help desk's pages share (labels of codes, form fields,
 * rendering with errors, person display) and the desk home, the rules pages
 * (read for everyone with the desk, change for the admin).
 *
 * Forms are turned into the same JSON the API takes and go through the same
 * operations, so a page can never accept what the API refuses. A form shown
 * again with its errors rolls its transaction back (nothing half-written). */
#include "deskweb.h"
#include "core/i18n.h"
#include "core/json.h"
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

const char *desk_code_label(http_req_t *req, const char *code)
{
    for (size_t i = 0; code && i < sizeof code_labels / sizeof code_labels[0]; i++)
        if (strcmp(code_labels[i][0], code) == 0) return web_tr(req, code_labels[i][1]);
    return code ? code : "";
}

/* Form field, NULL when absent or blank (trimmed). */
const char *desk_field(http_req_t *req, const char *name)
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

void desk_put(json_t *o, const char *k, const char *v)
{
    if (v) json_object_set_new(o, k, json_text(v));
}

void desk_page_rollback(http_req_t *req, int status)
{
    web_t *w = web(req);
    if (status < 400) return;
    w->tx_force = TX_ROLLBACK;
    db_rollback(w->db);
}

int desk_page_audit_person(http_req_t *req, desk_ctx_t *c, int status, int64_t id, int64_t org_id, const char *detail)
{
    desk_page_rollback(req, status);
    return desk_web_audit(req, c, "person.read", "person", id, id, org_id, detail);
}

int desk_page_audit_shown(http_req_t *req, desk_ctx_t *c, int status, const json_t *persons, const char *detail)
{
    size_t i;
    json_t *p;
    json_array_foreach(persons, i, p) {
        int64_t id = json_integer_value(json_object_get(p, "id")), org = 0;
        int rc = desk_person_get(c, id, &org, NULL);
        if (rc || (rc = desk_page_audit_person(req, c, status, id, org, detail))) return web_store_fail(req, rc);
    }
    return 0;
}

void desk_page_flags(http_req_t *req, json_t *vm, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (http_query(req, names[i])) desk_flag(vm, names[i]);
}

int desk_page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm)
{
    web_t *w = web(req);
    if (status >= 400) {
        desk_page_rollback(req, status);
        json_object_set_new(vm, "error", json_text(web_tr(req, w->err.message ? w->err.message : "Something went wrong on our side.")));
        json_object_set_new(vm, "error_field", json_text(w->err.field[0] ? w->err.field : NULL));
        memset(&w->err, 0, sizeof w->err);
    }
    return web_page(req, res, status, tmpl, vm);
}

void desk_flag(json_t *vm, const char *key)
{
    json_object_set_new(vm, key, json_true());
}

/* Adds display fields to a person object. */
void desk_person_display(http_req_t *req, json_t *p)
{
    const char *lang = web(req)->lang;
    json_object_set_new(p, "citizenship_name", json_text(desk_country_name(jstr(p, "citizenship"), lang)));
    json_object_set_new(p, "sex_label", json_text(desk_code_label(req, jstr(p, "sex"))));
    json_object_set_new(p, "status_label", json_text(desk_code_label(req, jstr(p, "status"))));
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

json_t *desk_options(http_req_t *req, const char *const *codes, const char *selected)
{
    json_t *arr = json_array();
    for (int i = 0; codes[i]; i++) {
        json_t *o = json_pack("{s:s, s:o}", "code", codes[i], "label", json_text(desk_code_label(req, codes[i])));
        if (selected && strcmp(selected, codes[i]) == 0) desk_flag(o, "selected");
        json_array_append_new(arr, o);
    }
    return arr;
}

json_t *desk_country_options(http_req_t *req, const char *selected)
{
    json_t *arr = desk_countries_json(web(req)->lang);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) if (selected && strcmp(jstr(o, "code"), selected) == 0) desk_flag(o, "selected");
    return arr;
}

static void agenda_display(http_req_t *req, json_t *ag)
{
    static const char *const lists[] = {"deadlines", "overdue_deadlines", "permits_expiring", "overdue_followups",
                                        "appointments"};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        size_t i;
        json_t *d;
        json_array_foreach(json_object_get(ag, lists[l]), i, d) {
            if (jstr(d, "kind")) json_object_set_new(d, "kind_label", json_text(desk_code_label(req, jstr(d, "kind"))));
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
    desk_web_event_t ev = {.action = "agenda.read", .org_id = c.scope.org_id};
    if ((rc = desk_agenda(&c, 90, &ag)) || (rc = desk_web_event(req, &c, &ev))) {
        json_decref(ag);
        return web_store_fail(req, rc);
    }
    agenda_display(req, ag);
    json_t *vm = json_pack("{s:o, s:b, s:b, s:b}", "agenda", ag, "can_write", c.can_write, "grant", c.grant_id > 0,
                           "can_import", scope_can(&web(req)->scope, CAP_DESK_IMPORT));
    if (c.grant_id) json_object_set_new(vm, "grant_reason", json_text(c.reason));
    return desk_page(req, res, 200, "desk/home", vm);
}
static const resource_t res_desk = {"/desk", .get = get_desk};

static int get_rules_page(http_req_t *req, http_res_t *res)
{
    char today[11];
    date_today(today, 0);
    json_t *types = NULL;
    int rc = desk_rule_types(web(req)->db, today, web(req)->lang, &types);
    if (rc) return web_store_fail(req, rc);
    json_t *vm = json_pack("{s:o, s:b}", "types", types, "can_manage", scope_can(&web(req)->scope, CAP_RULES_MANAGE));
    return desk_page(req, res, 200, "desk/rules", vm);
}
static const resource_t res_desk_rules = {"/desk/rules", .get = get_rules_page};

static int render_rule_page(http_req_t *req, http_res_t *res, int status, const char *type, const char *text,
                            const char *reason)
{
    char today[11], origin[32];
    date_today(today, 0);
    json_t *rule = NULL, *versions = NULL;
    int rc = desk_rule_get(web(req)->db, type, today, &rule, origin);
    if (rc || (rc = desk_rule_versions(web(req)->db, type, &versions))) {
        json_decref(rule);
        return web_store_fail(req, rc);
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
    static const char *const flags[] = {"saved", NULL};
    desk_page_flags(req, vm, flags);
    return desk_page(req, res, status, "desk/rule", vm);
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
    const char *type = http_param(req, "type"), *text = http_form(req, "rule"), *reason = desk_field(req, "reason");
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
static const resource_t res_desk_rules_type = {"/desk/rules/{type}", .get = get_rule_page, .post = post_rule_page};

static const resource_t *const routes[] = {&res_desk, &res_desk_rules, &res_desk_rules_type};

ROUTE_TABLE(desk_page_routes, routes)

/* pages_service.c — the service editor (CAP_SERVICE_MANAGE: editors and
 * coordinators): the services of their subtree, a form to create one and
 * to change one — organisation, contacts, its location (address, comune),
 * weekly opening hours, languages and the needs of the taxonomy it meets.
 * The form is read into the shape of the editor's JSON (dir_service_read),
 * so a refused form comes back as typed. Calls only directory.h. */
#include "web.h"
#include "app/server.h"
#include "core/arena.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOURS_ROWS 4

static const char *const day_codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
static const char *const day_names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

/* The service the form describes, in the editor's JSON shape. */
static json_t *form_service(http_req_t *req)
{
    static const char *const fields[] = {"name", "description", "org", "email", "phone", "url", "address_1", "city",
                                         "postal_code"};
    json_t *s = json_object(), *hours = json_array();
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        json_object_set_new(s, fields[i], json_text(dirweb_form(req, fields[i])));
    json_object_set_new(s, "languages", dirweb_form_all(req, "languages"));
    json_object_set_new(s, "categories", dirweb_form_all(req, "categories"));
    for (int r = 0; r < HOURS_ROWS; r++) {
        char name[32];
        snprintf(name, sizeof name, "h%d_days", r);
        json_t *days = dirweb_form_all(req, name), *d;
        snprintf(name, sizeof name, "h%d_opens", r);
        const char *opens = dirweb_form(req, name);
        snprintf(name, sizeof name, "h%d_closes", r);
        const char *closes = dirweb_form(req, name);
        if (json_array_size(days) || opens || closes) {
            str_t b = STR_INIT;
            size_t i;
            json_array_foreach(days, i, d) str_addf(&b, "%s%.2s", i ? "," : "", json_string_value(d));
            json_array_append_new(hours, json_pack("{s:s, s:s, s:s}", "byday", str_cstr(&b), "opens_at",
                                                   opens ? opens : "", "closes_at", closes ? closes : ""));
            str_release(&b);
        }
        json_decref(days);
    }
    json_object_set_new(s, "schedules", hours);
    return s;
}

/* The operation's input borrowing the strings of `s` (empty texts as NULL). */
static dir_service_input_t service_input(const json_t *s)
{
    return (dir_service_input_t){
        .name = jstr(s, "name"), .description = jstr(s, "description"), .org = jstr(s, "org"),
        .email = jstr(s, "email"), .phone = jstr(s, "phone"), .url = jstr(s, "url"),
        .address_1 = jstr(s, "address_1"), .city = jstr(s, "city"), .postal_code = jstr(s, "postal_code"),
        .languages = json_object_get(s, "languages"), .categories = json_object_get(s, "categories"),
        .schedules = json_object_get(s, "schedules")};
}

/* True when the array of strings `list` holds `code`. */
static bool holds(const json_t *list, const char *code)
{
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) if (json_is_string(c) && strcmp(json_string_value(c), code) == 0) return true;
    return false;
}

/* The editor's form of service `s` (id 0: a new one). */
static int render_form(http_req_t *req, http_res_t *res, int status, json_t *s, int64_t id)
{
    web_t *w = web(req);
    json_t *orgs = json_array(), *langs = dir_language_options(NULL), *needs = json_array(), *rows = json_array(), *x;
    err_t e;
    if (dir_org_options(&w->scope, w->db, jstr(s, "org") ? jstr(s, "org") : w->scope.org_code, orgs, &e)) {
        json_decref(orgs);
        orgs = json_array();
    }
    size_t i;
    json_array_foreach(langs, i, x) if (holds(json_object_get(s, "languages"), jstr_or_empty(x, "code")))
        json_object_set_new(x, "selected", json_true());
    json_array_foreach(json_object_get(dir_taxonomy(), "terms"), i, x) {
        const char *n = jstr(x, w->lang);
        json_array_append_new(needs, json_pack("{s:s, s:s, s:b}", "code", jstr_or_empty(x, "code"), "name",
                                               n && *n ? n : jstr_or_empty(x, "en"), "checked",
                                               holds(json_object_get(s, "categories"), jstr_or_empty(x, "code"))));
    }
    json_t *hours = json_object_get(s, "schedules");
    for (int r = 0; r < HOURS_ROWS; r++) {
        json_t *h = json_array_get(hours, (size_t)r), *days = json_array();
        const char *by = jstr_or_empty(h, "byday");
        for (size_t d = 0; d < 7; d++)
            json_array_append_new(days, json_pack("{s:s, s:s, s:b}", "code", day_codes[d], "name",
                                                  web_tr(req, day_names[d]), "checked", strstr(by, day_codes[d]) != NULL));
        json_array_append_new(rows, json_pack("{s:i, s:i, s:o, s:s, s:s}", "row", r, "number", r + 1, "days", days,
                                              "opens", jstr_or_empty(h, "opens_at"), "closes",
                                              jstr_or_empty(h, "closes_at")));
    }
    json_t *vm = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "service", s, "org_options", orgs,
                           "language_options", langs, "needs", needs, "hours", rows, "comuni",
                           dir_comune_options(NULL), "editing", id > 0);
    if (id > 0) {
        char hid[37];
        hsds_id(HSDS_SERVICE, id, hid);
        json_object_set_new(vm, "action", json_string(arena_printf(req->arena, "/servizi/gestione/%lld", (long long)id)));
        json_object_set_new(vm, "hsds_id", json_string(hid));
    } else json_object_set_new(vm, "action", json_string("/servizi/gestione/nuovo"));
    return dirweb_form_page(req, res, status, "directory/service_form", vm,
                            http_query(req, "saved") ? web_tr(req, "The service was saved: the directory shows it as it is now.") : NULL);
}

static int get_services(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    int rc = dir_service_list_own(&w->scope, w->db, items, &w->err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    return web_page(req, res, 200, "directory/services", json_pack("{s:o}", "services", items));
}
static const resource_t res_servizi_gestione = {"/servizi/gestione", .get = get_services};

static int get_new(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_SERVICE_MANAGE, &web(req)->err);
    return rc ? rc : render_form(req, res, 200, json_pack("{s:[s], s:[]}", "languages", "it", "schedules"), 0);
}

static int get_edit(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *s = NULL;
    dir_ref_t ref;
    int rc = dir_service_read(&w->scope, w->db, web_param_id(req, "id"), &s, &ref, &w->err);
    return rc ? rc : render_form(req, res, 200, s, ref.id);
}

/* Creates (id 0) or changes the service of the form; back to its form, saved. */
static int save(http_req_t *req, http_res_t *res, int64_t id)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_SERVICE_MANAGE, &w->err);
    if (rc) return rc;
    json_t *s = form_service(req);
    dir_service_input_t in = service_input(s);
    dir_ref_t ref = {0, 0};
    if (!in.name) rc = err_set(&w->err, 422, "required", "name", "Give the name of the service.");
    else if (strlen(in.name) > DIR_NAME_MAX || (in.description && strlen(in.description) > DIR_TEXT_MAX) ||
             (in.address_1 && strlen(in.address_1) > DIR_NAME_MAX) || (in.url && strlen(in.url) > 500) ||
             (in.phone && strlen(in.phone) > 40) || (in.email && strlen(in.email) > 254) ||
             (in.city && strlen(in.city) > 100))
        rc = err_set(&w->err, 422, "too_long", "name", "This text is too long.");
    if (!rc) {
        size_t i;
        json_t *c;
        json_array_foreach(in.languages, i, c) if (!rc && !dir_language_ok(json_string_value(c)))
            rc = err_set(&w->err, 422, "invalid", "languages", "Languages are ISO 639 codes such as ar.");
        json_array_foreach(in.categories, i, c) if (!rc && !dir_category_ok(json_string_value(c)))
            rc = err_set(&w->err, 422, "invalid", "categories", "Categories are codes of the directory's taxonomy.");
    }
    if (!rc) rc = id ? dir_service_update(&w->scope, w->db, id, &in, &ref, &w->err)
                     : dir_service_create(&w->scope, w->db, &in, &ref, &w->err);
    if (!rc) rc = dirweb_audit(req, id ? "service.update" : "service.create", "service", &ref);
    if (rc == -422) {
        w->tx_force = TX_ROLLBACK;
        return render_form(req, res, 422, s, id);
    }
    json_decref(s);
    if (rc) return rc;
    web_public_changed(req);
    return web_redirect(req, res, arena_printf(req->arena, "/servizi/gestione/%lld?saved=1", (long long)ref.id));
}

static int post_new(http_req_t *req, http_res_t *res)
{
    return save(req, res, 0);
}
static const resource_t res_servizi_gestione_nuovo = {"/servizi/gestione/nuovo", .get = get_new, .post = post_new};

static int post_edit(http_req_t *req, http_res_t *res)
{
    int64_t id = web_param_id(req, "id");
    return id ? save(req, res, id) : web_not_found(req);
}
static const resource_t res_servizi_gestione_id = {"/servizi/gestione/{id}", .get = get_edit, .post = post_edit};

static const resource_t *const service_routes[] = {&res_servizi_gestione, &res_servizi_gestione_nuovo,
    &res_servizi_gestione_id};

ROUTE_TABLE(dirweb_service_page_routes, service_routes)

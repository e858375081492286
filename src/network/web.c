/* web.c — the network module's routes: the public portal (home page, district
 * pages), the workspace landing page, organisation admin pages and the
 * /api/v1/orgs API. Handlers parse, call the operations of network.h (never
 * the store) and answer. The public home page is cached per language and
 * rebuilt when the network changes (web_public_changed) or after 10 seconds. */
#include "app/server.h"
#include "app/org.h"
#include "info/web.h"
#include "core/json.h"
#include "network.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOME_CACHE_SLOTS 32
#define HOME_CACHE_TTL 10

typedef struct home_cache {
    char lang[8];
    unsigned long generation;
    time_t built;
    char *body;
    size_t len;
} home_cache_t;

static home_cache_t home_cache[HOME_CACHE_SLOTS];
static pthread_mutex_t home_lock = PTHREAD_MUTEX_INITIALIZER;

/* Copies a fresh cached home page for `lang` into res; false when none. */
static bool home_from_cache(const char *lang, http_res_t *res)
{
    bool hit = false;
    pthread_mutex_lock(&home_lock);
    for (int i = 0; i < HOME_CACHE_SLOTS && !hit; i++) {
        home_cache_t *c = &home_cache[i];
        if (c->body && strcmp(c->lang, lang) == 0 && c->generation == web_public_generation() &&
            time(NULL) - c->built < HOME_CACHE_TTL) {
            str_add(&res->body, c->body, c->len);
            hit = true;
        }
    }
    pthread_mutex_unlock(&home_lock);
    return hit;
}

/* Keeps a copy of the home page `body` for `lang`, in its language's slot
 * or a free one (the first slot when all are taken). */
static void home_to_cache(const char *lang, const str_t *body)
{
    pthread_mutex_lock(&home_lock);
    home_cache_t *slot = &home_cache[0];
    for (int i = 0; i < HOME_CACHE_SLOTS; i++) {
        if (strcmp(home_cache[i].lang, lang) == 0 || !home_cache[i].body) {
            slot = &home_cache[i];
            break;
        }
    }
    free(slot->body);
    snprintf(slot->lang, sizeof slot->lang, "%s", lang);
    slot->body = malloc(body->len + 1);
    if (slot->body) memcpy(slot->body, str_cstr(body), body->len + 1);
    slot->len = body->len;
    slot->generation = web_public_generation();
    slot->built = time(NULL);
    pthread_mutex_unlock(&home_lock);
}

/* The public home page (GET /): the plan, the macro-actions and the
 * districts; a visitor's page comes from the cache while it is fresh. */
static int get_home(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    bool cacheable = !w->has_session;
    if (cacheable && home_from_cache(w->lang, res)) {
        res->status = 200;
        res->content_type = "text/html; charset=utf-8";
        res->cache_control = "no-cache";
        return 0;
    }
    json_t *vm = NULL;
    int rc = network_portal(w->db, w->lang, &vm, &w->err);
    if (rc) return web_store_fail(req, rc);
    json_object_set_new(vm, "district_count", json_integer((json_int_t)json_array_size(json_object_get(vm, "districts"))));
    web_page(req, res, 200, "network/home", vm);
    res->cache_control = "no-cache";
    if (cacheable && res->status == 200) home_to_cache(w->lang, &res->body);
    return 0;
}
static const resource_t res_root = {"/", .get = get_home, .flags = R_PUBLIC};

/* An amount in euro cents written the way the page's language writes money:
 * "€ 237.170,00" in Italian (and most languages here), "€237,170.00" in English. */
static const char *format_euro(http_req_t *req, long long cents)
{
    bool english = strcmp(web(req)->lang, "en") == 0;
    char digits[32], grouped[48];
    long long whole = (cents < 0 ? -cents : cents) / 100, frac = (cents < 0 ? -cents : cents) % 100;
    int n = snprintf(digits, sizeof digits, "%lld", whole), o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) grouped[o++] = english ? ',' : '.';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    return arena_printf(req->arena, "%s€%s%s%s%02lld", cents < 0 ? "-" : "", english ? "" : " ", grouped,
                        english ? "." : ",", frac);
}

/* A district's public page (GET /ambiti/{code}): its partners (lead first,
 * with their category), its comuni and its projects with budget and actions. */
static int get_district(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *vm = NULL;
    int rc = network_district(w->db, http_param(req, "code"), &vm, &w->err);
    if (rc) return web_store_fail(req, rc);
    json_t *partners = json_array(), *comuni = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(vm, "children"), i, c) {
        const char *category = jstr(c, "category");
        if (category) json_object_set_new(c, "category_label", json_text(web_tr(req, category)));
        json_array_append(strcmp(jstr(c, "kind"), "comune") == 0 ? comuni : partners, c);
    }
    json_object_del(vm, "children");
    json_array_foreach(json_object_get(vm, "projects"), i, c) {
        json_t *b = json_object_get(c, "budget_cents");
        if (json_is_integer(b)) json_object_set_new(c, "budget", json_text(format_euro(req, json_integer_value(b))));
    }
    json_object_set_new(vm, "partner_count", json_integer((json_int_t)json_array_size(partners)));
    json_object_set_new(vm, "comune_count", json_integer((json_int_t)json_array_size(comuni)));
    json_object_set_new(vm, "partners", partners);
    json_object_set_new(vm, "comuni", comuni);
    if ((rc = infoweb_contacts_vm(req, http_param(req, "code"), vm))) { /* contacts and hours (src/info) */
        json_decref(vm);
        return rc;
    }
    return web_page(req, res, 200, "network/district", vm);
}
static const resource_t res_ambiti_code = {"/ambiti/{code}", .get = get_district, .flags = R_PUBLIC};

/* The workspace (GET /app): the user's organisation, its network and what they may do. */
static int get_workspace(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *vm = NULL;
    int rc = network_workspace(&w->scope, w->db, &vm, &w->err);
    if (rc) return web_store_fail(req, rc);
    json_t *children = json_object_get(vm, "children"), *c;
    size_t i;
    json_array_foreach(children, i, c) json_object_set_new(c, "kind_label", json_text(web_tr(req, jstr(c, "kind"))));
    json_object_set_new(vm, "child_count", json_integer((json_int_t)json_array_size(children)));
    json_object_set_new(vm, "org_name", json_text(w->sess.org_name));
    json_object_set_new(vm, "role_label", json_text(web_tr(req, role_name(w->sess.role))));
    json_object_set_new(vm, "can_manage_orgs", json_boolean(scope_can(&w->scope, CAP_ORG_MANAGE)));
    json_object_set_new(vm, "can_manage_users", json_boolean(scope_can(&w->scope, CAP_USER_MANAGE)));
    json_object_set_new(vm, "can_read_audit", json_boolean(scope_can(&w->scope, CAP_AUDIT_READ)));
    return web_page(req, res, 200, "network/workspace", vm);
}
static const resource_t res_app = {"/app", .get = get_workspace};

/* ---- API ------------------------------------------------------------------------ */

/* GET /api/v1/orgs: the organisations the user may read, a page at a time. */
static int get_orgs(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_ORG_READ, &w->err);
    int limit;
    int64_t cursor;
    if (rc || (rc = web_list_params(req, 500, 1000, &limit, &cursor))) return rc;
    json_t *items = json_array();
    if ((rc = network_org_list(&w->scope, w->db, cursor, limit + 1, items, &w->err))) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    json_t *next = web_next_cursor(items, limit);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) json_object_del(it, "id");
    return web_list(req, res, items, next);
}

/* GET /api/v1/orgs/{code}: one organisation the user may read. */
static int get_org(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *o = NULL;
    int rc = network_org_get(&w->scope, w->db, http_param(req, "code"), &o, &w->err);
    return rc ? web_store_fail(req, rc) : web_json(req, res, 200, o);
}

/* Reads an org_input_t from a JSON body; `create` makes code/name/kind/parent required. */
static int org_input_from_json(json_t *body, bool create, org_input_t *in, err_t *e)
{
    static const char *const allowed[] = {"code", "name", "kind", "parent", "category", "istat_code",
                                          "description", "is_lead", NULL};
    static const char *const allowed_update[] = {"name", "category", "istat_code", "description", "is_lead", NULL};
    memset(in, 0, sizeof *in);
    bool lead = false, has_lead = false;
    int rc;
    if ((rc = jin_only(body, create ? allowed : allowed_update, e)) ||
        (create && (rc = jin_str(body, "code", true, ORG_CODE_MAX, &in->code, e))) ||
        (rc = jin_str(body, "name", create, ORG_NAME_MAX, &in->name, e)) ||
        (create && (rc = jin_str(body, "kind", true, 16, &in->kind, e))) ||
        (create && (rc = jin_str(body, "parent", true, ORG_CODE_MAX, &in->parent, e))) ||
        (rc = jin_str(body, "category", false, 40, &in->category, e)) ||
        (rc = jin_str(body, "istat_code", false, 6, &in->istat_code, e)) ||
        (rc = jin_str(body, "description", false, 2000, &in->description, e)) ||
        (rc = jin_bool(body, "is_lead", false, &lead, &has_lead, e)))
        return rc;
    in->is_lead = has_lead ? lead : -1;
    return 0;
}

/* POST /api/v1/orgs (create: 201) and PATCH /api/v1/orgs/{code} (update:
 * 200): reads the body, runs the operation, audits it, answers the
 * organisation as it now is, and renews the public pages. */
static int write_org(http_req_t *req, http_res_t *res, bool create)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_ORG_MANAGE, &rc);
    if (!body) return rc;
    org_input_t in;
    org_t org;
    int64_t id = 0;
    const char *code = http_param(req, "code");
    if (!(rc = org_input_from_json(body, create, &in, &w->err)) && create) {
        rc = network_org_create(&w->scope, w->db, &in, &id, &w->err);
        code = in.code;
    } else if (!rc) {
        rc = network_org_update(&w->scope, w->db, code, &in, &org, &w->err);
        id = org.id;
    }
    if (!rc) rc = web_audit(req, create ? "org.create" : "org.update", "org", code, 0, id, NULL);
    json_t *o = NULL;
    if (!rc) rc = network_org_get(&w->scope, w->db, code, &o, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    web_public_changed(req);
    return web_json(req, res, create ? 201 : 200, o);
}

static int post_orgs(http_req_t *req, http_res_t *res)
{
    return write_org(req, res, true);
}
static const resource_t res_orgs = {"/api/v1/orgs", .get = get_orgs, .post = post_orgs};

static int patch_org(http_req_t *req, http_res_t *res)
{
    return write_org(req, res, false);
}
static const resource_t res_orgs_code = {"/api/v1/orgs/{code}", .get = get_org, .patch = patch_org};

/* ---- admin page ----------------------------------------------------------------- */

/* The organisations page with `status`: the tree in scope and the form for a
 * new one (`form`: what was typed, with the request's error; NULL: empty). */
static int render_orgs_page(http_req_t *req, http_res_t *res, int status, json_t *form)
{
    web_t *w = web(req);
    json_t *items = json_array();
    int rc = network_org_list(&w->scope, w->db, 0, 5000, items, &w->err);
    if (rc) {
        json_decref(items);
        json_decref(form);
        return web_store_fail(req, rc);
    }
    /* Each kind in the page's language; districts link to their public page. */
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        const char *kind = json_string_value(json_object_get(it, "kind"));
        json_object_set_new(it, "kind_label", json_text(web_tr(req, kind)));
        json_object_set_new(it, "is_district", json_boolean(strcmp(kind, "ambito") == 0));
    }
    static const char *const kinds[] = {"partner", "comune", "ambito", "support"};
    const char *chosen = json_string_value(json_object_get(form, "kind"));
    json_t *kind_options = json_array();
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        json_t *o = json_pack("{s:s, s:o}", "code", kinds[k], "label", json_text(web_tr(req, kinds[k])));
        if (chosen && strcmp(chosen, kinds[k]) == 0) json_object_set_new(o, "selected", json_true());
        json_array_append_new(kind_options, o);
    }
    json_t *vm = json_pack("{s:o, s:o, s:o}", "orgs", items, "form", form ? form : json_object(), "kinds", kind_options);
    if (status >= 400) web_form_error(req, vm);
    if (http_query(req, "created")) json_object_set_new(vm, "created", json_true());
    return web_page(req, res, status, "network/orgs", vm);
}

/* GET /admin/orgs. */
static int get_orgs_page(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_ORG_MANAGE, &web(req)->err);
    return rc ? rc : render_orgs_page(req, res, 200, NULL);
}

/* POST /admin/orgs: creates from the form and goes back to the page, or shows
 * the page again with the error and what was typed (nothing saved). */
static int post_orgs_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_ORG_MANAGE, &w->err);
    if (rc) return rc;
    org_input_t in = {http_form(req, "code"), http_form(req, "name"), http_form(req, "kind"),
                      http_form(req, "parent"), http_form(req, "category"), http_form(req, "istat_code"), NULL, -1};
    if (!in.code) in.code = "";
    if (!in.kind) in.kind = "";
    if (in.category && !*in.category) in.category = NULL;
    int64_t id;
    if ((rc = network_org_create(&w->scope, w->db, &in, &id, &w->err)) ||
        (rc = web_audit(req, "org.create", "org", in.code, 0, id, NULL))) {
        w->tx_force = TX_ROLLBACK;
        json_t *form = json_pack("{s:o, s:o, s:o, s:o, s:o}", "code", json_text(in.code), "name", json_text(in.name),
                                 "kind", json_text(in.kind), "parent", json_text(in.parent), "category",
                                 json_text(in.category));
        return render_orgs_page(req, res, -rc, form);
    }
    web_public_changed(req);
    return web_redirect(req, res, "/admin/orgs?created=1");
}
static const resource_t res_admin_orgs = {"/admin/orgs", .get = get_orgs_page, .post = post_orgs_page};

static const resource_t *const routes[] = {&res_root, &res_ambiti_code, &res_app, &res_admin_orgs, &res_orgs,
    &res_orgs_code};

ROUTE_TABLE(network_routes, routes)

/* web.c — the app layer's routes: health, metrics, OpenAPI, static files,
 * sessions (API and login page), the current user, audit, the outbox; the
 * accounts are in accounts.c.
 * Every endpoint that grants access has a denial test in tests/api. */
#include "accounts.h"
#include "audit.h"
#include "module.h"
#include "org.h"
#include "auth.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/metrics.h"
#include "outbox.h"
#include "store.h"
#include "server.h"
#include "settings.h"
#include "static_files.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- health, metrics, OpenAPI ------------------------------------------------ */

static int get_healthz(http_req_t *req, http_res_t *res)
{
    int rc;
    db_stmt_t *st = db_query(web(req)->db, &rc, "SELECT 1", NULL);
    if (st) db_reset(st);
    if (rc != DB_ROW) return web_db_fail(req, DB_ECONN);
    return web_json(req, res, 200, json_pack("{s:s}", "status", "ok"));
}
static const resource_t res_healthz = {"/healthz", .get = get_healthz, .flags = R_PUBLIC};

/* Prometheus text: from the machine itself, or for an admin. */
static int get_metrics(http_req_t *req, http_res_t *res)
{
    if (!req->loopback && !scope_can(&web(req)->scope, CAP_METRICS)) {
        int rc = scope_require(&web(req)->scope, CAP_METRICS, &web(req)->err);
        return rc;
    }
    res->status = 200;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    metrics_render(&res->body);
    return 0;
}
static const resource_t res_metrics = {"/metrics", .get = get_metrics, .flags = R_PUBLIC};

static char *openapi_text;
static size_t openapi_len;
static pthread_once_t openapi_once = PTHREAD_ONCE_INIT;

static void load_openapi(void)
{
    str_t s = STR_INIT;
    if (str_read_file(&s, settings_path("docs/api/openapi.json")) == 0) openapi_text = str_detach(&s, &openapi_len);
    else str_release(&s);
}

static int get_openapi(http_req_t *req, http_res_t *res)
{
    pthread_once(&openapi_once, load_openapi);
    if (!openapi_text) return web_fail(req, 500, "internal", NULL, "The API description is missing.");
    res->status = 200;
    res->content_type = "application/json; charset=utf-8";
    res->cache_control = "public, max-age=300";
    res->static_body = openapi_text;
    res->static_len = openapi_len;
    return 0;
}
static const resource_t res_openapi_json = {"/api/v1/openapi.json", .get = get_openapi, .flags = R_PUBLIC};

/* ---- sessions ---------------------------------------------------------------- */

/* The JSON view of the logged-in user. */
static json_t *me_json(const session_info_t *s)
{
    return json_pack("{s:I, s:o, s:o, s:s, s:{s:o, s:o}, s:s}", "id", (json_int_t)s->user_id, "username",
                     json_text(s->username), "display_name", json_text(s->display_name), "role",
                     role_name(s->role), "org", "code", json_text(s->org_code), "name", json_text(s->org_name),
                     "csrf_token", s->csrf);
}

/* Logs in; on success sets the session cookie and fills the web state as if
 * the request had come with it. Failures are committed (they count for
 * throttling and are audited) through the returned error. */
static int do_login(http_req_t *req, http_res_t *res, const char *username, const char *password)
{
    web_t *w = web(req);
    login_result_t lr = {0};
    int64_t now = db_now();
    int rc = auth_login(w->db, username, password, req->client_ip, http_cookie(req, "li_session"),
                        &settings()->limits, now, &lr, &w->err);
    if (rc < 0) {
        char oid[32];
        snprintf(oid, sizeof oid, "%lld", (long long)lr.user_id);
        bool known = lr.user_id != 0;
        /* Tied to the account's organisation, so that its coordinators see it. */
        audit_event_t ev = {rc == -429 ? "login.throttled" : "login.failure", "user", known ? oid : NULL, 0,
                            known ? store_user_org_id(w->db, lr.user_id) : 0, NULL, known ? NULL : "unknown account"};
        if (rc != -503) audit_record(w->db, &w->scope, req->client_ip, req->request_id, &ev);
        w->tx_force = TX_COMMIT;
        return rc;
    }
    char th[CRYPTO_HASH_HEX];
    auth_token_hash(lr.token, th);
    if (store_session_load(w->db, th, &w->sess) != 0) return web_db_fail(req, DB_ERR);
    w->has_session = true;
    w->scope.user_id = w->sess.user_id;
    w->scope.username = w->sess.username;
    w->scope.role = w->sess.role;
    scope_set_path(&w->scope, w->sess.org_path);
    web_cookie(req, res, "li_session", arena_strdup(req->arena, lr.token), settings()->limits.absolute_seconds,
               true);
    char uid[32];
    snprintf(uid, sizeof uid, "%lld", (long long)lr.user_id);
    return web_audit(req, "login.success", "user", arena_strdup(req->arena, uid), 0, w->sess.org_id, NULL);
}

static int post_session(http_req_t *req, http_res_t *res)
{
    json_t *body = web_body(req);
    if (!body) return -web(req)->err.status;
    const char *username, *password;
    static const char *const allowed[] = {"username", "password", NULL};
    err_t *e = &web(req)->err;
    int rc;
    if ((rc = jin_only(body, allowed, e)) || (rc = jin_str(body, "username", true, AUTH_USERNAME_MAX, &username, e)) ||
        (rc = jin_str(body, "password", true, AUTH_PASSWORD_MAX, &password, e))) {
        json_decref(body);
        return rc;
    }
    rc = do_login(req, res, username, password);
    json_decref(body);
    if (rc < 0) return rc;
    json_t *out = me_json(&web(req)->sess);
    return web_json(req, res, 200,
                    json_pack("{s:s, s:o, s:b}", "csrf_token", web(req)->sess.csrf, "user", out,
                              "password_change_required", web(req)->sess.password_change_required));
}
static const resource_t res_session = {"/api/v1/session", .post = post_session, .flags = R_PUBLIC | R_NO_CSRF};

static int delete_session(http_req_t *req, http_res_t *res)
{
    int rc = auth_logout(web(req)->db, http_cookie(req, "li_session"));
    if (rc) return web_db_fail(req, rc);
    web_cookie(req, res, "li_session", "", -1, true);
    if ((rc = web_audit(req, "logout", "user", NULL, 0, web(req)->sess.org_id, NULL))) return rc;
    res->status = 204;
    return 0;
}
static const resource_t res_session_del = {"/api/v1/session", .del = delete_session, .flags = R_PASSWORD};

static int get_me(http_req_t *req, http_res_t *res)
{
    return web_json(req, res, 200, me_json(&web(req)->sess));
}
static const resource_t res_me = {"/api/v1/me", .get = get_me};

/* ---- login and logout pages ----------------------------------------------------- */

/* A `next` target that stays on this site, else the workspace. */
static const char *safe_next(const char *next)
{
    return web_local_path(next) && strlen(next) <= 512 ? next : "/app";
}

static int render_login(http_req_t *req, http_res_t *res, int status, const char *username)
{
    json_t *vm = json_pack("{s:s, s:o, s:o}", "form_token", web_form_token(req, res, "li_pre"), "next",
                           json_text(safe_next(http_form(req, "next") ? http_form(req, "next")
                                                                     : http_query(req, "next"))),
                           "username", json_text(username));
    if (status != 200) json_object_set_new(vm, "error", json_text(web_tr(req, web(req)->err.message)));
    if (http_query(req, "expired")) json_object_set_new(vm, "expired", json_true());
    return web_page(req, res, status, "app/login", vm);
}

static int get_login(http_req_t *req, http_res_t *res)
{
    if (web(req)->has_session) return web_redirect(req, res, "/app");
    return render_login(req, res, 200, NULL);
}

static int post_login(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = web_check_form_token(req, "li_pre");
    if (rc) return rc;
    const char *username = http_form(req, "username"), *password = http_form(req, "password");
    if (!username || !*username || !password || !*password || strlen(username) > AUTH_USERNAME_MAX ||
        strlen(password) > AUTH_PASSWORD_MAX * 4) {
        web_fail(req, 422, "required", "username", "Wrong username or password.");
        return render_login(req, res, 422, username);
    }
    rc = do_login(req, res, username, password);
    if (rc < 0) {
        if (w->err.retry_after > 0)
            http_res_header(res, "Retry-After", arena_printf(req->arena, "%d", w->err.retry_after));
        return render_login(req, res, -rc, username);
    }
    return web_redirect(req, res, safe_next(http_form(req, "next")));
}
static const resource_t res_login = {"/login", .get = get_login, .post = post_login, .flags = R_PUBLIC | R_NO_CSRF};

static int post_logout(http_req_t *req, http_res_t *res)
{
    int rc = auth_logout(web(req)->db, http_cookie(req, "li_session"));
    if (rc) return web_db_fail(req, rc);
    web_cookie(req, res, "li_session", "", -1, true);
    if ((rc = web_audit(req, "logout", "user", NULL, 0, web(req)->sess.org_id, NULL))) return rc;
    return web_redirect(req, res, "/");
}
static const resource_t res_logout = {"/logout", .post = post_logout, .flags = R_PASSWORD};

/* ---- audit ----------------------------------------------------------------------- */

/* Reads the audit filters from the query string; -422 naming a bad one. */
static int audit_filters(http_req_t *req, int64_t *person_id, int64_t *from, int64_t *to)
{
    const char *names[] = {"person_id", "from", "to"};
    int64_t *outs[] = {person_id, from, to};
    for (int i = 0; i < 3; i++) {
        const char *v = http_query(req, names[i]);
        *outs[i] = 0;
        if (!v || !*v) continue;
        char *end;
        long long x = strtoll(v, &end, 10);
        if (*end || x < 0) return web_fail(req, 422, "invalid", names[i], "This value must be a whole number.");
        *outs[i] = x;
    }
    return 0;
}

static int load_audit(http_req_t *req, int limit, int64_t cursor, json_t *items)
{
    web_t *w = web(req);
    int64_t person_id, from, to;
    int rc = audit_filters(req, &person_id, &from, &to);
    if (rc) return rc;
    const char *user = http_query(req, "user"), *action = http_query(req, "action");
    rc = store_audit_list(&w->scope, w->db, person_id, user && *user ? user : NULL, action && *action ? action : NULL,
                          from, to, cursor, limit, items);
    return rc ? web_db_fail(req, rc) : 0;
}

/* A page of the audit log after `cursor` (the list endpoint's loader). */
static int audit_page(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    return load_audit(req, limit, cursor, items);
}

static int get_audit(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_AUDIT_READ, 100, 500, audit_page);
}
static const resource_t res_audit = {"/api/v1/audit", .get = get_audit};

static int get_audit_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_AUDIT_READ, &w->err);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = load_audit(req, 200, 0, items))) {
        json_decref(items);
        if (w->err.status != 422) return rc;
        items = json_array();
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        char when[32];
        time_t t = (time_t)json_integer_value(json_object_get(it, "at"));
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        json_object_set_new(it, "when", json_string(when));
    }
    json_t *filters = json_pack("{s:o, s:o, s:o}", "person_id", json_text(http_query(req, "person_id")), "user",
                                json_text(http_query(req, "user")), "action", json_text(http_query(req, "action")));
    json_t *vm = json_pack("{s:o, s:o, s:b}", "entries", items, "filters", filters, "empty", json_array_size(items) == 0);
    if (w->err.status == 422) json_object_set_new(vm, "error", json_text(web_tr(req, w->err.message)));
    return web_page(req, res, w->err.status == 422 ? 422 : 200, "app/audit", vm);
}
static const resource_t res_audit_page = {"/audit", .get = get_audit_page};

/* ---- e-mail outbox (admin) ------------------------------------------------------ */

/* Queues a test message to check the SMTP set-up; answers 202 with its id. */
static int post_outbox_test(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_USER_MANAGE, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"to", NULL};
    const char *to;
    int64_t id = 0;
    if ((rc = jin_only(body, allowed, &w->err)) || (rc = jin_str(body, "to", true, 254, &to, &w->err))) goto out;
    if (!mail_address_ok(to)) {
        rc = web_fail(req, 422, "invalid", "to", "This e-mail address is not valid.");
        goto out;
    }
    rc = outbox_enqueue_for(w->db, w->sess.org_id, to, web_tr(req, "labimpact: test message"),
                        web_tr(req, "This message confirms that labimpact can send e-mail."), "mail.test", NULL, &id);
    if (rc) {
        rc = web_db_fail(req, rc);
        goto out;
    }
    char oid[32];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    if ((rc = web_audit(req, "mail.test", "outbox", arena_strdup(req->arena, oid), 0, w->sess.org_id, NULL))) goto out;
    rc = web_json(req, res, 202, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending"));
out:
    json_decref(body);
    return rc;
}
static const resource_t res_outbox_test = {"/api/v1/outbox/test", .post = post_outbox_test};

/* A page of the outbox after `cursor`. */
static int outbox_page(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    int rc = store_outbox_list(&web(req)->scope, web(req)->db, cursor, limit, items);
    return rc ? web_db_fail(req, rc) : 0;
}

static int get_outbox(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_USER_MANAGE, 50, 200, outbox_page);
}
static const resource_t res_outbox = {"/api/v1/outbox", .get = get_outbox};

/* The files under static/ (static_files.c). */
static const resource_t res_static_files = {"/static/*", .get = static_files_serve, .flags = R_PUBLIC | R_NO_DB};
static const resource_t *const routes[] = {&res_healthz, &res_metrics, &res_openapi_json, &res_static_files,
    &res_session, &res_session_del, &res_me, &res_audit, &res_outbox, &res_outbox_test, &res_login, &res_logout,
    &res_audit_page};

/* The routes of the app itself. */
static ROUTE_TABLE(app_routes, routes)

static const module_routes_fn app_route_tables[] = {app_routes, account_routes, NULL};
static const module_nav_t app_nav[] = {
    {"/admin/users", "Users", CAP_USER_MANAGE, 40},
    {"/audit", "Audit log", CAP_AUDIT_READ, 50},
    {NULL, NULL, NULL, 0},
};
static const cap_t app_caps[] = {CAP_WORKSPACE, CAP_ORG_READ, CAP_ORG_MANAGE, CAP_USER_MANAGE,
                                 CAP_AUDIT_READ, CAP_METRICS, NULL};

/* The app's own entry in the registry: login, accounts, audit, health,
 * metrics, static files (listed first in src/modules.c). */
const module_t app_module = {"app", app_route_tables, app_nav, app_caps, NULL, "app"};

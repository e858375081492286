/* server.c — the request pipeline (see server.h), static files, and the
 * `serve` command. Nothing here knows a module's data; modules plug in their
 * route tables. Never log request content here: http.c logs the one line. */
#include "server.h"
#include "audit.h"
#include "outbox.h"
#include "auth.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/log.h"
#include "core/tmpl.h"
#include "module.h"
#include "settings.h"
#include "static_files.h"
#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static router_t *router;
static atomic_ulong public_generation = 1;

web_t *web(http_req_t *req)
{
    return (web_t *)req->app;
}

void web_public_changed(http_req_t *req)
{
    web(req)->public_changed = true;
}

unsigned long web_public_generation(void)
{
    return atomic_load(&public_generation);
}

const char *web_tr(http_req_t *req, const char *msgid)
{
    return i18n_get(settings()->i18n, web(req)->lang, msgid);
}

static const char *translate_cb(void *ctx, const char *msgid)
{
    return web_tr(ctx, msgid);
}

int web_fail(http_req_t *req, int status, const char *code, const char *field, const char *message)
{
    return err_set(&web(req)->err, status, code, field, message);
}

int web_db_fail(http_req_t *req, int db_rc)
{
    switch (db_rc) {
    case DB_ECONSTRAINT:
        return web_fail(req, 409, "conflict", NULL, "This conflicts with existing data.");
    case DB_EBUSY:
        return web_fail(req, 503, "busy", NULL, "The service is busy. Try again.");
    case DB_ECONN:
        web_fail(req, 503, "unavailable", NULL, "The database is not reachable. Try again shortly.");
        web(req)->err.retry_after = 5;
        return -503;
    default:
        return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    }
}

int web_not_found(http_req_t *req)
{
    return web_fail(req, 404, "not_found", NULL, "Not found.");
}

int web_store_fail(http_req_t *req, int rc)
{
    if (rc == 1) return web_not_found(req);
    if (rc < 0 && web(req)->err.status) return -web(req)->err.status;
    return web_db_fail(req, rc);
}

int64_t web_param_id(http_req_t *req, const char *name)
{
    const char *s = http_param(req, name);
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    return (s && *s && !*end && v > 0) ? v : 0;
}

int web_machine_or_admin(http_req_t *req)
{
    web_t *w = web(req);
    if (w->has_session ? w->scope.role == ROLE_ADMIN : req->loopback) return 0;
    return w->has_session ? web_fail(req, 403, "forbidden", NULL, "You are not allowed to do this.")
                          : web_fail(req, 401, "unauthenticated", NULL, "Please log in.");
}

const char *web_header(http_req_t *req, const char *name)
{
    const char *v = http_header(req, name);
    if (!v || !*v) return NULL;
    char *s = arena_strdup(req->arena, v);
    return url_decode(s, strlen(s), 0) < 0 ? v : s;
}

const char *web_upload_filename(http_req_t *req)
{
    const char *cd = web_header(req, "Content-Disposition"), *f = cd ? strstr(cd, "filename=") : NULL;
    if (!f) return web_header(req, "X-Filename");
    f += 9;
    bool quoted = *f == '"';
    char *name = arena_strdup(req->arena, f + quoted);
    name[strcspn(name, quoted ? "\"" : ";")] = '\0';
    return *name ? name : web_header(req, "X-Filename");
}

int web_json(http_req_t *req, http_res_t *res, int status, json_t *v)
{
    res->status = status;
    res->content_type = "application/json; charset=utf-8";
    http_res_reset(res);
    json_write(&res->body, v);
    json_decref(v);
    return 0;
}

/* True for a percent escape of a control character or a backslash at `p`
 * ("%09", "%0A", "%7f", "%5C"): decoded by a later reader, it would act as one. */
static bool is_escaped_control(const char *p)
{
    if (p[0] != '%' || !p[1] || !p[2]) return false;
    char hi = p[1], lo = (char)tolower((unsigned char)p[2]);
    return hi == '0' || hi == '1' || (hi == '7' && lo == 'f') || (hi == '5' && lo == 'c');
}

bool web_local_path(const char *path)
{
    if (!path || path[0] != '/' || path[1] == '/' || strlen(path) > WEB_PATH_MAX) return false;
    for (const char *p = path; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\' || is_escaped_control(p)) return false;
    return true;
}

const char *web_link_path(const http_req_t *req)
{
    const char *p = req->path;
    while (p && p[0] == '/' && p[1] == '/') p++;
    return web_local_path(p) ? p : "/";
}

int web_redirect(http_req_t *req, http_res_t *res, const char *location)
{
    /* Only local paths: never an open redirect. */
    if (!web_local_path(location)) location = "/";
    res->status = 303;
    http_res_header(res, "Location", arena_strdup(req->arena, location));
    return 0;
}

json_t *web_body(http_req_t *req)
{
    const char *ct = http_header(req, "Content-Type");
    /* The media type exactly (parameters such as charset may follow a ';'). */
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
        web_fail(req, 415, "unsupported_media_type", NULL, "Send the body as application/json.");
        return NULL;
    }
    return json_parse_object(req->body, req->body_len, &web(req)->err);
}

json_t *web_body_as(http_req_t *req, cap_t cap, int *rc)
{
    web_t *w = web(req);
    if ((*rc = scope_require(&w->scope, cap, &w->err))) return NULL;
    json_t *body = web_body(req);
    if (!body) *rc = -w->err.status;
    return body;
}

int web_list_params(http_req_t *req, int def, int max, int *limit, int64_t *cursor)
{
    const char *l = http_query(req, "limit"), *c = http_query(req, "cursor");
    char *end;
    *limit = def;
    *cursor = 0;
    if (l) {
        long v = strtol(l, &end, 10);
        if (*end || v < 1 || v > max)
            return web_fail(req, 422, "out_of_range", "limit", "The limit is out of range.");
        *limit = (int)v;
    }
    if (c && *c) {
        long long v = strtoll(c, &end, 10);
        if (*end || v < 1) return web_fail(req, 422, "invalid", "cursor", "The cursor is not valid.");
        *cursor = v;
    }
    return 0;
}

json_t *web_next_cursor(json_t *items, int limit)
{
    if (json_array_size(items) <= (size_t)limit) return json_null();
    json_array_remove(items, (size_t)limit);
    json_t *last = json_object_get(json_array_get(items, (size_t)limit - 1), "id");
    return json_sprintf("%lld", (long long)json_integer_value(last));
}

int web_list(http_req_t *req, http_res_t *res, json_t *items, json_t *next)
{
    return web_json(req, res, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next ? next : json_null()));
}

int web_list_answer(http_req_t *req, http_res_t *res, cap_t cap, int def, int max, web_page_fn load)
{
    web_t *w = web(req);
    int limit;
    int64_t cursor;
    int rc = scope_require(&w->scope, cap, &w->err);
    if (rc || (rc = web_list_params(req, def, max, &limit, &cursor))) return rc;
    json_t *items = json_array();
    if ((rc = load(req, cursor, limit + 1, items))) {
        json_decref(items);
        return rc;
    }
    json_t *next = web_next_cursor(items, limit);
    return web_list(req, res, items, next);
}

int web_download(http_req_t *req, http_res_t *res, int written, const char *type, const char *filename)
{
    if (written) {
        str_reset(&res->body);
        return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    }
    res->status = 200;
    if (type) res->content_type = type;
    http_res_header(res, "Content-Disposition", arena_printf(req->arena, "attachment; filename=\"%s\"", filename));
    return 0;
}

int web_form_failed(http_req_t *req, int rc, bool answer_404)
{
    rc = web_store_fail(req, rc);
    if (rc == -401 || rc == -403 || (answer_404 && rc == -404)) return rc;
    web(req)->tx_force = TX_ROLLBACK;
    return -rc;
}

void web_form_error(http_req_t *req, json_t *vm)
{
    const err_t *e = &web(req)->err;
    json_object_set_new(vm, "error", json_text(web_tr(req, e->message ? e->message : "Something went wrong on our side.")));
    if (!e->field[0]) return;
    json_object_set_new(vm, "error_field", json_text(e->field));
    json_object_set_new(vm, "invalid", json_pack("{s:b}", e->field, 1));
}

/* SQLite: the short audit transactions of reads queue on this mutex rather
 * than in SQLite's busy handler, whose growing sleeps make long tails. */
static pthread_mutex_t read_audit_lock = PTHREAD_MUTEX_INITIALIZER;

int web_audit_event(http_req_t *req, const audit_event_t *ev)
{
    db_t *db = web(req)->db;
    /* Reads run outside a write transaction (GET routes are not R_WRITE, so
     * they never wait for the write lock): their entry commits in a short
     * transaction of its own, before anything is answered. */
    bool own = !db_in_tx(db);
    bool lock = own && db_kind(db) == DB_SQLITE;
    if (lock) pthread_mutex_lock(&read_audit_lock);
    int rc = own ? db_begin(db, true) : 0;
    if (!rc) rc = audit_record(db, &web(req)->scope, req->client_ip, req->request_id, ev);
    if (own && !rc) rc = db_commit(db);
    if (own && rc && db_in_tx(db)) db_rollback(db);
    if (lock) pthread_mutex_unlock(&read_audit_lock);
    return rc ? web_db_fail(req, rc) : 0;
}

int web_audit(http_req_t *req, const char *action, const char *object_kind, const char *object_id,
              int64_t person_id, int64_t org_id, const char *detail)
{
    audit_event_t ev = {action, object_kind, object_id, person_id, org_id, NULL, detail};
    return web_audit_event(req, &ev);
}

int web_audit_id(http_req_t *req, const char *action, const char *object_kind, int64_t object_id,
                 int64_t person_id, int64_t org_id, const char *detail)
{
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)object_id);
    return web_audit(req, action, object_kind, object_id ? oid : NULL, person_id, org_id, detail);
}

void web_cookie(http_req_t *req, http_res_t *res, const char *name, const char *value, long max_age,
                bool http_only)
{
    char *c = arena_printf(req->arena, "%s=%s; Path=/; SameSite=Lax%s%s; Max-Age=%ld", name,
                           max_age < 0 ? "" : value, http_only ? "; HttpOnly" : "",
                           req->secure ? "; Secure" : "", max_age < 0 ? 0 : max_age);
    http_res_header(res, "Set-Cookie", c);
}

/* ---- pages ---------------------------------------------------------------- */

/* Appends the breadcrumb link {href, label} to `crumbs`. */
static void crumb_add(json_t *crumbs, const char *href, const char *label)
{
    json_array_append_new(crumbs, json_pack("{s:s, s:o}", "href", href, "label", json_text(label)));
}

/* The breadcrumb's links above the current page (the layout adds the page
 * itself): the home page for a visitor and on the workspace, the workspace
 * for a user elsewhere, then the menu entry of `nav` that the path lies
 * below (the help desk for /desk/persons/7), which is marked "section". */
static json_t *page_crumbs(http_req_t *req, json_t *nav)
{
    json_t *crumbs = json_array();
    bool workspace = web(req)->has_session && strcmp(req->path, "/app") != 0;
    if (workspace) crumb_add(crumbs, "/app", web_tr(req, "Workspace"));
    else crumb_add(crumbs, "/", web_tr(req, "Home"));
    json_t *above = NULL, *e;
    size_t i, best = 0;
    json_array_foreach(nav, i, e) {
        const char *href = json_string_value(json_object_get(e, "href"));
        size_t n = strlen(href);
        if (n > best && strncmp(req->path, href, n) == 0 && req->path[n] == '/') above = e, best = n;
    }
    if (!above) return crumbs;
    json_object_set_new(above, "section", json_true());
    const char *href = json_string_value(json_object_get(above, "href"));
    if (strcmp(href, "/app") != 0) crumb_add(crumbs, href, json_string_value(json_object_get(above, "label")));
    return crumbs;
}

/* The parts of every page's context that come from the request: language,
 * the language switch, and for a user the account, the menu and the
 * breadcrumb's links (`crumbs`, for a visitor too). */
static void page_common(http_req_t *req, json_t *vm)
{
    web_t *w = web(req);
    const settings_t *cfg = settings();
    json_object_set_new(vm, "lang", json_string(w->lang));
    json_object_set_new(vm, "dir", json_string(w->rtl ? "rtl" : "ltr"));
    json_object_set_new(vm, "request_id", json_string(req->request_id));
    json_t *langs = json_array();
    size_t n;
    const char *const *codes = i18n_langs(cfg->i18n, &n);
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_object();
        json_object_set_new(l, "code", json_string(codes[i]));
        json_object_set_new(l, "name", json_text(i18n_native_name(codes[i])));
        json_object_set_new(l, "dir", json_string(i18n_is_rtl(codes[i]) ? "rtl" : "ltr"));
        if (strcmp(codes[i], w->lang) == 0) json_object_set_new(l, "current", json_true());
        str_t href = STR_INIT;
        str_adds(&href, web_link_path(req));
        str_adds(&href, "?lang=");
        str_add_urlenc(&href, codes[i]);
        json_object_set_new(l, "href", json_text(str_cstr(&href)));
        str_release(&href);
        json_array_append_new(langs, l);
    }
    json_object_set_new(vm, "languages", langs);
    json_object_set_new(vm, "current_language", json_text(i18n_native_name(w->lang)));
    if (!w->has_session) {
        json_object_set_new(vm, "crumbs", page_crumbs(req, NULL));
        return;
    }
    json_t *u = json_object();
    json_object_set_new(u, "username", json_text(w->sess.username));
    json_object_set_new(u, "display_name", json_text(w->sess.display_name));
    json_object_set_new(u, "role", json_string(role_name(w->sess.role)));
    json_object_set_new(u, "org_code", json_text(w->sess.org_code));
    json_object_set_new(u, "org_name", json_text(w->sess.org_name));
    json_object_set_new(vm, "user", u);
    json_object_set_new(vm, "csrf", json_string(w->sess.csrf));
    json_t *nav = json_array();
    for (const module_nav_t *e = modules_nav(); e->href; e++) {
        if (!scope_can(&w->scope, e->cap)) continue;
        json_t *it = json_object();
        json_object_set_new(it, "href", json_string(e->href));
        json_object_set_new(it, "label", json_text(web_tr(req, e->label)));
        if (strcmp(req->path, e->href) == 0) json_object_set_new(it, "current", json_true());
        json_array_append_new(nav, it);
    }
    json_object_set_new(vm, "crumbs", page_crumbs(req, nav));
    json_object_set_new(vm, "nav", nav);
}

int web_page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm)
{
    page_common(req, vm);
    res->status = status;
    res->content_type = "text/html; charset=utf-8";
    http_res_reset(res);
    if (tmpl_render(settings()->tmpl, tmpl, vm, translate_cb, req, &res->body) != 0) {
        log_msg(LOG_ERROR, req->request_id, "template %s failed to render", tmpl);
        http_res_reset(res);
        res->status = 500;
        str_adds(&res->body, "Internal error");
        res->content_type = "text/plain; charset=utf-8";
    }
    json_decref(vm);
    return 0;
}

/* ---- errors ----------------------------------------------------------------- */

static void render_error(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const err_t *e = &w->err;
    int status = e->status ? e->status : 500;
    res->nheaders = 0;
    /* A 503 always says when to come back; a 429 says it when throttling knows. */
    int retry = e->retry_after > 0 ? e->retry_after : status == 503 ? 5 : 0;
    if (retry > 0) http_res_header(res, "Retry-After", arena_printf(req->arena, "%d", retry));
    const char *msg = web_tr(req, e->message ? e->message : "Something went wrong on our side.");
    if (w->api) {
        json_t *err = json_object();
        json_object_set_new(err, "code", json_string(e->code ? e->code : "internal"));
        json_object_set_new(err, "message", json_text(msg));
        if (e->field[0]) json_object_set_new(err, "field", json_text(e->field));
        json_object_set_new(err, "request_id", json_string(req->request_id));
        web_json(req, res, status, json_pack("{s:o}", "error", err));
        return;
    }
    if (status == 401 && strcmp(req->method, "GET") == 0) {
        str_t to = STR_INIT;
        str_adds(&to, w->session_expired ? "/login?expired=1&next=" : "/login?next=");
        str_add_urlenc(&to, req->path);
        web_redirect(req, res, str_cstr(&to));
        str_release(&to);
        return;
    }
    json_t *vm = json_pack("{s:i, s:o, s:o}", "status", status, "message", json_text(msg), "field",
                           json_text(e->field[0] ? e->field : NULL));
    web_page(req, res, status, "error", vm);
}

/* ---- the pipeline ------------------------------------------------------------- */

static bool is_unsafe(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "OPTIONS") != 0;
}

/* Picks the language: ?lang= (remembered in a cookie), cookie, Accept-Language. */
static void choose_language(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const i18n_t *in = settings()->i18n;
    const char *asked = http_query(req, "lang");
    if (asked && i18n_has(in, asked)) web_cookie(req, res, "li_lang", asked, 365L * 86400, false);
    else asked = http_cookie(req, "li_lang");
    w->lang = i18n_negotiate(in, asked, http_header(req, "Accept-Language"), settings()->default_lang);
    w->rtl = i18n_is_rtl(w->lang);
}

/* Resolves the session cookie into w->sess / w->scope. -status on failure. */
static int load_session(http_req_t *req)
{
    web_t *w = web(req);
    w->scope = scope_anonymous();
    const char *token = http_cookie(req, "li_session");
    if (!token) return 0;
    int rc = auth_session(w->db, token, &settings()->limits, db_now(), &w->sess);
    if (rc < 0) return web_db_fail(req, rc);
    if (rc == 2) w->session_expired = true; /* anonymous now; refused below only where a login is needed */
    if (rc != 0) return 0;
    w->has_session = true;
    w->scope.user_id = w->sess.user_id;
    w->scope.username = w->sess.username;
    w->scope.role = w->sess.role;
    w->scope.org_id = w->sess.org_id;
    snprintf(w->scope.org_code, sizeof w->scope.org_code, "%s", w->sess.org_code);
    scope_set_path(&w->scope, w->sess.org_path);
    return 0;
}

const char *web_form_token(http_req_t *req, http_res_t *res, const char *cookie)
{
    const char *t = http_cookie(req, cookie);
    if (t && strlen(t) == CRYPTO_TOKEN_LEN) return t;
    char fresh[CRYPTO_TOKEN_LEN + 1];
    crypto_token(fresh);
    t = arena_strdup(req->arena, fresh);
    web_cookie(req, res, cookie, t, 3600, true);
    return t;
}

int web_form_upload(http_req_t *req, const http_file_t **file)
{
    *file = http_form_file(req);
    if (req->too_large)
        return web_fail(req, 413, "too_large", "file", "The file is too large: at most 20 MB.");
    return 0;
}

const char *web_upload_stem(http_req_t *req, const char *filename)
{
    if (!filename) return NULL;
    char *name = arena_strdup(req->arena, filename), *dot = strrchr(name, '.');
    if (dot && dot != name) *dot = '\0';
    return name;
}

int web_check_form_token(http_req_t *req, const char *cookie)
{
    const char *given = http_form(req, "_csrf"), *expected = http_cookie(req, cookie);
    if (!given || !expected || !crypto_streq(given, expected))
        return web_fail(req, 403, "csrf", NULL, "The security token is missing or wrong: reload the page and try again.");
    return 0;
}

/* CSRF: the session's token in X-CSRF-Token (API) or the _csrf form field. */
static int check_csrf(http_req_t *req)
{
    web_t *w = web(req);
    const char *given = http_header(req, "X-CSRF-Token");
    if (!given && !w->api) given = http_form(req, "_csrf");
    if (!w->has_session || !given || !crypto_streq(given, w->sess.csrf))
        return web_fail(req, 403, "csrf", NULL, "The security token is missing or wrong: reload the page and try again.");
    return 0;
}

/* A session whose password is one-time may only replace it (or log out):
 * the API answers 403 password_change_required, a page sends to the form. */
static int password_change_first(http_req_t *req, http_res_t *res)
{
    if (web(req)->api)
        return web_fail(req, 403, "password_change_required", NULL,
                        "Replace the password an administrator set before doing anything else.");
    return web_redirect(req, res, "/account/password");
}

/* Runs the handler inside the route's transaction, retrying on busy. */
static int run_handler(http_req_t *req, http_res_t *res, const route_t *rt)
{
    web_t *w = web(req);
    for (int attempt = 0;; attempt++) {
        int rc = 0;
        if (rt->flags & R_WRITE) {
            rc = db_begin(w->db, true);
            if (rc) return web_db_fail(req, rc);
        }
        rc = rt->fn(req, res);
        if (rt->flags & R_WRITE) {
            /* A refused body (too large) never writes: its handler only shows the form again. */
            bool keep = !req->too_large && (w->tx_force == TX_COMMIT || (rc >= 0 && w->tx_force != TX_ROLLBACK));
            if (!keep) {
                db_rollback(w->db);
            } else {
                int crc = db_commit(w->db);
                if (crc) {
                    db_rollback(w->db);
                    rc = web_db_fail(req, crc);
                }
            }
        }
        /* Only committed data may reach the public caches. */
        if (rc >= 0 && w->public_changed) atomic_fetch_add(&public_generation, 1);
        bool busy = rc < 0 && w->err.code && strcmp(w->err.code, "busy") == 0;
        if (!busy || attempt >= 2) return rc;
        http_res_reset(res);
        res->nheaders = 0;
        memset(&w->err, 0, sizeof w->err);
        w->tx_force = TX_AUTO;
        w->public_changed = false;
    }
}

/* Records a refused request (outside the rolled-back transaction). */
static void audit_denial(http_req_t *req, const route_t *rt)
{
    web_t *w = web(req);
    if (!w->has_session) return;
    char *detail = arena_printf(req->arena, "%s %s", req->method, rt->pattern);
    audit_event_t ev = {"access.denied", NULL, NULL, 0, w->sess.org_id, NULL, detail};
    audit_record(w->db, &w->scope, req->client_ip, req->request_id, &ev);
}

static void dispatch(http_req_t *req, http_res_t *res, void *ctx)
{
    (void)ctx;
    web_t w;
    memset(&w, 0, sizeof w);
    req->app = &w;
    w.api = strncmp(req->path, "/api/", 5) == 0;
    w.lang = settings()->default_lang;
    bool path_exists = false;
    const route_t *rt = router_match(router, req->method, req->path, req, &path_exists);
    int rc = 0;
    if (!rt) {
        rc = path_exists ? web_fail(req, 405, "method_not_allowed", NULL, "This method is not allowed here.")
                         : web_not_found(req);
        if (!w.api) {
            /* The error page shows the visitor's language and, when logged in, their menu. */
            choose_language(req, res);
            err_t not_found = w.err;
            if ((w.db = db_thread()) && load_session(req) < 0) w.has_session = false;
            w.err = not_found;
        }
        goto done;
    }
    /* A body beyond the route's cap: 413, except on a page that takes a file,
     * whose handler shows the form again with the error (web_form_upload). */
    bool upload_page = rt->max_body && !w.api && (rt->flags & R_WRITE);
    if (req->too_large && !upload_page) {
        rc = web_fail(req, 413, "too_large", NULL, "The request body is too large.");
        if (!w.api) choose_language(req, res);
        goto done;
    }
    if (rt->flags & R_NO_DB) {
        rc = rt->fn(req, res);
        goto done;
    }
    choose_language(req, res);
    w.db = db_thread();
    if (!w.db) {
        rc = web_db_fail(req, DB_ECONN);
        goto done;
    }
    if ((rc = load_session(req)) < 0) goto done;
    if (w.session_expired) web_cookie(req, res, "li_session", "", -1, true);
    if (!(rt->flags & R_PUBLIC) && !w.has_session) {
        rc = w.session_expired
                 ? web_fail(req, 401, "session_expired", NULL, "Your session has expired: please log in again.")
                 : web_fail(req, 401, "unauthenticated", NULL, "Please log in.");
        goto done;
    }
    if (w.has_session && w.sess.password_change_required && !(rt->flags & (R_PUBLIC | R_PASSWORD))) {
        rc = password_change_first(req, res);
        goto done;
    }
    if (req->too_large && !w.has_session) {
        rc = web_fail(req, 413, "too_large", NULL, "The request body is too large.");
        goto done;
    }
    /* A refused body has no form, hence no token: its handler writes nothing
     * (run_handler rolls back) and only renders the page with the error. */
    if (is_unsafe(req->method) && !(rt->flags & R_NO_CSRF) && !req->too_large && (rc = check_csrf(req)) < 0) {
        audit_denial(req, rt);
        goto done;
    }
    rc = run_handler(req, res, rt);
    if (rc == -403) audit_denial(req, rt);
done:
    if (rc < 0) render_error(req, res);
    req->app = NULL;
}

/* ---- serve -------------------------------------------------------------------- */

/* What a visitor without a session may send: a login form or a public
 * request needs little, and a flood of large anonymous bodies must not grow
 * the server's memory. A live session lifts the cap to the route's
 * (route_t.max_body: ROUTE_BODY_UPLOAD where a file is taken, else
 * ROUTE_BODY_DEFAULT). */
#define ANONYMOUS_MAX_BODY (64 * 1024)

/* The body cap of a request (http_body_limit_fn), from its route and its
 * session cookie. */
static size_t body_limit(http_req_t *req, void *ctx)
{
    (void)ctx;
    const char *token = http_cookie(req, "li_session");
    if (!token || strcmp(req->method, "GET") == 0) return ANONYMOUS_MAX_BODY;
    db_t *db = db_thread();
    if (!db || !auth_session_live(db, token, &settings()->limits, db_now())) return ANONYMOUS_MAX_BODY;
    bool exists;
    const route_t *rt = router_match(router, req->method, req->path, req, &exists);
    req->nparams = 0; /* matched again by dispatch */
    return rt && rt->max_body ? rt->max_body : ROUTE_BODY_DEFAULT;
}

/* The routes of every module in the registry; -1 when two clash. */
static int build_router(void)
{
    router = router_new();
    size_t n;
    const route_t *r = modules_routes(&n);
    return router_add(router, r, n);
}

/* Blocks the termination signals in every thread (workers inherit the mask)
 * so that the main thread alone receives them with sigwait. */
static void block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int server_main(int argc, char **argv)
{
    const char *db_uri = NULL, *listen = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db_uri = argv[++i];
        else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) listen = argv[++i];
        else {
            fprintf(stderr, "serve: unknown argument %s (see labimpact serve --help)\n", argv[i]);
            return 2;
        }
    }
    if (!db_uri) db_uri = getenv("LABIMPACT_DB");
    if (!listen) listen = getenv("LABIMPACT_LISTEN");
    if (!listen || !*listen) listen = "127.0.0.1:8080";
    if (!db_uri || !*db_uri) {
        fprintf(stderr, "serve: --db is required (or LABIMPACT_DB)\n");
        return 2;
    }
    http_config_t hc = {0};
    char host[128];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host) {
        fprintf(stderr, "serve: --listen must be HOST:PORT\n");
        return 2;
    }
    snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
    if (host[0] == '[') { /* [::1]:8080 */
        memmove(host, host + 1, strlen(host));
        host[strcspn(host, "]")] = '\0';
    }
    hc.host = host;
    hc.port = atoi(colon + 1);
    if (settings_load() != 0) return 1;
    hc.trust_proxy = settings()->trust_proxy;
    hc.body_limit = body_limit;
    hc.max_body = ROUTE_BODY_UPLOAD; /* the largest route cap; body_limit gives each request its own */
    /* Migrate before serving: the schema must match the binary. */
    char err[256];
    db_t *db = db_open(db_uri, err, sizeof err);
    if (!db) {
        fprintf(stderr, "serve: %s\n", err);
        return 1;
    }
    int rc = db_migrate(db, db_migrations_dir());
    db_close(db);
    if (rc) return 1;
    db_pool_init(db_uri);
    if (build_router() != 0) {
        log_error("route table is inconsistent");
        return 1;
    }
    sigset_t set;
    block_signals(&set);
    http_server_t *srv = http_start(&hc, dispatch, NULL, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "serve: %s\n", err);
        return 1;
    }
    outbox_start(db_uri);
    log_info("labimpact serving on http://%s:%d/ (%s)", host, http_port(srv),
             db_uri_is_pg(db_uri) ? "PostgreSQL" : "SQLite");
    int sig = 0;
    sigwait(&set, &sig);
    log_info("signal %d: finishing requests in flight, then stopping", sig);
    http_stop(srv, 10);
    outbox_stop();
    db_pool_close();
    router_free(router);
    settings_free();
    log_info("stopped cleanly");
    return 0;
}

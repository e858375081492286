/* accounts.c — accounts (see accounts.h). Every endpoint that grants access
 * has a denial test in tests/api/users.test.mjs. */
#include "accounts.h"
#include "auth.h"
#include "core/json.h"
#include "core/mail.h"
#include "org.h"
#include "outbox.h"
#include "settings.h"
#include "store.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The roles that read personal records: giving one is a district's business. */
#define PERSONAL_DATA_ROLES (ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_OPERATOR) | ROLE_BIT(ROLE_MEDIATOR))

/* ---- accounts (admin) ------------------------------------------------------------------- */

/* 0 when `u` is a valid username: 3-64 of a-z 0-9 . _ - starting with a letter. */
static int check_username(const char *u, err_t *e)
{
    size_t n = strlen(u);
    if (n < 3 || n > AUTH_USERNAME_MAX || !islower((unsigned char)u[0]))
        return err_set(e, 422, "invalid", "username",
                       "The username must have 3 to 64 characters: lowercase letters, digits, dot, dash, underscore.");
    for (const char *p = u; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && !strchr("._-", *p))
            return err_set(e, 422, "invalid", "username",
                           "The username must have 3 to 64 characters: lowercase letters, digits, dot, dash, underscore.");
    return 0;
}

typedef struct user_input {
    const char *username, *password, *role, *org, *display_name, *email;
} user_input_t;

/* Tells the owner of account `username` by e-mail, queued in this
 * transaction, that an admin set a one-time password for it. Nothing when the
 * account has no address. 0 or -status. */
static int notify_password_set(http_req_t *req, int64_t org_id, int64_t user_id, const char *username,
                               const char *email)
{
    if (!email || !*email) return 0;
    web_t *w = web(req);
    str_t body = STR_INIT;
    str_adds(&body, web_tr(req, "An administrator set a new password for your labimpact account. "
                                "You will have to replace it with one of your own when you next log in."));
    str_addf(&body, "\n\n%s: %s\n%s: %s\n\n", web_tr(req, "Account"), username, web_tr(req, "Set by"), w->sess.username);
    str_adds(&body, web_tr(req, "If you did not expect this, tell your coordinator at once."));
    char ref[32];
    snprintf(ref, sizeof ref, "%lld", (long long)user_id);
    int rc = outbox_enqueue_for(w->db, org_id, email, web_tr(req, "labimpact: your password was set by an administrator"),
                                str_cstr(&body), "user.password", ref, NULL);
    str_release(&body);
    return rc ? web_db_fail(req, rc) : 0;
}

/* Records, for the coordinators of the district of `org_path`, that an admin
 * gave a personal-data role (`action` "user.grant") or reset the password of
 * an account holding one ("user.password_reset"). Nothing for other roles. */
static int audit_for_district(http_req_t *req, const char *action, int64_t user_id, role_t role,
                              const char *org_path, int64_t org_id)
{
    if (!(PERSONAL_DATA_ROLES & ROLE_BIT(role))) return 0;
    int64_t district = store_org_district(web(req)->db, org_path, org_id);
    return web_audit_id(req, action, "user", user_id, 0, district ? district : org_id, role_name(role));
}

/* Makes the password an admin just set for account `id` one-time and tells
 * its owner and the district. 0 or -status. */
static int admin_set_password(http_req_t *req, const char *action, int64_t id, const char *username,
                              const char *email, role_t role, const org_t *org)
{
    int rc = store_user_password_one_time(web(req)->db, id);
    if (rc) return web_db_fail(req, rc);
    if ((rc = notify_password_set(req, org->id, id, username, email))) return rc;
    return audit_for_district(req, action, id, role, org->path, org->id);
}

/* Validates and creates an account in the caller's subtree with a one-time
 * password; audits it and tells the owner. */
static int create_user(http_req_t *req, const user_input_t *in, int64_t *id)
{
    web_t *w = web(req);
    err_t *e = &w->err;
    int rc;
    if ((rc = check_username(in->username, e)) || (rc = auth_check_password(in->password, in->username, e)))
        return rc;
    role_t role = role_parse(in->role);
    if (role == ROLE_NONE)
        return web_fail(req, 422, "invalid", "role",
                        "Unknown role: admin, region, coordinator, operator, mediator, teacher, editor, translator.");
    if (in->email && *in->email && !mail_address_ok(in->email))
        return web_fail(req, 422, "invalid", "email", "This e-mail address is not valid.");
    org_t org;
    rc = org_visible(&w->scope, w->db, in->org ? in->org : w->sess.org_code, &org);
    if (rc < 0) return web_db_fail(req, rc);
    if (rc == 1 || !scope_covers(&w->scope, org.path))
        return web_fail(req, 422, "unknown_org", "org", "Unknown organisation.");
    char hash[CRYPTO_PWHASH_LEN];
    if (crypto_password_hash(in->password, hash) != 0)
        return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
    rc = store_user_create(w->db, in->username, hash, in->display_name, in->email && *in->email ? in->email : NULL,
                           role, org.id, db_now(), id);
    if (rc == DB_ECONSTRAINT) return web_fail(req, 409, "username_taken", "username", "This username is taken.");
    if (rc) return web_db_fail(req, rc);
    if ((rc = web_audit_id(req, "user.create", "user", *id, 0, org.id, role_name(role)))) return rc;
    return admin_set_password(req, "user.grant", *id, in->username, in->email, role, &org);
}

static int post_users(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_USER_MANAGE, &rc);
    if (!body) return rc;
    static const char *const allowed[] = {"username", "password", "role", "org", "display_name", "email", NULL};
    user_input_t in;
    err_t *e = &w->err;
    if ((rc = jin_only(body, allowed, e)) || (rc = jin_str(body, "username", true, AUTH_USERNAME_MAX, &in.username, e)) ||
        (rc = jin_str(body, "password", true, AUTH_PASSWORD_MAX, &in.password, e)) ||
        (rc = jin_str(body, "role", true, 32, &in.role, e)) || (rc = jin_str(body, "org", false, ORG_CODE_MAX, &in.org, e)) ||
        (rc = jin_str(body, "display_name", false, 120, &in.display_name, e)) ||
        (rc = jin_str(body, "email", false, 254, &in.email, e))) {
        json_decref(body);
        return rc;
    }
    int64_t id = 0;
    rc = create_user(req, &in, &id);
    json_decref(body);
    if (rc) return rc;
    json_t *u = NULL;
    if ((rc = store_user_get(&w->scope, w->db, id, &u)) != 0) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 201, u);
}

/* A page of the accounts in scope after `cursor`. */
static int users_page(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    int rc = store_user_list(&web(req)->scope, web(req)->db, cursor, limit, items);
    return rc ? web_db_fail(req, rc) : 0;
}

static int get_users(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_USER_MANAGE, 50, 200, users_page);
}
static const resource_t res_users = {"/api/v1/users", .get = get_users, .post = post_users};

static int get_user(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_USER_MANAGE, &w->err);
    if (rc) return rc;
    json_t *u = NULL;
    rc = store_user_get(&w->scope, w->db, web_param_id(req, "id"), &u);
    if (rc < 0) return web_db_fail(req, rc);
    if (rc == 1) return web_not_found(req);
    return web_json(req, res, 200, u);
}

/* An admin reset the password of account `id` (`u` its JSON as the admin
 * sees it): the password becomes one-time, the owner and the district are told. */
static int after_password_reset(http_req_t *req, int64_t id, json_t *u)
{
    org_t org;
    int rc = org_visible(&web(req)->scope, web(req)->db, jstr(u, "org"), &org);
    if (rc) return web_store_fail(req, rc);
    return admin_set_password(req, "user.password_reset", id, jstr(u, "username"), jstr(u, "email"),
                              role_parse(jstr(u, "role")), &org);
}

static int patch_user(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    err_t *e = &w->err;
    int rc = scope_require(&w->scope, CAP_USER_MANAGE, e);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id");
    json_t *existing = NULL;
    rc = store_user_get(&w->scope, w->db, id, &existing);
    if (rc < 0) return web_db_fail(req, rc);
    if (rc == 1) return web_not_found(req);
    json_t *body = web_body(req);
    if (!body) {
        json_decref(existing);
        return -e->status;
    }
    static const char *const allowed[] = {"display_name", "email", "active", "password", NULL};
    const char *display = NULL, *email = NULL, *password = NULL;
    bool active = true, has_active = false;
    char hash[CRYPTO_PWHASH_LEN];
    if ((rc = jin_only(body, allowed, e)) || (rc = jin_str(body, "display_name", false, 120, &display, e)) ||
        (rc = jin_str(body, "email", false, 254, &email, e)) || (rc = jin_bool(body, "active", false, &active, &has_active, e)) ||
        (rc = jin_str(body, "password", false, AUTH_PASSWORD_MAX, &password, e)) ||
        (password && (rc = auth_check_password(password, json_string_value(json_object_get(existing, "username")), e))))
        goto out;
    if (email && *email && !mail_address_ok(email)) {
        rc = web_fail(req, 422, "invalid", "email", "This e-mail address is not valid.");
        goto out;
    }
    if (has_active && !active && id == w->sess.user_id) {
        rc = web_fail(req, 422, "invalid", "active", "You cannot deactivate your own account.");
        goto out;
    }
    if (password && crypto_password_hash(password, hash) != 0) {
        rc = web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
        goto out;
    }
    rc = store_user_update(&w->scope, w->db, id, display, email, has_active ? active : -1, password ? hash : NULL,
                           db_now());
    /* A new password or a deactivation ends the account's sessions. */
    if (rc == 0 && (password || (has_active && !active))) rc = store_session_delete_user(w->db, id);
    if (rc) {
        rc = web_db_fail(req, rc);
        goto out;
    }
    char oid[32];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    if ((rc = web_audit(req, "user.update", "user", arena_strdup(req->arena, oid), 0, store_user_org_id(w->db, id),
                        password ? "password changed" : NULL)))
        goto out;
    json_decref(existing);
    existing = NULL;
    if ((rc = store_user_get(&w->scope, w->db, id, &existing))) {
        rc = web_store_fail(req, rc);
        goto out;
    }
    if (password && (rc = after_password_reset(req, id, existing))) goto out;
    rc = web_json(req, res, 200, existing);
    existing = NULL;
out:
    json_decref(body);
    json_decref(existing);
    return rc;
}
static const resource_t res_users_id = {"/api/v1/users/{id}", .get = get_user, .patch = patch_user};

/* ---- admin page: users ------------------------------------------------------------ */

static int render_users_page(http_req_t *req, http_res_t *res, int status, json_t *form)
{
    web_t *w = web(req);
    json_t *items = json_array();
    int rc = store_user_list(&w->scope, w->db, 0, 500, items);
    if (rc) {
        json_decref(items);
        json_decref(form);
        return web_db_fail(req, rc);
    }
    json_t *roles = json_array();
    const char *selected = json_string_value(json_object_get(form, "role"));
    for (int r = 1; r < ROLE_COUNT; r++) {
        json_t *o = json_pack("{s:s, s:o}", "code", role_name((role_t)r), "label", json_text(web_tr(req, role_name((role_t)r))));
        if (selected && strcmp(selected, role_name((role_t)r)) == 0) json_object_set_new(o, "selected", json_true());
        json_array_append_new(roles, o);
    }
    size_t i;
    json_t *u;
    json_array_foreach(items, i, u)
        json_object_set_new(u, "role_label", json_text(web_tr(req, json_string_value(json_object_get(u, "role")))));
    json_t *vm = json_pack("{s:o, s:o, s:o}", "users", items, "roles", roles, "form", form ? form : json_object());
    if (status >= 400) web_form_error(req, vm);
    if (http_query(req, "created")) json_object_set_new(vm, "created", json_true());
    return web_page(req, res, status, "app/users", vm);
}

static int get_users_page(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_USER_MANAGE, &web(req)->err);
    return rc ? rc : render_users_page(req, res, 200, NULL);
}

static int post_users_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_USER_MANAGE, &w->err);
    if (rc) return rc;
    user_input_t in = {http_form(req, "username"), http_form(req, "password"), http_form(req, "role"),
                       http_form(req, "org"), http_form(req, "display_name"), http_form(req, "email")};
    if (!in.username) in.username = "";
    if (!in.password) in.password = "";
    if (in.org && !*in.org) in.org = NULL;
    int64_t id;
    rc = create_user(req, &in, &id);
    if (rc < 0) {
        w->tx_force = TX_ROLLBACK;
        json_t *form = json_pack("{s:o, s:o, s:o, s:o, s:o}", "username", json_text(in.username), "role",
                                 json_text(in.role), "org", json_text(in.org), "display_name",
                                 json_text(in.display_name), "email", json_text(in.email));
        return render_users_page(req, res, -rc, form);
    }
    return web_redirect(req, res, "/admin/users?created=1");
}
static const resource_t res_admin_users = {"/admin/users", .get = get_users_page, .post = post_users_page};

/* ---- the owner's change of password ------------------------------------------- */

/* Replaces the session user's password (`current` must be right) and audits
 * it; the other sessions of the account end. 0 or -status. */
static int change_own_password(http_req_t *req, const char *current, const char *fresh)
{
    web_t *w = web(req);
    int rc = auth_change_password(w->db, w->sess.user_id, w->sess.username, current, fresh,
                                  http_cookie(req, "li_session"), db_now(), &w->err);
    if (rc) return rc;
    w->sess.password_change_required = false;
    return web_audit_id(req, "user.password_change", "user", w->sess.user_id, 0, w->sess.org_id, NULL);
}

static int post_me_password(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"current_password", "new_password", NULL};
    const char *current, *fresh;
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) &&
        !(rc = jin_str(body, "current_password", true, AUTH_PASSWORD_MAX, &current, &w->err)) &&
        !(rc = jin_str(body, "new_password", true, AUTH_PASSWORD_MAX, &fresh, &w->err)))
        rc = change_own_password(req, current, fresh);
    json_decref(body);
    if (rc) return rc;
    res->status = 204;
    return 0;
}
static const resource_t res_me_password = {"/api/v1/me/password", .post = post_me_password, .flags = R_PASSWORD};

static int render_password_page(http_req_t *req, http_res_t *res, int status)
{
    json_t *vm = json_pack("{s:b}", "required", web(req)->sess.password_change_required);
    if (status >= 400) web_form_error(req, vm);
    return web_page(req, res, status, "app/password", vm);
}

static int get_password_page(http_req_t *req, http_res_t *res)
{
    return render_password_page(req, res, 200);
}

static int post_password_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const char *current = http_form(req, "current_password"), *fresh = http_form(req, "new_password"),
               *again = http_form(req, "new_password_again");
    int rc;
    if (!current || !*current)
        rc = web_fail(req, 422, "required", "current_password", "This field is required.");
    else if (!fresh || !again || strcmp(fresh, again) != 0)
        rc = web_fail(req, 422, "mismatch", "new_password_again", "The two new passwords differ.");
    else
        rc = change_own_password(req, current, fresh);
    if (rc < 0) {
        w->tx_force = TX_ROLLBACK;
        return render_password_page(req, res, -rc);
    }
    return web_redirect(req, res, "/app");
}
static const resource_t res_account_password = {"/account/password", .get = get_password_page, .post = post_password_page, .flags = R_PASSWORD};

static const resource_t *const routes[] = {&res_users, &res_users_id, &res_me_password, &res_admin_users,
    &res_account_password};

ROUTE_TABLE(account_routes, routes)

/* web.c — the help desk's JSON API under /api/v1 (CONTRACT.md: persons,
 * consultations, procedures; and referrals, appointments, follow-ups, the
 * agenda, rules, access grants, register export, import, retention).
 *
 * Writes are R_WRITE routes: their audit entry is written in the same
 * transaction as what it describes. Reads (GET) run without the write lock
 * and commit their audit entry in a short transaction of its own before the
 * answer leaves (desk_web_audit). Out-of-scope ids
 * answer 404 exactly like absent ones, and write no audit entry naming the
 * person (that would leak the record into another district's log). */
#include "app/audit.h"
#include "app/org.h"
#include "app/server.h"
#include "core/json.h"
#include "desk.h"
#include "deskweb.h"
#include "network/network.h"
#include "store.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_web_fail(http_req_t *req, int rc)
{
    web_t *w = web(req);
    if (w->err.status) return -w->err.status;
    return web_db_fail(req, rc);
}

int desk_web_begin(http_req_t *req, desk_ctx_t *c, bool write)
{
    web_t *w = web(req);
    int rc = desk_ctx_init(c, &w->scope, w->db, w->lang);
    if (rc) return web_db_fail(req, rc);
    if (!c->can_read) return scope_require(&w->scope, CAP_PERSON_READ, &w->err);
    if (write && !c->can_write) return web_fail(req, 403, "forbidden", NULL, "You are not allowed to do this.");
    return 0;
}

int desk_web_audit(http_req_t *req, desk_ctx_t *c, const char *action, const char *kind, int64_t obj, int64_t person_id,
                   int64_t org_id, const char *detail)
{
    char oid[32];
    snprintf(oid, sizeof oid, "%lld", (long long)obj);
    audit_event_t ev = {action, kind, obj ? oid : NULL, person_id, org_id, c->grant_id ? c->reason : NULL, detail};
    return web_audit_event(req, &ev);
}

/* ---- persons ---------------------------------------------------------------------- */

int desk_search(http_req_t *req, desk_ctx_t *c, const char *q, int64_t cursor, int limit, json_t *items)
{
    str_t match = STR_INIT;
    int rc;
    if (q && *q) {
        int words = desk_search_query(q, db_kind(c->db), c->scope.org_id, &match);
        if (!words) { /* nothing searchable: no results rather than everything */
            str_release(&match);
            return 0;
        }
        /* The org token is the scope's own; for the command line (root) the path check suffices. */
        rc = store_person_search(&c->scope, c->db, str_cstr(&match), cursor, limit, items);
    } else {
        rc = store_person_search(&c->scope, c->db, NULL, cursor, limit, items);
    }
    str_release(&match);
    if (rc) return web_db_fail(req, rc);
    char detail[48];
    snprintf(detail, sizeof detail, "results=%zu%s", json_array_size(items), q && *q ? " query" : "");
    return desk_web_audit(req, c, "person.search", "person", 0, 0, c->scope.org_id, detail);
}

static int get_persons(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int limit;
    int64_t cursor;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = web_list_params(req, 20, 100, &limit, &cursor))) return rc;
    const char *q = http_query(req, "q");
    if (q && strlen(q) > 200) return web_fail(req, 422, "too_long", "q", "This field is too long.");
    json_t *items = json_array();
    if ((rc = desk_search(req, &c, q, cursor, limit + 1, items))) {
        json_decref(items);
        return rc;
    }
    json_t *next = web_next_cursor(items, limit);
    return web_list(req, res, items, next);
}

static int post_persons(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = web_body(req), *p = NULL, *dups = NULL, *out = NULL;
    if (!body) return -w->err.status;
    int64_t id, org_id;
    if ((rc = desk_person_input(body, true, &p, &w->err))) goto done;
    if ((rc = desk_person_duplicates(&c, p, 0, &dups))) goto fail;
    if ((rc = desk_person_create(&c, p, json_string_value(json_object_get(p, "org")), &id, &org_id, &w->err))) goto fail;
    if ((rc = desk_web_audit(req, &c, "person.create", "person", id, id, org_id, NULL))) goto done;
    if ((rc = store_person_get(&c.scope, c.db, id, &out))) goto fail;
    json_object_del(out, "org_path");
    json_object_set_new(out, "possible_duplicates", dups);
    dups = NULL;
    rc = web_json(req, res, 201, out);
    goto done;
fail:
    rc = desk_web_fail(req, rc);
done:
    json_decref(body);
    json_decref(p);
    json_decref(dups);
    return rc;
}

static int get_person(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    json_t *p = NULL;
    rc = store_person_get(&c.scope, c.db, web_param_id(req, "id"), &p);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    int64_t id = json_integer_value(json_object_get(p, "id")), org = json_integer_value(json_object_get(p, "org_id"));
    json_object_del(p, "org_path");
    if ((rc = desk_web_audit(req, &c, "person.read", "person", id, id, org, NULL))) {
        json_decref(p);
        return rc;
    }
    return web_json(req, res, 200, p);
}

static int patch_person(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), org_id = 0;
    json_t *probe = NULL;
    /* 404 before looking at the body: an out-of-scope id tells nothing. */
    rc = store_person_get(&c.scope, c.db, id, &probe);
    json_decref(probe);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    json_t *body = web_body(req), *p = NULL, *out = NULL;
    if (!body) return -w->err.status;
    str_t changed = STR_INIT;
    if ((rc = desk_person_input(body, false, &p, &w->err))) goto done;
    if ((rc = desk_person_update(&c, id, p, &org_id, &changed, &w->err))) {
        rc = desk_web_fail(req, rc);
        goto done;
    }
    if ((rc = desk_web_audit(req, &c, "person.update", "person", id, id, org_id, str_cstr(&changed)))) goto done;
    if ((rc = store_person_get(&c.scope, c.db, id, &out))) {
        rc = desk_web_fail(req, rc < 0 ? rc : DB_ERR);
        goto done;
    }
    json_object_del(out, "org_path");
    rc = web_json(req, res, 200, out);
done:
    str_release(&changed);
    json_decref(body);
    json_decref(p);
    return rc;
}

static int delete_person(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), org_id = 0;
    json_t *probe = NULL;
    rc = store_person_get(&c.scope, c.db, id, &probe);
    json_decref(probe);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    if ((rc = scope_require(&w->scope, CAP_GDPR_ERASE, &w->err))) return rc;
    if ((rc = desk_person_erase(&c, id, &org_id, &w->err))) return desk_web_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "person.erase", "person", id, id, org_id, "anonymised"))) return rc;
    res->status = 204;
    return 0;
}

static int get_person_export(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id");
    json_t *x = NULL;
    rc = desk_person_export(&c, id, &x);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    int64_t org = json_integer_value(json_object_get(json_object_get(x, "person"), "org_id"));
    if ((rc = desk_web_audit(req, &c, "person.export", "person", id, id, org, "json"))) {
        json_decref(x);
        return rc;
    }
    char *cd = arena_printf(req->arena, "attachment; filename=\"person-%lld.json\"", (long long)id);
    if (http_query(req, "download")) http_res_header(res, "Content-Disposition", cd);
    return web_json(req, res, 200, x);
}

static int get_person_access_log(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    json_t *p = NULL, *items = json_array();
    int64_t id = web_param_id(req, "id");
    rc = store_person_get(&c.scope, c.db, id, &p);
    if (rc == 1) {
        json_decref(items);
        return web_not_found(req);
    }
    if (!rc) rc = store_person_access_log(c.db, id, 500, items);
    int64_t org = rc ? 0 : json_integer_value(json_object_get(p, "org_id"));
    json_decref(p);
    if (rc) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    if ((rc = desk_web_audit(req, &c, "person.access_log", "person", id, id, org, NULL))) {
        json_decref(items);
        return rc;
    }
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static int get_person_duplicates(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    json_t *p = NULL, *dups = NULL;
    int64_t id = web_param_id(req, "id");
    rc = store_person_get(&c.scope, c.db, id, &p);
    if (rc == 1) return web_not_found(req);
    if (!rc) rc = desk_person_duplicates(&c, p, id, &dups);
    int64_t org = rc ? 0 : json_integer_value(json_object_get(p, "org_id"));
    json_decref(p);
    if (rc) return web_db_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "person.duplicates", "person", id, id, org, NULL))) {
        json_decref(dups);
        return rc;
    }
    return web_json(req, res, 200, json_pack("{s:o}", "items", dups));
}

static int post_person_merge(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t keep = web_param_id(req, "id"), gone = 0;
    json_t *a = NULL, *b = NULL;
    rc = store_person_get(&c.scope, c.db, keep, &a);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    json_t *body = web_body(req);
    bool has;
    if (!body) {
        json_decref(a);
        return -w->err.status;
    }
    static const char *const allowed[] = {"other_id", NULL};
    if ((rc = scope_require(&w->scope, CAP_PERSON_MERGE, &w->err)) || (rc = jin_only(body, allowed, &w->err)) ||
        (rc = jin_int(body, "other_id", true, 1, INT64_MAX, &gone, &has, &w->err)))
        goto done;
    rc = store_person_get(&c.scope, c.db, gone, &b);
    if (rc == 1 || gone == keep) {
        rc = web_fail(req, 422, "unknown_person", "other_id", "Unknown person.");
        goto done;
    }
    if (rc) {
        rc = web_db_fail(req, rc);
        goto done;
    }
    if (strcmp(json_string_value(json_object_get(a, "status")), "active") ||
        strcmp(json_string_value(json_object_get(b, "status")), "active")) {
        rc = web_fail(req, 409, "not_active", NULL, "This record was anonymised or merged and cannot be changed.");
        goto done;
    }
    if ((rc = store_person_merge(c.db, keep, gone, db_now()))) {
        rc = web_db_fail(req, rc);
        goto done;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "merged %lld into %lld", (long long)gone, (long long)keep);
    if ((rc = desk_web_audit(req, &c, "person.merge", "person", gone, gone, json_integer_value(json_object_get(b, "org_id")), detail)) ||
        (rc = desk_web_audit(req, &c, "person.merge", "person", keep, keep, json_integer_value(json_object_get(a, "org_id")), detail)))
        goto done;
    json_t *out = NULL;
    if ((rc = store_person_get(&c.scope, c.db, keep, &out))) {
        rc = web_db_fail(req, rc < 0 ? rc : DB_ERR);
        goto done;
    }
    json_object_del(out, "org_path");
    rc = web_json(req, res, 200, out);
done:
    json_decref(a);
    json_decref(b);
    json_decref(body);
    return rc;
}

/* ---- consultations ---------------------------------------------------------------------- */

int desk_create_consultation(http_req_t *req, desk_ctx_t *c, const json_t *body, int64_t *id)
{
    int64_t pid = 0, org = 0;
    int rc = desk_consultation_create(c, body, id, &pid, &org, &web(req)->err);
    if (rc) return desk_web_fail(req, rc);
    return desk_web_audit(req, c, pid ? "consultation.create" : "consultation.create_anonymous", "consultation", *id, pid,
                          org, NULL);
}

static int post_consultations(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -web(req)->err.status;
    int64_t id = 0;
    rc = desk_create_consultation(req, &c, body, &id);
    json_decref(body);
    if (rc) return rc;
    if ((rc = store_consultation_get(&c.scope, c.db, id, &out))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 201, out);
}

/* Reads an optional positive integer query parameter; -422 when malformed. */
static int query_id(http_req_t *req, const char *name, int64_t *out)
{
    const char *s = http_query(req, name);
    *out = 0;
    if (!s || !*s) return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 1) return web_fail(req, 422, "invalid", name, "This value must be a whole number.");
    *out = v;
    return 0;
}

static int query_date(http_req_t *req, const char *name, const char **out)
{
    *out = http_query(req, name);
    if (*out && !**out) *out = NULL;
    if (*out && !date_valid(*out)) return web_fail(req, 422, "invalid", name, "Enter a real date as YYYY-MM-DD.");
    return 0;
}

static int get_consultations(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int limit;
    int64_t cursor, pid;
    const char *from, *to;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = web_list_params(req, 50, 500, &limit, &cursor)) || (rc = query_id(req, "person_id", &pid)) ||
        (rc = query_date(req, "from", &from)) || (rc = query_date(req, "to", &to)))
        return rc;
    json_t *items = json_array();
    if (pid) {
        json_t *p = NULL;
        rc = store_person_get(&c.scope, c.db, pid, &p);
        json_decref(p);
        if (rc == 1) { /* out of scope: an empty list, as for a person without consultations */
            json_t *next = json_null();
            return web_list(req, res, items, next);
        }
    }
    if (rc || (rc = store_consultation_list(&c.scope, c.db, pid, from, to, cursor, limit + 1, items))) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    json_t *next = web_next_cursor(items, limit);
    char detail[48];
    snprintf(detail, sizeof detail, "results=%zu", json_array_size(items));
    if ((rc = desk_web_audit(req, &c, "consultation.list", "consultation", 0, pid, c.scope.org_id, detail))) {
        json_decref(items);
        json_decref(next);
        return rc;
    }
    return web_list(req, res, items, next);
}

static int get_consultation(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    json_t *out = NULL;
    int64_t id = web_param_id(req, "id");
    rc = store_consultation_get(&c.scope, c.db, id, &out);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    json_t *pid = json_object_get(out, "person_id");
    if ((rc = desk_web_audit(req, &c, "consultation.read", "consultation", id, json_is_integer(pid) ? json_integer_value(pid) : 0,
                             json_integer_value(json_object_get(out, "org_id")), NULL))) {
        json_decref(out);
        return rc;
    }
    return web_json(req, res, 200, out);
}

/* ---- procedures --------------------------------------------------------------------------- */

static int post_procedures(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -web(req)->err.status;
    int64_t id = 0, pid = 0, org = 0;
    rc = desk_procedure_create(&c, body, &id, &pid, &org, &web(req)->err);
    const char *type = json_string_value(json_object_get(body, "type"));
    if (rc) rc = desk_web_fail(req, rc);
    else rc = desk_web_audit(req, &c, "procedure.create", "procedure", id, pid, org, type);
    json_decref(body);
    if (rc) return rc;
    if ((rc = desk_procedure_json(&c, id, &out))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 201, out);
}

static int get_procedure(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    json_t *out = NULL;
    int64_t id = web_param_id(req, "id");
    rc = desk_procedure_json(&c, id, &out);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "procedure.read", "procedure", id, json_integer_value(json_object_get(out, "person_id")),
                             json_integer_value(json_object_get(out, "org_id")), NULL))) {
        json_decref(out);
        return rc;
    }
    return web_json(req, res, 200, out);
}

static int patch_procedure(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), pid = 0, org = 0;
    json_t *probe = NULL;
    rc = store_procedure_get(&c.scope, c.db, id, &probe);
    json_decref(probe);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -web(req)->err.status;
    rc = desk_procedure_update(&c, id, body, &pid, &org, &web(req)->err);
    json_decref(body);
    if (rc) return desk_web_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "procedure.update", "procedure", id, pid, org, NULL))) return rc;
    if ((rc = desk_procedure_json(&c, id, &out))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 200, out);
}

static int get_procedures(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int64_t pid;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = query_id(req, "person_id", &pid))) return rc;
    if (!pid) return web_fail(req, 422, "required", "person_id", "This field is required.");
    json_t *items = json_array(), *p = NULL;
    rc = store_person_get(&c.scope, c.db, pid, &p);
    if (rc == 0) rc = store_procedure_list(&c.scope, c.db, pid, items);
    else if (rc == 1) rc = 0;
    int64_t org = p ? json_integer_value(json_object_get(p, "org_id")) : 0;
    json_decref(p);
    if (rc) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    if (org && (rc = desk_web_audit(req, &c, "procedure.list", "procedure", 0, pid, org, NULL))) {
        json_decref(items);
        return rc;
    }
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

/* ---- referrals, appointments, follow-ups ------------------------------------------------------ */

typedef int (*create_fn)(desk_ctx_t *, const json_t *, int64_t *, int64_t *, int64_t *, err_t *);
typedef int (*update_fn)(desk_ctx_t *, int64_t, const json_t *, int64_t *, int64_t *, err_t *);

static int referral_create_adapter(desk_ctx_t *c, const json_t *b, int64_t *id, int64_t *p, int64_t *o, err_t *e)
{
    return desk_referral_create(c, b, 0, id, p, o, e);
}

static int generic_create(http_req_t *req, http_res_t *res, const char *table, const char *kind, create_fn fn)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -web(req)->err.status;
    int64_t id = 0, pid = 0, org = 0;
    rc = fn(&c, body, &id, &pid, &org, &web(req)->err);
    json_decref(body);
    if (rc) return desk_web_fail(req, rc);
    char action[48];
    snprintf(action, sizeof action, "%s.create", kind);
    if ((rc = desk_web_audit(req, &c, action, kind, id, pid, org, NULL))) return rc;
    if ((rc = store_row_get(&c.scope, c.db, table, id, &out))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    json_object_del(out, "storage");
    return web_json(req, res, 201, out);
}

static int generic_update(http_req_t *req, http_res_t *res, const char *table, const char *kind, update_fn fn)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id"), pid = 0, org = 0;
    rc = store_owner(&c.scope, c.db, table, id, &pid, &org);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    json_t *body = web_body(req), *out = NULL;
    if (!body) return -web(req)->err.status;
    rc = fn(&c, id, body, &pid, &org, &web(req)->err);
    json_decref(body);
    if (rc) return desk_web_fail(req, rc);
    char action[48];
    snprintf(action, sizeof action, "%s.update", kind);
    if ((rc = desk_web_audit(req, &c, action, kind, id, pid, org, NULL))) return rc;
    if ((rc = store_row_get(&c.scope, c.db, table, id, &out))) return web_db_fail(req, rc < 0 ? rc : DB_ERR);
    return web_json(req, res, 200, out);
}

static int post_referrals(http_req_t *q, http_res_t *r) { return generic_create(q, r, "referral", "referral", referral_create_adapter); }
static int patch_referral(http_req_t *q, http_res_t *r) { return generic_update(q, r, "referral", "referral", desk_referral_update); }
static int post_appointments(http_req_t *q, http_res_t *r) { return generic_create(q, r, "appointment", "appointment", desk_appointment_create); }
static int patch_appointment(http_req_t *q, http_res_t *r) { return generic_update(q, r, "appointment", "appointment", desk_appointment_update); }
static int post_followups(http_req_t *q, http_res_t *r) { return generic_create(q, r, "followup", "followup", desk_followup_create); }
static int patch_followup(http_req_t *q, http_res_t *r) { return generic_update(q, r, "followup", "followup", desk_followup_update); }

/* Lists of a person's referrals / appointments / follow-ups / consents / ... */
static int person_list(http_req_t *req, http_res_t *res, const char *table, const char *kind)
{
    desk_ctx_t c;
    int64_t pid;
    int rc = desk_web_begin(req, &c, false);
    if (rc || (rc = query_id(req, "person_id", &pid))) return rc;
    if (!pid) pid = web_param_id(req, "id");
    if (!pid) return web_fail(req, 422, "required", "person_id", "This field is required.");
    json_t *p = NULL, *items = json_array();
    rc = store_person_get(&c.scope, c.db, pid, &p);
    if (rc == 1) {
        json_decref(items);
        return web_not_found(req);
    }
    if (!rc) rc = store_list_of_person(c.db, table, pid, items);
    int64_t org = p ? json_integer_value(json_object_get(p, "org_id")) : 0;
    json_decref(p);
    if (rc) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) json_object_del(it, "storage");
    char action[48];
    snprintf(action, sizeof action, "%s.list", kind);
    if ((rc = desk_web_audit(req, &c, action, kind, 0, pid, org, NULL))) {
        json_decref(items);
        return rc;
    }
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static int get_referrals(http_req_t *q, http_res_t *r) { return person_list(q, r, "referral", "referral"); }
static int get_appointments(http_req_t *q, http_res_t *r) { return person_list(q, r, "appointment", "appointment"); }
static int get_followups(http_req_t *q, http_res_t *r) { return person_list(q, r, "followup", "followup"); }

/* ---- agenda ------------------------------------------------------------------------------------ */

static int get_agenda(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, false);
    if (rc) return rc;
    const char *d = http_query(req, "days");
    int days = 90;
    if (d) {
        char *end;
        long v = strtol(d, &end, 10);
        if (*end || v < 1 || v > 366) return web_fail(req, 422, "out_of_range", "days", "This number is out of range.");
        days = (int)v;
    }
    json_t *out = NULL;
    if ((rc = desk_agenda(&c, days, &out))) return web_db_fail(req, rc);
    if ((rc = desk_web_audit(req, &c, "agenda.read", NULL, 0, 0, c.scope.org_id, NULL))) {
        json_decref(out);
        return rc;
    }
    return web_json(req, res, 200, out);
}

/* ---- rules ---------------------------------------------------------------------------------- */

static int rule_date(http_req_t *req, char out[11])
{
    const char *d = http_query(req, "date");
    if (d && *d) {
        if (!date_valid(d)) return web_fail(req, 422, "invalid", "date", "Enter a real date as YYYY-MM-DD.");
        snprintf(out, 11, "%s", d);
    } else {
        date_today(out, 0);
    }
    return 0;
}

static int get_rules(http_req_t *req, http_res_t *res)
{
    char date[11];
    int rc = rule_date(req, date);
    if (rc) return rc;
    json_t *types = NULL;
    if ((rc = desk_rule_types(web(req)->db, date, web(req)->lang, &types))) return web_db_fail(req, rc);
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", types, "next_cursor"));
}

static int get_rule(http_req_t *req, http_res_t *res)
{
    char date[11], origin[32];
    int rc = rule_date(req, date);
    if (rc) return rc;
    json_t *rule = NULL;
    rc = desk_rule_get(web(req)->db, http_param(req, "type"), date, &rule, origin);
    if (rc == 1) return web_not_found(req);
    if (rc) return web_db_fail(req, rc);
    json_object_set_new(rule, "origin", json_string(origin));
    return web_json(req, res, 200, rule);
}

static int get_rule_versions(http_req_t *req, http_res_t *res)
{
    json_t *v = NULL;
    int rc = desk_rule_versions(web(req)->db, http_param(req, "type"), &v);
    if (rc) return web_db_fail(req, rc);
    if (json_array_size(v) == 0) {
        json_decref(v);
        return web_not_found(req);
    }
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", v, "next_cursor"));
}

int desk_rule_put(http_req_t *req, const char *type, json_t *rule, const char *reason, int *recomputed)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_RULES_MANAGE, &w->err);
    if (rc) return rc;
    if (!reason || strlen(reason) < 5)
        return web_fail(req, 422, "required", "reason", "Say why the rule changes (at least 5 characters).");
    const char *t = json_string_value(json_object_get(rule, "type"));
    if (t && strcmp(t, type) != 0) return web_fail(req, 422, "invalid", "type", "The type must match the address.");
    json_object_set_new(rule, "type", json_string(type));
    json_object_del(rule, "origin");
    if ((rc = desk_rule_validate(rule, &w->err))) return rc;
    char *body = json_dumps(rule, JSON_COMPACT | JSON_SORT_KEYS);
    int64_t id = 0;
    const char *from = json_string_value(json_object_get(rule, "effective_from"));
    rc = store_rule_insert(w->db, type, from, body, reason, w->scope.user_id, db_now(), &id);
    free(body);
    if (!rc) rc = desk_procedures_recompute(w->db, type, from, recomputed);
    if (rc) return web_db_fail(req, rc);
    char detail[80];
    snprintf(detail, sizeof detail, "%s from %s; %d procedures recomputed", type, from, *recomputed);
    audit_event_t ev = {"rule.change", "rule", type, 0, w->scope.org_id, reason, detail};
    rc = audit_record(w->db, &w->scope, req->client_ip, req->request_id, &ev);
    return rc ? web_db_fail(req, rc) : 0;
}

static int put_rule(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_RULES_MANAGE, &w->err);
    if (rc) return rc;
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    const char *reason = json_string_value(json_object_get(body, "reason"));
    json_t *rule = json_object_get(body, "rule");
    if (!json_is_object(rule)) {
        json_decref(body);
        return web_fail(req, 422, "required", "rule", "This field is required.");
    }
    int n = 0;
    rule = json_deep_copy(rule);
    rc = desk_rule_put(req, http_param(req, "type"), rule, reason, &n);
    if (!rc) {
        json_object_set_new(rule, "recomputed_procedures", json_integer(n));
        rc = web_json(req, res, 200, rule);
        rule = NULL;
    }
    json_decref(rule);
    json_decref(body);
    return rc;
}

/* ---- access grants (break-the-glass) ------------------------------------------------------------ */

static int post_grants(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_BREAK_GLASS, &w->err);
    if (rc) return rc;
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"user", "org", "reason", "hours", NULL};
    const char *user, *org_code, *reason;
    int64_t hours = 24, uid = 0, id = 0;
    bool has;
    org_t org;
    if ((rc = jin_only(body, allowed, &w->err)) || (rc = jin_str(body, "user", true, 64, &user, &w->err)) ||
        (rc = jin_str(body, "org", true, ORG_CODE_MAX, &org_code, &w->err)) ||
        (rc = jin_str(body, "reason", true, 250, &reason, &w->err)) ||
        (rc = jin_int(body, "hours", false, 1, 168, &hours, &has, &w->err)))
        goto done;
    if (strlen(reason) < 10) {
        rc = web_fail(req, 422, "invalid", "reason", "Say why access is needed (at least 10 characters).");
        goto done;
    }
    rc = store_region_user(w->db, user, &uid);
    if (rc == 1) {
        rc = web_fail(req, 422, "invalid", "user", "Only a region account can be granted access.");
        goto done;
    }
    if (rc) { rc = web_db_fail(req, rc); goto done; }
    rc = org_visible(&w->scope, w->db, org_code, &org);
    if (rc == 1 || (rc == 0 && !scope_covers(&w->scope, org.path))) {
        rc = web_fail(req, 422, "unknown_org", "org", "Unknown organisation.");
        goto done;
    }
    int64_t now = db_now();
    if (rc || (rc = store_grant_insert(w->db, uid, org.id, reason, w->scope.user_id, now, now + hours * 3600, &id))) {
        rc = web_db_fail(req, rc);
        goto done;
    }
    char oid[32], detail[120];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    snprintf(detail, sizeof detail, "to %s on %s for %lld h", user, org.code, (long long)hours);
    audit_event_t ev = {"access_grant.create", "access_grant", oid, 0, org.id, reason, detail};
    if ((rc = audit_record(w->db, &w->scope, req->client_ip, req->request_id, &ev))) {
        rc = web_db_fail(req, rc);
        goto done;
    }
    rc = web_json(req, res, 201,
                  json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)id, "user", user, "org", org.code, "reason",
                            reason, "expires_at", (json_int_t)(now + hours * 3600)));
done:
    json_decref(body);
    return rc;
}

static int get_grants(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_BREAK_GLASS, &w->err);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = store_grant_list(w->db, db_now(), items))) {
        json_decref(items);
        return web_db_fail(req, rc);
    }
    return web_json(req, res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static int delete_grant(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_BREAK_GLASS, &w->err);
    if (rc) return rc;
    int64_t id = web_param_id(req, "id");
    if ((rc = store_grant_revoke(w->db, id, db_now()))) return web_db_fail(req, rc);
    if (db_changes(w->db) == 0) return web_not_found(req);
    if ((rc = web_audit(req, "access_grant.revoke", "access_grant", http_param(req, "id"), 0, w->scope.org_id, NULL)))
        return rc;
    res->status = 204;
    return 0;
}

static const route_t routes[] = {
    {"GET", "/api/v1/persons", get_persons, 0},
    {"POST", "/api/v1/persons", post_persons, R_WRITE},
    {"GET", "/api/v1/persons/{id}", get_person, 0},
    {"PATCH", "/api/v1/persons/{id}", patch_person, R_WRITE},
    {"DELETE", "/api/v1/persons/{id}", delete_person, R_WRITE},
    {"GET", "/api/v1/persons/{id}/export", get_person_export, 0},
    {"GET", "/api/v1/persons/{id}/access-log", get_person_access_log, 0},
    {"GET", "/api/v1/persons/{id}/duplicates", get_person_duplicates, 0},
    {"POST", "/api/v1/persons/{id}/merge", post_person_merge, R_WRITE},
    {"GET", "/api/v1/consultations", get_consultations, 0},
    {"POST", "/api/v1/consultations", post_consultations, R_WRITE},
    {"GET", "/api/v1/consultations/{id}", get_consultation, 0},
    {"GET", "/api/v1/procedures", get_procedures, 0},
    {"POST", "/api/v1/procedures", post_procedures, R_WRITE},
    {"GET", "/api/v1/procedures/{id}", get_procedure, 0},
    {"PATCH", "/api/v1/procedures/{id}", patch_procedure, R_WRITE},
    {"GET", "/api/v1/referrals", get_referrals, 0},
    {"POST", "/api/v1/referrals", post_referrals, R_WRITE},
    {"PATCH", "/api/v1/referrals/{id}", patch_referral, R_WRITE},
    {"GET", "/api/v1/appointments", get_appointments, 0},
    {"POST", "/api/v1/appointments", post_appointments, R_WRITE},
    {"PATCH", "/api/v1/appointments/{id}", patch_appointment, R_WRITE},
    {"GET", "/api/v1/followups", get_followups, 0},
    {"POST", "/api/v1/followups", post_followups, R_WRITE},
    {"PATCH", "/api/v1/followups/{id}", patch_followup, R_WRITE},
    {"GET", "/api/v1/agenda", get_agenda, 0},
    {"GET", "/api/v1/rules", get_rules, 0},
    {"GET", "/api/v1/rules/{type}", get_rule, 0},
    {"GET", "/api/v1/rules/{type}/versions", get_rule_versions, 0},
    {"PUT", "/api/v1/rules/{type}", put_rule, R_WRITE},
    {"GET", "/api/v1/access-grants", get_grants, 0},
    {"POST", "/api/v1/access-grants", post_grants, R_WRITE},
    {"DELETE", "/api/v1/access-grants/{id}", delete_grant, R_WRITE},
};

const route_t *desk_api_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

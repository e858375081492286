/* persons.c — the operations on persons: the access context, input
 * validation, creation, change, duplicates, erasure and the GDPR export.
 * No SQL (store), no HTTP (pages, web). */
#include "desk.h"
#include "ops.h"
#include "app/org.h"
#include "core/json.h"
#include "store.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_ctx_init(desk_ctx_t *c, const scope_t *session, db_t *db, const char *lang)
{
    memset(c, 0, sizeof *c);
    c->scope = *session;
    c->db = db;
    c->lang = lang ? lang : "it";
    c->can_read = scope_can(session, CAP_PERSON_READ);
    c->can_write = scope_can(session, CAP_PERSON_WRITE);
    if (c->can_read || session->role != ROLE_REGION) return 0;
    /* Break-the-glass: a region account reads through an active grant only. */
    desk_grant_t g;
    int rc = desk_store_grant_active(session, db, db_now(), &g);
    if (rc < 0) return rc;
    if (rc == 0) {
        c->grant_id = g.id;
        c->can_read = true;
        c->scope.org_id = g.org_id;
        scope_set_path(&c->scope, g.org_path);
        snprintf(c->scope.org_code, sizeof c->scope.org_code, "%s", g.org_code);
        snprintf(c->reason, sizeof c->reason, "%s", g.reason);
    }
    return 0;
}

/* An optional text field `key` of `body` (at most `max` characters) into
 * p[key]: unchanged when absent, null when null or empty, else checked by
 * `valid` (-422 with `message` naming the field). */
static int optional_text(const json_t *body, json_t *p, const char *key, size_t max, bool (*valid)(const char *),
                         const char *message, err_t *e)
{
    const char *v;
    int rc = jin_str((json_t *)body, key, false, max, &v, e);
    if (rc || !json_object_get(body, key)) return rc;
    if (v && *v && !valid(v)) return err_set(e, 422, "invalid", key, message);
    json_object_set_new(p, key, v && *v ? json_string(v) : json_null());
    return 0;
}

/* Trims and collapses runs of white space; NULL stays NULL. */
static char *clean_name(const char *s)
{
    if (!s) return NULL;
    char *out = malloc(strlen(s) + 1), *o = out;
    bool space = false;
    for (; *s; s++) {
        if (isspace((unsigned char)*s)) {
            space = o != out;
            continue;
        }
        if (space) *o++ = ' ';
        space = false;
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

static int take_name(const json_t *body, const char *key, bool required, json_t *p, err_t *e)
{
    const char *v;
    int rc = jin_str((json_t *)body, key, required, DESK_NAME_MAX, &v, e);
    if (rc || !json_object_get(body, key)) return rc;
    if (!v) return err_set(e, 422, "required", key, "This field is required.");
    char *c = clean_name(v), folded[256];
    if (!*c || desk_fold(c, folded, sizeof folded) == 0) {
        free(c);
        return err_set(e, 422, "invalid", key, "A name must contain letters.");
    }
    json_object_set_new(p, key, json_string(c));
    free(c);
    return 0;
}

int desk_person_input(const json_t *body, bool create, json_t **out, err_t *e)
{
    static const char *const allowed[] = {"given_name", "family_name", "sex", "birth_date", "citizenship", "org",
                                          "codice_fiscale", "phone", "email", "languages", "preferred_language", NULL};
    json_t *p = json_object();
    const char *v;
    int rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) || (rc = take_name(body, "given_name", create, p, e)) ||
        (rc = take_name(body, "family_name", create, p, e)))
        goto fail;
    if ((rc = jin_str((json_t *)body, "sex", create, 1, &v, e))) goto fail;
    if (json_object_get(body, "sex")) {
        if (!v || (strcmp(v, "m") && strcmp(v, "f") && strcmp(v, "x"))) {
            rc = err_set(e, 422, "invalid", "sex", "Sex must be m, f or x.");
            goto fail;
        }
        json_object_set_new(p, "sex", json_string(v));
    }
    if ((rc = jin_str((json_t *)body, "birth_date", create, 10, &v, e))) goto fail;
    if (json_object_get(body, "birth_date")) {
        char today[11];
        date_today(today, 0);
        if (!v || !date_valid(v)) {
            rc = err_set(e, 422, "invalid", "birth_date", "Enter a real date as YYYY-MM-DD.");
            goto fail;
        }
        if (strcmp(v, today) > 0) {
            rc = err_set(e, 422, "invalid", "birth_date", "The birth date cannot be in the future.");
            goto fail;
        }
        json_object_set_new(p, "birth_date", json_string(v));
    }
    if ((rc = jin_str((json_t *)body, "citizenship", create, 2, &v, e))) goto fail;
    if (json_object_get(body, "citizenship")) {
        char cc[3] = {0};
        if (v && strlen(v) == 2) cc[0] = (char)toupper((unsigned char)v[0]), cc[1] = (char)toupper((unsigned char)v[1]);
        if (!desk_country_valid(cc)) {
            rc = err_set(e, 422, "invalid", "citizenship", "Unknown country: use an ISO 3166 code such as MA.");
            goto fail;
        }
        json_object_set_new(p, "citizenship", json_string(cc));
    }
    if ((rc = jin_str((json_t *)body, "codice_fiscale", false, 16, &v, e))) goto fail;
    if (json_object_get(body, "codice_fiscale")) {
        if (v && *v) {
            char cf[17];
            size_t n = strlen(v);
            for (size_t i = 0; i <= n && i < sizeof cf; i++) cf[i] = (char)toupper((unsigned char)v[i]);
            cf[16] = '\0';
            int k = desk_cf_check(cf);
            if (k == -1) {
                rc = err_set(e, 422, "invalid", "codice_fiscale", "The codice fiscale must have 16 characters (or 11 digits).");
                goto fail;
            }
            if (k == -2) {
                rc = err_set(e, 422, "invalid", "codice_fiscale", "The check character of the codice fiscale is wrong.");
                goto fail;
            }
            json_object_set_new(p, "codice_fiscale", json_string(cf));
        } else {
            json_object_set_new(p, "codice_fiscale", json_null());
        }
    }
    if ((rc = optional_text(body, p, "phone", 30, desk_valid_phone, "This phone number is not valid.", e)) ||
        (rc = optional_text(body, p, "email", 254, desk_valid_email, "This e-mail address is not valid.", e)))
        goto fail;
    json_t *langs = json_object_get(body, "languages");
    if (langs && !json_is_null(langs)) {
        if (!json_is_array(langs) || json_array_size(langs) > 10) {
            rc = err_set(e, 422, "invalid", "languages", "Languages must be a list of ISO 639-1 codes such as [\"ar\", \"fr\"].");
            goto fail;
        }
        json_t *clean = json_array();
        size_t i;
        json_t *l;
        json_array_foreach(langs, i, l) {
            char lc[3] = {0};
            const char *s = json_string_value(l);
            if (s && strlen(s) == 2) lc[0] = (char)tolower((unsigned char)s[0]), lc[1] = (char)tolower((unsigned char)s[1]);
            if (!desk_language_valid(lc)) {
                json_decref(clean);
                rc = err_set(e, 422, "invalid", "languages", "Languages must be a list of ISO 639-1 codes such as [\"ar\", \"fr\"].");
                goto fail;
            }
            bool dup = false;
            size_t k;
            json_t *x;
            json_array_foreach(clean, k, x) if (strcmp(json_string_value(x), lc) == 0) dup = true;
            if (!dup) json_array_append_new(clean, json_string(lc));
        }
        json_object_set_new(p, "languages", clean);
    } else if (langs) {
        json_object_set_new(p, "languages", json_array());
    }
    if ((rc = optional_text(body, p, "preferred_language", 2, desk_language_valid,
                            "Unknown language: use an ISO 639-1 code such as ar.", e)))
        goto fail;
    if ((rc = jin_str((json_t *)body, "org", false, ORG_CODE_MAX, &v, e))) goto fail;
    if (v) json_object_set_new(p, "org", json_string(v));
    *out = p;
    return 0;
fail:
    json_decref(p);
    return rc;
}

/* Fills a row from the person object `p` (complete), with its keys. */
static void person_row(const json_t *p, const char *org_path, person_row_t *r, str_t *langs, str_t *doc, char *k1,
                       size_t klen)
{
    char k2[128];
    memset(r, 0, sizeof *r);
    r->given_name = jstr(p, "given_name");
    r->family_name = jstr(p, "family_name");
    r->sex = jstr(p, "sex");
    r->birth_date = jstr(p, "birth_date");
    r->citizenship = jstr(p, "citizenship");
    r->codice_fiscale = jstr(p, "codice_fiscale");
    r->phone = jstr(p, "phone");
    r->email = jstr(p, "email");
    r->preferred_language = jstr(p, "preferred_language");
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(p, "languages"), i, l) {
        if (i) str_addc(langs, ',');
        str_adds(langs, json_string_value(l));
    }
    r->languages = str_cstr(langs);
    desk_search_doc(r->given_name, r->family_name, r->codice_fiscale, org_path, doc);
    r->search_doc = str_cstr(doc);
    desk_dup_keys(r->given_name, r->family_name, r->birth_date, k1, k2, klen);
    r->dup_key = k1;
}

/* The organisation a new record goes to: `code` in scope, or the scope's own. */
int desk_op_org(desk_ctx_t *c, const char *code, org_t *org, err_t *e)
{
    if (!code) code = c->scope.org_code;
    int rc = org_visible(&c->scope, c->db, code, org);
    if (rc < 0) return rc;
    if (rc == 1 || !scope_covers(&c->scope, org->path))
        return err_set(e, 422, "unknown_org", "org", "Unknown organisation.");
    return 0;
}

int desk_person_create(desk_ctx_t *c, const json_t *p, const char *org_code, int64_t *id, int64_t *org_id, err_t *e)
{
    org_t org;
    int rc = desk_op_org(c, org_code, &org, e);
    if (rc) return rc;
    json_t *full = json_deep_copy(p);
    if (!json_object_get(full, "languages")) json_object_set_new(full, "languages", json_array());
    person_row_t r;
    str_t langs = STR_INIT, doc = STR_INIT;
    char k1[128], today[11];
    person_row(full, org.path, &r, &langs, &doc, k1, sizeof k1);
    date_today(today, 0);
    r.org_id = org.id;
    r.age_band_first = desk_age_band(r.birth_date, today);
    desk_person_ref_t ref;
    rc = desk_store_person_insert(&c->scope, c->db, &r, db_now(), &ref);
    *id = ref.id;
    *org_id = org.id;
    str_release(&langs);
    str_release(&doc);
    json_decref(full);
    return rc;
}

int desk_person_duplicates(desk_ctx_t *c, const json_t *p, int64_t except_id, json_t **out)
{
    desk_person_ref_t except = {except_id, 0, false};
    char k1[128], k2[128];
    desk_dup_keys(jstr(p, "given_name"), jstr(p, "family_name"), jstr(p, "birth_date"), k1, k2, sizeof k1);
    json_t *items = json_array();
    int rc = desk_store_person_dups(&c->scope, c->db, k1, k2, jstr(p, "codice_fiscale"),
                                    except_id ? &except : NULL, items);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = items;
    return 0;
}

int desk_person_update(desk_ctx_t *c, int64_t id, const json_t *p, int64_t *org_id, str_t *changed, err_t *e)
{
    json_t *cur = NULL;
    desk_person_ref_t ref;
    int rc = desk_store_person_load(&c->scope, c->db, id, &ref, &cur);
    if (rc) return rc;
    if (strcmp(jstr(cur, "status"), "active") != 0) {
        json_decref(cur);
        return err_set(e, 409, "not_active", NULL, "This record was anonymised or merged and cannot be changed.");
    }
    if (json_object_get(p, "org")) {
        json_decref(cur);
        return err_set(e, 422, "unknown_field", "org", "A person cannot be moved to another organisation here.");
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)p, k, v) {
        if (!json_equal(v, json_object_get(cur, k)) && !(json_is_null(v) && !json_object_get(cur, k))) {
            if (changed->len) str_addc(changed, ',');
            str_adds(changed, k);
        }
        json_object_set(cur, k, v);
    }
    person_row_t r;
    str_t langs = STR_INIT, doc = STR_INIT;
    char k1[128];
    person_row(cur, jstr(cur, "org_path"), &r, &langs, &doc, k1, sizeof k1);
    rc = desk_store_person_update(c->db, &ref, &r, db_now());
    *org_id = jint(cur, "org_id");
    str_release(&langs);
    str_release(&doc);
    json_decref(cur);
    return rc;
}

int desk_person_erase(desk_ctx_t *c, int64_t id, int64_t *org_id, err_t *e)
{
    desk_person_ref_t ref;
    int rc = desk_store_person_load(&c->scope, c->db, id, &ref, NULL);
    if (rc) return rc;
    *org_id = ref.org_id;
    if (!ref.active) return err_set(e, 409, "not_active", NULL, "This record was anonymised or merged and cannot be changed.");
    json_t *files = json_array();
    rc = desk_store_person_anonymise(c->db, &ref, db_now(), files);
    /* Stored files go after the commit would be ideal; removing them now is
     * safe because a rolled-back erasure is retried by the operator, and a
     * file without its row is never served. */
    size_t i;
    json_t *f;
    if (!rc)
        json_array_foreach(files, i, f) {
            char path[2048];
            if (desk_document_path(json_string_value(f), path, sizeof path) == 0) remove(path);
        }
    json_decref(files);
    return rc;
}

/* A person of the scope by a body field; -422 naming the field when absent. */
int desk_op_person(desk_ctx_t *c, int64_t pid, const char *field, desk_person_ref_t *ref, json_t **person, err_t *e)
{
    int rc = desk_store_person_load(&c->scope, c->db, pid, ref, person);
    if (rc < 0) return rc;
    if (rc == 1) return err_set(e, 422, "unknown_person", field, "Unknown person.");
    if (!ref->active) {
        if (person) json_decref(*person), *person = NULL;
        return err_set(e, 422, "not_active", field, "This record was anonymised or merged and cannot be changed.");
    }
    return 0;
}

int desk_op_date(const json_t *body, const char *key, bool required, bool not_future, const char **out, err_t *e)
{
    int rc = jin_str((json_t *)body, key, required, 10, out, e);
    if (rc || !*out) return rc;
    if (!date_valid(*out)) return err_set(e, 422, "invalid", key, "Enter a real date as YYYY-MM-DD.");
    char today[11];
    date_today(today, 0);
    if (not_future && strcmp(*out, today) > 0) return err_set(e, 422, "invalid", key, "This date cannot be in the future.");
    return 0;
}

int desk_person_export(desk_ctx_t *c, int64_t id, json_t **out)
{
    json_t *person = NULL;
    desk_person_ref_t ref;
    int rc = desk_store_person_load(&c->scope, c->db, id, &ref, &person);
    if (rc) return rc;
    json_object_del(person, "org_path");
    json_t *x = json_object();
    json_object_set_new(x, "person", person);
    json_t *cons = json_array();
    int64_t cursor = 0;
    for (;;) { /* every consultation, page by page */
        json_t *page = json_array();
        rc = desk_store_consultation_list(&c->scope, c->db, &ref, NULL, NULL, cursor, 500, page);
        size_t n = json_array_size(page);
        if (n) cursor = json_integer_value(json_object_get(json_array_get(page, n - 1), "id"));
        json_array_extend(cons, page);
        json_decref(page);
        if (rc || n < 500) break;
    }
    json_object_set_new(x, "consultations", cons);
    json_t *procs = json_array(), *full = json_array();
    if (!rc) rc = desk_store_procedure_list(&c->scope, c->db, &ref, procs);
    size_t i;
    json_t *p;
    json_array_foreach(procs, i, p) {
        json_t *pj = NULL;
        if (rc) break;
        rc = desk_procedure_json(c, json_integer_value(json_object_get(p, "id")), &pj);
        if (rc == 1) rc = 0;
        else if (!rc) json_array_append_new(full, pj);
    }
    json_decref(procs);
    json_object_set_new(x, "procedures", full);
    static const char *const kinds[][2] = {{"referral", "referrals"},   {"appointment", "appointments"},
                                           {"followup", "follow_ups"},  {"consent", "consents"},
                                           {"household_link", "household"}, {"permit", "permits"},
                                           {"person_document", "documents"}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !rc; k++) {
        json_t *items = json_array();
        rc = desk_store_person_records(c->db, kinds[k][0], &ref, items);
        json_array_foreach(items, i, p) json_object_del(p, "storage");
        json_object_set_new(x, kinds[k][1], items);
    }
    json_t *log = json_array();
    if (!rc) rc = desk_store_person_access_log(c->db, &ref, 1000, log);
    json_object_set_new(x, "access_log", log);
    char today[11];
    date_today(today, 0);
    json_object_set_new(x, "exported_on", json_string(today));
    if (rc) {
        json_decref(x);
        return rc;
    }
    *out = x;
    return 0;
}

int desk_person_get(desk_ctx_t *c, int64_t id, int64_t *org_id, json_t **out)
{
    desk_person_ref_t ref;
    int rc = desk_store_person_load(&c->scope, c->db, id, &ref, out);
    if (!rc && org_id) *org_id = ref.org_id;
    return rc;
}

int desk_person_search(desk_ctx_t *c, const char *q, int64_t cursor, int limit, json_t *items)
{
    if (!q || !*q) return desk_store_person_search(&c->scope, c->db, NULL, cursor, limit, items);
    str_t match = STR_INIT;
    int rc = 0;
    /* Nothing searchable in `q`: no results rather than everything. */
    if (desk_search_query(q, db_kind(c->db), c->scope.org_id, &match))
        rc = desk_store_person_search(&c->scope, c->db, str_cstr(&match), cursor, limit, items);
    str_release(&match);
    return rc;
}

int desk_person_merge(desk_ctx_t *c, int64_t keep_id, int64_t gone_id, int64_t *keep_org, int64_t *gone_org, err_t *e)
{
    desk_person_ref_t keep, gone;
    int rc = desk_store_person_load(&c->scope, c->db, keep_id, &keep, NULL);
    if (rc) return rc;
    rc = gone_id == keep_id ? 1 : desk_store_person_load(&c->scope, c->db, gone_id, &gone, NULL);
    if (rc == 1) return err_set(e, 422, "unknown_person", "other_id", "Unknown person.");
    if (rc) return rc;
    if (!keep.active || !gone.active)
        return err_set(e, 409, "not_active", NULL, "This record was anonymised or merged and cannot be changed.");
    *keep_org = keep.org_id;
    *gone_org = gone.org_id;
    return desk_store_person_merge(c->db, &keep, &gone, db_now());
}

int desk_person_access_log(desk_ctx_t *c, int64_t id, int limit, int64_t *org_id, json_t *items)
{
    desk_person_ref_t ref;
    int rc = desk_store_person_load(&c->scope, c->db, id, &ref, NULL);
    if (rc) return rc;
    *org_id = ref.org_id;
    return desk_store_person_access_log(c->db, &ref, limit, items);
}

int desk_person_records(desk_ctx_t *c, int64_t id, const char *kind, int64_t *org_id, json_t *items)
{
    desk_person_ref_t ref;
    int rc = desk_store_person_load(&c->scope, c->db, id, &ref, NULL);
    if (rc) return rc;
    if (org_id) *org_id = ref.org_id;
    json_t *rows = json_array();
    rc = desk_store_person_records(c->db, kind, &ref, rows);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) json_object_del(r, "storage");
    json_array_extend(items, rows);
    json_decref(rows);
    return rc;
}

int desk_persons_stale(desk_ctx_t *c, int years, json_t *items)
{
    int64_t before = db_now() - (int64_t)years * 365 * 86400;
    return desk_store_persons_stale(&c->scope, c->db, before, 1000, items);
}

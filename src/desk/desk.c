/* desk.c — the help desk's logic: validation of what operators send, the
 * orchestration of store calls for one change, the procedure engine over
 * the rules, the agenda and the GDPR export. No SQL here (store.c), no HTTP
 * (web.c, pages.c); audit entries are written by the web layer in the same
 * transaction. */
#include "desk.h"
#include "app/org.h"
#include "core/json.h"
#include "network/network.h"
#include "store.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t jint(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

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
    int64_t gid = 0, org_id = 0;
    char path[256], code[64];
    int rc = store_grant_active(db, session->user_id, db_now(), &gid, &org_id, path, sizeof path, code, sizeof code,
                                c->reason, sizeof c->reason);
    if (rc < 0) return rc;
    if (rc == 0) {
        c->grant_id = gid;
        c->can_read = true;
        c->scope.org_id = org_id;
        snprintf(c->scope.org_path, sizeof c->scope.org_path, "%s", path);
        snprintf(c->scope.org_code, sizeof c->scope.org_code, "%s", code);
    }
    return 0;
}

/* ---- persons ------------------------------------------------------------------- */

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
    if ((rc = jin_str((json_t *)body, "phone", false, 30, &v, e))) goto fail;
    if (json_object_get(body, "phone")) {
        if (v && *v && !desk_valid_phone(v)) {
            rc = err_set(e, 422, "invalid", "phone", "This phone number is not valid.");
            goto fail;
        }
        json_object_set_new(p, "phone", v && *v ? json_string(v) : json_null());
    }
    if ((rc = jin_str((json_t *)body, "email", false, 254, &v, e))) goto fail;
    if (json_object_get(body, "email")) {
        if (v && *v && !desk_valid_email(v)) {
            rc = err_set(e, 422, "invalid", "email", "This e-mail address is not valid.");
            goto fail;
        }
        json_object_set_new(p, "email", v && *v ? json_string(v) : json_null());
    }
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
    if ((rc = jin_str((json_t *)body, "preferred_language", false, 2, &v, e))) goto fail;
    if (json_object_get(body, "preferred_language")) {
        if (v && *v && !desk_language_valid(v)) {
            rc = err_set(e, 422, "invalid", "preferred_language", "Unknown language: use an ISO 639-1 code such as ar.");
            goto fail;
        }
        json_object_set_new(p, "preferred_language", v && *v ? json_string(v) : json_null());
    }
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
static int resolve_org(desk_ctx_t *c, const char *code, org_t *org, err_t *e)
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
    int rc = resolve_org(c, org_code, &org, e);
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
    rc = store_person_insert(c->db, &r, c->scope.user_id, db_now(), id);
    *org_id = org.id;
    str_release(&langs);
    str_release(&doc);
    json_decref(full);
    return rc;
}

int desk_person_duplicates(desk_ctx_t *c, const json_t *p, int64_t except_id, json_t **out)
{
    char k1[128], k2[128];
    desk_dup_keys(jstr(p, "given_name"), jstr(p, "family_name"), jstr(p, "birth_date"), k1, k2, sizeof k1);
    json_t *items = json_array();
    int rc = store_person_dups(&c->scope, c->db, k1, k2, jstr(p, "codice_fiscale"), except_id, items);
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
    int rc = store_person_get(&c->scope, c->db, id, &cur);
    if (rc < 0) return rc;
    if (rc == 1) return err_set(e, 404, "not_found", NULL, "Not found.");
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
    rc = store_person_update(c->db, id, &r, db_now());
    *org_id = jint(cur, "org_id");
    str_release(&langs);
    str_release(&doc);
    json_decref(cur);
    return rc;
}

int desk_person_erase(desk_ctx_t *c, int64_t id, int64_t *org_id, err_t *e)
{
    json_t *cur = NULL;
    int rc = store_person_get(&c->scope, c->db, id, &cur);
    if (rc < 0) return rc;
    if (rc == 1) return err_set(e, 404, "not_found", NULL, "Not found.");
    *org_id = jint(cur, "org_id");
    bool active = strcmp(jstr(cur, "status"), "active") == 0;
    json_decref(cur);
    if (!active) return err_set(e, 409, "not_active", NULL, "This record was anonymised or merged and cannot be changed.");
    json_t *files = json_array();
    rc = store_person_anonymise(c->db, id, db_now(), files);
    /* Stored files go after the commit would be ideal; removing them now is
     * safe because a rolled-back erasure is retried by the operator, and a
     * file without its row is never served. */
    size_t i;
    json_t *f;
    if (!rc)
        json_array_foreach(files, i, f) {
            char path[2048];
            snprintf(path, sizeof path, "%s/var/documents/%s", desk_home(), json_string_value(f));
            remove(path);
        }
    json_decref(files);
    return rc;
}

/* ---- consultations ----------------------------------------------------------------------- */

/* A person of the scope by a body field; -422 naming the field when absent. */
static int person_ref(desk_ctx_t *c, int64_t pid, const char *field, json_t **person, err_t *e)
{
    int rc = store_person_get(&c->scope, c->db, pid, person);
    if (rc < 0) return rc;
    if (rc == 1) return err_set(e, 422, "unknown_person", field, "Unknown person.");
    if (strcmp(jstr(*person, "status"), "active") != 0) {
        json_decref(*person);
        *person = NULL;
        return err_set(e, 422, "not_active", field, "This record was anonymised or merged and cannot be changed.");
    }
    return 0;
}

static int date_field(const json_t *body, const char *key, bool required, bool not_future, const char **out, err_t *e)
{
    int rc = jin_str((json_t *)body, key, required, 10, out, e);
    if (rc || !*out) return rc;
    if (!date_valid(*out)) return err_set(e, 422, "invalid", key, "Enter a real date as YYYY-MM-DD.");
    char today[11];
    date_today(today, 0);
    if (not_future && strcmp(*out, today) > 0) return err_set(e, 422, "invalid", key, "This date cannot be in the future.");
    return 0;
}

int desk_consultation_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                             err_t *e)
{
    static const char *const allowed[] = {"person_id", "citizenship", "sex", "age_band", "date", "channel", "topics",
                                          "outcome", "notes", "duration_minutes", "org", "referral", "follow_up", NULL};
    int rc;
    int64_t pid = 0, duration = 0;
    bool has;
    const char *date, *channel, *outcome, *notes, *org_code;
    consultation_row_t row;
    memset(&row, 0, sizeof row);
    json_t *person = NULL;
    str_t topics = STR_INIT;
    char today[11], cc[3] = {0};
    date_today(today, 0);
    if ((rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "person_id", false, 1, INT64_MAX, &pid, &has, e)) ||
        (rc = date_field(body, "date", false, true, &date, e)) ||
        (rc = jin_str((json_t *)body, "channel", false, 16, &channel, e)) ||
        (rc = jin_str((json_t *)body, "outcome", false, 32, &outcome, e)) ||
        (rc = jin_str((json_t *)body, "notes", false, DESK_NOTES_MAX, &notes, e)) ||
        (rc = jin_int((json_t *)body, "duration_minutes", false, 1, 600, &duration, &has, e)) ||
        (rc = jin_str((json_t *)body, "org", false, ORG_CODE_MAX, &org_code, e)))
        goto out;
    if (channel && !desk_channel_valid(channel)) {
        rc = err_set(e, 422, "invalid", "channel", "The channel must be in_person, phone or online.");
        goto out;
    }
    if (outcome && !desk_outcome_valid(outcome)) {
        rc = err_set(e, 422, "invalid", "outcome", "Unknown outcome.");
        goto out;
    }
    json_t *tl = json_object_get(body, "topics");
    if (!json_is_array(tl) || json_array_size(tl) == 0 || json_array_size(tl) > 10) {
        rc = err_set(e, 422, "required", "topics", "Choose at least one topic.");
        goto out;
    }
    size_t i;
    json_t *t;
    json_array_foreach(tl, i, t) {
        const char *code = json_string_value(t);
        if (!desk_topic_valid(code)) {
            rc = err_set(e, 422, "invalid", "topics", "Unknown topic.");
            goto out;
        }
        char probe[40];
        snprintf(probe, sizeof probe, ",%s,", code);
        str_t tmp = STR_INIT;
        str_addf(&tmp, ",%s,", str_cstr(&topics));
        bool dup = strstr(str_cstr(&tmp), probe) != NULL;
        str_release(&tmp);
        if (dup) continue;
        if (topics.len) str_addc(&topics, ',');
        str_adds(&topics, code);
    }
    if (pid) {
        static const char *const anon_only[] = {"citizenship", "sex", "age_band", NULL};
        for (int k = 0; anon_only[k]; k++)
            if (json_object_get(body, anon_only[k])) {
                rc = err_set(e, 422, "invalid", anon_only[k], "Only an anonymous consultation takes this field: it comes from the person's record.");
                goto out;
            }
        if ((rc = person_ref(c, pid, "person_id", &person, e))) goto out;
        row.org_id = jint(person, "org_id");
        row.person_id = pid;
        row.citizenship = jstr(person, "citizenship");
        row.sex = jstr(person, "sex");
        row.age_band = desk_age_band(jstr(person, "birth_date"), date ? date : today);
    } else {
        const char *cit, *sex, *band;
        if ((rc = jin_str((json_t *)body, "citizenship", true, 2, &cit, e)) ||
            (rc = jin_str((json_t *)body, "sex", true, 1, &sex, e)) ||
            (rc = jin_str((json_t *)body, "age_band", true, 5, &band, e)))
            goto out;
        cc[0] = (char)toupper((unsigned char)cit[0]);
        cc[1] = (char)toupper((unsigned char)cit[1]);
        if (!desk_country_valid(cc)) {
            rc = err_set(e, 422, "invalid", "citizenship", "Unknown country: use an ISO 3166 code such as MA.");
            goto out;
        }
        if (strcmp(sex, "m") && strcmp(sex, "f") && strcmp(sex, "x")) {
            rc = err_set(e, 422, "invalid", "sex", "Sex must be m, f or x.");
            goto out;
        }
        if (!desk_valid_age_band(band)) {
            rc = err_set(e, 422, "invalid", "age_band", "The age band must be 0-17, 18-60 or 61+.");
            goto out;
        }
        if (notes && *notes) {
            rc = err_set(e, 422, "invalid", "notes", "An anonymous consultation keeps no notes.");
            goto out;
        }
        if (json_object_get(body, "referral") || json_object_get(body, "follow_up")) {
            rc = err_set(e, 422, "invalid", json_object_get(body, "referral") ? "referral" : "follow_up",
                         "Referrals and follow-ups need a person.");
            goto out;
        }
        org_t org;
        if ((rc = resolve_org(c, org_code, &org, e))) goto out;
        row.org_id = org.id;
        row.citizenship = cc;
        row.sex = sex;
        row.age_band = band;
        notes = NULL;
    }
    row.date = date ? date : today;
    row.channel = channel ? channel : "in_person";
    row.topics = str_cstr(&topics);
    row.outcome = outcome;
    row.notes = notes && *notes ? notes : NULL;
    row.duration = duration;
    row.operator_id = c->scope.user_id;
    int64_t now = db_now();
    if ((rc = store_consultation_insert(c->db, &row, now, id))) goto out;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", str_cstr(&topics));
    for (char *sv = NULL, *s = strtok_r(buf, ",", &sv); s && !rc; s = strtok_r(NULL, ",", &sv)) rc = store_consultation_topic(c->db, *id, s);
    if (!rc && pid) rc = store_person_touch(c->db, pid, now);
    *person_id = pid;
    *org_id = row.org_id;
    json_t *ref = json_object_get(body, "referral");
    if (!rc && ref) {
        if (!json_is_object(ref)) {
            rc = err_set(e, 422, "invalid", "referral", "The referral must be an object.");
            goto out;
        }
        json_t *rb = json_deep_copy(ref);
        json_object_set_new(rb, "person_id", json_integer(pid));
        int64_t rid, p2, o2;
        rc = desk_referral_create(c, rb, *id, &rid, &p2, &o2, e);
        json_decref(rb);
    }
    json_t *fu = json_object_get(body, "follow_up");
    if (!rc && fu) {
        if (!json_is_object(fu)) {
            rc = err_set(e, 422, "invalid", "follow_up", "The follow-up must be an object.");
            goto out;
        }
        json_t *fb = json_deep_copy(fu);
        json_object_set_new(fb, "person_id", json_integer(pid));
        int64_t fid, p2, o2;
        rc = desk_followup_create(c, fb, &fid, &p2, &o2, e);
        json_decref(fb);
    }
out:
    json_decref(person);
    str_release(&topics);
    return rc;
}

/* ---- procedures ------------------------------------------------------------------------- */

/* Recomputes and stores the deadlines of a procedure row. */
static int recompute(db_t *db, const json_t *proc, const json_t *rule)
{
    json_t *done = json_object();
    int64_t id = jint(proc, "id");
    int rc = store_procedure_checks(db, id, done);
    if (rc) {
        json_decref(done);
        return rc;
    }
    json_t *dl = desk_rule_deadlines(rule, json_object_get(proc, "facts"), jstr(proc, "opened_on"), done);
    rc = store_procedure_set_deadlines(db, id, jint(proc, "person_id"), jint(proc, "org_id"), dl);
    json_decref(dl);
    json_decref(done);
    return rc;
}

int desk_procedure_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                          err_t *e)
{
    static const char *const allowed[] = {"person_id", "type", "facts", "opened_on", NULL};
    int64_t pid;
    bool has;
    const char *type, *opened;
    json_t *person = NULL, *rule = NULL, *facts = NULL;
    char today[11], origin[32];
    date_today(today, 0);
    int rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "person_id", true, 1, INT64_MAX, &pid, &has, e)) ||
        (rc = jin_str((json_t *)body, "type", true, 48, &type, e)) ||
        (rc = date_field(body, "opened_on", false, true, &opened, e)) ||
        (rc = person_ref(c, pid, "person_id", &person, e)))
        goto out;
    if (!opened) opened = today;
    rc = desk_rule_get(c->db, type, opened, &rule, origin);
    if (rc == 1) {
        rc = err_set(e, 422, "invalid", "type", "Unknown procedure type.");
        goto out;
    }
    if (rc) goto out;
    facts = json_object_get(body, "facts") ? json_deep_copy(json_object_get(body, "facts")) : json_object();
    /* Null facts mean "not known": drop them. */
    const char *k;
    json_t *v, *tmp;
    json_object_foreach_safe(facts, tmp, k, v) if (json_is_null(v)) json_object_del(facts, k);
    if ((rc = desk_rule_check_facts(rule, facts, e))) goto out;
    char *facts_text = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
    *org_id = jint(person, "org_id");
    *person_id = pid;
    rc = store_procedure_insert(c->db, pid, *org_id, type, facts_text, opened, jstr(rule, "effective_from"), origin,
                                c->scope.user_id, db_now(), id);
    free(facts_text);
    if (rc) goto out;
    json_t *proc = json_pack("{s:I, s:I, s:I, s:O, s:s}", "id", (json_int_t)*id, "person_id", (json_int_t)pid, "org_id",
                             (json_int_t)*org_id, "facts", facts, "opened_on", opened);
    rc = recompute(c->db, proc, rule);
    json_decref(proc);
    if (!rc) rc = store_person_touch(c->db, pid, db_now());
out:
    json_decref(person);
    json_decref(rule);
    json_decref(facts);
    return rc;
}

static bool valid_status(const char *s)
{
    return s && (!strcmp(s, "open") || !strcmp(s, "submitted") || !strcmp(s, "completed") || !strcmp(s, "cancelled"));
}

/* Applies {"steps": {code: bool}, "documents": {code: bool}} to the checklist. */
static int apply_checklist(desk_ctx_t *c, int64_t id, const json_t *rule, const json_t *cl, err_t *e)
{
    if (!json_is_object(cl)) return err_set(e, 422, "invalid", "checklist", "The checklist must be an object.");
    static const char *const kinds[2][2] = {{"steps", "step"}, {"documents", "document"}};
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)cl, k, v) {
        if (strcmp(k, "steps") && strcmp(k, "documents"))
            return err_set(e, 422, "unknown_field", "checklist", "The checklist has steps and documents.");
    }
    for (int i = 0; i < 2; i++) {
        json_t *m = json_object_get(cl, kinds[i][0]);
        if (!m) continue;
        if (!json_is_object(m)) return err_set(e, 422, "invalid", "checklist", "The checklist must be an object.");
        json_object_foreach(m, k, v) {
            bool known = false;
            size_t j;
            json_t *it;
            json_array_foreach(json_object_get(rule, kinds[i][0]), j, it)
                if (strcmp(jstr(it, "code"), k) == 0) known = true;
            if (!known || !json_is_boolean(v))
                return err_set(e, 422, "invalid", "checklist", "Unknown checklist item.");
            int rc = store_procedure_check_set(c->db, id, kinds[i][1], k, json_is_true(v), c->scope.user_id, db_now());
            if (rc) return rc;
        }
    }
    return 0;
}

int desk_procedure_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id,
                          err_t *e)
{
    static const char *const allowed[] = {"facts", "status", "checklist", NULL};
    json_t *proc = NULL, *rule = NULL;
    char origin[32], today[11];
    date_today(today, 0);
    const char *status;
    int rc = store_procedure_get(&c->scope, c->db, id, &proc);
    if (rc == 1) return err_set(e, 404, "not_found", NULL, "Not found.");
    if (rc < 0) return rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) || (rc = jin_str((json_t *)body, "status", false, 16, &status, e)))
        goto out;
    if (status && !valid_status(status)) {
        rc = err_set(e, 422, "invalid", "status", "The status must be open, submitted, completed or cancelled.");
        goto out;
    }
    rc = desk_rule_get(c->db, jstr(proc, "type"), jstr(proc, "opened_on"), &rule, origin);
    if (rc) {
        if (rc == 1) rc = err_set(e, 409, "conflict", "type", "The procedure's rule no longer exists.");
        goto out;
    }
    json_t *facts = json_object_get(proc, "facts");
    if (!json_is_object(facts)) {
        facts = json_object();
        json_object_set_new(proc, "facts", facts);
    }
    json_t *nf = json_object_get(body, "facts");
    if (nf) {
        if (!json_is_object(nf)) {
            rc = err_set(e, 422, "invalid", "facts", "Facts must be an object.");
            goto out;
        }
        const char *k;
        json_t *v;
        json_object_foreach(nf, k, v) {
            if (json_is_null(v)) json_object_del(facts, k);
            else json_object_set(facts, k, v);
        }
        /* Unknown names in the change are refused even when null. */
        json_t *probe = json_deep_copy(nf);
        json_t *tmp;
        json_object_foreach_safe(probe, tmp, k, v) if (json_is_null(v)) json_object_set_new(probe, k, json_null());
        rc = desk_rule_check_facts(rule, probe, e);
        json_decref(probe);
        if (rc == -422 && strcmp(e->code, "required") == 0) rc = 0, memset(e, 0, sizeof *e);
        if (rc) goto out;
    }
    if ((rc = desk_rule_check_facts(rule, facts, e))) goto out;
    json_t *cl = json_object_get(body, "checklist");
    if (cl && (rc = apply_checklist(c, id, rule, cl, e))) goto out;
    const char *st = status ? status : jstr(proc, "status");
    const char *closed = (!strcmp(st, "completed") || !strcmp(st, "cancelled"))
                             ? (jstr(proc, "closed_on") ? jstr(proc, "closed_on") : today)
                             : NULL;
    char *ft = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
    rc = store_procedure_update(c->db, id, ft, st, closed, jstr(rule, "effective_from"), origin, db_now());
    free(ft);
    if (!rc) rc = recompute(c->db, proc, rule);
    *person_id = jint(proc, "person_id");
    *org_id = jint(proc, "org_id");
    if (!rc) rc = store_person_touch(c->db, *person_id, db_now());
out:
    json_decref(proc);
    json_decref(rule);
    return rc;
}

int desk_procedures_recompute(db_t *db, const char *type, const char *from, int *n)
{
    json_t *ids = json_array();
    int rc = store_procedures_open(db, type, from, ids);
    scope_t sys = scope_system("/");
    size_t i;
    json_t *v;
    *n = 0;
    json_array_foreach(ids, i, v) {
        if (rc) break;
        json_t *proc = NULL, *rule = NULL;
        char origin[32];
        rc = store_procedure_get(&sys, db, json_integer_value(v), &proc);
        if (rc == 1) { rc = 0; continue; }
        if (!rc) rc = desk_rule_get(db, type, jstr(proc, "opened_on"), &rule, origin);
        if (rc == 1) rc = 0;
        else if (!rc) {
            rc = store_procedure_set_rule(db, json_integer_value(v), jstr(rule, "effective_from"), origin);
            if (!rc) rc = recompute(db, proc, rule);
            (*n)++;
        }
        json_decref(proc);
        json_decref(rule);
    }
    json_decref(ids);
    return rc;
}

/* Days from today to `date` (negative when past). */
static int days_until(const char *date)
{
    char today[11];
    date_today(today, 0);
    int y1, m1, d1, y2, m2, d2;
    if (sscanf(today, "%d-%d-%d", &y1, &m1, &d1) != 3 || sscanf(date, "%d-%d-%d", &y2, &m2, &d2) != 3) return 0;
    struct { int y, m, d; } a = {y1, m1, d1}, b = {y2, m2, d2};
    /* days_from_civil, local copy */
    int64_t da, db_;
    {
        int y = a.y - (a.m <= 2);
        int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
        int64_t doy = (153 * (a.m + (a.m > 2 ? -3 : 9)) + 2) / 5 + a.d - 1;
        da = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy;
    }
    {
        int y = b.y - (b.m <= 2);
        int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
        int64_t doy = (153 * (b.m + (b.m > 2 ? -3 : 9)) + 2) / 5 + b.d - 1;
        db_ = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy;
    }
    return (int)(db_ - da);
}

/* Adds label / days_left / overdue to deadline objects of a rule. */
static void label_deadlines(json_t *items, const json_t *rule, const char *lang)
{
    size_t i;
    json_t *d;
    json_array_foreach(items, i, d) {
        size_t k;
        json_t *def;
        json_array_foreach(json_object_get(rule, "deadlines"), k, def)
            if (strcmp(jstr(def, "code"), jstr(d, "code")) == 0)
                json_object_set_new(d, "label", json_text(desk_label(json_object_get(def, "label"), lang)));
        if (!json_object_get(d, "label")) json_object_set_new(d, "label", json_text(jstr(d, "code")));
        int left = days_until(jstr(d, "date"));
        json_object_set_new(d, "days_left", json_integer(left));
        const char *kind = jstr(d, "kind");
        json_object_set_new(d, "overdue", json_boolean(left < 0 && !json_is_true(json_object_get(d, "met")) && kind &&
                                                       (!strcmp(kind, "due") || !strcmp(kind, "limit"))));
    }
}

static json_t *checklist_json(const json_t *rule, const char *key, const char *kind, const json_t *done,
                              const char *lang)
{
    json_t *out = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(rule, key), i, it) {
        char k[128];
        snprintf(k, sizeof k, "%s:%s", kind, jstr(it, "code"));
        json_array_append_new(out, json_pack("{s:s, s:o, s:b}", "code", jstr(it, "code"), "label",
                                             json_text(desk_label(json_object_get(it, "label"), lang)), "done",
                                             json_is_true(json_object_get(done, k))));
    }
    return out;
}

int desk_procedure_json(desk_ctx_t *c, int64_t id, json_t **out)
{
    json_t *proc = NULL, *rule = NULL, *done = json_object(), *dl = json_array();
    char origin[32];
    int rc = store_procedure_get(&c->scope, c->db, id, &proc);
    if (rc) goto out;
    rc = desk_rule_get(c->db, jstr(proc, "type"), jstr(proc, "opened_on"), &rule, origin);
    if (rc == 1) rc = DB_ERR;
    if (rc || (rc = store_procedure_checks(c->db, id, done)) || (rc = store_procedure_deadline_list(c->db, id, dl)))
        goto out;
    const char *lang = c->lang;
    label_deadlines(dl, rule, lang);
    json_object_set_new(proc, "title", json_text(desk_label(json_object_get(rule, "title"), lang)));
    json_object_set_new(proc, "deadlines", dl);
    dl = NULL;
    json_object_set_new(proc, "steps", checklist_json(rule, "steps", "step", done, lang));
    json_object_set_new(proc, "documents", checklist_json(rule, "documents", "document", done, lang));
    json_t *fees = json_array();
    int64_t total = 0;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(rule, "fees"), i, it) {
        int64_t cents = jint(it, "cents");
        total += cents;
        json_array_append_new(fees, json_pack("{s:s, s:o, s:I, s:o}", "code", jstr(it, "code"), "label",
                                              json_text(desk_label(json_object_get(it, "label"), lang)), "cents",
                                              (json_int_t)cents, "amount",
                                              json_sprintf("€ %lld,%02lld", (long long)(cents / 100), (long long)(cents % 100))));
    }
    json_object_set_new(proc, "fees", fees);
    json_object_set_new(proc, "fees_total_cents", json_integer(total));
    json_object_set_new(proc, "fees_total",
                        json_sprintf("€ %lld,%02lld", (long long)(total / 100), (long long)(total % 100)));
    json_t *facts = json_object_get(proc, "facts");
    json_t *defs = json_array();
    json_array_foreach(json_object_get(rule, "facts"), i, it) {
        json_t *d = json_pack("{s:s, s:s, s:o, s:b}", "code", jstr(it, "code"), "type", jstr(it, "type"), "label",
                              json_text(desk_label(json_object_get(it, "label"), lang)), "required",
                              json_is_true(json_object_get(it, "required")));
        json_t *val = json_object_get(facts, jstr(it, "code"));
        if (val) json_object_set(d, "value", val);
        if (json_object_get(it, "values")) json_object_set_new(d, "values", json_deep_copy(json_object_get(it, "values")));
        json_array_append_new(defs, d);
    }
    json_object_set_new(proc, "fact_definitions", defs);
    json_object_set_new(proc, "notes", json_text(json_object_get(rule, "notes") ? desk_label(json_object_get(rule, "notes"), lang) : NULL));
    json_object_set_new(proc, "sources", json_deep_copy(json_object_get(rule, "sources")));
    json_object_set_new(proc, "rule", json_pack("{s:s, s:s}", "effective_from", jstr(rule, "effective_from"), "origin",
                                                 origin));
    json_object_del(proc, "rule_effective_from");
    json_object_del(proc, "rule_origin");
    *out = proc;
    proc = NULL;
out:
    json_decref(proc);
    json_decref(rule);
    json_decref(done);
    json_decref(dl);
    return rc;
}

/* ---- referrals, appointments, follow-ups ----------------------------------------------------- */

int desk_referral_create(desk_ctx_t *c, const json_t *body, int64_t consultation_id, int64_t *id, int64_t *person_id,
                         int64_t *org_id, err_t *e)
{
    static const char *const allowed[] = {"person_id", "to_org", "to_service", "reason", "consultation_id", NULL};
    int64_t pid, cid = consultation_id;
    bool has;
    const char *to_org, *to_service, *reason;
    json_t *person = NULL;
    int rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "person_id", true, 1, INT64_MAX, &pid, &has, e)) ||
        (rc = jin_str((json_t *)body, "to_org", false, ORG_CODE_MAX, &to_org, e)) ||
        (rc = jin_str((json_t *)body, "to_service", false, 200, &to_service, e)) ||
        (rc = jin_str((json_t *)body, "reason", false, 1000, &reason, e)) ||
        (!cid && (rc = jin_int((json_t *)body, "consultation_id", false, 1, INT64_MAX, &cid, &has, e))))
        return rc;
    if (!to_org && (!to_service || !*to_service))
        return err_set(e, 422, "required", "to_service", "Name the service (an organisation of the network or a text).");
    int64_t to_id = 0;
    if (to_org) {
        org_t o;
        rc = org_public(c->db, to_org, &o);
        if (rc < 0) return rc;
        if (rc == 1) return err_set(e, 422, "unknown_org", "to_org", "Unknown organisation.");
        to_id = o.id;
    }
    if ((rc = person_ref(c, pid, "person_id", &person, e))) return rc;
    *org_id = jint(person, "org_id");
    *person_id = pid;
    json_decref(person);
    if (cid && cid != consultation_id) {
        json_t *cons = NULL;
        rc = store_consultation_get(&c->scope, c->db, cid, &cons);
        if (rc < 0) return rc;
        bool same = rc == 0 && jint(cons, "person_id") == pid;
        json_decref(cons);
        if (!same) return err_set(e, 422, "invalid", "consultation_id", "Unknown consultation of this person.");
    }
    return store_referral_insert(c->db, pid, *org_id, cid, to_id, to_service, reason, c->scope.user_id, db_now(), id);
}

int desk_referral_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id, err_t *e)
{
    static const char *const allowed[] = {"status", "outcome", NULL};
    const char *status, *outcome;
    int rc = store_owner(&c->scope, c->db, "referral", id, person_id, org_id);
    if (rc == 1) return err_set(e, 404, "not_found", NULL, "Not found.");
    if (rc) return rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) || (rc = jin_str((json_t *)body, "status", false, 16, &status, e)) ||
        (rc = jin_str((json_t *)body, "outcome", false, 1000, &outcome, e)))
        return rc;
    static const char *const st[] = {"sent", "accepted", "completed", "declined", "no_show", NULL};
    bool ok = !status;
    for (int i = 0; st[i] && status; i++) ok = ok || !strcmp(st[i], status);
    if (!ok) return err_set(e, 422, "invalid", "status", "The status must be sent, accepted, completed, declined or no_show.");
    return store_referral_update(c->db, id, status, outcome, db_now());
}

static bool valid_time(const char *t)
{
    return t && strlen(t) == 5 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[1]) && t[2] == ':' &&
           isdigit((unsigned char)t[3]) && isdigit((unsigned char)t[4]) && atoi(t) < 24 && atoi(t + 3) < 60;
}

int desk_appointment_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                            err_t *e)
{
    static const char *const allowed[] = {"person_id", "date", "time", "duration_minutes", "purpose", "place", "org", NULL};
    int64_t pid = 0, minutes = 30;
    bool has;
    const char *date, *time, *purpose, *place, *org_code;
    int rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "person_id", false, 1, INT64_MAX, &pid, &has, e)) ||
        (rc = date_field(body, "date", true, false, &date, e)) ||
        (rc = jin_str((json_t *)body, "time", true, 5, &time, e)) ||
        (rc = jin_int((json_t *)body, "duration_minutes", false, 5, 600, &minutes, &has, e)) ||
        (rc = jin_str((json_t *)body, "purpose", false, 500, &purpose, e)) ||
        (rc = jin_str((json_t *)body, "place", false, 200, &place, e)) ||
        (rc = jin_str((json_t *)body, "org", false, ORG_CODE_MAX, &org_code, e)))
        return rc;
    if (!valid_time(time)) return err_set(e, 422, "invalid", "time", "Enter the time as HH:MM.");
    if (pid) {
        json_t *person = NULL;
        if ((rc = person_ref(c, pid, "person_id", &person, e))) return rc;
        *org_id = jint(person, "org_id");
        json_decref(person);
    } else {
        org_t org;
        if ((rc = resolve_org(c, org_code, &org, e))) return rc;
        *org_id = org.id;
    }
    *person_id = pid;
    return store_appointment_insert(c->db, pid, *org_id, date, time, minutes, purpose, place, c->scope.user_id,
                                    c->scope.user_id, db_now(), id);
}

int desk_appointment_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id,
                            err_t *e)
{
    static const char *const allowed[] = {"status", "date", "time", NULL};
    const char *status, *date, *time;
    int rc = store_owner(&c->scope, c->db, "appointment", id, person_id, org_id);
    if (rc == 1) return err_set(e, 404, "not_found", NULL, "Not found.");
    if (rc) return rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) || (rc = jin_str((json_t *)body, "status", false, 16, &status, e)) ||
        (rc = date_field(body, "date", false, false, &date, e)) || (rc = jin_str((json_t *)body, "time", false, 5, &time, e)))
        return rc;
    if (time && !valid_time(time)) return err_set(e, 422, "invalid", "time", "Enter the time as HH:MM.");
    if (status && strcmp(status, "scheduled") && strcmp(status, "done") && strcmp(status, "missed") &&
        strcmp(status, "cancelled"))
        return err_set(e, 422, "invalid", "status", "The status must be scheduled, done, missed or cancelled.");
    return store_appointment_update(c->db, id, status, date, time, db_now());
}

int desk_followup_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                         err_t *e)
{
    static const char *const allowed[] = {"person_id", "due_date", "note", NULL};
    int64_t pid;
    bool has;
    const char *due, *note;
    json_t *person = NULL;
    int rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "person_id", true, 1, INT64_MAX, &pid, &has, e)) ||
        (rc = date_field(body, "due_date", true, false, &due, e)) ||
        (rc = jin_str((json_t *)body, "note", false, 1000, &note, e)) || (rc = person_ref(c, pid, "person_id", &person, e)))
        return rc;
    *org_id = jint(person, "org_id");
    *person_id = pid;
    json_decref(person);
    return store_followup_insert(c->db, pid, *org_id, due, note, c->scope.user_id, c->scope.user_id, db_now(), id);
}

int desk_followup_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id,
                         err_t *e)
{
    static const char *const allowed[] = {"done", "due_date", NULL};
    bool done = false, has_done;
    const char *due;
    int rc = store_owner(&c->scope, c->db, "followup", id, person_id, org_id);
    if (rc == 1) return err_set(e, 404, "not_found", NULL, "Not found.");
    if (rc) return rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) || (rc = jin_bool((json_t *)body, "done", false, &done, &has_done, e)) ||
        (rc = date_field(body, "due_date", false, false, &due, e)))
        return rc;
    return store_followup_update(c->db, id, has_done ? done : -1, due, db_now());
}

/* ---- agenda --------------------------------------------------------------------------------- */

/* A cache of rules by type for labelling many deadlines. */
static const json_t *rule_for(desk_ctx_t *c, json_t *cache, const char *type, const char *date)
{
    char key[96];
    snprintf(key, sizeof key, "%s@%s", type, date);
    json_t *r = json_object_get(cache, key);
    if (r) return r;
    char origin[32];
    if (desk_rule_get(c->db, type, date, &r, origin) != 0) r = json_object();
    json_object_set_new(cache, key, r);
    return r;
}

int desk_agenda(desk_ctx_t *c, int days, json_t **out)
{
    char today[11], until[11], yesterday[11];
    date_today(today, 0);
    date_today(until, days);
    date_today(yesterday, -1);
    json_t *appts = json_array(), *coming = json_array(), *overdue = json_array(), *permits = json_array(),
           *followups = json_array(), *cache = json_object();
    int rc;
    if ((rc = store_agenda_appointments(&c->scope, c->db, today, appts)) ||
        (rc = store_agenda_deadlines(&c->scope, c->db, today, until, coming)) ||
        (rc = store_agenda_deadlines(&c->scope, c->db, "1900-01-01", yesterday, overdue)) ||
        (rc = store_agenda_permits(&c->scope, c->db, today, until, permits)) ||
        (rc = store_agenda_followups(&c->scope, c->db, yesterday, followups)))
        goto fail;
    json_t *lists[2] = {coming, overdue};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *d;
        json_array_foreach(lists[l], i, d) {
            const json_t *rule = rule_for(c, cache, jstr(d, "type"), jstr(d, "opened_on"));
            json_t *one = json_array();
            json_array_append(one, d);
            label_deadlines(one, rule, c->lang);
            json_decref(one);
            json_object_set_new(d, "title", json_text(desk_label(json_object_get(rule, "title"), c->lang)));
            json_object_del(d, "opened_on");
        }
    }
    /* Overdue: only what still asks for action ("due" and "limit"). */
    for (size_t i = json_array_size(overdue); i-- > 0;) {
        const char *kind = jstr(json_array_get(overdue, i), "kind");
        if (strcmp(kind, "due") && strcmp(kind, "limit")) json_array_remove(overdue, i);
    }
    size_t i;
    json_t *p;
    json_array_foreach(permits, i, p) json_object_set_new(p, "days_left", json_integer(days_until(jstr(p, "date"))));
    json_array_foreach(followups, i, p) json_object_set_new(p, "days_late", json_integer(-days_until(jstr(p, "due_date"))));
    json_decref(cache);
    *out = json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o}", "today", today, "until", until, "days", days,
                     "appointments", appts, "deadlines", coming, "permits_expiring", permits, "overdue_deadlines",
                     overdue, "overdue_followups", followups);
    return 0;
fail:
    json_decref(appts);
    json_decref(coming);
    json_decref(overdue);
    json_decref(permits);
    json_decref(followups);
    json_decref(cache);
    return rc;
}

/* ---- GDPR export ------------------------------------------------------------------------------- */

int desk_person_export(desk_ctx_t *c, int64_t id, json_t **out)
{
    json_t *person = NULL;
    int rc = store_person_get(&c->scope, c->db, id, &person);
    if (rc) return rc;
    json_object_del(person, "org_path");
    json_t *x = json_object();
    json_object_set_new(x, "person", person);
    json_t *cons = json_array();
    int64_t cursor = 0;
    for (;;) { /* every consultation, page by page */
        json_t *page = json_array();
        rc = store_consultation_list(&c->scope, c->db, id, NULL, NULL, cursor, 500, page);
        size_t n = json_array_size(page);
        if (n) cursor = json_integer_value(json_object_get(json_array_get(page, n - 1), "id"));
        json_array_extend(cons, page);
        json_decref(page);
        if (rc || n < 500) break;
    }
    json_object_set_new(x, "consultations", cons);
    json_t *procs = json_array(), *full = json_array();
    if (!rc) rc = store_procedure_list(&c->scope, c->db, id, procs);
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
        rc = store_list_of_person(c->db, kinds[k][0], id, items);
        json_array_foreach(items, i, p) json_object_del(p, "storage");
        json_object_set_new(x, kinds[k][1], items);
    }
    json_t *log = json_array();
    if (!rc) rc = store_person_access_log(c->db, id, 1000, log);
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

/* rules.c — procedures as data: the shipped rules file (data/rules/
 * procedures.json, loaded once, then read-only) plus the versions an admin
 * added (table desk_rule). The version effective on a date is the one with
 * the latest effective_from not after it; on a tie the admin's wins.
 *
 * A deadline is computed as: the date of fact `from` (or opened_on) plus
 * the offset chosen by `offset_by` (the value of an enum fact) or `offset`.
 * A deadline whose fact is not known yet is left out: nothing is invented.
 * Shared json_t values here are never increfed or changed after loading
 * (jansson reference counts are not atomic): callers get deep copies. */
#include "core/json.h"
#include "core/log.h"
#include "desk.h"
#include "store.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *file_rules; /* the array "procedures" of the file */
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;
static int rules_status;

static void load_file(void)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/data/rules/procedures.json", desk_home());
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        log_error("desk: cannot read %s: %s (line %d)", path, jerr.text, jerr.line);
        file_rules = json_array();
        rules_status = -1;
        return;
    }
    file_rules = json_incref(json_object_get(root, "procedures"));
    json_decref(root);
    if (!json_is_array(file_rules)) {
        json_decref(file_rules);
        file_rules = json_array();
        rules_status = -1;
        log_error("desk: %s has no \"procedures\" array", path);
        return;
    }
    size_t i;
    json_t *r;
    json_array_foreach(file_rules, i, r) {
        err_t e = {0};
        if (desk_rule_validate(r, &e) != 0) {
            log_error("desk: %s: procedure %zu: %s (%s)", path, i, e.message, e.field);
            rules_status = -1;
        }
    }
}

int desk_rules_load(void)
{
    pthread_once(&rules_once, load_file);
    return rules_status;
}

const char *desk_label(const json_t *labels, const char *lang)
{
    if (json_is_string(labels)) return json_string_value(labels);
    const char *s = json_string_value(json_object_get(labels, lang ? lang : "en"));
    if (!s || !*s) s = json_string_value(json_object_get(labels, "en"));
    if (!s || !*s) s = json_string_value(json_object_get(labels, "it"));
    return s ? s : "";
}

/* ---- validation of a rule ---------------------------------------------------- */

static bool valid_code(const char *s)
{
    if (!s || !*s || strlen(s) > 48) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
    return true;
}

static bool valid_labels(const json_t *l)
{
    if (!json_is_object(l)) return false;
    const char *k;
    json_t *v;
    bool any = false;
    json_object_foreach((json_t *)l, k, v) {
        if (!json_is_string(v) || strlen(k) < 2 || strlen(k) > 5) return false;
        any = true;
    }
    return any && (json_object_get(l, "it") || json_object_get(l, "en"));
}

static bool valid_offset(const json_t *o)
{
    if (!json_is_object(o) || json_object_size(o) == 0) return false;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        if (strcmp(k, "days") && strcmp(k, "months") && strcmp(k, "years")) return false;
        if (!json_is_integer(v) || json_integer_value(v) < -36600 || json_integer_value(v) > 36600) return false;
    }
    return true;
}

static const json_t *find_code(const json_t *arr, const char *code)
{
    size_t i;
    json_t *x;
    json_array_foreach((json_t *)arr, i, x)
        if (code && jstr(x, "code") && strcmp(jstr(x, "code"), code) == 0) return x;
    return NULL;
}

/* Items of `key` are objects with a unique code and labels. */
static int check_items(const json_t *rule, const char *key, bool required, err_t *e)
{
    const json_t *arr = json_object_get(rule, key);
    if (!arr && !required) return 0;
    if (!json_is_array(arr)) return err_set(e, 422, "invalid", key, "The rule is not valid.");
    size_t i;
    json_t *x;
    json_array_foreach((json_t *)arr, i, x) {
        if (!json_is_object(x) || !valid_code(jstr(x, "code")) || !valid_labels(json_object_get(x, "label")) ||
            find_code(arr, jstr(x, "code")) != x)
            return err_set(e, 422, "invalid", key, "The rule is not valid.");
    }
    return 0;
}

int desk_rule_validate(const json_t *r, err_t *e)
{
    if (!json_is_object(r)) return err_set(e, 422, "invalid", "rule", "The rule is not valid.");
    if (!valid_code(jstr(r, "type"))) return err_set(e, 422, "invalid", "type", "The rule is not valid.");
    if (!date_valid(jstr(r, "effective_from")))
        return err_set(e, 422, "invalid", "effective_from", "Enter a real date as YYYY-MM-DD.");
    if (!valid_labels(json_object_get(r, "title"))) return err_set(e, 422, "invalid", "title", "The rule is not valid.");
    if (jstr(r, "topic") && !desk_topic_valid(jstr(r, "topic")))
        return err_set(e, 422, "invalid", "topic", "Unknown topic.");
    int rc;
    if ((rc = check_items(r, "facts", true, e)) || (rc = check_items(r, "deadlines", true, e)) ||
        (rc = check_items(r, "steps", true, e)) || (rc = check_items(r, "documents", true, e)) ||
        (rc = check_items(r, "fees", false, e)))
        return rc;
    const json_t *facts = json_object_get(r, "facts");
    size_t i;
    json_t *x;
    json_array_foreach((json_t *)facts, i, x) {
        const char *t = jstr(x, "type");
        if (!t || (strcmp(t, "date") && strcmp(t, "enum") && strcmp(t, "int") && strcmp(t, "bool") && strcmp(t, "text")))
            return err_set(e, 422, "invalid", "facts", "The rule is not valid.");
        if (strcmp(t, "enum") == 0) {
            const json_t *vals = json_object_get(x, "values");
            size_t k;
            json_t *v;
            if (!json_is_array(vals) || json_array_size(vals) == 0)
                return err_set(e, 422, "invalid", "facts", "The rule is not valid.");
            json_array_foreach((json_t *)vals, k, v)
                if (!valid_code(json_string_value(v))) return err_set(e, 422, "invalid", "facts", "The rule is not valid.");
        }
        if (json_object_get(x, "required") && !json_is_boolean(json_object_get(x, "required")))
            return err_set(e, 422, "invalid", "facts", "The rule is not valid.");
    }
    json_array_foreach(json_object_get(r, "deadlines"), i, x) {
        const char *from = jstr(x, "from"), *kind = jstr(x, "kind");
        const json_t *f = find_code(facts, from);
        if (!from || (strcmp(from, "opened_on") != 0 && (!f || strcmp(jstr(f, "type"), "date") != 0)))
            return err_set(e, 422, "invalid", "deadlines", "The rule is not valid.");
        if (!kind || (strcmp(kind, "due") && strcmp(kind, "limit") && strcmp(kind, "earliest") && strcmp(kind, "expiry") &&
                      strcmp(kind, "info")))
            return err_set(e, 422, "invalid", "deadlines", "The rule is not valid.");
        if (!valid_offset(json_object_get(x, "offset")))
            return err_set(e, 422, "invalid", "deadlines", "The rule is not valid.");
        const char *met_by = jstr(x, "met_by");
        if (met_by && !(strncmp(met_by, "step:", 5) == 0 ? find_code(json_object_get(r, "steps"), met_by + 5) != NULL
                                                          : find_code(facts, met_by) != NULL))
            return err_set(e, 422, "invalid", "deadlines", "The rule is not valid.");
        const json_t *by = json_object_get(x, "offset_by");
        if (by) {
            const json_t *bf = find_code(facts, jstr(by, "fact"));
            const json_t *vals = json_object_get(by, "values");
            if (!bf || strcmp(jstr(bf, "type"), "enum") != 0 || !json_is_object(vals))
                return err_set(e, 422, "invalid", "deadlines", "The rule is not valid.");
            const char *k;
            json_t *v;
            json_object_foreach((json_t *)vals, k, v)
                if (!valid_offset(v)) return err_set(e, 422, "invalid", "deadlines", "The rule is not valid.");
        }
    }
    json_array_foreach(json_object_get(r, "fees"), i, x) {
        json_t *c = json_object_get(x, "cents");
        if (!json_is_integer(c) || json_integer_value(c) < 0 || json_integer_value(c) > 100000000)
            return err_set(e, 422, "invalid", "fees", "The rule is not valid.");
    }
    const json_t *src = json_object_get(r, "sources");
    if (!json_is_array(src) || json_array_size(src) == 0)
        return err_set(e, 422, "required", "sources", "A rule needs at least one source.");
    json_array_foreach((json_t *)src, i, x)
        if (!jstr(x, "title") || !*jstr(x, "title")) return err_set(e, 422, "required", "sources", "A rule needs at least one source.");
    return 0;
}

/* ---- lookup -------------------------------------------------------------------------- */

int desk_rule_get(db_t *db, const char *type, const char *date, json_t **rule, char origin[32])
{
    desk_rules_load();
    const json_t *best = NULL;
    const char *best_from = "";
    size_t i;
    json_t *r;
    json_array_foreach(file_rules, i, r) {
        const char *from = jstr(r, "effective_from");
        if (strcmp(jstr(r, "type"), type) == 0 && strcmp(from, date) <= 0 && strcmp(from, best_from) > 0) {
            best = r;
            best_from = from;
        }
    }
    /* An admin's version effective on the same day or later wins. */
    int64_t db_id = 0;
    json_t *db_rule = NULL;
    int rc = desk_store_rule_latest(db, type, date, &db_id, &db_rule);
    if (rc < 0) return rc;
    if (db_rule && strcmp(jstr(db_rule, "effective_from"), best_from) >= 0) {
        *rule = db_rule;
        snprintf(origin, 32, "db:%lld", (long long)db_id);
        return 0;
    }
    json_decref(db_rule);
    if (!best) {
        /* Known type but every version starts later: take the earliest one. */
        json_array_foreach(file_rules, i, r) {
            if (strcmp(jstr(r, "type"), type) == 0 && (!best || strcmp(jstr(r, "effective_from"), jstr(best, "effective_from")) < 0))
                best = r;
        }
        if (!best) {
            rc = desk_store_rule_latest(db, type, "9999-12-31", &db_id, &db_rule);
            if (rc < 0) return rc;
            if (!db_rule) return 1;
            *rule = db_rule;
            snprintf(origin, 32, "db:%lld", (long long)db_id);
            return 0;
        }
    }
    *rule = json_deep_copy(best);
    snprintf(origin, 32, "file");
    return 0;
}

int desk_rule_types(db_t *db, const char *date, const char *lang, json_t **out)
{
    desk_rules_load();
    json_t *types = json_array(), *seen = json_object();
    size_t i;
    json_t *r;
    json_t *db_types = json_array();
    int rc = desk_store_rule_types(db, db_types);
    json_array_foreach(file_rules, i, r) json_array_append_new(db_types, json_string(jstr(r, "type")));
    json_array_foreach(db_types, i, r) {
        const char *t = json_string_value(r);
        if (rc < 0 || json_object_get(seen, t)) continue;
        json_object_set_new(seen, t, json_true());
        json_t *rule = NULL;
        char origin[32];
        if (desk_rule_get(db, t, date, &rule, origin) != 0) continue;
        json_array_append_new(types, json_pack("{s:s, s:o, s:s, s:s, s:o}", "type", t, "title",
                                               json_text(desk_label(json_object_get(rule, "title"), lang)),
                                               "effective_from", jstr(rule, "effective_from"), "origin", origin,
                                               "topic", json_text(jstr(rule, "topic"))));
        json_decref(rule);
    }
    json_decref(db_types);
    json_decref(seen);
    if (rc < 0) {
        json_decref(types);
        return rc;
    }
    *out = types;
    return 0;
}

int desk_rule_versions(db_t *db, const char *type, json_t **out)
{
    desk_rules_load();
    json_t *v = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(file_rules, i, r)
        if (strcmp(jstr(r, "type"), type) == 0)
            json_array_append_new(v, json_pack("{s:s, s:s}", "effective_from", jstr(r, "effective_from"), "origin", "file"));
    int rc = desk_store_rule_versions(db, type, v);
    if (rc < 0) {
        json_decref(v);
        return rc;
    }
    *out = v;
    return 0;
}

/* ---- facts and deadlines ----------------------------------------------------------------- */

int desk_rule_check_facts(const json_t *rule, const json_t *facts, err_t *e)
{
    static _Thread_local char field[64];
    const json_t *defs = json_object_get(rule, "facts");
    if (!json_is_object(facts)) return err_set(e, 422, "invalid", "facts", "Facts must be an object.");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)facts, k, v) {
        const json_t *d = find_code(defs, k);
        snprintf(field, sizeof field, "facts.%s", k);
        if (!d) return err_set(e, 422, "unknown_field", field, "This procedure does not use this fact.");
        if (json_is_null(v)) continue;
        const char *t = jstr(d, "type");
        if (strcmp(t, "date") == 0 && !date_valid(json_string_value(v)))
            return err_set(e, 422, "invalid", field, "Enter a real date as YYYY-MM-DD.");
        if (strcmp(t, "enum") == 0) {
            size_t i;
            json_t *x;
            bool ok = false;
            json_array_foreach(json_object_get(d, "values"), i, x)
                if (json_is_string(v) && strcmp(json_string_value(x), json_string_value(v)) == 0) ok = true;
            if (!ok) return err_set(e, 422, "invalid", field, "Choose one of the listed values.");
        }
        if (strcmp(t, "int") == 0) {
            json_t *mn = json_object_get(d, "min"), *mx = json_object_get(d, "max");
            if (!json_is_integer(v) || (mn && json_integer_value(v) < json_integer_value(mn)) ||
                (mx && json_integer_value(v) > json_integer_value(mx)))
                return err_set(e, 422, "invalid", field, "This number is out of range.");
        }
        if (strcmp(t, "bool") == 0 && !json_is_boolean(v)) return err_set(e, 422, "invalid", field, "This field must be true or false.");
        if (strcmp(t, "text") == 0 && (!json_is_string(v) || strlen(json_string_value(v)) > 500))
            return err_set(e, 422, "invalid", field, "This field must be text.");
    }
    size_t i;
    json_t *d;
    json_array_foreach((json_t *)defs, i, d) {
        json_t *v2 = json_object_get(facts, jstr(d, "code"));
        if (json_is_true(json_object_get(d, "required")) && (!v2 || json_is_null(v2))) {
            snprintf(field, sizeof field, "facts.%s", jstr(d, "code"));
            return err_set(e, 422, "required", field, "This field is required.");
        }
    }
    return 0;
}

static int cmp_deadline(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(jstr(x, "date"), jstr(y, "date"));
    return c ? c : strcmp(jstr(x, "code"), jstr(y, "code"));
}

json_t *desk_rule_deadlines(const json_t *rule, const json_t *facts, const char *opened_on, const json_t *done)
{
    size_t i, n = 0;
    json_t *d;
    const json_t *defs = json_object_get(rule, "deadlines");
    json_t **items = calloc(json_array_size(defs) + 1, sizeof *items);
    if (!items) return json_array();
    json_array_foreach((json_t *)defs, i, d) {
        const char *from = jstr(d, "from");
        const char *base = strcmp(from, "opened_on") == 0 ? opened_on : json_string_value(json_object_get(facts, from));
        if (!base || !date_valid(base)) continue;
        const json_t *off = json_object_get(d, "offset");
        const json_t *by = json_object_get(d, "offset_by");
        if (by) {
            const char *val = json_string_value(json_object_get(facts, jstr(by, "fact")));
            const json_t *alt = val ? json_object_get(json_object_get(by, "values"), val) : NULL;
            if (alt) off = alt;
        }
        char date[11];
        if (date_add(base, (int)json_integer_value(json_object_get(off, "years")),
                          (int)json_integer_value(json_object_get(off, "months")),
                          (int)json_integer_value(json_object_get(off, "days")), date) != 0)
            continue;
        const char *met_by = jstr(d, "met_by");
        bool met = false;
        if (met_by && strncmp(met_by, "step:", 5) == 0) met = json_is_true(json_object_get(done, met_by));
        else if (met_by) met = json_object_get(facts, met_by) && !json_is_null(json_object_get(facts, met_by));
        items[n++] = json_pack("{s:s, s:s, s:s, s:b}", "code", jstr(d, "code"), "kind", jstr(d, "kind"), "date", date,
                               "met", met);
    }
    qsort(items, n, sizeof *items, cmp_deadline);
    json_t *out = json_array();
    for (i = 0; i < n; i++) json_array_append_new(out, items[i]);
    free(items);
    return out;
}

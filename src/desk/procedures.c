/* procedures.c — the procedure engine over the rules: creation, change of
 * facts, status and checklist, deadlines always recomputed, and the full
 * JSON of a procedure in the reader's language. No SQL, no HTTP. */
#include "desk.h"
#include "ops.h"
#include "governance/governance.h"
#include "app/org.h"
#include "core/json.h"
#include "store.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Recomputes and stores the deadlines of procedure `ref` from its facts and
 * opening date in `proc`. */
static int recompute(db_t *db, const desk_record_ref_t *ref, const json_t *proc, const json_t *rule)
{
    json_t *done = json_object();
    int rc = desk_store_procedure_checks(db, ref, done);
    if (rc) {
        json_decref(done);
        return rc;
    }
    json_t *dl = desk_rule_deadlines(rule, json_object_get(proc, "facts"), jstr(proc, "opened_on"), done);
    rc = desk_store_procedure_set_deadlines(db, ref, dl);
    json_decref(dl);
    json_decref(done);
    return rc;
}

int desk_procedure_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                          err_t *e)
{
    static const char *const allowed[] = {"person_id", "type", "facts", "opened_on", "project_id", NULL};
    int64_t pid, given = 0, project = 0;
    bool has;
    const char *type, *opened;
    json_t *rule = NULL, *facts = NULL;
    desk_person_ref_t person;
    char today[11], origin[32];
    date_today(today, 0);
    int rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "person_id", true, 1, INT64_MAX, &pid, &has, e)) ||
        (rc = jin_str((json_t *)body, "type", true, 48, &type, e)) ||
        (rc = desk_op_date(body, "opened_on", false, true, &opened, e)) ||
        (rc = jin_int((json_t *)body, "project_id", false, 1, INT64_MAX, &given, &has, e)) ||
        (rc = desk_op_person(c, pid, "person_id", &person, NULL, e)))
        goto out;
    if (!opened) opened = today;
    /* Its project: the one given, else its district's on its opening date; never inside an approved period. */
    if ((rc = gov_project_of(c->db, person.org_id, opened, given, &project, e)) ||
        (rc = gov_period_open(c->db, project, opened, "opened_on", e)))
        goto out;
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
    *org_id = person.org_id;
    *person_id = pid;
    desk_record_ref_t ref;
    rc = desk_store_procedure_insert(&c->scope, c->db, &person, type, facts_text, opened, jstr(rule, "effective_from"),
                                     origin, db_now(), &ref);
    free(facts_text);
    if (!rc && project) rc = desk_store_procedure_set_project(c->db, &ref, project);
    if (rc) goto out;
    *id = ref.id;
    json_t *proc = json_pack("{s:O, s:s}", "facts", facts, "opened_on", opened);
    rc = recompute(c->db, &ref, proc, rule);
    json_decref(proc);
    if (!rc) rc = desk_store_person_touch(c->db, &person, db_now());
out:
    json_decref(rule);
    json_decref(facts);
    return rc;
}

static bool valid_status(const char *s)
{
    return s && (!strcmp(s, "open") || !strcmp(s, "submitted") || !strcmp(s, "completed") || !strcmp(s, "cancelled"));
}

/* Applies {"steps": {code: bool}, "documents": {code: bool}} to the checklist. */
static int apply_checklist(desk_ctx_t *c, const desk_record_ref_t *ref, const json_t *rule, const json_t *cl, err_t *e)
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
            int rc = desk_store_procedure_check_set(&c->scope, c->db, ref, kinds[i][1], k, json_is_true(v), db_now());
            if (rc) return rc;
        }
    }
    return 0;
}

int desk_procedure_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id,
                          err_t *e)
{
    static const char *const allowed[] = {"facts", "status", "checklist", "project_id", NULL};
    json_t *proc = NULL, *rule = NULL;
    int64_t given = 0, project;
    bool has_project = false;
    char origin[32], today[11];
    date_today(today, 0);
    const char *status;
    desk_record_ref_t ref;
    int rc = desk_store_procedure_load(&c->scope, c->db, id, &ref, &proc);
    if (rc) return rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) || (rc = jin_str((json_t *)body, "status", false, 16, &status, e)) ||
        (rc = jin_int((json_t *)body, "project_id", false, 1, INT64_MAX, &given, &has_project, e)))
        goto out;
    /* A change inside an approved period of its project (or of the project it moves to) is refused. */
    project = json_integer_value(json_object_get(proc, "project_id"));
    if ((rc = gov_period_open(c->db, project, jstr(proc, "opened_on"), "opened_on", e))) goto out;
    if (has_project &&
        ((rc = gov_project_of(c->db, ref.org_id, jstr(proc, "opened_on"), given, &project, e)) ||
         (rc = gov_period_open(c->db, project, jstr(proc, "opened_on"), "project_id", e)) ||
         (rc = desk_store_procedure_set_project(c->db, &ref, project))))
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
    if (cl && (rc = apply_checklist(c, &ref, rule, cl, e))) goto out;
    const char *st = status ? status : jstr(proc, "status");
    const char *closed = (!strcmp(st, "completed") || !strcmp(st, "cancelled"))
                             ? (jstr(proc, "closed_on") ? jstr(proc, "closed_on") : today)
                             : NULL;
    char *ft = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
    rc = desk_store_procedure_update(c->db, &ref, ft, st, closed, jstr(rule, "effective_from"), origin, db_now());
    free(ft);
    if (!rc) rc = recompute(c->db, &ref, proc, rule);
    *person_id = ref.person_id;
    *org_id = ref.org_id;
    desk_person_ref_t person;
    if (!rc && desk_store_person_load(&c->scope, c->db, ref.person_id, &person, NULL) == 0)
        rc = desk_store_person_touch(c->db, &person, db_now());
out:
    json_decref(proc);
    json_decref(rule);
    return rc;
}

int desk_procedures_recompute(db_t *db, const char *type, const char *from, int *n)
{
    json_t *ids = json_array();
    scope_t sys = scope_system("/"); /* a rule changes for every district */
    int rc = desk_store_procedures_open(&sys, db, type, from, ids);
    size_t i;
    json_t *v;
    *n = 0;
    json_array_foreach(ids, i, v) {
        if (rc) break;
        json_t *proc = NULL, *rule = NULL;
        char origin[32];
        desk_record_ref_t ref;
        rc = desk_store_procedure_load(&sys, db, json_integer_value(v), &ref, &proc);
        if (rc == 1) { rc = 0; continue; }
        if (!rc) rc = desk_rule_get(db, type, jstr(proc, "opened_on"), &rule, origin);
        if (rc == 1) rc = 0;
        else if (!rc) {
            rc = desk_store_procedure_set_rule(db, &ref, jstr(rule, "effective_from"), origin);
            if (!rc) rc = recompute(db, &ref, proc, rule);
            (*n)++;
        }
        json_decref(proc);
        json_decref(rule);
    }
    json_decref(ids);
    return rc;
}

/* Days from today to `date` (negative when past; 0 for a malformed date). */
int desk_op_days_until(const char *date)
{
    char today[11];
    date_today(today, 0);
    int y1, m1, d1, y2, m2, d2;
    if (!date_parse(today, &y1, &m1, &d1) || !date_parse(date, &y2, &m2, &d2)) return 0;
    return (int)(civil_to_days(y2, m2, d2) - civil_to_days(y1, m1, d1));
}

/* Adds label / days_left / overdue to deadline objects of a rule. */
void desk_op_label_deadlines(json_t *items, const json_t *rule, const char *lang)
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
        int left = desk_op_days_until(jstr(d, "date"));
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
    desk_record_ref_t ref;
    int rc = desk_store_procedure_load(&c->scope, c->db, id, &ref, &proc);
    if (rc) goto out;
    rc = desk_rule_get(c->db, jstr(proc, "type"), jstr(proc, "opened_on"), &rule, origin);
    if (rc == 1) rc = DB_ERR;
    if (rc || (rc = desk_store_procedure_checks(c->db, &ref, done)) ||
        (rc = desk_store_procedure_deadlines(c->db, &ref, dl)))
        goto out;
    const char *lang = c->lang;
    desk_op_label_deadlines(dl, rule, lang);
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

int desk_procedure_list(desk_ctx_t *c, int64_t person_id, int64_t *org_id, json_t *items)
{
    desk_person_ref_t p;
    int rc = desk_store_person_load(&c->scope, c->db, person_id, &p, NULL);
    if (!rc) {
        *org_id = p.org_id;
        rc = desk_store_procedure_list(&c->scope, c->db, &p, items);
    }
    return rc;
}

int desk_rule_change(const scope_t *sc, db_t *db, const char *type, json_t *rule, const char *reason, int *recomputed,
                     err_t *e)
{
    if (!reason || strlen(reason) < 5)
        return err_set(e, 422, "required", "reason", "Say why the rule changes (at least 5 characters).");
    const char *t = jstr(rule, "type");
    if (t && strcmp(t, type) != 0) return err_set(e, 422, "invalid", "type", "The type must match the address.");
    json_object_set_new(rule, "type", json_string(type));
    json_object_del(rule, "origin");
    int rc = desk_rule_validate(rule, e);
    if (rc) return rc;
    char *body = json_dumps(rule, JSON_COMPACT | JSON_SORT_KEYS);
    int64_t id = 0;
    const char *from = jstr(rule, "effective_from");
    rc = desk_store_rule_insert(sc, db, type, from, body, reason, db_now(), &id);
    free(body);
    return rc ? rc : desk_procedures_recompute(db, type, from, recomputed);
}

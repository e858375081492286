/* monitoring.c — the operations of monitoring.h: resolving what the figures
 * are computed over against the caller's scope, and assembling the
 * indicators from the store's aggregates in the order of the data file. */
#include "monitoring.h"
#include "app/settings.h"
#include "core/date.h"
#include "store.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

const capability_t cap_monitoring_read = {"monitoring.read",
                                          ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_REGION) | ROLE_BIT(ROLE_COORDINATOR)};

static json_t *defs;
static pthread_once_t defs_once = PTHREAD_ONCE_INIT;

static void defs_load(void)
{
    json_t *f = json_load_file(settings_path("data/monitoring/indicators.json"), 0, NULL);
    json_t *a = json_object_get(f, "indicators");
    if (json_is_array(a)) defs = json_incref(a);
    json_decref(f);
}

const json_t *mon_definitions(void)
{
    pthread_once(&defs_once, defs_load);
    return defs;
}

const char *mon_label(const char *code, const char *lang)
{
    size_t i;
    json_t *d;
    json_array_foreach((json_t *)mon_definitions(), i, d) {
        if (strcmp(json_string_value(json_object_get(d, "code")), code) != 0) continue;
        const char *l = json_string_value(json_object_get(json_object_get(d, "label"), lang));
        return l ? l : json_string_value(json_object_get(json_object_get(d, "label"), "en"));
    }
    return code;
}

/* Unix seconds at 00:00 UTC of a valid date. */
static int64_t day_ts(const char *d)
{
    int y, m, dd;
    date_parse(d, &y, &m, &dd);
    return civil_to_days(y, m, dd) * 86400;
}

/* The window's bound `name` into out: the given date, else `def`. */
static int window_bound(const char *v, const char *name, const char *def, char out[11], err_t *e)
{
    if (!v || !*v) {
        snprintf(out, 11, "%s", def);
        return 0;
    }
    if (!date_valid(v)) return err_set(e, 422, "invalid", name, "The date must be YYYY-MM-DD.");
    snprintf(out, 11, "%s", v);
    return 0;
}

int mon_window(mon_target_t *t, const char *from, const char *to, err_t *e)
{
    int rc;
    if ((rc = window_bound(from, "from", "1900-01-01", t->from, e)) ||
        (rc = window_bound(to, "to", "2199-12-31", t->to, e)))
        return rc;
    if (strcmp(t->from, t->to) > 0) return err_set(e, 422, "invalid", "to", "The end of the period comes before its start.");
    t->from_ts = day_ts(t->from);
    t->to_ts = day_ts(t->to) + 86400;
    return 0;
}

int mon_target(const scope_t *sc, db_t *db, int64_t project_id, const char *org, const char *from, const char *to,
               mon_target_t *t, err_t *e)
{
    int rc = scope_require(sc, CAP_MONITORING_READ, e);
    if (rc) return rc;
    memset(t, 0, sizeof *t);
    const char *like = scope_subtree_like(sc);
    char path[256];
    if ((rc = mon_window(t, from, to, e))) return rc;
    if (project_id < 0) return err_set(e, 422, "invalid", "project_id", "The project is a positive id.");
    if (project_id > 0) {
        rc = mon_store_project(db, like, project_id, &t->org_id, path, sizeof path);
        if (rc) return rc == 1 ? err_set(e, 404, "not_found", NULL, "Not found.") : err_set(e, 503, "db", NULL, "The database failed.");
        t->project_id = project_id;
        return 0;
    }
    if (org && *org) {
        if (strlen(org) > 64) return err_set(e, 422, "invalid", "org", "Unknown organisation.");
        rc = mon_store_org(db, like, org, &t->org_id, path, sizeof path);
        if (rc) return rc == 1 ? err_set(e, 404, "not_found", NULL, "Not found.") : err_set(e, 503, "db", NULL, "The database failed.");
        snprintf(t->path_like, sizeof t->path_like, "%s%%", path);
        return 0;
    }
    t->org_id = sc->org_id;
    snprintf(t->path_like, sizeof t->path_like, "%s", like);
    return 0;
}

/* The column of the persons' rows behind a person rule; -1 for others. */
static int person_col(const char *rule)
{
    static const char *const rules[] = {"participants", "language_course", "civic_orientation", "job_orientation",
                                        "family_reunification", "level_gained", "eu_long_term", "people_trained",
                                        NULL};
    for (int i = 0; rules[i]; i++)
        if (!strcmp(rule, rules[i])) return 2 + i;
    return -1;
}

static json_t *zero_sex(void) { return json_pack("{s:i,s:i,s:i}", "m", 0, "f", 0, "x", 0); }
static json_t *zero_age(void) { return json_pack("{s:i,s:i,s:i}", "<18", 0, "18-60", 0, ">60", 0); }

static void add_to(json_t *o, const char *k, json_int_t n)
{
    json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + n));
}

/* A person indicator from the rows: value, by_sex, by_age, and the cross
 * table by_sex_age {sex: {band: n}} (band "" when unknown). */
static json_t *person_item(const char *code, json_t *rows, int col)
{
    json_t *sex = zero_sex(), *age = zero_age(), *cross = json_object();
    json_int_t total = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        const char *s = json_string_value(json_array_get(r, 0)), *b = json_string_value(json_array_get(r, 1));
        json_int_t n = json_integer_value(json_array_get(r, (size_t)col));
        if (!n) continue;
        total += n;
        add_to(sex, s, n);
        if (*b) add_to(age, b, n);
        json_t *cs = json_object_get(cross, s);
        if (!cs) json_object_set_new(cross, s, cs = json_object());
        add_to(cs, *b ? b : "unknown", n);
    }
    return json_pack("{s:s,s:I,s:o,s:o,s:o}", "code", code, "value", total, "by_sex", sex, "by_age", age,
                     "by_sex_age", cross);
}

/* An item without a person breakdown. */
static json_t *plain_item(const char *code, json_t *value)
{
    return json_pack("{s:s,s:o,s:n,s:n}", "code", code, "value", value, "by_sex", "by_age");
}

/* Minutes per key as hours with one decimal, in place. */
static json_t *as_hours(json_t *o)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) json_object_set_new(o, k, json_real((double)(json_integer_value(v) * 10 / 60) / 10.0));
    return o;
}

/* True when the window is the whole period ("" into `period`) or exactly
 * one semester ("YYYY-S1|S2"): the summaries answer it. Other windows are
 * counted from the records directly. */
static bool summary_period(const mon_target_t *t, char period[16])
{
    if (!strcmp(t->from, "1900-01-01") && !strcmp(t->to, "2199-12-31")) {
        period[0] = 0;
        return true;
    }
    bool s1 = !strcmp(t->from + 4, "-01-01") && !strcmp(t->to + 4, "-06-30");
    bool s2 = !strcmp(t->from + 4, "-07-01") && !strcmp(t->to + 4, "-12-31");
    if (strncmp(t->from, t->to, 4) || (!s1 && !s2)) return false;
    snprintf(period, 16, "%.4s-S%c", t->from, s1 ? '1' : '2');
    return true;
}

/* {tavolo, lab, case, school} zeroed, then the counts of `o` added; the sum into *total. */
static json_t *by_kind(json_t *o, int64_t *total)
{
    json_t *k = json_pack("{s:i,s:i,s:i,s:i}", "tavolo", 0, "lab", 0, "case", 0, "school", 0), *v;
    const char *key;
    *total = 0;
    json_object_foreach(o, key, v) {
        add_to(k, key, json_integer_value(v));
        *total += json_integer_value(v);
    }
    return k;
}

/* The plan's own items on budget and meetings for `rule`; NULL for others. */
static json_t *plan_item(const char *code, const char *rule, int64_t planned, int64_t spent, json_t *held,
                         json_t *present, json_t *orgs)
{
    int64_t n;
    json_t *it = NULL, *k;
    if (!strcmp(rule, "budget_spent")) {
        it = plain_item(code, json_integer(spent));
        json_object_set_new(it, "planned_cents", json_integer(planned));
    } else if (!strcmp(rule, "budget_planned")) it = plain_item(code, json_integer(planned));
    else if (!strcmp(rule, "budget_spent_pct"))
        it = plain_item(code, planned > 0 ? json_real((double)(spent * 1000 / planned) / 10.0) : json_null());
    else {
        json_t *src = !strcmp(rule, "meetings_held") ? held : !strcmp(rule, "attendance_persons") ? present
                      : !strcmp(rule, "attendance_orgs")                                     ? orgs
                                                                                             : NULL;
        if (!src) return NULL;
        k = by_kind(src, &n);
        it = plain_item(code, json_integer(n));
        json_object_set_new(it, "by_kind", k);
    }
    return it;
}

int mon_indicators(db_t *db, const mon_target_t *t, json_t **out, err_t *e)
{
    const json_t *d = mon_definitions();
    if (!d) return err_set(e, 500, "internal", NULL, "The indicator definitions cannot be read.");
    json_t *rows = json_array(), *topics = json_object(), *dom = json_object(), *lang = json_object(),
           *tlang = json_object(), *held = json_object(), *present = json_object(), *orgs = json_object();
    int64_t planned = 0, spent = 0;
    int64_t o22 = 0, o27 = 0, ncons = 0, minutes = 0, ntrans = 0;
    char period[16];
    bool fast = summary_period(t, period);
    int rc = mon_store_refresh(db);
    if (!rc) rc = fast ? mon_store_persons_summary(db, t, period, rows) : mon_store_persons(db, t, rows);
    if (!rc) rc = mon_store_entities_budget(db, t, &o22, &o27, &planned, &spent);
    if (!rc)
        rc = fast ? mon_store_consultations_summary(db, t, period, &ncons, topics)
                  : mon_store_consultations(db, t, &ncons, topics);
    if (!rc)
        rc = fast ? mon_store_mediation_summary(db, t, period, &minutes, dom, lang)
                  : mon_store_mediation(db, t, &minutes, dom, lang);
    if (!rc) rc = mon_store_translations(db, t, &ntrans, tlang);
    if (!rc) rc = mon_store_meetings(db, t, db_now(), held, present, orgs);
    json_t *items = json_array();
    size_t i;
    json_t *def;
    json_array_foreach((json_t *)d, i, def) {
        if (rc) break;
        const char *code = json_string_value(json_object_get(def, "code"));
        const char *rule = json_string_value(json_object_get(def, "rule"));
        if (!code || !rule) continue;
        json_t *it = NULL;
        int col = person_col(rule);
        if (col >= 0) it = person_item(code, rows, col);
        else if (!strcmp(rule, "local_authorities")) it = plain_item(code, json_integer(o22));
        else if (!strcmp(rule, "authority_led_projects")) it = plain_item(code, json_integer(o27));
        else if (!strcmp(rule, "consultations_by_topic")) {
            it = plain_item(code, json_integer(ncons));
            json_object_set(it, "by_topic", topics);
        } else if (!strcmp(rule, "mediation_hours")) {
            it = plain_item(code, json_real((double)(minutes * 10 / 60) / 10.0));
            json_object_set(it, "by_domain", as_hours(dom));
            json_object_set(it, "by_language", as_hours(lang));
        } else if (!strcmp(rule, "materials_translated")) {
            it = plain_item(code, json_integer(ntrans));
            json_object_set(it, "by_language", tlang);
        } else it = plan_item(code, rule, planned, spent, held, present, orgs);
        if (!it) continue;
        json_object_set_new(it, "unit", json_string(json_string_value(json_object_get(def, "unit"))));
        json_array_append_new(items, it);
    }
    json_decref(rows);
    json_decref(topics);
    json_decref(dom);
    json_decref(lang);
    json_decref(tlang);
    json_decref(held);
    json_decref(present);
    json_decref(orgs);
    if (rc) {
        json_decref(items);
        return err_set(e, rc == DB_EBUSY ? 503 : 500, "db", NULL, "The database failed.");
    }
    *out = json_pack("{s:o}", "items", items);
    return 0;
}

void mon_semesters(const char *first, const char *last, int max, json_t *items)
{
    int y1, m1, d1, y2, m2, d2;
    if (!date_parse(first, &y1, &m1, &d1) || !date_parse(last, &y2, &m2, &d2)) return;
    int s = y1 * 2 + (m1 > 6), end = y2 * 2 + (m2 > 6), n = 0;
    if (end - s + 1 > max) s = end - max + 1;
    for (; s <= end && n < max; s++, n++) {
        int y = s / 2, h = s % 2;
        char p[16], f[24], to[24];
        snprintf(p, sizeof p, "%04d-S%d", y, h + 1);
        snprintf(f, sizeof f, "%04d-%s", y, h ? "07-01" : "01-01");
        snprintf(to, sizeof to, "%04d-%s", y, h ? "12-31" : "06-30");
        json_array_append_new(items, json_pack("{s:s,s:s,s:s}", "period", p, "from", f, "to", to));
    }
}

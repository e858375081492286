/* event.c — events and initiatives of the districts and their associations
 * (directory.h): creation by editors, coordinators and associations (D3),
 * the public list and the iCalendar feed per district. */
#include "internal.h"
#include "core/ical.h"
#include "core/json.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const themes[] = {"youth", "women", "asylum", "culture", "sport", "language", NULL};

/* True for one of the event themes. */
static bool theme_ok(const char *s)
{
    for (size_t i = 0; themes[i]; i++)
        if (strcmp(themes[i], s) == 0) return true;
    return false;
}

/* The district and association an event belongs to, as the scope may post
 * it: an association posts for itself only (D3); editors and coordinators
 * for a district of their subtree, optionally naming one of its associations. */
static int event_owner(const scope_t *sc, db_t *db, const dir_event_input_t *in, dir_district_t *d,
                       dir_association_t *a, bool *has_a, err_t *e)
{
    int rc;
    *has_a = false;
    if (scope_can(sc, CAP_ASSOCIATION_SELF)) {
        int64_t self = dir_association_self(sc, db);
        if (!self || (in->association_id && in->association_id != self))
            return err_set(e, 403, "forbidden", "association_id", "An association posts its own events only.");
        if ((rc = dir_store_association_own(sc, db, self, a))) return dir_fail(rc, e);
        *has_a = true;
        rc = dir_store_district_public(db, a->org_code, d);
        return rc ? dir_fail(rc, e) : 0;
    }
    if (!scope_can(sc, CAP_SERVICE_MANAGE) && (rc = scope_require(sc, CAP_ASSOCIATION_REVIEW, e))) return rc;
    if ((rc = dir_store_district(sc, db, in->org ? in->org : sc->org_code, d)))
        return rc == 1 ? err_set(e, 404, "not_found", "org", "Not found.") : dir_fail(rc, e);
    if (in->association_id) {
        scope_t anon = scope_anonymous();
        if ((rc = dir_store_association_get(&anon, db, in->association_id, a)) || a->org_id != d->id)
            return err_set(e, 422, "invalid", "association_id", "Name an approved association of this district.");
        *has_a = true;
    }
    return 0;
}

int dir_event_create(const scope_t *sc, db_t *db, const dir_event_input_t *in, dir_ref_t *ref, err_t *e)
{
    int64_t start, end;
    if (rome_parse(in->start ? in->start : "", &start) != 0)
        return err_set(e, 422, "invalid", "start", "The start is a Rome local time YYYY-MM-DDTHH:MM.");
    if (rome_parse(in->end ? in->end : "", &end) != 0)
        return err_set(e, 422, "invalid", "end", "The end is a Rome local time YYYY-MM-DDTHH:MM.");
    if (end <= start) return err_set(e, 422, "invalid", "end", "The event must end after it starts.");
    size_t i;
    json_t *t;
    json_array_foreach(in->themes, i, t) if (!theme_ok(json_string_value(t)))
        return err_set(e, 422, "invalid", "themes", "Themes are youth, women, asylum, culture, sport, language.");
    char rrule[128] = "";
    int64_t until = 0;
    int rc;
    if (in->recurrence && !json_is_null(in->recurrence)) {
        if (!json_is_object(in->recurrence))
            return err_set(e, 422, "invalid", "recurrence", "A recurrence is {freq, interval, byday, until}.");
        if ((rc = dir_recur_rule(in->recurrence, start, rrule, &until, e))) return rc;
    }
    dir_district_t d;
    dir_association_t a;
    bool has_a;
    if ((rc = event_owner(sc, db, in, &d, &a, &has_a, e))) return rc;
    if ((rc = dir_store_event_insert(db, &d, has_a ? &a : NULL, in, start, end, *rrule ? rrule : NULL, until,
                                     sc->user_id, db_now(), &ref->id)))
        return dir_fail(rc, e);
    ref->org_id = d.id;
    return 0;
}

/* Rome local times in place of the instants of an event row; the RRULE as
 * "recurrence" and "recurring" (true for a rule). */
static void event_shape(json_t *o)
{
    const char *rule = jstr(o, "rrule");
    json_object_set_new(o, "recurring", json_boolean(rule && *rule));
    json_object_set_new(o, "recurrence", rule && *rule ? json_string(rule) : json_null());
    json_object_del(o, "rrule");
    static const char *const keys[] = {"start_at", "end_at"}, *const names[] = {"start", "end"};
    for (size_t k = 0; k < 2; k++) {
        char b[17];
        rome_format(json_integer_value(json_object_get(o, keys[k])), b);
        json_object_set_new(o, names[k], json_string(b));
        json_object_del(o, keys[k]);
    }
    static const char *const lists[] = {"themes", "languages"};
    for (size_t k = 0; k < 2; k++) {
        json_t *v = json_loads(jstr_or_empty(o, lists[k]), 0, NULL);
        json_object_set_new(o, lists[k], json_is_array(v) ? v : json_array());
        if (v && !json_is_array(v)) json_decref(v);
    }
}

/* Orders occurrences by start, then id. */
static int by_start(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t p = json_integer_value(json_object_get(x, "start_at")), q = json_integer_value(json_object_get(y, "start_at"));
    if (p != q) return p < q ? -1 : 1;
    p = json_integer_value(json_object_get(x, "id"));
    q = json_integer_value(json_object_get(y, "id"));
    return p < q ? -1 : p > q;
}

#define OCCURRENCES_MAX 60

/* Appends to `out` the occurrences of event row `o` from `from` (a year
 * ahead for a recurring one), each a copy with its own start_at / end_at. */
static void occurrences(json_t *o, int64_t from, json_t *out)
{
    int64_t s = json_integer_value(json_object_get(o, "start_at")), en = json_integer_value(json_object_get(o, "end_at"));
    int64_t starts[OCCURRENCES_MAX];
    const char *rule = jstr(o, "rrule");
    int n = dir_recur_expand(rule, s, en, from, rule && *rule ? from + 366 * 86400 : INT64_MAX, starts, OCCURRENCES_MAX);
    for (int k = 0; k < n; k++) {
        json_t *c = json_deep_copy(o);
        json_object_set_new(c, "start_at", json_integer(starts[k]));
        json_object_set_new(c, "end_at", json_integer(starts[k] + (en - s)));
        json_array_append_new(out, c);
    }
}

int dir_event_public_list(db_t *db, const char *org, int64_t from, int limit, json_t *items, err_t *e)
{
    dir_district_t d;
    json_t *rows = json_array();
    int rc = dir_store_district_public(db, org, &d);
    if (!rc) rc = dir_store_event_list(db, &d, from, limit, rows);
    if (rc) {
        json_decref(rows);
        return dir_fail(rc, e);
    }
    size_t i, n;
    json_t *o, *all = json_array();
    json_array_foreach(rows, i, o) occurrences(o, from, all);
    json_decref(rows);
    n = json_array_size(all);
    json_t **v = malloc((n ? n : 1) * sizeof *v);
    for (i = 0; i < n; i++) v[i] = json_array_get(all, i);
    qsort(v, n, sizeof *v, by_start);
    for (i = 0; i < n && i < (size_t)limit; i++) {
        event_shape(v[i]);
        json_array_append(items, v[i]);
    }
    free(v);
    json_decref(all);
    return 0;
}

int dir_event_ics(db_t *db, const char *org, str_t *out, err_t *e)
{
    dir_district_t d;
    json_t *items = json_array();
    int rc = dir_store_district_public(db, org, &d);
    if (!rc) rc = dir_store_event_list(db, &d, db_now() - 92 * 86400, 2000, items);
    if (rc) {
        json_decref(items);
        return dir_fail(rc, e);
    }
    ical_begin(out, "-//labimpact//directory//IT", d.name);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) {
        char uid[96];
        snprintf(uid, sizeof uid, "event-%lld-%s@labimpact", (long long)json_integer_value(json_object_get(o, "id")),
                 d.code);
        int64_t changed = json_integer_value(json_object_get(o, "updated_at"));
        ical_event_t ev = {.uid = uid, .start = json_integer_value(json_object_get(o, "start_at")),
                           .end = json_integer_value(json_object_get(o, "end_at")), .stamp = changed,
                           .last_modified = changed, .summary = jstr(o, "title"), .location = jstr(o, "place"),
                           .description = jstr(o, "description"), .status = "CONFIRMED", .rrule = jstr(o, "rrule")};
        ical_event(out, &ev);
    }
    ical_end(out);
    json_decref(items);
    return 0;
}

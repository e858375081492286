/* statement.c — what a mediator is paid and when they work: monthly
 * statements (M3: sums of the amounts stored at close-out), the .ics feed of
 * their bookings, and the district's tariff as JSON; with the Rome calendar
 * ranges they use. Reads only. */
#include "internal.h"
#include "core/ical.h"
#include "core/json.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int med_year_range(int64_t now, int64_t *from, int64_t *to)
{
    rome_tm_t t;
    rome_from_utc(now, &t);
    if (rome_to_utc(t.year, 1, 1, 0, 0, from) != 0 || rome_to_utc(t.year + 1, 1, 1, 0, 0, to) != 0) return -1;
    return 0;
}

int med_month_range(const char *month, int64_t *from, int64_t *to)
{
    int y, m;
    char extra;
    if (!month || strlen(month) != 7 || month[4] != '-' || sscanf(month, "%4d-%2d%c", &y, &m, &extra) != 2 ||
        !isdigit((unsigned char)month[5]) || m < 1 || m > 12)
        return -1;
    if (rome_to_utc(y, m, 1, 0, 0, from) != 0) return -1;
    return rome_to_utc(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, 0, 0, to) == 0 ? 0 : -1;
}

/* ---- statements ------------------------------------------------------------------------------ */

/* The district's summary per mediator of the scope for [from, to). */
static int statement_summary(const scope_t *sc, db_t *db, const char *month, int64_t from, int64_t to, json_t **out,
                             err_t *e)
{
    json_t *items = json_array();
    int rc = med_store_statement_summary(sc, db, from, to, items);
    if (rc) {
        json_decref(items);
        return med_fail_db(e, rc);
    }
    int64_t total = 0;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) total += json_integer_value(json_object_get(it, "total_cents"));
    *out = json_pack("{s:s, s:o, s:I}", "month", month, "items", items, "total_cents", (json_int_t)total);
    return 0;
}

/* Sum of the integer member `key` over `lines`. */
static json_int_t sum_of(json_t *lines, const char *key)
{
    json_int_t sum = 0;
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) sum += json_integer_value(json_object_get(l, key));
    return sum;
}

int med_statement(const scope_t *sc, db_t *db, int64_t mediator_id, const char *month, json_t **out, med_ref_t *ref,
                  err_t *e)
{
    bool manage = scope_can(sc, CAP_MEDIATION_MANAGE);
    if (!manage && !scope_can(sc, CAP_MEDIATION_SELF)) return scope_require(sc, CAP_MEDIATION_MANAGE, e);
    int64_t from, to;
    if (med_month_range(month, &from, &to) != 0) return err_set(e, 422, "invalid", "month", "The month is YYYY-MM.");
    if (!mediator_id && !manage) mediator_id = med_self_id(sc, db);
    if (!mediator_id) { /* a coordinator without mediator_id: the district's summary */
        ref->id = 0;
        ref->org_id = sc->org_id;
        return statement_summary(sc, db, month, from, to, out, e);
    }
    med_mediator_t m;
    int rc = med_store_result(e, med_store_mediator_get(sc, db, mediator_id, &m));
    if (rc) return rc;
    json_t *lines = json_array();
    if ((rc = med_store_statement_lines(db, &m, from, to, lines))) {
        json_decref(lines);
        return med_fail_db(e, rc);
    }
    med_tariff_t t;
    bool has_tariff = med_tariff_for(m.org_code, from, &t) == 0;
    *out = json_pack("{s:s, s:{s:I, s:o, s:o, s:o}, s:o, s:I, s:I, s:I, s:I, s:I, s:o}", "month", month, "mediator",
                     "id", (json_int_t)m.id, "given_name", json_text(m.given_name), "family_name",
                     json_text(m.family_name), "org", json_text(m.org_code), "lines", lines, "billable_minutes",
                     sum_of(lines, "billable_minutes"), "base_cents", sum_of(lines, "base_cents"), "supplement_cents",
                     sum_of(lines, "supplement_cents"), "travel_cents", sum_of(lines, "travel_cents"), "total_cents",
                     sum_of(lines, "total_cents"), "tariff_source", has_tariff ? json_text(t.source) : json_null());
    ref->id = m.id;
    ref->org_id = m.org_id;
    return 0;
}

/* ---- calendar ----------------------------------------------------------------------------------- */

/* Appends one booking row (store_statements.c) as a VEVENT. */
static void calendar_event(str_t *out, json_t *row, int64_t now)
{
    const char *status = jstr_or_empty(row, "status"), *body = jstr(row, "body"), *req = jstr(row, "requester");
    long long id = (long long)json_integer_value(json_object_get(row, "id"));
    json_int_t updated = json_integer_value(json_object_get(row, "updated_at"));
    char uid[96], summary[256];
    str_t desc = STR_INIT;
    snprintf(uid, sizeof uid, "mediation-request-%lld@labimpact", id);
    snprintf(summary, sizeof summary, "%s (%s) %s%s", med_it("Mediation"), jstr_or_empty(row, "language"),
             body ? "— " : "", body ? body : "");
    str_addf(&desc, "%s: %lld\n%s: %s\n", med_it("Request"), id, med_it("Domain"), med_it(jstr_or_empty(row, "domain")));
    if (req) str_addf(&desc, "%s: %s\n", med_it("Requester"), req);
    ical_event_t ev = {
        .uid = uid,
        .start = json_integer_value(json_object_get(row, "start_at")),
        .end = json_integer_value(json_object_get(row, "end_at")),
        .stamp = now,
        .last_modified = updated,
        .sequence = (int)((updated - json_integer_value(json_object_get(row, "created_at"))) % 100000),
        .summary = summary,
        .location = json_is_true(json_object_get(row, "remote")) ? med_it("remote (phone or video)") : jstr(row, "place"),
        .description = str_cstr(&desc),
        .status = strcmp(status, "cancelled") == 0 ? "CANCELLED" : "CONFIRMED",
        .categories = med_it(jstr_or_empty(row, "domain")),
    };
    if (ev.sequence < 0) ev.sequence = 0;
    ical_event(out, &ev);
    str_release(&desc);
}

/* The mediator of a feed: by its secret token (which must be that
 * mediator's), or through the scope (coordinators, the mediator). */
static int feed_mediator(const scope_t *sc, db_t *db, int64_t id, const char *token, med_mediator_t *m, err_t *e)
{
    int rc;
    if (!id) return med_not_found(e);
    if (token && *token) {
        rc = med_store_mediator_by_token(db, token, m);
        if (rc == 0 && m->id != id) rc = 1;
    } else {
        if (!scope_can(sc, CAP_MEDIATION_SELF) && (rc = scope_require(sc, CAP_MEDIATION_MANAGE, e))) return rc;
        rc = med_store_mediator_get(sc, db, id, m);
    }
    return med_store_result(e, rc);
}

int med_calendar(const scope_t *sc, db_t *db, int64_t mediator_id, const char *token, int64_t now, str_t *out,
                 med_ref_t *ref, err_t *e)
{
    med_mediator_t m;
    int rc = feed_mediator(sc, db, mediator_id, token, &m, e);
    if (rc) return rc;
    json_t *rows = json_array();
    if ((rc = med_store_calendar_rows(db, &m, now - 92 * 86400, rows))) {
        json_decref(rows);
        return med_fail_db(e, rc);
    }
    char name[300];
    snprintf(name, sizeof name, "%s %s %s", med_it("Mediation"), m.given_name, m.family_name);
    ical_begin(out, "-//labimpact//mediation//IT", name);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) calendar_event(out, row, now);
    ical_end(out);
    json_decref(rows);
    ref->id = m.id;
    ref->org_id = m.org_id;
    return 0;
}

/* ---- tariffs ------------------------------------------------------------------------------------ */

static json_t *hhmm_json(int minutes)
{
    return json_sprintf("%02d:%02d", minutes / 60, minutes % 60);
}

int med_tariff_json(const scope_t *sc, db_t *db, const char *org, const char *date, json_t **out, err_t *e)
{
    med_district_t d;
    int64_t at = db_now();
    int rc = med_store_result(e, med_store_district(sc, db, org ? org : sc->org_code, &d));
    if (rc) return rc;
    if (date) {
        char buf[20];
        snprintf(buf, sizeof buf, "%.10sT12:00", date);
        if (strlen(date) != 10 || rome_parse(buf, &at) != 0)
            return err_set(e, 422, "invalid", "date", "The date is YYYY-MM-DD.");
    }
    med_tariff_t t;
    if (med_tariff_for(d.code, at, &t) != 0) return med_not_found(e);
    json_t *hol = json_array();
    for (int i = 0; i < t.nholidays; i++)
        json_array_append_new(hol, json_sprintf("%02d-%02d", t.holidays[i] / 100, t.holidays[i] % 100));
    *out = json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:{s:o, s:o, s:i}, s:i, s:b, s:b, s:o, s:i, s:i, s:s}",
                     "org", d.code, "ref", t.ref, "source", t.source, "hourly_cents", t.hourly_cents, "min_minutes",
                     t.min_minutes, "min_minutes_remote", t.min_minutes_remote, "increment_minutes",
                     t.increment_minutes, "evening", "from", hhmm_json(t.evening_from), "to",
                     hhmm_json(t.evening_to), "percent", t.evening_percent, "holiday_percent", t.holiday_percent,
                     "sunday_is_holiday", t.sunday_is_holiday, "easter_monday", t.easter_monday, "holidays", hol,
                     "travel_cents_per_km", t.travel_cents_per_km, "late_cancel_hours", t.late_cancel_hours,
                     "late_cancel_pays", t.late_pays_booked ? "booked" : "minimum");
    return 0;
}

/* store_statements.c — the SQL of matching (M2), monthly statements (M3)
 * and calendar feeds (see store.h). Reads only the district of the request
 * handle, the lines of the mediator handle, or the scope's register. */
#include "store_vis.h"
#include "core/ical.h"
#include "core/json.h"
#include "db/row_json.h"

/* ---- matching (M2) ------------------------------------------------------------------ */

int med_store_candidate_rows(db_t *db, const med_request_t *r, int weekday, int start_min, int end_min,
                             int64_t first_slot, int64_t last_slot, json_t *rows)
{
    const char *area = r->remote || !r->area[0] ? NULL : r->area;
    size_t from = json_array_size(rows), i;
    int rc = db_list_json(
        db, rows, "ittbbibbbbbt",
        "SELECT m.id AS id, m.given_name AS given_name, m.family_name AS family_name, m.active AS active,"
        " m.remote AS takes_remote, m.last_assigned_at AS last_assigned_at,"
        " CASE WHEN EXISTS (SELECT 1 FROM mediator_domain d WHERE d.mediator_id = m.id AND d.domain = ?) THEN 1 ELSE 0 END"
        "  AS domain_ok,"
        " CASE WHEN CAST(? AS TEXT) IS NULL OR NOT EXISTS (SELECT 1 FROM mediator_area a WHERE a.mediator_id = m.id)"
        "  OR EXISTS (SELECT 1 FROM mediator_area a WHERE a.mediator_id = m.id AND LOWER(a.area) = LOWER(?))"
        "  THEN 1 ELSE 0 END AS area_ok,"
        " CASE WHEN NOT EXISTS (SELECT 1 FROM mediator_availability w WHERE w.mediator_id = m.id)"
        "  OR EXISTS (SELECT 1 FROM mediator_availability w WHERE w.mediator_id = m.id AND w.weekday = ?"
        "  AND w.start_min <= ? AND w.end_min >= ?) THEN 1 ELSE 0 END AS available,"
        " CASE WHEN EXISTS (SELECT 1 FROM mediator_absence x WHERE x.mediator_id = m.id AND x.from_at < ?"
        "  AND x.to_at > ?) THEN 1 ELSE 0 END AS absent,"
        " CASE WHEN EXISTS (SELECT 1 FROM mediation_slot s WHERE s.mediator_id = m.id AND s.slot >= ?"
        "  AND s.slot <= ? AND s.request_id <> ?) THEN 1 ELSE 0 END AS busy,"
        " (SELECT f.status FROM mediation_offer f WHERE f.request_id = ? AND f.mediator_id = m.id) AS offer"
        " FROM mediator m JOIN mediator_language l ON l.mediator_id = m.id AND l.lang = ?"
        " WHERE m.org_id = ? ORDER BY m.last_assigned_at, m.id",
        "t" "tt" "iii" "ii" "iii" "i" "ti", r->domain, area, area, (int64_t)weekday, (int64_t)start_min,
        (int64_t)end_min, r->end_at, r->start_at, first_slot, last_slot, r->id, r->id, r->language, r->org_id);
    if (rc) return rc;
    json_t *o;
    json_array_foreach(rows, i, o) {
        json_int_t last = json_integer_value(json_object_get(o, "last_assigned_at"));
        if (i >= from) json_object_set_new(o, "last_assigned_at", last ? med_local_time(last) : json_null());
    }
    return 0;
}

int med_store_others_count(db_t *db, const med_request_t *r, int64_t *n)
{
    return db_get_int(db, n,
                      "SELECT COUNT(*) FROM mediator m WHERE m.org_id = ? AND m.active = 1 AND NOT EXISTS"
                      " (SELECT 1 FROM mediator_language l WHERE l.mediator_id = m.id AND l.lang = ?)",
                      "it", r->org_id, r->language);
}

/* ---- statements and calendars ------------------------------------------------------------ */

/* Paid requests (done, or cancelled late) of a statement. */
#define PAID " r.total_cents IS NOT NULL AND (r.status = 'done' OR (r.status = 'cancelled' AND r.cancel_kind = 'late'))"

int med_store_statement_lines(db_t *db, const med_mediator_t *m, int64_t from, int64_t to, json_t *lines)
{
    int rc = db_list_json(
        db, lines, "iiibttti" "diiiiiii" "ttt",
        "SELECT r.id AS request_id, r.start_at AS start_at, r.minutes AS booked_minutes, r.remote AS remote,"
        " r.language AS language, r.domain AS domain,"
        " CASE WHEN r.status = 'done' THEN 'done' ELSE 'late_cancel' END AS kind,"
        " COALESCE(r.minutes_worked, 0) AS minutes_worked, COALESCE(r.travel_hm, 0) / 10.0 AS travel_km,"
        " r.billable_minutes AS billable_minutes, r.evening_minutes AS evening_minutes,"
        " r.holiday_minutes AS holiday_minutes, r.base_cents AS base_cents, r.supplement_cents AS supplement_cents,"
        " r.travel_cents AS travel_cents, r.total_cents AS total_cents, r.tariff_ref AS tariff, b.name AS body,"
        " r.place AS place"
        " FROM mediation_request r LEFT JOIN mediation_body b ON b.id = r.body_id"
        " WHERE r.mediator_id = ? AND r.start_at >= ? AND r.start_at < ? AND" PAID " ORDER BY r.start_at, r.id",
        "iii", m->id, from, to);
    if (rc) return rc;
    size_t i;
    json_t *o;
    json_array_foreach(lines, i, o) { /* the Rome date and time instead of the instant */
        char start[17];
        rome_format(json_integer_value(json_object_get(o, "start_at")), start);
        json_object_del(o, "start_at");
        json_object_set_new(o, "date", json_stringn(start, 10));
        json_object_set_new(o, "start", json_string(start + 11));
    }
    return 0;
}

int med_store_statement_summary(const scope_t *sc, db_t *db, int64_t from, int64_t to, json_t *items)
{
    vis_t v = med_vis(sc);
    return db_list_json(
        db, items, "itttiii",
        "SELECT m.id AS mediator_id, m.given_name AS given_name, m.family_name AS family_name, o.code AS org,"
        " COUNT(r.id) AS lines, COALESCE(SUM(r.billable_minutes), 0) AS billable_minutes,"
        " COALESCE(SUM(r.total_cents), 0) AS total_cents"
        " FROM mediator m JOIN org o ON o.id = m.org_id"
        " LEFT JOIN mediation_request r ON r.mediator_id = m.id AND r.start_at >= ? AND r.start_at < ? AND" PAID
        " WHERE" MED_VIS " GROUP BY m.id, m.given_name, m.family_name, o.code ORDER BY m.family_name, m.given_name, m.id",
        "ii" "itii", from, to, MED_VIS_ARGS(v));
}

int med_store_calendar_rows(db_t *db, const med_mediator_t *m, int64_t since, json_t *rows)
{
    return db_list_json(
        db, rows, "iiitttbtttiit",
        "SELECT r.id AS id, r.start_at AS start_at, r.end_at AS end_at, r.status AS status, r.language AS language,"
        " r.domain AS domain, r.remote AS remote, r.place AS place, b.name AS body, r.requester_name AS requester,"
        " r.updated_at AS updated_at, r.created_at AS created_at, o.code AS org"
        " FROM mediation_request r JOIN org o ON o.id = r.org_id LEFT JOIN mediation_body b ON b.id = r.body_id"
        " WHERE r.mediator_id = ? AND r.end_at > ?"
        " AND (r.status IN ('assigned', 'done') OR (r.status = 'cancelled' AND r.cancel_kind IS NOT NULL))"
        " ORDER BY r.start_at LIMIT 5000",
        "ii", m->id, since);
}

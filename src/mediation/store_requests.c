/* store_requests.c — the SQL of requests, their booked slots, reminders and
 * offers (see store.h). Every scoped read binds the scope's visibility
 * (store_vis.h); writes touch only the record of the handle they are given.
 * Portable between SQLite and PostgreSQL: CAST(? AS TEXT) IS NULL for
 * optional filters. */
#include "store_vis.h"
#include "core/json.h"
#include "db/row_json.h"

/* ---- requests -------------------------------------------------------------------- */

int med_store_request_insert(const scope_t *sc, db_t *db, const med_district_t *d, const med_body_t *b,
                             const med_requester_t *rq, const med_request_input_t *in, int64_t start, int64_t now,
                             int64_t *id)
{
    return db_insert_id(
        db, id,
        "INSERT INTO mediation_request (org_id, body_id, requester_id, requester_name, requester_email, language,"
        " domain, start_at, minutes, end_at, remote, place, area, notes, status, created_by, created_at, updated_at,"
        " project_id) VALUES (?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', NULLIF(?, 0), ?, ?,"
        " NULLIF(?, 0)) RETURNING id",
        "iiittttiiiittt" "iiii", d->org_id, b ? b->id : 0, rq ? rq->id : 0, in->requester_name, in->requester_email,
        in->language, in->domain, start, in->minutes, start + in->minutes * 60, (int64_t)in->remote, in->place,
        in->area, in->notes, sc->user_id, now, now, in->project_id);
}

#define REQ_COLS                                                                                               \
    "SELECT r.id, r.org_id, COALESCE(r.body_id, 0), COALESCE(r.requester_id, 0), COALESCE(r.mediator_id, 0),"  \
    " r.start_at, r.end_at, COALESCE(r.travel_hm, 0), COALESCE(r.total_cents, 0), r.minutes,"                  \
    " COALESCE(r.minutes_worked, 0), r.remote, o.code, o.name, r.language, r.domain, r.status,"                \
    " COALESCE(r.cancel_kind, ''), COALESCE(r.area, ''), COALESCE(r.place, ''), COALESCE(r.requester_name, ''),"\
    " COALESCE(r.requester_email, ''), COALESCE(b.name, ''), COALESCE(r.project_id, 0)"                        \
    " FROM mediation_request r JOIN org o ON o.id = r.org_id LEFT JOIN mediation_body b ON b.id = r.body_id "

/* Where the REQ_COLS columns go. */
static const db_field_t request_map[] = {
    DB_INT(med_request_t, id),           DB_INT(med_request_t, org_id),          DB_INT(med_request_t, body_id),
    DB_INT(med_request_t, requester_id), DB_INT(med_request_t, mediator_id),     DB_INT(med_request_t, start_at),
    DB_INT(med_request_t, end_at),       DB_INT(med_request_t, travel_hm),       DB_INT(med_request_t, total_cents),
    DB_INT(med_request_t, minutes),      DB_INT(med_request_t, minutes_worked),  DB_INT(med_request_t, remote),
    DB_TEXT(med_request_t, org_code),    DB_TEXT(med_request_t, org_name),       DB_TEXT(med_request_t, language),
    DB_TEXT(med_request_t, domain),      DB_TEXT(med_request_t, status),         DB_TEXT(med_request_t, cancel_kind),
    DB_TEXT(med_request_t, area),        DB_TEXT(med_request_t, place),          DB_TEXT(med_request_t, requester_name),
    DB_TEXT(med_request_t, requester_email), DB_TEXT(med_request_t, body_name),  DB_INT(med_request_t, project_id),
};

int med_store_request_get(const scope_t *sc, db_t *db, int64_t id, med_request_t *out)
{
    vis_t v = med_vis(sc);
    return db_get_row(db, DB_MAP(request_map), out, sizeof *out, REQ_COLS "WHERE r.id = ? AND" REQ_VIS, "iitiii", id,
                      REQ_VIS_ARGS(v));
}

int med_store_request_by_confirm(db_t *db, const char *token, med_request_t *out)
{
    return db_get_row(db, DB_MAP(request_map), out, sizeof *out, REQ_COLS "WHERE r.confirm_token = ?", "t", token);
}

#define REQ_JSON_COLS                                                                                          \
    "SELECT r.id, o.code, r.status, r.language, r.domain, r.start_at, r.end_at, r.minutes, r.remote, r.place,"  \
    " r.area, r.notes, r.body_id, b.name, r.requester_name, r.requester_email, r.mediator_id, m.given_name,"     \
    " m.family_name, r.assigned_at, r.minutes_worked, r.travel_hm, r.cancel_kind, r.cancelled_at,"              \
    " r.cancel_reason, r.tariff_ref, r.billable_minutes, r.evening_minutes, r.holiday_minutes, r.base_cents,"   \
    " r.supplement_cents, r.travel_cents, r.total_cents, r.confirmed_at, r.rating, r.created_at, r.closed_at,"  \
    " m.user_id, r.org_id, r.project_id"                                                                       \
    " FROM mediation_request r JOIN org o ON o.id = r.org_id LEFT JOIN mediation_body b ON b.id = r.body_id"    \
    " LEFT JOIN mediator m ON m.id = r.mediator_id "

/* A Rome local time of column `c`, or JSON null. */
static json_t *time_or_null(db_stmt_t *st, int c)
{
    return db_col_is_null(st, c) ? json_null() : med_local_time(db_col_int(st, c));
}

/* The pay of a request row (columns 25-32), or JSON null before any. */
static json_t *pay_json(db_stmt_t *st)
{
    if (db_col_is_null(st, 25)) return json_null();
    return json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "tariff", json_text(db_col_text(st, 25)),
                     "billable_minutes", (json_int_t)db_col_int(st, 26), "evening_minutes",
                     (json_int_t)db_col_int(st, 27), "holiday_minutes", (json_int_t)db_col_int(st, 28), "base_cents",
                     (json_int_t)db_col_int(st, 29), "supplement_cents", (json_int_t)db_col_int(st, 30),
                     "travel_cents", (json_int_t)db_col_int(st, 31), "total_cents", (json_int_t)db_col_int(st, 32));
}

/* The JSON of a request row; `full` shows notes and the requester's contact
 * (coordinators, and the mediator once the job is theirs). */
static json_t *request_row(db_stmt_t *st, int64_t self_uid, bool manage)
{
    json_t *o = json_object();
    bool mine = self_uid > 0 && !db_col_is_null(st, 37) && db_col_int(st, 37) == self_uid;
    bool full = manage || mine;
    json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
    json_object_set_new(o, "org", json_text(db_col_text(st, 1)));
    json_object_set_new(o, "status", json_text(db_col_text(st, 2)));
    json_object_set_new(o, "language", json_text(db_col_text(st, 3)));
    json_object_set_new(o, "domain", json_text(db_col_text(st, 4)));
    json_object_set_new(o, "start", med_local_time(db_col_int(st, 5)));
    json_object_set_new(o, "end", med_local_time(db_col_int(st, 6)));
    json_object_set_new(o, "minutes", json_integer(db_col_int(st, 7)));
    json_object_set_new(o, "remote", json_boolean(db_col_int(st, 8)));
    json_object_set_new(o, "place", json_text(db_col_text_or_null(st, 9)));
    json_object_set_new(o, "area", json_text(db_col_text_or_null(st, 10)));
    json_object_set_new(o, "notes", full ? json_text(db_col_text_or_null(st, 11)) : json_null());
    json_object_set_new(o, "body", db_col_is_null(st, 12) ? json_null()
                                   : json_pack("{s:I, s:o}", "id", (json_int_t)db_col_int(st, 12), "name",
                                               json_text(db_col_text(st, 13))));
    json_object_set_new(o, "requester", json_pack("{s:o, s:o}", "name", json_text(db_col_text_or_null(st, 14)),
                                                  "email", full ? json_text(db_col_text_or_null(st, 15)) : json_null()));
    json_object_set_new(o, "mediator", db_col_is_null(st, 16) ? json_null()
                                       : json_pack("{s:I, s:o, s:o}", "id", (json_int_t)db_col_int(st, 16),
                                                   "given_name", json_text(db_col_text(st, 17)), "family_name",
                                                   json_text(db_col_text(st, 18))));
    json_object_set_new(o, "assigned_at", time_or_null(st, 19));
    json_object_set_new(o, "minutes_worked", db_col_is_null(st, 20) ? json_null() : json_integer(db_col_int(st, 20)));
    json_object_set_new(o, "travel_km", db_col_is_null(st, 21) ? json_null() : json_real((double)db_col_int(st, 21) / 10.0));
    json_object_set_new(o, "cancel", db_col_is_null(st, 22) ? json_null()
                                     : json_pack("{s:o, s:o, s:o}", "kind", json_text(db_col_text(st, 22)), "at",
                                                 med_local_time(db_col_int(st, 23)), "reason",
                                                 json_text(db_col_text_or_null(st, 24))));
    json_object_set_new(o, "pay", pay_json(st));
    json_object_set_new(o, "confirmed_at", time_or_null(st, 33));
    json_object_set_new(o, "rating", db_col_is_null(st, 34) ? json_null() : json_integer(db_col_int(st, 34)));
    json_object_set_new(o, "created_at", med_local_time(db_col_int(st, 35)));
    json_object_set_new(o, "closed_at", time_or_null(st, 36));
    json_object_set_new(o, "project_id", db_col_is_null(st, 39) ? json_null() : json_integer(db_col_int(st, 39)));
    return o;
}

int med_store_request_json(const scope_t *sc, db_t *db, int64_t id, json_t **out, int64_t *org_id)
{
    vis_t v = med_vis(sc);
    int rc;
    db_stmt_t *st = db_query(db, &rc, REQ_JSON_COLS "WHERE r.id = ? AND" REQ_VIS, "iitiii", id, REQ_VIS_ARGS(v));
    if (!st) return rc;
    if (rc == DB_ROW) {
        *out = request_row(st, v.self_uid, v.manage);
        *org_id = db_col_int(st, 38);
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int med_store_request_list(const scope_t *sc, db_t *db, const med_request_filter_t *f, json_t *items)
{
    vis_t v = med_vis(sc);
    int rc;
    const char *sql = f->by_start
        ? REQ_JSON_COLS "WHERE r.id > ? AND" REQ_VIS " AND (CAST(? AS TEXT) IS NULL OR r.status = ?)"
                        " AND (? = 0 OR r.mediator_id = ?) AND (? = 0 OR r.start_at >= ?) AND (? = 0 OR r.start_at < ?)"
                        " ORDER BY r.start_at, r.id LIMIT ?"
        : REQ_JSON_COLS "WHERE r.id > ? AND" REQ_VIS " AND (CAST(? AS TEXT) IS NULL OR r.status = ?)"
                        " AND (? = 0 OR r.mediator_id = ?) AND (? = 0 OR r.start_at >= ?) AND (? = 0 OR r.start_at < ?)"
                        " ORDER BY r.id LIMIT ?";
    db_stmt_t *st = db_query(db, &rc, sql, "iitiii" "tt" "ii" "ii" "ii" "i", f->cursor, REQ_VIS_ARGS(v), f->status,
                             f->status, f->mediator_id, f->mediator_id, f->from, f->from, f->to, f->to,
                             (int64_t)f->limit);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(items, request_row(st, v.self_uid, v.manage));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int med_store_slots_book(db_t *db, const med_request_t *r, const med_mediator_t *m, int64_t first, int64_t last)
{
    int rc = 0;
    for (int64_t s = first; s <= last && rc == 0; s++)
        rc = db_run(db, "INSERT INTO mediation_slot (mediator_id, slot, request_id) VALUES (?, ?, ?)", "iii", m->id, s,
                    r->id);
    return rc;
}

int med_store_slots_free(db_t *db, const med_request_t *r)
{
    return db_run(db, "DELETE FROM mediation_slot WHERE request_id = ?", "i", r->id);
}

int med_store_request_assign(db_t *db, const med_request_t *r, const med_mediator_t *m, int64_t now)
{
    int rc = db_run(db,
                    "UPDATE mediation_request SET mediator_id = ?, status = 'assigned', assigned_at = ?, updated_at = ?"
                    " WHERE id = ? AND status IN ('open', 'offered')",
                    "iiii", m->id, now, now, r->id);
    if (rc) return rc;
    if (db_changes(db) != 1) return 1;
    return db_run(db, "UPDATE mediator SET last_assigned_at = ? WHERE id = ?", "ii", now, m->id);
}

int med_store_request_unassign(db_t *db, const med_request_t *r, int64_t now)
{
    return db_run(db,
                  "UPDATE mediation_request SET mediator_id = NULL, status = 'open', assigned_at = NULL, updated_at = ?"
                  " WHERE id = ?",
                  "ii", now, r->id);
}

int med_store_request_set_status(db_t *db, const med_request_t *r, const char *status, int64_t now)
{
    return db_run(db, "UPDATE mediation_request SET status = ?, updated_at = ? WHERE id = ?", "tii", status, now, r->id);
}

int med_store_request_close(db_t *db, const med_request_t *r, int minutes_worked, int64_t travel_hm,
                            const char *tariff_ref, const med_pay_t *p, const char *confirm_token, int64_t now)
{
    return db_run(db,
                  "UPDATE mediation_request SET status = 'done', minutes_worked = ?, travel_hm = ?, closed_at = ?,"
                  " tariff_ref = ?, billable_minutes = ?, evening_minutes = ?, holiday_minutes = ?, base_cents = ?,"
                  " supplement_cents = ?, travel_cents = ?, total_cents = ?, confirm_token = ?, updated_at = ?"
                  " WHERE id = ?",
                  "iiit" "iii" "iiii" "tii", (int64_t)minutes_worked, travel_hm, now, tariff_ref,
                  (int64_t)p->billable_minutes, (int64_t)p->evening_minutes, (int64_t)p->holiday_minutes,
                  p->base_cents, p->supplement_cents, p->travel_cents, p->total_cents, confirm_token, now, r->id);
}

int med_store_request_cancel(db_t *db, const med_request_t *r, const char *kind, const char *reason,
                             const char *tariff_ref, const med_pay_t *p, int64_t now)
{
    return db_run(db,
                  "UPDATE mediation_request SET status = 'cancelled', cancel_kind = ?, cancel_reason = ?,"
                  " cancelled_at = ?, closed_at = ?, tariff_ref = ?, billable_minutes = ?, evening_minutes = ?,"
                  " holiday_minutes = ?, base_cents = ?, supplement_cents = ?, travel_cents = ?, total_cents = ?,"
                  " updated_at = ? WHERE id = ?",
                  "ttiit" "iii" "iiii" "ii", kind, reason, now, now, tariff_ref, (int64_t)p->billable_minutes,
                  (int64_t)p->evening_minutes, (int64_t)p->holiday_minutes, p->base_cents, p->supplement_cents,
                  p->travel_cents, p->total_cents, now, r->id);
}

int med_store_request_confirm(db_t *db, const med_request_t *r, int rating, int64_t now)
{
    return db_run(db,
                  "UPDATE mediation_request SET confirmed_at = ?, rating = NULLIF(?, 0), updated_at = ? WHERE id = ?",
                  "iiii", now, (int64_t)rating, now, r->id);
}

int med_store_reminders_due(const scope_t *sc, db_t *db, int64_t from, int64_t to, json_t *ids)
{
    vis_t v = med_vis(sc);
    return db_list_json(db, ids, "i",
                        "SELECT r.id AS id FROM mediation_request r JOIN org o ON o.id = r.org_id"
                        " WHERE r.status = 'assigned' AND r.reminder_sent_at IS NULL"
                        " AND r.start_at >= ? AND r.start_at < ? AND" REQ_VIS " ORDER BY r.start_at",
                        "ii" "itiii", from, to, REQ_VIS_ARGS(v));
}

int med_store_reminder_sent(db_t *db, const med_request_t *r, int64_t now)
{
    return db_run(db, "UPDATE mediation_request SET reminder_sent_at = ? WHERE id = ?", "ii", now, r->id);
}

/* ---- offers ---------------------------------------------------------------------- */

int med_store_offer_insert(db_t *db, const med_request_t *r, const med_mediator_t *m, bool auto_assign, int64_t now,
                           int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO mediation_offer (request_id, mediator_id, status, auto_assign, created_at)"
                        " VALUES (?, ?, 'open', ?, ?) RETURNING id",
                        "iiii", r->id, m->id, (int64_t)auto_assign, now);
}

static const db_field_t offer_map[] = {
    DB_INT(med_offer_t, id),      DB_INT(med_offer_t, request_id),  DB_INT(med_offer_t, mediator_id),
    DB_TEXT(med_offer_t, status), DB_INT(med_offer_t, auto_assign),
};

int med_store_offer_get(const scope_t *sc, db_t *db, int64_t id, med_offer_t *out)
{
    vis_t v = med_vis(sc);
    return db_get_row(db, DB_MAP(offer_map), out, sizeof *out,
                      "SELECT f.id, f.request_id, f.mediator_id, f.status, f.auto_assign FROM mediation_offer f"
                      " JOIN mediator m ON m.id = f.mediator_id JOIN org o ON o.id = m.org_id"
                      " WHERE f.id = ? AND" MED_VIS,
                      "iitii", id, MED_VIS_ARGS(v));
}

int med_store_offer_set(db_t *db, const med_offer_t *f, const char *status, int64_t now)
{
    return db_run(db, "UPDATE mediation_offer SET status = ?, answered_at = ? WHERE id = ?", "tii", status, now, f->id);
}

int med_store_offers_withdraw(db_t *db, const med_request_t *r, const med_mediator_t *keep, int64_t now)
{
    return db_run(db,
                  "UPDATE mediation_offer SET status = 'withdrawn', answered_at = ?"
                  " WHERE request_id = ? AND mediator_id <> ? AND status IN ('open', 'accepted')",
                  "iii", now, r->id, keep ? keep->id : 0);
}

int med_store_offer_list(const scope_t *sc, db_t *db, int64_t request_id, int64_t mediator_id, const char *status,
                         json_t *items)
{
    vis_t v = med_vis(sc);
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        "SELECT f.id, f.request_id, f.mediator_id, m.given_name, m.family_name, f.status, f.auto_assign, f.created_at,"
        " f.answered_at, r.language, r.domain, r.start_at, r.minutes, r.remote, r.place, b.name, r.status"
        " FROM mediation_offer f JOIN mediator m ON m.id = f.mediator_id JOIN org o ON o.id = m.org_id"
        " JOIN mediation_request r ON r.id = f.request_id LEFT JOIN mediation_body b ON b.id = r.body_id"
        " WHERE" MED_VIS " AND (? = 0 OR f.request_id = ?) AND (? = 0 OR f.mediator_id = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR f.status = ?) ORDER BY r.start_at, f.id LIMIT 500",
        "itii" "ii" "ii" "tt", MED_VIS_ARGS(v), request_id, request_id, mediator_id, mediator_id, status, status);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
        json_object_set_new(o, "request_id", json_integer(db_col_int(st, 1)));
        json_object_set_new(o, "mediator", json_pack("{s:I, s:o, s:o}", "id", (json_int_t)db_col_int(st, 2),
                                                     "given_name", json_text(db_col_text(st, 3)), "family_name",
                                                     json_text(db_col_text(st, 4))));
        json_object_set_new(o, "status", json_text(db_col_text(st, 5)));
        json_object_set_new(o, "auto_assign", json_boolean(db_col_int(st, 6)));
        json_object_set_new(o, "created_at", med_local_time(db_col_int(st, 7)));
        json_object_set_new(o, "answered_at", time_or_null(st, 8));
        json_object_set_new(o, "request", json_pack("{s:o, s:o, s:o, s:o, s:I, s:b, s:o, s:o, s:o}", "language",
                                                    json_text(db_col_text(st, 9)), "domain",
                                                    json_text(db_col_text(st, 10)), "start",
                                                    med_local_time(db_col_int(st, 11)), "end",
                                                    med_local_time(db_col_int(st, 11) + db_col_int(st, 12) * 60),
                                                    "minutes", (json_int_t)db_col_int(st, 12), "remote",
                                                    (int)db_col_int(st, 13), "place",
                                                    json_text(db_col_text_or_null(st, 14)), "body",
                                                    json_text(db_col_text_or_null(st, 15)), "status",
                                                    json_text(db_col_text(st, 16))));
        json_array_append_new(items, o);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

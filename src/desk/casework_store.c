/* casework_store.c — the SQL of consultations, referrals, appointments,
 * follow-ups, the agenda and the consultation register (see store.h). */
#include "store.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_store_consultation_insert(db_t *db, const consultation_row_t *c, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO consultation (org_id, person_id, date, channel, topics, outcome, notes,"
                             " duration_minutes, citizenship, sex, age_band, operator_id, created_at, updated_at)"
                             " VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, NULLIF(?, 0), ?, ?)"
                             " RETURNING id",
                             "iitttttitttiii", c->org_id, c->person_id, c->date, c->channel, c->topics, c->outcome,
                             c->notes, c->duration, c->citizenship, c->sex, c->age_band, c->operator_id, now, now);
    return desk_store_insert_id(st, rc, id);
}

int desk_store_consultation_topic(db_t *db, int64_t id, const char *topic)
{
    return db_run(db, "INSERT INTO consultation_topic (consultation_id, topic) VALUES (?, ?)", "it", id, topic);
}

#define CONS_SELECT                                                                                                \
    "SELECT c.id, o.code, c.org_id, c.person_id, c.date, c.channel, c.topics, c.outcome, c.notes, c.duration_minutes," \
    " c.citizenship, c.sex, c.age_band, u.username, c.created_at FROM consultation c JOIN org o ON o.id = c.org_id"     \
    " LEFT JOIN app_user u ON u.id = c.operator_id "
#define CONS_SPEC                                                                                                  \
    "id:i org:t org_id:i person_id:n date:t channel:t topics:s outcome:t notes:t duration_minutes:n citizenship:t " \
    "sex:t age_band:t operator:t created_at:i"

static void topics_array(json_t *items)
{
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", json_string_value(json_object_get(c, "topics")));
        json_t *arr = json_array();
        for (char *sv = NULL, *t = strtok_r(buf, ",", &sv); t; t = strtok_r(NULL, ",", &sv)) json_array_append_new(arr, json_string(t));
        json_object_set_new(c, "topics", arr);
    }
}

int desk_store_consultation_get(const scope_t *sc, db_t *db, int64_t id, json_t **out)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc, CONS_SELECT "WHERE c.id = ? AND o.path LIKE ?", "it", id,
                             scope_subtree_like(sc, like));
    rc = desk_store_one_into(st, rc, CONS_SPEC, out);
    if (rc == 0) {
        json_t *tmp = json_array();
        json_array_append(tmp, *out);
        topics_array(tmp);
        json_decref(tmp);
    }
    return rc;
}

int desk_store_consultation_list(const scope_t *sc, db_t *db, int64_t person_id, const char *from, const char *to,
                            int64_t cursor, int limit, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st;
    /* One person's consultations go through consultation_person (an OR on
     * the person would make the engines scan the whole table). */
    if (person_id)
        st = db_query(db, &rc,
                      CONS_SELECT "WHERE c.person_id = ? AND o.path LIKE ?"
                                  " AND (CAST(? AS TEXT) IS NULL OR c.date >= ?)"
                                  " AND (CAST(? AS TEXT) IS NULL OR c.date <= ?) AND (? = 0 OR c.id < ?)"
                                  " ORDER BY c.id DESC LIMIT ?",
                      "itttttiii", person_id, scope_subtree_like(sc, like), from, from, to, to, cursor, cursor,
                      (int64_t)limit);
    else
        st = db_query(db, &rc,
                      CONS_SELECT "WHERE o.path LIKE ? AND (CAST(? AS TEXT) IS NULL OR c.date >= ?)"
                                  " AND (CAST(? AS TEXT) IS NULL OR c.date <= ?) AND (? = 0 OR c.id < ?)"
                                  " ORDER BY c.id DESC LIMIT ?",
                      "tttttiii", scope_subtree_like(sc, like), from, from, to, to, cursor, cursor, (int64_t)limit);
    rc = desk_store_rows_into(st, rc, CONS_SPEC, items);
    if (rc == 0) topics_array(items);
    return rc;
}

int desk_store_referral_insert(db_t *db, int64_t person_id, int64_t org_id, int64_t consultation_id, int64_t to_org_id,
                          const char *to_service, const char *reason, int64_t by, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO referral (person_id, org_id, consultation_id, to_org_id, to_service, reason,"
                             " created_by, created_at, updated_at) VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?,"
                             " NULLIF(?, 0), ?, ?) RETURNING id",
                             "iiiittiii", person_id, org_id, consultation_id, to_org_id, to_service, reason, by, now,
                             now);
    return desk_store_insert_id(st, rc, id);
}

int desk_store_referral_update(db_t *db, int64_t id, const char *status, const char *outcome, int64_t now)
{
    return db_run(db,
                  "UPDATE referral SET status = COALESCE(?, status), outcome = COALESCE(?, outcome), updated_at = ?"
                  " WHERE id = ?",
                  "ttii", status, outcome, now, id);
}

int desk_store_appointment_insert(db_t *db, int64_t person_id, int64_t org_id, const char *date, const char *time,
                             int64_t minutes, const char *purpose, const char *place, int64_t user_id, int64_t by,
                             int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO appointment (person_id, org_id, date, time, duration_minutes, purpose, place,"
                             " user_id, created_by, created_at, updated_at)"
                             " VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?) RETURNING id",
                             "iittittiiii", person_id, org_id, date, time, minutes, purpose, place, user_id, by, now, now);
    return desk_store_insert_id(st, rc, id);
}

int desk_store_appointment_update(db_t *db, int64_t id, const char *status, const char *date, const char *time, int64_t now)
{
    return db_run(db,
                  "UPDATE appointment SET status = COALESCE(?, status), date = COALESCE(?, date),"
                  " time = COALESCE(?, time), updated_at = ? WHERE id = ?",
                  "tttii", status, date, time, now, id);
}

int desk_store_followup_insert(db_t *db, int64_t person_id, int64_t org_id, const char *due, const char *note,
                          int64_t assigned_to, int64_t by, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO followup (person_id, org_id, due_date, note, assigned_to, created_by, created_at)"
                             " VALUES (?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?) RETURNING id",
                             "iittiii", person_id, org_id, due, note, assigned_to, by, now);
    return desk_store_insert_id(st, rc, id);
}

int desk_store_followup_update(db_t *db, int64_t id, int done, const char *due, int64_t now)
{
    return db_run(db,
                  "UPDATE followup SET done_at = CASE WHEN ? < 0 THEN done_at WHEN ? = 1 THEN ? ELSE NULL END,"
                  " due_date = COALESCE(?, due_date) WHERE id = ?",
                  "iiiti", (int64_t)done, (int64_t)done, now, due, id);
}

int desk_store_agenda_appointments(const scope_t *sc, db_t *db, const char *date, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT a.id, a.time, a.duration_minutes, a.purpose, a.place, a.status, a.person_id,"
                             " p.given_name, p.family_name FROM appointment a JOIN org o ON o.id = a.org_id"
                             " LEFT JOIN person p ON p.id = a.person_id WHERE a.date = ? AND o.path LIKE ?"
                             " AND a.status <> 'cancelled' ORDER BY a.time, a.id LIMIT 200",
                             "tt", date, scope_subtree_like(sc, like));
    return desk_store_rows_into(st, rc,
                     "id:i time:t duration_minutes:i purpose:t place:t status:t person_id:n given_name:t family_name:t",
                     items);
}

int desk_store_agenda_deadlines(const scope_t *sc, db_t *db, const char *from, const char *to, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT d.date, d.code, d.kind, d.procedure_id, r.type, r.opened_on, d.person_id,"
                             " p.given_name, p.family_name FROM procedure_deadline d JOIN org o ON o.id = d.org_id"
                             " JOIN desk_procedure r ON r.id = d.procedure_id JOIN person p ON p.id = d.person_id"
                             " WHERE d.date >= ? AND d.date <= ? AND d.met = 0 AND d.kind IN ('due', 'limit', 'expiry')"
                             " AND r.status IN ('open', 'submitted') AND o.path LIKE ? ORDER BY d.date, d.id LIMIT 500",
                             "ttt", from, to, scope_subtree_like(sc, like));
    return desk_store_rows_into(st, rc,
                     "date:t code:t kind:t procedure_id:i type:t opened_on:t person_id:i given_name:s family_name:s",
                     items);
}

int desk_store_agenda_permits(const scope_t *sc, db_t *db, const char *from, const char *to, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT x.expiry, x.kind, x.id, x.person_id, p.given_name, p.family_name FROM permit x"
                             " JOIN org o ON o.id = x.org_id JOIN person p ON p.id = x.person_id"
                             " WHERE x.expiry >= ? AND x.expiry <= ? AND o.path LIKE ? AND p.status = 'active'"
                             " ORDER BY x.expiry, x.id LIMIT 500",
                             "ttt", from, to, scope_subtree_like(sc, like));
    return desk_store_rows_into(st, rc, "date:t kind:t permit_id:i person_id:i given_name:s family_name:s", items);
}

int desk_store_agenda_followups(const scope_t *sc, db_t *db, const char *before, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT f.id, f.due_date, f.note, f.person_id, p.given_name, p.family_name FROM followup f"
                             " JOIN org o ON o.id = f.org_id JOIN person p ON p.id = f.person_id"
                             " WHERE f.due_date <= ? AND f.done_at IS NULL AND o.path LIKE ? ORDER BY f.due_date, f.id"
                             " LIMIT 500",
                             "tt", before, scope_subtree_like(sc, like));
    return desk_store_rows_into(st, rc, "id:i due_date:t note:t person_id:i given_name:s family_name:s", items);
}

int desk_store_register(const scope_t *sc, db_t *db, const char *from, const char *to, int64_t cursor, int limit,
                   json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT c.id, c.date, o.code, c.person_id, p.family_name, p.given_name, c.citizenship, c.sex,"
                             " c.age_band, c.channel, c.topics, c.outcome, c.duration_minutes, u.username"
                             " FROM consultation c JOIN org o ON o.id = c.org_id LEFT JOIN person p ON p.id = c.person_id"
                             " LEFT JOIN app_user u ON u.id = c.operator_id"
                             " WHERE o.path LIKE ? AND (CAST(? AS TEXT) IS NULL OR c.date >= ?)"
                             " AND (CAST(? AS TEXT) IS NULL OR c.date <= ?) AND c.id > ? ORDER BY c.id LIMIT ?",
                             "tttttii", scope_subtree_like(sc, like), from, from, to, to, cursor, (int64_t)limit);
    return desk_store_rows_into(st, rc,
                     "id:i date:t org:t person_id:n family_name:t given_name:t citizenship:t sex:t age_band:t "
                     "channel:t topics:t outcome:t duration_minutes:n operator:t",
                     items);
}

/* casework_store.c — the SQL of consultations, referrals, appointments,
 * follow-ups, the agenda and the consultation register (see store.h). Every
 * read joins the record's org and filters `o.path LIKE <scope subtree>`. */
#include "store.h"
#include "core/json.h"
#include "db/row_json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_store_consultation_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p,
                                   const consultation_row_t *c, int64_t now, desk_record_ref_t *out)
{
    int64_t pid = p ? p->id : 0, org_id = p ? p->org_id : c->org_id;
    *out = (desk_record_ref_t){"consultation", 0, pid, org_id};
    int rc = db_insert_id(db, &out->id,
                         "INSERT INTO consultation (org_id, person_id, date, channel, topics, outcome, notes,"
                         " duration_minutes, citizenship, sex, age_band, operator_id, created_at, updated_at, project_id)"
                         " VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, NULLIF(?, 0), ?, ?, NULLIF(?, 0))"
                         " RETURNING id",
                         "iitttttitttiiii", org_id, pid, c->date, c->channel, c->topics, c->outcome, c->notes,
                         c->duration, c->citizenship, c->sex, c->age_band, sc->user_id, now, now, c->project_id);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", c->topics);
    for (char *sv = NULL, *t = strtok_r(buf, ",", &sv); t && !rc; t = strtok_r(NULL, ",", &sv))
        rc = db_run(db, "INSERT INTO consultation_topic (consultation_id, topic) VALUES (?, ?)", "it", out->id, t);
    return rc;
}

#define CONS_SELECT                                                                                           \
    "SELECT c.id AS id, o.code AS org, c.org_id AS org_id, c.person_id AS person_id, c.date AS date,"       \
    " c.channel AS channel, COALESCE(c.topics, '') AS topics, c.outcome AS outcome, c.notes AS notes,"      \
    " c.duration_minutes AS duration_minutes, c.citizenship AS citizenship, c.sex AS sex,"                  \
    " c.age_band AS age_band, u.username AS operator, c.created_at AS created_at,"                          \
    " c.project_id AS project_id FROM consultation c"                                                       \
    " JOIN org o ON o.id = c.org_id LEFT JOIN app_user u ON u.id = c.operator_id "
#define CONS_TYPES "itiitttttittttii"

int desk_store_consultation_load(const scope_t *sc, db_t *db, int64_t id, desk_record_ref_t *ref, json_t **out)
{
    int rc;
    json_t *items = json_array();
    db_stmt_t *st = desk_store_query_id(sc, db, CONS_SELECT "WHERE c.id = ? AND o.path LIKE ?", id, &rc);
    rc = db_rows_json(st, rc, CONS_TYPES, items);
    desk_store_split_list(items, "topics");
    rc = desk_store_first_ref(rc, items, "consultation", id, ref, out);
    json_decref(items);
    return rc;
}

int desk_store_consultation_list(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *from,
                                 const char *to, int64_t cursor, int limit, json_t *items)
{
    int rc;
    db_stmt_t *st;
    /* One person's consultations go through consultation_person (an OR on
     * the person would make the engines scan the whole table). */
    if (p)
        st = db_query(db, &rc,
                      CONS_SELECT "WHERE c.person_id = ? AND o.path LIKE ?"
                                  " AND (CAST(? AS TEXT) IS NULL OR c.date >= ?)"
                                  " AND (CAST(? AS TEXT) IS NULL OR c.date <= ?) AND (? = 0 OR c.id < ?)"
                                  " ORDER BY c.id DESC LIMIT ?",
                      "itttttiii", p->id, scope_subtree_like(sc), from, from, to, to, cursor, cursor,
                      (int64_t)limit);
    else
        st = db_query(db, &rc,
                      CONS_SELECT "WHERE o.path LIKE ? AND (CAST(? AS TEXT) IS NULL OR c.date >= ?)"
                                  " AND (CAST(? AS TEXT) IS NULL OR c.date <= ?) AND (? = 0 OR c.id < ?)"
                                  " ORDER BY c.id DESC LIMIT ?",
                      "tttttiii", scope_subtree_like(sc), from, from, to, to, cursor, cursor, (int64_t)limit);
    json_t *page = json_array();
    rc = db_rows_json(st, rc, CONS_TYPES, page);
    desk_store_split_list(page, "topics");
    json_array_extend(items, page);
    json_decref(page);
    return rc;
}

int desk_store_referral_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const desk_record_ref_t *cons,
                               int64_t to_org_id, const char *to_service, const char *reason, int64_t now,
                               desk_record_ref_t *out)
{
    *out = (desk_record_ref_t){"referral", 0, p->id, p->org_id};
    return db_insert_id(db, &out->id,
                        "INSERT INTO referral (person_id, org_id, consultation_id, to_org_id, to_service, reason,"
                        " created_by, created_at, updated_at) VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?,"
                        " NULLIF(?, 0), ?, ?) RETURNING id",
                        "iiiittiii", p->id, p->org_id, cons ? cons->id : 0, to_org_id, to_service, reason,
                        sc->user_id, now, now);
}

int desk_store_referral_set_service(db_t *db, const desk_record_ref_t *ref, int64_t service_id)
{
    return db_run(db, "UPDATE referral SET to_dir_service_id = ? WHERE id = ?", "ii", service_id, ref->id);
}

int desk_store_referral_update(db_t *db, const desk_record_ref_t *ref, const char *status, const char *outcome,
                               int64_t now)
{
    return db_run(db,
                  "UPDATE referral SET status = COALESCE(?, status), outcome = COALESCE(?, outcome), updated_at = ?"
                  " WHERE id = ?",
                  "ttii", status, outcome, now, ref->id);
}

int desk_store_appointment_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, int64_t org_id,
                                  const char *date, const char *time, int64_t minutes, const char *purpose,
                                  const char *place, int64_t now, desk_record_ref_t *out)
{
    int64_t pid = p ? p->id : 0;
    if (p) org_id = p->org_id;
    *out = (desk_record_ref_t){"appointment", 0, pid, org_id};
    return db_insert_id(db, &out->id,
                        "INSERT INTO appointment (person_id, org_id, date, time, duration_minutes, purpose, place,"
                        " user_id, created_by, created_at, updated_at)"
                        " VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?) RETURNING id",
                        "iittittiiii", pid, org_id, date, time, minutes, purpose, place, sc->user_id, sc->user_id,
                        now, now);
}

int desk_store_appointment_update(db_t *db, const desk_record_ref_t *ref, const char *status, const char *date,
                                  const char *time, int64_t now)
{
    return db_run(db,
                  "UPDATE appointment SET status = COALESCE(?, status), date = COALESCE(?, date),"
                  " time = COALESCE(?, time), updated_at = ? WHERE id = ?",
                  "tttii", status, date, time, now, ref->id);
}

int desk_store_followup_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *due,
                               const char *note, int64_t now, desk_record_ref_t *out)
{
    *out = (desk_record_ref_t){"followup", 0, p->id, p->org_id};
    return db_insert_id(db, &out->id,
                        "INSERT INTO followup (person_id, org_id, due_date, note, assigned_to, created_by, created_at)"
                        " VALUES (?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?) RETURNING id",
                        "iittiii", p->id, p->org_id, due, note, sc->user_id, sc->user_id, now);
}

int desk_store_followup_update(db_t *db, const desk_record_ref_t *ref, int done, const char *due, int64_t now)
{
    return db_run(db,
                  "UPDATE followup SET done_at = CASE WHEN ? < 0 THEN done_at WHEN ? = 1 THEN ? ELSE NULL END,"
                  " due_date = COALESCE(?, due_date) WHERE id = ?",
                  "iiiti", (int64_t)done, (int64_t)done, now, due, ref->id);
}

/* ---- agenda and register --------------------------------------------------------------- */

/* The agenda's lists (store.h): their SQL, with one date (appointments of
 * a day, follow-ups due by a day) or two (between from and to) before the
 * scope, and their columns' types. */
static const struct agenda_list {
    const char *sql, *types;
    bool between;
} agenda_lists[] = {
    [DESK_AGENDA_APPOINTMENTS] =
        {"SELECT a.id AS id, a.time AS time, a.duration_minutes AS duration_minutes,"
         " a.purpose AS purpose, a.place AS place, a.status AS status, a.person_id AS person_id,"
         " p.given_name AS given_name, p.family_name AS family_name FROM appointment a"
         " JOIN org o ON o.id = a.org_id LEFT JOIN person p ON p.id = a.person_id"
         " WHERE a.date = ? AND o.path LIKE ? AND a.status <> 'cancelled' ORDER BY a.time, a.id LIMIT 200",
         "ititttitt", false},
    [DESK_AGENDA_DEADLINES] =
        {"SELECT d.date AS date, d.code AS code, d.kind AS kind, d.procedure_id AS procedure_id,"
         " r.type AS type, r.opened_on AS opened_on, d.person_id AS person_id,"
         " COALESCE(p.given_name, '') AS given_name, COALESCE(p.family_name, '') AS family_name"
         " FROM procedure_deadline d JOIN org o ON o.id = d.org_id"
         " JOIN desk_procedure r ON r.id = d.procedure_id JOIN person p ON p.id = d.person_id"
         " WHERE d.date >= ? AND d.date <= ? AND d.met = 0 AND d.kind IN ('due', 'limit', 'expiry')"
         " AND r.status IN ('open', 'submitted') AND o.path LIKE ? ORDER BY d.date, d.id LIMIT 500",
         "tttittitt", true},
    [DESK_AGENDA_PERMITS] =
        {"SELECT x.expiry AS date, x.kind AS kind, x.id AS permit_id, x.person_id AS person_id,"
         " COALESCE(p.given_name, '') AS given_name, COALESCE(p.family_name, '') AS family_name"
         " FROM permit x JOIN org o ON o.id = x.org_id JOIN person p ON p.id = x.person_id"
         " WHERE x.expiry >= ? AND x.expiry <= ? AND o.path LIKE ? AND p.status = 'active'"
         " ORDER BY x.expiry, x.id LIMIT 500",
         "ttiitt", true},
    [DESK_AGENDA_FOLLOWUPS] =
        {"SELECT f.id AS id, f.due_date AS due_date, f.note AS note, f.person_id AS person_id,"
         " COALESCE(p.given_name, '') AS given_name, COALESCE(p.family_name, '') AS family_name"
         " FROM followup f JOIN org o ON o.id = f.org_id JOIN person p ON p.id = f.person_id"
         " WHERE f.due_date <= ? AND f.done_at IS NULL AND o.path LIKE ? ORDER BY f.due_date, f.id LIMIT 500",
         "ittitt", false},
};

int desk_store_agenda(const scope_t *sc, db_t *db, desk_agenda_list_t list, const char *from, const char *to,
                      json_t *items)
{
    const struct agenda_list *l = &agenda_lists[list];
    const char *like = scope_subtree_like(sc);
    return l->between ? db_list_json(db, items, l->types, l->sql, "ttt", from, to, like)
                      : db_list_json(db, items, l->types, l->sql, "tt", from, like);
}

int desk_store_register(const scope_t *sc, db_t *db, const char *from, const char *to, int64_t cursor, int limit,
                        json_t *items)
{
    return db_list_json(db, items, "ittitttttttt" "it",
                        "SELECT c.id AS id, c.date AS date, o.code AS org, c.person_id AS person_id,"
                        " p.family_name AS family_name, p.given_name AS given_name, c.citizenship AS citizenship,"
                        " c.sex AS sex, c.age_band AS age_band, c.channel AS channel, c.topics AS topics,"
                        " c.outcome AS outcome, c.duration_minutes AS duration_minutes, u.username AS operator"
                        " FROM consultation c JOIN org o ON o.id = c.org_id LEFT JOIN person p ON p.id = c.person_id"
                        " LEFT JOIN app_user u ON u.id = c.operator_id"
                        " WHERE o.path LIKE ? AND (CAST(? AS TEXT) IS NULL OR c.date >= ?)"
                        " AND (CAST(? AS TEXT) IS NULL OR c.date <= ?) AND c.id > ? ORDER BY c.id LIMIT ?",
                        "tttttii", scope_subtree_like(sc), from, from, to, to, cursor, (int64_t)limit);
}

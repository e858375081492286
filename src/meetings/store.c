/* store.c — the SQL of meetings, invitees and decisions (see store.h). */
#include "store.h"
#include "db/row_json.h"

/* The visibility condition of meetings m joined to org o (G1, G2): binds
 * the subtree pattern and whether case meetings are seen. */
#define VISIBLE "(o.path LIKE ? OR (m.kind = 'lab' AND ? LIKE o.path || '%')) AND (m.kind <> 'case' OR ? = 1)"
#define CAN_CASE(sc) ((int64_t)scope_can((sc), CAP_MEETING_CASE))
/* The arguments of VISIBLE ("tti"): laboratories of an ancestor (the region's,
 * with every district) are seen too. */
#define VIS_ARGS(sc) scope_subtree_like(sc), (sc)->org_path, CAN_CASE(sc)

int mtg_store_meeting_insert(const scope_t *sc, db_t *db, const org_t *org, const mtg_input_t *in, int64_t start_at,
                             int64_t project_id, int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO meeting (org_id, kind, title, start_at, minutes, place, agenda, series, person_id, "
                        "project_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), "
                        "NULLIF(?, 0), NULLIF(?, 0), ?, ?) RETURNING id",
                        "ittiitttiiiii", org->id, in->kind, in->title, start_at, in->minutes, in->place, in->agenda,
                        in->series, in->person_id, project_id, sc->user_id > 0 ? sc->user_id : 0, now, now);
}

static const db_field_t meeting_map[] = {
    DB_INT(mtg_meeting_t, id),        DB_INT(mtg_meeting_t, org_id),    DB_INT(mtg_meeting_t, start_at),
    DB_INT(mtg_meeting_t, minutes),   DB_INT(mtg_meeting_t, person_id), DB_INT(mtg_meeting_t, project_id),
    DB_INT(mtg_meeting_t, sequence),  DB_TEXT(mtg_meeting_t, kind),     DB_TEXT(mtg_meeting_t, org_path),
    DB_TEXT(mtg_meeting_t, org_code), DB_TEXT(mtg_meeting_t, org_name), DB_TEXT(mtg_meeting_t, title),
    DB_TEXT(mtg_meeting_t, place),
};

int mtg_store_meeting_get(const scope_t *sc, db_t *db, int64_t id, mtg_meeting_t *out)
{
    return db_get_row(db, DB_MAP(meeting_map), out, sizeof *out,
                      "SELECT m.id, m.org_id, m.start_at, m.minutes, COALESCE(m.person_id, 0), "
                      "COALESCE(m.project_id, 0), m.sequence, m.kind, o.path, o.code, o.name, m.title, "
                      "COALESCE(m.place, '') FROM meeting m JOIN org o ON o.id = m.org_id WHERE m.id = ? AND " VISIBLE,
                      "itti", id, VIS_ARGS(sc));
}

int mtg_store_meeting_update(db_t *db, const mtg_meeting_t *m, const mtg_input_t *in, int64_t start_at, int64_t now)
{
    return db_run(db,
                  "UPDATE meeting SET title = COALESCE(?, title), start_at = ?, minutes = ?, place = COALESCE(?, place), "
                  "agenda = COALESCE(?, agenda), series = COALESCE(?, series), sequence = sequence + 1, updated_at = ? "
                  "WHERE id = ?",
                  "tiitttii", in->title, start_at, in->minutes >= 0 ? in->minutes : m->minutes, in->place, in->agenda,
                  in->series, now, m->id);
}

int mtg_store_meeting_minutes(db_t *db, const mtg_meeting_t *m, const char *text, int64_t now)
{
    return db_run(db, "UPDATE meeting SET minutes_text = NULLIF(?, ''), updated_at = ? WHERE id = ?", "tii", text, now,
                  m->id);
}

#define MEETING_JSON                                                                                               \
    "SELECT m.id AS id, m.kind AS kind, m.title AS title, o.code AS org, o.name AS org_name, m.start_at AS start_at, " \
    "m.minutes AS minutes, m.place AS place, m.agenda AS agenda, m.series AS series, m.project_id AS project_id, "   \
    "m.person_id AS person_id, m.minutes_text AS minutes_text, "                                                   \
    "(SELECT COUNT(*) FROM meeting_invitee i WHERE i.meeting_id = m.id) AS invited, "                              \
    "(SELECT COUNT(*) FROM meeting_invitee i WHERE i.meeting_id = m.id AND i.status = 'present') AS present "      \
    "FROM meeting m JOIN org o ON o.id = m.org_id "
#define MEETING_TYPES "ittttiitttiitii"

int mtg_store_meeting_json(db_t *db, const mtg_meeting_t *m, json_t **out)
{
    int rc = db_get_json(db, out, MEETING_TYPES, MEETING_JSON "WHERE m.id = ?", "i", m->id);
    if (rc == 0 && m->person_id) {
        /* The person of a case meeting, by name (the reader may see them: G2). */
        json_t *p = NULL;
        rc = db_get_json(db, &p, "t", "SELECT given_name || ' ' || family_name AS person_name FROM person WHERE id = ?",
                         "i", m->person_id);
        if (rc == 0) json_object_update(*out, p);
        json_decref(p);
        rc = rc < 0 ? DB_ERR : 0;
    }
    return rc;
}

int mtg_store_meeting_list(const scope_t *sc, db_t *db, const mtg_filter_t *f, json_t *items)
{
    return db_list_json(db, items, MEETING_TYPES,
                        MEETING_JSON "WHERE " VISIBLE " AND m.id > ? AND (CAST(? AS TEXT) IS NULL OR m.kind = ?) "
                        "AND (CAST(? AS TEXT) IS NULL OR o.code = ?) AND (CAST(? AS TEXT) IS NULL OR m.series = ?) "
                        "AND (? = 0 OR m.start_at >= ?) AND (? = 0 OR m.start_at < ?) ORDER BY m.id LIMIT ?",
                        "ttiittttttiiiii", VIS_ARGS(sc), f->cursor, f->kind, f->kind,
                        f->org, f->org, f->series, f->series, f->from, f->from, f->to, f->to, (int64_t)f->limit);
}

int mtg_store_meeting_upcoming(const scope_t *sc, db_t *db, int64_t from, bool past, int limit, json_t *items)
{
    const char *sql = past ? MEETING_JSON "WHERE " VISIBLE " AND m.start_at < ? ORDER BY m.start_at DESC, m.id LIMIT ?"
                           : MEETING_JSON "WHERE " VISIBLE " AND m.start_at >= ? ORDER BY m.start_at, m.id LIMIT ?";
    return db_list_json(db, items, MEETING_TYPES, sql, "ttiii", VIS_ARGS(sc), from, (int64_t)limit);
}

int mtg_store_person_get(const scope_t *sc, db_t *db, int64_t id, int64_t *org_id)
{
    return db_get_int(db, org_id,
                      "SELECT p.org_id FROM person p JOIN org o ON o.id = p.org_id "
                      "WHERE p.id = ? AND p.status = 'active' AND o.path LIKE ?",
                      "it", id, scope_subtree_like(sc));
}

static const db_field_t account_map[] = {
    DB_INT(mtg_account_t, id),
    DB_INT(mtg_account_t, org_id),
    DB_TEXT(mtg_account_t, name),
    DB_TEXT(mtg_account_t, email),
};

int mtg_store_account_get(const scope_t *sc, db_t *db, int64_t id, mtg_account_t *out)
{
    return db_get_row(db, DB_MAP(account_map), out, sizeof *out,
                      "SELECT u.id, g.org_id, COALESCE(u.display_name, u.username), COALESCE(u.email, '') "
                      "FROM app_user u JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id "
                      "WHERE u.id = ? AND u.active = 1 AND o.path LIKE ? ORDER BY g.id LIMIT 1",
                      "it", id, scope_subtree_like(sc));
}

int mtg_store_orgs(const scope_t *sc, db_t *db, json_t *items)
{
    return db_list_json(db, items, "tt",
                        "SELECT code AS code, name AS name FROM org WHERE path LIKE ? AND kind <> 'comune' "
                        "ORDER BY path LIMIT 300",
                        "t", scope_subtree_like(sc));
}

int mtg_store_accounts(const scope_t *sc, db_t *db, json_t *items)
{
    return db_list_json(db, items, "it",
                        "SELECT DISTINCT u.id AS id, COALESCE(u.display_name, u.username) AS name FROM app_user u "
                        "JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id "
                        "WHERE u.active = 1 AND o.path LIKE ? ORDER BY u.id LIMIT 300",
                        "t", scope_subtree_like(sc));
}

/* ---- invitees ------------------------------------------------------------------------ */

int mtg_store_invitee_insert(db_t *db, const mtg_meeting_t *m, const char *ikey, int64_t user_id, int64_t org_id,
                             const char *name, const char *email, int64_t now)
{
    int64_t one;
    int rc = db_get_int(db, &one,
                        "SELECT 1 FROM meeting_invitee WHERE meeting_id = ? AND ikey = ?", "it", m->id, ikey);
    if (rc != 1) return rc == 0 ? 1 : rc;
    return db_run(db,
                  "INSERT INTO meeting_invitee (meeting_id, ikey, user_id, org_id, name, email, invited_at) "
                  "VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, NULLIF(?, ''), ?)",
                  "itiitti", m->id, ikey, user_id, org_id, name, email, now);
}

int mtg_store_invitees(db_t *db, const mtg_meeting_t *m, json_t *items)
{
    return db_list_json(db, items, "iittttt",
                        "SELECT i.id AS id, i.user_id AS user_id, i.name AS name, i.email AS email, o.code AS org, "
                        "o.name AS org_name, i.status AS status FROM meeting_invitee i LEFT JOIN org o ON o.id = i.org_id "
                        "WHERE i.meeting_id = ? ORDER BY COALESCE(o.name, ''), i.name, i.id",
                        "i", m->id);
}

int mtg_store_mark(db_t *db, const mtg_meeting_t *m, int64_t invitee_id, const char *status, int64_t user_id,
                   int64_t now)
{
    int rc = db_run(db,
                    "UPDATE meeting_invitee SET status = ?, marked_by = NULLIF(?, 0), marked_at = ? "
                    "WHERE id = ? AND meeting_id = ?",
                    "tiiii", status, user_id, now, invitee_id, m->id);
    return rc < 0 ? rc : db_changes(db) == 1 ? 0 : 1;
}

int mtg_store_attendance_counts(db_t *db, const mtg_meeting_t *m, json_t **out)
{
    int rc = db_get_json(db, out, "iiiii",
                         "SELECT SUM(CASE WHEN status = 'present' THEN 1 ELSE 0 END) AS present, "
                         "SUM(CASE WHEN status = 'absent' THEN 1 ELSE 0 END) AS absent, "
                         "SUM(CASE WHEN status = 'excused' THEN 1 ELSE 0 END) AS excused, "
                         "SUM(CASE WHEN status IS NULL THEN 1 ELSE 0 END) AS unmarked, "
                         "COUNT(DISTINCT CASE WHEN status = 'present' THEN org_id END) AS organisations_present "
                         "FROM meeting_invitee WHERE meeting_id = ?",
                         "i", m->id);
    if (rc == 0) {
        const char *k;
        json_t *v;
        json_object_foreach(*out, k, v) if (json_is_null(v)) json_object_set_new(*out, k, json_integer(0));
    }
    return rc;
}

/* ---- decisions ------------------------------------------------------------------------- */

int mtg_store_decision_insert(db_t *db, const mtg_meeting_t *m, const mtg_decision_input_t *in, int64_t user_id,
                              int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO meeting_decision (meeting_id, text, owner_user_id, owner_name, due_date, "
                        "created_by, created_at, updated_at) VALUES (?, ?, NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?) "
                        "RETURNING id",
                        "itittiii", m->id, in->text, in->owner_user_id, in->owner_name, in->due, user_id, now, now);
}

#define DECISION_JSON                                                                                               \
    "SELECT d.id AS id, d.meeting_id AS meeting_id, d.text AS text, d.owner_user_id AS owner_user_id, "              \
    "COALESCE(d.owner_name, u.display_name, u.username) AS owner, d.due_date AS due, d.status AS status, "          \
    "d.done_at AS done_at FROM meeting_decision d LEFT JOIN app_user u ON u.id = d.owner_user_id "
#define DECISION_TYPES "iitittti"

int mtg_store_decisions(db_t *db, const mtg_meeting_t *m, json_t *items)
{
    return db_list_json(db, items, DECISION_TYPES,
                        DECISION_JSON "WHERE d.meeting_id = ? ORDER BY d.due_date, d.id", "i", m->id);
}

int mtg_store_decision_meeting(const scope_t *sc, db_t *db, int64_t decision_id, int64_t *meeting_id)
{
    return db_get_int(db, meeting_id,
                      "SELECT m.id FROM meeting_decision d JOIN meeting m ON m.id = d.meeting_id "
                      "JOIN org o ON o.id = m.org_id WHERE d.id = ? AND " VISIBLE,
                      "itti", decision_id, VIS_ARGS(sc));
}

int mtg_store_decision_update(db_t *db, const mtg_meeting_t *m, int64_t decision_id, const mtg_decision_input_t *in,
                              int64_t now)
{
    const char *status = in->status;
    return db_run(db,
                  "UPDATE meeting_decision SET text = COALESCE(?, text), due_date = COALESCE(?, due_date), "
                  "owner_user_id = CASE WHEN ? > 0 THEN ? ELSE owner_user_id END, "
                  "owner_name = CASE WHEN ? > 0 THEN NULL ELSE COALESCE(?, owner_name) END, "
                  "status = COALESCE(?, status), done_at = CASE WHEN ? = 'done' AND status <> 'done' THEN ? "
                  "WHEN ? = 'open' THEN NULL ELSE done_at END, updated_at = ? WHERE id = ? AND meeting_id = ?",
                  "ttiiitttitiii", in->text, in->due, in->owner_user_id, in->owner_user_id, in->owner_user_id,
                  in->owner_name, status, status ? status : "", now, status ? status : "", now, decision_id, m->id);
}

int mtg_store_decision_json(db_t *db, const mtg_meeting_t *m, int64_t decision_id, json_t **out)
{
    return db_get_json(db, out, DECISION_TYPES, DECISION_JSON "WHERE d.id = ? AND d.meeting_id = ?", "ii",
                       decision_id, m->id);
}

int mtg_store_decision_open(const scope_t *sc, db_t *db, int64_t owner, const char *before, json_t *items)
{
    return db_list_json(db, items, "iitittttt",
                        "SELECT d.id AS id, d.meeting_id AS meeting_id, d.text AS text, d.owner_user_id AS owner_user_id, "
                        "COALESCE(d.owner_name, u.display_name, u.username) AS owner, d.due_date AS due, "
                        "d.status AS status, m.title AS meeting_title, o.code AS org FROM meeting_decision d "
                        "JOIN meeting m ON m.id = d.meeting_id JOIN org o ON o.id = m.org_id "
                        "LEFT JOIN app_user u ON u.id = d.owner_user_id WHERE " VISIBLE " AND d.status = 'open' "
                        "AND (? = 0 OR d.owner_user_id = ?) AND (CAST(? AS TEXT) IS NULL OR d.due_date < ?) "
                        "ORDER BY d.due_date, d.id LIMIT 200",
                        "ttiiitt", VIS_ARGS(sc), owner, owner, before, before);
}

int mtg_store_count(db_t *db, int64_t *n)
{
    return db_get_int(db, n, "SELECT COUNT(*) FROM meeting", "") == 0 ? 0 : DB_ERR;
}

/* store.c — the SQL of meetings, invitees and decisions (see store.h). */
#include "store.h"
#include "db/row_json.h"
#include <stdio.h>
#include <string.h>

/* Copies a column's text (NULL as "") into a fixed buffer. */
static void copy_col(char *dst, size_t n, db_stmt_t *st, int col)
{
    snprintf(dst, n, "%s", db_col_text(st, col));
}

/* The id a RETURNING id statement answered: 0 or DB_E*. */
static int returned_id(db_stmt_t *st, int rc, int64_t *id)
{
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    if (st) db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : DB_ERR;
}

/* 0 when the statement answered a row, 1 when none, or DB_E*; resets it. */
static int found(db_stmt_t *st, int rc)
{
    if (st) db_reset(st);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

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
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO meeting (org_id, kind, title, start_at, minutes, place, agenda, series, person_id, "
                             "project_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), "
                             "NULLIF(?, 0), NULLIF(?, 0), ?, ?) RETURNING id",
                             "ittiitttiiiii", org->id, in->kind, in->title, start_at, in->minutes, in->place, in->agenda,
                             in->series, in->person_id, project_id, sc->user_id > 0 ? sc->user_id : 0, now, now);
    return returned_id(st, rc, id);
}

int mtg_store_meeting_get(const scope_t *sc, db_t *db, int64_t id, mtg_meeting_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT m.id, m.org_id, m.start_at, m.minutes, COALESCE(m.person_id, 0), "
                             "COALESCE(m.project_id, 0), m.sequence, m.kind, o.path, o.code, o.name, m.title, "
                             "COALESCE(m.place, '') FROM meeting m JOIN org o ON o.id = m.org_id WHERE m.id = ? AND " VISIBLE,
                             "itti", id, VIS_ARGS(sc));
    if (rc == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int(st, 0);
        out->org_id = db_col_int(st, 1);
        out->start_at = db_col_int(st, 2);
        out->minutes = db_col_int(st, 3);
        out->person_id = db_col_int(st, 4);
        out->project_id = db_col_int(st, 5);
        out->sequence = db_col_int(st, 6);
        copy_col(out->kind, sizeof out->kind, st, 7);
        copy_col(out->org_path, sizeof out->org_path, st, 8);
        copy_col(out->org_code, sizeof out->org_code, st, 9);
        copy_col(out->org_name, sizeof out->org_name, st, 10);
        copy_col(out->title, sizeof out->title, st, 11);
        copy_col(out->place, sizeof out->place, st, 12);
    }
    return found(st, rc);
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
    int rc;
    db_stmt_t *st = db_query(db, &rc, MEETING_JSON "WHERE m.id = ?", "i", m->id);
    rc = db_one_json(st, rc, MEETING_TYPES, out);
    if (rc == 0 && m->person_id) {
        /* The person of a case meeting, by name (the reader may see them: G2). */
        db_stmt_t *p = db_query(db, &rc, "SELECT given_name, family_name FROM person WHERE id = ?", "i", m->person_id);
        if (rc == DB_ROW)
            json_object_set_new(*out, "person_name",
                                json_pack("s++", db_col_text(p, 0), " ", db_col_text(p, 1)));
        rc = found(p, rc) < 0 ? DB_ERR : 0;
    }
    return rc;
}

int mtg_store_meeting_list(const scope_t *sc, db_t *db, const mtg_filter_t *f, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             MEETING_JSON "WHERE " VISIBLE " AND m.id > ? AND (CAST(? AS TEXT) IS NULL OR m.kind = ?) "
                                          "AND (CAST(? AS TEXT) IS NULL OR o.code = ?) AND (CAST(? AS TEXT) IS NULL OR m.series = ?) "
                                          "AND (? = 0 OR m.start_at >= ?) AND (? = 0 OR m.start_at < ?) ORDER BY m.id LIMIT ?",
                             "ttiittttttiiiii", VIS_ARGS(sc), f->cursor, f->kind, f->kind,
                             f->org, f->org, f->series, f->series, f->from, f->from, f->to, f->to, (int64_t)f->limit);
    return db_rows_json(st, rc, MEETING_TYPES, items);
}

int mtg_store_meeting_upcoming(const scope_t *sc, db_t *db, int64_t from, bool past, int limit, json_t *items)
{
    int rc;
    db_stmt_t *st = past ? db_query(db, &rc,
                                    MEETING_JSON "WHERE " VISIBLE " AND m.start_at < ? ORDER BY m.start_at DESC, m.id LIMIT ?",
                                    "ttiii", VIS_ARGS(sc), from, (int64_t)limit)
                         : db_query(db, &rc,
                                    MEETING_JSON "WHERE " VISIBLE " AND m.start_at >= ? ORDER BY m.start_at, m.id LIMIT ?",
                                    "ttiii", VIS_ARGS(sc), from, (int64_t)limit);
    return db_rows_json(st, rc, MEETING_TYPES, items);
}

int mtg_store_person_get(const scope_t *sc, db_t *db, int64_t id, int64_t *org_id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT p.org_id FROM person p JOIN org o ON o.id = p.org_id "
                             "WHERE p.id = ? AND p.status = 'active' AND o.path LIKE ?",
                             "it", id, scope_subtree_like(sc));
    if (rc == DB_ROW) *org_id = db_col_int(st, 0);
    return found(st, rc);
}

int mtg_store_account_get(const scope_t *sc, db_t *db, int64_t id, mtg_account_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT u.id, g.org_id, COALESCE(u.display_name, u.username), COALESCE(u.email, '') "
                             "FROM app_user u JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id "
                             "WHERE u.id = ? AND u.active = 1 AND o.path LIKE ? ORDER BY g.id LIMIT 1",
                             "it", id, scope_subtree_like(sc));
    if (rc == DB_ROW) {
        out->id = db_col_int(st, 0);
        out->org_id = db_col_int(st, 1);
        copy_col(out->name, sizeof out->name, st, 2);
        copy_col(out->email, sizeof out->email, st, 3);
    }
    return found(st, rc);
}

int mtg_store_orgs(const scope_t *sc, db_t *db, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT code AS code, name AS name FROM org WHERE path LIKE ? AND kind <> 'comune' "
                                      "ORDER BY path LIMIT 300",
                             "t", scope_subtree_like(sc));
    return db_rows_json(st, rc, "tt", items);
}

int mtg_store_accounts(const scope_t *sc, db_t *db, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT DISTINCT u.id AS id, COALESCE(u.display_name, u.username) AS name FROM app_user u "
                             "JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id "
                             "WHERE u.active = 1 AND o.path LIKE ? ORDER BY u.id LIMIT 300",
                             "t", scope_subtree_like(sc));
    return db_rows_json(st, rc, "it", items);
}

/* ---- invitees ------------------------------------------------------------------------ */

int mtg_store_invitee_insert(db_t *db, const mtg_meeting_t *m, const char *ikey, int64_t user_id, int64_t org_id,
                             const char *name, const char *email, int64_t now)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT 1 FROM meeting_invitee WHERE meeting_id = ? AND ikey = ?", "it", m->id, ikey);
    if ((rc = found(st, rc)) != 1) return rc == 0 ? 1 : rc;
    return db_run(db,
                  "INSERT INTO meeting_invitee (meeting_id, ikey, user_id, org_id, name, email, invited_at) "
                  "VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, NULLIF(?, ''), ?)",
                  "itiitti", m->id, ikey, user_id, org_id, name, email, now);
}

int mtg_store_invitees(db_t *db, const mtg_meeting_t *m, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT i.id AS id, i.user_id AS user_id, i.name AS name, i.email AS email, o.code AS org, "
                             "o.name AS org_name, i.status AS status FROM meeting_invitee i LEFT JOIN org o ON o.id = i.org_id "
                             "WHERE i.meeting_id = ? ORDER BY COALESCE(o.name, ''), i.name, i.id",
                             "i", m->id);
    return db_rows_json(st, rc, "iittttt", items);
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
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT SUM(CASE WHEN status = 'present' THEN 1 ELSE 0 END) AS present, "
                             "SUM(CASE WHEN status = 'absent' THEN 1 ELSE 0 END) AS absent, "
                             "SUM(CASE WHEN status = 'excused' THEN 1 ELSE 0 END) AS excused, "
                             "SUM(CASE WHEN status IS NULL THEN 1 ELSE 0 END) AS unmarked, "
                             "COUNT(DISTINCT CASE WHEN status = 'present' THEN org_id END) AS organisations_present "
                             "FROM meeting_invitee WHERE meeting_id = ?",
                             "i", m->id);
    rc = db_one_json(st, rc, "iiiii", out);
    if (rc == 0) {
        const char *k;
        json_t *v;
        json_object_foreach(*out, k, v) if (json_is_null(v)) json_object_set_new(*out, k, json_integer(0));
    }
    return rc;
}

int mtg_store_invitee_emails(db_t *db, const mtg_meeting_t *m, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT email AS email FROM meeting_invitee WHERE meeting_id = ? AND email IS NOT NULL ORDER BY id",
                             "i", m->id);
    return db_rows_json(st, rc, "t", items);
}

/* ---- decisions ------------------------------------------------------------------------- */

int mtg_store_decision_insert(db_t *db, const mtg_meeting_t *m, const mtg_decision_input_t *in, int64_t user_id,
                              int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO meeting_decision (meeting_id, text, owner_user_id, owner_name, due_date, "
                             "created_by, created_at, updated_at) VALUES (?, ?, NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?) "
                             "RETURNING id",
                             "itittiii", m->id, in->text, in->owner_user_id, in->owner_name, in->due, user_id, now, now);
    return returned_id(st, rc, id);
}

#define DECISION_JSON                                                                                               \
    "SELECT d.id AS id, d.meeting_id AS meeting_id, d.text AS text, d.owner_user_id AS owner_user_id, "              \
    "COALESCE(d.owner_name, u.display_name, u.username) AS owner, d.due_date AS due, d.status AS status, "          \
    "d.done_at AS done_at FROM meeting_decision d LEFT JOIN app_user u ON u.id = d.owner_user_id "
#define DECISION_TYPES "iitittti"

int mtg_store_decisions(db_t *db, const mtg_meeting_t *m, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, DECISION_JSON "WHERE d.meeting_id = ? ORDER BY d.due_date, d.id", "i", m->id);
    return db_rows_json(st, rc, DECISION_TYPES, items);
}

int mtg_store_decision_meeting(const scope_t *sc, db_t *db, int64_t decision_id, int64_t *meeting_id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT m.id FROM meeting_decision d JOIN meeting m ON m.id = d.meeting_id "
                             "JOIN org o ON o.id = m.org_id WHERE d.id = ? AND " VISIBLE,
                             "itti", decision_id, VIS_ARGS(sc));
    if (rc == DB_ROW) *meeting_id = db_col_int(st, 0);
    return found(st, rc);
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
    int rc;
    db_stmt_t *st = db_query(db, &rc, DECISION_JSON "WHERE d.id = ? AND d.meeting_id = ?", "ii", decision_id, m->id);
    return db_one_json(st, rc, DECISION_TYPES, out);
}

int mtg_store_decision_open(const scope_t *sc, db_t *db, int64_t owner, const char *before, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT d.id AS id, d.meeting_id AS meeting_id, d.text AS text, d.owner_user_id AS owner_user_id, "
                             "COALESCE(d.owner_name, u.display_name, u.username) AS owner, d.due_date AS due, "
                             "d.status AS status, m.title AS meeting_title, o.code AS org FROM meeting_decision d "
                             "JOIN meeting m ON m.id = d.meeting_id JOIN org o ON o.id = m.org_id "
                             "LEFT JOIN app_user u ON u.id = d.owner_user_id WHERE " VISIBLE " AND d.status = 'open' "
                             "AND (? = 0 OR d.owner_user_id = ?) AND (CAST(? AS TEXT) IS NULL OR d.due_date < ?) "
                             "ORDER BY d.due_date, d.id LIMIT 200",
                             "ttiiitt", VIS_ARGS(sc), owner, owner, before, before);
    return db_rows_json(st, rc, "iitittttt", items);
}

int mtg_store_count(db_t *db, int64_t *n)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT COUNT(*) FROM meeting", "");
    if (rc == DB_ROW) *n = db_col_int(st, 0);
    return found(st, rc) == 0 ? 0 : DB_ERR;
}

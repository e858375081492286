/* store_submissions.c — the SQL of the semesters a district submits to the
 * region, their history and their late corrections (see store.h).
 * A submission whose status is 'approved' and reopened_at is set shows as
 * "reopened" (G8). */
#include "store.h"
#include <string.h>

#define SUB_COLS "s.id, COALESCE(s.reopened_at, 0), s.period, s.status, s.from_date, s.to_date, " GOV_PROJECT_COLS
#define SUB_FROM "FROM project_submission s JOIN project p ON p.id = s.project_id JOIN org o ON o.id = p.org_id "

static const db_field_t submission_map[] = {DB_INT(gov_submission_t, id),     DB_INT(gov_submission_t, reopened_at),
                                            DB_TEXT(gov_submission_t, period), DB_TEXT(gov_submission_t, status),
                                            DB_TEXT(gov_submission_t, from),   DB_TEXT(gov_submission_t, to),
                                            GOV_PROJECT_FIELDS(gov_submission_t, project.)};

int gov_store_submission_find(db_t *db, const gov_project_t *p, const char *period, gov_submission_t *out)
{
    return db_get_row(db, DB_MAP(submission_map), out, sizeof *out,
                      "SELECT " SUB_COLS SUB_FROM "WHERE s.project_id = ? AND s.period = ?", "it", p->id, period);
}

int gov_store_submission_get(const scope_t *sc, db_t *db, int64_t id, gov_submission_t *out)
{
    return db_get_row(db, DB_MAP(submission_map), out, sizeof *out,
                      "SELECT " SUB_COLS SUB_FROM "WHERE s.id = ? AND o.path LIKE ?", "it", id, scope_subtree_like(sc));
}

int gov_store_submission_insert(const scope_t *sc, db_t *db, const gov_project_t *p, const char *period,
                                const char *from, const char *to, int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO project_submission (project_id, period, from_date, to_date, status, submitted_by, "
                        "submitted_at) VALUES (?, ?, ?, ?, 'submitted', NULLIF(?, 0), ?) RETURNING id",
                        "ittti" "i", p->id, period, from, to, sc->user_id > 0 ? sc->user_id : 0, now);
}

int gov_store_submission_set(const scope_t *sc, db_t *db, const gov_submission_t *s, const char *status,
                             const char *comment, int reopen, int64_t now)
{
    int64_t uid = sc->user_id > 0 ? sc->user_id : 0;
    if (!strcmp(status, "submitted"))
        return db_run(db,
                      "UPDATE project_submission SET status = 'submitted', submitted_by = NULLIF(?, 0), submitted_at = ?, "
                      "decided_by = NULL, decided_at = NULL WHERE id = ?",
                      "iii", uid, now, s->id);
    return db_run(db,
                  "UPDATE project_submission SET status = ?, comment = CASE WHEN ? = 1 THEN comment ELSE COALESCE(?, comment) END, "
                  "decided_by = NULLIF(?, 0), "
                  "decided_at = ?, reopened_at = CASE WHEN ? = 1 THEN ? WHEN ? = 0 THEN NULL ELSE reopened_at END, "
                  "reopen_reason = CASE WHEN ? = 1 THEN ? WHEN ? = 0 THEN NULL ELSE reopen_reason END WHERE id = ?",
                  "titiiiiiitii", status, (int64_t)reopen, comment, uid, now, (int64_t)reopen, now, (int64_t)reopen, (int64_t)reopen,
                  comment, (int64_t)reopen, s->id);
}

int gov_store_submission_event(const scope_t *sc, db_t *db, const gov_submission_t *s, const char *action,
                               const char *comment, int64_t now)
{
    return db_run(db, "INSERT INTO submission_event (submission_id, action, comment, user_id, at) VALUES (?, ?, ?, NULLIF(?, 0), ?)",
                  "ittii", s->id, action, comment, sc->user_id > 0 ? sc->user_id : 0, now);
}

#define SUB_JSON                                                                                                   \
    "SELECT s.id AS id, s.project_id AS project_id, p.code AS project_code, p.title AS project_title, "            \
    "o.code AS org, o.name AS org_name, s.period AS period, s.from_date AS \"from\", s.to_date AS \"to\", "        \
    "CASE WHEN s.status = 'approved' AND s.reopened_at IS NOT NULL THEN 'reopened' ELSE s.status END AS status, "  \
    "s.comment AS comment, s.reopen_reason AS reopen_reason, s.submitted_at AS submitted_at, "                      \
    "s.decided_at AS decided_at, "                                                                                 \
    "(SELECT COUNT(*) FROM late_correction c WHERE c.submission_id = s.id) AS late_corrections_count " SUB_FROM
#define SUB_TYPES "iittttttttttiii"
/* The status as shown, in SQL. */
#define SUB_STATUS "CASE WHEN s.status = 'approved' AND s.reopened_at IS NOT NULL THEN 'reopened' ELSE s.status END"

int gov_store_submission_list(const scope_t *sc, db_t *db, int64_t project_id, const char *status, json_t *items)
{
    return db_list_json(db, items, SUB_TYPES,
                        SUB_JSON "WHERE o.path LIKE ? AND (? = 0 OR s.project_id = ?) "
                                 "AND (CAST(? AS TEXT) IS NULL OR " SUB_STATUS " = ?) "
                                 "ORDER BY s.submitted_at DESC, s.id DESC LIMIT 500",
                        "tiitt", scope_subtree_like(sc), project_id, project_id, status, status);
}

int gov_store_submission_json(db_t *db, const gov_submission_t *s, json_t **out)
{
    int rc = db_get_json(db, out, SUB_TYPES, SUB_JSON "WHERE s.id = ?", "i", s->id);
    if (rc) return rc;
    if ((rc = gov_store_rows_at(db, *out, "history", "ttti",
                                "SELECT e.action AS action, e.comment AS comment, u.username AS by_user, e.at AS at "
                                "FROM submission_event e LEFT JOIN app_user u ON u.id = e.user_id "
                                "WHERE e.submission_id = ? ORDER BY e.id",
                                s->id)))
        return rc;
    return gov_store_rows_at(db, *out, "late_corrections", "itti",
                             "SELECT id AS id, activity_date AS date, field AS field, at AS at FROM late_correction "
                             "WHERE submission_id = ? ORDER BY id LIMIT 1000",
                             s->id);
}

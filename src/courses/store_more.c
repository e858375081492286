/* store_more.c — the SQL of a course's teachers, of a person's courses as
 * the help desk sees them, and of the region's aggregates (see store.h). */
#include "store.h"
#include "store_sql.h"
#include "db/row_json.h"
#include <stdio.h>
#include <string.h>

/* ---- teachers ----------------------------------------------------------------------- */

/* Active teacher accounts whose organisation is the course's or one containing
 * it (binds: the scope's subtree, the course's org path). */
#define TEACHER_FROM                                                                                               \
    " FROM app_user u JOIN role_grant g ON g.user_id = u.id AND g.role = 'teacher' JOIN org o ON o.id = g.org_id " \
    "WHERE u.active = 1 AND o.path LIKE ? AND ? LIKE o.path || '%' "

int crs_store_teacher_eligible(const scope_t *sc, db_t *db, const crs_course_t *c, int64_t user_id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT 1" TEACHER_FROM "AND u.id = ?", "tti", scope_subtree_like(sc),
                             c->org_path, user_id);
    if (st) db_reset(st);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

int crs_store_teachers_set(const scope_t *sc, db_t *db, const crs_course_t *c, const int64_t *user_ids, size_t n,
                           int64_t now)
{
    int rc = db_run(db, "DELETE FROM course_teacher WHERE course_id = ?", "i", c->id);
    for (size_t i = 0; !rc && i < n; i++)
        rc = db_run(db,
                    "INSERT INTO course_teacher (course_id, user_id, assigned_by, assigned_at) "
                    "VALUES (?, ?, NULLIF(?, 0), ?)",
                    "iiii", c->id, user_ids[i], sc->user_id > 0 ? sc->user_id : 0, now);
    return rc;
}

int crs_store_teachers_json(db_t *db, const crs_course_t *c, json_t *items)
{
    return db_list_json(db, items, "it",
                        "SELECT u.id AS id, COALESCE(u.display_name, u.username) AS name FROM course_teacher t "
                        "JOIN app_user u ON u.id = t.user_id WHERE t.course_id = ? "
                        "ORDER BY COALESCE(u.display_name, u.username), u.id",
                        "i", c->id);
}

int crs_store_teacher_candidates(const scope_t *sc, db_t *db, const crs_course_t *c, json_t *items)
{
    return db_list_json(db, items, "itb",
                        "SELECT DISTINCT u.id AS id, COALESCE(u.display_name, u.username) AS name,"
                        " CASE WHEN EXISTS (SELECT 1 FROM course_teacher t WHERE t.course_id = ? AND"
                        " t.user_id = u.id) THEN 1 ELSE 0 END AS assigned" TEACHER_FROM
                        "ORDER BY 2, 1 LIMIT 200",
                        "itt", c->id, scope_subtree_like(sc), c->org_path);
}

/* ---- a person's courses ------------------------------------------------------------- */

int crs_store_person_enrolments(const scope_t *sc, db_t *db, const crs_person_t *p, json_t *items)
{
    return db_list_json(db, items, "iittttttttittiiiii",
                        "SELECT e.id AS id, c.id AS course_id, c.title AS course_title, c.kind AS kind, "
                        "o.name AS org_name, c.start_date AS start_date, c.end_date AS end_date, "
                        "e.status AS status, e.entry_level AS entry_level, e.exit_level AS exit_level, "
                        "c.min_attendance_pct AS min_attendance_pct, k.code AS certificate_code, "
                        "k.level AS certificate_level, " COUNT_COLS
                        " FROM course_enrolment e JOIN course c ON c.id = e.course_id "
                        "JOIN org o ON o.id = c.org_id LEFT JOIN course_certificate k ON k.enrolment_id = e.id "
                        "WHERE e.person_id = ? AND o.path LIKE ? ORDER BY c.start_date, e.id LIMIT 200",
                        "it", p->id, scope_subtree_like(sc));
}

int crs_store_person_exemption(const scope_t *sc, db_t *db, const crs_person_t *p, json_t **out)
{
    return db_get_json(db, out, "tttti",
                       "SELECT k.code AS code, k.level AS level, c.title AS course, o.name AS org, "
                       "k.issued_at AS issued_at FROM course_certificate k "
                       "JOIN course_enrolment e ON e.id = k.enrolment_id JOIN course c ON c.id = e.course_id "
                       "JOIN org o ON o.id = c.org_id WHERE e.person_id = ? AND o.path LIKE ? "
                       "AND o.category = 'adult_school' AND c.kind IN ('italian_l2', 'literacy', 'italian_work') "
                       "AND k.level IN ('A2', 'B1', 'B2', 'C1', 'C2') ORDER BY k.issued_at DESC, k.id DESC LIMIT 1",
                       "it", p->id, scope_subtree_like(sc));
}

int crs_store_courses_near(const scope_t *sc, db_t *db, const crs_person_t *p, const char *today,
                           const char *const *audiences, size_t n_audiences, const char *const *levels,
                           size_t n_levels, json_t *items)
{
    const char *a[4] = {NULL, NULL, NULL, NULL}, *l[2] = {NULL, NULL};
    for (size_t i = 0; i < n_audiences && i < 4; i++) a[i] = audiences[i];
    for (size_t i = 0; i < n_levels && i < 2; i++) l[i] = levels[i];
    return db_list_json(
        db, items, "ittttttttbbbii",
        "SELECT c.id AS id, c.title AS title, c.kind AS kind, c.audience AS audience, c.target_level AS target_level, "
        "o.name AS org_name, c.place AS place, c.start_date AS start_date, c.end_date AS end_date, "
        "c.evening AS evening, c.childcare AS childcare, c.online AS online, c.capacity AS capacity, "
        "(SELECT COUNT(*) FROM course_enrolment x WHERE x.course_id = c.id AND x.status = 'enrolled') AS enrolled "
        "FROM course c JOIN org o ON o.id = c.org_id JOIN org po ON po.id = ? "
        "JOIN org d ON d.kind = 'ambito' AND po.path LIKE d.path || '%' AND o.path LIKE d.path || '%' "
        "WHERE o.path LIKE ? AND c.end_date >= ? AND c.audience IN (?, ?, ?, ?) "
        "AND (? = 0 OR c.target_level IS NULL OR c.target_level IN (?, ?)) "
        "AND NOT EXISTS (SELECT 1 FROM course_enrolment x WHERE x.course_id = c.id AND x.person_id = ?) "
        "ORDER BY c.start_date, c.id LIMIT 10",
        "ittttttitti", p->org_id, scope_subtree_like(sc), today, a[0], a[1], a[2], a[3], (int64_t)n_levels, l[0],
        l[1], p->id);
}

/* ---- the region's aggregates -------------------------------------------------------------- */

int crs_store_summary_districts(const scope_t *sc, db_t *db, json_t *items)
{
    return db_list_json(
        db, items, "ttiiii",
        "SELECT d.code AS district, d.name AS name, COUNT(DISTINCT c.id) AS courses, "
        "COUNT(DISTINCT CASE WHEN e.status = 'enrolled' THEN e.id END) AS enrolled, "
        "COUNT(DISTINCT CASE WHEN e.status = 'withdrawn' AND e.enrolled_at IS NOT NULL THEN e.id END) AS withdrawn, "
        "COUNT(DISTINCT k.id) AS certified "
        "FROM org d JOIN org o ON o.path LIKE d.path || '%' JOIN course c ON c.org_id = o.id "
        "LEFT JOIN course_enrolment e ON e.course_id = c.id LEFT JOIN course_certificate k ON k.enrolment_id = e.id "
        "WHERE d.kind = 'ambito' AND o.path LIKE ? GROUP BY d.code, d.name ORDER BY d.name",
        "t", scope_subtree_like(sc));
}

int crs_store_summary_completion(const scope_t *sc, db_t *db, const char *today, int64_t *ended, int64_t *certified)
{
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        "SELECT COUNT(*), COUNT(k.id) FROM course_enrolment e JOIN course c ON c.id = e.course_id "
        "JOIN org o ON o.id = c.org_id LEFT JOIN course_certificate k ON k.enrolment_id = e.id "
        "WHERE o.path LIKE ? AND e.enrolled_at IS NOT NULL "
        "AND (e.status = 'withdrawn' OR k.id IS NOT NULL OR c.end_date < ?)",
        "tt", scope_subtree_like(sc), today);
    if (rc == DB_ROW) {
        *ended = db_col_int(st, 0);
        *certified = db_col_int(st, 1);
    }
    if (st) db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : DB_ERR;
}

/* store.c — the SQL of courses, sessions, and the persons an
 * enrolment needs (see store.h). */
#include "store.h"
#include "store_sql.h"
#include "db/row_json.h"
#include <stdio.h>
#include <string.h>

#define COURSE_COLS                                                                                                \
    "c.id, c.org_id, COALESCE(c.created_by, 0), c.hours, c.capacity, c.min_attendance_pct, o.path, o.name, "      \
    "c.title, c.kind, c.start_date, c.end_date, COALESCE(c.target_level, ''), c.audience"

/* Where the COURSE_COLS go. */
static const db_field_t course_map[] = {
    DB_INT(crs_course_t, id), DB_INT(crs_course_t, org_id), DB_INT(crs_course_t, created_by),
    DB_INT(crs_course_t, hours), DB_INT(crs_course_t, capacity), DB_INT(crs_course_t, min_pct),
    DB_TEXT(crs_course_t, org_path), DB_TEXT(crs_course_t, org_name), DB_TEXT(crs_course_t, title),
    DB_TEXT(crs_course_t, kind), DB_TEXT(crs_course_t, start_date), DB_TEXT(crs_course_t, end_date),
    DB_TEXT(crs_course_t, target_level), DB_TEXT(crs_course_t, audience),
};

/* The teacher whose assignments limit what the scope manages (C1): the
 * scope's user when it is a teacher, else 0 (no limit). */
static int64_t teacher_of(const scope_t *sc)
{
    return sc->role == ROLE_TEACHER ? (sc->user_id > 0 ? sc->user_id : -1) : 0;
}

/* The SQL that keeps a teacher to the courses they are assigned to (binds
 * teacher_of twice; course alias c). */
#define ASSIGNED                                                                                                   \
    " AND (? = 0 OR EXISTS (SELECT 1 FROM course_teacher t WHERE t.course_id = c.id AND t.user_id = ?)) "

/* The one row of a record the scope manages (C1): `sql` selects the record's
 * columns by `map` (n of them; none for a course itself), then COURSE_COLS
 * into *course, and binds the id, the scope's subtree and ASSIGNED's two.
 * Zeroes the `size` bytes at `out` first. 0, 1 when there is none, or DB_E*. */
static int managed_row(const scope_t *sc, db_t *db, int64_t id, const db_field_t *map, size_t n, void *out,
                       size_t size, crs_course_t *course, const char *sql)
{
    int rc;
    int64_t t = teacher_of(sc);
    db_stmt_t *st = db_query(db, &rc, sql, "itii", id, scope_subtree_like(sc), t, t);
    if (!st) return rc;
    if (rc == DB_ROW) {
        memset(out, 0, size);
        db_row_fill(st, 0, map, n, out);
        db_row_fill(st, (int)n, DB_MAP(course_map), course);
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : 1;
}

int crs_store_course_insert(const scope_t *sc, db_t *db, const org_t *org, const crs_course_input_t *in,
                            int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO course (org_id, title, kind, audience, target_level, hours, capacity, "
                        "min_attendance_pct, start_date, end_date, place, childcare, evening, online, created_by, "
                        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                        "ittttiiitttiiiiii", org->id, in->title, in->kind, in->audience, in->target_level,
                        in->hours, in->capacity, in->min_attendance_pct, in->start_date, in->end_date, in->place,
                        (int64_t)in->childcare, (int64_t)in->evening, (int64_t)in->online,
                        sc->user_id > 0 ? sc->user_id : 0, now, now);
}

int crs_store_course_get(const scope_t *sc, db_t *db, int64_t id, crs_course_t *out)
{
    return db_get_row(db, DB_MAP(course_map), out, sizeof *out,
                      "SELECT " COURSE_COLS " FROM course c JOIN org o ON o.id = c.org_id "
                      "WHERE c.id = ? AND o.path LIKE ?",
                      "it", id, scope_subtree_like(sc));
}

int crs_store_course_managed(const scope_t *sc, db_t *db, int64_t id, crs_course_t *out)
{
    return managed_row(sc, db, id, NULL, 0, out, sizeof *out, out,
                       "SELECT " COURSE_COLS " FROM course c JOIN org o ON o.id = c.org_id "
                       "WHERE c.id = ? AND o.path LIKE ?" ASSIGNED);
}

#define COURSE_JSON                                                                                                \
    "SELECT c.id AS id, c.title AS title, c.kind AS kind, o.code AS org, o.name AS org_name, c.audience AS audience, " \
    "c.target_level AS target_level, c.hours AS hours, c.capacity AS capacity, "                                   \
    "c.min_attendance_pct AS min_attendance_pct, c.start_date AS start_date, c.end_date AS end_date, "            \
    "c.place AS place, c.childcare AS childcare, c.evening AS evening, c.online AS online, "                      \
    "(SELECT COUNT(*) FROM course_enrolment e WHERE e.course_id = c.id AND e.status = 'enrolled') AS enrolled, "   \
    "(SELECT COUNT(*) FROM course_enrolment e WHERE e.course_id = c.id AND e.status = 'waiting') AS waiting, "     \
    "(SELECT COUNT(*) FROM course_session s WHERE s.course_id = c.id AND s.status = 'scheduled') AS sessions "    \
    "FROM course c JOIN org o ON o.id = c.org_id "
#define COURSE_TYPES "ittttttiiitttbbbiii"

int crs_store_course_json(db_t *db, const crs_course_t *c, json_t **out)
{
    return db_get_json(db, out, COURSE_TYPES, COURSE_JSON "WHERE c.id = ?", "i", c->id);
}

int crs_store_course_list(const scope_t *sc, db_t *db, const crs_course_filter_t *f, json_t *items)
{
    return db_list_json(
        db, items, COURSE_TYPES,
        COURSE_JSON "WHERE o.path LIKE ? AND c.id > ? AND (CAST(? AS TEXT) IS NULL OR c.kind = ?) "
                    "AND (CAST(? AS TEXT) IS NULL OR c.audience = ?) "
                    "AND (CAST(? AS TEXT) IS NULL OR o.code = ?) AND (? < 0 OR c.childcare = ?) AND (? < 0 OR c.evening = ?) "
                    "AND (? < 0 OR c.online = ?)" ASSIGNED "ORDER BY c.id LIMIT ?",
        "tittttttiiiiiiiii", scope_subtree_like(sc), f->cursor, f->kind, f->kind, f->audience, f->audience,
        f->org, f->org, (int64_t)f->childcare, (int64_t)f->childcare, (int64_t)f->evening, (int64_t)f->evening,
        (int64_t)f->online, (int64_t)f->online, f->managed ? teacher_of(sc) : 0, f->managed ? teacher_of(sc) : 0,
        (int64_t)f->limit);
}

int crs_store_course_count(db_t *db, const crs_course_t *c, const char *status, int64_t *n)
{
    int rc = db_get_int(db, n,
                        "SELECT COUNT(*) FROM course_enrolment WHERE course_id = ? AND status = ?", "it", c->id, status);
    return rc == 1 ? DB_ERR : rc;
}

/* ---- sessions ------------------------------------------------------------------ */

int crs_store_session_insert(db_t *db, const crs_course_t *c, const char *date, int64_t start_min, int64_t minutes,
                             int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO course_session (course_id, date, start_min, minutes, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                        "itiiii", c->id, date, start_min, minutes, now, now);
}

static const db_field_t session_map[] = {
    DB_INT(crs_session_t, id), DB_INT(crs_session_t, start_min), DB_INT(crs_session_t, minutes),
    DB_TEXT(crs_session_t, date), DB_TEXT(crs_session_t, status),
};

int crs_store_session_get(const scope_t *sc, db_t *db, int64_t id, crs_session_t *out)
{
    return managed_row(sc, db, id, DB_MAP(session_map), out, sizeof *out, &out->course,
                       "SELECT s.id, s.start_min, s.minutes, s.date, s.status, " COURSE_COLS
                       " FROM course_session s JOIN course c ON c.id = s.course_id JOIN org o ON o.id = c.org_id "
                       "WHERE s.id = ? AND o.path LIKE ?" ASSIGNED);
}

int crs_store_session_update(db_t *db, const crs_session_t *s, const char *date, int64_t start_min, int64_t minutes,
                             const char *status, int64_t now)
{
    return db_run(db, "UPDATE course_session SET date = ?, start_min = ?, minutes = ?, status = ?, updated_at = ? "
                      "WHERE id = ?",
                  "tiitii", date, start_min, minutes, status, now, s->id);
}

#define SESSION_JSON                                                                                               \
    "SELECT s.id AS id, s.date AS date, "                                                                          \
    "CASE WHEN s.start_min < 600 THEN '0' ELSE '' END || CAST(s.start_min / 60 AS TEXT) || ':' || "               \
    "CASE WHEN s.start_min % 60 < 10 THEN '0' ELSE '' END || CAST(s.start_min % 60 AS TEXT) AS start, "           \
    "s.minutes AS minutes, s.status AS status, "                                                                   \
    "(SELECT COUNT(*) FROM course_attendance a WHERE a.session_id = s.id) AS marks "

int crs_store_sessions_json(db_t *db, const crs_course_t *c, json_t *items)
{
    return db_list_json(db, items, "ittiti",
                        SESSION_JSON "FROM course_session s WHERE s.course_id = ? ORDER BY s.date, s.start_min, s.id",
                        "i", c->id);
}

int crs_store_sessions_on(const scope_t *sc, db_t *db, const char *date, json_t *items)
{
    return db_list_json(db, items, "ittitiitti",
                        SESSION_JSON ", c.id AS course_id, c.title AS course_title, o.name AS org_name, "
                                     "(SELECT COUNT(*) FROM course_enrolment e WHERE e.course_id = c.id "
                                     "AND e.status = 'enrolled') AS learners "
                                     "FROM course_session s JOIN course c ON c.id = s.course_id "
                                     "JOIN org o ON o.id = c.org_id WHERE s.date = ? AND o.path LIKE ?" ASSIGNED
                                     "ORDER BY s.start_min, s.id LIMIT 200",
                        "ttii", date, scope_subtree_like(sc), teacher_of(sc), teacher_of(sc));
}

/* ---- persons ------------------------------------------------------------------ */

static const db_field_t person_map[] = {
    DB_INT(crs_person_t, id), DB_INT(crs_person_t, org_id), DB_TEXT(crs_person_t, sex),
    DB_TEXT(crs_person_t, birth_date),
};

int crs_store_person_get(const scope_t *sc, db_t *db, int64_t id, crs_person_t *out)
{
    return db_get_row(db, DB_MAP(person_map), out, sizeof *out,
                      "SELECT p.id, p.org_id, COALESCE(p.sex, ''), COALESCE(p.birth_date, '') FROM person p "
                      "JOIN org o ON o.id = p.org_id "
                      "WHERE p.id = ? AND p.status = 'active' AND o.path LIKE ?",
                      "it", id, scope_subtree_like(sc));
}

int crs_store_person_sample(const scope_t *sc, db_t *db, int limit, json_t *items)
{
    return db_list_json(db, items, "i",
                        "SELECT p.id AS id FROM person p JOIN org o ON o.id = p.org_id "
                        "WHERE o.path LIKE ? AND p.status = 'active' ORDER BY p.id LIMIT ?",
                        "ti", scope_subtree_like(sc), (int64_t)limit);
}

int crs_store_organiser_email(db_t *db, const crs_course_t *c, char *out, size_t len)
{
    const db_field_t email[] = {{0, len, 't'}};
    out[0] = '\0';
    int rc = db_get_row(db, DB_MAP(email), out, len, "SELECT COALESCE(email, '') FROM app_user WHERE id = ?", "i",
                        c->created_by);
    return rc < 0 ? rc : 0;
}

/* ---- enrolments ---------------------------------------------------------------- */

#define ENROLMENT_JSON                                                                                             \
    "SELECT e.id AS id, e.course_id AS course_id, e.person_id AS person_id, p.given_name AS given_name, "          \
    "p.family_name AS family_name, e.status AS status, e.entry_level AS entry_level, e.exit_level AS exit_level, " \
    "e.project_id AS project_id, e.withdrawal_reason AS withdrawal_reason, "                                      \
    "CASE WHEN e.enrolled_at IS NULL THEN 0 ELSE 1 END AS had_place, e.school_class AS school_class, "            \
    "e.guardian_name AS guardian_name, e.guardian_phone AS guardian_phone, e.guardian_consent AS guardian_consent, " \
    COUNT_COLS                           \
    " FROM course_enrolment e JOIN person p ON p.id = e.person_id "
#define ENROLMENT_TYPES "iiitttttitbtttbiiiii"
/* An enrolment's handle (person p; course apart). */
#define ENROLMENT_COLS                                                                                             \
    "e.id, e.person_id, e.status, COALESCE(e.entry_level, ''), COALESCE(e.exit_level, ''), p.given_name, "        \
    "p.family_name, COALESCE(p.email, '')"

int crs_store_enrolment_insert(const scope_t *sc, db_t *db, const crs_course_t *c, const crs_person_t *p,
                               const crs_enrol_input_t *in, int64_t project_id, const char *status, int64_t now,
                               int64_t *id)
{
    bool enrolled = strcmp(status, "enrolled") == 0;
    return db_insert_id(db, id,
                        "INSERT INTO course_enrolment (course_id, person_id, project_id, status, entry_level, school_class, "
                        "guardian_name, guardian_phone, guardian_consent, enrolled_at, created_by, created_at, "
                        "updated_at) VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?) "
                        "RETURNING id",
                        "iiitttttiiiii", c->id, p->id, project_id, status, in->entry_level, in->school_class,
                        in->guardian_name, in->guardian_phone, (int64_t)in->guardian_consent, enrolled ? now : 0,
                        sc->user_id > 0 ? sc->user_id : 0, now, now);
}

/* Where the ENROLMENT_COLS go. */
static const db_field_t enrolment_map[] = {
    DB_INT(crs_enrolment_t, id), DB_INT(crs_enrolment_t, person_id), DB_TEXT(crs_enrolment_t, status),
    DB_TEXT(crs_enrolment_t, entry_level), DB_TEXT(crs_enrolment_t, exit_level), DB_TEXT(crs_enrolment_t, given_name),
    DB_TEXT(crs_enrolment_t, family_name), DB_TEXT(crs_enrolment_t, email),
};

int crs_store_enrolment_get(const scope_t *sc, db_t *db, int64_t id, crs_enrolment_t *out)
{
    return managed_row(sc, db, id, DB_MAP(enrolment_map), out, sizeof *out, &out->course,
                       "SELECT " ENROLMENT_COLS ", " COURSE_COLS
                       " FROM course_enrolment e JOIN person p ON p.id = e.person_id "
                       "JOIN course c ON c.id = e.course_id JOIN org o ON o.id = c.org_id "
                       "WHERE e.id = ? AND o.path LIKE ?" ASSIGNED);
}

int crs_store_enrolment_json(db_t *db, const crs_enrolment_t *en, json_t **out)
{
    return db_get_json(db, out, ENROLMENT_TYPES, ENROLMENT_JSON "WHERE e.id = ?", "i", en->id);
}

static const db_field_t counts_map[] = {
    DB_INT(crs_counts_t, present), DB_INT(crs_counts_t, late), DB_INT(crs_counts_t, excused),
    DB_INT(crs_counts_t, absent), DB_INT(crs_counts_t, held), DB_INT(crs_counts_t, minutes_attended),
};

int crs_store_enrolment_counts(db_t *db, const crs_enrolment_t *en, crs_counts_t *out)
{
    int rc = db_get_row(db, DB_MAP(counts_map), out, sizeof *out,
                        "SELECT " COUNT_COLS ", (SELECT COALESCE(SUM(s.minutes), 0) FROM course_attendance a "
                        "JOIN course_session s ON s.id = a.session_id WHERE a.enrolment_id = e.id "
                        "AND s.status = 'scheduled' AND a.status IN ('present', 'late')) "
                        "FROM course_enrolment e WHERE e.id = ?",
                        "i", en->id);
    return rc == 1 ? DB_ERR : rc;
}

int crs_store_enrolments_json(db_t *db, const crs_course_t *c, json_t *items)
{
    return db_list_json(db, items, ENROLMENT_TYPES,
                        ENROLMENT_JSON "WHERE e.course_id = ? ORDER BY CASE e.status WHEN 'waiting' THEN 1 "
                                       "WHEN 'withdrawn' THEN 2 ELSE 0 END, CASE WHEN e.status = 'waiting' "
                                       "THEN e.id ELSE 0 END, p.family_name, p.given_name, e.id LIMIT 2000",
                        "i", c->id);
}

int crs_store_enrolment_levels(db_t *db, const crs_enrolment_t *en, const char *entry_level, const char *exit_level,
                               int64_t now)
{
    return db_run(db,
                  "UPDATE course_enrolment SET entry_level = COALESCE(?, entry_level), "
                  "exit_level = COALESCE(?, exit_level), updated_at = ? WHERE id = ?",
                  "ttii", entry_level, exit_level, now, en->id);
}

int crs_store_enrolment_withdraw(db_t *db, const crs_enrolment_t *en, const char *reason, int64_t now)
{
    return db_run(db,
                  "UPDATE course_enrolment SET status = 'withdrawn', withdrawal_reason = ?, withdrawn_at = ?, "
                  "updated_at = ? WHERE id = ?",
                  "tiii", reason, now, now, en->id);
}

int crs_store_first_waiting(db_t *db, const crs_course_t *c, crs_enrolment_t *out)
{
    int rc = db_get_row(db, DB_MAP(enrolment_map), out, sizeof *out,
                        "SELECT " ENROLMENT_COLS " FROM course_enrolment e JOIN person p ON p.id = e.person_id "
                        "WHERE e.course_id = ? AND e.status = 'waiting' ORDER BY e.id LIMIT 1",
                        "i", c->id);
    if (rc == 0) out->course = *c;
    return rc;
}

int crs_store_enrolment_promote(db_t *db, const crs_enrolment_t *en, int64_t now)
{
    return db_run(db, "UPDATE course_enrolment SET status = 'enrolled', enrolled_at = ?, updated_at = ? WHERE id = ?",
                  "iii", now, now, en->id);
}

/* ---- marks --------------------------------------------------------------------- */

/* Marks rows[from, from + n) of `marks` in one multi-row upsert (the same
 * statement text for the same n, so it is prepared once per connection):
 * only enrolled learners of the session's course are written; *written
 * says how many were. 0 or DB_E*. */
static int marks_chunk(db_t *db, const crs_session_t *s, const json_t *marks, size_t from, size_t n, int64_t by,
                       int64_t now, int64_t *written)
{
    char sql[640 + CRS_MARKS_CHUNK * 40];
    int at = snprintf(sql, sizeof sql,
                      "INSERT INTO course_attendance (session_id, enrolment_id, status, marked_by, marked_at) "
                      "SELECT CAST(? AS BIGINT), e.id, v.column2, NULLIF(CAST(? AS BIGINT), 0), CAST(? AS BIGINT) "
                      "FROM (VALUES ");
    for (size_t i = 0; i < n; i++)
        at += snprintf(sql + at, sizeof sql - (size_t)at, "%s(CAST(? AS BIGINT), CAST(? AS TEXT))", i ? ", " : "");
    snprintf(sql + at, sizeof sql - (size_t)at,
             ") v JOIN course_enrolment e ON e.id = v.column1 WHERE e.course_id = ? AND e.status = 'enrolled' "
             "ON CONFLICT (session_id, enrolment_id) DO UPDATE SET status = excluded.status, "
             "marked_by = excluded.marked_by, marked_at = excluded.marked_at");
    db_stmt_t *st = db_prepare(db, sql);
    if (!st) return DB_ERR;
    int rc = db_bindf(st, "iii", s->id, by, now), k = 4;
    for (size_t i = 0; !rc && i < n; i++) {
        const json_t *m = json_array_get(marks, from + i);
        if (!(rc = db_bind_int(st, k++, json_integer_value(json_object_get(m, "enrolment_id")))))
            rc = db_bind_text(st, k++, json_string_value(json_object_get(m, "status")));
    }
    if (!rc) rc = db_bind_int(st, k, s->course.id);
    if (!rc) rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    *written = db_changes(db);
    return 0;
}

int crs_store_marks_put(db_t *db, const crs_session_t *s, const json_t *marks, int64_t by, int64_t now,
                        int64_t *written)
{
    size_t n = json_array_size(marks);
    *written = 0;
    for (size_t from = 0; from < n; from += CRS_MARKS_CHUNK) {
        int64_t w = 0;
        int rc = marks_chunk(db, s, marks, from, n - from < CRS_MARKS_CHUNK ? n - from : CRS_MARKS_CHUNK, by, now, &w);
        if (rc) return rc;
        *written += w;
    }
    return 0;
}

int crs_store_session_learner(db_t *db, const crs_session_t *s, int64_t enrolment_id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT 1 FROM course_enrolment WHERE id = ? AND course_id = ? AND status = 'enrolled'",
                             "ii", enrolment_id, s->course.id);
    if (st) db_reset(st);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

int crs_store_session_marks(db_t *db, const crs_session_t *s, json_t *items)
{
    return db_list_json(db, items, "ittt",
                        "SELECT e.id AS enrolment_id, p.given_name AS given_name, p.family_name AS family_name, "
                        "a.status AS status FROM course_enrolment e JOIN person p ON p.id = e.person_id "
                        "LEFT JOIN course_attendance a ON a.enrolment_id = e.id AND a.session_id = ? "
                        "WHERE e.course_id = ? AND e.status = 'enrolled' "
                        "ORDER BY p.family_name, p.given_name, e.id LIMIT 2000",
                        "ii", s->id, s->course.id);
}

int crs_store_course_marks(db_t *db, const crs_course_t *c, json_t *items)
{
    return db_list_json(db, items, "iit",
                        "SELECT a.enrolment_id AS enrolment_id, a.session_id AS session_id, a.status AS status "
                        "FROM course_attendance a JOIN course_session s ON s.id = a.session_id "
                        "WHERE s.course_id = ?",
                        "i", c->id);
}

/* ---- certificates -------------------------------------------------------------- */

static const db_field_t certificate_map[] = {
    DB_TEXT(crs_certificate_t, code), DB_TEXT(crs_certificate_t, initials), DB_INT(crs_certificate_t, hours_attended),
    DB_TEXT(crs_certificate_t, level), DB_INT(crs_certificate_t, issued_at),
};

int crs_store_certificate_get(db_t *db, const crs_enrolment_t *en, crs_certificate_t *out)
{
    int rc = db_get_row(db, DB_MAP(certificate_map), out, sizeof *out,
                        "SELECT code, initials, hours_attended, COALESCE(level, ''), issued_at "
                        "FROM course_certificate WHERE enrolment_id = ?",
                        "i", en->id);
    if (rc == 0) crs_date_of(out->issued_at, out->issued_on);
    return rc;
}

int crs_store_certificate_insert(const scope_t *sc, db_t *db, const crs_enrolment_t *en,
                                 const crs_certificate_t *cert, int64_t now)
{
    return db_run(db,
                  "INSERT INTO course_certificate (enrolment_id, code, initials, hours_attended, level, issued_by, "
                  "issued_at) VALUES (?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, 0), ?)",
                  "ittitii", en->id, cert->code, cert->initials, cert->hours_attended,
                  cert->level, sc->user_id > 0 ? sc->user_id : 0, now);
}

int crs_store_certificate_by_code(db_t *db, const char *code, json_t **out)
{
    return db_get_json(db, out, "tttttiittti",
                       "SELECT k.code AS code, k.initials AS initials, c.title AS course, o.name AS org, "
                       "c.kind AS kind, c.hours AS hours, k.hours_attended AS hours_attended, k.level AS level, "
                       "c.start_date AS start_date, c.end_date AS end_date, k.issued_at AS issued_at "
                       "FROM course_certificate k JOIN course_enrolment e ON e.id = k.enrolment_id "
                       "JOIN course c ON c.id = e.course_id JOIN org o ON o.id = c.org_id WHERE k.code = ?",
                       "t", code);
}

/* ---- workspaces and aggregates -------------------------------------------------- */

int crs_store_learner_counts(const scope_t *sc, db_t *db, json_t *items)
{
    return db_list_json(db, items, "ittitiiiiii",
                        "SELECT e.id AS enrolment_id, p.given_name AS given_name, p.family_name AS family_name, "
                        "c.id AS course_id, c.title AS course_title, c.min_attendance_pct AS min_attendance_pct, "
                        COUNT_COLS " FROM course_enrolment e JOIN person p ON p.id = e.person_id "
                        "JOIN course c ON c.id = e.course_id JOIN org o ON o.id = c.org_id "
                        "WHERE e.status = 'enrolled' AND o.path LIKE ?" ASSIGNED
                        "ORDER BY c.id, p.family_name, p.given_name LIMIT 5000",
                        "tii", scope_subtree_like(sc), teacher_of(sc), teacher_of(sc));
}

int crs_store_summary_kinds(const scope_t *sc, db_t *db, json_t *items)
{
    return db_list_json(
        db, items, "tiiiii",
        "SELECT c.kind AS kind, COUNT(*) AS courses, SUM(c.capacity) AS capacity, "
        "SUM((SELECT COUNT(*) FROM course_enrolment e WHERE e.course_id = c.id AND e.status = 'enrolled')) AS enrolled, "
        "SUM((SELECT COUNT(*) FROM course_enrolment e WHERE e.course_id = c.id AND e.status = 'waiting')) AS waiting, "
        "SUM((SELECT COUNT(*) FROM course_enrolment e WHERE e.course_id = c.id AND e.status = 'withdrawn')) AS withdrawn "
        "FROM course c JOIN org o ON o.id = c.org_id WHERE o.path LIKE ? GROUP BY c.kind ORDER BY c.kind",
        "t", scope_subtree_like(sc));
}

int crs_store_summary_people(const scope_t *sc, db_t *db, json_t *items)
{
    return db_list_json(db, items, "ttttt",
                        "SELECT c.kind AS kind, p.sex AS sex, COALESCE(p.age_band_first, '') AS age_band, "
                        "COALESCE(e.entry_level, '') AS entry_level, COALESCE(e.exit_level, '') AS exit_level "
                        "FROM course_enrolment e JOIN person p ON p.id = e.person_id "
                        "JOIN course c ON c.id = e.course_id JOIN org o ON o.id = c.org_id "
                        "WHERE e.status = 'enrolled' AND o.path LIKE ? LIMIT 100000",
                        "t", scope_subtree_like(sc));
}

/* ---- school support ------------------------------------------------------------- */

int crs_store_support_insert(const scope_t *sc, db_t *db, const org_t *school, const crs_person_t *p,
                             const crs_support_input_t *in, int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO school_support (org_id, person_id, kind, date, minutes, attended, notes, "
                        "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                        "iittiitii", school->id, p->id, in->kind, in->date, in->minutes, (int64_t)in->attended,
                        in->notes, sc->user_id > 0 ? sc->user_id : 0, now);
}

#define SUPPORT_FROM                                                                                               \
    " FROM school_support k JOIN person p ON p.id = k.person_id JOIN org o ON o.id = k.org_id "                   \
    "WHERE o.path LIKE ? AND p.status = 'active' "

int crs_store_support_list(const scope_t *sc, db_t *db, int64_t person_id, int64_t cursor, int limit, json_t *items)
{
    return db_list_json(db, items, "iittttttibt",
                        "SELECT k.id AS id, k.person_id AS person_id, p.given_name AS given_name, "
                        "p.family_name AS family_name, o.code AS org, o.name AS school, k.kind AS kind, "
                        "k.date AS date, k.minutes AS minutes, k.attended AS attended, k.notes AS notes"
                        SUPPORT_FROM "AND (? = 0 OR k.person_id = ?) AND (? = 0 OR k.id < ?) ORDER BY k.id DESC LIMIT ?",
                        "tiiiii", scope_subtree_like(sc), person_id, person_id, cursor, cursor, (int64_t)limit);
}

int crs_store_support_history(const scope_t *sc, db_t *db, json_t *items)
{
    return db_list_json(db, items, "itttb",
                        "SELECT k.person_id AS person_id, p.given_name AS given_name, p.family_name AS family_name, "
                        "o.name AS school, k.attended AS attended" SUPPORT_FROM
                        "ORDER BY k.person_id, k.date, k.id LIMIT 50000",
                        "t", scope_subtree_like(sc));
}

/* ---- internships ---------------------------------------------------------------- */

int crs_store_internship_insert(const scope_t *sc, db_t *db, const crs_trainee_t *t, const org_t *host,
                                const crs_internship_input_t *in, int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO course_internship (org_id, mediator_id, host_org_id, tutor, hours_required, "
                        "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                        "iiitiiii", t->org_id, t->mediator_id, host->id, in->tutor, in->hours_required,
                        sc->user_id > 0 ? sc->user_id : 0, now, now);
}

static const db_field_t internship_map[] = {
    DB_INT(crs_internship_t, id), DB_INT(crs_internship_t, org_id), DB_INT(crs_internship_t, mediator_id),
    DB_INT(crs_internship_t, hours_required), DB_INT(crs_internship_t, hours_done), DB_TEXT(crs_internship_t, status),
    DB_TEXT(crs_internship_t, host_name), DB_TEXT(crs_internship_t, evaluation),
};

int crs_store_internship_get(const scope_t *sc, db_t *db, int64_t id, crs_internship_t *out)
{
    return db_get_row(db, DB_MAP(internship_map), out, sizeof *out,
                      "SELECT i.id, i.org_id, i.mediator_id, i.hours_required, i.hours_done, i.status, h.name, "
                      "COALESCE(i.evaluation, '') FROM course_internship i JOIN org o ON o.id = i.org_id "
                      "JOIN org h ON h.id = i.host_org_id WHERE i.id = ? AND o.path LIKE ?",
                      "it", id, scope_subtree_like(sc));
}

#define INTERNSHIP_JSON                                                                                            \
    "SELECT i.id AS id, i.mediator_id AS mediator_id, m.given_name AS given_name, m.family_name AS family_name, "  \
    "h.code AS host_org, h.name AS host_name, i.tutor AS tutor, i.hours_required AS hours_required, "             \
    "i.hours_done AS hours_done, i.evaluation AS evaluation, i.status AS status, i.completed_on AS completed_on "  \
    "FROM course_internship i JOIN mediator m ON m.id = i.mediator_id JOIN org h ON h.id = i.host_org_id "         \
    "JOIN org o ON o.id = i.org_id "
#define INTERNSHIP_TYPES "iitttttiittt"

int crs_store_internship_json(db_t *db, const crs_internship_t *it, json_t **out)
{
    return db_get_json(db, out, INTERNSHIP_TYPES, INTERNSHIP_JSON "WHERE i.id = ?", "i", it->id);
}

int crs_store_internship_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    return db_list_json(db, items, INTERNSHIP_TYPES, INTERNSHIP_JSON "WHERE o.path LIKE ? AND (? = 0 OR i.id < ?) ORDER BY i.id DESC LIMIT ?",
                        "tiii", scope_subtree_like(sc), cursor, cursor, (int64_t)limit);
}

int crs_store_internship_update(db_t *db, const crs_internship_t *it, const crs_internship_input_t *in, int64_t now)
{
    return db_run(db,
                  "UPDATE course_internship SET hours_done = CASE WHEN ? < 0 THEN hours_done ELSE ? END, "
                  "evaluation = COALESCE(?, evaluation), tutor = COALESCE(?, tutor), updated_at = ? WHERE id = ?",
                  "iittii", in->hours_done, in->hours_done, in->evaluation, in->tutor, now, it->id);
}

int crs_store_internship_complete(db_t *db, const crs_internship_t *it, const char *date, int64_t now)
{
    return db_run(db, "UPDATE course_internship SET status = 'completed', completed_on = ?, updated_at = ? WHERE id = ?",
                  "tii", date, now, it->id);
}

/* store.c — the SQL of courses, sessions, and the persons an
 * enrolment needs (see store.h). */
#include "store.h"
#include "store_sql.h"
#include "core/date.h"
#include "db/row_json.h"
#include <stdio.h>
#include <string.h>

/* Copies a column's text (NULL as "") into a fixed buffer. */
static void copy_col(char *dst, size_t n, db_stmt_t *st, int col)
{
    snprintf(dst, n, "%s", db_col_text(st, col));
}

#define COURSE_COLS                                                                                                \
    "c.id, c.org_id, COALESCE(c.created_by, 0), c.hours, c.capacity, c.min_attendance_pct, o.path, o.name, "      \
    "c.title, c.kind, c.start_date, c.end_date, COALESCE(c.target_level, ''), c.audience"

/* Fills `c` from the COURSE_COLS starting at column `at`. */
static void course_from(db_stmt_t *st, int at, crs_course_t *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_col_int(st, at);
    c->org_id = db_col_int(st, at + 1);
    c->created_by = db_col_int(st, at + 2);
    c->hours = db_col_int(st, at + 3);
    c->capacity = db_col_int(st, at + 4);
    c->min_pct = db_col_int(st, at + 5);
    copy_col(c->org_path, sizeof c->org_path, st, at + 6);
    copy_col(c->org_name, sizeof c->org_name, st, at + 7);
    copy_col(c->title, sizeof c->title, st, at + 8);
    copy_col(c->kind, sizeof c->kind, st, at + 9);
    copy_col(c->start_date, sizeof c->start_date, st, at + 10);
    copy_col(c->end_date, sizeof c->end_date, st, at + 11);
    copy_col(c->target_level, sizeof c->target_level, st, at + 12);
    copy_col(c->audience, sizeof c->audience, st, at + 13);
}

/* Fills a handle from the current row of a loader's query. */
typedef void (*row_fill_fn)(db_stmt_t *st, void *out);

/* The one row of a loader's query through `fill`: 0, 1 when there is none,
 * or DB_E*; resets the statement. Every one-row loader below goes through it. */
static int one_row(db_stmt_t *st, int rc, row_fill_fn fill, void *out)
{
    if (rc == DB_ROW) fill(st, out);
    if (st) db_reset(st);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

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

/* The integer in the first column of the one row a statement answered (a
 * RETURNING id, a COUNT): 0 or DB_E*. */
static int first_int(db_stmt_t *st, int rc, int64_t *id)
{
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    if (st) db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : DB_ERR;
}

int crs_store_course_insert(const scope_t *sc, db_t *db, const org_t *org, const crs_course_input_t *in,
                            int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO course (org_id, title, kind, audience, target_level, hours, capacity, "
                             "min_attendance_pct, start_date, end_date, place, childcare, evening, online, created_by, "
                             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                             "ittttiiitttiiiiii", org->id, in->title, in->kind, in->audience, in->target_level,
                             in->hours, in->capacity, in->min_attendance_pct, in->start_date, in->end_date, in->place,
                             (int64_t)in->childcare, (int64_t)in->evening, (int64_t)in->online,
                             sc->user_id > 0 ? sc->user_id : 0, now, now);
    return first_int(st, rc, id);
}

static void course_fill(db_stmt_t *st, void *out)
{
    course_from(st, 0, out);
}

int crs_store_course_get(const scope_t *sc, db_t *db, int64_t id, crs_course_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT " COURSE_COLS " FROM course c JOIN org o ON o.id = c.org_id "
                             "WHERE c.id = ? AND o.path LIKE ?",
                             "it", id, scope_subtree_like(sc));
    return one_row(st, rc, course_fill, out);
}

int crs_store_course_managed(const scope_t *sc, db_t *db, int64_t id, crs_course_t *out)
{
    int rc;
    int64_t t = teacher_of(sc);
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT " COURSE_COLS " FROM course c JOIN org o ON o.id = c.org_id "
                             "WHERE c.id = ? AND o.path LIKE ?" ASSIGNED,
                             "itii", id, scope_subtree_like(sc), t, t);
    return one_row(st, rc, course_fill, out);
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
    int rc;
    db_stmt_t *st = db_query(db, &rc, COURSE_JSON "WHERE c.id = ?", "i", c->id);
    return db_one_json(st, rc, COURSE_TYPES, out);
}

int crs_store_course_list(const scope_t *sc, db_t *db, const crs_course_filter_t *f, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        COURSE_JSON "WHERE o.path LIKE ? AND c.id > ? AND (CAST(? AS TEXT) IS NULL OR c.kind = ?) "
                    "AND (CAST(? AS TEXT) IS NULL OR c.audience = ?) "
                    "AND (CAST(? AS TEXT) IS NULL OR o.code = ?) AND (? < 0 OR c.childcare = ?) AND (? < 0 OR c.evening = ?) "
                    "AND (? < 0 OR c.online = ?)" ASSIGNED "ORDER BY c.id LIMIT ?",
        "tittttttiiiiiiiii", scope_subtree_like(sc), f->cursor, f->kind, f->kind, f->audience, f->audience,
        f->org, f->org, (int64_t)f->childcare, (int64_t)f->childcare, (int64_t)f->evening, (int64_t)f->evening,
        (int64_t)f->online, (int64_t)f->online, f->managed ? teacher_of(sc) : 0, f->managed ? teacher_of(sc) : 0,
        (int64_t)f->limit);
    return db_rows_json(st, rc, COURSE_TYPES, items);
}

int crs_store_course_count(db_t *db, const crs_course_t *c, const char *status, int64_t *n)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT COUNT(*) FROM course_enrolment WHERE course_id = ? AND status = ?",
                             "it", c->id, status);
    return first_int(st, rc, n);
}

/* ---- sessions ------------------------------------------------------------------ */

int crs_store_session_insert(db_t *db, const crs_course_t *c, const char *date, int64_t start_min, int64_t minutes,
                             int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO course_session (course_id, date, start_min, minutes, created_at, updated_at) "
                             "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                             "itiiii", c->id, date, start_min, minutes, now, now);
    return first_int(st, rc, id);
}

static void session_fill(db_stmt_t *st, void *o)
{
    crs_session_t *out = o;
    course_from(st, 5, &out->course);
    out->id = db_col_int(st, 0);
    out->start_min = db_col_int(st, 1);
    out->minutes = db_col_int(st, 2);
    copy_col(out->date, sizeof out->date, st, 3);
    copy_col(out->status, sizeof out->status, st, 4);
}

int crs_store_session_get(const scope_t *sc, db_t *db, int64_t id, crs_session_t *out)
{
    int rc;
    int64_t t = teacher_of(sc);
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT s.id, s.start_min, s.minutes, s.date, s.status, " COURSE_COLS
                             " FROM course_session s JOIN course c ON c.id = s.course_id JOIN org o ON o.id = c.org_id "
                             "WHERE s.id = ? AND o.path LIKE ?" ASSIGNED,
                             "itii", id, scope_subtree_like(sc), t, t);
    return one_row(st, rc, session_fill, out);
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
    int rc;
    db_stmt_t *st = db_query(db, &rc, SESSION_JSON "FROM course_session s WHERE s.course_id = ? "
                                                   "ORDER BY s.date, s.start_min, s.id",
                             "i", c->id);
    return db_rows_json(st, rc, "ittiti", items);
}

int crs_store_sessions_on(const scope_t *sc, db_t *db, const char *date, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             SESSION_JSON ", c.id AS course_id, c.title AS course_title, o.name AS org_name, "
                                          "(SELECT COUNT(*) FROM course_enrolment e WHERE e.course_id = c.id "
                                          "AND e.status = 'enrolled') AS learners "
                                          "FROM course_session s JOIN course c ON c.id = s.course_id "
                                          "JOIN org o ON o.id = c.org_id WHERE s.date = ? AND o.path LIKE ?" ASSIGNED
                                          "ORDER BY s.start_min, s.id LIMIT 200",
                             "ttii", date, scope_subtree_like(sc), teacher_of(sc), teacher_of(sc));
    return db_rows_json(st, rc, "ittitiitti", items);
}

/* ---- persons ------------------------------------------------------------------ */

static void person_fill(db_stmt_t *st, void *o)
{
    crs_person_t *out = o;
    out->id = db_col_int(st, 0);
    out->org_id = db_col_int(st, 1);
    copy_col(out->sex, sizeof out->sex, st, 2);
    copy_col(out->birth_date, sizeof out->birth_date, st, 3);
}

int crs_store_person_get(const scope_t *sc, db_t *db, int64_t id, crs_person_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT p.id, p.org_id, COALESCE(p.sex, ''), COALESCE(p.birth_date, '') FROM person p "
                             "JOIN org o ON o.id = p.org_id "
                             "WHERE p.id = ? AND p.status = 'active' AND o.path LIKE ?",
                             "it", id, scope_subtree_like(sc));
    return one_row(st, rc, person_fill, out);
}

int crs_store_person_sample(const scope_t *sc, db_t *db, int limit, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT p.id AS id FROM person p JOIN org o ON o.id = p.org_id "
                             "WHERE o.path LIKE ? AND p.status = 'active' ORDER BY p.id LIMIT ?",
                             "ti", scope_subtree_like(sc), (int64_t)limit);
    return db_rows_json(st, rc, "i", items);
}

int crs_store_organiser_email(db_t *db, const crs_course_t *c, char *out, size_t len)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT COALESCE(email, '') FROM app_user WHERE id = ?", "i", c->created_by);
    out[0] = '\0';
    if (rc == DB_ROW) copy_col(out, len, st, 0);
    if (st) db_reset(st);
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

int crs_store_enrolment_insert(const scope_t *sc, db_t *db, const crs_course_t *c, const crs_person_t *p,
                               const crs_enrol_input_t *in, int64_t project_id, const char *status, int64_t now,
                               int64_t *id)
{
    int rc;
    bool enrolled = strcmp(status, "enrolled") == 0;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO course_enrolment (course_id, person_id, project_id, status, entry_level, school_class, "
                             "guardian_name, guardian_phone, guardian_consent, enrolled_at, created_by, created_at, "
                             "updated_at) VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?) "
                             "RETURNING id",
                             "iiitttttiiiii", c->id, p->id, project_id, status, in->entry_level, in->school_class,
                             in->guardian_name, in->guardian_phone, (int64_t)in->guardian_consent, enrolled ? now : 0,
                             sc->user_id > 0 ? sc->user_id : 0, now, now);
    return first_int(st, rc, id);
}

static void enrolment_fill(db_stmt_t *st, void *o)
{
    crs_enrolment_t *out = o;
    course_from(st, 8, &out->course);
    out->id = db_col_int(st, 0);
    out->person_id = db_col_int(st, 1);
    copy_col(out->status, sizeof out->status, st, 2);
    copy_col(out->entry_level, sizeof out->entry_level, st, 3);
    copy_col(out->exit_level, sizeof out->exit_level, st, 4);
    copy_col(out->given_name, sizeof out->given_name, st, 5);
    copy_col(out->family_name, sizeof out->family_name, st, 6);
    copy_col(out->email, sizeof out->email, st, 7);
}

int crs_store_enrolment_get(const scope_t *sc, db_t *db, int64_t id, crs_enrolment_t *out)
{
    int rc;
    int64_t t = teacher_of(sc);
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT e.id, e.person_id, e.status, COALESCE(e.entry_level, ''), "
                             "COALESCE(e.exit_level, ''), p.given_name, p.family_name, COALESCE(p.email, ''), " COURSE_COLS
                             " FROM course_enrolment e JOIN person p ON p.id = e.person_id "
                             "JOIN course c ON c.id = e.course_id JOIN org o ON o.id = c.org_id "
                             "WHERE e.id = ? AND o.path LIKE ?" ASSIGNED,
                             "itii", id, scope_subtree_like(sc), t, t);
    return one_row(st, rc, enrolment_fill, out);
}

int crs_store_enrolment_json(db_t *db, const crs_enrolment_t *en, json_t **out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, ENROLMENT_JSON "WHERE e.id = ?", "i", en->id);
    return db_one_json(st, rc, ENROLMENT_TYPES, out);
}

static void counts_fill(db_stmt_t *st, void *o)
{
    crs_counts_t *out = o;
    out->present = db_col_int(st, 0);
    out->late = db_col_int(st, 1);
    out->excused = db_col_int(st, 2);
    out->absent = db_col_int(st, 3);
    out->held = db_col_int(st, 4);
    out->minutes_attended = db_col_int(st, 5);
}

int crs_store_enrolment_counts(db_t *db, const crs_enrolment_t *en, crs_counts_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT " COUNT_COLS ", (SELECT COALESCE(SUM(s.minutes), 0) FROM course_attendance a "
                             "JOIN course_session s ON s.id = a.session_id WHERE a.enrolment_id = e.id "
                             "AND s.status = 'scheduled' AND a.status IN ('present', 'late')) "
                             "FROM course_enrolment e WHERE e.id = ?",
                             "i", en->id);
    rc = one_row(st, rc, counts_fill, out);
    return rc == 1 ? DB_ERR : rc;
}

int crs_store_enrolments_json(db_t *db, const crs_course_t *c, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             ENROLMENT_JSON "WHERE e.course_id = ? ORDER BY CASE e.status WHEN 'waiting' THEN 1 "
                                            "WHEN 'withdrawn' THEN 2 ELSE 0 END, CASE WHEN e.status = 'waiting' "
                                            "THEN e.id ELSE 0 END, p.family_name, p.given_name, e.id LIMIT 2000",
                             "i", c->id);
    return db_rows_json(st, rc, ENROLMENT_TYPES, items);
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

/* A waiting enrolment's row (id, person, names, e-mail); the caller sets its course. */
static void waiting_fill(db_stmt_t *st, void *o)
{
    crs_enrolment_t *out = o;
    memset(out, 0, sizeof *out);
    out->id = db_col_int(st, 0);
    out->person_id = db_col_int(st, 1);
    snprintf(out->status, sizeof out->status, "waiting");
    copy_col(out->given_name, sizeof out->given_name, st, 2);
    copy_col(out->family_name, sizeof out->family_name, st, 3);
    copy_col(out->email, sizeof out->email, st, 4);
}

int crs_store_first_waiting(db_t *db, const crs_course_t *c, crs_enrolment_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT e.id, e.person_id, p.given_name, p.family_name, COALESCE(p.email, '') "
                             "FROM course_enrolment e JOIN person p ON p.id = e.person_id "
                             "WHERE e.course_id = ? AND e.status = 'waiting' ORDER BY e.id LIMIT 1",
                             "i", c->id);
    rc = one_row(st, rc, waiting_fill, out);
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
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT e.id AS enrolment_id, p.given_name AS given_name, p.family_name AS family_name, "
                             "a.status AS status FROM course_enrolment e JOIN person p ON p.id = e.person_id "
                             "LEFT JOIN course_attendance a ON a.enrolment_id = e.id AND a.session_id = ? "
                             "WHERE e.course_id = ? AND e.status = 'enrolled' "
                             "ORDER BY p.family_name, p.given_name, e.id LIMIT 2000",
                             "ii", s->id, s->course.id);
    return db_rows_json(st, rc, "ittt", items);
}

int crs_store_course_marks(db_t *db, const crs_course_t *c, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT a.enrolment_id AS enrolment_id, a.session_id AS session_id, a.status AS status "
                             "FROM course_attendance a JOIN course_session s ON s.id = a.session_id "
                             "WHERE s.course_id = ?",
                             "i", c->id);
    return db_rows_json(st, rc, "iit", items);
}

/* ---- certificates -------------------------------------------------------------- */

static void certificate_fill(db_stmt_t *st, void *o)
{
    crs_certificate_t *out = o;
    copy_col(out->code, sizeof out->code, st, 0);
    copy_col(out->initials, sizeof out->initials, st, 1);
    out->hours_attended = db_col_int(st, 2);
    copy_col(out->level, sizeof out->level, st, 3);
    int y, m, d;
    civil_from_days(db_col_int(st, 4) / 86400, &y, &m, &d);
    snprintf(out->issued_on, sizeof out->issued_on, "%04d-%02d-%02d", y, m, d);
}

int crs_store_certificate_get(db_t *db, const crs_enrolment_t *en, crs_certificate_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT code, initials, hours_attended, COALESCE(level, ''), issued_at "
                             "FROM course_certificate WHERE enrolment_id = ?",
                             "i", en->id);
    return one_row(st, rc, certificate_fill, out);
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
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT k.code AS code, k.initials AS initials, c.title AS course, o.name AS org, "
                             "c.kind AS kind, c.hours AS hours, k.hours_attended AS hours_attended, k.level AS level, "
                             "c.start_date AS start_date, c.end_date AS end_date, k.issued_at AS issued_at "
                             "FROM course_certificate k JOIN course_enrolment e ON e.id = k.enrolment_id "
                             "JOIN course c ON c.id = e.course_id JOIN org o ON o.id = c.org_id WHERE k.code = ?",
                             "t", code);
    return db_one_json(st, rc, "tttttiittti", out);
}

/* ---- workspaces and aggregates -------------------------------------------------- */

int crs_store_learner_counts(const scope_t *sc, db_t *db, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT e.id AS enrolment_id, p.given_name AS given_name, p.family_name AS family_name, "
                             "c.id AS course_id, c.title AS course_title, c.min_attendance_pct AS min_attendance_pct, "
                             COUNT_COLS " FROM course_enrolment e JOIN person p ON p.id = e.person_id "
                             "JOIN course c ON c.id = e.course_id JOIN org o ON o.id = c.org_id "
                             "WHERE e.status = 'enrolled' AND o.path LIKE ?" ASSIGNED
                             "ORDER BY c.id, p.family_name, p.given_name LIMIT 5000",
                             "tii", scope_subtree_like(sc), teacher_of(sc), teacher_of(sc));
    return db_rows_json(st, rc, "ittitiiiiii", items);
}

int crs_store_summary_kinds(const scope_t *sc, db_t *db, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        "SELECT c.kind AS kind, COUNT(*) AS courses, SUM(c.capacity) AS capacity, "
        "SUM((SELECT COUNT(*) FROM course_enrolment e WHERE e.course_id = c.id AND e.status = 'enrolled')) AS enrolled, "
        "SUM((SELECT COUNT(*) FROM course_enrolment e WHERE e.course_id = c.id AND e.status = 'waiting')) AS waiting, "
        "SUM((SELECT COUNT(*) FROM course_enrolment e WHERE e.course_id = c.id AND e.status = 'withdrawn')) AS withdrawn "
        "FROM course c JOIN org o ON o.id = c.org_id WHERE o.path LIKE ? GROUP BY c.kind ORDER BY c.kind",
        "t", scope_subtree_like(sc));
    return db_rows_json(st, rc, "tiiiii", items);
}

int crs_store_summary_people(const scope_t *sc, db_t *db, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT c.kind AS kind, p.sex AS sex, COALESCE(p.age_band_first, '') AS age_band, "
                             "COALESCE(e.entry_level, '') AS entry_level, COALESCE(e.exit_level, '') AS exit_level "
                             "FROM course_enrolment e JOIN person p ON p.id = e.person_id "
                             "JOIN course c ON c.id = e.course_id JOIN org o ON o.id = c.org_id "
                             "WHERE e.status = 'enrolled' AND o.path LIKE ? LIMIT 100000",
                             "t", scope_subtree_like(sc));
    return db_rows_json(st, rc, "ttttt", items);
}

/* ---- school support ------------------------------------------------------------- */

int crs_store_support_insert(const scope_t *sc, db_t *db, const org_t *school, const crs_person_t *p,
                             const crs_support_input_t *in, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO school_support (org_id, person_id, kind, date, minutes, attended, notes, "
                             "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                             "iittiitii", school->id, p->id, in->kind, in->date, in->minutes, (int64_t)in->attended,
                             in->notes, sc->user_id > 0 ? sc->user_id : 0, now);
    return first_int(st, rc, id);
}

#define SUPPORT_FROM                                                                                               \
    " FROM school_support k JOIN person p ON p.id = k.person_id JOIN org o ON o.id = k.org_id "                   \
    "WHERE o.path LIKE ? AND p.status = 'active' "

int crs_store_support_list(const scope_t *sc, db_t *db, int64_t person_id, int64_t cursor, int limit, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT k.id AS id, k.person_id AS person_id, p.given_name AS given_name, "
                             "p.family_name AS family_name, o.code AS org, o.name AS school, k.kind AS kind, "
                             "k.date AS date, k.minutes AS minutes, k.attended AS attended, k.notes AS notes"
                             SUPPORT_FROM "AND (? = 0 OR k.person_id = ?) AND (? = 0 OR k.id < ?) ORDER BY k.id DESC LIMIT ?",
                             "tiiiii", scope_subtree_like(sc), person_id, person_id, cursor, cursor, (int64_t)limit);
    return db_rows_json(st, rc, "iittttttibt", items);
}

int crs_store_support_history(const scope_t *sc, db_t *db, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT k.person_id AS person_id, p.given_name AS given_name, p.family_name AS family_name, "
                             "o.name AS school, k.attended AS attended" SUPPORT_FROM
                             "ORDER BY k.person_id, k.date, k.id LIMIT 50000",
                             "t", scope_subtree_like(sc));
    return db_rows_json(st, rc, "itttb", items);
}

/* ---- internships ---------------------------------------------------------------- */

int crs_store_internship_insert(const scope_t *sc, db_t *db, const crs_trainee_t *t, const org_t *host,
                                const crs_internship_input_t *in, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO course_internship (org_id, mediator_id, host_org_id, tutor, hours_required, "
                             "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                             "iiitiiii", t->org_id, t->mediator_id, host->id, in->tutor, in->hours_required,
                             sc->user_id > 0 ? sc->user_id : 0, now, now);
    return first_int(st, rc, id);
}

static void internship_fill(db_stmt_t *st, void *o)
{
    crs_internship_t *out = o;
    out->id = db_col_int(st, 0);
    out->org_id = db_col_int(st, 1);
    out->mediator_id = db_col_int(st, 2);
    out->hours_required = db_col_int(st, 3);
    out->hours_done = db_col_int(st, 4);
    copy_col(out->status, sizeof out->status, st, 5);
    copy_col(out->host_name, sizeof out->host_name, st, 6);
    copy_col(out->evaluation, sizeof out->evaluation, st, 7);
}

int crs_store_internship_get(const scope_t *sc, db_t *db, int64_t id, crs_internship_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT i.id, i.org_id, i.mediator_id, i.hours_required, i.hours_done, i.status, h.name, "
                             "COALESCE(i.evaluation, '') FROM course_internship i JOIN org o ON o.id = i.org_id "
                             "JOIN org h ON h.id = i.host_org_id WHERE i.id = ? AND o.path LIKE ?",
                             "it", id, scope_subtree_like(sc));
    return one_row(st, rc, internship_fill, out);
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
    int rc;
    db_stmt_t *st = db_query(db, &rc, INTERNSHIP_JSON "WHERE i.id = ?", "i", it->id);
    return db_one_json(st, rc, INTERNSHIP_TYPES, out);
}

int crs_store_internship_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, INTERNSHIP_JSON "WHERE o.path LIKE ? AND (? = 0 OR i.id < ?) ORDER BY i.id DESC LIMIT ?",
                             "tiii", scope_subtree_like(sc), cursor, cursor, (int64_t)limit);
    return db_rows_json(st, rc, INTERNSHIP_TYPES, items);
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

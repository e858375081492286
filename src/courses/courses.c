/* courses.c — the operations on courses and their sessions (courses.h):
 * validation, the scope's checks (C1), single sessions and weekly patterns
 * skipping the national holidays, moves and cancellations. No SQL here
 * (store.c), no HTTP here (web.c, pages.c). */
#include "internal.h"
#include "core/date.h"
#include <stdio.h>
#include <string.h>

int crs_managed_course(const scope_t *sc, db_t *db, int64_t id, crs_course_t *c, crs_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    if (rc || (rc = crs_store_course_managed(sc, db, id, c))) return rc;
    *ref = (crs_ref_t){c->id, 0, c->org_id};
    return 0;
}

/* The organisation a new course belongs to: `code` (else the scope's own),
 * inside the scope's subtree; 422 on "org" otherwise. */
static int course_org(const scope_t *sc, db_t *db, const char *code, org_t *org, err_t *e)
{
    int rc = org_visible(sc, db, code ? code : sc->org_code, org);
    if (rc < 0) return rc;
    if (rc || !scope_covers(sc, org->path))
        return err_set(e, 422, "unknown_org", "org", "No such organisation in your area.");
    return 0;
}

/* Checks a course's fields; 0 or -422 naming the first one wrong. */
static int course_check(const crs_course_input_t *in, err_t *e)
{
    if (!in->title || !*in->title) return err_set(e, 422, "required", "title", "This field is required.");
    if (!crs_kind_valid(in->kind)) return err_set(e, 422, "invalid", "kind", "Choose one of the listed values.");
    if (!crs_audience_valid(in->audience))
        return err_set(e, 422, "invalid", "audience", "Choose one of the listed values.");
    if (in->target_level && !crs_level_valid(in->target_level))
        return err_set(e, 422, "invalid", "target_level", "A level is pre-A1, A1, A2, B1, B2, C1 or C2.");
    if (in->hours < 1 || in->hours > 2000)
        return err_set(e, 422, "invalid", "hours", "Give a whole number in the allowed range.");
    if (in->capacity < 1 || in->capacity > 500)
        return err_set(e, 422, "invalid", "capacity", "Give a whole number in the allowed range.");
    if (in->min_attendance_pct < 0 || in->min_attendance_pct > 100)
        return err_set(e, 422, "invalid", "min_attendance_pct", "Give a whole number in the allowed range.");
    if (!date_valid(in->start_date))
        return err_set(e, 422, "invalid", "start_date", "Give a date as YYYY-MM-DD.");
    if (!date_valid(in->end_date)) return err_set(e, 422, "invalid", "end_date", "Give a date as YYYY-MM-DD.");
    if (strcmp(in->end_date, in->start_date) < 0)
        return err_set(e, 422, "invalid", "end_date", "The end comes before the start.");
    return 0;
}

/* C1a: checks the teachers `ids` (n) of course `c` and writes them, the
 * creating teacher `self` (0: none) among them. */
static int teachers_write(const scope_t *sc, db_t *db, const crs_course_t *c, const int64_t *ids, size_t n,
                          int64_t self, err_t *e)
{
    int64_t all[CRS_MAX_TEACHERS + 1];
    size_t k = 0;
    if (n > CRS_MAX_TEACHERS) return err_set(e, 422, "too_many", "teachers", "At most 20 teachers a course.");
    if (self > 0) all[k++] = self;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < k; j++) seen = seen || all[j] == ids[i];
        if (seen) continue;
        int rc = crs_store_teacher_eligible(sc, db, c, ids[i]);
        if (rc < 0) return rc;
        if (rc) return err_set(e, 422, "unknown_teacher", "teachers", "No such teacher account for this organisation.");
        all[k++] = ids[i];
    }
    return crs_store_teachers_set(sc, db, c, all, k, db_now());
}

int crs_course_create(const scope_t *sc, db_t *db, const crs_course_input_t *in, crs_ref_t *ref, err_t *e)
{
    org_t org;
    crs_course_t c;
    int64_t id = 0;
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    if (rc || (rc = course_check(in, e)) || (rc = course_org(sc, db, in->org, &org, e)) ||
        (rc = crs_store_course_insert(sc, db, &org, in, db_now(), &id)) || (rc = crs_store_course_get(sc, db, id, &c)))
        return rc < 0 ? rc : DB_ERR;
    if ((in->nteachers || sc->role == ROLE_TEACHER) &&
        (rc = teachers_write(sc, db, &c, in->teachers, in->nteachers, sc->role == ROLE_TEACHER ? sc->user_id : 0, e)))
        return rc;
    *ref = (crs_ref_t){id, 0, org.id};
    return 0;
}

int crs_course_teachers(const scope_t *sc, db_t *db, int64_t id, const int64_t *user_ids, size_t n, crs_ref_t *ref,
                        err_t *e)
{
    crs_course_t c;
    int rc = scope_require(sc, CAP_COURSE_ASSIGN, e);
    if (rc || (rc = crs_managed_course(sc, db, id, &c, ref, e))) return rc;
    return teachers_write(sc, db, &c, user_ids, n, 0, e);
}

int crs_course_teacher_candidates(const scope_t *sc, db_t *db, int64_t id, json_t *items, err_t *e)
{
    crs_course_t c;
    crs_ref_t ref;
    int rc = crs_managed_course(sc, db, id, &c, &ref, e);
    return rc ? rc : crs_store_teacher_candidates(sc, db, &c, items);
}

int crs_course_list(const scope_t *sc, db_t *db, const crs_course_filter_t *f, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_READ, e);
    if (rc) return rc;
    if (f->kind && !crs_kind_valid(f->kind)) return err_set(e, 422, "invalid", "kind", "Choose one of the listed values.");
    if (f->audience && !crs_audience_valid(f->audience))
        return err_set(e, 422, "invalid", "audience", "Choose one of the listed values.");
    return crs_store_course_list(sc, db, f, items);
}

int crs_course_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, crs_ref_t *ref, err_t *e)
{
    crs_course_t c;
    int rc = scope_require(sc, CAP_COURSE_READ, e);
    if (rc || (rc = crs_store_course_get(sc, db, id, &c)) || (rc = crs_store_course_json(db, &c, out))) return rc;
    *ref = (crs_ref_t){c.id, 0, c.org_id};
    json_t *teachers = json_array();
    json_object_set_new(*out, "teachers", teachers);
    if ((rc = crs_store_teachers_json(db, &c, teachers))) return rc;
    bool manages = scope_can(sc, CAP_COURSE_MANAGE) && (rc = crs_store_course_managed(sc, db, id, &c)) == 0;
    if (rc < 0) return rc;
    json_object_set_new(*out, "can_manage", json_boolean(manages));
    json_object_set_new(*out, "can_assign", json_boolean(manages && scope_can(sc, CAP_COURSE_ASSIGN)));
    if (!manages) return 0;
    json_t *sessions = json_array();
    json_object_set_new(*out, "sessions", sessions);
    return crs_store_sessions_json(db, &c, sessions);
}

/* ---- sessions -------------------------------------------------------------------- */

/* Checks a session's date (inside the course), start and length. */
static int session_check(const crs_course_t *c, const char *date, int start_min, int64_t minutes, err_t *e)
{
    if (!date_valid(date)) return err_set(e, 422, "invalid", "date", "Give a date as YYYY-MM-DD.");
    if (strcmp(date, c->start_date) < 0 || strcmp(date, c->end_date) > 0)
        return err_set(e, 422, "outside_course", "date", "The date is outside the course's dates.");
    if (start_min < 0) return err_set(e, 422, "invalid", "start", "Give a time as HH:MM.");
    if (minutes < 1 || minutes > 720)
        return err_set(e, 422, "invalid", "minutes", "Give a whole number in the allowed range.");
    return 0;
}

int crs_session_add(const scope_t *sc, db_t *db, int64_t course_id, const crs_session_input_t *in, crs_ref_t *ref,
                    err_t *e)
{
    crs_course_t c;
    int64_t id = 0;
    int rc = crs_managed_course(sc, db, course_id, &c, ref, e);
    int start = crs_hhmm(in->start);
    if (rc || (rc = session_check(&c, in->date, start, in->minutes, e)) ||
        (rc = crs_store_session_insert(db, &c, in->date, start, in->minutes, db_now(), &id)))
        return rc;
    ref->id = id;
    return 0;
}

/* "YYYY-MM-DD" of a day number. */
static void day_text(int64_t days, char out[11])
{
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* Days since 1970 of a valid date. */
static int64_t text_day(const char *date)
{
    int y, m, d;
    date_parse(date, &y, &m, &d);
    return civil_to_days(y, m, d);
}

/* The holiday dates between `from` and `to` a pattern's weekdays fall on, into `skipped`. */
static void skipped_dates(int64_t from, int64_t to, unsigned mask, json_t *skipped)
{
    size_t n;
    const int64_t *h = crs_holidays(&n);
    for (size_t i = 0; i < n; i++) {
        if (h[i] < from || h[i] > to || !(mask & (1u << date_weekday(h[i])))) continue;
        char t[11];
        day_text(h[i], t);
        json_array_append_new(skipped, json_string(t));
    }
}

int crs_session_pattern(const scope_t *sc, db_t *db, int64_t course_id, const crs_pattern_t *p, json_t *ids,
                        json_t *skipped, crs_ref_t *ref, err_t *e)
{
    crs_course_t c;
    int rc = crs_managed_course(sc, db, course_id, &c, ref, e);
    int start = crs_hhmm(p->start);
    if (rc || (rc = session_check(&c, p->from, start, p->minutes, e))) return rc;
    if (!date_valid(p->to) || strcmp(p->to, p->from) < 0 || strcmp(p->to, c.end_date) > 0)
        return err_set(e, 422, "invalid", "to", "The end must be a date inside the course, after the start.");
    if (!p->days_mask) return err_set(e, 422, "required", "days", "Choose at least one day of the week.");
    size_t nh, nskipped;
    const int64_t *holidays = crs_holidays(&nh);
    int64_t days[CRS_MAX_PATTERN], from = text_day(p->from), to = text_day(p->to);
    int n = crs_weekly_days(from, to, p->days_mask, holidays, nh, days, CRS_MAX_PATTERN, &nskipped);
    if (n < 0) return err_set(e, 422, "too_many", "to", "That makes too many sessions at once (at most 200).");
    if (n == 0) return err_set(e, 422, "empty", "days", "No session falls on those days.");
    int64_t now = db_now();
    for (int i = 0; i < n; i++) {
        char date[11];
        int64_t id;
        day_text(days[i], date);
        if ((rc = crs_store_session_insert(db, &c, date, start, p->minutes, now, &id))) return rc;
        json_array_append_new(ids, json_integer(id));
    }
    skipped_dates(from, to, p->days_mask, skipped);
    return 0;
}

int crs_managed_session(const scope_t *sc, db_t *db, int64_t id, crs_session_t *s, crs_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    if (rc || (rc = crs_store_session_get(sc, db, id, s))) return rc;
    *ref = (crs_ref_t){s->id, 0, s->course.org_id};
    return 0;
}

int crs_session_update(const scope_t *sc, db_t *db, int64_t id, const crs_session_input_t *in, crs_ref_t *ref,
                       err_t *e)
{
    crs_session_t s;
    int rc = crs_managed_session(sc, db, id, &s, ref, e);
    if (rc) return rc;
    const char *date = in->date ? in->date : s.date, *status = in->status ? in->status : s.status;
    int start = in->start ? crs_hhmm(in->start) : (int)s.start_min;
    int64_t minutes = in->minutes >= 0 ? in->minutes : s.minutes;
    if (strcmp(status, "scheduled") != 0 && strcmp(status, "cancelled") != 0)
        return err_set(e, 422, "invalid", "status", "Choose one of the listed values.");
    if ((rc = session_check(&s.course, date, start, minutes, e))) return rc;
    return crs_store_session_update(db, &s, date, start, minutes, status, db_now());
}

int crs_session_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, crs_ref_t *ref, err_t *e)
{
    crs_session_t s;
    int rc = crs_managed_session(sc, db, id, &s, ref, e);
    if (rc) return rc;
    char start[8];
    snprintf(start, sizeof start, "%02d:%02d", (int)(s.start_min / 60), (int)(s.start_min % 60));
    json_t *learners = json_array();
    *out = json_pack("{s:{s:I,s:s,s:s,s:I,s:s},s:{s:I,s:s,s:s},s:o}", "session", "id", (json_int_t)s.id, "date",
                     s.date, "start", start, "minutes", (json_int_t)s.minutes, "status", s.status, "course", "id",
                     (json_int_t)s.course.id, "title", s.course.title, "org_name", s.course.org_name, "learners",
                     learners);
    return crs_store_session_marks(db, &s, learners);
}

/* web.c — the JSON API of courses under /api/v1/courses, /api/v1/sessions
 * and /api/v1/enrolments (CONTRACT.md "Courses"): parses input, calls the
 * operations of courses.h, audits, answers; never SQL, never a rule of its
 * own. Register and certificate files are in export.c, the pages in pages.c.
 *
 * Audit (courses.h): every read of personal data (enrolments, registers,
 * certificates) writes one entry under the course's organisation; writes
 * are R_WRITE routes, so their entry is in the same transaction. */
#include "web.h"
#include "app/server.h"
#include "core/date.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int crsweb_audit(http_req_t *req, const char *action, const char *kind, const crs_ref_t *ref, const char *detail)
{
    return web_audit_id(req, action, kind, ref->id, ref->person_id, ref->org_id, detail);
}

/* Answers `v` (taken) after the audit's result `rc`; frees it on a failure. */
static int answer_audited(http_req_t *req, http_res_t *res, int status, json_t *v, int rc)
{
    if (rc) {
        json_decref(v);
        return rc;
    }
    return web_json(req, res, status, v);
}

int crsweb_fail(http_req_t *req, int rc, json_t *v)
{
    json_decref(v);
    return web_store_fail(req, rc);
}

/* ---- courses ----------------------------------------------------------------------- */

/* "teachers": a list of up to CRS_MAX_TEACHERS user ids into ids / *n;
 * *given false when absent. 0 or -422. */
static int teachers_input(json_t *body, int64_t *ids, size_t *n, bool *given, err_t *e)
{
    json_t *list = json_object_get(body, "teachers"), *t;
    size_t i;
    *n = 0;
    *given = list != NULL;
    if (!list) return 0;
    if (!json_is_array(list) || json_array_size(list) > CRS_MAX_TEACHERS)
        return err_set(e, 422, "invalid", "teachers", "Teachers are a list of up to 20 account ids.");
    json_array_foreach(list, i, t) {
        if (!json_is_integer(t) || json_integer_value(t) <= 0)
            return err_set(e, 422, "invalid", "teachers", "Teachers are a list of up to 20 account ids.");
        ids[(*n)++] = json_integer_value(t);
    }
    return 0;
}

static int course_input(json_t *body, crs_course_input_t *in, int64_t *teachers, err_t *e)
{
    static const char *const allowed[] = {"title", "kind", "org", "audience", "target_level", "hours", "capacity",
                                          "min_attendance_pct", "start_date", "end_date", "place", "childcare",
                                          "evening", "online", "teachers", NULL};
    memset(in, 0, sizeof *in);
    int rc;
    bool present, present_t;
    if ((rc = jin_only(body, allowed, e)) || (rc = jin_str(body, "title", true, CRS_TITLE_MAX, &in->title, e)) ||
        (rc = jin_str(body, "kind", true, 32, &in->kind, e)) || (rc = jin_str(body, "org", false, 64, &in->org, e)) ||
        (rc = jin_str(body, "audience", true, 32, &in->audience, e)) ||
        (rc = jin_str(body, "target_level", false, 8, &in->target_level, e)) ||
        (rc = jin_int(body, "hours", true, 1, 2000, &in->hours, NULL, e)) ||
        (rc = jin_int(body, "capacity", true, 1, 500, &in->capacity, NULL, e)) ||
        (rc = jin_int(body, "min_attendance_pct", false, 0, 100, &in->min_attendance_pct, &present, e)) ||
        (rc = jin_str(body, "start_date", true, 10, &in->start_date, e)) ||
        (rc = jin_str(body, "end_date", true, 10, &in->end_date, e)) ||
        (rc = jin_str(body, "place", false, CRS_TEXT_MAX, &in->place, e)) ||
        (rc = jin_bool(body, "childcare", false, &in->childcare, NULL, e)) ||
        (rc = jin_bool(body, "evening", false, &in->evening, NULL, e)) ||
        (rc = jin_bool(body, "online", false, &in->online, NULL, e)) ||
        (rc = teachers_input(body, teachers, &in->nteachers, &present_t, e)))
        return rc;
    if (!present) in->min_attendance_pct = 80;
    in->teachers = teachers;
    return 0;
}

/* Answers course `id` as the caller sees it. */
static int course_answer(http_req_t *req, http_res_t *res, int status, int64_t id)
{
    web_t *w = web(req);
    json_t *o = NULL;
    crs_ref_t ref;
    int rc = crs_course_read(&w->scope, w->db, id, &o, &ref, &w->err);
    if (rc) return crsweb_fail(req, rc, o);
    return web_json(req, res, status, o);
}

static int post_courses(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc;
    json_t *body = web_body_as(req, CAP_COURSE_MANAGE, &rc);
    if (!body) return rc;
    crs_course_input_t in;
    int64_t teachers[CRS_MAX_TEACHERS];
    crs_ref_t ref = {0, 0, 0};
    rc = course_input(body, &in, teachers, &w->err);
    if (!rc) rc = crs_course_create(&w->scope, w->db, &in, &ref, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = crsweb_audit(req, "course.create", "course", &ref, NULL))) return rc;
    return course_answer(req, res, 201, ref.id);
}

/* ?name= as -1 (absent), 0 or 1; -422 on another value. */
static int query_flag(http_req_t *req, const char *name, int *out)
{
    const char *v = http_query(req, name);
    *out = !v ? -1 : strcmp(v, "true") == 0 || strcmp(v, "1") == 0 ? 1 : strcmp(v, "false") == 0 || strcmp(v, "0") == 0 ? 0 : -2;
    return *out == -2 ? web_fail(req, 422, "invalid", name, "Give true or false.") : 0;
}

/* A page of the visible courses with the query's filters. */
static int load_courses(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    web_t *w = web(req);
    crs_course_filter_t f = {http_query(req, "kind"), http_query(req, "audience"), http_query(req, "org"), -1, -1, -1,
                             cursor, limit, false};
    int rc;
    if ((rc = query_flag(req, "childcare", &f.childcare)) || (rc = query_flag(req, "evening", &f.evening)) ||
        (rc = query_flag(req, "online", &f.online)))
        return rc;
    rc = crs_course_list(&w->scope, w->db, &f, items, &w->err);
    return rc ? web_store_fail(req, rc) : 0;
}

static int get_courses(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_COURSE_READ, 50, 200, load_courses);
}
static const resource_t res_courses = {"/api/v1/courses", .get = get_courses, .post = post_courses};

/* Changes a course's teachers (C1a): {"teachers": [user ids]}. */
static int patch_course(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"teachers", NULL};
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    int64_t teachers[CRS_MAX_TEACHERS];
    size_t n = 0;
    bool given = false;
    crs_ref_t ref = {0, 0, 0};
    int rc = jin_only(body, allowed, &w->err);
    if (!rc) rc = teachers_input(body, teachers, &n, &given, &w->err);
    if (!rc && !given) rc = err_set(&w->err, 422, "required", "teachers", "This field is required.");
    if (!rc) rc = crs_course_teachers(&w->scope, w->db, web_param_id(req, "id"), teachers, n, &ref, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = crsweb_audit(req, "course.teachers", "course", &ref, NULL))) return rc;
    return course_answer(req, res, 200, ref.id);
}

static int get_course(http_req_t *req, http_res_t *res)
{
    int64_t id = web_param_id(req, "id");
    return id ? course_answer(req, res, 200, id) : web_not_found(req);
}
static const resource_t res_courses_id = {"/api/v1/courses/{id}", .get = get_course, .patch = patch_course};

static int get_summary(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *o = NULL;
    int rc = crs_region_summary(&w->scope, w->db, &o, &w->err);
    return rc ? crsweb_fail(req, rc, o) : web_json(req, res, 200, o);
}
static const resource_t res_courses_summary = {"/api/v1/courses/summary", .get = get_summary};

/* A person's courses for the help desk (C12), audited as a read of the person. */
static int get_person_courses(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *o = NULL;
    crs_ref_t ref = {0, 0, 0};
    char today[11];
    date_today(today, 0);
    int rc = crs_person_courses(&w->scope, w->db, web_param_id(req, "id"), today, &o, &ref, &w->err);
    if (rc) return crsweb_fail(req, rc, o);
    return answer_audited(req, res, 200, o, crsweb_audit(req, "course.person.read", "person", &ref, NULL));
}
static const resource_t res_persons_id_courses = {"/api/v1/persons/{id}/courses", .get = get_person_courses};

/* ---- sessions -------------------------------------------------------------------------- */

/* The weekly days of a pattern ([1..7], 1 Monday) as a bit mask. */
static int days_input(json_t *body, unsigned *mask, err_t *e)
{
    json_t *days = json_object_get(body, "days"), *d;
    size_t i;
    *mask = 0;
    if (!json_is_array(days) || json_array_size(days) == 0 || json_array_size(days) > 7)
        return err_set(e, 422, "invalid", "days", "Days are a list of weekdays, 1 (Monday) to 7 (Sunday).");
    json_array_foreach(days, i, d) {
        json_int_t v = json_integer_value(d);
        if (!json_is_integer(d) || v < 1 || v > 7)
            return err_set(e, 422, "invalid", "days", "Days are a list of weekdays, 1 (Monday) to 7 (Sunday).");
        *mask |= 1u << v;
    }
    return 0;
}

/* A weekly pattern: 201 {"ids", "count", "skipped"}. */
static int post_pattern(http_req_t *req, http_res_t *res, json_t *body, int64_t course_id)
{
    static const char *const allowed[] = {"days", "start", "minutes", "from", "to", NULL};
    web_t *w = web(req);
    crs_pattern_t p = {0, NULL, NULL, NULL, 0};
    crs_ref_t ref = {0, 0, 0};
    json_t *ids = json_array(), *skipped = json_array();
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = days_input(body, &p.days_mask, &w->err)) &&
        !(rc = jin_str(body, "start", true, 5, &p.start, &w->err)) &&
        !(rc = jin_int(body, "minutes", true, 1, 720, &p.minutes, NULL, &w->err)) &&
        !(rc = jin_str(body, "from", true, 10, &p.from, &w->err)) && !(rc = jin_str(body, "to", true, 10, &p.to, &w->err)))
        rc = crs_session_pattern(&w->scope, w->db, course_id, &p, ids, skipped, &ref, &w->err);
    if (rc || (rc = crsweb_audit(req, "course.sessions.create", "course", &ref, NULL))) {
        json_decref(skipped);
        return crsweb_fail(req, rc, ids);
    }
    return web_json(req, res, 201, json_pack("{s:I,s:o,s:o}", "count", (json_int_t)json_array_size(ids), "ids", ids,
                                             "skipped", skipped));
}

static int post_sessions(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"date", "start", "minutes", NULL};
    web_t *w = web(req);
    int64_t course_id = web_param_id(req, "id");
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    if (json_object_get(body, "days")) {
        int rc = post_pattern(req, res, body, course_id);
        json_decref(body);
        return rc;
    }
    crs_session_input_t in = {NULL, NULL, NULL, 0};
    crs_ref_t ref = {0, 0, 0};
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "date", true, 10, &in.date, &w->err)) &&
        !(rc = jin_str(body, "start", true, 5, &in.start, &w->err)) &&
        !(rc = jin_int(body, "minutes", true, 1, 720, &in.minutes, NULL, &w->err)))
        rc = crs_session_add(&w->scope, w->db, course_id, &in, &ref, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = crsweb_audit(req, "course.session.create", "course_session", &ref, NULL))) return rc;
    return web_json(req, res, 201, json_pack("{s:I}", "id", (json_int_t)ref.id));
}
static const resource_t res_courses_id_sessions = {"/api/v1/courses/{id}/sessions", .post = post_sessions};

/* Answers session `id` with its learners and marks, audited as a register read. */
static int session_answer(http_req_t *req, http_res_t *res, int64_t id)
{
    web_t *w = web(req);
    json_t *o = NULL;
    crs_ref_t ref = {0, 0, 0};
    int rc = crs_session_read(&w->scope, w->db, id, &o, &ref, &w->err);
    if (rc) return crsweb_fail(req, rc, o);
    return answer_audited(req, res, 200, o, crsweb_audit(req, "course.session.read", "course_session", &ref, NULL));
}

static int get_session(http_req_t *req, http_res_t *res)
{
    return session_answer(req, res, web_param_id(req, "id"));
}

static int patch_session(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"date", "start", "minutes", "status", NULL};
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    crs_session_input_t in = {NULL, NULL, NULL, -1};
    crs_ref_t ref = {0, 0, 0};
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "date", false, 10, &in.date, &w->err)) &&
        !(rc = jin_str(body, "start", false, 5, &in.start, &w->err)) &&
        !(rc = jin_str(body, "status", false, 16, &in.status, &w->err)) &&
        !(rc = jin_int(body, "minutes", false, 1, 720, &in.minutes, NULL, &w->err)))
        rc = crs_session_update(&w->scope, w->db, web_param_id(req, "id"), &in, &ref, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = crsweb_audit(req, "course.session.update", "course_session", &ref, NULL))) return rc;
    return session_answer(req, res, ref.id);
}
static const resource_t res_sessions_id = {"/api/v1/sessions/{id}", .get = get_session, .patch = patch_session};

static int put_attendance(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"marks", NULL};
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    crs_ref_t ref = {0, 0, 0};
    int rc = jin_only(body, allowed, &w->err);
    if (!rc) rc = crs_attendance_put(&w->scope, w->db, web_param_id(req, "id"), json_object_get(body, "marks"), &ref, &w->err);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu marks", json_array_size(json_object_get(body, "marks")));
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = crsweb_audit(req, "course.attendance.set", "course_session", &ref, detail))) return rc;
    return session_answer(req, res, ref.id);
}
static const resource_t res_sessions_id_attendance = {"/api/v1/sessions/{id}/attendance", .put = put_attendance};

/* ---- enrolments ------------------------------------------------------------------------- */

/* Answers enrolment `id`, audited as a read. */
static int enrolment_answer(http_req_t *req, http_res_t *res, int status, int64_t id, json_t *extra)
{
    web_t *w = web(req);
    json_t *o = NULL;
    crs_ref_t ref = {0, 0, 0};
    int rc = crs_enrolment_read(&w->scope, w->db, id, &o, &ref, &w->err);
    if (rc) {
        json_decref(extra);
        return crsweb_fail(req, rc, o);
    }
    if (extra) json_object_update(o, extra);
    json_decref(extra);
    return answer_audited(req, res, status, o, crsweb_audit(req, "course.enrolment.read", "course_enrolment", &ref, NULL));
}

static int get_enrolment(http_req_t *req, http_res_t *res)
{
    return enrolment_answer(req, res, 200, web_param_id(req, "id"), NULL);
}

static int post_enrolments(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"person_id",     "person",         "allow_duplicate", "entry_level",
                                          "project_id",    "school_class",   "guardian_name",   "guardian_phone",
                                          "guardian_consent", NULL};
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    crs_enrol_input_t in = {0};
    crs_ref_t ref = {0, 0, 0};
    const char *status = NULL;
    int64_t new_person = 0;
    json_t *person = json_object_get(body, "person");
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) &&
        !(rc = jin_int(body, "person_id", false, 1, INT64_MAX, &in.person_id, NULL, &w->err)) &&
        !(rc = jin_int(body, "project_id", false, 1, INT64_MAX, &in.project_id, NULL, &w->err)) &&
        !(rc = jin_bool(body, "allow_duplicate", false, &in.allow_duplicate, NULL, &w->err)) &&
        !(rc = jin_str(body, "entry_level", false, 8, &in.entry_level, &w->err)) &&
        !(rc = jin_str(body, "school_class", false, 20, &in.school_class, &w->err)) &&
        !(rc = jin_str(body, "guardian_name", false, 200, &in.guardian_name, &w->err)) &&
        !(rc = jin_str(body, "guardian_phone", false, 40, &in.guardian_phone, &w->err)) &&
        !(rc = jin_bool(body, "guardian_consent", false, &in.guardian_consent, NULL, &w->err))) {
        if (person && !json_is_object(person)) rc = web_fail(req, 422, "invalid", "person", "Give the person's details.");
        else if (person && in.person_id) rc = web_fail(req, 422, "invalid", "person", "Give person_id or a new person, not both.");
        else {
            in.person = person;
            rc = crs_enrol(&w->scope, w->db, web_param_id(req, "id"), &in, &ref, &status, &new_person, &w->err);
        }
    }
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if (new_person) {
        crs_ref_t pref = {new_person, new_person, ref.org_id};
        if ((rc = crsweb_audit(req, "person.create", "person", &pref, "courses"))) return rc;
    }
    if ((rc = crsweb_audit(req, "course.enrol", "course_enrolment", &ref, status))) return rc;
    return enrolment_answer(req, res, 201, ref.id, NULL);
}

static int get_enrolments(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    crs_ref_t ref = {0, 0, 0};
    json_t *items = json_array();
    int rc = crs_enrolment_list(&w->scope, w->db, web_param_id(req, "id"), items, &ref, &w->err);
    if (rc) return crsweb_fail(req, rc, items);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", json_array_size(items));
    if ((rc = crsweb_audit(req, "course.enrolment.list", "course", &ref, detail))) return crsweb_fail(req, rc, items);
    return web_list(req, res, items, json_null());
}
static const resource_t res_courses_id_enrolments = {"/api/v1/courses/{id}/enrolments", .get = get_enrolments, .post = post_enrolments};

static int patch_enrolment(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"entry_level", "exit_level", NULL};
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    const char *entry = NULL, *exit_level = NULL;
    crs_ref_t ref = {0, 0, 0};
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "entry_level", false, 8, &entry, &w->err)) &&
        !(rc = jin_str(body, "exit_level", false, 8, &exit_level, &w->err)))
        rc = crs_enrolment_levels(&w->scope, w->db, web_param_id(req, "id"), entry, exit_level, &ref, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = crsweb_audit(req, "course.enrolment.update", "course_enrolment", &ref, "levels"))) return rc;
    return enrolment_answer(req, res, 200, ref.id, NULL);
}
static const resource_t res_enrolments_id = {"/api/v1/enrolments/{id}", .get = get_enrolment, .patch = patch_enrolment};

static int post_withdraw(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"reason", NULL};
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    const char *reason = NULL;
    crs_ref_t ref = {0, 0, 0};
    int64_t promoted = 0;
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) && !(rc = jin_str(body, "reason", true, CRS_TEXT_MAX, &reason, &w->err)))
        rc = crs_withdraw(&w->scope, w->db, web_param_id(req, "id"), reason, &ref, &promoted, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = crsweb_audit(req, "course.withdraw", "course_enrolment", &ref, NULL))) return rc;
    return enrolment_answer(req, res, 200, ref.id,
                            json_pack("{s:o}", "promoted_enrolment_id", promoted ? json_integer(promoted) : json_null()));
}
static const resource_t res_enrolments_id_withdraw = {"/api/v1/enrolments/{id}/withdraw", .post = post_withdraw};

static int get_certificate(http_req_t *req, http_res_t *res)
{
    return crsweb_certificate(req, res, web_param_id(req, "id"));
}
static const resource_t res_enrolments_id_certificate_pdf = {"/api/v1/enrolments/{id}/certificate.pdf", .get = get_certificate, .flags = R_WRITE};

static int get_register(http_req_t *req, http_res_t *res)
{
    const char *format = http_query(req, "format");
    return crsweb_register_file(req, res, web_param_id(req, "id"), format ? format : "csv");
}
static const resource_t res_courses_id_register = {"/api/v1/courses/{id}/register", .get = get_register};

/* ---- school support and the watch list ------------------------------------------- */

static int post_support(http_req_t *req, http_res_t *res)
{
    static const char *const allowed[] = {"person_id", "org", "kind", "date", "minutes", "attended", "notes", NULL};
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    crs_support_input_t in = {0, 0, NULL, NULL, NULL, NULL, true};
    crs_ref_t ref = {0, 0, 0};
    bool present = false;
    int rc;
    if (!(rc = jin_only(body, allowed, &w->err)) &&
        !(rc = jin_int(body, "person_id", true, 1, INT64_MAX, &in.person_id, NULL, &w->err)) &&
        !(rc = jin_str(body, "org", false, 64, &in.org, &w->err)) && !(rc = jin_str(body, "kind", true, 32, &in.kind, &w->err)) &&
        !(rc = jin_str(body, "date", true, 10, &in.date, &w->err)) &&
        !(rc = jin_int(body, "minutes", true, 1, 720, &in.minutes, NULL, &w->err)) &&
        !(rc = jin_bool(body, "attended", false, &in.attended, &present, &w->err)) &&
        !(rc = jin_str(body, "notes", false, CRS_TEXT_MAX, &in.notes, &w->err))) {
        if (!present) in.attended = true;
        rc = crs_support_create(&w->scope, w->db, &in, &ref, &w->err);
    }
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = crsweb_audit(req, "school_support.create", "school_support", &ref, NULL))) return rc;
    return web_json(req, res, 201, json_pack("{s:I}", "id", (json_int_t)ref.id));
}

/* Answers a list read of the scope (`items`, taken, after `rc`), audited as one `action`. */
static int scope_list_answer(http_req_t *req, http_res_t *res, int rc, json_t *items, const char *action)
{
    if (rc) return crsweb_fail(req, rc, items);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", json_array_size(items));
    if ((rc = web_audit(req, action, "school_support", NULL, 0, web(req)->scope.org_id, detail))) return crsweb_fail(req, rc, items);
    return web_list(req, res, items, json_null());
}

/* ?person_id= as a positive id (0 absent); -422 on another value. */
static int query_person(http_req_t *req, int64_t *pid)
{
    const char *q = http_query(req, "person_id");
    char *end = NULL;
    long long v = q ? strtoll(q, &end, 10) : 0;
    *pid = v;
    if (q && (*end || v <= 0)) return web_fail(req, 422, "invalid", "person_id", "Give a whole number in the allowed range.");
    return 0;
}

/* A page of the scope's support records (one pupil's with ?person_id=), audited. */
static int load_support(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    web_t *w = web(req);
    int64_t pid = 0;
    int rc = query_person(req, &pid);
    if (rc || (rc = crs_support_list(&w->scope, w->db, pid, cursor, limit, items, &w->err))) return rc ? web_store_fail(req, rc) : 0;
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", json_array_size(items));
    return web_audit(req, "school_support.list", "school_support", NULL, pid, w->scope.org_id, detail);
}

static int get_support(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_COURSE_MANAGE, 100, 500, load_support);
}
static const resource_t res_school_support = {"/api/v1/school-support", .get = get_support, .post = post_support};

static int get_watch(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    int rc = crs_watch_list(&w->scope, w->db, items, &w->err);
    return scope_list_answer(req, res, rc, items, "school_support.watch");
}
static const resource_t res_school_support_watch = {"/api/v1/school-support/watch", .get = get_watch};

/* ---- mediators' internships --------------------------------------------------------- */

static int internship_input(json_t *body, bool create, crs_internship_input_t *in, err_t *e)
{
    static const char *const allowed[] = {"mediator_id", "host_org", "tutor", "hours_required", "hours_done",
                                          "evaluation", NULL};
    static const char *const allowed_change[] = {"tutor", "hours_done", "evaluation", NULL};
    bool present = false;
    *in = (crs_internship_input_t){0, -1, -1, NULL, NULL, NULL};
    int rc;
    if ((rc = jin_only(body, create ? allowed : allowed_change, e)) ||
        (create && (rc = jin_int(body, "mediator_id", true, 1, INT64_MAX, &in->mediator_id, NULL, e))) ||
        (create && (rc = jin_str(body, "host_org", true, 64, &in->host_org, e))) ||
        (create && (rc = jin_int(body, "hours_required", true, 1, 2000, &in->hours_required, NULL, e))) ||
        (rc = jin_str(body, "tutor", create, CRS_TITLE_MAX, &in->tutor, e)) ||
        (rc = jin_int(body, "hours_done", false, 0, 2000, &in->hours_done, &present, e)) ||
        (rc = jin_str(body, "evaluation", false, CRS_TEXT_MAX * 4, &in->evaluation, e)))
        return rc;
    if (!present) in->hours_done = -1;
    return 0;
}

/* Answers internship `id` (no personal data of a learner: a mediator's training record). */
static int internship_answer(http_req_t *req, http_res_t *res, int status, int64_t id)
{
    web_t *w = web(req);
    json_t *o = NULL;
    crs_ref_t ref = {0, 0, 0};
    int rc = crs_internship_read(&w->scope, w->db, id, &o, &ref, &w->err);
    if (rc) return crsweb_fail(req, rc, o);
    return answer_audited(req, res, status, o, crsweb_audit(req, "internship.read", "course_internship", &ref, NULL));
}

/* Runs an internship write of `kind` (create, update) on the body. */
static int internship_write(http_req_t *req, http_res_t *res, bool create)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    crs_internship_input_t in;
    crs_ref_t ref = {0, 0, 0};
    int rc = internship_input(body, create, &in, &w->err);
    if (!rc) rc = create ? crs_internship_create(&w->scope, w->db, &in, &ref, &w->err)
                         : crs_internship_update(&w->scope, w->db, web_param_id(req, "id"), &in, &ref, &w->err);
    json_decref(body);
    if (rc) return web_store_fail(req, rc);
    if ((rc = crsweb_audit(req, create ? "internship.create" : "internship.update", "course_internship", &ref, NULL)))
        return rc;
    return internship_answer(req, res, create ? 201 : 200, ref.id);
}

static int post_internships(http_req_t *req, http_res_t *res)
{
    return internship_write(req, res, true);
}

static int patch_internship(http_req_t *req, http_res_t *res)
{
    return internship_write(req, res, false);
}

static int get_internship(http_req_t *req, http_res_t *res)
{
    return internship_answer(req, res, 200, web_param_id(req, "id"));
}
static const resource_t res_internships_id = {"/api/v1/internships/{id}", .get = get_internship, .patch = patch_internship};

/* A page of the scope's internships (mediators' training records). */
static int load_internships(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    web_t *w = web(req);
    int rc = crs_internship_list(&w->scope, w->db, cursor, limit, items, &w->err);
    return rc ? web_store_fail(req, rc) : 0;
}

static int get_internships(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_COURSE_MANAGE, 50, 200, load_internships);
}
static const resource_t res_internships = {"/api/v1/internships", .get = get_internships, .post = post_internships};

static int post_internship_complete(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    crs_ref_t ref = {0, 0, 0};
    int64_t mediator_id = 0;
    int rc = crs_internship_complete(&w->scope, w->db, web_param_id(req, "id"), &ref, &mediator_id, &w->err);
    if (rc) return web_store_fail(req, rc);
    crs_ref_t mref = {mediator_id, 0, ref.org_id};
    if ((rc = crsweb_audit(req, "internship.complete", "course_internship", &ref, NULL)) ||
        (rc = crsweb_audit(req, "mediator.update", "mediator", &mref, "training")))
        return rc;
    return internship_answer(req, res, 200, ref.id);
}
static const resource_t res_internships_id_complete = {"/api/v1/internships/{id}/complete", .post = post_internship_complete};

static const resource_t *const routes[] = {&res_courses, &res_courses_summary, &res_courses_id,
    &res_persons_id_courses, &res_courses_id_sessions, &res_courses_id_enrolments, &res_courses_id_register,
    &res_sessions_id, &res_sessions_id_attendance, &res_enrolments_id, &res_enrolments_id_withdraw,
    &res_enrolments_id_certificate_pdf, &res_school_support, &res_school_support_watch, &res_internships,
    &res_internships_id, &res_internships_id_complete};

ROUTE_TABLE(crsweb_api_routes, routes)

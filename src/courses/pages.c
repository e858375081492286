/* pages.c — the pages of courses (Bootstrap Italia, server rendered): the
 * teacher's and coordinator's workspace (courses with their fill rate,
 * today's sessions, learners under the minimum), a new course, the course
 * page (sessions, enrolments, waiting list, enrolling a person found by the
 * help desk's search), the phone-first attendance page, and the public
 * verification of a certificate. Forms post back here; a failed form is
 * shown again with its error and the transaction rolled back. Calls only
 * the operations of courses.h (and the help desk's search), and audits every
 * page that shows personal data. */
#include "app/server.h"
#include "core/date.h"
#include "core/json.h"
#include "desk/deskweb.h"
#include "web.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"Italian L2",          "Literacy",           "Italian for work",
                                         "Italian L2 for pupils", "Summer study support", "Civic orientation",
                                         "Job orientation",     "Operators' training", "Mediators' training",
                                         "Experiential training path"};
static const char *const audience_names[] = {"Adults", "Women", "Pupils", "Operators", "Mediators"};
static const char *const mark_codes[] = {"present", "late", "excused", "absent"};
static const char *const watch_codes[] = {"repeated_absences", "falling_attendance", NULL};
static const char *const watch_names[] = {"Repeated absences", "Falling attendance"};
static const char *const mark_names[] = {"Present", "Late", "Excused", "Absent"};

/* The translated name of `code` in `codes` (parallel to `names`), else the code. */
const char *crsweb_label(http_req_t *req, const char *const *codes, const char *const *names, const char *code)
{
    for (size_t i = 0; code && codes[i]; i++)
        if (strcmp(codes[i], code) == 0) return web_tr(req, names[i]);
    return code ? code : "";
}

const char *crsweb_kind_label(http_req_t *req, const char *kind)
{
    return crsweb_label(req, crs_kinds(), kind_names, kind);
}

/* Options [{code, name, selected}] of a code list for a <select>. */
json_t *crsweb_options(http_req_t *req, const char *const *codes, const char *const *names, const char *selected)
{
    json_t *a = json_array();
    for (size_t i = 0; codes[i]; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "code", codes[i], "name",
                                           names ? web_tr(req, names[i]) : codes[i], "selected",
                                           selected && strcmp(selected, codes[i]) == 0));
    return a;
}

/* Adds kind_label, fill (enrolled / capacity in %) to a course object. */
static void label_course(http_req_t *req, json_t *c)
{
    json_object_set_new(c, "kind_label", json_string(crsweb_label(req, crs_kinds(), kind_names, jstr(c, "kind"))));
    json_object_set_new(c, "audience_label",
                        json_string(crsweb_label(req, crs_audiences(), audience_names, jstr(c, "audience"))));
    json_int_t cap = json_integer_value(json_object_get(c, "capacity"));
    json_int_t n = json_integer_value(json_object_get(c, "enrolled"));
    json_object_set_new(c, "fill_pct", json_integer(cap > 0 ? n * 100 / cap : 0));
}

/* Adds pct (rounded text) and a status label to an enrolment object. */
static void label_learner(http_req_t *req, json_t *l)
{
    char pct[16];
    snprintf(pct, sizeof pct, "%.0f", json_number_value(json_object_get(l, "attendance_pct")));
    json_object_set_new(l, "pct", json_string(pct));
}

int crsweb_form_page(http_req_t *req, http_res_t *res, int status, const err_t *shown, const char *notice,
                     const char *tmpl, json_t *vm)
{
    if (status != 200) {
        web(req)->err = *shown;
        web_form_error(req, vm);
    } else if (notice && http_query(req, "done")) {
        json_object_set_new(vm, "notice", json_string(web_tr(req, notice)));
    }
    return web_page(req, res, status, tmpl, vm);
}

/* ---- the workspace ------------------------------------------------------------------- */

static int get_workspace(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    char today[11];
    date_today(today, 0);
    json_t *vm = NULL;
    json_t *watch = json_array();
    int rc = crs_workspace(&w->scope, w->db, today, &vm, &w->err);
    if (!rc) rc = crs_watch_list(&w->scope, w->db, watch, &w->err);
    if (rc) {
        json_decref(watch);
        return crsweb_fail(req, rc, vm);
    }
    size_t i;
    json_t *o;
    json_array_foreach(watch, i, o)
        json_object_set_new(o, "reason_label", json_string(crsweb_label(req, watch_codes, watch_names, jstr(o, "reason"))));
    json_object_set_new(vm, "has_watch", json_boolean(json_array_size(watch) > 0));
    json_object_set_new(vm, "watch", watch);
    json_array_foreach(json_object_get(vm, "courses"), i, o) label_course(req, o);
    json_array_foreach(json_object_get(vm, "warnings"), i, o) label_learner(req, o);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu warnings, %zu watched", json_array_size(json_object_get(vm, "warnings")),
             json_array_size(watch));
    if ((rc = web_audit(req, "course.workspace.read", "course", NULL, 0, w->scope.org_id, detail))) {
        json_decref(vm);
        return rc;
    }
    json_object_set_new(vm, "today_date", json_string(today));
    json_object_set_new(vm, "has_courses", json_boolean(json_array_size(json_object_get(vm, "courses")) > 0));
    json_object_set_new(vm, "has_today", json_boolean(json_array_size(json_object_get(vm, "today")) > 0));
    json_object_set_new(vm, "has_warnings", json_boolean(json_array_size(json_object_get(vm, "warnings")) > 0));
    return web_page(req, res, 200, "courses/workspace", vm);
}
static const resource_t res_courses = {"/courses", .get = get_workspace};

/* ---- a new course ---------------------------------------------------------------------- */

/* The form of a new course with `f` (taken: the values typed, or NULL). */
static int render_course_form(http_req_t *req, http_res_t *res, int status, json_t *f)
{
    json_t *vm = json_pack("{s:o}", "f", f ? f : json_object());
    json_t *ff = json_object_get(vm, "f");
    json_object_set_new(vm, "kinds", crsweb_options(req, crs_kinds(), kind_names, jstr(ff, "kind")));
    json_object_set_new(vm, "audiences", crsweb_options(req, crs_audiences(), audience_names, jstr(ff, "audience")));
    json_object_set_new(vm, "levels", crsweb_options(req, crs_levels(), NULL, jstr(ff, "target_level")));
    if (status != 200) web_form_error(req, vm);
    return web_page(req, res, status, "courses/course_form", vm);
}

static int get_course_new(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_COURSE_MANAGE, &web(req)->err);
    if (rc) return rc;
    json_t *f = json_pack("{s:s,s:s,s:i}", "kind", "italian_l2", "audience", "adults", "min_attendance_pct", 80);
    return render_course_form(req, res, 200, f);
}

/* A form field as a whole number, -1 when absent or not one. */
int64_t crsweb_form_int(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    char *end;
    long long n = v && *v ? strtoll(v, &end, 10) : -1;
    return v && *v && !*end && n >= 0 ? n : -1;
}

/* A form field, NULL when empty. */
const char *crsweb_form_text(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    return v && *v ? v : NULL;
}

static int post_course_new(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    crs_course_input_t in = {crsweb_form_text(req, "title"), crsweb_form_text(req, "kind"), NULL, crsweb_form_text(req, "audience"),
                             crsweb_form_text(req, "target_level"), crsweb_form_text(req, "start_date"), crsweb_form_text(req, "end_date"),
                             crsweb_form_text(req, "place"), crsweb_form_int(req, "hours"), crsweb_form_int(req, "capacity"),
                             crsweb_form_int(req, "min_attendance_pct"), http_form(req, "childcare") != NULL,
                             http_form(req, "evening") != NULL, http_form(req, "online") != NULL, NULL, 0};
    crs_ref_t ref = {0, 0, 0};
    int rc = crs_course_create(&w->scope, w->db, &in, &ref, &w->err);
    if (!rc) rc = crsweb_audit(req, "course.create", "course", &ref, NULL);
    if (rc) {
        if ((rc = web_form_failed(req, rc, false)) < 0) return rc;
        static const char *const keep[] = {"title", "kind", "audience", "target_level", "start_date", "end_date",
                                           "place", "hours", "capacity", "min_attendance_pct", NULL};
        json_t *f = json_object();
        for (size_t i = 0; keep[i]; i++) json_object_set_new(f, keep[i], json_text(http_form(req, keep[i])));
        return render_course_form(req, res, rc, f);
    }
    return web_redirect(req, res, arena_printf(req->arena, "/courses/%lld", (long long)ref.id));
}
static const resource_t res_courses_new = {"/courses/new", .get = get_course_new, .post = post_course_new};

/* ---- the course page ------------------------------------------------------------------ */

/* Finds persons for the enrol form with the help desk's search (audited there). */
static int person_search(http_req_t *req, const char *q, json_t **found)
{
    web_t *w = web(req);
    desk_ctx_t dc;
    *found = json_array();
    int rc = desk_ctx_init(&dc, &w->scope, w->db, w->lang);
    if (rc) return web_store_fail(req, rc);
    return desk_search(req, &dc, q, 0, 20, *found);
}

/* Splits the enrolments into learners (enrolled, withdrawn) and the waiting list. */
static void split_enrolments(http_req_t *req, json_t *items, json_t *vm)
{
    json_t *learners = json_array(), *waiting = json_array();
    size_t i;
    json_t *l;
    json_array_foreach(items, i, l) {
        label_learner(req, l);
        const char *st = jstr_or_empty(l, "status");
        json_object_set_new(l, "withdrawn", json_boolean(strcmp(st, "withdrawn") == 0));
        json_object_set_new(l, "can_certify", json_boolean(strcmp(st, "enrolled") == 0 &&
                                                               json_number_value(json_object_get(l, "attendance_pct")) >=
                                                                   json_integer_value(json_object_get(l, "min_attendance_pct")) &&
                                                               json_integer_value(json_object_get(l, "sessions_held")) > 0));
        json_array_append(strcmp(st, "waiting") == 0 ? waiting : learners, l);
    }
    json_object_set_new(vm, "learners", learners);
    json_object_set_new(vm, "waiting", waiting);
    json_object_set_new(vm, "has_waiting", json_boolean(json_array_size(waiting) > 0));
}

/* The teacher accounts a coordinator may tick on the course page (C1a). */
static int teacher_choices(http_req_t *req, json_t *course, json_t *vm)
{
    web_t *w = web(req);
    if (!json_is_true(json_object_get(course, "can_assign"))) return 0;
    json_t *items = json_array();
    int rc = crs_course_teacher_candidates(&w->scope, w->db, json_integer_value(json_object_get(course, "id")), items,
                                           &w->err);
    json_object_set_new(vm, "teacher_choices", items);
    return rc;
}

/* The course page with its sessions and enrolments, and the persons found
 * for `q` (posted; NULL: no search); `status` != 200 shows the request's error. */
static int render_course(http_req_t *req, http_res_t *res, int status, int64_t id, const char *q)
{
    web_t *w = web(req);
    json_t *course = NULL, *items = json_array(), *found = NULL;
    crs_ref_t ref = {0, 0, 0};
    err_t shown = w->err;
    int rc = crs_course_read(&w->scope, w->db, id, &course, &ref, &w->err);
    if (!rc) rc = crs_enrolment_list(&w->scope, w->db, id, items, &ref, &w->err);
    if (rc) {
        json_decref(course);
        return crsweb_fail(req, rc, items);
    }
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", json_array_size(items));
    if (q && strlen(q) > 200) q = NULL;
    if ((rc = crsweb_audit(req, "course.enrolment.list", "course", &ref, detail)) ||
        (q && *q && (rc = person_search(req, q, &found)))) {
        json_decref(course);
        json_decref(items);
        json_decref(found);
        return rc;
    }
    label_course(req, course);
    json_t *vm = json_pack("{s:o,s:o,s:s,s:b}", "course", course, "levels", crsweb_options(req, crs_levels(), NULL, NULL),
                           "q", q ? q : "", "searched", q && *q);
    split_enrolments(req, items, vm);
    json_decref(items);
    if ((rc = teacher_choices(req, course, vm))) return crsweb_fail(req, rc, vm);
    json_object_set_new(vm, "found", found ? found : json_array());
    json_object_set_new(vm, "title", json_string(jstr_or_empty(course, "title")));
    json_object_set_new(vm, "pupils", json_boolean(strcmp(jstr_or_empty(course, "audience"), "pupils") == 0));
    json_object_set_new(vm, "weekdays", json_pack("[{s:i,s:s},{s:i,s:s},{s:i,s:s},{s:i,s:s},{s:i,s:s},{s:i,s:s}]", "n", 1,
                                                  "name", web_tr(req, "Monday"), "n", 2, "name", web_tr(req, "Tuesday"),
                                                  "n", 3, "name", web_tr(req, "Wednesday"), "n", 4, "name",
                                                  web_tr(req, "Thursday"), "n", 5, "name", web_tr(req, "Friday"), "n", 6,
                                                  "name", web_tr(req, "Saturday")));
    return crsweb_form_page(req, res, status, &shown, "Saved.", "courses/course", vm);
}

static int get_course_page(http_req_t *req, http_res_t *res)
{
    return render_course(req, res, 200, web_param_id(req, "id"), NULL);
}
static const resource_t res_courses_id = {"/courses/{id}", .get = get_course_page};

/* The enrol form's search posts its query: a person's name stays out of addresses. */
static int post_course_find(http_req_t *req, http_res_t *res)
{
    return render_course(req, res, 200, web_param_id(req, "id"), http_form(req, "q"));
}
static const resource_t res_courses_id_find = {"/courses/{id}/find", .post = post_course_find, .flags = R_READS};

static int after_course_form(http_req_t *req, http_res_t *res, int rc, int64_t course_id);

/* A coordinator ticks the course's teachers (fields t<user id>). */
static int post_course_teachers(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id"), ids[CRS_MAX_TEACHERS + 1];
    size_t n = 0;
    crs_ref_t ref = {0, 0, 0};
    int rc = 0;
    for (int i = 0; i < req->nform && !rc; i++) {
        const char *name = req->form[i].name;
        char *end;
        long long uid = name[0] == 't' ? strtoll(name + 1, &end, 10) : 0;
        if (uid <= 0 || *end) continue;
        if (n == CRS_MAX_TEACHERS) rc = err_set(&w->err, 422, "too_many", "teachers", "At most 20 teachers a course.");
        else ids[n++] = uid;
    }
    if (!rc) rc = crs_course_teachers(&w->scope, w->db, id, ids, n, &ref, &w->err);
    if (!rc) rc = crsweb_audit(req, "course.teachers", "course", &ref, NULL);
    return after_course_form(req, res, rc, id);
}
static const resource_t res_courses_id_teachers = {"/courses/{id}/teachers", .post = post_course_teachers};

/* After a form of the course page: back to it, or the page again with the error. */
static int after_course_form(http_req_t *req, http_res_t *res, int rc, int64_t course_id)
{
    if (!rc) return web_redirect(req, res, arena_printf(req->arena, "/courses/%lld?done=1", (long long)course_id));
    if ((rc = web_form_failed(req, rc, true)) < 0) return rc;
    return render_course(req, res, rc, course_id, NULL);
}

static int post_course_sessions(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    crs_ref_t ref = {0, 0, 0};
    int rc;
    if (crsweb_form_text(req, "to")) {
        crs_pattern_t p = {0, crsweb_form_text(req, "start"), crsweb_form_text(req, "date"), crsweb_form_text(req, "to"), crsweb_form_int(req, "minutes")};
        for (int d = 1; d <= 7; d++)
            if (http_form(req, arena_printf(req->arena, "day%d", d))) p.days_mask |= 1u << d;
        json_t *ids = json_array(), *skipped = json_array();
        rc = crs_session_pattern(&w->scope, w->db, id, &p, ids, skipped, &ref, &w->err);
        json_decref(ids);
        json_decref(skipped);
        if (!rc) rc = crsweb_audit(req, "course.sessions.create", "course", &ref, NULL);
    } else {
        crs_session_input_t in = {crsweb_form_text(req, "date"), crsweb_form_text(req, "start"), NULL, crsweb_form_int(req, "minutes")};
        rc = crs_session_add(&w->scope, w->db, id, &in, &ref, &w->err);
        if (!rc) rc = crsweb_audit(req, "course.session.create", "course_session", &ref, NULL);
    }
    return after_course_form(req, res, rc, id);
}
static const resource_t res_courses_id_sessions = {"/courses/{id}/sessions", .post = post_course_sessions};

static int post_course_enrol(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    crs_enrol_input_t in = {crsweb_form_int(req, "person_id"), 0, NULL, false, crsweb_form_text(req, "entry_level"),
                            crsweb_form_text(req, "school_class"), crsweb_form_text(req, "guardian_name"),
                            crsweb_form_text(req, "guardian_phone"), http_form(req, "guardian_consent") != NULL};
    crs_ref_t ref = {0, 0, 0};
    const char *status = NULL;
    int64_t new_person = 0;
    if (in.person_id < 0) in.person_id = 0;
    int rc = crs_enrol(&w->scope, w->db, id, &in, &ref, &status, &new_person, &w->err);
    if (!rc) rc = crsweb_audit(req, "course.enrol", "course_enrolment", &ref, status);
    return after_course_form(req, res, rc, id);
}
static const resource_t res_courses_id_enrol = {"/courses/{id}/enrol", .post = post_course_enrol};

static int post_withdraw_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    crs_ref_t ref = {0, 0, 0};
    int64_t promoted = 0, course_id = crsweb_form_int(req, "course_id");
    int rc = crs_withdraw(&w->scope, w->db, web_param_id(req, "id"), crsweb_form_text(req, "reason"), &ref, &promoted, &w->err);
    if (!rc) rc = crsweb_audit(req, "course.withdraw", "course_enrolment", &ref, NULL);
    return after_course_form(req, res, rc, course_id > 0 ? course_id : 0);
}
static const resource_t res_courses_enrolments_id_withdraw = {"/courses/enrolments/{id}/withdraw", .post = post_withdraw_page};

/* ---- the attendance page (phone first) ------------------------------------------------- */

/* The attendance page of a session: every learner present unless marked otherwise. */
static int render_attendance(http_req_t *req, http_res_t *res, int status, int64_t id)
{
    web_t *w = web(req);
    json_t *vm = NULL;
    crs_ref_t ref = {0, 0, 0};
    err_t shown = w->err;
    int rc = crs_session_read(&w->scope, w->db, id, &vm, &ref, &w->err);
    if (!rc) rc = crsweb_audit(req, "course.session.read", "course_session", &ref, NULL);
    if (rc) return crsweb_fail(req, rc, vm);
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(vm, "learners"), i, l) {
        const char *cur = jstr(l, "status") ? jstr(l, "status") : "present";
        json_t *choices = json_array();
        for (int k = 0; k < 4; k++)
            json_array_append_new(choices, json_pack("{s:s,s:s,s:b,s:I}", "code", mark_codes[k], "name",
                                                     web_tr(req, mark_names[k]), "checked", strcmp(cur, mark_codes[k]) == 0,
                                                     "enrolment_id", json_integer_value(json_object_get(l, "enrolment_id"))));
        json_object_set_new(l, "choices", choices);
        json_object_set_new(l, "n", json_integer((json_int_t)i + 1));
    }
    json_object_set_new(vm, "count", json_integer((json_int_t)json_array_size(json_object_get(vm, "learners"))));
    json_object_set_new(vm, "cancelled", json_boolean(strcmp(jstr_or_empty(json_object_get(vm, "session"), "status"), "cancelled") == 0));
    return crsweb_form_page(req, res, status, &shown, "Attendance saved.", "courses/attendance", vm);
}

static int get_attendance_page(http_req_t *req, http_res_t *res)
{
    return render_attendance(req, res, 200, web_param_id(req, "id"));
}

/* One POST marks the whole session: fields "m<enrolment id>" = status. */
static int post_attendance_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id");
    json_t *marks = json_array();
    for (int i = 0; i < req->nform; i++) {
        const char *name = req->form[i].name;
        char *end;
        long long eid = name[0] == 'm' ? strtoll(name + 1, &end, 10) : 0;
        if (eid <= 0 || *end || !req->form[i].value) continue;
        json_array_append_new(marks, json_pack("{s:I,s:s}", "enrolment_id", (json_int_t)eid, "status", req->form[i].value));
    }
    crs_ref_t ref = {0, 0, 0};
    int rc = crs_attendance_put(&w->scope, w->db, id, marks, &ref, &w->err);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu marks", json_array_size(marks));
    json_decref(marks);
    if (!rc) rc = crsweb_audit(req, "course.attendance.set", "course_session", &ref, detail);
    if (!rc) return web_redirect(req, res, arena_printf(req->arena, "/courses/sessions/%lld?done=1", (long long)id));
    if ((rc = web_form_failed(req, rc, true)) < 0) return rc;
    return render_attendance(req, res, rc, id);
}
static const resource_t res_courses_sessions_id = {"/courses/sessions/{id}", .get = get_attendance_page, .post = post_attendance_page};

/* ---- the public verification ---------------------------------------------------------- */

static int get_verify(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *cert = NULL;
    int rc = crs_verify(w->db, http_param(req, "code"), &cert);
    if (rc < 0) return web_db_fail(req, rc);
    json_t *vm = json_pack("{s:b,s:s}", "valid", rc == 0, "code", http_param(req, "code") ? http_param(req, "code") : "");
    if (cert) {
        json_object_set_new(cert, "kind_label", json_string(crsweb_label(req, crs_kinds(), kind_names, jstr(cert, "kind"))));
        char issued[11];
        crs_date_of(json_integer_value(json_object_get(cert, "issued_at")), issued);
        json_object_set_new(cert, "issued_on", json_string(issued));
        json_object_set_new(vm, "cert", cert);
    }
    return web_page(req, res, rc == 0 ? 200 : 404, "courses/verify", vm);
}
static const resource_t res_verify_code = {"/verify/{code}", .get = get_verify, .flags = R_PUBLIC};

static const resource_t *const routes[] = {&res_courses, &res_courses_new, &res_courses_id,
    &res_courses_id_sessions, &res_courses_id_find, &res_courses_id_teachers, &res_courses_id_enrol,
    &res_courses_enrolments_id_withdraw, &res_courses_sessions_id, &res_verify_code};

ROUTE_TABLE(crsweb_page_routes, routes)

/* enrol.c — the operations on enrolments (courses.h): enrolment with the
 * waiting list (C2) and the project (C7), new persons registered through the
 * help desk's operations, levels, withdrawal giving the place to the first
 * waiting (C3), the register of a session (C4), certificates (C6) and their
 * public verification. No SQL here (store.c), no HTTP here. */
#include "internal.h"
#include "app/outbox.h"
#include "core/crypto.h"
#include "core/json.h"
#include "desk/desk.h"
#include "governance/governance.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

int crs_managed_enrolment(const scope_t *sc, db_t *db, int64_t id, crs_enrolment_t *en, crs_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    if (rc || (rc = crs_store_enrolment_get(sc, db, id, en))) return rc;
    *ref = (crs_ref_t){en->id, en->person_id, en->course.org_id};
    return 0;
}

/* Registers the new person `fields` through the help desk (same checks, same
 * duplicate search: 409 possible_duplicate unless allowed) into *p. */
static int register_person(const scope_t *sc, db_t *db, const crs_enrol_input_t *in, crs_person_t *p,
                           int64_t *new_id, err_t *e)
{
    desk_ctx_t dc;
    json_t *fields = NULL, *dups = NULL;
    int64_t org_id = 0;
    int rc = desk_ctx_init(&dc, sc, db, "it");
    if (rc || (rc = desk_person_input(in->person, true, &fields, e))) return rc;
    if (!in->allow_duplicate && !(rc = desk_person_duplicates(&dc, fields, 0, &dups)) && json_array_size(dups) > 0)
        rc = err_set(e, 409, "possible_duplicate", "person",
                     "This person may be registered already: enrol them, or confirm it is someone else.");
    json_decref(dups);
    if (!rc) rc = desk_person_create(&dc, fields, NULL, new_id, &org_id, e);
    json_decref(fields);
    if (rc) return rc;
    return crs_store_person_get(sc, db, *new_id, p) == 0 ? 0 : DB_ERR;
}

/* C8: a pupils' course needs the class, a guardian and the guardian's consent. */
static int pupil_check(const crs_course_t *c, const crs_enrol_input_t *in, err_t *e)
{
    if (strcmp(c->audience, "pupils") != 0) return 0;
    if (!in->school_class) return err_set(e, 422, "required", "school_class", "This field is required.");
    if (!in->guardian_name) return err_set(e, 422, "required", "guardian_name", "This field is required.");
    if (!in->guardian_consent)
        return err_set(e, 422, "consent_required", "guardian_consent", "A pupil is enrolled with the guardian's consent.");
    return 0;
}

int crs_enrol(const scope_t *sc, db_t *db, int64_t course_id, const crs_enrol_input_t *in, crs_ref_t *ref,
              const char **status, int64_t *new_person_id, err_t *e)
{
    crs_course_t c;
    crs_person_t p;
    int64_t project_id = 0, enrolled = 0, id = 0;
    *new_person_id = 0;
    int rc = crs_managed_course(sc, db, course_id, &c, ref, e);
    if (rc) return rc;
    if (in->entry_level && !crs_level_valid(in->entry_level))
        return err_set(e, 422, "invalid", "entry_level", "A level is pre-A1, A1, A2, B1, B2, C1 or C2.");
    if ((rc = pupil_check(&c, in, e))) return rc;
    if (in->person) rc = register_person(sc, db, in, &p, new_person_id, e);
    else if (!in->person_id) return err_set(e, 422, "required", "person_id", "This field is required.");
    else if ((rc = crs_store_person_get(sc, db, in->person_id, &p)) == 1)
        return err_set(e, 422, "unknown_person", "person_id", "No such person in your area.");
    /* C7: the enrolment counts for the project of the course's district and start date (governance.h). */
    if (rc || (rc = gov_project_for(db, c.org_path, c.start_date, in->project_id, &project_id, e)) ||
        (rc = gov_period_open(db, project_id, c.start_date, "project_id", e)) ||
        (rc = crs_store_course_count(db, &c, "enrolled", &enrolled)))
        return rc;
    *status = enrolled < c.capacity ? "enrolled" : "waiting";
    rc = crs_store_enrolment_insert(sc, db, &c, &p, in, project_id, *status, db_now(), &id);
    if (rc == DB_ECONSTRAINT)
        return err_set(e, 409, "already_enrolled", "person_id", "This person is in this course already.");
    if (rc) return rc;
    ref->id = id;
    ref->person_id = p.id;
    return 0;
}

void crs_add_counts_pct(json_t *o, int64_t min_pct)
{
    int64_t present = json_integer_value(json_object_get(o, "present"));
    int64_t late = json_integer_value(json_object_get(o, "late"));
    int64_t held = json_integer_value(json_object_get(o, "sessions_held"));
    json_object_set_new(o, "attendance_pct", json_real(crs_attendance_pct(present, late, held)));
    json_object_set_new(o, "min_attendance_pct", json_integer(min_pct));
    json_object_set_new(o, "warning", json_boolean(crs_attendance_warns(present, late, held, min_pct)));
}

int crs_enrolment_list(const scope_t *sc, db_t *db, int64_t course_id, json_t *items, crs_ref_t *ref, err_t *e)
{
    crs_course_t c;
    int rc = crs_managed_course(sc, db, course_id, &c, ref, e);
    if (rc || (rc = crs_store_enrolments_json(db, &c, items))) return rc;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) crs_add_counts_pct(o, c.min_pct);
    return 0;
}

int crs_enrolment_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, crs_ref_t *ref, err_t *e)
{
    crs_enrolment_t en;
    crs_certificate_t cert;
    int rc = crs_managed_enrolment(sc, db, id, &en, ref, e);
    if (rc || (rc = crs_store_enrolment_json(db, &en, out))) return rc;
    crs_add_counts_pct(*out, en.course.min_pct);
    json_object_set_new(*out, "course_title", json_string(en.course.title));
    rc = crs_store_certificate_get(db, &en, &cert);
    json_object_set_new(*out, "certificate_code", rc == 0 ? json_string(cert.code) : json_null());
    return rc < 0 ? rc : 0;
}

int crs_enrolment_levels(const scope_t *sc, db_t *db, int64_t id, const char *entry_level, const char *exit_level,
                         crs_ref_t *ref, err_t *e)
{
    crs_enrolment_t en;
    int rc = crs_managed_enrolment(sc, db, id, &en, ref, e);
    if (rc) return rc;
    if (entry_level && !crs_level_valid(entry_level))
        return err_set(e, 422, "invalid", "entry_level", "A level is pre-A1, A1, A2, B1, B2, C1 or C2.");
    if (exit_level && !crs_level_valid(exit_level))
        return err_set(e, 422, "invalid", "exit_level", "A level is pre-A1, A1, A2, B1, B2, C1 or C2.");
    return crs_store_enrolment_levels(db, &en, entry_level, exit_level, db_now());
}

/* C3: tells the first waiting learner `w` (their e-mail, else the organiser's)
 * that a place is theirs. */
static int notify_place(db_t *db, const crs_enrolment_t *w)
{
    char to[256], subject[400], body[1200], ref[64];
    snprintf(to, sizeof to, "%s", w->email);
    if (!*to && crs_store_organiser_email(db, &w->course, to, sizeof to)) return DB_ERR;
    if (!*to) return 0;
    snprintf(subject, sizeof subject, "Un posto per te nel corso \"%s\"", w->course.title);
    snprintf(body, sizeof body,
             "Buongiorno %s %s,\n\nsi è liberato un posto nel corso \"%s\" (%s), dal %s al %s: "
             "ora sei tra gli iscritti.\nSe non puoi più partecipare, avvisa la segreteria del corso.\n\n%s\n",
             w->given_name, w->family_name, w->course.title, w->course.org_name, w->course.start_date,
             w->course.end_date, w->course.org_name);
    snprintf(ref, sizeof ref, "course_enrolment:%lld", (long long)w->id);
    return outbox_enqueue_for(db, w->course.org_id, to, subject, body, "courses.place", ref, NULL);
}

int crs_withdraw(const scope_t *sc, db_t *db, int64_t id, const char *reason, crs_ref_t *ref, int64_t *promoted,
                 err_t *e)
{
    crs_enrolment_t en, w;
    *promoted = 0;
    int rc = crs_managed_enrolment(sc, db, id, &en, ref, e);
    if (rc) return rc;
    if (!reason || !*reason) return err_set(e, 422, "required", "reason", "This field is required.");
    if (strcmp(en.status, "withdrawn") == 0)
        return err_set(e, 409, "already_withdrawn", NULL, "This enrolment was withdrawn already.");
    int64_t now = db_now();
    if ((rc = crs_store_enrolment_withdraw(db, &en, reason, now))) return rc;
    if (strcmp(en.status, "enrolled") != 0) return 0;
    rc = crs_store_first_waiting(db, &en.course, &w);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = crs_store_enrolment_promote(db, &w, now)) || (rc = notify_place(db, &w))) return rc;
    *promoted = w.id;
    return 0;
}

/* Checks the marks of a register: an array of {enrolment_id, status}, each
 * enrolment once. 0 or -422 naming "marks[i]" (or its enrolment_id). */
static int marks_check(const json_t *marks, err_t *e)
{
    if (!json_is_array(marks) || json_array_size(marks) > CRS_MAX_MARKS)
        return err_set(e, 422, "invalid", "marks", "Marks are a list of {\"enrolment_id\", \"status\"}.");
    size_t i, k;
    json_t *m;
    json_array_foreach(marks, i, m) {
        json_t *id = json_object_get(m, "enrolment_id");
        if (!json_is_object(m) || !json_is_integer(id) || json_integer_value(id) <= 0 ||
            !crs_mark_valid(jstr(m, "status")) || json_object_size(m) != 2) {
            err_set(e, 422, "invalid", NULL, "Marks are a list of {\"enrolment_id\", \"status\"}.");
            snprintf(e->field, sizeof e->field, "marks[%zu]", i);
            return -422;
        }
        for (k = 0; k < i; k++)
            if (json_integer_value(json_object_get(json_array_get(marks, k), "enrolment_id")) == json_integer_value(id)) {
                err_set(e, 422, "duplicate", NULL, "Each learner is marked once.");
                snprintf(e->field, sizeof e->field, "marks[%zu].enrolment_id", i);
                return -422;
            }
    }
    return 0;
}

int crs_attendance_put(const scope_t *sc, db_t *db, int64_t session_id, const json_t *marks, crs_ref_t *ref,
                       err_t *e)
{
    crs_session_t s;
    int rc = crs_managed_session(sc, db, session_id, &s, ref, e);
    if (rc || (rc = marks_check(marks, e))) return rc;
    if (strcmp(s.status, "cancelled") == 0)
        return err_set(e, 409, "session_cancelled", NULL, "This session was cancelled.");
    int64_t written = 0;
    if ((rc = crs_store_marks_put(db, &s, marks, sc->user_id, db_now(), &written))) return rc;
    if (written == (int64_t)json_array_size(marks)) return 0;
    size_t i; /* one named no learner of this course: say which (the caller rolls back) */
    json_t *m;
    json_array_foreach(marks, i, m) {
        if ((rc = crs_store_session_learner(db, &s, json_integer_value(json_object_get(m, "enrolment_id")))) < 0) return rc;
        if (rc == 0) continue;
        err_set(e, 422, "not_in_course", NULL, "This enrolment is not a learner of this session's course.");
        snprintf(e->field, sizeof e->field, "marks[%zu].enrolment_id", i);
        return -422;
    }
    return DB_ERR;
}

/* A new certificate code: three groups of four letters and digits joined by
 * dashes (60 random bits, without 0, O, 1 and I, which read alike). */
static void new_code(char out[32])
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    char t[CRYPTO_TOKEN_LEN + 1];
    crypto_token(t);
    size_t at = 0;
    for (int i = 0; i < 12; i++) {
        if (i && i % 4 == 0) out[at++] = '-';
        out[at++] = alphabet[(unsigned char)t[i] % 32];
    }
    out[at] = '\0';
}

int crs_certificate_issue(const scope_t *sc, db_t *db, int64_t enrolment_id, crs_certificate_t *out, crs_ref_t *ref,
                          err_t *e)
{
    crs_enrolment_t en;
    crs_counts_t n;
    memset(out, 0, sizeof *out);
    int rc = crs_managed_enrolment(sc, db, enrolment_id, &en, ref, e);
    if (rc || (rc = crs_store_enrolment_counts(db, &en, &n))) return rc;
    double pct = crs_attendance_pct(n.present, n.late, n.held);
    if (strcmp(en.status, "enrolled") != 0)
        return err_set(e, 409, "not_enrolled", NULL, "Only an enrolled learner gets a certificate.");
    if (n.held == 0 || pct < (double)en.course.min_pct)
        return err_set(e, 409, "attendance_below_minimum", NULL, "Attendance is below the course's minimum.");
    if ((rc = crs_store_certificate_get(db, &en, out)) == 1) {
        new_code(out->code);
        crs_initials(en.given_name, en.family_name, out->initials, sizeof out->initials);
        out->hours_attended = (int64_t)llround((double)n.minutes_attended / 60.0);
        snprintf(out->level, sizeof out->level, "%s", en.exit_level);
        if (!(rc = crs_store_certificate_insert(sc, db, &en, out, db_now())))
            rc = crs_store_certificate_get(db, &en, out);
    }
    if (rc) return rc;
    out->attendance_pct = pct;
    snprintf(out->given_name, sizeof out->given_name, "%s", en.given_name);
    snprintf(out->family_name, sizeof out->family_name, "%s", en.family_name);
    snprintf(out->course_title, sizeof out->course_title, "%s", en.course.title);
    snprintf(out->org_name, sizeof out->org_name, "%s", en.course.org_name);
    snprintf(out->start_date, sizeof out->start_date, "%s", en.course.start_date);
    snprintf(out->end_date, sizeof out->end_date, "%s", en.course.end_date);
    out->hours = en.course.hours;
    return 0;
}

int crs_verify(db_t *db, const char *code, json_t **out)
{
    size_t n = code ? strlen(code) : 0;
    if (n == 0 || n > 20) return 1;
    for (size_t i = 0; i < n; i++)
        if (!((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '0' && code[i] <= '9') || code[i] == '-')) return 1;
    return crs_store_certificate_by_code(db, code, out);
}

/* store.h — the courses module's SQL, and nothing else; only the operations
 * (courses.c, enrol.c, register.c) and the demo loader call it.
 *
 * No function here takes a bare record id. Each one either takes the
 * caller's scope first and sees only the organisation subtree (rule C1), or
 * takes a handle (crs_course_t, crs_session_t, crs_enrolment_t,
 * crs_person_t) that only a scoped load here fills, and touches that record
 * and its children only; the certificate lookup by its public code is the
 * one exception (the code is the credential).
 * Returns 0, 1 for "absent or out of scope" where said, or DB_E*. All of it
 * is in store.c. */
#ifndef LI_COURSES_STORE_H
#define LI_COURSES_STORE_H
#include "courses.h"
#include "app/org.h"

/* A course as loaded through the scope. */
typedef struct crs_course {
    int64_t id, org_id, created_by, hours, capacity, min_pct;
    char org_path[256], org_name[256], title[256], kind[24], start_date[11], end_date[11], target_level[8];
    char audience[16];
} crs_course_t;

/* A session, with its course, as loaded through the scope. */
typedef struct crs_session {
    int64_t id, start_min, minutes;
    char date[11], status[12];
    crs_course_t course;
} crs_session_t;

/* An enrolment, with its course and person, as loaded through the scope. */
typedef struct crs_enrolment {
    int64_t id, person_id;
    char status[12], entry_level[8], exit_level[8], given_name[128], family_name[128], email[256];
    crs_course_t course;
} crs_enrolment_t;

/* A person of the help desk visible to the scope. */
typedef struct crs_person {
    int64_t id, org_id;
    char sex[4], birth_date[11];
} crs_person_t;

/* Attendance counts of an enrolment (C5). */
typedef struct crs_counts {
    int64_t present, late, excused, absent, held;
    int64_t minutes_attended; /* of the sessions held, marked present or late */
} crs_counts_t;

/* ---- courses (store.c) ---- */
/* A new course of `org` (found in scope by the caller), created by the scope's user. */
int crs_store_course_insert(const scope_t *sc, db_t *db, const org_t *org, const crs_course_input_t *in,
                            int64_t now, int64_t *id);
/* A course of the scope's subtree: 0 or 1. */
int crs_store_course_get(const scope_t *sc, db_t *db, int64_t id, crs_course_t *out);
/* A course the scope manages: of its subtree and, for a teacher, one they
 * are assigned to (C1): 0 or 1. Sessions and enrolments load the same way. */
int crs_store_course_managed(const scope_t *sc, db_t *db, int64_t id, crs_course_t *out);
/* The course's JSON with enrolled / waiting counts. */
int crs_store_course_json(db_t *db, const crs_course_t *c, json_t **out);
/* Courses of the scope's subtree by id after the cursor (see crs_course_filter_t). */
int crs_store_course_list(const scope_t *sc, db_t *db, const crs_course_filter_t *f, json_t *items);
/* How many enrolments of the course have `status`. */
int crs_store_course_count(db_t *db, const crs_course_t *c, const char *status, int64_t *n);

/* ---- sessions (store.c) ---- */
int crs_store_session_insert(db_t *db, const crs_course_t *c, const char *date, int64_t start_min, int64_t minutes,
                             int64_t now, int64_t *id);
/* A session of a course of the scope's subtree: 0 or 1. */
int crs_store_session_get(const scope_t *sc, db_t *db, int64_t id, crs_session_t *out);
int crs_store_session_update(db_t *db, const crs_session_t *s, const char *date, int64_t start_min, int64_t minutes,
                             const char *status, int64_t now);
/* The course's sessions by date: {id, date, start, minutes, status, marks}. */
int crs_store_sessions_json(db_t *db, const crs_course_t *c, json_t *items);
/* Sessions of the scope's courses on `date`, with course title and counts. */
int crs_store_sessions_on(const scope_t *sc, db_t *db, const char *date, json_t *items);

/* ---- persons (store.c) ---- */
/* An active person of the scope's subtree: 0 or 1. */
int crs_store_person_get(const scope_t *sc, db_t *db, int64_t id, crs_person_t *out);
/* Active persons of the scope's subtree by id ({"id"}), up to `limit` (the demo's learners). */
int crs_store_person_sample(const scope_t *sc, db_t *db, int limit, json_t *items);
/* The e-mail of the account that created the course ("" when none). */
int crs_store_organiser_email(db_t *db, const crs_course_t *c, char *out, size_t len);

/* ---- enrolments (store.c) ---- */
/* DB_ECONSTRAINT when the person is in the course already (C2). */
int crs_store_enrolment_insert(const scope_t *sc, db_t *db, const crs_course_t *c, const crs_person_t *p,
                               const crs_enrol_input_t *in, int64_t project_id, const char *status, int64_t now,
                               int64_t *id);
/* An enrolment of a course of the scope's subtree: 0 or 1. */
int crs_store_enrolment_get(const scope_t *sc, db_t *db, int64_t id, crs_enrolment_t *out);
/* The enrolment's row as JSON (person's names, levels, project, status). */
int crs_store_enrolment_json(db_t *db, const crs_enrolment_t *en, json_t **out);
int crs_store_enrolment_counts(db_t *db, const crs_enrolment_t *en, crs_counts_t *out);
/* The course's enrolments (waiting last, in arrival order; others by
 * family, given name), each with present / late / excused / absent / held. */
int crs_store_enrolments_json(db_t *db, const crs_course_t *c, json_t *items);
int crs_store_enrolment_levels(db_t *db, const crs_enrolment_t *en, const char *entry_level, const char *exit_level,
                               int64_t now);
int crs_store_enrolment_withdraw(db_t *db, const crs_enrolment_t *en, const char *reason, int64_t now);
/* The first waiting enrolment of the course: 0 or 1. */
int crs_store_first_waiting(db_t *db, const crs_course_t *c, crs_enrolment_t *out);
int crs_store_enrolment_promote(db_t *db, const crs_enrolment_t *en, int64_t now);

/* ---- marks (store.c) ---- */
#define CRS_MARKS_CHUNK 50 /* marks one statement writes */
/* Writes the marks [{enrolment_id, status}] (checked) of session `s`, in
 * multi-row upserts of up to CRS_MARKS_CHUNK; SQL writes only enrolled
 * learners of the session's course (C4) and *written says how many were: a
 * mark short means one named another enrolment (the caller rolls back). */
int crs_store_marks_put(db_t *db, const crs_session_t *s, const json_t *marks, int64_t by, int64_t now,
                        int64_t *written);
/* 0 when `enrolment_id` is an enrolled learner of the session's course, else 1. */
int crs_store_session_learner(db_t *db, const crs_session_t *s, int64_t enrolment_id);
/* The session's learners (enrolled) in course order with their mark or null. */
int crs_store_session_marks(db_t *db, const crs_session_t *s, json_t *items);
/* Every mark of the course: {enrolment_id, session_id, status}. */
int crs_store_course_marks(db_t *db, const crs_course_t *c, json_t *items);

/* ---- certificates (store.c) ---- */
/* The enrolment's certificate: 0 or 1 (none yet); fills code, initials,
 * hours_attended, level, issued_at and issued_on, the rest zeroed. */
int crs_store_certificate_get(db_t *db, const crs_enrolment_t *en, crs_certificate_t *out);
int crs_store_certificate_insert(const scope_t *sc, db_t *db, const crs_enrolment_t *en,
                                 const crs_certificate_t *cert, int64_t now);
/* The public facts of a certificate by its code: 0 or 1. */
int crs_store_certificate_by_code(db_t *db, const char *code, json_t **out);

/* ---- workspaces and aggregates (store.c) ---- */
/* Enrolled learners of the scope's courses with their counts (for warnings),
 * with course id and title and min_attendance_pct. */
int crs_store_learner_counts(const scope_t *sc, db_t *db, json_t *items);
/* Per kind of the scope's courses: courses, capacity, enrolled, waiting, withdrawn. */
int crs_store_summary_kinds(const scope_t *sc, db_t *db, json_t *items);
/* Enrolled learners of the scope's courses per sex and age band, and how
 * many language-course learners gained a level (entry and exit as text). */
int crs_store_summary_people(const scope_t *sc, db_t *db, json_t *items);

/* ---- school support (store.c) ---- */
/* A support record of the pupil at the school (both found in scope). */
int crs_store_support_insert(const scope_t *sc, db_t *db, const org_t *school, const crs_person_t *p,
                             const crs_support_input_t *in, int64_t now, int64_t *id);
/* Support records of schools of the scope's subtree (one pupil's when
 * person_id > 0), newest recorded first (ids before `cursor` when > 0, up
 * to `limit`), with the pupil's names and the school. */
int crs_store_support_list(const scope_t *sc, db_t *db, int64_t person_id, int64_t cursor, int limit, json_t *items);
/* Every support record of the scope's subtree, by pupil then date (oldest
 * first): {person_id, given_name, family_name, school, attended}. */
int crs_store_support_history(const scope_t *sc, db_t *db, json_t *items);

/* ---- internships (store.c) ---- */
/* A trainee: a mediator of the register, as the mediation module's scoped
 * read found them (internship.c fills it only from med_mediator_read). */
typedef struct crs_trainee {
    int64_t mediator_id, org_id;
} crs_trainee_t;
/* An internship as loaded through the scope. */
typedef struct crs_internship {
    int64_t id, org_id, mediator_id, hours_required, hours_done;
    char status[12], host_name[256], evaluation[CRS_TEXT_MAX * 4 + 1];
} crs_internship_t;
int crs_store_internship_insert(const scope_t *sc, db_t *db, const crs_trainee_t *t, const org_t *host,
                                const crs_internship_input_t *in, int64_t now, int64_t *id);
/* An internship of the scope's subtree: 0 or 1. */
int crs_store_internship_get(const scope_t *sc, db_t *db, int64_t id, crs_internship_t *out);
int crs_store_internship_json(db_t *db, const crs_internship_t *it, json_t **out);
/* The internships of the scope's subtree, newest first (ids before `cursor`
 * when > 0, up to `limit`). */
int crs_store_internship_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items);
/* Sets the fields given (NULL / -1 leave one as it is). */
int crs_store_internship_update(db_t *db, const crs_internship_t *it, const crs_internship_input_t *in, int64_t now);
int crs_store_internship_complete(db_t *db, const crs_internship_t *it, const char *date, int64_t now);

/* ---- teachers (store_more.c) ---- */
/* 0 when `user_id` is an active teacher account of the course's organisation
 * or of one containing it, inside the scope's subtree; else 1. */
int crs_store_teacher_eligible(const scope_t *sc, db_t *db, const crs_course_t *c, int64_t user_id);
/* Replaces the course's teachers with the ids of `user_ids` (checked). */
int crs_store_teachers_set(const scope_t *sc, db_t *db, const crs_course_t *c, const int64_t *user_ids, size_t n,
                           int64_t now);
/* The course's teachers: {id, name} by name. */
int crs_store_teachers_json(db_t *db, const crs_course_t *c, json_t *items);
/* The teacher accounts that could be assigned to the course: {id, name}. */
int crs_store_teacher_candidates(const scope_t *sc, db_t *db, const crs_course_t *c, json_t *items);

/* ---- a person's courses, for the help desk (store_more.c) ---- */
/* The person's enrolments in courses of the scope's subtree, by start date:
 * course, status, levels, counts (C5), certificate code and level. */
int crs_store_person_enrolments(const scope_t *sc, db_t *db, const crs_person_t *p, json_t *items);
/* The person's latest certificate of a language course of a CPIA (an
 * organisation of category adult_school) at A2 or above: 0 or 1. */
int crs_store_person_exemption(const scope_t *sc, db_t *db, const crs_person_t *p, json_t **out);
/* Courses of the person's district in the scope's subtree that end on or
 * after `today`, the person is not in, of one of `audiences` (n) and, when
 * `levels` (n_levels > 0), at one of those levels or without a target. */
int crs_store_courses_near(const scope_t *sc, db_t *db, const crs_person_t *p, const char *today,
                           const char *const *audiences, size_t n_audiences, const char *const *levels,
                           size_t n_levels, json_t *items);

/* ---- the region's aggregates (store_more.c) ---- */
/* Per district (kind ambito) of the scope: courses, enrolled, completed
 * (a certificate), withdrawn. Counts only. */
int crs_store_summary_districts(const scope_t *sc, db_t *db, json_t *items);
/* Enrolments that had a place and ended (withdrawn, certified, or their
 * course ended before `today`), and how many of them have a certificate. */
int crs_store_summary_completion(const scope_t *sc, db_t *db, const char *today, int64_t *ended, int64_t *certified);

#endif

/* courses.h — courses of the plan's training paths: Italian L2 for adults
 * and pupils, literacy, orientation, operators' and mediators' training;
 * their sessions (single, or from a weekly pattern skipping the national
 * holidays of data/courses/holidays.json), enrolments of the help desk's
 * persons with a waiting list, attendance registers, certificates with a
 * public verification code, and the register exports.
 *
 * Rules this module keeps (numbered, referred to in the code):
 *  C1 Scope: coordinators (CAP_COURSE_MANAGE) manage the courses of their
 *     organisation's subtree, teachers those of it they are assigned to by
 *     name; CAP_COURSE_READ reads courses (no personal data). A course,
 *     session, enrolment or certificate out of the subtree, or not assigned
 *     to the teacher, is absent (404).
 *  C1a A course's teachers are active teacher accounts of its organisation
 *     or of one containing it, inside the caller's subtree (422 "teachers").
 *     A teacher who creates a course is among its teachers; the list is
 *     changed by coordinators (CAP_COURSE_ASSIGN).
 *  C2 A course takes `capacity` enrolled learners; past it newcomers wait,
 *     in order of arrival. The same person once per course (409).
 *  C3 A withdrawal (with its reason) gives the place to the first waiting,
 *     who is told through the outbox (their e-mail, else the course's
 *     organiser's).
 *  C4 A session's register is written in one request, all or nothing: every
 *     mark must name an enrolment (enrolled) of the session's course, else
 *     422 and nothing is saved. Moving or cancelling a session keeps them.
 *  C5 attendance_pct = (present + late) / sessions held * 100, where a
 *     session is held when it is not cancelled and has any mark (0 when none
 *     was held). A learner under the course's minimum once three sessions
 *     were held is a warning.
 *  C6 A certificate is issued only at attendance_pct >= min_attendance_pct
 *     (409 attendance_below_minimum); issued once per enrolment, with a code
 *     that /verify/{code} answers publicly with the initials only.
 *  C7 Every enrolment keeps its project: the one given (a project of the
 *     course's district or of the region), else the project of its district
 *     whose dates hold the course's start date (none: NULL).
 *  C8 Pupils are minors: a course for pupils enrols someone only with their
 *     class, a guardian to contact and the guardian's consent (422 naming
 *     the field missing).
 *  C9 School support records (reception, L2 laboratory, summer support,
 *     school-family meeting, intercultural laboratory) belong to the pupil's
 *     school and are seen by CAP_COURSE_MANAGE of its subtree only: the
 *     school's teachers and the district's coordinator.
 *  C10 A pupil is on the early-leaving watch list when at least 2 of their
 *     last 3 support records were missed (repeated absences), or when they
 *     attended at least 2 fewer of their last 4 than of the 4 before
 *     (falling attendance).
 *  C12 The help desk's person page shows the person's courses with their
 *     attendance (C5); a certificate of a CPIA's language course at A2 or
 *     above is the exemption from the A2 test (DOMAIN.md), also for the EU
 *     long-term permit; and courses near the person are offered: of their
 *     district, not ended, not already theirs, of an audience they belong to
 *     (pupils under 18, women courses for women), at their level (the latest
 *     known exit or entry level) or the next one, or without a target level.
 *  C13 The region sees aggregates only: counts by kind, sex, age band and
 *     district, the completion rate and levels gained, never a name.
 *  C11 A mediator's internship belongs to the mediator's district and is
 *     managed by those who manage courses and see the mediator in the
 *     register (its coordinators). It completes only with the hours required
 *     done and an evaluation (409 / 422); completion adds it to the
 *     mediator's training in the register, through the mediation module.
 *
 * This header is the module's contract: pages.c and web.c call only what is
 * declared here. Operations load through the scope (store.h), validate,
 * write inside the caller's transaction, and return 0, 1 for "absent or out
 * of scope", -status with `e` filled (the field at fault named), or a DB_E*
 * code: handlers map every non-zero result once with web_store_fail.
 *
 * Audit: the handler writes the entry through web_audit_event; an operation
 * on one record hands back a crs_ref_t naming it, its person (if any) and
 * its organisation, so the district's coordinators see the entry. */
#ifndef LI_COURSES_H
#define LI_COURSES_H
#include "app/scope.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The capabilities of courses (app/scope.h). */
extern const capability_t cap_course_manage, cap_course_read;
#define CAP_COURSE_MANAGE (&cap_course_manage) /* courses of the scope: sessions, enrolments, registers, certificates */
#define CAP_COURSE_READ (&cap_course_read)     /* read courses and their aggregates, no personal data */
extern const capability_t cap_course_assign, cap_course_region;
#define CAP_COURSE_ASSIGN (&cap_course_assign) /* change the teachers of a course */
#define CAP_COURSE_REGION (&cap_course_region) /* the region's aggregates page */
#define CRS_MAX_TEACHERS 20

#define CRS_TITLE_MAX 200
#define CRS_TEXT_MAX 500
#define CRS_MAX_PATTERN 200 /* sessions one weekly pattern may create */
#define CRS_MAX_MARKS 500
#define CRS_WARN_AFTER 3    /* sessions held before a low attendance warns */

/* ---- rules without storage (rules.c) ------------------------------------------ */

bool crs_kind_valid(const char *kind);
bool crs_audience_valid(const char *audience);
/* True for a CEFR level: "pre-A1", "A1", "A2", "B1", "B2", "C1", "C2". */
bool crs_level_valid(const char *level);
bool crs_mark_valid(const char *status); /* present, late, excused, absent */
/* The course kinds, audiences and levels, NULL-terminated (forms). */
const char *const *crs_kinds(void);
const char *const *crs_audiences(void);
const char *const *crs_levels(void);
/* C5: (present + late) / held * 100; 0 when held is 0. */
double crs_attendance_pct(int64_t present, int64_t late, int64_t held);
/* C5: true when `held` >= CRS_WARN_AFTER and the percentage is under min_pct. */
bool crs_attendance_warns(int64_t present, int64_t late, int64_t held, int64_t min_pct);
/* "HH:MM" -> minutes of the day 0..1439; -1 when malformed. */
int crs_hhmm(const char *s);
/* The dates (days since 1970) of weekdays `days_mask` (bit 1 Monday .. bit 7
 * Sunday) from `from` to `to` inclusive, leaving out the sorted `holidays`
 * (counted in *skipped). Up to `max` into out; returns how many, or -1 when
 * there would be more than max. */
int crs_weekly_days(int64_t from, int64_t to, unsigned days_mask, const int64_t *holidays, size_t nholidays,
                    int64_t *out, size_t max, size_t *skipped);
/* The national holidays of data/courses/holidays.json (LABIMPACT_HOME; loaded
 * once; thread-safe), sorted, as days since 1970. NULL with *n = 0 when the
 * file cannot be read (then nothing is skipped, logged once). */
const int64_t *crs_holidays(size_t *n);
bool crs_support_kind_valid(const char *kind);
const char *const *crs_support_kinds(void);
/* C10: why a pupil with these support records (attended or not, oldest
 * first) is watched: "repeated_absences", "falling_attendance", or NULL. */
const char *crs_watch_reason(const bool *attended, size_t n);
/* "A. D." from a given and family name (UTF-8: the first character of each). */
void crs_initials(const char *given, const char *family, char *out, size_t len);
/* The date "YYYY-MM-DD" (UTC) of Unix time `t`, a certificate's issued_at, into out[11]. */
void crs_date_of(int64_t t, char out[11]);

/* ---- records and inputs --------------------------------------------------------- */

/* What an operation read or changed, for the handler's audit entry. */
typedef struct crs_ref {
    int64_t id;        /* the record's id */
    int64_t person_id; /* its person (0: none) */
    int64_t org_id;    /* its organisation */
} crs_ref_t;

/* A course to create: strings NULL when absent; numbers -1 when absent. */
typedef struct crs_course_input {
    const char *title, *kind, *org, *audience, *target_level, *start_date, *end_date, *place;
    int64_t hours, capacity, min_attendance_pct;
    bool childcare, evening, online;
    const int64_t *teachers; /* user ids of teachers assigned (NULL: none given) */
    size_t nteachers;
} crs_course_input_t;

/* Which courses a list shows: NULL / -1 for any. */
typedef struct crs_course_filter {
    const char *kind, *audience, *org;
    int childcare, evening, online; /* -1 any, 0 / 1 */
    int64_t cursor;
    int limit;
    bool managed; /* only courses the scope manages (a teacher's: those assigned) */
} crs_course_filter_t;

/* A single session, or the change of one (NULL / -1: unchanged). */
typedef struct crs_session_input {
    const char *date, *start, *status;
    int64_t minutes;
} crs_session_input_t;

/* A weekly pattern of sessions. */
typedef struct crs_pattern {
    unsigned days_mask; /* bit 1 Monday .. bit 7 Sunday */
    const char *start, *from, *to;
    int64_t minutes;
} crs_pattern_t;

/* An enrolment to create: an existing person, or a new one (`person`, the
 * help desk's person fields) registered on the way. */
typedef struct crs_enrol_input {
    int64_t person_id, project_id; /* 0: none */
    const json_t *person;          /* NULL, or a new person's fields */
    bool allow_duplicate;          /* register `person` even when it looks like someone held */
    const char *entry_level;
    const char *school_class, *guardian_name, *guardian_phone; /* pupils (C8); NULL otherwise */
    bool guardian_consent;
} crs_enrol_input_t;

/* A school support record to create: strings NULL when absent. */
typedef struct crs_support_input {
    int64_t person_id, minutes;
    const char *org, *kind, *date, *notes;
    bool attended;
} crs_support_input_t;

/* An internship to create or change: strings NULL, numbers -1 when absent. */
typedef struct crs_internship_input {
    int64_t mediator_id, hours_required, hours_done;
    const char *host_org, *tutor, *evaluation;
} crs_internship_input_t;

/* A certificate as the PDF prints it. */
typedef struct crs_certificate {
    char code[32], initials[32], given_name[128], family_name[128], course_title[256], org_name[256];
    char level[8], start_date[11], end_date[11], issued_on[11];
    int64_t hours, hours_attended, issued_at;
    double attendance_pct;
} crs_certificate_t;

/* ---- courses and sessions (courses.c) ------------------------------------------ */

int crs_course_create(const scope_t *sc, db_t *db, const crs_course_input_t *in, crs_ref_t *ref, err_t *e);
/* Visible courses by id after the cursor, each with enrolled / waiting counts. */
int crs_course_list(const scope_t *sc, db_t *db, const crs_course_filter_t *f, json_t *items, err_t *e);
/* One visible course as JSON, with counts, its teachers [{id, name}],
 * "can_manage", and (for those who manage it) its sessions. */
int crs_course_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, crs_ref_t *ref, err_t *e);
/* Replaces the teachers of a course (C1a): CAP_COURSE_ASSIGN. */
int crs_course_teachers(const scope_t *sc, db_t *db, int64_t id, const int64_t *user_ids, size_t n, crs_ref_t *ref,
                        err_t *e);
/* The teacher accounts the scope could assign to a course it manages: {id, name}. */
int crs_course_teacher_candidates(const scope_t *sc, db_t *db, int64_t id, json_t *items, err_t *e);
/* A single session of a managed course (`ref` names the session). */
int crs_session_add(const scope_t *sc, db_t *db, int64_t course_id, const crs_session_input_t *in, crs_ref_t *ref,
                    err_t *e);
/* The sessions of a weekly pattern: their ids into `ids`, the holiday dates
 * left out into `skipped` ("YYYY-MM-DD"). 422 when none would remain. */
int crs_session_pattern(const scope_t *sc, db_t *db, int64_t course_id, const crs_pattern_t *p, json_t *ids,
                        json_t *skipped, crs_ref_t *ref, err_t *e);
/* Moves (date, start, minutes) or cancels / restores (status) a session; marks stay. */
int crs_session_update(const scope_t *sc, db_t *db, int64_t id, const crs_session_input_t *in, crs_ref_t *ref,
                       err_t *e);
/* One session of a managed course with its course and the register of that
 * session: {"session", "course", "learners": [{enrolment_id, name, status}]}
 * in course order (family, given name). */
int crs_session_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, crs_ref_t *ref, err_t *e);

/* ---- enrolments, attendance, certificates (enrol.c) --------------------------- */

/* Enrols a visible person (C2, C7); *status "enrolled" or "waiting". `ref`
 * names the enrolment; *new_person_id is the person registered (0: none). */
int crs_enrol(const scope_t *sc, db_t *db, int64_t course_id, const crs_enrol_input_t *in, crs_ref_t *ref,
              const char **status, int64_t *new_person_id, err_t *e);
/* The enrolments of a managed course with their attendance, in course order. */
int crs_enrolment_list(const scope_t *sc, db_t *db, int64_t course_id, json_t *items, crs_ref_t *ref, err_t *e);
/* One enrolment with attendance_pct (C5) and its certificate code if any. */
int crs_enrolment_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, crs_ref_t *ref, err_t *e);
/* Sets the exit (and / or entry) level; NULL leaves one as it is. */
int crs_enrolment_levels(const scope_t *sc, db_t *db, int64_t id, const char *entry_level, const char *exit_level,
                         crs_ref_t *ref, err_t *e);
/* Withdraws (C3); *promoted is the enrolment that got the place (0: none). */
int crs_withdraw(const scope_t *sc, db_t *db, int64_t id, const char *reason, crs_ref_t *ref, int64_t *promoted,
                 err_t *e);
/* The register of a session (C4): marks [{enrolment_id, status}]. */
int crs_attendance_put(const scope_t *sc, db_t *db, int64_t session_id, const json_t *marks, crs_ref_t *ref,
                       err_t *e);
/* Issues (or reads again) the certificate of an enrolment (C6). */
int crs_certificate_issue(const scope_t *sc, db_t *db, int64_t enrolment_id, crs_certificate_t *out, crs_ref_t *ref,
                          err_t *e);
/* The public verification of a code: {code, initials, course, org, level,
 * hours_attended, issued_on}; 1 when unknown. */
int crs_verify(db_t *db, const char *code, json_t **out);

/* ---- registers and workspaces (register.c) ---------------------------------------- */

/* The register of a managed course: {"course", "sessions": [{id, date,
 * start, status}], "learners": [{enrolment_id, name, status, marks: [status
 * or null per session], attendance_pct}]}. */
int crs_register(const scope_t *sc, db_t *db, int64_t course_id, json_t **out, crs_ref_t *ref, err_t *e);
/* The workspace of the scope on `today`: {"courses": [...], "today":
 * [sessions], "warnings": [learners under the minimum]}. */
int crs_workspace(const scope_t *sc, db_t *db, const char *today, json_t **out, err_t *e);
/* Aggregates of the visible courses (no personal data): per kind, course
 * count, enrolled, waiting, withdrawn, capacity; per sex and age band;
 * levels gained. */
int crs_summary(const scope_t *sc, db_t *db, json_t **out, err_t *e);

/* The region's aggregates (C13): crs_summary plus "by_district" and
 * "completion" {ended, certified, rate_pct}; CAP_COURSE_REGION. Counts of
 * persons under 5, and the complementary ones that would reveal them, are
 * null (monitoring's mon_suppress); "suppression": {"threshold": 5}. */
int crs_region_summary(const scope_t *sc, db_t *db, json_t **out, err_t *e);

/* ---- a person's courses for the help desk (person.c) ---------------------------- */

/* C12, read-only, for the help desk's person page and the API: {"level",
 * "enrolments": [{id, course_id, course_title, org_name, status, entry_level,
 * exit_level, attendance_pct, warning, certificate_code}], "exemption":
 * {code, level, course, org, issued_on} or null, "open_near": [courses]} of
 * person `person_id` (CAP_PERSON_READ, the person in scope; 1 otherwise).
 * `ref` names the person for the caller's audit entry. */
int crs_person_courses(const scope_t *sc, db_t *db, int64_t person_id, const char *today, json_t **out,
                       crs_ref_t *ref, err_t *e);
/* The exemption alone (C12), for a procedure's page: 0 with *out, 1 none. */
int crs_person_exemption(const scope_t *sc, db_t *db, int64_t person_id, json_t **out, err_t *e);

/* ---- school support and the watch list (support.c) ------------------------------ */

/* A support record of a pupil of the scope at a school of the scope (C9). */
int crs_support_create(const scope_t *sc, db_t *db, const crs_support_input_t *in, crs_ref_t *ref, err_t *e);
/* The support records of the scope (of one pupil when person_id > 0),
 * newest recorded first: ids before `cursor` (> 0), up to `limit`. */
int crs_support_list(const scope_t *sc, db_t *db, int64_t person_id, int64_t cursor, int limit, json_t *items,
                     err_t *e);
/* The early-leaving watch list of the scope (C10): {person_id, given_name,
 * family_name, school, reason, records, missed}. */
int crs_watch_list(const scope_t *sc, db_t *db, json_t *items, err_t *e);

/* ---- mediators' internships (internship.c) --------------------------------------- */

/* A new internship of a mediator of the register (C11); `ref` names it. */
int crs_internship_create(const scope_t *sc, db_t *db, const crs_internship_input_t *in, crs_ref_t *ref, err_t *e);
/* The internships of the scope, newest first: ids before `cursor` (> 0), up to `limit`. */
int crs_internship_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e);
/* One internship as JSON. */
int crs_internship_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, crs_ref_t *ref, err_t *e);
/* Records hours done, the evaluation or the tutor (absent fields unchanged). */
int crs_internship_update(const scope_t *sc, db_t *db, int64_t id, const crs_internship_input_t *in, crs_ref_t *ref,
                          err_t *e);
/* Completes it (C11) and adds it to the mediator's training; *mediator_id
 * names the mediator record changed, for its audit entry. */
int crs_internship_complete(const scope_t *sc, db_t *db, int64_t id, crs_ref_t *ref, int64_t *mediator_id, err_t *e);

/* ---- demo (demo.c) ------------------------------------------------------------------ */

/* A season of courses in the demo districts with learners from the demo
 * persons, sessions and attendance; inside the caller's transaction. 0 or -1
 * with a line on `log`. */
int crs_demo(db_t *db, unsigned long seed, FILE *log);

#endif

/* internal.h — what the operation files of courses (courses.c, enrol.c,
 * register.c) share; the pages and the API include courses.h only. */
#ifndef LI_COURSES_INTERNAL_H
#define LI_COURSES_INTERNAL_H
#include "courses.h"
#include "store.h"

/* Loads a course the scope manages (C1): 403 without CAP_COURSE_MANAGE, 1
 * when absent or out of scope. Fills `ref` with it. */
int crs_managed_course(const scope_t *sc, db_t *db, int64_t id, crs_course_t *c, crs_ref_t *ref, err_t *e);
/* Loads a session of a course the scope manages, the same way. */
int crs_managed_session(const scope_t *sc, db_t *db, int64_t id, crs_session_t *s, crs_ref_t *ref, err_t *e);
/* Loads an enrolment the scope manages, the same way. */
int crs_managed_enrolment(const scope_t *sc, db_t *db, int64_t id, crs_enrolment_t *en, crs_ref_t *ref, err_t *e);
/* Adds attendance_pct (C5), min_attendance_pct and warning to an object
 * holding the counts "present", "late" and "sessions_held". */
void crs_add_counts_pct(json_t *o, int64_t min_pct);

#endif

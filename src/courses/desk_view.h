/* desk_view.h — what the help desk's pages take from courses (C12), beside
 * the operations of courses.h: the A2-test exemption shown on a procedure. */
#ifndef LI_COURSES_DESK_VIEW_H
#define LI_COURSES_DESK_VIEW_H
#include "core/http.h"
#include "courses.h"

/* When `procedure` (its "type", "person_id") is an A2 test or an EU
 * long-term permit and its person holds a CPIA certificate at A2 or above
 * visible to `sc` (with CAP_PERSON_READ and CAP_COURSE_READ), sets
 * target["exemption"] to it and audits the read (course.exemption.read).
 * 0 otherwise too; an operation's error or -status on failure. */
int crs_procedure_exemption(http_req_t *req, const scope_t *sc, db_t *db, const json_t *procedure, json_t *target);

#endif

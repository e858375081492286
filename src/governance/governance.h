/* governance.h — projects and the periods the region approves, as the other
 * modules see them: which project an activity belongs to, and whether its
 * date lies in a locked (approved) period.
 *
 * Every module that writes an activity (consultation, procedure, course
 * enrolment, mediation request, meeting, event, material) calls
 * gov_project_for when it creates one and gov_period_open before it creates
 * or changes one, in the same transaction as the write.
 *
 * Returns: 0, or -status with `e` filled (422 naming the field, 409, 503/500
 * when the database fails). */
#ifndef LI_GOVERNANCE_H
#define LI_GOVERNANCE_H
#include "core/err.h"
#include "db/db.h"
#include <stdint.h>

/* The project of an activity of the organisation at `org_path` dated `date`
 * (YYYY-MM-DD), into *project_id:
 * - `given` > 0: that project, when its organisation is `org_path` or one of
 *   its ancestors (else 422 unknown_project on "project_id");
 * - `given` == 0: the project of the activity's district (or an ancestor)
 *   whose start and end dates hold `date`, the latest started first; 0 when
 *   none does (the activity then counts for no project). */
int gov_project_for(db_t *db, const char *org_path, const char *date, int64_t given, int64_t *project_id, err_t *e);

/* 0 when `date` of project `project_id` lies in no approved period; 409
 * period_locked (on `field`) when it does. A project id of 0 is never
 * locked. Call it for the old and the new date of a change. */
int gov_period_open(db_t *db, int64_t project_id, const char *date, const char *field, err_t *e);

#endif

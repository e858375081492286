/* attribution.c — which project an activity belongs to, and the locks of
 * approved periods (governance.h). Called by every module that writes an
 * activity, inside its write transaction. */
#include "governance.h"
#include "store.h"

/* A failed store call as -status: 503 when the database is busy or gone. */
static int gov_db_fail(int rc, err_t *e)
{
    if (rc == DB_ECONN || rc == DB_EBUSY)
        return err_set(e, 503, rc == DB_EBUSY ? "busy" : "unavailable", NULL, "The service is temporarily unavailable.");
    return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
}

int gov_project_for(db_t *db, const char *org_path, const char *date, int64_t given, int64_t *project_id, err_t *e)
{
    *project_id = 0;
    if (given < 0) return err_set(e, 422, "invalid", "project_id", "The project id is a positive number.");
    int rc = given ? gov_store_project_above(db, org_path, given) : gov_store_project_on(db, org_path, date, project_id);
    if (rc < 0) return gov_db_fail(rc, e);
    if (given && rc == 1)
        return err_set(e, 422, "unknown_project", "project_id", "No such project for this activity's district.");
    if (given) *project_id = given;
    return 0;
}

int gov_project_of(db_t *db, int64_t org_id, const char *date, int64_t given, int64_t *project_id, err_t *e)
{
    char path[256];
    *project_id = 0;
    int rc = gov_store_org_path(db, org_id, path, sizeof path);
    if (rc < 0) return gov_db_fail(rc, e);
    if (rc == 1) return given ? err_set(e, 422, "unknown_project", "project_id", "No such project for this activity's district.") : 0;
    return gov_project_for(db, path, date, given, project_id, e);
}

int gov_period_check(db_t *db, int64_t project_id, const char *date, const char *field, bool *late, err_t *e)
{
    int64_t submission = 0;
    *late = false;
    if (project_id <= 0 || !date || !*date) return 0;
    int rc = gov_store_period_locked(db, project_id, date, &submission);
    if (rc < 0) return gov_db_fail(rc, e);
    if (rc == 1)
        return err_set(e, 409, "period_locked", field,
                       "This date lies in a period the region has approved: it can no longer change.");
    if (rc == 2) { /* G8: reopened — allowed, recorded as a late correction */
        *late = true;
        if ((rc = gov_store_late_insert(db, submission, date, field, db_now()))) return gov_db_fail(rc, e);
    }
    return 0;
}

int gov_period_open(db_t *db, int64_t project_id, const char *date, const char *field, err_t *e)
{
    bool late;
    return gov_period_check(db, project_id, date, field, &late, e);
}

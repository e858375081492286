/* submissions.c — the semesters a district submits to the region (G7) and
 * the region's decisions: approve (locks the period), return with a comment
 * (the district corrects and submits again), reopen an approved period with
 * a reason (G8: changes dated inside it are then recorded as late
 * corrections until the region approves it again). No SQL, no HTTP. */
#include "internal.h"
#include "core/date.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool gov_period_parse(const char *period, char from[11], char to[11])
{
    if (!period || strlen(period) != 7 || period[4] != '-' || period[5] != 'S' || (period[6] != '1' && period[6] != '2'))
        return false;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)period[i])) return false;
    if (period[0] == '0') return false;
    snprintf(from, 11, "%.4s-%s", period, period[6] == '1' ? "01-01" : "07-01");
    snprintf(to, 11, "%.4s-%s", period, period[6] == '1' ? "06-30" : "12-31");
    return true;
}

int gov_submit(const scope_t *sc, db_t *db, int64_t project_id, const char *period, gov_ref_t *ref, err_t *e)
{
    gov_project_t p;
    gov_ref_t pref;
    char from[11], to[11], today[11];
    int rc = gov_project_load(sc, db, CAP_GOV_MANAGE, project_id, &p, &pref, e);
    if (rc) return rc == 1 ? err_set(e, 422, "unknown_project", "project_id", "No such project in your area.") : rc;
    if (!gov_period_parse(period, from, to))
        return err_set(e, 422, "invalid", "period", "A period is a semester: YYYY-S1 or YYYY-S2.");
    date_today(today, 0);
    if ((p.start[0] && strcmp(to, p.start) < 0) || (p.end[0] && strcmp(from, p.end) > 0))
        return err_set(e, 422, "outside_project", "period", "The semester is outside the project's dates.");
    if (strcmp(from, today) > 0) return err_set(e, 422, "not_begun", "period", "This semester has not begun yet.");
    gov_submission_t s;
    int64_t now = db_now();
    ref->org_id = p.org_id;
    rc = gov_store_submission_find(db, &p, period, &s);
    if (rc < 0) return rc;
    if (rc == 1) {
        if ((rc = gov_store_submission_insert(sc, db, &p, period, from, to, now, &ref->id))) return rc;
        s.id = ref->id;
    } else {
        if (strcmp(s.status, "returned"))
            return err_set(e, 409, "already_submitted", "period",
                           !strcmp(s.status, "approved") ? "The region has already approved this semester."
                                                         : "This semester is already waiting for the region.");
        ref->id = s.id;
        if ((rc = gov_store_submission_set(sc, db, &s, "submitted", NULL, -1, now))) return rc;
    }
    return gov_store_submission_event(sc, db, &s, "submitted", NULL, now);
}

int gov_decide(const scope_t *sc, db_t *db, int64_t id, const char *action, const char *comment, gov_ref_t *ref,
               err_t *e)
{
    gov_submission_t s;
    int rc = scope_require(sc, CAP_GOV_APPROVE, e);
    if (rc || (rc = gov_store_submission_get(sc, db, id, &s))) return rc;
    ref->id = s.id;
    ref->org_id = s.project.org_id;
    if (comment && !*comment) comment = NULL;
    bool reopened = !strcmp(s.status, "approved") && s.reopened_at;
    int64_t now = db_now();
    if (!strcmp(action, "approve")) {
        if (strcmp(s.status, "submitted") && !reopened)
            return err_set(e, 409, "not_submitted", NULL, "Only a submitted (or reopened) semester can be approved.");
        rc = gov_store_submission_set(sc, db, &s, "approved", comment, 0, now);
        action = "approved";
    } else if (!strcmp(action, "return")) {
        if (strcmp(s.status, "submitted"))
            return err_set(e, 409, "not_submitted", NULL, "Only a submitted semester can be returned.");
        if (!comment) return err_set(e, 422, "required", "comment", "Say what the district should correct.");
        rc = gov_store_submission_set(sc, db, &s, "returned", comment, -1, now);
        action = "returned";
    } else if (!strcmp(action, "reopen")) {
        if (strcmp(s.status, "approved") || reopened)
            return err_set(e, 409, "not_approved", NULL, "Only an approved, locked semester can be reopened.");
        if (!comment) return err_set(e, 422, "required", "comment", "Give the reason for reopening the semester.");
        rc = gov_store_submission_set(sc, db, &s, "approved", comment, 1, now);
        action = "reopened";
    } else {
        return 1;
    }
    return rc ? rc : gov_store_submission_event(sc, db, &s, action, comment, now);
}

int gov_submission_list(const scope_t *sc, db_t *db, int64_t project_id, const char *status, json_t *items, err_t *e)
{
    static const char *const statuses[] = {"submitted", "returned", "approved", "reopened", NULL};
    int rc = scope_require(sc, CAP_GOV_READ, e);
    if (rc) return rc;
    bool ok = !status;
    for (int i = 0; status && statuses[i]; i++) ok = ok || !strcmp(status, statuses[i]);
    if (!ok) return err_set(e, 422, "invalid", "status", "Choose one of the listed values.");
    return gov_store_submission_list(sc, db, project_id, status, items);
}

int gov_submission_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, gov_ref_t *ref, err_t *e)
{
    gov_submission_t s;
    int rc = scope_require(sc, CAP_GOV_READ, e);
    if (rc || (rc = gov_store_submission_get(sc, db, id, &s))) return rc;
    ref->id = s.id;
    ref->org_id = s.project.org_id;
    return gov_store_submission_json(db, &s, out);
}

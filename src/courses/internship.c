/* internship.c — mediators' internships (courses.h, C11): the trainee is a
 * mediator of the district's register, read through the mediation module's
 * own scoped operations; completion adds the internship to the mediator's
 * training there. No SQL here (store.c), no HTTP here. */
#include "internal.h"
#include "core/date.h"
#include "core/json.h"
#include "mediation/mediation.h"
#include <stdio.h>
#include <string.h>

/* Loads an internship the scope manages (C1, C11) into *it; `ref` names it. */
static int managed_internship(const scope_t *sc, db_t *db, int64_t id, crs_internship_t *it, crs_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    if (rc || (rc = crs_store_internship_get(sc, db, id, it))) return rc;
    *ref = (crs_ref_t){it->id, 0, it->org_id};
    return 0;
}

/* Checks hours and texts of an internship's input. */
static int internship_check(const crs_internship_input_t *in, bool create, err_t *e)
{
    if (create && !in->tutor) return err_set(e, 422, "required", "tutor", "This field is required.");
    if ((create || in->hours_required >= 0) && (in->hours_required < 1 || in->hours_required > 2000))
        return err_set(e, 422, "invalid", "hours_required", "Give a whole number in the allowed range.");
    if (in->hours_done > 2000) return err_set(e, 422, "invalid", "hours_done", "Give a whole number in the allowed range.");
    return 0;
}

int crs_internship_create(const scope_t *sc, db_t *db, const crs_internship_input_t *in, crs_ref_t *ref, err_t *e)
{
    json_t *mediator = NULL;
    med_ref_t mref = {0, 0};
    org_t host;
    int64_t id = 0;
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    if (rc || (rc = internship_check(in, true, e))) return rc;
    err_t ignored = {0};
    if (med_mediator_read(sc, db, in->mediator_id, &mediator, &mref, &ignored))
        return err_set(e, 422, "unknown_mediator", "mediator_id", "No such mediator in your district's register.");
    json_decref(mediator);
    if ((rc = org_visible(sc, db, in->host_org ? in->host_org : "", &host)) < 0) return rc;
    if (rc || !scope_covers(sc, host.path))
        return err_set(e, 422, "unknown_org", "host_org", "No such organisation in your area.");
    crs_trainee_t t = {mref.id, mref.org_id};
    if ((rc = crs_store_internship_insert(sc, db, &t, &host, in, db_now(), &id))) return rc;
    *ref = (crs_ref_t){id, 0, mref.org_id};
    return 0;
}

int crs_internship_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    return rc ? rc : crs_store_internship_list(sc, db, cursor, limit, items);
}

int crs_internship_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, crs_ref_t *ref, err_t *e)
{
    crs_internship_t it;
    int rc = managed_internship(sc, db, id, &it, ref, e);
    return rc ? rc : crs_store_internship_json(db, &it, out);
}

int crs_internship_update(const scope_t *sc, db_t *db, int64_t id, const crs_internship_input_t *in, crs_ref_t *ref,
                          err_t *e)
{
    crs_internship_t it;
    int rc = managed_internship(sc, db, id, &it, ref, e);
    if (rc || (rc = internship_check(in, false, e))) return rc;
    if (strcmp(it.status, "completed") == 0)
        return err_set(e, 409, "internship_completed", NULL, "This internship is completed.");
    return crs_store_internship_update(db, &it, in, db_now());
}

/* Appends "Tirocinio presso <host> (<hours> h, <date>)" to the mediator's training. */
static int add_training(const scope_t *sc, db_t *db, const crs_internship_t *it, const char *date, err_t *e)
{
    json_t *mediator = NULL;
    med_ref_t mref = {0, 0};
    int rc = med_mediator_read(sc, db, it->mediator_id, &mediator, &mref, e);
    if (rc) return rc;
    json_t *training = json_deep_copy(json_object_get(mediator, "training"));
    json_decref(mediator);
    if (!json_is_array(training)) {
        json_decref(training);
        training = json_array();
    }
    char line[400];
    snprintf(line, sizeof line, "Tirocinio presso %s (%lld h, concluso il %s)", it->host_name, (long long)it->hours_done,
             date);
    json_array_append_new(training, json_string(line));
    med_mediator_input_t in;
    memset(&in, 0, sizeof in);
    in.training = training;
    in.remote = in.active = -1;
    rc = med_mediator_update(sc, db, it->mediator_id, &in, &mref, e);
    json_decref(training);
    return rc;
}

int crs_internship_complete(const scope_t *sc, db_t *db, int64_t id, crs_ref_t *ref, int64_t *mediator_id, err_t *e)
{
    crs_internship_t it;
    char today[11];
    int rc = managed_internship(sc, db, id, &it, ref, e);
    if (rc) return rc;
    if (strcmp(it.status, "completed") == 0)
        return err_set(e, 409, "internship_completed", NULL, "This internship is completed.");
    if (it.hours_done < it.hours_required)
        return err_set(e, 409, "hours_missing", "hours_done", "The hours required are not done yet.");
    if (!*it.evaluation) return err_set(e, 422, "required", "evaluation", "This field is required.");
    date_today(today, 0);
    if ((rc = crs_store_internship_complete(db, &it, today, db_now())) || (rc = add_training(sc, db, &it, today, e)))
        return rc;
    *mediator_id = it.mediator_id;
    return 0;
}

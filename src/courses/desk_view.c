/* desk_view.c — the A2-test exemption on the help desk's procedures (see
 * desk_view.h): read through crs_person_exemption, audited here. */
#include "desk_view.h"
#include "app/server.h"
#include "core/json.h"
#include "desk/desk.h"
#include <string.h>

int crs_procedure_exemption(http_req_t *req, const scope_t *sc, db_t *db, const json_t *procedure, json_t *target)
{
    const char *type = jstr_or_empty(procedure, "type");
    int64_t person_id = json_integer_value(json_object_get(procedure, "person_id"));
    if ((strcmp(type, "a2_test") && strcmp(type, "eu_long_term")) || person_id <= 0 || !scope_can(sc, CAP_COURSE_READ) ||
        !scope_can(sc, CAP_PERSON_READ))
        return 0;
    json_t *ex = NULL;
    int rc = crs_person_exemption(sc, db, person_id, &ex, &web(req)->err);
    if (rc) return rc == 1 ? 0 : rc;
    rc = web_audit_id(req, "course.exemption.read", "person", person_id, person_id,
                      json_integer_value(json_object_get(procedure, "org_id")), jstr(ex, "code"));
    json_object_set_new(target, "exemption", ex);
    return rc;
}

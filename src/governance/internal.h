/* internal.h — what the operation files of governance (projects.c,
 * budget.c, submissions.c) share; pages and the API include governance.h. */
#ifndef LI_GOVERNANCE_INTERNAL_H
#define LI_GOVERNANCE_INTERNAL_H
#include "governance.h"
#include "store.h"

/* Loads a project the scope manages (G1): 403 without CAP_GOV_MANAGE, 1 when
 * absent or out of scope. Fills `ref` with it. */
int gov_managed_project(const scope_t *sc, db_t *db, int64_t id, gov_project_t *p, gov_ref_t *ref, err_t *e);
/* The same for reading (CAP_GOV_READ). */
int gov_visible_project(const scope_t *sc, db_t *db, int64_t id, gov_project_t *p, gov_ref_t *ref, err_t *e);

#endif

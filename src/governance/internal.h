/* internal.h — what the operation files of governance (projects.c,
 * budget.c, submissions.c) share; pages and the API include governance.h. */
#ifndef LI_GOVERNANCE_INTERNAL_H
#define LI_GOVERNANCE_INTERNAL_H
#include "governance.h"
#include "store.h"

/* Loads a project of the scope's subtree for `cap` (G1: CAP_GOV_MANAGE to
 * change it, CAP_GOV_READ to read it): 403 without it, 1 when absent or out
 * of scope. Fills `ref` with it. */
int gov_project_load(const scope_t *sc, db_t *db, cap_t cap, int64_t id, gov_project_t *p, gov_ref_t *ref, err_t *e);

#endif

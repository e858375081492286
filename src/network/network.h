/* network.h — the plan's network: the organisation tree (region, districts,
 * comuni, partners, support bodies), projects and their actions, and the four
 * macro-actions. Public data (shown on the public portal) except where said.
 *
 * Visibility through the API follows the scope: a user sees their subtree and
 * the chain of its ancestors; changes are allowed in the subtree only. */
#ifndef LI_NETWORK_H
#define LI_NETWORK_H
#include "app/org.h"
#include "app/scope.h"
#include "app/org.h"
#include "core/err.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>

/* Input of a new or changed organisation. */
typedef struct org_input {
    const char *code, *name, *kind, *parent, *category, *istat_code, *description;
    int is_lead; /* -1 when not given */
} org_input_t;

/* Validates and creates an organisation under `in->parent` (which must lie in
 * the scope's subtree). 0 with *id, or -status with `e` naming the field. */
int network_org_create(const scope_t *sc, db_t *db, const org_input_t *in, int64_t *id, err_t *e);
/* Changes name / category / istat_code / description / is_lead of `code`. */
int network_org_update(const scope_t *sc, db_t *db, const char *code, const org_input_t *in,
                       org_t *out, err_t *e);

#endif

/* network.h — the plan's network: the organisation tree (region, districts,
 * comuni, partners, support bodies), projects and their actions, and the four
 * macro-actions. Public data (shown on the public portal) except where said.
 * The operations that pages and the API call (web.c calls nothing else).
 *
 * Visibility through the API follows the scope: a user sees their subtree and
 * the chain of its ancestors; changes are allowed in the subtree only.
 *
 * Returns: 0; 1 when the record is absent or out of scope (answered 404);
 * or -status with `e` filled (403 without the capability, 422 naming the
 * field, 409, 503/500 when the database fails): web_store_fail answers each. */
#ifndef LI_NETWORK_H
#define LI_NETWORK_H
#include "app/org.h"
#include "app/scope.h"
#include "core/err.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>

/* Input of a new or changed organisation. */
typedef struct org_input {
    const char *code, *name, *kind, *parent, *category, *istat_code, *description;
    int is_lead; /* -1 when not given */
} org_input_t;

/* The public home page's data: {"macro_actions": [{n, title}] in `lang`,
 * "districts": [{code, name, description, lead, partners, comuni}],
 * "counts": {kind: n}} as a new object in *out. */
int network_portal(db_t *db, const char *lang, json_t **out, err_t *e);
/* A district's public page: {"district": {code, name, description},
 * "children": [{code, name, kind, category, is_lead}], "projects": [...]}
 * in *out; 1 when `code` is no district. */
int network_district(db_t *db, const char *code, json_t **out, err_t *e);
/* The workspace of the scope's organisation: {"children": [...],
 * "projects": [...]} in *out (needs the workspace capability). */
int network_workspace(const scope_t *sc, db_t *db, json_t **out, err_t *e);

/* Organisations the scope may read (org.read), by id after `cursor`, at
 * most `limit`, appended to `items` with their "id". */
int network_org_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e);
/* The organisation `code` as the API shows it, in *out (org.read). */
int network_org_get(const scope_t *sc, db_t *db, const char *code, json_t **out, err_t *e);
/* Validates and creates an organisation under `in->parent` (which must lie in
 * the scope's subtree). 0 with *id. */
int network_org_create(const scope_t *sc, db_t *db, const org_input_t *in, int64_t *id, err_t *e);
/* Changes name / category / istat_code / description / is_lead of `code`
 * (in the scope's subtree); *out gets the organisation. */
int network_org_update(const scope_t *sc, db_t *db, const char *code, const org_input_t *in,
                       org_t *out, err_t *e);

#endif

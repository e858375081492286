/* store.h — the network module's SQL (organisations, the macro-actions, and
 * reading a district's projects for its pages; governance writes them).
 * The only file of the module that holds SQL; only the module's operations
 * (network.c) and its demo loader call it.
 *
 * No function takes a bare record id: lists of the organisation tree take
 * the scope first; what belongs to one organisation takes its org_t, which
 * only a lookup fills (app/org.h: org_visible through the scope, org_public
 * for the public portal's data). Returns: 0, 1 when the record is
 * absent (or out of scope), or DB_E*. */
#ifndef LI_NETWORK_STORE_H
#define LI_NETWORK_STORE_H
#include "app/org.h"
#include "network.h"

/* Organisations visible to the scope (its subtree and its ancestors), by id
 * after `cursor`, at most `limit`, as JSON objects with their id. */
int net_store_org_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items);
/* The JSON object of the visible organisation `code` (without its id). */
int net_store_org_json(const scope_t *sc, db_t *db, const char *code, json_t **out);
/* Inserts `in` under `parent` (NULL for the root) and sets its path. */
int net_store_org_insert(db_t *db, const org_input_t *in, const org_t *parent, int64_t now, int64_t *id);
/* Changes the fields of `org` that `in` gives (NULL / is_lead -1: kept). */
int net_store_org_update(db_t *db, const org_t *org, const org_input_t *in, int64_t now);

/* {code, name, description} of `org`: what the public may read of it. */
int net_store_org_about(db_t *db, const org_t *org, json_t **out);
/* The organisations right below `org`, by kind, lead partner first, then id. */
int net_store_org_children(db_t *db, const org_t *org, json_t *items);
/* The projects of `org`, each with its actions. */
int net_store_projects(db_t *db, const org_t *org, json_t *items);

/* Public portal data: the four macro-actions titled in `lang` (Italian when
 * it has none); the districts with their lead partner and counts; the count
 * of organisations by kind ({"partner": 19, ...}). */
int net_store_macro_actions(db_t *db, const char *lang, json_t *items);
int net_store_districts(db_t *db, json_t *items);
int net_store_org_counts(db_t *db, json_t *out);

/* Demo loading: a macro-action's title in one language (replaced when it
 * exists). Projects are written by governance (src/governance/store.h). */
int net_store_macro_action_put(db_t *db, int n, const char *lang, const char *title);

#endif

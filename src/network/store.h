/* store.h — the network module's SQL. Scoped reads take the scope first;
 * public reads (the portal) return only public organisational data. */
#ifndef LI_NETWORK_STORE_H
#define LI_NETWORK_STORE_H
#include "core/arena.h"
#include "app/org.h"
#include "network.h"

/* Organisations visible to the scope, by id after `cursor`, as JSON objects. */
int store_org_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items);
/* The JSON object of one visible organisation; 1 when none. */
int store_org_json(const scope_t *sc, db_t *db, const char *code, json_t **out);
/* Inserts under `parent` and sets the path; *id receives the new id. */
int store_org_insert(db_t *db, const org_input_t *in, const org_t *parent, int64_t now, int64_t *id);
int store_org_update(db_t *db, int64_t id, const org_input_t *in, int64_t now);

/* The public description of an organisation (NULL when none), copied into `arena`. */
int store_org_description(db_t *db, int64_t org_id, arena_t *arena, char **out);

/* Public portal data. */
int store_macro_actions(db_t *db, const char *lang, json_t *items);
/* Districts (ambiti) with their lead partner and counts. */
int store_districts(db_t *db, json_t *items);
/* Children of an organisation, by kind then name. */
int store_org_children(db_t *db, int64_t org_id, json_t *items);
/* Projects of an organisation with their actions. */
int store_projects(db_t *db, int64_t org_id, json_t *items);
/* Count of organisations by kind, for the home page's figures. */
int store_org_counts(db_t *db, json_t *out);

/* Demo loading. */
int store_macro_action_put(db_t *db, int n, const char *lang, const char *title);
int store_project_insert(db_t *db, const char *code, const char *title, const char *edition, const char *fund,
                         int64_t org_id, const char *start, const char *end, int64_t budget_cents,
                         const char *description, int64_t now, int64_t *id);
int store_action_insert(db_t *db, int64_t project_id, const char *code, int macro, const char *title,
                        const char *description);

#endif

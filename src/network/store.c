/* store.c — the network module's SQL (see store.h): organisations, projects,
 * actions and macro-actions. Rows become JSON through db/row_json.h, keyed
 * by the columns' aliases. */
#include "store.h"
#include "app/org.h"
#include "core/json.h"
#include "db/row_json.h"
#include <stdio.h>

/* An organisation as the API shows it (with its id first, typed "i..."). */
#define ORG_JSON_COLS                                                                                      \
    "SELECT o.id AS id, o.code AS code, o.name AS name, o.kind AS kind, p.code AS parent,"               \
    " o.category AS category, o.is_lead AS is_lead, o.istat_code AS istat_code, o.description AS description" \
    " FROM org o LEFT JOIN org p ON p.id = o.parent_id "
#define ORG_JSON_TYPES "tttttbtt"
/* Restricts ORG_JSON_COLS to the scope's subtree and its ancestors. */
#define ORG_IN_SCOPE "(o.path LIKE ? OR ? LIKE o.path || '%')"

int net_store_org_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    return db_list_json(db, items, "i" ORG_JSON_TYPES,
                        ORG_JSON_COLS "WHERE " ORG_IN_SCOPE " AND o.id > ? ORDER BY o.id LIMIT ?", "ttii",
                        scope_subtree_like(sc), sc->role == ROLE_NONE ? "" : sc->org_path, cursor, (int64_t)limit);
}

int net_store_org_json(const scope_t *sc, db_t *db, const char *code, json_t **out)
{
    return db_get_json(db, out, "-" ORG_JSON_TYPES, ORG_JSON_COLS "WHERE o.code = ? AND " ORG_IN_SCOPE, "ttt", code,
                       scope_subtree_like(sc), sc->role == ROLE_NONE ? "" : sc->org_path);
}

int net_store_org_insert(db_t *db, const org_input_t *in, const org_t *parent, int64_t now, int64_t *id)
{
    int rc = db_insert_id(db, id,
                          "INSERT INTO org (code, name, kind, category, parent_id, path, is_lead, istat_code,"
                          " description, created_at, updated_at) VALUES (?, ?, ?, ?, NULLIF(?, 0), '', ?, ?, ?, ?, ?)"
                          " RETURNING id",
                          "ttttiittii", in->code, in->name, in->kind, in->category, parent ? parent->id : 0,
                          (int64_t)(in->is_lead > 0), in->istat_code, in->description, now, now);
    if (rc) return rc;
    char path[300];
    snprintf(path, sizeof path, "%s%lld/", parent ? parent->path : "/", (long long)*id);
    return db_run(db, "UPDATE org SET path = ? WHERE id = ?", "ti", path, *id);
}

int net_store_org_update(db_t *db, const org_t *org, const org_input_t *in, int64_t now)
{
    return db_run(db,
                  "UPDATE org SET name = COALESCE(?, name), category = COALESCE(?, category),"
                  " istat_code = COALESCE(?, istat_code), description = COALESCE(?, description),"
                  " is_lead = CASE WHEN ? < 0 THEN is_lead ELSE ? END, updated_at = ? WHERE id = ?",
                  "ttttiiii", in->name, in->category, in->istat_code, in->description, (int64_t)in->is_lead,
                  (int64_t)(in->is_lead > 0), now, org->id);
}

int net_store_org_about(db_t *db, const org_t *org, json_t **out)
{
    return db_get_json(db, out, "ttt", "SELECT code, name, description FROM org WHERE id = ?", "i", org->id);
}

int net_store_org_children(db_t *db, const org_t *org, json_t *items)
{
    return db_list_json(db, items, "ttttb",
                        "SELECT code, name, kind, category, is_lead FROM org WHERE parent_id = ?"
                        " ORDER BY kind, is_lead DESC, id",
                        "i", org->id);
}

int net_store_projects(db_t *db, const org_t *org, json_t *items)
{
    size_t first = json_array_size(items);
    int rc = db_list_json(db, items, "ittttttit",
                          "SELECT id, code, title, edition, fund, start_date, end_date, budget_cents, description"
                          " FROM project WHERE org_id = ? ORDER BY start_date, id",
                          "i", org->id);
    /* Actions are read after the project cursor is closed (one statement at a time). */
    for (size_t i = first; rc == 0 && i < json_array_size(items); i++) {
        json_t *p = json_array_get(items, i), *actions = json_array();
        json_object_set_new(p, "actions", actions);
        rc = db_list_json(db, actions, "titt",
                          "SELECT code, macro_action, title, description FROM action WHERE project_id = ? ORDER BY code",
                          "i", (int64_t)json_integer_value(json_object_get(p, "id")));
    }
    return rc;
}

int net_store_macro_actions(db_t *db, const char *lang, json_t *items)
{
    return db_list_json(db, items, "it",
                        "SELECT m.n AS n, COALESCE(t.title, m.title) AS title FROM macro_action m"
                        " LEFT JOIN macro_action t ON t.n = m.n AND t.lang = ?"
                        " WHERE m.lang = 'it' ORDER BY m.n",
                        "t", lang);
}

int net_store_districts(db_t *db, json_t *items)
{
    return db_list_json(
        db, items, "ttttii",
        "SELECT d.code AS code, d.name AS name, d.description AS description,"
        " (SELECT l.name FROM org l WHERE l.parent_id = d.id AND l.is_lead = 1 ORDER BY l.id LIMIT 1) AS lead,"
        " (SELECT COUNT(*) FROM org c WHERE c.parent_id = d.id AND c.kind = 'partner') AS partners,"
        " (SELECT COUNT(*) FROM org c WHERE c.parent_id = d.id AND c.kind = 'comune') AS comuni"
        " FROM org d WHERE d.kind = 'ambito' ORDER BY d.name",
        NULL);
}

int net_store_org_counts(db_t *db, json_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT kind, COUNT(*) FROM org GROUP BY kind", NULL);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st))
        json_object_set_new(out, db_col_text(st, 0), json_integer(db_col_int(st, 1)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int net_store_macro_action_put(db_t *db, int n, const char *lang, const char *title)
{
    int rc = db_run(db, "DELETE FROM macro_action WHERE n = ? AND lang = ?", "it", (int64_t)n, lang);
    return rc ? rc : db_run(db, "INSERT INTO macro_action (n, lang, title) VALUES (?, ?, ?)", "itt", (int64_t)n, lang, title);
}

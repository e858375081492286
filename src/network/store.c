/* store.c — the network module's SQL (organisations, projects, actions). */
#include "store.h"
#include "app/org.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

#define ORG_JSON_COLS                                                                              \
    "SELECT o.id, o.code, o.name, o.kind, p.code, o.category, o.is_lead, o.istat_code, o.description" \
    " FROM org o LEFT JOIN org p ON p.id = o.parent_id "

static json_t *org_json_row(db_stmt_t *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_text(db_col_text(st, 1)));
    json_object_set_new(o, "name", json_text(db_col_text(st, 2)));
    json_object_set_new(o, "kind", json_text(db_col_text(st, 3)));
    json_object_set_new(o, "parent", json_text(db_col_text_or_null(st, 4)));
    json_object_set_new(o, "category", json_text(db_col_text_or_null(st, 5)));
    json_object_set_new(o, "is_lead", json_boolean(db_col_int(st, 6)));
    json_object_set_new(o, "istat_code", json_text(db_col_text_or_null(st, 7)));
    json_object_set_new(o, "description", json_text(db_col_text_or_null(st, 8)));
    return o;
}

int store_org_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             ORG_JSON_COLS "WHERE (o.path LIKE ? OR ? LIKE o.path || '%') AND o.id > ?"
                                           " ORDER BY o.id LIMIT ?",
                             "ttii", scope_subtree_like(sc, like), sc->role == ROLE_NONE ? "" : sc->org_path, cursor,
                             (int64_t)limit);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        json_t *o = org_json_row(st);
        json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
        json_array_append_new(items, o);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int store_org_json(const scope_t *sc, db_t *db, const char *code, json_t **out)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc, ORG_JSON_COLS "WHERE o.code = ? AND (o.path LIKE ? OR ? LIKE o.path || '%')",
                             "ttt", code, scope_subtree_like(sc, like), sc->role == ROLE_NONE ? "" : sc->org_path);
    if (!st) return rc;
    if (rc == DB_ROW) *out = org_json_row(st);
    db_reset(st);
    return rc == DB_ROW ? 0 : 1;
}

int store_org_insert(db_t *db, const org_input_t *in, const org_t *parent, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO org (code, name, kind, category, parent_id, path, is_lead, istat_code,"
                             " description, created_at, updated_at) VALUES (?, ?, ?, ?, NULLIF(?, 0), '', ?, ?, ?, ?, ?)"
                             " RETURNING id",
                             "ttttiittii", in->code, in->name, in->kind, in->category, parent ? parent->id : 0,
                             (int64_t)(in->is_lead > 0), in->istat_code, in->description, now, now);
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    if (!*id) return DB_ERR;
    char path[300];
    snprintf(path, sizeof path, "%s%lld/", parent ? parent->path : "/", (long long)*id);
    return db_run(db, "UPDATE org SET path = ? WHERE id = ?", "ti", path, *id);
}

int store_org_update(db_t *db, int64_t id, const org_input_t *in, int64_t now)
{
    return db_run(db,
                  "UPDATE org SET name = COALESCE(?, name), category = COALESCE(?, category),"
                  " istat_code = COALESCE(?, istat_code), description = COALESCE(?, description),"
                  " is_lead = CASE WHEN ? < 0 THEN is_lead ELSE ? END, updated_at = ? WHERE id = ?",
                  "ttttiiii", in->name, in->category, in->istat_code, in->description, (int64_t)in->is_lead,
                  (int64_t)(in->is_lead > 0), now, id);
}

int store_org_description(db_t *db, int64_t org_id, arena_t *arena, char **out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT description FROM org WHERE id = ?", "i", org_id);
    if (!st) return rc;
    *out = rc == DB_ROW ? arena_strdup(arena, db_col_text_or_null(st, 0)) : NULL;
    db_reset(st);
    return 0;
}

int store_macro_actions(db_t *db, const char *lang, json_t *items)
{
    int rc;
    /* The title in `lang`, or the Italian one when there is none. */
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT m.n, COALESCE(t.title, m.title) FROM macro_action m"
                             " LEFT JOIN macro_action t ON t.n = m.n AND t.lang = ?"
                             " WHERE m.lang = 'it' ORDER BY m.n",
                             "t", lang);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st))
        json_array_append_new(items, json_pack("{s:I, s:o}", "n", (json_int_t)db_col_int(st, 0), "title",
                                               json_text(db_col_text(st, 1))));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int store_districts(db_t *db, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        "SELECT d.code, d.name, d.description,"
        " (SELECT l.name FROM org l WHERE l.parent_id = d.id AND l.is_lead = 1 ORDER BY l.id LIMIT 1),"
        " (SELECT COUNT(*) FROM org c WHERE c.parent_id = d.id AND c.kind = 'partner'),"
        " (SELECT COUNT(*) FROM org c WHERE c.parent_id = d.id AND c.kind = 'comune')"
        " FROM org d WHERE d.kind = 'ambito' ORDER BY d.name",
        NULL);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        json_t *d = json_object();
        json_object_set_new(d, "code", json_text(db_col_text(st, 0)));
        json_object_set_new(d, "name", json_text(db_col_text(st, 1)));
        json_object_set_new(d, "description", json_text(db_col_text_or_null(st, 2)));
        json_object_set_new(d, "lead", json_text(db_col_text_or_null(st, 3)));
        json_object_set_new(d, "partners", json_integer(db_col_int(st, 4)));
        json_object_set_new(d, "comuni", json_integer(db_col_int(st, 5)));
        json_array_append_new(items, d);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int store_org_children(db_t *db, int64_t org_id, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT code, name, kind, category, is_lead FROM org WHERE parent_id = ?"
                             " ORDER BY kind, is_lead DESC, id",
                             "i", org_id);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st))
        json_array_append_new(items, json_pack("{s:o, s:o, s:o, s:o, s:b}", "code", json_text(db_col_text(st, 0)),
                                               "name", json_text(db_col_text(st, 1)), "kind",
                                               json_text(db_col_text(st, 2)), "category",
                                               json_text(db_col_text_or_null(st, 3)), "is_lead",
                                               (int)db_col_int(st, 4)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

/* Appends the actions of project `pid` to the project object `p`. */
static int project_actions(db_t *db, int64_t pid, json_t *p)
{
    int rc;
    json_t *actions = json_array();
    json_object_set_new(p, "actions", actions);
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT code, macro_action, title, description FROM action WHERE project_id = ?"
                             " ORDER BY code",
                             "i", pid);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st))
        json_array_append_new(actions, json_pack("{s:o, s:I, s:o, s:o}", "code", json_text(db_col_text(st, 0)),
                                                 "macro_action", (json_int_t)db_col_int(st, 1), "title",
                                                 json_text(db_col_text(st, 2)), "description",
                                                 json_text(db_col_text_or_null(st, 3))));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int store_projects(db_t *db, int64_t org_id, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT id, code, title, edition, fund, start_date, end_date, budget_cents, description"
                             " FROM project WHERE org_id = ? ORDER BY start_date, id",
                             "i", org_id);
    if (!st) return rc;
    json_t *ids = json_array();
    for (; rc == DB_ROW; rc = db_step(st)) {
        json_t *p = json_object();
        json_object_set_new(p, "code", json_text(db_col_text(st, 1)));
        json_object_set_new(p, "title", json_text(db_col_text(st, 2)));
        json_object_set_new(p, "edition", json_text(db_col_text(st, 3)));
        json_object_set_new(p, "fund", json_text(db_col_text(st, 4)));
        json_object_set_new(p, "start_date", json_text(db_col_text_or_null(st, 5)));
        json_object_set_new(p, "end_date", json_text(db_col_text_or_null(st, 6)));
        if (!db_col_is_null(st, 7)) json_object_set_new(p, "budget_cents", json_integer(db_col_int(st, 7)));
        json_object_set_new(p, "description", json_text(db_col_text_or_null(st, 8)));
        json_array_append_new(items, p);
        json_array_append_new(ids, json_integer(db_col_int(st, 0)));
    }
    db_reset(st);
    /* Actions are read after the project cursor is closed (one statement at a time). */
    for (size_t i = 0; rc >= 0 && i < json_array_size(ids); i++)
        rc = project_actions(db, json_integer_value(json_array_get(ids, i)), json_array_get(items, i));
    json_decref(ids);
    return rc < 0 ? rc : 0;
}

int store_org_counts(db_t *db, json_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT kind, COUNT(*) FROM org GROUP BY kind", NULL);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st))
        json_object_set_new(out, db_col_text(st, 0), json_integer(db_col_int(st, 1)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int store_macro_action_put(db_t *db, int n, const char *lang, const char *title)
{
    int rc = db_run(db, "DELETE FROM macro_action WHERE n = ? AND lang = ?", "it", (int64_t)n, lang);
    return rc ? rc : db_run(db, "INSERT INTO macro_action (n, lang, title) VALUES (?, ?, ?)", "itt", (int64_t)n, lang, title);
}

int store_project_insert(db_t *db, const char *code, const char *title, const char *edition, const char *fund,
                         int64_t org_id, const char *start, const char *end, int64_t budget_cents,
                         const char *description, int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO project (code, title, edition, fund, org_id, start_date, end_date,"
                             " budget_cents, description, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, -1), ?, ?, ?) RETURNING id",
                             "ttttittitii", code, title, edition, fund, org_id, start, end, budget_cents, description,
                             now, now);
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    return *id ? 0 : DB_ERR;
}

int store_action_insert(db_t *db, int64_t project_id, const char *code, int macro, const char *title,
                        const char *description)
{
    return db_run(db, "INSERT INTO action (project_id, code, macro_action, title, description) VALUES (?, ?, ?, ?, ?)",
                  "itit" "t", project_id, code, (int64_t)macro, title, description);
}

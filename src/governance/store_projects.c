/* store_projects.c — the SQL of projects, their actions and their network
 * (see store.h). Portable between SQLite and PostgreSQL. */
#include "store.h"
#include <stdio.h>

int gov_store_found(db_stmt_t *st, int rc)
{
    if (st) db_reset(st);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

int gov_store_rows_at(db_t *db, json_t *o, const char *key, const char *types, const char *sql, int64_t id)
{
    json_t *items = json_array();
    json_object_set_new(o, key, items);
    return db_list_json(db, items, types, sql, "i", id);
}

static const db_field_t project_map[] = {GOV_PROJECT_FIELDS(gov_project_t, )};

int gov_store_project_get(const scope_t *sc, db_t *db, int64_t id, gov_project_t *out)
{
    return db_get_row(db, DB_MAP(project_map), out, sizeof *out,
                      "SELECT " GOV_PROJECT_COLS "FROM project p JOIN org o ON o.id = p.org_id "
                      "WHERE p.id = ? AND o.path LIKE ?",
                      "it", id, scope_subtree_like(sc));
}

int gov_store_project_insert(db_t *db, const org_t *org, const gov_project_t *p, int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO project (code, title, edition, fund, org_id, start_date, end_date, budget_cents, "
                        "grant_cents, description, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, -1), NULLIF(?, -1), "
                        "NULLIF(?, ''), ?, ?) RETURNING id",
                        "ttttittiitii", p->code, p->title, p->edition, p->fund, org->id, p->start, p->end,
                        p->budget_cents, p->grant_cents, p->description, now, now);
}

int gov_store_project_update(db_t *db, const gov_project_t *p, int64_t now)
{
    return db_run(db,
                  "UPDATE project SET code = ?, title = ?, edition = ?, fund = ?, start_date = NULLIF(?, ''), "
                  "end_date = NULLIF(?, ''), budget_cents = NULLIF(?, -1), grant_cents = NULLIF(?, -1), "
                  "description = NULLIF(?, ''), updated_at = ? WHERE id = ?",
                  "ttttttiitii", p->code, p->title, p->edition, p->fund, p->start, p->end, p->budget_cents,
                  p->grant_cents, p->description, now, p->id);
}

int gov_store_approved_meeting(db_t *db, const gov_project_t *p, const char *a1, const char *a2, const char *b1,
                               const char *b2, int64_t *n)
{
    return db_get_int(db, n,
                      "SELECT COUNT(*) FROM project_submission WHERE project_id = ? AND status = 'approved' "
                      "AND ((CAST(? AS TEXT) IS NOT NULL AND from_date <= ? AND to_date >= ?) "
                      "OR (CAST(? AS TEXT) IS NOT NULL AND from_date <= ? AND to_date >= ?))",
                      "itttttt", p->id, a1, a2, a1, b1, b2, b1);
}

int gov_store_code_free(db_t *db, const char *code)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT 1 FROM project WHERE code = ?", "t", code);
    rc = gov_store_found(st, rc);
    return rc == 0 ? 1 : rc == 1 ? 0 : rc;
}

#define PROJECT_JSON                                                                                               \
    "SELECT p.id AS id, p.code AS code, p.title AS title, p.edition AS edition, p.fund AS fund, o.code AS org, "   \
    "o.name AS org_name, p.start_date AS start, p.end_date AS \"end\", p.budget_cents AS budget_cents, "           \
    "p.grant_cents AS grant_cents, p.description AS description, "                                                 \
    "(SELECT COALESCE(SUM(l.planned_cents), 0) FROM budget_line l WHERE l.project_id = p.id) AS planned_cents, "   \
    "(SELECT COALESCE(SUM(x.amount_cents), 0) FROM expense x WHERE x.project_id = p.id) AS spent_cents "           \
    "FROM project p JOIN org o ON o.id = p.org_id "
#define PROJECT_TYPES "ittttttttiitii"

int gov_store_project_json(db_t *db, const gov_project_t *p, json_t **out)
{
    int rc = db_get_json(db, out, PROJECT_TYPES, PROJECT_JSON "WHERE p.id = ?", "i", p->id);
    if (rc) return rc;
    if ((rc = gov_store_rows_at(db, *out, "actions", "ittitiii",
                                "SELECT id AS id, code AS code, title AS title, macro_action AS macro_action, "
                                "description AS description, target_participants AS participants, "
                                "target_hours AS hours, target_materials AS materials FROM action "
                                "WHERE project_id = ? ORDER BY code, id",
                                p->id)))
        return rc;
    size_t i;
    json_t *a, *partners = json_array(), *lead = NULL;
    json_array_foreach(json_object_get(*out, "actions"), i, a) {
        json_object_set_new(a, "targets", json_pack("{s:O,s:O,s:O}", "participants", json_object_get(a, "participants"),
                                                    "hours", json_object_get(a, "hours"), "materials",
                                                    json_object_get(a, "materials")));
        json_object_del(a, "participants");
        json_object_del(a, "hours");
        json_object_del(a, "materials");
    }
    if ((rc = db_get_json(db, &lead, "ttt", "SELECT code AS code, name AS name, kind AS kind FROM org WHERE id = ?", "i",
                          p->org_id)))
        return rc < 0 ? rc : DB_ERR;
    rc = db_list_json(db, partners, "ttt",
                      "SELECT o.code AS code, o.name AS name, o.kind AS kind FROM project_partner pp "
                      "JOIN org o ON o.id = pp.org_id WHERE pp.project_id = ? ORDER BY o.kind, o.name, o.id",
                      "i", p->id);
    json_object_set_new(*out, "network", json_pack("{s:o,s:o}", "lead", lead, "partners", partners));
    return rc;
}

int gov_store_project_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    return db_list_json(db, items, PROJECT_TYPES, PROJECT_JSON "WHERE o.path LIKE ? AND p.id > ? ORDER BY p.id LIMIT ?",
                        "tii", scope_subtree_like(sc), cursor, (int64_t)limit);
}

/* ---- actions ------------------------------------------------------------------------ */

int gov_store_action_code_free(db_t *db, const gov_project_t *p, const char *code)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT 1 FROM action WHERE project_id = ? AND code = ?", "it", p->id, code);
    rc = gov_store_found(st, rc);
    return rc == 0 ? 1 : rc == 1 ? 0 : rc;
}

int gov_store_action_insert(db_t *db, const gov_project_t *p, const gov_action_input_t *in, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO action (project_id, code, macro_action, title, description, target_participants, "
                        "target_hours, target_materials) VALUES (?, ?, ?, ?, ?, NULLIF(?, -1), NULLIF(?, -1), "
                        "NULLIF(?, -1)) RETURNING id",
                        "itittiii", p->id, in->code, in->macro_action, in->title, in->description, in->participants,
                        in->hours, in->materials);
}

int gov_store_action_of(db_t *db, const gov_project_t *p, int64_t action_id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT 1 FROM action WHERE id = ? AND project_id = ?", "ii", action_id, p->id);
    return gov_store_found(st, rc);
}

/* ---- the network -------------------------------------------------------------------- */

static const db_field_t org_map[] = {DB_INT(org_t, id),   DB_INT(org_t, parent_id), DB_TEXT(org_t, code),
                                     DB_TEXT(org_t, name), DB_TEXT(org_t, kind),     DB_TEXT(org_t, path)};

int gov_store_org_below(db_t *db, const gov_project_t *p, const char *code, org_t *out)
{
    char like[270];
    snprintf(like, sizeof like, "%s_%%", p->org_path);
    return db_get_row(db, DB_MAP(org_map), out, sizeof *out,
                      "SELECT id, COALESCE(parent_id, 0), code, name, kind, path FROM org WHERE code = ? AND path LIKE ?",
                      "tt", code, like);
}

int gov_store_partner_insert(db_t *db, const gov_project_t *p, const org_t *org, int64_t now)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT 1 FROM project_partner WHERE project_id = ? AND org_id = ?", "ii", p->id,
                             org->id);
    if ((rc = gov_store_found(st, rc)) <= 0) return rc == 0 ? 1 : rc;
    return db_run(db, "INSERT INTO project_partner (project_id, org_id, added_at) VALUES (?, ?, ?)", "iii", p->id,
                  org->id, now);
}

int gov_store_partner_delete(db_t *db, const gov_project_t *p, const org_t *org)
{
    int rc = db_run(db, "DELETE FROM project_partner WHERE project_id = ? AND org_id = ?", "ii", p->id, org->id);
    return rc ? rc : db_changes(db) ? 0 : 1;
}

int gov_store_partner_candidates(db_t *db, const gov_project_t *p, json_t *items)
{
    char like[270];
    snprintf(like, sizeof like, "%s_%%", p->org_path);
    return db_list_json(db, items, "ttt",
                        "SELECT o.code AS code, o.name AS name, o.kind AS kind FROM org o WHERE o.path LIKE ? "
                        "AND NOT EXISTS (SELECT 1 FROM project_partner pp WHERE pp.project_id = ? AND pp.org_id = o.id) "
                        "ORDER BY o.kind DESC, o.name, o.id LIMIT 500",
                        "ti", like, p->id);
}

/* procedures_store.c — the SQL of procedures: rows, checklist ticks and
 * computed deadlines (see store.h). */
#include "store.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_store_procedure_insert(db_t *db, int64_t person_id, int64_t org_id, const char *type, const char *facts,
                           const char *opened_on, const char *rule_from, const char *rule_origin, int64_t by,
                           int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO desk_procedure (person_id, org_id, type, facts, opened_on, rule_effective_from,"
                             " rule_origin, created_by, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                             "iitttttiii", person_id, org_id, type, facts, opened_on, rule_from, rule_origin, by, now,
                             now);
    return desk_store_insert_id(st, rc, id);
}

#define PROC_SELECT                                                                                            \
    "SELECT d.id, d.person_id, d.org_id, o.code, d.type, d.status, d.facts, d.opened_on, d.closed_on,"       \
    " d.rule_effective_from, d.rule_origin, d.created_at, d.updated_at FROM desk_procedure d"                \
    " JOIN org o ON o.id = d.org_id "
#define PROC_SPEC                                                                                              \
    "id:i person_id:i org_id:i org:t type:t status:t facts:j opened_on:t closed_on:t rule_effective_from:t " \
    "rule_origin:t created_at:i updated_at:i"

int desk_store_procedure_get(const scope_t *sc, db_t *db, int64_t id, json_t **out)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc, PROC_SELECT "WHERE d.id = ? AND o.path LIKE ?", "it", id,
                             scope_subtree_like(sc, like));
    return desk_store_one_into(st, rc, PROC_SPEC, out);
}

int desk_store_procedure_update(db_t *db, int64_t id, const char *facts, const char *status, const char *closed_on,
                           const char *rule_from, const char *rule_origin, int64_t now)
{
    return db_run(db,
                  "UPDATE desk_procedure SET facts = ?, status = ?, closed_on = ?, rule_effective_from = ?,"
                  " rule_origin = ?, updated_at = ? WHERE id = ?",
                  "tttttii", facts, status, closed_on, rule_from, rule_origin, now, id);
}

int desk_store_procedure_set_rule(db_t *db, int64_t id, const char *rule_from, const char *rule_origin)
{
    return db_run(db, "UPDATE desk_procedure SET rule_effective_from = ?, rule_origin = ? WHERE id = ?", "tti", rule_from,
                  rule_origin, id);
}

int desk_store_procedure_checks(db_t *db, int64_t id, json_t *done)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT kind, code FROM procedure_check WHERE procedure_id = ?", "i", id);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        char key[128];
        snprintf(key, sizeof key, "%s:%s", db_col_text(st, 0), db_col_text(st, 1));
        json_object_set_new(done, key, json_true());
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int desk_store_procedure_check_set(db_t *db, int64_t id, const char *kind, const char *code, bool done, int64_t by,
                              int64_t now)
{
    int rc = db_run(db, "DELETE FROM procedure_check WHERE procedure_id = ? AND kind = ? AND code = ?", "itt", id, kind,
                    code);
    if (rc || !done) return rc;
    return db_run(db,
                  "INSERT INTO procedure_check (procedure_id, kind, code, done_at, done_by) VALUES (?, ?, ?, ?, NULLIF(?, 0))",
                  "ittii", id, kind, code, now, by);
}

int desk_store_procedure_set_deadlines(db_t *db, int64_t id, int64_t person_id, int64_t org_id, const json_t *deadlines)
{
    int rc = db_run(db, "DELETE FROM procedure_deadline WHERE procedure_id = ?", "i", id);
    size_t i;
    json_t *d;
    json_array_foreach((json_t *)deadlines, i, d) {
        if (rc) break;
        rc = db_run(db,
                    "INSERT INTO procedure_deadline (procedure_id, person_id, org_id, code, kind, date, met)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    "iiittti", id, person_id, org_id, json_string_value(json_object_get(d, "code")),
                    json_string_value(json_object_get(d, "kind")), json_string_value(json_object_get(d, "date")),
                    (int64_t)json_is_true(json_object_get(d, "met")));
    }
    return rc;
}

int desk_store_procedure_list(const scope_t *sc, db_t *db, int64_t person_id, json_t *items)
{
    char like[260];
    int rc;
    db_stmt_t *st = db_query(db, &rc, PROC_SELECT "WHERE d.person_id = ? AND o.path LIKE ? ORDER BY d.id DESC", "it",
                             person_id, scope_subtree_like(sc, like));
    return desk_store_rows_into(st, rc, PROC_SPEC, items);
}

int desk_store_procedure_deadline_list(db_t *db, int64_t id, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT code, kind, date, met FROM procedure_deadline WHERE procedure_id = ? ORDER BY date, code",
                             "i", id);
    return desk_store_rows_into(st, rc, "code:t kind:t date:t met:b", items);
}

int desk_store_procedures_open(db_t *db, const char *type, const char *from, json_t *ids)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT id FROM desk_procedure WHERE type = ? AND status IN ('open', 'submitted')"
                             " AND opened_on >= ? ORDER BY id",
                             "tt", type, from);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(ids, json_integer(db_col_int(st, 0)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

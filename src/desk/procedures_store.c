/* procedures_store.c — the SQL of procedures: rows, checklist ticks and the
 * computed deadlines (see store.h). Reads join the procedure's org and
 * filter `o.path LIKE <scope subtree>`. */
#include "store.h"
#include "core/json.h"
#include "db/row_json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_store_procedure_insert(const scope_t *sc, db_t *db, const desk_person_ref_t *p, const char *type,
                                const char *facts, const char *opened_on, const char *rule_from,
                                const char *rule_origin, int64_t now, desk_record_ref_t *out)
{
    *out = (desk_record_ref_t){"desk_procedure", 0, p->id, p->org_id};
    return db_insert_id(db, &out->id,
                        "INSERT INTO desk_procedure (person_id, org_id, type, facts, opened_on, rule_effective_from, rule_origin,"
                        " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                        "iitttttiii", p->id, p->org_id, type, facts, opened_on, rule_from, rule_origin, sc->user_id,
                        now, now);
}

#define PROC_SELECT                                                                                           \
    "SELECT d.id AS id, d.person_id AS person_id, d.org_id AS org_id, o.code AS org, d.type AS type,"       \
    " d.status AS status, d.facts AS facts, d.opened_on AS opened_on, d.closed_on AS closed_on,"            \
    " d.rule_effective_from AS rule_effective_from, d.rule_origin AS rule_origin, d.created_at AS created_at," \
    " d.updated_at AS updated_at, d.project_id AS project_id FROM desk_procedure d JOIN org o ON o.id = d.org_id "
#define PROC_TYPES "iiittttttttiii"

/* Runs a PROC_SELECT query into `items`, each "facts" text parsed (null when
 * it is not JSON). */
static int procedure_rows(db_stmt_t *st, int rc, json_t *items)
{
    json_t *page = json_array();
    rc = db_rows_json(st, rc, PROC_TYPES, page);
    size_t i;
    json_t *p;
    json_array_foreach(page, i, p) {
        json_t *facts = json_loads(jstr_or_empty(p, "facts"), 0, NULL);
        json_object_set_new(p, "facts", facts ? facts : json_null());
    }
    json_array_extend(items, page);
    json_decref(page);
    return rc;
}

int desk_store_procedure_load(const scope_t *sc, db_t *db, int64_t id, desk_record_ref_t *ref, json_t **out)
{
    int rc;
    json_t *items = json_array();
    db_stmt_t *st = desk_store_query_id(sc, db, PROC_SELECT "WHERE d.id = ? AND o.path LIKE ?", id, &rc);
    rc = desk_store_first_ref(procedure_rows(st, rc, items), items, "desk_procedure", id, ref, out);
    json_decref(items);
    return rc;
}

int desk_store_procedure_update(db_t *db, const desk_record_ref_t *ref, const char *facts, const char *status,
                                const char *closed_on, const char *rule_from, const char *rule_origin, int64_t now)
{
    return db_run(db,
                  "UPDATE desk_procedure SET facts = ?, status = ?, closed_on = ?, rule_effective_from = ?,"
                  " rule_origin = ?, updated_at = ? WHERE id = ?",
                  "tttttii", facts, status, closed_on, rule_from, rule_origin, now, ref->id);
}

int desk_store_procedure_set_project(db_t *db, const desk_record_ref_t *ref, int64_t project_id)
{
    return db_run(db, "UPDATE desk_procedure SET project_id = NULLIF(?, 0) WHERE id = ?", "ii", project_id, ref->id);
}

int desk_store_procedure_set_rule(db_t *db, const desk_record_ref_t *ref, const char *rule_from,
                                  const char *rule_origin)
{
    return db_run(db, "UPDATE desk_procedure SET rule_effective_from = ?, rule_origin = ? WHERE id = ?", "tti", rule_from,
                  rule_origin, ref->id);
}

int desk_store_procedure_checks(db_t *db, const desk_record_ref_t *ref, json_t *done)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT kind, code FROM procedure_check WHERE procedure_id = ?", "i", ref->id);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        char key[128];
        snprintf(key, sizeof key, "%s:%s", db_col_text(st, 0), db_col_text(st, 1));
        json_object_set_new(done, key, json_true());
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int desk_store_procedure_check_set(const scope_t *sc, db_t *db, const desk_record_ref_t *ref, const char *kind,
                                   const char *code, bool done, int64_t now)
{
    int rc = db_run(db, "DELETE FROM procedure_check WHERE procedure_id = ? AND kind = ? AND code = ?", "itt", ref->id,
                    kind, code);
    if (rc || !done) return rc;
    return db_run(db,
                  "INSERT INTO procedure_check (procedure_id, kind, code, done_at, done_by) VALUES (?, ?, ?, ?, NULLIF(?, 0))",
                  "ittii", ref->id, kind, code, now, sc->user_id);
}

int desk_store_procedure_set_deadlines(db_t *db, const desk_record_ref_t *ref, const json_t *deadlines)
{
    int rc = db_run(db, "DELETE FROM procedure_deadline WHERE procedure_id = ?", "i", ref->id);
    size_t i;
    json_t *d;
    json_array_foreach((json_t *)deadlines, i, d) {
        if (rc) break;
        rc = db_run(db,
                    "INSERT INTO procedure_deadline (procedure_id, person_id, org_id, code, kind, date, met)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    "iiittti", ref->id, ref->person_id, ref->org_id, jstr(d, "code"), jstr(d, "kind"), jstr(d, "date"),
                    (int64_t)json_is_true(json_object_get(d, "met")));
    }
    return rc;
}

int desk_store_procedure_deadlines(db_t *db, const desk_record_ref_t *ref, json_t *items)
{
    return db_list_json(db, items, "tttb",
                        "SELECT code, kind, date, met FROM procedure_deadline WHERE procedure_id = ?"
                        " ORDER BY date, code",
                        "i", ref->id);
}

int desk_store_procedure_list(const scope_t *sc, db_t *db, const desk_person_ref_t *p, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, PROC_SELECT "WHERE d.person_id = ? AND o.path LIKE ? ORDER BY d.id DESC", "it",
                             p->id, scope_subtree_like(sc));
    return procedure_rows(st, rc, items);
}

int desk_store_procedures_open(const scope_t *sc, db_t *db, const char *type, const char *from, json_t *ids)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT d.id FROM desk_procedure d JOIN org o ON o.id = d.org_id WHERE d.type = ?"
                             " AND d.status IN ('open', 'submitted') AND d.opened_on >= ? AND o.path LIKE ?"
                             " ORDER BY d.id",
                             "ttt", type, from, scope_subtree_like(sc));
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(ids, json_integer(db_col_int(st, 0)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

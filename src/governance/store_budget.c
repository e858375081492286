/* store_budget.c — the SQL of budget lines and expenses (see store.h).
 * Portable between SQLite and PostgreSQL. */
#include "store.h"

int gov_store_line_insert(db_t *db, const gov_project_t *p, const gov_line_input_t *in, int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO budget_line (project_id, action_id, category, label, planned_cents, created_at, "
                        "updated_at) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?) RETURNING id",
                        "iittiii", p->id, in->action_id, in->category, in->label, in->planned_cents, now, now);
}

int gov_store_planned_total(db_t *db, const gov_project_t *p, int64_t *sum)
{
    return db_get_int(db, sum,
                      "SELECT COALESCE(SUM(planned_cents), 0) FROM budget_line WHERE project_id = ?", "i", p->id);
}

static const db_field_t line_map[] = {DB_INT(gov_line_t, id), DB_INT(gov_line_t, action_id),
                                      DB_INT(gov_line_t, planned_cents), GOV_PROJECT_FIELDS(gov_line_t, project.)};

int gov_store_line_get(const scope_t *sc, db_t *db, int64_t id, gov_line_t *out)
{
    return db_get_row(db, DB_MAP(line_map), out, sizeof *out,
                      "SELECT l.id, COALESCE(l.action_id, 0), l.planned_cents, " GOV_PROJECT_COLS
                      "FROM budget_line l JOIN project p ON p.id = l.project_id JOIN org o ON o.id = p.org_id "
                      "WHERE l.id = ? AND o.path LIKE ?",
                      "it", id, scope_subtree_like(sc));
}

int gov_store_expense_insert(const scope_t *sc, db_t *db, const gov_line_t *l, const gov_expense_input_t *in,
                             const gov_doc_t *doc, bool late, int64_t now, int64_t *id)
{
    gov_doc_t none = {NULL, NULL, NULL, NULL, NULL, 0};
    if (!doc) doc = &none;
    return db_insert_id(db, id,
                        "INSERT INTO expense (project_id, budget_line_id, date, amount_cents, description, supplier, "
                        "doc_title, doc_filename, doc_type, doc_size, doc_sha256, doc_storage, late, created_by, "
                        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, "
                        "NULLIF(?, 0), ?, ?) RETURNING id",
                        "iitittttt" "itt" "iiii", l->project.id, l->id, in->date, in->amount_cents, in->description,
                        in->supplier, doc->title, doc->filename, doc->type, doc->size, doc->sha256, doc->storage,
                        (int64_t)late, sc->user_id > 0 ? sc->user_id : 0, now, now);
}

static const db_field_t expense_map[] = {DB_INT(gov_expense_t, id), DB_INT(gov_expense_t, line_id),
                                         DB_INT(gov_expense_t, amount_cents), DB_TEXT(gov_expense_t, date),
                                         DB_TEXT(gov_expense_t, storage), GOV_PROJECT_FIELDS(gov_expense_t, project.)};

int gov_store_expense_get(const scope_t *sc, db_t *db, int64_t id, gov_expense_t *out)
{
    return db_get_row(db, DB_MAP(expense_map), out, sizeof *out,
                      "SELECT x.id, x.budget_line_id, x.amount_cents, x.date, COALESCE(x.doc_storage, ''), " GOV_PROJECT_COLS
                      "FROM expense x JOIN project p ON p.id = x.project_id JOIN org o ON o.id = p.org_id "
                      "WHERE x.id = ? AND o.path LIKE ?",
                      "it", id, scope_subtree_like(sc));
}

int gov_store_expense_set_doc(db_t *db, const gov_expense_t *x, const gov_doc_t *doc, bool late, int64_t now)
{
    return db_run(db,
                  "UPDATE expense SET doc_title = ?, doc_filename = ?, doc_type = ?, doc_size = ?, doc_sha256 = ?, "
                  "doc_storage = ?, late = CASE WHEN ? = 1 THEN 1 ELSE late END, updated_at = ? WHERE id = ?",
                  "tttittiii", doc->title, doc->filename, doc->type, doc->size, doc->sha256, doc->storage,
                  (int64_t)late, now, x->id);
}

int gov_store_expense_doc(db_t *db, const gov_expense_t *x, json_t **out)
{
    return db_get_json(db, out, "tttt",
                       "SELECT doc_title AS title, doc_filename AS filename, doc_type AS content_type, "
                       "doc_storage AS storage FROM expense WHERE id = ? AND doc_storage IS NOT NULL",
                       "i", x->id);
}

/* The spent cents of a budget line, as SQL over alias l. */
#define LINE_SPENT "(SELECT COALESCE(SUM(x.amount_cents), 0) FROM expense x WHERE x.budget_line_id = l.id)"

/* A project's planned and spent cents, and those of its lines under no action. */
typedef struct budget_totals {
    int64_t planned, spent, loose_planned, loose_spent, loose_lines;
} budget_totals_t;
static const db_field_t totals_map[] = {DB_INT(budget_totals_t, planned), DB_INT(budget_totals_t, spent),
                                        DB_INT(budget_totals_t, loose_planned), DB_INT(budget_totals_t, loose_spent),
                                        DB_INT(budget_totals_t, loose_lines)};

int gov_store_budget(db_t *db, const gov_project_t *p, json_t *out)
{
    int rc;
    if ((rc = gov_store_rows_at(db, out, "lines", "iitttii",
                                "SELECT l.id AS id, l.action_id AS action_id, a.code AS action_code, "
                                "l.category AS category, l.label AS label, l.planned_cents AS planned_cents, " LINE_SPENT
                                " AS spent_cents FROM budget_line l LEFT JOIN action a ON a.id = l.action_id "
                                "WHERE l.project_id = ? ORDER BY a.code, l.id",
                                p->id)) ||
        (rc = gov_store_rows_at(db, out, "actions", "ittiii",
                                "SELECT a.id AS id, a.code AS code, a.title AS title, a.macro_action AS macro_action, "
                                "(SELECT COALESCE(SUM(l.planned_cents), 0) FROM budget_line l WHERE l.action_id = a.id) "
                                "AS planned_cents, (SELECT COALESCE(SUM(x.amount_cents), 0) FROM expense x "
                                "JOIN budget_line l ON l.id = x.budget_line_id WHERE l.action_id = a.id) AS spent_cents "
                                "FROM action a WHERE a.project_id = ? ORDER BY a.code, a.id",
                                p->id)))
        return rc;
    budget_totals_t t;
    if ((rc = db_get_row(db, DB_MAP(totals_map), &t, sizeof t,
                         "SELECT (SELECT COALESCE(SUM(planned_cents), 0) FROM budget_line WHERE project_id = ?), "
                         "(SELECT COALESCE(SUM(amount_cents), 0) FROM expense WHERE project_id = ?), "
                         "(SELECT COALESCE(SUM(l.planned_cents), 0) FROM budget_line l "
                         "WHERE l.project_id = ? AND l.action_id IS NULL), "
                         "(SELECT COALESCE(SUM(x.amount_cents), 0) FROM expense x JOIN budget_line l "
                         "ON l.id = x.budget_line_id WHERE l.project_id = ? AND l.action_id IS NULL), "
                         "(SELECT COUNT(*) FROM budget_line WHERE project_id = ? AND action_id IS NULL)",
                         "iiiii", p->id, p->id, p->id, p->id, p->id)))
        return rc < 0 ? rc : DB_ERR;
    json_object_set_new(out, "total", json_pack("{s:I,s:I}", "planned_cents", (json_int_t)t.planned, "spent_cents",
                                                (json_int_t)t.spent));
    if (t.loose_lines > 0) /* lines under no action: one entry of their own */
        json_array_append_new(json_object_get(out, "actions"),
                              json_pack("{s:n,s:n,s:n,s:n,s:I,s:I}", "id", "code", "title", "macro_action", "planned_cents",
                                        (json_int_t)t.loose_planned, "spent_cents", (json_int_t)t.loose_spent));
    return 0;
}

int gov_store_expenses(db_t *db, const gov_project_t *p, const char *from, const char *to, json_t *items)
{
    return db_list_json(db, items, "itittitttb",
                        "SELECT x.id AS id, x.date AS date, x.budget_line_id AS budget_line_id, l.category AS category, "
                        "a.code AS action_code, x.amount_cents AS amount_cents, x.supplier AS supplier, "
                        "x.description AS description, x.doc_filename AS document, x.late AS late "
                        "FROM expense x JOIN budget_line l ON l.id = x.budget_line_id LEFT JOIN action a ON a.id = l.action_id "
                        "WHERE x.project_id = ? AND (CAST(? AS TEXT) IS NULL OR x.date >= ?) "
                        "AND (CAST(? AS TEXT) IS NULL OR x.date <= ?) ORDER BY x.date, x.id LIMIT 100000",
                        "itttt", p->id, from, from, to, to);
}

/* store_attribution.c — the SQL behind gov_project_for and gov_period_open.
 * An organisation's ancestors are the prefixes of its path ('/1/5/23/'). */
#include "store.h"
#include <stdio.h>

int gov_store_project_above(db_t *db, const char *org_path, int64_t id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT 1 FROM project p JOIN org o ON o.id = p.org_id WHERE p.id = ? "
                             "AND substr(?, 1, length(o.path)) = o.path",
                             "it", id, org_path);
    return gov_store_found(st, rc);
}

int gov_store_project_on(db_t *db, const char *org_path, const char *date, int64_t *id)
{
    *id = 0;
    int rc = db_get_int(db, id,
                        "SELECT p.id FROM project p JOIN org o ON o.id = p.org_id WHERE o.kind = 'ambito' "
                        "AND substr(?, 1, length(o.path)) = o.path "
                        "AND (p.start_date IS NULL OR p.start_date <= ?) AND (p.end_date IS NULL OR p.end_date >= ?) "
                        "ORDER BY p.start_date DESC, p.id DESC LIMIT 1",
                        "ttt", org_path, date, date);
    return rc < 0 ? rc : 0;
}

int gov_store_period_locked(db_t *db, int64_t id, const char *date, int64_t *submission_id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT id, reopened_at FROM project_submission WHERE project_id = ? AND status = 'approved' "
                             "AND from_date <= ? AND to_date >= ? ORDER BY id LIMIT 1",
                             "itt", id, date, date);
    int out = rc == DB_ROW ? (db_col_is_null(st, 1) ? 1 : 2) : 0;
    *submission_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    if (st) db_reset(st);
    return rc < 0 ? rc : out;
}

int gov_store_late_insert(db_t *db, int64_t submission_id, const char *date, const char *field, int64_t now)
{
    return db_run(db, "INSERT INTO late_correction (submission_id, activity_date, field, at) VALUES (?, ?, ?, ?)",
                  "itti", submission_id, date, field, now);
}

int gov_store_org_path(db_t *db, int64_t org_id, char *out, size_t len)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT path FROM org WHERE id = ?", "i", org_id);
    if (rc == DB_ROW) snprintf(out, len, "%s", db_col_text(st, 0));
    return gov_store_found(st, rc);
}

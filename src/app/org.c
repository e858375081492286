/* org.c — organisation lookups (see org.h). */
#include "org.h"
#include <stdio.h>

#define ORG_COLS "o.id, COALESCE(o.parent_id, 0), o.code, o.name, o.kind, o.path"

/* Runs a one-row org query into *out; 0 found, 1 none, or DB_E*. */
static int org_one(db_stmt_t *st, int rc, org_t *out)
{
    if (!st) return rc;
    if (rc == DB_ROW) {
        out->id = db_col_int(st, 0);
        out->parent_id = db_col_int(st, 1);
        snprintf(out->code, sizeof out->code, "%s", db_col_text(st, 2));
        snprintf(out->name, sizeof out->name, "%s", db_col_text(st, 3));
        snprintf(out->kind, sizeof out->kind, "%s", db_col_text(st, 4));
        snprintf(out->path, sizeof out->path, "%s", db_col_text(st, 5));
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int org_visible(const scope_t *sc, db_t *db, const char *code, org_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT " ORG_COLS " FROM org o WHERE o.code = ?"
                             " AND (o.path LIKE ? OR ? LIKE o.path || '%')",
                             "ttt", code, scope_subtree_like(sc), sc->role == ROLE_NONE ? "" : sc->org_path);
    return org_one(st, rc, out);
}

int org_public(db_t *db, const char *code, org_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT " ORG_COLS " FROM org o WHERE o.code = ?", "t", code);
    return org_one(st, rc, out);
}

int org_root(db_t *db, org_t *out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT " ORG_COLS " FROM org o WHERE o.parent_id IS NULL ORDER BY o.id LIMIT 1",
                             NULL);
    return org_one(st, rc, out);
}

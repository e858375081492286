/* org.c — organisation lookups (see org.h). */
#include "org.h"
#include "db/row_json.h"

#define ORG_COLS "o.id, COALESCE(o.parent_id, 0), o.code, o.name, o.kind, o.path"

/* ORG_COLS into an org_t. */
static const db_field_t org_map[] = {DB_INT(org_t, id),   DB_INT(org_t, parent_id), DB_TEXT(org_t, code),
                                     DB_TEXT(org_t, name), DB_TEXT(org_t, kind),    DB_TEXT(org_t, path)};

int org_visible(const scope_t *sc, db_t *db, const char *code, org_t *out)
{
    return db_get_row(db, DB_MAP(org_map), out, sizeof *out,
                      "SELECT " ORG_COLS " FROM org o WHERE o.code = ? AND (o.path LIKE ? OR ? LIKE o.path || '%')",
                      "ttt", code, scope_subtree_like(sc), sc->role == ROLE_NONE ? "" : sc->org_path);
}

int org_public(db_t *db, const char *code, org_t *out)
{
    return db_get_row(db, DB_MAP(org_map), out, sizeof *out, "SELECT " ORG_COLS " FROM org o WHERE o.code = ?", "t",
                      code);
}

int org_root(db_t *db, org_t *out)
{
    return db_get_row(db, DB_MAP(org_map), out, sizeof *out,
                      "SELECT " ORG_COLS " FROM org o WHERE o.parent_id IS NULL ORDER BY o.id LIMIT 1", NULL);
}

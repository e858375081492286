/* store.c — materials, revisions, translations and the public search of
 * qualified information (store.h). Notices and subscribers are in
 * store_board.c. */
#include "store_row.h"
#include "core/json.h"
#include <stdio.h>

/* The status a translation reads (rule I2), as SQL over t and m. */
#define INFO_STATUS_SQL \
    "CASE WHEN t.status = 'published' AND t.source_revision < m.revision THEN 'stale' ELSE t.status END"

int info_store_scoped_row(const scope_t *sc, db_t *db, const char *table, const char *cols, int64_t id,
                          const db_field_t *map, size_t n, void *out, size_t size)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s x JOIN org o ON o.id = x.org_id WHERE x.id = ? AND o.path LIKE ?",
             cols, table);
    return db_get_row(db, map, n, out, size, sql, "it", id, scope_subtree_like(sc));
}

/* A material as loaded, from a query of (id, org_id, revision). */
static const db_field_t material_map[] = {DB_INT(info_material_t, id), DB_INT(info_material_t, org_id),
                                          DB_INT(info_material_t, revision)};

int info_store_material_load(const scope_t *sc, db_t *db, int64_t id, info_material_t *out)
{
    return info_store_scoped_row(sc, db, "info_material", "x.id, x.org_id, x.revision", id, DB_MAP(material_map), out,
                                 sizeof *out);
}

int info_store_material_public(db_t *db, int64_t id, info_material_t *out)
{
    return db_get_row(db, DB_MAP(material_map), out, sizeof *out,
                      "SELECT id, org_id, revision FROM info_material WHERE id = ?", "i", id);
}

/* Keeps the text of revision `rev` (rule I1). */
static int revision_insert(db_t *db, int64_t id, int rev, const char *title, const char *body, int64_t user,
                           int64_t now)
{
    return db_run(db,
                  "INSERT INTO info_revision (material_id, revision, title, body, created_by, created_at)"
                  " VALUES (?, ?, ?, ?, NULLIF(?, 0), ?)",
                  "iittii", id, (int64_t)rev, title, body, user, now);
}

int info_store_material_insert(db_t *db, const org_t *org, const info_material_input_t *in, int64_t user,
                               int64_t now, int64_t *id)
{
    int rc = db_insert_id(db, id,
                          "INSERT INTO info_material (org_id, category, title, body, revision, review_by,"
                          " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                          "itttti" "ii", org->id, in->category, in->title, in->body, in->review_by, user, now, now);
    return rc ? rc : revision_insert(db, *id, 1, in->title, in->body, user, now);
}

int info_store_material_json(db_t *db, const info_material_t *m, json_t **out)
{
    return db_get_json(db, out, "ittttiti",
                       "SELECT m.id AS id, o.code AS org, m.category AS category, m.title AS title,"
                       " m.body AS body, m.revision AS revision, m.review_by AS review_by,"
                       " m.updated_at AS updated_at FROM info_material m JOIN org o ON o.id = m.org_id"
                       " WHERE m.id = ?",
                       "i", m->id);
}

int info_store_material_update(db_t *db, info_material_t *m, const char *title, const char *body,
                               const char *category, const char *review_by, bool new_revision, int64_t user,
                               int64_t now)
{
    int rev = m->revision + (new_revision ? 1 : 0);
    int rc = db_run(db,
                    "UPDATE info_material SET title = ?, body = ?, category = ?, review_by = ?, revision = ?,"
                    " updated_at = ? WHERE id = ?",
                    "ttttiii", title, body, category, review_by, (int64_t)rev, now, m->id);
    if (rc || !new_revision) return rc;
    if ((rc = revision_insert(db, m->id, rev, title, body, user, now))) return rc;
    m->revision = rev;
    return 0;
}

int info_store_material_list(const scope_t *sc, db_t *db, const char *today, int64_t cursor, int limit,
                             json_t *items)
{
    return db_list_json(db, items, "ittttibii",
                        "SELECT m.id AS id, o.code AS org, m.category AS category, m.title AS title,"
                        " m.revision AS revision, m.review_by AS review_by,"
                        " CASE WHEN m.review_by <= ? THEN 1 ELSE 0 END AS review_due, m.updated_at AS updated_at,"
                        " (SELECT COUNT(*) FROM info_translation t WHERE t.material_id = m.id"
                        "  AND t.status = 'published' AND t.source_revision = m.revision) AS current"
                        " FROM info_material m JOIN org o ON o.id = m.org_id WHERE o.path LIKE ? AND m.id > ?"
                        " ORDER BY m.id LIMIT ?",
                        "ttii", today, scope_subtree_like(sc), cursor, (int64_t)limit);
}

int info_store_revision_list(db_t *db, const info_material_t *m, json_t *items)
{
    return db_list_json(db, items, "ii",
                        "SELECT revision AS revision, created_at AS created_at FROM info_revision"
                        " WHERE material_id = ? ORDER BY revision DESC",
                        "i", m->id);
}

int info_store_revision_get(db_t *db, const info_material_t *m, int revision, json_t **out)
{
    return db_get_json(db, out, "itt",
                       "SELECT revision AS revision, title AS title, body AS body FROM info_revision"
                       " WHERE material_id = ? AND revision = ?",
                       "ii", m->id, (int64_t)revision);
}

int info_store_progress(const scope_t *sc, db_t *db, json_t *items, int64_t *total)
{
    const char *like = scope_subtree_like(sc);
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT COUNT(*) FROM info_material m JOIN org o ON o.id = m.org_id WHERE o.path LIKE ?",
                             "t", like);
    if (!st) return rc;
    *total = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    if (rc < 0) return rc;
    return db_list_json(db, items, "tii",
                        "SELECT t.lang AS lang, SUM(CASE WHEN t.status = 'published' THEN 1 ELSE 0 END) AS published,"
                        " SUM(CASE WHEN t.status = 'published' AND t.source_revision = m.revision THEN 1 ELSE 0 END)"
                        " AS current FROM info_translation t JOIN info_material m ON m.id = t.material_id"
                        " JOIN org o ON o.id = m.org_id WHERE o.path LIKE ? GROUP BY t.lang ORDER BY t.lang",
                        "t", like);
}

/* ---- translations ---------------------------------------------------------------- */

int info_store_translation_get(db_t *db, const info_material_t *m, const char *lang, json_t **out)
{
    return db_get_json(db, out, "ttttti" "ii",
                       "SELECT t.lang AS lang, t.title AS title, t.body AS body, " INFO_STATUS_SQL " AS status,"
                       " t.status AS stored_status, t.source_revision AS source_revision,"
                       " t.author_id AS author_id, t.updated_at AS updated_at"
                       " FROM info_translation t JOIN info_material m ON m.id = t.material_id"
                       " WHERE t.material_id = ? AND t.lang = ?",
                       "it", m->id, lang);
}

int info_store_translation_write(db_t *db, const info_material_t *m, const char *lang, const char *title,
                                 const char *body, const char *status, int64_t author, int64_t now)
{
    return db_run(db,
                  "INSERT INTO info_translation (material_id, lang, title, body, status, source_revision, author_id,"
                  " reviewer_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULL, ?)"
                  " ON CONFLICT (material_id, lang) DO UPDATE SET title = excluded.title, body = excluded.body,"
                  " status = excluded.status, source_revision = excluded.source_revision,"
                  " author_id = excluded.author_id, reviewer_id = NULL, updated_at = excluded.updated_at",
                  "ittttiii", m->id, lang, title, body, status, (int64_t)m->revision, author, now);
}

int info_store_translation_publish(db_t *db, const info_material_t *m, const char *lang, int64_t reviewer,
                                   int64_t now)
{
    return db_run(db,
                  "UPDATE info_translation SET status = 'published', reviewer_id = NULLIF(?, 0), published_at = ?,"
                  " updated_at = ? WHERE material_id = ? AND lang = ?",
                  "iiiit", reviewer, now, now, m->id, lang);
}

int info_store_translation_list(db_t *db, const info_material_t *m, json_t *items)
{
    return db_list_json(db, items, "ttitii",
                        "SELECT t.lang AS lang, " INFO_STATUS_SQL " AS status, t.source_revision AS"
                        " source_revision, t.title AS title, t.updated_at AS updated_at,"
                        " t.published_at AS published_at FROM info_translation t"
                        " JOIN info_material m ON m.id = t.material_id WHERE t.material_id = ? ORDER BY t.lang",
                        "i", m->id);
}

/* ---- public reading and search ---------------------------------------------------- */

int info_store_search_put(db_t *db, const info_material_t *m, const char *lang, const char *doc)
{
    if (!doc) return db_run(db, "DELETE FROM info_search WHERE material_id = ? AND lang = ?", "it", m->id, lang);
    return db_run(db,
                  "INSERT INTO info_search (material_id, lang, doc) VALUES (?, ?, ?)"
                  " ON CONFLICT (material_id, lang) DO UPDATE SET doc = excluded.doc",
                  "itt", m->id, lang, doc);
}

int info_store_public_list(db_t *db, const char *lang, const char *category, const char *pattern, json_t *items)
{
    /* The search runs on the engine's own index: pg_trgm (PostgreSQL), FTS5
     * trigram (SQLite) — which cannot look up fewer than three characters
     * (a two-character Chinese word), so those scan the documents. */
    bool short_text = pattern && utf8_chars(pattern) < 5; /* "%ab%" */
    const char *match = db_kind(db) == DB_PG
                            ? " AND m.id IN (SELECT s.material_id FROM info_search s WHERE s.doc ILIKE ?"
                              " AND s.lang IN (?, 'it'))"
                        : short_text
                            ? " AND m.id IN (SELECT s.material_id FROM info_search s WHERE s.doc LIKE ?"
                              " AND s.lang IN (?, 'it'))"
                            : " AND m.id IN (SELECT s.material_id FROM info_fts f JOIN info_search s ON s.id = f.rowid"
                              " WHERE f.doc LIKE ? AND s.lang IN (?, 'it'))";
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT m.id AS id, m.category AS category, COALESCE(t.title, m.title) AS title,"
             " CASE WHEN t.title IS NULL THEN 'it' ELSE t.lang END AS lang,"
             " CASE WHEN t.title IS NULL THEN 1 ELSE 0 END AS fallback FROM info_material m"
             " LEFT JOIN info_translation t ON t.material_id = m.id AND t.lang = ? AND t.status = 'published'"
             " WHERE (? = '' OR m.category = ?)%s ORDER BY m.category, 3, m.id LIMIT 500",
             pattern ? match : "");
    int rc;
    db_stmt_t *st = pattern ? db_query(db, &rc, sql, "ttttt", lang, category, category, pattern, lang)
                            : db_query(db, &rc, sql, "ttt", lang, category, category);
    return db_rows_json(st, rc, "ittti", items);
}

int info_store_public_text(db_t *db, const info_material_t *m, const char *lang, json_t **out, bool *fallback)
{
    int rc = db_get_json(db, out, "tttii",
                         "SELECT t.title AS title, t.body AS body, m.category AS category, m.revision AS revision,"
                         " t.source_revision AS source_revision FROM info_translation t"
                         " JOIN info_material m ON m.id = t.material_id"
                         " WHERE t.material_id = ? AND t.lang = ? AND t.status = 'published'",
                         "it", m->id, lang);
    *fallback = rc == 1;
    if (rc != 1) return rc;
    return db_get_json(db, out, "tttii",
                       "SELECT title AS title, body AS body, category AS category, revision AS revision,"
                       " revision AS source_revision FROM info_material WHERE id = ?",
                       "i", m->id);
}

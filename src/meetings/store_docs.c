/* store_docs.c — the SQL of documents: minutes' files and the library
 * (see store.h). */
#include "store.h"
#include "db/row_json.h"
#include <string.h>

int mtg_store_doc_insert(const scope_t *sc, db_t *db, int64_t org_id, const mtg_meeting_t *m, const mtg_doc_input_t *in,
                         const char *filename, const char *type, const char *sha, const char *storage, int64_t now,
                         int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO meeting_document (org_id, meeting_id, title, series, filename, content_type, size, "
                             "sha256, storage, visibility, created_by, created_at) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, "
                             "?, ?, NULLIF(?, 0), ?) RETURNING id",
                             "iittttitttii", org_id, m ? m->id : 0, in->title, in->series, filename, type, (int64_t)in->len,
                             sha, storage, in->visibility ? in->visibility : "network",
                             sc->user_id > 0 ? sc->user_id : 0, now);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    if (st) db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : DB_ERR;
}

#define DOC_JSON                                                                                                   \
    "SELECT d.id AS id, d.title AS title, d.series AS series, d.filename AS filename, d.content_type AS content_type, " \
    "d.size AS size, d.visibility AS visibility, o.code AS org, o.name AS org_name, d.meeting_id AS meeting_id, "     \
    "d.created_at AS created_at FROM meeting_document d JOIN org o ON o.id = d.org_id "
#define DOC_TYPES "ittttittti" "i"

int mtg_store_meeting_files(db_t *db, const mtg_meeting_t *m, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, DOC_JSON "WHERE d.meeting_id = ? ORDER BY d.id", "i", m->id);
    return db_rows_json(st, rc, DOC_TYPES, items);
}

int mtg_store_doc_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    int rc;
    bool anon = sc->role == ROLE_NONE;
    db_stmt_t *st = db_query(db, &rc,
                             DOC_JSON "WHERE d.meeting_id IS NULL AND d.id > ? AND "
                                      "((? = 1 AND d.visibility = 'public') OR (? = 0 AND (o.path LIKE ? OR ? LIKE o.path || '%' "
                                      "OR d.visibility = 'public'))) "
                                      "ORDER BY d.id LIMIT ?",
                             "iiitti", cursor, (int64_t)anon, (int64_t)anon, scope_subtree_like(sc), sc->org_path,
                             (int64_t)limit);
    return db_rows_json(st, rc, DOC_TYPES, items);
}

int mtg_store_doc_get(const scope_t *sc, db_t *db, int64_t id, json_t **row)
{
    int rc;
    bool anon = sc->role == ROLE_NONE;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT d.id AS id, d.title AS title, d.filename AS filename, d.content_type AS content_type, "
                             "d.visibility AS visibility, d.meeting_id AS meeting_id, d.org_id AS org_id, d.storage AS storage "
                             "FROM meeting_document d JOIN org o ON o.id = d.org_id WHERE d.id = ? AND "
                             "((? = 1 AND d.visibility = 'public' AND d.meeting_id IS NULL) OR (? = 0 AND (o.path LIKE ? OR "
                             "? LIKE o.path || '%' OR (d.meeting_id IS NULL AND d.visibility = 'public'))))",
                             "iiitt", id, (int64_t)anon, (int64_t)anon, scope_subtree_like(sc), sc->org_path);
    return db_one_json(st, rc, "ittttiit", row);
}

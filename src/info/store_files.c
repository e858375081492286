/* store_files.c — the SQL of attachments, review-by reminders and the
 * contacts and office hours of desks and offices (store.h). */
#include "store.h"
#include "core/json.h"
#include "db/row_json.h"
#include <stdio.h>
#include <string.h>

/* ---- attachments ------------------------------------------------------------------- */

int info_store_attachment_insert(db_t *db, const info_material_t *m, const char *lang, const char *title,
                                 const char *filename, const char *type, int64_t size, const char *sha,
                                 const char *storage, int64_t user, int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO info_attachment (material_id, lang, title, filename, content_type, size,"
                        " sha256, storage, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?)"
                        " RETURNING id",
                        "ittttittii", m->id, lang, title, filename, type, size, sha, storage, user, now);
}

/* An attachment as loaded: its material and its storage name. */
typedef struct attachment_row {
    info_material_t m;
    char storage[64];
} attachment_row_t;
static const db_field_t attachment_map[] = {DB_INT(attachment_row_t, m.id), DB_INT(attachment_row_t, m.org_id),
                                            DB_INT(attachment_row_t, m.revision), DB_TEXT(attachment_row_t, storage)};

int info_store_attachment_load(const scope_t *sc, db_t *db, int64_t id, info_material_t *m, char storage[64])
{
    attachment_row_t row;
    int rc = db_get_row(db, DB_MAP(attachment_map), &row, sizeof row,
                        "SELECT m.id, m.org_id, m.revision, a.storage FROM info_attachment a"
                        " JOIN info_material m ON m.id = a.material_id JOIN org o ON o.id = m.org_id"
                        " WHERE a.id = ? AND o.path LIKE ?",
                        "it", id, scope_subtree_like(sc));
    if (rc) return rc;
    *m = row.m;
    memcpy(storage, row.storage, sizeof row.storage);
    return 0;
}

int info_store_attachment_delete(db_t *db, const info_material_t *m, int64_t id)
{
    return db_run(db, "DELETE FROM info_attachment WHERE id = ? AND material_id = ?", "ii", id, m->id);
}

int info_store_attachment_list(db_t *db, const info_material_t *m, const char *lang, json_t *items)
{
    return db_list_json(db, items, "itttti",
                        "SELECT id AS id, lang AS lang, title AS title, filename AS filename,"
                        " content_type AS content_type, size AS size FROM info_attachment"
                        " WHERE material_id = ? AND (? = '' OR lang = ?) ORDER BY lang, id",
                        "itt", m->id, lang, lang);
}

int info_store_attachment_public(db_t *db, int64_t id, json_t **out)
{
    return db_get_json(db, out, "ttt",
                       "SELECT filename AS filename, content_type AS content_type, storage AS storage"
                       " FROM info_attachment WHERE id = ?",
                       "i", id);
}

/* ---- review-by reminders ----------------------------------------------------------- */

int info_store_review_due(db_t *db, const char *today, json_t *items)
{
    return db_list_json(db, items, "itiitt",
                        "SELECT DISTINCT u.id AS user_id, u.email AS email, m.org_id AS org_id,"
                        " m.id AS material_id, m.title AS title, m.review_by AS review_by"
                        " FROM info_material m JOIN org mo ON mo.id = m.org_id"
                        " JOIN role_grant g ON g.role = 'editor' JOIN org go ON go.id = g.org_id"
                        " JOIN app_user u ON u.id = g.user_id"
                        " WHERE m.review_by IS NOT NULL AND m.review_by <> '' AND m.review_by <= ?"
                        " AND (m.reminded_for IS NULL OR m.reminded_for <> m.review_by)"
                        " AND mo.path LIKE go.path || '%' AND u.active = 1 AND u.email IS NOT NULL"
                        " AND u.email <> '' ORDER BY u.id, m.review_by, m.id",
                        "t", today);
}

int info_store_review_mark(db_t *db, int64_t material_id)
{
    return db_run(db, "UPDATE info_material SET reminded_for = review_by WHERE id = ?", "i", material_id);
}

int info_store_material_overdue(const scope_t *sc, db_t *db, const char *today, json_t *items)
{
    return db_list_json(db, items, "ittt",
                        "SELECT m.id AS id, m.title AS title, m.review_by AS review_by, o.code AS org"
                        " FROM info_material m JOIN org o ON o.id = m.org_id"
                        " WHERE o.path LIKE ? AND m.review_by IS NOT NULL AND m.review_by <> ''"
                        " AND m.review_by <= ? ORDER BY m.review_by, m.id",
                        "tt", scope_subtree_like(sc), today);
}

/* ---- contacts and office hours ------------------------------------------------------- */

int info_store_contact_put(db_t *db, const org_t *org, const char *address, const char *phone, const char *email,
                           bool by_appointment, const char *note, json_t *hours, int64_t user, int64_t now)
{
    int rc = db_run(db,
                    "INSERT INTO info_contact (org_id, address, phone, email, by_appointment, note, updated_by,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?) ON CONFLICT (org_id) DO UPDATE SET"
                    " address = excluded.address, phone = excluded.phone, email = excluded.email,"
                    " by_appointment = excluded.by_appointment, note = excluded.note,"
                    " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                    "itttitii", org->id, address, phone, email, (int64_t)by_appointment, note, user, now);
    if (rc || (rc = db_run(db, "DELETE FROM info_hours WHERE org_id = ?", "i", org->id))) return rc;
    size_t i;
    json_t *h;
    json_array_foreach(hours, i, h) {
        rc = db_run(db, "INSERT INTO info_hours (org_id, weekday, opens, closes, kind) VALUES (?, ?, ?, ?, ?)",
                    "iittt", org->id, (int64_t)json_integer_value(json_object_get(h, "weekday")),
                    jstr(h, "opens"), jstr(h, "closes"), jstr(h, "kind"));
        if (rc) return rc;
    }
    return 0;
}

/* The hours of organisation `org_id` into the "hours" of `c`. */
static int hours_of(db_t *db, int64_t org_id, json_t *c)
{
    json_t *hours = json_array();
    json_object_set_new(c, "hours", hours);
    return db_list_json(db, hours, "ittt",
                        "SELECT weekday AS weekday, opens AS opens, closes AS closes, kind AS kind"
                        " FROM info_hours WHERE org_id = ? ORDER BY weekday, opens",
                        "i", org_id);
}

int info_store_contact_get(db_t *db, const org_t *org, json_t **out)
{
    int rc = db_get_json(db, out, "tttbt",
                         "SELECT address AS address, phone AS phone, email AS email,"
                         " by_appointment AS by_appointment, note AS note FROM info_contact WHERE org_id = ?",
                         "i", org->id);
    if (rc == 1) {
        *out = json_pack("{s:s, s:s, s:s, s:b, s:s}", "address", "", "phone", "", "email", "", "by_appointment", 0,
                         "note", "");
        rc = 0;
    }
    if (rc) return rc;
    json_object_set_new(*out, "org", json_string(org->code));
    json_object_set_new(*out, "name", json_string(org->name));
    return hours_of(db, org->id, *out);
}

int info_store_contacts_public(db_t *db, const char *path_prefix, json_t *items)
{
    char like[260];
    snprintf(like, sizeof like, "%s%%", path_prefix);
    int rc = db_list_json(db, items, "ittttttbt",
                          "SELECT o.id AS org_id, o.code AS org, o.name AS name, o.kind AS kind, c.address AS address,"
                          " c.phone AS phone, c.email AS email, c.by_appointment AS by_appointment, c.note AS note"
                          " FROM info_contact c JOIN org o ON o.id = c.org_id WHERE o.path LIKE ?"
                          " ORDER BY CASE WHEN o.kind = 'ambito' THEN 0 ELSE 1 END, o.name, o.id",
                          "t", like);
    if (rc) return rc;
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c) {
        if ((rc = hours_of(db, json_integer_value(json_object_get(c, "org_id")), c))) return rc;
        json_object_del(c, "org_id");
    }
    return 0;
}

int info_store_contact_orgs(const scope_t *sc, db_t *db, json_t *items)
{
    return db_list_json(db, items, "ttttti",
                        "SELECT o.code AS org, o.name AS name, o.kind AS kind, c.phone AS phone, c.email AS email,"
                        " (SELECT COUNT(*) FROM info_hours h WHERE h.org_id = o.id) AS hours_count"
                        " FROM org o LEFT JOIN info_contact c ON c.org_id = o.id WHERE o.path LIKE ?"
                        " ORDER BY o.path, o.name LIMIT 500",
                        "t", scope_subtree_like(sc));
}

/* store.c — the help desk's SQL shared by the store files (see store.h):
 * the scoped-load and list helpers, procedure rules, access grants, the digest ledger and
 * settings. Portable SQL for SQLite and PostgreSQL, always with bound
 * parameters. */
#include "store.h"
#include "core/json.h"
#include "db/row_json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "a,b" -> ["a","b"] in place of the text member `key` of every object. */
void desk_store_split_list(json_t *items, const char *key)
{
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", jstr_or_empty(o, key));
        json_t *arr = json_array();
        for (char *sv = NULL, *t = strtok_r(buf, ",", &sv); t; t = strtok_r(NULL, ",", &sv))
            json_array_append_new(arr, json_string(t));
        json_object_set_new(o, key, arr);
    }
}

db_stmt_t *desk_store_query_id(const scope_t *sc, db_t *db, const char *sql, int64_t id, int *rc)
{
    return db_query(db, rc, sql, "it", id, scope_subtree_like(sc));
}

int desk_store_first_ref(int rc, const json_t *items, const char *kind, int64_t id, desk_record_ref_t *ref,
                         json_t **out)
{
    json_t *row = json_array_get(items, 0);
    if (rc || !row) return rc ? rc : 1;
    ref->kind = kind;
    ref->id = id;
    ref->person_id = json_integer_value(json_object_get(row, "person_id"));
    ref->org_id = json_integer_value(json_object_get(row, "org_id"));
    if (out) *out = json_incref(row);
    return 0;
}

int desk_store_rule_latest(db_t *db, const char *type, const char *date, int64_t *id, json_t **rule)
{
    json_t *row = NULL;
    *rule = NULL;
    int rc = db_get_json(db, &row, "it",
                         "SELECT id, body FROM desk_rule WHERE type = ? AND effective_from <= ?"
                         " ORDER BY effective_from DESC, id DESC LIMIT 1",
                         "tt", type, date);
    if (rc) return rc < 0 ? rc : 0;
    *id = json_integer_value(json_object_get(row, "id"));
    *rule = json_loads(jstr_or_empty(row, "body"), 0, NULL);
    json_decref(row);
    return 0;
}

int desk_store_rule_types(db_t *db, json_t *types)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT DISTINCT type FROM desk_rule ORDER BY type", NULL);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(types, json_text(db_col_text(st, 0)));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int desk_store_rule_versions(db_t *db, const char *type, json_t *items)
{
    return db_list_json(db, items, "ttit" "t",
                        "SELECT r.effective_from AS effective_from, r.reason AS reason, u.username AS changed_by,"
                        " r.changed_at AS changed_at, 'db:' || CAST(r.id AS TEXT) AS origin FROM desk_rule r"
                        " LEFT JOIN app_user u ON u.id = r.changed_by WHERE r.type = ? ORDER BY r.effective_from, r.id",
                        "t", type);
}

int desk_store_rule_insert(const scope_t *sc, db_t *db, const char *type, const char *from, const char *body,
                           const char *reason, int64_t now, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO desk_rule (type, effective_from, body, reason, changed_by, changed_at)"
                        " VALUES (?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                        "ttttii", type, from, body, reason, sc->user_id, now);
}

static const db_field_t grant_map[] = {
    DB_INT(desk_grant_t, id), DB_INT(desk_grant_t, org_id), DB_TEXT(desk_grant_t, org_path),
    DB_TEXT(desk_grant_t, org_code), DB_TEXT(desk_grant_t, reason),
};

int desk_store_grant_active(const scope_t *session, db_t *db, int64_t now, desk_grant_t *out)
{
    return db_get_row(db, DB_MAP(grant_map), out, sizeof *out,
                      "SELECT g.id, g.org_id, o.path, o.code, g.reason FROM access_grant g JOIN org o ON o.id = g.org_id"
                      " WHERE g.user_id = ? AND g.revoked_at IS NULL AND g.created_at <= ? AND g.expires_at > ?"
                      " ORDER BY g.id DESC LIMIT 1",
                      "iii", session->user_id, now, now);
}

int desk_store_grant_insert(const scope_t *sc, db_t *db, int64_t user_id, int64_t org_id, const char *reason,
                            int64_t now, int64_t expires, int64_t *id)
{
    return db_insert_id(db, id,
                        "INSERT INTO access_grant (user_id, org_id, reason, granted_by, created_at, expires_at)"
                        " VALUES (?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                        "iitiii", user_id, org_id, reason, sc->user_id, now, expires);
}

int desk_store_grant_revoke(const scope_t *sc, db_t *db, int64_t id, int64_t now)
{
    int rc = db_run(db,
                    "UPDATE access_grant SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"
                    " AND org_id IN (SELECT o.id FROM org o WHERE o.path LIKE ?)",
                    "iit", now, id, scope_subtree_like(sc));
    return rc ? rc : db_changes(db) == 0 ? 1 : 0;
}

int desk_store_grant_list(const scope_t *sc, db_t *db, int64_t now, json_t *items)
{
    return db_list_json(db, items, "itttti" "iib",
                        "SELECT g.id AS id, u.username AS user, o.code AS org, g.reason AS reason,"
                        " b.username AS granted_by, g.created_at AS created_at, g.expires_at AS expires_at,"
                        " g.revoked_at AS revoked_at,"
                        " CASE WHEN g.revoked_at IS NULL AND g.expires_at > ? THEN 1 ELSE 0 END AS active"
                        " FROM access_grant g JOIN app_user u ON u.id = g.user_id JOIN org o ON o.id = g.org_id"
                        " LEFT JOIN app_user b ON b.id = g.granted_by WHERE o.path LIKE ?"
                        " ORDER BY g.id DESC LIMIT 200",
                        "it", now, scope_subtree_like(sc));
}

/* A bare id, the one column of a row, as a field map. */
static const db_field_t id_map[] = {{0, sizeof(int64_t), 'i'}};

int desk_store_region_user(db_t *db, const char *username, int64_t *user_id)
{
    return db_get_row(db, DB_MAP(id_map), user_id, sizeof *user_id,
                      "SELECT u.id FROM app_user u JOIN role_grant g ON g.user_id = u.id"
                      " WHERE u.username = ? AND g.role = 'region' AND u.active = 1 LIMIT 1",
                      "t", username);
}

int desk_store_digest_recipients(db_t *db, const char *day, json_t *items)
{
    return db_list_json(db, items, "ittttit",
                        "SELECT u.id AS user_id, u.username AS username, u.email AS email, g.role AS role, o.id AS org_id,"
                        " o.code AS org, o.path AS org_path FROM app_user u"
                        " JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id"
                        " WHERE u.active = 1 AND u.email IS NOT NULL AND u.email <> ''"
                        " AND g.role IN ('operator', 'coordinator')"
                        " AND NOT EXISTS (SELECT 1 FROM desk_digest d WHERE d.user_id = u.id AND d.day = ?)"
                        " ORDER BY u.id",
                        "t", day);
}

int desk_store_digest_mark(db_t *db, const json_t *recipient, const char *day, int64_t outbox_id)
{
    int64_t user_id = json_integer_value(json_object_get(recipient, "user_id"));
    return db_run(db, "INSERT INTO desk_digest (user_id, day, outbox_id) VALUES (?, ?, NULLIF(?, 0))", "iti", user_id,
                  day, outbox_id);
}

int desk_store_setting_get(db_t *db, const char *key, char *out, size_t len)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT value FROM setting WHERE key = ?", "t", key);
    if (!st) return rc;
    if (rc == DB_ROW) snprintf(out, len, "%s", db_col_text(st, 0));
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

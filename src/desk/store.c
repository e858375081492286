/* store.c — the help desk's SQL shared by the store files (see store.h):
 * the row helpers, procedure rules, access grants, the digest ledger and
 * settings. Portable SQL for SQLite and PostgreSQL, always with bound
 * parameters. */
#include "store.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Builds a JSON object from the current row: `spec` lists "name:type" per
 * column in order; type i (integer), n (integer or null), t (text or null),
 * b (boolean), s (text, "" for null), j (JSON text parsed, null when bad). */
json_t *desk_store_row_obj(db_stmt_t *st, const char *spec)
{
    json_t *o = json_object();
    char name[64];
    int col = 0;
    for (const char *p = spec; *p;) {
        while (*p == ' ') p++;
        if (!*p) break;
        size_t n = strcspn(p, ":");
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        p += n + 1;
        char type = *p++;
        json_t *v;
        if (type != 's' && type != 'i' && type != 'b' && db_col_is_null(st, col)) v = json_null();
        else if (type == 'i' || type == 'n') v = json_integer(db_col_int(st, col));
        else if (type == 'b') v = json_boolean(db_col_int(st, col));
        else if (type == 'j') {
            v = json_loads(db_col_text(st, col), 0, NULL);
            if (!v) v = json_null();
        } else v = json_text(db_col_text(st, col));
        json_object_set_new(o, name, v);
        col++;
    }
    return o;
}

/* Runs a query already positioned (st, rc) and appends every row. */
int desk_store_rows_into(db_stmt_t *st, int rc, const char *spec, json_t *items)
{
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(items, desk_store_row_obj(st, spec));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int desk_store_one_into(db_stmt_t *st, int rc, const char *spec, json_t **out)
{
    if (!st) return rc;
    if (rc == DB_ROW) *out = desk_store_row_obj(st, spec);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int desk_store_insert_id(db_stmt_t *st, int rc, int64_t *id)
{
    if (!st) return rc;
    *id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? rc : (*id ? 0 : DB_ERR);
}

int desk_store_rule_latest(db_t *db, const char *type, const char *date, int64_t *id, json_t **rule)
{
    int rc;
    *rule = NULL;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT id, body FROM desk_rule WHERE type = ? AND effective_from <= ?"
                             " ORDER BY effective_from DESC, id DESC LIMIT 1",
                             "tt", type, date);
    if (!st) return rc;
    if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        *rule = json_loads(db_col_text(st, 1), 0, NULL);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
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
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT r.effective_from, r.id, r.reason, u.username, r.changed_at FROM desk_rule r"
                             " LEFT JOIN app_user u ON u.id = r.changed_by WHERE r.type = ? ORDER BY r.effective_from, r.id",
                             "t", type);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) {
        json_t *o = desk_store_row_obj(st, "effective_from:t id:i reason:t changed_by:t changed_at:i");
        json_object_set_new(o, "origin", json_sprintf("db:%lld", (long long)db_col_int(st, 1)));
        json_object_del(o, "id");
        json_array_append_new(items, o);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int desk_store_rule_insert(db_t *db, const char *type, const char *from, const char *body, const char *reason, int64_t by,
                      int64_t now, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO desk_rule (type, effective_from, body, reason, changed_by, changed_at)"
                             " VALUES (?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                             "ttttii", type, from, body, reason, by, now);
    return desk_store_insert_id(st, rc, id);
}

int desk_store_grant_active(db_t *db, int64_t user_id, int64_t now, int64_t *grant_id, int64_t *org_id, char *org_path,
                       size_t path_len, char *org_code, size_t code_len, char *reason, size_t reason_len)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT g.id, g.org_id, o.path, o.code, g.reason FROM access_grant g JOIN org o ON o.id = g.org_id"
                             " WHERE g.user_id = ? AND g.revoked_at IS NULL AND g.created_at <= ? AND g.expires_at > ?"
                             " ORDER BY g.id DESC LIMIT 1",
                             "iii", user_id, now, now);
    if (!st) return rc;
    if (rc == DB_ROW) {
        *grant_id = db_col_int(st, 0);
        *org_id = db_col_int(st, 1);
        snprintf(org_path, path_len, "%s", db_col_text(st, 2));
        snprintf(org_code, code_len, "%s", db_col_text(st, 3));
        snprintf(reason, reason_len, "%s", db_col_text(st, 4));
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int desk_store_grant_insert(db_t *db, int64_t user_id, int64_t org_id, const char *reason, int64_t by, int64_t now,
                       int64_t expires, int64_t *id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "INSERT INTO access_grant (user_id, org_id, reason, granted_by, created_at, expires_at)"
                             " VALUES (?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                             "iitiii", user_id, org_id, reason, by, now, expires);
    return desk_store_insert_id(st, rc, id);
}

int desk_store_grant_revoke(db_t *db, int64_t id, int64_t now)
{
    return db_run(db, "UPDATE access_grant SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", "ii", now, id);
}

int desk_store_grant_list(db_t *db, int64_t now, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT g.id, u.username, o.code, g.reason, b.username, g.created_at, g.expires_at, g.revoked_at,"
                             " CASE WHEN g.revoked_at IS NULL AND g.expires_at > ? THEN 1 ELSE 0 END"
                             " FROM access_grant g JOIN app_user u ON u.id = g.user_id JOIN org o ON o.id = g.org_id"
                             " LEFT JOIN app_user b ON b.id = g.granted_by ORDER BY g.id DESC LIMIT 200",
                             "i", now);
    return desk_store_rows_into(st, rc, "id:i user:t org:t reason:t granted_by:t created_at:i expires_at:i revoked_at:n active:b",
                     items);
}

int desk_store_region_user(db_t *db, const char *username, int64_t *user_id)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT u.id FROM app_user u JOIN role_grant g ON g.user_id = u.id"
                             " WHERE u.username = ? AND g.role = 'region' AND u.active = 1 LIMIT 1",
                             "t", username);
    if (!st) return rc;
    if (rc == DB_ROW) *user_id = db_col_int(st, 0);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int desk_store_digest_recipients(db_t *db, const char *day, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT u.id, u.username, u.email, g.role, o.id, o.code, o.path FROM app_user u"
                             " JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id"
                             " WHERE u.active = 1 AND u.email IS NOT NULL AND u.email <> ''"
                             " AND g.role IN ('operator', 'coordinator')"
                             " AND NOT EXISTS (SELECT 1 FROM desk_digest d WHERE d.user_id = u.id AND d.day = ?)"
                             " ORDER BY u.id",
                             "t", day);
    return desk_store_rows_into(st, rc, "user_id:i username:t email:t role:t org_id:i org:t org_path:t", items);
}

int desk_store_digest_mark(db_t *db, int64_t user_id, const char *day, int64_t outbox_id)
{
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

int desk_store_setting_put(db_t *db, const char *key, const char *value, int64_t now)
{
    int rc = db_run(db, "DELETE FROM setting WHERE key = ?", "t", key);
    return rc ? rc : db_run(db, "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?)", "tti", key, value, now);
}

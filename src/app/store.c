/* store.c — the app layer's SQL (accounts, sessions, throttling, audit).
 * Bound parameters only; scoped reads filter with scope_subtree_like(). */
#include "store.h"
#include "db/row_json.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

int store_user_for_login(db_t *db, const char *username, int64_t *id, char *hash, size_t hash_len,
                         bool *active)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT id, password_hash, active FROM app_user WHERE username = ?",
                             "t", username);
    if (!st) return rc;
    if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        snprintf(hash, hash_len, "%s", db_col_text(st, 1));
        *active = db_col_int(st, 2) != 0;
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : 1;
}

static const db_field_t login_map[] = {DB_INT(login_account_t, id), DB_TEXT(login_account_t, hash),
                                       DB_INT(login_account_t, active),
                                       DB_INT(login_account_t, password_change_required)};

int store_user_lock_for_login(db_t *db, const char *username, int64_t now, login_account_t *out)
{
    return db_get_row(db, DB_MAP(login_map), out, sizeof *out,
                      "UPDATE app_user SET last_login_attempt_at = ? WHERE username = ?"
                      " RETURNING id, password_hash, active, password_change_required",
                      "it", now, username);
}

int store_user_password_hash(db_t *db, int64_t user_id, char *hash, size_t hash_len)
{
    return db_get_text(db, hash, hash_len, "SELECT password_hash FROM app_user WHERE id = ?", "i", user_id);
}

int store_user_set_own_password(db_t *db, int64_t user_id, const char *pwhash, int64_t now)
{
    return db_run(db,
                  "UPDATE app_user SET password_hash = ?, password_change_required = 0, updated_at = ?"
                  " WHERE id = ?",
                  "tii", pwhash, now, user_id);
}

int store_user_password_one_time(db_t *db, int64_t user_id)
{
    return db_run(db, "UPDATE app_user SET password_change_required = 1 WHERE id = ?", "i", user_id);
}

int64_t store_org_district(db_t *db, const char *org_path, int64_t org_id)
{
    /* The ambito whose path begins the organisation's (itself included). */
    int64_t id = org_id;
    int rc = db_get_int(db, &id,
                        "SELECT id FROM org WHERE kind = 'ambito' AND ? LIKE path || '%'"
                        " ORDER BY length(path) DESC LIMIT 1",
                        "t", org_path);
    return rc < 0 ? 0 : id;
}

int64_t store_user_org_id(db_t *db, int64_t user_id)
{
    int64_t org = 0;
    int rc = db_get_int(db, &org, "SELECT org_id FROM role_grant WHERE user_id = ? ORDER BY id LIMIT 1", "i", user_id);
    return rc == 0 ? org : 0;
}

int store_user_set_login_time(db_t *db, int64_t user_id, int64_t now)
{
    return db_run(db, "UPDATE app_user SET last_login_at = ? WHERE id = ?", "ii", now, user_id);
}

int store_user_create(db_t *db, const char *username, const char *pwhash, const char *display_name,
                      const char *email, role_t role, int64_t org_id, int64_t now, int64_t *id_out)
{
    int64_t id;
    int rc = db_insert_id(db, &id,
                          "INSERT INTO app_user (username, password_hash, display_name, email, active,"
                          " created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING id",
                          "ttttii", username, pwhash, display_name, email, now, now);
    if (rc) return rc;
    rc = db_run(db, "INSERT INTO role_grant (user_id, role, org_id, created_at) VALUES (?, ?, ?, ?)", "itii",
                id, role_name(role), org_id, now);
    if (rc) return rc;
    *id_out = id;
    return 0;
}

/* Columns shared by user list and get, in this order. */
#define USER_COLUMNS                                                                                  \
    "SELECT u.id AS id, u.username AS username, u.display_name AS display_name, u.email AS email,"   \
    " u.active AS active, g.role AS role, o.code AS org, o.name AS org_name, u.created_at AS created_at," \
    " u.last_login_at AS last_login_at FROM app_user u"                                               \
    " JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id "
#define USER_TYPES "itttbtttii"

int store_user_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, USER_COLUMNS "WHERE o.path LIKE ? AND u.id > ? ORDER BY u.id LIMIT ?",
                             "tii", scope_subtree_like(sc), cursor, (int64_t)limit);
    return db_rows_json(st, rc, USER_TYPES, items);
}

int store_user_get(const scope_t *sc, db_t *db, int64_t id, json_t **out)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, USER_COLUMNS "WHERE o.path LIKE ? AND u.id = ?", "ti",
                             scope_subtree_like(sc), id);
    return db_one_json(st, rc, USER_TYPES, out);
}

int store_user_update(const scope_t *sc, db_t *db, int64_t id, const char *display_name,
                      const char *email, int active, const char *pwhash, int64_t now)
{
    json_t *existing = NULL;
    int rc = store_user_get(sc, db, id, &existing);
    if (rc) return rc;
    json_decref(existing);
    return db_run(db,
                  "UPDATE app_user SET display_name = COALESCE(?, display_name),"
                  " email = COALESCE(?, email), active = CASE WHEN ? < 0 THEN active ELSE ? END,"
                  " password_hash = COALESCE(?, password_hash), updated_at = ? WHERE id = ?",
                  "ttiitii", display_name, email, (int64_t)active, (int64_t)active, pwhash, now, id);
}

int store_session_create(db_t *db, const char *token_hash, int64_t user_id, const char *csrf, int64_t now)
{
    return db_run(db,
                  "INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at)"
                  " VALUES (?, ?, ?, ?, ?)",
                  "titii", token_hash, user_id, csrf, now, now);
}

/* The columns of store_session_load before the role, which comes last. */
static const db_field_t session_map[] = {
    DB_INT(session_info_t, user_id),     DB_TEXT(session_info_t, username),   DB_TEXT(session_info_t, display_name),
    DB_INT(session_info_t, org_id),      DB_TEXT(session_info_t, org_code),   DB_TEXT(session_info_t, org_name),
    DB_TEXT(session_info_t, org_path),   DB_TEXT(session_info_t, csrf),       DB_INT(session_info_t, created_at),
    DB_INT(session_info_t, last_seen_at), DB_INT(session_info_t, password_change_required)};

int store_session_load(db_t *db, const char *token_hash, session_info_t *out)
{
    int rc;
    db_stmt_t *st = db_query(
        db, &rc,
        "SELECT u.id, u.username, COALESCE(u.display_name, u.username), o.id, o.code, o.name, o.path,"
        " s.csrf_token, s.created_at, s.last_seen_at, u.password_change_required, g.role FROM session s"
        " JOIN app_user u ON u.id = s.user_id AND u.active = 1"
        " JOIN role_grant g ON g.user_id = u.id JOIN org o ON o.id = g.org_id"
        " WHERE s.token_hash = ? ORDER BY g.id LIMIT 1",
        "t", token_hash);
    if (!st) return rc;
    if (rc == DB_ROW) {
        db_row_fill(st, 0, DB_MAP(session_map), out);
        out->role = role_parse(db_col_text(st, 11));
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : 1;
}

int store_session_touch(db_t *db, const char *token_hash, int64_t now)
{
    return db_run(db, "UPDATE session SET last_seen_at = ? WHERE token_hash = ?", "it", now, token_hash);
}

int store_session_delete(db_t *db, const char *token_hash)
{
    return db_run(db, "DELETE FROM session WHERE token_hash = ?", "t", token_hash);
}

int store_session_delete_user(db_t *db, int64_t user_id)
{
    return db_run(db, "DELETE FROM session WHERE user_id = ?", "i", user_id);
}

int store_session_delete_others(db_t *db, int64_t user_id, const char *keep_hash)
{
    return db_run(db, "DELETE FROM session WHERE user_id = ? AND token_hash <> ?", "it", user_id, keep_hash);
}

int store_session_prune(db_t *db, int64_t created_before)
{
    return db_run(db, "DELETE FROM session WHERE created_at < ?", "i", created_before);
}

int store_login_failures(db_t *db, const char *username, const char *ip, int64_t since,
                         int *by_user, int64_t *newest_user, int *by_ip, int64_t *oldest_ip)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_failure"
                             " WHERE username = ? AND at >= ? AND at >= COALESCE("
                             "(SELECT last_login_at FROM app_user WHERE username = ?), 0)",
                             "tit", username, since, username);
    if (!st) return rc;
    *by_user = (int)db_col_int(st, 0);
    *newest_user = db_col_int(st, 1);
    db_reset(st);
    st = db_query(db, &rc, "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_failure WHERE ip = ? AND at >= ?",
                  "ti", ip, since);
    if (!st) return rc;
    *by_ip = (int)db_col_int(st, 0);
    *oldest_ip = db_col_int(st, 1);
    db_reset(st);
    return 0;
}

int store_login_failure_add(db_t *db, const char *username, const char *ip, int64_t now)
{
    int rc = db_run(db, "INSERT INTO login_failure (username, ip, at) VALUES (?, ?, ?)", "tti", username,
                    ip, now);
    if (rc) return rc;
    /* Keep the table small: failures older than a day no longer count. */
    return db_run(db, "DELETE FROM login_failure WHERE at < ?", "i", now - 86400);
}

int store_audit_insert(db_t *db, const audit_row_t *r)
{
    return db_run(db,
                  "INSERT INTO audit (at, user_id, username, action, object_kind, object_id, person_id,"
                  " org_id, ip, request_id, reason, detail)"
                  " VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, ?)",
                  "iittttiitttt", r->at, r->user_id, r->username, r->action, r->object_kind,
                  r->object_id, r->person_id, r->org_id, r->ip, r->request_id, r->reason, r->detail);
}

int store_audit_list(const scope_t *sc, db_t *db, int64_t person_id, const char *username,
                     const char *action, int64_t from, int64_t to, int64_t cursor, int limit,
                     json_t *items)
{
    /* A root-level scope also sees entries tied to no organisation (e.g. a
     * failed login for an unknown name). Zero / NULL filters are ignored. */
    int64_t is_root = scope_is_root(sc);
    return db_list_json(
        db, items, "iittttittttt",
        "SELECT a.id AS id, a.at AS \"at\", a.username AS username, a.action AS action,"
        " a.object_kind AS object_kind, a.object_id AS object_id, a.person_id AS person_id, o.code AS org,"
        " a.ip AS ip, a.request_id AS request_id, a.reason AS reason, a.detail AS detail"
        " FROM audit a LEFT JOIN org o ON o.id = a.org_id"
        " WHERE (o.path LIKE ? OR (a.org_id IS NULL AND ? = 1))"
        " AND (? = 0 OR a.person_id = ?) AND (CAST(? AS TEXT) IS NULL OR a.username = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR a.action = ?) AND (? = 0 OR a.at >= ?) AND (? = 0 OR a.at <= ?)"
        " AND (? = 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
        "tiiittttiiiiiii", scope_subtree_like(sc), is_root, person_id, person_id, username,
        username, action, action, from, from, to, to, cursor, cursor, (int64_t)limit);
}

int store_outbox_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items)
{
    return db_list_json(db, items, "iitttttiit",
                        "SELECT x.id AS id, x.created_at AS created_at, x.kind AS kind, x.ref AS ref,"
                        " x.recipient AS \"to\", x.subject AS subject, x.status AS status,"
                        " x.attempts AS attempts, x.sent_at AS sent_at, x.last_error AS last_error FROM outbox x LEFT JOIN org o ON o.id = x.org_id"
                        " WHERE (o.path LIKE ? OR (x.org_id IS NULL AND ? = 1)) AND (? = 0 OR x.id < ?)"
                        " ORDER BY x.id DESC LIMIT ?",
                        "tiiii", scope_subtree_like(sc), (int64_t)scope_is_root(sc), cursor, cursor,
                        (int64_t)limit);
}

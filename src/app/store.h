/* store.h — the SQL of the app layer: accounts, role grants, sessions, failed
 * logins, audit, settings. Functions that read scoped data take the scope
 * first. Returns 0 (or 1 for "not found" where said) or a negative DB_E* code. */
#ifndef LI_APP_STORE_H
#define LI_APP_STORE_H
#include "core/arena.h"
#include "core/crypto.h"
#include "db/db.h"
#include "scope.h"
#include <jansson.h>

/* What a valid session resolves to (one query: session, user, grant, org). */
typedef struct session_info {
    int64_t user_id;
    char username[64];
    char display_name[128];
    role_t role;
    int64_t org_id;
    char org_code[64];
    char org_name[256];
    char org_path[256];
    char csrf[48];
    int64_t created_at, last_seen_at;
    bool password_change_required; /* a one-time password must be replaced first */
} session_info_t;

/* The account a login attempt is for, as store_user_lock_for_login reads it. */
typedef struct login_account {
    int64_t id;
    char hash[CRYPTO_PWHASH_LEN];
    bool active;
    bool password_change_required;
} login_account_t;

/* Login lookup by exact username (no scope: the login itself). 1 when absent. */
int store_user_for_login(db_t *db, const char *username, int64_t *id, char *hash, size_t hash_len,
                         bool *active);
/* Login lookup that first marks the attempt on the account (last_login_attempt_at
 * = now), which locks its row until the transaction ends: parallel attempts
 * for one account then pass the throttling check one after the other. 1 when
 * there is no such account. */
int store_user_lock_for_login(db_t *db, const char *username, int64_t now, login_account_t *out);
/* The account's password hash (for a change of password); 1 when absent. */
int store_user_password_hash(db_t *db, int64_t user_id, char *hash, size_t hash_len);
/* Sets the password an account's owner chose: lasting (the one-time flag is cleared). */
int store_user_set_own_password(db_t *db, int64_t user_id, const char *pwhash, int64_t now);
/* Makes the account's current password one-time (set by an admin). */
int store_user_password_one_time(db_t *db, int64_t user_id);
/* The id of the district (ambito) on an organisation path, or of the
 * organisation itself when none lies on it; 0 on failure. */
int64_t store_org_district(db_t *db, const char *org_path, int64_t org_id);
/* The organisation id of the account's (first) grant; 0 when none. */
int64_t store_user_org_id(db_t *db, int64_t user_id);
int store_user_set_login_time(db_t *db, int64_t user_id, int64_t now);
/* Creates an account with one role grant; 0, DB_ECONSTRAINT when the name is taken. */
int store_user_create(db_t *db, const char *username, const char *pwhash, const char *display_name,
                      const char *email, role_t role, int64_t org_id, int64_t now, int64_t *id_out);
/* Lists accounts granted in the scope's subtree, by id, after `cursor`. */
int store_user_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items);
/* One account in scope as a JSON object; 1 when absent or out of scope. */
int store_user_get(const scope_t *sc, db_t *db, int64_t id, json_t **out);
/* Changes what is given (NULL / -1 leave a field as it is). */
int store_user_update(const scope_t *sc, db_t *db, int64_t id, const char *display_name,
                      const char *email, int active, const char *pwhash, int64_t now);

int store_session_create(db_t *db, const char *token_hash, int64_t user_id, const char *csrf, int64_t now);
/* 0 and *out filled when the session exists; 1 when not. */
int store_session_load(db_t *db, const char *token_hash, session_info_t *out);
int store_session_touch(db_t *db, const char *token_hash, int64_t now);
int store_session_delete(db_t *db, const char *token_hash);
int store_session_delete_user(db_t *db, int64_t user_id);
/* Ends the account's sessions except the one of `keep_hash`. */
int store_session_delete_others(db_t *db, int64_t user_id, const char *keep_hash);
/* Removes the sessions created before `created_before`. */
int store_session_prune(db_t *db, int64_t created_before);

/* Failed logins since `since`: count for the account (only those after its
 * last successful login) and for the address, and the newest failure time for
 * the account / oldest for the address in the window. */
int store_login_failures(db_t *db, const char *username, const char *ip, int64_t since,
                         int *by_user, int64_t *newest_user, int *by_ip, int64_t *oldest_ip);
int store_login_failure_add(db_t *db, const char *username, const char *ip, int64_t now);

typedef struct audit_row {
    int64_t at, user_id, person_id, org_id;
    const char *username, *action, *object_kind, *object_id, *ip, *request_id, *reason, *detail;
} audit_row_t;
int store_audit_insert(db_t *db, const audit_row_t *row);
/* Audit entries about organisations in the scope's subtree (or done by users
 * of the subtree), newest first, filtered by what is non-zero / non-NULL. */
int store_audit_list(const scope_t *sc, db_t *db, int64_t person_id, const char *username,
                     const char *action, int64_t from, int64_t to, int64_t cursor, int limit,
                     json_t *items);

/* The outbox messages sent for organisations in the scope's subtree (and, for a
 * root scope, those tied to none), newest first, ids below `cursor` when it is
 * not 0; bodies are left out. */
int store_outbox_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items);

#endif

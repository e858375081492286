/* auth.h — passwords, logins with throttling, sessions.
 *
 * Passwords: at least 12 characters, at most 128, not on the list of common
 * passwords, not containing the username (ASVS 2.1). Hashed with argon2id.
 * Sessions: 256-bit random tokens; only their SHA-256 is stored; idle and
 * absolute limits; a new token at every login (rotation); CSRF token per session.
 * Throttling (ASVS 2.2.1): per address, at most 100 failures an hour; per
 * account, after 10 failures in an hour one attempt every 40 s (so at most
 * 100 an hour), which never locks a real user out for more than 40 s. An
 * attempt on an account first locks the account's row, so parallel attempts
 * are checked one after the other and no more than the limit reach the
 * password check, on either engine.
 * One-time passwords: a password an admin set must be replaced at its first
 * login (the session says so; the pipeline lets it do nothing else). */
#ifndef LI_AUTH_H
#define LI_AUTH_H
#include "core/crypto.h"
#include "core/err.h"
#include "db/db.h"
#include "store.h"

#define AUTH_USERNAME_MAX 64
#define AUTH_PASSWORD_MIN 12
#define AUTH_PASSWORD_MAX 128
#define AUTH_IP_FAILURES_PER_HOUR 100
#define AUTH_USER_FREE_FAILURES 10
#define AUTH_USER_GAP_SECONDS 40

typedef struct auth_limits {
    int64_t idle_seconds;     /* default 1800 */
    int64_t absolute_seconds; /* default 43200 */
} auth_limits_t;

/* Loads the common-password lists (one password per line; missing files are
 * skipped). Call once at start-up; returns how many were loaded. */
size_t auth_load_common_passwords(const char *const *paths);
/* 0 when `password` is acceptable for `username`; else 422 on field "password". */
int auth_check_password(const char *password, const char *username, err_t *e);

typedef struct login_result {
    char token[CRYPTO_TOKEN_LEN + 1];
    char csrf[CRYPTO_TOKEN_LEN + 1];
    int64_t user_id;  /* also on failure when the account exists; 0 when it does not */
} login_result_t;

/* Locks the account, checks throttling, the password, and opens a session
 * (deleting `old_token`'s session if given, and every session past `lim`'s
 * absolute limit: the browser has dropped its cookie, which lives no longer;
 * a session only idle too long stays until then, so that its cookie still
 * meets "session expired" rather than "please log in"). Records the failure
 * on a wrong password. 0 on success; -401 on wrong credentials; -429
 * (retry_after set) when throttled. The caller audits the outcome. Must run in a write
 * transaction (which holds the account's lock until it ends). */
int auth_login(db_t *db, const char *username, const char *password, const char *ip,
               const char *old_token, const auth_limits_t *lim, int64_t now, login_result_t *out, err_t *e);
/* Resolves a session token. 0 and *out filled; 1 when there is none;
 * 2 when it expired (and was deleted). Touches last_seen at most once a minute. */
int auth_session(db_t *db, const char *token, const auth_limits_t *lim, int64_t now,
                 session_info_t *out);
/* True when `token` names a live session; reads only (changes nothing). */
bool auth_session_live(db_t *db, const char *token, const auth_limits_t *lim, int64_t now);
/* The account's owner replaces their password: `current` must be right and
 * `fresh` pass the policy and differ from it. The new password is lasting;
 * every other session of the account ends (the one of `keep_token` stays).
 * 0, or -status with `e` filled (422 on current_password / new_password).
 * Must run in a write transaction. */
int auth_change_password(db_t *db, int64_t user_id, const char *username, const char *current,
                         const char *fresh, const char *keep_token, int64_t now, err_t *e);
/* Ends the session of `token` (no error when absent). */
int auth_logout(db_t *db, const char *token);
/* Hash of a token as stored. */
void auth_token_hash(const char *token, char out[CRYPTO_HASH_HEX]);

#endif

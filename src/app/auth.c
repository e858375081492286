/* auth.c — login, throttling and sessions. Never logs a password, a token or
 * a username (usernames can be personal data: only the audit holds them). */
#include "auth.h"
#include "core/log.h"
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Common passwords: a sorted array of lowercase strings, searched with bsearch. */
static char **common;
static size_t ncommon;
static char dummy_hash[CRYPTO_PWHASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lower(char *s)
{
    for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

size_t auth_load_common_passwords(const char *const *paths)
{
    size_t cap = ncommon;
    for (const char *const *p = paths; *p; p++) {
        FILE *f = fopen(*p, "r");
        if (!f) continue;
        char line[256];
        while (fgets(line, sizeof line, f)) {
            if (line[0] == '#' && line[1] == '!') continue; /* john's comment lines */
            line[strcspn(line, "\r\n")] = '\0';
            if (!line[0]) continue;
            if (ncommon == cap) {
                cap = cap ? cap * 2 : 4096;
                common = realloc(common, cap * sizeof *common);
                if (!common) log_fatal("out of memory (password list)");
            }
            lower(line);
            common[ncommon++] = strdup(line);
        }
        fclose(f);
    }
    qsort(common, ncommon, sizeof *common, cmp_cstr);
    return ncommon;
}

/* True when the password, lowercased, or it without trailing digits and
 * symbols, is a common password (e.g. "Password2024!" -> "password"). */
static bool is_common(const char *password)
{
    char buf[AUTH_PASSWORD_MAX * 4 + 1];
    snprintf(buf, sizeof buf, "%s", password);
    lower(buf);
    const char *key = buf;
    if (bsearch(&key, common, ncommon, sizeof *common, cmp_cstr)) return true;
    size_t n = strlen(buf);
    while (n > 0 && !isalpha((unsigned char)buf[n - 1])) buf[--n] = '\0';
    if (n >= 4 && bsearch(&key, common, ncommon, sizeof *common, cmp_cstr)) return true;
    /* A single repeated character, or a run like "1234567890123" (digits wrap). */
    bool same = true, run = true;
    for (size_t i = 1; password[i]; i++) {
        same = same && password[i] == password[0];
        run = run && (password[i] == password[i - 1] + 1 || (password[i - 1] == '9' && password[i] == '0'));
    }
    return same || run;
}

int auth_check_password(const char *password, const char *username, err_t *e)
{
    size_t chars = 0;
    for (const char *p = password; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80) chars++;
    if (chars < AUTH_PASSWORD_MIN)
        return err_set(e, 422, "password_too_short", "password", "The password must have at least 12 characters.");
    if (chars > AUTH_PASSWORD_MAX)
        return err_set(e, 422, "too_long", "password", "The password must have at most 128 characters.");
    if (is_common(password))
        return err_set(e, 422, "password_common", "password",
                       "This password is too common: choose another one.");
    if (username && strlen(username) >= 4 && strcasestr(password, username))
        return err_set(e, 422, "password_has_username", "password",
                       "The password must not contain the username.");
    return 0;
}

static void make_dummy_hash(void)
{
    if (crypto_password_hash("labimpact-timing-equaliser", dummy_hash) != 0) dummy_hash[0] = '\0';
}

void auth_token_hash(const char *token, char out[CRYPTO_HASH_HEX])
{
    crypto_sha256_hex(token, strlen(token), out);
}

/* 0 when the attempt may proceed; -429 with retry_after otherwise. */
static int throttle(db_t *db, const char *username, const char *ip, int64_t now, err_t *e)
{
    int by_user = 0, by_ip = 0;
    int64_t newest_user = 0, oldest_ip = 0;
    int rc = store_login_failures(db, username, ip, now - 3600, &by_user, &newest_user, &by_ip, &oldest_ip);
    if (rc < 0) return err_set(e, 503, "unavailable", NULL, "The service is temporarily unavailable.");
    if (by_ip >= AUTH_IP_FAILURES_PER_HOUR) {
        err_set(e, 429, "too_many_attempts", NULL, "Too many failed attempts. Try again later.");
        e->retry_after = (int)(oldest_ip + 3600 - now) + 1;
        return -429;
    }
    if (by_user >= AUTH_USER_FREE_FAILURES && now - newest_user < AUTH_USER_GAP_SECONDS) {
        err_set(e, 429, "too_many_attempts", NULL, "Too many failed attempts. Try again later.");
        e->retry_after = (int)(newest_user + AUTH_USER_GAP_SECONDS - now);
        return -429;
    }
    return 0;
}

int auth_login(db_t *db, const char *username, const char *password, const char *ip,
               const char *old_token, const auth_limits_t *lim, int64_t now, login_result_t *out, err_t *e)
{
    login_account_t acct = {0};
    int rc = store_user_lock_for_login(db, username, now, &acct);
    if (rc < 0) return err_set(e, 503, "unavailable", NULL, "The service is temporarily unavailable.");
    out->user_id = rc == 0 ? acct.id : 0;
    bool known = rc == 0;
    if ((rc = throttle(db, username, ip, now, e))) return rc;
    bool ok;
    if (known) {
        ok = crypto_password_verify(acct.hash, password) && acct.active;
    } else {
        /* Unknown name: spend the same time as a real check. */
        pthread_once(&dummy_once, make_dummy_hash);
        crypto_password_verify(dummy_hash, password);
        ok = false;
    }
    if (!ok) {
        store_login_failure_add(db, username, ip, now);
        return err_set(e, 401, "invalid_credentials", NULL, "Wrong username or password.");
    }
    if (old_token) auth_logout(db, old_token);
    crypto_token(out->token);
    crypto_token(out->csrf);
    char th[CRYPTO_HASH_HEX];
    auth_token_hash(out->token, th);
    if (store_session_prune(db, now - lim->absolute_seconds) != 0 ||
        store_session_create(db, th, acct.id, out->csrf, now) != 0 || store_user_set_login_time(db, acct.id, now) != 0)
        return err_set(e, 503, "unavailable", NULL, "The service is temporarily unavailable.");
    return 0;
}

int auth_session(db_t *db, const char *token, const auth_limits_t *lim, int64_t now,
                 session_info_t *out)
{
    if (!token || strlen(token) != CRYPTO_TOKEN_LEN) return 1;
    char th[CRYPTO_HASH_HEX];
    auth_token_hash(token, th);
    int rc = store_session_load(db, th, out);
    if (rc != 0) return rc < 0 ? rc : 1;
    if (now - out->last_seen_at > lim->idle_seconds || now - out->created_at > lim->absolute_seconds) {
        store_session_delete(db, th);
        return 2;
    }
    if (now - out->last_seen_at >= 60) store_session_touch(db, th, now);
    return 0;
}

bool auth_session_live(db_t *db, const char *token, const auth_limits_t *lim, int64_t now)
{
    if (!token || strlen(token) != CRYPTO_TOKEN_LEN) return false;
    char th[CRYPTO_HASH_HEX];
    auth_token_hash(token, th);
    session_info_t s;
    return store_session_load(db, th, &s) == 0 && now - s.last_seen_at <= lim->idle_seconds &&
           now - s.created_at <= lim->absolute_seconds;
}

int auth_change_password(db_t *db, int64_t user_id, const char *username, const char *current,
                         const char *fresh, const char *keep_token, int64_t now, err_t *e)
{
    char hash[CRYPTO_PWHASH_LEN];
    int rc = store_user_password_hash(db, user_id, hash, sizeof hash);
    if (rc) return err_set(e, 503, "unavailable", NULL, "The service is temporarily unavailable.");
    if (!crypto_password_verify(hash, current))
        return err_set(e, 422, "invalid_credentials", "current_password", "The current password is wrong.");
    if ((rc = auth_check_password(fresh, username, e))) {
        snprintf(e->field, sizeof e->field, "new_password");
        return rc;
    }
    if (crypto_password_verify(hash, fresh))
        return err_set(e, 422, "password_reused", "new_password", "Choose a password different from the current one.");
    if (crypto_password_hash(fresh, hash) != 0)
        return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
    char th[CRYPTO_HASH_HEX];
    auth_token_hash(keep_token ? keep_token : "", th);
    if (store_user_set_own_password(db, user_id, hash, now) != 0 || store_session_delete_others(db, user_id, th) != 0)
        return err_set(e, 503, "unavailable", NULL, "The service is temporarily unavailable.");
    return 0;
}

int auth_logout(db_t *db, const char *token)
{
    char th[CRYPTO_HASH_HEX];
    auth_token_hash(token, th);
    return store_session_delete(db, th);
}

/* server.h — the request pipeline shared by every module's web.c, and the
 * helpers handlers use to answer.
 *
 * For each request the pipeline: matches the route; picks the language; takes
 * this thread's database connection; resolves the session into a scope;
 * refuses anonymous access to non-public routes (401, or a redirect to the
 * login page); lets a session whose password an admin set only replace it or
 * log out (R_PASSWORD routes; 403 password_change_required, or a redirect to
 * /account/password); checks the CSRF token of every unsafe request; opens a write
 * transaction for R_WRITE routes; calls the handler; commits, or rolls back
 * everything when the handler failed (a write is all-or-nothing), retrying
 * twice on a serialization failure; renders the error in the contract's shape.
 *
 * Before a body is read, a request without a live session is capped at
 * 64 KiB (a login form needs little; an anonymous flood must not grow memory);
 * one with a session at its route's max_body (ROUTE_BODY_DEFAULT, 1 MiB, when
 * the route declares none; ROUTE_BODY_UPLOAD where a file is taken). A body
 * beyond answers 413; on a page route that takes a file, its handler renders
 * the form again with the error instead (web_form_upload).
 *
 * A handler returns 0 when it filled the response, or the negative status of
 * the error it put into web(req)->err (use web_fail / web_db_fail). */
#ifndef LI_SERVER_H
#define LI_SERVER_H
#include "core/err.h"
#include "core/http.h"
#include "core/router.h"
#include "db/db.h"
#include "audit.h"
#include "scope.h"
#include "store.h"
#include <jansson.h>

/* Route flags. */
#define R_PUBLIC  0x01u /* no login needed */
#define R_WRITE   0x02u /* run inside one write transaction */
#define R_NO_CSRF 0x04u /* unsafe method without a CSRF token (the logins only) */
#define R_NO_DB   0x08u /* needs no database (static files) */
#define R_PASSWORD 0x10u /* open to a session that must first replace a one-time password */
/* A resource's unsafe methods (POST, PUT, PATCH, DELETE) run with R_WRITE
 * unless it says R_READS (a search form posted to keep its words out of the
 * URL); its GET runs with R_WRITE only when the resource says so. */
#define R_READS   0x20u

typedef struct web {
    db_t *db;
    const char *lang;       /* negotiated UI language */
    bool rtl;
    bool api;               /* path under /api/: JSON errors */
    bool has_session;
    bool session_expired;   /* a session cookie came, but its session had expired */
    session_info_t sess;
    scope_t scope;
    err_t err;
    int tx_force;           /* TX_AUTO: commit on success, roll back on error */
    bool public_changed;    /* bump the public generation after the commit */
} web_t;

/* Overrides of the transaction outcome, for handlers that answer an error but
 * must keep a record (a failed login) or answer 200 but must keep nothing (a
 * form shown again with its errors). */
enum { TX_AUTO = 0, TX_COMMIT = 1, TX_ROLLBACK = -1 };

/* The pipeline state of a request. */
web_t *web(http_req_t *req);

/* Answers JSON (takes ownership of v). Returns 0. */
int web_json(http_req_t *req, http_res_t *res, int status, json_t *v);
/* Renders template `tmpl` inside the layout with `vm` (takes ownership) plus
 * the common context (lang, dir, user, csrf, nav, languages). Returns 0. */
int web_page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm);
/* 303 See Other to a local path (anything else goes to "/"). Returns 0. */
int web_redirect(http_req_t *req, http_res_t *res, const char *location);
#define WEB_PATH_MAX 1024
/* True when `path` stays on this site: it starts with exactly one '/' and
 * holds no control character or backslash, plain or percent-encoded (a
 * browser drops a tab or newline and reads "/\t/evil.example" as
 * "//evil.example", another host), and has at most WEB_PATH_MAX bytes. */
bool web_local_path(const char *path);
/* The request's path for links back to it (language switches): leading
 * slashes collapsed to one, or "/" when it is not web_local_path. */
const char *web_link_path(const http_req_t *req);
/* Fills the error and returns -status. */
int web_fail(http_req_t *req, int status, const char *code, const char *field, const char *message);
/* Maps a DB_E* code to 409 / 503 / 500 and returns -status. */
int web_db_fail(http_req_t *req, int db_rc);
/* The one not-found answer (also for records out of scope). Returns -404. */
int web_not_found(http_req_t *req);
/* Maps an operation's or store's return: 1 (absent) to 404, a negative
 * status with the error already filled to itself, a DB_E* through
 * web_db_fail. Returns -status. */
int web_store_fail(http_req_t *req, int rc);
/* The path parameter `name` as a positive id, or 0 when absent or not one
 * (which then finds nothing and answers 404). */
int64_t web_param_id(http_req_t *req, const char *name);
/* A request header, percent-decoded (UTF-8 travels as %XX; a malformed
 * escape leaves it as sent), or NULL when absent or empty. */
const char *web_header(http_req_t *req, const char *name);
/* The file name of an upload whose body is the file: Content-Disposition's
 * filename (quoted or not), else X-Filename; NULL when neither. Headers,
 * never the address, which logs and proxies keep. Not cleaned. */
const char *web_upload_filename(http_req_t *req);
/* For a job a timer on the machine triggers (loopback, no session) or an
 * admin: 0 when the request is one of those, else -401 (no session, not
 * loopback) or -403 (a session that is not an admin's), the error set. */
int web_machine_or_admin(http_req_t *req);
/* The JSON object body of an API request; NULL with the error set. */
json_t *web_body(http_req_t *req);
/* The body of a request only roles with `cap` may make: NULL, with *rc the
 * negative status and the error set, when the scope lacks it (401/403) or
 * the body is not a JSON object. */
json_t *web_body_as(http_req_t *req, cap_t cap, int *rc);
/* Reads ?limit= (1..max, default def) and ?cursor= (a positive id); -422 on bad values. */
int web_list_params(http_req_t *req, int def, int max, int *limit, int64_t *cursor);
/* Keyset pagination: `items` was read with limit + 1 rows, each with an "id";
 * drops the extra row and returns the next cursor (a JSON string of the last
 * id kept), or JSON null when there is no further page. */
json_t *web_next_cursor(json_t *items, int limit);
/* A page of a keyset list: appends up to `limit` items after `cursor` to
 * `items`; 0 or -status with the error filled (a DB_E* through web_db_fail). */
typedef int (*web_page_fn)(http_req_t *req, int64_t cursor, int limit, json_t *items);
/* The whole list endpoint: requires `cap`, reads ?limit= (default def, at
 * most max) and ?cursor=, calls `load` for limit + 1 items and answers the
 * envelope with the next cursor. Returns 0 or -status. */
int web_list_answer(http_req_t *req, http_res_t *res, cap_t cap, int def, int max, web_page_fn load);
/* Answers the list envelope {"items": [...], "next_cursor": ...} (takes both). */
int web_list(http_req_t *req, http_res_t *res, json_t *items, json_t *next);
/* Ends a download handler. `written` is the result of writing the file into
 * `res` (its body, or a file with http_res_file): nonzero drops what was
 * written and answers 500; 0 makes the answer a 200 of `type` (NULL: as set)
 * saved as `filename` (Content-Disposition: attachment). Returns the
 * handler's result. Caching stays as set (the default: no-store). */
int web_download(http_req_t *req, http_res_t *res, int written, const char *type, const char *filename);
/* After a page's form failed with `rc` (an operation's result, mapped by
 * web_store_fail): the negative status to answer as it is (401, 403, and
 * 404 when `answer_404`: the page's own record is missing), else the
 * positive status to show the form again with, its error in the request
 * and the request's transaction set to roll back (nothing kept). */
int web_form_failed(http_req_t *req, int rc, bool answer_404);
/* Puts the request's error into a form page's view model: "error" (the
 * translated message), "error_field" and "invalid": {field: true}. */
void web_form_error(http_req_t *req, json_t *vm);
/* The file part of a page's multipart upload form: 0 with *file set (NULL
 * when none was chosen), or -413 with the error set (field "file") when the
 * body went beyond the route's cap — then the request has no fields and its
 * transaction is rolled back whatever the handler does: render the form again
 * with the error. Call it first in a page handler whose route declares
 * max_body = ROUTE_BODY_UPLOAD. */
int web_form_upload(http_req_t *req, const http_file_t **file);
/* A browser's file name without its extension ("permesso.pdf" -> "permesso"),
 * in the arena, for the keepers that add the sniffed type's extension; NULL
 * for NULL. */
const char *web_upload_stem(http_req_t *req, const char *filename);
/* The double-submit CSRF token of a form shown without a session (login,
 * the public forms): the value of cookie `cookie` when it holds one, else a
 * fresh token set in it for an hour. */
const char *web_form_token(http_req_t *req, http_res_t *res, const char *cookie);
/* 0 when the form's _csrf field equals cookie `cookie`; else -403 "csrf". */
int web_check_form_token(http_req_t *req, const char *cookie);
/* Translation of msgid in the request's language. */
const char *web_tr(http_req_t *req, const char *msgid);
/* Records an audit event by the request's user: inside the request's write
 * transaction when there is one (written with what it describes, or not at
 * all), otherwise — a read — in a short transaction of its own committed
 * before the answer leaves. 0 or -status. Every read of personal data calls
 * this, with the record's organisation so its district sees the entry. */
int web_audit_event(http_req_t *req, const audit_event_t *ev);
/* web_audit_event without a reason. */
int web_audit(http_req_t *req, const char *action, const char *object_kind, const char *object_id,
              int64_t person_id, int64_t org_id, const char *detail);
/* web_audit with a numeric object id (0: none). */
int web_audit_id(http_req_t *req, const char *action, const char *object_kind, int64_t object_id,
                 int64_t person_id, int64_t org_id, const char *detail);
/* Sets a cookie (HttpOnly, SameSite=Lax, Path=/, Secure behind TLS).
 * max_age < 0 deletes it. */
void web_cookie(http_req_t *req, http_res_t *res, const char *name, const char *value, long max_age,
                bool http_only);
/* Marks that this request changes data shown on public pages: once its
 * transaction commits, cached public pages are rendered anew. */
void web_public_changed(http_req_t *req);
/* Generation counter of public data (for caches). */
unsigned long web_public_generation(void);

/* `labimpact serve`: the command's entry point. */
int server_main(int argc, char **argv);

#endif

/* web.h — what the directory's API (web.c) and pages (pages.c) share. */
#ifndef LI_DIRECTORY_WEB_H
#define LI_DIRECTORY_WEB_H
#include "core/http.h"
#include "core/router.h"
#include "directory.h"

/* Audits an action on the record `ref` names (of `kind`), under its organisation. */
int dirweb_audit(http_req_t *req, const char *action, const char *kind, const dir_ref_t *ref);
/* Audits a list read of `kind` records under the scope's organisation: how
 * many of `items` (read with limit + 1 rows, one ahead) the page shows. */
int dirweb_audit_list(http_req_t *req, const char *action, const char *kind, const json_t *items, int limit);
/* Answers the page `tmpl` with `vm` (taken), its "notice" when one is given
 * (translated, or NULL) and, when status >= 400, the request's form error. */
int dirweb_form_page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm, const char *notice);
/* Renders a page with the answer's status (200, or a form's error status). */
typedef int (*dirweb_render_fn)(http_req_t *req, http_res_t *res, int status);
/* A page's GET: requires `cap`, then renders the page with 200. */
int dirweb_page_get(http_req_t *req, http_res_t *res, cap_t cap, dirweb_render_fn render);
/* A list page's ?cursor= (the last id shown), 0 when absent or not positive. */
int64_t dirweb_page_cursor(http_req_t *req);
/* The form field `name`, NULL when absent or empty. */
const char *dirweb_form(http_req_t *req, const char *name);
/* Every non-empty value of the repeated form field `name` (a multiple select). */
json_t *dirweb_form_all(http_req_t *req, const char *name);
/* The non-empty trimmed pieces of `text` split at any of `seps`. */
json_t *dirweb_split(const char *text, const char *seps);
/* [{code, name}] of ISO 639 codes (strings, or objects with "code"), each named in its own language. */
json_t *dirweb_language_names(const json_t *codes);
/* The public page routes (pages.c), the logged-in ones (pages_own.c) and the API routes (web.c). */
const resource_t *const *dirweb_page_routes(size_t *n);
const resource_t *const *dirweb_own_routes(size_t *n);
/* The channels' and support API routes (web_channel.c). */
const resource_t *const *dirweb_channel_routes(size_t *n);
/* The channels' and support pages (pages_channel.c). */
const resource_t *const *dirweb_channel_page_routes(size_t *n);
/* The service editor's pages (pages_service.c). */
const resource_t *const *dirweb_service_page_routes(size_t *n);
/* The referrals received: API and page (web_referral.c). */
const resource_t *const *dirweb_referral_routes(size_t *n);
/* The public map of services and initiatives (pages_map.c). */
const resource_t *const *dirweb_map_routes(size_t *n);
const resource_t *const *dirweb_api_routes(size_t *n);

#endif

/* web.h — what the meetings API (web.c) and pages (pages.c) share: the
 * audit entry of a meeting record, the mapping of a failed operation, the
 * document download, the route tables. */
#ifndef LI_MEETINGS_WEB_H
#define LI_MEETINGS_WEB_H
#include "core/http.h"
#include "core/router.h"
#include "meetings.h"

/* Audits `action` on the record `ref` names (of `kind`), under its
 * organisation and, for a case meeting, with its person. 0 or -status. */
int mtgweb_audit(http_req_t *req, const char *action, const char *kind, const mtg_ref_t *ref, const char *detail);
/* Maps a failed operation once (web_store_fail); frees what it left in `out`. */
int mtgweb_fail(http_req_t *req, int rc, json_t *out);
/* Answers document `id` as an attachment (audited when a session reads it). */
int mtgweb_document(http_req_t *req, http_res_t *res, int64_t id);
const resource_t *const *mtgweb_api_routes(size_t *n);
const resource_t *const *mtgweb_page_routes(size_t *n);

#endif

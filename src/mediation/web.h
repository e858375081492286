/* web.h — what the mediation API (web.c) and pages (pages.c) share. */
#ifndef LI_MEDIATION_WEB_H
#define LI_MEDIATION_WEB_H
#include "core/http.h"
#include "core/router.h"
#include <stdint.h>

/* The positive integer path parameter `name`, or 0. */
int64_t medweb_id(http_req_t *req, const char *name);
/* Audits an action on a record of `kind` with id `id`. 0 or -status. */
int medweb_audit(http_req_t *req, const char *action, const char *kind, int64_t id, int64_t org_id, const char *detail);
/* Queues due reminders inside the current write. 0 or -status. */
int medweb_reminders(http_req_t *req);
/* Answers a statement (json, csv, xlsx, pdf) of a mediator for a month. */
int medweb_statement(http_req_t *req, http_res_t *res, int64_t mediator_id, const char *month, const char *format);
/* The page routes (pages.c). */
const route_t *medweb_page_routes(size_t *n);
const route_t *medweb_api_routes(size_t *n);

#endif

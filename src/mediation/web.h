/* web.h — what the mediation API (web.c) and pages (pages.c) share: the
 * access gate, the audit entries they write (see "Audit" in mediation.h),
 * reminders, statements, and the route tables. */
#ifndef LI_MEDIATION_WEB_H
#define LI_MEDIATION_WEB_H
#include "core/http.h"
#include "core/router.h"
#include "mediation.h"
#include <stdint.h>

/* 0 for coordinators (CAP_MEDIATION_MANAGE) and mediators
 * (CAP_MEDIATION_SELF); else the error (401 / 403) as -status. */
int medweb_require(http_req_t *req);
/* Audits an action on the record `ref` names (of `kind`), under its
 * organisation. 0 or -status. */
int medweb_audit(http_req_t *req, const char *action, const char *kind, const med_ref_t *ref, const char *detail);
/* Audits a list read: one entry with the count, under the reader's organisation. */
int medweb_audit_list(http_req_t *req, const char *action, const char *kind, size_t count);
/* Queues due reminders inside the current write. 0 or -status. */
int medweb_reminders(http_req_t *req);
/* Answers a statement (json, csv, xlsx, pdf) of a mediator for a month. */
int medweb_statement(http_req_t *req, http_res_t *res, int64_t mediator_id, const char *month, const char *format);
/* The page routes (pages.c) and the API routes (web.c). */
const resource_t *const *medweb_page_routes(size_t *n);
const resource_t *const *medweb_api_routes(size_t *n);

#endif

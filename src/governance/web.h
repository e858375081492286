/* web.h — what the governance API (web.c, web_budget.c) and pages (pages.c,
 * pages_budget.c) share: the audit entry, the input parsers, the expenses
 * export, and the route tables. */
#ifndef LI_GOVERNANCE_WEB_H
#define LI_GOVERNANCE_WEB_H
#include "core/http.h"
#include "core/router.h"
#include "governance.h"

/* Audits an action on the record `ref` names (of `kind`), under its project's organisation. */
int govweb_audit(http_req_t *req, const char *action, const char *kind, const gov_ref_t *ref, const char *detail);
/* One visible record as JSON (gov_project_read, gov_submission_read, gov_budget). */
typedef int (*govweb_read_fn)(const scope_t *sc, db_t *db, int64_t id, json_t **out, gov_ref_t *ref, err_t *e);
/* Answers `status` with record `id` as `read` gives it to the caller. */
int govweb_answer(http_req_t *req, http_res_t *res, int status, govweb_read_fn read, int64_t id);
/* After an operation that created the record `ref` names (rc its return):
 * the failure, or the audit entry `action` on `kind` and 201 {"id"}. */
int govweb_created(http_req_t *req, http_res_t *res, int rc, const char *action, const char *kind, const gov_ref_t *ref);
/* The project fields of a JSON body (create: required ones are checked by the operation). */
int govweb_project_input(json_t *body, gov_project_input_t *in, err_t *e);
/* Answers the expenses of a project dated in [from, to] as "csv" or "xlsx" (audited). */
int govweb_expenses_file(http_req_t *req, http_res_t *res, int64_t project_id, const char *from, const char *to,
                         const char *format);
/* The route tables. */
const resource_t *const *govweb_api_routes(size_t *n);
const resource_t *const *govweb_budget_routes(size_t *n);
const resource_t *const *govweb_page_routes(size_t *n);
const resource_t *const *govweb_budget_page_routes(size_t *n);

#endif

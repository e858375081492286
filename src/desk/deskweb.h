/* deskweb.h — what the help desk's API handlers (web.c, *_web.c) and pages
 * (pages.c, *_pages.c) share: the access context of a request, the audit,
 * the handler skeleton, query parameters, the page helpers and the route
 * tables. Handlers call the operations of desk.h, never the store. */
#ifndef LI_DESKWEB_H
#define LI_DESKWEB_H
#include "app/server.h"
#include "desk.h"

/* Fills `c` for the request; -401/-403 unless the caller may read persons
 * (and write them, when `write`). */
int desk_web_begin(http_req_t *req, desk_ctx_t *c, bool write);
/* Audits an access to personal data through web_audit_event, with the
 * grant's reason when reading through break-the-glass. */
int desk_web_audit(http_req_t *req, desk_ctx_t *c, const char *action, const char *kind, int64_t obj, int64_t person_id,
                   int64_t org_id, const char *detail);
/* Scoped, audited search (items of person summaries). */
int desk_search(http_req_t *req, desk_ctx_t *c, const char *q, int64_t cursor, int limit, json_t *items);
/* The handler skeleton ("begin, load in scope or 404, act, audit, answer"):
 * desk_web_person begins (desk_web_begin) and finds the person of path
 * parameter {id} in scope (*out when not NULL): 0, or the answer's -status
 * (404 when absent or out of scope). desk_web_done writes the audit entry
 * `ev` of what was done and answers `out` as JSON with `status` (taking
 * it), or an empty `status` (204) when `out` is NULL. */
typedef struct desk_web_event {
    const char *action, *kind;
    int64_t obj, person_id, org_id;
    const char *detail;
} desk_web_event_t;
int desk_web_person(http_req_t *req, desk_ctx_t *c, bool write, int64_t *id, int64_t *org_id, json_t **out);
int desk_web_done(http_req_t *req, http_res_t *res, desk_ctx_t *c, int status, const desk_web_event_t *ev, json_t *out);
/* Merges person `gone` into `keep` (desk_person_merge) and audits both. */
int desk_web_merge(http_req_t *req, desk_ctx_t *c, int64_t keep, int64_t gone);
/* Creates a consultation from a JSON body and audits it. */
int desk_create_consultation(http_req_t *req, desk_ctx_t *c, const json_t *body, int64_t *id);
/* Stores a new rule version (admin), recomputes open procedures, audits. */
int desk_rule_put(http_req_t *req, const char *type, json_t *rule, const char *reason, int *recomputed);

/* Optional query parameters: a positive id (0 when absent), a date (NULL
 * when absent); -422 naming the parameter when malformed. */
int desk_query_id(http_req_t *req, const char *name, int64_t *out);
int desk_query_date(http_req_t *req, const char *name, const char **out);

/* ---- what the pages share (pages.c) ---- */

/* The translated label of a code (topic, channel, status, ...); the code itself when unknown. */
const char *desk_code_label(http_req_t *req, const char *code);
/* A form field, trimmed; NULL when absent or blank. */
const char *desk_field(http_req_t *req, const char *name);
/* Sets o[k] to the text v when v is not NULL. */
void desk_put(json_t *o, const char *k, const char *v);
/* Renders a page; a 4xx render shows the request's error and keeps nothing
 * of the transaction. */
int desk_page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm);
/* Sets vm[key] to true. */
void desk_flag(json_t *vm, const char *key);
/* Adds display fields (country name, labels, languages text) to a person. */
void desk_person_display(http_req_t *req, json_t *p);
/* Options [{code, label, selected?}] of NULL-terminated codes. */
json_t *desk_options(http_req_t *req, const char *const *codes, const char *selected);
json_t *desk_country_options(http_req_t *req, const char *selected);

/* The route tables of the desk's API and pages (module.c lists them). */
const route_t *desk_api_routes(size_t *n);
const route_t *desk_person_api_routes(size_t *n);
const route_t *desk_casework_api_routes(size_t *n);
const route_t *desk_procedure_api_routes(size_t *n);
const route_t *desk_page_routes(size_t *n);
const route_t *desk_person_page_routes(size_t *n);
const route_t *desk_casework_page_routes(size_t *n);
const route_t *desk_procedure_page_routes(size_t *n);
const route_t *desk_extra_routes(size_t *n);
const route_t *desk_import_routes(size_t *n);
const route_t *desk_records_routes(size_t *n);
/* Imports CSV rows (see import.c); the report lists rows and errors. */
int desk_import_csv(http_req_t *req, desk_ctx_t *c, const char *data, size_t len, bool dry_run, json_t **report);

#endif

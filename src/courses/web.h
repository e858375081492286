/* web.h — what the courses API (web.c, export.c) and pages (pages.c) share:
 * the audit entries they write (see "Audit" in courses.h), the register and
 * certificate files, and the route tables. */
#ifndef LI_COURSES_WEB_H
#define LI_COURSES_WEB_H
#include "core/http.h"
#include "core/router.h"
#include "courses.h"

/* Audits an action on the record `ref` names (of `kind`), under its
 * organisation and with its person. 0 or -status. */
int crsweb_audit(http_req_t *req, const char *action, const char *kind, const crs_ref_t *ref, const char *detail);
/* Answers the register of a course as csv, xlsx or pdf (audited). */
int crsweb_register_file(http_req_t *req, http_res_t *res, int64_t course_id, const char *format);
/* Issues (or reads again) the certificate of an enrolment and answers its
 * PDF (audited as course.certificate). */
int crsweb_certificate(http_req_t *req, http_res_t *res, int64_t enrolment_id);
/* The translated name of `code` in `codes` (parallel to `names`), else the code. */
const char *crsweb_label(http_req_t *req, const char *const *codes, const char *const *names, const char *code);
/* Options [{code, name, selected}] of a code list for a <select> (names NULL: the codes). */
json_t *crsweb_options(http_req_t *req, const char *const *codes, const char *const *names, const char *selected);
/* The translated name of a course kind. */
const char *crsweb_kind_label(http_req_t *req, const char *kind);
/* A form field as a whole number >= 0, -1 when absent or not one. */
int64_t crsweb_form_int(http_req_t *req, const char *name);
/* A form field, NULL when empty. */
const char *crsweb_form_text(http_req_t *req, const char *name);
/* Answers the failure `rc` of an operation (web_store_fail), freeing what
 * it left in `v`. Returns -status. */
int crsweb_fail(http_req_t *req, int rc, json_t *v);
/* Renders form page `tmpl` with `vm` (taken): when `status` != 200 with
 * the error `shown` (the request's error as the page's reads found it), else
 * with `notice` (NULL: none) after a redirect that added ?done=. Returns 0. */
int crsweb_form_page(http_req_t *req, http_res_t *res, int status, const err_t *shown, const char *notice,
                     const char *tmpl, json_t *vm);
/* The page routes (pages.c, pages_more.c) and the API routes (web.c). */
const resource_t *const *crsweb_page_routes(size_t *n);
const resource_t *const *crsweb_more_routes(size_t *n);
const resource_t *const *crsweb_api_routes(size_t *n);

#endif

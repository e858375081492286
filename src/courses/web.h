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
/* The page routes (pages.c) and the API routes (web.c). */
const route_t *crsweb_page_routes(size_t *n);
const route_t *crsweb_api_routes(size_t *n);

#endif

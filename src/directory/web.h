/* web.h — what the directory's API (web.c) and pages (pages.c) share. */
#ifndef LI_DIRECTORY_WEB_H
#define LI_DIRECTORY_WEB_H
#include "core/http.h"
#include "core/router.h"
#include "directory.h"

/* LABIMPACT_PUBLIC_URL (links in e-mails), default http://127.0.0.1:8080. */
const char *dirweb_public_url(void);
/* Audits an action on the record `ref` names (of `kind`), under its organisation. */
int dirweb_audit(http_req_t *req, const char *action, const char *kind, const dir_ref_t *ref);
/* The page routes (pages.c) and the API routes (web.c). */
const route_t *dirweb_page_routes(size_t *n);
const route_t *dirweb_api_routes(size_t *n);

#endif

/* web.h — the route tables of qualified information: the API (web.c) and
 * the public pages (pages.c) and the editors' and translators' pages
 * (workspace.c). */
#ifndef LI_INFO_WEB_H
#define LI_INFO_WEB_H
#include "core/router.h"
#include "core/http.h"
#include "info.h"

const resource_t *const *infoweb_api_routes(size_t *n);

/* A scoped list operation of info.h (info_material_list, info_notice_list, info_issue_list). */
typedef int (*infoweb_list_fn)(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e);
/* A web_page_fn body: calls `fn` with the request's scope; 0 or -status. */
int infoweb_scoped_page(http_req_t *req, infoweb_list_fn fn, int64_t cursor, int limit, json_t *items);
/* Defines the handler `name` of a paged list endpoint (web_list_answer: ?limit=
 * def..max, ?cursor=) over the scoped list operation `fn`, requiring `cap`. */
#define INFOWEB_LIST(name, fn, cap, def, max)                                                   \
    static int name##_page(http_req_t *req, int64_t cursor, int limit, json_t *items)          \
    {                                                                                          \
        return infoweb_scoped_page(req, fn, cursor, limit, items);                             \
    }                                                                                          \
    static int name(http_req_t *req, http_res_t *res)                                          \
    {                                                                                          \
        return web_list_answer(req, res, cap, def, max, name##_page);                          \
    }
/* An info.h read of one record by id (info_material_read, info_issue_read). */
typedef int (*infoweb_read_fn)(const scope_t *sc, db_t *db, int64_t id, json_t **out, info_ref_t *ref, err_t *e);
/* Answers `status` with what `fn` reads of the record of path parameter {id}. */
int infoweb_read(http_req_t *req, http_res_t *res, int status, infoweb_read_fn fn);
/* Answers the unpaged list `items` (taken) read with result `rc` (0 or an operation's). */
int infoweb_list_answer(http_req_t *req, http_res_t *res, int rc, json_t *items);
const resource_t *const *infoweb_page_routes(size_t *n);
/* A page that shows its form with `status` (the request's error in it when >= 400). */
typedef int (*infoweb_form_fn)(http_req_t *req, http_res_t *res, int status);
/* Renders page `tmpl` of `vm` (taken) with `status`: the request's error in
 * its form when status >= 400, and `flag` true when the query has ?<flag>
 * (NULL: no flag). Returns 0. */
int infoweb_form_page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm, const char *flag);
/* Ends a page form's write with result `rc` (its audit included): a refused
 * form (-422) shown again by `again` (when not NULL) with nothing kept;
 * another error answered; else the public pages renewed when
 * `public_change`, and a redirect to `next`. */
int infoweb_form_done(http_req_t *req, http_res_t *res, int rc, infoweb_form_fn again, bool public_change,
                      const char *next);
/* Sets "contacts" of page view model `vm`: the desks and offices of district
 * `code` (every district when NULL) with their hours split into
 * "open_hours" and "facilitation", each day named in the page's language.
 * For /info and the network's district page. 0 or -status. */
int infoweb_contacts_vm(http_req_t *req, const char *code, json_t *vm);
const resource_t *const *infoweb_workspace_routes(size_t *n);
/* The API of attachments, reminders, issues and contacts (web_more.c). */
const resource_t *const *infoweb_more_routes(size_t *n);
/* The editor's pages of issues, contacts and attachments (compose.c). */
const resource_t *const *infoweb_compose_routes(size_t *n);

#endif

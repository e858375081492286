/* pages.h — what the governance pages (pages.c, pages_budget.c) share. */
#ifndef LI_GOVERNANCE_PAGES_H
#define LI_GOVERNANCE_PAGES_H
#include "web.h"
#include <jansson.h>

/* Sets o[key + "_eur"] to the cents at o[key] as euro text in the request's
 * language ("€ 1.250,50" / "€ 1,250.50"; "—" when not a number). */
void govpage_money(http_req_t *req, json_t *o, const char *key);
/* A form field, NULL when empty. */
const char *govpage_form(http_req_t *req, const char *name);
/* A form field as a whole number: `absent` when empty, -2 when not one. */
int64_t govpage_form_int(http_req_t *req, const char *name, int64_t absent);
/* A form field in euro ("1250,50", "1.250,50", "1250.50") as cents: -1 when empty, -2 when not an amount. */
int64_t govpage_form_cents(http_req_t *req, const char *name);
/* Shows page `tmpl` with `vm`; `status` != 200 puts the request's error in
 * it, and vm[form] true when `form` names the page's section to open. */
int govpage_show(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm, const char *form);
/* A page's reads failed (rc): frees what it holds (a, b, c; NULL for none)
 * and answers the failure. */
int govpage_fail(http_req_t *req, int rc, json_t *a, json_t *b, json_t *c);
/* "/governance/projects/{id}" and `tail`, in the request's arena. */
const char *govpage_project_href(http_req_t *req, int64_t id, const char *tail);
/* A page of project `id` its forms post back to: `status` != 200 shows the
 * request's error in section `form`. */
typedef int (*govpage_render_fn)(http_req_t *req, http_res_t *res, int status, int64_t id, const char *form);
/* After a form on such a page (rc the operation's return): rc 0 redirects
 * to `to`; a failure that is no denial rolls back and shows the page again
 * by `render`, the error in section `form`. */
int govpage_form_done(http_req_t *req, http_res_t *res, int rc, const char *to, govpage_render_fn render, int64_t id,
                      const char *form);
/* The translated label of a submission status; labels a list's items (status_label, badge). */
const char *govpage_status_label(http_req_t *req, const char *status);
void govpage_label_submissions(http_req_t *req, json_t *items);

#endif

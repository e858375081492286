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
/* The translated label of a submission status; labels a list's items (status_label, badge). */
const char *govpage_status_label(http_req_t *req, const char *status);
void govpage_label_submissions(http_req_t *req, json_t *items);

#endif

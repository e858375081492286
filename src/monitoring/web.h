/* web.h — monitoring's HTTP side: the JSON API and exports (web.c), the
 * dashboards (pages.c), and the tables both build (tables.c). */
#ifndef LI_MON_WEB_H
#define LI_MON_WEB_H
#include "app/server.h"
#include "core/router.h"
#include "monitoring.h"

const resource_t *const *monweb_api_routes(size_t *n);
const resource_t *const *monweb_page_routes(size_t *n);

/* The target from the request's ?project_id, ?org, ?from, ?to (or
 * ?period=YYYY-S1|S2), checked against the session's scope. 0 or -status. */
int monweb_target(http_req_t *req, mon_target_t *t);
/* The indicators of every district in the target's subtree side by side:
 * {"districts":[{code,name,items:[...]}]}. 0 or -status. */
int monweb_districts(http_req_t *req, const mon_target_t *t, json_t **out);
/* The indicators per semester of the target, the last `n`, into *out:
 * [{period, from, to, items}]. 0 or -status. */
int monweb_trend(http_req_t *req, const mon_target_t *t, int n, json_t **out);
/* The audit of a read of figures, under the target's organisation. */
int monweb_audit(http_req_t *req, const mon_target_t *t, const char *what);

/* Tables as rows of text (tables.c). Each appends rows to `cells` (a flat
 * array of strings, `*cols` a row), the first row a header. */
void montab_indicators(http_req_t *req, const json_t *ind, json_t *cells, int *cols);
void montab_districts(http_req_t *req, const json_t *districts, json_t *cells, int *cols);
/* The open-data table: district, indicator, sex, age band, value with
 * cells under 5 suppressed (and their complements), as text rows. */
void montab_open_data(const json_t *districts, json_t *cells, int *cols);
/* Answers a table as CSV or XLSX ("csv", "xlsx") named `fname`. */
int montab_answer(http_req_t *req, http_res_t *res, const json_t *cells, int cols, const char *format,
                  const char *fname, const char *sheet);

#endif

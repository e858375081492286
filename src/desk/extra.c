/* extra.c — the help desk's files and batch work: the consultation register
 * (CSV and XLSX, coordinator), and later imports, documents and PDFs. Exports
 * stream the scope's rows page by page so a large district never times out. */
#include "core/csv.h"
#include "core/json.h"
#include "core/xlsx.h"
#include "deskweb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row of the register, its cells the members `keys` of `it`: a row of
 * the spreadsheet `x` (numbers as numbers, the date as a date) or, when `x`
 * is NULL, a CSV line appended to `csv`. */
static void register_row(const json_t *it, const char *const *keys, size_t ncol, xlsx_t *x, str_t *csv)
{
    const char *cells[16];
    char nums[3][24];
    int ni = 0;
    for (size_t k = 0; k < ncol; k++) {
        json_t *v = json_object_get(it, keys[k]);
        if (json_is_integer(v)) {
            snprintf(nums[ni], sizeof nums[ni], "%lld", (long long)json_integer_value(v));
            cells[k] = nums[ni++];
            if (x) xlsx_number(x, k, (double)json_integer_value(v));
        } else {
            cells[k] = json_string_value(v);
            if (x && k == 1) xlsx_date(x, k, cells[k]);
            else if (x) xlsx_text(x, k, cells[k]);
        }
    }
    if (x) xlsx_next_row(x);
    else csv_add_row(csv, cells, ncol, ';', 0);
}

/* GET /api/v1/desk/register?format=csv|xlsx&from=&to= */
static int get_register(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_allowed(req, &c, false, CAP_DESK_IMPORT);
    if (rc) return rc;
    const char *fmt = http_query(req, "format"), *from = http_query(req, "from"), *to = http_query(req, "to");
    if (!fmt) fmt = "csv";
    if (strcmp(fmt, "csv") && strcmp(fmt, "xlsx")) return web_fail(req, 422, "invalid", "format", "The format must be csv or xlsx.");
    if (from && *from && !date_valid(from)) return web_fail(req, 422, "invalid", "from", "Enter a real date as YYYY-MM-DD.");
    if (to && *to && !date_valid(to)) return web_fail(req, 422, "invalid", "to", "Enter a real date as YYYY-MM-DD.");
    if (from && !*from) from = NULL;
    if (to && !*to) to = NULL;
    static const char *const head[] = {"id", "date", "desk", "person_id", "family_name", "given_name", "citizenship",
                                       "sex", "age_band", "channel", "topics", "outcome", "duration_minutes", "operator"};
    static const char *const keys[] = {"id", "date", "org", "person_id", "family_name", "given_name", "citizenship",
                                       "sex", "age_band", "channel", "topics", "outcome", "duration_minutes", "operator"};
    const size_t ncol = sizeof head / sizeof head[0];
    bool xl = strcmp(fmt, "xlsx") == 0;
    xlsx_t *x = NULL;
    if (xl) {
        x = xlsx_new();
        if (!x || xlsx_sheet(x, "Register") || xlsx_header(x, head, ncol)) {
            xlsx_free(x);
            return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
        }
    } else {
        str_add(&res->body, "\xEF\xBB\xBF", 3); /* spreadsheets read UTF-8 with a BOM */
        csv_add_row(&res->body, head, ncol, ';', 0);
    }
    int64_t cursor = 0;
    size_t total = 0;
    for (;;) {
        json_t *items = json_array();
        if ((rc = desk_register_page(&c, from, to, cursor, 1000, items))) {
            json_decref(items);
            xlsx_free(x);
            return web_store_fail(req, rc);
        }
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it) {
            register_row(it, keys, ncol, x, &res->body);
            cursor = json_integer_value(json_object_get(it, "id"));
        }
        size_t n = json_array_size(items);
        total += n;
        json_decref(items);
        /* A district's whole register: the CSV goes to a file page by page, never whole in memory. */
        if (!xl && http_res_spill(res) != 0) {
            xlsx_free(x);
            return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
        }
        if (n < 1000) break;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%s rows=%zu", fmt, total);
    if ((rc = desk_web_audit(req, &c, "register.export", "consultation", 0, 0, c.scope.org_id, detail))) {
        xlsx_free(x);
        return rc;
    }
    const char *type = "text/csv; charset=utf-8";
    if (xl) {
        str_reset(&res->body);
        int fd = xlsx_finish_fd(x); /* sent from its file: never whole in memory */
        if (fd < 0) return web_fail(req, 500, "internal", NULL, "Something went wrong on our side.");
        http_res_file(res, fd);
        type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    return web_download(req, res, 0, type, arena_printf(req->arena, "register-%s.%s", c.scope.org_code, fmt));
}
static const resource_t res_desk_register = {"/api/v1/desk/register", .get = get_register};

static const resource_t *const routes[] = {&res_desk_register};

ROUTE_TABLE(desk_extra_routes, routes)

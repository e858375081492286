/* tables.c — the indicator tables as rows of text, shared by the exports
 * (CSV, XLSX, PDF) and the open-data file, and their CSV / XLSX answer. */
#include "web.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sexes[] = {"m", "f", "x"};
static const char *const bands[] = {"<18", "18-60", ">60"};

/* A JSON number as text ("" for null). */
static void num_text(const json_t *v, char *out, size_t len)
{
    if (json_is_integer(v)) snprintf(out, len, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v)) snprintf(out, len, "%.1f", json_real_value(v));
    else out[0] = 0;
}

static void add(json_t *cells, const char *s) { json_array_append_new(cells, json_string(s ? s : "")); }

static void add_num(json_t *cells, const json_t *v)
{
    char b[32];
    num_text(v, b, sizeof b);
    add(cells, b);
}

void montab_indicators(http_req_t *req, const json_t *ind, json_t *cells, int *cols)
{
    static const char *const head[] = {"Code", "Indicator", "Unit", "Value", "Men", "Women", "Non-binary",
                                       "Under 18", "18-60", "Over 60"};
    *cols = 10;
    for (int i = 0; i < 10; i++) add(cells, web_tr(req, head[i]));
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(ind, "items"), i, it) {
        const char *code = jstr(it, "code");
        add(cells, code);
        add(cells, mon_label(code, web(req)->lang));
        add(cells, web_tr(req, jstr(it, "unit")));
        add_num(cells, json_object_get(it, "value"));
        for (int k = 0; k < 3; k++) add_num(cells, json_object_get(json_object_get(it, "by_sex"), sexes[k]));
        for (int k = 0; k < 3; k++) add_num(cells, json_object_get(json_object_get(it, "by_age"), bands[k]));
    }
}

void montab_districts(http_req_t *req, const json_t *districts, json_t *cells, int *cols)
{
    json_t *list = json_object_get(districts, "districts");
    json_t *first = json_object_get(json_array_get(list, 0), "items");
    *cols = 2 + (int)json_array_size(first);
    add(cells, web_tr(req, "Code"));
    add(cells, web_tr(req, "District"));
    size_t i, k;
    json_t *d, *it;
    json_array_foreach(first, k, it) add(cells, jstr(it, "code"));
    json_array_foreach(list, i, d) {
        add(cells, jstr(d, "code"));
        add(cells, jstr(d, "name"));
        json_array_foreach(json_object_get(d, "items"), k, it) add_num(cells, json_object_get(it, "value"));
    }
}

/* One suppressed table of the open data: districts x `ncols` keys of the
 * item's breakdown `key` ("by_sex" or "by_age"), totals included, hiding
 * the row totals already in `row_hide` too. Appends its rows when `cells`. */
static void open_table(const json_t *list, size_t item, const char *key, const char *const *keys, int ncols,
                       bool *row_hide, json_t *cells)
{
    int nrows = (int)json_array_size(list);
    long v[64 * 4];
    bool hide[64 * 4] = {false}, col_hide[4] = {false}, grand = false;
    if (nrows > 64) nrows = 64;
    for (int r = 0; r < nrows; r++) {
        json_t *b = json_object_get(json_array_get(json_object_get(json_array_get(list, (size_t)r), "items"), item), key);
        for (int c = 0; c < ncols; c++) v[r * ncols + c] = (long)json_integer_value(json_object_get(b, keys[c]));
    }
    mon_suppress(v, nrows, ncols, 5, hide, row_hide, col_hide, &grand);
    if (!cells) return;
    const char *code = jstr(json_array_get(json_object_get(json_array_get(list, 0), "items"), item), "code");
    long total = 0, col_total[4] = {0};
    for (int r = 0; r <= nrows; r++) {
        long row_total = 0;
        for (int c = 0; c <= ncols; c++) {
            long n;
            bool h;
            if (r < nrows && c < ncols) {
                n = v[r * ncols + c], h = hide[r * ncols + c];
                row_total += n, col_total[c] += n, total += n;
            } else if (r < nrows) n = row_total, h = row_hide[r];
            else if (c < ncols) n = col_total[c], h = col_hide[c];
            else n = total, h = grand;
            if (c == ncols && strcmp(key, "by_sex") != 0) continue; /* the totals, once (with the sexes) */
            char num[24];
            snprintf(num, sizeof num, "%ld", n);
            add(cells, r < nrows ? jstr(json_array_get(list, (size_t)r), "code") : "total");
            add(cells, code);
            add(cells, strcmp(key, "by_sex") == 0 ? (c < ncols ? keys[c] : "total") : "total");
            add(cells, strcmp(key, "by_age") == 0 ? (c < ncols ? keys[c] : "total") : "total");
            add(cells, h ? "" : num);
            add(cells, h ? "suppressed" : "");
        }
    }
}

void montab_open_data(const json_t *districts, json_t *cells, int *cols)
{
    static const char *const head[] = {"district", "indicator", "sex", "age_band", "value", "flag"};
    *cols = 6;
    for (int i = 0; i < 6; i++) add(cells, head[i]);
    json_t *list = json_object_get(districts, "districts");
    size_t n = json_array_size(list);
    if (!n) return;
    json_t *items = json_object_get(json_array_get(list, 0), "items");
    for (size_t k = 0; k < json_array_size(items); k++) {
        if (!json_is_object(json_object_get(json_array_get(items, k), "by_sex"))) continue;
        bool row_hide[64] = {false};
        /* The district totals are shared by both tables: hide in each what
         * the other hides, until neither adds any. */
        for (int round = 0; round < 4; round++) {
            bool before[64];
            memcpy(before, row_hide, sizeof before);
            open_table(list, k, "by_sex", sexes, 3, row_hide, NULL);
            open_table(list, k, "by_age", bands, 3, row_hide, NULL);
            if (!memcmp(before, row_hide, sizeof before)) break;
        }
        open_table(list, k, "by_sex", sexes, 3, row_hide, cells);
        open_table(list, k, "by_age", bands, 3, row_hide, cells);
    }
}

int montab_answer(http_req_t *req, http_res_t *res, const json_t *cells, int cols, const char *format,
                  const char *fname, const char *sheet)
{
    size_t n = json_array_size(cells);
    str_reset(&res->body);
    int rc = 0;
    if (!strcmp(format, "csv")) {
        str_adds(&res->body, "\xEF\xBB\xBF");
        const char *row[32];
        for (size_t i = 0; i + (size_t)cols <= n; i += (size_t)cols) {
            for (int c = 0; c < cols && c < 32; c++) row[c] = json_string_value(json_array_get(cells, i + (size_t)c));
            csv_add_row(&res->body, row, (size_t)(cols < 32 ? cols : 32), ',', 0);
        }
        res->content_type = "text/csv; charset=utf-8";
    } else {
        xlsx_t *x = xlsx_new();
        rc = x ? xlsx_sheet(x, sheet) : -1;
        const char *head[64];
        for (int c = 0; c < cols && c < 64 && !rc; c++) head[c] = json_string_value(json_array_get(cells, (size_t)c));
        if (!rc) rc = xlsx_header(x, head, (size_t)(cols < 64 ? cols : 64));
        for (size_t i = (size_t)cols; i + (size_t)cols <= n && !rc; i += (size_t)cols) {
            for (int c = 0; c < cols && !rc; c++) {
                const char *s = json_string_value(json_array_get(cells, i + (size_t)c));
                if (!s) s = ""; /* a cell that is not text is written empty */
                char *end;
                double d = strtod(s, &end);
                rc = (*s && !*end && c > 0) ? xlsx_number(x, (size_t)c, d) : xlsx_text(x, (size_t)c, s);
            }
            if (!rc) rc = xlsx_next_row(x);
        }
        if (rc) xlsx_free(x);
        else {
            int fd = xlsx_finish_fd(x); /* sent from its file, never held whole in memory */
            if (fd < 0) rc = -1;
            else http_res_file(res, fd);
        }
        res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    return web_download(req, res, rc, NULL, fname);
}

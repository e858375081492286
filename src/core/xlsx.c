/* xlsx.c — spreadsheets through libxlsxwriter (see xlsx.h). The workbook is
 * written to a private temporary file which is read back and removed; no
 * file may outlive xlsx_finish / xlsx_free. */
#include "xlsx.h"
#include "json.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define XLSX_CELL_MAX 32767

struct xlsx {
    char path[512];
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *date;
    size_t row;
    int sheets;
    bool failed;
};

xlsx_t *xlsx_new(void)
{
    xlsx_t *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    const char *tmp = getenv("TMPDIR");
    snprintf(x->path, sizeof x->path, "%s/labimpact-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    mode_t old = umask(077);
    int fd = mkstemp(x->path);
    umask(old);
    if (fd < 0) {
        free(x);
        return NULL;
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmp && *tmp ? (char *)tmp : "/tmp"};
    x->wb = workbook_new_opt(x->path, &opt);
    if (!x->wb) {
        unlink(x->path);
        free(x);
        return NULL;
    }
    x->bold = workbook_add_format(x->wb);
    format_set_bold(x->bold);
    x->date = workbook_add_format(x->wb);
    format_set_num_format(x->date, "dd/mm/yyyy");
    return x;
}

void xlsx_free(xlsx_t *x)
{
    if (!x) return;
    if (x->wb) workbook_close(x->wb); /* frees it; the file is removed below */
    unlink(x->path);
    free(x);
}

int xlsx_sheet(xlsx_t *x, const char *name)
{
    if (!x || x->failed) return -1;
    char clean[32 * 4 + 1];
    size_t o = 0, chars = 0;
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p && chars < 31 && o + 4 < sizeof clean; p++) {
        if ((*p & 0xC0) != 0x80) chars++;
        clean[o++] = strchr("[]:*?/\\'", *p) ? '_' : (char)*p;
    }
    clean[o] = '\0';
    if (!o) snprintf(clean, sizeof clean, "Sheet%d", x->sheets + 1);
    x->ws = workbook_add_worksheet(x->wb, clean);
    if (!x->ws) {
        x->failed = true;
        return -1;
    }
    x->sheets++;
    x->row = 0;
    return 0;
}

/* A copy of s that is valid UTF-8 and at most XLSX_CELL_MAX code points. */
static char *clean_text(const char *s)
{
    json_t *j = json_text(s);
    const char *v = json_string_value(j);
    size_t n = strlen(v), chars = 0, i = 0;
    for (; i < n; i++) {
        if (((unsigned char)v[i] & 0xC0) != 0x80) {
            if (chars == XLSX_CELL_MAX) break;
            chars++;
        }
    }
    char *out = strndup(v, i);
    json_decref(j);
    return out;
}

static int write_text(xlsx_t *x, size_t col, const char *s, lxw_format *fmt)
{
    if (!x || x->failed || !x->ws || col >= XLSX_MAX_COLS) return -1;
    if (!s) return 0;
    char *c = clean_text(s);
    if (!c) return -1;
    lxw_error e = worksheet_write_string(x->ws, (lxw_row_t)x->row, (lxw_col_t)col, c, fmt);
    free(c);
    return e == LXW_NO_ERROR ? 0 : -1;
}

int xlsx_header(xlsx_t *x, const char *const *titles, size_t n)
{
    if (!x || x->failed || !x->ws || n > XLSX_MAX_COLS) return -1;
    for (size_t i = 0; i < n; i++) {
        if (write_text(x, i, titles[i], x->bold) < 0) return -1;
        size_t w = titles[i] ? strlen(titles[i]) + 4 : 10;
        worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, (double)(w < 12 ? 12 : w > 60 ? 60 : w), NULL);
    }
    worksheet_freeze_panes(x->ws, (lxw_row_t)(x->row + 1), 0);
    return xlsx_next_row(x);
}

int xlsx_text(xlsx_t *x, size_t col, const char *s)
{
    return write_text(x, col, s, NULL);
}

int xlsx_number(xlsx_t *x, size_t col, double v)
{
    if (!x || x->failed || !x->ws || col >= XLSX_MAX_COLS) return -1;
    return worksheet_write_number(x->ws, (lxw_row_t)x->row, (lxw_col_t)col, v, NULL) == LXW_NO_ERROR ? 0 : -1;
}

int xlsx_date(xlsx_t *x, size_t col, const char *d)
{
    int y, m, day;
    char tail;
    if (!d || sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &tail) != 3 || strlen(d) != 10 || y < 1900 || m < 1 ||
        m > 12 || day < 1 || day > 31)
        return xlsx_text(x, col, d);
    if (!x || x->failed || !x->ws || col >= XLSX_MAX_COLS) return -1;
    lxw_datetime dt = {.year = y, .month = m, .day = day};
    return worksheet_write_datetime(x->ws, (lxw_row_t)x->row, (lxw_col_t)col, &dt, x->date) == LXW_NO_ERROR ? 0
                                                                                                              : -1;
}

int xlsx_next_row(xlsx_t *x)
{
    if (!x || x->failed) return -1;
    if (x->row + 1 >= XLSX_MAX_ROWS) return -1;
    x->row++;
    return 0;
}

size_t xlsx_row(const xlsx_t *x)
{
    return x ? x->row : 0;
}

int xlsx_finish_fd(xlsx_t *x)
{
    if (!x) return -1;
    if (x->failed || (!x->sheets && xlsx_sheet(x, NULL) < 0)) {
        xlsx_free(x);
        return -1;
    }
    lxw_error e = workbook_close(x->wb);
    x->wb = NULL;
    int fd = e == LXW_NO_ERROR ? open(x->path, O_RDONLY | O_CLOEXEC) : -1;
    xlsx_free(x); /* unlinks the path; the open fd keeps the file until it is closed */
    return fd;
}

int xlsx_finish(xlsx_t *x, str_t *out)
{
    int fd = xlsx_finish_fd(x);
    if (fd < 0) return -1;
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) str_add(out, buf, (size_t)n);
    close(fd);
    return n < 0 ? -1 : 0;
}

/* xlsx.h — writing simple spreadsheets (Office Open XML .xlsx) for exports:
 * worksheets of rows, a bold frozen header row, text, numbers and dates.
 * A thin layer over libxlsxwriter that hides its file handling: the workbook
 * is built in a private temporary file (created 0600 and unlinked at once by
 * xlsx_finish/xlsx_free, never left behind) and handed back as bytes.
 *
 * Text cells are written as text (never as formulas), so values starting with
 * '=' cannot run in the reader's spreadsheet. Invalid UTF-8 is replaced with
 * U+FFFD; text is cut at 32,767 characters (the format's cell limit).
 *
 * Example:
 *     xlsx_t *x = xlsx_new();
 *     xlsx_sheet(x, "Register");
 *     const char *head[] = {"Date", "Topic", "Minutes"};
 *     xlsx_header(x, head, 3);
 *     xlsx_date(x, 0, "2025-03-01"); xlsx_text(x, 1, "work"); xlsx_number(x, 2, 20);
 *     xlsx_next_row(x);
 *     str_t out = STR_INIT;
 *     if (xlsx_finish(x, &out) == 0) send(out);   // x is freed either way
 *
 * Functions return 0 or -1 (the workbook is then unusable: call xlsx_free). */
#ifndef LI_XLSX_H
#define LI_XLSX_H
#include "str.h"
#include <stddef.h>

#define XLSX_MAX_ROWS 1048576u /* rows per worksheet, header included */
#define XLSX_MAX_COLS 16384u

typedef struct xlsx xlsx_t;

/* A new empty workbook; NULL when no temporary file can be made. */
xlsx_t *xlsx_new(void);
/* Adds a worksheet and makes it current (row 0). `name`: up to 31
 * characters, none of []:*?/\ (others are replaced with '_'). */
int xlsx_sheet(xlsx_t *x, const char *name);
/* Writes bold column titles on the current row, freezes them, sets column
 * widths from the titles, and moves to the next row. */
int xlsx_header(xlsx_t *x, const char *const *titles, size_t n);
/* Cells of the current row. NULL text writes nothing. */
int xlsx_text(xlsx_t *x, size_t col, const char *s);
int xlsx_number(xlsx_t *x, size_t col, double v);
/* A date cell (shown as dd/mm/yyyy) from "YYYY-MM-DD"; other text is written as text. */
int xlsx_date(xlsx_t *x, size_t col, const char *yyyy_mm_dd);
/* Moves to the next row; -1 past XLSX_MAX_ROWS. */
int xlsx_next_row(xlsx_t *x);
/* The current row (0-based) of the current sheet. */
size_t xlsx_row(const xlsx_t *x);
/* Closes the workbook, appends its bytes to `out` and frees `x`. */
int xlsx_finish(xlsx_t *x, str_t *out);
/* Closes the workbook and frees `x`; the finished file, already unlinked,
 * open for reading at its start, is the return value (an fd the caller
 * closes, e.g. through http_res_file), or -1. For answers too large to
 * hold: the rows never sit in memory, nor the file. */
int xlsx_finish_fd(xlsx_t *x);
/* Frees without producing anything. NULL is a no-op. */
void xlsx_free(xlsx_t *x);

#endif

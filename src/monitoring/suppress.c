/* suppress.c — statistical disclosure control of a table of counts with
 * its row, column and grand totals (monitoring.h, mon_suppress).
 *
 * The table is seen as its (rows + 1) x (cols + 1) extension: the last
 * column holds the row totals, the last row the column totals, the corner
 * the grand total. Every row and column of it is a sum a reader can use:
 * a hidden entry alone on such a line is given away by subtraction. So:
 * 1. primary: hide every entry (cell or total) with 0 < n < threshold;
 * 2. complementary: while some line holds exactly one hidden entry, hide
 *    one more entry of that line, the smallest count first (zeros last,
 *    inner cells before totals), so each line holds none or at least two.
 * Each pass hides one more entry of a finite table: it ends. */
#include "monitoring.h"
#include <stdlib.h>

typedef struct {
    int R, C;    /* the extension: rows + 1, cols + 1 */
    long *v;     /* values */
    bool *h;     /* hidden */
} ext_t;

#define AT(x, r, c) ((x)->v[(r) * (x)->C + (c)])
#define HID(x, r, c) ((x)->h[(r) * (x)->C + (c)])

/* A rank for picking the complementary entry: lower is better. */
static long long cost(const ext_t *x, int r, int c)
{
    long n = AT(x, r, c);
    long long total = (r == x->R - 1 || c == x->C - 1) ? 1LL << 40 : 0;
    return total + (n == 0 ? 1LL << 36 : n);
}

/* Hides one more entry on line `idx` (a row when `row`, else a column)
 * holding exactly one hidden entry; true when it did. */
static bool fix_line(ext_t *x, bool row, int idx)
{
    int len = row ? x->C : x->R, hidden = 0, best = -1;
    long long best_cost = 0;
    for (int k = 0; k < len; k++) {
        int r = row ? idx : k, c = row ? k : idx;
        if (HID(x, r, c)) {
            hidden++;
            continue;
        }
        long long cc = cost(x, r, c);
        if (best < 0 || cc < best_cost) {
            best = k;
            best_cost = cc;
        }
    }
    if (hidden != 1 || best < 0) return false;
    if (row) HID(x, idx, best) = true;
    else HID(x, best, idx) = true;
    return true;
}

int mon_suppress(const long *cells, int rows, int cols, long threshold, bool *out, bool *row_hide, bool *col_hide,
                 bool *grand_hide)
{
    if (rows <= 0 || cols <= 0) return 0;
    ext_t x = {rows + 1, cols + 1, calloc((size_t)(rows + 1) * (size_t)(cols + 1), sizeof(long)),
               calloc((size_t)(rows + 1) * (size_t)(cols + 1), sizeof(bool))};
    if (!x.v || !x.h) {
        free(x.v);
        free(x.h);
        return -1;
    }
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            long n = cells[r * cols + c];
            AT(&x, r, c) = n;
            AT(&x, r, cols) += n;
            AT(&x, rows, c) += n;
            AT(&x, rows, cols) += n;
        }
    for (int i = 0; i < x.R * x.C; i++) x.h[i] = x.v[i] > 0 && x.v[i] < threshold;
    for (int r = 0; r < rows; r++) { /* what the caller already hides elsewhere */
        for (int c = 0; c < cols; c++) HID(&x, r, c) |= out[r * cols + c];
        if (row_hide) HID(&x, r, cols) |= row_hide[r];
    }
    for (int c = 0; c < cols && col_hide; c++) HID(&x, rows, c) |= col_hide[c];
    if (grand_hide) HID(&x, rows, cols) |= *grand_hide;
    bool changed = true;
    while (changed) {
        changed = false;
        for (int r = 0; r < x.R; r++) changed |= fix_line(&x, true, r);
        for (int c = 0; c < x.C; c++) changed |= fix_line(&x, false, c);
    }
    int n = 0;
    for (int r = 0; r < x.R; r++)
        for (int c = 0; c < x.C; c++) {
            bool h = HID(&x, r, c);
            n += h;
            if (r < rows && c < cols) out[r * cols + c] = h;
            else if (r < rows) {
                if (row_hide) row_hide[r] = h;
            } else if (c < cols) {
                if (col_hide) col_hide[c] = h;
            } else if (grand_hide) *grand_hide = h;
        }
    free(x.v);
    free(x.h);
    return n;
}

/* pdf.c — flowing A4 documents with libharu (see pdf.h).
 *
 * The pdf_* calls only record what to print (a display list). pdf_render()
 * then chooses the fonts — the built-in Helvetica when every character fits
 * Windows-1252 (a statement of a few kilobytes), DejaVu Sans embedded only
 * when some text needs it (the whole font: about 600 KB) — and lays the list
 * out: the cursor `y` walks down the page, anything that does not fit starts
 * a new page (tables repeat their header), footers are written last, when
 * the page count is known. libharu reports errors through a callback: we
 * only record them, and the render fails. */
#include "pdf.h"
#include "json.h"
#include <hpdf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 50.0
#define FOOTER_H 30.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define MAX_PAGES 2000

static const char *const font_regular[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", NULL};
static const char *const font_bold[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", NULL};

typedef enum { OP_H1, OP_H2, OP_TEXT, OP_SMALL, OP_KV, OP_SPACE, OP_TBEGIN, OP_ROW, OP_TOTAL, OP_TEND, OP_MATRIX } op_kind_t;

/* One recorded call; texts are owned copies. */
typedef struct op {
    op_kind_t kind;
    double num;         /* OP_SPACE points */
    char **cells;       /* texts (NULL entries allowed) */
    size_t n;
    pdf_col_t *cols;    /* OP_TBEGIN: copies, headers in cells */
} op_t;

struct pdf_doc {
    /* The display list. */
    op_t *ops;
    size_t nops, cap;
    bool misuse;          /* a call out of order: the render fails */
    bool in_table;
    size_t table_cols;
    char *author, *subject;
    bool needs_utf8;
    /* Layout state, during pdf_render(). */
    HPDF_Doc pdf;
    HPDF_Font font, bold;
    bool utf8;            /* TrueType with UTF-8 encoder; else Helvetica / WinAnsi */
    bool failed, rendered;
    char title[256];
    HPDF_Page pages[MAX_PAGES];
    int npages;
    double y;             /* baseline cursor on the current page */
    /* The open table. */
    const pdf_col_t *cols;
    size_t ncols;
    double colw[PDF_MAX_COLS];
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    (void)error_no;
    (void)detail_no;
    ((pdf_doc_t *)user_data)->failed = true;
}

/* Windows-1252 for the Helvetica fallback: Latin-1 as is, a few extras, '?' otherwise. */
static char *to_cp1252(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    if (!out) return NULL;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        int len;
        if (*p < 0x80) { cp = *p; len = 1; }
        else if ((*p & 0xE0) == 0xC0 && p[1]) { cp = ((*p & 0x1Fu) << 6) | (p[1] & 0x3Fu); len = 2; }
        else if ((*p & 0xF0) == 0xE0 && p[1] && p[2]) { cp = ((*p & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu); len = 3; }
        else { cp = '?'; len = 1; while (p[len] && (p[len] & 0xC0) == 0x80) len++; }
        unsigned char c = '?';
        if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) c = (unsigned char)cp;
        else if (cp == 0x20AC) c = 0x80;      /* € */
        else if (cp == 0x2026) c = 0x85;      /* … */
        else if (cp == 0x2013) c = 0x96;      /* – */
        else if (cp == 0x2014) c = 0x97;      /* — */
        else if (cp == 0x2019) c = 0x92;      /* ’ */
        else if (cp == 0x2018) c = 0x91;
        else if (cp == 0x201C) c = 0x93;
        else if (cp == 0x201D) c = 0x94;
        else if (cp == 0x00B7) c = 0xB7;
        *o++ = (char)c;
        p += len;
    }
    *o = '\0';
    return out;
}

/* The text as the font wants it (a fresh malloc'd string), NULL on failure.
 * Invalid UTF-8 becomes U+FFFD first; control characters become spaces. */
static char *font_text(const pdf_doc_t *d, const char *s)
{
    json_t *clean = json_text(s ? s : "");
    const char *c = json_string_value(clean);
    char *copy = strdup(c ? c : "");
    json_decref(clean);
    if (!copy) return NULL;
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p < 0x20) *p = ' ';
    if (d->utf8) return copy;
    char *w = to_cp1252(copy);
    free(copy);
    return w;
}

static bool find_file(const char *const *paths, const char **found)
{
    for (; *paths; paths++)
        if (access(*paths, R_OK) == 0) {
            *found = *paths;
            return true;
        }
    return false;
}

static int load_fonts(pdf_doc_t *d)
{
    const char *reg = NULL, *bold = NULL;
    if (d->needs_utf8 && find_file(font_regular, &reg) && find_file(font_bold, &bold) &&
        HPDF_UseUTFEncodings(d->pdf) == HPDF_OK) {
        const char *rn = HPDF_LoadTTFontFromFile(d->pdf, reg, HPDF_TRUE);
        const char *bn = rn ? HPDF_LoadTTFontFromFile(d->pdf, bold, HPDF_TRUE) : NULL;
        if (rn && bn) {
            d->font = HPDF_GetFont(d->pdf, rn, "UTF-8");
            d->bold = HPDF_GetFont(d->pdf, bn, "UTF-8");
            if (d->font && d->bold) {
                d->utf8 = true;
                return 0;
            }
        }
        HPDF_ResetError(d->pdf);
        d->failed = false;
    }
    d->font = HPDF_GetFont(d->pdf, "Helvetica", "WinAnsiEncoding");
    d->bold = HPDF_GetFont(d->pdf, "Helvetica-Bold", "WinAnsiEncoding");
    return d->font && d->bold ? 0 : -1;
}

/* True when `s` has a character Windows-1252 cannot print. */
static bool beyond_cp1252(const char *s)
{
    char *w = to_cp1252(s ? s : "");
    bool lost = false;
    /* to_cp1252 writes '?' for what it cannot map: compare the counts. */
    size_t q_in = 0, q_out = 0;
    for (const char *p = s ? s : ""; *p; p++) q_in += *p == '?';
    for (const char *p = w ? w : ""; *p; p++) q_out += *p == '?';
    lost = !w || q_out > q_in;
    free(w);
    return lost;
}

pdf_doc_t *pdf_new(const char *title, char *errbuf, size_t errlen)
{
    pdf_doc_t *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    snprintf(d->title, sizeof d->title, "%s", title ? title : "");
    d->needs_utf8 = beyond_cp1252(d->title);
    d->y = -1; /* no page yet */
    return d;
}

void pdf_free(pdf_doc_t *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nops; i++) {
        for (size_t k = 0; k < d->ops[i].n; k++) free(d->ops[i].cells[k]);
        free(d->ops[i].cells);
        free(d->ops[i].cols);
    }
    free(d->ops);
    free(d->author);
    free(d->subject);
    if (d->pdf) HPDF_Free(d->pdf);
    free(d);
}

/* Records an operation with copies of `n` texts. */
static int push(pdf_doc_t *d, op_kind_t kind, double num, const char *const *texts, size_t n)
{
    if (d->misuse || d->rendered) return -1;
    if (d->nops == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        op_t *ops = realloc(d->ops, cap * sizeof *ops);
        if (!ops) return -1;
        d->ops = ops;
        d->cap = cap;
    }
    op_t *o = &d->ops[d->nops];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->num = num;
    if (n) {
        o->cells = calloc(n, sizeof *o->cells);
        if (!o->cells) return -1;
        o->n = n;
        for (size_t i = 0; i < n; i++) {
            if (!texts || !texts[i]) continue;
            o->cells[i] = strdup(texts[i]);
            if (!o->cells[i] || (!d->needs_utf8 && beyond_cp1252(texts[i]))) d->needs_utf8 = true;
            if (!o->cells[i]) {
                for (size_t k = 0; k < i; k++) free(o->cells[k]);
                free(o->cells);
                return -1;
            }
        }
    }
    d->nops++;
    return 0;
}

int pdf_set_info(pdf_doc_t *d, const char *author, const char *subject)
{
    if (d->misuse || d->rendered) return -1;
    free(d->author);
    free(d->subject);
    d->author = author ? strdup(author) : NULL;
    d->subject = subject ? strdup(subject) : NULL;
    return 0;
}

static HPDF_Page cur(pdf_doc_t *d)
{
    return d->npages ? d->pages[d->npages - 1] : NULL;
}

static int new_page(pdf_doc_t *d)
{
    if (d->npages == MAX_PAGES) return -1;
    HPDF_Page p = HPDF_AddPage(d->pdf);
    if (!p) return -1;
    HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    d->pages[d->npages++] = p;
    d->y = PAGE_H - MARGIN;
    return d->failed ? -1 : 0;
}

/* Makes room for `h` points below the cursor, breaking the page if needed.
 * Returns 1 when a new page was started, 0 when it fits, -1 on error. */
static int need(pdf_doc_t *d, double h)
{
    if (d->failed) return -1;
    if (d->y >= 0 && d->y - h >= MARGIN + FOOTER_H) return 0;
    return new_page(d) ? -1 : 1;
}

static double width_of(pdf_doc_t *d, HPDF_Font f, double size, const char *t)
{
    HPDF_Page p = cur(d);
    HPDF_Page_SetFontAndSize(p, f, (HPDF_REAL)size);
    return HPDF_Page_TextWidth(p, t);
}

static void show(pdf_doc_t *d, HPDF_Font f, double size, double x, double y, const char *t)
{
    HPDF_Page p = cur(d);
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, f, (HPDF_REAL)size);
    HPDF_Page_TextOut(p, (HPDF_REAL)x, (HPDF_REAL)y, t);
    HPDF_Page_EndText(p);
}

/* Length in bytes of the UTF-8 (or single-byte) character starting at s. */
static size_t char_len(const pdf_doc_t *d, const char *s)
{
    if (!d->utf8) return 1;
    size_t n = 1;
    while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80) n++;
    return n;
}

/* Writes `text` wrapped to `width` from the cursor, one line of `lh` points
 * each, breaking pages as needed. */
static int flow(pdf_doc_t *d, HPDF_Font f, double size, double lh, const char *text)
{
    int rc = 0;
    /* Split on '\n' first (font_text blanks control characters). */
    const char *src = text ? text : "";
    while (rc == 0) {
        const char *e = strchr(src, '\n');
        size_t n = e ? (size_t)(e - src) : strlen(src);
        char *line = strndup(src, n);
        char *ft = line ? font_text(d, line) : NULL;
        free(line);
        if (!ft) return -1;
        char *p = ft;
        do {
            if ((rc = need(d, lh)) < 0) break;
            rc = 0;
            HPDF_Page pg = cur(d);
            HPDF_Page_SetFontAndSize(pg, f, (HPDF_REAL)size);
            HPDF_REAL real;
            HPDF_UINT fit = HPDF_Page_MeasureText(pg, p, (HPDF_REAL)TEXT_W, HPDF_TRUE, &real);
            if (fit == 0) fit = HPDF_Page_MeasureText(pg, p, (HPDF_REAL)TEXT_W, HPDF_FALSE, &real);
            if (fit == 0) fit = (HPDF_UINT)char_len(d, p);
            char save = p[fit];
            p[fit] = '\0';
            d->y -= lh;
            show(d, f, size, MARGIN, d->y + lh * 0.25, p);
            p[fit] = save;
            p += fit;
            while (*p == ' ') p++;
        } while (*p && rc == 0);
        free(ft);
        if (!e) break;
        src = e + 1;
    }
    return rc < 0 || d->failed ? -1 : 0;
}

static int lay_heading(pdf_doc_t *d, int level, const char *text)
{
    double size = level <= 1 ? 18 : 13;
    if (d->y >= 0 && d->y < PAGE_H - MARGIN) d->y -= size * 0.6;
    /* Keep a heading with at least three lines after it. */
    if (need(d, size * 1.4 + 40) < 0) return -1;
    return flow(d, d->bold, size, size * 1.35, text);
}

static int lay_text(pdf_doc_t *d, const char *text, bool small)
{
    int rc = small ? flow(d, d->font, 8, 11, text) : flow(d, d->font, 10, 14, text);
    if (rc == 0) d->y -= small ? 3 : 4;
    return rc;
}

static int lay_kv(pdf_doc_t *d, const char *label, const char *value)
{
    if (need(d, 14) < 0) return -1;
    char *l = font_text(d, label), *v = font_text(d, value);
    if (!l || !v) {
        free(l);
        free(v);
        return -1;
    }
    d->y -= 14;
    double y = d->y + 3.5;
    show(d, d->bold, 10, MARGIN, y, l);
    double lw = width_of(d, d->bold, 10, l);
    show(d, d->font, 10, MARGIN + lw, y, ": ");
    double cw = width_of(d, d->font, 10, ": ");
    show(d, d->font, 10, MARGIN + lw + cw, y, v);
    free(l);
    free(v);
    return d->failed ? -1 : 0;
}

static int lay_space(pdf_doc_t *d, double points)
{
    if (need(d, 0) < 0) return -1;
    d->y -= points;
    return 0;
}

/* A square matrix of `side` points at the left margin below the cursor:
 * `cells` holds n * n characters row by row, '1' filled. */
static int lay_matrix(pdf_doc_t *d, const char *cells, double side)
{
    size_t len = strlen(cells), n = 0;
    while ((n + 1) * (n + 1) <= len) n++;
    if (n == 0 || n * n != len || need(d, side + 6) < 0) return -1;
    HPDF_Page p = cur(d);
    double m = side / (double)n, top = d->y;
    HPDF_Page_SetRGBFill(p, 0, 0, 0);
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < n; c++)
            if (cells[r * n + c] == '1')
                HPDF_Page_Rectangle(p, (HPDF_REAL)(MARGIN + c * m), (HPDF_REAL)(top - (r + 1) * m), (HPDF_REAL)m,
                                    (HPDF_REAL)m);
    HPDF_Page_Fill(p);
    d->y = top - side - 6;
    return d->failed ? -1 : 0;
}

/* `t` (malloc'd) or a new malloc'd copy cut to fit `w` points with an
 * ellipsis; frees `t` when it returns a new string. NULL on failure. */
static char *fit_cell(pdf_doc_t *d, HPDF_Font f, double size, char *t, double w)
{
    if (width_of(d, f, size, t) <= w) return t;
    const char *ell = d->utf8 ? "\xE2\x80\xA6" : "\x85";
    size_t n = strlen(t), el = strlen(ell);
    char *buf = malloc(n + el + 1);
    if (!buf) {
        free(t);
        return NULL;
    }
    while (n > 0) {
        n--;
        while (n > 0 && d->utf8 && ((unsigned char)t[n] & 0xC0) == 0x80) n--;
        memcpy(buf, t, n);
        memcpy(buf + n, ell, el + 1);
        if (width_of(d, f, size, buf) <= w) break;
    }
    free(t);
    return buf;
}

static int row(pdf_doc_t *d, const char *const *cells, bool bold, bool rule_above, bool shade)
{
    const double size = 9, lh = 15;
    HPDF_Font f = bold ? d->bold : d->font;
    double x = MARGIN;
    d->y -= lh;
    HPDF_Page p = cur(d);
    if (shade) {
        HPDF_Page_SetRGBFill(p, 0.92f, 0.94f, 0.97f);
        HPDF_Page_Rectangle(p, (HPDF_REAL)MARGIN, (HPDF_REAL)d->y, (HPDF_REAL)TEXT_W, (HPDF_REAL)lh);
        HPDF_Page_Fill(p);
        HPDF_Page_SetRGBFill(p, 0, 0, 0);
    }
    if (rule_above) {
        HPDF_Page_SetLineWidth(p, 0.8f);
        HPDF_Page_MoveTo(p, (HPDF_REAL)MARGIN, (HPDF_REAL)(d->y + lh));
        HPDF_Page_LineTo(p, (HPDF_REAL)(MARGIN + TEXT_W), (HPDF_REAL)(d->y + lh));
        HPDF_Page_Stroke(p);
    }
    for (size_t i = 0; i < d->ncols; i++) {
        double w = d->colw[i];
        const char *c = cells ? cells[i] : NULL;
        if (c && *c) {
            char *t = font_text(d, c);
            if (t) t = fit_cell(d, f, size, t, w - 6);
            if (!t) return -1;
            double tw = width_of(d, f, size, t);
            double tx = d->cols[i].align == PDF_RIGHT ? x + w - 3 - tw
                        : d->cols[i].align == PDF_CENTER ? x + (w - tw) / 2
                                                          : x + 3;
            show(d, f, size, tx, d->y + 4.5, t);
            free(t);
        }
        x += w;
    }
    return d->failed ? -1 : 0;
}

static int header_row(pdf_doc_t *d)
{
    const char *h[PDF_MAX_COLS];
    for (size_t i = 0; i < d->ncols; i++) h[i] = d->cols[i].header;
    return row(d, h, true, false, true);
}

static int lay_table_begin(pdf_doc_t *d, const pdf_col_t *cols, size_t ncols)
{
    double sum = 0;
    for (size_t i = 0; i < ncols; i++) sum += cols[i].width > 0 ? cols[i].width : 1;
    for (size_t i = 0; i < ncols; i++) d->colw[i] = TEXT_W * (cols[i].width > 0 ? cols[i].width : 1) / sum;
    d->cols = cols;
    d->ncols = ncols;
    if (need(d, 15 * 3) < 0) return -1;
    return header_row(d);
}

static int lay_table_line(pdf_doc_t *d, const char *const *cells, bool total)
{
    int rc = need(d, 15);
    if (rc < 0) return -1;
    if (rc == 1 && header_row(d) < 0) return -1;
    return row(d, cells, total, total, false);
}

static int lay_table_end(pdf_doc_t *d)
{
    d->cols = NULL;
    d->ncols = 0;
    d->y -= 8;
    return d->failed ? -1 : 0;
}

/* ---- the recording API ------------------------------------------------------ */

int pdf_heading(pdf_doc_t *d, int level, const char *text)
{
    return push(d, level <= 1 ? OP_H1 : OP_H2, 0, &text, 1);
}

int pdf_text(pdf_doc_t *d, const char *text)
{
    return push(d, OP_TEXT, 0, &text, 1);
}

int pdf_small(pdf_doc_t *d, const char *text)
{
    return push(d, OP_SMALL, 0, &text, 1);
}

int pdf_kv(pdf_doc_t *d, const char *label, const char *value)
{
    const char *t[] = {label, value};
    return push(d, OP_KV, 0, t, 2);
}

int pdf_space(pdf_doc_t *d, double points)
{
    return push(d, OP_SPACE, points, NULL, 0);
}

int pdf_matrix(pdf_doc_t *d, const char *cells, double side)
{
    if (!cells || side <= 0 || side > TEXT_W) {
        d->misuse = true;
        return -1;
    }
    const char *t[] = {cells};
    return push(d, OP_MATRIX, side, t, 1);
}

int pdf_table_begin(pdf_doc_t *d, const pdf_col_t *cols, size_t ncols)
{
    if (!cols || ncols == 0 || ncols > PDF_MAX_COLS || d->in_table) {
        d->misuse = true;
        return -1;
    }
    const char *h[PDF_MAX_COLS];
    for (size_t i = 0; i < ncols; i++) h[i] = cols[i].header;
    if (push(d, OP_TBEGIN, 0, h, ncols) < 0) return -1;
    op_t *o = &d->ops[d->nops - 1];
    o->cols = calloc(ncols, sizeof *o->cols);
    if (!o->cols) {
        d->misuse = true;
        return -1;
    }
    for (size_t i = 0; i < ncols; i++) {
        o->cols[i] = cols[i];
        o->cols[i].header = o->cells[i];
    }
    d->in_table = true;
    d->table_cols = ncols;
    return 0;
}

static int table_push(pdf_doc_t *d, op_kind_t kind, const char *const *cells)
{
    if (!d->in_table) {
        d->misuse = true;
        return -1;
    }
    return push(d, kind, 0, cells, d->table_cols);
}

int pdf_table_row(pdf_doc_t *d, const char *const *cells)
{
    return table_push(d, OP_ROW, cells);
}

int pdf_table_total(pdf_doc_t *d, const char *const *cells)
{
    return table_push(d, OP_TOTAL, cells);
}

int pdf_table_end(pdf_doc_t *d)
{
    if (!d->in_table) {
        d->misuse = true;
        return -1;
    }
    d->in_table = false;
    return push(d, OP_TEND, 0, NULL, 0);
}

/* ---- render ------------------------------------------------------------------- */

static int lay_out(pdf_doc_t *d)
{
    int rc = 0;
    for (size_t i = 0; i < d->nops && rc == 0; i++) {
        const op_t *o = &d->ops[i];
        const char *const *c = (const char *const *)o->cells;
        switch (o->kind) {
        case OP_H1: rc = lay_heading(d, 1, c[0]); break;
        case OP_H2: rc = lay_heading(d, 2, c[0]); break;
        case OP_TEXT: rc = lay_text(d, c[0], false); break;
        case OP_SMALL: rc = lay_text(d, c[0], true); break;
        case OP_KV: rc = lay_kv(d, c[0], c[1]); break;
        case OP_SPACE: rc = lay_space(d, o->num); break;
        case OP_TBEGIN: rc = lay_table_begin(d, o->cols, o->n); break;
        case OP_ROW: rc = lay_table_line(d, c, false); break;
        case OP_TOTAL: rc = lay_table_line(d, c, true); break;
        case OP_TEND: rc = lay_table_end(d); break;
        case OP_MATRIX: rc = lay_matrix(d, c[0], o->num); break;
        }
    }
    return rc < 0 || d->failed ? -1 : 0;
}

static void set_info(pdf_doc_t *d, HPDF_InfoType what, const char *value)
{
    if (!value) return;
    char *t = font_text(d, value);
    if (t) HPDF_SetInfoAttr(d->pdf, what, t);
    free(t);
}

int pdf_render(pdf_doc_t *d, str_t *out)
{
    if (d->misuse || d->in_table || d->rendered) return -1;
    d->rendered = true;
    d->pdf = HPDF_New(on_error, d);
    if (!d->pdf || load_fonts(d) != 0 || d->failed) return -1;
    HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL);
    set_info(d, HPDF_INFO_TITLE, d->title);
    set_info(d, HPDF_INFO_AUTHOR, d->author);
    set_info(d, HPDF_INFO_SUBJECT, d->subject);
    HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "labimpact");
    if (lay_out(d) < 0) return -1;
    if (d->npages == 0 && new_page(d) < 0) return -1;
    char *title = font_text(d, d->title);
    if (!title) return -1;
    for (int i = 0; i < d->npages; i++) {
        HPDF_Page p = d->pages[i];
        char foot[400];
        snprintf(foot, sizeof foot, "%s%s%d / %d", title, *title ? (d->utf8 ? " \xC2\xB7 " : " \xB7 ") : "", i + 1,
                 d->npages);
        HPDF_Page_SetGrayFill(p, 0.35f);
        HPDF_Page_BeginText(p);
        HPDF_Page_SetFontAndSize(p, d->font, 8);
        HPDF_Page_TextOut(p, (HPDF_REAL)MARGIN, (HPDF_REAL)(MARGIN * 0.6), foot);
        HPDF_Page_EndText(p);
    }
    free(title);
    if (d->failed || HPDF_SaveToStream(d->pdf) != HPDF_OK) return -1;
    HPDF_ResetStream(d->pdf);
    for (;;) {
        HPDF_BYTE buf[65536];
        HPDF_UINT32 n = sizeof buf;
        HPDF_STATUS st = HPDF_ReadFromStream(d->pdf, buf, &n);
        if (n > 0) str_add(out, buf, n);
        if (st == HPDF_STREAM_EOF) break;
        if (st != HPDF_OK) return -1;
    }
    return 0;
}

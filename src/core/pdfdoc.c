/* pdfdoc.c — see pdfdoc.h. A4 portrait, 50 pt margins. Each block is laid
 * out with a PangoLayout the width of its column and moved to a new page
 * when it does not fit (a paragraph taller than the space left is split by
 * line). Pages are drawn onto cairo recording surfaces, one per page, and
 * replayed onto the PDF surface by pdfdoc_finish(), when the page count is
 * known, each with its footer "text · n / N": the text stays text (glyphs
 * with their clusters), so the PDF's text layer is what was written. */
#include "pdfdoc.h"
#include "i18n.h"
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 50.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN)
#define CELL_PAD 2.5
#define MAX_PAGES 2000

/* The language of the text being laid out: font family and direction. */
typedef struct lang {
    char code[16];
    char family[64];
    PangoDirection dir;
} lang_t;

struct pdfdoc {
    cairo_surface_t **pages; /* recording surfaces, the last one being drawn */
    int npages, cap;
    cairo_t *cr;
    double y;                /* the cursor: top of the next block */
    lang_t lang, first;      /* now, and the document's (footers) */
    PangoContext *ctx;       /* of the current language, shared by its layouts */
    bool failed;
    char *footer, *title, *author, *subject;
    bool footer_on;
    double table_size;       /* points, of table text */
    /* The open table. */
    bool in_table;
    size_t ncols;
    pdfdoc_col_t cols[PDFDOC_MAX_COLS];
    double colw[PDFDOC_MAX_COLS];
};

/* The font family for a language (fontconfig falls back per script).
 * Urdu is set in Naskh style (Noto Sans Arabic has the Urdu letters): the
 * Nastaliq font's stacked glyphs leave a text layer that reads back scrambled. */
static const char *family_for(const char *lang)
{
    if (strncmp(lang, "ur", 2) == 0 || strncmp(lang, "ar", 2) == 0 || strncmp(lang, "fa", 2) == 0)
        return "Noto Sans Arabic";
    if (strncmp(lang, "zh", 2) == 0) return "Noto Sans CJK SC";
    return "Noto Sans";
}

static void set_lang(lang_t *l, const char *code)
{
    snprintf(l->code, sizeof l->code, "%s", code && *code ? code : "it");
    snprintf(l->family, sizeof l->family, "%s", family_for(l->code));
    l->dir = i18n_is_rtl(l->code) ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR;
}

/* The document's Pango context for language `l` (unhinted metrics and
 * unrounded positions, as a PDF wants them), replacing the previous one. */
static void set_context(pdfdoc_t *d, const lang_t *l)
{
    if (d->ctx) g_object_unref(d->ctx);
    d->ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(d->ctx, fo);
    pango_cairo_context_set_resolution(d->ctx, 72); /* font sizes in points of the page, not at 96 dpi */
    cairo_font_options_destroy(fo);
    pango_context_set_language(d->ctx, pango_language_from_string(l->code));
    pango_context_set_base_dir(d->ctx, l->dir);
    /* Glyph positions as shaped: rounded to whole points (Pango's default
     * for a screen) they open gaps inside joined Arabic words. */
    pango_context_set_round_glyph_positions(d->ctx, FALSE);
}

static void pdfdoc_free(pdfdoc_t *d);

/* Starts a page: a fresh recording surface, the cursor at the top. Past
 * MAX_PAGES (or without memory) the document fails and drawing goes on, to
 * no avail, over the last page, so that d->cr is never NULL after the first. */
static void page_start(pdfdoc_t *d)
{
    if (d->npages == d->cap) {
        int cap = d->cap ? d->cap * 2 : 8;
        if (cap > MAX_PAGES) cap = MAX_PAGES;
        cairo_surface_t **p = d->npages < MAX_PAGES ? realloc(d->pages, (size_t)cap * sizeof *p) : NULL;
        if (!p) {
            d->failed = true;
            d->y = MARGIN;
            return;
        }
        d->pages = p;
        d->cap = cap;
    }
    if (d->cr) cairo_destroy(d->cr);
    cairo_rectangle_t extent = {0, 0, PAGE_W, PAGE_H};
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extent);
    d->pages[d->npages++] = s;
    d->cr = cairo_create(s);
    if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS) d->failed = true;
    d->y = MARGIN;
}

pdfdoc_t *pdfdoc_new(const char *lang)
{
    pdfdoc_t *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    set_lang(&d->lang, lang);
    d->first = d->lang;
    set_context(d, &d->lang);
    d->table_size = 9;
    page_start(d);
    if (!d->cr) {
        pdfdoc_free(d);
        return NULL;
    }
    return d;
}

void pdfdoc_lang(pdfdoc_t *d, const char *lang)
{
    lang_t l;
    set_lang(&l, lang);
    if (strcmp(l.code, d->lang.code) == 0) return;
    d->lang = l;
    set_context(d, &d->lang);
}

/* A malloc'ed copy of s (NULL for NULL); a failed copy marks the document. */
static char *dup_or_fail(pdfdoc_t *d, const char *s)
{
    if (!s) return NULL;
    char *c = strdup(s);
    if (!c) d->failed = true;
    return c;
}

void pdfdoc_info(pdfdoc_t *d, const char *title, const char *author, const char *subject)
{
    free(d->title), free(d->author), free(d->subject);
    d->title = dup_or_fail(d, title);
    d->author = dup_or_fail(d, author);
    d->subject = dup_or_fail(d, subject);
}

void pdfdoc_footer(pdfdoc_t *d, const char *text)
{
    free(d->footer);
    d->footer = dup_or_fail(d, text && *text ? text : NULL);
    d->footer_on = true;
}

/* `s` as valid UTF-8 without control characters but newlines (g_free). */
static char *clean_text(const char *s)
{
    char *t = g_utf8_make_valid(s ? s : "", -1);
    for (char *p = t; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n') *p = ' ';
    return t;
}

/* The Pango alignment of `a` in the current direction. */
static PangoAlignment align_of(const pdfdoc_t *d, pdfdoc_align_t a)
{
    if (a == PDFDOC_CENTER) return PANGO_ALIGN_CENTER;
    bool rtl = d->lang.dir == PANGO_DIRECTION_RTL;
    return (a == PDFDOC_START) != rtl ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
}

/* A layout of `text` in the current language at `size` points, `width` wide.
 * `bold_len` > 0 sets the first bold_len bytes in bold; -1 all of it. */
static PangoLayout *layout_for(pdfdoc_t *d, const char *text, double size, int bold_len, double width,
                               pdfdoc_align_t align)
{
    PangoLayout *l = pango_layout_new(d->ctx);
    pango_layout_set_auto_dir(l, TRUE);
    PangoFontDescription *fd = pango_font_description_from_string(d->lang.family);
    pango_font_description_set_size(fd, (int)(size * PANGO_SCALE));
    if (bold_len < 0) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align_of(d, align));
    char *t = clean_text(text);
    pango_layout_set_text(l, t, -1);
    if (bold_len > 0) {
        PangoAttrList *al = pango_attr_list_new();
        PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        a->start_index = 0;
        a->end_index = (guint)bold_len < strlen(t) ? (guint)bold_len : (guint)strlen(t);
        pango_attr_list_insert(al, a);
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
    }
    g_free(t);
    return l;
}

static double layout_height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void table_header(pdfdoc_t *d);

/* A new page; an open table prints its header row again. */
static void new_page(pdfdoc_t *d)
{
    page_start(d);
    if (!d->failed && d->in_table) table_header(d);
}

/* Starts a new page when `h` points do not fit below the cursor (never on
 * a page still empty). */
static void need(pdfdoc_t *d, double h)
{
    if (d->y + h <= BOTTOM || d->y <= MARGIN) return;
    new_page(d);
}

/* Draws a layout line by line at x, breaking pages between lines. */
static void draw_block(pdfdoc_t *d, PangoLayout *l, double x, double gap_after)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double top = d->y;
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double line_top = (double)r.y / PANGO_SCALE, line_h = (double)r.height / PANGO_SCALE;
        if (top + line_top + line_h > BOTTOM && top + line_top > MARGIN) {
            cairo_pattern_t *src = cairo_get_source(d->cr);
            cairo_pattern_reference(src);
            new_page(d);
            cairo_set_source(d->cr, src);
            cairo_pattern_destroy(src);
            top = d->y - line_top;
        }
        int base_y = pango_layout_iter_get_baseline(it);
        cairo_move_to(d->cr, x + (double)r.x / PANGO_SCALE, top + (double)base_y / PANGO_SCALE);
        pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
        d->y = top + line_top + line_h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    d->y += gap_after;
}

/* One text block across the column; `keep` more points must fit after it
 * on its page (a heading stays with its first lines). */
static void text_block(pdfdoc_t *d, const char *text, double size, bool bold, double grey, double gap, double keep)
{
    if (d->failed) return;
    PangoLayout *l = layout_for(d, text, size, bold ? -1 : 0, TEXT_W, PDFDOC_START);
    if (keep > 0) need(d, layout_height(l) + keep);
    cairo_set_source_rgb(d->cr, grey, grey, grey);
    draw_block(d, l, MARGIN, gap);
    cairo_set_source_rgb(d->cr, 0, 0, 0);
    g_object_unref(l);
}

void pdfdoc_title(pdfdoc_t *d, const char *text) { text_block(d, text, 22, true, 0, 12, 40); }
void pdfdoc_heading(pdfdoc_t *d, const char *text)
{
    if (d->y > MARGIN) d->y += 6;
    text_block(d, text, 15, true, 0, 6, 40);
}
void pdfdoc_paragraph(pdfdoc_t *d, const char *text) { text_block(d, text, 12, false, 0, 8, 0); }
void pdfdoc_note(pdfdoc_t *d, const char *text) { text_block(d, text, 9, false, 0.35, 5, 0); }

void pdfdoc_kv(pdfdoc_t *d, const char *label, const char *value)
{
    if (d->failed) return;
    char *l = clean_text(label);
    size_t n = strlen(l);
    char *text = g_strconcat(l, ": ", value ? value : "", NULL);
    PangoLayout *lay = layout_for(d, text, 11, (int)n, TEXT_W, PDFDOC_START);
    draw_block(d, lay, MARGIN, 3);
    g_object_unref(lay);
    g_free(text);
    g_free(l);
}

void pdfdoc_space(pdfdoc_t *d, double points)
{
    if (d->failed) return;
    if (points < 0 || points > 400) {
        d->failed = true;
        return;
    }
    if (d->y > MARGIN) d->y += points;
}

/* ---- tables ------------------------------------------------------------------ */

/* One row of cells: wrapped in their columns, the tallest sets the height;
 * `style` 0 plain, 1 header (bold, shaded), 2 total (bold, rule above). */
static void table_line(pdfdoc_t *d, const char *const *cells, int style)
{
    if (d->failed) return;
    PangoLayout *ls[PDFDOC_MAX_COLS];
    double h = 0;
    for (size_t c = 0; c < d->ncols; c++) {
        ls[c] = layout_for(d, cells ? cells[c] : NULL, d->table_size, style ? -1 : 0, d->colw[c] - 2 * CELL_PAD,
                           d->cols[c].align);
        double lh = layout_height(ls[c]);
        if (lh > h) h = lh;
    }
    h += 2 * CELL_PAD;
    if (style != 1) need(d, h); /* a header is printed where it is asked, after its own check */
    cairo_t *cr = d->cr;
    if (style == 1) {
        cairo_set_source_rgb(cr, 0.92, 0.94, 0.97);
        cairo_rectangle(cr, MARGIN, d->y, TEXT_W, h);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, style == 2 ? 0 : 0.75, style == 2 ? 0 : 0.75, style == 2 ? 0 : 0.75);
    cairo_set_line_width(cr, style == 2 ? 0.8 : 0.4);
    double rule = style == 2 ? d->y : d->y + h;
    cairo_move_to(cr, MARGIN, rule);
    cairo_line_to(cr, MARGIN + TEXT_W, rule);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    bool rtl = d->lang.dir == PANGO_DIRECTION_RTL;
    double x = rtl ? MARGIN + TEXT_W : MARGIN;
    for (size_t c = 0; c < d->ncols; c++) {
        if (rtl) x -= d->colw[c];
        cairo_move_to(cr, x + CELL_PAD, d->y + CELL_PAD);
        pango_cairo_show_layout(cr, ls[c]);
        g_object_unref(ls[c]);
        if (!rtl) x += d->colw[c];
    }
    d->y += h;
}

/* The header row; none when every header is NULL or "". */
static void table_header(pdfdoc_t *d)
{
    const char *h[PDFDOC_MAX_COLS];
    bool any = false;
    for (size_t i = 0; i < d->ncols; i++) {
        h[i] = d->cols[i].header;
        any = any || (h[i] && *h[i]);
    }
    if (any) table_line(d, h, 1);
}

void pdfdoc_table_font(pdfdoc_t *d, double size)
{
    if (size < 6 || size > 14) d->failed = true;
    else d->table_size = size;
}

void pdfdoc_table_begin(pdfdoc_t *d, const pdfdoc_col_t *cols, size_t ncols)
{
    if (d->failed) return;
    if (!cols || ncols == 0 || ncols > PDFDOC_MAX_COLS || d->in_table) {
        d->failed = true;
        return;
    }
    double sum = 0;
    for (size_t i = 0; i < ncols; i++) sum += cols[i].width > 0 ? cols[i].width : 1;
    for (size_t i = 0; i < ncols; i++) {
        d->cols[i] = cols[i];
        d->cols[i].header = dup_or_fail(d, cols[i].header);
        d->colw[i] = TEXT_W * (cols[i].width > 0 ? cols[i].width : 1) / sum;
    }
    d->ncols = ncols;
    d->in_table = true;
    int pages = d->npages;
    need(d, 60); /* the header and a couple of rows; a new page prints the header */
    if (d->npages == pages) table_header(d);
}

void pdfdoc_table_row(pdfdoc_t *d, const char *const *cells)
{
    if (!d->in_table) d->failed = true;
    table_line(d, cells, 0);
}

void pdfdoc_table_total(pdfdoc_t *d, const char *const *cells)
{
    if (!d->in_table) d->failed = true;
    table_line(d, cells, 2);
}

void pdfdoc_table_end(pdfdoc_t *d)
{
    if (!d->in_table) d->failed = true;
    for (size_t i = 0; i < d->ncols; i++) free((char *)d->cols[i].header);
    d->ncols = 0;
    d->in_table = false;
    if (d->y > MARGIN) d->y += 8;
}

void pdfdoc_table(pdfdoc_t *d, int rows, int cols, const char *const *cells)
{
    if (rows <= 0 || cols <= 0 || cols > PDFDOC_MAX_COLS) return;
    pdfdoc_col_t c[PDFDOC_MAX_COLS];
    for (int i = 0; i < cols; i++) c[i] = (pdfdoc_col_t){cells[i], 1, PDFDOC_START};
    pdfdoc_table_begin(d, c, (size_t)cols);
    for (int r = 1; r < rows; r++) pdfdoc_table_row(d, cells + r * cols);
    pdfdoc_table_end(d);
}

/* ---- images ------------------------------------------------------------------- */

/* The x of a block `w` wide at the start margin. */
static double start_x(const pdfdoc_t *d, double w)
{
    return d->lang.dir == PANGO_DIRECTION_RTL ? MARGIN + TEXT_W - w : MARGIN;
}

int pdfdoc_qr(pdfdoc_t *d, const char *text, double side)
{
    if (d->failed) return -1;
    QRcode *q = text && side >= 20 && side <= 400 ? QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) : NULL;
    if (!q) {
        d->failed = true;
        return -1;
    }
    int n = q->width + 8; /* the quiet zone */
    double m = side / n;
    need(d, side + 6);
    double x0 = start_x(d, side), y0 = d->y;
    cairo_set_source_rgb(d->cr, 0, 0, 0);
    for (int r = 0; r < q->width; r++)
        for (int c = 0; c < q->width; c++)
            if (q->data[r * q->width + c] & 1) cairo_rectangle(d->cr, x0 + (c + 4) * m, y0 + (r + 4) * m, m, m);
    cairo_fill(d->cr);
    QRcode_free(q);
    d->y += side + 6;
    return 0;
}

/* cairo's PNG read callback over a memory buffer. */
typedef struct png_src {
    const unsigned char *p;
    size_t left;
} png_src_t;
static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int length)
{
    png_src_t *s = closure;
    if (length > s->left) return CAIRO_STATUS_READ_ERROR;
    memcpy(data, s->p, length);
    s->p += length;
    s->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

int pdfdoc_image(pdfdoc_t *d, const unsigned char *png, size_t len, double width_pt)
{
    if (d->failed) return -1;
    png_src_t src = {png, len};
    cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_png, &src);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS || width_pt <= 0 || width_pt > TEXT_W) {
        cairo_surface_destroy(img);
        return -1;
    }
    double w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    double scale = w > 0 ? width_pt / w : 1;
    need(d, h * scale);
    cairo_save(d->cr);
    cairo_translate(d->cr, start_x(d, width_pt), d->y);
    cairo_scale(d->cr, scale, scale);
    cairo_set_source_surface(d->cr, img, 0, 0);
    cairo_paint(d->cr);
    cairo_restore(d->cr);
    cairo_surface_destroy(img);
    d->y += h * scale + 8;
    return 0;
}

/* ---- the file ------------------------------------------------------------------- */

/* cairo's write callback: appends to a str_t. */
static cairo_status_t write_bytes(void *closure, const unsigned char *data, unsigned int length)
{
    str_add(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* The footer of page `i` of `n` at the bottom margin, in the first language. */
static void draw_footer(pdfdoc_t *d, cairo_t *cr, int i, int n)
{
    char num[32];
    snprintf(num, sizeof num, "%d / %d", i, n);
    char *text = d->footer ? g_strconcat(d->footer, " · ", num, NULL) : g_strdup(num);
    pdfdoc_lang(d, d->first.code);
    PangoLayout *l = layout_for(d, text, 8, 0, TEXT_W, PDFDOC_START);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_move_to(cr, MARGIN, PAGE_H - MARGIN * 0.6 - layout_height(l));
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    g_free(text);
}

/* The pages replayed onto a PDF surface writing into `out`. 0 or -1. */
static int write_pdf(pdfdoc_t *d, str_t *out)
{
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(write_bytes, out, PAGE_W, PAGE_H);
    const struct { cairo_pdf_metadata_t k; const char *v; } meta[] = {
        {CAIRO_PDF_METADATA_TITLE, d->title}, {CAIRO_PDF_METADATA_AUTHOR, d->author},
        {CAIRO_PDF_METADATA_SUBJECT, d->subject}, {CAIRO_PDF_METADATA_CREATOR, "labimpact"}};
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        if (meta[i].v) {
            char *v = clean_text(meta[i].v);
            cairo_pdf_surface_set_metadata(pdf, meta[i].k, v);
            g_free(v);
        }
    cairo_t *cr = cairo_create(pdf);
    for (int i = 0; i < d->npages; i++) {
        cairo_set_source_surface(cr, d->pages[i], 0, 0);
        cairo_paint(cr);
        if (d->footer_on) draw_footer(d, cr, i + 1, d->npages);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    int ok = cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(pdf);
    return ok ? 0 : -1;
}

/* Frees the document. */
static void pdfdoc_free(pdfdoc_t *d)
{
    if (d->cr) cairo_destroy(d->cr);
    if (d->ctx) g_object_unref(d->ctx);
    for (int i = 0; i < d->npages; i++) cairo_surface_destroy(d->pages[i]);
    if (d->in_table)
        for (size_t i = 0; i < d->ncols; i++) free((char *)d->cols[i].header);
    free(d->pages);
    free(d->footer), free(d->title), free(d->author), free(d->subject);
    free(d);
}

int pdfdoc_render(pdfdoc_t *d, str_t *out)
{
    if (d->cr) cairo_destroy(d->cr);
    d->cr = NULL;
    int rc = d->failed || d->in_table ? -1 : 0;
    for (int i = 0; i < d->npages && rc == 0; i++)
        if (cairo_surface_status(d->pages[i]) != CAIRO_STATUS_SUCCESS) rc = -1;
    str_t bytes = STR_INIT;
    if (rc == 0) rc = write_pdf(d, &bytes);
    if (rc == 0) str_add(out, bytes.buf, bytes.len);
    str_release(&bytes);
    pdfdoc_free(d);
    return rc;
}

int pdfdoc_finish(pdfdoc_t *d, char **out, size_t *len)
{
    str_t s = STR_INIT;
    *out = NULL;
    *len = 0;
    if (pdfdoc_render(d, &s) != 0) {
        str_release(&s);
        return -1;
    }
    *out = str_detach(&s, len);
    str_release(&s);
    return *out ? 0 : -1;
}

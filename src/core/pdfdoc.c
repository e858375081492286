/* pdfdoc.c — see pdfdoc.h. A4 portrait, 50 pt margins; each block is laid
 * out with a PangoLayout the width of the text column and moved to a new
 * page when it does not fit (a block taller than a page is split by line). */
#include "pdfdoc.h"
#include "str.h"
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 50.0

struct pdfdoc {
    cairo_surface_t *surface;
    cairo_t *cr;
    str_t bytes;
    double y;
    char family[64];
    char lang[16];
    PangoDirection dir;
};

/* cairo's write callback: appends to the document's bytes. */
static cairo_status_t write_bytes(void *closure, const unsigned char *data, unsigned int length)
{
    str_add(&((pdfdoc_t *)closure)->bytes, data, length);
    return CAIRO_STATUS_SUCCESS;
}

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

pdfdoc_t *pdfdoc_new(const char *lang)
{
    pdfdoc_t *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    snprintf(d->lang, sizeof d->lang, "%s", lang && *lang ? lang : "it");
    snprintf(d->family, sizeof d->family, "%s", family_for(d->lang));
    bool rtl = !strncmp(d->lang, "ar", 2) || !strncmp(d->lang, "ur", 2) || !strncmp(d->lang, "fa", 2) ||
               !strncmp(d->lang, "he", 2) || !strncmp(d->lang, "ps", 2);
    d->dir = rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR;
    d->surface = cairo_pdf_surface_create_for_stream(write_bytes, d, PAGE_W, PAGE_H);
    d->cr = cairo_create(d->surface);
    d->y = MARGIN;
    return d;
}

/* A layout of `text` in the document's language at `size` points. */
static PangoLayout *layout_for(pdfdoc_t *d, const char *text, double size, bool bold, double width)
{
    PangoLayout *l = pango_cairo_create_layout(d->cr);
    PangoContext *ctx = pango_layout_get_context(l);
    pango_context_set_language(ctx, pango_language_from_string(d->lang));
    pango_context_set_base_dir(ctx, d->dir);
    pango_layout_set_auto_dir(l, TRUE);
    PangoFontDescription *fd = pango_font_description_from_string(d->family);
    pango_font_description_set_size(fd, (int)(size * PANGO_SCALE));
    if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, d->dir == PANGO_DIRECTION_RTL ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, text ? text : "", -1);
    return l;
}

/* Starts a new page when `h` points do not fit below the current position. */
static void need(pdfdoc_t *d, double h)
{
    if (d->y + h <= PAGE_H - MARGIN || d->y <= MARGIN) return;
    cairo_show_page(d->cr);
    d->y = MARGIN;
}

/* Draws a layout line by line at x, breaking pages between lines. */
static void draw_block(pdfdoc_t *d, PangoLayout *l, double x, double gap_after)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double top = d->y;
    int base_y = 0;
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double line_top = (double)r.y / PANGO_SCALE, line_h = (double)r.height / PANGO_SCALE;
        if (top + line_top + line_h > PAGE_H - MARGIN) {
            cairo_show_page(d->cr);
            top = MARGIN - line_top;
        }
        base_y = pango_layout_iter_get_baseline(it);
        cairo_move_to(d->cr, x + (double)r.x / PANGO_SCALE, top + (double)base_y / PANGO_SCALE);
        pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
        d->y = top + line_top + line_h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    d->y += gap_after;
}

/* One text block across the column. */
static void text_block(pdfdoc_t *d, const char *text, double size, bool bold, double grey, double gap)
{
    PangoLayout *l = layout_for(d, text, size, bold, PAGE_W - 2 * MARGIN);
    cairo_set_source_rgb(d->cr, grey, grey, grey);
    draw_block(d, l, MARGIN, gap);
    cairo_set_source_rgb(d->cr, 0, 0, 0);
    g_object_unref(l);
}

void pdfdoc_title(pdfdoc_t *d, const char *text) { text_block(d, text, 20, true, 0, 12); }
void pdfdoc_paragraph(pdfdoc_t *d, const char *text) { text_block(d, text, 11.5, false, 0, 8); }
void pdfdoc_note(pdfdoc_t *d, const char *text) { text_block(d, text, 9, false, 0.35, 6); }

void pdfdoc_table(pdfdoc_t *d, int rows, int cols, const char *const *cells)
{
    if (rows <= 0 || cols <= 0) return;
    double colw = (PAGE_W - 2 * MARGIN) / cols, pad = 4;
    for (int r = 0; r < rows; r++) {
        PangoLayout *ls[16];
        int n = cols < 16 ? cols : 16;
        double h = 0;
        for (int c = 0; c < n; c++) {
            ls[c] = layout_for(d, cells[r * cols + c], 10, r == 0, colw - 2 * pad);
            int lw, lh;
            pango_layout_get_size(ls[c], &lw, &lh);
            if ((double)lh / PANGO_SCALE > h) h = (double)lh / PANGO_SCALE;
        }
        need(d, h + 2 * pad);
        for (int c = 0; c < n; c++) {
            int col = d->dir == PANGO_DIRECTION_RTL ? n - 1 - c : c;
            double x = MARGIN + col * colw;
            cairo_rectangle(d->cr, x, d->y, colw, h + 2 * pad);
            cairo_set_line_width(d->cr, 0.5);
            cairo_stroke(d->cr);
            cairo_move_to(d->cr, x + pad, d->y + pad);
            pango_cairo_show_layout(d->cr, ls[c]);
            g_object_unref(ls[c]);
        }
        d->y += h + 2 * pad;
    }
    d->y += 8;
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
    png_src_t src = {png, len};
    cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_png, &src);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return -1;
    }
    double w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    double scale = w > 0 ? width_pt / w : 1;
    need(d, h * scale);
    cairo_save(d->cr);
    cairo_translate(d->cr, MARGIN, d->y);
    cairo_scale(d->cr, scale, scale);
    cairo_set_source_surface(d->cr, img, 0, 0);
    cairo_paint(d->cr);
    cairo_restore(d->cr);
    cairo_surface_destroy(img);
    d->y += h * scale + 8;
    return 0;
}

int pdfdoc_finish(pdfdoc_t *d, char **out, size_t *len)
{
    cairo_destroy(d->cr);
    cairo_surface_finish(d->surface);
    int ok = cairo_surface_status(d->surface) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(d->surface);
    *out = ok ? str_detach(&d->bytes, len) : NULL;
    str_release(&d->bytes);
    free(d);
    return ok && *out ? 0 : -1;
}

/* pdfdoc.h — flowing documents to PDF with pango + cairo: headings,
 * paragraphs, "label: value" lines, tables with column widths whose header
 * row is repeated after a page break, QR codes (libqrencode), PNG images and
 * a footer with page numbers, laid out on A4 pages top to bottom.
 *
 * Text is UTF-8, shaped by HarfBuzz, so Arabic, Urdu, Chinese, Bengali,
 * Gurmukhi ... print correctly (with the Noto fonts installed), and the PDF's
 * text layer is the text itself (pdftotext gives it back). The document's
 * language picks the font family and the base direction: in a right-to-left
 * language paragraphs start at the right margin, tables run from right to
 * left and the QR code sits at the right. pdfdoc_lang() switches language
 * (and direction) for the blocks that follow, so one document can hold an
 * Arabic checklist and an Italian text. Invalid UTF-8 prints as U+FFFD,
 * control characters as spaces. No domain words.
 *
 *   pdfdoc_t *d = pdfdoc_new("ar");                 // language: fonts, direction
 *   pdfdoc_footer(d, "Statement March 2026");        // "… · 1 / 3" on every page
 *   pdfdoc_title(d, "...");  pdfdoc_kv(d, "Mediator", "Amina Diallo");
 *   static const pdfdoc_col_t cols[] = {{"Date", 1, PDFDOC_START}, {"Amount", 1, PDFDOC_END}};
 *   pdfdoc_table_begin(d, cols, 2);
 *   pdfdoc_table_row(d, (const char *[]){"2026-03-02", "€ 25,00"});
 *   pdfdoc_table_end(d);
 *   pdfdoc_finish(d, &bytes, &len);                  // frees d; the caller frees bytes
 *
 * Errors are sticky: a misuse (a row outside a table, too many columns, a
 * QR code that cannot be encoded) or a cairo failure marks the document,
 * every later call does nothing and pdfdoc_finish() returns -1 with no
 * bytes. A document is used by one thread; many threads may each build one. */
#ifndef LI_PDFDOC_H
#define LI_PDFDOC_H
#include "str.h"
#include <stddef.h>

#define PDFDOC_MAX_COLS 16

typedef struct pdfdoc pdfdoc_t;

/* Where a cell's text sits: at the start of the line (left in a
 * left-to-right document, right in a right-to-left one), at its end, or
 * centred. */
typedef enum { PDFDOC_START = 0, PDFDOC_END = 1, PDFDOC_CENTER = 2 } pdfdoc_align_t;

/* One table column: its header text (NULL: empty), its share of the text
 * width (the shares of a table are scaled to fill it; <= 0 counts as 1) and
 * its alignment. Cell text wraps inside its column. */
typedef struct pdfdoc_col {
    const char *header;
    double width;
    pdfdoc_align_t align;
} pdfdoc_col_t;

/* A new document whose text is in `lang` (BCP 47: picks the font family
 * and the base direction; NULL or "" is Italian). NULL on no memory. */
pdfdoc_t *pdfdoc_new(const char *lang);
/* The language of the blocks that follow (font and direction). */
void pdfdoc_lang(pdfdoc_t *d, const char *lang);
/* The document information (title, author, subject; NULL leaves one out). */
void pdfdoc_info(pdfdoc_t *d, const char *title, const char *author, const char *subject);
/* A footer on every page: "text · n / N" ("n / N" when text is NULL or ""),
 * in the document's first language. */
void pdfdoc_footer(pdfdoc_t *d, const char *text);
/* A heading in large bold type (level 1). */
void pdfdoc_title(pdfdoc_t *d, const char *text);
/* A heading in medium bold type (level 2), kept with what follows. */
void pdfdoc_heading(pdfdoc_t *d, const char *text);
/* A paragraph (plain text; newlines break lines). */
void pdfdoc_paragraph(pdfdoc_t *d, const char *text);
/* A small, grey paragraph (notes, sources). */
void pdfdoc_note(pdfdoc_t *d, const char *text);
/* One line "label: value" with the label in bold (wraps when long). */
void pdfdoc_kv(pdfdoc_t *d, const char *label, const char *value);
/* Vertical space in points (0 to 400). */
void pdfdoc_space(pdfdoc_t *d, double points);
/* A table of `rows` x `cols` cells (row-major), the first row as header,
 * columns of equal width. */
void pdfdoc_table(pdfdoc_t *d, int rows, int cols, const char *const *cells);
/* Starts a table of `ncols` (1..PDFDOC_MAX_COLS) columns and prints the
 * header row (none when every header is NULL or ""); the columns are copied. */
void pdfdoc_table_begin(pdfdoc_t *d, const pdfdoc_col_t *cols, size_t ncols);
/* The size of table text in points for the tables that follow (6 to 14; 9 at first). */
void pdfdoc_table_font(pdfdoc_t *d, double size);
/* One row of ncols cell texts (NULL prints nothing). */
void pdfdoc_table_row(pdfdoc_t *d, const char *const *cells);
/* One row in bold with a rule above it (totals). */
void pdfdoc_table_total(pdfdoc_t *d, const char *const *cells);
void pdfdoc_table_end(pdfdoc_t *d);
/* The QR code of `text` (error correction M, quiet zone of 4 modules),
 * `side` points wide (20 to 400) at the start margin. 0, or -1 when the
 * text cannot be encoded (the document is marked failed). */
int pdfdoc_qr(pdfdoc_t *d, const char *text, double side);
/* A PNG image scaled to `width_pt` points wide. 0, or -1 when not a PNG. */
int pdfdoc_image(pdfdoc_t *d, const unsigned char *png, size_t len, double width_pt);
/* Ends the document: *out (malloc'ed) and *len receive the PDF; frees d.
 * 0, or -1 (nothing returned) after an error. */
int pdfdoc_finish(pdfdoc_t *d, char **out, size_t *len);
/* pdfdoc_finish appending the bytes to `out`. 0 or -1 (out unchanged). */
int pdfdoc_render(pdfdoc_t *d, str_t *out);

#endif

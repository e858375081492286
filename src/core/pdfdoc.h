/* pdfdoc.h — a small document to PDF with pango + cairo: a title,
 * paragraphs, a table and PNG images, laid out on A4 pages top to bottom.
 * Text is shaped by HarfBuzz, so Arabic, Urdu, Chinese, Bengali, Gurmukhi
 * ... print correctly (with the Noto fonts installed), and the PDF's text
 * layer is the text itself (pdftotext gives it back). No domain words.
 *
 *   pdfdoc_t *d = pdfdoc_new("ar");        // language: fonts, direction
 *   pdfdoc_title(d, "...");  pdfdoc_paragraph(d, "...");
 *   pdfdoc_finish(d, &bytes, &len);          // frees d; the caller frees bytes
 */
#ifndef LI_PDFDOC_H
#define LI_PDFDOC_H
#include <stddef.h>

typedef struct pdfdoc pdfdoc_t;

/* A new document whose text is in `lang` (BCP 47: picks the font family
 * and the base direction). NULL on no memory. */
pdfdoc_t *pdfdoc_new(const char *lang);
/* A heading in large bold type. */
void pdfdoc_title(pdfdoc_t *d, const char *text);
/* A paragraph (plain text; newlines break lines). */
void pdfdoc_paragraph(pdfdoc_t *d, const char *text);
/* A small, grey paragraph (notes, footers). */
void pdfdoc_note(pdfdoc_t *d, const char *text);
/* A table of `rows` x `cols` cells (row-major), the first row as header. */
void pdfdoc_table(pdfdoc_t *d, int rows, int cols, const char *const *cells);
/* A PNG image scaled to `width_pt` points wide. 0, or -1 when not a PNG. */
int pdfdoc_image(pdfdoc_t *d, const unsigned char *png, size_t len, double width_pt);
/* Ends the document: *out (malloc'ed) and *len receive the PDF; frees d.
 * 0, or -1 (nothing returned). */
int pdfdoc_finish(pdfdoc_t *d, char **out, size_t *len);

#endif

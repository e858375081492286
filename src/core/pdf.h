/* pdf.h — simple printable documents (statements, receipts, reports) as PDF,
 * written with libharu. A document flows top to bottom over A4 portrait pages:
 * headings, paragraphs, "label: value" lines and tables whose header row is
 * repeated after each page break; every page gets a footer "title · n / N".
 *
 * Text is UTF-8. With DejaVu Sans (fonts-dejavu-core) embedded, every Latin,
 * Greek and Cyrillic character prints; scripts the font lacks, and right-to-left
 * shaping, are not handled (a missing glyph prints as a blank). Without the
 * font the built-in Helvetica is used and text is reduced to Windows-1252
 * (unknown characters print as '?').
 *
 * It never writes a file: pdf_render() appends the bytes to a buffer. It
 * keeps no global state and may be used from many threads at once (one
 * document per thread). A pdf_doc_t is not shared between threads.
 *
 * Usage
 *   pdf_doc_t *d = pdf_new("Statement March 2026", err, sizeof err);
 *   pdf_heading(d, 1, "Statement");
 *   pdf_kv(d, "Mediator", "Amina Diallo");
 *   static const pdf_col_t cols[] = {{"Date", 0.2, PDF_LEFT}, {"Amount", 0.2, PDF_RIGHT}};
 *   pdf_table_begin(d, cols, 2);
 *   pdf_table_row(d, (const char *[]){"2026-03-02", "€ 25,00"});
 *   pdf_table_end(d);
 *   str_t out = STR_INIT; pdf_render(d, &out); pdf_free(d);
 *
 * Every function returns 0, or -1 after an error of libharu or a misuse
 * (a row outside a table, too many columns); once an error happened every
 * later call fails too and pdf_render() produces nothing. */
#ifndef LI_PDF_H
#define LI_PDF_H
#include "str.h"
#include <stddef.h>

#define PDF_MAX_COLS 16

typedef struct pdf_doc pdf_doc_t;

typedef enum { PDF_LEFT = 0, PDF_RIGHT = 1, PDF_CENTER = 2 } pdf_align_t;

/* One table column: its header text, its share of the text width (the
 * shares of a table are scaled to fill the width) and its alignment.
 * Cell text that does not fit is cut with "…". */
typedef struct pdf_col {
    const char *header;
    double width;
    pdf_align_t align;
} pdf_col_t;

/* A new document with `title` (document information and page footers).
 * NULL with a message in errbuf when libharu fails. */
pdf_doc_t *pdf_new(const char *title, char *errbuf, size_t errlen);
/* Frees the document; NULL is a no-op. */
void pdf_free(pdf_doc_t *d);
/* Sets the document's author / subject information (optional). */
int pdf_set_info(pdf_doc_t *d, const char *author, const char *subject);
/* A heading: level 1 (large) or 2 (medium). */
int pdf_heading(pdf_doc_t *d, int level, const char *text);
/* A paragraph, wrapped to the text width ('\n' starts a new line). */
int pdf_text(pdf_doc_t *d, const char *text);
/* A small-print paragraph (notes, sources). */
int pdf_small(pdf_doc_t *d, const char *text);
/* One line "label: value" with the label in bold. */
int pdf_kv(pdf_doc_t *d, const char *label, const char *value);
/* Vertical space in points. */
int pdf_space(pdf_doc_t *d, double points);
/* A square matrix (a QR code) `side` points wide at the left margin: `cells`
 * holds n * n characters row by row, '1' for a filled module. */
int pdf_matrix(pdf_doc_t *d, const char *cells, double side);
/* Starts a table of `ncols` (1..PDF_MAX_COLS) columns; prints the header row.
 * `cols` must stay valid until pdf_table_end(). */
int pdf_table_begin(pdf_doc_t *d, const pdf_col_t *cols, size_t ncols);
/* One row: ncols cell texts (NULL prints nothing). */
int pdf_table_row(pdf_doc_t *d, const char *const *cells);
/* One row in bold with a rule above it (totals). */
int pdf_table_total(pdf_doc_t *d, const char *const *cells);
int pdf_table_end(pdf_doc_t *d);
/* Appends the finished PDF to `out` (after which the document takes no more
 * content). Returns 0 or -1. */
int pdf_render(pdf_doc_t *d, str_t *out);

#endif

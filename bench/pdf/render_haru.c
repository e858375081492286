/* render_haru.c — the "before" measurement of bench/pdf: a certificate and a
 * monthly statement laid out as src/courses/export.c and src/mediation/
 * export.c did with libharu (core/pdf.h, removed afterwards), rendered N
 * times in a loop; prints the mean milliseconds per document and its size. */
#include "core/pdf.h"
#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static char *qr_cells(const char *text)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    int n = q->width + 8;
    char *cells = malloc((size_t)n * n + 1);
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++) {
            int qr = r - 4, qc = c - 4;
            bool dark = qr >= 0 && qc >= 0 && qr < q->width && qc < q->width && (q->data[qr * q->width + qc] & 1);
            cells[r * n + c] = dark ? '1' : '0';
        }
    cells[n * n] = '\0';
    QRcode_free(q);
    return cells;
}

static size_t certificate(void)
{
    char err[128];
    const char *url = "http://127.0.0.1:8080/verify/ABCD-EFGH-JKLM";
    pdf_doc_t *d = pdf_new("Attestato di frequenza", err, sizeof err);
    char *cells = qr_cells(url);
    pdf_heading(d, 1, "Attestato di frequenza");
    pdf_kv(d, "Nome", "Amina Diallo");
    pdf_kv(d, "Corso", "Italiano A1 serale");
    pdf_kv(d, "Organizzato da", "CPIA Cremona");
    pdf_kv(d, "Date", "2026-01-12 – 2026-05-29");
    pdf_kv(d, "Ore frequentate", "54 / 60");
    pdf_kv(d, "Frequenza", "90%");
    pdf_kv(d, "Livello raggiunto", "A2");
    pdf_kv(d, "Rilasciato il", "2026-06-01");
    pdf_space(d, 12);
    pdf_kv(d, "Codice di verifica", "ABCD-EFGH-JKLM");
    pdf_matrix(d, cells, 110);
    pdf_small(d, url);
    str_t out = STR_INIT;
    if (pdf_render(d, &out)) abort();
    size_t n = out.len;
    str_release(&out);
    pdf_free(d);
    free(cells);
    return n;
}

static size_t statement(void)
{
    char err[128];
    pdf_doc_t *d = pdf_new("Prospetto 2026-03 — Amina Diallo", err, sizeof err);
    pdf_set_info(d, "labimpact", "Mediazione interculturale a chiamata");
    pdf_heading(d, 1, "Prospetto mensile della mediazione a chiamata");
    pdf_kv(d, "Mediatrice", "Amina Diallo");
    pdf_kv(d, "Distretto", "cremona");
    pdf_kv(d, "Mese", "2026-03");
    pdf_space(d, 8);
    static const pdf_col_t cols[] = {{"Data", 1.1, PDF_LEFT}, {"Inizio", 0.6, PDF_LEFT}, {"Ente richiedente", 2.2, PDF_LEFT},
                                     {"Lingua", 0.6, PDF_LEFT}, {"Tipo", 1.0, PDF_LEFT}, {"Minuti", 0.7, PDF_RIGHT},
                                     {"Base", 0.9, PDF_RIGHT}, {"Maggiorazioni", 0.9, PDF_RIGHT}, {"Viaggio", 0.9, PDF_RIGHT},
                                     {"Totale", 1.0, PDF_RIGHT}};
    pdf_table_begin(d, cols, 10);
    for (int i = 0; i < 40; i++) {
        char date[16];
        snprintf(date, sizeof date, "2026-03-%02d", i % 28 + 1);
        const char *row[] = {date, "09:00", "ASST Cremona — Consultorio familiare", "ar", "svolta", "90", "€ 37,50",
                             "€ 0,00", "€ 4,20", "€ 41,70"};
        pdf_table_row(d, row);
    }
    const char *total[] = {"Totale", NULL, NULL, NULL, NULL, "3600", "€ 1.500,00", "€ 0,00", "€ 168,00", "€ 1.668,00"};
    pdf_table_total(d, total);
    pdf_table_end(d);
    pdf_small(d, "Tariffe: delibera ATS Val Padana 2025");
    str_t out = STR_INIT;
    if (pdf_render(d, &out)) abort();
    size_t n = out.len;
    str_release(&out);
    pdf_free(d);
    return n;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200;
    const char *names[] = {"certificate", "statement (40 lines)"};
    size_t (*fns[])(void) = {certificate, statement};
    for (int k = 0; k < 2; k++) {
        size_t bytes = fns[k]();
        double t0 = now_ms();
        for (int i = 0; i < n; i++) fns[k]();
        printf("%-22s %8.2f ms/doc %8zu bytes (%d runs)\n", names[k], (now_ms() - t0) / n, bytes, n);
    }
    return 0;
}

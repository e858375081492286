/* render.c — bench/pdf: a certificate (nine label-value lines and a QR
 * code) and a monthly statement (a ten-column table of 40 lines and a
 * total) laid out as src/courses/export.c and src/mediation/export.c do,
 * rendered N times in a loop with core/pdfdoc (pango + cairo); prints the
 * mean wall and CPU milliseconds per document and its size. The same documents with
 * libharu (before the move): bench/pdf/render_haru.c in commit 60717f3.
 * Build and run: make build/bench/pdf_render && build/bench/pdf_render 200 */
#include "core/pdfdoc.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Milliseconds of `clock` (wall: CLOCK_MONOTONIC; CPU of this process:
 * CLOCK_PROCESS_CPUTIME_ID, which hardly moves when the machine is busy). */
static double now_ms(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static size_t finish(pdfdoc_t *d)
{
    str_t out = STR_INIT;
    if (pdfdoc_render(d, &out)) abort();
    size_t n = out.len;
    str_release(&out);
    return n;
}

static size_t certificate(const char *lang)
{
    const char *url = "http://127.0.0.1:8080/verify/ABCD-EFGH-JKLM";
    pdfdoc_t *d = pdfdoc_new(lang);
    pdfdoc_info(d, "Attestato di frequenza", "labimpact", "Italiano A1 serale");
    pdfdoc_footer(d, "Attestato di frequenza");
    pdfdoc_title(d, "Attestato di frequenza");
    pdfdoc_kv(d, "Nome", "Amina Diallo");
    pdfdoc_kv(d, "Corso", "Italiano A1 serale");
    pdfdoc_kv(d, "Organizzato da", "CPIA Cremona");
    pdfdoc_kv(d, "Date", "2026-01-12 – 2026-05-29");
    pdfdoc_kv(d, "Ore frequentate", "54 / 60");
    pdfdoc_kv(d, "Frequenza", "90%");
    pdfdoc_kv(d, "Livello raggiunto", "A2");
    pdfdoc_kv(d, "Rilasciato il", "2026-06-01");
    pdfdoc_space(d, 12);
    pdfdoc_kv(d, "Codice di verifica", "ABCD-EFGH-JKLM");
    pdfdoc_qr(d, url, 110);
    pdfdoc_note(d, url);
    return finish(d);
}

static size_t statement(const char *lang)
{
    pdfdoc_t *d = pdfdoc_new(lang);
    pdfdoc_info(d, "Prospetto 2026-03 — Amina Diallo", "labimpact", "Mediazione interculturale a chiamata");
    pdfdoc_footer(d, "Prospetto 2026-03 — Amina Diallo");
    pdfdoc_title(d, "Prospetto mensile della mediazione a chiamata");
    pdfdoc_kv(d, "Mediatrice", "Amina Diallo");
    pdfdoc_kv(d, "Distretto", "cremona");
    pdfdoc_kv(d, "Mese", "2026-03");
    pdfdoc_space(d, 8);
    static const pdfdoc_col_t cols[] = {
        {"Data", 52, PDFDOC_START},   {"Inizio", 32, PDFDOC_START}, {"Ente richiedente", 100, PDFDOC_START},
        {"Lingua", 38, PDFDOC_START}, {"Tipo", 46, PDFDOC_START},   {"Minuti", 38, PDFDOC_END},
        {"Base", 44, PDFDOC_END},     {"Maggiorazioni", 62, PDFDOC_END}, {"Viaggio", 39, PDFDOC_END},
        {"Totale", 44, PDFDOC_END}};
    pdfdoc_table_font(d, 8.5);
    pdfdoc_table_begin(d, cols, 10);
    for (int i = 0; i < 40; i++) {
        char date[16];
        snprintf(date, sizeof date, "2026-03-%02d", i % 28 + 1);
        const char *row[] = {date, "09:00", "ASST Cremona — Consultorio familiare", "ar", "svolta", "90", "€ 37,50",
                             "€ 0,00", "€ 4,20", "€ 41,70"};
        pdfdoc_table_row(d, row);
    }
    const char *total[] = {"Totale", NULL, NULL, NULL, NULL, "3600", "€ 1.500,00", "€ 0,00", "€ 168,00", "€ 1.668,00"};
    pdfdoc_table_total(d, total);
    pdfdoc_table_end(d);
    pdfdoc_note(d, "Tariffe: delibera ATS Val Padana 2025");
    return finish(d);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200;
    const char *names[] = {"certificate", "statement (40 lines)"};
    size_t (*fns[])(const char *) = {certificate, statement};
    for (int k = 0; k < 2; k++) {
        size_t bytes = fns[k]("it"); /* warm-up: fonts found and cached */
        double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
        for (int i = 0; i < n; i++) fns[k]("it");
        printf("%-22s %8.2f ms/doc wall %8.2f ms/doc CPU %8zu bytes (%d runs)\n", names[k],
               (now_ms(CLOCK_MONOTONIC) - t0) / n, (now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0) / n, bytes, n);
    }
    return 0;
}

/* test_pdf.c — unit tests of the PDF document writer (src/core/pdf.c):
 * a well-formed file comes out, long tables break pages with their header,
 * bad text and misuse fail cleanly instead of crashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/pdf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Counts occurrences of `needle` in the buffer. */
static int count(const str_t *s, const char *needle)
{
    int n = 0;
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= s->len; i++)
        if (memcmp(s->buf + i, needle, k) == 0) n++;
    return n;
}

static void test_document(void **state)
{
    (void)state;
    char err[128];
    pdf_doc_t *d = pdf_new("Prospetto marzo 2026 — Amina Diallo", err, sizeof err);
    assert_non_null(d);
    assert_int_equal(pdf_set_info(d, "labimpact", "Mediazione"), 0);
    assert_int_equal(pdf_heading(d, 1, "Prospetto mensile"), 0);
    assert_int_equal(pdf_kv(d, "Mediatrice", "Amina Diallo"), 0);
    assert_int_equal(pdf_text(d, "Un paragrafo abbastanza lungo da andare a capo più volte: "
                                 "àèìòù €, العربية, 中文, Українська. Parole parole parole parole parole "
                                 "parole parole parole parole parole parole parole parole parole parole.\nNuova riga."),
                     0);
    static const pdf_col_t cols[] = {{"Data", 0.2, PDF_LEFT}, {"Ente", 0.5, PDF_LEFT}, {"Importo", 0.3, PDF_RIGHT}};
    assert_int_equal(pdf_table_begin(d, cols, 3), 0);
    for (int i = 0; i < 200; i++) {
        char date[32], amount[32];
        snprintf(date, sizeof date, "2026-03-%02d", i % 28 + 1);
        snprintf(amount, sizeof amount, "€ %d,00", i);
        const char *cells[] = {date, "Istituto comprensivo con un nome molto lungo che non ci sta nella colonna", amount};
        assert_int_equal(pdf_table_row(d, cells), 0);
    }
    const char *total[] = {"Totale", NULL, "€ 19.900,00"};
    assert_int_equal(pdf_table_total(d, total), 0);
    assert_int_equal(pdf_table_end(d), 0);
    assert_int_equal(pdf_small(d, "Fonte: protocollo operativo \xff (byte non valido)"), 0);
    str_t out = STR_INIT;
    assert_int_equal(pdf_render(d, &out), 0);
    assert_true(out.len > 1000);
    assert_memory_equal(out.buf, "%PDF-", 5);
    assert_non_null(strstr(out.buf + out.len - 16, "%%EOF"));
    assert_true(count(&out, "/Type /Page\r") + count(&out, "/Type /Page\n") >= 5);
    /* After rendering, nothing more can be added. */
    assert_int_equal(pdf_text(d, "late"), -1);
    assert_int_equal(pdf_render(d, &out), -1);
    pdf_free(d);
    str_release(&out);
}

static void test_misuse(void **state)
{
    (void)state;
    char err[128];
    pdf_doc_t *d = pdf_new(NULL, err, sizeof err);
    assert_non_null(d);
    const char *cells[] = {"a"};
    assert_int_equal(pdf_table_row(d, cells), -1); /* no table open */
    str_t out = STR_INIT;
    assert_int_equal(pdf_render(d, &out), -1);      /* the document failed */
    assert_int_equal(out.len, 0);
    pdf_free(d);
    d = pdf_new("x", err, sizeof err);
    assert_int_equal(pdf_table_begin(d, NULL, 0), -1);
    pdf_free(d);
    /* An empty document still renders one page. */
    d = pdf_new("", err, sizeof err);
    assert_int_equal(pdf_render(d, &out), 0);
    assert_memory_equal(out.buf, "%PDF-", 5);
    pdf_free(d);
    pdf_free(NULL);
    str_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_document), cmocka_unit_test(test_misuse)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

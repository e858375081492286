/* test_pdfdoc.c — unit tests of the PDF document writer (src/core/pdfdoc.c)
 * read back with poppler's pdftotext: a long table breaks pages and repeats
 * its header, every page has its footer "n / N", a right-to-left document
 * gives its Arabic back and can switch to an Italian paragraph, a QR code
 * prints module for module (rasterised by pdftoppm), bad text and misuse
 * fail cleanly instead of crashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/pdfdoc.h"
#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Under ASan (make unit-san): whole stacks at malloc time, so that
 * tests/unit/lsan.supp can name cairo_surface_finish (Debian's cairo has no
 * frame pointers). Unused in the plain build. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "fast_unwind_on_malloc=0"; }

/* Occurrences of `needle` in `s`. */
static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* The text layer of a PDF (pdftotext), malloc'ed. */
static char *pdf_text(const char *pdf, size_t len)
{
    char path[] = "/tmp/test_pdfdoc_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s - 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    str_t out = STR_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) str_add(&out, buf, n);
    pclose(p);
    unlink(path);
    str_addc(&out, '\0');
    char *t = str_detach(&out, &n), *w = t;
    /* Without the bidi marks pdftotext puts around right-to-left runs. */
    for (const char *r = t; *r;) {
        const unsigned char *u = (const unsigned char *)r;
        if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x8E || u[2] == 0x8F || (u[2] >= 0xAA && u[2] <= 0xAE))) r += 3;
        else *w++ = *r++;
    }
    *w = '\0';
    return t;
}

static void test_table_breaks_pages_with_header_and_footer(void **state)
{
    (void)state;
    pdfdoc_t *d = pdfdoc_new("it");
    assert_non_null(d);
    pdfdoc_info(d, "Prospetto marzo 2026", "labimpact", "Mediazione");
    pdfdoc_footer(d, "Prospetto marzo 2026");
    pdfdoc_title(d, "Prospetto mensile");
    pdfdoc_kv(d, "Mediatrice", "Amina Diallo");
    pdfdoc_heading(d, "Interventi");
    static const pdfdoc_col_t cols[] = {{"Colonnadata", 0.2, PDFDOC_START}, {"Ente", 0.5, PDFDOC_START},
                                        {"Importo", 0.3, PDFDOC_END}};
    pdfdoc_table_begin(d, cols, 3);
    for (int i = 0; i < 150; i++) {
        char date[32], amount[32];
        snprintf(date, sizeof date, "2026-03-%02d", i % 28 + 1);
        snprintf(amount, sizeof amount, "€ %d,00", i);
        const char *cells[] = {date, "Istituto comprensivo con un nome molto lungo che va a capo nella sua colonna", amount};
        pdfdoc_table_row(d, cells);
    }
    const char *total[] = {"Totale", NULL, "€ 11.175,00"};
    pdfdoc_table_total(d, total);
    pdfdoc_table_end(d);
    pdfdoc_note(d, "Fonte: protocollo \xff (byte non valido) \x01 fine");
    str_t out = STR_INIT;
    assert_int_equal(pdfdoc_render(d, &out), 0);
    assert_memory_equal(out.buf, "%PDF-", 5);
    char *text = pdf_text(out.buf, out.len);
    int pages = count(text, "\f");
    assert_true(pages >= 5);
    /* The header on every page of the table, the footer with the count on every page. */
    assert_true(count(text, "Colonnadata") >= pages - 1);
    char last[64];
    snprintf(last, sizeof last, "Prospetto marzo 2026 · %d / %d", pages, pages);
    assert_non_null(strstr(text, "Prospetto marzo 2026 · 1 / "));
    assert_non_null(strstr(text, last));
    assert_non_null(strstr(text, "Amina Diallo"));
    assert_non_null(strstr(text, "€ 11.175,00"));
    assert_non_null(strstr(text, "\xEF\xBF\xBD")); /* U+FFFD for the bad byte */
    free(text);
    str_release(&out);
}

static void test_rtl_and_scripts(void **state)
{
    (void)state;
    pdfdoc_t *d = pdfdoc_new("ar");
    pdfdoc_footer(d, "قائمة");
    pdfdoc_title(d, "تجديد تصريح الإقامة");
    pdfdoc_kv(d, "الاسم", "Mohamed El Amrani");
    static const pdfdoc_col_t cols[] = {{"", 0.1, PDFDOC_START}, {"الخطوة", 0.9, PDFDOC_START}};
    pdfdoc_table_begin(d, cols, 2);
    pdfdoc_table_row(d, (const char *[]){"[ ]", "جواز سفر ساري المفعول"});
    pdfdoc_table_end(d);
    pdfdoc_lang(d, "zh");
    pdfdoc_paragraph(d, "居留许可的续签");
    pdfdoc_lang(d, "it");
    pdfdoc_paragraph(d, "Testo in italiano: nessuna traduzione.");
    assert_int_equal(pdfdoc_qr(d, "https://example.org/verify/ABCD-EFGH-JKLM", 100), 0);
    char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(pdfdoc_finish(d, &pdf, &len), 0);
    char *text = pdf_text(pdf, len);
    assert_non_null(strstr(text, "تجديد تصريح")); /* (lam-alef ligatures read back reversed) */
    assert_non_null(strstr(text, "جواز سفر ساري المفعول"));
    assert_non_null(strstr(text, "居留许可的续签"));
    assert_non_null(strstr(text, "Testo in italiano"));
    assert_non_null(strstr(text, "Mohamed El Amrani"));
    assert_non_null(strstr(text, "1 / 1"));
    free(text);
    free(pdf);
}

/* The QR code rasterised (pdftoppm, 72 dpi: one pixel a point) holds the
 * modules libqrencode gives for the same text, quiet zone included. */
static void test_qr_modules(void **state)
{
    (void)state;
    const char *url = "https://example.org/verify/ABCD-EFGH-JKLM";
    pdfdoc_t *d = pdfdoc_new("it");
    assert_int_equal(pdfdoc_qr(d, url, 200), 0);
    char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(pdfdoc_finish(d, &pdf, &len), 0);
    char path[] = "/tmp/test_pdfdoc_qr_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    close(fd);
    free(pdf);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "pdftoppm -r 72 -gray -singlefile %s 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int w = 0, h = 0, max = 0;
    assert_int_equal(fscanf(p, "P5 %d %d %d", &w, &h, &max), 3);
    fgetc(p); /* the single white space before the pixels */
    unsigned char *px = malloc((size_t)w * (size_t)h);
    assert_int_equal(fread(px, 1, (size_t)w * (size_t)h, p), (size_t)w * (size_t)h);
    pclose(p);
    unlink(path);
    QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(q);
    int n = q->width + 8, wrong = 0;
    double m = 200.0 / n;
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++) {
            int qr = r - 4, qc = c - 4;
            bool dark = qr >= 0 && qc >= 0 && qr < q->width && qc < q->width && (q->data[qr * q->width + qc] & 1);
            int x = (int)(50 + (c + 0.5) * m), y = (int)(50 + (r + 0.5) * m);
            bool seen = px[y * w + x] < 128;
            wrong += dark != seen;
        }
    assert_int_equal(wrong, 0);
    QRcode_free(q);
    free(px);
}

static void test_misuse_fails_cleanly(void **state)
{
    (void)state;
    char *pdf = NULL;
    size_t len = 0;
    pdfdoc_t *d = pdfdoc_new(NULL);
    pdfdoc_table_row(d, (const char *[]){"a"}); /* no table open */
    pdfdoc_paragraph(d, "later");
    assert_int_equal(pdfdoc_finish(d, &pdf, &len), -1);
    assert_null(pdf);
    assert_int_equal(len, 0);
    d = pdfdoc_new("it");
    pdfdoc_table_begin(d, NULL, 0);
    assert_int_equal(pdfdoc_finish(d, &pdf, &len), -1);
    static const pdfdoc_col_t one[] = {{"x", 1, PDFDOC_START}};
    d = pdfdoc_new("it");
    pdfdoc_table_begin(d, one, 1); /* never ended */
    assert_int_equal(pdfdoc_finish(d, &pdf, &len), -1);
    d = pdfdoc_new("it");
    assert_int_equal(pdfdoc_qr(d, NULL, 100), -1);
    str_t out = STR_INIT;
    assert_int_equal(pdfdoc_render(d, &out), -1);
    assert_int_equal(out.len, 0);
    /* An empty document still makes one page. */
    d = pdfdoc_new("");
    assert_int_equal(pdfdoc_finish(d, &pdf, &len), 0);
    char *text = pdf_text(pdf, len);
    assert_int_equal(count(text, "\f"), 1);
    free(text);
    free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_breaks_pages_with_header_and_footer),
        cmocka_unit_test(test_rtl_and_scripts),
        cmocka_unit_test(test_qr_modules),
        cmocka_unit_test(test_misuse_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* xlsx.c — the monitoring bench's export half (issue 13 item 12): N rows
 * (default 1,000,000) of an indicator-by-record export — district, code,
 * sex, age band, date, value — written through core/xlsx.h, timed, with
 * the process's peak resident memory. libxlsxwriter runs in its
 * constant_memory mode (each row flushed to the temporary file as it is
 * written); xlsx_finish then hands the finished file back as bytes, so the
 * output itself (tens of MB) is held once in memory at the end.
 * Usage: bench/monitoring/xlsx.sh [N] */
#include "core/str.h"
#include "core/xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    static const char *const sexes[] = {"m", "f", "x"}, *const bands[] = {"<18", "18-60", ">60"};
    static const char *const codes[] = {"O.2.3", "O.2.3.1", "O.2.5", "R.2.8", "R.2.11"};
    double t0 = now();
    xlsx_t *x = xlsx_new();
    const char *head[] = {"District", "Code", "Sex", "Age band", "Date", "Value"};
    int rc = !x || xlsx_sheet(x, "Export") || xlsx_header(x, head, 6);
    long rss_half = 0;
    char district[32], date[11];
    for (long i = 0; i < n && !rc; i++) {
        snprintf(district, sizeof district, "ambito-%02ld", i % 35);
        snprintf(date, sizeof date, "2026-%02ld-%02ld", 1 + i % 12, 1 + i % 28);
        rc = xlsx_text(x, 0, district) || xlsx_text(x, 1, codes[i % 5]) || xlsx_text(x, 2, sexes[i % 3]) ||
             xlsx_text(x, 3, bands[i % 3]) || xlsx_date(x, 4, date) || xlsx_number(x, 5, (double)(i % 97)) ||
             xlsx_next_row(x);
        if (i == n / 2) rss_half = rss_kb();
    }
    double t_rows = now() - t0;
    long rss_rows = rss_kb();
    str_t out = STR_INIT;
    if (!rc) rc = xlsx_finish(x, &out);
    double t_all = now() - t0;
    printf("{\"rows\":%ld,\"ok\":%s,\"rows_s\":%.2f,\"total_s\":%.2f,\"bytes\":%zu,\"peak_rss_kb_half\":%ld,"
           "\"peak_rss_kb_rows\":%ld,\"peak_rss_kb_end\":%ld}\n",
           n, rc ? "false" : "true", t_rows, t_all, out.len, rss_half, rss_rows, rss_kb());
    str_release(&out);
    return rc;
}

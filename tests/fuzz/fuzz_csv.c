/* fuzz_csv.c — libFuzzer harness for the CSV reader and writer.
 *
 * Each input is read to the end with every separator choice. Checks beyond the
 * sanitizers: a reader never reports more than CSV_MAX_FIELDS fields nor a
 * field longer than CSV_MAX_FIELD; line numbers never go backwards; and every
 * record read, written back with csv_add_row (CSV_RAW) and read again, gives
 * the same fields (the writer's quoting round-trips).
 * Must never keep state between inputs. */
#include "core/csv.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void round_trip(const csv_reader_t *r)
{
    size_t n = csv_nfields(r);
    const char **f = malloc(n * sizeof *f);
    if (!f) abort();
    for (size_t i = 0; i < n; i++) f[i] = csv_field(r, i);
    str_t out = STR_INIT;
    csv_add_row(&out, f, n, r->delim, CSV_RAW);
    csv_reader_t again;
    csv_reader_init(&again, out.buf, out.len, r->delim);
    int rc = csv_read(&again);
    /* A record of one empty field writes an empty line, which reads as no record. */
    if (n == 1 && f[0][0] == '\0') {
        if (rc != 0) abort();
    } else {
        if (rc != 1 || csv_nfields(&again) != n) abort();
        for (size_t i = 0; i < n; i++)
            if (strcmp(csv_field(&again, i), f[i]) != 0) abort();
    }
    csv_reader_release(&again);
    str_release(&out);
    free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {0, ',', ';', '\t'};
    for (size_t d = 0; d < sizeof delims; d++) {
        csv_reader_t r;
        csv_reader_init(&r, (const char *)data, size, delims[d]);
        size_t last_line = 0;
        int rc;
        while ((rc = csv_read(&r)) == 1) {
            if (csv_nfields(&r) == 0 || csv_nfields(&r) > CSV_MAX_FIELDS) abort();
            if (r.line < last_line) abort();
            last_line = r.line;
            for (size_t i = 0; i < csv_nfields(&r); i++)
                if (strlen(csv_field(&r, i)) > CSV_MAX_FIELD) abort();
            /* Fields holding NUL cannot be written back byte-exact; the reader refuses NUL. */
            round_trip(&r);
        }
        if (rc == -1 && r.err[0] == '\0') abort();
        csv_reader_release(&r);
    }
    return 0;
}

/* csv.h — reading and writing CSV (RFC 4180, and what spreadsheets really
 * export: a byte order mark, ';' as the separator in Italian locales, CRLF or
 * LF line ends, newlines and doubled quotes inside quoted fields).
 *
 * Reading is a pull parser over a buffer held by the caller: csv_read() makes
 * the next record's fields available until the following call. It never
 * allocates per field (one growing buffer per reader), refuses records with
 * more than CSV_MAX_FIELDS fields or fields longer than CSV_MAX_FIELD bytes,
 * and reports a malformed record with its line number instead of guessing.
 * It checks no encoding: the caller validates UTF-8 where it matters.
 *
 * Writing escapes one field at a time. Cells starting with = + - @ TAB or CR
 * are prefixed with ' unless CSV_RAW is given (CSV/formula injection: a
 * spreadsheet would run them as formulas); numbers the caller wrote itself
 * may go out raw.
 *
 * Example:
 *     csv_reader_t r;
 *     csv_reader_init(&r, data, len, 0);
 *     while ((rc = csv_read(&r)) == 1)
 *         for (size_t i = 0; i < csv_nfields(&r); i++) use(csv_field(&r, i));
 *     if (rc < 0) report(r.line, r.err);
 *     csv_reader_release(&r);
 */
#ifndef LI_CSV_H
#define LI_CSV_H
#include "str.h"
#include <stdbool.h>
#include <stddef.h>

#define CSV_MAX_FIELDS 512
#define CSV_MAX_FIELD (64u * 1024)

typedef struct csv_reader {
    const char *p, *end;  /* the unread input */
    char delim;           /* ',' ';' or '\t' */
    size_t line;          /* 1-based line where the current (or failed) record starts */
    size_t next_line;     /* line where the next record starts */
    size_t record;        /* 1-based number of the current record */
    str_t buf;            /* the current record's fields, each NUL-terminated */
    size_t *offs;         /* offset of each field in buf */
    size_t nfields, cap;
    char err[96];         /* what is wrong when csv_read returned -1 (English) */
} csv_reader_t;

/* Starts reading data[0..len). `delim` 0 detects it from the first line
 * (the most frequent of ';' ',' TAB outside quotes; ',' when none). A UTF-8
 * byte order mark is skipped. The data must outlive the reader. */
void csv_reader_init(csv_reader_t *r, const char *data, size_t len, char delim);
/* Reads the next record: 1 when one is ready, 0 at the end of the input,
 * -1 when malformed (r->err and r->line say what and where; the reader stays
 * at the error). Blank lines are skipped. */
int csv_read(csv_reader_t *r);
/* The current record's field count and fields (NUL-terminated, "" for empty). */
size_t csv_nfields(const csv_reader_t *r);
const char *csv_field(const csv_reader_t *r, size_t i);
/* Frees the reader's memory; it may be initialised again. */
void csv_reader_release(csv_reader_t *r);

/* Flags of the writer. */
#define CSV_RAW 0x1u /* write the value as given, without the formula guard */

/* Appends one field (n bytes) quoted when it holds the separator, a quote, CR
 * or LF, or begins or ends with a space or a tab. */
void csv_add_field(str_t *out, const char *s, size_t n, char delim, unsigned flags);
/* Appends a record: fields separated by `delim`, NULL written as empty, and a
 * CRLF line end. */
void csv_add_row(str_t *out, const char *const *fields, size_t n, char delim, unsigned flags);

#endif

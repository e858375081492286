/* csv.c — the CSV reader and writer (see csv.h). The reader is a small state
 * machine over bytes; it must never read past `end` nor accept a record it
 * cannot represent exactly. */
#include "csv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_err(csv_reader_t *r, const char *msg)
{
    snprintf(r->err, sizeof r->err, "%s", msg);
}


/* Appends one character to the field that began at buf offset `fstart`;
 * -1 with the error set for a NUL byte or a field over CSV_MAX_FIELD. */
static int add_field_char(csv_reader_t *r, char c, size_t fstart)
{
    if (c == '\0') {
        set_err(r, "a field contains a NUL byte");
        return -1;
    }
    str_addc(&r->buf, c);
    if (r->buf.len - fstart > CSV_MAX_FIELD) {
        set_err(r, "a field is too long");
        return -1;
    }
    return 0;
}
/* Picks the separator from the first line: the most frequent of ; , TAB
 * outside quotes. */
static char detect_delim(const char *p, const char *end)
{
    size_t semi = 0, comma = 0, tab = 0;
    bool q = false;
    for (; p < end; p++) {
        if (*p == '"') q = !q;
        else if (!q && (*p == '\n' || *p == '\r')) break;
        else if (!q && *p == ';') semi++;
        else if (!q && *p == ',') comma++;
        else if (!q && *p == '\t') tab++;
    }
    if (semi > comma && semi >= tab) return ';';
    if (tab > comma && tab > semi) return '\t';
    return ',';
}

void csv_reader_init(csv_reader_t *r, const char *data, size_t len, char delim)
{
    memset(r, 0, sizeof *r);
    r->p = data ? data : "";
    r->end = r->p + (data ? len : 0);
    if (r->end - r->p >= 3 && memcmp(r->p, "\xEF\xBB\xBF", 3) == 0) r->p += 3;
    r->delim = delim ? delim : detect_delim(r->p, r->end);
    r->line = r->next_line = 1;
}

void csv_reader_release(csv_reader_t *r)
{
    str_release(&r->buf);
    free(r->offs);
    r->offs = NULL;
    r->nfields = r->cap = 0;
}

static int start_field(csv_reader_t *r)
{
    if (r->nfields == CSV_MAX_FIELDS) {
        set_err(r, "too many fields in a record");
        return -1;
    }
    if (r->nfields == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        size_t *o = realloc(r->offs, cap * sizeof *o);
        if (!o) abort();
        r->offs = o;
        r->cap = cap;
    }
    r->offs[r->nfields++] = r->buf.len;
    return 0;
}

static int end_field(csv_reader_t *r, size_t start)
{
    if (r->buf.len - start > CSV_MAX_FIELD) {
        set_err(r, "a field is too long");
        return -1;
    }
    str_addc(&r->buf, '\0');
    return 0;
}

/* True when the rest of the line from p is blank (spaces/tabs only, the
 * separator excluded: a line of separators is a record of empty fields). */
static bool blank_line(const char *p, const char *end, char delim)
{
    for (; p < end && *p != '\n' && *p != '\r'; p++)
        if ((*p != ' ' && *p != '\t') || *p == delim) return false;
    return true;
}

static const char *skip_eol(const char *p, const char *end)
{
    if (p < end && *p == '\r') p++;
    if (p < end && *p == '\n') p++;
    return p;
}

int csv_read(csv_reader_t *r)
{
    const char *p = r->p, *end = r->end;
    size_t line = r->next_line;
    /* Skip blank lines (but a line holding only the separator is a record). */
    while (p < end && blank_line(p, end, r->delim)) {
        const char *q = p;
        while (q < end && *q != '\n' && *q != '\r') q++;
        if (q >= end) {
            p = end;
            break;
        }
        p = skip_eol(q, end);
        line++;
    }
    r->line = line;
    if (p >= end) {
        r->p = p;
        r->next_line = line;
        return 0;
    }
    str_reset(&r->buf);
    r->nfields = 0;
    for (;;) {
        if (start_field(r) < 0) return -1;
        size_t fstart = r->buf.len;
        if (p < end && *p == '"') {
            p++;
            for (;;) {
                if (p >= end) {
                    set_err(r, "a quoted field is not closed");
                    return -1;
                }
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        str_addc(&r->buf, '"');
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (*p == '\n') line++;
                else if (*p == '\r' && !(p + 1 < end && p[1] == '\n')) line++;
                if (add_field_char(r, *p++, fstart) < 0) return -1;
            }
            /* After the closing quote: separator, end of line or end of input
             * (spaces are tolerated, as spreadsheets write them). */
            while (p < end && *p == ' ') p++;
            if (p < end && *p != r->delim && *p != '\n' && *p != '\r') {
                set_err(r, "unexpected text after a closing quote");
                return -1;
            }
        } else {
            while (p < end && *p != r->delim && *p != '\n' && *p != '\r') {
                if (*p == '"') {
                    set_err(r, "a quote inside an unquoted field");
                    return -1;
                }
                if (add_field_char(r, *p++, fstart) < 0) return -1;
            }
        }
        if (end_field(r, fstart) < 0) return -1;
        if (p < end && *p == r->delim) {
            p++;
            continue;
        }
        break;
    }
    if (p < end) {
        p = skip_eol(p, end);
        line++;
    }
    r->p = p;
    r->next_line = line;
    r->record++;
    return 1;
}

size_t csv_nfields(const csv_reader_t *r)
{
    return r->nfields;
}

const char *csv_field(const csv_reader_t *r, size_t i)
{
    if (i >= r->nfields) return "";
    return r->buf.buf + r->offs[i];
}

void csv_add_field(str_t *out, const char *s, size_t n, char delim, unsigned flags)
{
    if (!s) return;
    bool guard = !(flags & CSV_RAW) && n > 0 && strchr("=+-@\t\r", s[0]) != NULL;
    /* A leading byte order mark is quoted so that a reader keeps it as data. */
    bool quote = guard || (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')) || (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0);
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = true;
    if (!quote) {
        str_add(out, s, n);
        return;
    }
    str_addc(out, '"');
    if (guard) str_addc(out, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') str_addc(out, '"');
        str_addc(out, s[i]);
    }
    str_addc(out, '"');
}

void csv_add_row(str_t *out, const char *const *fields, size_t n, char delim, unsigned flags)
{
    for (size_t i = 0; i < n; i++) {
        if (i) str_addc(out, delim);
        if (fields[i]) csv_add_field(out, fields[i], strlen(fields[i]), delim, flags);
    }
    str_add(out, "\r\n", 2);
}

/* str.h — growable byte buffer (in the spirit of git's strbuf: struct S with
 * S_init / S_release, API documented here).
 *
 * The buffer is always NUL-terminated (buf[len] == 0) once anything was added;
 * an empty str_t has buf == NULL — use str_cstr() to read it as a C string.
 * Allocation failure aborts the process. */
#ifndef LI_STR_H
#define LI_STR_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct str {
    char *buf;
    size_t len, cap;
} str_t;

#define STR_INIT {NULL, 0, 0}

void str_init(str_t *s);
/* Frees the memory and leaves `s` empty and reusable. */
void str_release(str_t *s);
/* Empties the buffer, keeping its memory. */
void str_reset(str_t *s);
/* Makes room for `extra` more bytes. */
void str_grow(str_t *s, size_t extra);
void str_add(str_t *s, const void *data, size_t n);
void str_adds(str_t *s, const char *cstr);
void str_addc(str_t *s, char c);
void str_addf(str_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void str_vaddf(str_t *s, const char *fmt, va_list ap);
/* Appends `n` bytes escaped for HTML text and attribute values (&<>"' and `). */
void str_add_html(str_t *s, const char *data, size_t n);
/* Appends `cstr` percent-encoded for a URL query component (RFC 3986 unreserved kept). */
void str_add_urlenc(str_t *s, const char *cstr);
/* Returns the contents as a C string ("" when empty); valid until the next change. */
const char *str_cstr(const str_t *s);
/* Hands the buffer to the caller (who frees it); `s` becomes empty. */
char *str_detach(str_t *s, size_t *len);

/* Decodes %XX and '+' (as space when `plus_is_space`) in place; returns the new
 * length, or -1 on a malformed escape or a decoded NUL byte. */
/* FNV-1a hash of a C string (for the hash tables of catalogues, templates
 * and statement caches). */
uint64_t str_hash(const char *s);
/* Appends the whole file at `path` to `out`: 0, or -1 when it cannot be
 * opened or read (what was read stays appended). */
int str_read_file(str_t *out, const char *path);
/* Whether `s` is one of the strings of `list` (ends with NULL); false for a NULL `s`. */
bool str_in_list(const char *const *list, const char *s);
/* Writes "prefix" then the formatted message into errbuf (when there is
 * one: errbuf may be NULL or errlen 0). Returns -1, for parsers that report
 * "where: what" and fail in one statement. */
int str_errf(char *errbuf, size_t errlen, const char *prefix, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int str_verrf(char *errbuf, size_t errlen, const char *prefix, const char *fmt, va_list ap);

long url_decode(char *s, size_t n, int plus_is_space);

#endif

/* str.c — growable buffer and the two escapers every output path uses. */
#include "str.h"
#include "log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void str_init(str_t *s)
{
    s->buf = NULL;
    s->len = s->cap = 0;
}

void str_release(str_t *s)
{
    free(s->buf);
    str_init(s);
}

void str_reset(str_t *s)
{
    s->len = 0;
    if (s->buf) s->buf[0] = '\0';
}

void str_grow(str_t *s, size_t extra)
{
    if (s->len + extra + 1 <= s->cap) return;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < s->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) log_fatal("str overflow");
        cap *= 2;
    }
    char *p = realloc(s->buf, cap);
    if (!p) log_fatal("out of memory (str of %zu bytes)", cap);
    s->buf = p;
    s->cap = cap;
}

void str_add(str_t *s, const void *data, size_t n)
{
    str_grow(s, n);
    if (n) memcpy(s->buf + s->len, data, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

void str_adds(str_t *s, const char *cstr)
{
    str_add(s, cstr, strlen(cstr));
}

void str_addc(str_t *s, char c)
{
    str_add(s, &c, 1);
}

void str_vaddf(str_t *s, const char *fmt, va_list ap)
{
    /* Also keeps GCC's -Wformat-truncation quiet under -fsanitize=undefined. */
    if (!fmt) return;
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n <= 0) return;
    str_grow(s, (size_t)n);
    vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
    s->len += (size_t)n;
}

void str_addf(str_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    str_vaddf(s, fmt, ap);
    va_end(ap);
}

void str_add_html(str_t *s, const char *data, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (data[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '`': rep = "&#96;"; break;
        default: continue;
        }
        str_add(s, data + start, i - start);
        str_adds(s, rep);
        start = i + 1;
    }
    str_add(s, data + start, n - start);
}

void str_add_urlenc(str_t *s, const char *cstr)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)cstr; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            str_addc(s, (char)c);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            str_add(s, esc, 3);
        }
    }
}

const char *str_cstr(const str_t *s)
{
    return s->buf ? s->buf : "";
}

char *str_detach(str_t *s, size_t *len)
{
    if (!s->buf) str_grow(s, 0), s->buf[0] = '\0';
    char *p = s->buf;
    if (len) *len = s->len;
    str_init(s);
    return p;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long url_decode(char *s, size_t n, int plus_is_space)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n) return -1;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0) return -1;
            c = (char)(hi * 16 + lo);
            if (c == '\0') return -1;
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        s[o++] = c;
    }
    s[o] = '\0';
    return (long)o;
}

uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

int str_verrf(char *errbuf, size_t errlen, const char *prefix, const char *fmt, va_list ap)
{
    if (!errbuf || !errlen) return -1;
    int n = snprintf(errbuf, errlen, "%s", prefix ? prefix : "");
    if (n >= 0 && (size_t)n < errlen) vsnprintf(errbuf + n, errlen - (size_t)n, fmt, ap);
    return -1;
}

int str_errf(char *errbuf, size_t errlen, const char *prefix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    str_verrf(errbuf, errlen, prefix, fmt, ap);
    va_end(ap);
    return -1;
}

int str_read_file(str_t *out, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) str_add(out, buf, n);
    int rc = ferror(f) ? -1 : 0;
    fclose(f);
    return rc;
}

bool str_in_list(const char *const *list, const char *s)
{
    for (; s && *list; list++)
        if (strcmp(*list, s) == 0) return true;
    return false;
}

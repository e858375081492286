/* mail.c — RFC 5322 message formatting and SMTP delivery through libcurl
 * (TLS required except to a loopback relay). */
#include "mail.h"
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int mail_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

int mail_address_ok(const char *a)
{
    if (!a) return 0;
    size_t n = strlen(a);
    const char *at = strchr(a, '@');
    if (n < 3 || n > 254 || !at || at == a || !at[1] || strchr(at + 1, '@')) return 0;
    for (const char *p = a; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';' || *p == '"' || *p == 0x7f)
            return 0;
    return 1;
}

/* Appends data[0..n) base64-encoded in lines of 76 characters. */
static void add_base64_bytes(str_t *out, const char *text, size_t n)
{
    for (size_t off = 0; off < n || off == 0; off += 57) {
        size_t chunk = n - off < 57 ? n - off : 57;
        char b64[80];
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)text + off, chunk, sodium_base64_VARIANT_ORIGINAL);
        str_adds(out, b64);
        str_adds(out, "\r\n");
        if (n == 0) break;
    }
}

/* Appends `text` base64-encoded in lines of 76 characters. */
static void add_base64_lines(str_t *out, const char *text)
{
    add_base64_bytes(out, text, strlen(text));
}

/* True for a header parameter we may write as is: printable ASCII, no quote,
 * backslash or line break, 1..200 bytes. */
static int header_param_ok(const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if (n == 0 || n > 200) return 0;
    for (; *v; v++)
        if ((unsigned char)*v < ' ' || (unsigned char)*v > '~' || *v == '"' || *v == '\\') return 0;
    return 1;
}

int mail_format(str_t *out, const char *from, const char *to, const char *subject, const char *body)
{
    return mail_format_with(out, from, to, subject, body, NULL);
}

int mail_format_with(str_t *out, const char *from, const char *to, const char *subject, const char *body,
                     const mail_attachment_t *att)
{
    if (att && (!header_param_ok(att->content_type) || !header_param_ok(att->filename) || !att->data)) return -1;
    if (!mail_address_ok(from) || !mail_address_ok(to) || !subject || strpbrk(subject, "\r\n")) return -1;
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    unsigned char rnd[12];
    char id[25];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
    const char *domain = strchr(from, '@') + 1;
    str_addf(out, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s@%s>\r\n", date, from, to, id, domain);
    /* Subject as an RFC 2047 encoded word, so any language travels safely. */
    size_t sl = strlen(subject);
    char *b64 = malloc(sodium_base64_ENCODED_LEN(sl, sodium_base64_VARIANT_ORIGINAL));
    if (!b64) return -1;
    sodium_bin2base64(b64, sodium_base64_ENCODED_LEN(sl, sodium_base64_VARIANT_ORIGINAL), (const unsigned char *)subject,
                      sl, sodium_base64_VARIANT_ORIGINAL);
    str_addf(out, "Subject: =?UTF-8?B?%s?=\r\n", b64);
    free(b64);
    if (!att) {
        str_adds(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n");
        add_base64_lines(out, body ? body : "");
        return 0;
    }
    /* The boundary: random hex, which base64 lines can never contain with "=_". */
    char boundary[40];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
    snprintf(boundary, sizeof boundary, "=_li_%s", id);
    str_addf(out, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"%s\"\r\n"
                  "Auto-Submitted: auto-generated\r\n\r\n", boundary);
    str_addf(out, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
             boundary);
    add_base64_lines(out, body ? body : "");
    str_addf(out, "--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n"
                  "Content-Disposition: attachment; filename=\"%s\"\r\n\r\n",
             boundary, att->content_type, att->filename, att->filename);
    add_base64_bytes(out, att->data, att->len);
    str_addf(out, "--%s--\r\n", boundary);
    return 0;
}

/* Copies the host of `url` (scheme://[user@]host[:port][/...], IPv6 in
 * brackets) into out; "" when there is none. */
static void url_host(const char *url, char *out, size_t len)
{
    out[0] = '\0';
    const char *p = url ? strstr(url, "://") : NULL;
    if (!p) return;
    p += 3;
    const char *end = p + strcspn(p, "/?#");
    const char *at = memchr(p, '@', (size_t)(end - p));
    if (at) p = at + 1;
    const char *stop;
    if (*p == '[') {
        p++;
        stop = memchr(p, ']', (size_t)(end - p));
        if (!stop) return;
    } else {
        stop = memchr(p, ':', (size_t)(end - p));
        if (!stop) stop = end;
    }
    snprintf(out, len, "%.*s", (int)(stop - p), p);
}

int mail_tls_required(const char *url)
{
    char host[256];
    url_host(url, host, sizeof host);
    struct in_addr a4;
    struct in6_addr a6;
    if (strcasecmp(host, "localhost") == 0) return 0;
    if (inet_pton(AF_INET, host, &a4) == 1) return (ntohl(a4.s_addr) >> 24) != 127;
    if (inet_pton(AF_INET6, host, &a6) == 1) return !IN6_IS_ADDR_LOOPBACK(&a6);
    return 1;
}

typedef struct upload {
    const char *data;
    size_t len, off;
} upload_t;

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ud)
{
    upload_t *u = ud;
    size_t room = size * nmemb, left = u->len - u->off;
    size_t n = left < room ? left : room;
    memcpy(buf, u->data + u->off, n);
    u->off += n;
    return n;
}

int mail_send(const mail_config_t *cfg, const char *to, const char *subject, const char *body,
              const mail_attachment_t *att, char *err, size_t errlen)
{
    str_t msg = STR_INIT;
    if (mail_format_with(&msg, cfg->from, to, subject, body, att) != 0) {
        snprintf(err, errlen, "invalid address or subject");
        str_release(&msg);
        return -1;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "curl init failed");
        str_release(&msg);
        return -1;
    }
    char from[300], rcpt[300];
    snprintf(from, sizeof from, "<%s>", cfg->from);
    snprintf(rcpt, sizeof rcpt, "<%s>", to);
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    upload_t up = {msg.buf, msg.len, 0};
    curl_easy_setopt(c, CURLOPT_URL, cfg->url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    /* A remote relay without TLS would see the messages in clear: refuse it. */
    curl_easy_setopt(c, CURLOPT_USE_SSL, mail_tls_required(cfg->url) ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, cfg->timeout_sec > 0 ? cfg->timeout_sec : 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (cfg->user && *cfg->user) curl_easy_setopt(c, CURLOPT_USERNAME, cfg->user);
    if (cfg->password && *cfg->password) curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password);
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK) snprintf(err, errlen, "smtp: %s (status %ld)", curl_easy_strerror(rc), code);
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(c);
    str_release(&msg);
    return rc == CURLE_OK ? 0 : -1;
}

/* mail.h — sending one plain-text UTF-8 e-mail by SMTP with libcurl,
 * optionally with one attachment (an invitation's iCalendar file).
 * Refuses header injection (CR or LF in an address or subject). Never logs
 * addresses or bodies. */
#ifndef LI_MAIL_H
#define LI_MAIL_H
#include "str.h"
#include <stddef.h>

typedef struct mail_config {
    const char *url;      /* smtp://host:port or smtps://host:port */
    const char *user;     /* optional */
    const char *password; /* optional */
    const char *from;     /* sender address */
    long timeout_sec;     /* whole transfer; default 30 */
} mail_config_t;

/* Initialises libcurl once, before any thread starts. 0 or -1. */
int mail_init(void);
/* Builds the RFC 5322 message (headers, base64 UTF-8 body) into `out`.
 * Returns 0, or -1 when an address or the subject is not acceptable. */
int mail_format(str_t *out, const char *from, const char *to, const char *subject, const char *body);
/* One attachment: sent as the second part of a multipart/mixed message,
 * base64. content_type and filename: printable ASCII without quotes,
 * backslashes or CR/LF (else the message is refused). */
typedef struct mail_attachment {
    const char *content_type; /* "text/calendar; charset=UTF-8; method=REQUEST" */
    const char *filename;     /* "invito.ics" */
    const char *data;
    size_t len;
} mail_attachment_t;

/* mail_format with an attachment (NULL: exactly mail_format's message):
 * multipart/mixed, the text first. 0 or -1. */
int mail_format_with(str_t *out, const char *from, const char *to, const char *subject, const char *body,
                     const mail_attachment_t *att);
/* Sends one message, with an attachment (NULL: none). 0, or -1 with a short
 * reason (SMTP status, no addresses) in err. */
int mail_send(const mail_config_t *cfg, const char *to, const char *subject, const char *body,
              const mail_attachment_t *att, char *err, size_t errlen);
/* True when a relay at `url` must be reached over TLS (STARTTLS or smtps),
 * refusing to send otherwise: every host but a loopback one (127.0.0.0/8,
 * ::1, localhost), where a local relay may speak plain SMTP. */
int mail_tls_required(const char *url);
/* True for a plausible single address: local@domain, no spaces, no CR/LF, <= 254 bytes. */
int mail_address_ok(const char *addr);

#endif

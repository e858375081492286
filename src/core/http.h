/* http.h — the HTTP server: libmicrohttpd with an epoll thread pool.
 *
 * The server reads a whole request (headers and a body capped at max_body,
 * or at the lower cap body_limit gives that request: counted while it
 * arrives, never buffered beyond the cap), parses an
 * application/x-www-form-urlencoded body once into the arena (at most
 * HTTP_MAX_FORM_FIELDS fields, 413 beyond) — or a multipart/form-data body
 * as it arrives, with libmicrohttpd's MHD_PostProcessor, into the same
 * fields plus at most one file part (the raw body is then not kept: the
 * file's bytes are held once) — gives it to one handler with a
 * fresh arena, sends what the
 * handler put in the response with the security headers added, logs one line
 * (request id, method, route pattern, status, time — never the query string
 * or body, which may hold personal data) and frees the arena.
 *
 * It knows nothing of routes, sessions or databases: that is the app layer's. */
#ifndef LI_HTTP_H
#define LI_HTTP_H
#include "arena.h"
#include "str.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_PARAMS 8
#define HTTP_MAX_RES_HEADERS 16
#define HTTP_MAX_FORM_FIELDS 256

/* One field of an urlencoded form, decoded. */
typedef struct http_field {
    const char *name;
    const char *value; /* NULL when its encoding is malformed */
} http_field_t;

/* The one file part of a multipart form. */
typedef struct http_file {
    const char *field;        /* the form field's name */
    const char *filename;     /* as the browser sent it (may be ""); not cleaned */
    const char *content_type; /* the client's word (NULL when absent): sniff the bytes */
    const char *data;         /* len bytes, NUL-terminated */
    size_t len;
} http_file_t;

struct MHD_Connection;

typedef struct http_req {
    arena_t *arena;
    const char *method;    /* "GET", "POST", ...; HEAD is given as "GET" with is_head */
    bool is_head;
    const char *path;      /* decoded path, without the query string */
    const char *body;      /* NUL-terminated; body_len bytes */
    size_t body_len;
    const http_field_t *form; /* the urlencoded body's fields, in order (NULL: not a form) */
    int nform;
    const http_file_t *file;  /* the multipart form's file part (NULL: none) */
    /* The body went beyond the request's cap: it was discarded (body, form
     * and file are empty) and the handler is told so to answer 413. */
    bool too_large;
    char request_id[17];
    char client_ip[64];
    bool loopback;         /* the peer (or trusted proxy's client) is 127.0.0.0/8 or ::1 */
    bool secure;           /* TLS, as told by a trusted proxy (X-Forwarded-Proto) */
    struct MHD_Connection *conn;
    /* Filled by the router. */
    const char *route;     /* the matched pattern, for logs and metrics ("-" if none) */
    const char *param_names[HTTP_MAX_PARAMS];
    const char *param_values[HTTP_MAX_PARAMS];
    int nparams;
    void *app;             /* the application's per-request state */
} http_req_t;

typedef struct http_res {
    int status;
    str_t body;                  /* owned; freed by the server */
    const void *static_body;     /* alternative: bytes that outlive the request (not freed) */
    size_t static_len;
    bool has_file;               /* alternative: the open file `file_fd` is the body, sent from */
    int file_fd;                 /*   `file_from` to its end, then closed (http_res_file) */
    int64_t file_from;
    const char *content_type;    /* default "text/plain; charset=utf-8" */
    const char *cache_control;   /* default "no-store" */
    const char *hdr_names[HTTP_MAX_RES_HEADERS];
    const char *hdr_values[HTTP_MAX_RES_HEADERS];
    int nheaders;
} http_res_t;

/* Called once per request after its body arrived. When req->too_large the
 * body was refused (the handler answers 413; nothing of it was kept). A
 * malformed multipart body (400) or too many form fields (413) are answered
 * by the server without calling it. */
typedef void (*http_handler_fn)(http_req_t *req, http_res_t *res, void *ctx);
/* The body cap of one request, decided from its method, path and headers
 * before its body is read (e.g. lower for a visitor without a session). */
typedef size_t (*http_body_limit_fn)(http_req_t *req, void *ctx);

typedef struct http_config {
    const char *host;      /* "127.0.0.1" */
    int port;              /* 0 picks a free port (see http_port) */
    unsigned threads;      /* worker threads; 0 = number of cores */
    size_t max_body;       /* bytes; default 1 MiB */
    size_t header_memory;  /* per-connection buffer for headers; default 32 KiB */
    unsigned max_conns;    /* default 1024 */
    unsigned per_ip_conns; /* default 64; none with trust_proxy (the proxy limits clients) */
    unsigned timeout_sec;  /* idle connection timeout; default 30 */
    bool trust_proxy;      /* take client address and scheme from X-Real-IP / X-Forwarded-Proto */
    http_body_limit_fn body_limit; /* optional; its answer is capped at max_body */
} http_config_t;

typedef struct http_server http_server_t;

/* Starts serving. NULL with a message when the address cannot be bound. */
http_server_t *http_start(const http_config_t *cfg, http_handler_fn handler, void *ctx,
                          char *errbuf, size_t errlen);
/* The port actually bound. */
int http_port(const http_server_t *s);
/* Graceful stop: stops accepting, lets in-flight requests finish (up to
 * `grace_sec`), then closes every connection and frees the server. */
void http_stop(http_server_t *s, int grace_sec);

/* Request accessors (NULL when absent). Names are case-insensitive for headers. */
const char *http_header(const http_req_t *req, const char *name);
const char *http_query(const http_req_t *req, const char *name);
const char *http_cookie(const http_req_t *req, const char *name);
const char *http_param(const http_req_t *req, const char *name);
/* The first field `name` of the request's urlencoded form (decoded), NULL if
 * absent or malformed. A lookup in the fields parsed once: no rescanning. */
const char *http_form(const http_req_t *req, const char *name);
/* The multipart form's file part, NULL when there is none. */
const http_file_t *http_form_file(const http_req_t *req);
/* Splits and decodes an urlencoded body (`len` bytes) into fields copied
 * into `a` ('+' is a space; empty segments are skipped; a field whose name is
 * malformed is dropped, one whose value is malformed keeps a NULL value).
 * Returns the number of fields with *out set, or -1 when there are more
 * than `max` (nothing is allocated then). */
int http_form_parse(arena_t *a, const char *body, size_t len, int max, http_field_t **out);

/* Adds a response header (name and value must outlive the request: use the arena). */
void http_res_header(http_res_t *res, const char *name, const char *value);
/* Makes the open file `fd` the body, from its current offset to its end
 * (what `body` still holds is appended to it first); the server sends it
 * and closes it. For answers too large to hold
 * in memory (an export of a whole district). */
void http_res_file(http_res_t *res, int fd);
/* Moves what `body` holds to the end of a private temporary file (unlinked
 * at once) that becomes the body: call it as a long answer grows, so it is
 * never held in memory whole. 0, or -1 when no file can be written. */
int http_res_spill(http_res_t *res);
/* Empties the body, and closes the file one had become (an error answer
 * replaces a half-written export). */
void http_res_reset(http_res_t *res);
/* Sets status, content type and body (copied). */
void http_res_text(http_res_t *res, int status, const char *content_type, const char *body, size_t len);

/* A random request id (16 hex characters) into out[17]. */
void http_new_request_id(char out[17]);

#endif

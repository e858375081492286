/* http.c — libmicrohttpd glue: request assembly with limits, response with
 * security headers, access log line, graceful stop.
 *
 * Never log a query string, a body, a cookie or a header value: they may hold
 * personal data or secrets. Never keep a request's memory past its completion. */
#include "http.h"
#include "log.h"
#include "metrics.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

struct http_server {
    struct MHD_Daemon *daemon;
    http_handler_fn handler;
    void *ctx;
    http_config_t cfg;
    atomic_int in_flight;
    int port;
};

/* Per-request state kept by MHD between callbacks. */
typedef struct conn_state {
    http_req_t req;
    str_t body;
    size_t max_body;  /* this request's cap */
    size_t received;  /* body bytes seen so far (kept or not) */
    size_t declared;  /* Content-Length, when sent */
    bool too_large;
    struct timespec start;
    http_server_t *srv;
    /* multipart/form-data: parsed as it arrives, the raw body not kept. */
    struct MHD_PostProcessor *pp;
    bool multipart;
    const char *form_error;  /* why the multipart body was refused (400), NULL while fine */
    bool form_overflow;      /* more than HTTP_MAX_FORM_FIELDS fields (413) */
    http_field_t *fields;    /* in the arena, HTTP_MAX_FORM_FIELDS slots */
    int nfields;
    str_t value;             /* the text field being received */
    bool in_field;
    http_file_t file;        /* the file part; its bytes in file_data */
    str_t file_data;
    bool has_file, in_file;
    const char *part_key;    /* the current part's name (arena), NULL before the first */
    size_t part_bytes;       /* bytes of the current part so far */
} conn_state_t;

static const char CSP[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

void http_new_request_id(char out[17])
{
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, 17, raw, sizeof raw);
}

const char *http_header(const http_req_t *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_query(const http_req_t *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_cookie(const http_req_t *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *http_param(const http_req_t *req, const char *name)
{
    for (int i = 0; i < req->nparams; i++)
        if (strcmp(req->param_names[i], name) == 0) return req->param_values[i];
    return NULL;
}

/* True when the request's body is an urlencoded form. */
static bool is_form(const http_req_t *req)
{
    const char *ct = http_header(req, "Content-Type");
    return ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0 &&
           (ct[33] == '\0' || ct[33] == ';' || ct[33] == ' ');
}

const char *http_form(const http_req_t *req, const char *name)
{
    for (int i = 0; i < req->nform; i++)
        if (strcmp(req->form[i].name, name) == 0) return req->form[i].value;
    return NULL;
}

const http_file_t *http_form_file(const http_req_t *req)
{
    return req->file;
}

/* True when the request's body is a multipart form. */
static bool is_multipart(const http_req_t *req)
{
    const char *ct = http_header(req, "Content-Type");
    return ct && strncasecmp(ct, "multipart/form-data", 19) == 0 && (ct[19] == '\0' || ct[19] == ';' || ct[19] == ' ');
}

/* ---- multipart/form-data (MHD_PostProcessor) ------------------------------------- */

/* Closes the text field being received: its value goes into the arena. */
static void end_field(conn_state_t *cs)
{
    if (cs->in_field) {
        cs->fields[cs->nfields - 1].value = arena_strndup(cs->req.arena, str_cstr(&cs->value), cs->value.len);
        str_reset(&cs->value);
    }
    cs->in_field = cs->in_file = false;
}

/* The bytes of a new part: a text field, or the one file part (a part
 * with a filename). A second file part or too many fields stop the parse. */
static bool begin_part(conn_state_t *cs, const char *key, const char *filename, const char *ctype)
{
    end_field(cs);
    arena_t *a = cs->req.arena;
    if (filename) {
        if (cs->has_file) {
            cs->form_error = "A form takes one file.";
            return false;
        }
        cs->has_file = cs->in_file = true;
        cs->file.field = arena_strdup(a, key ? key : "");
        cs->file.filename = arena_strdup(a, filename);
        cs->file.content_type = ctype ? arena_strdup(a, ctype) : NULL;
        /* One allocation of the announced size: no regrowth copies of a large file. */
        if (cs->declared) str_grow(&cs->file_data, cs->declared < cs->max_body ? cs->declared : cs->max_body);
        cs->part_key = cs->file.field;
        return true;
    }
    if (cs->nfields >= HTTP_MAX_FORM_FIELDS) {
        cs->form_overflow = true;
        return false;
    }
    cs->fields[cs->nfields++] = (http_field_t){arena_strdup(a, key ? key : ""), NULL};
    cs->part_key = cs->fields[cs->nfields - 1].name;
    cs->in_field = true;
    return true;
}

/* True when a chunk at offset 0 opens a new part. MHD may first report a
 * part with no bytes yet and then its first bytes, both at offset 0: a
 * chunk at 0 continues the current part while that part has no byte and
 * has the same name and kind (two consecutive parts of one name, the first
 * empty, are then read as one: the second's value). */
static bool new_part(const conn_state_t *cs, const char *key, const char *filename)
{
    if (!cs->part_key || cs->part_bytes) return true;
    if (strcmp(cs->part_key, key ? key : "") != 0) return true;
    return (filename != NULL) != cs->in_file;
}

/* MHD_PostIterator: one chunk of one part (off 0 starts a part). */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *content_type, const char *transfer_encoding, const char *data,
                               uint64_t off, size_t size)
{
    (void)kind;
    (void)transfer_encoding;
    conn_state_t *cs = cls;
    if (off == 0 && new_part(cs, key, filename)) {
        if (!begin_part(cs, key, filename, content_type)) return MHD_NO;
        cs->part_bytes = 0;
    }
    cs->part_bytes += size;
    if (!size) return MHD_YES;
    str_add(cs->in_file ? &cs->file_data : &cs->value, data, size);
    return MHD_YES;
}

/* Starts the multipart parse of a request (before its body). False when the
 * Content-Type gives no usable boundary. */
static bool multipart_begin(conn_state_t *cs)
{
    cs->multipart = true;
    cs->fields = arena_alloc(cs->req.arena, HTTP_MAX_FORM_FIELDS * sizeof *cs->fields);
    cs->pp = MHD_create_post_processor(cs->req.conn, 16 * 1024, on_part, cs);
    if (!cs->pp) cs->form_error = "The multipart form has no boundary.";
    return cs->pp != NULL;
}

/* Ends the multipart parse: the fields and the file into the request. */
static void multipart_end(conn_state_t *cs)
{
    if (cs->pp) {
        bool clean = MHD_destroy_post_processor(cs->pp) == MHD_YES;
        cs->pp = NULL;
        if (!clean && !cs->form_error && !cs->form_overflow) cs->form_error = "The multipart form is malformed.";
    }
    end_field(cs);
    /* RFC 2046: a multipart body holds at least one part; none means the
     * boundary of the header was not the body's. */
    if (!cs->form_error && !cs->form_overflow && !cs->nfields && !cs->has_file)
        cs->form_error = "The multipart form has no part with its boundary.";
    cs->req.form = cs->fields;
    cs->req.nform = cs->nfields;
    if (cs->has_file && (cs->file_data.len || cs->file.filename[0])) {
        cs->file.data = str_cstr(&cs->file_data);
        cs->file.len = cs->file_data.len;
        cs->req.file = &cs->file;
    }
}

/* The number of non-empty '&'-separated segments of body[0..len). */
static size_t count_segments(const char *body, size_t len)
{
    size_t n = 0;
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if (stop > p) n++;
        p = stop + 1;
    }
    return n;
}

int http_form_parse(arena_t *a, const char *body, size_t len, int max, http_field_t **out)
{
    *out = NULL;
    if (!body || !len) return 0;
    size_t want = count_segments(body, len);
    if (want > (size_t)max) return -1;
    http_field_t *fields = arena_alloc(a, want * sizeof *fields);
    char *copy = arena_strndup(a, body, len); /* decoded in place, piece by piece */
    int n = 0;
    char *p = copy, *end = copy + len;
    while (p < end) {
        char *amp = memchr(p, '&', (size_t)(end - p));
        char *stop = amp ? amp : end;
        *stop = '\0';
        char *eq = memchr(p, '=', (size_t)(stop - p));
        if (eq) *eq = '\0';
        char *value = eq ? eq + 1 : stop;
        if (stop > p && url_decode(p, strlen(p), 1) >= 0) {
            fields[n].name = p;
            fields[n].value = url_decode(value, strlen(value), 1) < 0 ? NULL : value;
            n++;
        }
        p = stop + 1;
    }
    *out = fields;
    return n;
}

/* Writes all of `len` bytes to `fd`: 0 or -1. */
static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t k = write(fd, p, len);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        len -= (size_t)k;
    }
    return 0;
}

void http_res_file(http_res_t *res, int fd)
{
    if (res->has_file) close(res->file_fd);
    res->has_file = true;
    res->file_fd = fd;
    off_t at = lseek(fd, 0, SEEK_CUR);
    res->file_from = at > 0 ? (int64_t)at : 0;
}

void http_res_reset(http_res_t *res)
{
    if (res->has_file) close(res->file_fd);
    res->has_file = false;
    str_reset(&res->body);
}

int http_res_spill(http_res_t *res)
{
    if (!res->has_file) {
        const char *tmp = getenv("TMPDIR");
        char path[1024];
        snprintf(path, sizeof path, "%s/labimpact-body-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        mode_t old = umask(077);
        int fd = mkstemp(path);
        umask(old);
        if (fd < 0) return -1;
        unlink(path);
        http_res_file(res, fd);
    }
    int rc = write_all(res->file_fd, str_cstr(&res->body), res->body.len);
    str_reset(&res->body);
    return rc;
}

void http_res_header(http_res_t *res, const char *name, const char *value)
{
    if (res->nheaders >= HTTP_MAX_RES_HEADERS) {
        log_warn("too many response headers; %s dropped", name);
        return;
    }
    res->hdr_names[res->nheaders] = name;
    res->hdr_values[res->nheaders] = value;
    res->nheaders++;
}

void http_res_text(http_res_t *res, int status, const char *content_type, const char *body, size_t len)
{
    res->status = status;
    res->content_type = content_type;
    str_reset(&res->body);
    str_add(&res->body, body, len);
}

/* Fills client_ip and loopback from the socket (or the trusted proxy's header). */
static void set_client(http_server_t *srv, http_req_t *req)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    strcpy(req->client_ip, "unknown");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET) {
            const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
            inet_ntop(AF_INET, &in->sin_addr, req->client_ip, sizeof req->client_ip);
        } else if (sa->sa_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
            inet_ntop(AF_INET6, &in6->sin6_addr, req->client_ip, sizeof req->client_ip);
        }
    }
    if (srv->cfg.trust_proxy) {
        const char *real = http_header(req, "X-Real-IP");
        if (real && strlen(real) < sizeof req->client_ip) strcpy(req->client_ip, real);
        const char *proto = http_header(req, "X-Forwarded-Proto");
        req->secure = proto && strcasecmp(proto, "https") == 0;
    }
    req->loopback = strncmp(req->client_ip, "127.", 4) == 0 || strcmp(req->client_ip, "::1") == 0 ||
                    strncmp(req->client_ip, "::ffff:127.", 11) == 0;
}

/* The headers every answer carries. */
static const char *const security_headers[][2] = {
    {"Content-Security-Policy", CSP},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "same-origin"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
};

static void add_security_headers(struct MHD_Response *r, const http_req_t *req)
{
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
    if (req->secure)
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    MHD_add_response_header(r, "X-Request-Id", req->request_id);
}

static double elapsed_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Sends `res` and logs the request. */
static enum MHD_Result send_response(conn_state_t *cs, http_res_t *res)
{
    http_req_t *req = &cs->req;
    struct MHD_Response *r;
    struct stat fst;
    if (res->has_file && res->body.len && http_res_spill(res) != 0) res->status = 500;
    if (res->has_file) { /* sent from file_from to its end; libmicrohttpd closes it */
        int64_t at = res->file_from;
        r = fstat(res->file_fd, &fst) == 0 && fst.st_size >= at
                ? MHD_create_response_from_fd_at_offset64((uint64_t)(fst.st_size - at), res->file_fd, (uint64_t)at)
                : NULL;
        if (!r) close(res->file_fd);
        res->has_file = false;
        str_release(&res->body);
    } else if (res->static_body) {
        r = MHD_create_response_from_buffer(res->static_len, (void *)res->static_body,
                                            MHD_RESPMEM_PERSISTENT);
        str_release(&res->body);
    } else {
        size_t len;
        char *buf = str_detach(&res->body, &len);
        r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
    }
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type",
                            res->content_type ? res->content_type : "text/plain; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", res->cache_control ? res->cache_control : "no-store");
    for (int i = 0; i < res->nheaders; i++)
        MHD_add_response_header(r, res->hdr_names[i], res->hdr_values[i]);
    add_security_headers(r, req);
    int status = res->status ? res->status : 200;
    enum MHD_Result ok = MHD_queue_response(req->conn, (unsigned)status, r);
    MHD_destroy_response(r);
    double secs = elapsed_since(&cs->start);
    const char *route = req->route ? req->route : "-";
    metrics_observe(route, req->method, status, secs);
    log_msg(status >= 500 ? LOG_WARN : LOG_INFO, req->request_id, "%s %s %d %.2fms", req->method,
            route, status, secs * 1000.0);
    return ok;
}

/* Answers a limit violation before any handler runs. */
static enum MHD_Result send_limit_error(conn_state_t *cs, int status, const char *code, const char *msg)
{
    http_res_t res = {0};
    res.status = status;
    res.content_type = "application/json; charset=utf-8";
    str_addf(&res.body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"request_id\":\"%s\"}}", code,
             msg, cs->req.request_id);
    return send_response(cs, &res);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    http_server_t *srv = cls;
    conn_state_t *cs = *con_cls;
    if (!cs) {
        cs = calloc(1, sizeof *cs);
        if (!cs) return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &cs->start);
        cs->srv = srv;
        cs->req.arena = arena_new(0);
        cs->req.conn = conn;
        cs->req.is_head = strcmp(method, "HEAD") == 0;
        cs->req.method = cs->req.is_head ? "GET" : arena_strdup(cs->req.arena, method);
        cs->req.path = arena_strdup(cs->req.arena, url);
        cs->req.route = NULL;
        http_new_request_id(cs->req.request_id);
        set_client(srv, &cs->req);
        atomic_fetch_add(&srv->in_flight, 1);
        *con_cls = cs;
        cs->max_body = srv->cfg.max_body;
        if (srv->cfg.body_limit) {
            size_t cap = srv->cfg.body_limit(&cs->req, srv->ctx);
            if (cap < cs->max_body) cs->max_body = cap;
        }
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl) cs->declared = (size_t)strtoull(cl, NULL, 10);
        if (cs->declared > cs->max_body) cs->too_large = true;
        else if (is_multipart(&cs->req)) multipart_begin(cs);
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (!cs->too_large && cs->received + n > cs->max_body) {
            cs->too_large = true;
            str_release(&cs->body);
            str_release(&cs->file_data);
            str_release(&cs->value);
        }
        cs->received += n;
        if (cs->too_large || cs->form_error || cs->form_overflow) return MHD_YES; /* read and dropped */
        if (cs->pp) {
            if (MHD_post_process(cs->pp, upload_data, n) != MHD_YES && !cs->form_error && !cs->form_overflow)
                cs->form_error = "The multipart form is malformed.";
        } else if (!cs->multipart) {
            if (!cs->body.len && cs->declared) str_grow(&cs->body, cs->declared); /* one allocation */
            str_add(&cs->body, upload_data, n);
        }
        return MHD_YES;
    }
    if (cs->too_large) {
        if (cs->pp) MHD_destroy_post_processor(cs->pp);
        cs->pp = NULL;
        cs->req.too_large = true;
        cs->req.body = "";
        http_res_t res = {0};
        srv->handler(&cs->req, &res, srv->ctx);
        return send_response(cs, &res);
    }
    if (cs->multipart) multipart_end(cs);
    if (cs->form_overflow)
        return send_limit_error(cs, 413, "too_many_fields", "The form has too many fields.");
    if (cs->form_error) return send_limit_error(cs, 400, "bad_form", cs->form_error);
    cs->req.body = str_cstr(&cs->body);
    cs->req.body_len = cs->body.len;
    if (is_form(&cs->req)) {
        http_field_t *fields;
        int n = http_form_parse(cs->req.arena, cs->req.body, cs->req.body_len, HTTP_MAX_FORM_FIELDS, &fields);
        if (n < 0)
            return send_limit_error(cs, 413, "too_many_fields", "The form has too many fields.");
        cs->req.form = fields;
        cs->req.nform = n;
    }
    http_res_t res = {0};
    srv->handler(&cs->req, &res, srv->ctx);
    return send_response(cs, &res);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    http_server_t *srv = cls;
    conn_state_t *cs = *con_cls;
    if (!cs) return;
    if (cs->pp) MHD_destroy_post_processor(cs->pp);
    str_release(&cs->body);
    str_release(&cs->file_data);
    str_release(&cs->value);
    arena_free(cs->req.arena);
    free(cs);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = '\0';
    log_msg(LOG_DEBUG, NULL, "mhd: %s", buf);
}

http_server_t *http_start(const http_config_t *cfg, http_handler_fn handler, void *ctx,
                          char *errbuf, size_t errlen)
{
    http_server_t *srv = calloc(1, sizeof *srv);
    if (!srv) return NULL;
    srv->cfg = *cfg;
    srv->handler = handler;
    srv->ctx = ctx;
    if (!srv->cfg.max_body) srv->cfg.max_body = 1024 * 1024;
    if (!srv->cfg.header_memory) srv->cfg.header_memory = 32 * 1024;
    if (!srv->cfg.max_conns) srv->cfg.max_conns = 1024;
    /* Behind a trusted proxy every connection comes from the proxy's address:
     * a per-address limit would cap the whole service; the proxy limits clients. */
    if (!srv->cfg.per_ip_conns && !srv->cfg.trust_proxy) srv->cfg.per_ip_conns = 64;
    if (!srv->cfg.timeout_sec) srv->cfg.timeout_sec = 30;
    if (!srv->cfg.threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        srv->cfg.threads = n > 0 ? (unsigned)n : 2;
    }
    struct sockaddr_storage ss = {0};
    socklen_t sl;
    const char *host = cfg->host ? cfg->host : "127.0.0.1";
    struct sockaddr_in *in = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)cfg->port);
        sl = sizeof *in;
    } else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)cfg->port);
        sl = sizeof *in6;
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(errbuf, errlen, "listen address must be an IP address: %s", host);
        free(srv);
        return NULL;
    }
    (void)sl;
    srv->daemon = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, srv->cfg.threads,
        MHD_OPTION_CONNECTION_LIMIT, srv->cfg.max_conns,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, srv->cfg.per_ip_conns,
        MHD_OPTION_CONNECTION_TIMEOUT, srv->cfg.timeout_sec,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, srv->cfg.header_memory,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
        MHD_OPTION_END);
    if (!srv->daemon) {
        snprintf(errbuf, errlen, "cannot listen on %s:%d", host, cfg->port);
        free(srv);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : cfg->port;
    return srv;
}

int http_port(const http_server_t *s)
{
    return s->port;
}

void http_stop(http_server_t *s, int grace_sec)
{
    if (!s) return;
    MHD_quiesce_daemon(s->daemon);
    for (int waited = 0; atomic_load(&s->in_flight) > 0 && waited < grace_sec * 100; waited++)
        usleep(10000);
    MHD_stop_daemon(s->daemon);
    free(s);
}

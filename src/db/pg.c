/* pg.c — the PostgreSQL driver (libpq) behind db_driver_t.
 *
 * What it does:
 *   - opens `postgresql://` / `postgres://` URIs as given (several hosts and
 *     target_session_attrs=read-write give failover to whichever host is the
 *     primary), with safe defaults the URI may override (connect timeout, TCP
 *     keepalives) and forced session settings (UTF-8, TimeZone UTC);
 *   - rewrites the portable `?` placeholders to $1..$n, skipping string
 *     literals, quoted identifiers, comments and dollar-quoted bodies;
 *   - prepares each SQL text once per connection as a named server-side
 *     statement (db.c caches the statements by SQL text); a new
 *     connection (db_thread() reopening, or a reconnect here) prepares again;
 *   - outside a transaction, replaces a connection the server closed before
 *     using it, and retries a BEGIN lost with its connection once: after a
 *     failover the first request already reaches the new primary. Inside a
 *     transaction a lost connection is always an error (DB_ECONN, -> 503);
 *   - sends parameters as text (blobs in binary format) and reads whole
 *     results, so a caller may run other statements while iterating rows;
 *   - maps SQLSTATEs to DB_E* codes: class 23 -> DB_ECONSTRAINT, 40001 /
 *     40P01 / 55P03 -> DB_EBUSY, a lost connection, class 08, 57P01-57P03 and
 *     25006 (read-only after a failover) -> DB_ECONN.
 *
 * What it must never do: log or return the URI's password (only host, port
 * and database name are ever printed); splice a value into SQL text; log the
 * DETAIL of an error (it can quote row values, i.e. personal data). */
#include "core/log.h"
#include "core/str.h"
#include "db.h"
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG_BYTEA_OID 17

typedef struct pg_param {
    char *buf;   /* owned copy of the value; NULL = SQL NULL */
    size_t cap;  /* allocated size of buf */
    int len;     /* value length (used for binary values) */
    int binary;  /* 1 for blobs */
} pg_param_t;

typedef struct pg_stmt {
    struct db_stmt head;
    char *text;         /* the same with $n placeholders, as sent to the server */
    char name[24];      /* server-side statement name */
    unsigned gen;       /* connection generation it was prepared in (0: not yet) */
    int nparams;
    pg_param_t *params;
    const char **values; /* PQexecPrepared's arrays, filled from params */
    int *lengths, *formats;
    PGresult *res;      /* result of the current execution, NULL before */
    PGresult *desc;     /* column description, fetched only when asked before a step */
    int row;            /* current row in res; -1 before the first */
    int done;           /* 1 after DB_DONE or an error, until reset */
    unsigned char **blobs; /* decoded bytea values of the current row, per column */
    size_t *bloblens;      /* their lengths */
    int nblobs;
} pg_stmt_t;

typedef struct pg_db {
    struct db head;
    PGconn *conn;
    unsigned gen;       /* bumped by every reconnect: statements are prepared again */
    unsigned next_name;
    int64_t changes;
    char errmsg[512];
} pg_db_t;

#define PGS(s) ((pg_stmt_t *)(s))
#define PGD(s) ((pg_db_t *)(s)->db)

/* ---- errors ----------------------------------------------------------------- */

/* Maps a SQLSTATE to a DB_E* code. `sqlstate` may be NULL. */
static int map_sqlstate(const char *sqlstate)
{
    if (!sqlstate) return DB_ERR;
    if (strncmp(sqlstate, "23", 2) == 0) return DB_ECONSTRAINT;
    if (strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0 ||
        strcmp(sqlstate, "55P03") == 0)
        return DB_EBUSY;
    if (strncmp(sqlstate, "08", 2) == 0 || strcmp(sqlstate, "57P01") == 0 ||
        strcmp(sqlstate, "57P02") == 0 || strcmp(sqlstate, "57P03") == 0 ||
        strcmp(sqlstate, "25006") == 0)
        return DB_ECONN;
    return DB_ERR;
}

/* Copies the first line of `msg` into the connection's error buffer. */
static void set_errmsg(pg_db_t *d, const char *msg)
{
    if (!msg || !*msg) msg = "unknown PostgreSQL error";
    size_t n = strcspn(msg, "\n");
    if (n >= sizeof d->errmsg) n = sizeof d->errmsg - 1;
    memcpy(d->errmsg, msg, n);
    d->errmsg[n] = '\0';
}

/* Records the failure carried by `res` (or by the connection when res is NULL
 * or holds no SQLSTATE), logs it without row data, and returns its DB_E* code.
 * A connection that is no longer CONNECTION_OK always gives DB_ECONN. */
static int pg_fail(pg_db_t *d, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    int rc = map_sqlstate(state);
    if (PQstatus(d->conn) != CONNECTION_OK) rc = DB_ECONN;
    set_errmsg(d, primary ? primary : PQerrorMessage(d->conn));
    d->head.last_error = rc;
    if (rc != DB_ECONSTRAINT)
        log_warn("postgresql %s failed (%s): %s", what, state ? state : "no sqlstate", d->errmsg);
    return rc;
}

/* Checks a result: 0 when its status is one of the successful ones, else the
 * DB_E* code (recorded by pg_fail). Does not free `res`. */
static int check_res(pg_db_t *d, const PGresult *res, const char *what)
{
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY) return 0;
    return pg_fail(d, res, what);
}

/* Updates the row count of the last INSERT/UPDATE/DELETE/MERGE from `res`. */
static void note_changes(pg_db_t *d, PGresult *res)
{
    const char *tag = PQcmdStatus(res);
    if (strncmp(tag, "INSERT", 6) && strncmp(tag, "UPDATE", 6) && strncmp(tag, "DELETE", 6) &&
        strncmp(tag, "MERGE", 5))
        return;
    d->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* ---- connection ------------------------------------------------------------- */

/* Writes "host H port P db D" for `uri` into buf, never the password. Returns
 * 0, or -1 when the URI does not parse (buf then says so, without quoting it:
 * libpq's parse messages can echo a malformed password). */
static int describe_uri(const char *uri, char *buf, size_t len)
{
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(uri, &perr);
    if (!opts) {
        PQfreemem(perr);
        snprintf(buf, len, "malformed PostgreSQL URI");
        return -1;
    }
    const char *host = NULL, *port = NULL, *dbname = NULL;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val) continue;
        if (strcmp(o->keyword, "host") == 0) host = o->val;
        else if (strcmp(o->keyword, "port") == 0) port = o->val;
        else if (strcmp(o->keyword, "dbname") == 0) dbname = o->val;
    }
    snprintf(buf, len, "host %s port %s db %s", host ? host : "(default)",
             port ? port : "(default)", dbname ? dbname : "(default)");
    PQconninfoFree(opts);
    return 0;
}

/* Routes server notices (e.g. "relation already exists, skipping") to the
 * debug log instead of libpq's default stderr print. */
static void notice_to_log(void *arg, const char *msg)
{
    (void)arg;
    log_msg(LOG_DEBUG, NULL, "postgresql notice: %.*s", (int)strcspn(msg, "\n"), msg);
}

/* Connects with libpq: defaults before the URI (it may override them), forced
 * settings after it. Returns the connection (possibly not CONNECTION_OK). */
static PGconn *connect_uri(const char *uri)
{
    static const char *const keys[] = {
        "application_name", "connect_timeout", "keepalives", "keepalives_idle",
        "keepalives_interval", "keepalives_count", "tcp_user_timeout", "dbname",
        "client_encoding", NULL,
    };
    const char *vals[] = {"labimpact", "5", "1", "10", "5", "3", "15000", uri, "UTF8", NULL};
    return PQconnectdbParams(keys, vals, 1);
}

/* Session settings every connection needs (client_encoding is a connect parameter). */
static int configure_session(PGconn *conn)
{
    PQsetNoticeProcessor(conn, notice_to_log, NULL);
    PGresult *r = PQexec(conn, "SET TimeZone = 'UTC'");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok ? 0 : DB_ECONN;
}

static int pg_open(const char *uri, db_t **out, char *errbuf, size_t errlen)
{
    char where[300];
    if (describe_uri(uri, where, sizeof where) != 0) {
        snprintf(errbuf, errlen, "%s", where);
        return DB_ERR;
    }
    pg_db_t *d = calloc(1, sizeof *d);
    if (!d) return DB_ERR;
    d->conn = connect_uri(uri);
    if (!d->conn || PQstatus(d->conn) != CONNECTION_OK) {
        const char *m = d->conn ? PQerrorMessage(d->conn) : "out of memory";
        snprintf(errbuf, errlen, "cannot connect to PostgreSQL (%s): %.*s", where,
                 (int)strcspn(m, "\n"), m);
        PQfinish(d->conn);
        free(d);
        return DB_ECONN;
    }
    if (configure_session(d->conn) != 0) {
        snprintf(errbuf, errlen, "cannot configure PostgreSQL session (%s)", where);
        PQfinish(d->conn);
        free(d);
        return DB_ECONN;
    }
    d->gen = 1;
    d->head.kind = DB_PG;
    *out = &d->head;
    return 0;
}

/* Replaces the connection by a new one with the same parameters (with several
 * hosts, libpq looks for the primary again). Only ever called outside a
 * transaction, where nothing can be lost. Returns 0 or DB_ECONN. */
static int pg_reconnect(pg_db_t *d)
{
    PQreset(d->conn);
    if (PQstatus(d->conn) != CONNECTION_OK || configure_session(d->conn) != 0) {
        set_errmsg(d, PQerrorMessage(d->conn));
        d->head.last_error = DB_ECONN;
        log_warn("postgresql reconnect failed: %s", d->errmsg);
        return DB_ECONN;
    }
    d->gen++;
    log_info("postgresql: reconnected (host %s port %s)", PQhost(d->conn), PQport(d->conn));
    return 0;
}

/* Outside a transaction, a connection the server has closed (restart,
 * failover) is replaced before use, so a failover costs no error once a
 * primary is reachable. The sign: the socket is readable while we expect
 * nothing (a FATAL message and end of file; we LISTEN to nothing). A
 * needless reconnect loses nothing but time: statements are prepared again. */
static void revive_if_closed(pg_db_t *d)
{
    if (d->head.tx_depth) return;
    if (PQstatus(d->conn) == CONNECTION_OK) {
        struct pollfd p = {.fd = PQsocket(d->conn), .events = POLLIN};
        if (p.fd >= 0 && poll(&p, 1, 0) == 0) return; /* quiet: alive as far as we can tell */
    }
    pg_reconnect(d);
}

static void stmt_free(pg_stmt_t *c)
{
    PQclear(c->res);
    PQclear(c->desc);
    for (int i = 0; i < c->nblobs; i++) PQfreemem(c->blobs[i]);
    free(c->blobs);
    free(c->bloblens);
    for (int i = 0; i < c->nparams; i++) free(c->params[i].buf);
    free(c->params);
    free(c->values);
    free(c->lengths);
    free(c->formats);
    free(c->text);
    free(c->head.sql);
    free(c);
}

static void pg_close(db_t *db)
{
    pg_db_t *d = (pg_db_t *)db;
    PQfinish(d->conn);
    free(d);
}

/* ---- placeholders ----------------------------------------------------------- */

/* Length of a dollar-quote tag starting at p ("$$" or "$tag$"), 0 if p does not
 * start one. A tag never starts with a digit ($1 is a parameter). */
static size_t dollar_tag(const char *p)
{
    if (p[0] != '$') return 0;
    size_t i = 1;
    if (p[1] >= '0' && p[1] <= '9') return 0;
    while (p[i] == '_' || (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
           (p[i] >= '0' && p[i] <= '9') || (unsigned char)p[i] >= 0x80)
        i++;
    return p[i] == '$' ? i + 1 : 0;
}

/* Length of the literal, identifier or comment starting at p (which opens it),
 * so the caller copies it verbatim; 0 when p starts none of them. An
 * unterminated one runs to the end of the text. */
static size_t skip_span(const char *sql, const char *p)
{
    const char *q;
    if (*p == '\'' || *p == '"') {
        char quote = *p;
        /* E'...' strings take backslash escapes. */
        int esc = quote == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e');
        for (q = p + 1; *q; q++) {
            if (esc && *q == '\\' && q[1]) q++;
            else if (*q == quote) {
                if (q[1] == quote) q++;
                else return (size_t)(q - p) + 1;
            }
        }
        return (size_t)(q - p);
    }
    if (p[0] == '-' && p[1] == '-') return strcspn(p, "\n");
    if (p[0] == '/' && p[1] == '*') {
        int depth = 1; /* PostgreSQL block comments nest */
        for (q = p + 2; *q && depth; q++) {
            if (q[0] == '/' && q[1] == '*') depth++, q++;
            else if (q[0] == '*' && q[1] == '/') depth--, q++;
        }
        return (size_t)(q - p);
    }
    size_t tl = dollar_tag(p);
    if (tl) {
        const char *end = p + tl;
        while ((end = strchr(end, '$')) && strncmp(end, p, tl) != 0) end++;
        return end ? (size_t)(end - p) + tl : strlen(p);
    }
    return 0;
}

/* Rewrites `?` placeholders of `sql` to $1..$n into `out`; returns n. */
static int rewrite_placeholders(const char *sql, str_t *out)
{
    int n = 0;
    for (const char *p = sql; *p;) {
        /* A `$` inside an identifier (foo$1) does not open a dollar quote. */
        int in_word = p > sql && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                  (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'));
        size_t span = (*p == '$' && in_word) ? 0 : skip_span(sql, p);
        if (span) {
            str_add(out, p, span);
            p += span;
        } else if (*p == '?') {
            str_addf(out, "$%d", ++n);
            p++;
        } else {
            str_addc(out, *p++);
        }
    }
    return n;
}

/* ---- statement cache ---------------------------------------------------------- */

/* Frees the per-row decoded blobs and the result; keeps bindings. */
static void stmt_clear_result(pg_stmt_t *c)
{
    for (int i = 0; i < c->nblobs; i++) {
        PQfreemem(c->blobs[i]);
        c->blobs[i] = NULL;
    }
    PQclear(c->res);
    c->res = NULL;
    c->row = -1;
    c->done = 0;
}

static void pg_reset(db_stmt_t *s)
{
    pg_stmt_t *c = PGS(s);
    stmt_clear_result(c);
    for (int i = 0; i < c->nparams; i++) c->params[i].len = -1; /* SQL NULL */
}

/* Frees a statement db.c's cache lets go. Evicted from a full cache, it is
 * also deallocated on the server, if it was prepared on this very
 * connection: a failing DEALLOCATE would abort the caller's transaction. */
static void pg_finalize(db_stmt_t *s, bool evicted)
{
    pg_stmt_t *c = PGS(s);
    pg_db_t *d = PGD(s);
    if (evicted && c->gen == d->gen) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", c->name);
        PQclear(PQexec(d->conn, sql));
    }
    stmt_free(c);
}

/* Prepares the statement on the current connection; 0 or DB_E*. */
static int stmt_prepare(pg_db_t *d, pg_stmt_t *c)
{
    PGresult *r = PQprepare(d->conn, c->name, c->text, c->nparams, NULL);
    int rc = check_res(d, r, "prepare");
    PQclear(r);
    if (rc == 0) c->gen = d->gen;
    return rc;
}

/* Prepares the statement again when the connection was replaced since. */
static int stmt_ensure_prepared(pg_stmt_t *c)
{
    pg_db_t *d = (pg_db_t *)c->head.db;
    return c->gen == d->gen ? 0 : stmt_prepare(d, c);
}

/* A new named statement for `sql`, prepared on the server; NULL on failure
 * (recorded in last_error, logged). Outside a transaction a lost connection
 * is replaced and the prepare tried once more (preparing changes nothing). */
static pg_stmt_t *stmt_create(pg_db_t *d, const char *sql)
{
    str_t text = STR_INIT;
    int n = rewrite_placeholders(sql, &text);
    pg_stmt_t *c = calloc(1, sizeof *c);
    if (!c || !(c->head.sql = strdup(sql)) || !(c->text = str_detach(&text, NULL)))
        log_fatal("out of memory (statement)");
    if (n && (!(c->params = calloc((size_t)n, sizeof *c->params)) ||
              !(c->values = calloc((size_t)n, sizeof *c->values)) ||
              !(c->lengths = calloc((size_t)n, sizeof *c->lengths)) ||
              !(c->formats = calloc((size_t)n, sizeof *c->formats))))
        log_fatal("out of memory (statement)");
    c->nparams = n;
    c->row = -1;
    c->head.db = &d->head;
    for (int i = 0; i < n; i++) c->params[i].len = -1;
    snprintf(c->name, sizeof c->name, "li%u", d->next_name++);
    revive_if_closed(d);
    int rc = stmt_prepare(d, c);
    if (rc == DB_ECONN && !d->head.tx_depth && pg_reconnect(d) == 0) rc = stmt_prepare(d, c);
    if (rc) {
        stmt_free(c);
        return NULL;
    }
    return c;
}

static db_stmt_t *pg_prepare(db_t *db, const char *sql)
{
    pg_stmt_t *c = stmt_create((pg_db_t *)db, sql);
    return c ? &c->head : NULL;
}

/* ---- binding ------------------------------------------------------------------ */

/* Stores `n` bytes of `v` (plus a NUL) as parameter `idx`. */
static int set_param(db_stmt_t *s, int idx, const void *v, size_t n, int binary)
{
    pg_stmt_t *c = PGS(s);
    if (idx < 1 || idx > c->nparams || n > INT32_MAX - 1) {
        set_errmsg(PGD(s), "bind index or size out of range");
        PGD(s)->head.last_error = DB_ERR;
        return DB_ERR;
    }
    pg_param_t *p = &c->params[idx - 1];
    if (p->cap < n + 1) {
        char *nb = realloc(p->buf, n + 1);
        if (!nb) log_fatal("out of memory (bind)");
        p->buf = nb;
        p->cap = n + 1;
    }
    if (n) memcpy(p->buf, v, n);
    p->buf[n] = '\0';
    p->len = (int)n;
    p->binary = binary;
    return 0;
}

static int pg_bind_int(db_stmt_t *s, int i, int64_t v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%" PRId64, v);
    return set_param(s, i, buf, (size_t)n, 0);
}

static int pg_bind_double(db_stmt_t *s, int i, double v)
{
    char buf[40];
    int n;
    if (isnan(v)) n = snprintf(buf, sizeof buf, "NaN");
    else if (isinf(v)) n = snprintf(buf, sizeof buf, "%sInfinity", v < 0 ? "-" : "");
    else n = snprintf(buf, sizeof buf, "%.17g", v);
    return set_param(s, i, buf, (size_t)n, 0);
}

/* PostgreSQL text cannot hold a NUL byte: refuse it rather than truncate. */
static int pg_bind_text(db_stmt_t *s, int i, const char *v, size_t n)
{
    if (memchr(v, '\0', n)) {
        set_errmsg(PGD(s), "text value contains a NUL byte");
        PGD(s)->head.last_error = DB_ERR;
        return DB_ERR;
    }
    return set_param(s, i, v, n, 0);
}

static int pg_bind_blob(db_stmt_t *s, int i, const void *v, size_t n)
{
    return set_param(s, i, v ? v : "", v ? n : 0, 1);
}

static int pg_bind_null(db_stmt_t *s, int i)
{
    pg_stmt_t *c = PGS(s);
    if (i < 1 || i > c->nparams) {
        PGD(s)->head.last_error = DB_ERR;
        return DB_ERR;
    }
    c->params[i - 1].len = -1;
    return 0;
}

/* ---- execution ----------------------------------------------------------------- */

/* Runs the prepared statement with its bindings; 0 or DB_E*. */
static int stmt_execute(pg_stmt_t *c)
{
    pg_db_t *d = (pg_db_t *)c->head.db;
    revive_if_closed(d);
    int prc = stmt_ensure_prepared(c);
    if (prc) return prc;
    for (int i = 0; i < c->nparams; i++) {
        pg_param_t *p = &c->params[i];
        c->values[i] = p->len < 0 ? NULL : p->buf;
        c->lengths[i] = p->len < 0 ? 0 : p->len;
        c->formats[i] = p->binary;
    }
    c->res = PQexecPrepared(d->conn, c->name, c->nparams, c->values, c->lengths, c->formats, 0);
    int rc = check_res(d, c->res, "statement");
    if (rc) return rc;
    note_changes(d, c->res);
    int nf = PQnfields(c->res);
    if (nf > c->nblobs) {
        unsigned char **nb = realloc(c->blobs, (size_t)nf * sizeof *nb);
        if (nb) c->blobs = nb;
        size_t *nl = realloc(c->bloblens, (size_t)nf * sizeof *nl);
        if (!nb || !nl) log_fatal("out of memory (result)");
        c->bloblens = nl;
        memset(nb + c->nblobs, 0, (size_t)(nf - c->nblobs) * sizeof *nb);
        c->nblobs = nf;
    }
    return 0;
}

static int pg_step(db_stmt_t *s)
{
    pg_stmt_t *c = PGS(s);
    if (c->done) return DB_DONE;
    if (!c->res) {
        int rc = stmt_execute(c);
        if (rc) {
            c->done = 1;
            return rc;
        }
    } else {
        for (int i = 0; i < c->nblobs; i++) {
            PQfreemem(c->blobs[i]);
            c->blobs[i] = NULL;
        }
    }
    if (++c->row < PQntuples(c->res)) return DB_ROW;
    c->done = 1;
    return DB_DONE;
}

/* The result that describes the columns: the executed one, or (before the
 * first step) the prepared statement's description, fetched once. */
static const PGresult *columns_of(pg_stmt_t *c)
{
    if (c->res) return c->res;
    if (!c->desc) {
        pg_db_t *d = (pg_db_t *)c->head.db;
        if (stmt_ensure_prepared(c)) return NULL;
        c->desc = PQdescribePrepared(d->conn, c->name);
        if (check_res(d, c->desc, "describe")) {
            PQclear(c->desc);
            c->desc = NULL;
        }
    }
    return c->desc;
}

/* True when the statement is positioned on a row and `col` exists. */
static int on_cell(pg_stmt_t *c, int col)
{
    return c->res && c->row >= 0 && c->row < PQntuples(c->res) && col >= 0 &&
           col < PQnfields(c->res);
}

static int pg_col_count(db_stmt_t *s)
{
    const PGresult *r = columns_of(PGS(s));
    return r ? PQnfields(r) : 0;
}

static const char *pg_col_name(db_stmt_t *s, int col)
{
    const PGresult *r = columns_of(PGS(s));
    return r && col >= 0 && col < PQnfields(r) ? PQfname(r, col) : NULL;
}

static int pg_col_is_null(db_stmt_t *s, int col)
{
    pg_stmt_t *c = PGS(s);
    return !on_cell(c, col) || PQgetisnull(c->res, c->row, col);
}

static const char *pg_col_text(db_stmt_t *s, int col)
{
    pg_stmt_t *c = PGS(s);
    if (!on_cell(c, col) || PQgetisnull(c->res, c->row, col)) return NULL;
    return PQgetvalue(c->res, c->row, col);
}

/* Integers come as text; booleans as t/f; a non-integral number is truncated
 * toward zero like SQLite's conversion. */
static int64_t pg_col_int(db_stmt_t *s, int col)
{
    const char *v = pg_col_text(s, col);
    if (!v) return 0;
    if (v[0] == 't' && !v[1]) return 1;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (*end == '.' || *end == 'e' || *end == 'E' || errno == ERANGE) {
        double x = strtod(v, NULL);
        if (x >= 9223372036854775807.0) return INT64_MAX;
        if (x <= -9223372036854775808.0) return INT64_MIN;
        return (int64_t)x;
    }
    return (int64_t)n;
}

static double pg_col_double(db_stmt_t *s, int col)
{
    const char *v = pg_col_text(s, col);
    return v ? strtod(v, NULL) : 0.0;
}

/* bytea arrives hex-escaped in text results: decoded once per row and kept
 * until the next step or reset. Other types give their text bytes. */
static const void *pg_col_blob(db_stmt_t *s, int col, size_t *len)
{
    pg_stmt_t *c = PGS(s);
    *len = 0;
    if (!on_cell(c, col) || PQgetisnull(c->res, c->row, col)) return NULL;
    if (PQftype(c->res, col) != PG_BYTEA_OID) {
        *len = (size_t)PQgetlength(c->res, c->row, col);
        return PQgetvalue(c->res, c->row, col);
    }
    if (!c->blobs[col]) {
        c->blobs[col] = PQunescapeBytea((const unsigned char *)PQgetvalue(c->res, c->row, col),
                                        &c->bloblens[col]);
        if (!c->blobs[col]) log_fatal("out of memory (bytea)");
    }
    *len = c->bloblens[col];
    return c->blobs[col];
}

/* ---- whole statements and transactions ---------------------------------------- */

static int pg_exec(db_t *db, const char *sql)
{
    pg_db_t *d = (pg_db_t *)db;
    revive_if_closed(d);
    PGresult *r = PQexec(d->conn, sql);
    int rc = check_res(d, r, "exec");
    if (!rc) note_changes(d, r);
    PQclear(r);
    return rc;
}

/* READ COMMITTED; statements take their own row locks. A BEGIN lost with the
 * connection did nothing, so it is tried once more on a new connection. */
static int pg_begin(db_t *db, bool write)
{
    (void)write;
    pg_db_t *d = (pg_db_t *)db;
    int rc = pg_exec(db, "BEGIN");
    if (rc == DB_ECONN && pg_reconnect(d) == 0) rc = pg_exec(db, "BEGIN");
    return rc;
}

/* COMMIT of a transaction that an error aborted answers "ROLLBACK" without an
 * error: report it as a failure so the caller never believes it was saved. */
static int pg_commit(db_t *db)
{
    pg_db_t *d = (pg_db_t *)db;
    PGresult *r = PQexec(d->conn, "COMMIT");
    int rc = check_res(d, r, "commit");
    if (!rc && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        set_errmsg(d, "transaction was aborted by an earlier error and rolled back");
        d->head.last_error = rc = DB_ERR;
    }
    PQclear(r);
    return rc;
}

static int pg_rollback(db_t *db) { return pg_exec(db, "ROLLBACK"); }
static int64_t pg_changes(db_t *db) { return ((pg_db_t *)db)->changes; }

static const char *pg_errmsg(db_t *db)
{
    pg_db_t *d = (pg_db_t *)db;
    return d->errmsg[0] ? d->errmsg : "no error";
}

const db_driver_t db_pg_driver = DB_DRIVER("pg", pg);

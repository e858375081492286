/* db.c — the driver-independent half of the storage API: dispatch to the
 * driver, variadic binding helpers, per-thread connections. */
#include "db.h"
#include "core/str.h"
#include "core/log.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const db_driver_t db_sqlite_driver;
extern const db_driver_t db_pg_driver;

bool db_uri_is_pg(const char *uri)
{
    return strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0;
}

db_t *db_open(const char *uri, char *errbuf, size_t errlen)
{
    const db_driver_t *drv = db_uri_is_pg(uri) ? &db_pg_driver : &db_sqlite_driver;
    db_t *db = NULL;
    if (errlen) errbuf[0] = '\0';
    if (drv->open(uri, &db, errbuf, errlen) != 0) return NULL;
    db->drv = drv;
    return db;
}

void db_close(db_t *db)
{
    if (!db) return;
    for (int i = 0; i < DB_CACHE_SLOTS; i++)
        if (db->cache[i]) db->drv->finalize(db->cache[i], false);
    db->drv->close(db);
}

db_stmt_t *db_prepare(db_t *db, const char *sql)
{
    unsigned h = (unsigned)str_hash(sql);
    for (unsigned probe = 0; probe < DB_CACHE_SLOTS; probe++) {
        db_stmt_t *st = db->cache[(h + probe) % DB_CACHE_SLOTS];
        if (!st) break;
        if (strcmp(st->sql, sql) == 0) {
            db->drv->reset(st);
            return st;
        }
    }
    db_stmt_t *st = db->drv->prepare(db, sql);
    if (!st) return NULL;
    for (unsigned probe = 0; probe < DB_CACHE_SLOTS; probe++) {
        unsigned slot = (h + probe) % DB_CACHE_SLOTS;
        if (!db->cache[slot]) {
            db->cache[slot] = st;
            return st;
        }
    }
    unsigned home = h % DB_CACHE_SLOTS;
    db->drv->finalize(db->cache[home], true);
    db->cache[home] = st;
    return st;
}
int db_bind_int(db_stmt_t *st, int i, int64_t v) { return st->db->drv->bind_int(st, i, v); }
int db_bind_double(db_stmt_t *st, int i, double v) { return st->db->drv->bind_double(st, i, v); }
int db_bind_null(db_stmt_t *st, int i) { return st->db->drv->bind_null(st, i); }
int db_step(db_stmt_t *st) { return st->db->drv->step(st); }
int db_col_count(db_stmt_t *st) { return st->db->drv->col_count(st); }
const char *db_col_name(db_stmt_t *st, int c) { return st->db->drv->col_name(st, c); }
bool db_col_is_null(db_stmt_t *st, int c) { return st->db->drv->col_is_null(st, c) != 0; }
int64_t db_col_int(db_stmt_t *st, int c) { return st->db->drv->col_int(st, c); }
double db_col_double(db_stmt_t *st, int c) { return st->db->drv->col_double(st, c); }
void db_reset(db_stmt_t *st) { if (st) st->db->drv->reset(st); }
int db_exec(db_t *db, const char *sql) { return db->drv->exec(db, sql); }
int64_t db_changes(db_t *db) { return db->drv->changes(db); }
const char *db_errmsg(db_t *db) { return db->drv->errmsg(db); }
db_kind_t db_kind(const db_t *db) { return db->kind; }
bool db_in_tx(const db_t *db) { return db->tx_depth > 0; }

int db_bind_text(db_stmt_t *st, int i, const char *v)
{
    return v ? st->db->drv->bind_text(st, i, v, strlen(v)) : st->db->drv->bind_null(st, i);
}

int db_bind_textn(db_stmt_t *st, int i, const char *v, size_t n)
{
    return v ? st->db->drv->bind_text(st, i, v, n) : st->db->drv->bind_null(st, i);
}

int db_bind_blob(db_stmt_t *st, int i, const void *v, size_t n)
{
    return st->db->drv->bind_blob(st, i, v, n);
}

const char *db_col_text(db_stmt_t *st, int c)
{
    const char *s = st->db->drv->col_text(st, c);
    return s ? s : "";
}

const char *db_col_text_or_null(db_stmt_t *st, int c)
{
    return db_col_is_null(st, c) ? NULL : st->db->drv->col_text(st, c);
}

const void *db_col_blob(db_stmt_t *st, int c, size_t *len)
{
    return st->db->drv->col_blob(st, c, len);
}

static int bind_va(db_stmt_t *st, const char *fmt, va_list ap)
{
    int idx = 1, rc = 0;
    for (const char *f = fmt ? fmt : ""; *f && rc == 0; f++, idx++) {
        switch (*f) {
        case 'i': rc = db_bind_int(st, idx, va_arg(ap, int64_t)); break;
        case 't': rc = db_bind_text(st, idx, va_arg(ap, const char *)); break;
        case 'd': rc = db_bind_double(st, idx, va_arg(ap, double)); break;
        case 'n': rc = db_bind_null(st, idx); break;
        case 'b': {
            const void *p = va_arg(ap, const void *);
            size_t n = va_arg(ap, size_t);
            rc = db_bind_blob(st, idx, p, n);
            break;
        }
        default: log_fatal("db_bindf: bad format letter '%c'", *f);
        }
    }
    return rc;
}

int db_bindf(db_stmt_t *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = bind_va(st, fmt, ap);
    va_end(ap);
    return rc;
}

int db_run(db_t *db, const char *sql, const char *fmt, ...)
{
    db_stmt_t *st = db_prepare(db, sql);
    if (!st) return db->last_error ? db->last_error : DB_ERR;
    va_list ap;
    va_start(ap, fmt);
    int rc = bind_va(st, fmt, ap);
    va_end(ap);
    if (rc == 0) {
        do rc = db_step(st);
        while (rc == DB_ROW);
    }
    db_reset(st);
    return rc < 0 ? rc : 0;
}

db_stmt_t *db_vquery(db_t *db, int *rc, const char *sql, const char *fmt, va_list ap)
{
    db_stmt_t *st = db_prepare(db, sql);
    if (!st) {
        *rc = db->last_error ? db->last_error : DB_ERR;
        return NULL;
    }
    *rc = bind_va(st, fmt, ap);
    if (*rc == 0) *rc = db_step(st);
    if (*rc < 0) {
        db_reset(st);
        return NULL;
    }
    return st;
}

db_stmt_t *db_query(db_t *db, int *rc, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    db_stmt_t *st = db_vquery(db, rc, sql, fmt, ap);
    va_end(ap);
    return st;
}

int db_insert_id(db_t *db, int64_t *id, const char *sql, const char *fmt, ...)
{
    DB_QUERY_VA(db, sql, fmt);
    if (!st) return rc;
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_reset(st);
    return rc == DB_ROW ? 0 : DB_ERR;
}

int db_begin(db_t *db, bool write)
{
    if (db->tx_depth) log_fatal("db_begin: nested transaction");
    int rc = db->drv->begin(db, write);
    if (rc == 0) db->tx_depth = 1;
    return rc;
}

int db_commit(db_t *db)
{
    int rc = db->drv->commit(db);
    db->tx_depth = 0;
    return rc;
}

int db_rollback(db_t *db)
{
    if (!db->tx_depth) return 0;
    int rc = db->drv->rollback(db);
    db->tx_depth = 0;
    return rc;
}

int64_t db_now(void)
{
    return (int64_t)time(NULL);
}

/* ---- per-thread connections ---------------------------------------------- */

#define DB_POOL_MAX 256
static char *pool_uri;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static db_t *pool_conns[DB_POOL_MAX];
static int pool_n;
static _Thread_local db_t *thread_conn;
static _Thread_local int thread_slot = -1;

int db_pool_init(const char *uri)
{
    free(pool_uri);
    pool_uri = strdup(uri);
    return pool_uri ? 0 : DB_ERR;
}

db_t *db_thread(void)
{
    if (thread_conn && thread_conn->last_error == DB_ECONN && !db_in_tx(thread_conn)) {
        /* The connection was lost: drop it and open a new one below. */
        pthread_mutex_lock(&pool_lock);
        pool_conns[thread_slot] = NULL;
        pthread_mutex_unlock(&pool_lock);
        db_close(thread_conn);
        thread_conn = NULL;
    }
    if (thread_conn) return thread_conn;
    char err[256];
    db_t *db = db_open(pool_uri, err, sizeof err);
    if (!db) {
        log_warn("database unreachable: %s", err);
        return NULL;
    }
    pthread_mutex_lock(&pool_lock);
    if (thread_slot < 0) {
        if (pool_n >= DB_POOL_MAX) log_fatal("too many database connections");
        thread_slot = pool_n++;
    }
    pool_conns[thread_slot] = db;
    pthread_mutex_unlock(&pool_lock);
    thread_conn = db;
    return db;
}

void db_pool_close(void)
{
    pthread_mutex_lock(&pool_lock);
    for (int i = 0; i < pool_n; i++) {
        db_close(pool_conns[i]);
        pool_conns[i] = NULL;
    }
    pool_n = 0;
    pthread_mutex_unlock(&pool_lock);
    thread_conn = NULL;
    thread_slot = -1;
}

/* db.h — the storage interface: one API, two drivers (SQLite, PostgreSQL).
 *
 * SQL is written once, portable, with `?` placeholders; a driver rewrites what
 * its engine needs ($1.. for PostgreSQL). Values are only ever bound, never
 * spliced into SQL text. Times are stored as BIGINT Unix seconds (UTC), dates
 * as TEXT 'YYYY-MM-DD', booleans as INTEGER 0/1, ids as BIGINT.
 *
 * A db_t is one connection, used by one thread at a time (serve opens one per
 * worker thread through db_thread()). Statements are cached per connection by
 * their SQL text: db_prepare() of the same text returns the cached statement,
 * reset and unbound. Only store.c files and migrations contain SQL.
 *
 * Return codes: 0 or DB_ROW/DB_DONE on success, negative DB_E* on failure. */
#ifndef LI_DB_H
#define LI_DB_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    DB_OK = 0,
    DB_ROW = 1,            /* db_step: a row is ready */
    DB_DONE = 2,           /* db_step: no more rows */
    DB_ERR = -1,           /* any other failure */
    DB_ECONSTRAINT = -2,   /* unique / foreign key / check violation (-> 409 or 422) */
    DB_EBUSY = -3,         /* lock timeout or serialization failure: retry the transaction */
    DB_ECONN = -4,         /* connection lost / no primary reachable (-> 503) */
};

typedef enum { DB_SQLITE, DB_PG } db_kind_t;

typedef struct db db_t;
typedef struct db_stmt db_stmt_t;

/* The driver vtable. Every driver fills all entries. */
typedef struct db_driver {
    const char *name;
    int (*open)(const char *uri, db_t **out, char *errbuf, size_t errlen);
    void (*close)(db_t *db);
    db_stmt_t *(*prepare)(db_t *db, const char *sql); /* a new statement; db.c caches it */
    void (*finalize)(db_stmt_t *st, bool evicted);    /* frees it; evicted: dropped from a full cache
                                                         while the connection stays open */
    int (*bind_int)(db_stmt_t *st, int idx, int64_t v);
    int (*bind_double)(db_stmt_t *st, int idx, double v);
    int (*bind_text)(db_stmt_t *st, int idx, const char *v, size_t len);
    int (*bind_blob)(db_stmt_t *st, int idx, const void *v, size_t len);
    int (*bind_null)(db_stmt_t *st, int idx);
    int (*step)(db_stmt_t *st);
    int (*col_count)(db_stmt_t *st);
    const char *(*col_name)(db_stmt_t *st, int col);
    int (*col_is_null)(db_stmt_t *st, int col);
    int64_t (*col_int)(db_stmt_t *st, int col);
    double (*col_double)(db_stmt_t *st, int col);
    const char *(*col_text)(db_stmt_t *st, int col);
    const void *(*col_blob)(db_stmt_t *st, int col, size_t *len);
    void (*reset)(db_stmt_t *st);
    int (*exec)(db_t *db, const char *sql); /* no parameters, may hold several statements */
    int (*begin)(db_t *db, bool write);
    int (*commit)(db_t *db);
    int (*rollback)(db_t *db);
    int64_t (*changes)(db_t *db);
    const char *(*errmsg)(db_t *db);
} db_driver_t;

/* A driver's vtable from its functions' common prefix: every driver names
 * its entries prefix_open, prefix_close, ... (sq_open, pg_open). */
#define DB_DRIVER(name_, p)                                                                                   \
    {                                                                                                         \
        .name = name_, .open = p##_open, .close = p##_close, .prepare = p##_prepare, .finalize = p##_finalize, \
        .bind_int = p##_bind_int, .bind_double = p##_bind_double, .bind_text = p##_bind_text,                 \
        .bind_blob = p##_bind_blob, .bind_null = p##_bind_null, .step = p##_step, .col_count = p##_col_count,  \
        .col_name = p##_col_name, .col_is_null = p##_col_is_null, .col_int = p##_col_int,                     \
        .col_double = p##_col_double, .col_text = p##_col_text, .col_blob = p##_col_blob, .reset = p##_reset,  \
        .exec = p##_exec, .begin = p##_begin, .commit = p##_commit, .rollback = p##_rollback,                 \
        .changes = p##_changes, .errmsg = p##_errmsg,                                                         \
    }

/* Common head of every driver's statement struct (its first member). */
struct db_stmt {
    db_t *db;
    char *sql; /* the SQL text as the caller gave it: the cache key (the driver owns it) */
};

/* Statements kept per connection, by SQL text (db_prepare). */
#define DB_CACHE_SLOTS 512

/* Common head of every driver's connection struct (its first member). */
struct db {
    const db_driver_t *drv;
    db_kind_t kind;
    int tx_depth;   /* 1 inside a transaction */
    int last_error; /* DB_E* of the last failure */
    db_stmt_t *cache[DB_CACHE_SLOTS]; /* open addressing on the SQL's hash */
};

/* Opens `uri`: a file path (SQLite) or postgresql:// / postgres:// (PostgreSQL).
 * On failure returns NULL and writes a message (without secrets) into errbuf. */
db_t *db_open(const char *uri, char *errbuf, size_t errlen);
void db_close(db_t *db);
/* True when `uri` names a PostgreSQL database. */
bool db_uri_is_pg(const char *uri);

/* Prepared statement from the connection's cache (reset, bindings cleared),
 * prepared and cached on first use; NULL on a SQL error (logged). A full
 * cache (a sign of SQL built at run time) gives up the home slot's entry. */
db_stmt_t *db_prepare(db_t *db, const char *sql);
/* Binding: idx starts at 1. NULL text binds SQL NULL. */
int db_bind_int(db_stmt_t *st, int idx, int64_t v);
int db_bind_double(db_stmt_t *st, int idx, double v);
int db_bind_text(db_stmt_t *st, int idx, const char *v);
int db_bind_textn(db_stmt_t *st, int idx, const char *v, size_t len);
int db_bind_blob(db_stmt_t *st, int idx, const void *v, size_t len);
int db_bind_null(db_stmt_t *st, int idx);
/* Binds parameters 1..n by a format string, one letter a parameter:
 * 'i' int64_t, 't' const char * (NULL binds SQL NULL), 'd' double, 'n' SQL NULL
 * (no argument), 'b' const void *, size_t (blob). Returns 0 or a DB_E* code. */
int db_bindf(db_stmt_t *st, const char *fmt, ...);
/* Runs one step: DB_ROW, DB_DONE or DB_E*. */
int db_step(db_stmt_t *st);
int db_col_count(db_stmt_t *st);
const char *db_col_name(db_stmt_t *st, int col);
bool db_col_is_null(db_stmt_t *st, int col);
int64_t db_col_int(db_stmt_t *st, int col);
double db_col_double(db_stmt_t *st, int col);
/* Text of a column, "" for NULL; valid until the next step or reset. */
const char *db_col_text(db_stmt_t *st, int col);
/* Text of a column or NULL when SQL NULL. */
const char *db_col_text_or_null(db_stmt_t *st, int col);
const void *db_col_blob(db_stmt_t *st, int col, size_t *len);
/* Resets the statement so it can be bound and run again (keeps it cached). */
void db_reset(db_stmt_t *st);

/* Prepare + bind (db_bindf format) + step to completion; for INSERT/UPDATE/DELETE.
 * Returns 0 or DB_E*. */
int db_run(db_t *db, const char *sql, const char *fmt, ...);
/* Prepare + bind + one step. Returns the statement positioned on the first
 * row (DB_ROW in *rc) or DB_DONE; the caller db_reset()s it when done. */
db_stmt_t *db_query(db_t *db, int *rc, const char *sql, const char *fmt, ...);
/* db_query with the parameters as a va_list (for helpers that take them). */
db_stmt_t *db_vquery(db_t *db, int *rc, const char *sql, const char *fmt, va_list ap);
/* Opens the body of a variadic query helper, `f(db_t *db, ..., const char
 * *sql, const char *fmt, ...)`: runs the query over the arguments after fmt,
 * declaring `st` (positioned as db_query leaves it, NULL on failure) and
 * `rc` (db_query's answer). */
#define DB_QUERY_VA(db, sql, fmt)                                                                             \
    int rc;                                                                                                   \
    va_list ap_;                                                                                              \
    va_start(ap_, fmt);                                                                                       \
    db_stmt_t *st = db_vquery(db, &rc, sql, fmt, ap_);                                                        \
    va_end(ap_)
/* Runs an INSERT ... RETURNING id: the new row's id in *id; 0, or DB_E*
 * (DB_ERR when it returned no row). */
int db_insert_id(db_t *db, int64_t *id, const char *sql, const char *fmt, ...);
/* Runs SQL text without parameters (migrations, pragmas). */
int db_exec(db_t *db, const char *sql);

/* Transactions. `write` takes the write lock at once (BEGIN IMMEDIATE on SQLite).
 * Nested begin is an error. */
int db_begin(db_t *db, bool write);
int db_commit(db_t *db);
int db_rollback(db_t *db);
bool db_in_tx(const db_t *db);
int64_t db_changes(db_t *db);
const char *db_errmsg(db_t *db);
db_kind_t db_kind(const db_t *db);

/* Per-thread connections for the server: db_pool_init() once with the URI;
 * db_thread() returns this thread's connection (opening it on first use, or
 * reopening it after a lost connection), NULL when the database is unreachable.
 * db_pool_close() closes all of them (after the worker threads stopped). */
int db_pool_init(const char *uri);
db_t *db_thread(void);
void db_pool_close(void);

/* Schema migrations (migrate.c): applies migrations/NNNN_*.sql not yet applied,
 * each in its own transaction, recording them in schema_migrations. A file
 * NNNN_name.sqlite.sql or NNNN_name.pg.sql runs only on that engine, right
 * after NNNN_name.sql. Idempotent. Returns 0 or DB_E*, with a message logged. */
int db_migrate(db_t *db, const char *dir);
/* Directory holding the migrations: $LABIMPACT_HOME/migrations or ./migrations. */
const char *db_migrations_dir(void);

/* Current Unix time in seconds (one place, so tests can reason about it). */
int64_t db_now(void);

#endif

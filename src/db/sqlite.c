/* sqlite.c — the embedded SQLite driver.
 *
 * Durability first: WAL journal, synchronous=FULL, foreign keys on, a busy
 * timeout so concurrent writers wait instead of failing, BEGIN IMMEDIATE for
 * write transactions (no lock upgrade deadlocks). Statements are cached per
 * connection by db.c (db_prepare). */
#include "core/log.h"
#include "core/str.h"
#include "db.h"
#include <sqlite3.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct sqlite_stmt {
    struct db_stmt head;
    sqlite3_stmt *st;
} sqlite_stmt_t;

/* One writer at a time per database file, queued on a mutex in this process
 * instead of in SQLite's busy handler (which sleeps and polls, giving long
 * tails under concurrent writes). Other processes still meet the busy timeout. */
typedef struct file_lock {
    char path[PATH_MAX];
    pthread_mutex_t mutex;
} file_lock_t;

#define SQLITE_MAX_FILES 64
static file_lock_t file_locks[SQLITE_MAX_FILES];
static int nfile_locks;
static pthread_mutex_t file_locks_guard = PTHREAD_MUTEX_INITIALIZER;

typedef struct sqlite_db {
    struct db head;
    sqlite3 *conn;
    file_lock_t *writer;  /* NULL for an in-memory database */
    bool holds_writer;
} sqlite_db_t;

static int map_rc(sqlite_db_t *d, int rc)
{
    int ext = rc & 0xff;
    int out;
    if (ext == SQLITE_CONSTRAINT) out = DB_ECONSTRAINT;
    else if (ext == SQLITE_BUSY || ext == SQLITE_LOCKED) out = DB_EBUSY;
    else out = DB_ERR;
    d->head.last_error = out;
    return out;
}

/* The writer lock of the file at `path` (shared by every connection of this
 * process to the same file); NULL when it cannot be resolved or the table is full. */
static file_lock_t *writer_lock_for(const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) return NULL;
    file_lock_t *found = NULL;
    pthread_mutex_lock(&file_locks_guard);
    for (int i = 0; i < nfile_locks && !found; i++)
        if (strcmp(file_locks[i].path, real) == 0) found = &file_locks[i];
    if (!found && nfile_locks < SQLITE_MAX_FILES) {
        found = &file_locks[nfile_locks++];
        snprintf(found->path, sizeof found->path, "%s", real);
        pthread_mutex_init(&found->mutex, NULL);
    }
    pthread_mutex_unlock(&file_locks_guard);
    return found;
}

static int sq_open(const char *uri, db_t **out, char *errbuf, size_t errlen)
{
    sqlite_db_t *d = calloc(1, sizeof *d);
    if (!d) return DB_ERR;
    const char *path = strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 : uri;
    int rc = sqlite3_open_v2(path, &d->conn,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(errbuf, errlen, "cannot open SQLite database: %s", sqlite3_errstr(rc));
        sqlite3_close(d->conn);
        free(d);
        return DB_ERR;
    }
    sqlite3_busy_timeout(d->conn, 10000);
    sqlite3_extended_result_codes(d->conn, 1);
    /* The query planner's stability guarantee: a cached statement keeps its
     * plan whatever is bound. Without it SQLite re-prepares a statement at
     * every step after a new binding of a LIKE pattern (every scoped query
     * binds the scope's "o.path LIKE ?"): two thirds of the person page's
     * instructions went into re-parsing (bench/desk/instructions.sh). */
    sqlite3_db_config(d->conn, SQLITE_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
    char *msg = NULL;
    rc = sqlite3_exec(d->conn,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                      "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;",
                      NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(errbuf, errlen, "cannot configure SQLite database: %s", msg ? msg : "");
        sqlite3_free(msg);
        sqlite3_close(d->conn);
        free(d);
        return DB_ERR;
    }
    d->head.kind = DB_SQLITE;
    d->writer = writer_lock_for(path);
    *out = &d->head;
    return 0;
}

/* Releases the writer lock once the transaction has really ended. */
static void release_writer(sqlite_db_t *d)
{
    if (d->holds_writer && sqlite3_get_autocommit(d->conn)) {
        d->holds_writer = false;
        pthread_mutex_unlock(&d->writer->mutex);
    }
}

static void sq_close(db_t *db)
{
    sqlite_db_t *d = (sqlite_db_t *)db;
    if (d->holds_writer) sqlite3_exec(d->conn, "ROLLBACK", NULL, NULL, NULL);
    release_writer(d);
    sqlite3_close(d->conn);
    free(d);
}

static db_stmt_t *sq_prepare(db_t *db, const char *sql)
{
    sqlite_db_t *d = (sqlite_db_t *)db;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(d->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        log_error("sqlite prepare failed: %s", sqlite3_errmsg(d->conn));
        map_rc(d, rc);
        return NULL;
    }
    sqlite_stmt_t *c = calloc(1, sizeof *c);
    if (!c || !(c->head.sql = strdup(sql))) log_fatal("out of memory (statement)");
    c->head.db = db;
    c->st = st;
    return &c->head;
}

static void sq_finalize(db_stmt_t *s, bool evicted)
{
    (void)evicted;
    sqlite_stmt_t *c = (sqlite_stmt_t *)s;
    sqlite3_finalize(c->st);
    free(c->head.sql);
    free(c);
}

#define ST(s) (((sqlite_stmt_t *)(s))->st)
#define DBOF(s) ((sqlite_db_t *)(s)->db)

static int bind_rc(db_stmt_t *s, int rc)
{
    return rc == SQLITE_OK ? 0 : map_rc(DBOF(s), rc);
}

static int sq_bind_int(db_stmt_t *s, int i, int64_t v) { return bind_rc(s, sqlite3_bind_int64(ST(s), i, v)); }
static int sq_bind_double(db_stmt_t *s, int i, double v) { return bind_rc(s, sqlite3_bind_double(ST(s), i, v)); }
static int sq_bind_null(db_stmt_t *s, int i) { return bind_rc(s, sqlite3_bind_null(ST(s), i)); }
static int sq_bind_text(db_stmt_t *s, int i, const char *v, size_t n)
{
    return bind_rc(s, sqlite3_bind_text64(ST(s), i, v, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}
static int sq_bind_blob(db_stmt_t *s, int i, const void *v, size_t n)
{
    return bind_rc(s, sqlite3_bind_blob64(ST(s), i, v, n, SQLITE_TRANSIENT));
}

static int sq_step(db_stmt_t *s)
{
    int rc = sqlite3_step(ST(s));
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    sqlite_db_t *d = DBOF(s);
    if ((rc & 0xff) != SQLITE_CONSTRAINT) log_warn("sqlite step failed: %s", sqlite3_errmsg(d->conn));
    return map_rc(d, rc);
}

static int sq_col_count(db_stmt_t *s) { return sqlite3_column_count(ST(s)); }
static const char *sq_col_name(db_stmt_t *s, int c) { return sqlite3_column_name(ST(s), c); }
static int sq_col_is_null(db_stmt_t *s, int c) { return sqlite3_column_type(ST(s), c) == SQLITE_NULL; }
static int64_t sq_col_int(db_stmt_t *s, int c) { return sqlite3_column_int64(ST(s), c); }
static double sq_col_double(db_stmt_t *s, int c) { return sqlite3_column_double(ST(s), c); }
static const char *sq_col_text(db_stmt_t *s, int c) { return (const char *)sqlite3_column_text(ST(s), c); }
static const void *sq_col_blob(db_stmt_t *s, int c, size_t *len)
{
    const void *p = sqlite3_column_blob(ST(s), c);
    *len = (size_t)sqlite3_column_bytes(ST(s), c);
    return p;
}

static void sq_reset(db_stmt_t *s)
{
    sqlite3_reset(ST(s));
    sqlite3_clear_bindings(ST(s));
}

static int sq_exec(db_t *db, const char *sql)
{
    sqlite_db_t *d = (sqlite_db_t *)db;
    char *msg = NULL;
    int rc = sqlite3_exec(d->conn, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("sqlite exec failed: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return map_rc(d, rc);
    }
    return 0;
}

static int sq_begin(db_t *db, bool write)
{
    sqlite_db_t *d = (sqlite_db_t *)db;
    if (write && d->writer) {
        pthread_mutex_lock(&d->writer->mutex);
        d->holds_writer = true;
    }
    int rc = sq_exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN");
    release_writer(d); /* released at once when BEGIN failed */
    return rc;
}

static int sq_commit(db_t *db)
{
    int rc = sq_exec(db, "COMMIT");
    release_writer((sqlite_db_t *)db);
    return rc;
}

static int sq_rollback(db_t *db)
{
    int rc = sq_exec(db, "ROLLBACK");
    release_writer((sqlite_db_t *)db);
    return rc;
}
static int64_t sq_changes(db_t *db) { return sqlite3_changes64(((sqlite_db_t *)db)->conn); }
static const char *sq_errmsg(db_t *db) { return sqlite3_errmsg(((sqlite_db_t *)db)->conn); }

const db_driver_t db_sqlite_driver = DB_DRIVER("sqlite", sq);

/* SQLite-only helpers used by `check` and `backup` (declared in db/sqlite_tools.h). */
#include "sqlite_tools.h"

int db_sqlite_backup(db_t *db, const char *dest_path, char *errbuf, size_t errlen)
{
    sqlite_db_t *d = (sqlite_db_t *)db;
    sqlite3 *dest = NULL;
    int rc = sqlite3_open(dest_path, &dest);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dest, "main", d->conn, "main");
        if (b) {
            do rc = sqlite3_backup_step(b, 256);
            while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
            sqlite3_backup_finish(b);
        }
        rc = sqlite3_errcode(dest);
    }
    if (rc != SQLITE_OK) snprintf(errbuf, errlen, "backup failed: %s", sqlite3_errmsg(dest));
    sqlite3_close(dest);
    return rc == SQLITE_OK ? 0 : DB_ERR;
}

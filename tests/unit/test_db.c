/* test_db.c — the storage API (db.h) on both engines, and migrate-data.
 *
 * Every generic case runs against SQLite (a fresh file per case) always, and
 * against PostgreSQL (a fresh schema per case) when LABIMPACT_TEST_PG holds
 * a URI (scripts/pg-test.sh start prints one); without it the PostgreSQL cases
 * are reported as skipped. The migrations run from a temporary LABIMPACT_HOME
 * holding the real migrations plus a test-only table with every value type.
 *
 * It must never touch data it did not create: PostgreSQL cases create and
 * drop their own schemas (li_t_<pid>_<n>) in the given database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/log.h"
#include "db/db.h"
#include "db/migrate_data.h"
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- fixture -------------------------------------------------------------------- */

typedef struct engine {
    const char *name;
    db_kind_t kind;
} engine_t;

static engine_t E_SQLITE = {"sqlite", DB_SQLITE};
static engine_t E_PG = {"pg", DB_PG};

typedef struct ctx {
    const engine_t *e;
    char uri[600];
    db_t *db;
} ctx_t;

static char home[128];       /* temporary LABIMPACT_HOME */
static const char *pg_base;  /* LABIMPACT_TEST_PG or NULL */
static db_t *pg_admin;       /* connection to pg_base, to create/drop databases */
static int db_counter;
static char pg_created[256][64];
static int pg_ncreated;

static const char TEST_MIGRATION[] =
    "-- test only: one column of every value class\n"
    "CREATE TABLE t_types (\n"
    "    id {{id}},\n"
    "    i BIGINT,\n"
    "    d DOUBLE PRECISION,\n"
    "    s TEXT,\n"
    "    b {{blob}},\n"
    "    flag INTEGER NOT NULL DEFAULT 0\n"
    ");\n";

/* Builds `uri` with its search_path set to `schema` (libpq "options"). */
static void uri_with_schema(const char *uri, const char *schema, char *out, size_t len)
{
    snprintf(out, len, "%s%coptions=-c%%20search_path%%3D%s", uri, strchr(uri, '?') ? '&' : '?', schema);
}

/* A new, empty database of engine `e` (a schema of its own on PostgreSQL,
 * much faster to make than a database); writes its URI. 0 or -1. */
static int fresh_db(const engine_t *e, char *uri, size_t len)
{
    int n = ++db_counter;
    if (e->kind == DB_SQLITE) {
        snprintf(uri, len, "%s/db%d.sqlite", home, n);
        return 0;
    }
    if (!pg_admin || pg_ncreated >= 256) return -1;
    char name[64], sql[128];
    snprintf(name, sizeof name, "li_t_%d_%d", (int)getpid(), n);
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", name);
    if (db_exec(pg_admin, sql) != 0) return -1;
    snprintf(pg_created[pg_ncreated++], sizeof pg_created[0], "%s", name);
    uri_with_schema(pg_base, name, uri, len);
    return 0;
}

/* Opens a fresh database of engine `e`, migrated. NULL on failure. */
static db_t *open_fresh(const engine_t *e, char *uri, size_t len)
{
    char err[512];
    if (fresh_db(e, uri, len) != 0) return NULL;
    db_t *db = db_open(uri, err, sizeof err);
    if (!db) {
        fprintf(stderr, "open %s: %s\n", e->name, err);
        return NULL;
    }
    if (db_migrate(db, db_migrations_dir()) != 0) {
        db_close(db);
        return NULL;
    }
    return db;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[8192];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) rc = -1;
    if (in) fclose(in);
    if (out && fclose(out) != 0) rc = -1;
    return rc;
}

/* LABIMPACT_HOME with copies of the migrations (./migrations, or the folder
 * in LABIMPACT_TEST_MIGRATIONS) and the test migration. */
static int make_home(void)
{
    char path[PATH_MAX + 300], src[PATH_MAX + 300];
    const char *from = getenv("LABIMPACT_TEST_MIGRATIONS");
    if (!from || !*from) from = "migrations";
    snprintf(home, sizeof home, "/tmp/labimpact-test-db-XXXXXX");
    if (!mkdtemp(home)) return -1;
    snprintf(path, sizeof path, "%s/migrations", home);
    if (mkdir(path, 0700) != 0) return -1;
    DIR *d = opendir(from);
    if (!d) return -1;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        struct stat sb;
        snprintf(src, sizeof src, "%.1000s/%s", from, ent->d_name);
        if (ent->d_name[0] == '.' || stat(src, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;
        snprintf(path, sizeof path, "%s/migrations/%s", home, ent->d_name);
        if (copy_file(src, path) != 0) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    snprintf(path, sizeof path, "%s/migrations/9000_test_types.sql", home);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(TEST_MIGRATION, f);
    fclose(f);
    return setenv("LABIMPACT_HOME", home, 1);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int group_setup(void **state)
{
    (void)state;
    log_set_level(LOG_ERROR);
    log_from_env();
    if (make_home() != 0) return -1;
    pg_base = getenv("LABIMPACT_TEST_PG");
    if (pg_base && !*pg_base) pg_base = NULL;
    if (pg_base) {
        char err[512];
        pg_admin = db_open(pg_base, err, sizeof err);
        if (!pg_admin) {
            fprintf(stderr, "LABIMPACT_TEST_PG set but unreachable: %s\n", err);
            return -1;
        }
    } else {
        fprintf(stderr, "note: LABIMPACT_TEST_PG not set: PostgreSQL cases are skipped "
                        "(scripts/pg-test.sh start prints a URI)\n");
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    for (int i = 0; i < pg_ncreated; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %.63s CASCADE", pg_created[i]);
        db_exec(pg_admin, sql);
    }
    db_close(pg_admin);
    if (home[0]) nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

/* Per case: a fresh migrated database of the engine given as prestate. */
static int case_setup(void **state)
{
    ctx_t *c = calloc(1, sizeof *c);
    if (!c) return -1;
    c->e = *state;
    *state = c;
    if (c->e->kind == DB_PG && !pg_base) return 0; /* the case will skip() */
    c->db = open_fresh(c->e, c->uri, sizeof c->uri);
    return c->db ? 0 : -1;
}

static int case_teardown(void **state)
{
    ctx_t *c = *state;
    if (c && c->db && db_in_tx(c->db)) db_rollback(c->db);
    if (c) db_close(c->db);
    free(c);
    return 0;
}

/* The case's context, or skip() when its engine is not available. */
static ctx_t *need(void **state)
{
    ctx_t *c = *state;
    if (!c->db) skip();
    return c;
}

static int64_t count_rows(db_t *db, const char *sql)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, sql, "");
    assert_non_null(st);
    assert_int_equal(rc, DB_ROW);
    int64_t n = db_col_int(st, 0);
    db_reset(st);
    return n;
}

/* Inserts an organisation (a root when parent is 0) and returns its id,
 * read through RETURNING; a negative DB_E* code on failure. */
static int64_t add_org(db_t *db, const char *code, int64_t parent)
{
    static const char sql[] = "INSERT INTO org (code, name, kind, parent_id, path, created_at, updated_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
    int rc;
    db_stmt_t *st = parent ? db_query(db, &rc, sql, "tttitii", code, code, "ambito", parent, "/",
                                      (int64_t)1700000000, (int64_t)1700000000)
                           : db_query(db, &rc, sql, "tttntii", code, code, "region", "/",
                                      (int64_t)1700000000, (int64_t)1700000000);
    if (!st) return rc;
    assert_int_equal(rc, DB_ROW);
    int64_t id = db_col_int(st, 0);
    assert_int_equal(db_step(st), DB_DONE);
    db_reset(st);
    return id;
}

/* ---- generic cases (both engines) ------------------------------------------------ */

static void t_migrations(void **state)
{
    ctx_t *c = need(state);
    int64_t n = count_rows(c->db, "SELECT count(*) FROM schema_migrations");
    assert_true(n >= 2);
    assert_int_equal(db_migrate(c->db, db_migrations_dir()), 0);
    assert_int_equal(db_migrate(c->db, db_migrations_dir()), 0);
    assert_int_equal(count_rows(c->db, "SELECT count(*) FROM schema_migrations"), n);
    assert_int_equal(count_rows(c->db, "SELECT count(*) FROM org"), 0);
    assert_int_equal(db_kind(c->db), c->e->kind);
}

static void t_values(void **state)
{
    ctx_t *c = need(state);
    static const unsigned char blob[] = {0, 1, 2, 0xff, 0, 'x', 0x80, 0};
    int rc;
    db_stmt_t *st = db_query(c->db, &rc, "INSERT INTO t_types (i, d, s, b) VALUES (?, ?, ?, ?) RETURNING id",
                             "idtb", INT64_MIN, 0.1, "plain", blob, sizeof blob);
    assert_non_null(st);
    assert_int_equal(rc, DB_ROW);
    int64_t id = db_col_int(st, 0);
    db_reset(st);
    assert_int_equal(db_run(c->db, "INSERT INTO t_types (i, d, s, b) VALUES (?, ?, ?, ?)", "idnb",
                            INT64_MAX, -1e300, (const void *)"", (size_t)0),
                     0);
    assert_int_equal(db_run(c->db, "INSERT INTO t_types (i, d, s, b) VALUES (?, ?, ?, ?)", "nntn", ""),
                     0);

    st = db_query(c->db, &rc, "SELECT id, i, d, s, b, flag FROM t_types ORDER BY id", "");
    assert_non_null(st);
    assert_int_equal(rc, DB_ROW);
    assert_int_equal(db_col_count(st), 6);
    assert_string_equal(db_col_name(st, 3), "s");
    assert_int_equal(db_col_int(st, 0), id);
    assert_true(db_col_int(st, 1) == INT64_MIN);
    assert_true(db_col_double(st, 2) == 0.1);
    assert_string_equal(db_col_text(st, 3), "plain");
    size_t len = 0;
    const void *p = db_col_blob(st, 4, &len);
    assert_int_equal(len, sizeof blob);
    assert_memory_equal(p, blob, sizeof blob);
    assert_int_equal(db_col_int(st, 5), 0);

    assert_int_equal(db_step(st), DB_ROW);
    assert_true(db_col_int(st, 1) == INT64_MAX);
    assert_true(db_col_double(st, 2) == -1e300);
    assert_true(db_col_is_null(st, 3));
    assert_null(db_col_text_or_null(st, 3));
    assert_string_equal(db_col_text(st, 3), "");
    assert_false(db_col_is_null(st, 4));
    db_col_blob(st, 4, &len);
    assert_int_equal(len, 0);

    assert_int_equal(db_step(st), DB_ROW);
    assert_true(db_col_is_null(st, 1));
    assert_true(db_col_is_null(st, 2));
    assert_true(db_col_is_null(st, 4));
    assert_string_equal(db_col_text(st, 3), "");
    assert_false(db_col_is_null(st, 3));
    assert_int_equal(db_step(st), DB_DONE);
    db_reset(st);

    assert_int_equal(db_run(c->db, "UPDATE t_types SET s = ?, d = ? WHERE id = ?", "tdi", "changed", 2.5, id), 0);
    assert_int_equal(db_changes(c->db), 1);
    assert_int_equal(db_run(c->db, "UPDATE t_types SET flag = 1", ""), 0);
    assert_int_equal(db_changes(c->db), 3);
    st = db_query(c->db, &rc, "SELECT s, d FROM t_types WHERE id = ?", "i", id);
    assert_non_null(st);
    assert_string_equal(db_col_text(st, 0), "changed");
    assert_true(db_col_double(st, 1) == 2.5);
    db_reset(st);
    assert_int_equal(db_run(c->db, "DELETE FROM t_types WHERE id <> ?", "i", id), 0);
    assert_int_equal(db_changes(c->db), 2);
}

static void t_returning(void **state)
{
    ctx_t *c = need(state);
    int64_t a = add_org(c->db, "lombardia", 0);
    int64_t b = add_org(c->db, "cremona", a);
    assert_true(a > 0);
    assert_true(b > a);
    int rc;
    db_stmt_t *st = db_query(c->db, &rc, "SELECT parent_id FROM org WHERE id = ?", "i", b);
    assert_non_null(st);
    assert_int_equal(db_col_int(st, 0), a);
    db_reset(st);
}

static void t_stmt_cache(void **state)
{
    ctx_t *c = need(state);
    const char *sql = "SELECT count(*) FROM org WHERE code <> ? /* cache probe */";
    db_stmt_t *a = db_prepare(c->db, sql);
    assert_non_null(a);
    for (int i = 0; i < 50; i++) {
        char code[16];
        snprintf(code, sizeof code, "x%d", i);
        db_stmt_t *b = db_prepare(c->db, sql);
        assert_ptr_equal(a, b);
        assert_int_equal(db_bindf(b, "t", code), 0);
        assert_int_equal(db_step(b), DB_ROW);
        assert_int_equal(db_col_int(b, 0), 0);
        db_reset(b);
    }
    if (c->e->kind == DB_PG) { /* prepared once on the server */
        int rc;
        db_stmt_t *st = db_query(c->db, &rc, "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE ?",
                                 "t", "%/* cache probe */");
        assert_non_null(st);
        assert_int_equal(db_col_int(st, 0), 1);
        db_reset(st);
    }
}

/* More distinct SQL texts than the cache holds: every statement still runs,
 * and the evicted ones are deallocated on the server (PostgreSQL keeps at
 * most the cache's worth of prepared statements). */
static void t_stmt_cache_full(void **state)
{
    ctx_t *c = need(state);
    for (int i = 0; i < DB_CACHE_SLOTS + 100; i++) {
        char sql[80];
        snprintf(sql, sizeof sql, "SELECT %d + count(*) FROM org /* full cache %d */", i, i);
        int rc;
        db_stmt_t *st = db_query(c->db, &rc, sql, NULL);
        assert_non_null(st);
        assert_int_equal(rc, DB_ROW);
        assert_int_equal(db_col_int(st, 0), i);
        db_reset(st);
    }
    if (c->e->kind == DB_PG) {
        int rc;
        db_stmt_t *st = db_query(c->db, &rc, "SELECT count(*) FROM pg_prepared_statements", NULL);
        assert_non_null(st);
        assert_true(db_col_int(st, 0) <= DB_CACHE_SLOTS);
        db_reset(st);
    }
}

static void t_constraints(void **state)
{
    ctx_t *c = need(state);
    int64_t a = add_org(c->db, "lodi", 0);
    assert_true(a > 0);
    int rc = (int)add_org(c->db, "lodi", 0);
    assert_int_equal(rc, DB_ECONSTRAINT);
    assert_int_equal(c->db->last_error, DB_ECONSTRAINT);
    /* Foreign key and NOT NULL and CHECK violations are constraint failures too. */
    assert_int_equal(db_run(c->db, "INSERT INTO role_grant (user_id, role, org_id, created_at) VALUES (?, ?, ?, ?)",
                            "itii", (int64_t)999, "admin", a, (int64_t)1),
                     DB_ECONSTRAINT);
    assert_int_equal(db_run(c->db, "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?)", "tni",
                            "k", (int64_t)1),
                     DB_ECONSTRAINT);
    assert_int_equal(db_run(c->db, "INSERT INTO org (code, name, kind, path, created_at, updated_at) "
                                   "VALUES (?, ?, ?, ?, ?, ?)",
                            "ttttii", "z", "z", "planet", "/", (int64_t)1, (int64_t)1),
                     DB_ECONSTRAINT);
    /* The connection still works afterwards. */
    assert_int_equal(count_rows(c->db, "SELECT count(*) FROM org"), 1);
}

static void t_rollback(void **state)
{
    ctx_t *c = need(state);
    assert_int_equal(db_begin(c->db, true), 0);
    assert_true(db_in_tx(c->db));
    assert_true(add_org(c->db, "luino", 0) > 0);
    assert_int_equal(db_run(c->db, "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?)", "tti",
                            "theme", "{}", (int64_t)1),
                     0);
    assert_int_equal(db_rollback(c->db), 0);
    assert_false(db_in_tx(c->db));
    assert_int_equal(count_rows(c->db, "SELECT count(*) FROM org"), 0);
    assert_int_equal(count_rows(c->db, "SELECT count(*) FROM setting"), 0);
    /* And a committed transaction stays. */
    assert_int_equal(db_begin(c->db, true), 0);
    assert_true(add_org(c->db, "luino", 0) > 0);
    assert_int_equal(db_commit(c->db), 0);
    assert_int_equal(count_rows(c->db, "SELECT count(*) FROM org"), 1);
}

static void t_audit_append_only(void **state)
{
    ctx_t *c = need(state);
    assert_int_equal(db_run(c->db, "INSERT INTO audit (at, user_id, action, object_kind, object_id) "
                                   "VALUES (?, ?, ?, ?, ?)",
                            "iitti", (int64_t)1700000000, (int64_t)1, "read", "person", "42"),
                     0);
    assert_int_equal(db_run(c->db, "UPDATE audit SET action = ?", "t", "forged"), DB_ECONSTRAINT);
    assert_int_equal(db_run(c->db, "DELETE FROM audit", ""), DB_ECONSTRAINT);
    int rc;
    db_stmt_t *st = db_query(c->db, &rc, "SELECT action, count(*) FROM audit GROUP BY action", "");
    assert_non_null(st);
    assert_string_equal(db_col_text(st, 0), "read");
    assert_int_equal(db_col_int(st, 1), 1);
    assert_int_equal(db_step(st), DB_DONE);
    db_reset(st);
}

static void t_utf8(void **state)
{
    ctx_t *c = need(state);
    static const char text[] = "Lab\xe2\x80\x99Impact \xe2\x80\x94 \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 "
                               "\xe4\xbd\xa0\xe5\xa5\xbd \xd0\xa3\xd0\xba\xd1\x80\xd0\xb0\xd1\x97\xd0\xbd\xd0\xb0 "
                               "\xf0\x9f\x87\xae\xf0\x9f\x87\xb9 \xc3\xa0\xc3\xa8\xc3\xac";
    assert_int_equal(db_run(c->db, "INSERT INTO t_types (s) VALUES (?)", "t", text), 0);
    int rc;
    db_stmt_t *st = db_query(c->db, &rc, "SELECT s, length(s) FROM t_types WHERE s = ?", "t", text);
    assert_non_null(st);
    assert_int_equal(rc, DB_ROW);
    assert_string_equal(db_col_text(st, 0), text);
    assert_int_equal(db_col_int(st, 1), 36); /* characters, not bytes */
    db_reset(st);
    st = db_query(c->db, &rc, "SELECT length(CAST(? AS TEXT))", "t", "\xd0\xa3\xd0\xba\xd1\x80\xd0\xb0\xd1\x97\xd0\xbd\xd0\xb0");
    assert_non_null(st);
    assert_int_equal(db_col_int(st, 0), 7);
    db_reset(st);
}

typedef struct thread_out {
    db_t *db;
    db_t *again;
    int rc;
} thread_out_t;

static void *thread_main(void *arg)
{
    thread_out_t *o = arg;
    o->db = db_thread();
    o->again = db_thread();
    if (!o->db) return NULL;
    int64_t one = 0;
    db_stmt_t *st = db_query(o->db, &o->rc, "SELECT 1 + ?", "i", (int64_t)0);
    if (st) one = db_col_int(st, 0), db_reset(st);
    if (one != 1) o->rc = -100;
    return NULL;
}

static void t_threads(void **state)
{
    ctx_t *c = need(state);
    assert_int_equal(db_pool_init(c->uri), 0);
    pthread_t th[2];
    thread_out_t out[2] = {{0}};
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&th[i], NULL, thread_main, &out[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 2; i++) {
        assert_non_null(out[i].db);
        assert_ptr_equal(out[i].db, out[i].again);
        assert_int_equal(out[i].rc, DB_ROW);
    }
    assert_ptr_not_equal(out[0].db, out[1].db);
    db_pool_close();
}

/* ---- PostgreSQL only ---------------------------------------------------------------- */

static void t_pg_placeholders(void **state)
{
    ctx_t *c = need(state);
    int rc;
    db_stmt_t *st = db_query(c->db, &rc,
                             "SELECT '?it''s?' || CAST(? AS TEXT) AS \"a?b\", /* ? /* nested ? */ ? */\n"
                             "  $$?$$ || CAST(? AS TEXT), -- a ? comment\n"
                             "  E'\\'?' || CAST(? AS TEXT), $t$ ? $t$ AS \"q\"\"?\"",
                             "ttt", "1", "2", "3");
    assert_non_null(st);
    assert_int_equal(rc, DB_ROW);
    assert_string_equal(db_col_name(st, 0), "a?b");
    assert_string_equal(db_col_text(st, 0), "?it's?1");
    assert_string_equal(db_col_text(st, 1), "?2");
    assert_string_equal(db_col_text(st, 2), "'?3");
    assert_string_equal(db_col_text(st, 3), " ? ");
    assert_string_equal(db_col_name(st, 3), "q\"?");
    db_reset(st);
    /* Column names are known before the first step too. */
    st = db_prepare(c->db, "SELECT id, code FROM org WHERE id = ?");
    assert_non_null(st);
    assert_int_equal(db_col_count(st), 2);
    assert_string_equal(db_col_name(st, 1), "code");
    db_reset(st);
}

static int64_t backend_pid(db_t *db)
{
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT pg_backend_pid()", "");
    if (!st) return rc;
    int64_t pid = db_col_int(st, 0);
    db_reset(st);
    return pid;
}

/* Kills the server process behind `victim`'s connection, from `killer`. */
static void kill_backend(db_t *killer, db_t *victim, int64_t *pid)
{
    *pid = backend_pid(victim);
    assert_true(*pid > 0);
    assert_int_equal(db_run(killer, "SELECT pg_terminate_backend(CAST(? AS INTEGER), 5000)", "i", *pid), 0);
}

/* Outside a transaction a connection the server closed is replaced before
 * use (nothing can be lost there); inside one the loss is DB_ECONN, and
 * db_thread() then hands out a new connection. Cached statements are
 * prepared again on the new connection. */
static void t_pg_reconnect(void **state)
{
    ctx_t *c = need(state);
    static const char ins[] = "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?)";
    assert_int_equal(db_pool_init(c->uri), 0);
    db_t *db = db_thread();
    assert_non_null(db);
    int64_t pid, pid2;
    assert_int_equal(db_run(db, ins, "tti", "a", "1", (int64_t)1), 0);
    kill_backend(c->db, db, &pid);
    assert_int_equal(db_run(db, ins, "tti", "b", "1", (int64_t)1), 0);
    pid2 = backend_pid(db);
    assert_true(pid2 > 0 && pid2 != pid);

    kill_backend(c->db, db, &pid);
    /* BEGIN itself is retried on a new connection: it did nothing yet. */
    assert_int_equal(db_begin(db, true), 0);
    assert_int_equal(db_run(db, ins, "tti", "c", "1", (int64_t)1), 0);
    kill_backend(c->db, db, &pid);
    assert_int_equal(db_run(db, ins, "tti", "d", "1", (int64_t)1), DB_ECONN);
    assert_int_equal(db->last_error, DB_ECONN);
    db_rollback(db);
    db = db_thread();
    assert_non_null(db);
    assert_true(backend_pid(db) != pid);
    assert_int_equal(db_run(db, ins, "tti", "e", "1", (int64_t)1), 0);
    assert_int_equal(count_rows(c->db, "SELECT count(*) FROM setting"), 3); /* a, b, e */
    db_pool_close();
}

/* COMMIT after a failed statement must not report success. */
static void t_pg_aborted_commit(void **state)
{
    ctx_t *c = need(state);
    assert_true(add_org(c->db, "cremona", 0) > 0);
    assert_int_equal(db_begin(c->db, true), 0);
    assert_true(add_org(c->db, "luino", 0) > 0);
    assert_int_equal(add_org(c->db, "cremona", 0), DB_ECONSTRAINT);
    assert_int_equal(db_commit(c->db), DB_ERR);
    assert_int_equal(count_rows(c->db, "SELECT count(*) FROM org"), 1);
}

/* A write on a read-only server (a demoted primary) means "find the primary". */
static void t_pg_readonly_is_econn(void **state)
{
    ctx_t *c = need(state);
    assert_int_equal(db_exec(c->db, "SET default_transaction_read_only = on"), 0);
    assert_int_equal(db_run(c->db, "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?)", "tti", "a",
                            "1", (int64_t)1),
                     DB_ECONN);
}

/* Needs no server: the password never appears in an error message. */
static void t_pg_no_password_in_errors(void **state)
{
    (void)state;
    char err[512];
    db_t *db = db_open("postgresql://user:s3cr3tPW@127.0.0.1:1/x?connect_timeout=2", err, sizeof err);
    assert_null(db);
    assert_null(strstr(err, "s3cr3tPW"));
    assert_non_null(strstr(err, "127.0.0.1"));
    db = db_open("postgresql://user:s3cr3t%zzPW@127.0.0.1:1/x", err, sizeof err);
    assert_null(db);
    assert_null(strstr(err, "s3cr3t"));
    assert_true(db_uri_is_pg("postgres://h/db"));
    assert_false(db_uri_is_pg("var/labimpact.db"));
}

/* ---- migrate-data -------------------------------------------------------------------- */

/* Fills `db` with data touching every value class, composite and text keys,
 * a child whose parent has a larger id, and the append-only audit. */
static void fill(db_t *db)
{
    static const unsigned char blob[] = {0, 0xfe, 'a', 0, 0x7f};
    assert_int_equal(db_begin(db, true), 0);
    int64_t region = add_org(db, "lombardia", 0);
    int64_t amb = add_org(db, "cremona", region);
    int64_t late = add_org(db, "zz-late-root", 0);
    assert_true(region > 0 && amb > 0 && late > amb);
    /* Re-parent: the child (amb) now has a parent created after it. */
    assert_int_equal(db_run(db, "UPDATE org SET parent_id = ? WHERE id = ?", "ii", late, amb), 0);
    for (int i = 0; i < 450; i++) {
        char code[32];
        snprintf(code, sizeof code, "comune-%03d", i);
        assert_true(add_org(db, code, i % 2 ? amb : region) > 0);
    }
    static const char *const langs[] = {"it", "en", "ar", "Z", "a", "\xc3\xa9"};
    for (int n = 1; n <= 4; n++)
        for (int l = 0; l < 6; l++)
            assert_int_equal(db_run(db, "INSERT INTO macro_action (n, lang, title) VALUES (?, ?, ?)", "itt",
                                    (int64_t)n, langs[l], "Scuole \xe2\x80\x94 \xd8\xa7"),
                             0);
    assert_int_equal(db_run(db, "INSERT INTO app_user (username, password_hash, created_at, updated_at) "
                                "VALUES (?, ?, ?, ?)",
                            "ttii", "admin", "$argon2id$x", (int64_t)1, (int64_t)2),
                     0);
    assert_int_equal(db_run(db, "INSERT INTO role_grant (user_id, role, org_id, created_at) "
                                "VALUES ((SELECT id FROM app_user), ?, ?, ?)",
                            "tii", "admin", region, (int64_t)3),
                     0);
    for (int i = 0; i < 30; i++)
        assert_int_equal(db_run(db, "INSERT INTO audit (at, action, person_id, detail) VALUES (?, ?, ?, ?)",
                                "itit", (int64_t)1700000000 + i, "read", (int64_t)i, i % 3 ? "x" : NULL),
                         0);
    /* Enough rows for several cursor fetches and insert batches. */
    assert_int_equal(db_run(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) "
                                "INSERT INTO audit (at, action, person_id, detail) "
                                "SELECT 1700000000 + i, 'bulk', i, 'row ' || i FROM n",
                            ""),
                     0);
    assert_int_equal(db_changes(db), 2500);
    assert_int_equal(db_run(db, "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?), (?, ?, ?)",
                            "ttitti", "b", "{\"x\":1}", (int64_t)5, "B", "[]", (int64_t)6),
                     0);
    assert_int_equal(db_run(db, "INSERT INTO t_types (i, d, s, b) VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)",
                            "idtbidtbnnnn", INT64_MIN, 0.1, "\xe4\xbd\xa0", blob, sizeof blob, (int64_t)7,
                            1e-310, "", (const void *)"", (size_t)0),
                     0);
    assert_int_equal(db_commit(db), 0);
}

/* Every table has the same count and checksum on both sides. */
static void assert_same_data(db_t *a, db_t *b)
{
    static const char *const tables[] = {"org", "macro_action", "app_user", "role_grant", "audit",
                                         "setting", "t_types", "project", "session"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        int64_t na = -1, nb = -2;
        char ha[65], hb[65], err[256];
        assert_int_equal(db_table_checksum(a, tables[i], &na, ha, err, sizeof err), 0);
        assert_int_equal(db_table_checksum(b, tables[i], &nb, hb, err, sizeof err), 0);
        if (na != nb || strcmp(ha, hb) != 0)
            fprintf(stderr, "table %s differs: %lld rows %s / %lld rows %s\n", tables[i], (long long)na, ha,
                    (long long)nb, hb);
        assert_true(na == nb);
        assert_string_equal(ha, hb);
    }
}

/* Fills a fresh `from` database, migrates it into a fresh `to` one, checks. */
static void migrate_between(const engine_t *from, const engine_t *to)
{
    char src_uri[600], dst_uri[600], err[512];
    db_t *src = open_fresh(from, src_uri, sizeof src_uri);
    assert_non_null(src);
    fill(src);
    assert_int_equal(fresh_db(to, dst_uri, sizeof dst_uri), 0);
    FILE *progress = tmpfile();
    int rc = db_migrate_data(src_uri, dst_uri, progress, err, sizeof err);
    if (rc) fprintf(stderr, "migrate-data %s -> %s: %s\n", from->name, to->name, err);
    assert_int_equal(rc, 0);
    char line[256], last[256] = "";
    rewind(progress);
    while (fgets(line, sizeof line, progress)) snprintf(last, sizeof last, "%s", line);
    fclose(progress);
    assert_non_null(strstr(last, "done:"));

    db_t *dst = db_open(dst_uri, err, sizeof err);
    assert_non_null(dst);
    assert_same_data(src, dst);
    /* The target keeps working: new ids follow the copied ones, the audit
     * is still append-only, the org tree is intact. */
    int64_t max = count_rows(dst, "SELECT max(id) FROM org");
    assert_true(add_org(dst, "new-after-copy", 0) > max);
    assert_int_equal(db_run(dst, "DELETE FROM audit", ""), DB_ECONSTRAINT);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM org o JOIN org p ON p.id = o.parent_id "
                                     "WHERE p.code = 'zz-late-root' AND o.code = 'cremona'"),
                     1);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM org o JOIN org p ON p.id = o.parent_id "
                                     "WHERE p.code = 'cremona'"),
                     225);
    /* A second run is refused: the target is no longer empty. */
    assert_int_not_equal(db_migrate_data(src_uri, dst_uri, NULL, err, sizeof err), 0);
    assert_non_null(strstr(err, "not empty"));
    db_close(dst);
    db_close(src);
}

static void t_md_sqlite_to_sqlite(void **state)
{
    (void)state;
    migrate_between(&E_SQLITE, &E_SQLITE);
}

static void t_md_sqlite_to_pg(void **state)
{
    (void)state;
    if (!pg_base) skip();
    migrate_between(&E_SQLITE, &E_PG);
}

static void t_md_pg_to_sqlite(void **state)
{
    (void)state;
    if (!pg_base) skip();
    migrate_between(&E_PG, &E_SQLITE);
}

/* A target with data is refused and left exactly as it was. */
static void refuse_nonempty(const engine_t *to)
{
    char src_uri[600], dst_uri[600], err[512];
    db_t *src = open_fresh(&E_SQLITE, src_uri, sizeof src_uri);
    db_t *dst = open_fresh(to, dst_uri, sizeof dst_uri);
    assert_non_null(src);
    assert_non_null(dst);
    fill(src);
    assert_int_equal(db_run(dst, "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?)", "tti", "k",
                            "v", (int64_t)1),
                     0);
    int rc = db_migrate_data(src_uri, dst_uri, NULL, err, sizeof err);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(err, "not empty"));
    assert_non_null(strstr(err, "setting"));
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM org"), 0);
    assert_int_equal(count_rows(dst, "SELECT count(*) FROM setting"), 1);
    db_close(dst);
    db_close(src);
}

static void t_md_refuse_nonempty_sqlite(void **state)
{
    (void)state;
    refuse_nonempty(&E_SQLITE);
}

static void t_md_refuse_nonempty_pg(void **state)
{
    (void)state;
    if (!pg_base) skip();
    refuse_nonempty(&E_PG);
}

/* A source that is not a labimpact database, and a source equal to the target. */
static void t_md_bad_source(void **state)
{
    (void)state;
    char src_uri[600], dst_uri[600], err[512];
    assert_int_equal(fresh_db(&E_SQLITE, src_uri, sizeof src_uri), 0);
    assert_int_equal(fresh_db(&E_SQLITE, dst_uri, sizeof dst_uri), 0);
    db_t *src = db_open(src_uri, err, sizeof err);
    assert_non_null(src);
    assert_int_equal(db_exec(src, "CREATE TABLE other (x INTEGER)"), 0);
    db_close(src);
    assert_int_not_equal(db_migrate_data(src_uri, dst_uri, NULL, err, sizeof err), 0);
    assert_non_null(strstr(err, "no labimpact schema"));
    assert_int_not_equal(db_migrate_data(src_uri, src_uri, NULL, err, sizeof err), 0);
    assert_non_null(strstr(err, "same"));
}

/* ---- main ------------------------------------------------------------------------------ */

/* Each generic case twice, named by engine so a skip says which one. */
#define ON(fn, e) {#fn " [" #e "]", fn, case_setup, case_teardown, &E_##e}
#define BOTH(fn) ON(fn, SQLITE), ON(fn, PG)

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(t_migrations),
        BOTH(t_values),
        BOTH(t_returning),
        BOTH(t_stmt_cache),
        BOTH(t_stmt_cache_full),
        BOTH(t_constraints),
        BOTH(t_rollback),
        BOTH(t_audit_append_only),
        BOTH(t_utf8),
        BOTH(t_threads),
        ON(t_pg_placeholders, PG),
        ON(t_pg_reconnect, PG),
        ON(t_pg_aborted_commit, PG),
        ON(t_pg_readonly_is_econn, PG),
        cmocka_unit_test(t_pg_no_password_in_errors),
        cmocka_unit_test(t_md_sqlite_to_sqlite),
        cmocka_unit_test(t_md_refuse_nonempty_sqlite),
        cmocka_unit_test(t_md_bad_source),
        cmocka_unit_test(t_md_sqlite_to_pg),
        cmocka_unit_test(t_md_pg_to_sqlite),
        cmocka_unit_test(t_md_refuse_nonempty_pg),
    };
    return cmocka_run_group_tests_name("db", tests, group_setup, group_teardown);
}

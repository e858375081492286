/* migrate_data.c — copies a whole labimpact database between engines
 * (SQLite <-> PostgreSQL, or SQLite -> SQLite), verified by checksums.
 *
 * How it works (see migrate_data.h for the contract):
 *   1. Catalog: tables, columns (declared type -> value class), primary keys and
 *      foreign keys are read from each side's own catalog (sqlite_master and
 *      pragmas; pg_catalog in the current schema). Generated columns are
 *      never copied. Every source column must exist in the target with the
 *      same value class.
 *   2. Order: tables in creation order, then stably sorted so that referenced
 *      tables come first. A SQLite target also defers foreign keys to commit;
 *      for a PostgreSQL target, rows of a self-referencing table (org.parent_id)
 *      are copied parents first (recursive query by depth).
 *   3. Copy: the source is read in one snapshot (REPEATABLE READ on PostgreSQL,
 *      through a cursor so memory stays bounded); rows go into the target in
 *      multi-row INSERTs, all inside one transaction.
 *   4. Verify: per table, row count and SHA-256 over the rows in primary-key
 *      order (text keys compared bytewise: COLLATE "C" on PostgreSQL, as
 *      SQLite's BINARY), each value framed as tag + length + canonical bytes:
 *      integers in decimal, reals as %.17g, text as its UTF-8 bytes, blobs raw.
 *      The target commits only when every table agrees.
 *
 * It must never write to the source, never write into a target that holds
 * data, never commit a copy that did not verify, and never print a password. */
#include "migrate_data.h"
#include "migrate_internal.h"
#include "core/log.h"
#include "core/str.h"
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MD_FETCH_ROWS 1000      /* rows per FETCH from a PostgreSQL cursor */
#define MD_BATCH_MAX_ROWS 200   /* rows per multi-row INSERT */
#define MD_BATCH_MAX_PARAMS 30000
#define MD_PROGRESS_EVERY 50000 /* a progress line every so many rows of a table */

/* ---- reading rows ------------------------------------------------------------------ */

/* Reads a SELECT's rows one by one: directly on SQLite, through a cursor
 * fetched in batches on PostgreSQL (whose results are otherwise whole). */
typedef struct md_reader {
    db_t *db;
    db_stmt_t *st;
    char cursor[32]; /* "" on SQLite */
    int batch_rows;
} md_reader_t;

static int reader_open(md_t *m, md_reader_t *r, db_t *db, const char *select)
{
    memset(r, 0, sizeof *r);
    r->db = db;
    if (db_kind(db) != DB_PG) {
        r->st = db_prepare(db, select);
        return r->st ? 0 : md_dbfail(m, db, db->last_error, "reading", NULL);
    }
    str_t sql = STR_INIT;
    snprintf(r->cursor, sizeof r->cursor, "md_c%d", ++m->cursors);
    str_addf(&sql, "DECLARE %s NO SCROLL CURSOR FOR %s", r->cursor, select);
    int rc = db_exec(db, str_cstr(&sql));
    str_reset(&sql);
    str_addf(&sql, "FETCH FORWARD %d FROM %s", MD_FETCH_ROWS, r->cursor);
    if (rc == 0 && !(r->st = db_prepare(db, str_cstr(&sql)))) rc = db->last_error ? db->last_error : DB_ERR;
    str_release(&sql);
    if (rc) r->cursor[0] = '\0';
    return rc ? md_dbfail(m, db, rc, "opening a cursor", NULL) : 0;
}

/* DB_ROW with the statement on the next row, DB_DONE, or DB_E*. */
static int reader_next(md_reader_t *r)
{
    int rc = db_step(r->st);
    if (rc == DB_DONE && r->cursor[0] && r->batch_rows == MD_FETCH_ROWS) {
        db_reset(r->st);
        r->batch_rows = 0;
        rc = db_step(r->st);
    }
    if (rc == DB_ROW) r->batch_rows++;
    return rc;
}

static void reader_close(md_reader_t *r)
{
    if (r->st) db_reset(r->st);
    if (r->cursor[0]) {
        char sql[64];
        snprintf(sql, sizeof sql, "CLOSE %s", r->cursor);
        db_exec(r->db, sql);
    }
    r->st = NULL;
}

/* Appends the copied (non-generated) column list, each with `prefix`. */
static void add_col_list(str_t *s, const md_table_t *t, const char *prefix)
{
    int first = 1;
    for (int i = 0; i < t->ncols; i++) {
        if (t->cols[i].generated) continue;
        if (!first) str_adds(s, ", ");
        md_add_ident(s, prefix, t->cols[i].name);
        first = 0;
    }
}

/* Appends one ORDER BY term: bytewise for text on PostgreSQL, NULLs first as
 * SQLite sorts them. */
static void add_order_term(str_t *s, db_t *db, const md_col_t *c, const char *prefix)
{
    md_add_ident(s, prefix, c->name);
    if (db_kind(db) != DB_PG) return;
    if (c->cls == MD_TEXT) str_adds(s, " COLLATE \"C\"");
    str_adds(s, " NULLS FIRST");
}

/* Appends the canonical row order: primary key, or every column without one. */
static void add_order(str_t *s, db_t *db, const md_table_t *t, const char *prefix)
{
    int npk = 0;
    for (int i = 0; i < t->ncols; i++) npk += t->cols[i].pkpos > 0;
    int first = 1;
    for (int pos = 1; pos <= (npk ? npk : 1); pos++)
        for (int i = 0; i < t->ncols; i++) {
            const md_col_t *c = &t->cols[i];
            if (npk ? c->pkpos != pos : c->generated) continue;
            if (!first) str_adds(s, ", ");
            add_order_term(s, db, c, prefix);
            first = 0;
        }
}

/* SELECT of the copied columns in the canonical order (checksums, copy). */
static void select_sorted(str_t *s, db_t *db, const md_table_t *t)
{
    str_adds(s, "SELECT ");
    add_col_list(s, t, NULL);
    md_add_ident(s, " FROM ", t->name);
    str_adds(s, " ORDER BY ");
    add_order(s, db, t, NULL);
}

/* SELECT of the copied columns, parents before children along the table's
 * self reference (rows unreachable from a root are left out: the count check
 * then fails rather than the foreign key). */
static void select_by_depth(str_t *s, db_t *db, const md_table_t *t)
{
    str_adds(s, "WITH RECURSIVE md_tree(k, d) AS (SELECT ");
    md_add_ident(s, NULL, t->self_to);
    str_adds(s, ", 0 FROM ");
    md_add_ident(s, NULL, t->name);
    str_adds(s, " WHERE ");
    md_add_ident(s, NULL, t->self_from);
    str_adds(s, " IS NULL UNION ALL SELECT ");
    md_add_ident(s, "s.", t->self_to);
    str_adds(s, ", md_tree.d + 1 FROM ");
    md_add_ident(s, NULL, t->name);
    str_adds(s, " s JOIN md_tree ON ");
    md_add_ident(s, "s.", t->self_from);
    str_adds(s, " = md_tree.k) SELECT ");
    add_col_list(s, t, "s.");
    str_adds(s, " FROM ");
    md_add_ident(s, NULL, t->name);
    str_adds(s, " s JOIN md_tree ON ");
    md_add_ident(s, "s.", t->self_to);
    str_adds(s, " = md_tree.k ORDER BY md_tree.d, ");
    add_order(s, db, t, "s.");
}

/* ---- checksums ----------------------------------------------------------------------- */

/* Feeds one value, framed as tag byte + 8-byte little-endian length + bytes. */
static void hash_value(crypto_hash_sha256_state *h, db_stmt_t *st, int col, md_class_t cls)
{
    char num[40];
    const void *p = "";
    size_t n = 0;
    unsigned char hdr[9] = {'N'};
    if (!db_col_is_null(st, col)) {
        switch (cls) {
        case MD_INT:
            n = (size_t)snprintf(num, sizeof num, "%" PRId64, db_col_int(st, col));
            p = num, hdr[0] = 'I';
            break;
        case MD_REAL:
            n = (size_t)snprintf(num, sizeof num, "%.17g", db_col_double(st, col));
            p = num, hdr[0] = 'R';
            break;
        case MD_TEXT:
            p = db_col_text(st, col), n = strlen(p), hdr[0] = 'T';
            break;
        case MD_BLOB:
            p = db_col_blob(st, col, &n), hdr[0] = 'B';
            if (!p) p = "";
            break;
        }
    }
    for (int i = 0; i < 8; i++) hdr[1 + i] = (unsigned char)((uint64_t)n >> (8 * i));
    crypto_hash_sha256_update(h, hdr, sizeof hdr);
    crypto_hash_sha256_update(h, p, n);
}

/* Row count and SHA-256 of table `t` in `db`, rows in canonical order. */
static int checksum_table(md_t *m, db_t *db, const md_table_t *t, int64_t *rows, unsigned char out[32])
{
    str_t sql = STR_INIT;
    md_reader_t r;
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    *rows = 0;
    select_sorted(&sql, db, t);
    int rc = reader_open(m, &r, db, str_cstr(&sql));
    str_release(&sql);
    if (rc) return rc;
    while ((rc = reader_next(&r)) == DB_ROW) {
        for (int i = 0, col = 0; i < t->ncols; i++)
            if (!t->cols[i].generated) hash_value(&h, r.st, col++, t->cols[i].cls);
        (*rows)++;
    }
    reader_close(&r);
    crypto_hash_sha256_final(&h, out);
    return rc < 0 ? md_dbfail(m, db, rc, "checksum of", t->name) : 0;
}

int db_table_checksum(db_t *db, const char *table, int64_t *rows, char hex[65], char *errbuf,
                      size_t errlen)
{
    md_t m = {.errbuf = errbuf, .errlen = errlen};
    md_table_t t;
    unsigned char sum[32];
    if (errlen) errbuf[0] = '\0';
    if (sodium_init() < 0) return md_fail(&m, DB_ERR, "libsodium failed to initialise");
    /* One snapshot for catalog and rows; PostgreSQL cursors need a transaction. */
    int own_tx = !db_in_tx(db);
    int rc = own_tx ? db_begin(db, false) : 0;
    if (rc) return md_dbfail(&m, db, rc, "starting a read transaction", NULL);
    rc = md_load_table(&m, db, table, &t);
    if (rc == 0) rc = checksum_table(&m, db, &t, rows, sum);
    if (rc == 0) sodium_bin2hex(hex, 65, sum, sizeof sum);
    md_table_release(&t);
    if (own_tx) db_rollback(db);
    return rc;
}

/* ---- copying ---------------------------------------------------------------------------- */

typedef struct md_val {
    int null;
    int64_t i;
    double d;
    size_t off, n; /* text/blob bytes in the batch's byte buffer */
} md_val_t;

typedef struct md_batch {
    md_val_t *v;
    int rows, max_rows, ncols;
    str_t bytes;
} md_batch_t;

/* SQLite keeps a value of another type when it cannot convert it losslessly
 * (text in an INTEGER column): refuse such a row rather than copy a 0. */
static int check_sqlite_number(md_t *m, db_stmt_t *st, int col, const md_table_t *t,
                               const md_col_t *c, int64_t iv)
{
    const char *text = db_col_text(st, col);
    char num[32], *end = NULL;
    if (c->cls == MD_INT) snprintf(num, sizeof num, "%" PRId64, iv);
    else strtod(text, &end);
    if (c->cls == MD_INT ? strcmp(num, text) == 0 : (end && end != text && *end == '\0')) return 0;
    return md_fail(m, DB_ERR, "table %s column %s holds a value that is not %s: fix it in the source",
                   t->name, c->name, c->cls == MD_INT ? "an integer" : "a number");
}

/* Reads the current source row into the batch. */
static int read_row(md_t *m, db_stmt_t *st, const md_table_t *t, md_batch_t *b)
{
    md_val_t *row = &b->v[(size_t)b->rows * (size_t)b->ncols];
    int sqlite = db_kind(m->src) == DB_SQLITE;
    for (int i = 0, col = 0; i < t->ncols; i++) {
        const md_col_t *c = &t->cols[i];
        if (c->generated) continue;
        md_val_t *v = &row[col];
        memset(v, 0, sizeof *v);
        v->null = db_col_is_null(st, col);
        if (!v->null && c->cls == MD_INT) v->i = db_col_int(st, col);
        if (!v->null && c->cls == MD_REAL) v->d = db_col_double(st, col);
        if (!v->null && sqlite && (c->cls == MD_INT || c->cls == MD_REAL) &&
            check_sqlite_number(m, st, col, t, c, v->i))
            return DB_ERR;
        if (!v->null && (c->cls == MD_TEXT || c->cls == MD_BLOB)) {
            const void *p = c->cls == MD_TEXT ? db_col_text(st, col) : db_col_blob(st, col, &v->n);
            if (c->cls == MD_TEXT) v->n = strlen(p);
            v->off = b->bytes.len;
            str_add(&b->bytes, p ? p : "", v->n);
        }
        col++;
    }
    b->rows++;
    return 0;
}

static int bind_val(db_stmt_t *st, int idx, const md_val_t *v, md_class_t cls, const str_t *bytes)
{
    if (v->null) return db_bind_null(st, idx);
    switch (cls) {
    case MD_INT: return db_bind_int(st, idx, v->i);
    case MD_REAL: return db_bind_double(st, idx, v->d);
    case MD_TEXT: return db_bind_textn(st, idx, bytes->buf + v->off, v->n);
    case MD_BLOB: return db_bind_blob(st, idx, v->n ? bytes->buf + v->off : "", v->n);
    }
    return DB_ERR;
}

/* INSERT of `rows` rows of the copied columns. */
static void insert_sql(str_t *s, db_t *db, const md_table_t *t, int ncols, int rows)
{
    md_add_ident(s, "INSERT INTO ", t->name);
    str_adds(s, " (");
    add_col_list(s, t, NULL);
    str_adds(s, db_kind(db) == DB_PG ? ") OVERRIDING SYSTEM VALUE VALUES " : ") VALUES ");
    for (int r = 0; r < rows; r++) {
        str_adds(s, r ? ", (" : "(");
        for (int c = 0; c < ncols; c++) str_adds(s, c ? ", ?" : "?");
        str_addc(s, ')');
    }
}

/* Writes the batch's rows into the target and empties the batch. */
static int flush_batch(md_t *m, const md_table_t *t, md_batch_t *b)
{
    if (b->rows == 0) return 0;
    str_t sql = STR_INIT;
    insert_sql(&sql, m->dst, t, b->ncols, b->rows);
    db_stmt_t *st = db_prepare(m->dst, str_cstr(&sql));
    str_release(&sql);
    if (!st) return md_dbfail(m, m->dst, m->dst->last_error, "preparing the insert into", t->name);
    int rc = 0, idx = 1;
    for (int r = 0; r < b->rows && rc == 0; r++)
        for (int i = 0, col = 0; i < t->ncols && rc == 0; i++) {
            if (t->cols[i].generated) continue;
            rc = bind_val(st, idx++, &b->v[(size_t)r * (size_t)b->ncols + (size_t)col], t->cols[i].cls,
                          &b->bytes);
            col++;
        }
    if (rc == 0) rc = db_step(st);
    db_reset(st);
    b->rows = 0;
    str_reset(&b->bytes);
    return rc < 0 ? md_dbfail(m, m->dst, rc, "inserting into", t->name) : 0;
}

static int copied_cols(const md_table_t *t)
{
    int n = 0;
    for (int i = 0; i < t->ncols; i++) n += !t->cols[i].generated;
    return n;
}

static int copy_table(md_t *m, const md_table_t *t)
{
    md_batch_t b = {.ncols = copied_cols(t), .bytes = STR_INIT};
    b.max_rows = MD_BATCH_MAX_PARAMS / (b.ncols ? b.ncols : 1);
    if (b.max_rows > MD_BATCH_MAX_ROWS) b.max_rows = MD_BATCH_MAX_ROWS;
    if (b.max_rows < 1) b.max_rows = 1;
    b.v = md_realloc(NULL, (size_t)b.max_rows * (size_t)b.ncols * sizeof *b.v);
    str_t sql = STR_INIT;
    if (t->self_from && db_kind(m->dst) == DB_PG) select_by_depth(&sql, m->src, t);
    else select_sorted(&sql, m->src, t);
    md_reader_t r;
    int64_t n = 0;
    int rc = reader_open(m, &r, m->src, str_cstr(&sql));
    str_release(&sql);
    while (rc == 0 && (rc = reader_next(&r)) == DB_ROW) {
        rc = read_row(m, r.st, t, &b);
        if (rc == 0 && b.rows == b.max_rows) rc = flush_batch(m, t, &b);
        if (++n % MD_PROGRESS_EVERY == 0) md_progress(m, "  copy %s: %" PRId64 " rows...", t->name, n);
    }
    if (rc < 0 && !m->errbuf[0]) md_dbfail(m, m->src, rc, "reading", t->name);
    if (rc >= 0) rc = flush_batch(m, t, &b);
    if (r.st) reader_close(&r);
    free(b.v);
    str_release(&b.bytes);
    if (rc == 0) md_progress(m, "copy %s: %" PRId64 " rows", t->name, n);
    return rc < 0 ? rc : 0;
}

/* PostgreSQL: moves every identity or serial sequence of `t` past the largest
 * copied value, so the next INSERT does not collide. */
static int reset_sequences(md_t *m, const md_table_t *t)
{
    str_t qname = STR_INIT, sql = STR_INIT;
    md_add_ident(&qname, NULL, t->name);
    int rc = 0;
    for (int i = 0; i < t->ncols && rc == 0; i++) {
        const md_col_t *c = &t->cols[i];
        if (c->generated || c->cls != MD_INT) continue;
        db_stmt_t *st = db_query(m->dst, &rc, "SELECT pg_get_serial_sequence(?, ?)", "tt",
                                 str_cstr(&qname), c->name);
        if (!st) break;
        char *seq = db_col_is_null(st, 0) ? NULL : md_strdup(db_col_text(st, 0));
        db_reset(st);
        rc = 0;
        if (!seq) continue;
        str_reset(&sql);
        str_adds(&sql, "SELECT setval(CAST(? AS regclass), (SELECT COALESCE(MAX(");
        md_add_ident(&sql, NULL, c->name);
        md_add_ident(&sql, "), 0) + 1 FROM ", t->name);
        str_adds(&sql, "), false)");
        rc = db_run(m->dst, str_cstr(&sql), "t", seq);
        free(seq);
    }
    str_release(&qname);
    str_release(&sql);
    return rc < 0 ? md_dbfail(m, m->dst, rc, "resetting the sequences of", t->name) : 0;
}

/* ---- the whole procedure ---------------------------------------------------------- */

/* Refuses when any application table of `db` holds a row. */
static int require_empty(md_t *m, db_t *db)
{
    char **names = NULL;
    int n = 0, rc = md_list_tables(m, db, &names, &n);
    str_t sql = STR_INIT;
    for (int i = 0; i < n && rc == 0; i++) {
        str_reset(&sql);
        md_add_ident(&sql, "SELECT 1 FROM ", names[i]);
        str_adds(&sql, " LIMIT 1");
        db_stmt_t *st = db_query(db, &rc, str_cstr(&sql), "");
        if (!st) {
            rc = md_dbfail(m, db, rc, "reading", names[i]);
            break;
        }
        db_reset(st);
        rc = rc == DB_ROW ? md_fail(m, DB_ERR,
                                    "the target is not empty (table %s has rows): "
                                    "migrate-data never overwrites data",
                                    names[i])
                          : 0;
    }
    str_release(&sql);
    md_free_strings(names, n);
    return rc;
}

/* The applied migrations of `db`, one per line, in order. */
static int read_versions(md_t *m, db_t *db, const char *side, str_t *out)
{
    char **v = NULL;
    int n = 0;
    int rc = md_query_strings(m, db, "SELECT version FROM schema_migrations ORDER BY version", NULL, &v, &n);
    if (rc) {
        if (m->errlen) m->errbuf[0] = '\0'; /* replace the driver's message */
        return md_fail(m, rc, "the %s has no labimpact schema (schema_migrations is missing)", side);
    }
    for (int i = 0; i < n; i++) str_addf(out, "%s\n", v[i]);
    md_free_strings(v, n);
    return 0;
}

/* The last line of a version list, for messages. */
static const char *last_version(const str_t *s, char *buf, size_t len)
{
    const char *text = str_cstr(s);
    size_t end = s->len;
    if (end && text[end - 1] == '\n') end--;
    size_t start = end;
    while (start && text[start - 1] != '\n') start--;
    snprintf(buf, len, "%.*s", (int)(end - start), text + start);
    return buf[0] ? buf : "none";
}

/* Migrates the target and requires it to be at the source's schema version. */
static int prepare_target(md_t *m)
{
    str_t sv = STR_INIT, tv = STR_INIT;
    char a[128], b[128];
    int rc = read_versions(m, m->src, "source", &sv);
    if (rc == 0) rc = require_empty(m, m->dst);
    if (rc == 0 && (rc = db_migrate(m->dst, db_migrations_dir())) != 0)
        rc = md_fail(m, rc, "migrating the target schema failed (see the log)");
    if (rc == 0) rc = read_versions(m, m->dst, "target", &tv);
    if (rc == 0 && strcmp(str_cstr(&sv), str_cstr(&tv)) != 0)
        rc = md_fail(m, DB_ERR,
                     "schema versions differ: source at %s, target at %s; bring the source up to "
                     "date first with `labimpact init --db SOURCE` (same labimpact version)",
                     last_version(&sv, a, sizeof a), last_version(&tv, b, sizeof b));
    if (rc == 0) md_progress(m, "schema: %s on both sides", last_version(&sv, a, sizeof a));
    str_release(&sv);
    str_release(&tv);
    return rc;
}

/* Opens the source snapshot and the target write transaction. */
static int begin_both(md_t *m)
{
    int rc = db_begin(m->src, false);
    if (rc == 0 && db_kind(m->src) == DB_PG)
        rc = db_exec(m->src, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    if (rc) return md_dbfail(m, m->src, rc, "starting the source snapshot", NULL);
    rc = db_begin(m->dst, true);
    if (rc == 0 && db_kind(m->dst) == DB_SQLITE) rc = db_exec(m->dst, "PRAGMA defer_foreign_keys = ON");
    if (rc) return md_dbfail(m, m->dst, rc, "starting the target transaction", NULL);
    return 0;
}

/* Compares count and checksum of every table on both sides. */
static int verify_all(md_t *m, const md_schema_t *s, int64_t *total)
{
    *total = 0;
    for (int i = 0; i < s->n; i++) {
        const md_table_t *t = &s->t[i];
        int64_t ns = 0, nt = 0;
        unsigned char hs[32], ht[32];
        char hex[65];
        int rc = checksum_table(m, m->src, t, &ns, hs);
        if (rc == 0) rc = checksum_table(m, m->dst, t, &nt, ht);
        if (rc) return rc;
        if (ns != nt || memcmp(hs, ht, sizeof hs) != 0)
            return md_fail(m, DB_ERR,
                           "verification failed for table %s: source %" PRId64 " rows, target %" PRId64
                           " rows%s; nothing was committed",
                           t->name, ns, nt, ns == nt ? ", checksums differ" : "");
        sodium_bin2hex(hex, sizeof hex, hs, sizeof hs);
        md_progress(m, "verify %s: %" PRId64 " rows, sha256 %.16s", t->name, ns, hex);
        *total += ns;
    }
    return 0;
}

/* Copies, resets sequences, verifies and commits (or rolls everything back). */
static int copy_all(md_t *m, const md_schema_t *s)
{
    int64_t total = 0;
    int rc = begin_both(m);
    if (rc == 0) rc = require_empty(m, m->dst);
    for (int i = 0; i < s->n && rc == 0; i++) rc = copy_table(m, &s->t[i]);
    for (int i = 0; i < s->n && rc == 0 && db_kind(m->dst) == DB_PG; i++) rc = reset_sequences(m, &s->t[i]);
    if (rc == 0) rc = verify_all(m, s, &total);
    if (rc == 0 && (rc = db_commit(m->dst)) != 0) md_dbfail(m, m->dst, rc, "committing the target", NULL);
    db_rollback(m->dst); /* no-op after a commit */
    db_rollback(m->src); /* ends the read snapshot; nothing was written there */
    if (rc == 0)
        md_progress(m, "done: %d tables, %" PRId64 " rows copied and verified", s->n, total);
    return rc;
}

/* Opens one side, prefixing the driver's message with the side's name. */
static db_t *open_side(md_t *m, const char *uri, const char *side)
{
    char err[512];
    db_t *db = db_open(uri, err, sizeof err);
    if (!db) md_fail(m, DB_ECONN, "cannot open the %s: %s", side, err);
    return db;
}

int db_migrate_data(const char *from_uri, const char *to_uri, FILE *progress, char *errbuf,
                    size_t errlen)
{
    md_t m = {.progress = progress, .errbuf = errbuf, .errlen = errlen};
    md_schema_t ss = {0}, ds = {0};
    int rc = DB_ERR;
    if (errlen) errbuf[0] = '\0';
    if (sodium_init() < 0) return md_fail(&m, DB_ERR, "libsodium failed to initialise");
    if (strcmp(from_uri, to_uri) == 0) return md_fail(&m, DB_ERR, "source and target are the same");
    if (!(m.src = open_side(&m, from_uri, "source")) || !(m.dst = open_side(&m, to_uri, "target"))) {
        rc = DB_ECONN;
        goto out;
    }
    md_progress(&m, "migrate-data: from %s to %s", db_kind(m.src) == DB_PG ? "PostgreSQL" : "SQLite",
                db_kind(m.dst) == DB_PG ? "PostgreSQL" : "SQLite");
    if ((rc = prepare_target(&m)) != 0) goto out;
    if ((rc = md_load_schema(&m, m.src, &ss)) != 0 || (rc = md_load_schema(&m, m.dst, &ds)) != 0 ||
        (rc = md_match_schemas(&m, &ss, &ds)) != 0)
        goto out;
    md_order_tables(&ss);
    rc = copy_all(&m, &ss);
out:
    md_schema_release(&ss);
    md_schema_release(&ds);
    db_close(m.src);
    db_close(m.dst);
    if (rc == DB_ERR && !errbuf[0]) md_fail(&m, rc, "migrate-data failed");
    return rc;
}

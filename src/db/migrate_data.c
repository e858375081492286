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

typedef enum { MD_INT, MD_REAL, MD_TEXT, MD_BLOB } md_class_t;

typedef struct md_col {
    char *name;
    md_class_t cls;
    int pkpos;     /* 1-based position in the primary key, 0 when not in it */
    int generated; /* computed by an engine: never copied nor compared */
} md_col_t;

typedef struct md_table {
    char *name;
    md_col_t *cols;
    int ncols;
    char **deps; /* tables this one references, itself excluded */
    int ndeps;
    char *self_from, *self_to; /* a one-column reference to itself, or NULL */
} md_table_t;

typedef struct md_schema {
    md_table_t *t;
    int n;
} md_schema_t;

typedef struct md {
    db_t *src, *dst;
    FILE *progress;
    char *errbuf;
    size_t errlen;
    int cursors; /* names cursors uniquely */
} md_t;

/* ---- small helpers -------------------------------------------------------------- */

/* Writes the first error message (later ones are consequences) and returns a
 * negative code: `rc` when negative, DB_ERR otherwise. */
static int md_fail(md_t *m, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int md_fail(md_t *m, int rc, const char *fmt, ...)
{
    if (m->errlen && !m->errbuf[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(m->errbuf, m->errlen, fmt, ap);
        va_end(ap);
    }
    return rc < 0 ? rc : DB_ERR;
}

/* A failure reported by `db`: its message, prefixed by what was being done. */
static int md_dbfail(md_t *m, db_t *db, int rc, const char *what, const char *table)
{
    return md_fail(m, rc ? rc : DB_ERR, "%s%s%s: %s", what, table ? " " : "", table ? table : "",
                   db_errmsg(db));
}

static void md_progress(md_t *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void md_progress(md_t *m, const char *fmt, ...)
{
    if (!m->progress) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(m->progress, fmt, ap);
    va_end(ap);
    fputc('\n', m->progress);
    fflush(m->progress);
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p) log_fatal("out of memory (migrate-data)");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) log_fatal("out of memory (migrate-data)");
    return p;
}

/* Appends "name" as a double-quoted identifier (both engines accept it). */
static void add_ident(str_t *s, const char *prefix, const char *name)
{
    if (prefix) str_adds(s, prefix);
    str_addc(s, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') str_addc(s, '"');
        str_addc(s, *p);
    }
    str_addc(s, '"');
}

static void free_strings(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* Runs `sql` (with at most one text argument) and collects column 0 of every
 * row into a malloc'd array. Returns 0 or a DB_E* code. */
static int query_strings(md_t *m, db_t *db, const char *sql, const char *arg, char ***out, int *n)
{
    int rc;
    *out = NULL;
    *n = 0;
    db_stmt_t *st = db_query(db, &rc, sql, arg ? "t" : "", arg);
    if (!st) return md_dbfail(m, db, rc, "catalog query", arg);
    for (; rc == DB_ROW; rc = db_step(st)) {
        *out = xrealloc(*out, (size_t)(*n + 1) * sizeof **out);
        (*out)[(*n)++] = xstrdup(db_col_text(st, 0));
    }
    db_reset(st);
    return rc < 0 ? md_dbfail(m, db, rc, "catalog query", arg) : 0;
}

/* The value class of a declared column type, by SQLite's affinity rules
 * extended with PostgreSQL's type names (format_type output). */
static md_class_t class_of(const char *decl)
{
    if (strcasestr(decl, "bytea") || strcasestr(decl, "blob")) return MD_BLOB;
    if (strcasestr(decl, "bool")) return MD_INT;
    if (strcasestr(decl, "int")) return MD_INT;
    if (strcasestr(decl, "char") || strcasestr(decl, "clob") || strcasestr(decl, "text")) return MD_TEXT;
    if (strcasestr(decl, "real") || strcasestr(decl, "floa") || strcasestr(decl, "doub") ||
        strcasestr(decl, "numeric") || strcasestr(decl, "decimal"))
        return MD_REAL;
    return MD_TEXT;
}

static const char *class_name(md_class_t c)
{
    static const char *const names[] = {"integer", "real", "text", "blob"};
    return names[c];
}

/* ---- catalog ------------------------------------------------------------------------- */

static const char SQLITE_TABLES[] =
    "SELECT m.name FROM sqlite_master m JOIN pragma_table_list t ON t.name = m.name "
    "WHERE m.type = 'table' AND t.schema = 'main' AND t.type = 'table' "
    "AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name <> 'schema_migrations' "
    "ORDER BY m.rowid";
static const char PG_TABLES[] =
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
    "AND c.relname <> 'schema_migrations' ORDER BY c.oid";
static const char SQLITE_COLUMNS[] =
    "SELECT name, type, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid";
static const char PG_COLUMNS[] =
    "SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
    "COALESCE((SELECT k.pos FROM pg_index i, unnest(CAST(i.indkey AS int2[])) WITH ORDINALITY "
    "AS k(attnum, pos) WHERE i.indrelid = a.attrelid AND i.indisprimary AND k.attnum = a.attnum), 0), "
    "CASE WHEN a.attgenerated <> '' THEN 2 ELSE 0 END "
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relname = ? AND n.nspname = current_schema() AND a.attnum > 0 "
    "AND NOT a.attisdropped ORDER BY a.attnum";
/* Foreign keys: constraint id, referenced table, first column pair, width. */
static const char SQLITE_FKEYS[] =
    "SELECT f.id, f.\"table\", f.\"from\", f.\"to\", "
    "(SELECT count(*) FROM pragma_foreign_key_list(?1) g WHERE g.id = f.id) "
    "FROM pragma_foreign_key_list(?1) f WHERE f.seq = 0";
static const char PG_FKEYS[] =
    "SELECT k.oid, r.relname, a.attname, b.attname, cardinality(k.conkey) "
    "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class r ON r.oid = k.confrelid "
    "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
    "JOIN pg_attribute b ON b.attrelid = k.confrelid AND b.attnum = k.confkey[1] "
    "WHERE k.contype = 'f' AND c.relname = ? AND n.nspname = current_schema()";

static int list_tables(md_t *m, db_t *db, char ***names, int *n)
{
    return query_strings(m, db, db_kind(db) == DB_PG ? PG_TABLES : SQLITE_TABLES, NULL, names, n);
}

static void table_release(md_table_t *t)
{
    for (int i = 0; i < t->ncols; i++) free(t->cols[i].name);
    free(t->cols);
    free_strings(t->deps, t->ndeps);
    free(t->self_from);
    free(t->self_to);
    free(t->name);
    memset(t, 0, sizeof *t);
}

static void schema_release(md_schema_t *s)
{
    for (int i = 0; i < s->n; i++) table_release(&s->t[i]);
    free(s->t);
    s->t = NULL;
    s->n = 0;
}

static int load_columns(md_t *m, db_t *db, md_table_t *t)
{
    int rc;
    const char *sql = db_kind(db) == DB_PG ? PG_COLUMNS : SQLITE_COLUMNS;
    db_stmt_t *st = db_query(db, &rc, sql, "t", t->name);
    if (!st) return md_dbfail(m, db, rc, "reading columns of", t->name);
    for (; rc == DB_ROW; rc = db_step(st)) {
        t->cols = xrealloc(t->cols, (size_t)(t->ncols + 1) * sizeof *t->cols);
        md_col_t *c = &t->cols[t->ncols++];
        c->name = xstrdup(db_col_text(st, 0));
        c->cls = class_of(db_col_text(st, 1));
        c->pkpos = (int)db_col_int(st, 2);
        c->generated = db_col_int(st, 3) != 0; /* SQLite: 1 hidden, 2/3 generated */
    }
    db_reset(st);
    if (rc < 0) return md_dbfail(m, db, rc, "reading columns of", t->name);
    if (t->ncols == 0) return md_fail(m, DB_ERR, "table %s has no columns", t->name);
    return 0;
}

/* The single primary-key column's name, or NULL when the key has 0 or 2+ columns. */
static const char *single_pk(const md_table_t *t)
{
    const char *pk = NULL;
    for (int i = 0; i < t->ncols; i++) {
        if (!t->cols[i].pkpos) continue;
        if (pk) return NULL;
        pk = t->cols[i].name;
    }
    return pk;
}

/* Records one foreign key row: a dependency, or the table's self reference. */
static void add_fkey(md_table_t *t, const char *ref, const char *from, const char *to, int width)
{
    if (strcmp(ref, t->name) == 0) {
        if (t->self_from || width != 1) return;
        const char *target = to && *to ? to : single_pk(t);
        if (!target) return;
        t->self_from = xstrdup(from);
        t->self_to = xstrdup(target);
        return;
    }
    for (int i = 0; i < t->ndeps; i++)
        if (strcmp(t->deps[i], ref) == 0) return;
    t->deps = xrealloc(t->deps, (size_t)(t->ndeps + 1) * sizeof *t->deps);
    t->deps[t->ndeps++] = xstrdup(ref);
}

static int load_fkeys(md_t *m, db_t *db, md_table_t *t)
{
    int rc;
    const char *sql = db_kind(db) == DB_PG ? PG_FKEYS : SQLITE_FKEYS;
    db_stmt_t *st = db_query(db, &rc, sql, "t", t->name);
    if (!st) return md_dbfail(m, db, rc, "reading foreign keys of", t->name);
    for (; rc == DB_ROW; rc = db_step(st))
        add_fkey(t, db_col_text(st, 1), db_col_text(st, 2), db_col_text_or_null(st, 3),
                 (int)db_col_int(st, 4));
    db_reset(st);
    return rc < 0 ? md_dbfail(m, db, rc, "reading foreign keys of", t->name) : 0;
}

static int load_table(md_t *m, db_t *db, const char *name, md_table_t *t)
{
    memset(t, 0, sizeof *t);
    t->name = xstrdup(name);
    int rc = load_columns(m, db, t);
    if (rc == 0) rc = load_fkeys(m, db, t);
    return rc;
}

static int load_schema(md_t *m, db_t *db, md_schema_t *s)
{
    char **names = NULL;
    int n = 0, rc = list_tables(m, db, &names, &n);
    if (rc) return rc;
    s->t = calloc((size_t)(n ? n : 1), sizeof *s->t);
    if (!s->t) log_fatal("out of memory (migrate-data)");
    for (int i = 0; i < n && rc == 0; i++, s->n++) rc = load_table(m, db, names[i], &s->t[i]);
    free_strings(names, n);
    return rc;
}

static md_table_t *find_table(md_schema_t *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->t[i].name, name) == 0) return &s->t[i];
    return NULL;
}

static md_col_t *find_col(md_table_t *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0) return &t->cols[i];
    return NULL;
}

/* Every source table and column must exist in the target with the same value
 * class; a column the target computes itself is left to it. */
static int match_schemas(md_t *m, md_schema_t *src, md_schema_t *dst)
{
    for (int i = 0; i < src->n; i++) {
        md_table_t *st = &src->t[i], *dt = find_table(dst, st->name);
        if (!dt) return md_fail(m, DB_ERR, "table %s of the source is missing in the target", st->name);
        for (int j = 0; j < st->ncols; j++) {
            md_col_t *sc = &st->cols[j];
            if (sc->generated) continue;
            md_col_t *dc = find_col(dt, sc->name);
            if (!dc) return md_fail(m, DB_ERR, "column %s.%s is missing in the target", st->name, sc->name);
            if (dc->generated) sc->generated = 1;
            else if (dc->cls != sc->cls)
                return md_fail(m, DB_ERR, "column %s.%s is %s in the source but %s in the target",
                               st->name, sc->name, class_name(sc->cls), class_name(dc->cls));
        }
    }
    return 0;
}

/* Stable topological sort: a table comes after the tables it references;
 * among independent tables creation order is kept. Cycles keep their order. */
static void order_tables(md_schema_t *s)
{
    md_table_t *out = calloc((size_t)(s->n ? s->n : 1), sizeof *out);
    char *placed = calloc((size_t)(s->n ? s->n : 1), 1);
    if (!out || !placed) log_fatal("out of memory (migrate-data)");
    for (int k = 0; k < s->n; k++) {
        int pick = -1;
        for (int i = 0; i < s->n && pick < 0; i++) {
            if (placed[i]) continue;
            int ready = 1;
            for (int d = 0; d < s->t[i].ndeps && ready; d++)
                for (int j = 0; j < s->n; j++)
                    if (!placed[j] && strcmp(s->t[j].name, s->t[i].deps[d]) == 0) ready = 0;
            if (ready) pick = i;
        }
        for (int i = 0; i < s->n && pick < 0; i++)
            if (!placed[i]) pick = i; /* a cycle: take the first remaining */
        placed[pick] = 1;
        out[k] = s->t[pick];
    }
    free(s->t);
    free(placed);
    s->t = out;
}

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
        add_ident(s, prefix, t->cols[i].name);
        first = 0;
    }
}

/* Appends one ORDER BY term: bytewise for text on PostgreSQL, NULLs first as
 * SQLite sorts them. */
static void add_order_term(str_t *s, db_t *db, const md_col_t *c, const char *prefix)
{
    add_ident(s, prefix, c->name);
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
    add_ident(s, " FROM ", t->name);
    str_adds(s, " ORDER BY ");
    add_order(s, db, t, NULL);
}

/* SELECT of the copied columns, parents before children along the table's
 * self reference (rows unreachable from a root are left out: the count check
 * then fails rather than the foreign key). */
static void select_by_depth(str_t *s, db_t *db, const md_table_t *t)
{
    str_adds(s, "WITH RECURSIVE md_tree(k, d) AS (SELECT ");
    add_ident(s, NULL, t->self_to);
    str_adds(s, ", 0 FROM ");
    add_ident(s, NULL, t->name);
    str_adds(s, " WHERE ");
    add_ident(s, NULL, t->self_from);
    str_adds(s, " IS NULL UNION ALL SELECT ");
    add_ident(s, "s.", t->self_to);
    str_adds(s, ", md_tree.d + 1 FROM ");
    add_ident(s, NULL, t->name);
    str_adds(s, " s JOIN md_tree ON ");
    add_ident(s, "s.", t->self_from);
    str_adds(s, " = md_tree.k) SELECT ");
    add_col_list(s, t, "s.");
    str_adds(s, " FROM ");
    add_ident(s, NULL, t->name);
    str_adds(s, " s JOIN md_tree ON ");
    add_ident(s, "s.", t->self_to);
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
    rc = load_table(&m, db, table, &t);
    if (rc == 0) rc = checksum_table(&m, db, &t, rows, sum);
    if (rc == 0) sodium_bin2hex(hex, 65, sum, sizeof sum);
    table_release(&t);
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
    add_ident(s, "INSERT INTO ", t->name);
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
    b.v = xrealloc(NULL, (size_t)b.max_rows * (size_t)b.ncols * sizeof *b.v);
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
    add_ident(&qname, NULL, t->name);
    int rc = 0;
    for (int i = 0; i < t->ncols && rc == 0; i++) {
        const md_col_t *c = &t->cols[i];
        if (c->generated || c->cls != MD_INT) continue;
        db_stmt_t *st = db_query(m->dst, &rc, "SELECT pg_get_serial_sequence(?, ?)", "tt",
                                 str_cstr(&qname), c->name);
        if (!st) break;
        char *seq = db_col_is_null(st, 0) ? NULL : xstrdup(db_col_text(st, 0));
        db_reset(st);
        rc = 0;
        if (!seq) continue;
        str_reset(&sql);
        str_adds(&sql, "SELECT setval(CAST(? AS regclass), (SELECT COALESCE(MAX(");
        add_ident(&sql, NULL, c->name);
        add_ident(&sql, "), 0) + 1 FROM ", t->name);
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
    int n = 0, rc = list_tables(m, db, &names, &n);
    str_t sql = STR_INIT;
    for (int i = 0; i < n && rc == 0; i++) {
        str_reset(&sql);
        add_ident(&sql, "SELECT 1 FROM ", names[i]);
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
    free_strings(names, n);
    return rc;
}

/* The applied migrations of `db`, one per line, in order. */
static int read_versions(md_t *m, db_t *db, const char *side, str_t *out)
{
    char **v = NULL;
    int n = 0;
    int rc = query_strings(m, db, "SELECT version FROM schema_migrations ORDER BY version", NULL, &v, &n);
    if (rc) {
        if (m->errlen) m->errbuf[0] = '\0'; /* replace the driver's message */
        return md_fail(m, rc, "the %s has no labimpact schema (schema_migrations is missing)", side);
    }
    for (int i = 0; i < n; i++) str_addf(out, "%s\n", v[i]);
    free_strings(v, n);
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
    if ((rc = load_schema(&m, m.src, &ss)) != 0 || (rc = load_schema(&m, m.dst, &ds)) != 0 ||
        (rc = match_schemas(&m, &ss, &ds)) != 0)
        goto out;
    order_tables(&ss);
    rc = copy_all(&m, &ss);
out:
    schema_release(&ss);
    schema_release(&ds);
    db_close(m.src);
    db_close(m.dst);
    if (rc == DB_ERR && !errbuf[0]) md_fail(&m, rc, "migrate-data failed");
    return rc;
}

/* migrate_catalog.c — the catalog half of `labimpact migrate-data` (see
 * migrate_internal.h): reads each side's tables, columns, primary and foreign
 * keys from its own catalog, checks that they match, and orders the tables so
 * that referenced ones come first. Reads only; never writes to either side. */
#include "migrate_internal.h"
#include "core/log.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- small helpers -------------------------------------------------------------- */

/* Writes the first error message (later ones are consequences) and returns a
 * negative code: `rc` when negative, DB_ERR otherwise. */
int md_fail(md_t *m, int rc, const char *fmt, ...)
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
int md_dbfail(md_t *m, db_t *db, int rc, const char *what, const char *table)
{
    return md_fail(m, rc ? rc : DB_ERR, "%s%s%s: %s", what, table ? " " : "", table ? table : "",
                   db_errmsg(db));
}

void md_progress(md_t *m, const char *fmt, ...)
{
    if (!m->progress) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(m->progress, fmt, ap);
    va_end(ap);
    fputc('\n', m->progress);
    fflush(m->progress);
}

char *md_strdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p) log_fatal("out of memory (migrate-data)");
    return p;
}

void *md_realloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) log_fatal("out of memory (migrate-data)");
    return p;
}

/* Appends "name" as a double-quoted identifier (both engines accept it). */
void md_add_ident(str_t *s, const char *prefix, const char *name)
{
    if (prefix) str_adds(s, prefix);
    str_addc(s, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') str_addc(s, '"');
        str_addc(s, *p);
    }
    str_addc(s, '"');
}

void md_free_strings(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* Runs `sql` (with at most one text argument) and collects column 0 of every
 * row into a malloc'd array. Returns 0 or a DB_E* code. */
int md_query_strings(md_t *m, db_t *db, const char *sql, const char *arg, char ***out, int *n)
{
    int rc;
    *out = NULL;
    *n = 0;
    db_stmt_t *st = db_query(db, &rc, sql, arg ? "t" : "", arg);
    if (!st) return md_dbfail(m, db, rc, "catalog query", arg);
    for (; rc == DB_ROW; rc = db_step(st)) {
        *out = md_realloc(*out, (size_t)(*n + 1) * sizeof **out);
        (*out)[(*n)++] = md_strdup(db_col_text(st, 0));
    }
    db_reset(st);
    return rc < 0 ? md_dbfail(m, db, rc, "catalog query", arg) : 0;
}

/* The value class of a declared column type, by SQLite's affinity rules
 * extended with PostgreSQL's type names (format_type output). */
static md_class_t md_class_of(const char *decl)
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

static const char *md_class_name(md_class_t c)
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

int md_list_tables(md_t *m, db_t *db, char ***names, int *n)
{
    return md_query_strings(m, db, db_kind(db) == DB_PG ? PG_TABLES : SQLITE_TABLES, NULL, names, n);
}

void md_table_release(md_table_t *t)
{
    for (int i = 0; i < t->ncols; i++) free(t->cols[i].name);
    free(t->cols);
    md_free_strings(t->deps, t->ndeps);
    free(t->self_from);
    free(t->self_to);
    free(t->name);
    memset(t, 0, sizeof *t);
}

void md_schema_release(md_schema_t *s)
{
    for (int i = 0; i < s->n; i++) md_table_release(&s->t[i]);
    free(s->t);
    s->t = NULL;
    s->n = 0;
}

static int md_load_columns(md_t *m, db_t *db, md_table_t *t)
{
    int rc;
    const char *sql = db_kind(db) == DB_PG ? PG_COLUMNS : SQLITE_COLUMNS;
    db_stmt_t *st = db_query(db, &rc, sql, "t", t->name);
    if (!st) return md_dbfail(m, db, rc, "reading columns of", t->name);
    for (; rc == DB_ROW; rc = db_step(st)) {
        t->cols = md_realloc(t->cols, (size_t)(t->ncols + 1) * sizeof *t->cols);
        md_col_t *c = &t->cols[t->ncols++];
        c->name = md_strdup(db_col_text(st, 0));
        c->cls = md_class_of(db_col_text(st, 1));
        c->pkpos = (int)db_col_int(st, 2);
        c->generated = db_col_int(st, 3) != 0; /* SQLite: 1 hidden, 2/3 generated */
    }
    db_reset(st);
    if (rc < 0) return md_dbfail(m, db, rc, "reading columns of", t->name);
    if (t->ncols == 0) return md_fail(m, DB_ERR, "table %s has no columns", t->name);
    return 0;
}

/* The single primary-key column's name, or NULL when the key has 0 or 2+ columns. */
static const char *md_single_pk(const md_table_t *t)
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
static void md_add_fkey(md_table_t *t, const char *ref, const char *from, const char *to, int width)
{
    if (strcmp(ref, t->name) == 0) {
        if (t->self_from || width != 1) return;
        const char *target = to && *to ? to : md_single_pk(t);
        if (!target) return;
        t->self_from = md_strdup(from);
        t->self_to = md_strdup(target);
        return;
    }
    for (int i = 0; i < t->ndeps; i++)
        if (strcmp(t->deps[i], ref) == 0) return;
    t->deps = md_realloc(t->deps, (size_t)(t->ndeps + 1) * sizeof *t->deps);
    t->deps[t->ndeps++] = md_strdup(ref);
}

static int md_load_fkeys(md_t *m, db_t *db, md_table_t *t)
{
    int rc;
    const char *sql = db_kind(db) == DB_PG ? PG_FKEYS : SQLITE_FKEYS;
    db_stmt_t *st = db_query(db, &rc, sql, "t", t->name);
    if (!st) return md_dbfail(m, db, rc, "reading foreign keys of", t->name);
    for (; rc == DB_ROW; rc = db_step(st))
        md_add_fkey(t, db_col_text(st, 1), db_col_text(st, 2), db_col_text_or_null(st, 3),
                 (int)db_col_int(st, 4));
    db_reset(st);
    return rc < 0 ? md_dbfail(m, db, rc, "reading foreign keys of", t->name) : 0;
}

int md_load_table(md_t *m, db_t *db, const char *name, md_table_t *t)
{
    memset(t, 0, sizeof *t);
    t->name = md_strdup(name);
    int rc = md_load_columns(m, db, t);
    if (rc == 0) rc = md_load_fkeys(m, db, t);
    return rc;
}

int md_load_schema(md_t *m, db_t *db, md_schema_t *s)
{
    char **names = NULL;
    int n = 0, rc = md_list_tables(m, db, &names, &n);
    if (rc) return rc;
    s->t = calloc((size_t)(n ? n : 1), sizeof *s->t);
    if (!s->t) log_fatal("out of memory (migrate-data)");
    for (int i = 0; i < n && rc == 0; i++, s->n++) rc = md_load_table(m, db, names[i], &s->t[i]);
    md_free_strings(names, n);
    return rc;
}

static md_table_t *md_find_table(md_schema_t *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->t[i].name, name) == 0) return &s->t[i];
    return NULL;
}

static md_col_t *md_find_col(md_table_t *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0) return &t->cols[i];
    return NULL;
}

/* Every source table and column must exist in the target with the same value
 * class; a column the target computes itself is left to it. */
int md_match_schemas(md_t *m, md_schema_t *src, md_schema_t *dst)
{
    for (int i = 0; i < src->n; i++) {
        md_table_t *st = &src->t[i], *dt = md_find_table(dst, st->name);
        if (!dt) return md_fail(m, DB_ERR, "table %s of the source is missing in the target", st->name);
        for (int j = 0; j < st->ncols; j++) {
            md_col_t *sc = &st->cols[j];
            if (sc->generated) continue;
            md_col_t *dc = md_find_col(dt, sc->name);
            if (!dc) return md_fail(m, DB_ERR, "column %s.%s is missing in the target", st->name, sc->name);
            if (dc->generated) sc->generated = 1;
            else if (dc->cls != sc->cls)
                return md_fail(m, DB_ERR, "column %s.%s is %s in the source but %s in the target",
                               st->name, sc->name, md_class_name(sc->cls), md_class_name(dc->cls));
        }
    }
    return 0;
}

/* Stable topological sort: a table comes after the tables it references;
 * among independent tables creation order is kept. Cycles keep their order. */
void md_order_tables(md_schema_t *s)
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

/* migrate_internal.h — what the two halves of `labimpact migrate-data` share:
 * the catalog of a database (migrate_catalog.c: tables, columns, keys, copy
 * order) and the helpers for errors, progress and memory. The copy and the
 * checksums are in migrate_data.c. Not an API for anything else. */
#ifndef LI_DB_MIGRATE_INTERNAL_H
#define LI_DB_MIGRATE_INTERNAL_H
#include "core/str.h"
#include "db.h"
#include <stdio.h>

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

/* Writes the first error message into m->errbuf (later ones are
 * consequences) and returns `rc` when negative, DB_ERR otherwise. */
int md_fail(md_t *m, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* One progress line on m->progress (when there is one). */
void md_progress(md_t *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A failure reported by `db`: its message, prefixed by what was being done. */
int md_dbfail(md_t *m, db_t *db, int rc, const char *what, const char *table);
/* strdup and realloc that end the program when memory runs out. */
char *md_strdup(const char *s);
void *md_realloc(void *p, size_t n);
/* Appends "name" as a double-quoted identifier (both engines accept it). */
void md_add_ident(str_t *s, const char *prefix, const char *name);
/* Frees an array of n malloc'd strings and the array. */
void md_free_strings(char **v, int n);
/* Runs `sql` (with at most one text argument) and collects column 0 of every
 * row into a malloc'd array. Returns 0 or a DB_E* code. */
int md_query_strings(md_t *m, db_t *db, const char *sql, const char *arg, char ***out, int *n);
/* The application tables of `db` (schema_migrations excluded), in creation order. */
int md_list_tables(md_t *m, db_t *db, char ***names, int *n);
/* Frees what a loaded table or schema holds. */
void md_table_release(md_table_t *t);
void md_schema_release(md_schema_t *s);
/* Reads one table's columns and keys from the catalog of `db`; a whole schema. 0 or DB_E*. */
int md_load_table(md_t *m, db_t *db, const char *name, md_table_t *t);
int md_load_schema(md_t *m, db_t *db, md_schema_t *s);
/* Every source table and column must exist in the target with the same value
 * class; a column the target computes itself is left to it. */
int md_match_schemas(md_t *m, md_schema_t *src, md_schema_t *dst);
/* Stable topological sort: a table comes after the tables it references;
 * among independent tables creation order is kept. Cycles keep their order. */
void md_order_tables(md_schema_t *s);

#endif

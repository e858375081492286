/* row_json.h — rows of a query as JSON objects, for every module's store:
 * the keys are the columns' names (give each an alias in the SQL), the
 * kinds come from a short type string, one letter a column:
 *   'i' integer   'b' boolean (0/1)   'd' real   't' text   '-' skip
 * A NULL value becomes JSON null whatever its letter. The string must have
 * exactly one letter a column: a mismatch stops the program (log_fatal). */
/*
 * The same rows into C structs: a field map lists, in column order, where
 * each column goes (DB_INT for int, int64_t and bool fields; DB_TEXT for a
 * char array, NULL as "" and cut to fit; DB_REAL for double), so a loader
 * is its SQL and its map, with no column numbers written by hand.
 *
 * And the query in the same call: db_list_json, db_get_json and db_get_row
 * prepare, bind (db_bindf letters), run and read in one. */
#ifndef LI_ROW_JSON_H
#define LI_ROW_JSON_H
#include "db.h"
#include <jansson.h>
#include <stddef.h>

/* Where one column goes in a struct: its offset, its size, its kind ('i'
 * integer or bool by size, 't' text, 'd' real). */
typedef struct db_field {
    size_t off, size;
    char kind;
} db_field_t;
#define DB_FIELD_(T, f, k) {offsetof(T, f), sizeof(((T *)0)->f), k}
#define DB_INT(T, f) DB_FIELD_(T, f, 'i')
#define DB_TEXT(T, f) DB_FIELD_(T, f, 't')
#define DB_REAL(T, f) DB_FIELD_(T, f, 'd')
/* A field map as the (map, count) pair the functions below take. */
#define DB_MAP(map) (map), (sizeof(map) / sizeof((map)[0]))

/* The current row as a new object. */
json_t *db_row_json(db_stmt_t *st, const char *types);
/* Appends every row, from the current one (rc is db_query's or db_step's
 * last answer), to `items`; then resets the statement. 0 or DB_E*. */
int db_rows_json(db_stmt_t *st, int rc, const char *types, json_t *items);
/* The one row of a query as *out: 0, 1 when there is none, or DB_E*. Resets
 * the statement. */
int db_one_json(db_stmt_t *st, int rc, const char *types, json_t **out);

/* Fills `out` from the current row: column at + k into fields[k]. The
 * fields the map does not name are left as they are. */
void db_row_fill(db_stmt_t *st, int at, const db_field_t *fields, size_t n, void *out);

/* Runs the query and appends every row to `items` (db_rows_json). */
int db_list_json(db_t *db, json_t *items, const char *types, const char *sql, const char *fmt, ...);
/* Runs the query; its one row as *out (db_one_json): 0, 1 when none, DB_E*. */
int db_get_json(db_t *db, json_t **out, const char *types, const char *sql, const char *fmt, ...);
/* Runs the query; on a row, zeroes the struct of `size` bytes at `out` and
 * fills it by the map: 0, 1 when there is no row, or DB_E*. */
int db_get_row(db_t *db, const db_field_t *fields, size_t n, void *out, size_t size, const char *sql,
               const char *fmt, ...);
/* Runs the query; the first column of its row, as text into buf (NULL as
 * "", cut to fit) or as an integer into *out: 0, 1 when there is no row
 * (buf / *out untouched), or DB_E*. */
int db_get_text(db_t *db, char *buf, size_t n, const char *sql, const char *fmt, ...);
int db_get_int(db_t *db, int64_t *out, const char *sql, const char *fmt, ...);

#endif

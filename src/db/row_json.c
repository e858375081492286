/* row_json.c — query rows as JSON (see row_json.h). */
#include "row_json.h"
#include "core/json.h"
#include "core/log.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

json_t *db_row_json(db_stmt_t *st, const char *types)
{
    int ncols = db_col_count(st);
    /* One letter a column, exactly: a mismatch is a programming error that
     * would answer wrong data, so it stops here (any test of the query finds it). */
    if ((int)strlen(types) != ncols)
        log_fatal("db_row_json: %d type letters \"%s\" for %d columns (first: %s)", (int)strlen(types), types,
                  ncols, ncols ? db_col_name(st, 0) : "-");
    json_t *o = json_object();
    for (int c = 0; types[c]; c++) {
        if (types[c] == '-') continue;
        json_t *v;
        if (db_col_is_null(st, c)) v = json_null();
        else if (types[c] == 'i') v = json_integer(db_col_int(st, c));
        else if (types[c] == 'b') v = json_boolean(db_col_int(st, c) != 0);
        else if (types[c] == 'd') v = json_real(db_col_double(st, c));
        else v = json_text(db_col_text(st, c));
        json_object_set_new(o, db_col_name(st, c), v);
    }
    return o;
}

int db_rows_json(db_stmt_t *st, int rc, const char *types, json_t *items)
{
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(items, db_row_json(st, types));
    db_reset(st);
    return rc < 0 ? rc : 0;
}

int db_one_json(db_stmt_t *st, int rc, const char *types, json_t **out)
{
    if (!st) return rc;
    if (rc == DB_ROW) *out = db_row_json(st, types);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

void db_row_fill(db_stmt_t *st, int at, const db_field_t *fields, size_t n, void *out)
{
    if ((int)n > db_col_count(st) - at)
        log_fatal("db_row_fill: %zu fields for %d columns from %d", n, db_col_count(st), at);
    for (size_t k = 0; k < n; k++) {
        char *dst = (char *)out + fields[k].off;
        int col = at + (int)k;
        if (fields[k].kind == 't') {
            snprintf(dst, fields[k].size, "%s", db_col_text(st, col));
        } else if (fields[k].kind == 'd') {
            *(double *)dst = db_col_double(st, col);
        } else {
            int64_t v = db_col_int(st, col);
            if (fields[k].size == sizeof(int64_t)) *(int64_t *)dst = v;
            else if (fields[k].size == sizeof(int)) *(int *)dst = (int)v;
            else if (fields[k].size == sizeof(bool)) *(bool *)dst = v != 0;
            else log_fatal("db_row_fill: integer field of %zu bytes", fields[k].size);
        }
    }
}

int db_list_json(db_t *db, json_t *items, const char *types, const char *sql, const char *fmt, ...)
{
    DB_QUERY_VA(db, sql, fmt);
    return db_rows_json(st, rc, types, items);
}

int db_get_json(db_t *db, json_t **out, const char *types, const char *sql, const char *fmt, ...)
{
    DB_QUERY_VA(db, sql, fmt);
    return db_one_json(st, rc, types, out);
}

int db_get_row(db_t *db, const db_field_t *fields, size_t n, void *out, size_t size, const char *sql,
               const char *fmt, ...)
{
    DB_QUERY_VA(db, sql, fmt);
    if (!st) return rc;
    if (rc == DB_ROW) {
        memset(out, 0, size);
        db_row_fill(st, 0, fields, n, out);
    }
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int db_get_text(db_t *db, char *buf, size_t n, const char *sql, const char *fmt, ...)
{
    DB_QUERY_VA(db, sql, fmt);
    if (!st) return rc;
    if (rc == DB_ROW) snprintf(buf, n, "%s", db_col_text(st, 0));
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

int db_get_int(db_t *db, int64_t *out, const char *sql, const char *fmt, ...)
{
    DB_QUERY_VA(db, sql, fmt);
    if (!st) return rc;
    if (rc == DB_ROW) *out = db_col_int(st, 0);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : 1;
}

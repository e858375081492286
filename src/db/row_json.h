/* row_json.h — rows of a query as JSON objects, for every module's store:
 * the keys are the columns' names (give each an alias in the SQL), the
 * kinds come from a short type string, one letter a column:
 *   'i' integer   'b' boolean (0/1)   'd' real   't' text   '-' skip
 * A NULL value becomes JSON null whatever its letter. The string must have
 * exactly one letter a column: a mismatch stops the program (log_fatal). */
#ifndef LI_ROW_JSON_H
#define LI_ROW_JSON_H
#include "db.h"
#include <jansson.h>

/* The current row as a new object. */
json_t *db_row_json(db_stmt_t *st, const char *types);
/* Appends every row, from the current one (rc is db_query's or db_step's
 * last answer), to `items`; then resets the statement. 0 or DB_E*. */
int db_rows_json(db_stmt_t *st, int rc, const char *types, json_t *items);
/* The one row of a query as *out: 0, 1 when there is none, or DB_E*. Resets
 * the statement. */
int db_one_json(db_stmt_t *st, int rc, const char *types, json_t **out);

#endif

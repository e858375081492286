/* store_row.h — what the store files of info share, and nothing for the
 * operations: store.h's rule that no function takes a bare record id holds
 * for what they call. */
#ifndef LI_INFO_STORE_ROW_H
#define LI_INFO_STORE_ROW_H
#include "store.h"
#include "db/row_json.h"

/* Reads row `id` of `table` when its organisation is in the scope's subtree
 * (rule I5): the columns `cols`, over the table as x, into `out` (of `size`
 * bytes) by the map. 0, 1 (absent or out of scope) or DB_E*. */
int info_store_scoped_row(const scope_t *sc, db_t *db, const char *table, const char *cols, int64_t id,
                          const db_field_t *map, size_t n, void *out, size_t size);

#endif

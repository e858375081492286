/* sqlite_tools.h — SQLite-only operations: online backup (the file copy that
 * is consistent while the server runs). */
#ifndef LI_SQLITE_TOOLS_H
#define LI_SQLITE_TOOLS_H
#include "db.h"
#include <stddef.h>

/* Copies the open SQLite database `db` to `dest_path` with the online backup
 * API. Returns 0 or DB_ERR with a message in errbuf. */
int db_sqlite_backup(db_t *db, const char *dest_path, char *errbuf, size_t errlen);

#endif

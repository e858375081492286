/* pg.c — placeholder until the PostgreSQL driver lands (being written now). */
#include "db.h"
#include <stdio.h>
static int pg_open(const char *uri, db_t **out, char *errbuf, size_t errlen)
{
    (void)uri, (void)out;
    snprintf(errbuf, errlen, "PostgreSQL driver not built yet");
    return DB_ERR;
}
const db_driver_t db_pg_driver = {.name = "pg", .open = pg_open};

/* demo.h — the directory's demo data (called by `labimpact demo` inside its
 * transaction, on a fresh network only): the help desk, the CPIA and the
 * mediation service of every demo district, a few associations and events. */
#ifndef LI_DIRECTORY_DEMO_H
#define LI_DIRECTORY_DEMO_H
#include "db/db.h"
#include <stdio.h>

/* 0, or -1 with a line on `log`. */
int dir_demo(db_t *db, const char *data_file, FILE *log);

#endif

/* demo.h — the directory's demo data (called by `labimpact demo` inside its
 * transaction, on a fresh network only): the help desk, the CPIA and the
 * mediation service of every demo district, a few associations (one with
 * the account demo-association) and events. */
#ifndef LI_DIRECTORY_DEMO_H
#define LI_DIRECTORY_DEMO_H
#include "db/db.h"
#include <stdio.h>

/* 0, or -1 with a line on `log`; the demo account's password goes to `creds`. */
int dir_demo(db_t *db, const char *data_file, FILE *log, FILE *creds);

#endif

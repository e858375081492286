/* demo.h — the mediation module's demo data (called by `labimpact demo`
 * inside its transaction): mediators of Lombardy's main communities in the
 * demo districts, requesting bodies and a season of requests. Reproducible
 * for a given seed; skipped when the data is already there. 0 or DB_E*. */
#ifndef LI_MEDIATION_DEMO_H
#define LI_MEDIATION_DEMO_H
#include "db/db.h"
#include <stdio.h>

int mediation_demo(db_t *db, unsigned long seed, long scale, FILE *log);

#endif

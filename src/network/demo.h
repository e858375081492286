/* demo.h — `labimpact demo`: the demo network from data/demo-network.json
 * (the region, its districts and partners as the seed documents name them,
 * projects and actions, the four macro-actions) and one demo account per role,
 * each with a random password printed once and written to a 0600 file. */
#ifndef LI_DEMO_H
#define LI_DEMO_H
#include "db/db.h"
#include <stdio.h>

typedef struct demo_options {
    const char *data_file;        /* the network description (JSON) */
    const char *credentials_file; /* where the demo passwords are written */
    long persons;                 /* synthetic persons to generate */
    unsigned long seed;           /* seed of the synthetic data */
} demo_options_t;

/* Loads the network (skipped when the region already exists) and the demo
 * accounts (existing ones are left alone) in one transaction. 0 or -1 with a
 * message on `log`. */
int demo_load(db_t *db, const demo_options_t *opt, FILE *log);

#endif

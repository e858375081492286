/* demo.h — the network's demo loader: the demo network from
 * data/demo-network.json (the region, its districts and partners as the seed
 * documents name them, projects and actions, the four macro-actions) and one
 * demo account per role, each with a random password (shown once by
 * `labimpact demo`, see app/module.h). */
#ifndef LI_NETWORK_DEMO_H
#define LI_NETWORK_DEMO_H
#include "app/module.h"

/* Loads the network unless the region exists (then sets d->fresh false) and
 * the demo accounts that do not exist yet, inside the caller's transaction.
 * 0, or -1 with a line on d->log. */
int network_demo(db_t *db, module_demo_t *d);

#endif

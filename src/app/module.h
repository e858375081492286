/* module.h — what a module is to the app, and the registry the app loops
 * over. A module (network, desk, mediation, ...) is one folder under src/
 * that fills one module_t; src/modules.c lists them. The app never names a
 * module's functions or capabilities: the server takes routes and menu
 * entries from here, `labimpact demo` runs every module's demo loader in
 * order, and the settings load every module's message catalogue.
 *
 * Adding a module: write src/<name>/module.c with its module_t (see README,
 * "Where things are") and add it to src/modules.c. */
#ifndef LI_MODULE_H
#define LI_MODULE_H
#include "core/router.h"
#include "db/db.h"
#include "scope.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* One entry of the main menu, shown to roles with `cap`. Entries of all
 * modules are shown by ascending `order`. */
typedef struct module_nav {
    const char *href, *label; /* label: an English msgid */
    cap_t cap;
    int order;
} module_nav_t;

/* What `labimpact demo` hands every module's demo loader. All loaders run
 * in one write transaction, in registry order: nothing is kept unless all
 * succeed. */
typedef struct module_demo {
    const char *data_file;        /* the demo network description (JSON) */
    long persons;                 /* synthetic persons to generate (0: network only) */
    unsigned long seed;           /* seed of the synthetic data */
    bool fresh;                   /* set by the network loader: this run created the network;
                                     synthetic data is added only then, so a rerun never doubles it */
    FILE *log;                    /* progress and errors, for the operator */
    FILE *credentials;            /* "username role org password" lines of new demo accounts */
} module_demo_t;

/* Reads a demo data file: `beside` ("info/demo.json") in the folder of the
 * network's file, or that file itself when `beside` is NULL. NULL, with a
 * line on d->log, when it cannot be read or parsed. */
json_t *module_demo_load(const module_demo_t *d, const char *beside);

/* A table of resources, as a module's web file exports it (ROUTE_TABLE). */
typedef const resource_t *const *(*module_routes_fn)(size_t *n);

typedef struct module {
    const char *name;                     /* folder name: "desk" */
    const module_routes_fn *routes;       /* NULL-terminated; NULL for none */
    const module_nav_t *nav;              /* ends with an entry whose href is NULL; NULL for none */
    const cap_t *caps;                    /* the capabilities it defines, NULL-terminated */
    int (*demo)(db_t *db, module_demo_t *d); /* 0, or -1 with a line on d->log; NULL for none */
    const char *locales;                  /* its catalogues' folder under locales/, NULL for none */
} module_t;

/* The registry (src/modules.c): every module, in load order, NULL-terminated. */
extern const module_t *const modules[];

/* The menu entries of every module by ascending order, ending with an entry
 * whose href is NULL. Built once; safe to read from any thread after. */
const module_nav_t *modules_nav(void);
/* Runs every module's demo loader in one write transaction; the accounts the
 * loaders created are then written to `credentials_file` (mode 0600) and
 * shown once on d->log. 0, or -1 with nothing loaded. */
int modules_demo(db_t *db, module_demo_t *d, const char *credentials_file);
/* Every module's resources as routes, one a method, in registry order: an
 * unsafe method gets R_WRITE unless its resource says R_READS (server.h).
 * Built once; *n is their count. */
const route_t *modules_routes(size_t *n);

#endif

/* org.h — looking up organisations, beside the scope that limits them. Every
 * module that needs an organisation by code goes through these; the network
 * module owns the rest of the tree (creation, changes, lists). */
#ifndef LI_ORG_H
#define LI_ORG_H
#include "db/db.h"
#include "scope.h"
#include <stdint.h>

#define ORG_CODE_MAX 40
#define ORG_NAME_MAX 200

typedef struct org {
    int64_t id, parent_id;
    char code[64];
    char name[256];
    char kind[16];
    char path[256];
} org_t;

/* An organisation visible to the scope (its subtree or an ancestor), by code.
 * 0 found; 1 absent or out of scope; DB_E* on failure. */
int org_visible(const scope_t *sc, db_t *db, const char *code, org_t *out);
/* Any organisation by code, for the command line and public pages (no
 * personal data). Same returns. */
int org_public(db_t *db, const char *code, org_t *out);
/* The root organisation (the region). Same returns. */
int org_root(db_t *db, org_t *out);

#endif

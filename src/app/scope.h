/* scope.h — who may do what, and on which part of the organisation tree.
 *
 * This is the ONE mechanism for access: a scope_t is built from the session
 * (never from request input) and every store function that touches scoped
 * data takes it as its first argument and restricts its SQL with
 * scope_subtree_like(), or refuses with scope_require(). Out-of-scope records
 * are answered as absent (404), so their existence does not leak.
 *
 * Roles are bound to an organisation subtree: a coordinator of `cremona` sees
 * cremona and what lies below it; an admin or analyst of `lombardia` (the
 * root) sees everything their role allows. Each capability says which roles
 * have it (the app's in scope.c, a module's in its own folder). */
#ifndef LI_SCOPE_H
#define LI_SCOPE_H
#include "core/err.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    ROLE_NONE = 0, /* anonymous: public pages only */
    ROLE_ADMIN,
    ROLE_REGION,
    ROLE_COORDINATOR,
    ROLE_OPERATOR,
    ROLE_MEDIATOR,
    ROLE_TEACHER,
    ROLE_EDITOR,
    ROLE_TRANSLATOR,
    ROLE_ASSOCIATION, /* an approved association: its own profile and events (directory) */
    ROLE_COUNT
} role_t;

/* A capability: something a role may do, with the roles that have it. The
 * app defines its own below; each module defines the capabilities of its
 * domain in its own header the same way, and lists them in its descriptor
 * (app/module.h). Compared by address: cap_t is a pointer to one. */
#define ROLE_BIT(r) (1u << (r))
typedef struct capability {
    const char *name;  /* "person.read": shown in the list of roles */
    unsigned roles;    /* ROLE_BIT(ROLE_...) | ... */
} capability_t;
typedef const capability_t *cap_t;

extern const capability_t cap_workspace, cap_org_read, cap_org_manage, cap_user_manage, cap_audit_read,
    cap_metrics;
#define CAP_WORKSPACE (&cap_workspace)     /* use the logged-in workspace */
#define CAP_ORG_READ (&cap_org_read)       /* read the organisation tree in scope */
#define CAP_ORG_MANAGE (&cap_org_manage)   /* create / change organisations in scope */
#define CAP_USER_MANAGE (&cap_user_manage) /* create / list / change accounts in scope */
#define CAP_AUDIT_READ (&cap_audit_read)   /* read the audit log of the scope */
#define CAP_METRICS (&cap_metrics)         /* read /metrics */

typedef struct scope {
    int64_t user_id;       /* 0 for anonymous and for the command line */
    const char *username;  /* NULL for anonymous */
    role_t role;
    int64_t org_id;
    char org_code[64];
    char org_path[256];    /* "/1/5/" — the subtree root's path (set by scope_set_path) */
    char subtree_like[260]; /* its LIKE pattern, "/1/5/%"; "" (matches nothing) until set */
} scope_t;

/* The scope of an anonymous visitor (public data only). */
scope_t scope_anonymous(void);
/* The scope of the command line (an admin over the root `root_path`). */
scope_t scope_system(const char *root_path);
/* True when the scope's role has the capability. */
bool scope_can(const scope_t *sc, cap_t cap);
/* 0 when allowed; otherwise fills `e` (401 anonymous, 403 forbidden) and
 * returns -status. */
int scope_require(const scope_t *sc, cap_t cap, err_t *e);
/* Roots the scope at the organisation with `path` ("/1/5/"): org_path and
 * its LIKE pattern. */
void scope_set_path(scope_t *sc, const char *path);
/* The LIKE pattern selecting the scope's subtree by org.path ("/1/5/%"),
 * valid as long as the scope. Anonymous scopes, and scopes whose path was
 * never set, get a pattern that matches nothing. */
const char *scope_subtree_like(const scope_t *sc);
/* True when the scope is rooted at the top of the tree ("/1/"): it also sees
 * records tied to no organisation. */
bool scope_is_root(const scope_t *sc);
/* True when an organisation with `org_path` lies inside the scope's subtree. */
bool scope_covers(const scope_t *sc, const char *org_path);

role_t role_parse(const char *name);        /* ROLE_NONE when unknown */
const char *role_name(role_t role);         /* "coordinator", ... */

#endif

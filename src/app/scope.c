/* scope.c — the role/capability table and subtree checks. */
#include "scope.h"
#include <stdio.h>
#include <string.h>

static const char *const role_names[ROLE_COUNT] = {
    "none", "admin", "region", "coordinator", "operator", "mediator", "teacher", "editor", "translator",
    "association",
};

/* The app's own capabilities. The region role reads the network and
 * aggregates, never personal records (DESIGN.md: pseudonymised unless
 * authorised); every logged-in role has a workspace. */
#define LOGGED_IN                                                                                              \
    (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_REGION) | ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_OPERATOR) |    \
     ROLE_BIT(ROLE_MEDIATOR) | ROLE_BIT(ROLE_TEACHER) | ROLE_BIT(ROLE_EDITOR) | ROLE_BIT(ROLE_TRANSLATOR) |  \
     ROLE_BIT(ROLE_ASSOCIATION))
const capability_t cap_workspace = {"workspace", LOGGED_IN};
const capability_t cap_org_read = {"org.read", LOGGED_IN};
const capability_t cap_org_manage = {"org.manage", ROLE_BIT(ROLE_ADMIN)};
const capability_t cap_user_manage = {"user.manage", ROLE_BIT(ROLE_ADMIN)};
const capability_t cap_audit_read = {"audit.read", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_COORDINATOR)};
const capability_t cap_metrics = {"metrics", ROLE_BIT(ROLE_ADMIN)};

scope_t scope_anonymous(void)
{
    scope_t sc;
    memset(&sc, 0, sizeof sc);
    sc.role = ROLE_NONE;
    return sc;
}

scope_t scope_system(const char *root_path)
{
    scope_t sc = scope_anonymous();
    sc.role = ROLE_ADMIN;
    sc.username = "(command line)";
    scope_set_path(&sc, root_path);
    return sc;
}

bool scope_can(const scope_t *sc, cap_t cap)
{
    if (sc->role <= ROLE_NONE || sc->role >= ROLE_COUNT || !cap) return false;
    return (cap->roles & ROLE_BIT(sc->role)) != 0;
}

int scope_require(const scope_t *sc, cap_t cap, err_t *e)
{
    if (scope_can(sc, cap)) return 0;
    if (sc->role == ROLE_NONE) return err_set(e, 401, "unauthenticated", NULL, "Please log in.");
    return err_set(e, 403, "forbidden", NULL, "You are not allowed to do this.");
}

void scope_set_path(scope_t *sc, const char *path)
{
    snprintf(sc->org_path, sizeof sc->org_path, "%s", path);
    snprintf(sc->subtree_like, sizeof sc->subtree_like, "%s%%", sc->org_path);
}

const char *scope_subtree_like(const scope_t *sc)
{
    if (sc->role == ROLE_NONE || sc->org_path[0] != '/' || !sc->subtree_like[0])
        return "\x01-no-scope"; /* matches no path */
    return sc->subtree_like;
}

bool scope_is_root(const scope_t *sc)
{
    size_t n = strlen(sc->org_path);
    return sc->role != ROLE_NONE && n >= 3 && sc->org_path[0] == '/' &&
           strchr(sc->org_path + 1, '/') == sc->org_path + n - 1;
}

bool scope_covers(const scope_t *sc, const char *org_path)
{
    size_t n = strlen(sc->org_path);
    return sc->role != ROLE_NONE && n > 0 && strncmp(org_path, sc->org_path, n) == 0;
}

role_t role_parse(const char *name)
{
    if (!name) return ROLE_NONE;
    for (int r = 1; r < ROLE_COUNT; r++)
        if (strcmp(name, role_names[r]) == 0) return (role_t)r;
    return ROLE_NONE;
}

const char *role_name(role_t role)
{
    return role < ROLE_COUNT ? role_names[role] : "none";
}

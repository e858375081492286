/* module.c — the plan's network as the app sees it (app/module.h): the
 * public portal's and the organisation tree's routes, the workspace and
 * organisations menu entries, and the demo network with its accounts. The
 * capabilities it checks are the app's own (organisations). */
#include "app/module.h"
#include "demo.h"
#include "web.h"

static const module_routes_fn routes[] = {network_routes, NULL};
static const module_nav_t nav[] = {
    {"/app", "Workspace", CAP_WORKSPACE, 10},
    {"/admin/orgs", "Organisations", CAP_ORG_MANAGE, 30},
    {NULL, NULL, NULL, 0},
};

const module_t network_module = {"network", routes, nav, NULL, network_demo, NULL};

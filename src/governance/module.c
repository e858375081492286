/* module.c — governance as the app sees it (app/module.h): its routes, menu
 * entries, capabilities, demo loader and catalogues. */
#include "app/module.h"
#include "governance.h"
#include "web.h"

#define COORDINATOR ROLE_BIT(ROLE_COORDINATOR)
#define REGION ROLE_BIT(ROLE_REGION)
/* G1: coordinators manage their district's projects; the region reads all and approves; others none. */
const capability_t cap_gov_manage = {"governance.manage", COORDINATOR};
const capability_t cap_gov_read = {"governance.read", COORDINATOR | REGION};
const capability_t cap_gov_approve = {"governance.approve", REGION};

/* The projects of a fresh demo network, with their budgets and expenses. */
static int demo(db_t *db, module_demo_t *d)
{
    if (!d->fresh) return 0;
    return gov_demo(db, d->data_file, d->seed, d->log);
}

static const module_routes_fn routes[] = {govweb_api_routes, govweb_budget_routes, govweb_page_routes,
                                          govweb_budget_page_routes, NULL};
static const module_nav_t nav[] = {
    {"/governance", "Projects", CAP_GOV_READ, 50},
    {"/governance/submissions", "Approvals", CAP_GOV_APPROVE, 51},
    {NULL, NULL, NULL, 0},
};
static const cap_t caps[] = {CAP_GOV_MANAGE, CAP_GOV_READ, CAP_GOV_APPROVE, NULL};

const module_t governance_module = {"governance", routes, nav, caps, demo, "governance"};

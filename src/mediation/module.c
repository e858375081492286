/* module.c — on-call mediation as the app sees it (app/module.h): its
 * routes, menu entries, capabilities, demo loader and catalogues. */
#include "app/module.h"
#include "demo.h"
#include "mediation.h"
#include "web.h"

const capability_t cap_mediation_manage = {"mediation.manage", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_COORDINATOR)};
const capability_t cap_mediation_self = {"mediation.self", ROLE_BIT(ROLE_MEDIATOR)};

/* Bookings and mediators for the synthetic persons of a fresh demo network. */
static int demo(db_t *db, module_demo_t *d)
{
    if (!d->fresh || d->persons <= 0) return 0;
    return mediation_demo(db, d->seed, d->persons, d->log);
}

static const module_routes_fn routes[] = {medweb_api_routes, medweb_page_routes, NULL};
static const module_nav_t nav[] = {
    {"/mediation", "Mediation", CAP_MEDIATION_MANAGE, 60},
    {"/mediation/me", "My mediations", CAP_MEDIATION_SELF, 70},
    {NULL, NULL, NULL, 0},
};
static const cap_t caps[] = {CAP_MEDIATION_MANAGE, CAP_MEDIATION_SELF, NULL};

const module_t mediation_module = {"mediation", routes, nav, caps, demo, "mediation"};

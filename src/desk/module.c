/* module.c — the help desk as the app sees it (app/module.h): its routes,
 * menu entry, capabilities, demo loader and catalogues. */
#include "app/module.h"
#include "desk.h"
#include "deskweb.h"

#define COORDINATOR ROLE_BIT(ROLE_COORDINATOR)
#define OPERATOR ROLE_BIT(ROLE_OPERATOR)
const capability_t cap_person_read = {"person.read", COORDINATOR | OPERATOR};
const capability_t cap_person_write = {"person.write", COORDINATOR | OPERATOR};
const capability_t cap_person_merge = {"person.merge", COORDINATOR};
const capability_t cap_desk_import = {"desk.import", COORDINATOR};
const capability_t cap_gdpr_erase = {"gdpr.erase", COORDINATOR};
const capability_t cap_break_glass = {"break_glass", ROLE_BIT(ROLE_ADMIN)};
const capability_t cap_rules_manage = {"rules.manage", ROLE_BIT(ROLE_ADMIN)};

/* Synthetic persons and casework for a fresh demo network. */
static int demo(db_t *db, module_demo_t *d)
{
    if (!d->fresh || d->persons <= 0) return 0;
    return desk_demo_generate(db, d->persons, d->seed, 10, d->log);
}

static const module_routes_fn routes[] = {
    desk_api_routes,           desk_person_api_routes,  desk_casework_api_routes, desk_procedure_api_routes,
    desk_page_routes,          desk_person_page_routes, desk_casework_page_routes, desk_procedure_page_routes,
    desk_extra_routes,         desk_import_routes,      desk_records_routes,      desk_referral_page_routes,
    NULL};
static const module_nav_t nav[] = {
    {"/desk", "Help desk", CAP_PERSON_READ, 20},
    {NULL, NULL, NULL, 0},
};
static const cap_t caps[] = {CAP_PERSON_READ, CAP_PERSON_WRITE, CAP_PERSON_MERGE, CAP_DESK_IMPORT,
                             CAP_GDPR_ERASE,  CAP_BREAK_GLASS,  CAP_RULES_MANAGE, NULL};

const module_t desk_module = {"desk", routes, nav, caps, demo, "desk"};

/* module.c — participation and the directory as the app sees it
 * (app/module.h): routes, capabilities, demo loader and catalogues. */
#include "app/module.h"
#include "demo.h"
#include "directory.h"
#include "web.h"

const capability_t cap_association_review = {"association.review", ROLE_BIT(ROLE_COORDINATOR)};
const capability_t cap_association_self = {"association.self", ROLE_BIT(ROLE_ASSOCIATION)};
const capability_t cap_service_manage = {"service.manage", ROLE_BIT(ROLE_EDITOR) | ROLE_BIT(ROLE_COORDINATOR)};
const capability_t cap_referral_receive = {"referral.receive", ROLE_BIT(ROLE_OPERATOR) | ROLE_BIT(ROLE_COORDINATOR) |
                                                                     ROLE_BIT(ROLE_MEDIATOR) | ROLE_BIT(ROLE_TEACHER)};
const capability_t cap_channel = {"channel.take_part", ROLE_BIT(ROLE_COORDINATOR) | ROLE_BIT(ROLE_ASSOCIATION)};

/* The help desks, CPIA and mediation services, associations and events of
 * a fresh demo network. */
static int demo(db_t *db, module_demo_t *d)
{
    if (!d->fresh) return 0;
    return dir_demo(db, d->data_file, d->log, d->credentials);
}

static const module_routes_fn routes[] = {dirweb_api_routes, dirweb_channel_routes, dirweb_page_routes, dirweb_own_routes, dirweb_channel_page_routes, dirweb_service_page_routes,
                                            dirweb_referral_routes, dirweb_map_routes, NULL};
static const module_nav_t nav[] = {
    {"/associazioni/revisione", "Associations to review", CAP_ASSOCIATION_REVIEW, 80},
    {"/associazione", "My association", CAP_ASSOCIATION_SELF, 80},
    {"/canali", "Channels", CAP_CHANNEL, 81},
    {"/servizi/gestione", "Services of the directory", CAP_SERVICE_MANAGE, 83},
    {"/invii-ricevuti", "Referrals received", CAP_REFERRAL_RECEIVE, 84},
    {NULL, NULL, NULL, 0},
};
static const cap_t caps[] = {CAP_ASSOCIATION_REVIEW, CAP_ASSOCIATION_SELF, CAP_SERVICE_MANAGE, CAP_CHANNEL, CAP_REFERRAL_RECEIVE, NULL};

const module_t directory_module = {"directory", routes, nav, caps, demo, "directory"};

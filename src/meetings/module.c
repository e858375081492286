/* module.c — meetings as the app sees it (app/module.h): its routes, menu
 * entry, capabilities, demo loader and catalogues. */
#include "app/module.h"
#include "meetings.h"
#include "web.h"

#define R(r) ROLE_BIT(ROLE_##r)
const capability_t cap_meeting_read = {"meeting.read", R(ADMIN) | R(REGION) | R(COORDINATOR) | R(OPERATOR) |
                                                           R(TEACHER) | R(MEDIATOR) | R(EDITOR) | R(TRANSLATOR)};
const capability_t cap_meeting_manage = {"meeting.manage", R(ADMIN) | R(COORDINATOR) | R(OPERATOR)};
const capability_t cap_meeting_case = {"meeting.case", R(COORDINATOR) | R(OPERATOR)};

/* The tavoli, laboratories and school meetings of a fresh demo network. */
static int demo(db_t *db, module_demo_t *d)
{
    if (!d->fresh) return 0;
    return mtg_demo(db, d);
}

static const module_routes_fn routes[] = {mtgweb_api_routes, mtgweb_page_routes, NULL};
static const module_nav_t nav[] = {
    {"/meetings", "Meetings", CAP_MEETING_READ, 50},
    {NULL, NULL, NULL, 0},
};
static const cap_t caps[] = {CAP_MEETING_READ, CAP_MEETING_MANAGE, CAP_MEETING_CASE, NULL};

const module_t meetings_module = {"meetings", routes, nav, caps, demo, "meetings"};

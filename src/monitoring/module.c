/* module.c — monitoring as the app sees it (app/module.h): the indicators'
 * API and exports, the district's and the region's dashboards, the
 * capability to read them, and its catalogues. */
#include "app/module.h"
#include "monitoring.h"
#include "web.h"

static const module_routes_fn routes[] = {monweb_api_routes, monweb_page_routes, NULL};
static const module_nav_t nav[] = {
    {"/monitoraggio", "Monitoring", CAP_MONITORING_READ, 85},
    {NULL, NULL, NULL, 0},
};
static const cap_t caps[] = {CAP_MONITORING_READ, NULL};

const module_t monitoring_module = {"monitoring", routes, nav, caps, NULL, "monitoring"};

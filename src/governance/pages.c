#include "web.h"
#include "app/server.h"
static const route_t routes[] = {{"GET", "/governance", NULL, 0}};
ROUTE_TABLE(govweb_page_routes, routes)
ROUTE_TABLE(govweb_budget_page_routes, routes)

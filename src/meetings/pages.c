/* pages.c — placeholder replaced below. */
#include "app/server.h"
#include "web.h"
static const route_t routes[] = {
    {"GET", "/meetings", NULL, 0},
};
ROUTE_TABLE(mtgweb_page_routes, routes)

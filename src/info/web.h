/* web.h — the route tables of qualified information: the API (web.c) and
 * the public pages (pages.c) and the editors' and translators' pages
 * (workspace.c). */
#ifndef LI_INFO_WEB_H
#define LI_INFO_WEB_H
#include "core/router.h"
#include "info.h"

const route_t *infoweb_api_routes(size_t *n);
const route_t *infoweb_page_routes(size_t *n);
const route_t *infoweb_workspace_routes(size_t *n);

#endif

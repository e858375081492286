/* web.h — the network module's routes (web.c): the public portal, the
 * workspace, and organisations (pages and API). */
#ifndef LI_NETWORK_WEB_H
#define LI_NETWORK_WEB_H
#include "core/router.h"

const resource_t *const *network_routes(size_t *n);

#endif

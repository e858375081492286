/* routes.c — the help desk's route table for the server: the API, the pages
 * and the files/exports routes, joined once at start-up (build_router runs
 * before any worker thread). */
#include "deskweb.h"
#include <stdlib.h>
#include <string.h>

const route_t *desk_routes(size_t *n)
{
    static route_t *all;
    static size_t count;
    if (!all) {
        size_t a, b, c;
        const route_t *ra = desk_api_routes(&a), *rb = desk_page_routes(&b), *rc = desk_extra_routes(&c);
        all = calloc(a + b + c, sizeof *all);
        if (!all) abort();
        memcpy(all, ra, a * sizeof *all);
        memcpy(all + a, rb, b * sizeof *all);
        memcpy(all + a + b, rc, c * sizeof *all);
        count = a + b + c;
    }
    *n = count;
    return all;
}

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
        const route_t *(*const tables[])(size_t *) = {desk_api_routes, desk_page_routes, desk_extra_routes,
                                                        desk_import_routes, desk_records_routes};
        size_t ntab = sizeof tables / sizeof tables[0], total = 0, k;
        for (size_t i = 0; i < ntab; i++) tables[i](&k), total += k;
        all = calloc(total, sizeof *all);
        if (!all) abort();
        for (size_t i = 0; i < ntab; i++) {
            const route_t *t = tables[i](&k);
            memcpy(all + count, t, k * sizeof *all);
            count += k;
        }
    }
    *n = count;
    return all;
}

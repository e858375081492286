/* pages_map.c — the public map of services and initiatives (/mappa).
 *
 * The page is a list first: every service and the next occurrence of every
 * initiative of the districts, placed at its comune (data/directory/
 * comuni.csv); with a comune chosen, by distance from it. That list is the
 * whole page without JavaScript, and without tiles configured. With
 * LABIMPACT_MAP_TILES set, the page also carries a Leaflet map
 * (static/js/directory-map.js, Leaflet from node_modules copied at build
 * time) drawing the same points from a JSON block.
 *
 * Tiles: LABIMPACT_MAP_TILES is a URL template on the site's own origin,
 * "/tiles/{z}/{x}/{y}.png" (a tile cache behind the same nginx): the
 * Content-Security-Policy allows images from 'self' only, so another
 * origin is refused (logged once) and the page stays a list.
 * LABIMPACT_MAP_ATTRIBUTION is the tiles' credit line (default
 * "© OpenStreetMap contributors"). Calls only directory.h. */
#include "web.h"
#include "app/server.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/log.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *tiles;
static pthread_once_t tiles_once = PTHREAD_ONCE_INIT;

/* Reads LABIMPACT_MAP_TILES once: kept when it is a same-origin path with
 * {z}, {x} and {y} and no quote, space or angle bracket. */
static void tiles_load(void)
{
    const char *t = getenv("LABIMPACT_MAP_TILES");
    if (!t || !*t) return;
    if (t[0] == '/' && t[1] != '/' && strstr(t, "{z}") && strstr(t, "{x}") && strstr(t, "{y}") &&
        strcspn(t, "\"'<> \\") == strlen(t) && strlen(t) < 300)
        tiles = t;
    else
        log_warn("LABIMPACT_MAP_TILES must be a path on this site such as /tiles/{z}/{x}/{y}.png; the map shows a list");
}

/* The comune of an initiative's place: the place itself, or one of its
 * comma-separated parts ("Sala civica, Cremona", "Cremona, Piazza del
 * Comune"); false when none is a known comune. */
static bool place_coords(const char *place, double *lat, double *lon)
{
    if (!place) return false;
    if (dir_comune_coords(place, lat, lon)) return true;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", place);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ') t++;
        size_t n = strlen(t);
        while (n && t[n - 1] == ' ') t[--n] = '\0';
        if (dir_comune_coords(t, lat, lon)) return true;
    }
    return false;
}

/* One point of the list and the map. */
static json_t *point(const char *kind, const char *name, const char *where, const char *href, bool has, double lat,
                     double lon)
{
    json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:b}", "kind", kind, "name", name, "where", where ? where : "", "href",
                          href, kind[0] == 's' ? "service" : "event", 1);
    if (has) {
        json_object_set_new(p, "lat", json_real(lat));
        json_object_set_new(p, "lon", json_real(lon));
    }
    return p;
}

/* The services of the directory as points. */
static int service_points(http_req_t *req, json_t *points)
{
    web_t *w = web(req);
    json_t *services = NULL, *s;
    int rc = dir_find(w->db, NULL, NULL, NULL, &services, &w->err);
    if (rc) return rc;
    size_t i;
    json_array_foreach(services, i, s) {
        json_t *sal = json_array_get(json_object_get(s, "service_at_locations"), 0);
        json_t *addr = json_array_get(json_object_get(json_object_get(sal, "location"), "addresses"), 0);
        const char *city = jstr(addr, "city");
        double lat = 0, lon = 0;
        bool has = city && dir_comune_coords(city, &lat, &lon);
        json_t *p = point("service", jstr_or_empty(s, "name"), city, "/servizi", has, lat, lon);
        json_object_set_new(p, "detail", json_string(jstr_or_empty(json_object_get(s, "organization"), "name")));
        json_array_append_new(points, p);
    }
    json_decref(services);
    return 0;
}

/* The next occurrence of every public initiative of every district as points. */
static int event_points(http_req_t *req, json_t *points)
{
    web_t *w = web(req);
    json_t *districts = NULL, *d;
    int rc = dir_districts(w->db, NULL, &districts, &w->err);
    size_t i, k;
    json_array_foreach(districts, i, d) {
        json_t *items = json_array(), *ev;
        int64_t last = 0;
        if (!rc) rc = dir_event_public_list(w->db, jstr(d, "code"), db_now() - 3600, 300, items, &w->err);
        json_array_foreach(items, k, ev) {
            int64_t id = json_integer_value(json_object_get(ev, "id"));
            bool seen = false;
            for (size_t j = 0; j < json_array_size(points) && !seen; j++) {
                json_t *p = json_array_get(points, j);
                seen = json_integer_value(json_object_get(p, "event_id")) == id && strcmp(jstr_or_empty(p, "kind"), "event") == 0;
            }
            if (seen || id == last) continue;
            last = id;
            double lat = 0, lon = 0;
            const char *place = jstr(ev, "place"), *start = jstr_or_empty(ev, "start");
            bool has = place_coords(place, &lat, &lon);
            json_t *p = point("event", jstr_or_empty(ev, "title"), place,
                              arena_printf(req->arena, "/eventi/%s", jstr_or_empty(d, "code")), has, lat, lon);
            json_object_set_new(p, "event_id", json_integer(id));
            json_object_set_new(p, "detail", json_string(strlen(start) >= 16 ? arena_printf(req->arena, "%.2s/%.2s/%.4s %.5s",
                                                                                            start + 8, start + 5, start, start + 11)
                                                                             : ""));
            if (json_is_true(json_object_get(ev, "recurring"))) json_object_set_new(p, "recurring", json_true());
            json_array_append_new(points, p);
        }
        json_decref(items);
    }
    json_decref(districts);
    return rc;
}

/* Orders points by "distance_km" (those without one last), then name. */
static int by_distance(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_t *dx = json_object_get(x, "distance_km"), *dy = json_object_get(y, "distance_km");
    if (dx && dy && json_real_value(dx) != json_real_value(dy)) return json_real_value(dx) < json_real_value(dy) ? -1 : 1;
    if (!dx != !dy) return !dx - !dy;
    return strcmp(jstr_or_empty(x, "name"), jstr_or_empty(y, "name"));
}

static int get_map(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    pthread_once(&tiles_once, tiles_load);
    const char *comune = http_query(req, "comune"), *what = http_query(req, "what");
    double lat0 = 45.6, lon0 = 9.8; /* Lombardy */
    bool from = comune && *comune && dir_comune_coords(comune, &lat0, &lon0);
    if (comune && *comune && !from) err_set(&w->err, 422, "invalid", "comune", "Choose a comune from the list.");
    bool services = !what || strcmp(what, "events") != 0, events = !what || strcmp(what, "services") != 0;
    json_t *points = json_array(), *p;
    int rc = services ? service_points(req, points) : 0;
    if (!rc && events) rc = event_points(req, points);
    if (rc) {
        json_decref(points);
        return rc;
    }
    size_t i, n = json_array_size(points);
    json_array_foreach(points, i, p) if (from && json_object_get(p, "lat")) {
        double d = dir_distance_km(lat0, lon0, json_real_value(json_object_get(p, "lat")),
                                   json_real_value(json_object_get(p, "lon")));
        json_object_set_new(p, "distance_km", json_real(d));
        json_object_set_new(p, "distance", json_string(arena_printf(req->arena, "%.1f", d)));
    }
    json_t **v = malloc((n ? n : 1) * sizeof *v), *sorted = json_array();
    for (i = 0; i < n; i++) v[i] = json_array_get(points, i);
    qsort(v, n, sizeof *v, by_distance);
    for (i = 0; i < n; i++) json_array_append(sorted, v[i]);
    free(v);
    json_decref(points);
    json_t *vm = json_pack("{s:o, s:o, s:b, s:i, s:s, s:b, s:b}", "points", sorted, "comuni", dir_comune_options(comune),
                           "by_distance", from, "count", (int)n, "what", what ? what : "", "what_services",
                           what && strcmp(what, "services") == 0, "what_events", what && strcmp(what, "events") == 0);
    if (tiles) {
        json_t *markers = json_array();
        json_array_foreach(sorted, i, p) if (json_object_get(p, "lat"))
            json_array_append_new(markers, json_pack("{s:O, s:O, s:O, s:O, s:s, s:s}", "lat", json_object_get(p, "lat"),
                                                     "lon", json_object_get(p, "lon"), "name", json_object_get(p, "name"),
                                                     "kind", json_object_get(p, "kind"), "where", jstr_or_empty(p, "where"),
                                                     "href", jstr_or_empty(p, "href")));
        json_t *all = json_pack("{s:o, s:f, s:f, s:i}", "markers", markers, "lat", lat0, "lon", lon0, "zoom", from ? 11 : 8);
        char *data = json_dumps(all, JSON_COMPACT); /* into a data- attribute, escaped by the template */
        json_decref(all);
        const char *att = getenv("LABIMPACT_MAP_ATTRIBUTION");
        json_object_set_new(vm, "map", json_pack("{s:s, s:s, s:s}", "tiles", tiles, "attribution",
                                                 att && *att ? att : "© OpenStreetMap contributors", "data", data));
        free(data);
    }
    if (from || !comune || !*comune) return web_page(req, res, 200, "directory/map", vm);
    web_form_error(req, vm);
    return web_page(req, res, 422, "directory/map", vm);
}
static const resource_t res_mappa = {"/mappa", .get = get_map, .flags = R_PUBLIC};

static const resource_t *const map_routes[] = {&res_mappa};

ROUTE_TABLE(dirweb_map_routes, map_routes)

/* find.c — finding a service for a visitor (directory.h): by need (a term of
 * the taxonomy), language and comune; with a comune chosen, the services are
 * listed by distance from it (the map's fallback without tiles), computed
 * from data/directory/comuni.csv. */
#include "internal.h"
#include "app/settings.h"
#include "core/csv.h"
#include "core/json.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COMUNI 2000

typedef struct comune {
    char name[64];
    double lat, lon;
} comune_t;

static comune_t comuni[MAX_COMUNI];
static size_t ncomuni;
static pthread_once_t comuni_once = PTHREAD_ONCE_INIT;

/* Loads comuni.csv once (comune, provincia, lat, lon; a header line). */
static void comuni_load(void)
{
    str_t data = STR_INIT;
    if (str_read_file(&data, settings_path("data/directory/comuni.csv")) != 0) {
        str_release(&data);
        return;
    }
    csv_reader_t r;
    csv_reader_init(&r, str_cstr(&data), data.len, 0);
    for (int rc; (rc = csv_read(&r)) == 1 && ncomuni < MAX_COMUNI;) {
        if (r.record == 1 || csv_nfields(&r) < 4) continue;
        comune_t *c = &comuni[ncomuni];
        snprintf(c->name, sizeof c->name, "%s", csv_field(&r, 0));
        c->lat = strtod(csv_field(&r, 2), NULL);
        c->lon = strtod(csv_field(&r, 3), NULL);
        ncomuni++;
    }
    csv_reader_release(&r);
    str_release(&data);
}

/* The comune named `name` (case as written in the file, compared without case); NULL when unknown. */
static const comune_t *comune_find(const char *name)
{
    pthread_once(&comuni_once, comuni_load);
    for (size_t i = 0; name && i < ncomuni; i++)
        if (strcasecmp(comuni[i].name, name) == 0) return &comuni[i];
    return NULL;
}

json_t *dir_comune_options(const char *selected)
{
    pthread_once(&comuni_once, comuni_load);
    json_t *a = json_array();
    for (size_t i = 0; i < ncomuni; i++)
        json_array_append_new(a, json_pack("{s:s, s:b}", "name", comuni[i].name, "selected",
                                           selected && strcasecmp(selected, comuni[i].name) == 0));
    return a;
}

double dir_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double h = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * 6371.0 * asin(sqrt(h));
}

/* Great-circle distance in km between two comuni. */
static double distance_km(const comune_t *a, const comune_t *b)
{
    return dir_distance_km(a->lat, a->lon, b->lat, b->lon);
}

bool dir_comune_coords(const char *name, double *lat, double *lon)
{
    const comune_t *c = comune_find(name);
    if (!c) return false;
    *lat = c->lat;
    *lon = c->lon;
    return true;
}

/* The city of an HSDS service's first address ("" when none). */
static const char *service_city(const json_t *s)
{
    json_t *sal = json_array_get(json_object_get(s, "service_at_locations"), 0);
    json_t *addr = json_array_get(json_object_get(json_object_get(sal, "location"), "addresses"), 0);
    return jstr_or_empty(addr, "city");
}

/* Orders services by "distance_km" (those without one last). */
static int by_distance(const void *a, const void *b)
{
    json_t *x = json_object_get(*(json_t *const *)a, "distance_km"), *y = json_object_get(*(json_t *const *)b, "distance_km");
    if (!x || !y) return !x - !y;
    double d = json_real_value(x) - json_real_value(y);
    return d < 0 ? -1 : d > 0;
}

int dir_find(db_t *db, const char *need, const char *language, const char *comune, json_t **out, err_t *e)
{
    const comune_t *from = NULL;
    if (need && *need && !dir_category_ok(need)) return err_set(e, 422, "invalid", "need", "Choose a need from the list.");
    if (language && *language && !dir_language_ok(language))
        return err_set(e, 422, "invalid", "language", "Choose a language from the list.");
    if (comune && *comune && !(from = comune_find(comune)))
        return err_set(e, 422, "invalid", "comune", "Choose a comune from the list.");
    dir_hsds_query_t q = {.page = 1, .per_page = 100, .category = need && *need ? need : NULL,
                          .language = language && *language ? language : NULL};
    json_t *page = NULL;
    int rc = hsds_services(db, &q, &page, e);
    if (rc) return rc;
    json_t *contents = json_incref(json_object_get(page, "contents"));
    json_decref(page);
    size_t i, n = json_array_size(contents);
    json_t *s, **v = calloc(n ? n : 1, sizeof *v);
    json_array_foreach(contents, i, s) {
        const comune_t *at = from ? comune_find(service_city(s)) : NULL;
        if (at) json_object_set_new(s, "distance_km", json_real(round(distance_km(from, at) * 10) / 10));
        v[i] = json_incref(s);
    }
    if (from) qsort(v, n, sizeof *v, by_distance);
    *out = json_array();
    for (i = 0; i < n; i++) json_array_append_new(*out, v[i]);
    free(v);
    json_decref(contents);
    return 0;
}

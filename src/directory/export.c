/* export.c — the directory as an HSDS 3.0 data package (directory.h):
 * datapackage.json describing one CSV file per HSDS table, and each CSV
 * file, flattened from the same HSDS objects the read API answers (so the
 * two can never disagree). Tables and columns follow the HSDS compiled
 * schemas (their `path`: services.csv, ...). */
#include "internal.h"
#include "core/csv.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

/* Where the objects of a table sit in a full HSDS service. */
typedef enum { AT_SERVICE, AT_ORGANIZATION, AT_SAL, AT_LOCATION, AT_ADDRESS, AT_PHONE, AT_SCHEDULE, AT_LANGUAGE,
               AT_ATTRIBUTE, AT_TAXONOMY, AT_TERM } table_at_t;

typedef struct table {
    const char *name;            /* resource name and file stem */
    table_at_t at;
    const char *const *columns;  /* NULL-terminated */
} table_t;

static const char *const c_org[] = {"id", "name", "description", NULL};
static const char *const c_service[] = {"id", "organization_id", "name", "description", "url", "email", "status",
                                        "last_modified", NULL};
static const char *const c_location[] = {"id", "location_type", "organization_id", "name", NULL};
static const char *const c_sal[] = {"id", "service_id", "location_id", NULL};
static const char *const c_address[] = {"id", "location_id", "address_1", "city", "state_province", "postal_code",
                                        "country", "address_type", NULL};
static const char *const c_phone[] = {"id", "service_id", "number", NULL};
static const char *const c_schedule[] = {"id", "service_id", "freq", "wkst", "interval", "byday", "opens_at",
                                         "closes_at", "description", NULL};
static const char *const c_language[] = {"id", "service_id", "name", "code", NULL};
static const char *const c_attribute[] = {"id", "link_id", "link_type", "link_entity", "taxonomy_term_id", NULL};
static const char *const c_taxonomy[] = {"id", "name", "description", "uri", "version", NULL};
static const char *const c_term[] = {"id", "code", "name", "description", "taxonomy_id", NULL};

static const table_t tables[] = {
    {"organizations", AT_ORGANIZATION, c_org}, {"services", AT_SERVICE, c_service},
    {"locations", AT_LOCATION, c_location},    {"service_at_locations", AT_SAL, c_sal},
    {"addresses", AT_ADDRESS, c_address},      {"phones", AT_PHONE, c_phone},
    {"schedules", AT_SCHEDULE, c_schedule},    {"languages", AT_LANGUAGE, c_language},
    {"attributes", AT_ATTRIBUTE, c_attribute}, {"taxonomies", AT_TAXONOMY, c_taxonomy},
    {"taxonomy_terms", AT_TERM, c_term},
};
#define NTABLES (sizeof tables / sizeof tables[0])

json_t *dir_datapackage(const char *base_url)
{
    json_t *resources = json_array();
    for (size_t i = 0; i < NTABLES; i++) {
        json_t *fields = json_array();
        for (const char *const *c = tables[i].columns; *c; c++)
            json_array_append_new(fields, json_pack("{s:s, s:s}", "name", *c, "type",
                                                    strcmp(*c, "interval") == 0 ? "number" : "string"));
        char path[64];
        snprintf(path, sizeof path, "%s.csv", tables[i].name);
        json_array_append_new(resources, json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:o}}", "name", tables[i].name,
                                                   "path", path, "profile", "tabular-data-resource", "format", "csv",
                                                   "mediatype", "text/csv", "schema", "fields", fields));
    }
    char home[600];
    snprintf(home, sizeof home, "%s/servizi", base_url);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}], s:o}", "name", "labimpact-directory", "title",
                     "Lab'Impact — directory of integration services (Lombardy)", "profile", "tabular-data-package",
                     "homepage", home, "hsds_version", "3.0", "licenses", "name", "CC-BY-4.0", "path",
                     "https://creativecommons.org/licenses/by/4.0/", "resources", resources);
}

/* Appends to `rows` the objects of table `at` found in service `s` (nested arrays flattened). */
static void collect(const json_t *s, table_at_t at, json_t *rows)
{
    size_t i, k;
    json_t *x, *y;
    switch (at) {
    case AT_SERVICE: json_array_append(rows, (json_t *)s); break;
    case AT_SAL: json_array_extend(rows, json_object_get(s, "service_at_locations")); break;
    case AT_LOCATION:
    case AT_ADDRESS:
        json_array_foreach(json_object_get(s, "service_at_locations"), i, x) {
            json_t *loc = json_object_get(x, "location");
            if (at == AT_LOCATION) json_array_append(rows, loc);
            else json_array_foreach(json_object_get(loc, "addresses"), k, y) json_array_append(rows, y);
        }
        break;
    case AT_PHONE: json_array_extend(rows, json_object_get(s, "phones")); break;
    case AT_SCHEDULE: json_array_extend(rows, json_object_get(s, "schedules")); break;
    case AT_LANGUAGE: json_array_extend(rows, json_object_get(s, "languages")); break;
    case AT_ATTRIBUTE: json_array_extend(rows, json_object_get(s, "attributes")); break;
    default: break;
    }
}

/* Appends one CSV row of `o`'s columns (numbers as text, absent as empty). */
static void csv_object(str_t *out, const json_t *o, const char *const *columns)
{
    const char *fields[16];
    char nums[16][32];
    size_t n = 0;
    for (const char *const *c = columns; *c && n < 16; c++, n++) {
        json_t *v = json_object_get(o, *c);
        if (json_is_number(v)) {
            snprintf(nums[n], sizeof nums[n], "%lld", (long long)json_integer_value(v));
            fields[n] = nums[n];
        } else fields[n] = json_string_value(v);
    }
    csv_add_row(out, fields, n, ',', 0);
}

/* Every service of the directory, fully nested, into `all`. */
static int all_services(db_t *db, json_t *all, err_t *e)
{
    for (int page = 1;; page++) {
        dir_hsds_query_t q = {.page = page, .per_page = 100};
        json_t *p = NULL;
        int rc = hsds_services(db, &q, &p, e);
        if (rc) return rc;
        json_array_extend(all, json_object_get(p, "contents"));
        bool last = json_is_true(json_object_get(p, "last_page")) || json_array_size(json_object_get(p, "contents")) == 0;
        json_decref(p);
        if (last) return 0;
    }
}

int dir_export_csv(db_t *db, const char *name, str_t *out, err_t *e)
{
    const table_t *t = NULL;
    for (size_t i = 0; i < NTABLES; i++)
        if (name && strcmp(tables[i].name, name) == 0) t = &tables[i];
    if (!t) return dir_fail(1, e);
    size_t n = 0;
    while (t->columns[n]) n++;
    csv_add_row(out, t->columns, n, ',', CSV_RAW);
    json_t *rows = json_array(), *services = json_array(), *s, *seen = json_object();
    int rc = 0;
    size_t i;
    if (t->at == AT_TAXONOMY || t->at == AT_TERM) hsds_taxonomy_rows(t->at == AT_TERM, rows);
    else if (!(rc = all_services(db, services, e))) {
        json_array_foreach(services, i, s) {
            if (t->at != AT_ORGANIZATION) collect(s, t->at, rows);
            else if (!json_object_get(seen, jstr_or_empty(s, "organization_id"))) {
                json_object_set_new(seen, jstr_or_empty(s, "organization_id"), json_true());
                json_array_append(rows, json_object_get(s, "organization"));
            }
        }
    }
    json_array_foreach(rows, i, s) csv_object(out, s, t->columns);
    json_decref(rows);
    json_decref(services);
    json_decref(seen);
    return rc;
}

/* import.c — importing services from an HSDS 3.0 data package (directory.h):
 * services.csv and, when given, the tables that hang on a service
 * (service_at_locations + locations + addresses, phones, languages,
 * schedules, attributes + taxonomy_terms). Every service goes through
 * dir_service_create, so it is checked like one typed in; one bad row fails
 * the whole import (the route's one transaction), naming file and line. */
#include "internal.h"
#include "core/csv.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

#define IMPORT_MAX_ROWS 5000

/* Reads CSV `text` into an array of objects keyed by the header's names. */
static int read_table(const char *file, const char *text, json_t **out, err_t *e)
{
    *out = json_array();
    if (!text) return 0;
    csv_reader_t r;
    csv_reader_init(&r, text, strlen(text), ',');
    json_t *header = json_array();
    int rc;
    while ((rc = csv_read(&r)) == 1) {
        if (r.record == 1) {
            for (size_t i = 0; i < csv_nfields(&r); i++) json_array_append_new(header, json_text(csv_field(&r, i)));
            continue;
        }
        if (json_array_size(*out) >= IMPORT_MAX_ROWS) break;
        json_t *row = json_object();
        for (size_t i = 0; i < csv_nfields(&r) && i < json_array_size(header); i++) {
            const char *v = csv_field(&r, i);
            if (v[0] == '\'' && v[1] && strchr("=+-@\t\r", v[1])) v++; /* the export's formula guard (core/csv.h) */
            if (*v) json_object_set_new(row, json_string_value(json_array_get(header, i)), json_text(v));
        }
        json_object_set_new(row, "_line", json_integer((json_int_t)r.line));
        json_array_append_new(*out, row);
    }
    json_decref(header);
    size_t line = r.line;
    csv_reader_release(&r);
    if (rc < 0 || json_array_size(*out) >= IMPORT_MAX_ROWS) {
        err_set(e, 422, "invalid", NULL, rc < 0 ? "Malformed CSV." : "Too many rows (at most 5000).");
        snprintf(e->field, sizeof e->field, "%s:%zu", file, line);
        return -422;
    }
    return 0;
}

/* The rows of `table` whose `key` equals `value`. */
static json_t *rows_where(const json_t *table, const char *key, const char *value)
{
    json_t *out = json_array(), *r;
    size_t i;
    json_array_foreach(table, i, r) if (strcmp(jstr_or_empty(r, key), value) == 0) json_array_append(out, r);
    return out;
}

/* The package's tables, read from the "files" object. */
typedef struct package {
    json_t *services, *sal, *locations, *addresses, *phones, *languages, *schedules, *attributes, *terms;
} package_t;

static void package_release(package_t *p)
{
    json_t **all[] = {&p->services, &p->sal, &p->locations, &p->addresses, &p->phones, &p->languages, &p->schedules,
                      &p->attributes, &p->terms};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) json_decref(*all[i]);
}

static int package_read(const json_t *files, package_t *p, err_t *e)
{
    static const char *const names[] = {"services.csv", "service_at_locations.csv", "locations.csv", "addresses.csv",
                                        "phones.csv", "languages.csv", "schedules.csv", "attributes.csv",
                                        "taxonomy_terms.csv"};
    json_t **all[] = {&p->services, &p->sal, &p->locations, &p->addresses, &p->phones, &p->languages, &p->schedules,
                      &p->attributes, &p->terms};
    memset(p, 0, sizeof *p);
    if (!json_is_object(files) || !jstr(files, "services.csv"))
        return err_set(e, 422, "required", "files", "Give the package's files, services.csv at least.");
    int rc = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!rc) rc = read_table(names[i], jstr(files, names[i]), all[i], e);
        else *all[i] = json_array();
    return rc;
}

/* The first address of service `sid` through service_at_locations, or NULL. */
static const json_t *address_of(const package_t *p, const char *sid)
{
    json_t *sal = rows_where(p->sal, "service_id", sid), *addr = NULL;
    if (json_array_size(sal)) {
        json_t *a = rows_where(p->addresses, "location_id", jstr_or_empty(json_array_get(sal, 0), "location_id"));
        addr = json_array_get(a, 0);
        json_decref(a);
    }
    json_decref(sal);
    return addr; /* still held by p->addresses */
}

/* The taxonomy codes of service `sid` (through attributes and taxonomy_terms). */
static json_t *categories_of(const package_t *p, const char *sid)
{
    json_t *out = json_array(), *attrs = rows_where(p->attributes, "link_id", sid), *a;
    size_t i;
    json_array_foreach(attrs, i, a) {
        json_t *t = rows_where(p->terms, "id", jstr_or_empty(a, "taxonomy_term_id"));
        const char *code = jstr(json_array_get(t, 0), "code");
        if (code && dir_category_ok(code)) json_array_append_new(out, json_string(code));
        json_decref(t);
    }
    json_decref(attrs);
    return out;
}

/* One service row of the package as a service of organisation `org`. */
static int import_one(const scope_t *sc, db_t *db, const package_t *p, const json_t *s, const char *org, err_t *e)
{
    const char *sid = jstr_or_empty(s, "id");
    const json_t *addr = address_of(p, sid);
    json_t *langs = json_array(), *hours = json_array(), *x, *rows;
    size_t i;
    rows = rows_where(p->languages, "service_id", sid);
    json_array_foreach(rows, i, x) if (jstr(x, "code")) json_array_append_new(langs, json_string(jstr(x, "code")));
    json_decref(rows);
    rows = rows_where(p->schedules, "service_id", sid);
    json_array_foreach(rows, i, x) if (jstr(x, "byday"))
        json_array_append_new(hours, json_pack("{s:s, s:s, s:s}", "byday", jstr(x, "byday"), "opens_at",
                                               jstr_or_empty(x, "opens_at"), "closes_at", jstr_or_empty(x, "closes_at")));
    json_decref(rows);
    rows = rows_where(p->phones, "service_id", sid);
    json_t *cats = categories_of(p, sid);
    dir_service_input_t in = {.name = jstr(s, "name"), .description = jstr(s, "description"), .org = org,
                              .email = jstr(s, "email"), .url = jstr(s, "url"),
                              .phone = jstr(json_array_get(rows, 0), "number"), .address_1 = jstr(addr, "address_1"),
                              .city = jstr(addr, "city"), .postal_code = jstr(addr, "postal_code"), .languages = langs,
                              .categories = cats, .schedules = hours};
    dir_ref_t ref;
    int rc = 0;
    json_array_foreach(langs, i, x) if (!dir_language_ok(json_string_value(x)))
        rc = err_set(e, 422, "invalid", "languages", "Languages are ISO 639 codes such as ar.");
    if (!rc && !in.name) rc = err_set(e, 422, "required", "name", "The service has no name.");
    if (!rc) rc = dir_service_create(sc, db, &in, &ref, e);
    if (rc == -422) { /* the field as "services.csv:<line>:<field>" */
        char f[sizeof e->field];
        snprintf(f, sizeof f, "services.csv:%lld:%.32s", (long long)json_integer_value(json_object_get(s, "_line")),
                 e->field);
        memcpy(e->field, f, sizeof f);
    }
    json_decref(langs);
    json_decref(hours);
    json_decref(rows);
    json_decref(cats);
    return rc;
}

int dir_import(const scope_t *sc, db_t *db, const char *org, const json_t *files, int *imported, err_t *e)
{
    int rc = scope_require(sc, CAP_SERVICE_MANAGE, e);
    package_t p;
    *imported = 0;
    if (rc) return rc;
    if ((rc = package_read(files, &p, e))) {
        package_release(&p);
        return rc;
    }
    size_t i;
    json_t *s;
    json_array_foreach(p.services, i, s) {
        if ((rc = import_one(sc, db, &p, s, org, e))) break;
        (*imported)++;
    }
    package_release(&p);
    return rc;
}

/* hsds.c — the directory as Open Referral HSDS 3.0 (directory.h, D4):
 * services fully nested (organization, service_at_locations with their
 * location and addresses, languages, phones, schedules with RFC 5545 fields,
 * taxonomy terms as attributes), organisations, the taxonomy, and the
 * paginated envelope. Identifiers are uuid-shaped and derived from the
 * record's kind and number, so they are stable and need no column. Absent
 * values are left out (HSDS types are not nullable). */
#include "internal.h"
#include "core/date.h"
#include "core/json.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hsds_id(hsds_kind_t kind, int64_t n, char out[37])
{
    snprintf(out, 37, "%08x-0000-4000-8000-%012" PRIx64, (unsigned)kind & 0xffu, (uint64_t)n & 0xffffffffffffu);
}

int64_t hsds_id_parse(hsds_kind_t kind, const char *s)
{
    char want[37], hex[13];
    if (!s || strlen(s) != 36) return 0;
    snprintf(hex, sizeof hex, "%s", s + 24);
    if (strspn(hex, "0123456789abcdef") != 12) return 0;
    int64_t n = (int64_t)strtoull(hex, NULL, 16);
    hsds_id(kind, n, want);
    return n > 0 && strcmp(want, s) == 0 ? n : 0;
}

/* Sets `key` to a new id string of kind and number. */
static void set_id(json_t *o, const char *key, hsds_kind_t kind, int64_t n)
{
    char id[37];
    hsds_id(kind, n, id);
    json_object_set_new(o, key, json_string(id));
}

/* Sets `key` to the text `v` unless it is absent or empty. */
static void set_text(json_t *o, const char *key, const char *v)
{
    if (v && *v) json_object_set_new(o, key, json_text(v));
}

/* The stored JSON list `key` of a row (an empty array when unreadable). */
static json_t *row_list(const json_t *row, const char *key)
{
    json_t *v = json_loads(jstr_or_empty(row, key), 0, NULL);
    if (json_is_array(v)) return v;
    json_decref(v);
    return json_array();
}

/* The organization object of a row with org_id, org_name, org_description. */
static json_t *organization_of(const json_t *row, const char *id_key, const char *name_key, const char *desc_key)
{
    json_t *o = json_object();
    set_id(o, "id", HSDS_ORGANIZATION, json_integer_value(json_object_get(row, id_key)));
    json_object_set_new(o, "name", json_text(jstr_or_empty(row, name_key)));
    const char *d = jstr_or_empty(row, desc_key);
    json_object_set_new(o, "description", json_text(*d ? d : jstr_or_empty(row, name_key)));
    return o;
}

/* The taxonomy object (its id is number 1). */
static json_t *taxonomy_object(void)
{
    const json_t *t = dir_taxonomy();
    json_t *o = json_object();
    set_id(o, "id", HSDS_TAXONOMY, 1);
    json_object_set_new(o, "name", json_text(jstr_or_empty(t, "name")));
    json_object_set_new(o, "description", json_text(jstr_or_empty(t, "description")));
    set_text(o, "uri", jstr(t, "uri"));
    set_text(o, "version", jstr(t, "version"));
    return o;
}

/* Term `t` of the taxonomy file (at position k from 0) as an HSDS taxonomy_term. */
static json_t *term_object(size_t k, const json_t *t)
{
    json_t *term = json_object();
    set_id(term, "id", HSDS_TAXONOMY_TERM, (int64_t)k + 1);
    json_object_set_new(term, "code", json_text(jstr_or_empty(t, "code")));
    json_object_set_new(term, "name", json_text(jstr_or_empty(t, "en")));
    json_object_set_new(term, "description", json_text(jstr_or_empty(t, "description")));
    set_id(term, "taxonomy_id", HSDS_TAXONOMY, 1);
    return term;
}

void hsds_taxonomy_rows(bool terms, json_t *rows)
{
    if (!terms) {
        json_array_append_new(rows, taxonomy_object());
        return;
    }
    size_t k;
    json_t *t;
    json_array_foreach(json_object_get(dir_taxonomy(), "terms"), k, t) json_array_append_new(rows, term_object(k, t));
}

/* The attributes linking service `sid` to its taxonomy terms (term number:
 * its position in the taxonomy file, from 1). */
static json_t *attributes_of(int64_t sid, const json_t *categories)
{
    json_t *out = json_array(), *terms = json_object_get(dir_taxonomy(), "terms"), *c, *t;
    size_t i, k;
    json_array_foreach(categories, i, c) json_array_foreach(terms, k, t) {
        if (strcmp(jstr_or_empty(t, "code"), json_string_value(c) ? json_string_value(c) : "") != 0) continue;
        json_t *a = json_object(), *term = term_object(k, t);
        set_id(a, "id", HSDS_ATTRIBUTE, sid * 100 + (int64_t)k + 1);
        set_id(a, "link_id", HSDS_SERVICE, sid);
        json_object_set_new(a, "link_type", json_string("service_category"));
        json_object_set_new(a, "link_entity", json_string("service"));
        set_id(a, "taxonomy_term_id", HSDS_TAXONOMY_TERM, (int64_t)k + 1);
        json_object_set_new(term, "taxonomy_detail", taxonomy_object());
        json_object_set_new(a, "taxonomy_term", term);
        json_array_append_new(out, a);
    }
    return out;
}

/* A language of a service (ISO 639 code and English name), from its code. */
static void language_fill(json_t *l, const json_t *c)
{
    const char *code = json_string_value(c) ? json_string_value(c) : "";
    json_object_set_new(l, "name", json_string(dir_language_name(code) ? dir_language_name(code) : code));
    json_object_set_new(l, "code", json_string(code));
}

/* A weekly opening hours row of a service as an RFC 5545 schedule. */
static void schedule_fill(json_t *s, const json_t *r)
{
    json_object_set_new(s, "freq", json_string("WEEKLY"));
    json_object_set_new(s, "wkst", json_string("MO"));
    json_object_set_new(s, "interval", json_integer(1));
    set_text(s, "byday", jstr(r, "byday"));
    set_text(s, "opens_at", jstr(r, "opens_at"));
    set_text(s, "closes_at", jstr(r, "closes_at"));
    set_text(s, "description", jstr(r, "description"));
}

/* The members of one of service `sid`'s lists as HSDS objects of `kind`:
 * member i numbered sid * 100 + i + 1, with its service_id, and the rest
 * `fill` sets from it. */
static json_t *service_items(int64_t sid, const json_t *list, hsds_kind_t kind,
                             void (*fill)(json_t *item, const json_t *member))
{
    json_t *out = json_array(), *m;
    size_t i;
    json_array_foreach(list, i, m) {
        json_t *o = json_object();
        set_id(o, "id", kind, sid * 100 + (int64_t)i + 1);
        set_id(o, "service_id", HSDS_SERVICE, sid);
        fill(o, m);
        json_array_append_new(out, o);
    }
    return out;
}

/* The service's one location (its address) as service_at_locations. */
static json_t *locations_of(int64_t sid, const json_t *row)
{
    json_t *out = json_array();
    if (!*jstr_or_empty(row, "address_1") && !*jstr_or_empty(row, "city")) return out;
    json_t *sal = json_object(), *loc = json_object(), *addr = json_object(), *addrs = json_array();
    set_id(sal, "id", HSDS_SERVICE_AT_LOCATION, sid);
    set_id(sal, "service_id", HSDS_SERVICE, sid);
    set_id(sal, "location_id", HSDS_LOCATION, sid);
    set_id(loc, "id", HSDS_LOCATION, sid);
    json_object_set_new(loc, "location_type", json_string("physical"));
    set_id(loc, "organization_id", HSDS_ORGANIZATION, json_integer_value(json_object_get(row, "org_id")));
    json_object_set_new(loc, "name", json_text(jstr_or_empty(row, "name")));
    set_id(addr, "id", HSDS_ADDRESS, sid);
    set_id(addr, "location_id", HSDS_LOCATION, sid);
    json_object_set_new(addr, "address_1", json_text(jstr_or_empty(row, "address_1")));
    json_object_set_new(addr, "city", json_text(jstr_or_empty(row, "city")));
    json_object_set_new(addr, "state_province", json_string("Lombardia"));
    json_object_set_new(addr, "postal_code", json_text(jstr_or_empty(row, "postal_code")));
    json_object_set_new(addr, "country", json_string("IT"));
    json_object_set_new(addr, "address_type", json_string("physical"));
    json_array_append_new(addrs, addr);
    json_object_set_new(loc, "addresses", addrs);
    json_object_set_new(sal, "location", loc);
    json_array_append_new(out, sal);
    return out;
}

/* "YYYY-MM-DDTHH:MM:SSZ" of a Unix time. */
static json_t *utc_text(int64_t t)
{
    int y, m, d;
    char b[24];
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, s = t - days * 86400;
    civil_from_days(days, &y, &m, &d);
    snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(s / 3600), (int)(s / 60 % 60),
             (int)(s % 60));
    return json_string(b);
}

/* A full HSDS service of a store row. */
static json_t *service_of(const json_t *row)
{
    int64_t sid = json_integer_value(json_object_get(row, "id"));
    json_t *s = json_object();
    set_id(s, "id", HSDS_SERVICE, sid);
    set_id(s, "organization_id", HSDS_ORGANIZATION, json_integer_value(json_object_get(row, "org_id")));
    json_object_set_new(s, "name", json_text(jstr_or_empty(row, "name")));
    set_text(s, "description", jstr(row, "description"));
    set_text(s, "url", jstr(row, "url"));
    set_text(s, "email", jstr(row, "email"));
    json_object_set_new(s, "status", json_string("active"));
    json_object_set_new(s, "last_modified", utc_text(json_integer_value(json_object_get(row, "updated_at"))));
    json_t *langs = row_list(row, "languages"), *cats = row_list(row, "categories"), *hours = row_list(row, "schedules");
    json_object_set_new(s, "languages", service_items(sid, langs, HSDS_LANGUAGE, language_fill));
    json_t *phones = json_array();
    if (*jstr_or_empty(row, "phone")) {
        json_t *p = json_object();
        set_id(p, "id", HSDS_PHONE, sid);
        set_id(p, "service_id", HSDS_SERVICE, sid);
        json_object_set_new(p, "number", json_text(jstr(row, "phone")));
        json_object_set_new(p, "languages", json_array());
        json_array_append_new(phones, p);
    }
    json_object_set_new(s, "phones", phones);
    json_object_set_new(s, "schedules", service_items(sid, hours, HSDS_SCHEDULE, schedule_fill));
    json_object_set_new(s, "service_at_locations", locations_of(sid, row));
    json_object_set_new(s, "organization", organization_of(row, "org_id", "org_name", "org_description"));
    json_object_set_new(s, "attributes", attributes_of(sid, cats));
    json_decref(langs);
    json_decref(cats);
    json_decref(hours);
    return s;
}

/* The HSDS paginated envelope around `contents` (taken). */
static json_t *page_of(const dir_hsds_query_t *q, int64_t total, json_t *contents)
{
    int64_t pages = (total + q->per_page - 1) / q->per_page;
    return json_pack("{s:I, s:I, s:i, s:I, s:b, s:b, s:b, s:o}", "total_items", (json_int_t)total, "total_pages",
                     (json_int_t)pages, "page_number", q->page, "size", (json_int_t)json_array_size(contents),
                     "first_page", q->page == 1, "last_page", q->page >= pages, "empty", total == 0, "contents",
                     contents);
}

/* An organisation row of dir_store_org_page or dir_store_org_row as HSDS. */
static json_t *org_row_of(const json_t *row)
{
    return organization_of(row, "id", "name", "description");
}

/* Each row of `rows` (taken) through `shape`, in a new array. */
static json_t *shaped(json_t *rows, json_t *(*shape)(const json_t *row))
{
    json_t *out = json_array(), *r;
    size_t i;
    json_array_foreach(rows, i, r) json_array_append_new(out, shape(r));
    json_decref(rows);
    return out;
}

/* A store read of one page of rows and the total (public, D4). */
typedef int (*page_read_fn)(const scope_t *sc, db_t *db, const dir_hsds_query_t *q, json_t *rows, int64_t *total);

/* One page of the query read by `read`: the envelope of its rows through
 * `shape`, or the error. */
static int page_answer(db_t *db, const dir_hsds_query_t *q, page_read_fn read, json_t *(*shape)(const json_t *row),
                       json_t **out, err_t *e)
{
    scope_t anon = scope_anonymous();
    json_t *rows = json_array();
    int64_t total = 0;
    int rc = read(&anon, db, q, rows, &total);
    if (rc) {
        json_decref(rows);
        return dir_fail(rc, e);
    }
    *out = page_of(q, total, shaped(rows, shape));
    return 0;
}

json_t *hsds_meta(const char *base_url)
{
    char url[600];
    snprintf(url, sizeof url, "%s/api/v1/openapi.json", base_url);
    return json_pack("{s:s, s:s, s:s}", "version", "3.0", "profile", "https://openreferral.org/",
                     "openapi_url", url);
}

int hsds_services(db_t *db, const dir_hsds_query_t *q, json_t **out, err_t *e)
{
    return page_answer(db, q, dir_store_service_page, service_of, out, e);
}

int hsds_service(db_t *db, const char *id, json_t **out, err_t *e)
{
    scope_t anon = scope_anonymous();
    json_t *row = NULL;
    int64_t n = hsds_id_parse(HSDS_SERVICE, id);
    int rc = n ? dir_store_service_row(&anon, db, n, &row) : 1;
    if (rc) return dir_fail(rc, e);
    *out = service_of(row);
    json_decref(row);
    return 0;
}

int hsds_organizations(db_t *db, const dir_hsds_query_t *q, json_t **out, err_t *e)
{
    return page_answer(db, q, dir_store_org_page, org_row_of, out, e);
}

int hsds_organization(db_t *db, const char *id, json_t **out, err_t *e)
{
    scope_t anon = scope_anonymous();
    json_t *row = NULL, *rows = json_array();
    int64_t n = hsds_id_parse(HSDS_ORGANIZATION, id);
    int rc = n ? dir_store_org_row(&anon, db, n, &row, rows) : 1;
    if (rc) {
        json_decref(rows);
        return dir_fail(rc, e);
    }
    *out = org_row_of(row);
    json_object_set_new(*out, "services", shaped(rows, service_of));
    json_decref(row);
    return 0;
}

int hsds_taxonomies(db_t *db, const dir_hsds_query_t *q, json_t **out, err_t *e)
{
    (void)db; /* the taxonomy is a data file */
    if (!dir_taxonomy()) return err_set(e, 500, "internal", NULL, "The taxonomy file cannot be read.");
    json_t *contents = json_array();
    if (q->page == 1) json_array_append_new(contents, taxonomy_object());
    *out = page_of(q, 1, contents);
    return 0;
}

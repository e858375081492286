/* demo.c — materials (permits, health, school) in Italian with a few
 * translations, notices and the desks' contacts and hours for the demo districts: data/info/demo.json,
 * loaded through the store only on a fresh demo network. */
#include "internal.h"
#include "core/date.h"
#include "core/json.h"
#include <string.h>

/* Loads one material of the demo file (of its district, else the region's)
 * with its translations, published. */
static int demo_material(db_t *db, const org_t *root, json_t *mj, int64_t now)
{
    info_material_input_t in = {jstr(mj, "title"), jstr(mj, "body"), jstr(mj, "category"), NULL, jstr(mj, "review_by")};
    org_t org = *root;
    int64_t id;
    int rc = org_public(db, jstr_or_empty(mj, "org"), &org);
    if (rc < 0 || (rc = info_store_material_insert(db, rc ? root : &org, &in, 0, now, &id))) return rc;
    info_material_t m = {id, org.id, 1};
    if (rc || (rc = info_search_index(db, &m, "it", in.title, in.body))) return rc;
    const char *lang;
    json_t *t;
    json_object_foreach(json_object_get(mj, "translations"), lang, t) {
        if ((rc = info_store_translation_write(db, &m, lang, jstr(t, "title"), jstr(t, "body"), "review", 0, now)) ||
            (rc = info_store_translation_publish(db, &m, lang, 0, now)) ||
            (rc = info_search_index(db, &m, lang, jstr(t, "title"), jstr(t, "body"))))
            return rc;
    }
    return 0;
}

/* Loads one notice for district `code` valid from today for `days`. */
static int demo_notice(db_t *db, json_t *nj, int64_t now)
{
    org_t org;
    int rc = org_public(db, jstr_or_empty(nj, "org"), &org);
    if (rc == 1) return 0; /* a district the demo network does not have */
    char from[11], until[11];
    date_today(from, 0);
    date_today(until, (int)json_integer_value(json_object_get(nj, "days")));
    info_notice_input_t in = {jstr(nj, "title"), jstr(nj, "body"), NULL, from, until,
                              json_is_true(json_object_get(nj, "pinned"))};
    int64_t id;
    return rc ? rc : info_store_notice_insert(db, &org, &in, 0, now, &id);
}

/* Loads the contacts and weekly hours of one desk or office of the demo file. */
static int demo_contact(db_t *db, json_t *cj, int64_t now)
{
    org_t org;
    int rc = org_public(db, jstr_or_empty(cj, "org"), &org);
    if (rc == 1) return 0; /* an organisation the demo network does not have */
    return rc ? rc
              : info_store_contact_put(db, &org, jstr_or_empty(cj, "address"), jstr_or_empty(cj, "phone"),
                                       jstr_or_empty(cj, "email"), json_is_true(json_object_get(cj, "by_appointment")),
                                       jstr_or_empty(cj, "note"), json_object_get(cj, "hours"), 0, now);
}

int info_demo(db_t *db, module_demo_t *d)
{
    json_t *all = module_demo_load(d, "info/demo.json");
    if (!all) return -1;
    org_t root;
    int64_t now = db_now();
    int rc = org_root(db, &root);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(all, "materials"), i, it) if (!rc) rc = demo_material(db, &root, it, now);
    json_array_foreach(json_object_get(all, "notices"), i, it) if (!rc) rc = demo_notice(db, it, now);
    json_array_foreach(json_object_get(all, "contacts"), i, it) if (!rc) rc = demo_contact(db, it, now);
    json_decref(all);
    if (rc) fprintf(d->log, "info demo: database error %d\n", rc);
    return rc ? -1 : 0;
}

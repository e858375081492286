/* referral_pages.c — the help desk's referral to a service of the directory
 * (issue 12): the operator filters the directory by need, language and the
 * person's comune, picks the receiving service and gives the reason; the
 * form posts to the person page's referral form (casework_pages.c), which
 * goes through desk_referral_create with "service_id". The person's read
 * is audited as every person page is. */
#include "deskweb.h"
#include "directory/directory.h"
#include "core/arena.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The taxonomy as select options in the page's language (English when a term has none). */
static json_t *needs(http_req_t *req, const char *selected)
{
    json_t *out = json_array(), *t;
    size_t i;
    json_array_foreach(json_object_get(dir_taxonomy(), "terms"), i, t) {
        const char *n = jstr(t, web(req)->lang), *code = jstr_or_empty(t, "code");
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", code, "name", n && *n ? n : jstr_or_empty(t, "en"),
                                             "selected", selected && strcmp(selected, code) == 0));
    }
    return out;
}

/* GET /desk/persons/{id}/referrals/new?need=&language=&comune=: the services found, to refer the person to one. */
static int get_referral_new(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    desk_web_event_t ev = {.action = "person.read", .kind = "person", .detail = "referral form"};
    json_t *person = NULL, *services = NULL, *s;
    int rc = desk_web_read(req, &c, false, "person", &ev, &person);
    if (rc) return rc;
    const char *need = http_query(req, "need"), *lang = http_query(req, "language"), *comune = http_query(req, "comune");
    /* A filter refused (-422) shows the form with its error and no services. */
    rc = dir_find(c.db, need, lang, comune, &services, &web(req)->err);
    if (rc && rc != -422) {
        json_decref(person);
        return rc;
    }
    json_t *vm = json_object();
    desk_person_display(req, person);
    json_object_set_new(vm, "person", person);
    if (rc) {
        web_form_error(req, vm);
        services = json_array();
    }
    size_t i;
    json_array_foreach(services, i, s) {
        json_t *sal = json_array_get(json_object_get(s, "service_at_locations"), 0);
        json_t *addr = json_array_get(json_object_get(json_object_get(sal, "location"), "addresses"), 0);
        json_t *d = json_object_get(s, "distance_km");
        json_t *row = json_pack("{s:I, s:s, s:s, s:s}", "service_id",
                                (json_int_t)hsds_id_parse(HSDS_SERVICE, jstr_or_empty(s, "id")), "name", jstr_or_empty(s, "name"),
                                "org", jstr_or_empty(json_object_get(s, "organization"), "name"), "city",
                                jstr_or_empty(addr, "city"));
        if (d) json_object_set_new(row, "distance", json_string(arena_printf(req->arena, "%.1f", json_real_value(d))));
        json_array_set_new(services, i, row);
    }
    json_object_set_new(vm, "services", services);
    json_object_set_new(vm, "needs", needs(req, need));
    json_object_set_new(vm, "language_options", dir_language_options(lang));
    json_object_set_new(vm, "comuni", dir_comune_options(comune));
    return desk_page(req, res, rc ? 422 : 200, "desk/referral_form", vm);
}
static const resource_t res_desk_persons_id_referrals_new = {"/desk/persons/{id}/referrals/new", .get = get_referral_new};

static const resource_t *const routes[] = {&res_desk_persons_id_referrals_new};

ROUTE_TABLE(desk_referral_page_routes, routes)

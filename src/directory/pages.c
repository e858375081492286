/* pages.c — the directory's public pages (inside the one layout, phone
 * first): find a service by need, language and comune; the associations
 * and a profile; self-registration and its e-mail confirmation; the events
 * of a district. The association's own pages and the review queue are in
 * pages_own.c. Calls only directory.h. */
#include "web.h"
#include "app/settings.h"
#include "app/server.h"
#include "core/arena.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dirweb_form_page(http_req_t *req, http_res_t *res, int status, const char *tmpl, json_t *vm, const char *notice)
{
    if (notice) json_object_set_new(vm, "notice", json_string(notice));
    if (status >= 400) web_form_error(req, vm);
    return web_page(req, res, status, tmpl, vm);
}

int dirweb_page_get(http_req_t *req, http_res_t *res, cap_t cap, dirweb_render_fn render)
{
    int rc = scope_require(&web(req)->scope, cap, &web(req)->err);
    return rc ? rc : render(req, res, 200);
}

int64_t dirweb_page_cursor(http_req_t *req)
{
    const char *cur = http_query(req, "cursor");
    int64_t cursor = cur ? strtoll(cur, NULL, 10) : 0;
    return cursor > 0 ? cursor : 0;
}

const char *dirweb_form(http_req_t *req, const char *name)
{
    const char *v = http_form(req, name);
    return v && *v ? v : NULL;
}

json_t *dirweb_language_names(const json_t *codes)
{
    json_t *out = json_array(), *c;
    size_t i;
    json_array_foreach(codes, i, c) {
        const char *code = json_is_string(c) ? json_string_value(c) : jstr_or_empty(c, "code");
        const char *name = dir_language_autonym(code);
        json_array_append_new(out, json_pack("{s:s, s:s}", "code", code, "name", name ? name : code));
    }
    return out;
}

/* The name of taxonomy term `t` in the page's language (English when it has none). */
static const char *term_name(http_req_t *req, const json_t *t)
{
    const char *n = jstr(t, web(req)->lang);
    return n && *n ? n : jstr_or_empty(t, "en");
}

/* The taxonomy as select options. */
static json_t *need_options(http_req_t *req, const char *selected)
{
    json_t *out = json_array(), *t;
    size_t i;
    json_array_foreach(json_object_get(dir_taxonomy(), "terms"), i, t)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", jstr_or_empty(t, "code"), "name",
                                             term_name(req, t), "selected",
                                             selected && strcmp(selected, jstr_or_empty(t, "code")) == 0));
    return out;
}

/* "Mon, Wed" from an RFC 5545 BYDAY list, in the page's language. */
static const char *days_label(http_req_t *req, const char *byday)
{
    static const char *const codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    static const char *const names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    char out[160] = "";
    const char *comma = web(req)->rtl ? "، " : ", ";
    for (const char *p = byday ? byday : ""; *p; p += p[2] ? 3 : 2) {
        for (size_t d = 0; d < 7; d++)
            if (strncmp(p, codes[d], 2) == 0)
                snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", *out ? comma : "", web_tr(req, names[d]));
        if (!p[2]) break;
    }
    return arena_printf(req->arena, "%s", out);
}

/* Adds what the find page shows to an HSDS service: place, languages, hours, needs, phone. */
static void service_shape(http_req_t *req, json_t *s)
{
    json_t *sal = json_array_get(json_object_get(s, "service_at_locations"), 0);
    json_t *addr = json_array_get(json_object_get(json_object_get(sal, "location"), "addresses"), 0);
    if (addr)
        json_object_set_new(s, "place", json_string(arena_printf(req->arena, "%s, %s", jstr_or_empty(addr, "address_1"),
                                                                 jstr_or_empty(addr, "city"))));
    json_t *d = json_object_get(s, "distance_km");
    if (d) json_object_set_new(s, "distance", json_string(arena_printf(req->arena, "%.1f", json_real_value(d))));
    json_object_set_new(s, "language_names", dirweb_language_names(json_object_get(s, "languages")));
    json_t *hours = json_array(), *h, *a;
    size_t i;
    json_array_foreach(json_object_get(s, "schedules"), i, h)
        json_array_append_new(hours, json_pack("{s:s, s:s, s:s}", "days", days_label(req, jstr(h, "byday")), "from",
                                               jstr_or_empty(h, "opens_at"), "to", jstr_or_empty(h, "closes_at")));
    json_object_set_new(s, "hours", hours);
    json_t *needs = json_array();
    json_array_foreach(json_object_get(s, "attributes"), i, a)
        json_array_append_new(needs, json_string(term_name(req, json_object_get(a, "taxonomy_term"))));
    json_object_set_new(s, "needs_of", needs);
    json_t *phone = json_array_get(json_object_get(s, "phones"), 0);
    if (phone) json_object_set_new(s, "phone", json_string(jstr_or_empty(phone, "number")));
}

static int get_find(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const char *need = http_query(req, "need"), *lang = http_query(req, "language"), *comune = http_query(req, "comune");
    json_t *services = NULL;
    int rc = dir_find(w->db, need, lang, comune, &services, &w->err), status = 200;
    json_t *vm = json_pack("{s:o, s:o, s:o, s:b}", "needs", need_options(req, need), "language_options",
                           dir_language_options(lang), "comuni", dir_comune_options(comune), "by_distance",
                           !rc && comune && *comune);
    if (rc) {
        if (rc != -422) {
            json_decref(vm);
            return rc;
        }
        status = 422;
        web_form_error(req, vm);
        services = json_array();
    }
    size_t i;
    json_t *s;
    json_array_foreach(services, i, s) service_shape(req, s);
    json_object_set_new(vm, "count", json_integer((json_int_t)json_array_size(services)));
    json_object_set_new(vm, "services", services);
    return web_page(req, res, status, "directory/find", vm);
}
static const resource_t res_servizi = {"/servizi", .get = get_find, .flags = R_PUBLIC};

/* ---- associations ------------------------------------------------------------------------ */

static int get_associations(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const char *org = http_query(req, "org");
    json_t *items = json_array(), *districts = NULL, *a;
    int rc = dir_association_public_list(w->db, org && *org ? org : NULL, 0, 200, items, &w->err);
    if (!rc) rc = dir_districts(w->db, org, &districts, &w->err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    size_t i;
    json_array_foreach(items, i, a) json_object_set_new(a, "language_names", dirweb_language_names(json_object_get(a, "languages")));
    return web_page(req, res, 200, "directory/associations", json_pack("{s:o, s:o}", "associations", items, "districts", districts));
}
static const resource_t res_associazioni = {"/associazioni", .get = get_associations, .flags = R_PUBLIC};

/* The label of a legal form code. */
static const char *legal_form_label(http_req_t *req, const char *code)
{
    static const char *const codes[] = {"aps", "odv", "ets", "cooperative", "foundation", "informal", "other"};
    static const char *const names[] = {"Social promotion association (APS)", "Voluntary organisation (ODV)",
                                        "Third-sector body (ETS)", "Social cooperative", "Foundation",
                                        "Informal group", "Other"};
    for (size_t i = 0; code && i < 7; i++)
        if (strcmp(codes[i], code) == 0) return web_tr(req, names[i]);
    return NULL;
}

static int get_association(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *a = NULL;
    int rc = dir_association_public(w->db, web_param_id(req, "id"), &a, &w->err);
    if (rc) return rc;
    const char *lf = legal_form_label(req, jstr(a, "legal_form"));
    json_t *vm = json_pack("{s:O, s:O, s:o}", "association", a, "communities", json_object_get(a, "communities"),
                           "language_names", dirweb_language_names(json_object_get(a, "languages")));
    if (lf) json_object_set_new(vm, "legal_form", json_string(lf));
    json_decref(a);
    return web_page(req, res, 200, "directory/association", vm);
}
static const resource_t res_associazioni_id = {"/associazioni/{id}", .get = get_association, .flags = R_PUBLIC};

/* The registration form again (after an error, or empty). */
static int render_register(http_req_t *req, http_res_t *res, int status, json_t *form, bool sent)
{
    web_t *w = web(req);
    json_t *districts = NULL, *forms = json_array();
    const char *org = jstr(form, "org");
    err_t e;
    if (dir_districts(w->db, org, &districts, &e)) districts = json_array();
    static const char *const codes[] = {"aps", "odv", "ets", "cooperative", "foundation", "informal", "other"};
    for (size_t i = 0; i < 7; i++)
        json_array_append_new(forms, json_pack("{s:s, s:s, s:b}", "code", codes[i], "name", legal_form_label(req, codes[i]),
                                               "selected", strcmp(codes[i], jstr_or_empty(form, "legal_form")) == 0));
    json_t *langs = dir_language_options(NULL), *l;
    size_t i, k;
    json_t *chosen = json_object_get(form, "languages"), *c;
    json_array_foreach(langs, i, l) json_array_foreach(chosen, k, c)
        if (strcmp(jstr_or_empty(l, "code"), json_string_value(c) ? json_string_value(c) : "") == 0)
            json_object_set_new(l, "selected", json_true());
    json_t *vm = json_pack("{s:o, s:o, s:o, s:o, s:b, s:s}", "form", form, "districts", districts, "legal_forms", forms,
                           "language_options", langs, "sent", sent, "form_token", web_form_token(req, res, "li_pub"));
    return dirweb_form_page(req, res, status, "directory/register", vm, NULL);
}

static int get_register(http_req_t *req, http_res_t *res)
{
    return render_register(req, res, 200, json_object(), http_query(req, "sent") != NULL);
}

json_t *dirweb_split(const char *text, const char *seps)
{
    json_t *out = json_array();
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", text ? text : "");
    char *save = NULL;
    for (char *t = strtok_r(buf, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
        while (*t == ' ') t++;
        size_t n = strlen(t);
        while (n && t[n - 1] == ' ') t[--n] = '\0';
        if (*t) json_array_append_new(out, json_text(t));
    }
    return out;
}

json_t *dirweb_form_all(http_req_t *req, const char *name)
{
    json_t *out = json_array();
    for (int i = 0; i < req->nform; i++)
        if (strcmp(req->form[i].name, name) == 0 && *req->form[i].value)
            json_array_append_new(out, json_text(req->form[i].value));
    return out;
}

static int post_register(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = web_check_form_token(req, "li_pub");
    if (rc) return rc;
    json_t *f = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "name", json_text(dirweb_form(req, "name")), "email",
                          json_text(dirweb_form(req, "email")), "org", json_text(dirweb_form(req, "org")), "legal_form",
                          json_text(dirweb_form(req, "legal_form")), "runts", json_text(dirweb_form(req, "runts")),
                          "website", json_text(dirweb_form(req, "website")), "description",
                          json_text(dirweb_form(req, "description")));
    json_t *communities = dirweb_split(dirweb_form(req, "communities"), ", "), *langs = dirweb_form_all(req, "languages");
    size_t i;
    json_t *c;
    json_array_foreach(communities, i, c) {
        char up[8];
        snprintf(up, sizeof up, "%s", json_string_value(c));
        for (char *p = up; *p; p++) if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
        json_array_set_new(communities, i, json_string(up));
    }
    json_object_set(f, "languages", langs);
    json_object_set_new(f, "communities_list", communities);
    json_object_set_new(f, "communities", json_text(dirweb_form(req, "communities")));
    dir_association_input_t in = {.name = jstr(f, "name"), .email = jstr(f, "email"), .org = jstr(f, "org"),
                                  .legal_form = jstr(f, "legal_form"), .runts = jstr(f, "runts"),
                                  .website = jstr(f, "website"), .description = jstr(f, "description"),
                                  .communities = json_object_get(f, "communities_list"), .languages = langs};
    dir_ref_t ref = {0, 0};
    if (!in.name) rc = err_set(&w->err, 422, "required", "name", "Give the name of the association.");
    else if (!in.email) rc = err_set(&w->err, 422, "required", "email", "This is not an e-mail address.");
    else {
        json_array_foreach(communities, i, c) if (!rc && !dir_country_ok(json_string_value(c)))
            rc = err_set(&w->err, 422, "invalid", "communities", "Communities are ISO 3166 country codes such as MA.");
    }
    if (!rc) rc = dir_association_register(w->db, &in, settings_public_url(), &ref, &w->err);
    if (!rc) rc = dirweb_audit(req, "association.register", "association", &ref);
    json_decref(langs);
    if (rc == -422) {
        w->tx_force = TX_ROLLBACK;
        return render_register(req, res, 422, f, false);
    }
    json_decref(f);
    return rc ? rc : web_redirect(req, res, "/associazioni/registrati?sent=1");
}
static const resource_t res_associazioni_registrati = {"/associazioni/registrati", .get = get_register, .post = post_register, .flags = R_PUBLIC | R_NO_CSRF};

/* The confirmation page of the token in the path (confirmed: the thanks). */
static int render_confirm(http_req_t *req, http_res_t *res, const char *name, bool confirmed)
{
    json_t *vm = json_pack("{s:s, s:b, s:s, s:s}", "name", name, "confirmed", confirmed, "form_token",
                           web_form_token(req, res, "li_pub"), "token", http_param(req, "token"));
    return web_page(req, res, 200, "directory/confirm", vm);
}

static int get_confirm(http_req_t *req, http_res_t *res)
{
    char name[256];
    dir_ref_t ref;
    int rc = dir_association_confirm(web(req)->db, http_param(req, "token"), false, name, &ref, &web(req)->err);
    return rc ? rc : render_confirm(req, res, name, http_query(req, "thanks") != NULL);
}

static int post_confirm(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    char name[256];
    dir_ref_t ref;
    int rc = web_check_form_token(req, "li_pub");
    if (rc || (rc = dir_association_confirm(w->db, http_param(req, "token"), true, name, &ref, &w->err)) ||
        (rc = dirweb_audit(req, "association.confirm", "association", &ref)))
        return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/associazioni/conferma/%s?thanks=1", http_param(req, "token")));
}
static const resource_t res_associazioni_conferma_token = {"/associazioni/conferma/{token}", .get = get_confirm, .post = post_confirm, .flags = R_PUBLIC | R_NO_CSRF};

/* ---- events --------------------------------------------------------------------------------- */

/* "12/03/2027 17:00" of a Rome local "2027-03-12T17:00". */
static const char *when_label(http_req_t *req, const char *t)
{
    if (!t || strlen(t) < 16) return "";
    return arena_printf(req->arena, "%.2s/%.2s/%.4s %.5s", t + 8, t + 5, t, t + 11);
}

static int get_events(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const char *code = http_param(req, "code");
    json_t *items = json_array(), *districts = NULL, *d, *district = NULL, *ev, *t;
    int rc = dir_event_public_list(w->db, code, db_now() - 86400, 500, items, &w->err);
    if (!rc) rc = dir_districts(w->db, code, &districts, &w->err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    size_t i, k;
    json_array_foreach(districts, i, d) if (json_is_true(json_object_get(d, "selected"))) district = d;
    static const char *const codes[] = {"youth", "women", "asylum", "culture", "sport", "language"};
    static const char *const names[] = {"Youth", "Women", "Asylum seekers", "Culture", "Sport", "Language"};
    json_array_foreach(items, i, ev) {
        json_object_set_new(ev, "start_label", json_string(when_label(req, jstr(ev, "start"))));
        json_object_set_new(ev, "end_label", json_string(when_label(req, jstr(ev, "end"))));
        const char *every = dir_recur_label(jstr(ev, "recurrence"));
        if (every) json_object_set_new(ev, "repeat_label", json_string(web_tr(req, every)));
        json_t *labels = json_array();
        json_array_foreach(json_object_get(ev, "themes"), k, t) for (size_t j = 0; j < 6; j++)
            if (strcmp(codes[j], json_string_value(t) ? json_string_value(t) : "") == 0)
                json_array_append_new(labels, json_string(web_tr(req, names[j])));
        json_object_set_new(ev, "theme_names", labels);
    }
    json_t *vm = json_pack("{s:o, s:O}", "events", items, "district", district);
    json_decref(districts);
    return web_page(req, res, 200, "directory/events", vm);
}
static const resource_t res_eventi_code = {"/eventi/{code}", .get = get_events, .flags = R_PUBLIC};

static const resource_t *const page_routes[] = {&res_servizi, &res_associazioni, &res_associazioni_id,
    &res_associazioni_registrati, &res_associazioni_conferma_token, &res_eventi_code};

ROUTE_TABLE(dirweb_page_routes, page_routes)

/* pages.c — the public pages of qualified information: the portal /info
 * (by category, search, the newsletter's sign-up form), one material in the visitor's language with its
 * leaflet (/info/{id}.pdf), the notice board /bacheca/{org} with its Atom
 * feed (/bacheca/{org}.atom), and the newsletter's confirmation and
 * unsubscribe links. All work without JavaScript. */
#include "web.h"
#include "app/settings.h"
#include "app/page_cache.h"
#include "app/server.h"
#include "core/json.h"
#include "core/str.h"
#include <stdlib.h>
#include <string.h>

/* The categories with their translated names, the one `current` marked. */
static json_t *category_list(http_req_t *req, const char *current)
{
    static const char *const names[] = {"Residence permits", "Health", "School", "Work", "Housing", "Family",
                                        "Language courses", "Citizenship"};
    json_t *out = json_array();
    for (int i = 0; info_categories[i]; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", info_categories[i], "name",
                                             web_tr(req, names[i]), "current",
                                             current && strcmp(current, info_categories[i]) == 0));
    return out;
}

/* Adds each item's category name. */
static void name_categories(http_req_t *req, json_t *items, json_t *cats)
{
    size_t i, k;
    json_t *it, *c;
    json_array_foreach(items, i, it) json_array_foreach(cats, k, c) if (!strcmp(jstr_or_empty(it, "category"), jstr_or_empty(c, "code")))
        json_object_set(it, "category_name", json_object_get(c, "name"));
}

int infoweb_contacts_vm(http_req_t *req, const char *code, json_t *vm)
{
    static const char *const days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    web_t *w = web(req);
    json_t *items = json_array();
    int rc = code ? info_public_contacts(w->db, code, items, &w->err) : info_public_contacts_all(w->db, items, &w->err);
    if (rc) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    size_t i, k;
    json_t *c, *h;
    json_array_foreach(items, i, c) {
        json_t *open = json_array(), *fac = json_array();
        json_array_foreach(json_object_get(c, "hours"), k, h) {
            json_int_t d = json_integer_value(json_object_get(h, "weekday"));
            json_object_set_new(h, "day", json_text(web_tr(req, days[(d >= 1 && d <= 7 ? d : 1) - 1])));
            json_array_append(strcmp(jstr_or_empty(h, "kind"), "facilitation") ? open : fac, h);
        }
        json_object_set_new(c, "open_hours", open);
        json_object_set_new(c, "facilitation", fac);
    }
    json_object_set_new(vm, "contacts", items);
    return 0;
}

/* The portal's view: materials (by category, search) and the newsletter form. */
static int portal(http_req_t *req, http_res_t *res, int status, json_t *signup)
{
    web_t *w = web(req);
    const char *cat = http_query(req, "category"), *q = http_query(req, "q");
    json_t *items = json_array();
    int rc = info_public_list(w->db, w->lang, cat, q, items, &w->err);
    if (rc) {
        json_decref(items);
        return web_store_fail(req, rc);
    }
    json_t *cats = category_list(req, cat);
    name_categories(req, items, cats);
    json_t *vm = json_pack("{s:o, s:o, s:s, s:b, s:b, s:o, s:s, s:b}", "items", items, "categories", cats, "q",
                           q ? q : "", "searched", q && *q, "empty", json_array_size(items) == 0, "signup",
                           signup ? signup : json_object(), "form_token", web_form_token(req, res, "li_pub"),
                           "subscribed", http_query(req, "subscribed") != NULL);
    if (status >= 400) web_form_error(req, vm);
    if (!cat && !(q && *q) && (rc = infoweb_contacts_vm(req, NULL, vm))) {
        json_decref(vm);
        return rc;
    }
    return web_page(req, res, status, "info/portal", vm);
}

static int get_portal(http_req_t *req, http_res_t *res) { return portal(req, res, 200, NULL); }
static const resource_t res_info = {"/info", .get = get_portal, .flags = R_PUBLIC};

/* The newsletter form of the portal (no session: the form token). */
static int post_newsletter_form(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = web_check_form_token(req, "li_pub");
    if (rc) return rc;
    const char *email = http_form(req, "email"), *name = http_form(req, "name");
    info_ref_t ref = {0, 0};
    if (!http_form(req, "consent"))
        rc = web_fail(req, 422, "required", "consent", "Tick the box to give your consent.");
    else if (!(rc = info_newsletter_subscribe(w->db, email, name && *name ? name : NULL, w->lang, &ref, &w->err)))
        rc = web_audit_id(req, "info.newsletter.subscribe", "info_subscriber", ref.id, 0, 0, NULL);
    if (rc == -422) {
        w->tx_force = TX_ROLLBACK;
        return portal(req, res, 422, json_pack("{s:s?, s:s?}", "email", email, "name", name));
    }
    return rc ? web_store_fail(req, rc) : web_redirect(req, res, "/info?subscribed=1#newsletter");
}
static const resource_t res_info_newsletter = {"/info/newsletter", .post = post_newsletter_form, .flags = R_PUBLIC | R_NO_CSRF};

/* The id of "12" or "12.pdf" (`*pdf` set for the latter); 0 when neither. */
static int64_t material_param(http_req_t *req, bool *pdf)
{
    const char *s = http_param(req, "id");
    size_t n = s ? strspn(s, "0123456789") : 0;
    *pdf = n && strcmp(s + n, ".pdf") == 0;
    if (!n || n > 15 || (s[n] && !*pdf)) return 0;
    return strtoll(s, NULL, 10);
}

static int get_material_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    bool pdf;
    int64_t id = material_param(req, &pdf);
    if (!id) return web_not_found(req);
    const char *lang = http_query(req, "lang") ? http_query(req, "lang") : w->lang;
    if (pdf) {
        char *bytes = NULL;
        size_t len = 0;
        int rc = info_leaflet_pdf(w->db, id, lang, &bytes, &len, &w->err);
        if (rc) return web_store_fail(req, rc);
        http_res_header(res, "Content-Disposition", "inline; filename=\"leaflet.pdf\"");
        http_res_text(res, 200, "application/pdf", bytes, len);
        free(bytes);
        return 0;
    }
    /* A visitor's page comes from the cache while fresh (no session, nothing per visitor on it). */
    const char *key = w->has_session ? NULL : arena_printf(req->arena, "info/%lld|%s|%.8s", (long long)id, w->lang, lang);
    if (key && page_cache_get(key, &res->body)) {
        res->status = 200;
        res->content_type = "text/html; charset=utf-8";
        res->cache_control = "no-cache";
        return 0;
    }
    json_t *m = NULL;
    int rc = info_public_material(w->db, id, lang, &m, &w->err);
    if (rc) return web_store_fail(req, rc);
    json_t *cats = category_list(req, NULL);
    json_t *one = json_pack("[O]", m);
    name_categories(req, one, cats);
    json_decref(cats);
    json_decref(one);
    json_t *files = json_array();
    if ((rc = info_public_attachments(w->db, id, lang, files, &w->err))) {
        json_decref(files);
        json_decref(m);
        return web_store_fail(req, rc);
    }
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) { /* "PDF, 120 KB" rather than a media type */
        const char *type = jstr_or_empty(f, "content_type");
        json_int_t kb = (json_integer_value(json_object_get(f, "size")) + 1023) / 1024;
        json_object_set_new(f, "kind", json_string(arena_printf(req->arena, "%s, %lld KB",
                                                                 !strcmp(type, "application/pdf") ? "PDF"
                                                                 : !strcmp(type, "image/png")     ? "PNG"
                                                                                                  : "JPEG",
                                                                 (long long)kb)));
    }
    json_t *vm = json_pack("{s:o, s:s, s:o}", "material", m, "leaflet_lang", lang, "files", files);
    web_page(req, res, 200, "info/material", vm);
    res->cache_control = "no-cache";
    if (key && res->status == 200) page_cache_put(key, &res->body);
    return 0;
}
static const resource_t res_info_id = {"/info/{id}", .get = get_material_page, .flags = R_PUBLIC};

/* ---- notice board ------------------------------------------------------------------ */

/* The district code of "cremona", "cremona.atom" (`*atom` set). */
static const char *board_param(http_req_t *req, bool *atom)
{
    const char *s = http_param(req, "org");
    size_t n = s ? strlen(s) : 0;
    *atom = n > 5 && strcmp(s + n - 5, ".atom") == 0;
    return *atom ? arena_printf(req->arena, "%.*s", (int)(n - 5), s) : s;
}

/* Escapes `s` for XML text. */
static void add_xml(str_t *o, const char *s) { str_add_html(o, s, strlen(s)); }

/* The Atom feed of a board's valid notices. */
static int atom_answer(http_req_t *req, http_res_t *res, const org_t *org, json_t *items)
{
    const char *base = settings_public_url();
    str_t o = STR_INIT;
    str_adds(&o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
    add_xml(&o, org->name);
    str_addf(&o, "</title>\n<id>%s/bacheca/", base);
    add_xml(&o, org->code);
    str_addf(&o, "</id>\n<link href=\"%s/bacheca/", base);
    add_xml(&o, org->code);
    str_adds(&o, "\"/>\n<updated>");
    size_t i;
    json_t *it;
    const char *latest = json_array_size(items) ? jstr_or_empty(json_array_get(items, 0), "valid_from") : "2025-01-01";
    str_addf(&o, "%sT00:00:00Z</updated>\n", latest);
    json_array_foreach(items, i, it) {
        str_addf(&o, "<entry><id>%s/bacheca/%s#notice-%lld</id><title>", base, org->code,
                 (long long)json_integer_value(json_object_get(it, "id")));
        add_xml(&o, jstr_or_empty(it, "title"));
        str_addf(&o, "</title><updated>%sT00:00:00Z</updated><content type=\"text\">", jstr_or_empty(it, "valid_from"));
        add_xml(&o, jstr_or_empty(it, "body"));
        str_adds(&o, "</content></entry>\n");
    }
    str_adds(&o, "</feed>\n");
    json_decref(items);
    size_t len;
    char *body = str_detach(&o, &len);
    http_res_text(res, 200, "application/atom+xml; charset=utf-8", body, len);
    free(body);
    return 0;
}

/* The kiosk shows one notice a screen (large type) and rotates: the Refresh
 * header loads the next one after 20 s (no script), the last wraps to the
 * first, so new notices appear within one round. Takes `items`; returns
 * the one to show. */
static json_t *kiosk_rotate(http_req_t *req, http_res_t *res, const org_t *org, json_t *items)
{
    size_t n = json_array_size(items);
    const char *q = http_query(req, "i");
    size_t i = q && strspn(q, "0123456789") == strlen(q) && strlen(q) < 6 ? (size_t)atoi(q) : 0;
    if (n) i %= n;
    http_res_header(res, "Refresh",
                    arena_printf(req->arena, "20; url=/bacheca/%s/kiosk?i=%zu", org->code, n ? (i + 1) % n : 0));
    json_t *one = json_array();
    if (n) json_array_append(one, json_array_get(items, i));
    json_decref(items);
    return one;
}

/* /bacheca/{org}, /bacheca/{org}.atom and /bacheca/{org}/kiosk. */
static int board(http_req_t *req, http_res_t *res, bool kiosk)
{
    web_t *w = web(req);
    bool atom;
    const char *code = board_param(req, &atom);
    json_t *items = json_array();
    org_t org;
    int rc = info_public_notices(w->db, code, &org, items, &w->err);
    if (rc) {
        json_decref(items);
        return rc == -422 ? web_not_found(req) : web_store_fail(req, rc);
    }
    if (atom && !kiosk) return atom_answer(req, res, &org, items);
    if (kiosk) items = kiosk_rotate(req, res, &org, items);
    json_t *vm = json_pack("{s:o, s:s, s:s, s:b}", "items", items, "org_name", org.name, "org", org.code, "empty",
                           json_array_size(items) == 0);
    return web_page(req, res, 200, kiosk ? "info/kiosk" : "info/board", vm);
}

static int get_board(http_req_t *req, http_res_t *res) { return board(req, res, false); }
static const resource_t res_bacheca_org = {"/bacheca/{org}", .get = get_board, .flags = R_PUBLIC};
static int get_kiosk(http_req_t *req, http_res_t *res) { return board(req, res, true); }
static const resource_t res_bacheca_org_kiosk = {"/bacheca/{org}/kiosk", .get = get_kiosk, .flags = R_PUBLIC};

/* ---- newsletter links ----------------------------------------------------------------- */

static int newsletter_page(http_req_t *req, http_res_t *res, bool confirm)
{
    web_t *w = web(req);
    info_ref_t ref = {0, 0};
    const char *token = http_param(req, "token");
    int rc = confirm ? info_newsletter_confirm(w->db, token, &ref, &w->err)
                     : info_newsletter_unsubscribe(w->db, token, &ref, &w->err);
    if (rc) return web_store_fail(req, rc);
    if ((rc = web_audit_id(req, confirm ? "info.newsletter.confirm" : "info.newsletter.unsubscribe", "info_subscriber",
                           ref.id, 0, 0, NULL)))
        return rc;
    return web_page(req, res, 200, "info/newsletter", json_pack("{s:b}", "confirmed", confirm));
}

static int get_confirm(http_req_t *req, http_res_t *res) { return newsletter_page(req, res, true); }
static const resource_t res_newsletter_confirm_token = {"/newsletter/confirm/{token}", .get = get_confirm, .flags = R_PUBLIC | R_WRITE};
static int get_unsubscribe(http_req_t *req, http_res_t *res) { return newsletter_page(req, res, false); }
static const resource_t res_newsletter_unsubscribe_token = {"/newsletter/unsubscribe/{token}", .get = get_unsubscribe, .flags = R_PUBLIC | R_WRITE};

static const resource_t *const page_routes[] = {&res_info, &res_info_newsletter, &res_info_id, &res_bacheca_org,
    &res_bacheca_org_kiosk, &res_newsletter_confirm_token, &res_newsletter_unsubscribe_token};

ROUTE_TABLE(infoweb_page_routes, page_routes)

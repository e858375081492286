/* pages_own.c — the directory's pages for logged-in roles: the district's
 * review queue (CAP_ASSOCIATION_REVIEW) and the association's own page
 * (CAP_ASSOCIATION_SELF: its profile, and posting its events). Calls only
 * directory.h. */
#include "web.h"
#include "app/settings.h"
#include "app/server.h"
#include "core/arena.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

/* The review queue (pending first, then the rest is not shown). */
static int render_review(http_req_t *req, http_res_t *res, int status, const char *notice)
{
    web_t *w = web(req);
    json_t *items = json_array();
    err_t e;
    int rc = dir_association_queue(&w->scope, w->db, "pending", 0, 200, items, status >= 400 ? &e : &w->err);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", json_array_size(items));
    if (!rc) rc = web_audit(req, "association.list", "association", NULL, 0, w->scope.org_id, detail);
    if (rc) {
        json_decref(items);
        return rc;
    }
    json_t *vm = json_pack("{s:o}", "associations", items);
    return dirweb_form_page(req, res, status, "directory/review", vm, notice);
}

static int get_review(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_ASSOCIATION_REVIEW, &web(req)->err);
    const char *done = http_query(req, "done");
    return rc ? rc : render_review(req, res, 200, done ? web_tr(req, "The decision was recorded and the association told by e-mail.") : NULL);
}
static const resource_t res_associazioni_revisione = {"/associazioni/revisione", .get = get_review};

static int post_review(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    dir_ref_t ref = {0, 0};
    const char *decision = dirweb_form(req, "decision");
    int rc = dir_association_review(&w->scope, w->db, web_param_id(req, "id"), decision, dirweb_form(req, "reason"),
                                    settings_public_url(), &ref, &w->err);
    if (!rc) rc = dirweb_audit(req, strcmp(decision, "approve") == 0 ? "association.approve" : "association.reject",
                               "association", &ref);
    if (rc == -422 || rc == -409) {
        w->tx_force = TX_ROLLBACK;
        return render_review(req, res, -rc, NULL);
    }
    if (rc) return rc;
    web_public_changed(req);
    return web_redirect(req, res, "/associazioni/revisione?done=1");
}
static const resource_t res_associazioni_id_revisione = {"/associazioni/{id}/revisione", .post = post_review};

/* ---- the association's own page --------------------------------------------------------- */

/* The days of the week as [{code, name}] (RFC 5545 codes) for check boxes. */
static json_t *weekday_options(http_req_t *req)
{
    static const char *const codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    static const char *const names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    json_t *out = json_array();
    for (size_t d = 0; d < 7; d++)
        json_array_append_new(out, json_pack("{s:s, s:s}", "code", codes[d], "name", web_tr(req, names[d])));
    return out;
}

/* The recurrence object of the event form (repeat, until, byday boxes), NULL for a one-off. */
static json_t *form_recurrence(http_req_t *req)
{
    const char *repeat = dirweb_form(req, "repeat");
    if (!repeat) return NULL;
    json_t *r = json_pack("{s:s}", "freq", repeat), *days = dirweb_form_all(req, "byday");
    if (dirweb_form(req, "until")) json_object_set_new(r, "until", json_string(dirweb_form(req, "until")));
    if (strcmp(repeat, "weekly") == 0 && json_array_size(days)) {
        str_t b = STR_INIT;
        size_t i;
        json_t *d;
        json_array_foreach(days, i, d) str_addf(&b, "%s%.2s", i ? "," : "", json_string_value(d));
        json_object_set_new(r, "byday", json_string(str_cstr(&b)));
        str_release(&b);
    }
    json_decref(days);
    return r;
}

/* The association's page with its profile in the form. */
static int render_mine(http_req_t *req, http_res_t *res, int status, const char *notice)
{
    web_t *w = web(req);
    int64_t id = dir_association_self(&w->scope, w->db);
    json_t *a = NULL;
    dir_ref_t ref;
    err_t e;
    if (!id || dir_association_read(&w->scope, w->db, id, &a, &ref, &e)) return web_not_found(req);
    int rc = dirweb_audit(req, "association.read", "association", &ref); /* its e-mail and status: personal data */
    if (rc) {
        json_decref(a);
        return rc;
    }
    json_t *langs = dir_language_options(NULL), *l, *c, *x;
    size_t i, k;
    json_array_foreach(langs, i, l) json_array_foreach(json_object_get(a, "languages"), k, c)
        if (strcmp(jstr_or_empty(l, "code"), json_string_value(c) ? json_string_value(c) : "") == 0)
            json_object_set_new(l, "selected", json_true());
    str_t acts = STR_INIT, comm = STR_INIT;
    json_array_foreach(json_object_get(a, "activities"), i, x) str_addf(&acts, "%s%s", i ? "\n" : "", json_string_value(x));
    json_array_foreach(json_object_get(a, "communities"), i, x) str_addf(&comm, "%s%s", i ? ", " : "", json_string_value(x));
    json_t *vm = json_pack("{s:o, s:o, s:s, s:s, s:o}", "association", a, "language_options", langs, "activities_text",
                           str_cstr(&acts), "communities_text", str_cstr(&comm), "weekdays", weekday_options(req));
    str_release(&acts);
    str_release(&comm);
    return dirweb_form_page(req, res, status, "directory/mine", vm, notice);
}

static int get_mine(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_ASSOCIATION_SELF, &web(req)->err);
    const char *saved = http_query(req, "saved"), *posted = http_query(req, "posted");
    return rc ? rc
              : render_mine(req, res, 200, saved    ? web_tr(req, "The profile was saved.")
                                           : posted ? web_tr(req, "The event was published in the district's calendar.")
                                                    : NULL);
}

/* The answer to a form of the association's page, whose work returned rc:
 * on 422 the page again with the error (the work rolled back), another
 * error as is, else (the public directory changed) the redirect to `done`. */
static int mine_answer(http_req_t *req, http_res_t *res, int rc, const char *done)
{
    if (rc == -422) {
        web(req)->tx_force = TX_ROLLBACK;
        return render_mine(req, res, 422, NULL);
    }
    if (rc) return rc;
    web_public_changed(req);
    return web_redirect(req, res, done);
}

/* Upper-cases the country codes of a list in place. */
static void upper_codes(json_t *list)
{
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) {
        char up[8];
        snprintf(up, sizeof up, "%s", json_string_value(c));
        for (char *p = up; *p; p++)
            if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
        json_array_set_new(list, i, json_string(up));
    }
}

/* Fails with 422 on the first member of `list` that `ok` refuses. */
static int check_list(http_req_t *req, json_t *list, bool (*ok)(const char *), const char *field, const char *message)
{
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) if (!ok(json_string_value(c)))
        return err_set(&web(req)->err, 422, "invalid", field, message);
    return 0;
}

static int post_mine(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_ASSOCIATION_SELF, &w->err);
    if (rc) return rc;
    json_t *comm = dirweb_split(dirweb_form(req, "communities"), ", "), *acts = dirweb_split(dirweb_form(req, "activities"), "\r\n");
    json_t *langs = dirweb_form_all(req, "languages");
    upper_codes(comm);
    const char *desc = http_form(req, "description"), *phone = http_form(req, "phone"), *site = http_form(req, "website"),
               *runts = http_form(req, "runts");
    dir_association_input_t in = {.description = desc ? desc : "", .phone = phone ? phone : "", .website = site ? site : "",
                                  .runts = runts ? runts : "", .communities = comm, .activities = acts, .languages = langs};
    dir_ref_t ref = {0, 0};
    if (!(rc = check_list(req, comm, dir_country_ok, "communities", "Communities are ISO 3166 country codes such as MA.")) &&
        !(rc = dir_association_update(&w->scope, w->db, dir_association_self(&w->scope, w->db), &in, &ref, &w->err)))
        rc = dirweb_audit(req, "association.update", "association", &ref);
    json_decref(comm);
    json_decref(acts);
    json_decref(langs);
    return mine_answer(req, res, rc, "/associazione?saved=1");
}
static const resource_t res_associazione = {"/associazione", .get = get_mine, .post = post_mine};

/* A datetime-local value "YYYY-MM-DDTHH:MM[:SS]" cut to minutes. */
static const char *minutes(http_req_t *req, const char *name)
{
    const char *v = dirweb_form(req, name);
    return v && strlen(v) > 16 ? arena_printf(req->arena, "%.16s", v) : v;
}

static int post_event(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int rc = scope_require(&w->scope, CAP_ASSOCIATION_SELF, &w->err);
    if (rc) return rc;
    dir_event_input_t in = {.title = dirweb_form(req, "title"), .start = minutes(req, "start"), .end = minutes(req, "end"),
                            .place = dirweb_form(req, "place"), .description = dirweb_form(req, "description"),
                            .recurrence = form_recurrence(req)};
    dir_ref_t ref = {0, 0};
    if (!in.title || !in.place)
        rc = err_set(&w->err, 422, "required", in.title ? "place" : "title", "Give the title and the place.");
    if (!rc && !(rc = dir_event_create(&w->scope, w->db, &in, &ref, &w->err)))
        rc = dirweb_audit(req, "event.create", "event", &ref);
    json_decref(in.recurrence);
    return mine_answer(req, res, rc, "/associazione?posted=1");
}
static const resource_t res_associazione_eventi = {"/associazione/eventi", .post = post_event};

static const resource_t *const own_routes[] = {&res_associazioni_revisione, &res_associazioni_id_revisione,
    &res_associazione, &res_associazione_eventi};

ROUTE_TABLE(dirweb_own_routes, own_routes)

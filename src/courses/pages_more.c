/* pages_more.c — the pages of courses beside the course itself: school
 * support records of pupils (C9) with their form, the early-leaving watch
 * list (C10), mediators' internships (C11) with their forms, and the
 * region's aggregates (C13, no personal data). Forms post back here; a
 * failed form is shown again with its error and the transaction rolled
 * back. Calls only the operations of courses.h (and, read-only, the help
 * desk's search, the network's organisations and the mediators' register),
 * and audits every page that shows personal data. */
#include "app/server.h"
#include "core/date.h"
#include "core/json.h"
#include "desk/deskweb.h"
#include "mediation/mediation.h"
#include "network/network.h"
#include "web.h"
#include <stdio.h>
#include <string.h>

static const char *const support_names[] = {"First-months reception", "L2 laboratory", "Summer support",
                                            "School-family meeting", "Intercultural laboratory"};
static const char *const watch_codes[] = {"repeated_absences", "falling_attendance", NULL};
static const char *const watch_names[] = {"Repeated absences", "Falling attendance"};

/* Organisations of the scope's subtree of `category` (NULL: any) as options. */
static json_t *org_options(http_req_t *req, const char *category, const char *selected)
{
    web_t *w = web(req);
    json_t *items = json_array(), *opts = json_array();
    err_t ignored = {0};
    size_t i;
    json_t *o;
    if (network_org_list(&w->scope, w->db, 0, 500, items, &ignored) == 0)
        json_array_foreach(items, i, o) {
            if (category && strcmp(jstr_or_empty(o, "category"), category) != 0) continue;
            json_array_append_new(opts, json_pack("{s:O,s:O,s:b}", "code", json_object_get(o, "code"), "name",
                                                  json_object_get(o, "name"), "selected",
                                                  selected && strcmp(selected, jstr_or_empty(o, "code")) == 0));
        }
    json_decref(items);
    return opts;
}

/* ---- school support ------------------------------------------------------------------- */

/* The support page: the latest records, the search for a pupil and, with
 * pupils found, the form; `status` != 200 shows the request's error. */
static int render_support(http_req_t *req, http_res_t *res, int status, const char *q)
{
    web_t *w = web(req);
    err_t shown = w->err;
    json_t *items = json_array(), *found = json_array();
    int rc = crs_support_list(&w->scope, w->db, 0, 0, 50, items, &w->err);
    if (rc) {
        json_decref(found);
        return crsweb_fail(req, rc, items);
    }
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", json_array_size(items));
    if ((rc = web_audit(req, "school_support.list", "school_support", NULL, 0, w->scope.org_id, detail))) {
        json_decref(found);
        return crsweb_fail(req, rc, items);
    }
    if (q && *q && strlen(q) <= 200) {
        desk_ctx_t dc;
        if ((rc = desk_ctx_init(&dc, &w->scope, w->db, w->lang)) || (rc = desk_search(req, &dc, q, 0, 20, found))) {
            json_decref(found);
            return crsweb_fail(req, rc < 0 ? rc : DB_ERR, items);
        }
    }
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x)
        json_object_set_new(x, "kind_label", json_string(crsweb_label(req, crs_support_kinds(), support_names, jstr(x, "kind"))));
    char today[11];
    date_today(today, 0);
    json_t *vm = json_pack("{s:o,s:o,s:b,s:b,s:s,s:o,s:o,s:s}", "records", items, "found", found, "searched", q && *q,
                           "has_records", json_array_size(items) > 0, "q", q ? q : "", "kinds",
                           crsweb_options(req, crs_support_kinds(), support_names, crsweb_form_text(req, "kind")),
                           "schools", org_options(req, "school", crsweb_form_text(req, "org")), "today", today);
    json_object_set_new(vm, "has_found", json_boolean(json_array_size(found) > 0));
    return crsweb_form_page(req, res, status, &shown, "Saved.", "courses/support", vm);
}

static int get_support_page(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_COURSE_MANAGE, &web(req)->err);
    return rc ? rc : render_support(req, res, 200, NULL);
}

/* The search for a pupil posts its query: a name stays out of addresses. */
static int post_support_find(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_COURSE_MANAGE, &web(req)->err);
    return rc ? rc : render_support(req, res, 200, http_form(req, "q"));
}
static const resource_t res_courses_support_find = {"/courses/support/find", .post = post_support_find, .flags = R_READS};

static int post_support_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t pid = crsweb_form_int(req, "person_id");
    crs_support_input_t in = {pid > 0 ? pid : 0, crsweb_form_int(req, "minutes"), crsweb_form_text(req, "org"),
                              crsweb_form_text(req, "kind"), crsweb_form_text(req, "date"), crsweb_form_text(req, "notes"),
                              http_form(req, "attended") != NULL};
    crs_ref_t ref = {0, 0, 0};
    int rc = crs_support_create(&w->scope, w->db, &in, &ref, &w->err);
    if (!rc) rc = crsweb_audit(req, "school_support.create", "school_support", &ref, NULL);
    if (!rc) return web_redirect(req, res, "/courses/support?done=1");
    if ((rc = web_form_failed(req, rc, false)) < 0) return rc;
    return render_support(req, res, rc, NULL);
}
static const resource_t res_courses_support = {"/courses/support", .get = get_support_page, .post = post_support_page};

/* ---- the early-leaving watch list ------------------------------------------------------ */

static int get_watch_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *items = json_array();
    int rc = crs_watch_list(&w->scope, w->db, items, &w->err);
    if (rc) return crsweb_fail(req, rc, items);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu watched", json_array_size(items));
    if ((rc = web_audit(req, "school_support.watch", "school_support", NULL, 0, w->scope.org_id, detail)))
        return crsweb_fail(req, rc, items);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
        json_object_set_new(o, "reason_label", json_string(crsweb_label(req, watch_codes, watch_names, jstr(o, "reason"))));
    json_t *vm = json_pack("{s:o,s:b}", "watch", items, "has_watch", json_array_size(items) > 0);
    return web_page(req, res, 200, "courses/watch", vm);
}
static const resource_t res_courses_watch = {"/courses/watch", .get = get_watch_page};

/* ---- mediators' internships ----------------------------------------------------------------- */

/* The internships page with the form of a new one; `status` != 200 shows the error. */
static int render_internships(http_req_t *req, http_res_t *res, int status)
{
    web_t *w = web(req);
    err_t shown = w->err;
    json_t *items = json_array(), *mediators = json_array();
    int rc = crs_internship_list(&w->scope, w->db, 0, 200, items, &w->err);
    if (rc) {
        json_decref(mediators);
        return crsweb_fail(req, rc, items);
    }
    err_t ignored = {0};
    if (med_mediator_list(&w->scope, w->db, NULL, 0, 200, mediators, &ignored)) json_array_clear(mediators);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", json_array_size(items));
    if ((rc = web_audit(req, "internship.list", "course_internship", NULL, 0, w->scope.org_id, detail))) {
        json_decref(mediators);
        return crsweb_fail(req, rc, items);
    }
    size_t i;
    json_t *x;
    int64_t chosen = crsweb_form_int(req, "mediator_id");
    json_array_foreach(mediators, i, x)
        json_object_set_new(x, "selected", json_boolean(json_integer_value(json_object_get(x, "id")) == chosen));
    json_t *vm = json_pack("{s:o,s:b,s:o,s:b,s:o}", "internships", items, "has_internships", json_array_size(items) > 0,
                           "mediators", mediators, "has_mediators", json_array_size(mediators) > 0, "hosts",
                           org_options(req, NULL, crsweb_form_text(req, "host_org")));
    json_object_set_new(vm, "f", json_pack("{s:o,s:o}", "tutor", json_text(http_form(req, "tutor")), "hours_required",
                                           json_text(http_form(req, "hours_required"))));
    return crsweb_form_page(req, res, status, &shown, NULL, "courses/internships", vm);
}

static int get_internships_page(http_req_t *req, http_res_t *res)
{
    int rc = scope_require(&web(req)->scope, CAP_COURSE_MANAGE, &web(req)->err);
    return rc ? rc : render_internships(req, res, 200);
}

static int post_internships_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t mid = crsweb_form_int(req, "mediator_id");
    crs_internship_input_t in = {mid > 0 ? mid : 0, crsweb_form_int(req, "hours_required"), -1,
                                 crsweb_form_text(req, "host_org"), crsweb_form_text(req, "tutor"), NULL};
    crs_ref_t ref = {0, 0, 0};
    if (in.hours_required < 0) in.hours_required = 0;
    int rc = crs_internship_create(&w->scope, w->db, &in, &ref, &w->err);
    if (!rc) rc = crsweb_audit(req, "internship.create", "course_internship", &ref, NULL);
    if (!rc) return web_redirect(req, res, arena_printf(req->arena, "/courses/internships/%lld?done=1", (long long)ref.id));
    if ((rc = web_form_failed(req, rc, false)) < 0) return rc;
    return render_internships(req, res, rc);
}
static const resource_t res_courses_internships = {"/courses/internships", .get = get_internships_page, .post = post_internships_page};

/* One internship with the form of its hours, evaluation and completion. */
static int render_internship(http_req_t *req, http_res_t *res, int status, int64_t id)
{
    web_t *w = web(req);
    err_t shown = w->err;
    json_t *it = NULL;
    crs_ref_t ref = {0, 0, 0};
    int rc = crs_internship_read(&w->scope, w->db, id, &it, &ref, &w->err);
    if (!rc) rc = crsweb_audit(req, "internship.read", "course_internship", &ref, NULL);
    if (rc) return crsweb_fail(req, rc, it);
    bool open = strcmp(jstr_or_empty(it, "status"), "open") == 0;
    json_t *vm = json_pack("{s:o,s:b,s:s}", "internship", it, "open", open, "title",
                           web_tr(req, "Mediator's internship"));
    return crsweb_form_page(req, res, status, &shown, "Saved.", "courses/internship", vm);
}

static int get_internship_page(http_req_t *req, http_res_t *res)
{
    return render_internship(req, res, 200, web_param_id(req, "id"));
}

/* The form saves hours, tutor and evaluation; with "complete" it also completes it. */
static int post_internship_page(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    int64_t id = web_param_id(req, "id"), mediator_id = 0;
    crs_internship_input_t in = {0, -1, crsweb_form_int(req, "hours_done"), NULL, crsweb_form_text(req, "tutor"),
                                 crsweb_form_text(req, "evaluation")};
    crs_ref_t ref = {0, 0, 0};
    int rc = crs_internship_update(&w->scope, w->db, id, &in, &ref, &w->err);
    if (!rc) rc = crsweb_audit(req, "internship.update", "course_internship", &ref, NULL);
    if (!rc && http_form(req, "complete")) {
        rc = crs_internship_complete(&w->scope, w->db, id, &ref, &mediator_id, &w->err);
        crs_ref_t mref = {mediator_id, 0, ref.org_id};
        if (!rc) rc = crsweb_audit(req, "internship.complete", "course_internship", &ref, NULL);
        if (!rc) rc = crsweb_audit(req, "mediator.update", "mediator", &mref, "training");
    }
    if (!rc) return web_redirect(req, res, arena_printf(req->arena, "/courses/internships/%lld?done=1", (long long)id));
    if ((rc = web_form_failed(req, rc, true)) < 0) return rc;
    return render_internship(req, res, rc, id);
}
static const resource_t res_courses_internships_id = {"/courses/internships/{id}", .get = get_internship_page, .post = post_internship_page};

/* ---- the region's aggregates ------------------------------------------------------------------ */

/* Turns {key: n} into [{code, label, n}] sorted by code, with labels from codes / names. */
static json_t *count_rows(http_req_t *req, const json_t *obj, const char *const *codes, const char *const *names)
{
    json_t *rows = json_array(), *v;
    const char *k;
    json_object_foreach((json_t *)obj, k, v)
        json_array_append_new(rows, json_pack("{s:s,s:s,s:O}", "code", k, "label",
                                              codes ? crsweb_label(req, codes, names, k) : k, "n", v));
    return rows;
}

/* Every null of the region's aggregates (a suppressed count) shown as the
 * word for it, recursively. */
static void show_suppressed(http_req_t *req, json_t *x)
{
    const char *k;
    size_t i;
    json_t *v;
    if (json_is_object(x)) {
        json_object_foreach(x, k, v) {
            if (json_is_null(v)) json_object_set_new(x, k, json_string(web_tr(req, "suppressed")));
            else show_suppressed(req, v);
        }
    } else if (json_is_array(x))
        json_array_foreach(x, i, v) show_suppressed(req, v);
}

static int get_region_page(http_req_t *req, http_res_t *res)
{
    static const char *const sex_codes[] = {"f", "m", "x", NULL};
    static const char *const sex_names[] = {"Women", "Men", "Other"};
    web_t *w = web(req);
    json_t *s = NULL;
    int rc = crs_region_summary(&w->scope, w->db, &s, &w->err);
    if (rc) return crsweb_fail(req, rc, s);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(s, "by_kind"), i, x)
        json_object_set_new(x, "kind_label", json_string(crsweb_kind_label(req, jstr(x, "kind"))));
    json_array_foreach(json_object_get(s, "participants"), i, x) {
        json_object_set_new(x, "kind_label", json_string(crsweb_kind_label(req, jstr(x, "kind"))));
        json_object_set_new(x, "sex_label", json_string(crsweb_label(req, sex_codes, sex_names, jstr(x, "sex"))));
    }
    json_t *c = json_object_get(s, "completion");
    char rate[16] = "–";
    if (json_is_number(json_object_get(c, "rate_pct")))
        snprintf(rate, sizeof rate, "%.1f%%", json_number_value(json_object_get(c, "rate_pct")));
    show_suppressed(req, s);
    json_t *vm = json_pack("{s:o,s:o,s:o,s:s}", "s", s, "sexes",
                           count_rows(req, json_object_get(s, "by_sex"), sex_codes, sex_names), "ages",
                           count_rows(req, json_object_get(s, "by_age"), NULL, NULL), "rate", rate);
    json_object_set_new(vm, "has_gains", json_boolean(json_array_size(json_object_get(s, "level_gains")) > 0));
    return web_page(req, res, 200, "courses/region", vm);
}
static const resource_t res_courses_region = {"/courses/region", .get = get_region_page};

static const resource_t *const routes[] = {&res_courses_support, &res_courses_support_find, &res_courses_watch,
    &res_courses_internships, &res_courses_internships_id, &res_courses_region};

ROUTE_TABLE(crsweb_more_routes, routes)

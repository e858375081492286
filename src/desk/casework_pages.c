/* casework_pages.c — the consultation form and the small forms of the person
 * page (follow-up, appointment, referral, consent, permit). */
#include "deskweb.h"
#include "core/i18n.h"
#include "core/json.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The form field of topic `code`: its checkbox "topic_<code>". */
static const char *topic_field(http_req_t *req, const char *code)
{
    return arena_printf(req->arena, "topic_%s", code);
}

/* The consultation form (`form` its values, taken) for person `person_id`
 * of the scope (the read audited), or an anonymous one when 0 or absent. */
static int render_consultation_form(http_req_t *req, http_res_t *res, int status, desk_ctx_t *c, json_t *form,
                                    int64_t person_id)
{
    json_t *vm = json_object(), *person = NULL;
    int64_t org = 0;
    if (person_id && desk_person_get(c, person_id, &org, &person) == 0) {
        desk_person_display(req, person);
        json_object_set_new(vm, "person", person);
        int rc = desk_page_audit_person(req, c, status, person_id, org, "consultation form");
        if (rc) {
            json_decref(vm);
            json_decref(form);
            return rc;
        }
    } else {
        desk_flag(vm, "anonymous");
        static const char *const sexes[] = {"f", "m", "x", NULL};
        json_object_set_new(vm, "sexes", desk_options(req, sexes, jstr(form, "sex")));
        json_object_set_new(vm, "countries", desk_country_options(req, jstr(form, "citizenship")));
        json_t *bands = json_array();
        static const char *const b[] = {"0-17", "18-60", "61+"};
        for (int i = 0; i < 3; i++) {
            json_t *o = json_pack("{s:s}", "code", b[i]);
            if (jstr(form, "age_band") && !strcmp(jstr(form, "age_band"), b[i])) desk_flag(o, "selected");
            json_array_append_new(bands, o);
        }
        json_object_set_new(vm, "age_bands", bands);
    }
    json_t *topics = json_array();
    const char *const *tl = desk_topics();
    for (int i = 0; tl[i]; i++) {
        json_t *o = json_pack("{s:s, s:o, s:i}", "code", tl[i], "label", json_text(desk_code_label(req, tl[i])), "n", i + 1);
        if (json_is_true(json_object_get(form, topic_field(req, tl[i])))) desk_flag(o, "checked");
        json_array_append_new(topics, o);
    }
    json_object_set_new(vm, "topics", topics);
    static const char *const channels[] = {"in_person", "phone", "online", NULL};
    json_object_set_new(vm, "channels", desk_options(req, channels, jstr(form, "channel") ? jstr(form, "channel") : "in_person"));
    json_object_set_new(vm, "outcomes", desk_options(req, desk_outcomes(), jstr(form, "outcome") ? jstr(form, "outcome") : "informed"));
    char today[11];
    date_today(today, 0);
    if (!jstr(form, "date")) json_object_set_new(form, "date", json_string(today));
    json_object_set_new(vm, "today", json_string(today));
    json_object_set_new(vm, "form", form);
    if (http_query(req, "saved")) desk_flag(vm, "saved");
    return desk_page(req, res, status, "desk/consultation_form", vm);
}

static int get_consultation_new(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    const char *pid = http_query(req, "person_id");
    int64_t id = pid ? strtoll(pid, NULL, 10) : 0;
    if (id && (rc = desk_person_get(&c, id, NULL, NULL))) return web_store_fail(req, rc);
    return render_consultation_form(req, res, 200, &c, json_object(), id);
}
static const resource_t res_desk_consultations_new = {"/desk/consultations/new", .get = get_consultation_new};

static int post_consultation_new(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    json_t *body = json_object(), *form = json_object();
    const char *pid = desk_field(req, "person_id");
    int64_t person_id = pid ? strtoll(pid, NULL, 10) : 0;
    if (person_id) json_object_set_new(body, "person_id", json_integer(person_id));
    static const char *const names[] = {"date", "channel", "outcome", "notes", "citizenship", "sex", "age_band", NULL};
    for (int i = 0; names[i]; i++) {
        const char *v = desk_field(req, names[i]);
        desk_put(form, names[i], v);
        if (v && (person_id == 0 || i < 4)) desk_put(body, names[i], v);
    }
    const char *dur = desk_field(req, "duration_minutes");
    if (dur) {
        char *end;
        long v = strtol(dur, &end, 10);
        json_object_set_new(body, "duration_minutes", *end ? json_string(dur) : json_integer(v));
        desk_put(form, "duration_minutes", dur);
    }
    json_t *topics = json_array();
    const char *const *tl = desk_topics();
    for (int i = 0; tl[i]; i++) {
        if (desk_field(req, topic_field(req, tl[i]))) {
            json_array_append_new(topics, json_string(tl[i]));
            json_object_set_new(form, topic_field(req, tl[i]), json_true());
        }
    }
    json_object_set_new(body, "topics", topics);
    const char *fu = desk_field(req, "follow_up_date");
    if (fu && person_id)
        json_object_set_new(body, "follow_up", json_pack("{s:s, s:o}", "due_date", fu, "note", json_text(desk_field(req, "follow_up_note"))));
    const char *ref = desk_field(req, "referral_service");
    if (ref && person_id) json_object_set_new(body, "referral", json_pack("{s:o}", "to_service", json_text(ref)));
    desk_web_event_t ev = {0};
    if (!(rc = desk_create_consultation(req, &c, body, &ev))) rc = desk_web_event(req, &c, &ev);
    json_decref(body);
    if (rc) {
        if (rc == -500 || rc == -503) {
            json_decref(form);
            return rc;
        }
        return render_consultation_form(req, res, -rc, &c, form, person_id);
    }
    json_decref(form);
    if (desk_field(req, "and_new")) return web_redirect(req, res, "/desk/consultations/new?saved=1");
    if (person_id)
        return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?recorded=1", (long long)person_id));
    return web_redirect(req, res, "/desk?recorded=1");
}
static const resource_t res_desk_consultations = {"/desk/consultations", .post = post_consultation_new};

/* A small form of the person page: the form's fields of `kind` become the
 * API's body and go through the same operation. */
typedef struct small_form {
    const char *kind, *tab, *fields[4];
} small_form_t;

static const small_form_t small_forms[] = {
    {"followup", "casework", {"due_date", "note", NULL}},
    {"appointment", "casework", {"date", "time", "purpose", NULL}},
    {"referral", "casework", {"to_service", "reason", "service_id", NULL}},
    {"consent", "records", {"kind", "given_on", "note", NULL}},
    {"permit", "records", {"kind", "expiry", "number", NULL}},
};

static int small_form(http_req_t *req, http_res_t *res, int which)
{
    const small_form_t *f = &small_forms[which];
    desk_ctx_t c;
    char action[48];
    snprintf(action, sizeof action, "%s.create", f->kind);
    desk_web_event_t ev = {.action = action, .kind = f->kind};
    int rc = desk_web_find(req, &c, true, "person", &ev, NULL);
    if (rc) return rc;
    int64_t pid = ev.obj, p2 = 0;
    json_t *b = json_object();
    for (int i = 0; f->fields[i]; i++) desk_put(b, f->fields[i], desk_field(req, f->fields[i]));
    err_t *e = &web(req)->err;
    bool about_person = which >= 3; /* consents and permits name the person in the address */
    if (!about_person) json_object_set_new(b, "person_id", json_integer(pid));
    const char *sid = which == 2 ? jstr(b, "service_id") : NULL; /* a referral to a service of the directory */
    if (sid) json_object_set_new(b, "service_id", json_integer(strtoll(sid, NULL, 10)));
    switch (which) {
    case 0: rc = desk_followup_create(&c, b, &ev.obj, &p2, &ev.org_id, e); break;
    case 1: rc = desk_appointment_create(&c, b, &ev.obj, &p2, &ev.org_id, e); break;
    case 2: rc = desk_referral_create(&c, b, 0, &ev.obj, &p2, &ev.org_id, e); break;
    case 3: rc = desk_consent_create(&c, pid, b, &ev.obj, &ev.org_id, e); break;
    default: rc = desk_permit_create(&c, pid, b, &ev.obj, &ev.org_id, e); break;
    }
    json_decref(b);
    if (rc || (rc = desk_web_event(req, &c, &ev))) return web_store_fail(req, rc);
    return web_redirect(req, res, arena_printf(req->arena, "/desk/persons/%lld?tab=%s&saved=1", (long long)pid, f->tab));
}

static int post_followup_form(http_req_t *q, http_res_t *r) { return small_form(q, r, 0); }
static const resource_t res_desk_persons_id_followups = {"/desk/persons/{id}/followups", .post = post_followup_form};
static int post_appointment_form(http_req_t *q, http_res_t *r) { return small_form(q, r, 1); }
static const resource_t res_desk_persons_id_appointments = {"/desk/persons/{id}/appointments", .post = post_appointment_form};
static int post_referral_form(http_req_t *q, http_res_t *r) { return small_form(q, r, 2); }
static const resource_t res_desk_persons_id_referrals = {"/desk/persons/{id}/referrals", .post = post_referral_form};
static int post_consent_form(http_req_t *q, http_res_t *r) { return small_form(q, r, 3); }
static const resource_t res_desk_persons_id_consents = {"/desk/persons/{id}/consents", .post = post_consent_form};
static int post_permit_form(http_req_t *q, http_res_t *r) { return small_form(q, r, 4); }
static const resource_t res_desk_persons_id_permits = {"/desk/persons/{id}/permits", .post = post_permit_form};

static int post_followup_done(http_req_t *req, http_res_t *res)
{
    desk_ctx_t c;
    int rc = desk_web_begin(req, &c, true);
    if (rc) return rc;
    desk_web_event_t ev = {.action = "followup.update", .kind = "followup", .obj = web_param_id(req, "id"),
                           .detail = "done"};
    json_t *b = json_pack("{s:b}", "done", 1);
    rc = desk_followup_update(&c, ev.obj, b, &ev.person_id, &ev.org_id, &web(req)->err);
    json_decref(b);
    if (rc || (rc = desk_web_event(req, &c, &ev))) return web_store_fail(req, rc);
    const char *back = desk_field(req, "back");
    return web_redirect(req, res, back && !strcmp(back, "desk") ? "/desk" :
                                  arena_printf(req->arena, "/desk/persons/%lld?tab=casework", (long long)ev.person_id));
}
static const resource_t res_desk_followups_id_done = {"/desk/followups/{id}/done", .post = post_followup_done};

static const resource_t *const routes[] = {&res_desk_persons_id_followups, &res_desk_persons_id_appointments,
    &res_desk_persons_id_referrals, &res_desk_persons_id_consents, &res_desk_persons_id_permits,
    &res_desk_followups_id_done, &res_desk_consultations_new, &res_desk_consultations};

ROUTE_TABLE(desk_casework_page_routes, routes)

/* casework.c — the operations on consultations (named or anonymous),
 * referrals, appointments, follow-ups and the agenda. No SQL, no HTTP. */
#include "desk.h"
#include "ops.h"
#include "governance/governance.h"
#include "app/org.h"
#include "directory/directory.h"
#include "core/json.h"
#include "store.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The referral or follow-up (`key`) a consultation's body may carry for
 * person `pid`, created from consultation `consultation_id`: 0 when absent,
 * -422 with `message` when not an object, or the creation's error. */
static int attached(desk_ctx_t *c, const json_t *body, const char *key, const char *message, int64_t pid,
                    int64_t consultation_id, err_t *e)
{
    json_t *v = json_object_get(body, key);
    if (!v) return 0;
    if (!json_is_object(v)) return err_set(e, 422, "invalid", key, message);
    json_t *b = json_deep_copy(v);
    json_object_set_new(b, "person_id", json_integer(pid));
    int64_t id, p2, o2;
    int rc = !strcmp(key, "referral") ? desk_referral_create(c, b, consultation_id, &id, &p2, &o2, e)
                                      : desk_followup_create(c, b, &id, &p2, &o2, e);
    json_decref(b);
    return rc;
}

int desk_consultation_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                             err_t *e)
{
    static const char *const allowed[] = {"person_id", "citizenship", "sex", "age_band", "date", "channel", "topics",
                                          "outcome", "notes", "duration_minutes", "org", "referral", "follow_up",
                                          "project_id", NULL};
    int rc;
    int64_t pid = 0, duration = 0, project = 0;
    bool has;
    const char *date, *channel, *outcome, *notes, *org_code;
    consultation_row_t row;
    memset(&row, 0, sizeof row);
    json_t *person = NULL;
    desk_person_ref_t pref;
    str_t topics = STR_INIT;
    char today[11], cc[3] = {0};
    date_today(today, 0);
    if ((rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "person_id", false, 1, INT64_MAX, &pid, &has, e)) ||
        (rc = desk_op_date(body, "date", false, true, &date, e)) ||
        (rc = jin_str((json_t *)body, "channel", false, 16, &channel, e)) ||
        (rc = jin_str((json_t *)body, "outcome", false, 32, &outcome, e)) ||
        (rc = jin_str((json_t *)body, "notes", false, DESK_NOTES_MAX, &notes, e)) ||
        (rc = jin_int((json_t *)body, "duration_minutes", false, 1, 600, &duration, &has, e)) ||
        (rc = jin_str((json_t *)body, "org", false, ORG_CODE_MAX, &org_code, e)) ||
        (rc = jin_int((json_t *)body, "project_id", false, 1, INT64_MAX, &project, &has, e)))
        goto out;
    if (channel && !desk_channel_valid(channel)) {
        rc = err_set(e, 422, "invalid", "channel", "The channel must be in_person, phone or online.");
        goto out;
    }
    if (outcome && !desk_outcome_valid(outcome)) {
        rc = err_set(e, 422, "invalid", "outcome", "Unknown outcome.");
        goto out;
    }
    json_t *tl = json_object_get(body, "topics");
    if (!json_is_array(tl) || json_array_size(tl) == 0 || json_array_size(tl) > 10) {
        rc = err_set(e, 422, "required", "topics", "Choose at least one topic.");
        goto out;
    }
    size_t i;
    json_t *t;
    json_array_foreach(tl, i, t) {
        const char *code = json_string_value(t);
        if (!desk_topic_valid(code)) {
            rc = err_set(e, 422, "invalid", "topics", "Unknown topic.");
            goto out;
        }
        char probe[40];
        snprintf(probe, sizeof probe, ",%s,", code);
        str_t tmp = STR_INIT;
        str_addf(&tmp, ",%s,", str_cstr(&topics));
        bool dup = strstr(str_cstr(&tmp), probe) != NULL;
        str_release(&tmp);
        if (dup) continue;
        if (topics.len) str_addc(&topics, ',');
        str_adds(&topics, code);
    }
    if (pid) {
        static const char *const anon_only[] = {"citizenship", "sex", "age_band", NULL};
        for (int k = 0; anon_only[k]; k++)
            if (json_object_get(body, anon_only[k])) {
                rc = err_set(e, 422, "invalid", anon_only[k], "Only an anonymous consultation takes this field: it comes from the person's record.");
                goto out;
            }
        if ((rc = desk_op_person(c, pid, "person_id", &pref, &person, e))) goto out;
        row.org_id = pref.org_id;
        row.citizenship = jstr(person, "citizenship");
        row.sex = jstr(person, "sex");
        row.age_band = desk_age_band(jstr(person, "birth_date"), date ? date : today);
    } else {
        const char *cit, *sex, *band;
        if ((rc = jin_str((json_t *)body, "citizenship", true, 2, &cit, e)) ||
            (rc = jin_str((json_t *)body, "sex", true, 1, &sex, e)) ||
            (rc = jin_str((json_t *)body, "age_band", true, 5, &band, e)))
            goto out;
        cc[0] = (char)toupper((unsigned char)cit[0]);
        cc[1] = (char)toupper((unsigned char)cit[1]);
        if (!desk_country_valid(cc)) {
            rc = err_set(e, 422, "invalid", "citizenship", "Unknown country: use an ISO 3166 code such as MA.");
            goto out;
        }
        if (strcmp(sex, "m") && strcmp(sex, "f") && strcmp(sex, "x")) {
            rc = err_set(e, 422, "invalid", "sex", "Sex must be m, f or x.");
            goto out;
        }
        if (!desk_valid_age_band(band)) {
            rc = err_set(e, 422, "invalid", "age_band", "The age band must be 0-17, 18-60 or 61+.");
            goto out;
        }
        if (notes && *notes) {
            rc = err_set(e, 422, "invalid", "notes", "An anonymous consultation keeps no notes.");
            goto out;
        }
        if (json_object_get(body, "referral") || json_object_get(body, "follow_up")) {
            rc = err_set(e, 422, "invalid", json_object_get(body, "referral") ? "referral" : "follow_up",
                         "Referrals and follow-ups need a person.");
            goto out;
        }
        org_t org;
        if ((rc = desk_op_org(c, org_code, &org, e))) goto out;
        row.org_id = org.id;
        row.citizenship = cc;
        row.sex = sex;
        row.age_band = band;
        notes = NULL;
    }
    row.date = date ? date : today;
    row.channel = channel ? channel : "in_person";
    row.topics = str_cstr(&topics);
    row.outcome = outcome;
    row.notes = notes && *notes ? notes : NULL;
    row.duration = duration;
    /* Its project: the one given, else its district's on its date; never inside an approved period (governance.h). */
    if ((rc = gov_project_of(c->db, row.org_id, row.date, project, &row.project_id, e)) ||
        (rc = gov_period_open(c->db, row.project_id, row.date, "date", e)))
        goto out;
    int64_t now = db_now();
    desk_record_ref_t cref;
    if ((rc = desk_store_consultation_insert(&c->scope, c->db, pid ? &pref : NULL, &row, now, &cref))) goto out;
    *id = cref.id;
    if (pid) rc = desk_store_person_touch(c->db, &pref, now);
    *person_id = pid;
    *org_id = row.org_id;
    if (!rc) rc = attached(c, body, "referral", "The referral must be an object.", pid, *id, e);
    if (!rc) rc = attached(c, body, "follow_up", "The follow-up must be an object.", pid, 0, e);
out:
    json_decref(person);
    str_release(&topics);
    return rc;
}

int desk_referral_create(desk_ctx_t *c, const json_t *body, int64_t consultation_id, int64_t *id, int64_t *person_id,
                         int64_t *org_id, err_t *e)
{
    static const char *const allowed[] = {"person_id", "to_org", "to_service", "reason", "consultation_id",
                                          "service_id", NULL};
    int64_t pid, cid = consultation_id, service_id = 0;
    bool has;
    const char *to_org, *to_service, *reason;
    desk_person_ref_t person;
    desk_record_ref_t cons = {0};
    int rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "person_id", true, 1, INT64_MAX, &pid, &has, e)) ||
        (rc = jin_str((json_t *)body, "to_org", false, ORG_CODE_MAX, &to_org, e)) ||
        (rc = jin_str((json_t *)body, "to_service", false, 200, &to_service, e)) ||
        (rc = jin_str((json_t *)body, "reason", false, 1000, &reason, e)) ||
        (!cid && (rc = jin_int((json_t *)body, "consultation_id", false, 1, INT64_MAX, &cid, &has, e))) ||
        (rc = jin_int((json_t *)body, "service_id", false, 1, INT64_MAX, &service_id, &has, e)))
        return rc;
    /* A service of the directory: its organisation receives the referral (directory.h, D6). */
    dir_service_target_t target;
    if (service_id) {
        if (to_org) return err_set(e, 422, "invalid", "to_org", "Give either the directory's service or an organisation.");
        if ((rc = dir_service_target(c->db, service_id, "service_id", &target, e))) return rc;
        to_org = target.org_code;
        if (!to_service || !*to_service) to_service = target.name;
    }
    if (!to_org && (!to_service || !*to_service))
        return err_set(e, 422, "required", "to_service", "Name the service (an organisation of the network or a text).");
    int64_t to_id = 0;
    if (to_org) {
        org_t o;
        rc = org_public(c->db, to_org, &o);
        if (rc < 0) return rc;
        if (rc == 1) return err_set(e, 422, "unknown_org", "to_org", "Unknown organisation.");
        to_id = o.id;
    }
    if ((rc = desk_op_person(c, pid, "person_id", &person, NULL, e))) return rc;
    *org_id = person.org_id;
    *person_id = pid;
    if (cid) {
        rc = desk_store_consultation_load(&c->scope, c->db, cid, &cons, NULL);
        if (rc < 0) return rc;
        if (rc == 1 || (cid != consultation_id && cons.person_id != pid))
            return err_set(e, 422, "invalid", "consultation_id", "Unknown consultation of this person.");
    }
    desk_record_ref_t ref;
    rc = desk_store_referral_insert(&c->scope, c->db, &person, cid ? &cons : NULL, to_id, to_service, reason, db_now(),
                                    &ref);
    if (!rc && service_id && !(rc = desk_store_referral_set_service(c->db, &ref, service_id)))
        rc = dir_referral_notify(c->db, &target, e);
    *id = ref.id;
    return rc;
}

int desk_referral_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id, err_t *e)
{
    static const char *const allowed[] = {"status", "outcome", NULL};
    const char *status, *outcome;
    desk_record_ref_t ref;
    int rc = desk_store_record_load(&c->scope, c->db, "referral", id, &ref, NULL);
    if (rc) return rc;
    *person_id = ref.person_id;
    *org_id = ref.org_id;
    if ((rc = jin_only((json_t *)body, allowed, e)) || (rc = jin_str((json_t *)body, "status", false, 16, &status, e)) ||
        (rc = jin_str((json_t *)body, "outcome", false, 1000, &outcome, e)))
        return rc;
    static const char *const st[] = {"sent", "accepted", "completed", "declined", "no_show", NULL};
    bool ok = !status;
    for (int i = 0; st[i] && status; i++) ok = ok || !strcmp(st[i], status);
    if (!ok) return err_set(e, 422, "invalid", "status", "The status must be sent, accepted, completed, declined or no_show.");
    return desk_store_referral_update(c->db, &ref, status, outcome, db_now());
}

static bool valid_time(const char *t)
{
    return t && strlen(t) == 5 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[1]) && t[2] == ':' &&
           isdigit((unsigned char)t[3]) && isdigit((unsigned char)t[4]) && atoi(t) < 24 && atoi(t + 3) < 60;
}

int desk_appointment_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                            err_t *e)
{
    static const char *const allowed[] = {"person_id", "date", "time", "duration_minutes", "purpose", "place", "org", NULL};
    int64_t pid = 0, minutes = 30;
    bool has;
    const char *date, *time, *purpose, *place, *org_code;
    desk_person_ref_t person;
    int rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "person_id", false, 1, INT64_MAX, &pid, &has, e)) ||
        (rc = desk_op_date(body, "date", true, false, &date, e)) ||
        (rc = jin_str((json_t *)body, "time", true, 5, &time, e)) ||
        (rc = jin_int((json_t *)body, "duration_minutes", false, 5, 600, &minutes, &has, e)) ||
        (rc = jin_str((json_t *)body, "purpose", false, 500, &purpose, e)) ||
        (rc = jin_str((json_t *)body, "place", false, 200, &place, e)) ||
        (rc = jin_str((json_t *)body, "org", false, ORG_CODE_MAX, &org_code, e)))
        return rc;
    if (!valid_time(time)) return err_set(e, 422, "invalid", "time", "Enter the time as HH:MM.");
    if (pid) {
        if ((rc = desk_op_person(c, pid, "person_id", &person, NULL, e))) return rc;
        *org_id = person.org_id;
    } else {
        org_t org;
        if ((rc = desk_op_org(c, org_code, &org, e))) return rc;
        *org_id = org.id;
    }
    *person_id = pid;
    desk_record_ref_t ref;
    rc = desk_store_appointment_insert(&c->scope, c->db, pid ? &person : NULL, *org_id, date, time, minutes, purpose,
                                       place, db_now(), &ref);
    *id = ref.id;
    return rc;
}

int desk_appointment_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id,
                            err_t *e)
{
    static const char *const allowed[] = {"status", "date", "time", NULL};
    const char *status, *date, *time;
    desk_record_ref_t ref;
    int rc = desk_store_record_load(&c->scope, c->db, "appointment", id, &ref, NULL);
    if (rc) return rc;
    *person_id = ref.person_id;
    *org_id = ref.org_id;
    if ((rc = jin_only((json_t *)body, allowed, e)) || (rc = jin_str((json_t *)body, "status", false, 16, &status, e)) ||
        (rc = desk_op_date(body, "date", false, false, &date, e)) || (rc = jin_str((json_t *)body, "time", false, 5, &time, e)))
        return rc;
    if (time && !valid_time(time)) return err_set(e, 422, "invalid", "time", "Enter the time as HH:MM.");
    if (status && strcmp(status, "scheduled") && strcmp(status, "done") && strcmp(status, "missed") &&
        strcmp(status, "cancelled"))
        return err_set(e, 422, "invalid", "status", "The status must be scheduled, done, missed or cancelled.");
    return desk_store_appointment_update(c->db, &ref, status, date, time, db_now());
}

int desk_followup_create(desk_ctx_t *c, const json_t *body, int64_t *id, int64_t *person_id, int64_t *org_id,
                         err_t *e)
{
    static const char *const allowed[] = {"person_id", "due_date", "note", NULL};
    int64_t pid;
    bool has;
    const char *due, *note;
    desk_person_ref_t person;
    int rc;
    if ((rc = jin_only((json_t *)body, allowed, e)) ||
        (rc = jin_int((json_t *)body, "person_id", true, 1, INT64_MAX, &pid, &has, e)) ||
        (rc = desk_op_date(body, "due_date", true, false, &due, e)) ||
        (rc = jin_str((json_t *)body, "note", false, 1000, &note, e)) || (rc = desk_op_person(c, pid, "person_id", &person, NULL, e)))
        return rc;
    *org_id = person.org_id;
    *person_id = pid;
    desk_record_ref_t ref;
    rc = desk_store_followup_insert(&c->scope, c->db, &person, due, note, db_now(), &ref);
    *id = ref.id;
    return rc;
}

int desk_followup_update(desk_ctx_t *c, int64_t id, const json_t *body, int64_t *person_id, int64_t *org_id,
                         err_t *e)
{
    static const char *const allowed[] = {"done", "due_date", NULL};
    bool done = false, has_done;
    const char *due;
    desk_record_ref_t ref;
    int rc = desk_store_record_load(&c->scope, c->db, "followup", id, &ref, NULL);
    if (rc) return rc;
    *person_id = ref.person_id;
    *org_id = ref.org_id;
    if ((rc = jin_only((json_t *)body, allowed, e)) || (rc = jin_bool((json_t *)body, "done", false, &done, &has_done, e)) ||
        (rc = desk_op_date(body, "due_date", false, false, &due, e)))
        return rc;
    return desk_store_followup_update(c->db, &ref, has_done ? done : -1, due, db_now());
}

/* A cache of rules by type for labelling many deadlines. */
static const json_t *rule_for(desk_ctx_t *c, json_t *cache, const char *type, const char *date)
{
    char key[96];
    snprintf(key, sizeof key, "%s@%s", type, date);
    json_t *r = json_object_get(cache, key);
    if (r) return r;
    char origin[32];
    if (desk_rule_get(c->db, type, date, &r, origin) != 0) r = json_object();
    json_object_set_new(cache, key, r);
    return r;
}

int desk_agenda(desk_ctx_t *c, int days, json_t **out)
{
    char today[11], until[11], yesterday[11];
    date_today(today, 0);
    date_today(until, days);
    date_today(yesterday, -1);
    json_t *appts = json_array(), *coming = json_array(), *overdue = json_array(), *permits = json_array(),
           *followups = json_array(), *cache = json_object();
    int rc;
    if ((rc = desk_store_agenda(&c->scope, c->db, DESK_AGENDA_APPOINTMENTS, today, NULL, appts)) ||
        (rc = desk_store_agenda(&c->scope, c->db, DESK_AGENDA_DEADLINES, today, until, coming)) ||
        (rc = desk_store_agenda(&c->scope, c->db, DESK_AGENDA_DEADLINES, "1900-01-01", yesterday, overdue)) ||
        (rc = desk_store_agenda(&c->scope, c->db, DESK_AGENDA_PERMITS, today, until, permits)) ||
        (rc = desk_store_agenda(&c->scope, c->db, DESK_AGENDA_FOLLOWUPS, yesterday, NULL, followups)))
        goto fail;
    json_t *lists[2] = {coming, overdue};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *d;
        json_array_foreach(lists[l], i, d) {
            const json_t *rule = rule_for(c, cache, jstr(d, "type"), jstr(d, "opened_on"));
            json_t *one = json_array();
            json_array_append(one, d);
            desk_op_label_deadlines(one, rule, c->lang);
            json_decref(one);
            json_object_set_new(d, "title", json_text(desk_label(json_object_get(rule, "title"), c->lang)));
            json_object_del(d, "opened_on");
        }
    }
    /* Overdue: only what still asks for action ("due" and "limit"). */
    for (size_t i = json_array_size(overdue); i-- > 0;) {
        const char *kind = jstr(json_array_get(overdue, i), "kind");
        if (strcmp(kind, "due") && strcmp(kind, "limit")) json_array_remove(overdue, i);
    }
    size_t i;
    json_t *p;
    json_array_foreach(permits, i, p) json_object_set_new(p, "days_left", json_integer(desk_op_days_until(jstr(p, "date"))));
    json_array_foreach(followups, i, p) json_object_set_new(p, "days_late", json_integer(-desk_op_days_until(jstr(p, "due_date"))));
    json_decref(cache);
    *out = json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o}", "today", today, "until", until, "days", days,
                     "appointments", appts, "deadlines", coming, "permits_expiring", permits, "overdue_deadlines",
                     overdue, "overdue_followups", followups);
    return 0;
fail:
    json_decref(appts);
    json_decref(coming);
    json_decref(overdue);
    json_decref(permits);
    json_decref(followups);
    json_decref(cache);
    return rc;
}

int desk_consultation_list(desk_ctx_t *c, int64_t person_id, const char *from, const char *to, int64_t cursor,
                           int limit, json_t *items)
{
    desk_person_ref_t p;
    int rc = person_id ? desk_store_person_load(&c->scope, c->db, person_id, &p, NULL) : 0;
    if (rc) return rc;
    return desk_store_consultation_list(&c->scope, c->db, person_id ? &p : NULL, from, to, cursor, limit, items);
}

int desk_record_get(desk_ctx_t *c, const char *kind, int64_t id, int64_t *person_id, int64_t *org_id, json_t **out)
{
    if (!strcmp(kind, "person")) {
        if (person_id) *person_id = id;
        return desk_person_get(c, id, org_id, out);
    }
    desk_record_ref_t ref;
    int rc = !strcmp(kind, "consultation")     ? desk_store_consultation_load(&c->scope, c->db, id, &ref, out)
             : !strcmp(kind, "desk_procedure") ? desk_store_procedure_load(&c->scope, c->db, id, &ref, out)
                                               : desk_store_record_load(&c->scope, c->db, kind, id, &ref, out);
    if (rc) return rc;
    if (person_id) *person_id = ref.person_id;
    if (org_id) *org_id = ref.org_id;
    if (out) json_object_del(*out, "storage");
    return 0;
}

int desk_register_page(desk_ctx_t *c, const char *from, const char *to, int64_t cursor, int limit, json_t *items)
{
    return desk_store_register(&c->scope, c->db, from, to, cursor, limit, items);
}

/* booking.c — candidates (M2), offers, booking (M1), close-out (M3) and
 * cancellation (M4): the operations of mediation.h that move a request
 * through open -> offered -> assigned -> done / cancelled. Each loads the
 * request through the caller's scope, checks its state, writes through the
 * store inside the caller's transaction and queues the e-mails. */
#include "internal.h"
#include "core/crypto.h"
#include "core/ical.h"
#include "core/json.h"
#include "governance/governance.h"
#include <stdio.h>
#include <string.h>

/* Reasons a candidate row is excluded, appended to `reasons`. */
static void row_reasons(json_t *row, const med_request_t *r, json_t *reasons)
{
    if (!json_is_true(json_object_get(row, "active"))) json_array_append_new(reasons, json_string(MED_R_INACTIVE));
    if (!json_is_true(json_object_get(row, "domain_ok"))) json_array_append_new(reasons, json_string(MED_R_DOMAIN));
    if (r->remote && !json_is_true(json_object_get(row, "takes_remote")))
        json_array_append_new(reasons, json_string(MED_R_REMOTE));
    if (!json_is_true(json_object_get(row, "area_ok"))) json_array_append_new(reasons, json_string(MED_R_AREA));
    if (!json_is_true(json_object_get(row, "available"))) json_array_append_new(reasons, json_string(MED_R_UNAVAILABLE));
    if (json_is_true(json_object_get(row, "absent"))) json_array_append_new(reasons, json_string(MED_R_ABSENT));
    if (json_is_true(json_object_get(row, "busy"))) json_array_append_new(reasons, json_string(MED_R_BUSY));
    const char *offer = jstr(row, "offer");
    if (offer && strcmp(offer, "declined") == 0) json_array_append_new(reasons, json_string(MED_R_DECLINED));
}

int med_candidate_rows(db_t *db, const med_request_t *r, json_t *rows)
{
    rome_tm_t t;
    rome_from_utc(r->start_at, &t);
    int start_min = t.hour * 60 + t.minute;
    int64_t first, last;
    med_slots(r->start_at, r->end_at, &first, &last);
    return med_store_candidate_rows(db, r, t.wday, start_min, start_min + r->minutes, first, last, rows);
}

/* The candidates of a loaded request (see med_candidates): 0 or -status. */
static int candidates_of(db_t *db, const med_request_t *r, json_t **out, err_t *e)
{
    json_t *rows = json_array();
    int64_t others = 0;
    int rc;
    if ((rc = med_candidate_rows(db, r, rows)) || (rc = med_store_others_count(db, r, &others))) {
        json_decref(rows);
        return med_fail_db(e, rc);
    }
    json_t *items = json_array(), *excluded = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *reasons = json_array();
        row_reasons(row, r, reasons);
        json_t *o = json_pack("{s:O, s:O, s:O, s:O, s:O}", "mediator_id", json_object_get(row, "id"), "given_name",
                              json_object_get(row, "given_name"), "family_name", json_object_get(row, "family_name"),
                              "last_assigned_at", json_object_get(row, "last_assigned_at"), "offer",
                              json_object_get(row, "offer"));
        json_object_set(o, "id", json_object_get(row, "id"));
        if (json_array_size(reasons) == 0) {
            json_decref(reasons);
            json_array_append_new(items, o);
        } else {
            json_object_set_new(o, "reasons", reasons);
            json_array_append_new(excluded, o);
        }
    }
    json_decref(rows);
    *out = json_pack("{s:I, s:o, s:o, s:I}", "request_id", (json_int_t)r->id, "items", items, "excluded", excluded,
                     "others", (json_int_t)others);
    return 0;
}

int med_candidates(const scope_t *sc, db_t *db, int64_t request_id, json_t **out, med_ref_t *ref, err_t *e)
{
    med_request_t r;
    int rc = med_managed_request(sc, db, request_id, &r, ref, e);
    return rc ? rc : candidates_of(db, &r, out, e);
}

/* 0 when the request's day (Rome) lies in no approved period of its project;
 * 409 period_locked when it does (governance.h): a booking, close-out or
 * cancellation changes the activity. */
static int request_period_open(db_t *db, const med_request_t *r, err_t *e)
{
    char local[17], day[11];
    rome_format(r->start_at, local);
    snprintf(day, sizeof day, "%.10s", local);
    return gov_period_open(db, r->project_id, day, "start", e);
}

/* The booked mediator of `r`, when there is one, into `m`: *has says so. */
static int booked_mediator(db_t *db, const med_request_t *r, med_mediator_t *m, bool *has, err_t *e)
{
    int rc = r->mediator_id ? med_store_request_mediator(db, r, m) : 1;
    *has = rc == 0;
    return rc < 0 ? med_fail_db(e, rc) : 0;
}

/* Sorts the reasons a mediator is not a candidate: *busy (M1), *soft (may
 * be forced), *hard (never). */
static void weigh_reasons(json_t *reasons, bool *busy, bool *soft, bool *hard)
{
    size_t i;
    json_t *x;
    json_array_foreach(reasons, i, x) {
        const char *s = json_string_value(x);
        if (strcmp(s, MED_R_BUSY) == 0) *busy = true;
        else if (strcmp(s, MED_R_UNAVAILABLE) == 0 || strcmp(s, MED_R_ABSENT) == 0 || strcmp(s, MED_R_DECLINED) == 0 ||
                 strcmp(s, MED_R_AREA) == 0)
            *soft = true;
        else *hard = true;
    }
}

/* Books mediator `m` for request `r` (M1, M2): checks eligibility, holds
 * the slots, sets the assignment, withdraws the other offers, mails. */
static int book(db_t *db, med_request_t *r, const med_mediator_t *m, bool force, err_t *e)
{
    if (strcmp(r->status, "open") != 0 && strcmp(r->status, "offered") != 0)
        return err_set(e, 409, "not_open", NULL, "This request is not open any more.");
    int rc = request_period_open(db, r, e);
    if (rc) return rc;
    json_t *rows = json_array(), *row = NULL, *reasons = json_array();
    rc = med_candidate_rows(db, r, rows);
    size_t i;
    json_t *x;
    json_array_foreach(rows, i, x) if (json_integer_value(json_object_get(x, "id")) == m->id) row = x;
    if (row) row_reasons(row, r, reasons);
    bool busy = false, hard = !row, soft = false;
    weigh_reasons(reasons, &busy, &soft, &hard);
    json_decref(rows);
    json_decref(reasons);
    if (rc) return med_fail_db(e, rc);
    if (hard)
        return err_set(e, 422, "not_eligible", "mediator_id",
                       "This mediator cannot take this request (language, domain, remote work or inactive).");
    if (busy) return err_set(e, 409, "mediator_busy", "mediator_id", "This mediator is already booked at that time.");
    if (soft && !force)
        return err_set(e, 422, "not_available", "mediator_id",
                       "This mediator is not available then (availability, absence, area or declined): confirm to book anyway.");
    int64_t first, last, now = db_now();
    med_slots(r->start_at, r->end_at, &first, &last);
    rc = med_store_slots_book(db, r, m, first, last);
    if (rc == DB_ECONSTRAINT)
        return err_set(e, 409, "mediator_busy", "mediator_id", "This mediator is already booked at that time.");
    if (rc) return med_fail_db(e, rc);
    rc = med_store_request_assign(db, r, m, now);
    if (rc == 1) return err_set(e, 409, "not_open", NULL, "This request is not open any more.");
    if (rc || (rc = med_store_offers_withdraw(db, r, m, now))) return med_fail_db(e, rc);
    r->mediator_id = m->id;
    snprintf(r->status, sizeof r->status, "assigned");
    return (rc = med_mail(db, r, m, "assignment")) ? med_fail_db(e, rc) : 0;
}

int med_assign(const scope_t *sc, db_t *db, int64_t id, int64_t mediator_id, bool force, med_ref_t *ref, err_t *e)
{
    med_request_t r;
    int rc = med_managed_request(sc, db, id, &r, ref, e);
    if (rc) return rc;
    med_mediator_t m;
    rc = med_store_mediator_get(sc, db, mediator_id, &m);
    if (rc < 0) return med_fail_db(e, rc);
    if (rc == 1 || m.org_id != r.org_id)
        return err_set(e, 422, "not_eligible", "mediator_id", "This mediator is not in the register of the request's district.");
    return book(db, &r, &m, force, e);
}

int med_unassign(const scope_t *sc, db_t *db, int64_t id, med_ref_t *ref, err_t *e)
{
    med_request_t r;
    med_mediator_t m;
    bool has;
    int rc = med_managed_request(sc, db, id, &r, ref, e);
    if (rc) return rc;
    if (strcmp(r.status, "assigned") != 0) return err_set(e, 409, "not_assigned", NULL, "This request is not assigned.");
    if ((rc = request_period_open(db, &r, e)) || (rc = booked_mediator(db, &r, &m, &has, e))) return rc;
    if ((rc = med_store_slots_free(db, &r)) || (rc = med_store_request_unassign(db, &r, db_now())) ||
        (rc = med_mail(db, &r, has ? &m : NULL, "cancellation")))
        return med_fail_db(e, rc);
    return 0;
}

/* True when mediator `mid` is among the candidates' "items". */
static bool is_candidate(json_t *cands, int64_t mid)
{
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(cands, "items"), k, c) {
        if (json_integer_value(json_object_get(c, "id")) == mid) return true;
    }
    return false;
}

/* Offers `r` to mediator `mid` (a candidate): appends the new offer's id to
 * `created`, or nothing when it was offered already. */
static int offer_one(const scope_t *sc, db_t *db, const med_request_t *r, int64_t mid, bool auto_assign,
                     json_t *created, err_t *e)
{
    med_mediator_t m;
    int64_t oid;
    int rc = med_store_result(e, med_store_mediator_get(sc, db, mid, &m));
    if (rc) return rc;
    rc = med_store_offer_insert(db, r, &m, auto_assign, db_now(), &oid);
    if (rc == DB_ECONSTRAINT) return 0; /* offered already */
    if (rc || (rc = med_mail(db, r, &m, "offer"))) return med_fail_db(e, rc);
    json_array_append_new(created, json_integer(oid));
    return 0;
}

int med_offer(const scope_t *sc, db_t *db, int64_t id, json_t *mediator_ids, bool auto_assign, json_t *created,
              med_ref_t *ref, err_t *e)
{
    med_request_t r;
    int rc = med_managed_request(sc, db, id, &r, ref, e);
    if (rc) return rc;
    if (strcmp(r.status, "open") != 0 && strcmp(r.status, "offered") != 0)
        return err_set(e, 409, "not_open", NULL, "This request is not open any more.");
    if (!json_is_array(mediator_ids) || json_array_size(mediator_ids) == 0 || json_array_size(mediator_ids) > 200)
        return err_set(e, 422, "required", "mediator_ids", "Choose at least one mediator.");
    json_t *cands = NULL;
    if ((rc = candidates_of(db, &r, &cands, e))) return rc;
    size_t i;
    json_t *v;
    json_array_foreach(mediator_ids, i, v) {
        int64_t mid = json_is_integer(v) ? json_integer_value(v) : 0;
        if (!is_candidate(cands, mid))
            rc = err_set(e, 422, "not_candidate", "mediator_ids",
                         "Offers go only to candidates: able and free mediators of the request.");
        else rc = offer_one(sc, db, &r, mid, auto_assign, created, e);
        if (rc) break;
    }
    json_decref(cands);
    if (rc) return rc;
    if (strcmp(r.status, "open") == 0 && (rc = med_store_request_set_status(db, &r, "offered", db_now())))
        return med_fail_db(e, rc);
    return 0;
}

int med_offer_list(const scope_t *sc, db_t *db, int64_t request_id, int64_t mediator_id, const char *status,
                   json_t *items, err_t *e)
{
    return med_store_result(e, med_store_offer_list(sc, db, request_id, mediator_id, status, items));
}

int med_offer_answer(const scope_t *sc, db_t *db, int64_t offer_id, bool accept, int64_t *request_id, med_ref_t *ref,
                     err_t *e)
{
    int rc = scope_require(sc, CAP_MEDIATION_SELF, e);
    med_offer_t f;
    if (rc || (rc = med_store_result(e, med_store_offer_get(sc, db, offer_id, &f)))) return rc;
    *request_id = f.request_id;
    if (strcmp(f.status, "open") != 0) return err_set(e, 409, "not_open", NULL, "This offer is no longer open.");
    med_request_t r;
    if ((rc = med_store_result(e, med_store_request_get(sc, db, f.request_id, &r)))) return rc;
    ref->id = f.id;
    ref->org_id = r.org_id;
    int64_t now = db_now();
    if (!accept) return (rc = med_store_offer_set(db, &f, "declined", now)) ? med_fail_db(e, rc) : 0;
    if (strcmp(r.status, "open") != 0 && strcmp(r.status, "offered") != 0)
        return err_set(e, 409, "taken", NULL, "Someone else took this request first.");
    if ((rc = med_store_offer_set(db, &f, "accepted", now))) return med_fail_db(e, rc);
    if (!f.auto_assign) return 0;
    /* First acceptance wins: the acceptance books at once (their yes overrides
     * the declared availability, never an overlapping booking). */
    med_mediator_t m;
    if ((rc = med_store_result(e, med_store_mediator_get(sc, db, f.mediator_id, &m)))) return rc;
    return book(db, &r, &m, true, e);
}

/* The tariff of the request's district in force on its day: 500 when none. */
static int request_tariff(const med_request_t *r, med_tariff_t *t, err_t *e)
{
    if (med_tariff_for(r->org_code, r->start_at, t) == 0) return 0;
    return err_set(e, 500, "no_tariff", NULL, "No tariff covers this date: the district's protocol is missing.");
}

int med_close(const scope_t *sc, db_t *db, int64_t id, int64_t minutes_worked, int64_t travel_hm, med_ref_t *ref,
              err_t *e)
{
    bool manage = scope_can(sc, CAP_MEDIATION_MANAGE);
    if (!manage && !scope_can(sc, CAP_MEDIATION_SELF)) return scope_require(sc, CAP_MEDIATION_MANAGE, e);
    med_request_t r;
    int rc = med_store_request_get(sc, db, id, &r);
    if (rc < 0) return med_fail_db(e, rc);
    if (rc == 1 || (!manage && r.mediator_id != med_self_id(sc, db))) return med_not_found(e);
    med_ref_request(ref, &r);
    if (strcmp(r.status, "assigned") != 0)
        return err_set(e, 409, strcmp(r.status, "done") == 0 ? "already_closed" : "not_assigned", NULL,
                       strcmp(r.status, "done") == 0 ? "This request is already closed out." : "Only an assigned request can be closed out.");
    if (minutes_worked < 0 || minutes_worked > 720)
        return err_set(e, 422, "out_of_range", "minutes_worked", "Minutes worked are from 0 to 720.");
    if (travel_hm < 0 || travel_hm > 5000) return err_set(e, 422, "out_of_range", "travel_km", "Travel is from 0 to 500 km.");
    if (r.remote && travel_hm > 0) return err_set(e, 422, "invalid", "travel_km", "A remote mediation has no travel.");
    med_tariff_t t;
    if ((rc = request_period_open(db, &r, e)) || (rc = request_tariff(&r, &t, e))) return rc;
    med_pay_t pay;
    if (med_pay_compute(&t, MED_DONE, r.start_at, r.minutes, (int)minutes_worked, r.remote, travel_hm, &pay) != 0)
        return err_set(e, 422, "invalid", "minutes_worked", "These values cannot be paid.");
    char token[CRYPTO_TOKEN_LEN + 1];
    crypto_token(token);
    if ((rc = med_store_request_close(db, &r, (int)minutes_worked, travel_hm, t.ref, &pay, token, db_now())) ||
        (rc = med_mail_confirm(db, &r, token)))
        return med_fail_db(e, rc);
    return 0;
}

int med_cancel(const scope_t *sc, db_t *db, int64_t id, const char *kind, const char *reason, med_ref_t *ref,
               err_t *e)
{
    med_request_t r;
    int rc = med_managed_request(sc, db, id, &r, ref, e);
    if (rc) return rc;
    bool late = kind && strcmp(kind, "late") == 0;
    if (!kind || (!late && strcmp(kind, "void") != 0))
        return err_set(e, 422, "invalid", "cancel", "A cancellation is \"void\" or \"late\".");
    if (strcmp(r.status, "done") == 0 || strcmp(r.status, "cancelled") == 0)
        return err_set(e, 409, "closed", NULL, "This request is already closed.");
    med_tariff_t t;
    if ((rc = request_period_open(db, &r, e)) || (rc = request_tariff(&r, &t, e))) return rc;
    int64_t now = db_now();
    med_pay_t pay;
    memset(&pay, 0, sizeof pay);
    if (late) {
        if (!r.mediator_id)
            return err_set(e, 422, "not_assigned", "cancel", "A late cancellation pays a booked mediator: none is booked.");
        if (now < r.start_at - (int64_t)t.late_cancel_hours * 3600)
            return err_set(e, 422, "outside_window", "cancel",
                           "This is not a late cancellation: it is before the protocol's window, so it is void.");
        med_pay_compute(&t, MED_LATE, r.start_at, r.minutes, 0, r.remote, 0, &pay);
    }
    med_mediator_t m;
    bool has;
    if ((rc = booked_mediator(db, &r, &m, &has, e))) return rc;
    if ((rc = med_store_slots_free(db, &r)) || (rc = med_store_offers_withdraw(db, &r, NULL, now)) ||
        (rc = med_store_request_cancel(db, &r, kind, reason && *reason ? reason : NULL, late ? t.ref : NULL, &pay,
                                       now)) ||
        (rc = med_mail(db, &r, has ? &m : NULL, "cancellation")))
        return med_fail_db(e, rc);
    return 0;
}

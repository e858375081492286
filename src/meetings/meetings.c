/* meetings.c — creating, changing, reading and listing meetings (G1-G4). */
#include "internal.h"
#include "app/org.h"
#include "core/date.h"
#include "core/ical.h"
#include "governance/governance.h"
#include <stdio.h>
#include <string.h>

static const char *const kinds[] = {"tavolo", "lab", "case", "school", NULL};

const char *const *mtg_kinds(void)
{
    return kinds;
}

int mtg_fail_db(err_t *e, int rc)
{
    if (rc == DB_ECONSTRAINT) return err_set(e, 409, "conflict", NULL, "This change conflicts with the current data.");
    if (rc == DB_EBUSY || rc == DB_ECONN) return err_set(e, 503, "unavailable", NULL, "Please try again in a moment.");
    return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
}

int mtg_store_result(err_t *e, int rc)
{
    if (rc == 1) return err_set(e, 404, "not_found", NULL, "Not found.");
    return rc < 0 ? mtg_fail_db(e, rc) : rc;
}

void mtg_rome_date(int64_t t, char out[11])
{
    char local[17];
    rome_format(t, local);
    snprintf(out, 11, "%.10s", local);
}

void mtg_add_times(json_t *o)
{
    int64_t start = json_integer_value(json_object_get(o, "start_at"));
    int64_t minutes = json_integer_value(json_object_get(o, "minutes"));
    char s[17], en[17];
    rome_format(start, s);
    rome_format(start + minutes * 60, en);
    json_object_set_new(o, "start", json_string(s));
    json_object_set_new(o, "end", json_string(en));
    json_object_set_new(o, "date", json_stringn(s, 10));
    json_object_set_new(o, "time", json_string(s + 11));
    json_object_set_new(o, "end_time", json_string(en + 11));
}

/* Fills the audit reference of meeting `m`. */
static void ref_of(const mtg_meeting_t *m, mtg_ref_t *ref)
{
    ref->id = m->id;
    ref->org_id = m->org_id;
    ref->person_id = m->person_id;
    ref->is_case = strcmp(m->kind, "case") == 0;
}

int mtg_load(const scope_t *sc, db_t *db, int64_t id, mtg_meeting_t *m, mtg_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_MEETING_READ, e);
    if (rc || (rc = mtg_store_result(e, mtg_store_meeting_get(sc, db, id, m)))) return rc;
    ref_of(m, ref);
    return 0;
}

int mtg_managed(const scope_t *sc, db_t *db, int64_t id, bool locked_check, mtg_meeting_t *m, mtg_ref_t *ref,
                err_t *e)
{
    int rc = scope_require(sc, CAP_MEETING_READ, e);
    if (rc || (rc = mtg_load(sc, db, id, m, ref, e))) return rc;
    if (!scope_can(sc, CAP_MEETING_MANAGE) || !scope_covers(sc, m->org_path))
        return err_set(e, 403, "forbidden", NULL, "You may not change this meeting.");
    if (locked_check) {
        char date[11];
        mtg_rome_date(m->start_at, date);
        return gov_period_open(db, m->project_id, date, "start", e);
    }
    return 0;
}

/* True when `s` is one of the NULL-terminated `list`. */
static bool one_of(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0) return true;
    return false;
}

/* Parses a Rome local start (G3) into *t. */
static int start_input(const char *s, int64_t *t, err_t *e)
{
    if (!s) return err_set(e, 422, "required", "start", "This field is required.");
    int rc = rome_parse(s, t);
    if (rc == 1) return err_set(e, 422, "nonexistent_time", "start", "This local time does not exist (clocks go forward).");
    if (rc) return err_set(e, 422, "invalid", "start", "The start is a local date and time: YYYY-MM-DDTHH:MM.");
    return 0;
}

/* Checks the fields shared by a new meeting and a change. */
static int common_input(const mtg_input_t *in, bool create, err_t *e)
{
    if (create && (!in->title || !*in->title)) return err_set(e, 422, "required", "title", "This field is required.");
    if (in->minutes != -1 && (in->minutes < 15 || in->minutes > 720))
        return err_set(e, 422, "out_of_range", "minutes", "The duration is from 15 to 720 minutes.");
    return 0;
}

/* The organisation of a new meeting: the one named (inside the caller's own
 * subtree), else the caller's. */
static int meeting_org(const scope_t *sc, db_t *db, const char *code, org_t *org, err_t *e)
{
    int rc = org_visible(sc, db, code ? code : sc->org_code, org);
    if (rc < 0) return mtg_fail_db(e, rc);
    if (rc || !scope_covers(sc, org->path))
        return err_set(e, 422, "unknown_org", "org", "Unknown organisation, or not one of yours.");
    return 0;
}

/* The person of a case meeting (G2), visible to the scope. */
static int case_person(const scope_t *sc, db_t *db, const mtg_input_t *in, err_t *e)
{
    bool is_case = strcmp(in->kind, "case") == 0;
    if (!is_case && in->person_id)
        return err_set(e, 422, "invalid", "person_id", "Only a case meeting concerns a person.");
    if (!is_case) return 0;
    if (!scope_can(sc, CAP_MEETING_CASE))
        return err_set(e, 403, "forbidden", NULL, "Only coordinators and operators run case meetings.");
    if (in->person_id <= 0) return err_set(e, 422, "required", "person_id", "A case meeting concerns a person.");
    int64_t org_id;
    int rc = mtg_store_person_get(sc, db, in->person_id, &org_id);
    if (rc == 1) return err_set(e, 422, "unknown_person", "person_id", "Unknown person.");
    return rc ? mtg_fail_db(e, rc) : 0;
}

int mtg_create(const scope_t *sc, db_t *db, const mtg_input_t *in, mtg_ref_t *ref, err_t *e)
{
    int rc = scope_require(sc, CAP_MEETING_MANAGE, e);
    if (rc) return rc;
    if (!in->kind) return err_set(e, 422, "required", "kind", "This field is required.");
    if (!one_of(in->kind, kinds)) return err_set(e, 422, "invalid", "kind", "Unknown kind: tavolo, lab, case or school.");
    if (in->series && strcmp(in->kind, "lab") != 0)
        return err_set(e, 422, "invalid", "series", "Only laboratories belong to a series.");
    int64_t start;
    org_t org;
    if ((rc = common_input(in, true, e)) || (rc = start_input(in->start, &start, e)) ||
        (rc = meeting_org(sc, db, in->org, &org, e)) || (rc = case_person(sc, db, in, e)))
        return rc;
    mtg_input_t row = *in;
    if (row.minutes == -1) row.minutes = 120;
    char date[11];
    mtg_rome_date(start, date);
    int64_t project_id = 0, id;
    if ((rc = gov_project_for(db, org.path, date, in->project_id, &project_id, e)) ||
        (rc = gov_period_open(db, project_id, date, "start", e)))
        return rc;
    if ((rc = mtg_store_meeting_insert(sc, db, &org, &row, start, project_id, db_now(), &id))) return mtg_fail_db(e, rc);
    ref->id = id;
    ref->org_id = org.id;
    ref->person_id = in->person_id;
    ref->is_case = strcmp(in->kind, "case") == 0;
    return 0;
}

int mtg_update(const scope_t *sc, db_t *db, int64_t id, const mtg_input_t *in, mtg_ref_t *ref, err_t *e)
{
    mtg_meeting_t m;
    int rc = mtg_managed(sc, db, id, true, &m, ref, e);
    if (rc || (rc = common_input(in, false, e))) return rc;
    if (in->title && !*in->title) return err_set(e, 422, "required", "title", "This field is required.");
    if (in->series && strcmp(m.kind, "lab") != 0)
        return err_set(e, 422, "invalid", "series", "Only laboratories belong to a series.");
    int64_t start = m.start_at;
    if (in->start) {
        char date[11];
        if ((rc = start_input(in->start, &start, e))) return rc;
        mtg_rome_date(start, date);
        if ((rc = gov_period_open(db, m.project_id, date, "start", e))) return rc;
    }
    rc = mtg_store_meeting_update(db, &m, in, start, db_now());
    return rc ? mtg_fail_db(e, rc) : 0;
}

int mtg_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, mtg_ref_t *ref, err_t *e)
{
    mtg_meeting_t m;
    *out = NULL;
    int rc = mtg_load(sc, db, id, &m, ref, e);
    if (rc || (rc = mtg_store_result(e, mtg_store_meeting_json(db, &m, out)))) return rc;
    json_t *invitees = json_array(), *decisions = json_array(), *files = json_array(), *counts = NULL;
    rc = mtg_store_invitees(db, &m, invitees);
    if (!rc) rc = mtg_store_decisions(db, &m, decisions);
    if (!rc) rc = mtg_store_meeting_files(db, &m, files);
    if (!rc) rc = mtg_store_attendance_counts(db, &m, &counts);
    json_object_set_new(*out, "invitees", invitees);
    json_object_set_new(*out, "decisions", decisions);
    json_object_set_new(*out, "files", files);
    json_object_set_new(*out, "attendance", counts ? counts : json_object());
    mtg_add_times(*out);
    json_object_set_new(*out, "can_manage", json_boolean(scope_can(sc, CAP_MEETING_MANAGE) && scope_covers(sc, m.org_path)));
    return rc ? mtg_fail_db(e, rc) : 0;
}

int mtg_list(const scope_t *sc, db_t *db, const mtg_filter_t *f, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_MEETING_READ, e);
    if (rc) return rc;
    if (f->kind && !one_of(f->kind, kinds)) return err_set(e, 422, "invalid", "kind", "Unknown kind: tavolo, lab, case or school.");
    if ((rc = mtg_store_meeting_list(sc, db, f, items))) return mtg_fail_db(e, rc);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) mtg_add_times(o);
    return 0;
}

int mtg_pickers(const scope_t *sc, db_t *db, json_t *orgs, json_t *accounts, err_t *e)
{
    int rc = scope_require(sc, CAP_MEETING_MANAGE, e);
    if (rc) return rc;
    if ((rc = mtg_store_orgs(sc, db, orgs)) || (rc = mtg_store_accounts(sc, db, accounts))) return mtg_fail_db(e, rc);
    return 0;
}

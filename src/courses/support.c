/* support.c — school support that is not a course (courses.h, C9) and the
 * early-leaving watch list computed from it (C10). No SQL here (store.c),
 * no HTTP here. */
#include "internal.h"
#include "core/date.h"
#include "core/json.h"
#include <stdlib.h>
#include <string.h>

int crs_support_create(const scope_t *sc, db_t *db, const crs_support_input_t *in, crs_ref_t *ref, err_t *e)
{
    org_t school;
    crs_person_t p;
    int64_t id = 0;
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    if (rc) return rc;
    if (!crs_support_kind_valid(in->kind)) return err_set(e, 422, "invalid", "kind", "Choose one of the listed values.");
    if (!date_valid(in->date)) return err_set(e, 422, "invalid", "date", "Give a date as YYYY-MM-DD.");
    if (in->minutes < 1 || in->minutes > 720)
        return err_set(e, 422, "invalid", "minutes", "Give a whole number in the allowed range.");
    if ((rc = org_visible(sc, db, in->org ? in->org : sc->org_code, &school)) < 0) return rc;
    if (rc || !scope_covers(sc, school.path))
        return err_set(e, 422, "unknown_org", "org", "No such organisation in your area.");
    if ((rc = crs_store_person_get(sc, db, in->person_id, &p)) == 1)
        return err_set(e, 422, "unknown_person", "person_id", "No such person in your area.");
    if (rc || (rc = crs_store_support_insert(sc, db, &school, &p, in, db_now(), &id))) return rc;
    *ref = (crs_ref_t){id, p.id, school.id};
    return 0;
}

int crs_support_list(const scope_t *sc, db_t *db, int64_t person_id, int64_t cursor, int limit, json_t *items,
                     err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    return rc ? rc : crs_store_support_list(sc, db, person_id, cursor, limit, items);
}

/* Appends the watch entry of one pupil's records rows[from, to) when C10 holds. */
static void watch_pupil(const json_t *rows, size_t from, size_t to, json_t *items)
{
    size_t n = to - from;
    bool *attended = malloc(n * sizeof *attended);
    if (!attended) return;
    int missed = 0;
    for (size_t i = 0; i < n; i++) {
        attended[i] = json_is_true(json_object_get(json_array_get(rows, from + i), "attended"));
        missed += !attended[i];
    }
    const char *reason = crs_watch_reason(attended, n);
    free(attended);
    if (!reason) return;
    const json_t *last = json_array_get(rows, to - 1);
    json_array_append_new(items, json_pack("{s:O,s:O,s:O,s:O,s:s,s:I,s:i}", "person_id", json_object_get(last, "person_id"),
                                           "given_name", json_object_get(last, "given_name"), "family_name",
                                           json_object_get(last, "family_name"), "school", json_object_get(last, "school"),
                                           "reason", reason, "records", (json_int_t)n, "missed", missed));
}

int crs_watch_list(const scope_t *sc, db_t *db, json_t *items, err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    json_t *rows = json_array();
    if (rc || (rc = crs_store_support_history(sc, db, rows))) {
        json_decref(rows);
        return rc;
    }
    size_t n = json_array_size(rows), from = 0;
    for (size_t i = 1; i <= n; i++) {
        json_int_t pid = json_integer_value(json_object_get(json_array_get(rows, from), "person_id"));
        if (i < n && json_integer_value(json_object_get(json_array_get(rows, i), "person_id")) == pid) continue;
        watch_pupil(rows, from, i, items);
        from = i;
    }
    json_decref(rows);
    return 0;
}

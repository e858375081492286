/* register.c — what is read across a course or a scope (courses.h): the
 * attendance register of a course (a row per learner, a column per session),
 * the teacher's and coordinator's workspace, and the aggregates without
 * personal data. No SQL here (store.c), no HTTP here. */
#include "internal.h"
#include "core/json.h"
#include "core/date.h"
#include "monitoring/monitoring.h"
#include <stdio.h>
#include <string.h>

#define CRS_SMALL_CELL 5 /* the threshold of monitoring's open data */

/* The index of `id` among the objects of `arr` by their "key" member; -1 when none. */
static long index_of(const json_t *arr, const char *key, json_int_t id)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) if (json_integer_value(json_object_get(o, key)) == id) return (long)i;
    return -1;
}

int crs_register(const scope_t *sc, db_t *db, int64_t course_id, json_t **out, crs_ref_t *ref, err_t *e)
{
    crs_course_t c;
    json_t *course = NULL;
    int rc = crs_managed_course(sc, db, course_id, &c, ref, e);
    if (rc || (rc = crs_store_course_json(db, &c, &course))) return rc;
    json_t *sessions = json_array(), *learners = json_array(), *marks = json_array();
    *out = json_pack("{s:o,s:o,s:o}", "course", course, "sessions", sessions, "learners", learners);
    if ((rc = crs_store_sessions_json(db, &c, sessions)) || (rc = crs_store_enrolments_json(db, &c, learners)) ||
        (rc = crs_store_course_marks(db, &c, marks))) {
        json_decref(marks);
        return rc;
    }
    for (size_t k = json_array_size(learners); k-- > 0;) /* learners who had a place, not the waiting list */
        if (!json_is_true(json_object_get(json_array_get(learners, k), "had_place"))) json_array_remove(learners, k);
    size_t i, ns = json_array_size(sessions);
    json_t *l, *m;
    json_array_foreach(learners, i, l) {
        json_t *row = json_array();
        for (size_t k = 0; k < ns; k++) json_array_append_new(row, json_null());
        json_object_set_new(l, "marks", row);
        crs_add_counts_pct(l, c.min_pct);
    }
    json_array_foreach(marks, i, m) {
        long li = index_of(learners, "id", json_integer_value(json_object_get(m, "enrolment_id")));
        long si = index_of(sessions, "id", json_integer_value(json_object_get(m, "session_id")));
        if (li < 0 || si < 0) continue;
        json_array_set(json_object_get(json_array_get(learners, (size_t)li), "marks"), (size_t)si,
                       json_object_get(m, "status"));
    }
    json_decref(marks);
    return 0;
}

int crs_workspace(const scope_t *sc, db_t *db, const char *today, json_t **out, err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_MANAGE, e);
    if (rc) return rc;
    json_t *courses = json_array(), *sessions = json_array(), *warnings = json_array(), *learners = json_array();
    crs_course_filter_t f = {NULL, NULL, NULL, -1, -1, -1, 0, 500, true}; /* a teacher's: assigned */
    *out = json_pack("{s:o,s:o,s:o}", "courses", courses, "today", sessions, "warnings", warnings);
    if ((rc = crs_store_course_list(sc, db, &f, courses)) || (rc = crs_store_sessions_on(sc, db, today, sessions)) ||
        (rc = crs_store_learner_counts(sc, db, learners))) {
        json_decref(learners);
        return rc;
    }
    size_t i;
    json_t *l;
    json_array_foreach(learners, i, l) {
        crs_add_counts_pct(l, json_integer_value(json_object_get(l, "min_attendance_pct")));
        if (json_is_true(json_object_get(l, "warning"))) json_array_append(warnings, l);
    }
    json_decref(learners);
    return 0;
}

/* True when `exit` is at least one CEFR level above `entry`. */
static bool gained(const char *entry, const char *exit)
{
    const char *const *lv = crs_levels();
    int a = -1, b = -1;
    for (int i = 0; lv[i]; i++) {
        if (strcmp(lv[i], entry) == 0) a = i;
        if (strcmp(lv[i], exit) == 0) b = i;
    }
    return a >= 0 && b > a;
}

/* Adds 1 to the integer member `key` of `o`. */
static void bump(json_t *o, const char *key)
{
    json_object_set_new(o, key, json_integer(json_integer_value(json_object_get(o, key)) + 1));
}

int crs_summary(const scope_t *sc, db_t *db, json_t **out, err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_READ, e);
    if (rc) return rc;
    json_t *kinds = json_array(), *people = json_array();
    json_t *sex = json_object(), *age = json_object();
    int64_t with_levels = 0, gains = 0;
    *out = json_pack("{s:o,s:o,s:o}", "by_kind", kinds, "by_sex", sex, "by_age", age);
    if ((rc = crs_store_summary_kinds(sc, db, kinds)) || (rc = crs_store_summary_people(sc, db, people))) {
        json_decref(people);
        return rc;
    }
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        bump(sex, jstr_or_empty(p, "sex"));
        if (*jstr_or_empty(p, "age_band")) bump(age, jstr(p, "age_band"));
        if (!*jstr_or_empty(p, "entry_level") || !*jstr_or_empty(p, "exit_level")) continue;
        with_levels++;
        if (gained(jstr(p, "entry_level"), jstr(p, "exit_level"))) gains++;
    }
    json_decref(people);
    json_object_set_new(*out, "learners_with_levels", json_integer(with_levels));
    json_object_set_new(*out, "levels_gained", json_integer(gains));
    return 0;
}

/* Adds one learner to the cross count `rows` [{kind, sex, age_band, learners}]. */
static void cross_count(json_t *rows, const char *kind, const char *sex, const char *age)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        if (strcmp(jstr_or_empty(r, "kind"), kind) || strcmp(jstr_or_empty(r, "sex"), sex) ||
            strcmp(jstr_or_empty(r, "age_band"), age))
            continue;
        bump(r, "learners");
        return;
    }
    json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:i}", "kind", kind, "sex", sex, "age_band", age, "learners", 1));
}

/* Adds one learner to the level gains `rows` [{entry_level, exit_level, learners}]. */
static void gain_count(json_t *rows, const char *entry, const char *exit)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        if (strcmp(jstr_or_empty(r, "entry_level"), entry) || strcmp(jstr_or_empty(r, "exit_level"), exit)) continue;
        bump(r, "learners");
        return;
    }
    json_array_append_new(rows, json_pack("{s:s,s:s,s:i}", "entry_level", entry, "exit_level", exit, "learners", 1));
}

/* Small-cell suppression of the region's aggregates, the rule of
 * monitoring's open data (mon_suppress, cells under 5 and complementary
 * cells): the counts `keys` of the objects of `rows` as a table, one row
 * per object; each count to hide becomes null. At most 64 x 4 cells. */
static void suppress_rows(json_t *rows, const char *const *keys, int ncols)
{
    long v[64 * 4];
    bool hide[64 * 4] = {false};
    int n = (int)json_array_size(rows);
    if (n > 64) n = 64;
    for (int r = 0; r < n; r++)
        for (int c = 0; c < ncols; c++) v[r * ncols + c] = (long)json_integer_value(json_object_get(json_array_get(rows, (size_t)r), keys[c]));
    if (n == 0 || mon_suppress(v, n, ncols, CRS_SMALL_CELL, hide, NULL, NULL, NULL) < 0) return;
    for (int r = 0; r < n; r++)
        for (int c = 0; c < ncols; c++)
            if (hide[r * ncols + c]) json_object_set_new(json_array_get(rows, (size_t)r), keys[c], json_null());
}

/* The same for the counts of one object {key: n} (a row of its own). */
static void suppress_object(json_t *o)
{
    json_t *row = json_array(), *v;
    const char *k, *keys[4];
    int n = 0;
    json_object_foreach(o, k, v) if (n < 4) keys[n++] = k;
    json_array_append(row, o);
    suppress_rows(row, keys, n);
    json_decref(row);
}

/* Every personal count of the region's answer (C13) suppressed: by kind,
 * district, sex, age band, the cross table, the level gains and the
 * completion (rate_pct null when either of its counts is hidden). */
static void suppress_region(json_t *s)
{
    static const char *const kind_keys[] = {"enrolled", "waiting", "withdrawn"};
    static const char *const district_keys[] = {"enrolled", "withdrawn", "certified"};
    static const char *const learners[] = {"learners"};
    static const char *const levels[] = {"learners_with_levels", "levels_gained"};
    static const char *const completion[] = {"ended", "certified"};
    suppress_rows(json_object_get(s, "by_kind"), kind_keys, 3);
    suppress_rows(json_object_get(s, "by_district"), district_keys, 3);
    suppress_object(json_object_get(s, "by_sex"));
    suppress_object(json_object_get(s, "by_age"));
    suppress_rows(json_object_get(s, "participants"), learners, 1);
    suppress_rows(json_object_get(s, "level_gains"), learners, 1);
    json_t *lv = json_pack("[O]", s), *cp = json_pack("[O]", json_object_get(s, "completion"));
    for (int i = 0; i < 2; i++) {   /* each count alone: one is a part of the other */
        suppress_rows(lv, levels + i, 1);
        suppress_rows(cp, completion + i, 1);
    }
    json_decref(lv);
    json_decref(cp);
    json_t *c = json_object_get(s, "completion");
    if (json_is_null(json_object_get(c, "ended")) || json_is_null(json_object_get(c, "certified")))
        json_object_set_new(c, "rate_pct", json_null());
    json_object_set_new(s, "suppression", json_pack("{s:i}", "threshold", CRS_SMALL_CELL));
}

int crs_region_summary(const scope_t *sc, db_t *db, json_t **out, err_t *e)
{
    int rc = scope_require(sc, CAP_COURSE_REGION, e);
    if (rc || (rc = crs_summary(sc, db, out, e))) return rc;
    json_t *districts = json_array(), *people = json_array(), *cross = json_array(), *gains = json_array();
    json_object_set_new(*out, "by_district", districts);
    json_object_set_new(*out, "participants", cross);
    json_object_set_new(*out, "level_gains", gains);
    char today[11];
    int64_t ended = 0, certified = 0;
    date_today(today, 0);
    if ((rc = crs_store_summary_districts(sc, db, districts)) || (rc = crs_store_summary_people(sc, db, people)) ||
        (rc = crs_store_summary_completion(sc, db, today, &ended, &certified))) {
        json_decref(people);
        return rc;
    }
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        cross_count(cross, jstr_or_empty(p, "kind"), jstr_or_empty(p, "sex"), jstr_or_empty(p, "age_band"));
        if (gained(jstr_or_empty(p, "entry_level"), jstr_or_empty(p, "exit_level")))
            gain_count(gains, jstr(p, "entry_level"), jstr(p, "exit_level"));
    }
    json_decref(people);
    json_object_set_new(*out, "completion", json_pack("{s:I,s:I,s:o}", "ended", (json_int_t)ended, "certified",
                                                      (json_int_t)certified, "rate_pct",
                                                      ended ? json_real((double)(certified * 1000 / ended) / 10.0)
                                                            : json_null()));
    suppress_region(*out);
    return 0;
}

/* person.c — a person's courses as the help desk sees them (courses.h, C12):
 * their enrolments with attendance, the CPIA certificate that exempts them
 * from the A2 test, and the courses open near them at their level. Read
 * only; no SQL here (store_more.c), no HTTP here. */
#include "internal.h"
#include "core/date.h"
#include "core/json.h"
#include "desk/desk.h"
#include <stdio.h>
#include <string.h>

/* Loads person `id` for a help-desk read (CAP_PERSON_READ and
 * CAP_COURSE_READ, the person in scope): 0, 1 when absent, or -status. */
static int desk_person(const scope_t *sc, db_t *db, int64_t id, crs_person_t *p, err_t *e)
{
    int rc = scope_require(sc, CAP_PERSON_READ, e);
    if (rc || (rc = scope_require(sc, CAP_COURSE_READ, e))) return rc;
    return crs_store_person_get(sc, db, id, p);
}

/* The index of a CEFR level in crs_levels(); -1 when it is none. */
static int level_index(const char *level)
{
    const char *const *lv = crs_levels();
    for (int i = 0; level && lv[i]; i++)
        if (strcmp(lv[i], level) == 0) return i;
    return -1;
}

/* The person's level: the latest exit level of their enrolments (by start
 * date), else the latest entry level; NULL when none is known. */
static const char *person_level(const json_t *enrolments)
{
    const char *exit_level = NULL, *entry_level = NULL;
    size_t i;
    json_t *x;
    json_array_foreach(enrolments, i, x) {
        if (level_index(jstr(x, "exit_level")) >= 0) exit_level = jstr(x, "exit_level");
        if (level_index(jstr(x, "entry_level")) >= 0) entry_level = jstr(x, "entry_level");
    }
    return exit_level ? exit_level : entry_level;
}

/* Age in whole years on `today` of a "YYYY-MM-DD" birth date; -1 when unknown. */
static int age_on(const char *birth, const char *today)
{
    int by, bm, bd, ty, tm, td;
    if (!date_valid(birth) || !date_valid(today)) return -1;
    date_parse(birth, &by, &bm, &bd);
    date_parse(today, &ty, &tm, &td);
    return ty - by - (tm < bm || (tm == bm && td < bd));
}

/* The courses near the person (C12): audiences they belong to, their level or the next. */
static int near_courses(const scope_t *sc, db_t *db, const crs_person_t *p, const char *level, const char *today,
                        json_t *items)
{
    const char *aud[4];
    size_t na = 0, nl = 0;
    int age = age_on(p->birth_date, today);
    if (age < 0 || age >= 18) aud[na++] = "adults";
    if (strcmp(p->sex, "f") == 0 && (age < 0 || age >= 16)) aud[na++] = "women";
    if (age >= 0 && age < 18) aud[na++] = "pupils";
    const char *levels[2];
    int li = level_index(level);
    if (li >= 0) {
        levels[nl++] = crs_levels()[li];
        if (crs_levels()[li + 1]) levels[nl++] = crs_levels()[li + 1];
    }
    return crs_store_courses_near(sc, db, p, today, aud, na, levels, nl, items);
}

/* An exemption row with its issue date as text. */
static void exemption_dates(json_t *x)
{
    char issued[11];
    crs_date_of(json_integer_value(json_object_get(x, "issued_at")), issued);
    json_object_set_new(x, "issued_on", json_string(issued));
    json_object_del(x, "issued_at");
}

int crs_person_courses(const scope_t *sc, db_t *db, int64_t person_id, const char *today, json_t **out,
                       crs_ref_t *ref, err_t *e)
{
    crs_person_t p;
    json_t *exemption = NULL;
    int rc = desk_person(sc, db, person_id, &p, e);
    if (rc) return rc;
    *ref = (crs_ref_t){p.id, p.id, p.org_id};
    json_t *enrolments = json_array(), *near = json_array();
    *out = json_pack("{s:o,s:o}", "enrolments", enrolments, "open_near", near);
    if ((rc = crs_store_person_enrolments(sc, db, &p, enrolments))) return rc;
    size_t i;
    json_t *x;
    json_array_foreach(enrolments, i, x) crs_add_counts_pct(x, json_integer_value(json_object_get(x, "min_attendance_pct")));
    const char *level = person_level(enrolments);
    json_object_set_new(*out, "level", json_text(level));
    if ((rc = near_courses(sc, db, &p, level, today, near))) return rc;
    if ((rc = crs_store_person_exemption(sc, db, &p, &exemption)) < 0) return rc;
    if (exemption) exemption_dates(exemption);
    json_object_set_new(*out, "exemption", exemption ? exemption : json_null());
    return 0;
}

int crs_person_exemption(const scope_t *sc, db_t *db, int64_t person_id, json_t **out, err_t *e)
{
    crs_person_t p;
    int rc = desk_person(sc, db, person_id, &p, e);
    if (rc || (rc = crs_store_person_exemption(sc, db, &p, out))) return rc;
    exemption_dates(*out);
    return 0;
}

/* demo.c — the courses part of `labimpact demo`: a season of courses in the
 * demo districts (Cremona, Lodi, Sondrio, Luino) organised by their CPIA,
 * schools and cooperatives or the district itself, with learners from the
 * district's synthetic persons (a few on the waiting list), weekly sessions
 * skipping the holidays, the attendance of the sessions already past, and a
 * month of school support for a few pupils.
 * Reproducible from the seed; goes through the operations of courses.h with
 * the scope of the command line over each district. */
#include "internal.h"
#include "core/date.h"
#include "core/json.h"
#include <string.h>

typedef struct demo_course {
    const char *district, *org, *title, *kind, *audience, *level;
    int hours, capacity, days_mask, start_min, minutes, weeks_before; /* start `weeks_before` weeks before today */
    bool evening, childcare;
} demo_course_t;

#define MON (1 << 1)
#define TUE (1 << 2)
#define WED (1 << 3)
#define THU (1 << 4)
#define FRI (1 << 5)

static const demo_course_t season[] = {
    {"cremona", "cpia-cremona", "Italiano A1 per adulti — serale", "italian_l2", "adults", "A1", 100, 18, MON | WED,
     18 * 60 + 30, 120, 8, true, false},
    {"cremona", "cpia-cremona", "Italiano per donne con spazio bimbi", "italian_l2", "women", "A2", 80, 14, TUE | THU,
     9 * 60 + 30, 120, 7, false, true},
    {"cremona", "ic-marconi-casalmaggiore", "Laboratorio L2 per neoarrivati", "pupils_l2", "pupils", "A1", 40, 12,
     WED | FRI, 14 * 60 + 30, 90, 6, false, false},
    {"cremona", "asc-cremonese", "Lavorare con il mediatore: operatori sociosanitari", "operator_training", "operators",
     NULL, 16, 25, THU, 14 * 60, 120, 5, false, false},
    {"lodi", "lodi", "Italiano per il lavoro", "italian_work", "adults", "A2", 60, 16, MON | THU, 18 * 60, 120, 8, true,
     false},
    {"lodi", "lodi", "Percorso esperienziale: competenze per il lavoro", "experiential", "adults", NULL, 40, 12, TUE,
     9 * 60, 180, 6, false, false},
    {"sondrio", "ic-paesi-orobici", "Italiano per comunicare e per studiare", "pupils_l2", "pupils", "A2", 50, 12,
     TUE | THU, 14 * 60, 90, 7, false, false},
    {"sondrio", "coop-forme", "Alfabetizzazione in italiano", "literacy", "adults", "pre-A1", 200, 15, MON | WED | FRI,
     9 * 60, 120, 9, false, true},
    {"luino", "luino", "Orientamento civico", "civic_orientation", "adults", "A1", 10, 20, WED, 17 * 60 + 30, 120, 4,
     true, false},
};

/* A small reproducible generator (xorshift). */
static unsigned long next_rand(unsigned long *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* "YYYY-MM-DD" of today moved by `days`. */
static void day_from_today(int days, char out[11])
{
    date_today(out, days);
}

/* The marks of one past session: mostly present; learner `weak` (every
 * seventh) misses often, so the warnings have someone to show. */
static json_t *demo_marks(const json_t *learners, unsigned long *seed)
{
    json_t *marks = json_array(), *l;
    size_t i;
    json_array_foreach(learners, i, l) {
        unsigned long r = next_rand(seed) % 100;
        bool weak = i % 7 == 3;
        const char *st = weak ? (r < 45 ? "present" : r < 60 ? "excused" : "absent")
                              : (r < 82 ? "present" : r < 89 ? "late" : r < 94 ? "excused" : "absent");
        json_array_append_new(marks, json_pack("{s:I,s:s}", "enrolment_id",
                                               json_integer_value(json_object_get(l, "enrolment_id")), "status", st));
    }
    return marks;
}

/* Assigns every teacher account that could teach the course (C1a). */
static int demo_teachers(const scope_t *sc, db_t *db, int64_t course_id, err_t *e)
{
    json_t *cands = json_array();
    int64_t ids[CRS_MAX_TEACHERS];
    crs_ref_t ref;
    size_t n = 0, i;
    json_t *t;
    int rc = crs_course_teacher_candidates(sc, db, course_id, cands, e);
    json_array_foreach(cands, i, t) if (n < CRS_MAX_TEACHERS) ids[n++] = json_integer_value(json_object_get(t, "id"));
    json_decref(cands);
    return rc ? rc : crs_course_teachers(sc, db, course_id, ids, n, &ref, e);
}

/* One course of the season with its learners, sessions and past attendance. */
static int demo_one(db_t *db, const demo_course_t *d, unsigned long *seed, FILE *log)
{
    org_t district, org;
    err_t e = {0};
    if (org_public(db, d->district, &district) || org_public(db, d->org, &org)) return 0; /* not in this network */
    scope_t sc = scope_system(district.path);
    char start[11], end[11], hhmm[24];
    day_from_today(-7 * d->weeks_before, start);
    day_from_today(7 * (16 - d->weeks_before), end);
    crs_course_input_t in = {d->title, d->kind, d->org, d->audience, d->level, start, end, "Sede del corso",
                             d->hours, d->capacity, 80, d->childcare, d->evening, false, NULL, 0};
    crs_ref_t ref;
    int rc = crs_course_create(&sc, db, &in, &ref, &e);
    int64_t course_id = ref.id;
    if (!rc) rc = demo_teachers(&sc, db, course_id, &e);
    snprintf(hhmm, sizeof hhmm, "%02d:%02d", d->start_min / 60, d->start_min % 60);
    crs_pattern_t p = {(unsigned)d->days_mask, hhmm, start, end, d->minutes};
    json_t *ids = json_array(), *skipped = json_array(), *persons = json_array();
    if (!rc) rc = crs_session_pattern(&sc, db, course_id, &p, ids, skipped, &ref, &e);
    if (!rc) rc = crs_store_person_sample(&sc, db, 200, persons);
    size_t n = json_array_size(persons), want = (size_t)d->capacity + 2, offset = n ? next_rand(seed) % n : 0;
    for (size_t i = 0; !rc && i < want && i < n; i++) {
        json_t *pid = json_object_get(json_array_get(persons, (offset + i) % n), "id");
        bool pupil = strcmp(d->audience, "pupils") == 0;
        crs_enrol_input_t en = {json_integer_value(pid), 0, NULL, false, d->level ? "pre-A1" : NULL,
                                pupil ? "2B" : NULL, pupil ? "Genitore" : NULL, NULL, pupil};
        const char *status;
        int64_t new_person;
        rc = crs_enrol(&sc, db, course_id, &en, &ref, &status, &new_person, &e);
    }
    char today[11];
    date_today(today, 0);
    size_t i;
    json_t *sid;
    json_array_foreach(ids, i, sid) {
        json_t *s = NULL;
        if (rc || (rc = crs_session_read(&sc, db, json_integer_value(sid), &s, &ref, &e))) break;
        bool past = strcmp(jstr_or_empty(json_object_get(s, "session"), "date"), today) < 0;
        json_t *marks = past ? demo_marks(json_object_get(s, "learners"), seed) : NULL;
        if (marks) rc = crs_attendance_put(&sc, db, json_integer_value(sid), marks, &ref, &e);
        json_decref(marks);
        json_decref(s);
    }
    json_decref(ids);
    json_decref(skipped);
    json_decref(persons);
    if (rc) fprintf(log, "courses demo: %s: %s (%d)\n", d->title, e.message ? e.message : "database error", rc);
    return rc ? -1 : 0;
}

/* Four weeks of school support for six pupils of a school; the third misses
 * the last two, so the watch list has someone to show. */
static int demo_support(db_t *db, const char *district, const char *school, FILE *log)
{
    org_t d;
    err_t e = {0};
    if (org_public(db, district, &d)) return 0;
    scope_t sc = scope_system(d.path);
    json_t *persons = json_array();
    int rc = crs_store_person_sample(&sc, db, 6, persons);
    const char *const *kinds = crs_support_kinds();
    size_t i;
    json_t *p;
    json_array_foreach(persons, i, p) {
        for (int k = 0; !rc && k < 4; k++) {
            char date[11];
            date_today(date, -7 * (4 - k));
            crs_support_input_t in = {json_integer_value(json_object_get(p, "id")), 90, school, kinds[(i + (size_t)k) % 5],
                                      date, NULL, !(i == 2 && k >= 2)};
            crs_ref_t ref;
            rc = crs_support_create(&sc, db, &in, &ref, &e);
        }
    }
    json_decref(persons);
    if (rc) fprintf(log, "courses demo: school support at %s: %s (%d)\n", school, e.message ? e.message : "database error", rc);
    return rc ? -1 : 0;
}

int crs_demo(db_t *db, unsigned long seed, FILE *log)
{
    unsigned long s = seed * 2654435761ul + 7;
    for (size_t i = 0; i < sizeof season / sizeof season[0]; i++)
        if (demo_one(db, &season[i], &s, log)) return -1;
    if (demo_support(db, "cremona", "ic-marconi-casalmaggiore", log) || demo_support(db, "sondrio", "ic-paesi-orobici", log))
        return -1;
    fprintf(log, "courses: %zu courses of the season\n", sizeof season / sizeof season[0]);
    return 0;
}

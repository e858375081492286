/* demo.c — the meetings of a fresh demo network (data/meetings/demo.json):
 * a monthly tavolo territoriale in the Lodi and Cremona districts over the
 * last months, with organisations invited, attendance, minutes and
 * decisions (one overdue); a series of ANCI Lombardia laboratories for every
 * district with an e-book (a PDF made with core/pdfdoc.h, public in the
 * library); a school contacts' meeting in Luino. Invitees are stored
 * without e-mails: a demo never writes to anyone. */
#include "internal.h"
#include "app/org.h"
#include "core/date.h"
#include "core/json.h"
#include "core/pdfdoc.h"
#include "desk/desk.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "YYYY-MM-DDTHH:MM" of day `day` of the month `months` from today's, at `hm`. */
static void month_day(int months, int day, const char *hm, char out[17])
{
    char today[11], d[11];
    date_today(today, 0);
    int y, m, dd;
    date_parse(today, &y, &m, &dd);
    snprintf(d, sizeof d, "%04d-%02d-01", y, m);
    char moved[11];
    date_add(d, 0, months, day - 1, moved);
    snprintf(out, 17, "%sT%s", moved, hm);
}

/* One meeting of the demo from its JSON description at `start`; its invitees
 * (organisations of the file, with their attendance when it is past). */
static int demo_meeting(const scope_t *sc, db_t *db, const json_t *t, const char *start, bool past, int n,
                        FILE *log)
{
    char title[256];
    snprintf(title, sizeof title, "%s%s%.0d", jstr(t, "title"), n ? " n. " : "", n);
    mtg_input_t in = {jstr(t, "kind"), title, jstr(t, "org"), start, jstr(t, "place"), jstr(t, "agenda"),
                      jstr(t, "series"), json_integer_value(json_object_get(t, "minutes")), 0, 0};
    mtg_ref_t ref;
    err_t e = {0};
    int rc = mtg_create(sc, db, &in, &ref, &e);
    if (rc) {
        fprintf(log, "meetings demo: %s: %s (%s)\n", title, e.message, e.field);
        return -1;
    }
    mtg_meeting_t m;
    if (mtg_store_meeting_get(sc, db, ref.id, &m)) return -1;
    size_t i;
    json_t *inv;
    int64_t now = db_now();
    json_array_foreach(json_object_get(t, "invitees"), i, inv) {
        org_t org;
        if (org_public(db, jstr(inv, "org"), &org)) continue;
        char key[300];
        snprintf(key, sizeof key, "e:%s", jstr(inv, "email"));
        if (mtg_store_invitee_insert(db, &m, key, 0, org.id, jstr(inv, "name"), jstr(inv, "email"), now) < 0) return -1;
    }
    if (!past) return 0;
    json_t *people = json_array();
    if (mtg_store_invitees(db, &m, people)) {
        json_decref(people);
        return -1;
    }
    static const char *const marks[] = {"present", "present", "present", "excused", "present", "absent"};
    json_array_foreach(people, i, inv)
        mtg_store_mark(db, &m, json_integer_value(json_object_get(inv, "id")), marks[(i + (size_t)n) % 6], 0, now);
    json_decref(people);
    const char *minutes = jstr(t, "minutes_text");
    if (minutes) mtg_store_meeting_minutes(db, &m, minutes, now);
    json_t *dec;
    json_array_foreach(json_object_get(t, "decisions"), i, dec) {
        char due[11];
        char sd[11];
        snprintf(sd, sizeof sd, "%.10s", start);
        date_add(sd, 0, 0, (int)json_integer_value(json_object_get(dec, "due_days")), due);
        mtg_decision_input_t d = {jstr(dec, "text"), jstr(dec, "owner"), due, NULL, 0};
        int64_t did;
        if (mtg_store_decision_insert(db, &m, &d, 0, now, &did)) return -1;
        if (n % 2 == 0 && i == 0) {
            mtg_decision_input_t done = {NULL, NULL, NULL, "done", 0};
            mtg_store_decision_update(db, &m, did, &done, now);
        }
    }
    return 0;
}

/* The laboratories' e-book: a small PDF, public in the library. */
static int demo_ebook(const scope_t *sc, db_t *db, const json_t *book, FILE *log)
{
    pdfdoc_t *d = pdfdoc_new("it");
    if (!d) return -1;
    pdfdoc_title(d, jstr(book, "title"));
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(book, "paragraphs"), i, p) pdfdoc_paragraph(d, json_string_value(p));
    pdfdoc_note(d, "Dati dimostrativi di labimpact.");
    char *pdf = NULL;
    size_t len = 0;
    if (pdfdoc_finish(d, &pdf, &len)) return -1;
    mtg_doc_input_t in = {jstr(book, "title"), "ebook-laboratori.pdf", "public", jstr(book, "series"),
                          jstr(book, "org"), pdf, len};
    int64_t id;
    mtg_ref_t ref;
    err_t e = {0};
    int rc = mtg_doc_add(sc, db, &in, &id, &ref, &e);
    free(pdf);
    if (rc) fprintf(log, "meetings demo: e-book: %s\n", e.message);
    return rc ? -1 : 0;
}

int mtg_demo(db_t *db, module_demo_t *d)
{
    int64_t existing = 0;
    if (mtg_store_count(db, &existing) || existing) return 0;
    json_t *root = module_demo_load(d, "meetings/demo.json");
    if (!root) return -1;
    org_t top;
    if (org_root(db, &top)) {
        json_decref(root);
        return -1;
    }
    scope_t sc = scope_system(top.path);
    int rc = 0;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(root, "meetings"), i, t) {
        int every = (int)json_integer_value(json_object_get(t, "monthly_from"));
        int day = (int)json_integer_value(json_object_get(t, "day"));
        const char *hm = jstr(t, "time");
        /* monthly_from: -N .. +1 months around this one; else a single meeting at "months". */
        int from = every ? every : (int)json_integer_value(json_object_get(t, "months"));
        int to = every ? 1 : from;
        for (int k = from, n = 1; k <= to && !rc; k++, n++) {
            char start[17];
            month_day(k, day, hm, start);
            rc = demo_meeting(&sc, db, t, start, k < 0, every ? n : 0, d->log);
        }
    }
    if (!rc) rc = demo_ebook(&sc, db, json_object_get(root, "ebook"), d->log);
    json_decref(root);
    return rc;
}
